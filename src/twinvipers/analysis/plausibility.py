"""Plausibility: in what share of runs each of a scenario's checkpoints came true, and when.

Everything is judged from the results tables alone. Control of a region on a date is its
controller on the start date (``regions.parquet``) updated by its ``region_captured`` events
up to the end of that day, in the order the engine recorded them; every change of controller
(conquest, ``transfer_region``, a capitulation's hand-over) is recorded as such an event.

Per checkpoint kind, per run (``day`` is the "when" of the run, ``value`` a number):

* ``taken``: met when the region is held by one of ``by`` on some day from ``from`` to ``until``;
  ``day`` is the first such day on or after ``from`` (also when it comes after ``until``).
* ``held``: met when the region is held by one of ``by`` at the end of ``on``; ``day`` is the day
  that holding began (the start date if it never changed hands).
* ``capitulates``: the power's first ``capitulation`` event, or the first firing of an event
  that carries its terms (a ``gives_up`` trigger); ``value`` is days after ``after``.
* ``war_lasts``: the first war between ``a`` and ``b`` (in progress on the start date, or the
  first declaration either way) and the first peace between them after it; ``value`` is days.
* ``fired``: the scripted event's firing date.
* ``casualty_ratio``: ``a``'s battle losses over ``b``'s in the battles between them (dated by
  their first day, up to ``until``). The engine books each side's battle losses (gas included)
  as killed and wounded in one fixed share (``killed_share``, the same for both sides in a
  run) and counts prisoners apart, so the ratio of battle losses *is* the ratio of killed; men
  taken prisoner (surrender, capitulation) and losses booked outside land battles (at a landing) are
  not in it. A battle's losses belong to its recorded attacker and defender (the first
  defending power, when several share a region). ``value`` is the ratio; no ``day``.

The share of runs meeting a checkpoint comes with a 95% Wilson interval; "when" is the median
and quartiles of ``day`` (and of ``value``) over the runs in which the thing happened at all,
in the window or not, so a reader sees how far outside the window the misses fall.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import TypeAdapter

from twinvipers.analysis import claims
from twinvipers.analysis.stats import wilson
from twinvipers.ensemble.store import MANIFEST, atomic_write_csv
from twinvipers.scenario import schema
from twinvipers.scenario.checkpoints import judging_context

#: Columns of ``plausibility.csv``, in order.
CSV_COLUMNS = (
    "id",
    "kind",
    "test",
    "runs_met",
    "runs",
    "share",
    "ci_low",
    "ci_high",
    "happened",
    "when_q1",
    "when_median",
    "when_q3",
    "value_q1",
    "value_median",
    "value_q3",
    "note",
    "description",
)
CSV_NAME = "plausibility.csv"
_EPOCH = date(1970, 1, 1)


def parse_checkpoints(items: list[dict[str, Any]]) -> list[Any]:
    """Typed checkpoints from their JSON form (as ``ensemble.json`` records them)."""
    return TypeAdapter(list[schema.Checkpoint]).validate_python(items)


def scenario_plan(s: schema.Scenario) -> tuple[list[Any], dict[str, Any]]:
    """A scenario's checkpoints and the context judging them needs (see the runner's manifest)."""
    return list(s.checkpoints), judging_context(s)


def manifest_plan(meta: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """The checkpoints and their context recorded in a results directory's ``ensemble.json``."""
    return parse_checkpoints(meta.get("checkpoints") or []), meta.get("checkpoint_context") or {}


def window_end(cp: Any) -> date | None:
    """The last date the checkpoint's verdict depends on (None: the whole run)."""
    kind = schema.checkpoint_kind(cp)
    x = getattr(cp, kind)
    if kind in ("taken", "fired"):
        return x.until
    if kind == "held":
        return x.on
    if kind == "capitulates":
        return x.after + timedelta(days=x.days[1])
    if kind == "casualty_ratio":
        return x.until
    return None


