"""Exporters that turn public checkpoints into Stir model packs (stir-pack.json + ONNX files).

Run by a person with Python, torch and internet; nothing here runs inside Stir. See the README's
"Getting models" and tools/export-pack/README.md.
"""
