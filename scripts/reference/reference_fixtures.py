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
    mkdir -p $REF/openai_clip; touch $REF/openai_clip/__init__.py   # openai/CLIP's model.py alone: the
    git -C <clone of openai/CLIP> archive HEAD clip/model.py | tar -x --strip-components=1 -C $REF/openai_clip
    # package's __init__ imports ftfy and torchvision for its tokenizer and image transforms, unused here

Two stand-ins complete it, written for this script (not copied from anywhere): `safetensors` (diffusers
imports it at start; a version string and `safetensors.torch` functions that raise: nothing is loaded from
disk) and the three names MobileSAM imports from `timm` (DropPath, identity at inference; to_2tuple;
trunc_normal_ = torch.nn.init.trunc_normal_). The pose drawings come from Stir's own code through the
repository's tsx (`npm ci` first). Then, from the repository root:

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
  posterior's mean (Stir's contract), not a sample from it.
- Text encoder: openai/CLIP's own CLIP (clip/model.py, the original implementation; SD 1.5's text encoder
  holds its ViT-L/14 weights) with a 2-layer, 32-wide text transformer and the full 49408-token vocabulary:
  encode_text run as it is, its ln_final output kept (SD 1.5's last hidden state, before the end-token
  pooling and the projection), on the token ids of tests/fixtures/clip/reference-ids.json padded with
  <|endoftext|> as SD 1.5's tokenizer pads (Stir's tokenizer is checked against those ids separately).
  transformers' CLIPTextModel computes the same function for SD 1.5's config (quick_gelu, pre-norm blocks,
  causal additive mask, no padding mask, layer-norm eps 1e-5, learned positions 0..76); it is not run here.
