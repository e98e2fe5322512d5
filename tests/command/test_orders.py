"""The operational AI on small grid worlds (tests/worlds.py): each test reads one day's orders
or a few days' outcome of a compiled run."""

from tests.worlds import Runner, grid_world, name

FRONT = {name(1, y) for y in range(3)}  # BLU's line when BLU holds x <= 1 of a 4 x 3 grid


def _west_blue(x, y):
    return "BLU" if x <= 1 else "RED"


def _force(fid, power, x, y, men):
    return {"id": fid, "power": power, "region": name(x, y), "men": men, "artillery": men // 250}


def _red_line(men):
    return [_force(f"red_{y}", "RED", 2, y, men) for y in range(3)]


def test_a_defender_mans_every_front_region_and_keeps_a_reserve(tmp_path):
    blue = [_force(f"blu_{i}", "BLU", 0, 1, 30_000) for i in range(6)]
    run = Runner(grid_world(tmp_path, _west_blue, 4, 3, blue + _red_line(40_000)))
    run.step()
    goals = [run.goal(f"blu_{i}") for i in range(6)]
    assert set(goals) >= FRONT  # no stretch of the line left empty
    behind = [g for g in goals if g not in FRONT]
    assert behind and all(g is None or g.startswith("x0") for g in behind)  # a reserve stays back


def test_a_lone_defender_force_goes_to_the_most_threatened_region(tmp_path):
    red = [_force("red_big", "RED", 2, 2, 90_000), _force("red_small", "RED", 2, 0, 10_000)]
    blue = [_force("blu", "BLU", 0, 1, 30_000)]
    run = Runner(grid_world(tmp_path, _west_blue, 4, 3, blue + red))
    run.step()
    assert run.goal("blu") == name(1, 2)


def test_a_superior_power_concentrates_on_its_most_valuable_objective(tmp_path):
    red = [_force(f"red_{i}", "RED", 3, i, 50_000) for i in range(3)]
    blue = [_force("blu", "BLU", 0, 0, 20_000)]
    c = grid_world(tmp_path, _west_blue, 4, 3, red + blue, vp={name(0, 2): 10})
    run = Runner(c)
    run.step()
    assert {run.goal(f"red_{i}") for i in range(3)} == {name(0, 2)}


def test_scripted_offensives_are_obeyed(tmp_path):
    red = [_force(f"red_{i}", "RED", 3, i, 50_000) for i in range(3)]
    red.append(_force("red_line", "RED", 2, 0, 30_000))
    blue = [_force("blu", "BLU", 0, 0, 20_000)]
    events = [
        {
            "id": "push", "trigger": {"date": "1939-07-01"}, "source": "test",
            "effects": [
                {"offensive": {"power": "RED", "target": name(0, 0)}},
                {"offensive": {"power": "RED", "target": name(1, 2), "forces": ["red_line"]}},
            ],
        }
    ]  # fmt: skip
    c = grid_world(tmp_path, _west_blue, 4, 3, red + blue, events=events, vp={name(0, 2): 10})
    run = Runner(c)
    run.step()
    assert {run.goal(f"red_{i}") for i in range(3)} == {name(0, 0)}  # not the AI's own choice
    assert run.goal("red_line") == name(1, 2)  # its own order, though it stands on the line


PASSIVE_RED = {"ai_offensive_ratio": 100.0}


def _gap_world(tmp_path, gap_men, **kw):
    red = _red_line(30_000)
    blue = [_force("blu_0", "BLU", 1, 0, 30_000), _force("blu_2", "BLU", 1, 2, 30_000)]
    if gap_men:
        blue.append(_force("blu_1", "BLU", 1, 1, gap_men))
    return grid_world(tmp_path, _west_blue, 4, 3, red + blue, parameters=PASSIVE_RED, **kw)


def test_a_gap_in_the_enemy_line_is_exploited(tmp_path):
    run = Runner(_gap_world(tmp_path, 0))
    run.step()
    assert run.goal("red_1") == name(1, 1)
    assert run.goal("red_0") is None and run.goal("red_2") is None  # 1:1, no attack
    run.step(12)
    assert run.controller(name(1, 1)) == "RED"


def test_a_strong_defence_is_not_attacked_without_the_odds(tmp_path):
    run = Runner(_gap_world(tmp_path, 60_000))
    run.step()
    assert run.goal("red_1") is None


def test_a_force_short_of_supply_does_not_advance(tmp_path):
    run = Runner(_gap_world(tmp_path, 0))
    run.s.supply.f_supply[run.c.forces.index("red_1")] = 0.3
    run.step()
    assert run.goal("red_1") is None


def _salient(x, y):
    return "BLU" if x == 0 or (x, y) == (1, 1) else "RED"


def _salient_world(tmp_path, blue_men):
    red = [
        _force(f"red_{k}", "RED", x, y, 30_000) for k, (x, y) in enumerate([(1, 0), (2, 1), (1, 2)])
    ]
    blue = [_force("blu", "BLU", 1, 1, blue_men)]
    return grid_world(tmp_path, _salient, 3, 3, red + blue, parameters=PASSIVE_RED)


def test_an_outmatched_force_in_a_salient_pulls_back(tmp_path):
    run = Runner(_salient_world(tmp_path, 30_000))
    run.step()
    assert run.goal("blu") == name(0, 1)


def test_a_strong_force_in_a_salient_stays_and_fights(tmp_path):
    run = Runner(_salient_world(tmp_path, 80_000))
    run.step()
    assert run.goal("blu") != name(0, 1)
