"""The high command on small worlds: it defends every theatre, moves forces between theatres,
chooses offensives only with the initiative or in free mode, and records its decisions."""

from __future__ import annotations

import numpy as np

from tests.worlds import Runner, grid_world, name
from twinvipers.rules import codes

# A strip of eight regions: RED at both ends (x0 and x7), BLU between them, so BLU has two
# fronts five hops apart; with theatres of 2 hops they are two theatres.
TWO_FRONTS = {"ai_theatre_hops": 2.0, "hc_theatre_hops": 2.0}


def _strip_owner(x, y):
    return "RED" if x in (0, 7) else "BLU"


def _force(fid, power, x, men, **kw):
    return {"id": fid, "power": power, "region": name(x, 0), "men": men,
            "artillery": men // 250, **kw}  # fmt: skip


def _strip(tmp_path, forces, **kw):
    return grid_world(tmp_path, _strip_owner, 8, 1, forces, parameters=TWO_FRONTS, **kw)


def _strategy(run):
    """The strategy events recorded so far: (day, actor, region, decision)."""
    h = run.h
    n = int(h.count[0])
    rows = np.nonzero(h.ev_kind[:n] == codes.K_STRATEGY)[0]
    return [
        (int(h.ev_day[i]), run.c.powers[h.ev_actor[i]],
         run.c.regions[h.ev_region[i]] if h.ev_region[i] >= 0 else None, int(h.ev_aux[i]))
        for i in rows
    ]  # fmt: skip


def test_a_power_without_initiative_sends_forces_to_its_threatened_theatre(tmp_path):
    blue = [_force(f"blu_{i}", "BLU", 1, 30_000) for i in range(4)]
    red = [_force("red_west", "RED", 0, 5_000), _force("red_east", "RED", 7, 90_000)]
    c = _strip(tmp_path, blue + red, powers={"BLU": {"initiative": False}})
    run = Runner(c)
    run.step()
    s_high = run.s.high
    sent = [f"blu_{i}" for i in range(4) if s_high.f_send[c.forces.index(f"blu_{i}")] >= 0]
    assert sent, "nothing sent to the eastern theatre"
    assert {run.goal(f) for f in sent} == {name(6, 0)}
    assert len(sent) < 4, "the western theatre was stripped bare"
    assert ("BLU", name(6, 0), 0) in [(a, r, d) for _, a, r, d in _strategy(run)]
    run.step(30)  # on foot (the grid has no railway): five hops in about three weeks
    # RED takes the empty x6 and x5 meanwhile: the forces sent hold the eastern line where it
    # now runs, and stay with that theatre.
    line = max(x for x in range(7) if run.controller(name(x, 0)) == "BLU")
    assert line >= 4
    assert {run.region(f) for f in sent} == {name(line, 0)}
    homes = {int(run.s.high.f_home[c.forces.index(f)]) for f in sent}
    assert homes == {c.regions.index(name(line, 0))}


def test_a_quiet_theatre_keeps_its_garrison(tmp_path):
    blue = [_force("blu_w", "BLU", 1, 20_000), _force("blu_e", "BLU", 6, 20_000)]
    red = [_force("red_east", "RED", 7, 200_000)]
    c = _strip(tmp_path, blue + red, powers={"BLU": {"initiative": False}})
    run = Runner(c)
    run.step()
    # The west faces no one, but a border is never left open: its one force stays.
    assert run.s.high.f_send[c.forces.index("blu_w")] < 0


def test_own_offensives_need_the_initiative_or_free_mode(tmp_path):
    red = [_force(f"red_{i}", "RED", 7, 60_000) for i in range(3)]
    blue = [_force("blu", "BLU", 6, 10_000)]
    pw = {"RED": {"initiative": False}}
    run = Runner(_strip(tmp_path / "canon", red + blue, powers=pw))
    run.step(8)
    assert run.s.high.objective[run.c.powers.index("RED")] < 0
    _strip(tmp_path / "free", red + blue, powers=pw)
    # The same world with a point of divergence on its first day.
    meta = (tmp_path / "free" / "meta.yaml").read_text()
    (tmp_path / "free" / "meta.yaml").write_text(meta + "diverges: 1939-07-01\n")
    from twinvipers.scenario.compile import compile_scenario
    from twinvipers.scenario.load import load

    free = compile_scenario(load(tmp_path / "free").scenario)
    run = Runner(free)
    run.step(2)
    red_ix = free.powers.index("RED")
    assert run.s.high.objective[red_ix] >= 0
    assert any(a == "RED" and d == 1 for _, a, _, d in _strategy(run))


def test_free_mode_ignores_scripted_offensives_after_the_divergence(tmp_path):
    red = [_force(f"red_{i}", "RED", 7, 60_000) for i in range(2)]
    blue = [_force("blu", "BLU", 6, 50_000)]
    events = [{"id": "push", "trigger": {"date": "1939-07-05"}, "source": "test",
               "effects": [{"offensive": {"power": "RED", "target": name(1, 0)}}]}]  # fmt: skip
    c = _strip(tmp_path, red + blue, events=events)
    run = Runner(c)
    run.step(6)
    assert run.s.politics.p_target[c.powers.index("RED")] == c.regions.index(name(1, 0))
    meta = (tmp_path / "meta.yaml").read_text()
    (tmp_path / "meta.yaml").write_text(meta + "diverges: 1939-07-03\n")
    from twinvipers.scenario.compile import compile_scenario
    from twinvipers.scenario.load import load

    free = compile_scenario(load(tmp_path).scenario)
    assert free.free_from is not None
    run = Runner(free)
    run.step(6)
    assert run.s.politics.p_target[free.powers.index("RED")] == -1


def test_doctrine_figures_may_come_from_assumptions(tmp_path, monkeypatch):
    from tests.command.test_fronts import py
    from twinvipers.command import high

    monkeypatch.setattr(high, "_doctrine", py(high._doctrine))  # kernels have no Python wrapper

    drawn = [
        {"id": "red_dash", "dist": {"uniform": [0.2, 0.9]}, "source": "test"},
        {"id": "red_staff", "dist": {"fixed": 1.6}, "source": "test"},
    ]
    powers = {"RED": {"aggressiveness": {"assumption": "red_dash"},
                      "competence": {"assumption": "red_staff"}, "risk_tolerance": 0.3}}  # fmt: skip
    c = grid_world(tmp_path, _strip_owner, 8, 1, [], assumptions=drawn, powers=powers)
    run = Runner(c, seed=3)
    w, red, blu = c.world, c.powers.index("RED"), c.powers.index("BLU")
    dash, staff = run.params[-2:]
    assert 0.2 <= dash <= 0.9 and staff == 1.6
    assert py(high.aggressiveness)(w, run.params, red) == dash
    assert py(high.competence)(w, run.params, red) == 1.6
    assert py(high.risk_tolerance)(w, run.params, red) == 0.3
    assert py(high.aggressiveness)(w, run.params, blu) == 0.5  # the neutral default
