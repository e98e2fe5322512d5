"""Strategic rail movement on a single row of regions (tests/worlds.py)."""

from tests.worlds import Runner, grid_world, name

ROW = 10  # x0..x8 RED, x9 BLU: the train can run to x7 (x8 is next to the enemy)


def _days_to_reach(tmp_path, rail, men=20_000, x=7, parameters=None):
    red = [{"id": "red", "power": "RED", "region": name(0, 0), "men": men}]
    events = [
        {
            "id": "go", "trigger": {"date": "1939-07-01"}, "source": "test",
            "effects": [{"offensive": {"power": "RED", "target": name(9, 0), "forces": ["red"]}}],
        }
    ]  # fmt: skip
    owner = lambda x, y: "BLU" if x == ROW - 1 else "RED"  # noqa: E731
    where = tmp_path / f"{rail}-{x}-{men}-{parameters}"
    run = Runner(grid_world(where, owner, ROW, 1, red, events=events, rail=rail,
                            parameters=parameters))  # fmt: skip
    for day in range(80):
        run.step()
        if run.region("red") == name(x, 0):
            return day + 1
    return 999


def test_rail_beats_the_march_and_a_weak_line_is_slower(tmp_path):
    foot = _days_to_reach(tmp_path, 0.0)
    main_line = _days_to_reach(tmp_path, 20_000.0)
    branch = _days_to_reach(tmp_path, 3_000.0)
    assert main_line < branch < foot
    assert foot >= 7 / 0.25  # seven hops at a quarter region a day on foot
    assert main_line <= 8  # ~3 days to entrain 20,000 men, then ~3 regions a day


def test_trains_run_to_a_railhead_next_to_the_enemy_but_not_beyond(tmp_path):
    # x8 is next to the enemy at x9: a train may run into it (a railhead behind the front) ...
    main_line = _days_to_reach(tmp_path, 20_000.0, x=7)
    to_x8 = _days_to_reach(tmp_path, 20_000.0, x=8)
    assert to_x8 - main_line <= 1
    # ... and without railheads at the front the last hop is marched (a quarter region a day).
    no_railhead = _days_to_reach(tmp_path, 20_000.0, x=8, parameters={"rail_to_railhead": 0.0})
    assert no_railhead - main_line >= 3


def test_a_big_force_entrains_for_days_on_a_busy_line(tmp_path):
    # 100,000 men on a quiet 20,000 t/day line: ~13,000 men a day (no supply trains yet)
    # entrain in ~8 days; 20,000 men in under 2.
    small = _days_to_reach(tmp_path, 20_000.0)
    big = _days_to_reach(tmp_path, 20_000.0, men=100_000)
    assert big - small >= 4


def test_a_force_entrains_on_a_quiet_front_not_near_a_battle(monkeypatch):
    import numpy as np

    from twinvipers.rules import movement

    def py(fn):
        return getattr(fn, "py_func", fn)

    # Kernels have no Python wrapper: the plain body calls the helpers' plain bodies.
    monkeypatch.setattr(movement, "_near_fighting", py(movement._near_fighting))
    monkeypatch.setattr(movement, "_near_enemy", py(movement._near_enemy))
    ok = py(movement.rail_possible)
    # A line of four regions: RED holds 0-2, BLU 3; region 2 is next to the enemy.
    adj_start = np.array([0, 1, 3, 5, 6])
    adj_to = np.array([1, 0, 2, 1, 3, 2])
    controller = np.array([0, 0, 0, 1])
    at_war = np.array([[False, True], [True, False]])
    quiet = np.full(4, -1)
    assert ok(adj_start, adj_to, controller, at_war, 0, 2, 1, True, quiet, True)
    assert not ok(adj_start, adj_to, controller, at_war, 0, 2, 1, True, quiet, False)
    fighting = quiet.copy()
    fighting[3] = 5  # a battle next door since day 5
    assert not ok(adj_start, adj_to, controller, at_war, 0, 2, 1, True, fighting, True)
    assert ok(adj_start, adj_to, controller, at_war, 0, 1, 2, True, quiet, True)  # to a railhead
    assert not ok(adj_start, adj_to, controller, at_war, 0, 1, 2, False, quiet, True)
    assert not ok(adj_start, adj_to, controller, at_war, 0, 2, 3, True, quiet, True)  # enemy
