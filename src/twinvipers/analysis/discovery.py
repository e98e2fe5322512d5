"""Scenario discovery: which ranges of the assumptions make a claim come true.

PRIM (the Patient Rule Induction Method of Friedman & Fisher, 1999, as the EMA Workbench uses
it for scenario discovery) is implemented here on its published algorithm rather than taken
from ``ema_workbench``: that package would pin itself back to an older release and bring
statsmodels, seaborn, Platypus and more into the dependency set for some 200 lines of numpy.

* **Peeling**: starting from the box holding every run, try removing a share ``alpha`` of the
  runs in the box from either end of each assumption's range; keep the peel that leaves the
  highest share of runs where the claim holds (the box's *density*); repeat while the box holds
  at least ``mass_min`` of all runs. Each step is a box on the *peeling trajectory*.
* **Pasting**: widen the chosen box's limits again by ``alpha`` of its runs while that raises
  its density.
* Each box on the trajectory whose density reaches ``threshold`` is pasted, and its limits are
  judged by a quasi-p-value, as in the EMA Workbench: the one-sided binomial probability of the
  box's hits if that limit were dropped. Limits above :data:`P_MAX` are noise and are dropped.
  The box reported is the one with the highest *coverage* (the share of all runs where the
  claim holds that fall in the box) among those still reaching ``threshold``.

A shallow scikit-learn decision tree over the same columns gives feature importances and rules.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np

#: A limit whose quasi-p-value exceeds this is dropped from a reported box.
P_MAX = 0.01


@dataclasses.dataclass
class Box:
    """A box of assumption ranges and how well it captures the claim."""

    limits: dict[str, tuple[float, float]]  # only the restricted assumptions
    p_values: dict[str, float]
    coverage: float
    density: float
    mass: float
    runs: int
    base_density: float


def _in_box(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.all((x >= lo) & (x <= hi), axis=1)


def _peel(x, y, lo, hi, alpha, mass_min):
    """The peeling trajectory: a list of (lo, hi) boxes, the first holding every run."""
    n = len(y)
    traj = [(lo.copy(), hi.copy())]
    inside = _in_box(x, lo, hi)
    while True:
        xb, yb = x[inside], y[inside]
        best = None
        for j in range(x.shape[1]):
            col = xb[:, j]
            for side in (0, 1):
                if side == 0:
                    cut = np.quantile(col, alpha, method="lower")
                    keep = col > cut if cut == col.min() else col >= cut
                else:
                    cut = np.quantile(col, 1 - alpha, method="higher")
                    keep = col < cut if cut == col.max() else col <= cut
                k = int(keep.sum())
                if k == len(col) or k < mass_min * n or k == 0:
                    continue
                mean = yb[keep].mean()
                # Friedman & Fisher's criterion: the highest density; ties to the larger box.
                score = (mean, k)
                if best is None or score > best[0]:
                    new_bound = col[keep].min() if side == 0 else col[keep].max()
                    best = (score, j, side, new_bound)
        if best is None:
            return traj
        _, j, side, bound = best
        lo, hi = lo.copy(), hi.copy()
        if side == 0:
            lo[j] = bound
        else:
            hi[j] = bound
        inside = _in_box(x, lo, hi)
        traj.append((lo, hi))


def _paste(x, y, lo, hi, full_lo, full_hi, alpha):
    """Widen limits by ``alpha`` of the box's runs while that raises the density."""
    while True:
        inside = _in_box(x, lo, hi)
        dens = y[inside].mean()
        n_in = int(inside.sum())
        step = max(1, int(round(alpha * n_in)))
        best = None
        for j in range(x.shape[1]):
            for side in (0, 1):
                if (side == 0 and lo[j] <= full_lo[j]) or (side == 1 and hi[j] >= full_hi[j]):
                    continue
                # runs just outside this limit but inside all others
                others = lo.copy(), hi.copy()
                others[0][j], others[1][j] = full_lo[j], full_hi[j]
                cand = _in_box(x, *others) & ~inside
                vals = np.sort(x[cand, j])
                vals = vals[vals < lo[j]][::-1] if side == 0 else vals[vals > hi[j]]
                if not len(vals):
                    continue
                bound = vals[min(step, len(vals)) - 1]
                nlo, nhi = lo.copy(), hi.copy()
                if side == 0:
                    nlo[j] = bound
                else:
                    nhi[j] = bound
                new = _in_box(x, nlo, nhi)
                mean = y[new].mean()
                if mean > dens and (best is None or mean > best[0]):
                    best = (mean, nlo, nhi)
        if best is None:
            return lo, hi
        _, lo, hi = best


def _binom_sf(k: int, n: int, p: float) -> float:
    from scipy.stats import binom

    return float(binom.sf(k - 1, n, p)) if n else 1.0


def _p_values(x, y, lo, hi, full_lo, full_hi, names) -> dict[str, float]:
    """Quasi-p-value per restricted limit: the box's hits if the restriction were dropped."""
    inside = _in_box(x, lo, hi)
    k, n = int(y[inside].sum()), int(inside.sum())
    out = {}
    for j, name in enumerate(names):
        if lo[j] <= full_lo[j] and hi[j] >= full_hi[j]:
            continue
        rlo, rhi = lo.copy(), hi.copy()
        rlo[j], rhi[j] = full_lo[j], full_hi[j]
        relaxed = _in_box(x, rlo, rhi)
        out[name] = _binom_sf(k, n, float(y[relaxed].mean()))
    return out


