"""The report's "Who joins, and why" (report/diplomacy.py) on small ensembles of the toy world.

``tests/scenarios/free_diplomacy``: RED and BLUE at war from the start, ALY allied to RED, NEU a
neutral. Each figure of the section is recomputed here from the events table.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import ROOT, scenario_variant
from tests.rules.test_entry import TERMS_POWERS, TERMS_REGIONS
from twinvipers.analysis import questions as q
from twinvipers.analysis.stats import wilson
from twinvipers.report import diplomacy as D

WORLD = ROOT / "tests" / "scenarios" / "free_diplomacy"
RUNS = 40


def _ensemble(tmp_path_factory, scenario, name):
    from twinvipers.ensemble.runner import Spec, run_ensemble

    out = tmp_path_factory.mktemp(name) / "r"
    run_ensemble(Spec(str(scenario), RUNS, seed=1, chunk_size=RUNS), out, workers=1)
    return q.connect(out), q.read_meta(out)


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return _ensemble(tmp_path_factory, WORLD, "toy")


@pytest.mark.slow
def test_the_neutrals_are_the_powers_with_figures_at_peace_on_the_start_date(toy):
    con, meta = toy
    assert D.neutrals(meta) == ["NEU", "ALY"]


@pytest.mark.slow
def test_shares_at_war_and_sides_are_the_events_counted(toy):
    con, meta = toy
    html = D.section(con, meta)
    assert "Who joins, and why" in html
    wars = D.first_wars(con, ["NEU", "ALY"])
    for tag in ("NEU", "ALY"):
        entered = {
            r
            for (r,) in con.execute(
                "SELECT DISTINCT run_id FROM events WHERE kind = 'war_entry' AND actor = ?", [tag]
            ).fetchall()
        }
        assert set(wars[tag]) == entered  # nobody attacks them in the toy: their wars are entries
        assert all(rel == "beside" and other == "RED" for _, rel, other in wars[tag].values())
        k = len(entered)
        lo, hi = wilson(k, RUNS)
        assert f"{100 * k / RUNS:.0f}% <span class='muted'>({100 * lo:.0f}–{100 * hi:.0f})" in html
    # ALY honours its pact in about three runs in four; its entries' drivers are listed.
    assert len(wars["ALY"]) > RUNS // 2
    drivers = D.factors(con)["ALY"]
    assert len(drivers) == 10 and drivers[0][2] == len(wars["ALY"])
    mean = con.execute(
        "SELECT avg(value) FROM events WHERE kind = 'entry_factor' AND actor = 'ALY' "
        "AND json_extract_string(details, '$.factor') = ?",
        [drivers[0][0]],
    ).fetchone()[0]
    assert drivers[0][1] == pytest.approx(mean)
    # The figures that went with war: ALY's own and the weights, sampled in these runs.
    assert "aly_" in html or "diplo_" in html


@pytest.mark.slow
def test_terms_sought_and_answered_are_counted(tmp_path_factory, tmp_path):
    d = scenario_variant(tmp_path, WORLD, "terms", powers=TERMS_POWERS, regions=TERMS_REGIONS)
    con, meta = _ensemble(tmp_path_factory, d, "terms")
    html = D.section(con, meta)
    accepted = con.execute(
        "SELECT count(DISTINCT run_id) FROM events WHERE kind = 'terms_answered' "
        "AND json_extract_string(details, '$.answer') = 'accepted'"
    ).fetchone()[0]
    sought = con.execute("SELECT count(*) FROM events WHERE kind = 'terms_sought'").fetchone()[0]
    assert sought > 0 and "Terms sought and answered" in html
    lo, hi = wilson(accepted, RUNS)
    assert (
        f"{100 * accepted / RUNS:.0f}% <span class='muted'>({100 * lo:.0f}–{100 * hi:.0f})" in html
    )


def test_no_section_without_free_diplomacy(tmp_path_factory, tmp_path):
    meta = {"powers": {"RED": {}, "NEU": {}}, "diplomacy_powers": []}
    assert D.neutrals(meta) == []
    assert D.section(None, meta) == ""


def test_a_reading_takes_the_quarter_of_runs_furthest_its_way():
    rng = np.random.default_rng(1)
    a, b = rng.uniform(size=400), rng.uniform(size=400)
    reading = D.Reading("r", "arg", "src", (("a", +1), ("b", -1)))
    mask = D.reading_runs({"a": a, "b": b}, reading)
    assert mask.sum() == 100
    # Its runs drew a high and b low.
    assert a[mask].mean() > 0.6 and b[mask].mean() < 0.4
    assert D.reading_runs({"a": a}, reading) is None  # b not sampled: no answer


def test_the_figures_that_went_with_war_are_found_by_rank():
    rng = np.random.default_rng(2)
    x, y, z = (rng.uniform(size=300) for _ in range(3))
    at_war = x + 0.2 * rng.uniform(size=300) > 0.8
    figs = D.figures_that_moved({"ita_x": x, "diplo_y": y, "spa_z": z}, at_war, "ita_")
    assert figs[0][0] == "ita_x" and figs[0][1] > 0.3
    assert "spa_z" not in [f for f, _ in figs]  # another power's figure is not its own
