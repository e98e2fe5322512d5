"""Supply in the engine's day (rules/logistics.py) on a line of regions beyond one railhead."""

from tests.conftest import run_days
from twinvipers.rules import params as P
from twinvipers.rules import supply
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load

META = """id: railhead
name: Railhead
start: 1939-07-01
end: 1939-10-30
sources: {test: "A synthetic world for the tests"}
"""
POWERS = "- {id: RED, name: Red, capital: home, truck_range: 2, source: test}\n"
# home --rail-- rh (the railhead) -- a -- b -- c -- d: road only beyond the railhead
CHAIN = ["home", "rh", "a", "b", "c", "d"]
FORCES = """- {id: near, power: RED, region: a, divisions: {infantry: 4}, men: 60000, source: test}
- {id: far, power: RED, region: d, divisions: {infantry: 4}, men: 60000, source: test}
"""


def _world(tmp_path):
    d = tmp_path / "railhead"
    d.mkdir()
    (d / "meta.yaml").write_text(META)
    (d / "powers.yaml").write_text(POWERS)
    (d / "regions.yaml").write_text(
        "".join(
            f"- {{id: {r}, name: {r}, lon: {10 + i}, lat: 50, owner: RED, industry: "
            f"{20 if r == 'home' else 0}, source: test}}\n"
            for i, r in enumerate(CHAIN)
        )
    )
    (d / "edges.yaml").write_text(
        "".join(
            f"- {{a: {a}, b: {b}, rail: {20000 if a == 'home' else 0}, source: test}}\n"
            for a, b in zip(CHAIN, CHAIN[1:], strict=False)
        )
    )
    (d / "forces.yaml").write_text(FORCES)
    return compile_scenario(load(d).scenario)


def test_an_army_beyond_its_railheads_truck_range_starves(tmp_path):
    c = _world(tmp_path)
    near, far = c.forces.index("near"), c.forces.index("far")
    # Its stock lasts STOCK_CAP_DAYS, then the attrition grace: look well after both.
    days = int(supply.STOCK_CAP_DAYS + P.PARAMS[P.ATTRITION_GRACE].default) + 30
    s, _ = run_days(c, days)
    assert s.supply.f_supply[near] == 1.0 and s.supply.f_days_short[near] == 0
    assert s.land.f_men[near] == 60000
    assert s.supply.f_supply[far] < P.PARAMS[P.SHORT_THRESHOLD].default
    assert s.supply.f_days_short[far] > P.PARAMS[P.ATTRITION_GRACE].default
    assert s.supply.f_stock[far] == 0.0
    assert s.land.f_men[far] < 60000 * (1 - 10 * P.PARAMS[P.ATTRITION_RATE].default)
    # Men are conserved: the starving lost to sickness and desertion (booked as wounded).
    red = c.powers.index("RED")
    assert (
        abs(
            s.land.f_men[near]
            + s.land.f_men[far]
            + s.land.wounded[red]
            + s.land.killed[red]
            - 120000
        )
        < 1e-6
    )


def test_a_longer_truck_range_feeds_the_far_army(tmp_path):
    c = _world(tmp_path)
    p = c.world.p_truck_range.copy()
    c.world.p_truck_range[:] = 4  # d is 4 hops beyond the railhead
    s, _ = run_days(c, 60)
    c.world.p_truck_range[:] = p
    assert s.supply.f_days_short[c.forces.index("far")] == 0
