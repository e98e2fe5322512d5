"""Questions about the war economy over an ensemble's ``powers`` and ``events`` tables.

Production by power and period (tanks and aircraft delivered, from the cumulative columns of
``powers``), each power's oil month by month (stock, imports by land and by sea, consumption),
and the oil each trade route delivered month by month (``oil_delivered`` events). Medians are
over the runs; a run without a delivery in a month counts as 0.
"""

from __future__ import annotations

from datetime import date, timedelta
from statistics import median
from typing import Any

from twinvipers.analysis.questions import Source, _con

#: The powers table's economy columns (rules.codes.ECONOMY_FIELDS).
OIL_COLUMNS = ("oil_stock", "oil_imported_rail", "oil_imported_sea", "oil_consumed", "oil_produced")


def has_economy(src: Source) -> bool:
    """True when the ensemble's ``powers`` table carries the economy's columns."""
    cols = {r[0] for r in _con(src).execute("DESCRIBE powers").fetchall()}
    return {"tanks_built", "oil_stock"} <= cols


def production(src: Source, start: date, end: date) -> dict[str, dict[str, float]]:
    """Median over the runs of each power's tanks and aircraft delivered from ``start`` to ``end``.

    Taken from the cumulative columns at the last snapshot on or before each date (the first
    snapshot if none is before ``start``); also the days covered, for annualising.
    """
    con = _con(src)
    q = """
        WITH a AS (SELECT run_id, max(date) AS d FROM powers WHERE date <= ? GROUP BY run_id),
             a0 AS (SELECT run_id, min(date) AS d FROM powers GROUP BY run_id),
             b AS (SELECT run_id, max(date) AS d FROM powers WHERE date <= ? GROUP BY run_id),
             lo AS (SELECT p.* FROM powers p JOIN (
                 SELECT a0.run_id, coalesce(a.d, a0.d) AS d FROM a0 LEFT JOIN a USING (run_id)
             ) x ON p.run_id = x.run_id AND p.date = x.d),
             hi AS (SELECT p.* FROM powers p JOIN b ON p.run_id = b.run_id AND p.date = b.d)
        SELECT hi.power,
               median(hi.tanks_built - lo.tanks_built),
               median(hi.aircraft_built - lo.aircraft_built),
               median(datediff('day', lo.date, hi.date)),
               median(hi.mobilisation), median(hi.war_output)
        FROM hi JOIN lo ON hi.run_id = lo.run_id AND hi.power = lo.power
        GROUP BY hi.power ORDER BY hi.power
    """
    out = {}
    for power, tanks, aircraft, days, mob, output in con.execute(q, [start, end]).fetchall():
        out[power] = {
            "tanks": float(tanks or 0.0),
            "aircraft": float(aircraft or 0.0),
            "days": float(days or 0.0),
            "mobilisation": float(mob or 0.0),
            "output": float(output or 0.0),
        }
    return out


def oil_by_month(src: Source, power: str) -> list[dict[str, Any]]:
    """One power's oil month by month, medians over the runs.

    Its stock at the month's last snapshot, and what it made, imported by land and by sea and
    used in the calendar month. Snapshots are weekly, so a month's flows are the flows between
    the last snapshots of this month and the last, spread evenly over those days and counted
    for the days of the month (from the start date in the first month, to the last snapshot
    in the last).
    """
    con = _con(src)
    q = """
        WITH m AS (
            SELECT run_id, date_trunc('month', date) AS month, max(date) AS d
            FROM powers WHERE power = ? GROUP BY run_id, month
        )
        SELECT p.run_id, p.date, p.oil_stock, p.oil_produced, p.oil_imported_rail,
               p.oil_imported_sea, p.oil_consumed, p.fuel_share
        FROM powers p JOIN m ON p.run_id = m.run_id AND p.date = m.d
        WHERE p.power = ? ORDER BY p.run_id, p.date
    """
    rows = con.execute(q, [power, power]).fetchall()
    if not rows:
        return []
    first, last = con.execute("SELECT min(date), max(date) FROM powers").fetchone()
    keys = ("stock", "made", "rail", "sea", "used", "fuel")
    per: dict[date, dict[str, list[float]]] = {}
    prev_run, prev_day, prev = None, first, [0.0] * 4
    for run, day, stock, *cum, fuel in rows:
        if run != prev_run:  # the cumulative figures are 0 before the first day
            prev_run, prev_day, prev = run, first - timedelta(days=1), [0.0] * 4
        month = day.replace(day=1)
        covered = (min(_month_end(day), last) - max(month, first)).days + 1
        span = (day - prev_day).days
        flows = [
            (c - b) / span * covered if span > 0 else 0.0 for c, b in zip(cum, prev, strict=True)
        ]
        got = per.setdefault(month, {k: [] for k in keys})
        for k, v in zip(keys, [stock, *flows, fuel], strict=True):
            got[k].append(float(v))
        prev_day, prev = day, list(cum)
    out = []
    for month in sorted(per):
        v = per[month]
        st = sorted(v["stock"])
        out.append({
            "month": month, "stock": median(v["stock"]), "made": median(v["made"]),
            "rail": median(v["rail"]), "sea": median(v["sea"]), "used": median(v["used"]),
            "stock_p5": st[int(0.05 * (len(st) - 1))], "stock_p95": st[round(0.95 * (len(st) - 1))],
            "fuel_min": min(v["fuel"]),
        })  # fmt: skip
    return out


def _month_end(d: date) -> date:
    nxt = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def route_months(src: Source, power: str) -> dict[str, dict[date, float]]:
    """Oil delivered to ``power`` by each trade route, month by month (median over all runs).

    From ``oil_delivered`` events (recorded on the next month's first day); a run without a
    delivery that month counts as 0.
    """
    con = _con(src)
    n = con.execute("SELECT count(*) FROM runs").fetchone()[0]
    q = """
        SELECT json_extract_string(details, '$.route') AS route,
               date_trunc('month', date - INTERVAL 1 DAY) AS month, list(value)
        FROM events WHERE kind = 'oil_delivered' AND target = ?
        GROUP BY route, month ORDER BY route, month
    """
    out: dict[str, dict[date, float]] = {}
    for route, month, values in con.execute(q, [power]).fetchall():
        mid = median(list(values) + [0.0] * max(n - len(values), 0))
        m = month.date() if hasattr(month, "date") else month
        out.setdefault(route, {})[m] = float(mid)
    return out


def importers(src: Source, top: int = 6) -> list[str]:
    """The powers that imported the most oil over the ensemble (median of their last day)."""
    con = _con(src)
    q = """
        WITH last AS (SELECT run_id, max(date) AS d FROM powers GROUP BY run_id)
        SELECT p.power, median(p.oil_imported_rail + p.oil_imported_sea) AS imp
        FROM powers p JOIN last ON p.run_id = last.run_id AND p.date = last.d
        GROUP BY p.power HAVING imp > 0 ORDER BY imp DESC LIMIT ?
    """
    return [r[0] for r in con.execute(q, [top]).fetchall()]
