"""Choose an NLU configuration without looking at the held-out test set.

Splits data/nlu into a fixed, stratified 80/20 train/validation split (seeded), trains each given
config's NLU pipeline on the 80% with `rasa train nlu`, and scores intents on the 20% the same way
the benchmark does. The held-out tests/nlu set is never read here, so picking the best config on
these figures does not tune the model to it.

    PYTHONPATH=. .venv/bin/python -m bench.compare_configs config.yml other.yml ...

Prints one JSON line per config: validation intent accuracy, macro F1, errors, NLU training seconds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

from bench.inproc import evaluate_model
from bench.quality import NLU_DATA, PROJECT_ROOT, load_examples, rasa_env


def split_training_data(out_dir: Path, seed: int = 7) -> Path:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(NLU_DATA))
    train, validation = data.train_test_split(train_frac=0.8, random_seed=seed)
    train.persist_nlu(str(out_dir / "train.yml"))
    validation.persist_nlu(str(out_dir / "validation.yml"))
    return out_dir


def evaluate(config: Path, split: Path, work: Path) -> Dict:
    out = work / config.stem
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "nlu",
            "--config",
            str(config),
            "--nlu",
            str(split / "train.yml"),
            "--out",
            str(out),
            "--fixed-model-name",
            "nlu",
        ],
        cwd=PROJECT_ROOT,
        env=rasa_env(work / f"cache-{config.stem}"),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    training_s = time.monotonic() - started
    _, result = asyncio.run(evaluate_model(str(out / "nlu.tar.gz"), load_examples(split / "validation.yml")))
    result["nlu_training_s"] = round(training_s, 1)
    return result


def main(configs: List[str]) -> None:
    logging.basicConfig(level=logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="cj-configs-"))
    split = split_training_data(work)
    for name in configs:
        result = evaluate(Path(name).resolve(), split, work)
        print(json.dumps({"config": name, **result}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
