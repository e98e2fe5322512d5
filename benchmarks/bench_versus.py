"""The engine's speed against an earlier commit, side by side in one run (prints figures).

Checks the other commit out into a temporary git worktree and times the bare engine (one core,
no Parquet) under each source tree in child processes, alternating A, B, A, B so that the
machine's noise falls on both; prints each tree's best run-days/s and the ratio.

Usage: python benchmarks/bench_versus.py [--base COMMIT] [--scenario NAME|FOLDER] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys, time
import numpy as np
from twinvipers.engine import simulate
from twinvipers.ensemble.sampling import sample
from twinvipers.rules.rng import run_seeds
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load
c = compile_scenario(load(sys.argv[1]).scenario)
n = int(sys.argv[2])
days = int(c.world.snap_days[-1]) + 1
params, seeds = c.params_for(sample(c.assumptions, n, 1)), run_seeds(1, np.arange(n))
simulate(c, params[:1], seeds[:1])
best = 0.0
for _ in range(int(sys.argv[3])):
    t = time.perf_counter()
    simulate(c, params, seeds)
    best = max(best, n * days / (time.perf_counter() - t))
print(best)
"""


def rate(src: Path, scenario: str, runs: int, repeats: int) -> float:
    """Best run-days/s of the engine built from the source tree ``src``."""
    env = dict(os.environ, PYTHONPATH=str(src))
    env.pop("NUMBA_CACHE_DIR", None)  # each tree its own cache, keyed by its source
    out = subprocess.run(
        [sys.executable, "-c", CHILD, scenario, str(runs), str(repeats)],
        capture_output=True, text=True, env=env, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    return float(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="b4a7d45", help="Commit to compare with (main before #12).")
    ap.add_argument("--scenario", default="benchmarks/scenarios/world_at_war")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base), args.base],
            check=True, capture_output=True,
        )  # fmt: skip
        try:
            best_new, best_old = 0.0, 0.0
            for _ in range(args.rounds):
                best_new = max(best_new, rate(ROOT / "src", args.scenario, args.runs, 3))
                best_old = max(best_old, rate(base / "src", args.scenario, args.runs, 3))
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                check=False, capture_output=True,
            )  # fmt: skip
    print(
        f"machine: {os.cpu_count()} cores; {args.scenario}, {args.runs} runs, one core, "
        f"best of {3 * args.rounds}"
    )
    print(f"this tree:      {best_new:9.0f} run-days/s")
    print(f"{args.base:15s} {best_old:9.0f} run-days/s")
    print(f"ratio:          {best_new / best_old:9.2f}x")


if __name__ == "__main__":
    main()
