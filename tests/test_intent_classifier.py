"""The intent classifier's speed-up changes nothing it predicts."""

import numpy as np
import pytest
from scipy.sparse import random as sparse_random
from sklearn.linear_model import LogisticRegression

from bot.rasa_ext.nlu.intent_classifier import _column_major

pytestmark = pytest.mark.unit


def test_column_major_coefficients_give_the_same_probabilities() -> None:
    rows = sparse_random(120, 3000, density=0.01, format="csr", random_state=3)
    labels = np.arange(120) % 6
    model = LogisticRegression(max_iter=200).fit(rows, labels)
    before = model.predict_proba(rows)
    fast = _column_major(model)
    assert fast.coef_.flags.f_contiguous
    assert np.array_equal(fast.predict_proba(rows), before)
    assert list(fast.predict(rows)) == list(LogisticRegression(max_iter=200).fit(rows, labels).predict(rows))
