"""Where the engine's cold compile goes: seconds per compiled function (prints figures).

Compiles the engine into an empty numba cache in a child process and records numba's own
``numba:compile`` events: each function's total time (its callees' compiles included) and its own
time (total less the callees compiled meanwhile). Usage:

    python benchmarks/bench_compile.py [--scenario NAME|FOLDER] [--top N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

CHILD = """
import json, sys, time
from numba.core import event
import numpy as np
from twinvipers.scenario.load import load
from twinvipers.scenario.compile import compile_scenario
from twinvipers.rules.rng import run_seeds
c = compile_scenario(load(sys.argv[1]).scenario)
from twinvipers.engine import simulate
spans = []

class Listener(event.Listener):
    def on_start(self, ev):
        self.t = getattr(self, "t", {})
        self.t[id(ev.data["dispatcher"]), str(ev.data["args"])] = time.perf_counter()

    def on_end(self, ev):
        key = id(ev.data["dispatcher"]), str(ev.data["args"])
        d = ev.data["dispatcher"]
        name = f"{d.py_func.__module__.split('.')[-1]}.{d.py_func.__qualname__}"
        spans.append((name, self.t.pop(key), time.perf_counter()))

t0 = time.perf_counter()
with event.install_listener("numba:compile", Listener()):
    simulate(c, c.params_for(np.zeros((1, len(c.assumptions)))), run_seeds(1, np.arange(1)))
print(json.dumps({"wall": time.perf_counter() - t0, "spans": spans}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="poland_1939")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        t = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", CHILD, args.scenario],
            capture_output=True, text=True, env=env, check=True,
        ).stdout  # fmt: skip
        wall = time.perf_counter() - t
    data = json.loads(out.strip().splitlines()[-1])
    spans = sorted(data["spans"], key=lambda s: s[1])
    # Own time: the span less the spans nested directly inside it.
    own = {}
    total = {}
    for i, (name, a, b) in enumerate(spans):
        inner = 0.0
        end = a
        for _name2, a2, b2 in spans[i + 1 :]:
            if a2 >= b:
                break
            if a2 >= end:  # a direct child (grandchildren lie inside it)
                inner += b2 - a2
                end = b2
        own[name] = own.get(name, 0.0) + (b - a - inner)
        total[name] = max(total.get(name, 0.0), b - a)
    print(
        f"machine: {os.cpu_count()} cores; cold compile and first run of {args.scenario}: "
        f"{data['wall']:.1f} s (process {wall:.1f} s); {len(spans)} compilations"
    )
    print(f"{'function':50s} {'own s':>7s} {'total s':>8s}")
    for name in sorted(own, key=own.get, reverse=True)[: args.top]:
        print(f"{name:50s} {own[name]:7.2f} {total[name]:8.2f}")


if __name__ == "__main__":
    main()
