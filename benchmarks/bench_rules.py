"""Where a day's time goes: the share of the engine's time per rule (prints figures).

The timed day is generated from ``engine.RULE_ORDER`` (the order ``engine.step`` applies), so the
profile always covers the rules the engine runs. Each rule is timed with ``time.perf_counter``
through numba's object mode (about a microsecond a call, small against a rule's cost).

Usage: python benchmarks/bench_rules.py [--scenario NAME|FOLDER] [--runs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TEMPLATE = """
import time
from numba import njit, objmode
from twinvipers.engine import reset, {imports}
from twinvipers.world.arrays import Ctx


@njit
def _now():
    with objmode(t="float64"):
        t = time.perf_counter()
    return t


@njit
def timed(w, s, h, params, seeds, n_days, acc):
    for i in range(seeds.shape[0]):
        reset(w, s)
        for day in range(n_days):
            ctx = Ctx(params[i], i, seeds[i], day)
{body}
"""


def timed_module(rules: tuple[str, ...]):
    """Import a generated module whose ``timed`` runs a batch, adding each rule's seconds."""
    names = [r.split(".")[-1] for r in rules]
    body = ["            t0 = _now()"]
    for k, n in enumerate(names):
        body += [
            f"            {n}(w, s, h, ctx)",
            "            t1 = _now()",
            f"            acc[{k}] += t1 - t0",
            "            t0 = t1",
        ]
    src = TEMPLATE.format(imports=", ".join(names), body="\n".join(body))
    path = Path(tempfile.mkdtemp()) / "timed_step.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location("timed_step", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["timed_step"] = mod  # numba's object mode looks the module's globals up here
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="benchmarks/scenarios/world_at_war")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()

    from twinvipers.engine import RULE_ORDER, simulate
    from twinvipers.ensemble.sampling import sample
    from twinvipers.rules import codes
    from twinvipers.rules.rng import run_seeds
    from twinvipers.scenario.compile import compile_scenario
    from twinvipers.scenario.load import load
    from twinvipers.state import new_state
    from twinvipers.world.arrays import new_history

    c = compile_scenario(load(args.scenario).scenario)
    w = c.world
    days = int(w.snap_days[-1]) + 1
    n = args.runs
    params = np.ascontiguousarray(c.params_for(sample(c.assumptions, n, 1)), np.float64)
    seeds = run_seeds(1, np.arange(n))
    simulate(c, params[:1], seeds[:1])  # load or compile the engine first
    mod = timed_module(RULE_ORDER)
    acc = np.zeros(len(RULE_ORDER))

    def fresh():
        return new_state(w), new_history(
            n, len(w.snap_days), len(w.r_owner), len(w.p_capital), len(codes.POWER_FIELDS),
            4096 * n,
        )  # fmt: skip

    s, h = fresh()
    mod.timed(w, s, h, params[:1], seeds[:1], 2, acc)  # compile the timed day
    acc[:] = 0.0
    s, h = fresh()
    t = time.perf_counter()
    mod.timed(w, s, h, params, seeds, days, acc)
    wall = time.perf_counter() - t
    t = time.perf_counter()
    simulate(c, params, seeds)
    plain = time.perf_counter() - t
    print(
        f"machine: {os.cpu_count()} cores; {args.scenario}: {len(c.regions)} regions, "
        f"{len(c.forces)} forces, {n} runs x {days} days"
    )
    print(f"engine untimed: {n * days / plain:8.0f} run-days/s on one core")
    print(f"timed: {wall:.2f} s, of which rules {acc.sum():.2f} s")
    print(f"{'rule':34s} {'ms/day':>8s} {'share':>7s}")
    for k in np.argsort(-acc):
        print(f"{RULE_ORDER[k]:34s} {1e3 * acc[k] / (n * days):8.3f} {acc[k] / acc.sum():7.1%}")


if __name__ == "__main__":
    sys.exit(main())
