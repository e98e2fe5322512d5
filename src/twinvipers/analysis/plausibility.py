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

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
from pydantic import TypeAdapter

from twinvipers.analysis.stats import wilson
from twinvipers.ensemble.store import MANIFEST, atomic_write_bytes
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
#: Event kinds each checkpoint kind reads.
_NEEDS = {
    "taken": ("region_captured",),
    "held": ("region_captured",),
    "capitulates": ("capitulation", "scripted"),
    "war_lasts": ("war_declared", "peace"),
    "fired": ("scripted",),
    "casualty_ratio": ("battle",),
}
_EPOCH = date(1970, 1, 1)


def _q(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def parse_checkpoints(items: list[dict[str, Any]]) -> list[Any]:
    """Typed checkpoints from their JSON form (as ``ensemble.json`` records them)."""
    return TypeAdapter(list[schema.Checkpoint]).validate_python(items)


def scenario_plan(s: schema.Scenario) -> tuple[list[Any], dict[str, Any]]:
    """A scenario's checkpoints and the context judging them needs (see the runner's manifest)."""
    return list(s.checkpoints), judging_context(s)


def manifest_plan(meta: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """The checkpoints and their context recorded in a results directory's ``ensemble.json``."""
    return parse_checkpoints(meta.get("checkpoints") or []), meta.get("checkpoint_context") or {}


def describe(cp: Any) -> str:
    """The checkpoint's test in a few words, e.g. ``warsaw held by GER by 1939-09-30``."""
    kind = schema.checkpoint_kind(cp)
    x = getattr(cp, kind)
    if kind == "taken":
        frm = f" from {x.from_}" if x.from_ else ""
        return f"{x.region} taken by {'/'.join(x.by)}{frm} by {x.until}"
    if kind == "held":
        return f"{x.region} held by {'/'.join(x.by)} on {x.on}"
    if kind == "capitulates":
        return f"{x.power} gives up {x.days[0]}–{x.days[1]} days after {x.after}"
    if kind == "war_lasts":
        return f"war {x.a}–{x.b} ends in peace after {x.days[0]}–{x.days[1]} days"
    if kind == "fired":
        frm = f" from {x.from_}" if x.from_ else ""
        return f"event {x.event} fires{frm} by {x.until}"
    until = f" to {x.until}" if x.until else ""
    return f"{x.a}:{x.b} killed in battle {x.range_[0]:g}–{x.range_[1]:g}{until}"


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


class _Tables:
    """The results tables a judgement reads, loaded once into an in-memory DuckDB."""

    def __init__(self, results_dir: Path, kinds: set[str]):
        self.con = duckdb.connect()
        d = Path(results_dir)
        self.con.execute(
            f"CREATE TEMP TABLE runs AS SELECT run_id FROM read_parquet({_q(d / 'runs.parquet')})"
        )
        self.con.execute(
            "CREATE TEMP TABLE regions AS SELECT region, controller "
            f"FROM read_parquet({_q(d / 'regions.parquet')})"
        )
        # file_row_number keeps the engine's recording order within a day (the file is sorted
        # by run, date, then recording order), which decides who holds a region at day's end.
        self.con.execute(
            "CREATE TEMP TABLE ev AS SELECT run_id, date, kind::VARCHAR AS kind, "
            "actor::VARCHAR AS actor, target::VARCHAR AS target, region::VARCHAR AS region, "
            "details, file_row_number AS seq "
            f"FROM read_parquet({_q(d / 'events.parquet')}, file_row_number = true) "
            "WHERE kind::VARCHAR IN (SELECT unnest(?))",
            [sorted(kinds) or [""]],
        )
        meta = json.loads((d / MANIFEST).read_text(encoding="utf-8"))
        self.start = (
            date.fromisoformat(meta["start"])
            if meta.get("start")
            else self.con.execute(
                f"SELECT min(date) FROM read_parquet({_q(d / 'control.parquet')})"
            ).fetchone()[0]
        )

    def initial(self, region: str) -> str | None:
        row = self.con.execute(
            "SELECT controller FROM regions WHERE region = ?", [region]
        ).fetchone()
        return row[0] if row else None

    def per_run(self, sql: str, params: list[Any]) -> dict[str, np.ndarray]:
        """Run a query returning run_id, day, value for every run (nulls as NaN / NaT)."""
        rel = self.con.execute(sql, params).fetchnumpy()
        day = rel["day"]
        days = np.full(len(day), np.nan)
        if len(day):
            dd = np.ma.getdata(day).astype("datetime64[D]").astype(np.int64).astype(float)
            mask = np.ma.getmaskarray(day) if np.ma.isMaskedArray(day) else np.isnat(day)
            days = np.where(mask, np.nan, dd)
        val = rel["value"]
        vals = np.ma.filled(np.ma.asarray(val, float), np.nan) if len(val) else np.zeros(0)
        return {"run_id": np.asarray(rel["run_id"]), "day": days, "value": vals}


def _taken(t: _Tables, x: Any) -> tuple[dict[str, np.ndarray], np.ndarray]:
    frm = x.from_ or t.start
    r = t.per_run(
        """
        WITH cap AS (SELECT run_id, date, actor, seq FROM ev
                     WHERE kind = 'region_captured' AND region = ?),
             at_from AS (SELECT run_id, arg_max(actor, seq) AS c FROM cap
                         WHERE date <= ? GROUP BY run_id),
             first_by AS (SELECT run_id, min(date) AS d FROM cap
                          WHERE date >= ? AND list_contains(?, actor) GROUP BY run_id)
        SELECT runs.run_id,
               CASE WHEN list_contains(?, coalesce(f.c, ?)) THEN ?::DATE ELSE b.d END AS day,
               NULL::DOUBLE AS value
        FROM runs LEFT JOIN at_from f USING (run_id) LEFT JOIN first_by b USING (run_id)
        ORDER BY runs.run_id
        """,
        [x.region, frm, frm, x.by, x.by, t.initial(x.region), frm],
    )
    return r, r["day"] <= _ordinal(x.until)


def _held(t: _Tables, x: Any) -> tuple[dict[str, np.ndarray], np.ndarray]:
    r = t.per_run(
        """
        WITH at_on AS (SELECT run_id, arg_max(actor, seq) AS c, max(date) AS since FROM ev
                       WHERE kind = 'region_captured' AND region = ? AND date <= ?
                       GROUP BY run_id)
        SELECT runs.run_id,
               CASE WHEN list_contains(?, coalesce(a.c, ?)) THEN coalesce(a.since, ?::DATE)
               END AS day,
               NULL::DOUBLE AS value
        FROM runs LEFT JOIN at_on a USING (run_id) ORDER BY runs.run_id
        """,
        [x.region, x.on, x.by, t.initial(x.region), t.start],
    )
    return r, ~np.isnan(r["day"])


def _capitulates(
    t: _Tables, x: Any, context: dict[str, Any]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    terms = list((context.get("gives_up_events") or {}).get(x.power, []))
    r = t.per_run(
        """
        WITH gave AS (SELECT run_id, min(date) AS d FROM ev
                      WHERE (kind = 'capitulation' AND actor = ?)
                         OR (kind = 'scripted' AND list_contains(?, details->>'$.id'))
                      GROUP BY run_id)
        SELECT runs.run_id, g.d AS day, (g.d - ?::DATE)::DOUBLE AS value
        FROM runs LEFT JOIN gave g USING (run_id) ORDER BY runs.run_id
        """,
        [x.power, terms or [""], x.after],
    )
    v = r["value"]
    return r, (v >= x.days[0]) & (v <= x.days[1])


def _war_lasts(
    t: _Tables, x: Any, context: dict[str, Any]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    since = None
    for w in context.get("wars_at_start") or []:
        if {w["a"], w["b"]} == {x.a, x.b}:
            since = date.fromisoformat(w["since"])
    pair = "((actor = ? AND target = ?) OR (actor = ? AND target = ?))"
    pair_e = "((e.actor = ? AND e.target = ?) OR (e.actor = ? AND e.target = ?))"
    if since is not None:
        began = "SELECT run_id, ?::DATE AS d, -1 AS seq FROM runs"
        began_params: list[Any] = [since]
    else:
        began = (
            "SELECT run_id, min(date) AS d, min(seq) AS seq FROM ev "
            f"WHERE kind = 'war_declared' AND {pair} GROUP BY run_id"
        )
        began_params = [x.a, x.b, x.b, x.a]
    r = t.per_run(
        f"""
        WITH began AS ({began}),
             ended AS (SELECT e.run_id, min(e.date) AS d FROM ev e JOIN began b
                       ON e.run_id = b.run_id AND e.seq > b.seq
                       WHERE e.kind = 'peace' AND {pair_e}
                       GROUP BY e.run_id)
        SELECT runs.run_id, n.d AS day, (n.d - b.d)::DOUBLE AS value
        FROM runs LEFT JOIN began b USING (run_id) LEFT JOIN ended n USING (run_id)
        ORDER BY runs.run_id
        """,
        [*began_params, x.a, x.b, x.b, x.a],
    )
    v = r["value"]
    return r, (v >= x.days[0]) & (v <= x.days[1])


def _fired(t: _Tables, x: Any) -> tuple[dict[str, np.ndarray], np.ndarray]:
    r = t.per_run(
        """
        WITH f AS (SELECT run_id, min(date) AS d FROM ev
                   WHERE kind = 'scripted' AND details->>'$.id' = ? GROUP BY run_id)
        SELECT runs.run_id, f.d AS day, NULL::DOUBLE AS value
        FROM runs LEFT JOIN f USING (run_id) ORDER BY runs.run_id
        """,
        [x.event],
    )
    d = r["day"]
    return r, (d >= _ordinal(x.from_ or t.start)) & (d <= _ordinal(x.until))


def _casualty_ratio(t: _Tables, x: Any) -> tuple[dict[str, np.ndarray], np.ndarray]:
    until = x.until or date.max
    r = t.per_run(
        """
        WITH b AS (SELECT run_id, actor,
                          (details->>'$.attacker_losses')::DOUBLE AS att,
                          (details->>'$.defender_losses')::DOUBLE AS def
                   FROM ev WHERE kind = 'battle' AND date <= ?
                     AND ((actor = ? AND target = ?) OR (actor = ? AND target = ?))),
             s AS (SELECT run_id,
                          sum(CASE WHEN actor = ? THEN att ELSE def END) AS la,
                          sum(CASE WHEN actor = ? THEN def ELSE att END) AS lb
                   FROM b GROUP BY run_id)
        SELECT runs.run_id, NULL::DATE AS day,
               CASE WHEN s.lb > 0 THEN s.la / s.lb END AS value
        FROM runs LEFT JOIN s USING (run_id) ORDER BY runs.run_id
        """,
        [until, x.a, x.b, x.b, x.a, x.a, x.a],
    )
    v = r["value"]
    return r, (v >= x.range_[0]) & (v <= x.range_[1])


def _ordinal(d: date) -> int:
    return (d - _EPOCH).days


def judge_runs(
    results_dir: Path | str, checkpoints: list[Any], context: dict[str, Any] | None = None
) -> dict[str, dict[str, np.ndarray]]:
    """Judge every run against every checkpoint.

    Returns:
        Per checkpoint id, arrays in run order: ``run_id``, ``met`` (bool), ``day`` (days since
        1970; NaN when it never happened) and ``value`` (NaN when none).
    """
    context = context or {}
    kinds = {k for cp in checkpoints for k in _NEEDS[schema.checkpoint_kind(cp)]}
    t = _Tables(Path(results_dir), kinds)
    out: dict[str, dict[str, np.ndarray]] = {}
    for cp in checkpoints:
        kind = schema.checkpoint_kind(cp)
        x = getattr(cp, kind)
        if kind == "taken":
            r, met = _taken(t, x)
        elif kind == "held":
            r, met = _held(t, x)
        elif kind == "capitulates":
            r, met = _capitulates(t, x, context)
        elif kind == "war_lasts":
            r, met = _war_lasts(t, x, context)
        elif kind == "fired":
            r, met = _fired(t, x)
        else:
            r, met = _casualty_ratio(t, x)
        out[cp.id] = {**r, "met": np.asarray(met, bool)}
    t.con.close()
    return out


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
                "test": describe(cp),
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
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in rows:
        cells = []
        for c in CSV_COLUMNS:
            v = r.get(c)
            if v is None:
                cells.append("")
            elif isinstance(v, float):
                cells.append(f"{v:.6g}")
            else:
                cells.append(str(v))
        w.writerow(cells)
    path = Path(path)
    atomic_write_bytes(path, buf.getvalue().encode("utf-8"))
    return path


def _spread(days: np.ndarray) -> str:
    """Median date and quartiles of ``days`` (days since 1970) as text."""
    q = _quartiles(days)
    if q is None:
        return ""
    return f"{_as_date(q[1])} ({_as_date(q[0])} – {_as_date(q[2])})"


def _holders(t: _Tables, region: str, on: date, runs: np.ndarray) -> list[tuple[str, int]]:
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


def _first_change(t: _Tables, region: str, runs: np.ndarray) -> np.ndarray:
    """The first day ``region`` changed hands in each of ``runs`` (NaN: never)."""
    rows = dict(
        t.con.execute(
            "SELECT run_id, min(date) FROM ev WHERE kind = 'region_captured' AND region = ? "
            "GROUP BY run_id",
            [region],
        ).fetchall()
    )
    return np.array([_ordinal(rows[r]) if r in rows else np.nan for r in runs.tolist()], float)


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
    kinds = {k for cp in checkpoints for k in _NEEDS[schema.checkpoint_kind(cp)]}
    t = _Tables(results_dir, kinds | {"region_captured"})
    src = f"read_parquet({_q(results_dir / 'regions.parquet')})"
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
