"""Scripted events through the engine: triggers fire once, in file order; each effect does what
the README says, seen in the State and the History of a compiled run on a small grid world."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.worlds import Runner, grid_world, name
from twinvipers.invariants import check_day
from twinvipers.rules import codes

START = dt.date(1939, 7, 1)


def _on(day: int) -> str:
    return (START + dt.timedelta(days=day)).isoformat()


def _event(eid, trigger, *effects):
    return {"id": eid, "trigger": trigger, "effects": list(effects), "source": "test"}


def _west_red(x, y):
    return "RED" if x == 0 else "BLU"


FORCES = [
    {"id": "red_a", "power": "RED", "region": name(0, 0), "men": 20_000, "leader": "old"},
    {"id": "red_b", "power": "RED", "region": name(0, 1), "men": 15_000, "leader": "old"},
    {"id": "red_late", "power": "RED", "region": None, "men": 12_000},
    {"id": "red_res", "power": "RED", "region": name(0, 1), "men": 9_000, "reserve": True},
    {"id": "blu_a", "power": "BLU", "region": name(2, 1), "men": 20_000},
]
LEADERS = [
    {"id": "old", "name": "Old", "power": "RED", "skill": 2, "source": "test"},
    {"id": "new", "name": "New", "power": "RED", "skill": 4, "source": "test"},
]


def _run(tmp_path, events, days, war=False, **kw) -> Runner:
    c = grid_world(tmp_path, _west_red, 3, 2, FORCES, war=war, events=events, leaders=LEADERS,
                   **kw)  # fmt: skip
    run = Runner(c)
    run.step(days)
    return run


def _history(run: Runner) -> list[tuple[int, str, int, int, int, int]]:
    """(day, kind, actor, target, region, aux) of every event recorded."""
    h, n = run.h, int(run.h.count[0])
    return [
        (int(h.ev_day[i]), codes.KINDS[h.ev_kind[i]], int(h.ev_actor[i]), int(h.ev_target[i]),
         int(h.ev_region[i]), int(h.ev_aux[i]))
        for i in range(n)
    ]  # fmt: skip


def _fired(run: Runner) -> dict[str, list[int]]:
    """Days each scripted event fired on."""
    out: dict[str, list[int]] = {}
    for day, kind, *_, aux in _history(run):
        if kind == "scripted":
            out.setdefault(run.c.events[aux], []).append(day)
    return out


def test_an_event_fires_once_on_the_first_day_its_trigger_holds(tmp_path):
    events = [_event("window", {"between": [_on(3), _on(9)]},
                     {"set": {"power": "BLU", "field": "will", "value": 1.5}})]  # fmt: skip
    run = _run(tmp_path, events, 12)
    assert _fired(run) == {"window": [3]}
    assert run.s.politics.fired[run.c.events.index("window")]


def test_events_fire_in_file_order_and_see_what_fired_before_them(tmp_path):
    war = {"declare_war": {"actor": "RED", "target": "BLU"}}
    will = {"set": {"power": "RED", "field": "will", "value": 1.2}}
    events = [
        _event("before", {"fired": "war"}, will),  # listed first: sees the war the next day
        _event("war", {"date": _on(2)}, war),
        _event("after", {"all": [{"fired": "war"}, {"at_war": ["RED", "BLU"]}]}, will),
        _event("at_peace", {"not": {"at_war": ["BLU", "RED"]}}, will),  # holds on days 0-1
    ]
    run = _run(tmp_path, events, 5)
    fired = _fired(run)
    assert fired["war"] == [2] and fired["after"] == [2] and fired["before"] == [3]
    assert fired["at_peace"] == [0]  # once, on the first day it held


def test_a_controller_trigger_follows_the_map(tmp_path):
    events = [
        _event("cede", {"date": _on(1)}, {"transfer_region": {"region": name(1, 0), "to": "RED"}}),
        _event("react", {"controller": {"region": name(1, 0), "power": "RED"}},
               {"set": {"power": "BLU", "field": "will", "value": 0.5}}),
    ]  # fmt: skip
    run = _run(tmp_path, events, 4)
    assert _fired(run) == {"cede": [1], "react": [1]}
    assert run.s.politics.will[run.c.powers.index("BLU")] == 0.5


def test_war_and_peace_are_mutual_and_recorded(tmp_path):
    events = [
        _event("war", {"date": _on(1)}, {"declare_war": {"actor": "RED", "target": "BLU"}}),
        _event("peace", {"date": _on(2)}, {"peace": {"a": "BLU", "b": "RED"}}),
    ]
    c = grid_world(tmp_path, _west_red, 3, 2, FORCES, war=False, events=events, leaders=LEADERS)
    run = Runner(c)
    red, blu = c.powers.index("RED"), c.powers.index("BLU")
    run.step(2)
    assert run.s.politics.at_war[red, blu] and run.s.politics.at_war[blu, red]
    run.step(1)
    assert not run.s.politics.at_war.any()
    wars = [e[:4] for e in _history(run) if e[1] in ("war_declared", "peace")]
    assert wars == [(1, "war_declared", red, blu), (2, "peace", blu, red)]


def test_a_transferred_region_changes_owner_and_controller(tmp_path):
    events = [
        _event("cede", {"date": _on(1)}, {"transfer_region": {"region": name(2, 0), "to": "RED"}})
    ]
    run = _run(tmp_path, events, 2)
    r, red, blu = (run.c.regions.index(name(2, 0)), run.c.powers.index("RED"),
                   run.c.powers.index("BLU"))  # fmt: skip
    assert run.s.control.owner[r] == red and run.s.control.controller[r] == red
    assert (1, "region_captured", red, blu, r, -1) in _history(run)


def test_forces_are_placed_moved_and_removed_keeping_their_men(tmp_path):
    events = [
        _event("arrive", {"date": _on(1)}, {"place_force": {"force": "red_late",
                                                           "region": name(0, 1)}}),
        _event("shift", {"date": _on(2)}, {"move_force": {"force": "red_late",
                                                         "to": name(0, 0)}}),
        _event("leave", {"date": _on(3)}, {"remove_force": {"force": "red_late"}}),
    ]  # fmt: skip
    c = grid_world(tmp_path, _west_red, 3, 2, FORCES, war=False, events=events, leaders=LEADERS)
    run = Runner(c)
    f = c.forces.index("red_late")
    assert not run.s.land.f_active[f]
    seen = []
    for _ in range(4):
        run.step()
        seen.append((bool(run.s.land.f_active[f]), int(run.s.land.f_region[f])))
        assert check_day(c.world, run.s, run.day - 1, c) == []
    r01, r00 = c.regions.index(name(0, 1)), c.regions.index(name(0, 0))
    assert seen == [(False, -1), (True, r01), (True, r00), (False, r00)]
    assert run.s.land.f_men[f] == 12_000  # out of the war, not dead


@pytest.mark.parametrize(
    ("field", "target", "value"),
    [("will", {"power": "BLU"}, 0.4), ("fort", {"region": name(1, 1)}, 3.0),
     ("vp", {"region": name(1, 1)}, 7.0), ("industry", {"region": name(1, 1)}, 12.0),
     ("initiative", {"power": "RED"}, 0.0)],
)  # fmt: skip
def test_set_changes_one_number_on_its_day(tmp_path, field, target, value):
    events = [_event("set", {"date": _on(2)}, {"set": {**target, "field": field, "value": value}})]
    c = grid_world(tmp_path, _west_red, 3, 2, FORCES, war=False, events=events, leaders=LEADERS)
    run = Runner(c)

    def now():
        if "power" in target:
            p = c.powers.index(target["power"])
            return run.s.politics.will[p] if field == "will" else run.s.politics.initiative[p]
        rec = run.s.control
        return getattr(rec, field)[c.regions.index(target["region"])]

    run.step(2)
    assert now() != value
    run.step(1)
    assert now() == value


def test_set_takes_an_assumptions_value_of_the_run(tmp_path):
    events = [_event("set", {"date": _on(0)},
                     {"set": {"power": "BLU", "field": "will", "value": {"assumption": "w"}}})]  # fmt: skip
    assumptions = [{"id": "w", "description": "will", "dist": {"uniform": [0.3, 0.6]},
                    "source": "test"}]  # fmt: skip
    run = _run(tmp_path, events, 1, assumptions=assumptions)
    will = run.s.politics.will[run.c.powers.index("BLU")]
    assert will == run.params[-1] and 0.3 <= will <= 0.6


def test_a_replaced_leader_hands_over_every_force_he_led(tmp_path):
    events = [_event("sack", {"date": _on(1)}, {"replace_leader": {"old": "old", "new": "new"}})]
    run = _run(tmp_path, events, 2)
    old, new = run.c.leaders.index("old"), run.c.leaders.index("new")
    led = [run.s.land.f_leader[run.c.forces.index(f)] for f in ("red_a", "red_b")]
    assert led == [new, new]
    h, n = run.h, int(run.h.count[0])
    rows = np.flatnonzero(h.ev_kind[:n] == codes.K_LEADER)
    assert [(int(h.ev_aux[i]), int(h.ev_value[i])) for i in rows] == [(new, old)]


def test_an_offensive_orders_its_forces_and_releases_a_reserve(tmp_path):
    goal = name(2, 1)
    events = [_event("go", {"date": _on(1)}, {"offensive": {"power": "RED", "target": goal,
                                                           "forces": ["red_res"]}})]  # fmt: skip
    run = _run(tmp_path, events, 2, war=True)
    f = run.c.forces.index("red_res")
    assert run.s.land.f_target[f] == run.c.regions.index(goal)
    assert not run.s.land.f_reserve[f]
    assert run.goal("red_res") is not None  # it is on its way


def test_mobilisation_starts_the_count_of_scheduled_reserves(tmp_path):
    forces = [*FORCES, {"id": "red_sched", "power": "RED", "region": name(0, 0), "men": 5_000,
                        "reserve": True, "ready_after": 3}]  # fmt: skip
    events = [_event("mob", {"date": _on(2)}, {"mobilise": {"power": "RED"}})]
    c = grid_world(tmp_path, _west_red, 3, 2, forces, war=False, events=events, leaders=LEADERS)
    run = Runner(c)
    f = c.forces.index("red_sched")
    released = []
    for _ in range(8):
        run.step()
        released.append(not run.s.land.f_reserve[f])
    assert run.s.politics.p_mobilised[c.powers.index("RED")] == 2
    assert released == [False] * 5 + [True] * 3  # free from day 2 + 3
