"""Supply in the engine's day: the routing of :mod:`twinvipers.rules.supply` applied to a run.

Every ``SUPPLY_EVERY`` days (one routing for the period, ``supply.supply_day``'s ``days``):
sources (industry, capitals, ports with the share of sea-borne supply the sea rule lets through)
feed each power's forces over rail arcs with their capacities, less air interdiction, and truck
haul beyond the railheads; consumption follows the force's activity (fighting, moving, quiet).
Captured lines of a foreign gauge carry a fraction until regauged. A force out of supply fights at
reduced power (the battle rule reads ``f_supply``), loses men after a grace period
(``supply.attrition_rate``, booked as wounded: sickness, exposure, desertion), and a force both cut
off (no friendly neighbour) and long out of supply surrenders over days.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from twinvipers.rules import rng
from twinvipers.rules import supply as S
from twinvipers.rules.diplomacy import alliance_matrix
from twinvipers.rules.jit import copy1, fill1, kernel


class Supply(NamedTuple):
    """Stocks and supply states of forces, and the railways' gauges and loads."""

    f_stock: np.ndarray  # float64[F] tons in hand
    f_days_short: np.ndarray  # int64[F] consecutive days out of supply
    f_supply: np.ndarray  # float64[F] share of today's need met, 0..1 (read by battle, orders)
    r_gauge: np.ndarray  # int64[R] gauge of its lines now (regauged after capture)
    r_convert: np.ndarray  # float64[R] regauging progress 0..1
    arc_tons: np.ndarray  # float64[2E] tons carried per rail arc (last supply day)


def new_supply(w) -> Supply:
    """Allocate the record for world ``w`` (values are set by :func:`reset_supply`)."""
    F, R, N = len(w.f_power), len(w.r_owner), len(w.adj_to)
    i64 = np.int64
    return Supply(
        np.zeros(F), np.zeros(F, i64), np.zeros(F), np.zeros(R, i64), np.zeros(R), np.zeros(N)
    )


@kernel
def reset_supply(w, x):
    """Forces start stocked and supplied; gauges as in 1939."""
    for f in range(w.f_men.shape[0]):
        x.f_stock[f] = S.stock_cap(w.f_men[f], w.f_motorised[f])
    fill1(x.f_days_short, 0)
    fill1(x.f_supply, 1.0)
    copy1(x.r_gauge, w.r_gauge)
    fill1(x.r_convert, 0.0)
    fill1(x.arc_tons, 0.0)


SUPPLY_EVERY = 3
"""Days per supply routing. Stocks hold a month of quiet need, so routing every third day changes
little while it cuts the rule's cost, the largest in the day (~1.6 ms a routing on the 1939 world,
against ~1.5 ms for all the other rules together; 2 cores, measured this session)."""
MOVING_INTENSITY = 0.3
"""Consumption of a force on the march, between quiet (0) and heavy fighting (1). Assumption:
fuel and fodder for the march without the ammunition of battle."""
CUT_OFF_DAYS = 21
"""Days out of supply after which a surrounded force may surrender. Assumption."""
CUT_OFF_HAZARD = 0.1
"""Daily chance a surrounded force long out of supply surrenders. Assumption: encircled armies of
1939-41 (Kutno, the Kiev and Vyazma pockets) gave in over one to three weeks once cut off."""


@kernel
def _surrounded(adj_start, adj_to, controller, at_war, p, r):
    """True when every neighbour of region ``r`` is held by an enemy of ``p``.

    Takes the arrays it reads, not ``w`` and ``s``: it runs for every force short of supply.
    """
    for k in range(adj_start[r], adj_start[r + 1]):
        c = controller[adj_to[k]]
        if c >= 0 and not at_war[p, c]:
            return False
    return adj_start[r + 1] > adj_start[r]


@kernel
def supply_rule(w, s, h, ctx):
    """Route supply, update stocks and supply states, and apply out-of-supply losses."""
    seed, day = ctx.seed, ctx.day
    if day % SUPPLY_EVERY != 0:
        return
    F = s.land.f_men.shape[0]
    P_ = s.politics.at_war.shape[0]
    allied = np.zeros((P_, P_), np.bool_)
    alliance_matrix(w, s, allied)
    S.convert_gauge(
        s.supply.r_gauge,
        s.supply.r_convert,
        s.control.controller,
        s.control.owner,
        w.p_gauge,
        allied,
        SUPPLY_EVERY,
    )
    intensity = np.zeros(F)
    for f in range(F):
        if not s.land.f_active[f]:
            continue
        r = s.land.f_region[f]
        if s.land.f_attack[f] >= 0 or (r >= 0 and s.battle.b_start[r] >= 0):
            intensity[f] = 1.0
        elif s.land.f_goal[f] >= 0:
            intensity[f] = MOVING_INTENSITY
    rail = np.empty(w.adj_rail.shape[0])
    for k in range(rail.shape[0]):
        rail[k] = w.adj_rail[k] * (1.0 - s.air.r_interdict[w.adj_to[k]])
    S.supply_day(
        S.Graph(w.adj_start, w.adj_to, rail, w.rev_arc),
        S.Lines(s.control.controller, s.control.owner, allied, s.supply.r_gauge, w.p_gauge),
        S.Sources(s.control.industry, w.p_capital, s.sea.r_sea, w.p_truck_park, w.p_truck_range),
        S.Forces(w.f_power, s.land.f_region, s.land.f_men, w.f_motorised, s.land.f_active,
                 intensity, s.supply.f_stock, s.supply.f_days_short, s.supply.f_supply),
        s.supply.arc_tons,
        float(SUPPLY_EVERY),
    )  # fmt: skip
    for f in range(F):
        if not s.land.f_active[f] or s.supply.f_days_short[f] == 0:
            continue
        p = w.f_power[f]
        loss = min(S.attrition_rate(s.supply.f_days_short[f]) * SUPPLY_EVERY, 1.0) * s.land.f_men[f]
        s.land.f_men[f] -= loss
        s.land.wounded[p] += loss
        if s.supply.f_days_short[f] > CUT_OFF_DAYS and _surrounded(
            w.adj_start,
            w.adj_to,
            s.control.controller,
            s.politics.at_war,
            w.f_power[f],
            s.land.f_region[f],
        ):
            hazard = 1.0 - (1.0 - CUT_OFF_HAZARD) ** SUPPLY_EVERY
            if rng.uniform(seed, day, f, rng.P_SUPPLY) < hazard:
                s.land.captured[p] += s.land.f_men[f]
                s.land.f_men[f] = 0.0
                s.land.f_active[f] = False
