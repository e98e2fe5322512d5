"""Scenario tests of the engine's land combat on a three-region world."""

import numpy as np
import pytest

from twinvipers.engine import simulate
from twinvipers.rules import codes
from twinvipers.rules.rng import run_seeds
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load

META = """id: duel
name: Duel
start: 1939-07-01
end: 1939-08-30
sources: {test: "A synthetic world for the tests"}
"""
POWERS = """- {id: RED, name: Red, capital: red_home, source: test}
- {id: BLU, name: Blue, capital: blu_home, source: test}
"""
REGIONS = """- {{id: red_home, name: R, lon: 10, lat: 50, owner: RED, source: test}}
- {{id: line, name: L, lon: 11, lat: 50, owner: BLU, terrain: {terrain}, fort: {fort}, source: test}}
- {{id: blu_home, name: B, lon: 12, lat: 50, owner: BLU, source: test}}
"""
EDGES = """- {a: red_home, b: line, rail: 10000, source: test}
- {a: line, b: blu_home, rail: 10000, source: test}
"""
FORCES = """- {{id: red_army, power: RED, region: red_home, divisions: {{infantry: 10}}, men: {red}, artillery: {red_art}, source: test}}
- {{id: blu_army, power: BLU, region: line, divisions: {{infantry: 4}}, men: {blue}, artillery: {blue_art}, source: test}}
"""
EVENTS = """- id: attack
  trigger: {date: 1939-07-02}
  effects: [{declare_war: {actor: RED, target: BLU}}, {offensive: {power: RED, target: blu_home}}]
  source: test
"""


