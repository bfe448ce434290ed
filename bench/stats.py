"""Percentiles in milliseconds."""

from __future__ import annotations

import math
from typing import Dict, Sequence


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summary(seconds: Sequence[float]) -> Dict:
    values = sorted(seconds)
    if not values:
        return {"n": 0}
    ms = lambda v: round(1000 * v, 1)  # noqa: E731
    return {
        "n": len(values),
        "p50": ms(percentile(values, 50)),
        "p95": ms(percentile(values, 95)),
        "p99": ms(percentile(values, 99)),
        "mean": ms(sum(values) / len(values)),
        "max": ms(values[-1]),
    }
