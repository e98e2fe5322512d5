import numpy as np
import pytest

from twinvipers.scenario.compile import compile_scenario, snapshot_days
from twinvipers.scenario.errors import ScenarioError
from twinvipers.scenario.load import load
from twinvipers.world.arrays import UNREACHABLE


@pytest.fixture(scope="module")
def compiled():
    return compile_scenario(load("poland_1939").scenario)


def test_ids_follow_the_scenario_order(compiled):
    s = compiled.scenario
    assert compiled.regions == [r.id for r in s.regions]
    assert compiled.powers == [p.id for p in s.powers]
    w = compiled.world
    warsaw, pol = compiled.regions.index("warsaw"), compiled.powers.index("POL")
    assert w.r_owner[warsaw] == pol and w.p_capital[pol] == warsaw


def test_next_hops_walk_shortest_land_paths(compiled):
    w = compiled.world
    n = len(compiled.regions)
    for s in range(n):
        for t in range(n):
            if s == t:
                assert w.next_hop[s, t] == s and w.dist[s, t] == 0
            elif w.dist[s, t] < UNREACHABLE:
                h = w.next_hop[s, t]
                assert w.dist[s, h] == 1 and w.dist[h, t] == w.dist[s, t] - 1
    berlin, paris = compiled.regions.index("berlin"), compiled.regions.index("paris")
    assert w.dist[berlin, paris] == 3  # berlin - saar - lorraine - paris


def test_snapshots_are_weekly_and_end_on_the_last_day():
    assert list(snapshot_days(20, 7)) == [0, 7, 14, 19]
    assert list(snapshot_days(15, 7)) == [0, 7, 14]


def test_until_shortens_the_calendar_and_must_follow_the_start(compiled):
    s = compiled.scenario
    short = compile_scenario(s, s.meta.start.replace(month=9, day=1))
    assert short.world.snap_days[-1] == compiled.day(s.meta.start.replace(month=9, day=1))
    with pytest.raises(ScenarioError, match="not after"):
        compile_scenario(s, s.meta.start)


def test_assumptions_feed_parameters(tmp_path):
    import shutil

    from twinvipers.rules import params
    from twinvipers.scenario.load import SHIPPED

    d = tmp_path / "s"
    shutil.copytree(SHIPPED / "poland_1939", d)
    (d / "parameters.yaml").write_text(
        "breakpoint: 0.6\nattacker_loss_rate: {assumption: polish_will}\n"
    )
    c = compile_scenario(load(d).scenario)
    rows = c.params_for(np.array([[0.9, 1.2], [0.9, 0.8]]))
    assert (rows[:, params.BREAKPOINT] == 0.6).all()
    assert list(rows[:, params.ATT_LOSS]) == [1.2, 0.8]
    (d / "parameters.yaml").write_text("breakpoint: 0.6\nno_such_constant: 1\n")
    with pytest.raises(ScenarioError, match="unknown engine parameter") as info:
        load(d)
    (e,) = info.value.errors
    assert e.file.endswith("parameters.yaml") and e.line == 2


def test_sea_ice_comes_from_the_scenario_alone(tmp_path):
    import pathlib
    import shutil

    src = pathlib.Path(__file__).parents[1] / "scenarios" / "sea_war"
    c = compile_scenario(load(src).scenario)
    icy = c.sea_zones.index("icy_gulf")
    assert [m + 1 for m in np.flatnonzero(c.world.z_frozen[icy])] == [1, 2, 3, 12]
    assert c.world.z_frozen.sum() == 4  # the other zones name no ice
    # A zone named like an icebound sea but given no months is open: no lookup by name.
    d = tmp_path / "s"
    shutil.copytree(src, d)
    text = (d / "sea_zones.yaml").read_text()
    (d / "sea_zones.yaml").write_text(
        text.replace("name: Icy gulf", "name: Gulf of Finland").replace(
            "frozen_months: [12, 1, 2, 3], ", ""
        )
    )
    assert not compile_scenario(load(d).scenario).world.z_frozen.any()
    (d / "sea_zones.yaml").write_text(text.replace("[12, 1, 2, 3]", "[12, 1, 1]"))
    with pytest.raises(ScenarioError, match="a month is listed twice"):
        load(d)
