"""What happens next: the long war's questions over an ensemble (issue 16).

The seed's readers ask whether France falls, whether Italy joins and on which side, whether
Britain makes peace, whether and when the United States comes in, whether Japan is beaten or
makes peace with the USSR, whether the Berlin-Moscow alliance holds, and who holds what on the
first of January of 1942-1945. Each answer is the share of runs (95% Wilson interval) and, where
it happened, when (median and quartiles of the first date over those runs), read from the
``events`` and ``control`` tables only. The powers asked about are named here (this is a face,
not the engine); a question whose powers the ensemble lacks is left out.

Definitions (from the event kinds, ``rules/eventkinds.py``): a power *falls* or *is beaten* when
it capitulates (total surrender, or its ``gives_up`` terms); it *makes peace* with another on a
``peace`` event between them (a capitulation makes peace with each enemy); it *joins* a war on its
first ``war_declared`` event as actor or target, and its side is against the camps of the powers
it is at war with that day; the alliance *breaks* on a declaration of war between its members.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date
from statistics import median, quantiles
from typing import Any

from twinvipers.analysis.questions import NEUTRAL_CAMP, Source, _con, at_war_on, camp_of
from twinvipers.analysis.stats import wilson

#: The dates of "who holds what".
HOLD_DATES = tuple(date(y, 1, 1) for y in (1942, 1943, 1944, 1945))
#: The group of a holder at war with no one on the date.
NOT_AT_WAR = "not at war"
#: Capitals whose holder the report names, by power (those the ensemble has).
CAPITAL_POWERS = ("GBR", "FRA", "GER", "ITA", "SOV", "JAP", "CHN", "USA")


#: What in the model can bring each answer about (read the shares with it: a share of 0 where
#: the model has no way to produce the outcome measures the model, not the timeline).
HOW = {
    "France falls": "France capitulates under the capitulation rule (war pressure: regions, "
    "capital and army lost) when the German high command's offensives break it.",
    "Italy joins the war": "The diplomacy model (free diplomacy, rules/entry.py) from the point "
    "of divergence: Italy's stakeholders, the war's course, threat and spoils; before it, the "
    "seed keeps Italy out.",
    "The USA enters the war": "The diplomacy model only: a neutral joins a side; no power's "
    "high command declares war on the USA (declarations stay scripted in free mode).",
    "Britain makes peace": "Only by capitulating: the model has no negotiated peace yet "
    "(rules/entry.py: seeking and accepting terms are not in the engine), and no high command "
    "orders a landing, so Britain's regions can be taken only by land.",
    "Japan is beaten": "Only by capitulating, with its home islands reachable only by landings "
    "no high command orders.",
    "Japan makes peace with the USSR": "Only as part of a capitulation (Japan's, or a "
    "gives_up event's terms): no negotiated peace yet.",
    "The Berlin-Moscow alliance": "It can break only by a declaration of war between them, and "
    "in free mode declarations stay scripted while the diplomacy model moves only neutrals: "
    "the model cannot break it yet.",
}


@dataclasses.dataclass(frozen=True)
class Answer:
    """One answer to one question: in how many runs, with its interval, and when."""

    question: str
    answer: str
    runs: int
    n: int
    lo: float
    hi: float
    when: tuple[date, date, date] | None  # first date: quartile 1, median, quartile 3

    @property
    def share(self) -> float:
        """The share of runs."""
        return self.runs / self.n if self.n else 0.0


def _answer(question: str, answer: str, dates: list[date], n: int) -> Answer:
    lo, hi = wilson(len(dates), n)
    return Answer(question, answer, len(dates), n, lo, hi, _quartiles(dates))


def _count(question: str, answer: str, k: int, n: int) -> Answer:
    """An answer that has no date (something that never happened in those runs)."""
    lo, hi = wilson(k, n)
    return Answer(question, answer, k, n, lo, hi, None)


def _quartiles(dates: list[date]) -> tuple[date, date, date] | None:
    """Quartile 1, median and quartile 3 of dates (None for none)."""
    if not dates:
        return None
    ords = sorted(d.toordinal() for d in dates)
    if len(ords) == 1:
        return (dates[0],) * 3
    q1, _, q3 = quantiles(ords, n=4, method="inclusive")
    return (
        date.fromordinal(round(q1)),
        date.fromordinal(round(median(ords))),
        date.fromordinal(round(q3)),
    )


def _first(con: Any, where: str, params: list[Any]) -> dict[int, date]:
    """Per run, the first date of the events matching ``where``."""
    rows = con.execute(
        f"SELECT run_id, min(date) FROM events WHERE {where} GROUP BY run_id", params
    ).fetchall()
    return {int(r): d for r, d in rows}


def _pair(a: str, b: str) -> tuple[str, list[str]]:
    """An SQL condition (and its parameters): an event between ``a`` and ``b``, either way."""
    sql = "((actor::VARCHAR = ? AND target::VARCHAR = ?) OR (actor::VARCHAR = ? AND target::VARCHAR = ?))"
    return sql, [a, b, b, a]


def entries(con: Any, power: str, camps: dict[str, str]) -> dict[int, tuple[date, str]]:
    """Per run, the first day ``power`` is in a war and the side it took: "against CAMP[, CAMP]".

    Wars the power is in on the start date are not entries (they are ``war_declared`` events
    of day 0 too, and count: the caller asks about neutrals).
    """
    rows = con.execute(
        """
        WITH w AS (
            SELECT run_id, date,
                   CASE WHEN actor::VARCHAR = ? THEN target::VARCHAR ELSE actor::VARCHAR END AS enemy
            FROM events
            WHERE kind = 'war_declared' AND (actor::VARCHAR = ? OR target::VARCHAR = ?)
        ), f AS (SELECT run_id, min(date) AS d FROM w GROUP BY run_id)
        SELECT w.run_id, w.date, list(DISTINCT w.enemy ORDER BY w.enemy)
        FROM w JOIN f ON w.run_id = f.run_id AND w.date = f.d
        GROUP BY w.run_id, w.date
        """,
        [power, power, power],
    ).fetchall()
    out = {}
    for run, d, enemies in rows:
        sides = sorted({camps.get(e, e) for e in enemies})
        out[int(run)] = (d, "against " + ", ".join(sides))
    return out


def answers(src: Source, meta: dict[str, Any]) -> list[Answer]:
    """Every question's answers, in the order the seed's readers ask them."""
    con = _con(src)
    n = int(con.execute("SELECT count(*) FROM runs").fetchone()[0])
    powers = set(meta.get("powers", {}))
    camps = camp_of(meta)
    out: list[Answer] = []

    def has(*tags: str) -> bool:
        return all(t in powers for t in tags)

    def capitulates(tag: str, question: str) -> None:
        first = _first(con, "kind = 'capitulation' AND actor::VARCHAR = ?", [tag])
        out.append(_answer(question, "yes", list(first.values()), n))

    if has("FRA"):
        capitulates("FRA", "France falls")
    for tag, question in (("ITA", "Italy joins the war"), ("USA", "The USA enters the war")):
        if not has(tag):
            continue
        joined = entries(con, tag, camps)
        by_side: dict[str, list[date]] = defaultdict(list)
        for d, side in joined.values():
            by_side[side].append(d)
        out.append(_count(question, "stays out", n - len(joined), n))
        for side in sorted(by_side):
            out.append(_answer(question, side, by_side[side], n))
    if has("GBR"):
        peace = _first(
            con, "kind = 'peace' AND (actor::VARCHAR = 'GBR' OR target::VARCHAR = 'GBR')", []
        )
        out.append(_answer("Britain makes peace", "with any enemy", list(peace.values()), n))
        capitulates("GBR", "Britain makes peace")
        out[-1] = dataclasses.replace(out[-1], answer="by capitulating")
    if has("JAP"):
        capitulates("JAP", "Japan is beaten")
        if has("SOV"):
            where, params = _pair("JAP", "SOV")
            peace = _first(con, f"kind = 'peace' AND {where}", params)
            out.append(_answer("Japan makes peace with the USSR", "yes", list(peace.values()), n))
    if has("GER", "SOV"):
        where, params = _pair("GER", "SOV")
        broken = _first(con, f"kind = 'war_declared' AND {where}", params)
        fallen = _first(con, "kind = 'capitulation' AND actor::VARCHAR IN ('GER', 'SOV')", [])
        fallen = {r: d for r, d in fallen.items() if r not in broken}
        q = "The Berlin-Moscow alliance"
        out.append(_answer(q, "breaks: war between them", list(broken.values()), n))
        out.append(_answer(q, "ends: one of them capitulates", list(fallen.values()), n))
        out.append(_count(q, "holds to the end", n - len(broken) - len(fallen), n))
    return out


@dataclasses.dataclass(frozen=True)
class Holding:
    """What one camp holds on one date: land regions and victory points over the runs."""

    on: date
    camp: str
    regions: tuple[float, float, float]  # quartile 1, median, quartile 3 over the runs
    vp_share: float  # median share of the map's victory points
    runs_ahead: float  # share of runs in which the camp holds the most victory points


def holdings(
    src: Source, meta: dict[str, Any], dates: tuple[date, ...] = HOLD_DATES
) -> list[Holding]:
    """Per date and camp, the land regions and victory points held (last snapshot on or before).

    Dates before the first snapshot or after the last are left out. A power at war counts in
    its scenario camp (``ensemble.json``), whatever side it fights on, except that a power of
    the ``neutral`` camp at war counts as itself (Finland in its Winter War); a power at war
    with no one that day counts as "not at war" (Italy, while it stays out).
    """
    con = _con(src)
    camps = camp_of(meta)
    first, last = con.execute("SELECT min(date), max(date) FROM control").fetchone()
    out: list[Holding] = []
    for on in dates:
        if first is None or not first <= on <= last:
            continue
        rows = con.execute(
            """
            WITH snap AS (SELECT max(date) AS d FROM control WHERE date <= ?)
            SELECT c.run_id, c.controller::VARCHAR, count(*), sum(coalesce(g.vp, 0))
            FROM control c JOIN snap ON c.date = snap.d
            LEFT JOIN regions g ON g.region = c.region::VARCHAR
            GROUP BY 1, 2
            """,
            [on],
        ).fetchall()
        regions: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        vp: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        total_vp: dict[int, float] = defaultdict(float)
        runs = sorted({int(r[0]) for r in rows})
        fighting = at_war_on(con, on, meta)
        for run, ctrl, k, v in rows:
            g = _group(ctrl, camps, fighting.get(int(run), set()))
            regions[g][int(run)] += k
            vp[g][int(run)] += float(v or 0)
            total_vp[int(run)] += float(v or 0)
        ahead: dict[str, int] = defaultdict(int)
        for run in runs:
            best = max(vp, key=lambda g, run=run: (vp[g].get(run, 0.0), g))
            ahead[best] += 1
        for g in sorted(regions, key=lambda g: -median(vp[g].get(r, 0.0) for r in runs)):
            counts = [regions[g].get(r, 0.0) for r in runs]
            q = quantiles(counts, n=4, method="inclusive") if len(counts) > 1 else counts * 3
            shares = [vp[g].get(r, 0.0) / total_vp[r] if total_vp[r] else 0.0 for r in runs]
            out.append(
                Holding(on, g, (q[0], median(counts), q[-1]), median(shares), ahead[g] / len(runs))
            )
    return out


def _group(ctrl: str | None, camps: dict[str, str], at_war: set[str]) -> str:
    """The group a holder counts in: its camp if at war, else "not at war"."""
    if not ctrl:
        return "none"
    if ctrl not in at_war:
        return NOT_AT_WAR
    camp = camps.get(ctrl, ctrl)
    return ctrl if camp == NEUTRAL_CAMP else camp


def capitals(
    src: Source, meta: dict[str, Any], dates: tuple[date, ...] = HOLD_DATES
) -> list[dict[str, Any]]:
    """Per date and great power's capital, the share of runs in which each camp holds it."""
    con = _con(src)
    camps = camp_of(meta)
    powers = meta.get("powers", {})
    caps = {t: powers[t].get("capital") for t in CAPITAL_POWERS if powers.get(t, {}).get("capital")}
    first, last = con.execute("SELECT min(date), max(date) FROM control").fetchone()
    out = []
    for on in dates:
        if first is None or not first <= on <= last:
            continue
        rows = con.execute(
            """
            WITH snap AS (SELECT max(date) AS d FROM control WHERE date <= ?)
            SELECT c.region::VARCHAR, c.controller::VARCHAR, c.run_id
            FROM control c JOIN snap ON c.date = snap.d
            WHERE c.region::VARCHAR IN (SELECT unnest(?))
            """,
            [on, list(caps.values())],
        ).fetchall()
        held: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        fighting = at_war_on(con, on, meta)
        for region, ctrl, run in rows:
            held[region][_group(ctrl, camps, fighting.get(int(run), set()))] += 1
        for tag, region in caps.items():
            total = sum(held[region].values())
            if total:
                out.append(
                    {
                        "on": on,
                        "power": tag,
                        "capital": region,
                        "shares": {
                            g: k / total
                            for g, k in sorted(held[region].items(), key=lambda x: -x[1])
                        },
                    }
                )
    return out
