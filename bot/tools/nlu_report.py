"""Evaluate the NLU model on the held-out test set (tests/nlu/) and fail below the agreed targets."""

from __future__ import annotations

import json
import subprocess
import sys

from bot.settings import PROJECT_ROOT
from bot.tools.training import MODEL_PATH

TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"
OUT = PROJECT_ROOT / "build" / "results" / "nlu"
MIN_ACCURACY = 0.95
MIN_MACRO_F1 = 0.93
MIN_CRISIS_F1 = 0.98  # each crisis intent on its own: a missed crisis must not hide in an average


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    log = OUT / "rasa-test-nlu.log"
    with open(log, "w") as output:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "rasa",
                "test",
                "nlu",
                "--model",
                str(MODEL_PATH),
                "--nlu",
                str(TEST_SET),
                "--out",
                str(OUT),
                "--no-plot",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=PROJECT_ROOT,
        )
    if result.returncode != 0:
        print(log.read_text()[-3000:], file=sys.stderr)
        return result.returncode
    report = json.loads((OUT / "intent_report.json").read_text())
    accuracy = report["accuracy"]
    macro_f1 = report["macro avg"]["f1-score"]
    weak = sorted(
        (name, scores["f1-score"])
        for name, scores in report.items()
        if isinstance(scores, dict)
        and "f1-score" in scores
        and name not in ("macro avg", "weighted avg", "micro avg")
        and scores["f1-score"] < 0.9
    )
    print(f"Held-out NLU test set ({TEST_SET}): intent accuracy {accuracy:.3f}, macro F1 {macro_f1:.3f}")
    for name, f1 in weak:
        print(f"  weaker intent: {name} F1 {f1:.2f}")
    errors = OUT / "intent_errors.json"
    if errors.exists():
        print(f"  misclassified examples: {errors}")
    crisis = {
        name: scores["f1-score"]
        for name, scores in report.items()
        if name.startswith("crisis_") and isinstance(scores, dict)
    }
    for name, f1 in sorted(crisis.items()):
        print(f"  {name}: F1 {f1:.3f} (floor {MIN_CRISIS_F1})")
    failed = (
        accuracy < MIN_ACCURACY
        or macro_f1 < MIN_MACRO_F1
        or any(f1 < MIN_CRISIS_F1 for f1 in crisis.values())
    )
    if failed:
        print(
            f"Below target (accuracy >= {MIN_ACCURACY}, macro F1 >= {MIN_MACRO_F1}, each crisis intent F1 >= {MIN_CRISIS_F1}).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
