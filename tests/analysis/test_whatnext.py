"""What happens next (analysis.whatnext): each question answered on results with known stories.

``long_war_results`` writes a results folder of ten runs from 1 June 1939 to 2 September 1945,
without the engine: a six-region world (France, Britain, Germany, Italy, the USSR, Japan: one
region each, plus Poland's), with each run's story chosen so every answer is known by counting.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from twinvipers.analysis import questions as q
from twinvipers.analysis import whatnext as W
from twinvipers.analysis.stats import wilson
from twinvipers.ensemble import store

START, END = date(1939, 6, 1), date(1945, 9, 2)
POWERS = {
    "GER": ("axis", "berlin"),
    "ITA": ("axis", "rome"),
    "SOV": ("comintern", "moscow"),
    "GBR": ("allies", "london"),
    "FRA": ("allies", "paris"),
    "POL": ("allies", "warsaw"),
    "JAP": ("japan", "tokyo"),
    "USA": ("neutral", "washington"),
}
VP = {"berlin": 10, "rome": 5, "moscow": 10, "london": 10, "paris": 8, "warsaw": 3, "tokyo": 9}
VP["washington"] = 0
RUNS = 10
FRANCE_FALLS = {r: date(1940, 6, 20) + timedelta(days=10 * r) for r in range(6)}  # runs 0-5
ITALY = {0: ("ITA", "FRA", date(1940, 6, 10)), 1: ("ITA", "GBR", date(1941, 3, 1))}
ITALY[2] = ("SOV", "ITA", date(1942, 1, 5))  # declared on: Italy is against the comintern
USA = {3: ("JAP", "USA", date(1941, 12, 7))}


def _events(r: int) -> list[tuple]:
    """(date, kind, actor, target) of run r."""
    ev = [
        (date(1939, 9, 1), "war_declared", "GER", "POL"),
        (date(1939, 9, 3), "war_declared", "GBR", "GER"),
        (date(1939, 9, 3), "war_declared", "FRA", "GER"),
        (date(1939, 9, 17), "war_declared", "GBR", "SOV"),
        (date(1939, 9, 17), "war_declared", "FRA", "SOV"),
        (date(1939, 10, 1), "capitulation", "POL", "GER"),
        (date(1939, 10, 1), "peace", "POL", "GER"),
        (date(1939, 7, 1), "war_declared", "JAP", "SOV"),
    ]
    if r in FRANCE_FALLS:
        d = FRANCE_FALLS[r]
        ev += [(d, "capitulation", "FRA", "GER"), (d, "peace", "FRA", "GER")]
        ev += [(d, "peace", "FRA", "SOV")]
    if r in ITALY:
        a, b, d = ITALY[r]
        ev.append((d, "war_declared", a, b))
        if r == 0:  # declares on both Allies the same day: one entry, one side
            ev.append((d, "war_declared", "ITA", "GBR"))
    if r in USA:
        a, b, d = USA[r]
        ev.append((d, "war_declared", a, b))
    if r == 4:  # Britain makes peace with Germany (terms, not a capitulation)
        ev.append((date(1941, 5, 1), "peace", "GBR", "GER"))
    if r == 5:  # Japan beaten: capitulates to the USSR, which makes peace with it
        ev += [(date(1944, 8, 1), "capitulation", "JAP", "SOV")]
        ev += [(date(1944, 8, 1), "peace", "JAP", "SOV")]
    if r == 6:
        ev.append((date(1943, 6, 22), "war_declared", "GER", "SOV"))
    if r == 7:
        ev += [(date(1944, 5, 1), "capitulation", "SOV", "GER")]
    return sorted(ev)


def _holder(r: int, region: str, d: date) -> str:
    """Who holds a region on a date in run r: capitals fall with their power, Rome never."""
    owner = next(t for t, (_c, cap) in POWERS.items() if cap == region)
    if region == "warsaw" and d >= date(1939, 10, 1):
        return "GER"
    if region == "paris" and r in FRANCE_FALLS and d >= FRANCE_FALLS[r]:
        return "GER"
    if region == "tokyo" and r == 5 and d >= date(1944, 8, 1):
        return "SOV"
    return owner


def long_war_results(path: Path) -> Path:
    """Write the results folder (contract tables and ensemble.json) and return it."""
    path.mkdir(parents=True, exist_ok=True)
    ev = {k: [] for k in ("run_id", "date", "kind", "actor", "target")}
    ctl = {k: [] for k in ("run_id", "date", "region", "controller")}
    snaps = [START + timedelta(days=7 * k) for k in range((END - START).days // 7 + 1)] + [END]
    for r in range(RUNS):
        for d, kind, a, b in _events(r):
            for k, v in zip(ev, (r, d, kind, a, b), strict=True):
                ev[k].append(v)
        for d in snaps:
            for region in VP:
                for k, v in zip(ctl, (r, d, region, _holder(r, region, d)), strict=True):
                    ctl[k].append(v)
    n = len(ev["run_id"])
    pq.write_table(
        pa.table(
            {
                "run_id": pa.array(ev["run_id"], pa.int64()),
                "date": pa.array(ev["date"], pa.date32()),
                "kind": pa.array(ev["kind"]),
                "actor": pa.array(ev["actor"]),
                "target": pa.array(ev["target"]),
                "region": pa.array([None] * n, pa.string()),
                "value": pa.array([0.0] * n),
                "details": pa.array(["{}"] * n),
                "fields": store.fields_from_details([{}] * n),
            }
        ),
        path / "events.parquet",
    )
    pq.write_table(
        pa.table({**ctl, "date": pa.array(ctl["date"], pa.date32())}), path / "control.parquet"
    )
    pq.write_table(
        pa.table({"run_id": list(range(RUNS)), "end_date": pa.array([END] * RUNS, pa.date32())}),
        path / "runs.parquet",
    )
    pq.write_table(
        pa.table({"run_id": [0], "date": pa.array([END], pa.date32()), "power": ["GER"]}),
        path / "powers.parquet",
    )
    pq.write_table(
        pa.table({"region": list(VP), "kind": ["land"] * len(VP), "vp": list(VP.values())}),
        path / "regions.parquet",
    )
    meta = {
        "scenario": "long_war_test",
        "runs": RUNS,
        "start": START.isoformat(),
        "end": END.isoformat(),
        "status": "complete",
        "powers": {t: {"name": t, "camp": c, "capital": cap} for t, (c, cap) in POWERS.items()},
        "checkpoint_context": {"wars_at_start": []},
    }
    (path / "ensemble.json").write_text(json.dumps(meta))
    return path


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    d = long_war_results(tmp_path_factory.mktemp("long") / "long_war")
    return q.read_meta(d), q.connect(d)


def _answers(results) -> dict[tuple[str, str], W.Answer]:
    meta, con = results
    return {(a.question, a.answer): a for a in W.answers(con, meta)}


def test_france_falls_share_interval_and_dates(results):
    a = _answers(results)[("France falls", "yes")]
    assert (a.runs, a.n) == (6, RUNS)
    assert (a.lo, a.hi) == pytest.approx(wilson(6, RUNS))
    dates = sorted(FRANCE_FALLS.values())
    assert a.when[1] == dates[2] + (dates[3] - dates[2]) / 2  # the median of six dates


def test_italy_and_the_usa_join_on_their_first_war_against_their_enemies_camps(results):
    a = _answers(results)
    assert a[("Italy joins the war", "stays out")].runs == 7
    allies = a[("Italy joins the war", "against allies")]
    first, second = date(1940, 6, 10), date(1941, 3, 1)
    assert allies.runs == 2 and allies.when[1] == first + (second - first) / 2
    assert first < allies.when[0] < allies.when[1] < allies.when[2] < second
    assert a[("Italy joins the war", "against comintern")].runs == 1  # declared on, not declaring
    assert a[("The USA enters the war", "stays out")].runs == 9
    usa = a[("The USA enters the war", "against japan")]
    assert usa.runs == 1 and usa.when[1] == date(1941, 12, 7)


def test_britain_japan_and_the_alliance(results):
    a = _answers(results)
    assert a[("Britain makes peace", "with any enemy")].runs == 1
    assert a[("Britain makes peace", "by capitulating")].runs == 0
    assert a[("Japan is beaten", "yes")].runs == 1
    assert a[("Japan makes peace with the USSR", "yes")].when[1] == date(1944, 8, 1)
    q_ = "The Berlin-Moscow alliance"
    assert a[(q_, "breaks: war between them")].runs == 1
    assert a[(q_, "ends: one of them capitulates")].runs == 1
    assert a[(q_, "holds to the end")].runs == RUNS - 2


def test_holdings_count_camps_at_war_and_the_not_at_war(results):
    meta, con = results
    h = {(x.on, x.camp): x for x in W.holdings(con, meta)}
    on = date(1942, 1, 1)
    # The axis on 1 January 1942: Berlin and Warsaw; Paris where France fell (runs 0-5); Rome
    # where Italy is at war (runs 0, 1; run 2 only from 5 January). In run 4 Britain made peace,
    # so Germany is at war with no one and its regions count as "not at war" (0 for the axis).
    # Per run: 4, 4, 3, 3, 0, 3, 2, 2, 2, 2.
    assert h[(on, "axis")].regions == (2.0, 2.5, 3.0)
    # Not at war: Washington (but in run 3, where the USA is at war and counts as itself), Rome
    # in runs 2-9, Germany's three in run 4. Per run: 1, 1, 2, 1, 5, 2, 2, 2, 2, 2.
    assert h[(on, W.NOT_AT_WAR)].regions == (1.25, 2.0, 2.0)
    assert h[(on, "USA")].regions == (0.0, 0.0, 0.0)  # Washington in run 3 only
    # The allies: London, and Paris where France did not fall (runs 6-9).
    assert h[(on, "allies")].regions == (1.0, 1.0, 2.0)
    # Victory points: the comintern holds Moscow (10 of the map's 55) in every run.
    assert h[(on, "comintern")].vp_share == pytest.approx(10 / sum(VP.values()))
    assert {x.on for x in h.values()} == set(W.HOLD_DATES)


def test_capitals_by_camp(results):
    meta, con = results
    caps = {(c["on"], c["capital"]): c["shares"] for c in W.capitals(con, meta)}
    # Paris: German in runs 0-5, but Germany is at peace in run 4.
    paris = {"axis": 0.5, "allies": 0.4, W.NOT_AT_WAR: 0.1}
    assert caps[(date(1942, 1, 1), "paris")] == pytest.approx(paris)
    assert caps[(date(1945, 1, 1), "tokyo")] == pytest.approx({"japan": 0.9, "comintern": 0.1})
    assert caps[(date(1942, 1, 1), "rome")] == pytest.approx({"not at war": 0.8, "axis": 0.2})