def prim(
    x: np.ndarray,
    y: np.ndarray,
    names: list[str],
    threshold: float = 0.8,
    alpha: float = 0.05,
    mass_min: float = 0.05,
) -> tuple[Box | None, list[dict[str, float]]]:
    """Find the box of assumption ranges where the claim holds most densely.

    Args:
        x: Runs × assumptions.
        y: Whether the claim holds in each run.
        names: The assumptions' names (columns of ``x``).
        threshold: The density a box must reach to be reported.
        alpha: The share of the box's runs one peel or paste moves.
        mass_min: The least share of all runs a box may hold.

    Returns:
        The box (None when no significant box reaches the threshold) and the peeling
        trajectory (``coverage``, ``density``, ``mass`` and ``restricted`` per step).
    """
    x = np.asarray(x, float)
    y = np.asarray(y, bool).astype(float)
    n = len(y)
    total = y.sum()
    if n == 0 or total == 0:
        return None, []
    full_lo, full_hi = x.min(axis=0), x.max(axis=0)
    traj = _peel(x, y, full_lo, full_hi, alpha, mass_min)
    steps = []
    for lo, hi in traj:
        inside = _in_box(x, lo, hi)
        steps.append(
            {
                "coverage": float(y[inside].sum() / total),
                "density": float(y[inside].mean()),
                "mass": float(inside.mean()),
                "restricted": int(np.sum((lo > full_lo) | (hi < full_hi))),
            }
        )
    best = None
    for i, st in enumerate(steps):
        if st["density"] < threshold or not st["restricted"]:
            continue
        lo, hi = _paste(x, y, *traj[i], full_lo, full_hi, alpha)
        # Drop the limits that do not earn their place, then judge what is left.
        p = _p_values(x, y, lo, hi, full_lo, full_hi, names)
        for j, name in enumerate(names):
            if p.get(name, 0.0) > P_MAX:
                lo[j], hi[j] = full_lo[j], full_hi[j]
        p = _p_values(x, y, lo, hi, full_lo, full_hi, names)
        inside = _in_box(x, lo, hi)
        dens, cov = float(y[inside].mean()), float(y[inside].sum() / total)
        good = p and all(v <= P_MAX for v in p.values()) and dens >= threshold
        if good and (best is None or (cov, dens) > best[0]):
            best = ((cov, dens), lo, hi, p)
    if best is None:
        return None, steps
    _, lo, hi, p = best
    inside = _in_box(x, lo, hi)
    dens = float(y[inside].mean())
    limits = {
        name: (float(lo[j]), float(hi[j]))
        for j, name in enumerate(names)
        if lo[j] > full_lo[j] or hi[j] < full_hi[j]
    }
    return (
        Box(
            limits=limits,
            p_values=p,
            coverage=float(y[inside].sum() / total),
            density=dens,
            mass=float(inside.mean()),
            runs=int(inside.sum()),
            base_density=float(total / n),
        ),
        steps,
    )


def tree_scores(
    x: np.ndarray, y: np.ndarray, names: list[str], depth: int = 3, seed: int = 0
) -> tuple[dict[str, float], str]:
    """A shallow decision tree's feature importances and its rules as text."""
    from sklearn.tree import DecisionTreeClassifier, export_text

    y = np.asarray(y, bool)
    leaf = max(1, int(0.05 * len(y)))
    t = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaf, random_state=seed)
    t.fit(np.asarray(x, float), y)
    scores = dict(zip(names, (float(v) for v in t.feature_importances_), strict=True))
    return scores, export_text(t, feature_names=list(names), decimals=3)


def assumption_matrix(results_dir: Path | str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Run ids and the sampled assumptions that vary across the runs (runs × assumptions)."""
    import json

    import pyarrow.parquet as pq

    d = Path(results_dir)
    meta = json.loads((d / "ensemble.json").read_text(encoding="utf-8"))
    ids = [a["id"] for a in meta.get("assumptions") or []]
    runs = pq.read_table(d / "runs.parquet").sort_by("run_id")
    have = [a for a in ids if a in runs.column_names]
    x = np.column_stack([runs.column(a).to_numpy() for a in have]) if have else None
    if x is None:
        return runs.column("run_id").to_numpy(), np.zeros((runs.num_rows, 0)), []
    varies = [j for j in range(x.shape[1]) if np.ptp(x[:, j]) > 0]
    return runs.column("run_id").to_numpy(), x[:, varies], [have[j] for j in varies]


def discover(
    results_dir: Path | str, claim: str, threshold: float = 0.8, mass_min: float = 0.05
) -> dict[str, Any]:
    """PRIM and a decision tree for a claim over a results folder's assumption columns."""
    from twinvipers.analysis import claims

    v = claims.evaluate(results_dir, claim)
    run_ids, x, names = assumption_matrix(results_dir)
    if not np.array_equal(run_ids, v.run_id):
        raise ValueError("runs table and claim verdicts disagree on the run ids")
    out: dict[str, Any] = {
        "claim": claim,
        "runs": len(v.met),
        "runs_met": int(v.met.sum()),
        "assumptions": names,
        "box": None,
        "trajectory": [],
        "tree_scores": {},
        "tree": "",
    }
    if not names or v.met.all() or not v.met.any():
        return out
    out["box"], out["trajectory"] = prim(x, v.met, names, threshold, mass_min=mass_min)
    out["tree_scores"], out["tree"] = tree_scores(x, v.met, names)
    return out
