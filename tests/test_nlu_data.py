"""The held-out NLU test set measures generalisation only if none of it is also training data."""
import re
from collections import Counter
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

ROOT = Path(__file__).resolve().parents[1]
TRAINING = load_data(str(ROOT / "data" / "nlu")).intent_examples
HELD_OUT = load_data(str(ROOT / "tests" / "nlu" / "test_nlu.yml")).intent_examples


def normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def test_no_held_out_example_is_also_a_training_example():
    training = {normalised(m.get("text")) for m in TRAINING}
    assert [m.get("text") for m in HELD_OUT if normalised(m.get("text")) in training] == []


def test_every_intent_has_ten_held_out_examples():
    counts = Counter(m.get("intent") for m in HELD_OUT)
    assert set(counts) == {m.get("intent") for m in TRAINING}
    assert set(counts.values()) == {10}