- Pose ControlNet: diffusers' ControlNetModel.from_unet on the same 2D UNet, exported with the pack, run per
  frame and its residuals added in UNetMotionModel as AnimateDiffControlNetPipeline does (diffusers 0.28+;
  0.27.2's UNetMotionModel takes the residuals), on Stir's own skeleton drawings of
  tests/fixtures/reference/pose.json (scripts/reference/pose-drawing.ts).
"""

import ast
import gzip
import json
import os
import shutil
import subprocess
import sys
from functools import partial

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "tests", "fixtures", "reference")
sys.path.insert(0, os.path.join(ROOT, "tools", "export-pack"))

from stir_export.pack import Precision, sha256_of  # noqa: E402
from stir_export.sam import export_sam_pack  # noqa: E402

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
    shared_path = os.path.join(OUT, "blobs", "in-repository.json")
    shared = json.load(open(shared_path)) if os.path.exists(shared_path) else {}
    for entry in manifest["files"]:
        blob = os.path.join(OUT, "blobs", entry["sha256"] + ".gz")
        in_repository = os.path.join("tests", "fixtures", "clip", os.path.basename(entry["path"]))
        if os.path.exists(os.path.join(ROOT, in_repository)) and sha256_of(os.path.join(ROOT, in_repository)) == entry["sha256"]:
            shared[entry["sha256"]] = in_repository
            continue
        if not os.path.exists(blob):
            with open(os.path.join(pack_dir, entry["path"]), "rb") as src, open(blob, "wb") as raw:
                with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as dst:
                    shutil.copyfileobj(src, dst)
    shutil.copyfile(os.path.join(pack_dir, "stir-pack.json"), os.path.join(OUT, "packs", name + ".json"))
    with open(shared_path, "w") as f:
        json.dump(shared, f, indent=2, sort_keys=True)
        f.write("\n")


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


# --- Video ---------------------------------------------------------------------------------------------

FRAMES = 8
STEPS = 5
GUIDANCE = 7.5
TEXT_HIDDEN = 32
# The photo the pipeline gets is already at the working size (64 x 64, latent 8 x 8): both sides start from
# the same pixels, whatever resize kernel each would use.
WORKING = 64
PROMPT = "flap the wings"
CONDITIONING_SCALE = 1.0
NEGATIVE = ""


def tiny_clip():
    """openai/CLIP's CLIP (clip/model.py) with a small text transformer: SD 1.5's vocabulary (49408) and
    context (77), width TEXT_HIDDEN, 2 layers, 2 heads, its own initialisation, then the coarse grid. The
    vision tower is built because CLIP's constructor builds one (1 layer, never exported). Token rows no
    fixture prompt uses are zeroed: they are never read, and the table then gzips to almost nothing."""
    from openai_clip import model as openai_clip  # clip/model.py alone (see the docstring)

    torch.manual_seed(31)
    clip = openai_clip.CLIP(
        embed_dim=TEXT_HIDDEN,
        image_resolution=32,
        vision_layers=1,
        vision_width=64,
        vision_patch_size=16,
        context_length=77,
        vocab_size=49408,
        transformer_width=TEXT_HIDDEN,
        transformer_heads=2,
        transformer_layers=2,
    ).eval()
    quantise_(clip)
    used = torch.zeros(49408, dtype=torch.bool)
    for case in clip_cases():
        used[torch.tensor(case["ids"])] = True
    used[[START_ID, END_ID]] = True
    clip.token_embedding.weight[~used] = 0
    return clip


START_ID, END_ID = 49406, 49407


def clip_cases():
    with open(os.path.join(ROOT, "tests", "fixtures", "clip", "reference-ids.json")) as f:
        return json.load(f)["cases"]


def clip_ids(text):
    """The reference CLIP tokenizer's ids (tests/fixtures/clip/reference-ids.json) as SD 1.5's pipelines
    feed them: cut to 77 keeping the end token last, padded with 49407 (SD 1.5's tokenizer pads with
    <|endoftext|>; openai's clip.tokenize pads with 0, which changes the states after the end token)."""
    ids = next(c["ids"] for c in clip_cases() if c["text"] == text)
    if len(ids) > 77:
        ids = ids[:76] + [END_ID]
    return torch.tensor([ids + [END_ID] * (77 - len(ids))], dtype=torch.int64)


def clip_hidden_states(clip, ids):
    """openai/CLIP's encode_text run as it is, keeping ln_final's output: the last hidden state SD 1.5
    conditions on (before the end-token pooling and the projection)."""
    kept = []
    hook = clip.ln_final.register_forward_hook(lambda _module, _inputs, output: kept.append(output))
    try:
        clip.encode_text(ids)
    finally:
        hook.remove()
    return kept[0]


def tiny_video_models():
    from diffusers import AutoencoderKL, ControlNetModel, MotionAdapter, UNet2DConditionModel, UNetMotionModel

    torch.manual_seed(21)
    unet2d = UNet2DConditionModel(
        sample_size=8,
        in_channels=4,
        out_channels=4,
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        block_out_channels=(32, 64),
        layers_per_block=1,
        norm_num_groups=16,
        cross_attention_dim=TEXT_HIDDEN,
        attention_head_dim=8,
    )
    adapter = MotionAdapter(
        block_out_channels=(32, 64),
        motion_layers_per_block=1,
        motion_norm_num_groups=16,
        motion_num_attention_heads=2,
        motion_max_seq_length=32,
        use_motion_mid_block=False,
        conv_in_channels=9,
    )
    # PIA's construction: the 2D UNet's weights, the adapter's motion modules and 9-channel conv_in.
    unet = UNetMotionModel.from_unet2d(unet2d, adapter).eval()
    vae = AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        block_out_channels=(8, 8, 16, 16),
        layers_per_block=1,
        norm_num_groups=4,
        latent_channels=4,
        sample_size=WORKING,
    ).eval()
    for module in (unet, vae):
        quantise_(module)
    # diffusers zero-initialises the motion modules' output projections (a fresh adapter changes nothing):
    # give them weights, so the fixture exercises the temporal layers too.
    generator = torch.Generator().manual_seed(5)
    for name, p in unet.named_parameters():
        if "motion_modules" in name and "proj_out" in name and float(p.abs().max()) == 0:
            p.copy_(torch.round(torch.randn(p.shape, generator=generator) * 8) / 64)
    text = tiny_clip()
    # The pose ControlNet as diffusers makes one for a UNet (the 2D UNet's encoder half and its copy of
    # conv_in, a small conditioning embedding: 64 px -> 8 latent cells). Its zero convolutions start at
    # zero (a fresh ControlNet changes nothing): they get weights too, as training gives them.
    torch.manual_seed(41)
    controlnet = ControlNetModel.from_unet(unet2d, conditioning_embedding_out_channels=(8, 16, 16, 32)).eval()
    quantise_(controlnet)
    zero_convs = [*controlnet.controlnet_down_blocks, controlnet.controlnet_mid_block,
                  controlnet.controlnet_cond_embedding.conv_out]
    for p in (p for conv in zero_convs for p in conv.parameters()):
        p.copy_(torch.round(torch.randn(p.shape, generator=generator) * 8) / 64)
    return unet, vae, text, controlnet


def first_frame_scheduler():
    from diffusers import DDIMScheduler
    from stir_export.video import PAPER_SCHEDULER

    return DDIMScheduler(**PAPER_SCHEDULER)


def pia_scheduler():
    from diffusers import DDIMScheduler
    from stir_export.video import PIA_SCHEDULER

    return DDIMScheduler(**PIA_SCHEDULER)


def pia_mask_coefficients(num_frames, motion_scale):
    """PIA's own prepare_mask_coef_by_statistics and RANGE_LIST, read from diffusers' pipeline_pia.py and
    run as they are (importing that module needs transformers)."""
    import diffusers

    source_path = os.path.join(os.path.dirname(diffusers.__file__), "pipelines", "pia", "pipeline_pia.py")
    with open(source_path) as f:
        tree = ast.parse(f.read())
    wanted = [
        node
        for node in tree.body
        if (isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "RANGE_LIST" for t in node.targets))
        or (isinstance(node, ast.FunctionDef) and node.name == "prepare_mask_coef_by_statistics")
    ]
    namespace = {}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), source_path, "exec"), namespace)
    return namespace["prepare_mask_coef_by_statistics"](num_frames, 0, motion_scale)


