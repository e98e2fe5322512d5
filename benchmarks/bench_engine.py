"""Engine and ensemble speed: prints figures (not a pass/fail test).

Usage: python benchmarks/bench_engine.py [--scenario NAME|FOLDER] [--skip-cold] [--sizes 1,100]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

FIRST_SIM = """
import time, sys
t0 = time.perf_counter()
import numpy as np
from twinvipers.scenario.load import load
from twinvipers.scenario.compile import compile_scenario
from twinvipers.engine import simulate
from twinvipers.rules.rng import run_seeds
c = compile_scenario(load(sys.argv[1]).scenario)
t1 = time.perf_counter()
simulate(c, c.params_for(np.zeros((1, len(c.assumptions)))), run_seeds(1, np.arange(1)))
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def first_simulation(scenario: str, cache: str) -> tuple[float, float, float]:
    """(process wall time, load+compile-scenario time, engine compile/load + 1 run) in a child."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    t = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-c", FIRST_SIM, scenario],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    wall = time.perf_counter() - t
    load_s, sim_s = map(float, r.stdout.split())
    return wall, load_s, sim_s


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="poland_1939")
    ap.add_argument("--skip-cold", action="store_true")
    ap.add_argument("--sizes", default="1,100,1000", help="Ensemble sizes, comma-separated.")
    ap.add_argument("--engine-runs", type=int, default=1000)
    args = ap.parse_args()

    from twinvipers.engine import simulate
    from twinvipers.ensemble.runner import Spec, run_ensemble
    from twinvipers.ensemble.sampling import sample
    from twinvipers.rules.rng import run_seeds
    from twinvipers.scenario.compile import compile_scenario
    from twinvipers.scenario.load import load

    cores = os.cpu_count() or 1
    c = compile_scenario(load(args.scenario).scenario)
    days = int(c.world.snap_days[-1]) + 1
    print(
        f"machine: {cores} cores; scenario {args.scenario}: {len(c.regions)} regions, "
        f"{len(c.powers)} powers, {len(c.forces)} forces, {days} days"
    )

    with tempfile.TemporaryDirectory() as cache:
        if not args.skip_cold:
            wall, load_s, sim_s = first_simulation(args.scenario, cache)
            print(
                f"compile, cold cache:   {sim_s:6.1f} s to compile and run one run "
                f"(process {wall:.1f} s)"
            )
        else:
            cache = os.environ.get("NUMBA_CACHE_DIR", cache)
        wall, load_s, sim_s = first_simulation(args.scenario, cache)
        print(
            f"second invocation:     first run simulated {wall:.2f} s after start "
            f"(scenario load {load_s:.2f} s, cached engine + run {sim_s:.2f} s)"
        )

    # The bare engine on one core (no Parquet writing).
    n = args.engine_runs
    values = sample(c.assumptions, n, 1)
    params, seeds = c.params_for(values), run_seeds(1, np.arange(n))
    simulate(c, params[:1], seeds[:1])
    t = time.perf_counter()
    simulate(c, params, seeds)
    el = time.perf_counter() - t
    print(f"engine, 1 core:        {n / el:8.0f} runs/s  {n * days / el:10.0f} run-days/s")

    for runs in [int(x) for x in args.sizes.split(",")]:
        for workers in sorted({1, cores}):
            with tempfile.TemporaryDirectory() as d:
                t = time.perf_counter()
                run_ensemble(Spec(args.scenario, runs, seed=1), Path(d) / "r", workers=workers)
                el = time.perf_counter() - t
            print(
                f"ensemble {runs:5d} runs, {workers} worker(s): {el:6.2f} s  "
                f"{runs / el:8.0f} runs/s  {runs * days / el:10.0f} run-days/s"
            )
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: this process {me:.0f} MB, largest worker {kids:.0f} MB")


if __name__ == "__main__":
    main()
