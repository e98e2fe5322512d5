"""Global sensitivity analysis: which assumptions move an outcome, with SALib.

The design is SALib's own: Saltelli's scheme on a scrambled Sobol sequence (``sobol``, first
and total indices, ``N × (D + 2)`` runs) or Morris trajectories (``morris``, ``N × (D + 1)``
runs), drawn in the unit cube of the scenario's ``D`` non-fixed assumptions and mapped through
each assumption's own distribution (its inverse CDF, as the ensemble samplers do), so the
indices are with respect to the distributions the scenario states. The runs go through the
ensemble runner as a given design (same executors, resume and determinism).

The engine is stochastic beyond the assumptions (every run has its seed). Runs of one block
of the design (a Saltelli base row with its ``D + 1`` variations, a Morris trajectory) share
one seed — common random numbers — so that within a block only the assumptions differ: an
assumption that changes nothing has an index of zero, not the noise of two different seeds.
The seed's own share of the variance is what the total indices leave unexplained.

Outcomes are claims (1 where true, 0 where not) or measures (numbers; see
:mod:`twinvipers.analysis.claims`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from twinvipers.analysis import claims
from twinvipers.ensemble import store

METHODS = ("sobol", "morris")
INFO = "sensitivity.json"
CSV_NAME = "sensitivity.csv"
PLOT_NAME = "sensitivity.png"
CSV_COLUMNS = (
    "outcome",
    "assumption",
    "method",
    "first",
    "first_conf",
    "total",
    "total_conf",
    "mu_star",
    "mu_star_conf",
    "sigma",
    "note",
)
#: Morris grid levels (SALib's default).
LEVELS = 4


def problem(assumptions: list[Any]) -> dict[str, Any]:
    """SALib's problem over the unit cube of the non-fixed assumptions."""
    from twinvipers.scenario import schema

    names = [a.id for a in assumptions if not isinstance(a.dist, schema.Fixed)]
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def design(
    assumptions: list[Any], method: str, n: int, seed: int
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """The unit-cube rows for every assumption, the seed index of each row and the problem."""
    import warnings

    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    prob = problem(assumptions)
    d = prob["num_vars"]
    if d == 0:
        raise ValueError("the scenario has no assumption that varies (all are fixed)")
    if method == "sobol":
        with warnings.catch_warnings():  # SALib warns when N is not a power of two
            warnings.simplefilter("ignore")
            x = sobol_sample.sample(prob, n, calc_second_order=False, scramble=True, seed=seed)
        block = d + 2
    elif method == "morris":
        x = morris_sample.sample(prob, n, num_levels=LEVELS, seed=seed)
        block = d + 1
    else:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    # Morris puts points on the grid's edges (0 and 1): keep them inside the inverse CDFs'
    # open interval so a truncated normal's tails stay finite.
    x = np.clip(x, 1e-9, 1 - 1e-9)
    u = np.full((len(x), len(assumptions)), 0.5)
    col = {a.id: j for j, a in enumerate(assumptions)}
    for k, name in enumerate(prob["names"]):
        u[:, col[name]] = x[:, k]
    return u, np.arange(len(x)) // block, prob


def runs_needed(n_assumptions: int, method: str, n: int) -> int:
    """How many runs a design of ``n`` base samples or trajectories takes."""
    return n * (n_assumptions + (2 if method == "sobol" else 1))


def write_info(out: Path, method: str, n: int, seed: int, prob: dict[str, Any]) -> None:
    """Record the design beside the results, so the folder can be analysed again."""
    info = {"method": method, "n": n, "seed": seed, "problem": prob, "levels": LEVELS}
    store.atomic_write_bytes(out / INFO, (json.dumps(info, indent=2) + "\n").encode())


def outcome_values(results_dir: Path, outcome: str) -> np.ndarray:
    """An outcome per run, in run order: a claim as 0/1, a measure as its number."""
    if claims.is_measure(outcome):
        _, v = claims.measure(results_dir, outcome)
        bad = int(np.isnan(v).sum())
        if bad:
            raise claims.ClaimError(
                outcome, 1, f"the measure is undefined in {bad} of {len(v)} runs; use a claim"
            )
        return v
    return claims.evaluate(results_dir, outcome).met.astype(float)


def checkpoint_outcomes(results_dir: Path | str) -> list[tuple[str, str]]:
    """The scenario's checkpoints as (id, claim text), from the folder's manifest."""
    from twinvipers.analysis import plausibility

    cps, _ = plausibility.manifest_plan(store.read_manifest(Path(results_dir)))
    return [(cp.id, claims.checkpoint_claim(cp)) for cp in cps]


def analyse(
    results_dir: Path | str, outcomes: list[str] | list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Indices per outcome and assumption, with 95% confidence intervals (SALib's analyzers).

    ``outcomes`` are claim or measure texts, or (label, text) pairs (a checkpoint's id and
    its claim).

    Sobol: ``first`` (S1) and ``total`` (ST) with their ``_conf`` half-widths (bootstrap);
    Morris: ``mu_star`` (mean absolute elementary effect, in the outcome's units per unit of
    the assumption's quantile), its ``_conf`` and ``sigma``.
    """
    import pyarrow.parquet as pq
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze

    d = Path(results_dir)
    info = json.loads((d / INFO).read_text(encoding="utf-8"))
    prob, method = info["problem"], info["method"]
    u, _ = store.read_design(d)
    names_all = [c for c in pq.read_schema(d / store.DESIGN).names if c != "seed_id"]
    x = u[:, [names_all.index(n) for n in prob["names"]]]
    rows = []
    for item in outcomes:
        outcome, text = item if isinstance(item, tuple) else (item, item)
        y = outcome_values(d, text)
        constant = float(np.var(y)) == 0.0
        if method == "sobol":
            if constant:
                res = {k: np.zeros(len(prob["names"])) for k in ("S1", "S1_conf", "ST", "ST_conf")}
            else:
                res = sobol_analyze.analyze(
                    prob, y, calc_second_order=False, conf_level=0.95, seed=info["seed"]
                )
        else:
            if constant:
                res = {
                    k: np.zeros(len(prob["names"])) for k in ("mu_star", "mu_star_conf", "sigma")
                }
            else:
                res = morris_analyze.analyze(
                    prob, x, y, conf_level=0.95, num_levels=info["levels"], seed=info["seed"]
                )
        for j, name in enumerate(prob["names"]):
            row: dict[str, Any] = {"outcome": outcome, "assumption": name, "method": method}
            if method == "sobol":
                row.update(
                    first=float(res["S1"][j]),
                    first_conf=float(res["S1_conf"][j]),
                    total=float(res["ST"][j]),
                    total_conf=float(res["ST_conf"][j]),
                )
            else:
                row.update(
                    mu_star=float(res["mu_star"][j]),
                    mu_star_conf=float(res["mu_star_conf"][j]),
                    sigma=float(res["sigma"][j]),
                )
            row["note"] = "the outcome is the same in every run" if constant else ""
            rows.append(row)
    return rows


def write_csv(rows: list[dict[str, Any]], path: Path) -> Path:
    """Write the indices as CSV, atomically."""
    return store.atomic_write_csv(path, CSV_COLUMNS, rows)


def plot(rows: list[dict[str, Any]], path: Path) -> Path:
    """One panel per outcome: total and first-order indices (or Morris mu*) with intervals."""
    import os
    import tempfile

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outcomes = list(dict.fromkeys(r["outcome"] for r in rows))
    names = list(dict.fromkeys(r["assumption"] for r in rows))
    fig, axes = plt.subplots(
        len(outcomes), 1, figsize=(7, 0.5 + (0.35 * len(names) + 0.8) * len(outcomes)),
        squeeze=False,
    )  # fmt: skip
    yy = np.arange(len(names))
    for ax, outcome in zip(axes[:, 0], outcomes, strict=True):
        rs = {r["assumption"]: r for r in rows if r["outcome"] == outcome}
        if rows[0]["method"] == "sobol":
            for key, off, label in (("total", -0.18, "total (ST)"), ("first", 0.18, "first (S1)")):
                v = [rs[n][key] for n in names]
                e = [rs[n][f"{key}_conf"] for n in names]
                ax.barh(yy + off, v, 0.35, xerr=e, label=label, capsize=2)
            ax.set_xlim(min(0.0, ax.get_xlim()[0]), max(1.0, ax.get_xlim()[1]))
        else:
            v = [rs[n]["mu_star"] for n in names]
            e = [rs[n]["mu_star_conf"] for n in names]
            ax.barh(yy, v, 0.5, xerr=e, label="mu*", capsize=2)
        ax.set_yticks(yy, names)
        ax.invert_yaxis()
        ax.set_title(outcome.replace("$", r"\$"), fontsize=9, loc="left")
        ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=110)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