def working_photo():
    """chelsea.png's centre square at 64 x 64 (Pillow's bilinear), the photo both sides animate."""
    image = Image.open(os.path.join(ROOT, "examples", "photos", "chelsea.png")).convert("RGB")
    side = min(image.size)
    left = (image.size[0] - side) // 2
    return image.crop((left, 0, left + side, side)).resize((WORKING, WORKING), Image.BILINEAR)


def region_mask():
    """The first-frame layout's region: a rectangle, 1 inside, at the photo's size."""
    mask = np.zeros((WORKING, WORKING), dtype=np.uint8)
    mask[12:44, 20:56] = 255
    return mask


def reference_run(unet, vae, text, layout, image_u8, mask_u8, noise, coefficients, controlnet=None, drawings=None):
    """The denoising PIAPipeline.__call__ does (and the paper's layout in its place), from diffusers' parts:
    encode the photo, build the 9 input channels, guidance in one batch of 2, DDIM with eta 0. With a
    ControlNet and pose drawings [F, 3, H, W], each step first runs the ControlNet on the frames as a batch
    of images and adds its residuals in the UNet, as diffusers' AnimateDiffControlNetPipeline does
    (diffusers 0.28 and later; 0.27.2's UNetMotionModel already takes the residuals): the latent input
    frames-first [2F, 4, h, w], each prompt embedding repeated per frame, the drawings in both halves."""
    scheduler = pia_scheduler() if layout == "pia" else first_frame_scheduler()
    scheduler.set_timesteps(STEPS)
    image = torch.from_numpy(image_u8).permute(2, 0, 1)[None].float() / 127.5 - 1
    sf = vae.config.scaling_factor
    image_latent = vae.encode(image).latent_dist.mode() * sf  # the mean (Stir's contract), not a sample
    _, _, h, w = image_latent.shape
    mask = torch.zeros(1, 1, FRAMES, h, w)
    masked_image = torch.zeros(1, 4, FRAMES, h, w)
    if layout == "pia":
        for f in range(FRAMES):
            mask[:, :, f] = coefficients[f]
            masked_image[:, :, f] = image_latent
    else:
        # Nearest sampling of the region mask to the latent size, the same on every frame; the image
        # latent on frame 0 only.
        small = torch.nn.functional.interpolate(
            torch.from_numpy(mask_u8 / 255.0)[None, None].float(), size=(h, w), mode="nearest"
        )
        for f in range(FRAMES):
            mask[:, :, f] = small[0]
        masked_image[:, :, 0] = image_latent
    prompt_embeds = torch.cat([clip_hidden_states(text, clip_ids(NEGATIVE)), clip_hidden_states(text, clip_ids(PROMPT))])
    latents = noise.clone()
    timesteps = []
    for t in scheduler.timesteps:
        model_input = torch.cat([torch.cat([latents] * 2), torch.cat([mask] * 2), torch.cat([masked_image] * 2)], dim=1)
        residuals = {}
        if controlnet is not None:
            frames_first = torch.cat([latents] * 2).transpose(1, 2).reshape(2 * FRAMES, 4, h, w)
            down, mid = controlnet(
                frames_first,
                t,
                encoder_hidden_states=prompt_embeds.repeat_interleave(FRAMES, dim=0),
                controlnet_cond=torch.cat([drawings] * 2),
                conditioning_scale=CONDITIONING_SCALE,
                return_dict=False,
            )
            residuals = {"down_block_additional_residuals": down, "mid_block_additional_residual": mid}
        prediction = unet(model_input, t, encoder_hidden_states=prompt_embeds, **residuals).sample
        uncond, cond = prediction.chunk(2)
        guided = uncond + GUIDANCE * (cond - uncond)
        latents = scheduler.step(guided, t, latents, eta=0.0).prev_sample
        timesteps.append(int(t))
    frames = []
    for f in range(FRAMES):
        decoded = vae.decode(latents[:, :, f] / sf).sample
        frames.append(((decoded / 2 + 0.5).clamp(0, 1) * 255).round().to(torch.uint8)[0].permute(1, 2, 0).numpy())
    return latents, np.stack(frames), timesteps


