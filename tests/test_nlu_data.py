"""The held-out NLU test set measures generalisation only if none of it is (nearly) training data."""

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from difflib import SequenceMatcher

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.settings import PROJECT_ROOT

TRAINING = load_data(str(PROJECT_ROOT / "data" / "nlu")).intent_examples
HELD_OUT = load_data(str(PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml")).intent_examples
OVERLAP = 0.9  # this similar or more counts as the same example (a contraction flipped, a word changed)


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", "", text.lower().replace("'", ""))).strip()


def near_duplicates(held_out, training, threshold=OVERLAP):
    """Pairs (held-out, training) whose similarity ratio is at least `threshold`. Only examples of
    similar length can be that similar, so each is compared with those alone."""
    pool = sorted(normalised(m.get("text")) for m in training)
    by_length = sorted(pool, key=len)
    lengths = [len(t) for t in by_length]
    found = []
    for message in held_out:
        text = normalised(message.get("text"))
        low, high = (
            int(len(text) * threshold / (2 - threshold)),
            int(len(text) * (2 - threshold) / threshold) + 1,
        )
        for other in by_length[bisect_left(lengths, low) : bisect_right(lengths, high)]:
            matcher = SequenceMatcher(None, text, other, autojunk=False)
            if (
                matcher.real_quick_ratio() >= threshold
                and matcher.quick_ratio() >= threshold
                and matcher.ratio() >= threshold
            ):
                found.append((message.get("text"), other))
                break
    return found


def test_the_overlap_check_catches_a_flipped_contraction():
    from rasa.shared.nlu.training_data.message import Message

    training = [Message(data={"text": "I don't know where my son has been taken"})]
    assert near_duplicates([Message(data={"text": "i do not know where my son has been taken"})], training)
    assert not near_duplicates([Message(data={"text": "how do I book a visit at HMP Dumfries"})], training)


@pytest.mark.slow
def test_no_held_out_example_is_nearly_a_training_example():
    assert near_duplicates(HELD_OUT, TRAINING) == []


def test_every_intent_has_ten_held_out_examples():
    counts = Counter(m.get("intent") for m in HELD_OUT)
    assert set(counts) == {m.get("intent") for m in TRAINING}
    assert set(counts.values()) == {10}
