"""Supply-routing days per second on the 1939 world (778 regions, 41 powers, 229 forces).

Run: .venv/bin/python benchmarks/bench_supply.py
"""

import time

import numpy as np

from twinvipers.rules import supply as sp
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load


def main():
    c = compile_scenario(load("world_1939").scenario)
    w = c.world
    R, P, F = len(w.r_owner), len(w.p_capital), len(w.f_power)
    rev = sp.reverse_arcs(w.adj_start, w.adj_to)
    # Allies: members of a common alliance treaty.
    allied = np.zeros((P, P), np.bool_)
    for t in range(len(w.t_alliance)):
        if w.t_alliance[t]:
            m = np.flatnonzero(w.t_member[t])
            allied[np.ix_(m, m)] = True
    sov = c.powers.index("SOV")
    r_gauge = np.where(w.r_owner == sov, sp.GAUGE_RUSSIAN, sp.GAUGE_STANDARD).astype(np.int64)
    p_gauge = np.zeros(P, np.int64)
    p_gauge[sov] = sp.GAUGE_RUSSIAN
    # Wartime picture: a quarter of the regions held by another power, half the forces fighting.
    rng = np.random.default_rng(0)
    controller = w.r_controller.copy()
    flip = rng.random(R) < 0.25
    nbr = w.adj_to[np.minimum(w.adj_start[:-1], len(w.adj_to) - 1)]
    controller[flip] = w.r_controller[nbr[flip]]
    sea_open = rng.random(R) < 0.1
    truck_park = np.full(P, sp.truck_park_capacity(2000.0, 2.5, 250.0, sp.KM_PER_HOP))
    truck_range = np.full(P, sp.TRUCK_RANGE_HOPS, np.int64)
    f_region = w.f_region.copy()
    f_active = f_region >= 0
    f_intensity = (rng.random(F) < 0.5).astype(np.float64)
    f_stock = np.zeros(F)
    f_days = np.zeros(F, np.int64)
    f_supply = np.zeros(F)
    arc_tons = np.zeros(len(w.adj_to))
    args = (
        sp.Graph(w.adj_start, w.adj_to, w.adj_rail, rev),
        sp.Lines(controller, w.r_owner, allied, r_gauge, p_gauge),
        sp.Sources(w.r_industry, w.p_capital, sea_open.astype(np.float64), truck_park, truck_range),
        sp.Forces(w.f_power, f_region, w.f_men, w.f_motorised, f_active, f_intensity, f_stock,
                  f_days, f_supply),
        arc_tons,
        1.0,
    )  # fmt: skip
    t = time.perf_counter()
    sp.supply_day(*args)
    print(f"compile + first call: {time.perf_counter() - t:.2f} s")
    print(f"world_1939: {R} regions, {len(w.adj_to) // 2} links, {P} powers, {F} forces")
    for label, warm_days in (("empty stocks", 0), ("after 60 days", 60)):
        f_stock[:] = 0.0
        for _ in range(warm_days):
            sp.supply_day(*args)
        keep = f_stock.copy()
        n = 0
        t = time.perf_counter()
        while time.perf_counter() - t < 3.0:
            f_stock[:] = keep  # time the same day again and again
            sp.supply_day(*args)
            n += 1
        dt = time.perf_counter() - t
        print(f"supply_day, {label}: {n / dt:.0f} calls/s ({1e3 * dt / n:.2f} ms/call, one core)")
    print(f"forces in supply: {(f_supply >= 0.999).sum()}/{f_active.sum()}, "
          f"mean state {f_supply[f_active].mean():.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
