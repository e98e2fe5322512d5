"""Naval battles resolved per second (compiled, one core), and trade-war months per second.

Run: .venv/bin/python benchmarks/bench_naval.py
"""

import time

import numpy as np
from numba import njit

from twinvipers.rules import naval as nv
from twinvipers.rules.rng import P_NAVAL, uniform


@njit(cache=True)
def _battles(n, fleets, seed):
    """Resolve ``n`` battles between fleets drawn in turn from ``fleets``; a checksum back."""
    k = fleets.shape[0]
    acc = 0.0
    for i in range(n):
        a = fleets[i % k]
        b = fleets[(i * 7 + 3) % k]
        u = uniform(seed, i, 0, P_NAVAL)
        la, lb, h = nv.naval_battle(a, b, 1.0, 1.1, 0.5 + 0.5 * (i % 2), i % 5 == 0, 0.15, 0.2, u)
        acc += la.sum() - lb.sum() + h
    return acc


@njit(cache=True)
def _trade(n, seed):
    acc = 0.0
    for i in range(n):
        u = uniform(seed, i, 1, P_NAVAL)
        acc += nv.tonnage_sunk(5.0 + i % 30, 0.5, 60.0, 0.4, u)
    return acc


def main():
    rng = np.random.default_rng(0)
    fleets = rng.integers(0, 12, size=(64, nv.N_CLASS)).astype(np.float64)
    seed = np.uint64(1)
    t = time.perf_counter()
    _battles(10, fleets, seed)
    _trade(10, seed)
    print(f"compile/load: {time.perf_counter() - t:.2f} s")
    for n in (100_000, 400_000):
        t = time.perf_counter()
        _battles(n, fleets, seed)
        dt = time.perf_counter() - t
        print(f"naval battles, mixed fleets of 0-11 ships a class: {n / dt:,.0f} per second")
    # A fleet action of Calabria's size (3 BB 1 CV 5 CL 16 DD vs 2 BB 6 CA 8 CL 16 DD).
    big = np.array([[3, 0, 1, 0, 5, 16, 0], [2, 0, 0, 6, 8, 16, 0]], dtype=np.float64)
    n = 200_000
    t = time.perf_counter()
    _battles(n, big, seed)
    dt = time.perf_counter() - t
    print(f"naval battles, Calabria-size fleets: {n / dt:,.0f} per second (one core)")
    n = 2_000_000
    t = time.perf_counter()
    _trade(n, seed)
    dt = time.perf_counter() - t
    print(f"trade-war months: {n:,} in {dt:.2f} s = {n / dt:,.0f} per second (one core)")


if __name__ == "__main__":
    main()
