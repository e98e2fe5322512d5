import numpy as np
import pytest

from twinvipers.analysis import discovery as dv
from twinvipers.analysis.synthetic import write_synthetic_results

NAMES = ["a", "b", "c"]


def _x(seed, n=256):
    return np.random.default_rng(seed).random((n, 3))


def test_prim_finds_the_deciding_assumption():
    x = _x(1)
    box, steps = dv.prim(x, x[:, 1] < 0.3, NAMES)
    assert list(box.limits) == ["b"] and box.limits["b"][1] == pytest.approx(0.3, abs=0.02)
    assert box.density > 0.95 and box.coverage == 1.0 and box.p_values["b"] < 1e-6
    assert steps[0]["mass"] == 1.0 and steps[-1]["mass"] >= 0.05


def test_prim_finds_a_noisy_decider():
    x = _x(2)
    y = np.random.default_rng(3).random(len(x)) < x[:, 0]  # a coin weighted by a
    box, _ = dv.prim(x, y, NAMES, threshold=0.7)
    assert list(box.limits) == ["a"] and box.limits["a"][0] > 0.4
    assert box.density >= 0.7 > y.mean() + 0.2


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_prim_finds_nothing_when_no_assumption_matters(seed):
    x = _x(seed)
    y = np.random.default_rng(seed + 100).random(len(x)) < 0.5
    box, steps = dv.prim(x, y, NAMES)
    assert box is None and len(steps) > 1  # it peeled, and nothing held up


def test_discover_on_a_results_folder(tmp_path):
    # In the synthetic results Poland capitulates in runs 0-14, which are the runs with
    # pol_will up to 0.5 + 14/39 (pol_will rises with the run id): pol_will decides it.
    d = write_synthetic_results(tmp_path / "r", runs=40)
    out = dv.discover(d, "POL capitulates by 1939-11-30")
    assert out["assumptions"] == ["pol_will", "ger_tempo"]
    box = out["box"]
    assert list(box.limits) == ["pol_will"]
    assert box.limits["pol_will"][1] == pytest.approx(0.5 + 14 / 39)
    assert box.coverage == box.density == 1.0
    assert out["tree_scores"]["pol_will"] == 1.0 and "pol_will <=" in out["tree"]


@pytest.mark.slow
def test_discover_on_the_command_line(tmp_path):
    from tests.conftest import cli

    d = write_synthetic_results(tmp_path / "r", runs=40)
    r = cli("discover", str(d), "POL capitulates by 1939-11-30")
    assert r.returncode == 0, r.stderr
    assert "PRIM box: coverage 100%" in r.stdout and "pol_will" in r.stdout
    r = cli("discover", str(d), "POL capitulates by")
    assert r.returncode == 2 and "column 19" in r.stderr and "Traceback" not in r.stderr
