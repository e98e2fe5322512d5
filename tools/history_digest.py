"""Print a digest of a batch's history, to check that an engine change keeps histories identical.

Run it under two source trees (``PYTHONPATH=<tree>/src``) and compare the lines; ``--save`` keeps
the arrays for a closer look at where they differ.

Usage: python tools/history_digest.py SCENARIO [--runs N] [--seed S] [--save FILE.npz]
"""

from __future__ import annotations

import argparse
import hashlib

import numpy as np


def main() -> None:
    """Simulate one batch and print a sha256 per history array."""
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--save")
    args = ap.parse_args()

    from twinvipers.engine import simulate
    from twinvipers.ensemble.sampling import sample
    from twinvipers.rules.rng import run_seeds
    from twinvipers.scenario.compile import compile_scenario
    from twinvipers.scenario.load import load

    c = compile_scenario(load(args.scenario).scenario)
    values = sample(c.assumptions, args.runs, args.seed)
    res = simulate(c, c.params_for(values), run_seeds(args.seed, np.arange(args.runs)))
    h, n = res.history, res.n_events
    arrays = {k: getattr(h, k)[:n] for k in h._fields if k.startswith("ev_")}
    arrays.update(ctrl=h.ctrl, pw=h.pw, end_day=h.end_day)
    print(f"events {n}")
    for k, a in arrays.items():
        print(f"{k:10s} {hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()[:16]}")
    if args.save:
        np.savez(args.save, **arrays)


if __name__ == "__main__":
    main()
