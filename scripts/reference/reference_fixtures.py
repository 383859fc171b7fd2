#!/usr/bin/env python3
"""Golden fixtures that prove Stir's engine computes what the reference implementations compute (issue 11).

Run on a developer machine, never in CI (it needs torch and the reference libraries). It builds tiny,
randomly initialised models of the real architectures, exports them with Stir's own exporters
(tools/export-pack), runs the reference code on fixed inputs and writes tests/fixtures/reference/:
the packs (their ONNX files gzipped), the inputs and the reference outputs. The CI test
(tests/unit/reference/reference.test.ts) runs Stir's engine on the same packs and inputs and compares.

Where the reference code comes from (PyPI is not reachable on Stir's build machines; Debian is):

    apt-get install python3-torch python3-torchvision python3-numpy python3-pil python3-regex \
        python3-requests python3-filelock python3-yaml python3-tqdm python3-packaging python3-fsspec \
        python3-typing-extensions python3-onnx
    REF=/tmp/stir-ref/py; mkdir -p $REF       # outside the repository: nothing of it is copied into Stir
    git -C <clone of huggingface/diffusers> archive v0.27.2 src/diffusers | tar -x --strip-components=1 -C $REF
    git -C <clone of huggingface/huggingface_hub> archive v0.21.4 src/huggingface_hub | tar -x --strip-components=1 -C $REF
    git -C <clone of facebookresearch/segment-anything> archive HEAD segment_anything | tar -x -C $REF
    git -C <clone of ChaoningZhang/MobileSAM> archive HEAD mobile_sam | tar -x -C $REF

Two stand-ins complete it, written for this script (not copied from anywhere): `safetensors` (diffusers
imports it at start; a version string and `safetensors.torch` functions that raise: nothing is loaded from
disk) and the three names MobileSAM imports from `timm` (DropPath, identity at inference; to_2tuple;
trunc_normal_ = torch.nn.init.trunc_normal_). Then, from the repository root:

    PYTHONPATH=$REF:tools/export-pack /usr/bin/python3 scripts/reference/reference_fixtures.py

What is reference code and what is not:
- SAM: segment_anything's ImageEncoderViT / PromptEncoder / MaskDecoder, its SamPredictor (set_image with its
  own ResizeLongestSide, predict with return_logits) and its SamOnnxModel (through the exporter). Fully
  reference. MobileSAM: its TinyViT encoder with SAM's decoder, exported and checked the same way.
- Video: diffusers' UNet2DConditionModel + MotionAdapter(conv_in_channels=9) -> UNetMotionModel.from_unet2d
  (PIA's construction), AutoencoderKL, DDIMScheduler (set_timesteps, step with eta 0, the same initial noise
  passed in) and PIA's own prepare_mask_coef_by_statistics / RANGE_LIST (read from pipeline_pia.py and run;
  importing that module needs transformers). PIAPipeline itself cannot run here: it needs transformers'
  CLIPTextModel and CLIPTokenizer, which are neither in Debian nor fetched. What stands in: this script
  drives the same steps PIAPipeline.__call__ takes (encode the image, build mask and masked image, guidance
  in a batch of 2, scheduler.step) from diffusers' parts, with one deviation: the image latent is the VAE
  posterior's mean (Stir's contract), not a sample from it. The text encoder is a small stand-in module
  (token and position embeddings, one linear layer, layer norm) run by both sides on the token ids of
  tests/fixtures/clip/reference-ids.json (Stir's tokenizer is checked against those ids separately).
"""

import gzip
import inspect
import ast
import json
import os
import shutil
import sys
from functools import partial

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "tests", "fixtures", "reference")
sys.path.insert(0, os.path.join(ROOT, "tools", "export-pack"))

from stir_export.pack import Precision  # noqa: E402
from stir_export.sam import export_sam_pack  # noqa: E402
from stir_export.video import export_video_pack  # noqa: E402

torch.set_grad_enabled(False)


