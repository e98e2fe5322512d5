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

import numpy as np

from twinvipers.rules import rng
from twinvipers.rules import supply as S
from twinvipers.rules.diplomacy import alliance_matrix
from twinvipers.rules.jit import kernel

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
def _surrounded(w, s, f):
    """True when every neighbour of the force's region is held by an enemy."""
    p = w.f_power[f]
    r = s.f_region[f]
    for k in range(w.adj_start[r], w.adj_start[r + 1]):
        c = s.controller[w.adj_to[k]]
        if c >= 0 and not s.at_war[p, c]:
            return False
    return w.adj_start[r + 1] > w.adj_start[r]


@kernel
def supply_rule(w, s, h, params, run, seed, day):
    """Route supply, update stocks and supply states, and apply out-of-supply losses."""
    if day % SUPPLY_EVERY != 0:
        return
    F = s.f_men.shape[0]
    P_ = s.at_war.shape[0]
    allied = np.zeros((P_, P_), np.bool_)
    alliance_matrix(w, s, allied)
    S.convert_gauge(s.r_gauge, s.r_convert, s.controller, s.owner, w.p_gauge, allied, SUPPLY_EVERY)
    intensity = np.zeros(F)
    for f in range(F):
        if not s.f_active[f]:
            continue
        r = s.f_region[f]
        if s.f_attack[f] >= 0 or (r >= 0 and s.b_start[r] >= 0):
            intensity[f] = 1.0
        elif s.f_goal[f] >= 0:
            intensity[f] = MOVING_INTENSITY
    rail = np.empty(w.adj_rail.shape[0])
    for k in range(rail.shape[0]):
        rail[k] = w.adj_rail[k] * (1.0 - s.r_interdict[w.adj_to[k]])
    S.supply_day(
        w.adj_start, w.adj_to, rail, w.rev_arc, s.controller, s.owner, allied, s.r_gauge,
        w.p_gauge, s.industry, w.p_capital, s.r_sea, w.p_truck_park, w.p_truck_range,
        w.f_power, s.f_region, s.f_men, w.f_motorised, s.f_active, intensity, s.f_stock,
        s.f_days_short, s.f_supply, s.arc_tons, float(SUPPLY_EVERY),
    )  # fmt: skip
    for f in range(F):
        if not s.f_active[f] or s.f_days_short[f] == 0:
            continue
        p = w.f_power[f]
        loss = min(S.attrition_rate(s.f_days_short[f]) * SUPPLY_EVERY, 1.0) * s.f_men[f]
        s.f_men[f] -= loss
        s.wounded[p] += loss
        if s.f_days_short[f] > CUT_OFF_DAYS and _surrounded(w, s, f):
            hazard = 1.0 - (1.0 - CUT_OFF_HAZARD) ** SUPPLY_EVERY
            if rng.uniform(seed, day, f, rng.P_SUPPLY) < hazard:
                s.captured[p] += s.f_men[f]
                s.f_men[f] = 0.0
                s.f_active[f] = False
