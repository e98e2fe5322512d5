"""Questions about the war economy over an ensemble's ``powers`` and ``events`` tables.

Production by power and period (tanks and aircraft delivered, from the cumulative columns of
``powers``), each power's oil month by month (stock, imports by land and by sea, consumption),
and the oil each trade route delivered month by month (``oil_delivered`` events). Medians are
over the runs; a run without a delivery in a month counts as 0.
"""

from __future__ import annotations

from datetime import date
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

    Its stock at the month's last snapshot and what it imported by land and by sea, consumed
    and produced in the month; the first month runs from the first snapshot (the start date).
    """
    con = _con(src)
    q = """
        WITH m AS (
            SELECT run_id, date_trunc('month', date) AS month, max(date) AS d
            FROM powers WHERE power = ? GROUP BY run_id, month
        ), e AS (
            SELECT p.run_id, m.month, p.oil_stock, p.oil_imported_rail AS rail,
                   p.oil_imported_sea AS sea, p.oil_consumed AS used, p.oil_produced AS made,
                   p.fuel_share AS fuel
            FROM powers p JOIN m ON p.run_id = m.run_id AND p.date = m.d WHERE p.power = ?
        ), d AS (
            SELECT run_id, month, oil_stock, fuel,
                   rail - coalesce(lag(rail) OVER w, 0) AS rail,
                   sea - coalesce(lag(sea) OVER w, 0) AS sea,
                   used - coalesce(lag(used) OVER w, 0) AS used,
                   made - coalesce(lag(made) OVER w, 0) AS made
            FROM e WINDOW w AS (PARTITION BY run_id ORDER BY month)
        )
        SELECT month, median(oil_stock), median(rail), median(sea), median(used), median(made),
               quantile_cont(oil_stock, 0.05), quantile_cont(oil_stock, 0.95), min(fuel)
        FROM d GROUP BY month ORDER BY month
    """
    keys = ("stock", "rail", "sea", "used", "made", "stock_p5", "stock_p95", "fuel_min")
    return [
        {"month": row[0].date() if hasattr(row[0], "date") else row[0],
         **{k: float(v or 0.0) for k, v in zip(keys, row[1:], strict=True)}}
        for row in con.execute(q, [power, power]).fetchall()
    ]  # fmt: skip


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
