"""The war economy (rules/economy.py): production, lead times, trade, shortage, capture."""

import numpy as np
import pytest

from tests.conftest import SEA_WAR, scenario_variant
from tests.worlds import Runner, grid_world
from twinvipers.engine import simulate
from twinvipers.invariants import check_day, check_run
from twinvipers.rules import codes
from twinvipers.rules.economy import AIRCRAFT, MEN, TANKS
from twinvipers.rules.economy import fuel_factor as _fuel_factor
from twinvipers.rules.economy import refill as _refill
from twinvipers.rules.rng import run_seeds
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load

# Kernels have no Python entry point when compiled: call their Python function.
refill = getattr(_refill, "py_func", _refill)
fuel_factor = getattr(_fuel_factor, "py_func", _fuel_factor)


def _economy(tag, **kw):
    base = {
        "id": tag, "gdp": 100, "mobilisation": 0.5, "war_mobilisation": 0.5,
        "munitions_share": 1.0, "priorities": {"tanks": 0, "aircraft": 0, "replacements": 0,
                                               "other": 1},
        "source": "test",
    }  # fmt: skip
    return {**base, **kw}


def test_refill_shares_each_powers_depot_by_shortfall():
    owner = np.array([0, 0, 0, 1])
    active = np.array([True, True, True, False])
    need = np.array([100.0, 100.0, 50.0, 100.0])
    have = np.array([50.0, 90.0, 50.0, 0.0])
    depot, built = np.array([[30.0], [500.0]]), np.zeros((2, 1))
    refill(owner, active, need, have, depot, built, 0)
    np.testing.assert_allclose(have, [50.0 + 30 * 50 / 60, 90.0 + 30 * 10 / 60, 50.0, 0.0])
    np.testing.assert_allclose(depot[:, 0], [0.0, 500.0])  # power 1's one force is inactive
    np.testing.assert_allclose(built[:, 0], [30.0, 0.0])
    depot[0, 0] = 100.0
    refill(owner, active, need, have, depot, built, 0)
    np.testing.assert_allclose(have[:3], need[:3])  # never above the need
    assert depot[0, 0] == pytest.approx(70.0)
    assert built[0, 0] == pytest.approx(60.0)


def test_fuel_factor_lowers_a_motorised_force_in_proportion_to_the_fuel_missing():
    fuel = np.array([1.0, 0.0, 0.5])
    assert fuel_factor(fuel, 1.0, 0.5, 0) == 1.0
    assert fuel_factor(fuel, 1.0, 0.5, 1) == 0.5
    assert fuel_factor(fuel, 1.0, 0.5, 2) == 0.75
    assert fuel_factor(fuel, 0.0, 0.5, 1) == 1.0  # foot infantry does not care


def test_production_arrives_after_its_lead_time_and_follows_the_priorities(tmp_path):
    c = grid_world(
        tmp_path, lambda x, y: "RED" if x == 0 else "BLU", 2, 1, [], war=False,
        industry={"x0y0": 1}, parameters={"tank_lead_days": 10, "tank_cost": 1.0},
        extra_files={"economy": [_economy("RED")]},
    )  # fmt: skip
    r = Runner(c)
    red = c.powers.index("RED")
    built = lambda: r.s.econ.p_built[red, TANKS] + r.s.econ.p_depot[red, TANKS]  # noqa: E731
    r.step(5)
    assert built() == 0.0  # no tanks in its priorities: none in the pipeline either
    r.s.econ.p_prio[red, :] = [1.0, 0.0, 0.0, 0.0]  # the high command's hook
    r.step(10)  # days 5..14: started from day 5, due on day 15
    assert built() == 0.0
    r.step(1)
    daily = 100 * 0.5 * 1.0 / 365 * 1000 / 1.0  # GDP x mobilisation x munitions / tank cost
    assert built() == pytest.approx(daily)
    r.step(4)
    assert built() == pytest.approx(5 * daily)


def _replacement_world(tmp_path, owner, nx, forces):
    """An nx x 1 world at peace whose RED spends all its munitions on replacements (source x0)."""
    return grid_world(
        tmp_path, owner, nx, 1, forces, war=False,
        industry={"x0y0": 1}, parameters={"replacement_lead_days": 5},
        extra_files={"economy": [_economy(
            "RED", manpower=100,
            priorities={"tanks": 0, "aircraft": 0, "replacements": 1, "other": 0},
        )]},
    )  # fmt: skip


