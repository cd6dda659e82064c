"""Random draws shared by the demo generators, each from the caller's seeded stream."""

from __future__ import annotations

import datetime
import math
import random


def round_figure(value: float, digits: int = 2) -> int:
    """Round to ``digits`` significant figures, as people state capacities (12,000 not 12,347)."""
    if value < 1:
        return 1
    magnitude = 10 ** max(math.floor(math.log10(value)) - digits + 1, 0)
    return max(round(value / magnitude) * magnitude, 1)


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))
