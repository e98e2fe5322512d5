"""Allocation of a power's forces (command.allocate): holders, objectives, local attacks,
reinforcement and ways out, each kernel on a small grid (through ``py_func``)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.command.test_fronts import _picture, py
from tests.worlds import Runner, grid_world, name
from twinvipers.command import allocate as A
from twinvipers.rules import params as P


@pytest.fixture(autouse=True)
def _plain_helpers(monkeypatch):
    """Kernels have no Python wrapper: the plain bodies tested here call the helper's body."""
    monkeypatch.setattr(A, "in_theatre", py(A.in_theatre))


def _west_red(x, y):
    return "RED" if x <= 1 else "BLU"


def _world(tmp_path, forces, **kw):
    return Runner(grid_world(tmp_path, _west_red, 4, 3, forces, **kw))


def _f(fid, power, x, y, men):
    return {"id": fid, "power": power, "region": name(x, y), "men": men}


@pytest.fixture
def line(tmp_path):
    """RED's three forces in its rear column, BLU massing against (1, 2)."""
    forces = [_f(f"red_{y}", "RED", 0, y, 20_000) for y in range(3)]
    forces += [_f("blu_big", "BLU", 2, 2, 60_000), _f("blu_small", "BLU", 2, 0, 10_000)]
    return _world(tmp_path, forces)


def _assign(run, offensive=False, budget=np.inf, home=None, member=None):
    c, s, w = run.c, run.s, run.w
    pic = _picture(run, "RED")
    p = c.powers.index("RED")
    mine = np.array([f for f in range(len(c.forces)) if w.f_power[f] == p], np.int64)
    F, R = len(c.forces), len(c.regions)
    role = np.zeros(F, np.int64)
    role[mine] = A.FREE
    goal = np.full(F, -1, np.int64)
    holder_at = np.full(R, -1, np.int64)
    fl = pic["front_list"]
    home = np.full(F, -1, np.int64) if home is None else home
    member = np.full(R, -1, np.int64) if member is None else member
    py(A.assign_holders)(w, s, p, mine, len(mine), role, goal, pic["front"], fl, len(fl),
                         pic["threat"], pic["own"], holder_at, offensive, budget, home,
                         member)  # fmt: skip
    return {c.forces[f]: (c.regions[goal[f]] if goal[f] >= 0 else None, int(role[f]))
            for f in mine}  # fmt: skip


def test_every_empty_front_region_gets_its_nearest_free_force(line):
    got = _assign(line)
    assert got == {f"red_{y}": (name(1, y), A.HOLD) for y in range(3)}


def test_a_force_on_the_front_holds_where_it_stands(tmp_path):
    forces = [_f("red_on", "RED", 1, 1, 20_000), _f("red_back", "RED", 0, 1, 20_000)]
    forces += [_f("blu", "BLU", 2, 1, 30_000)]
    got = _assign(_world(tmp_path, forces))
    assert got["red_on"] == (None, A.HOLD)  # holding, no move
    assert got["red_back"][0] in {name(1, 0), name(1, 2)}  # sent to an empty stretch


def test_on_the_offensive_only_threatened_regions_are_manned_within_the_budget(line):
    got = _assign(line, offensive=True, budget=25_000)
    held = {g for g, role in got.values() if role == A.HOLD}
    assert held == {name(1, 2)}  # the one threatened most, one force in the budget
    assert sum(role == A.FREE for _, role in got.values()) == 2


def test_a_fortified_line_under_threat_keeps_every_man_in_it(tmp_path):
    forces = [_f(f"red_{i}", "RED", 1, 1, 20_000) for i in range(3)]
    forces += [_f("blu", "BLU", 2, 1, 50_000)]
    got = _assign(_world(tmp_path, forces, fort={name(1, 1): 2}))
    # 50,000 threaten (1, 1): all three stay (60,000 >= 50,000 only with the third).
    assert all(role == A.HOLD and g is None for g, role in got.values())


def test_without_a_fort_the_surplus_is_free_to_go(tmp_path):
    forces = [_f(f"red_{i}", "RED", 1, 1, 20_000) for i in range(3)]
    forces += [_f("blu", "BLU", 2, 1, 50_000)]
    got = _assign(_world(tmp_path, forces))
    assert got["red_0"] == (None, A.HOLD)
    assert {got["red_1"][0], got["red_2"][0]} == {name(1, 0), name(1, 2)}


def test_the_objective_weighs_worth_against_defenders_and_distance(tmp_path):
    forces = [_f("red", "RED", 1, 1, 90_000), _f("blu", "BLU", 3, 0, 50_000)]
    vp = {name(3, 0): 10, name(3, 2): 10}
    run = _world(tmp_path, forces, vp=vp)
    pic = _picture(run, "RED")
    body = run.c.regions.index(name(1, 1))
    choose = py(A.choose_objective)
    obj = choose(run.w, run.s, run.params, pic["hostile"], pic["enemy"], body, -1)
    assert run.c.regions[obj] == name(3, 2)  # as valuable as (3, 0) and undefended
    none = np.zeros_like(pic["hostile"])
    assert choose(run.w, run.s, run.params, none, pic["enemy"], body, -1) == -1
    # A scripted offensive's sequel takes only the land of the enemy it was aimed at.
    red = run.c.powers.index("RED")
    assert choose(run.w, run.s, run.params, pic["hostile"], pic["enemy"], body, red) == -1