def test_replacements_refill_a_depleted_force_from_the_manpower_pool(tmp_path):
    c = _replacement_world(
        tmp_path,
        lambda x, y: "RED" if x == 0 else "BLU",
        2,
        [{"id": "red_army", "power": "RED", "men": 50_000, "region": "x0y0"}],
    )
    r = Runner(c)
    red, f = c.powers.index("RED"), c.forces.index("red_army")
    r.s.land.f_men[f] = 20_000.0
    r.s.land.killed[red] = 30_000.0  # booked as lost, so men stay conserved
    r.step(30)
    assert r.s.land.f_men[f] == pytest.approx(50_000.0)  # never above its start strength
    assert r.s.econ.p_built[red, MEN] == pytest.approx(30_000.0)
    assert r.s.econ.p_pool[red] < 100_000.0 - 30_000.0  # drawn, the rest waiting in depot
    assert check_day(c.world, r.s, r.day - 1, c) == []


def test_replacements_reach_only_forces_the_supply_network_reaches(tmp_path):
    # RED's source is x0; x2 is RED's too but beyond BLU's x1: a force there is cut off.
    c = _replacement_world(
        tmp_path, lambda x, y: "BLU" if x == 1 else "RED", 3,
        [{"id": "home_army", "power": "RED", "men": 50_000, "region": "x0y0"},
         {"id": "cut_off", "power": "RED", "men": 50_000, "region": "x2y0"}],
    )  # fmt: skip
    r = Runner(c)
    red = c.powers.index("RED")
    home, cut = c.forces.index("home_army"), c.forces.index("cut_off")
    for f in (home, cut):
        r.s.land.f_men[f] = 20_000.0
    r.s.land.killed[red] = 60_000.0
    r.step(30)
    assert not r.s.supply.f_reached[cut] and r.s.supply.f_reached[home]
    assert r.s.land.f_men[home] == pytest.approx(50_000.0)
    assert r.s.land.f_men[cut] == pytest.approx(20_000.0)  # nothing got through to it
    assert r.s.econ.p_depot[red, MEN] > 0.0  # its share waits in the depot


def test_oil_production_stops_at_storage_and_the_books_balance(tmp_path):
    # 100 kt a day made, nothing used: the stock fills its storage (1.5 x the start) and stops.
    econ = [_economy("RED", oil_stock=100.0, oil_home=36_500.0, oil_civil=0.0)]
    c = grid_world(
        tmp_path, lambda x, y: "RED" if x == 0 else "BLU", 2, 1, [], war=False,
        extra_files={"economy": econ},
    )  # fmt: skip
    r = Runner(c)
    red = c.powers.index("RED")
    r.step(30)
    assert r.s.econ.p_oil[red] == pytest.approx(150.0)  # full: its fields throttle
    assert r.s.econ.p_oil_prod[red] == pytest.approx(50.0)
    assert check_day(c.world, r.s, r.day - 1, c) == []


def _route_world(tmp_path, trade, events=()):
    econ = [_economy("RED", oil_stock=0.0), _economy("BLU", oil_stock=1000.0)]
    return grid_world(
        tmp_path, lambda x, y: "RED" if x == 0 else "BLU", 3, 1, [], war=False,
        events=list(events), extra_files={"economy": econ, "trade": trade},
    )  # fmt: skip


def test_trade_between_powers_conserves_oil(tmp_path):
    trade = [{"id": "pipeline", "exporter": "BLU", "importer": "RED", "kt_per_year": 365,
              "rail": ["x1y0"], "source": "test"}]  # fmt: skip
    c = _route_world(tmp_path, trade)
    r = Runner(c)
    red, blu = c.powers.index("RED"), c.powers.index("BLU")
    r.step(20)
    e = r.s.econ
    assert e.p_oil_in_rail[red] == pytest.approx(20.0)  # 1 kt a day
    assert e.p_oil_out[blu] == pytest.approx(20.0)
    assert e.p_oil[red] + e.p_oil[blu] == pytest.approx(1000.0)  # nothing used: conserved
    assert check_run(c, days=20) == []