def _world(tmp_path, name, red, blue, terrain="plains", fort=0, air="", blue_power=""):
    """The duel world; ``blue_power`` adds fields to Blue's power (e.g. its surrender share)."""
    d = tmp_path / name
    d.mkdir()
    (d / "meta.yaml").write_text(META)
    (d / "powers.yaml").write_text(
        POWERS.replace("capital: blu_home,", "capital: blu_home, " + blue_power)
    )
    (d / "regions.yaml").write_text(REGIONS.format(terrain=terrain, fort=fort))
    (d / "edges.yaml").write_text(EDGES)
    forces = FORCES.format(red=red, red_art=red // 250, blue=blue, blue_art=blue // 250)
    (d / "forces.yaml").write_text(forces)
    (d / "events.yaml").write_text(EVENTS)
    if air:
        (d / "air.yaml").write_text(air)
    return compile_scenario(load(d).scenario)


def _line_taken_by(c, runs=200, within_days=30):
    batch = simulate(c, c.params_for(np.zeros((runs, 0))), run_seeds(3, np.arange(runs)))
    h, n = batch.history, batch.n_events
    line = c.regions.index("line")
    taken = (h.ev_kind[:n] == codes.K_CAPTURED) & (h.ev_region[:n] == line)
    taken &= h.ev_day[:n] <= 1 + within_days
    return len(set(h.ev_run[:n][taken])) / runs


def test_three_to_one_on_plains_in_summer_breaks_through(tmp_path):
    c = _world(tmp_path, "open", red=150_000, blue=50_000)
    assert _line_taken_by(c) > 0.9


def test_one_to_one_against_a_fortified_line_stalls(tmp_path):
    c = _world(tmp_path, "fortified", red=100_000, blue=100_000, terrain="hills", fort=4)
    assert _line_taken_by(c) < 0.1


@pytest.mark.parametrize("terrain,fort", [("mountains", 0), ("plains", 4)])
def test_mountains_and_forts_never_help_the_attacker(tmp_path, terrain, fort):
    plains = _line_taken_by(_world(tmp_path, "p", red=120_000, blue=60_000), within_days=20)
    hard = _world(tmp_path, "h", red=120_000, blue=60_000, terrain=terrain, fort=fort)
    assert _line_taken_by(hard, within_days=20) <= plains


def _step_runs(c, runs, days, watch):
    """Step ``runs`` runs of ``c`` day by day; ``watch(s, day)`` is called after each day."""
    from twinvipers.engine import reset, step
    from twinvipers.state import new_state
    from twinvipers.world.arrays import Ctx, new_history

    w = c.world
    p = c.params_for(np.zeros((1, len(c.assumptions))))[0]
    seeds = run_seeds(5, np.arange(runs))
    for i in range(runs):
        s = new_state(w)
        h = new_history(
            1, len(w.snap_days), len(w.r_owner), len(w.p_capital), len(codes.POWER_FIELDS), 4096
        )
        reset(w, s)
        for day in range(days):
            step(w, s, h, Ctx(p, 0, seeds[i], day))
            watch(i, s, day)


def test_the_attacker_keeps_the_ground_it_won(tmp_path):
    # Once the defenders leave, the attackers go on from the ground won in the battle instead of
    # starting their march into the region again (four days on foot at 0.25 regions a day).
    c = _world(tmp_path, "open", red=150_000, blue=50_000)
    line, red, blu = c.regions.index("line"), c.powers.index("RED"), 1
    left, taken = {}, {}

    def watch(i, s, day):
        if i not in left and (not s.land.f_active[blu] or s.land.f_region[blu] != line):
            left[i] = day
        if i not in taken and s.control.controller[line] == red:
            taken[i] = day

    _step_runs(c, 20, 30, watch)
    assert len(taken) == 20
    gaps = [taken[i] - left[i] for i in taken]
    assert max(gaps) <= 2, gaps


def _blue_losses(tmp_path, name, blue_power):
    """Blue's killed and wounded, and its prisoners, after 6 days of Red's attack (40 runs)."""
    c = _world(tmp_path, name, red=120_000, blue=60_000, blue_power=blue_power)
    blu = c.powers.index("BLU")
    out = np.zeros(2)

    def watch(i, s, day):
        if day == 5:  # the first days of the battle for the line, before any retreat
            out[0] += s.land.killed[blu] + s.land.wounded[blu]
            out[1] += s.land.captured[blu]

    _step_runs(c, 40, 6, watch)
    return out


def test_overrun_men_who_do_not_surrender_fall_back(tmp_path):
    # A power whose men rarely surrender (surrender_share) loses few prisoners when its
    # positions are overrun, and the rest fall back with their unit: they are not booked as
    # killed and wounded while a way back is open.
    plain = _blue_losses(tmp_path, "plain", "")
    stubborn = _blue_losses(tmp_path, "stubborn", "surrender_share: 0.05,")
    assert stubborn[1] < 0.1 * plain[1]  # few prisoners
    assert stubborn[0] < 1.3 * plain[0]  # and no more killed and wounded in their place


def test_men_who_stand_fast_fall_where_they_stand(tmp_path):
    # The Japanese army's way (stand_fast 1): overrun men who do not surrender are lost, not
    # saved by falling back, so the stubborn side loses about as many men as one that surrenders.
    falls_back = _blue_losses(tmp_path, "back", "surrender_share: 0.05,").sum()
    stands = _blue_losses(tmp_path, "stands", "surrender_share: 0.05, stand_fast: 1.0,").sum()
    surrenders = _blue_losses(tmp_path, "surrenders", "").sum()
    assert stands > 1.5 * falls_back
    assert abs(stands - surrenders) < 0.15 * surrenders


def test_a_national_casualty_factor_scales_overrun_men_too(tmp_path):
    # Dupuy's national factor (casualty_multiplier) is on all of a side's battle losses: its men
    # overrun (here taken prisoner) as well as its killed and wounded, as in the CDB90 fit.
    plain = _blue_losses(tmp_path, "plain", "")
    double = _blue_losses(tmp_path, "double", "casualty_multiplier: 2.0,")
    assert 1.6 * plain[0] < double[0] < 2.4 * plain[0], (plain, double)
    assert 1.6 * plain[1] < double[1] < 2.4 * plain[1], (plain, double)
