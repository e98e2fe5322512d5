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

from twinvipers.rules import params as P
from twinvipers.rules import rng
from twinvipers.rules import supply as S
from twinvipers.rules.diplomacy import alliance_matrix
from twinvipers.rules.jit import copy1, fill1, kernel


class Supply(NamedTuple):
    """Stocks and supply states of forces, and the railways' gauges and loads."""

    f_stock: np.ndarray  # float64[F] tons in hand
    f_days_short: np.ndarray  # int64[F] consecutive days out of supply
    f_supply: np.ndarray  # float64[F] share of today's need met, 0..1 (read by battle, orders)
    f_reached: np.ndarray  # bool[F] the network got supply to it on the last supply day (economy)
    r_gauge: np.ndarray  # int64[R] gauge of its lines now (regauged after capture)
    r_convert: np.ndarray  # float64[R] regauging progress 0..1
    arc_tons: np.ndarray  # float64[2E] tons carried per rail arc (last supply day)


def new_supply(w) -> Supply:
    """Allocate the record for world ``w`` (values are set by :func:`reset_supply`)."""
    F, R, N = len(w.f_power), len(w.r_owner), len(w.adj_to)
    i64 = np.int64
    return Supply(
        np.zeros(F), np.zeros(F, i64), np.zeros(F), np.ones(F, np.bool_), np.zeros(R, i64),
        np.zeros(R), np.zeros(N),
    )  # fmt: skip


@kernel
def reset_supply(w, x):
    """Forces start stocked and supplied; gauges as in 1939."""
    for f in range(w.f_men.shape[0]):
        x.f_stock[f] = S.stock_cap(w.f_men[f], w.f_motorised[f])
    fill1(x.f_days_short, 0)
    fill1(x.f_supply, 1.0)
    fill1(x.f_reached, True)
    copy1(x.r_gauge, w.r_gauge)
    fill1(x.r_convert, 0.0)
    fill1(x.arc_tons, 0.0)


SUPPLY_EVERY = 3
"""Days per supply routing. Stocks hold a month of quiet need, so routing every third day changes
little while it cuts the rule's cost, the largest in the day (~1.6 ms a routing on the 1939 world,
against ~1.5 ms for all the other rules together; 2 cores, measured this session)."""


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
    s_control, s_politics, s_land, s_battle, s_supply, s_sea, s_air = (
        s.control,
        s.politics,
        s.land,
        s.battle,
        s.supply,
        s.sea,
        s.air,
    )
    params, seed, day = ctx.params, ctx.seed, ctx.day
    if day % SUPPLY_EVERY != 0:
        return
    F = s_land.f_men.shape[0]
    P_ = s_politics.at_war.shape[0]
    allied = np.zeros((P_, P_), np.bool_)
    alliance_matrix(w, s, allied)
    S.convert_gauge(
        s_supply.r_gauge,
        s_supply.r_convert,
        s_control.controller,
        s_control.owner,
        w.p_gauge,
        allied,
        SUPPLY_EVERY,
        params[P.GAUGE_CONVERT_DAYS],
    )
    intensity = np.zeros(F)
    for f in range(F):
        if not s_land.f_active[f]:
            continue
        r = s_land.f_region[f]
        if s_land.f_attack[f] >= 0 or (r >= 0 and s_battle.b_start[r] >= 0):
            intensity[f] = 1.0
        elif s_land.f_goal[f] >= 0:
            intensity[f] = params[P.MOVING_INTENSITY]
    trucks = w.p_truck_park / params[P.REGION_KM]  # ton-km a day to ton-hops
    rail = np.empty(w.adj_rail.shape[0])
    for k in range(rail.shape[0]):
        rail[k] = w.adj_rail[k] * (1.0 - s_air.r_interdict[w.adj_to[k]])
    S.supply_day(
        S.Graph(w.adj_start, w.adj_to, rail, w.rev_arc),
        S.Lines(s_control.controller, s_control.owner, allied, s_supply.r_gauge, w.p_gauge),
        S.Sources(s_control.industry, w.p_capital, s_sea.r_sea, trucks, w.p_truck_range),
        S.Forces(w.f_power, s_land.f_region, s_land.f_men, w.f_motorised, s_land.f_active,
                 intensity, s_supply.f_stock, s_supply.f_days_short, s_supply.f_supply,
                 s_supply.f_reached),
        s_supply.arc_tons,
        float(SUPPLY_EVERY),
        S.rates_of(params),
    )  # fmt: skip
    for f in range(F):
        if not s_land.f_active[f] or s_supply.f_days_short[f] == 0:
            continue
        p = w.f_power[f]
        rate = S.attrition_rate(
            s_supply.f_days_short[f], params[P.ATTRITION_GRACE], params[P.ATTRITION_RATE]
        )
        loss = min(rate * SUPPLY_EVERY, 1.0) * s_land.f_men[f]
        s_land.f_men[f] -= loss
        s_land.wounded[p] += loss
        if s_supply.f_days_short[f] > params[P.CUT_OFF_DAYS] and _surrounded(
            w.adj_start,
            w.adj_to,
            s_control.controller,
            s_politics.at_war,
            w.f_power[f],
            s_land.f_region[f],
        ):
            hazard = 1.0 - (1.0 - params[P.CUT_OFF_HAZARD]) ** SUPPLY_EVERY
            if rng.uniform(seed, day, f, rng.P_SUPPLY) < hazard:
                s_land.captured[p] += s_land.f_men[f]
                s_land.f_men[f] = 0.0
                s_land.f_active[f] = False
