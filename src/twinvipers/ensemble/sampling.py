"""Sample assumptions per run: Latin hypercube, scrambled Sobol (``scipy.stats.qmc``) or MC.

Which samplers give run *i* the same draws whatever the number of runs N (so that an ensemble
can be extended with more runs and its first runs stay as they were):

- ``mc``: yes. Run *i* takes the *i*-th row of one random stream (PCG64, skipped ahead).
- ``sobol``: yes. Run *i* takes the *i*-th point of one scrambled Sobol sequence; the first 2^k
  points of it are balanced, so N a power of two stratifies best.
- ``lhs``: no. A Latin hypercube stratifies each assumption into N strata, so its design depends
  on N, and it is held whole in memory (at most :data:`LHS_MAX_RUNS` runs).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats
from scipy.stats import qmc

from twinvipers.scenario import schema

SAMPLERS = ("lhs", "mc", "sobol")
#: A design given whole (unit-cube rows and a seed per row, ``design.parquet`` in the results
#: folder): sensitivity analysis runs SALib's Saltelli and Morris designs through it.
GIVEN = "given"
#: Samplers whose run i has the same draws for any number of runs.
EXTENSIBLE = ("mc", "sobol")
#: The Latin hypercube design is drawn whole (runs × assumptions floats): bounded here.
LHS_MAX_RUNS = 200_000


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, 0x5A3])


def unit_rows(lo: int, hi: int, n: int, d: int, seed: int, method: str = "lhs") -> np.ndarray:
    """Rows ``lo`` to ``hi`` of an ``n``-point design in the unit cube of dimension ``d``.

    ``mc`` and ``sobol`` draw only those rows (their row i does not depend on ``n``); ``lhs``
    draws the whole design and slices it.
    """
    if method not in SAMPLERS:
        raise ValueError(f"unknown sampler {method!r}; choose one of {', '.join(SAMPLERS)}")
    if d == 0:
        return np.zeros((hi - lo, 0))
    if method == "lhs":
        return qmc.LatinHypercube(d=d, rng=_rng(seed)).random(n)[lo:hi]
    if method == "mc":
        rng = _rng(seed)
        rng.bit_generator.advance(lo * d)  # one 64-bit draw per double: skip rows 0..lo-1
        return rng.random((hi - lo, d))
    sobol = qmc.Sobol(d=d, scramble=True, rng=_rng(seed))
    if lo:
        sobol.fast_forward(lo)
    with warnings.catch_warnings():  # balance holds for powers of two; any N is still valid
        warnings.simplefilter("ignore", UserWarning)
        return sobol.random(hi - lo)


def unit_sample(n: int, d: int, seed: int, method: str = "lhs") -> np.ndarray:
    """``n`` points in the unit cube of dimension ``d``."""
    return unit_rows(0, n, n, d, seed, method)


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
    rows: tuple[int, int] | None = None,
) -> np.ndarray:
    """Values of every assumption for runs 0..n-1 (n × len(assumptions)), or for ``rows``.

    In canon mode every assumption that has a ``canon`` value takes it in every run; the others
    keep their draws, which are the same as without canon mode (the unit sample is drawn for
    every column either way), so a canon ensemble differs from its sampled twin only there.
    """
    lo, hi = rows or (0, n)
    u = unit_rows(lo, hi, n, len(assumptions), seed, method)
    return values_of(assumptions, u, canon)


def values_of(
    assumptions: list[schema.Assumption], u: np.ndarray, canon: bool = False
) -> np.ndarray:
    """Map unit-cube rows to assumption values (canon values where canon mode fixes them)."""
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
