"""round_many against Python's round, value by value (the batch classifiers' scores)."""

from __future__ import annotations

import numpy as np

from pulso.classify.rounding import round_many


def test_four_digits_equal_round_value_by_value() -> None:
    """round(x, 4) exactly (repr, so the sign of zero too), also for values at or next to a
    half of the last digit: the sentiment batch's compound scores."""
    rng = np.random.default_rng(7)
    halves = (rng.integers(-10_000, 10_000, 20_000) + 0.5) / 1e4
    a = np.concatenate([
        rng.uniform(-1, 1, 50_000), halves, np.nextafter(halves, 2), np.nextafter(halves, -2),
        halves + rng.normal(0, 1e-12, len(halves)),
        np.array([0.0, -0.0, 1.0, -1.0, 5e-5, -5e-5, 1e-300, 0.99995, -0.99995, np.inf]),
    ])
    assert list(map(repr, round_many(a, 4))) == [repr(round(x, 4)) for x in a.tolist()]


def test_three_digits_equal_round_including_near_halves() -> None:
    """round(x, 3) exactly on probabilities and blended scores: the screener's scores."""
    rng = np.random.default_rng(11)
    halves = (np.arange(0, 2001) + 0.5) / 1000.0
    near = np.concatenate([np.nextafter(halves, -1.0), halves, np.nextafter(halves, 2.0)])
    values = np.concatenate([rng.random(50_000), rng.random(2000) ** 8, near,
                             np.arange(0, 1001) / 1000.0, [0.0, 1.0, 0.37, 0.0005, 0.9995]])
    got = round_many(values, 3)
    assert got == [round(v, 3) for v in values.tolist()]
    assert all(type(v) is float for v in got)
