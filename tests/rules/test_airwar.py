"""Air over the battlefield in the engine (rules/airwar.py) on the duel world of test_battle."""

import numpy as np

from tests.conftest import run_days
from tests.rules.test_battle import _line_taken_by, _world
from twinvipers.engine import simulate
from twinvipers.rules import codes
from twinvipers.rules.rng import run_seeds

RED_AIR = """- {id: red_air, power: RED, region: red_home, fighters: 300, bombers: 200, source: test}
"""
BOTH_AIR = (
    RED_AIR
    + """- {id: blu_air, power: BLU, region: blu_home, fighters: 300, bombers: 200, source: test}
"""
)


def _capture_days(c, runs=200):
    """Day the line falls in each run (same seeds for every world: paired comparison)."""
    batch = simulate(c, c.params_for(np.zeros((runs, 0))), run_seeds(3, np.arange(runs)))
    h, n = batch.history, batch.n_events
    taken = (h.ev_kind[:n] == codes.K_CAPTURED) & (h.ev_region[:n] == c.regions.index("line"))
    first = {}
    for run, day in zip(h.ev_run[:n][taken], h.ev_day[:n][taken], strict=True):
        first.setdefault(run, day)
    return np.array([first.get(r, 10_000) for r in range(runs)])


def test_air_superiority_raises_the_land_combat_factor(tmp_path):
    # Dupuy's factor is modest (+10% on artillery and air, plus the close-support sorties), so
    # the line falls a little sooner, and never later in the same run.
    ground = _capture_days(_world(tmp_path, "ground", red=100_000, blue=70_000))
    air = _capture_days(_world(tmp_path, "air", red=100_000, blue=70_000, air=RED_AIR))
    assert air.mean() < ground.mean() - 0.25
    assert (air <= ground).mean() > 0.9
    # A window the ground-only attack does not always fill (it takes the line in 10-20 days).
    assert _line_taken_by(_world(tmp_path, "a2", 100_000, 70_000, air=RED_AIR), within_days=12) > (
        _line_taken_by(_world(tmp_path, "g2", 100_000, 70_000), within_days=12)
    )


def test_superiority_over_a_battle_follows_the_fighters(tmp_path):
    line = None
    sup = {}
    for name, air in (("red", RED_AIR), ("both", BOTH_AIR)):
        c = _world(tmp_path, name, red=100_000, blue=70_000, air=air)
        line = c.regions.index("line")
        s, _ = run_days(c, 3)  # war on day 1, the attack on the line on day 2
        sup[name] = s.air.r_air_sup[line]
    assert sup["red"] == 1.0  # no enemy fighters: mastery
    assert sup["both"] == 0.0  # equal fighters, equal quality: contested
