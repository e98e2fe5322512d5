"""The war at sea in the engine (rules/sea.py) on the small sea_war test world."""

import numpy as np

from tests.conftest import SEA_WAR, run_days, scenario_variant
from twinvipers.engine import simulate
from twinvipers.ensemble.runner import Spec, run_ensemble
from twinvipers.ensemble.store import connect
from twinvipers.rules import codes, naval
from twinvipers.rules.rng import run_seeds
from twinvipers.rules.supply import PORT_TONS, source_capacity
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load

WAR = """- id: war
  trigger: {date: 1939-07-02}
  effects: [{declare_war: {actor: CON, target: ISL}}]
  source: test
"""


def _compile(path):
    return compile_scenario(load(path).scenario)


def _runs(c, runs=200):
    batch = simulate(c, c.params_for(np.zeros((runs, 0))), run_seeds(5, np.arange(runs)))
    h, n = batch.history, batch.n_events
    return {
        k: getattr(h, k)[:n] for k in ("ev_run", "ev_kind", "ev_region", "ev_value", "ev_actor")
    }


def test_a_fleet_that_outguns_its_enemy_wins_more_often_than_not(tmp_path):
    events = (
        WAR
        + """- id: meet
  trigger: {date: 1939-07-03}
  effects: [{move_fleet: {fleet: con_escort, zone: channel}}, {move_fleet: {fleet: isl_fleet, zone: channel}}]
  source: test
"""
    )
    c = _compile(scenario_variant(tmp_path, SEA_WAR, "meet", events=events))
    ev = _runs(c)
    battles = ev["ev_kind"] == codes.K_NAVAL_BATTLE
    assert (ev["ev_actor"][battles] == c.powers.index("CON")).all()
    first = {}
    for run, holder in zip(ev["ev_run"][battles], ev["ev_value"][battles], strict=True):
        first.setdefault(run, holder)
    held = np.array(list(first.values()))
    assert len(held) > 100  # the fleets find each other in most runs
    assert (held == naval.HELD_BY_A).mean() > 0.5
    assert (held == naval.HELD_BY_B).mean() < 0.1


def test_a_blockade_cuts_the_island_ports_sea_borne_supply(tmp_path):
    blockaded = _compile(SEA_WAR)
    open_sea = _compile(scenario_variant(tmp_path, SEA_WAR, "open", events=WAR))
    port = blockaded.regions.index("isl_capital")
    s_open, _ = run_days(open_sea, 20)
    s_block, _ = run_days(blockaded, 20)
    assert s_open.sea.r_sea[port] == 1.0
    assert s_block.sea.r_sea[port] < 0.5
    cap = [
        source_capacity(
            s.control.industry, s.control.controller, open_sea.world.p_capital, s.sea.r_sea
        )[port]
        for s in (s_open, s_block)
    ]
    assert cap[0] - cap[1] > 0.5 * PORT_TONS


def _landed(c, runs=100):
    ev = _runs(c, runs)
    landing = ev["ev_kind"] == codes.K_LANDING
    assert landing.sum() == runs  # attempted once in every run
    return ev["ev_value"][landing].mean()


def test_a_landing_succeeds_with_naval_superiority_against_a_weak_garrison():
    assert _landed(_compile(SEA_WAR)) > 0.8


def test_a_landing_fails_without_local_naval_superiority(tmp_path):
    fleets = (SEA_WAR / "fleets.yaml").read_text() + (
        "- {id: isl_home_fleet, power: ISL, base: isl_north, zone: north_sea, "
        "ships: {battleship: 6, heavy_cruiser: 6, destroyer: 30}, source: test}\n"
    )
    c = _compile(scenario_variant(tmp_path, SEA_WAR, "guarded", fleets=fleets))
    assert _landed(c) == 0.0


def _fleet_zone_after(tmp_path, name, start, end, order_day):
    meta = (SEA_WAR / "meta.yaml").read_text()
    meta = meta.replace("start: 1939-07-01", f"start: {start}").replace(
        "end: 1939-09-30", f"end: {end}"
    )
    events = f"""- id: to_the_gulf
  trigger: {{date: {order_day}}}
  effects: [{{move_fleet: {{fleet: con_subs, zone: icy_gulf}}}}]
  source: test
"""
    c = _compile(scenario_variant(tmp_path, SEA_WAR, name, meta=meta, events=events))
    s, _ = run_days(c, 10)
    z = s.sea.fl_zone[c.fleets.index("con_subs")]
    return c.sea_zones[z] if z >= 0 else None


def test_frozen_zones_block_ships_in_january_and_not_in_july(tmp_path):
    assert (
        _fleet_zone_after(tmp_path, "jul", "1939-07-01", "1939-08-01", "1939-07-02") == "icy_gulf"
    )
    assert (
        _fleet_zone_after(tmp_path, "jan", "1940-01-01", "1940-02-01", "1940-01-02") != "icy_gulf"
    )


def test_the_sea_war_results_table_shows_blockade_convoy_war_landing_and_battle(tmp_path):
    out = tmp_path / "sea_war"
    run_ensemble(Spec(str(SEA_WAR), 8, seed=2, chunk_size=4), out, workers=1)
    rows = connect(out).sql("select kind, count(distinct run_id) from events group by 1").fetchall()
    runs_with = dict(rows)
    for kind in ("blockade", "trade_war", "landing", "naval_battle"):
        assert runs_with.get(kind) == 8, kind


def test_a_fleet_returns_to_port_when_its_endurance_is_spent_and_then_resumes(tmp_path):
    fleets = (
        (SEA_WAR / "fleets.yaml")
        .read_text()
        .replace("ships: {submarine: 15},", "ships: {submarine: 15}, endurance_days: 10,")
    )
    c = _compile(scenario_variant(tmp_path, SEA_WAR, "endurance", fleets=fleets))
    subs = c.fleets.index("con_subs")
    ocean = c.sea_zones.index("ocean")
    # Ordered out on day 2: at sea days 2-11, in port from day 12 for five days, out again.
    zones = [run_days(c, d)[0].sea.fl_zone[subs] for d in (8, 14, 22)]
    assert zones == [ocean, -1, ocean]


def _evacuated(tmp_path, name, extra_events):
    events = (
        WAR
        + extra_events
        + """- id: lift_the_garrison
  trigger: {date: 1939-07-06}
  effects: [{evacuate: {force: isl_north_garrison, region: isl_north, zone: north_sea, to: isl_capital, fleets: [isl_fleet]}}]
  source: test
"""
    )
    c = _compile(scenario_variant(tmp_path, SEA_WAR, name, events=events))
    s, h = run_days(c, 8)
    return c.regions[s.land.f_region[c.forces.index("isl_north_garrison")]]


def test_an_evacuation_needs_the_sea(tmp_path):
    assert _evacuated(tmp_path, "free", "") == "isl_capital"
    guarded = """- id: guard
  trigger: {date: 1939-07-02}
  effects: [{move_fleet: {fleet: con_escort, zone: north_sea}}]
  source: test
"""
    assert _evacuated(tmp_path, "guarded", guarded) == "isl_north"
