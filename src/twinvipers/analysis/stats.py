"""Small statistics helpers for shares of runs."""

from __future__ import annotations

import math


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for ``k`` successes in ``n`` runs.

    Uses scipy's ``binomtest(...).proportion_ci(method="wilson")`` with the confidence level that
    ``z`` stands for (1.96 → 95%).

    Returns:
        ``(lo, hi)``; ``(0.0, 1.0)`` when ``n`` is 0 (no runs say nothing).
    """
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    from scipy.stats import binomtest, norm  # lazy: scipy.stats takes seconds to import

    level = 2.0 * norm.cdf(z) - 1.0
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=level, method="wilson")
    return max(0.0, float(ci.low)), min(1.0, float(ci.high))


def wilson_closed_form(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Textbook Wilson interval (for checking :func:`wilson`)."""
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)
