"""Shared fixtures: the ../shared folder (when present) and a small finished ensemble."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def cli(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the twinvipers command line in a subprocess, as a user would."""
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "-m", "twinvipers", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env=env,
    )


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder beside the repository (CI always has it; a user's clone may not)."""
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared/data is absent (it sits beside the repository in CI only)")
    return SHARED


@pytest.fixture(scope="session")
def small_ensemble(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished 64-run ensemble of the built-in scenario (one worker)."""
    from twinvipers.ensemble.runner import Spec, run_ensemble

    out = tmp_path_factory.mktemp("ens") / "poland"
    run_ensemble(Spec("poland_1939", 64, seed=7, chunk_size=16), out, workers=1)
    return out


@pytest.fixture(scope="module")
def geometry_cache(tmp_path_factory: pytest.TempPathFactory):
    """A private geometry cache, seeded with the coarse land grid so tests skip the mask load."""
    import shutil

    from twinvipers.world import geometry

    real = geometry.cache_dir()
    d = tmp_path_factory.mktemp("tvcache")
    for f in real.glob("landfrac-*.npz") if real.exists() else []:
        shutil.copy(f, d / f.name)
    mp = pytest.MonkeyPatch()
    mp.setenv("TWINVIPERS_CACHE", str(d))
    yield d
    mp.undo()


SEA_WAR = ROOT / "tests" / "scenarios" / "sea_war"


def scenario_variant(tmp_path: Path, base: Path, name: str, **files: str) -> Path:
    """A copy of scenario folder ``base`` with some of its files replaced (``events="..."``)."""
    import shutil

    d = tmp_path / name
    shutil.copytree(base, d)
    for stem, text in files.items():
        (d / f"{stem}.yaml").write_text(text)
    return d


def run_days(c, days: int, seed: int = 1, params=None):
    """Run one run of compiled scenario ``c`` for ``days`` days; return its State and History."""
    import numpy as np

    from twinvipers.engine import reset, step
    from twinvipers.rules import codes
    from twinvipers.rules.rng import run_seeds
    from twinvipers.state import new_state
    from twinvipers.world.arrays import Ctx, new_history

    w = c.world
    s = new_state(w)
    h = new_history(
        1, len(w.snap_days), len(w.r_owner), len(w.p_capital), len(codes.POWER_FIELDS), 4096
    )
    p = c.params_for(np.zeros((1, len(c.assumptions))))[0] if params is None else params
    seed_ = run_seeds(seed, np.arange(1))[0]
    reset(w, s)
    for day in range(days):
        step(w, s, h, Ctx(p, 0, seed_, day))
    return s, h
