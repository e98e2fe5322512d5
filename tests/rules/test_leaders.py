"""Commanders relieved after failure (rules/leaders.py) on a three-region row."""

import numpy as np

from tests.worlds import Runner, grid_world, name
from twinvipers.rules import codes

FORCES = [
    {"id": "red", "power": "RED", "region": name(0, 0), "men": 150_000, "artillery": 600},
    {"id": "blu", "power": "BLU", "region": name(1, 0), "men": 50_000, "artillery": 200,
     "leader": "blu_gen"},
]  # fmt: skip
PUSH = [
    {
        "id": "push", "trigger": {"date": "1939-07-02"}, "source": "test",
        "effects": [{"offensive": {"power": "RED", "target": name(2, 0)}}],
    }
]  # fmt: skip


def _leader(lid, skill, role="commander"):
    return {"id": lid, "name": lid, "power": "BLU", "skill": skill, "role": role, "source": "test"}


def _run(tmp_path, leaders, chance=1.0):
    owner = lambda x, y: "RED" if x == 0 else "BLU"  # noqa: E731
    c = grid_world(
        tmp_path, owner, 3, 1, FORCES, events=PUSH, leaders=leaders, rail=20_000.0,
        industry={name(0, 0): 20},  # supply for RED's attack (rules/supply.py)
        parameters={"leader_relief_chance": chance},
    )  # fmt: skip
    run = Runner(c)
    run.step(40)
    n = run.h.count[0]
    reliefs = np.nonzero(run.h.ev_kind[:n] == codes.K_LEADER)[0]
    return run, [(int(run.h.ev_aux[i]), int(run.h.ev_value[i])) for i in reliefs]


def test_a_beaten_commander_gives_way_to_the_best_free_commander(tmp_path):
    leaders = [
        _leader("blu_gen", 2), _leader("blu_dud", 1), _leader("blu_spare", 4),
        _leader("blu_king", 5, role="head_of_state"),
    ]  # fmt: skip
    run, reliefs = _run(tmp_path, leaders)
    ix = run.c.leaders.index
    assert reliefs[0] == (ix("blu_spare"), ix("blu_gen"))
    assert run.s.land.l_relieved[ix("blu_gen")]
    assert run.s.land.f_leader[run.c.forces.index("blu")] != ix("blu_gen")


def test_without_a_successor_or_a_chance_nobody_is_relieved(tmp_path):
    no_one = [_leader("blu_gen", 2), _leader("blu_king", 5, role="head_of_state")]
    assert _run(tmp_path / "a", no_one)[1] == []
    spare = [_leader("blu_gen", 2), _leader("blu_spare", 4)]
    assert _run(tmp_path / "b", spare, chance=0.0)[1] == []