def quantise_(module):
    """Random weights on a coarse grid (a quarter of each tensor's spread): still the random initialisation,
    and the ONNX files gzip to a fraction of their size, so the fixtures stay small. Constant tensors (norm
    weights of 1, biases of 0) are kept as they are."""
    for p in list(module.parameters()) + [b for b in module.buffers() if b.is_floating_point()]:
        spread = float(p.std()) if p.numel() > 1 else 0.0
        if spread > 0:
            step = spread / 4
            p.copy_(torch.round(p / step) * step)


def save_f32(path, array):
    np.asarray(array, dtype="<f4").tofile(path)


def store_pack(pack_dir, name):
    """Keeps the pack compactly: its manifest as packs/<name>.json and every file once, gzipped, as
    blobs/<sha256>.gz (packs share files: one SAM decoder, one VAE). The test rebuilds the folder."""
    with open(os.path.join(pack_dir, "stir-pack.json")) as f:
        manifest = json.load(f)
    os.makedirs(os.path.join(OUT, "packs"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "blobs"), exist_ok=True)
    for entry in manifest["files"]:
        blob = os.path.join(OUT, "blobs", entry["sha256"] + ".gz")
        if not os.path.exists(blob):
            with open(os.path.join(pack_dir, entry["path"]), "rb") as src, open(blob, "wb") as raw:
                with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as dst:
                    shutil.copyfileobj(src, dst)
    shutil.copyfile(os.path.join(pack_dir, "stir-pack.json"), os.path.join(OUT, "packs", name + ".json"))


def data_path(name):
    os.makedirs(os.path.join(OUT, "data"), exist_ok=True)
    return os.path.join(OUT, "data", name)


def photo(name):
    return np.array(Image.open(os.path.join(ROOT, "examples", "photos", name)).convert("RGB"))


# --- SAM ------------------------------------------------------------------------------------------------


def tiny_sam(encoder_kind):
    from segment_anything.modeling import ImageEncoderViT, MaskDecoder, PromptEncoder, Sam, TwoWayTransformer

    torch.manual_seed(11)
    if encoder_kind == "vit":
        encoder = ImageEncoderViT(
            depth=2,
            embed_dim=32,
            img_size=1024,
            mlp_ratio=2,
            norm_layer=partial(torch.nn.LayerNorm, eps=1e-6),
            num_heads=2,
            patch_size=16,
            qkv_bias=True,
            use_rel_pos=True,
            global_attn_indexes=[1],
            window_size=14,
            out_chans=256,
        )
    else:  # MobileSAM's TinyViT, shrunk
        from mobile_sam.modeling import TinyViT

        encoder = TinyViT(
            img_size=1024,
            in_chans=3,
            num_classes=1000,
            embed_dims=[8, 16, 16, 32],
            depths=[1, 1, 1, 1],
            num_heads=[1, 1, 1, 2],
            window_sizes=[7, 7, 14, 7],
            mlp_ratio=2.0,
            drop_rate=0.0,
            drop_path_rate=0.0,
            use_checkpoint=False,
            mbconv_expand_ratio=2.0,
            local_conv_size=3,
            layer_lr_decay=0.8,
        )
    sam = Sam(
        image_encoder=encoder,
        prompt_encoder=PromptEncoder(
            embed_dim=256, image_embedding_size=(64, 64), input_image_size=(1024, 1024), mask_in_chans=16
        ),
        mask_decoder=MaskDecoder(
            num_multimask_outputs=3,
            transformer=TwoWayTransformer(
                depth=1, embedding_dim=256, mlp_dim=64, num_heads=2, attention_downsample_rate=8
            ),
            transformer_dim=256,
            iou_head_depth=3,
            iou_head_hidden_dim=16,
        ),
        pixel_mean=[123.675, 116.28, 103.53],
        pixel_std=[58.395, 57.12, 57.375],
    ).eval()
    quantise_(sam)
    # Logits of a few units, as a trained SAM gives (random weights give tenths): the 1e-3 bound then
    # means what it says.
    for mlp in sam.mask_decoder.output_hypernetworks_mlps:
        mlp.layers[-1].weight.mul_(16)
        mlp.layers[-1].bias.mul_(16)
    return sam


