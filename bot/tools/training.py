"""Train the Rasa model only when what it learns from changed.

The fingerprint covers what the model is built from: training data (including the place lookup
tables generated from content/places.yml into data/nlu/places.yml), domain, config and the spaCy
pipeline. Answers, phone numbers and services in content/ are read by the action server at run
time, so editing them never retrains. ``python -m bot.tools.training`` trains if needed; ``--check``
only reports.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable, Optional

from bot.settings import PROJECT_ROOT, get_settings

MODEL_DIR = get_settings().model_dir
MODEL_NAME = "assistant"
MODEL_PATH = get_settings().model_path
FINGERPRINT_PATH = MODEL_DIR / f"{MODEL_NAME}.fingerprint"
TRAINING_RECORD_PATH = (
    MODEL_DIR / f"{MODEL_NAME}.training.json"
)  # how long the last training took (make bench)
# What the model is built from: the NLU components' code and the sentence model count too.
INPUTS = (
    "config.yml",
    "domain.yml",
    "data",
    "build/spacy_en/meta.json",
    "build/minilm/config.json",
    "bot/tools/sentence_model.py",
    "bot/tools/sentence_onnx.py",
    "bot/rasa_ext/nlu",
    "bot/understanding/sentence_encoder.py",
)


def _files(paths: Iterable[str]) -> Iterable[Path]:
    for name in paths:
        path = PROJECT_ROOT / name
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        elif path.exists():
            yield path


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in _files(INPUTS):
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_current(current: Optional[str] = None) -> bool:
    """Was models/assistant.tar.gz trained from these inputs? (current: their fingerprint, if known)"""
    return (
        MODEL_PATH.exists()
        and FINGERPRINT_PATH.exists()
        and FINGERPRINT_PATH.read_text().strip() == (current or fingerprint())
    )


def train() -> None:
    if is_current():
        print(f"Model {MODEL_PATH} is up to date: not retraining.")
        return
    print("Training data, domain or config changed: training the model ...", flush=True)
    MODEL_DIR.mkdir(exist_ok=True)
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "--fixed-model-name",
            MODEL_NAME,
            "--out",
            str(MODEL_DIR),
            "--force",
        ],
        check=True,
        cwd=PROJECT_ROOT,
    )
    seconds = time.monotonic() - started
    trained_from = fingerprint()
    FINGERPRINT_PATH.write_text(trained_from)
    TRAINING_RECORD_PATH.write_text(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "fingerprint": trained_from,
                "finished_at": datetime.datetime.now().isoformat(timespec="seconds"),
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
            }
        )
    )
    print(f"Trained in {seconds:.0f} s.")


def last_training() -> Optional[dict]:
    """The record of the training that produced the current model, if it is current."""
    try:
        record = json.loads(TRAINING_RECORD_PATH.read_text())
    except (OSError, ValueError):
        return None
    current = fingerprint()
    return record if is_current(current) and record.get("fingerprint") == current else None


if __name__ == "__main__":
    if "--check" in sys.argv:
        print("up to date" if is_current() else "out of date")
        sys.exit(0 if is_current() else 1)
    train()