def test_a_route_across_ground_an_enemy_holds_is_cut(tmp_path):
    trade = [
        {"id": "transit", "importer": "RED", "kt_per_year": 365, "rail": ["x1y0"], "source": "test"}
    ]  # the world market, through BLU's x1y0
    war = [
        {
            "id": "war",
            "trigger": {"date": "1939-07-11"},
            "effects": [{"declare_war": {"actor": "BLU", "target": "RED"}}],
            "source": "test",
        }
    ]
    c = _route_world(tmp_path, trade, war)
    batch = simulate(c, c.params_for(np.zeros((1, 0))), run_seeds(1, np.arange(1)))
    h, n = batch.history, batch.n_events
    kinds = h.ev_kind[:n]
    assert (kinds == codes.K_ROUTE_OPENED).sum() == 0  # open from the start: no event
    assert (kinds == codes.K_ROUTE_CUT).sum() == 1
    day_cut = int(h.ev_day[:n][kinds == codes.K_ROUTE_CUT][0])
    assert c.date(day_cut).isoformat() == "1939-07-11"
    r = Runner(c)
    r.step(30)
    assert r.s.econ.p_oil_in_rail[c.powers.index("RED")] == pytest.approx(10.0)  # days 0-9


def test_a_blockade_cuts_a_sea_route(tmp_path):
    econ = "- {id: ISL, gdp: 10, mobilisation: 0.1, war_mobilisation: 0.1, oil_stock: 100, source: test}\n"
    trade = "- {id: island_oil, importer: ISL, kt_per_year: 3650, sea: [channel], source: test}\n"
    blockaded = compile_scenario(
        load(scenario_variant(tmp_path, SEA_WAR, "war", economy=econ, trade=trade)).scenario
    )
    peace = compile_scenario(
        load(
            scenario_variant(tmp_path, SEA_WAR, "peace", economy=econ, trade=trade, events="[]")
        ).scenario
    )
    isl = blockaded.powers.index("ISL")
    got = {}
    for label, c in (("war", blockaded), ("peace", peace)):
        r = Runner(c)
        r.step(30)
        got[label] = r.s.econ.p_oil_in_sea[isl]
    assert got["peace"] == pytest.approx(300.0)
    assert got["war"] < 0.6 * got["peace"]


def test_a_power_out_of_oil_is_short_and_its_motorised_force_moves_slower(tmp_path):
    reached = {}
    for oil in (True, False):
        c = grid_world(
            tmp_path / str(oil), lambda x, y: "RED" if x < 7 else "BLU", 8, 1,
            [{"id": "panzers", "power": "RED", "men": 15_000, "tanks": 300, "region": "x0y0",
              "divisions": {"armoured": 1}}],
            events=[{"id": "go", "trigger": {"date": "1939-07-01"},
                     "effects": [{"offensive": {"power": "RED", "target": "x7y0",
                                                "forces": ["panzers"]}}], "source": "test"}],
            extra_files={"economy": [_economy("RED", oil_stock=1e4 if oil else 0.0)]},
        )  # fmt: skip
        r = Runner(c)
        f, red = c.forces.index("panzers"), c.powers.index("RED")
        r.step(8)
        reached[oil] = int(r.s.land.f_region[f])
        assert (r.s.econ.p_fuel[red] < 0.01) == (not oil)
    assert reached[True] > reached[False]