def test_a_local_attack_needs_the_odds_or_a_gap(line):
    w, c = line.w, line.c
    pic = _picture(line, "RED")
    r = c.regions.index
    own, threat = pic["own"].copy(), pic["threat"].copy()

    def attack(at, men_here, men_f=20_000.0, ratio=2.0):
        own[r(at)] = men_here
        got = py(A.local_attack)(w.adj_start, w.adj_to, line.s.control.vp, pic["hostile"],
                                 pic["enemy"], own, threat, r(at), men_f, ratio,
                                 line.params[P.AI_BASE_WORTH],
                                 line.params[P.AI_DIVISION_MEN])  # fmt: skip
        return c.regions[got] if got >= 0 else None

    # (1, 1) faces the empty (2, 1): a gap, exploited while nothing threatens (1, 1)...
    assert attack(name(1, 1), 20_000.0) == name(2, 1)
    # ...and under threat only if the force leaving does not bare it.
    threat[r(name(1, 1))] = 30_000.0
    assert attack(name(1, 1), 20_000.0) is None
    assert attack(name(1, 1), 40_000.0) == name(2, 1)
    # (1, 0) faces 10,000 at (2, 0): attacked at 2:1, not below.
    assert attack(name(1, 0), 19_000.0, men_f=19_000.0) is None
    assert attack(name(1, 0), 40_000.0) == name(2, 0)


def test_most_threatened_and_reinforcement(line):
    pic = _picture(line, "RED")
    fl, r = pic["front_list"], line.c.regions.index
    n = len(fl)
    assert py(A.most_threatened)(fl, n, pic["threat"], pic["own"]) == r(name(1, 2))
    assigned = np.zeros(len(line.c.regions))
    dist_here = line.w.dist[r(name(0, 0))]
    member = np.full(len(line.c.regions), -1, np.int64)
    target = py(A.reinforce_target)
    got = target(dist_here, fl, n, pic["threat"], assigned, 10, member, -1)
    assert got == r(name(1, 2))  # 60,000 short two hops off beats 10,000 short one hop off
    assert target(dist_here, fl, n, pic["threat"], assigned, 1, member, -1) == r(name(1, 0))
    # A force the high command assigned to the theatre of (1, 0) keeps to it, however short
    # another theatre is.
    member[r(name(1, 0))] = r(name(1, 0))
    member[r(name(1, 2))] = r(name(1, 2))
    assert target(dist_here, fl, n, pic["threat"], assigned, 10, member, r(name(1, 0))) == r(
        name(1, 0)
    )
    assigned[:] = 1e9  # every gap filled
    assert target(dist_here, fl, n, pic["threat"], assigned, 10, member, -1) == -1


def test_a_force_assigned_to_a_theatre_holds_only_its_regions(line):
    c, r = line.c, line.c.regions.index
    F, R = len(c.forces), len(c.regions)
    home = np.full(F, -1, np.int64)
    member = np.full(R, -1, np.int64)
    for y in range(3):
        member[r(name(1, y))] = r(name(1, 0)) if y < 2 else r(name(1, 2))
    home[c.forces.index("red_2")] = r(name(1, 0))  # nearest (1, 2), but sent to the other theatre
    got = _assign(line, home=home, member=member)
    assert got["red_2"][0] in {name(1, 0), name(1, 1)}
    assert got["red_1"][0] == name(1, 2) or got["red_0"][0] == name(1, 2)


def test_a_threatened_force_falls_back_toward_its_capital(line):
    w, c = line.w, line.c
    pic = _picture(line, "RED")
    r = c.regions.index
    p = c.powers.index("RED")
    friend = np.zeros(len(c.powers), bool)
    friend[p] = True
    cap = w.dist[w.p_capital[p]]
    back = py(A.fall_back_to)(w.adj_start, w.adj_to, line.s.control.controller, cap, friend,
                              pic["hostile"], pic["enemy"], r(name(1, 1)))  # fmt: skip
    assert c.regions[back] == name(0, 1) and cap[back] < cap[r(name(1, 1))]
    cut = pic["hostile"].copy()
    cut[[r(name(0, 1)), r(name(1, 0)), r(name(1, 2))]] = True
    assert py(A.fall_back_to)(w.adj_start, w.adj_to, line.s.control.controller, cap, friend,
                              cut, pic["enemy"], r(name(1, 1))) == -1  # fmt: skip
    rear = py(A.rear_of)(w, line.s, p, pic["front"], pic["hostile"], r(name(1, 1)))
    assert c.regions[rear] == name(0, 1)
