"""Sensitivity analysis and scenario discovery on a world built so that one assumption decides.

``tests/scenarios/decider``: the event ``marker`` fires on 26 August with the chance
``decider``; ``idle`` is read by nothing; ``coin`` fires on a fair coin no assumption touches.
"""

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from twinvipers.analysis import discovery
from twinvipers.analysis import sensitivity as sa

DECIDER = str(Path(__file__).resolve().parents[1] / "scenarios" / "decider")
MARKER = "event marker fires by 1939-08-28"
COIN = "event coin fires by 1939-08-28"


def _assumptions():
    from twinvipers.scenario.load import load

    return list(load(DECIDER).scenario.assumptions)


@pytest.mark.parametrize(("method", "block"), [("sobol", 5), ("morris", 4)])
def test_design_blocks_share_a_seed(method, block):
    a = _assumptions()
    u, seed_ids, prob = sa.design(a, method, 8, seed=3)
    assert prob["names"] == ["polish_will", "decider", "idle"]  # soviet_entry is fixed
    assert len(u) == sa.runs_needed(3, method, 8) == 8 * block
    assert list(seed_ids) == [i // block for i in range(8 * block)]
    fixed = [j for j, x in enumerate(a) if x.id == "soviet_entry"][0]
    assert (u[:, fixed] == 0.5).all() and ((u > 0) & (u < 1)).all()


@pytest.fixture(scope="module")
def sobol_run(tmp_path_factory):
    import datetime as dt

    from twinvipers.ensemble.runner import Spec, run_ensemble
    from twinvipers.ensemble.sampling import GIVEN

    out = tmp_path_factory.mktemp("sens") / "decider"
    u, seed_ids, prob = sa.design(_assumptions(), "sobol", 64, seed=5)
    spec = Spec(DECIDER, len(u), 5, dt.date(1939, 8, 28), GIVEN, 64)
    run_ensemble(spec, out, workers=1, design=(u, seed_ids))
    sa.write_info(out, "sobol", 64, 5, prob)
    return out


@pytest.fixture(scope="module")
def sampled_run(tmp_path_factory):
    """An ordinary ensemble (Latin hypercube, a seed per run): what PRIM is meant for."""
    import datetime as dt

    from twinvipers.ensemble.runner import Spec, run_ensemble

    out = tmp_path_factory.mktemp("lhs") / "decider"
    run_ensemble(Spec(DECIDER, 256, 5, dt.date(1939, 8, 28), "lhs", 64), out, workers=1)
    return out


@pytest.mark.slow
def test_sobol_finds_the_decider_and_nothing_else(sobol_run):
    rows = {(r["outcome"], r["assumption"]): r for r in sa.analyse(sobol_run, [MARKER, COIN])}
    d = rows[(MARKER, "decider")]
    assert d["total"] - d["total_conf"] > 0.2 and d["first"] - d["first_conf"] > 0.2
    for name in ("polish_will", "idle"):
        assert abs(rows[(MARKER, name)]["total"]) < 0.05
    for name in ("polish_will", "decider", "idle"):  # the coin: no assumption matters
        assert abs(rows[(COIN, name)]["total"]) < 0.05
    # The runs really differ on both outcomes (neither is constant).
    runs = pq.read_table(sobol_run / "runs.parquet")
    assert len(set(runs.column("seed").to_pylist())) == 64 and runs.num_rows == 320


@pytest.mark.slow
def test_prim_finds_the_decider_and_nothing_for_the_coin(sampled_run):
    found = discovery.discover(sampled_run, MARKER, threshold=0.75)
    assert list(found["box"].limits) == ["decider"]
    assert found["box"].limits["decider"][0] > 0.4 and found["box"].density >= 0.75
    assert max(found["tree_scores"], key=found["tree_scores"].get) == "decider"
    coin = discovery.discover(sampled_run, COIN)
    assert 0 < coin["runs_met"] < coin["runs"] and coin["box"] is None


@pytest.mark.slow
def test_sensitivity_on_the_command_line(tmp_path):
    from tests.conftest import cli

    out = tmp_path / "m"
    args = ["sensitivity", DECIDER, "--method", "morris", "--runs", "6", "--until", "1939-08-28"]
    r = cli(*args, "--outcome", MARKER, "--out", str(out), "--workers", "1")
    assert r.returncode == 0, r.stderr
    assert "mu_star" in r.stdout and (out / "sensitivity.png").stat().st_size > 1000
    rows = (out / "sensitivity.csv").read_text().splitlines()
    assert rows[0].startswith("outcome,assumption,method") and len(rows) == 4
    mu = {x.split(",")[1]: float(x.split(",")[7]) for x in rows[1:]}
    assert mu["decider"] > 0 and mu["idle"] == 0 == mu["polish_will"]
    r = cli(*args, "--outcome", "event marker fires by 1939-08", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "column 23" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x").exists()  # refused before running anything


@pytest.mark.slow
def test_the_report_shows_the_indices_of_a_sensitivity_run(sobol_run, tmp_path):
    from twinvipers.report.html import write_report

    text = write_report(sobol_run, tmp_path / "r.html", claims=[MARKER]).read_text()
    decided = text[text.index("<h2>What decided it") : text.index("<h2>Claims")]
    assert "Sobol indices" in decided and "warsaw_falls" in decided and "<img" in decided
    assert MARKER in text[text.index("<h2>Claims") :]
