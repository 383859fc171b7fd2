"""The video model as a Stir diffusion pack: CLIP text encoder, VAE encoder and decoder, the 9-channel motion
UNet (PIA's layout, or the paper's first-frame + region-mask layout), and optionally an OpenPose ControlNet
whose 12 down-block and 1 mid-block residuals the UNet takes as extra inputs. The graphs' inputs and outputs
are the ones docs/model-packs.md lists; the modules come from diffusers (and transformers or openai/CLIP for
the text encoder)."""

import os
import shutil

import torch

from .pack import export_onnx, file_entries, write_manifest


def down_residual_names(count):
    return [f"down_block_res_{i}" for i in range(count)]


MID_RESIDUAL = "mid_block_res"

# PIA's inference config (open-mmlab/PIA, configs/inference): DDIM, linear betas, epsilon prediction.
PIA_SCHEDULER = {
    "num_train_timesteps": 1000,
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "beta_schedule": "linear",
    "prediction_type": "epsilon",
    "steps_offset": 1,
    "clip_sample": False,
    "set_alpha_to_one": False,
    "timestep_spacing": "leading",
}

# The paper's inference config (MODEL-PACKS.md, "Scheduler of the paper's model").
PAPER_SCHEDULER = {
    "num_train_timesteps": 1000,
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "beta_schedule": "linear",
    "prediction_type": "v_prediction",
    "rescale_betas_zero_snr": True,
    "steps_offset": 1,
    "clip_sample": False,
    "set_alpha_to_one": True,
    "timestep_spacing": "leading",
}

LAYOUTS = {
    "pia": {"conditioning": "all-frames+frame-coefficients", "scheduler": PIA_SCHEDULER},
    "first-frame": {"conditioning": "first-frame+region-mask", "scheduler": PAPER_SCHEDULER},
}


class TextEncoder(torch.nn.Module):
    """input_ids [B, 77] int64 -> last_hidden_state [B, 77, hidden]: the token states after the final layer
    norm, before any pooling or projection (what SD 1.5 conditions on). `model` is transformers'
    CLIPTextModel, or openai/CLIP's CLIP (the original implementation; the same ViT-L/14 weights), whose
    encode_text pools at the end-of-text token and projects: its ln_final output is taken instead."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids):
        if hasattr(self.model, "encode_text") and hasattr(self.model, "ln_final"):
            return self._openai_clip_hidden_states(input_ids)
        out = self.model(input_ids)
        if hasattr(out, "last_hidden_state"):
            return out.last_hidden_state
        return out[0] if isinstance(out, (tuple, list)) else out

    def _openai_clip_hidden_states(self, input_ids):
        # encode_text runs as it is; a hook keeps ln_final's output (the pooling and projection after it
        # are not part of the traced outputs, so the exported graph drops them).
        kept = []
        hook = self.model.ln_final.register_forward_hook(lambda _module, _inputs, output: kept.append(output))
        try:
            self.model.encode_text(input_ids)
        finally:
            hook.remove()
        return kept[0]


class VaeEncoder(torch.nn.Module):
    """sample [1, 3, H, W] in [-1, 1] -> the latent distribution's mean [1, 4, H/8, W/8] (not yet scaled)."""

    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, sample):
        return self.vae.encode(sample).latent_dist.mean


class VaeDecoder(torch.nn.Module):
    """latent_sample [1, 4, h, w] (already divided by the scaling factor) -> sample [1, 3, 8h, 8w] in [-1, 1]."""

    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latent_sample):
        return self.vae.decode(latent_sample).sample


class MotionUnet(torch.nn.Module):
    """sample [B, 9, F, h, w], timestep [B], encoder_hidden_states [B, 77, hidden] (one per video), and the
    ControlNet residuals when there are any -> the prediction [B, 4, F, h, w]."""

    def __init__(self, unet, residuals):
        super().__init__()
        self.unet = unet
        self.residuals = residuals

    def forward(self, sample, timestep, encoder_hidden_states, *residuals):
        extra = {}
        if self.residuals:
            extra = {
                "down_block_additional_residuals": tuple(residuals[:-1]),
                "mid_block_additional_residual": residuals[-1],
            }
        return self.unet(sample, timestep, encoder_hidden_states, return_dict=False, **extra)[0]


class PoseControlNet(torch.nn.Module):
    """sample [B*F, 4, h, w], timestep [B*F], encoder_hidden_states [B*F, 77, hidden], controlnet_cond
    [B*F, 3, H, W] in 0-1, conditioning_scale (a scalar) -> 12 down-block residuals, 1 mid-block residual."""

    def __init__(self, controlnet):
        super().__init__()
        self.controlnet = controlnet

    def forward(self, sample, timestep, encoder_hidden_states, controlnet_cond, conditioning_scale):
        down, mid = self.controlnet(
            sample,
            timestep,
            encoder_hidden_states,
            controlnet_cond,
            conditioning_scale=conditioning_scale,
            return_dict=False,
        )
        return (*down, mid)


