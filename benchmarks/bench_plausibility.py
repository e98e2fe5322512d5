"""Seconds to judge ten checkpoints over 1,000 runs of two thousand events each.

The events table is synthetic (80% battles, 15% captures, the rest wars, peace, scripted
events, capitulations, over 300 regions and 250 days), about what a long ensemble of the 1939
world writes; the timing covers loading the tables and every checkpoint kind.

Run: .venv/bin/python benchmarks/bench_plausibility.py [--runs 1000] [--events 2000]
"""

import argparse
import json
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from twinvipers.analysis import plausibility as pl

START = date(1939, 6, 1)
KINDS = ["battle", "region_captured", "scripted", "peace", "war_declared", "capitulation"]
SHARES = [0.80, 0.15, 0.02, 0.01, 0.01, 0.01]
POWERS = ["GER", "POL", "SOV", "FIN", "JAP"]
CHECKPOINTS = [
    *({"id": f"t{i}", "taken": {"region": f"r{i}", "by": ["GER"], "until": "1939-09-30"}}
      for i in range(4)),
    {"id": "h", "held": {"region": "r5", "by": ["SOV"], "on": "1939-12-01"}},
    {"id": "h2", "held": {"region": "r6", "by": ["JAP"], "on": "1940-01-30"}},
    {"id": "c", "capitulates": {"power": "POL", "after": "1939-09-01", "days": [28, 42]}},
    {"id": "w", "war_lasts": {"a": "SOV", "b": "FIN", "days": [80, 130]}},
    {"id": "f", "fired": {"event": "e1", "until": "1939-10-01"}},
    {"id": "r", "casualty_ratio": {"a": "SOV", "b": "FIN", "range": [3, 8]}},
]  # fmt: skip


def write_results(out: Path, runs: int, per_run: int) -> int:
    """A results directory with synthetic events; return the number of events."""
    rng = np.random.default_rng(0)
    n = runs * per_run
    regions = np.array([f"r{i}" for i in range(300)])
    kind = rng.choice(len(KINDS), n, p=SHARES)
    details = np.where(
        kind == 0,
        '{"attacker_won": true, "attacker_losses": 100, "defender_losses": 300}',
        np.where(kind == 2, '{"id": "e1"}', "{}"),
    )
    days = np.sort(rng.integers(0, 250, (runs, per_run)), axis=1).ravel()
    epoch = (START - date(1970, 1, 1)).days

    def names(pool: list[str] | np.ndarray, idx: np.ndarray) -> pa.Array:
        return pa.array(np.asarray(pool)[idx]).dictionary_encode()

    events = pa.table(
        {
            "run_id": pa.array(np.repeat(np.arange(runs), per_run), pa.int64()),
            "date": pa.array((days + epoch).astype(np.int32), pa.date32()),
            "kind": names(KINDS, kind),
            "actor": names(POWERS, rng.integers(0, len(POWERS), n)),
            "target": names(POWERS, rng.integers(0, len(POWERS), n)),
            "region": names(regions, rng.integers(0, len(regions), n)),
            "value": pa.array(np.zeros(n)),
            "details": pa.array(details),
        }
    )
    pq.write_table(events, out / "events.parquet", compression="zstd")
    pq.write_table(
        pa.table({"run_id": pa.array(np.arange(runs), pa.int64())}), out / "runs.parquet"
    )
    pq.write_table(
        pa.table({"region": list(regions), "controller": ["POL"] * len(regions)}),
        out / "regions.parquet",
    )
    pq.write_table(
        pa.table(
            {"run_id": [0], "date": pa.array([START], pa.date32()), "region": ["r0"],
             "controller": ["POL"]}
        ),
        out / "control.parquet",
    )  # fmt: skip
    meta = {"end": "1940-04-30", "checkpoints": CHECKPOINTS, "checkpoint_context": {}}
    (out / "ensemble.json").write_text(json.dumps(meta))
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--events", type=int, default=2000, help="Events per run.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        n = write_results(out, args.runs, args.events)
        t0 = time.perf_counter()
        rows = pl.plausibility(out)
        dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"plausibility: {len(rows)} checkpoints × {args.runs} runs ({n:,} events) in {dt:.2f} s; "
        f"peak RSS {peak:,.0f} MB"
    )


if __name__ == "__main__":
    main()
