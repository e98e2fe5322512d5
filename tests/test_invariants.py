"""The invariant checker: it holds on random grid wars and the shipped scenarios, and it catches
each kind of broken state it claims to."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from tests.conftest import SEA_WAR, run_days
from tests.worlds import grid_wars, grid_world
from twinvipers.invariants import check_day, check_events, check_run, snapshot_state
from twinvipers.rules import codes
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load


def _report(found) -> str:
    return "\n".join(str(v) for v in found[:20])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid_wars())
def test_random_grid_wars_keep_every_invariant_every_day(kw):
    with tempfile.TemporaryDirectory() as d:
        c = grid_world(Path(d), **kw)
    found = check_run(c, seed=3, days=60)
    assert not found, _report(found)


@pytest.mark.parametrize(
    "scenario", ["poland_1939", "historical_1939", "twin_vipers_1939", str(SEA_WAR)],
    ids=["poland_1939", "historical_1939", "twin_vipers_1939", "sea_war"],
)  # fmt: skip
def test_shipped_scenarios_keep_every_invariant_every_day(scenario):
    c = compile_scenario(load(scenario).scenario)
    for seed in (1, 2):  # every day from the start to the scenario's end
        found = check_run(c, seed=seed)
        assert not found, _report(found)


# --- the checker catches what it claims to ------------------------------------------------------


@pytest.fixture(scope="module")
def poland():
    """poland_1939 after 30 days (battles fought, losses booked) and the day before."""
    c = compile_scenario(load("poland_1939").scenario)
    before, _ = run_days(c, 29)
    s, h = run_days(c, 30)
    return c, snapshot_state(before), s, h


def _broken(poland, change):
    """The violations in a copy of the 30-day state after ``change(state, compiled)``."""
    c, before, s, _ = poland
    bad = snapshot_state(s)
    change(bad, c)
    return check_day(c.world, bad, 29, c, before)


def test_a_healthy_state_has_no_violation(poland):
    c, before, s, _ = poland
    assert s.land.killed.sum() > 0  # the 30 days saw fighting
    assert check_day(c.world, s, 29, c, before) == []


def _one(found, record, field):
    assert found, "nothing found"
    assert {(v.record, v.field) for v in found} == {(record, field)}, _report(found)
    return found


def test_men_vanishing_from_a_force_break_conservation(poland):
    def change(s, c):
        f = int(np.argmax(s.land.f_men))
        s.land.f_men[f] -= 1000.0  # gone without being booked as a loss

    found = _one(_broken(poland, change), "land", "f_men")
    c = poland[0]
    f = int(np.argmax(poland[2].land.f_men))
    assert found[0].entity == f"power {c.powers[c.world.f_power[f]]}"
    assert found[0].day == 29 and "gap -1000" in found[0].message


def test_negative_men_and_stocks_are_caught_by_force(poland):
    def change(s, c):
        s.land.f_men[0] = -5.0
        s.land.killed[c.world.f_power[0]] += 5.0 + poland[2].land.f_men[0]  # still conserved
        s.supply.f_stock[1] = -1.0

    found = _broken(poland, change)
    c = poland[0]
    got = {(v.record, v.field, v.entity) for v in found}
    assert ("land", "f_men", f"force {c.forces[0]}") in got
    assert ("supply", "f_stock", f"force {c.forces[1]}") in got


def test_an_active_force_off_the_map_is_caught(poland):
    def change(s, c):
        f = int(np.flatnonzero(s.land.f_active)[0])
        s.land.f_region[f] = -1

    found = _one(_broken(poland, change), "land", "f_region")
    assert found[0].entity.startswith("force ")


def test_a_one_sided_war_and_a_bad_controller_are_caught(poland):
    def change(s, c):
        s.politics.at_war[0, 1] = not s.politics.at_war[1, 0]
        s.control.controller[2] = len(c.powers)

    found = _broken(poland, change)
    assert {(v.record, v.field) for v in found} == {
        ("politics", "at_war"),
        ("control", "controller"),
    }, _report(found)


def test_losses_that_shrink_overnight_are_caught(poland):
    def change(s, c):
        p = int(np.argmax(s.land.killed))
        moved = s.land.killed[p] * 0.5
        s.land.killed[p] -= moved
        s.land.wounded[p] += moved  # conserved, but the dead came back to life

    _one(_broken(poland, change), "land", "killed")


def test_ships_and_aircraft_never_grow():
    c = compile_scenario(load(SEA_WAR).scenario)
    s, _ = run_days(c, 5)
    assert check_day(c.world, s, 4, c) == []
    s.sea.fl_ships[0, :] += 1.0
    found = check_day(c.world, s, 4, c)
    assert [(v.record, v.field, v.entity) for v in found] == [
        ("sea", "fl_ships", f"fleet {c.fleets[0]}")
    ], _report(found)


def test_malformed_events_are_caught(poland):
    c, _, _, h = poland
    n = int(h.count[0])
    assert n > 0
    assert check_events(h, c.world, 29, 0, 0, 0, c) == []
    h2 = type(h)(*(np.array(a, copy=True) for a in h))
    i = int(np.flatnonzero(h2.ev_kind[:n] == codes.K_SCRIPTED)[0])
    h2.ev_aux[i] = len(c.events)  # no such scripted event
    day = int(h2.ev_day[i])
    found = check_events(h2, c.world, day, 0, i, i + 1, c)
    assert [(v.field, v.day) for v in found] == [("ev_aux", day)], _report(found)
    h2.ev_kind[i] = len(codes.KINDS)
    assert [v.field for v in check_events(h2, c.world, day, 0, i, i + 1, c)] == ["ev_kind"]
    j = int(np.flatnonzero(h2.ev_kind[:n] == codes.K_CAPTURED)[0])
    found = check_events(h2, c.world, int(h2.ev_day[j]) + 1, 0, j, j + 1, c)
    assert [v.field for v in found] == ["ev_day"]  # only battles are dated back


def test_battles_are_dated_back_to_their_first_day(poland):
    c, _, _, h = poland
    n = int(h.count[0])
    rows = np.flatnonzero(h.ev_kind[:n] == codes.K_BATTLE)
    assert rows.size > 0
    for i in rows:
        assert check_events(h, c.world, 29, 0, int(i), int(i) + 1, c) == []
