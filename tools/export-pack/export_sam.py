#!/usr/bin/env python3
"""Exports Segment Anything (ViT-B, ViT-L, ViT-H) or MobileSAM as a Stir segmenter pack.

    pip install torch onnx git+https://github.com/facebookresearch/segment-anything.git
    pip install git+https://github.com/ChaoningZhang/MobileSAM.git      # for --model mobile_sam
    python3 tools/export-pack/export_sam.py --model vit_b --checkpoint sam_vit_b_01ec64.pth --out packs/sam-vit-b
    npm run stir -- models install packs/sam-vit-b

--precision fp16 halves the encoder (the decoder stays fp32) and needs a CUDA GPU to export.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from stir_export.pack import Precision  # noqa: E402
from stir_export.sam import MOBILE_SAM_LICENSE, SAM_LICENSE, export_sam_pack  # noqa: E402

MODELS = {
    "vit_b": ("sam-vit-b", "Segment Anything ViT-B", "sam_vit_b_01ec64.pth"),
    "vit_l": ("sam-vit-l", "Segment Anything ViT-L", "sam_vit_l_0b3195.pth"),
    "vit_h": ("sam-vit-h", "Segment Anything ViT-H", "sam_vit_h_4b8939.pth"),
    "mobile_sam": ("mobile-sam", "MobileSAM (TinyViT encoder, SAM decoder)", "mobile_sam.pt"),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, choices=sorted(MODELS))
    parser.add_argument("--checkpoint", required=True, help="the official .pth (or MobileSAM's mobile_sam.pt)")
    parser.add_argument("--out", required=True, help="the pack folder to write (created)")
    parser.add_argument("--precision", default="fp32", choices=["fp32", "fp16"])
    parser.add_argument("--device", help="cpu or cuda (default: cuda when available)")
    args = parser.parse_args(argv)

    if os.path.exists(args.out) and os.listdir(args.out):
        raise SystemExit(f"{args.out} exists and is not empty: choose a new folder")
    if args.model == "mobile_sam":
        from mobile_sam import sam_model_registry
        from mobile_sam.utils.onnx import SamOnnxModel

        sam = sam_model_registry["vit_t"](checkpoint=args.checkpoint)
        license_text = MOBILE_SAM_LICENSE
        sources = ["https://github.com/ChaoningZhang/MobileSAM (weights/mobile_sam.pt)"]
    else:
        from segment_anything import sam_model_registry
        from segment_anything.utils.onnx import SamOnnxModel

        sam = sam_model_registry[args.model](checkpoint=args.checkpoint)
        license_text = SAM_LICENSE
        sources = [f"https://dl.fbaipublicfiles.com/segment_anything/{MODELS[args.model][2]}"]
    pack_id, name, _ = MODELS[args.model]
    suffix = "-fp16" if args.precision == "fp16" else ""
    manifest = export_sam_pack(
        sam,
        SamOnnxModel,
        args.out,
        {
            "id": pack_id + suffix,
            "name": f"{name}{' (fp16)' if suffix else ''}",
            "version": "1.0.0",
            "description": f"{name}: click -> mask (image encoder + prompt decoder, official ONNX decoder contract).",
            "license": license_text,
            "sources": sources,
        },
        Precision(args.precision),
        device=args.device,
    )
    print(f"wrote {manifest}; install with: npm run stir -- models install {args.out}")


if __name__ == "__main__":
    main()
