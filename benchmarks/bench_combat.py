"""Engagement resolutions per second (compiled, one core) and compile times, cold vs cached.

Run: .venv/bin/python benchmarks/bench_combat.py
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
from numba import njit

from twinvipers.rules import combat as cb


# Not cached: numba does not invalidate a cached caller when a callee's signature changes, and a
# stale cache here once kept timing an old engagement_day long after its arguments had changed.
@njit
def _resolve_many(n, men_a, men_d, tanks, arty, u):
    acc = 0.0
    for i in range(n):
        field = cb.Field(1 + i % 5, i % cb.N_TERRAIN, i % 6, i % 4, i % 3, 1.0, i % 3)
        arms_a = cb.Arms(men_a[i], tanks[i], arty[i], 10.0, 1.0, i % 4, 0.0, 1.0, 0.0)
        arms_d = cb.Arms(men_d[i], tanks[i] * 0.5, arty[i], 0.0, 1.2, 0, 0.0, 1.0, 0.0)
        pa = cb.combat_power(arms_a, field, True)
        pd = cb.combat_power(arms_d, field, False)
        att = cb.Side(pa, men_a[i], tanks[i], i % 4, 1.0)
        dfn = cb.Side(pd, men_d[i], tanks[i] * 0.5, 0, 1.0)
        fa, fd, km, ok = cb.engagement_day(att, dfn, field, float(i % 3 - 1), u[i])
        acc += fa + fd + km
    return acc


COMPILE_SNIPPET = """
import time
t = time.perf_counter()
from twinvipers.rules import combat as cb
field = cb.Field(1, 0, 0, 0, 0, 0.0, 2)
att, dfn = cb.Side(3.0, 1e4, 10.0, 0, 1.0), cb.Side(1.0, 5e3, 0.0, 0, 1.0)
cb.engagement_day(att, dfn, field, 0.0, 0.3)
cb.combat_power(cb.Arms(1e4, 10.0, 10.0, 0.0, 1.0, 0, 0.0, 1.0, 0.0), field, True)
cb.battle_expectation(att, dfn, field, 2.0, cb.Fit(0.2, 0.4, 1.3, 1.6, 0.0, 0.17, 0.37, 0.05))
print(time.perf_counter() - t)
"""


def _compile_time(cache_dir: str) -> float:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", COMPILE_SNIPPET], env=env, capture_output=True, text=True, check=True)  # fmt: skip
    return float(out.stdout.strip())


def main() -> None:
    n = 2_000_000
    rng = np.random.default_rng(0)
    men_a = rng.uniform(5e3, 5e4, n)
    men_d = rng.uniform(2e3, 3e4, n)
    tanks = rng.uniform(0, 300, n)
    arty = rng.uniform(0, 300, n)
    u = rng.random(n)
    _resolve_many(10, men_a, men_d, tanks, arty, u)  # compile
    best = min(_timed(_resolve_many, n, men_a, men_d, tanks, arty, u) for _ in range(3))
    print(
        f"engagement resolutions (combat_power x2 + engagement_day): {n / best / 1e6:.2f} M/s on one core"
    )

    tmp = tempfile.mkdtemp(prefix="twv-numba-")
    try:
        cold = _compile_time(tmp)
        cached = _compile_time(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"compile (import + first calls of combat's entry points): cold {cold:.2f} s, cached {cached:.2f} s"
    )


def _timed(f, *args):
    t = time.perf_counter()
    f(*args)
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
