"""The sentence encoder gives the vectors the classifiers were built on.

Needs build/minilm (`make setup`), so not a unit test. The reference vectors were made by the NumPy
forward pass used before ONNX Runtime (tests/fixtures/minilm_reference.json).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.settings import PROJECT_ROOT
from bot.understanding.sentence_encoder import SentenceEncoder

MODEL_DIR = PROJECT_ROOT / "build" / "minilm"
REFERENCE = json.loads((Path(__file__).parent / "fixtures" / "minilm_reference.json").read_text())


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder(MODEL_DIR)


def _reference() -> np.ndarray:
    return np.array(REFERENCE["vectors"], dtype=np.float32)


def test_the_graph_reproduces_the_reference_vectors(encoder: SentenceEncoder) -> None:
    assert np.abs(encoder.encode(REFERENCE["texts"]) - _reference()).max() < 1e-4


def test_vectors_have_unit_length_and_do_not_depend_on_batch_neighbours(encoder: SentenceEncoder) -> None:
    texts = REFERENCE["texts"]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([text]) for text in texts])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.abs(together - alone).max() < 1e-3  # padding in a batch changes nothing that matters


def test_messages_that_mean_the_same_are_nearest(encoder: SentenceEncoder) -> None:
    crisis, paraphrase, visits, visits_again = encoder.encode(
        [
            "i cant go on, i want to end it all",
            "I don't want to be alive anymore",
            "what time are visits at the prison",
            "when can I go and see my dad in the jail",
        ]
    )
    assert crisis @ paraphrase > crisis @ visits
    assert visits @ visits_again > visits @ paraphrase


def test_a_very_long_message_is_cut_to_the_models_length_not_refused(encoder: SentenceEncoder) -> None:
    vector = encoder.encode(["my brother is in prison and " * 200])
    assert vector.shape == (1, encoder.dimension) and np.isfinite(vector).all()


def test_a_missing_graph_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make setup"):
        SentenceEncoder(tmp_path)
