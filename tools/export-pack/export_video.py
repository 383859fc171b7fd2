#!/usr/bin/env python3
"""Exports the video model as a Stir diffusion pack: PIA (its condition adapter and AnimateDiff motion module
on Stable Diffusion 1.5), or the paper's first-frame + region-mask layout for whoever holds such a UNet,
with the SD 1.5 text encoder (CLIP ViT-L/14) and VAE, and optionally an OpenPose ControlNet.

    pip install torch onnx diffusers==0.27.2 transformers huggingface_hub
    python3 tools/export-pack/export_video.py --layout pia --base stable-diffusion-v1-5/stable-diffusion-v1-5 \\
        --adapter openmmlab/PIA-condition-adapter --out packs/pia-sd15 --precision fp16
    python3 tools/export-pack/export_video.py --layout pia ... --controlnet lllyasviel/control_v11p_sd15_openpose
    python3 tools/export-pack/export_video.py --layout first-frame --base ... --unet DIR --out packs/fyc-sd15
    python3 tools/export-pack/export_video.py --layout pia ... --openai-clip ViT-L/14   # text encoder from openai/CLIP
    npm run stir -- models install packs/pia-sd15

--base, --adapter, --controlnet and --unet take a Hugging Face id or a local folder in diffusers' layout.
fp16 needs a CUDA GPU to export. The graphs are fixed at --latent (64x64: 512x512 pixels) and a batch of 2.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from stir_export.pack import Precision  # noqa: E402
from stir_export.video import export_video_pack  # noqa: E402

SD15_LICENSE = "CreativeML OpenRAIL-M (Stable Diffusion 1.5)"
PIA_LICENSE = "Apache-2.0 (PIA)"
CONTROLNET_LICENSE = "OpenRAIL (ControlNet 1.1)"


def tokenizer_folder(base):
    if os.path.isdir(base):
        return os.path.join(base, "tokenizer")
    from huggingface_hub import snapshot_download

    return os.path.join(snapshot_download(base, allow_patterns=["tokenizer/*"]), "tokenizer")


def text_encoder(args):
    if args.openai_clip:
        import clip  # openai/CLIP

        model, _ = clip.load(args.openai_clip, device="cpu", jit=False)
        return model.float()
    from transformers import CLIPTextModel

    return CLIPTextModel.from_pretrained(args.base, subfolder="text_encoder")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layout", required=True, choices=["pia", "first-frame"])
    parser.add_argument("--base", required=True, help="Stable Diffusion 1.5 in diffusers' layout")
    parser.add_argument("--adapter", help="PIA's condition adapter (MotionAdapter with 9 input channels)")
    parser.add_argument("--unet", help="first-frame layout: a UNetMotionModel with 9 input channels")
    parser.add_argument("--controlnet", help="an OpenPose ControlNet for SD 1.5 (adds the pose capability)")
    parser.add_argument(
        "--openai-clip",
        help="take the text encoder from openai/CLIP (pip install git+https://github.com/openai/CLIP) instead of "
        "--base's text_encoder: a model name (ViT-L/14, the weights SD 1.5 was trained with) or a .pt file",
    )
    parser.add_argument("--out", required=True)
    parser.add_argument("--precision", default="fp32", choices=["fp32", "fp16"])
    parser.add_argument("--frames", type=int, default=16)
    parser.add_argument("--latent", default="64x64", help="HxW of the latent (pixels / 8)")
    parser.add_argument("--device")
    args = parser.parse_args(argv)

    from diffusers import AutoencoderKL, ControlNetModel, MotionAdapter, UNet2DConditionModel, UNetMotionModel

    if os.path.exists(args.out) and os.listdir(args.out):
        raise SystemExit(f"{args.out} exists and is not empty: choose a new folder")
    height, width = (int(v) for v in args.latent.lower().split("x"))
    if args.layout == "pia":
        if not args.adapter:
            raise SystemExit("--layout pia needs --adapter (openmmlab/PIA-condition-adapter)")
        unet = UNetMotionModel.from_unet2d(
            UNet2DConditionModel.from_pretrained(args.base, subfolder="unet"),
            MotionAdapter.from_pretrained(args.adapter),
        )
        licenses = [SD15_LICENSE, PIA_LICENSE]
        sources = [args.base, args.adapter]
        pack_id, name = "pia-sd15", "PIA on Stable Diffusion 1.5"
    else:
        if not args.unet:
            raise SystemExit("--layout first-frame needs --unet (a UNetMotionModel with 9 input channels)")
        unet = UNetMotionModel.from_pretrained(args.unet)
        licenses = [SD15_LICENSE, "the UNet's own licence"]
        sources = [args.base, args.unet]
        pack_id, name = "fyc-sd15", "First frame + region mask (Follow-Your-Click layout) on Stable Diffusion 1.5"
    controlnet = None
    if args.controlnet:
        controlnet = ControlNetModel.from_pretrained(args.controlnet)
        licenses.append(CONTROLNET_LICENSE)
        sources.append(args.controlnet)
        pack_id += "-openpose"
        name += ", OpenPose ControlNet"
    if args.precision == "fp16":
        pack_id += "-fp16"
        name += " (fp16)"
    manifest = export_video_pack(
        args.out,
        {
            "id": pack_id,
            "name": name,
            "version": "1.0.0",
            "description": f"{name}: {args.frames} frames from a photo and a short motion prompt.",
            "license": "; ".join(licenses),
            "sources": sources,
        },
        layout=args.layout,
        text_encoder=text_encoder(args),
        tokenizer_dir=tokenizer_folder(args.base),
        vae=AutoencoderKL.from_pretrained(args.base, subfolder="vae"),
        unet=unet,
        frames=args.frames,
        controlnet=controlnet,
        precision=Precision(args.precision),
        device=args.device,
        latent=(height, width),
    )
    print(f"wrote {manifest}; install with: npm run stir -- models install {args.out}")


if __name__ == "__main__":
    main()
