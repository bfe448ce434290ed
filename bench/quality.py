"""Answer quality on the held-out NLU test set, for our pipeline and two reference points.

- ours: models/assistant.tar.gz (config.yml), loaded in-process with Agent.load.
- rasa_default: Rasa's default suggested config (`rasa init`: no pipeline/policies given),
  trained with `rasa train nlu` on data/nlu in the same run.
- tfidf_1nn: TF-IDF (word 1-2 grams) cosine nearest neighbour over our training examples
  (entity annotations stripped by Rasa's own loader).

Intents are scored like `rasa test nlu` (bot/nlu_report.py): a FallbackClassifier prediction is
undone so the classifier's own top intent is scored, and macro F1 is sklearn's classification_report
macro average over the labels seen in targets and predictions.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"
NLU_DATA = PROJECT_ROOT / "data" / "nlu"

DEFAULT_CONFIG = """\
# Rasa's default suggested configuration (what `rasa init` trains): no pipeline or policies given.
recipe: default.v1
language: en
assistant_id: bench-rasa-default
pipeline:
policies:
"""


def rasa_env(cache_dir: Path) -> dict:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env["RASA_TELEMETRY_ENABLED"] = "false"
    # Keep Rasa's training cache out of the project's .rasa/ (and start it empty: honest timings).
    env["RASA_CACHE_DIRECTORY"] = str(cache_dir)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    return env


def _run_timed(command: List[str], log: Path, env: dict) -> float:
    started = time.monotonic()
    with open(log, "w") as out:
        result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:5])} failed (exit {result.returncode}); see {log}")
    return seconds


def time_full_training(work: Path, logs: Path) -> Tuple[float, Path]:
    """A full `rasa train` (NLU + core) of our config into a temp dir; models/ is not touched."""
    out = work / "full"
    out.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "rasa",
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        "data",
        "--out",
        str(out),
        "--fixed-model-name",
        "bench_full",
        "--force",
    ]
    seconds = _run_timed(command, logs / "train_full.log", rasa_env(work / "cache_full"))
    return seconds, out / "bench_full.tar.gz"


def default_fingerprint() -> str:
    """What the default-pipeline reference model depends on: data/nlu, the default config, Rasa's version."""
    import rasa

    digest = hashlib.sha256(DEFAULT_CONFIG.encode() + rasa.__version__.encode())
    for path in sorted(p for p in NLU_DATA.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def train_default_nlu(work: Path, logs: Path) -> Tuple[float, Path]:
    """`rasa train nlu` with Rasa's default suggested config on data/nlu."""
    out = work / "default"
    out.mkdir(parents=True, exist_ok=True)
    config = out / "config.yml"
    config.write_text(DEFAULT_CONFIG)
    command = [
        sys.executable,
        "-m",
        "rasa",
        "train",
        "nlu",
        "--config",
        str(config),
        "--nlu",
        str(NLU_DATA),
        "--out",
        str(out),
        "--fixed-model-name",
        "rasa_default_nlu",
    ]
    seconds = _run_timed(command, logs / "train_default_nlu.log", rasa_env(work / "cache_default"))
    return seconds, out / "rasa_default_nlu.tar.gz"


# ------------------------------------------------------------------ scoring


def load_examples(path: Path) -> List[Tuple[str, str]]:
    """(plain text, intent) pairs; Rasa's loader strips [entity](annotations)."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def scores(targets: Sequence[str], predictions: Sequence[str]) -> Dict:
    from sklearn.metrics import accuracy_score, classification_report

    report = classification_report(targets, predictions, output_dict=True, zero_division=0)
    weak = sorted(
        (name, round(v["f1-score"], 3))
        for name, v in report.items()
        if isinstance(v, dict)
        and name not in ("macro avg", "weighted avg", "micro avg")
        and v["f1-score"] < 0.9
    )
    errors = [{"target": t, "predicted": p} for t, p in zip(targets, predictions) if t != p]
    return {
        "examples": len(targets),
        "intent_accuracy": round(accuracy_score(targets, predictions), 4),
        "macro_f1": round(report["macro avg"]["f1-score"], 4),
        "weak_intents_f1_below_0.9": weak,
        "errors": len(errors),
    }


def top_intent(parse: Dict) -> str:
    """The classifier's intent, undoing a FallbackClassifier prediction like `rasa test nlu` does."""
    intent = (parse.get("intent") or {}).get("name")
    if intent == "nlu_fallback":
        for ranked in parse.get("intent_ranking") or []:
            if ranked.get("name") != "nlu_fallback":
                return ranked["name"]
    return intent


def tfidf_nearest_neighbour(train: List[Tuple[str, str]], test: List[Tuple[str, str]]) -> Dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.neighbors import NearestNeighbors

    vectorizer = TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True)
    matrix = vectorizer.fit_transform([text for text, _ in train])
    index = NearestNeighbors(n_neighbors=1, metric="cosine").fit(matrix)
    started = time.perf_counter()
    _, nearest = index.kneighbors(vectorizer.transform([text for text, _ in test]))
    seconds = time.perf_counter() - started
    predictions = [train[i][1] for i in nearest[:, 0]]
    result = scores([intent for _, intent in test], predictions)
    result["method"] = "TfidfVectorizer(word 1-2 grams, sublinear tf) + cosine 1-nearest-neighbour"
    result["training_examples"] = len(train)
    result["parse_ms_per_message"] = round(1000 * seconds / len(test), 3)
    return result
