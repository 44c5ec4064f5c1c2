"""`round(x, digits)` over a numpy array without a Python call per value.

Why: the batch classifiers (sentiment scores to 4 digits, PQRS scores to 3) must give exactly
the floats the per-text paths give with `round`, at array speed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def round_many(a: np.ndarray, digits: int) -> list[float]:
    """`[round(x, digits) for x in a]`, as Python floats.

    round(x, d) is the double nearest to the integer nearest to x * 10**d (exactly), over
    10**d. rint of the computed product gives that integer unless the product lies within its
    rounding error of a half (those few, and non-finite values, go to round()), and dividing
    by 10**d rounds correctly.
    """
    import numpy as np

    scale = 10.0**digits
    scaled = a * scale
    out = (np.rint(scaled) / scale).tolist()
    with np.errstate(invalid="ignore"):  # inf - inf: sent to round() below
        near_half = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6
    for i in np.flatnonzero(near_half | ~np.isfinite(scaled)).tolist():
        out[i] = round(float(a[i]), digits)
    return out