def stir_pose_drawings():
    """Stir's own skeleton drawings [F, 3, H, W] of pose.json (scripts/reference/pose-drawing.ts, run here
    with the repository's tsx), so both sides condition on the same pixels."""
    subprocess.run(["npx", "tsx", os.path.join("scripts", "reference", "pose-drawing.ts")], cwd=ROOT, check=True)
    with gzip.open(data_path("video-pose.drawing.f32.gz")) as f:
        drawings = np.frombuffer(f.read(), dtype="<f4")
    return torch.from_numpy(drawings.copy()).reshape(FRAMES, 3, WORKING, WORKING)


TEXT_CASES = [PROMPT, "", "中文 字符", "A cat's  whiskers twitch!!"]


def text_encoder_fixture(clip):
    """The tiny CLIP's last hidden states [77, hidden] for a few reference-tokenizer cases, among them one
    longer than 77 tokens (cut as SD 1.5's pipelines cut it)."""
    long_case = next(c["text"] for c in clip_cases() if len(c["ids"]) > 77)
    cases = []
    for i, text in enumerate(TEXT_CASES + [long_case]):
        states = clip_hidden_states(clip, clip_ids(text))[0]
        save_f32(data_path(f"clip.case-{i}.f32"), states.numpy())
        cases.append({"text": text, "hiddenStates": f"clip.case-{i}.f32", "spread": round(float(states.std()), 4)})
    write_json("text-encoder.json", {"pack": "video-pia", "maxLength": 77, "hiddenSize": TEXT_HIDDEN, "cases": cases})