def export_video_pack(
    out_dir,
    pack,
    *,
    layout,
    text_encoder,
    tokenizer_dir,
    vae,
    unet,
    frames,
    controlnet=None,
    precision,
    device=None,
    latent=(64, 64),
    batch=2,
    defaults=None,
):
    """Writes a diffusion pack into `out_dir`.

    layout: "pia" or "first-frame" (LAYOUTS). text_encoder: a CLIP text model (transformers' CLIPTextModel)
    or any module taking input_ids; tokenizer_dir: the folder holding CLIP's vocab.json and merges.txt.
    vae: diffusers' AutoencoderKL. unet: diffusers' UNetMotionModel with 9 input channels. controlnet:
    diffusers' ControlNetModel (OpenPose) or None. pack: id, name, version, description, license, sources.
    latent: the latent size (height, width) the VAE, UNet and ControlNet are exported at, and batch: the
    UNet's batch (2: a prompt and the negative prompt for guidance). Both are fixed in the graphs: tracing
    diffusers' motion UNet bakes the batch into its reshapes (repeat_interleave over frames), so a graph
    declared dynamic would fail at another size. Stir reads the fixed sizes from the graph: it renders at
    that working size and runs the UNet in batches of that many items.
    """
    if layout not in LAYOUTS:
        raise SystemExit(f'--layout must be one of {", ".join(LAYOUTS)}, not "{layout}"')
    if unet.config.in_channels != 9:
        raise SystemExit(f"the UNet takes {unet.config.in_channels} input channels; a Stir pack's UNet takes 9")
    device = precision.device(device)
    dtype = precision.dtype
    h, w = latent
    hidden = unet.config.cross_attention_dim
    max_length = 77
    files = []

    def path(*parts):
        return os.path.join(out_dir, *parts)

    text = TextEncoder(text_encoder.to(device, dtype))
    ids = torch.zeros(1, max_length, dtype=torch.int64, device=device)
    files += export_onnx(text, (ids,), path("text_encoder", "model.onnx"), ["input_ids"], ["last_hidden_state"],
                         {"input_ids": {0: "batch"}, "last_hidden_state": {0: "batch"}})
    os.makedirs(path("tokenizer"), exist_ok=True)
    for name in ("vocab.json", "merges.txt"):
        shutil.copyfile(os.path.join(tokenizer_dir, name), path("tokenizer", name))
        files.append(path("tokenizer", name))

    vae = vae.to(device, dtype)
    image = torch.zeros(1, 3, 8 * h, 8 * w, device=device, dtype=dtype)
    files += export_onnx(VaeEncoder(vae), (image,), path("vae_encoder", "model.onnx"), ["sample"], ["latent_sample"],
                         None)
    latent_example = torch.zeros(1, 4, h, w, device=device, dtype=dtype)
    files += export_onnx(VaeDecoder(vae), (latent_example,), path("vae_decoder", "model.onnx"), ["latent_sample"],
                         ["sample"], None)

    residual_args = ()
    residual_names = []
    if controlnet is not None:
        controlnet = PoseControlNet(controlnet.to(device, dtype))
        per_frame = {
            "sample": torch.zeros(batch * frames, 4, h, w, device=device, dtype=dtype),
            "timestep": torch.full((batch * frames,), 999, dtype=torch.int64, device=device),
            "encoder_hidden_states": torch.zeros(batch * frames, max_length, hidden, device=device, dtype=dtype),
            "controlnet_cond": torch.zeros(batch * frames, 3, 8 * h, 8 * w, device=device, dtype=dtype),
            "conditioning_scale": torch.tensor(1.0, device=device, dtype=dtype),
        }
        with torch.no_grad():
            residual_args = tuple(controlnet(*per_frame.values()))
        # SD 1.5's ControlNet gives 12 down-block residuals; a smaller UNet (fewer blocks or layers) fewer.
        residual_names = down_residual_names(len(residual_args) - 1) + [MID_RESIDUAL]
        files += export_onnx(controlnet, tuple(per_frame.values()), path("controlnet", "model.onnx"),
                             list(per_frame.keys()), residual_names, None)

    unet_module = MotionUnet(unet.to(device, dtype), residuals=bool(residual_names))
    sample = torch.zeros(batch, 9, frames, h, w, device=device, dtype=dtype)
    timestep = torch.full((batch,), 999, dtype=torch.int64, device=device)
    text_states = torch.zeros(batch, max_length, hidden, device=device, dtype=dtype)
    files += export_onnx(unet_module, (sample, timestep, text_states, *residual_args), path("unet", "model.onnx"),
                         ["sample", "timestep", "encoder_hidden_states", *residual_names], ["out_sample"], None)

    unet_component = {
        "model": "unet/model.onnx",
        "frames": frames,
        "conditioning": LAYOUTS[layout]["conditioning"],
        "text": "per-video",
        "inputs": {"motionStrength": False, "fps": False},
    }
    components = {
        "textEncoder": {
            "model": "text_encoder/model.onnx",
            "tokenizer": {"vocab": "tokenizer/vocab.json", "merges": "tokenizer/merges.txt"},
            "maxLength": max_length,
            "hiddenSize": hidden,
        },
        "vae": {
            "encoder": "vae_encoder/model.onnx",
            "decoder": "vae_decoder/model.onnx",
            "scalingFactor": float(vae.config.scaling_factor),
            "encoderOutput": "mean",
        },
        "unet": unet_component,
    }
    capabilities = ["diffusion"]
    if residual_names:
        unet_component["controlResiduals"] = {"down": residual_names[:-1], "mid": MID_RESIDUAL}
        components["controlnet"] = {"kind": "openpose", "model": "controlnet/model.onnx", "conditioningScale": 1.0}
        capabilities.append("pose")
    manifest = dict(pack)
    manifest.update(
        {
            "capabilities": capabilities,
            "files": file_entries(out_dir, files),
            "components": components,
            "scheduler": {"type": "ddim", "config": dict(LAYOUTS[layout]["scheduler"]), "eta": 0},
            "defaults": defaults or {"steps": 25, "guidance": 7.5, "fps": 8, "anchorFirstFrame": False},
        }
    )
    return write_manifest(out_dir, manifest)
