"""Writing a pack folder: ONNX export of a torch module, large weights as one external-data file, and the
manifest with every file's size and sha256 (docs/model-packs.md describes the manifest)."""

import hashlib
import json
import os

import torch

# protobuf cannot hold a message over 2 GiB: a graph whose weights pass this is saved with external data.
PROTOBUF_LIMIT = 2 * 1024**3
OPSET = 17


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parameter_bytes(module):
    return sum(p.numel() * p.element_size() for p in module.parameters()) + sum(
        b.numel() * b.element_size() for b in module.buffers()
    )


def export_onnx(module, args, path, input_names, output_names, dynamic_axes, external_data=None):
    """Exports `module` called with `args` to `path` (opset 17, eval mode, no gradients).

    Weights over 2 GiB (or `external_data=True`) end in one file beside the graph, `<name>.data`; that needs
    the `onnx` package (pip install onnx). Returns the paths of the files written.
    """
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    module.eval()
    large = parameter_bytes(module) >= PROTOBUF_LIMIT - (64 << 20)
    with torch.no_grad():
        torch.onnx.export(
            module,
            args,
            path,
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=dynamic_axes,
            opset_version=OPSET,
            do_constant_folding=True,
        )
    if large or external_data:
        return _one_external_data_file(path)
    return [path]


def _one_external_data_file(path):
    """torch writes one external file per tensor for a large graph: gather them into `<path>.data`."""
    import onnx  # needed only for graphs with external data

    folder = os.path.dirname(path) or "."
    before = set(os.listdir(folder))
    model = onnx.load(path, load_external_data=True)
    stray = set()
    for tensor in model.graph.initializer:
        for entry in tensor.external_data:
            if entry.key == "location":
                stray.add(entry.value)
    location = os.path.basename(path) + ".data"
    onnx.save_model(
        model,
        path,
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=location,
        size_threshold=1024,
    )
    for name in stray:
        if name != location and name in before:
            os.remove(os.path.join(folder, name))
    return [path, os.path.join(folder, location)]


def file_entries(pack_dir, paths):
    """The manifest's `files`: pack-relative path, size and sha256 of each file, sorted by path."""
    entries = []
    for path in sorted(set(paths)):
        relative = os.path.relpath(path, pack_dir).replace(os.sep, "/")
        entries.append({"path": relative, "size": os.path.getsize(path), "sha256": sha256_of(path)})
    return entries


def write_manifest(pack_dir, manifest):
    """Writes stir-pack.json (format 1). `manifest` holds everything but format/formatVersion."""
    body = {"format": "stir-pack", "formatVersion": 1}
    body.update(manifest)
    with open(os.path.join(pack_dir, "stir-pack.json"), "w", encoding="utf-8") as f:
        json.dump(body, f, indent=2)
        f.write("\n")
    return os.path.join(pack_dir, "stir-pack.json")


class Precision:
    """fp32 runs anywhere; fp16 halves the files and is what GPUs want, and needs CUDA to export (torch's
    CPU kernels lack half precision for several layers the exporter traces through)."""

    def __init__(self, name):
        if name not in ("fp32", "fp16"):
            raise SystemExit(f'--precision must be fp32 or fp16, not "{name}"')
        self.name = name
        self.dtype = torch.float16 if name == "fp16" else torch.float32

    def device(self, requested=None):
        if requested:
            return torch.device(requested)
        if self.name == "fp16":
            if not torch.cuda.is_available():
                raise SystemExit("fp16 export needs a CUDA GPU (torch.cuda.is_available() is False); use --precision fp32")
            return torch.device("cuda")
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
