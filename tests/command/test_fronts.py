"""A power's picture of its war (command.fronts) on a small grid: borders, fronts, threat.

The kernels are called through ``py_func`` (the same code as plain Python) on a compiled run's
State, so the test needs no compiled entry point of its own.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.worlds import Runner, grid_world, name
from twinvipers.command import fronts


def py(fn):
    """The plain-Python body of a compiled kernel (itself when JIT is disabled)."""
    return getattr(fn, "py_func", fn)


def _west_red(x, y):
    return "RED" if x <= 1 else "BLU"


@pytest.fixture
def war(tmp_path):
    """4 x 3 grid, RED holds x <= 1; RED 30,000 at (1, 1), BLU 50,000 at (2, 0) and 20,000 at
    (3, 2)."""
    forces = [
        {"id": "red", "power": "RED", "region": name(1, 1), "men": 30_000},
        {"id": "blu_front", "power": "BLU", "region": name(2, 0), "men": 50_000},
        {"id": "blu_rear", "power": "BLU", "region": name(3, 2), "men": 20_000},
    ]
    run = Runner(grid_world(tmp_path, _west_red, 4, 3, forces))
    return run


def _picture(run, power, active=True, passive=0.5):
    c, s, w = run.c, run.s, run.w
    R = len(c.regions)
    p = c.powers.index(power)
    friend = np.zeros(len(c.powers), bool)
    friend[p] = True
    border = np.zeros(R, bool)
    py(fronts.mark_borders)(w, s, border)
    enemy, own, threat, menace = np.zeros(R), np.zeros(R), np.zeros(R), np.zeros(R)
    hostile, front = np.zeros(R, bool), np.zeros(R, bool)
    front_list = np.zeros(R, np.int64)
    act = np.full(len(c.powers), active, bool)
    n = py(fronts.survey)(w, s, p, friend, border, enemy, own, hostile, front, threat, front_list,
                          act, passive, menace)  # fmt: skip
    return {"border": border, "enemy": enemy, "own": own, "hostile": hostile, "front": front,
            "threat": threat, "front_list": front_list[:n]}  # fmt: skip


def _at(run, mask):
    return {run.c.regions[r] for r in np.flatnonzero(mask)}


def test_borders_are_the_regions_next_to_another_controller(war):
    pic = _picture(war, "RED")
    assert _at(war, pic["border"]) == {name(x, y) for x in (1, 2) for y in range(3)}


def test_the_front_is_the_own_border_facing_the_enemy(war):
    pic = _picture(war, "RED")
    line = {name(1, y) for y in range(3)}
    assert _at(war, pic["hostile"]) == {name(x, y) for x in (2, 3) for y in range(3)}
    assert _at(war, pic["front"]) == line
    assert {war.c.regions[r] for r in pic["front_list"]} == line


def test_threat_counts_enemy_men_in_and_around_a_front_region(war):
    pic = _picture(war, "RED")
    r = war.c.regions.index
    assert pic["threat"][r(name(1, 0))] == 50_000  # BLU's front force next door
    assert pic["threat"][r(name(1, 1))] == 0.0  # (2, 0) is diagonal: not a neighbour
    assert pic["threat"][r(name(1, 2))] == 0.0  # (3, 2) is two hops off
    assert pic["threat"][r(name(0, 0))] == 0.0  # not on the front
    assert pic["own"][r(name(1, 1))] == 30_000 and pic["enemy"][r(name(2, 0))] == 50_000
    assert py(fronts.threat_at)(war.w.adj_start, war.w.adj_to, pic["enemy"], r(name(2, 1))) == (
        50_000
    )


def test_a_passive_enemy_weighs_less_in_the_threat_but_not_in_the_men(war):
    r = war.c.regions.index
    pic = _picture(war, "RED", active=False, passive=0.5)
    assert pic["threat"][r(name(1, 0))] == 25_000  # half BLU's 50,000: it attacks no one
    assert pic["enemy"][r(name(2, 0))] == 50_000  # the men themselves are all there


def test_an_offensive_ordered_or_chosen_makes_a_power_active(war):
    c, s, w = war.c, war.s, war.w
    blu, red = c.powers.index("BLU"), c.powers.index("RED")
    active = np.zeros(len(c.powers), bool)
    objective = np.full(len(c.powers), -1, np.int64)
    py(fronts.mark_active)(w, s, objective, active)
    assert not active.any()
    objective[blu] = c.regions.index(name(1, 1))  # its high command's own choice
    py(fronts.mark_active)(w, s, objective, active)
    assert active[blu] and not active[red]
    objective[blu] = -1
    s.land.f_target[c.forces.index("red")] = c.regions.index(name(2, 1))  # a scripted order
    py(fronts.mark_active)(w, s, objective, active)
    assert active[red] and not active[blu]


def test_enemy_men_facing_the_line_count_each_region_once(war):
    pic = _picture(war, "RED")
    mark = np.zeros(len(war.c.regions), bool)
    facing = py(fronts.enemy_men_facing)(
        war.w, pic["hostile"], pic["enemy"], pic["front_list"], len(pic["front_list"]), mark
    )
    assert facing == 50_000  # (2, 0) faces the line at (1, 0); (3, 2) is two hops behind it


def test_enemy_share_around_a_region(war):
    pic = _picture(war, "RED")
    r = war.c.regions.index
    share = py(fronts.enemy_share_around)
    w = war.w
    assert share(w.adj_start, w.adj_to, pic["hostile"], pic["enemy"], r(name(0, 0))) == 0.0
    # (1, 0): neighbours (0, 0), (2, 0) hostile, (1, 1) -> one of three.
    assert share(w.adj_start, w.adj_to, pic["hostile"], pic["enemy"], r(name(1, 0))) == 1 / 3


def test_a_power_at_war_is_out_of_it_once_it_capitulates(war):
    red = war.c.powers.index("RED")
    assert py(fronts.at_war_with_anyone)(war.s, red)
    war.s.politics.capitulated[red] = True
    assert not py(fronts.at_war_with_anyone)(war.s, red)


def test_at_peace_nothing_is_hostile_and_there_is_no_front(war):
    war.s.politics.at_war[:, :] = False
    pic = _picture(war, "RED")
    assert not pic["hostile"].any() and not pic["front"].any() and len(pic["front_list"]) == 0
    assert not py(fronts.at_war_with_anyone)(war.s, war.c.powers.index("RED"))


def test_enemy_men_marching_through_a_neutral_open_a_front(tmp_path):
    # GRY, neutral, holds x = 2 between RED (x <= 1) and BLU (x = 3); BLU's army stands in
    # GRY's (2, 1) on its way: RED's (1, 1) next to it is on the front, (1, 0) and (1, 2) not.
    def owner(x, y):
        return "RED" if x <= 1 else "GRY" if x == 2 else "BLU"

    powers = [{"id": p, "name": p, "capital": name(c, 0), "source": "test"}
              for p, c in (("RED", 0), ("GRY", 2), ("BLU", 3))]  # fmt: skip
    forces = [{"id": "blu", "power": "BLU", "region": name(2, 1), "men": 40_000},
              {"id": "red", "power": "RED", "region": name(0, 1), "men": 30_000}]  # fmt: skip
    c = grid_world(tmp_path, owner, 4, 3, forces, extra_files={"powers": powers})
    run = Runner(c)
    pic = _picture(run, "RED")
    assert _at(run, pic["front"]) == {name(1, 1)}
    assert pic["threat"][c.regions.index(name(1, 1))] == 40_000
    assert _at(run, pic["hostile"]) == {name(3, y) for y in range(3)}  # none next to RED