def judge_runs(
    results_dir: Path | str, checkpoints: list[Any], context: dict[str, Any] | None = None
) -> dict[str, dict[str, np.ndarray]]:
    """Judge every run against every checkpoint, each as its claim (one evaluator for both).

    Returns:
        Per checkpoint id, arrays in run order: ``run_id``, ``met`` (bool), ``day`` (days since
        1970; NaN when it never happened) and ``value`` (NaN when none).
    """
    nodes = [claims.parse(claims.checkpoint_claim(cp)) for cp in checkpoints]
    verdicts = claims.evaluate_nodes(results_dir, nodes, context or {})
    return {
        cp.id: {"run_id": v.run_id, "day": v.day, "value": v.value, "met": v.met}
        for cp, v in zip(checkpoints, verdicts, strict=True)
    }


def _quartiles(x: np.ndarray) -> tuple[float, float, float] | None:
    x = x[~np.isnan(x)]
    if not len(x):
        return None
    q1, q2, q3 = np.quantile(x, [0.25, 0.5, 0.75])
    return float(q1), float(q2), float(q3)


def _as_date(days: float) -> date:
    return _EPOCH + timedelta(days=round(days))


def plausibility(
    results_dir: Path | str,
    checkpoints: list[Any] | None = None,
    context: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """One row per checkpoint: share of runs meeting it (95% Wilson interval) and when.

    Args:
        results_dir: An ensemble's results directory.
        checkpoints: Typed checkpoints; default, those recorded in its ``ensemble.json``.
        context: Wars at the start and ``gives_up`` events; default, from ``ensemble.json``.

    Returns:
        Rows with the keys of :data:`CSV_COLUMNS` (dates as ``date``, numbers as floats).
    """
    results_dir = Path(results_dir)
    meta = json.loads((results_dir / MANIFEST).read_text(encoding="utf-8"))
    if checkpoints is None:
        checkpoints, recorded = manifest_plan(meta)
        context = context if context is not None else recorded
    if not checkpoints:
        return []
    per_run = judge_runs(results_dir, checkpoints, context)
    end = date.fromisoformat(meta["end"]) if meta.get("end") else None
    rows = []
    for cp in checkpoints:
        r = per_run[cp.id]
        n = len(r["met"])
        k = int(r["met"].sum())
        lo, hi = wilson(k, n)
        happened = ~np.isnan(r["day"]) | ~np.isnan(r["value"])
        when = _quartiles(r["day"])
        value = _quartiles(r["value"])
        closes = window_end(cp)
        note = ""
        if end is not None and closes is not None and end < closes:
            note = f"the runs end on {end}, before the window closes ({closes})"
        rows.append(
            {
                "id": cp.id,
                "kind": schema.checkpoint_kind(cp),
                "test": claims.checkpoint_claim(cp),  # claim text: paste it into `ask`
                "runs_met": k,
                "runs": n,
                "share": k / n if n else 0.0,
                "ci_low": lo,
                "ci_high": hi,
                "happened": int(happened.sum()),
                "when_q1": _as_date(when[0]) if when else None,
                "when_median": _as_date(when[1]) if when else None,
                "when_q3": _as_date(when[2]) if when else None,
                "value_q1": value[0] if value else None,
                "value_median": value[1] if value else None,
                "value_q3": value[2] if value else None,
                "note": note,
                "description": cp.description.strip(),
            }
        )
    return rows


def write_csv(rows: list[dict[str, Any]], path: Path) -> Path:
    """Write the rows as CSV, atomically (a reader never sees half a file)."""
    return atomic_write_csv(path, CSV_COLUMNS, rows)


def _spread(days: np.ndarray) -> str:
    """Median date and quartiles of ``days`` (days since 1970) as text."""
    q = _quartiles(days)
    if q is None:
        return ""
    return f"{_as_date(q[1])} ({_as_date(q[0])} – {_as_date(q[2])})"


def _holders(t: claims.Tables, region: str, on: date, runs: np.ndarray) -> list[tuple[str, int]]:
    """Who held ``region`` at the end of ``on`` in each of ``runs``: (power, runs), most first."""
    rows = t.con.execute(
        """
        WITH last AS (SELECT run_id, arg_max(actor, seq) AS c FROM ev
                      WHERE kind = 'region_captured' AND region = ? AND date <= ?
                      GROUP BY run_id)
        SELECT coalesce(l.c, ?) AS holder, count(*) AS n
        FROM runs LEFT JOIN last l USING (run_id)
        WHERE list_contains(?, runs.run_id)
        GROUP BY 1 ORDER BY n DESC, holder
        """,
        [region, on, t.initial(region), [int(r) for r in runs]],
    ).fetchall()
    return [(str(h), int(n)) for h, n in rows]


def _first_change(t: claims.Tables, region: str, runs: np.ndarray) -> np.ndarray:
    """The first day ``region`` changed hands in each of ``runs`` (NaN: never)."""
    rows = dict(
        t.con.execute(
            "SELECT run_id, min(date) FROM ev WHERE kind = 'region_captured' AND region = ? "
            "GROUP BY run_id",
            [region],
        ).fetchall()
    )
    return np.array(
        [(rows[r] - _EPOCH).days if r in rows else np.nan for r in runs.tolist()], float
    )


def what_happened_instead(
    results_dir: Path | str,
    checkpoints: list[Any] | None = None,
    context: dict[str, Any] | None = None,
) -> dict[str, str]:
    """For each checkpoint missed in some runs, what those runs did instead, in words.

    Taken and held: who held the region when the window closed, and when it first changed hands
    (median and quartiles). Capitulation, event, war and ratio: when it happened outside the
    window, or that it never did. Checkpoints met in every run have no entry.
    """
    results_dir = Path(results_dir)
    meta = json.loads((results_dir / MANIFEST).read_text(encoding="utf-8"))
    if checkpoints is None:
        checkpoints, recorded = manifest_plan(meta)
        context = context if context is not None else recorded
    if not checkpoints:
        return {}
    per_run = judge_runs(results_dir, checkpoints, context)
    kinds = {k for cp in checkpoints for k in claims.NEEDS[schema.checkpoint_kind(cp)]}
    t = claims.Tables(results_dir, kinds | {"region_captured"}, context)
    src = "regions"
    has_name = "name" in {r[0] for r in t.con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}
    name = "coalesce(name, region)" if has_name else "region"
    names = dict(t.con.execute(f"SELECT region, {name} FROM {src}").fetchall())
    out: dict[str, str] = {}
    for cp in checkpoints:
        r = per_run[cp.id]
        missed = ~r["met"]
        m = int(missed.sum())
        if not m:
            continue
        kind = schema.checkpoint_kind(cp)
        x = getattr(cp, kind)
        runs = r["run_id"][missed]
        head = f"In the {m} run{'s' if m != 1 else ''} that missed it"
        if kind in ("taken", "held"):
            on = x.until if kind == "taken" else x.on
            held = _holders(t, x.region, on, runs)
            who = ", ".join(f"{p} in {n} ({100 * n / m:.0f}%)" for p, n in held[:3])
            text = f"{head}, {names.get(x.region, x.region)} was held on {on} by {who}"
            changed = _first_change(t, x.region, runs)
            k = int((~np.isnan(changed)).sum())
            if k:
                text += f"; it first changed hands on {_spread(changed)} in {k} of them"
            else:
                text += "; it never changed hands in them"
            out[cp.id] = text + "."
            continue
        days, values = r["day"][missed], r["value"][missed]
        k = int((~np.isnan(days)).sum())
        if kind == "capitulates":
            what = f"{x.power} gave up"
        elif kind == "fired":
            what = f"{x.event} fired"
        elif kind == "war_lasts":
            what = f"the war {x.a}–{x.b} ended in peace"
        else:
            q = _quartiles(values)
            out[cp.id] = (
                f"{head}, the ratio was {q[1]:.3g} ({q[0]:.3g} – {q[2]:.3g})."
                if q
                else f"{head}, {x.a} and {x.b} fought no battle."
            )
            continue
        if k:
            text = f"{head}, {what} outside the window in {k}, on {_spread(days)}"
            text += f", and never in {m - k}." if m - k else "."
        else:
            text = f"{head}, {what} in none of them."
        out[cp.id] = text
    t.con.close()
    return out