def test_a_shortage_lowers_combat_power(tmp_path):
    """A motorised attacker without fuel fights at less power: it pays more for the same ground."""
    lost = {}
    for oil in (True, False):
        c = grid_world(
            tmp_path / str(oil), lambda x, y: "RED" if x == 0 else "BLU", 2, 1,
            [{"id": "panzers", "power": "RED", "men": 30_000, "tanks": 600, "region": "x0y0",
              "divisions": {"armoured": 2}},
             {"id": "line", "power": "BLU", "men": 20_000, "region": "x1y0"}],
            events=[{"id": "attack", "trigger": {"date": "1939-07-02"},
                     "effects": [{"offensive": {"power": "RED", "target": "x1y0"}}],
                     "source": "test"}],
            extra_files={"economy": [_economy("RED", oil_stock=1e4 if oil else 0.0)]},
            end="1939-07-12",
        )  # fmt: skip
        runs = 16
        batch = simulate(c, c.params_for(np.zeros((runs, 0))), run_seeds(3, np.arange(runs)))
        h, n = batch.history, batch.n_events
        battles = h.ev_kind[:n] == codes.K_BATTLE
        assert battles.sum() == runs  # one battle a run, either way
        lost[oil] = h.ev_x1[:n][battles].sum()  # the attacker's killed and wounded
        shortages = h.ev_kind[:n] == codes.K_SHORTAGE
        assert shortages.sum() == (0 if oil else runs)
    assert lost[False] > 1.2 * lost[True]


def test_captured_industry_works_for_its_captor_after_a_delay(tmp_path):
    c = grid_world(
        tmp_path, lambda x, y: "RED" if x == 0 else "BLU", 2, 1,
        [{"id": "red_army", "power": "RED", "men": 50_000, "region": "x1y0"}],
        industry={"x0y0": 1, "x1y0": 1},
        parameters={"captured_industry_delay_days": 10, "captured_industry_share": 0.3},
        extra_files={"economy": [_economy("RED"), _economy("BLU", gdp=50)]},
    )  # fmt: skip
    r = Runner(c)
    red = c.powers.index("RED")
    r.step(1)
    assert r.controller("x1y0") == "RED"  # taken unopposed on day 0
    assert r.s.econ.p_output[red] == pytest.approx(100.0)
    r.step(9)
    assert r.s.econ.p_output[red] == pytest.approx(100.0)
    r.step(1)
    assert r.s.econ.p_output[red] == pytest.approx(100.0 + 0.3 * 50.0)


def test_aircraft_refill_wings_to_their_start_strength(tmp_path):
    c = grid_world(
        tmp_path, lambda x, y: "RED" if x == 0 else "BLU", 2, 1, [], war=False,
        industry={"x0y0": 1}, parameters={"aircraft_lead_days": 1},
        air=[{"id": "wing", "power": "RED", "region": "x0y0", "fighters": 100, "bombers": 50}],
        extra_files={"economy": [_economy(
            "RED", priorities={"tanks": 0, "aircraft": 1, "replacements": 0, "other": 0},
        )]},
    )  # fmt: skip
    r = Runner(c)
    red = c.powers.index("RED")
    r.s.air.a_fighters[0] = 40.0
    r.s.air.a_bombers[0] = 20.0
    r.step(3)
    assert r.s.air.a_fighters[0] == pytest.approx(100.0)
    assert r.s.air.a_bombers[0] == pytest.approx(50.0)
    assert r.s.econ.p_built[red, AIRCRAFT] == pytest.approx(90.0)
    assert r.s.econ.p_depot[red, AIRCRAFT] > 0.0  # the rest waits


def test_an_oil_stock_and_a_route_may_be_assumptions(tmp_path):
    econ = [_economy("RED", oil_stock={"assumption": "red_stock"}), _economy("BLU")]
    trade = [{"id": "lane", "importer": "RED", "kt_per_year": {"assumption": "red_flow"},
              "rail": ["x0y0"], "source": "test"}]  # fmt: skip
    assumptions = [
        {"id": "red_stock", "description": "stock", "dist": {"uniform": [100, 200]},
         "source": "test"},
        {"id": "red_flow", "description": "flow", "dist": {"uniform": [365, 730]},
         "source": "test"},
    ]  # fmt: skip
    c = grid_world(
        tmp_path, lambda x, y: "RED" if x == 0 else "BLU", 2, 1, [], war=False,
        assumptions=assumptions, extra_files={"economy": econ, "trade": trade},
    )  # fmt: skip
    r = Runner(c, seed=4)
    stock, flow = r.params[-2:]
    red = c.powers.index("RED")
    r.step(10)
    assert r.s.econ.p_oil_start[red] == pytest.approx(stock)
    assert r.s.econ.p_oil[red] == pytest.approx(stock + 10 * flow / 365)
    assert check_day(c.world, r.s, r.day - 1, c) == []