SAM_CASES = [
    {"name": "one-click", "clicks": [[225, 140, 1]], "multimask": True},
    {"name": "three-clicks", "clicks": [[225, 140, 1], [300, 100, 1], [60, 250, 0]], "multimask": False},
]
# The logits are stored on every STRIDE-th row and column (the fixtures stay small; the grid still covers
# the whole photo and the low-res mask).
STRIDE = 2
WORK = os.path.join("/tmp", "stir-reference-work")


def sam_fixture(kind, decoder_from=None):
    """Exports a tiny SAM (ViT or TinyViT encoder), runs SamPredictor on chelsea.png and stores the best
    mask's logits at the photo's size and at 256x256 with its predicted IoU. `decoder_from`: another tiny
    SAM whose prompt encoder and mask decoder this one reuses (MobileSAM keeps SAM's decoder)."""
    from segment_anything import SamPredictor
    from segment_anything.utils.onnx import SamOnnxModel

    sam = tiny_sam(kind)
    if decoder_from is not None:
        sam.prompt_encoder = decoder_from.prompt_encoder
        sam.mask_decoder = decoder_from.mask_decoder
    pack_dir = os.path.join(WORK, f"sam-{kind}")
    shutil.rmtree(pack_dir, ignore_errors=True)
    export_sam_pack(
        sam,
        SamOnnxModel,
        pack_dir,
        {
            "id": f"reference-sam-{kind}",
            "name": f"Tiny random SAM ({'ViT, 2 blocks' if kind == 'vit' else 'MobileSAM TinyViT'})",
            "version": "1.0.0",
            "description": "A reference fixture: the real architecture, random weights (scripts/reference).",
            "license": "Apache-2.0 (the architecture: Segment Anything; the weights are random)",
            "sources": ["facebookresearch/segment-anything"] + (["ChaoningZhang/MobileSAM"] if kind != "vit" else []),
        },
        Precision("fp32"),
        device="cpu",
    )
    store_pack(pack_dir, f"sam-{kind}")

    image = photo("chelsea.png")
    predictor = SamPredictor(sam)
    predictor.set_image(image)
    cases = []
    for case in SAM_CASES:
        coords = np.array([c[:2] for c in case["clicks"]], dtype=np.float32)
        labels = np.array([c[2] for c in case["clicks"]], dtype=np.float32)
        masks, scores, low_res = predictor.predict(
            point_coords=coords, point_labels=labels, multimask_output=case["multimask"], return_logits=True
        )
        best = int(np.argmax(scores))
        stem = f"sam-{kind}.{case['name']}"
        save_f32(data_path(f"{stem}.masks.f32"), masks[best][::STRIDE, ::STRIDE])
        save_f32(data_path(f"{stem}.low-res.f32"), low_res[best][::STRIDE, ::STRIDE])
        cases.append(
            {
                "name": case["name"],
                "clicks": [{"x": c[0], "y": c[1], "positive": c[2] == 1} for c in case["clicks"]],
                "iou": float(scores[best]),
                "masks": f"{stem}.masks.f32",
                "lowRes": f"{stem}.low-res.f32",
                "insideShare": round(float((masks[best] > 0).mean()), 4),
            }
        )
    print(f"sam-{kind}: inside share {[c['insideShare'] for c in cases]}")
    return sam, {"pack": f"sam-{kind}", "photo": "chelsea.png", "stride": STRIDE, "cases": cases}


def write_json(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    which = sys.argv[1:] or ["sam", "video"]
    if "sam" in which:
        for folder in ("packs", "blobs", "data"):
            for name in os.listdir(os.path.join(OUT, folder)) if os.path.isdir(os.path.join(OUT, folder)) else []:
                if name.startswith("sam"):
                    os.remove(os.path.join(OUT, folder, name))
        _, vit_cases = sam_fixture("vit")
        write_json("sam.json", {"segmenters": [vit_cases]})