def video_fixture():
    from stir_export.video import export_video_pack

    unet, vae, text, controlnet = tiny_video_models()
    tokenizer_dir = os.path.join(ROOT, "tests", "fixtures", "clip")
    photo_image = working_photo()
    photo_path = data_path("video.photo.png")
    photo_image.save(photo_path, optimize=True)
    image_u8 = np.array(Image.open(photo_path).convert("RGB"))
    mask_u8 = region_mask()
    Image.fromarray(mask_u8).save(data_path("video.region.png"), optimize=True)
    generator = torch.Generator().manual_seed(1234)
    noise = torch.randn(1, 4, FRAMES, WORKING // 8, WORKING // 8, generator=generator)
    save_f32(data_path("video.noise.f32"), noise.numpy())

    strength = 2.0  # pixels per frame: PIA's "small motion" preset (Stir: up to smallUpTo = 3)
    coefficients = pia_mask_coefficients(FRAMES, 0)
    runs = []
    for layout in ("pia", "first-frame"):
        pack_dir = os.path.join(WORK, f"video-{layout}")
        shutil.rmtree(pack_dir, ignore_errors=True)
        export_video_pack(
            pack_dir,
            {
                "id": f"reference-video-{layout}",
                "name": f"Tiny random motion UNet ({layout} layout) and pose ControlNet",
                "version": "1.0.0",
                "description": "A reference fixture: diffusers' architectures with random weights (scripts/reference).",
                "license": "the weights are random; diffusers is Apache-2.0",
                "sources": ["huggingface/diffusers v0.27.2", "openai/CLIP"],
            },
            layout=layout,
            text_encoder=text,
            # Both packs carry the pose ControlNet (they then share one UNet graph); runs without a pose
            # give the UNet zero residuals, which leaves diffusers' UNet output as it is.
            controlnet=controlnet,
            tokenizer_dir=tokenizer_dir,
            vae=vae,
            unet=unet,
            frames=FRAMES,
            precision=Precision("fp32"),
            device="cpu",
            latent=(WORKING // 8, WORKING // 8),
            defaults={
                "steps": STEPS,
                "guidance": GUIDANCE,
                "workingLongSide": WORKING,
                "fps": 8,
                "regionDilation": 0,
                "regionFeather": 0,
            },
        )
        store_pack(pack_dir, f"video-{layout}")
        latents, frames, timesteps = reference_run(
            unet, vae, text, layout, image_u8, mask_u8, noise, coefficients
        )
        save_f32(data_path(f"video-{layout}.latents.f32"), latents.numpy())
        np.ascontiguousarray(frames).tofile(data_path(f"video-{layout}.frames.u8"))
        runs.append(
            {
                "pack": f"video-{layout}",
                "layout": layout,
                "latents": f"video-{layout}.latents.f32",
                "frames": f"video-{layout}.frames.u8",
                "timesteps": timesteps,
                "latentSpread": round(float(latents.std()), 4),
            }
        )
        print(f"video-{layout}: timesteps {timesteps}, latent std {float(latents.std()):.3f}")
    # The pose run: PIA's pack, the ControlNet fed Stir's own drawings of tests/fixtures/reference/pose.json.
    drawings = stir_pose_drawings()
    latents, frames, timesteps = reference_run(
        unet, vae, text, "pia", image_u8, mask_u8, noise, coefficients, controlnet, drawings
    )
    save_f32(data_path("video-pia-pose.latents.f32"), latents.numpy())
    np.ascontiguousarray(frames).tofile(data_path("video-pia-pose.frames.u8"))
    pose_run = {
        "pack": "video-pia",
        "layout": "pia",
        "drawings": "video-pose.drawing.f32.gz",
        "latents": "video-pia-pose.latents.f32",
        "frames": "video-pia-pose.frames.u8",
        "timesteps": timesteps,
        "latentSpread": round(float(latents.std()), 4),
        # How far the pose moves the result: the same run without the ControlNet, final latents.
        "latentChangeFromPose": round(float((latents - torch.from_numpy(np.fromfile(
            data_path("video-pia.latents.f32"), dtype="<f4")).reshape(latents.shape)).abs().max()), 4),
    }
    print(f"video-pia-pose: latent std {pose_run['latentSpread']}, max change from the pose {pose_run['latentChangeFromPose']}")
    text_encoder_fixture(text)
    write_json(
        "video.json",
        {
            "photo": "video.photo.png",
            "region": "video.region.png",
            "noise": "video.noise.f32",
            "frames": FRAMES,
            "steps": STEPS,
            "guidance": GUIDANCE,
            "prompt": PROMPT,
            "negativePrompt": NEGATIVE,
            "strength": strength,
            "loop": "once",
            "piaCoefficients": coefficients,
            "runs": runs,
            "poseRun": pose_run,
        },
    )


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
    if "video" in which:
        video_fixture()
    # Blobs no pack names any more (an earlier export) go.
    used = set()
    for name in os.listdir(os.path.join(OUT, "packs")):
        with open(os.path.join(OUT, "packs", name)) as f:
            used.update(entry["sha256"] for entry in json.load(f)["files"])
    for name in os.listdir(os.path.join(OUT, "blobs")):
        if name.endswith(".gz") and name[:-3] not in used:
            os.remove(os.path.join(OUT, "blobs", name))
