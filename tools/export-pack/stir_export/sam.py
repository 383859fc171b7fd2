"""Segment Anything (and MobileSAM, which shares its interface) as a Stir segmenter pack: the image encoder
alone (Stir resizes, normalises and pads the photo itself) and the prompt decoder in the official ONNX
decoder contract (segment_anything.utils.onnx.SamOnnxModel, as the official export script uses it)."""

import os

import torch

from .pack import export_onnx, file_entries, write_manifest

SAM_LICENSE = "Apache-2.0 (Segment Anything, Meta AI)"
MOBILE_SAM_LICENSE = "Apache-2.0 (MobileSAM; its decoder is Segment Anything's, Apache-2.0)"


class ImageEncoder(torch.nn.Module):
    """[1, 3, 1024, 1024] float32, already normalised and padded -> image_embeddings [1, 256, 64, 64] float32.
    In an fp16 export the weights are half precision and the graph casts at its input and output, so the
    contract's tensors stay float32."""

    def __init__(self, sam, dtype):
        super().__init__()
        self.encoder = sam.image_encoder.to(dtype)
        self.dtype = dtype

    def forward(self, image):
        return self.encoder(image.to(self.dtype)).float()


def decoder_inputs(sam):
    """Example inputs of the official decoder export (five points, a prior mask): shapes only matter."""
    embed_dim = sam.prompt_encoder.embed_dim
    embed_size = sam.prompt_encoder.image_embedding_size
    mask_input_size = [4 * x for x in embed_size]
    generator = torch.Generator().manual_seed(0)
    return {
        "image_embeddings": torch.randn(1, embed_dim, *embed_size, generator=generator),
        "point_coords": torch.randint(0, 1024, (1, 5, 2), generator=generator).float(),
        "point_labels": torch.randint(0, 4, (1, 5), generator=generator).float(),
        "mask_input": torch.randn(1, 1, *mask_input_size, generator=generator),
        "has_mask_input": torch.tensor([1.0]),
        "orig_im_size": torch.tensor([1500.0, 2250.0]),
    }


def export_sam_pack(sam, onnx_model_class, out_dir, pack, precision, device=None):
    """Writes a segmenter pack for `sam` (a segment_anything or mobile_sam Sam) into `out_dir`.

    onnx_model_class: SamOnnxModel of the same package (segment_anything.utils.onnx or mobile_sam.utils.onnx).
    pack: id, name, version, description, license, sources (the manifest's about-box fields).
    precision: stir_export.pack.Precision. The decoder (about 16 MB) stays float32 in both precisions.
    """
    device = precision.device(device)
    sam = sam.eval()
    files = []
    side = sam.image_encoder.img_size

    encoder = ImageEncoder(sam, precision.dtype).to(device)
    image = torch.zeros(1, 3, side, side, device=device)
    files += export_onnx(
        encoder,
        (image,),
        os.path.join(out_dir, "sam", "encoder.onnx"),
        input_names=["image"],
        output_names=["image_embeddings"],
        dynamic_axes=None,
    )

    sam = sam.float().to("cpu")
    decoder = onnx_model_class(model=sam, return_single_mask=True, use_stability_score=False, return_extra_metrics=False)
    inputs = decoder_inputs(sam)
    files += export_onnx(
        decoder,
        tuple(inputs.values()),
        os.path.join(out_dir, "sam", "decoder.onnx"),
        input_names=list(inputs.keys()),
        output_names=["masks", "iou_predictions", "low_res_masks"],
        dynamic_axes={"point_coords": {1: "num_points"}, "point_labels": {1: "num_points"}},
    )

    manifest = dict(pack)
    manifest.update(
        {
            "capabilities": ["segmenter"],
            "files": file_entries(out_dir, files),
            "components": {
                "segmenter": {
                    "contract": "sam",
                    "encoder": "sam/encoder.onnx",
                    "decoder": "sam/decoder.onnx",
                    "imageSize": side,
                    "pixelMean": [float(v) for v in sam.pixel_mean.flatten()],
                    "pixelStd": [float(v) for v in sam.pixel_std.flatten()],
                }
            },
        }
    )
    return write_manifest(out_dir, manifest)
