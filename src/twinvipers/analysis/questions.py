"""Questions over an ensemble's results directory, answered with DuckDB.

Every function takes the results directory (or an open connection from ``store.connect``) and
returns plain Python structures: lists of dicts, dicts, dates. No pandas.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from statistics import median
from typing import Any

import duckdb

from twinvipers.analysis.stats import wilson
from twinvipers.ensemble.store import connect

Source = Path | str | duckdb.DuckDBPyConnection


def _con(src: Source) -> duckdb.DuckDBPyConnection:
    return src if isinstance(src, duckdb.DuckDBPyConnection) else connect(src)


def _has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    rows = con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchall()
    return bool(rows)


def read_meta(results_dir: Path | str) -> dict[str, Any]:
    """The parsed ``ensemble.json``."""
    return json.loads((Path(results_dir) / "ensemble.json").read_text(encoding="utf-8"))


def camp_of(meta: dict[str, Any]) -> dict[str, str]:
    """Power tag to camp; a power without a camp is its own camp."""
    return {p: (v.get("camp") or p) for p, v in meta.get("powers", {}).items()}


def n_runs(src: Source) -> int:
    """Number of runs in the store."""
    con = _con(src)
    if _has(con, "runs"):
        return int(con.execute("SELECT count(*) FROM runs").fetchone()[0])
    return int(con.execute("SELECT count(DISTINCT run_id) FROM control").fetchone()[0])


def region_names(src: Source) -> dict[str, str]:
    """Region id to display name."""
    con = _con(src)
    return dict(con.execute("SELECT region, coalesce(name, region) FROM regions").fetchall())


def snapshot_dates(src: Source) -> list[date]:
    """All control snapshot dates, in order."""
    con = _con(src)
    return [r[0] for r in con.execute("SELECT DISTINCT date FROM control ORDER BY 1").fetchall()]


def default_dates(src: Source) -> list[date]:
    """Start, middle and last snapshot dates (fewer if there are fewer snapshots)."""
    ds = snapshot_dates(src)
    if len(ds) <= 3:
        return ds
    return [ds[0], ds[len(ds) // 2], ds[-1]]


def outcome_shares(src: Source, kinds: tuple[str, ...] = ("capitulation", "peace")) -> list[dict]:
    """Share of runs in which each (kind, actor, target) happened at least once.

    ``peace`` is symmetric, so its pair is sorted. Each row: kind, actor, target, label, k
    (runs), n, share, lo, hi (95% Wilson), first, median, last (dates of the first occurrence
    in each run).
    """
    con = _con(src)
    n = n_runs(con)
    q = f"""
        SELECT kind,
               CASE WHEN kind = 'peace' THEN least(actor, target) ELSE actor END AS a,
               CASE WHEN kind = 'peace' THEN greatest(actor, target) ELSE target END AS b,
               run_id, min(date) AS d
        FROM events WHERE kind IN ({", ".join("?" for _ in kinds)})
        GROUP BY ALL
    """
    groups: dict[tuple[str, str, str], list[date]] = defaultdict(list)
    for kind, a, b, _rid, d in con.execute(q, list(kinds)).fetchall():
        groups[(kind, a, b)].append(d)
    rows = []
    for (kind, a, b), ds in groups.items():
        k = len(ds)
        lo, hi = wilson(k, n)
        ds.sort()
        rows.append(
            {
                "kind": kind,
                "actor": a,
                "target": b,
                "label": _label(kind, a, b, None, {}),
                "k": k,
                "n": n,
                "share": k / n if n else 0.0,
                "lo": lo,
                "hi": hi,
                "first": ds[0],
                "median": ds[len(ds) // 2],
                "last": ds[-1],
            }
        )
    rows.sort(key=lambda r: (kinds.index(r["kind"]), -r["share"], r["label"]))
    return rows


def _label(kind: str, a: str, b: str, region: str | None, names: dict[str, str]) -> str:
    if kind == "capitulation":
        return f"{a} capitulates to {b}"
    if kind == "peace":
        return f"Peace {a}–{b}"
    if kind == "war_declared":
        return f"{a} declares war on {b}"
    if kind == "region_captured":
        return f"{a} takes {names.get(region or '', region)}"
    if kind == "alliance_joined":
        return f"{a} joins {b}"
    return f"{kind} {a} {b}" + (f" {region}" if region else "")


def key_regions(src: Source, meta: dict[str, Any] | None = None, top_vp: int = 5) -> list[str]:
    """Capitals of the powers, plus the highest-``vp`` regions if ``regions`` has a vp column."""
    con = _con(src)
    out: list[str] = []
    if meta:
        out += [p["capital"] for p in meta.get("powers", {}).values() if p.get("capital")]
    cols = {r[0] for r in con.execute("DESCRIBE regions").fetchall()}
    if "vp" in cols and top_vp > 0:
        rows = con.execute(
            "SELECT region FROM regions WHERE kind = 'land' ORDER BY vp DESC, region LIMIT ?",
            [top_vp],
        ).fetchall()
        out += [r[0] for r in rows]
    return list(dict.fromkeys(out))


def event_timing(
    src: Source,
    kinds: tuple[str, ...] = ("war_declared", "capitulation", "region_captured"),
    regions: list[str] | None = None,
    min_share: float = 0.0,
) -> list[dict]:
    """When events happened: for each event label, the date of its first occurrence in each run.

    ``region_captured`` is limited to ``regions`` (if given). Each row: label, kind, dates
    (sorted, one per run in which it happened), k, n, share. Sorted by median date.
    """
    con = _con(src)
    n = n_runs(con)
    names = region_names(con)
    q = f"""
        SELECT kind, actor, target, region, run_id, min(date)
        FROM events WHERE kind IN ({", ".join("?" for _ in kinds)})
        GROUP BY kind, actor, target, region, run_id
    """
    groups: dict[tuple, dict[int, date]] = defaultdict(dict)
    for kind, a, b, reg, rid, d in con.execute(q, list(kinds)).fetchall():
        if kind == "region_captured":
            if regions is not None and reg not in regions:
                continue
            key = (kind, a, "", reg)  # who took it matters, not from whom
        else:
            key = (kind, a, b, None)
        prev = groups[key].get(rid)
        groups[key][rid] = d if prev is None else min(prev, d)
    rows = []
    for (kind, a, b, reg), per_run in groups.items():
        ds = sorted(per_run.values())
        k = len(ds)
        if n and k / n < min_share:
            continue
        rows.append(
            {
                "label": _label(kind, a, b, reg, names),
                "kind": kind,
                "region": reg,
                "dates": ds,
                "k": k,
                "n": n,
                "share": k / n if n else 0.0,
            }
        )
    rows.sort(key=lambda r: (median(d.toordinal() for d in r["dates"]), r["label"]))
    return rows


#: The camp whose members are drawn apart while at war (a scenario's ``meta.camps`` convention).
NEUTRAL_CAMP = "neutral"


def at_war_on(src: Source, on: date, meta: dict[str, Any] | None = None) -> dict[int, set[str]]:
    """Per run, the powers at war at the end of ``on`` (wars at the start, declarations, peaces)."""
    con = _con(src)
    start = [
        (w["a"], w["b"])
        for w in ((meta or {}).get("checkpoint_context") or {}).get("wars_at_start", [])
    ]
    runs = [r[0] for r in con.execute("SELECT run_id FROM runs ORDER BY 1").fetchall()]
    wars: dict[int, set[frozenset]] = {r: {frozenset(p) for p in start} for r in runs}
    rows = con.execute(
        "SELECT run_id, kind::VARCHAR, actor::VARCHAR, target::VARCHAR FROM events "
        "WHERE kind IN ('war_declared', 'peace') AND date <= ? ORDER BY run_id, date",
        [on],
    ).fetchall()
    for run, kind, a, b in rows:
        pair = frozenset((a, b))
        if kind == "war_declared":
            wars[run].add(pair)
        else:
            wars[run].discard(pair)
    return {r: {p for pair in ws for p in pair} for r, ws in wars.items()}


def control_shares(
    src: Source,
    on: date,
    camps: dict[str, str] | None = None,
    fighting: dict[int, set[str]] | None = None,
) -> dict[str, dict[str, float]]:
    """Share of runs in which each region is held by each camp (or power) on date ``on``.

    Each run counts with its last snapshot on or before ``on``, so a run that ended earlier keeps
    its final map. ``camps`` maps power tags to camps; without it the shares are by power.
    A controller missing from ``camps`` counts as its own group. With ``fighting`` (the powers
    at war per run, :func:`at_war_on`), a power of the camp named ``neutral`` that is at war in a
    run (Finland in its Winter War) counts as its own group in that run.

    Returns:
        ``{region: {camp: share}}``, shares of one region summing to 1.
    """
    con = _con(src)
    q = """
        WITH last AS (
            SELECT run_id, max(date) AS d FROM control WHERE date <= ? GROUP BY run_id
        )
        SELECT c.region, c.controller, count(*)
        FROM control c JOIN last ON c.run_id = last.run_id AND c.date = last.d
        GROUP BY 1, 2
    """
    runs = con.execute(
        "SELECT count(DISTINCT run_id) FROM control WHERE date <= ?", [on]
    ).fetchone()[0]
    out: dict[str, dict[str, float]] = defaultdict(dict)
    if fighting is None:
        for region, ctrl, cnt in con.execute(q, [on]).fetchall():
            g = (camps or {}).get(ctrl, ctrl) if ctrl else "none"
            out[region][g] = out[region].get(g, 0.0) + cnt / runs
        return dict(out)
    per_run = q.replace(
        "SELECT c.region, c.controller, count(*)", "SELECT c.region, c.controller, c.run_id, 1"
    ).replace("GROUP BY 1, 2", "")
    for region, ctrl, run, cnt in con.execute(per_run, [on]).fetchall():
        g = (camps or {}).get(ctrl, ctrl) if ctrl else "none"
        at_war = fighting.get(run, set())
        if ctrl and g == NEUTRAL_CAMP and ctrl in at_war:
            g = ctrl  # a "neutral" at war is no longer one of the neutrals
        out[region][g] = out[region].get(g, 0.0) + cnt / runs
    return dict(out)


def assumption_summary(src: Source, meta: dict[str, Any] | None = None) -> list[dict]:
    """Min, median and max of each sampled assumption over the runs.

    Assumption ids come from ``meta["assumptions"]`` when given, else from the numeric columns of
    ``runs`` that are not run_id/seed/outcomes.
    """
    con = _con(src)
    cols = {r[0]: r[1] for r in con.execute("DESCRIBE runs").fetchall()}
    if meta and meta.get("assumptions"):
        items = [(a["id"], a.get("dist")) for a in meta["assumptions"] if a["id"] in cols]
    else:
        items = [(c, None) for c, t in cols.items() if t == "DOUBLE"]
    out = []
    for aid, dist in items:
        q = f'SELECT min("{aid}"), median("{aid}"), max("{aid}") FROM runs'
        lo, med, hi = con.execute(q).fetchone()
        out.append({"id": aid, "dist": dist, "min": lo, "median": med, "max": hi})
    return out


def power_summary(
    src: Source, on: date | None = None, fields: tuple[str, ...] = ("men", "killed", "regions")
) -> list[dict]:
    """Per power, the 5th percentile, median and 95th percentile of figures over the runs.

    Each run counts with its last ``powers`` snapshot on or before ``on`` (default: its last).
    Fields missing from the table are skipped. Each row: power, then ``{field: (p5, p50, p95)}``.
    """
    con = _con(src)
    cols = {r[0] for r in con.execute("DESCRIBE powers").fetchall()}
    fields = tuple(f for f in fields if f in cols)
    if not fields:
        return []
    cond = "WHERE date <= ?" if on is not None else ""
    aggs = ", ".join(
        f'quantile_cont("{f}", 0.05), quantile_cont("{f}", 0.5), quantile_cont("{f}", 0.95)'
        for f in fields
    )
    q = f"""
        WITH last AS (SELECT run_id, max(date) AS d FROM powers {cond} GROUP BY run_id)
        SELECT p.power, {aggs}
        FROM powers p JOIN last ON p.run_id = last.run_id AND p.date = last.d
        GROUP BY p.power ORDER BY p.power
    """
    out = []
    for row in con.execute(q, [on] if on is not None else []).fetchall():
        d: dict[str, Any] = {"power": row[0]}
        for j, f in enumerate(fields):
            d[f] = tuple(float(x) if x is not None else None for x in row[1 + 3 * j : 4 + 3 * j])
        out.append(d)
    return out


def loss_split(src: Source) -> dict[str, dict[str, tuple[float, float, float]]]:
    """Per power, losses in battle and outside it: 5th percentile, median, 95th over the runs.

    ``battle``: killed and wounded in land battles (the ``powers`` table's ``lost_in_battle``;
    prisoners apart). ``outside``: the rest of killed and wounded on the last day — men the engine books
    as wounded when a force goes short of supply (sickness, straggling, desertion), men who
    fall in overrun positions, losses at sea and in landings.
    """
    con = _con(src)
    if not (_has(con, "events") and _has(con, "powers")):
        return {}
    cols = {r[0] for r in con.execute("DESCRIBE powers").fetchall()}
    if "lost_in_battle" in cols:  # booked per power by the engine, allies apart
        per = """per AS (SELECT p.run_id, p.power::VARCHAR AS power, p.lost_in_battle AS battle
                     FROM powers p JOIN last ON p.run_id = last.run_id AND p.date = last.d)"""
    else:  # a folder from before the column: each battle's losses go to its leaders
        per = """b AS (
            SELECT run_id, actor::VARCHAR AS power,
                   CAST(json_extract(details, '$.attacker_losses') AS DOUBLE) AS loss
            FROM events WHERE kind = 'battle'
            UNION ALL
            SELECT run_id, target::VARCHAR,
                   CAST(json_extract(details, '$.defender_losses') AS DOUBLE)
            FROM events WHERE kind = 'battle'
        ),
        per AS (SELECT run_id, power, sum(loss) AS battle FROM b GROUP BY ALL)"""
    q = f"""
        WITH last AS (SELECT run_id, max(date) AS d FROM powers GROUP BY run_id),
        {per},
        tot AS (
            SELECT p.run_id, p.power::VARCHAR AS power, p.killed + p.wounded AS lost
            FROM powers p JOIN last ON p.run_id = last.run_id AND p.date = last.d
        )
        SELECT tot.power,
               quantile_cont(coalesce(battle, 0), [0.05, 0.5, 0.95]),
               quantile_cont(greatest(lost - coalesce(battle, 0), 0), [0.05, 0.5, 0.95])
        FROM tot LEFT JOIN per ON per.run_id = tot.run_id AND per.power = tot.power
        GROUP BY tot.power
    """
    out = {}
    for power, battle, outside in con.execute(q).fetchall():
        out[power] = {"battle": tuple(map(float, battle)), "outside": tuple(map(float, outside))}
    return out
