"""The ``given`` sampler: a design handed to the runner (sensitivity analysis uses it)."""

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from twinvipers.analysis import sensitivity as sa
from twinvipers.ensemble import runner
from twinvipers.ensemble.runner import EnsembleError, Spec, run_ensemble
from twinvipers.ensemble.sampling import GIVEN

pytestmark = pytest.mark.slow
DECIDER = str(Path(__file__).resolve().parents[1] / "scenarios" / "decider")
UNTIL = dt.date(1939, 8, 28)


def _design():
    from twinvipers.scenario.load import load

    u, seeds, _ = sa.design(list(load(DECIDER).scenario.assumptions), "morris", 6, seed=2)
    return u, seeds


def _tables(out):
    return {t: pq.read_table(out / f"{t}.parquet") for t in ("runs", "events", "powers")}


def test_given_design_is_deterministic_and_resumes(tmp_path, monkeypatch):
    u, seeds = _design()
    a = tmp_path / "a"
    run_ensemble(Spec(DECIDER, len(u), 3, UNTIL, GIVEN, 8), a, workers=1, design=(u, seeds))
    runs = pq.read_table(a / "runs.parquet").to_pandas()
    # the run's assumption values are the design's rows through the distributions
    assert runs["decider"].tolist() == pytest.approx(list(u[:, 2]))
    assert runs.groupby(seeds)["seed"].nunique().eq(1).all()  # one seed per trajectory

    b = tmp_path / "b"
    calls = {"n": 0}

    def die_after_one(name):
        calls["n"] += name == "chunk"
        if calls["n"] == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(runner, "_stage", die_after_one)
    with pytest.raises(KeyboardInterrupt):
        run_ensemble(Spec(DECIDER, len(u), 3, UNTIL, GIVEN, 8), b, workers=1, design=(u, seeds))
    monkeypatch.undo()
    run_ensemble(Spec(DECIDER, len(u), 3, UNTIL, GIVEN, 8), b, workers=2, resume=True)
    for name, t in _tables(a).items():
        assert _tables(b)[name].equals(t), name


def test_given_needs_its_design(tmp_path):
    u, seeds = _design()
    with pytest.raises(EnsembleError, match="given design"):
        run_ensemble(Spec(DECIDER, len(u), 3, UNTIL, GIVEN, 8), tmp_path / "x", workers=1)
    with pytest.raises(EnsembleError, match="need 5"):
        run_ensemble(
            Spec(DECIDER, 5, 3, UNTIL, GIVEN, 8), tmp_path / "y", workers=1, design=(u, seeds)
        )
