"""The war economy against published production: tanks and aircraft, 1939 and 1940 (prints figures).

Runs an ensemble of a scenario (default ``historical_1939``, history's decisions to 30 April
1940) and prints, per power and year, the median run's tanks and aircraft delivered within the
scenario's dates, the same as a rate a year, the published figure
(``validation/production_1939_40.csv``, each with its source) and the ratio of the model's rate
to the published rate (a figure covering part of a year, such as Germany's tanks of the months at
war in 1939, is a rate over that part). A scenario covers only part of each year (27 June - 31
December 1939, 1 January - 30 April 1940): its rate is what the model says of the year.

Usage: python benchmarks/validate_economy.py [--scenario NAME] [--runs N] [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from pathlib import Path

import numpy as np

from twinvipers.engine import simulate
from twinvipers.ensemble import sampling
from twinvipers.rules import codes
from twinvipers.rules.rng import run_seeds
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load

HERE = Path(__file__).parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="historical_1939")
    ap.add_argument("--runs", type=int, default=16)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    c = compile_scenario(load(args.scenario).scenario)
    params = c.params_for(sampling.sample(c.assumptions, args.runs, args.seed))
    batch = simulate(c, params, run_seeds(args.seed, np.arange(args.runs)))
    pw = batch.history.pw  # runs x snapshots x powers x fields
    days = c.world.snap_days
    dates = [c.date(int(d)) for d in days]
    published = list(csv.DictReader((HERE / "validation" / "production_1939_40.csv").open()))
    col = {"tanks": codes.PF_TANKS_BUILT, "aircraft": codes.PF_AIRCRAFT_BUILT}
    print(f"{args.scenario}: {args.runs} runs, seed {args.seed}; model = median over the runs")
    print(f"{'power':6}{'year':>6}{'what':>10}{'days':>6}{'model':>9}{'a year':>9}"
          f"{'published':>11}{'a year':>9}{'ratio':>7}  within 1.3")  # fmt: skip
    for row in published:
        p_lo, p_hi = (dt.date.fromisoformat(row[k]) for k in ("from", "to"))
        lo, hi = max(c.start, p_lo), min(dates[-1], p_hi)
        if hi < lo:
            continue
        # Deliveries between the last snapshot before the period and the last one in it.
        k_hi = max(i for i, d in enumerate(dates) if d <= hi)
        before = [i for i, d in enumerate(dates) if d < lo]
        p = c.powers.index(row["power"])
        end = pw[:, k_hi, p, col[row["category"]]]
        if before:
            span = (dates[k_hi] - dates[before[-1]]).days
            got = end - pw[:, before[-1], p, col[row["category"]]]
        else:
            span = (dates[k_hi] - c.start).days + 1
            got = end
        model = float(np.median(got))
        rate = model * 365.0 / span
        pub_rate = float(row["published"]) * 365.0 / ((p_hi - p_lo).days + 1)
        ratio = rate / pub_rate
        ok = "yes" if 1 / 1.3 <= ratio <= 1.3 else "no"
        print(f"{row['power']:6}{p_lo.year:>6}{row['category']:>10}{span:>6}{model:>9,.0f}"
              f"{rate:>9,.0f}{float(row['published']):>11,.0f}{pub_rate:>9,.0f}{ratio:>7.2f}  {ok}")  # fmt: skip


if __name__ == "__main__":
    main()
