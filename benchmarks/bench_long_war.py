"""The long war at scale: time and peak memory of N runs of the Twin Vipers to September 1945.

Prints figures (not a pass/fail test). Each size runs ``twinvipers run`` in a child process, as
a user would, while the process tree's resident memory (the runner and its workers, summed) is
sampled every quarter second; the peak is printed beside the largest single process. The time
per run is the manifest's wall time (compile excluded, merge included) over the runs, and the
figure for 1,000 runs is extrapolated from it linearly (the load average is printed too: on a
shared machine the runs are slower than on an idle one).

Usage: python benchmarks/bench_long_war.py [--sizes 20,100] [--workers 2] [--scenario NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil


def tree_rss(proc: psutil.Process) -> tuple[int, int]:
    """(sum, largest) resident bytes of a process and its descendants."""
    total = largest = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            rss = p.memory_info().rss
        except psutil.Error:  # ended between listing and reading
            continue
        total += rss
        largest = max(largest, rss)
    return total, largest


def run_once(scenario: str, runs: int, workers: int, out: Path, extra: list[str]) -> dict:
    """One ensemble in a child process; its manifest plus the sampled peaks and wall time."""
    cmd = [
        sys.executable, "-m", "twinvipers", "run", scenario, "--runs", str(runs), "--seed", "1",
        "--workers", str(workers), "--out", str(out), "--force", *extra,
    ]  # fmt: skip
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    proc = psutil.Process(child.pid)
    peak = peak_one = 0
    while child.poll() is None:
        with_children = tree_rss(proc) if proc.is_running() else (0, 0)
        peak, peak_one = max(peak, with_children[0]), max(peak_one, with_children[1])
        time.sleep(0.25)
    wall = time.perf_counter() - t0
    if child.returncode != 0:
        raise SystemExit(child.stderr.read().decode(errors="replace"))
    manifest = json.loads((out / "ensemble.json").read_text())
    size = sum(f.stat().st_size for f in out.glob("*.parquet"))
    return {
        "manifest": manifest,
        "wall": wall,
        "peak": peak,
        "peak_one": peak_one,
        "bytes": size,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="twin_vipers_1945")
    ap.add_argument("--sizes", default="20,100", help="Ensemble sizes, comma-separated.")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--canon", action="store_true", help="Assumptions at their canon values.")
    ap.add_argument("--out", default=None, help="Keep the results here (default: a temp dir).")
    args = ap.parse_args()
    root = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench_long_war_"))
    extra = ["--canon"] if args.canon else []
    print(f"scenario {args.scenario}, {args.workers} workers, {os.cpu_count()} cores")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'runs':>6} {'wall s':>8} {'ens. s':>8} {'s/run':>7} {'chunk':>6} "
        f"{'peak tree MB':>13} {'peak proc MB':>13} {'results MB':>11} {'1,000 runs min':>15}"
    )
    try:
        for n in (int(x) for x in args.sizes.split(",")):
            r = run_once(args.scenario, n, args.workers, root / f"n{n}", extra)
            m = r["manifest"]
            per_run = m["wall_time_s"] / n
            print(
                f"{n:>6} {r['wall']:>8.1f} {m['wall_time_s']:>8.1f} {per_run:>7.2f} "
                f"{m['chunk_size']:>6} {r['peak'] / 2**20:>13.0f} {r['peak_one'] / 2**20:>13.0f} "
                f"{r['bytes'] / 2**20:>11.1f} {per_run * 1000 / 60:>15.1f}",
                flush=True,
            )
    finally:
        if not args.out:
            shutil.rmtree(root, ignore_errors=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        "s/run is the ensemble's wall time (engine, tables, merge; compile excluded) per run "
        "with all workers; the last column extrapolates it to 1,000 runs."
    )


if __name__ == "__main__":
    main()
