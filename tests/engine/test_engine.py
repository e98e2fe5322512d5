import json
import os
import subprocess
import sys

import numpy as np
import pytest

from twinvipers.engine import RULE_ORDER, simulate
from twinvipers.ensemble import sampling
from twinvipers.rules import codes
from twinvipers.rules.rng import run_seeds, uniform
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load


@pytest.fixture(scope="module")
def compiled():
    return compile_scenario(load("poland_1939").scenario)


def _run(c, n, seed=1):
    values = sampling.sample(c.assumptions, n, seed)
    return simulate(c, c.params_for(values), run_seeds(seed, np.arange(n)))


def _events(batch, run):
    h = batch.history
    n = batch.n_events
    rows = np.nonzero(h.ev_run[:n] == run)[0]
    return [
        (
            int(h.ev_day[i]),
            int(h.ev_kind[i]),
            int(h.ev_actor[i]),
            int(h.ev_target[i]),
            int(h.ev_region[i]),
            float(h.ev_value[i]),
        )
        for i in rows
    ]


def test_counter_based_draws_are_pure_functions():
    a = uniform(np.uint64(42), 10, 3, 2)
    assert a == uniform(np.uint64(42), 10, 3, 2)
    assert a != uniform(np.uint64(42), 11, 3, 2) and a != uniform(np.uint64(43), 10, 3, 2)
    u = np.array([uniform(np.uint64(1), d, 0, 1) for d in range(20000)])
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.01


def test_a_run_does_not_depend_on_its_batch(compiled):
    big = _run(compiled, 12)
    values = sampling.sample(compiled.assumptions, 12, 1)
    seeds = run_seeds(1, np.arange(12))
    alone = simulate(compiled, compiled.params_for(values)[7:8], seeds[7:8])
    assert _events(alone, 0) == _events(big, 7)
    assert np.array_equal(alone.history.ctrl[0], big.history.ctrl[7])


def test_rule_order_is_named_once():
    assert RULE_ORDER[0] == "weather.update_weather"  # every later rule sees today's weather
    assert RULE_ORDER[1].startswith("events") and "battle.resolve" in RULE_ORDER


def test_the_built_in_war_unfolds(compiled):
    batch = _run(compiled, 32)
    h, n = batch.history, batch.n_events
    kinds = h.ev_kind[:n]
    pol, ger = compiled.powers.index("POL"), compiled.powers.index("GER")
    warsaw = compiled.regions.index("warsaw")
    wars = (kinds == codes.K_WAR) & (h.ev_actor[:n] == ger) & (h.ev_target[:n] == pol)
    assert wars.sum() == 32  # the scripted declaration fires once in every run
    assert (h.ev_day[:n][wars] == compiled.day(compiled.date(7))).all()
    # Forces meet and fight; regions change hands; Poland gives up in most runs.
    assert (kinds == codes.K_BATTLE).sum() > 32
    taken = (kinds == codes.K_CAPTURED) & (h.ev_region[:n] == warsaw)
    assert taken.sum() >= 16
    caps = (kinds == codes.K_CAPITULATION) & (h.ev_actor[:n] == pol)
    assert caps.sum() >= 16
    # Men are conserved: under arms + killed + wounded + captured = initial.
    pw = h.pw[:, -1, pol]
    initial = compiled.world.f_men[compiled.world.f_power == pol].sum()
    total = (
        pw[:, codes.PF_MEN]
        + pw[:, codes.PF_KILLED]
        + pw[:, codes.PF_WOUNDED]
        + pw[:, codes.PF_CAPTURED]
    )
    assert np.allclose(total, initial)


