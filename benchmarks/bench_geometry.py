"""Time region cells for ~400 random land points (20°W–180°E, 0–72°N): cold and cached.

Run: .venv/bin/python benchmarks/bench_geometry.py [N]
Uses a fresh cache dir for the cells but reuses the coarse land grid if it is already cached
(building it once loads the 1 km mask: ~6 s, ~1 GB).
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from twinvipers.world import geometry as g


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    t = time.perf_counter()
    grid, res = g.land_fraction_grid()
    print(f"land grid {grid.shape} at {res}°: {time.perf_counter() - t:.2f} s")
    real = g.cache_dir()
    tmp = Path(tempfile.mkdtemp())
    for f in real.glob("landfrac-*.npz"):
        shutil.copy(f, tmp / f.name)
    os.environ["TWINVIPERS_CACHE"] = str(tmp)
    rng = np.random.default_rng(0)
    lon = rng.uniform(-20, 180, 20 * n)
    lat = rng.uniform(0, 72, 20 * n)
    r = np.clip(((90 - lat) / res).astype(int), 0, grid.shape[0] - 1)
    c = np.clip(((lon + 180) / res).astype(int), 0, grid.shape[1] - 1)
    keep = grid[r, c] > 0.5
    lon, lat = lon[keep][:n], lat[keep][:n]
    ids = [f"r{i}" for i in range(len(lon))]
    t = time.perf_counter()
    g.region_cells(ids, lon, lat)
    print(f"{len(ids)} cells cold: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    g.region_cells(ids, lon, lat)
    print(f"{len(ids)} cells cached: {time.perf_counter() - t:.3f} s")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
