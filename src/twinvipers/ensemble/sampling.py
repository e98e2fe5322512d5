"""Sample assumptions per run with ``scipy.stats.qmc`` (Latin hypercube) or plain Monte Carlo."""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.stats import qmc

from twinvipers.scenario import schema

SAMPLERS = ("lhs", "mc")


def unit_sample(n: int, d: int, seed: int, method: str = "lhs") -> np.ndarray:
    """``n`` points in the unit cube of dimension ``d``."""
    if method not in SAMPLERS:
        raise ValueError(f"unknown sampler {method!r}; choose one of {', '.join(SAMPLERS)}")
    if d == 0:
        return np.zeros((n, 0))
    rng = np.random.default_rng([seed, 0x5A3])
    if method == "lhs":
        return qmc.LatinHypercube(d=d, rng=rng).random(n)
    return rng.random((n, d))


def transform(u: np.ndarray, dist: schema.Distribution) -> np.ndarray:
    """Map uniforms in [0, 1) through a distribution's inverse CDF."""
    if isinstance(dist, schema.Fixed):
        return np.full_like(u, dist.fixed)
    if isinstance(dist, schema.Uniform):
        lo, hi = dist.uniform
        return lo + u * (hi - lo)
    if isinstance(dist, schema.Triangular):
        lo, mode, hi = dist.triangular
        if hi == lo:
            return np.full_like(u, lo)
        return stats.triang.ppf(u, (mode - lo) / (hi - lo), loc=lo, scale=hi - lo)
    if isinstance(dist, schema.TruncNormal):
        mean, sd, lo, hi = dist.truncnormal
        return stats.truncnorm.ppf(u, (lo - mean) / sd, (hi - mean) / sd, loc=mean, scale=sd)
    if isinstance(dist, schema.Choice):
        w = np.asarray(dist.weights or [1.0] * len(dist.choice), float)
        edges = np.cumsum(w) / w.sum()
        idx = np.minimum(np.searchsorted(edges, u, side="right"), len(w) - 1)
        return np.asarray(dist.choice, float)[idx]
    raise TypeError(dist)  # pragma: no cover


def sample(
    assumptions: list[schema.Assumption],
    n: int,
    seed: int,
    method: str = "lhs",
    canon: bool = False,
) -> np.ndarray:
    """Values of every assumption for runs 0..n-1 (n × len(assumptions)).

    In canon mode every assumption that has a ``canon`` value takes it in every run; the others
    keep their draws, which are the same as without canon mode (the unit sample is drawn for
    every column either way), so a canon ensemble differs from its sampled twin only there.
    """
    u = unit_sample(n, len(assumptions), seed, method)
    out = np.empty_like(u)
    for j, a in enumerate(assumptions):
        if canon and a.canon is not None:
            out[:, j] = a.canon
        else:
            out[:, j] = transform(u[:, j], a.dist)
    return out


def canon_values(assumptions: list[schema.Assumption]) -> dict[str, float]:
    """The assumptions canon mode fixes, with their values."""
    return {a.id: a.canon for a in assumptions if a.canon is not None}