@pytest.mark.slow  # 2,000 runs
def test_chance_trigger_fires_in_its_share_of_runs(tmp_path):
    import shutil

    from twinvipers.scenario.load import SHIPPED

    d = tmp_path / "s"
    shutil.copytree(SHIPPED / "poland_1939", d)
    text = (d / "assumptions.yaml").read_text().replace("dist: {fixed: 0.9}", "dist: {fixed: 0.3}")
    (d / "assumptions.yaml").write_text(text)
    coin = (
        "- id: coin_{n}\n  trigger: {{all: [{{date: 1939-09-{day}}}, "
        "{{chance: {{assumption: soviet_entry}}}}]}}\n"
        "  effects: [{{set: {{power: SOV, field: will, value: 1.0}}}}]\n  source: glantz\n"
    )
    events = d / "events.yaml"
    events.write_text(events.read_text() + coin.format(n=1, day=17) + coin.format(n=2, day=20))
    c = compile_scenario(load(d).scenario)
    batch = _run(c, 2000)
    h, n = batch.history, batch.n_events
    scripted = h.ev_kind[:n] == codes.K_SCRIPTED
    runs = [
        set(h.ev_run[:n][scripted & (h.ev_aux[:n] == c.events.index(e))])
        for e in ("coin_1", "coin_2")
    ]
    assert abs(len(runs[0]) / 2000 - 0.3) < 0.04
    assert runs[0] == runs[1]  # events naming one assumption share its coin


@pytest.mark.slow  # a subprocess without JIT
def test_uncompiled_code_gives_the_same_history(compiled):
    """NUMBA_DISABLE_JIT=1 runs the very same rules as plain Python."""
    jit = _run(compiled, 2)
    code = (
        "import json, numpy as np\n"
        "from twinvipers.scenario.load import load\n"
        "from twinvipers.scenario.compile import compile_scenario\n"
        "from tests.engine.test_engine import _run, _events\n"
        "c = compile_scenario(load('poland_1939').scenario)\n"
        "b = _run(c, 2)\n"
        "print(json.dumps([_events(b, 0), _events(b, 1), b.history.ctrl.tolist()]))\n"
    )
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    root = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root, timeout=600
    )
    assert r.returncode == 0, r.stderr[-2000:]
    ev0, ev1, ctrl = json.loads(r.stdout)
    assert [tuple(e) for e in ev0] == _events(jit, 0)
    assert [tuple(e) for e in ev1] == _events(jit, 1)
    assert np.array_equal(np.asarray(ctrl), jit.history.ctrl)


def test_scheduled_reserves_join_after_mobilisation(tmp_path):
    import shutil

    from twinvipers.engine import reset, step
    from twinvipers.scenario.load import SHIPPED
    from twinvipers.state import new_state
    from twinvipers.world.arrays import Ctx, new_history

    d = tmp_path / "s"
    shutil.copytree(SHIPPED / "poland_1939", d)
    forces = (d / "forces.yaml").read_text()
    forces = forces.replace(
        "quality: 1.0, reserve: true,", "quality: 1.0, reserve: true, ready_after: 5,"
    )
    (d / "forces.yaml").write_text(forces)
    events = (d / "events.yaml").read_text() + (
        "- id: french_mobilisation\n  trigger: {date: 1939-09-01}\n"
        "  effects: [{mobilise: {power: FRA}}]\n  source: zaloga\n"
    )
    (d / "events.yaml").write_text(events)
    c = compile_scenario(load(d).scenario)
    w = c.world
    s, h = new_state(w), new_history(1, len(w.snap_days), len(w.r_owner), len(c.powers), 7, 4096)
    params = c.params_for(np.array([[0.9, 1.0]]))[0]
    reset(w, s)
    fra_army = c.forces.index("fra_nord_est")
    ger, fra = c.powers.index("GER"), c.powers.index("FRA")
    mob_day = c.day(c.date(0).replace(month=9, day=1))
    for day in range(mob_day + 5):
        step(w, s, h, Ctx(params, 0, np.uint64(1), day))
        assert s.land.f_reserve[fra_army], day  # not before five days after the order
    assert s.politics.p_mobilised[fra] == mob_day  # ordered on 1 September, before France's war
    assert s.politics.p_mobilised[ger] == mob_day  # Germany's war forces its mobilisation
    step(w, s, h, Ctx(params, 0, np.uint64(1), mob_day + 5))
    assert not s.land.f_reserve[fra_army]
    # A reserve without a schedule waits for an order, or for its theatre to be threatened: the
    # French army facing the Saar has the high command commit Army Group C (command.high).
    assert not s.land.f_reserve[c.forces.index("ger_west")]
