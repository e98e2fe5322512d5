"""The war economy in the engine's day: output, mobilisation, production, manpower and oil.

Each power with an economy entry (``economy.yaml``) runs, once a day:

1. **Output.** Its regions' share of its GDP (``EconWorld.r_output``, scaled by today's
   industry points over the start's, so bombing tells) flows to whoever controls them; a
   region held by another than its owner of the start date works for its holder at
   ``captured_industry_share``, and a region captured during the run only after
   ``captured_industry_delay_days`` (returned to its owner it counts in full at once).
2. **Mobilisation.** The share of output spent on the war (``Economy.p_mob``) grows from its
   start value toward ``war_mobilisation`` with e-folding time ``mobilisation_days`` once the
   power is at war or has ordered mobilisation: a war economy grows.
3. **Production.** Munitions spending (output x mobilisation x munitions share) is split by
   the power's priorities (``Economy.p_prio``: tanks, aircraft, replacements, other; the hook
   the high command sets) and started as units at ``tank_cost``, ``aircraft_cost`` and
   ``man_equipment_cost``; replacements also draw men from the manpower pool. Each unit is
   delivered ``*_lead_days`` later (a pipeline, full at its start-date rate on day 0: the
   factories were already working). Deliveries refill the power's forces up to their start
   strength in men and tanks and its air wings up to their start strength, the forces furthest
   below first in proportion, only forces the supply network reaches (``Supply.f_reached``);
   what no unit needs waits in the depot.
4. **Oil.** Production from the oil regions it holds (``oil_kt_per_point``) and synthetic
   plants; imports along trade routes (``trade.yaml``), cut where an enemy of the importer (or
   of the exporter) holds a region of the rail route, stopped at sea in the share that enemy
   fleets in or based on a zone of the sea route interdict (``naval.zone_interdiction``), closed
   by ice; an exporter ships what arrives, from its own stock, so oil is conserved. Military
   use (motorised men moving or fighting, idle, air sorties, ships at sea) is served first, the
   civilian economy (``oil_civil``, cut to ``civil_oil_war_share`` at war) from what is left.
   A power's own production stops at its storage (``storage``): full tanks throttle its fields
   and plants (imports are not bounded: the importers of the map use what they buy).
5. **Shortage.** ``Economy.p_fuel`` is the share of today's military need met; movement,
   battle and the air war read it (a force's motorised speed and combat power, a wing's
   sorties). A civilian economy short of oil loses output (``oil_industry_loss``).

Simplifications, stated: one good (oil) is traded; steel, coal and other resources are
recorded in the scenario but do not limit production; new divisions are not raised (men and
tanks refill existing forces); ships are not built; captured oil regions produce at the
captured share after the same delay as industry.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from twinvipers.rules import codes, naval
from twinvipers.rules import params as P
from twinvipers.rules.air import SERVICEABILITY, SORTIES_PER_DAY
from twinvipers.rules.diplomacy import allied
from twinvipers.rules.history import record
from twinvipers.rules.jit import copy1, fill1, fill2, kernel

#: Production categories of ``Economy.p_prio`` (and of ``EconWorld.e_prio``).
TANKS, AIRCRAFT, MEN, OTHER = 0, 1, 2, 3
#: Longest lead time the pipeline holds, days (the lead-time parameters are clipped to it).
LEAD_MAX = 256
#: ``EconWorld.e_num`` columns.
N_MOB, N_WAR_MOB, N_MOB_DAYS, N_MUNITIONS = 0, 1, 2, 3


class Economy(NamedTuple):
    """Each power's war economy and oil, and each trade route's state.

    Channel to other rules: ``p_fuel`` (movement, battle and the air war read the share of a
    power's military fuel needs met today). Hook for the high command: ``p_prio`` (the shares of
    munitions by category; set it and production follows from the next day).
    """

    p_mob: np.ndarray  # float64[P] share of output spent on the war
    p_prio: np.ndarray  # float64[P, 4] munitions shares: tanks, aircraft, replacements, other
    p_output: np.ndarray  # float64[P] today's output, billion 1990 $ a year
    p_pipe: np.ndarray  # float64[P, 3, LEAD_MAX] units due on each day (ring buffer by day)
    p_depot: np.ndarray  # float64[P, 3] delivered units no force or wing needed yet
    p_built: np.ndarray  # float64[P, 3] delivered into forces and wings, cumulative
    p_pool: np.ndarray  # float64[P] men fit for service not yet called
    p_oil: np.ndarray  # float64[P] oil stock, kt
    p_fuel: np.ndarray  # float64[P] share of today's military fuel need met (1: no shortage)
    p_short: np.ndarray  # bool[P] short of oil (for the shortage event)
    p_oil_prod: np.ndarray  # float64[P] kt produced, cumulative
    p_oil_in_rail: np.ndarray  # float64[P] kt imported by land routes, cumulative
    p_oil_in_sea: np.ndarray  # float64[P] kt imported by routes with a sea leg, cumulative
    p_oil_world: np.ndarray  # float64[P] kt of the imports bought on the world market
    p_oil_out: np.ndarray  # float64[P] kt exported, cumulative
    p_oil_used: np.ndarray  # float64[P] kt consumed, cumulative
    p_oil_start: np.ndarray  # float64[P] kt held on the start date (this run's draw)
    a_built: np.ndarray  # float64[A] aircraft delivered to each wing, cumulative
    r_held_since: np.ndarray  # int64[R] day the region's controller took it (-1: start)
    r_prev: np.ndarray  # int64[R] yesterday's controller
    t_open: np.ndarray  # float64[T] share of the route's flow getting through today
    t_month: np.ndarray  # float64[T] kt delivered this month so far
    t_cut: np.ndarray  # bool[T] the route is cut or not yet open (for the route events)


def new_economy(w) -> Economy:
    """Allocate the record for world ``w`` (values are set by :func:`reset_economy`)."""
    P_, A, R = len(w.p_capital), len(w.a_power), len(w.r_owner)
    T = len(w.econ.t_importer)
    z = np.zeros
    return Economy(
        z(P_), z((P_, 4)), z(P_), z((P_, 3, LEAD_MAX)), z((P_, 3)), z((P_, 3)), z(P_), z(P_),
        z(P_), z(P_, np.bool_), z(P_), z(P_), z(P_), z(P_), z(P_), z(P_), z(P_), z(A),
        z(R, np.int64), z(R, np.int64), z(T), z(T), z(T, np.bool_),
    )  # fmt: skip


@kernel
def reset_economy(w, x):
    """Economies as on the start date; the pipeline is filled on day 0 (it needs the params)."""
    e = w.econ
    fill1(x.p_mob, 0.0)  # set from the run's parameters on day 0
    for p in range(x.p_prio.shape[0]):
        for k in range(4):
            x.p_prio[p, k] = e.e_prio[p, k]
    fill1(x.p_output, 0.0)
    for p in range(x.p_pipe.shape[0]):
        for k in range(3):
            for d in range(LEAD_MAX):
                x.p_pipe[p, k, d] = 0.0
    fill2(x.p_depot, 0.0)
    fill2(x.p_built, 0.0)
    copy1(x.p_pool, e.e_manpower)
    copy1(x.p_oil, e.e_oil_stock)
    fill1(x.p_fuel, 1.0)
    fill1(x.p_short, False)
    for a in (x.p_oil_prod, x.p_oil_in_rail, x.p_oil_in_sea, x.p_oil_world, x.p_oil_out):
        fill1(a, 0.0)
    fill1(x.p_oil_used, 0.0)
    copy1(x.p_oil_start, e.e_oil_stock)  # an assumption's draw replaces it on day 0
    fill1(x.a_built, 0.0)
    fill1(x.r_held_since, -1)
    copy1(x.r_prev, w.r_controller)
    fill1(x.t_open, 0.0)
    fill1(x.t_month, 0.0)
    for t in range(x.t_cut.shape[0]):
        x.t_cut[t] = e.t_start[t] > 0  # a route starting later opens then (an event)


@kernel
def number(e_num, e_num_param, params, p, k):
    """Economy figure ``k`` of power ``p``: its run parameter when an assumption feeds it."""
    j = e_num_param[p, k]
    return e_num[p, k] if j < 0 else params[j]


@kernel
def region_share(first_owner, held_since, params, p, r, day):
    """Share of region ``r``'s output (and oil) that works for its controller ``p`` today.

    In full for the power that owned it on the start date; otherwise (occupied before the
    start, annexed by treaty or captured) at ``captured_industry_share``, and only
    ``captured_industry_delay_days`` after a capture during the run.
    """
    if first_owner[r] == p:
        return 1.0
    if held_since[r] >= 0 and day - held_since[r] < params[P.CAPTURED_DELAY]:
        return 0.0
    return params[P.CAPTURED_INDUSTRY]


@kernel
def route_open(t, e, controller, at_war, capitulated, fl_zone, fl_home, fl_power, fl_ships,
               fl_quality, t_alliance, member, z_frozen, month, knobs, in_port, day):  # fmt: skip
    """Share of trade route ``t``'s flow getting through today (0: cut)."""
    if day < e.t_start[t] or day > e.t_end[t]:
        return 0.0
    x, m = e.t_exporter[t], e.t_importer[t]
    if capitulated[m] or (x >= 0 and (capitulated[x] or at_war[x, m])):
        return 0.0
    for i in range(e.t_rail_start[t], e.t_rail_start[t + 1]):
        c = controller[e.t_rail[i]]
        if at_war[c, m] or (x >= 0 and at_war[c, x]):
            return 0.0
    share = 1.0
    for i in range(e.t_sea_start[t], e.t_sea_start[t + 1]):
        z = e.t_sea[i]
        if z_frozen[z, month - 1]:
            return 0.0
        enemy = 0.0
        escort = 0.0
        for f in range(fl_zone.shape[0]):
            q = fl_power[f]
            here = fl_zone[f] == z
            based = fl_zone[f] < 0 and fl_home[f] == z
            if not (here or based):
                continue
            if at_war[q, m] or (x >= 0 and at_war[q, x]):
                weight = 1.0 if here else in_port
                enemy += weight * naval.blockade_strength(fl_ships[f], fl_quality[f])
            elif here and allied(t_alliance, member, q, m):
                escort += naval.escort_strength(fl_ships[f], fl_quality[f])
        if enemy > 0.0:
            share *= 1.0 - naval.zone_interdiction(enemy, escort, knobs)
    return share


@kernel
def refill(owner, active, need, have, depot, built, k):
    """Hand each power's depot of category ``k`` to its entities short of ``need``.

    Each power's units go to its active entities in proportion to their shortfall
    (``need - have``), none above its need; what they take leaves ``depot[p, k]`` and adds to
    ``built[p, k]``. Two passes over the entities whatever the number of powers.
    """
    P_ = depot.shape[0]
    gap = np.zeros(P_)
    for i in range(need.shape[0]):
        if active[i]:
            gap[owner[i]] += max(need[i] - have[i], 0.0)
    share = np.zeros(P_)
    for p in range(P_):
        if gap[p] > 0.0 and depot[p, k] > 0.0:
            take = min(depot[p, k], gap[p])
            share[p] = take / gap[p]
            depot[p, k] -= take
            built[p, k] += take
    for i in range(need.shape[0]):
        if active[i] and share[owner[i]] > 0.0:
            have[i] += share[owner[i]] * max(need[i] - have[i], 0.0)


@kernel
def economy_day(w, s, h, ctx):
    """A day of each power's war economy: output, production, deliveries and oil."""
    s_control, s_politics, s_land, s_sea, s_air, s_econ = (
        s.control, s.politics, s.land, s.sea, s.air, s.econ,
    )  # fmt: skip
    e = w.econ
    params, run, day = ctx.params, ctx.run, ctx.day
    P_ = s_econ.p_mob.shape[0]
    R = s_control.controller.shape[0]
    T = s_econ.t_open.shape[0]
    month = w.day_month[day]
    # Who holds each region since when (captured industry works after a delay).
    for r in range(R):
        c = s_control.controller[r]
        if c != s_econ.r_prev[r]:
            s_econ.r_held_since[r] = -1 if c == w.r_owner[r] else day
            s_econ.r_prev[r] = c
    at_war_any = np.zeros(P_, np.bool_)
    for p in range(P_):
        for q in range(P_):
            if s_politics.at_war[p, q]:
                at_war_any[p] = True
                break
    # 1. Output by power, and oil produced.
    output = np.zeros(P_)
    oil_made = np.zeros(P_)
    for r in range(R):
        p = s_control.controller[r]
        if not e.e_has[p]:
            continue
        k = region_share(w.r_owner, s_econ.r_held_since, params, p, r, day)
        if k <= 0.0:
            continue
        if w.r_industry[r] > 0.0:
            output[p] += e.r_output[r] * k * s_control.industry[r] / w.r_industry[r]
        else:
            output[p] += e.r_output[r] * k
        oil_made[p] += e.r_oil[r] * k * params[P.OIL_KT_PER_POINT] / 365.0
    leads = np.empty(3, np.int64)
    leads[TANKS] = min(max(int(params[P.TANK_LEAD]), 1), LEAD_MAX - 1)
    leads[AIRCRAFT] = min(max(int(params[P.AIRCRAFT_LEAD]), 1), LEAD_MAX - 1)
    leads[MEN] = min(max(int(params[P.REPLACEMENT_LEAD]), 1), LEAD_MAX - 1)
    cost = np.empty(3)
    cost[TANKS] = params[P.TANK_COST]
    cost[AIRCRAFT] = params[P.AIRCRAFT_COST]
    cost[MEN] = params[P.MAN_EQUIPMENT_COST]
    slot = day % LEAD_MAX
    for p in range(P_):
        if not e.e_has[p] or s_politics.capitulated[p]:
            s_econ.p_output[p] = 0.0
            continue
        # 2. Mobilisation.
        if day == 0:
            s_econ.p_mob[p] = number(e.e_num, e.e_num_param, params, p, N_MOB)
            if e.e_oil_stock_param[p] >= 0:  # the stock is an assumption: this run's draw
                s_econ.p_oil[p] = max(params[e.e_oil_stock_param[p]], 0.0)
                s_econ.p_oil_start[p] = s_econ.p_oil[p]
        if at_war_any[p] or s_politics.p_mobilised[p] >= 0:
            target = number(e.e_num, e.e_num_param, params, p, N_WAR_MOB)
            tau = max(number(e.e_num, e.e_num_param, params, p, N_MOB_DAYS), 1.0)
            s_econ.p_mob[p] += (target - s_econ.p_mob[p]) / tau
        # A civilian economy short of oil yesterday loses output.
        civ = _civil_met(s_econ, e, params, p, at_war_any[p])
        out = output[p] * (1.0 - params[P.OIL_INDUSTRY_LOSS] * (1.0 - civ))
        s_econ.p_output[p] = out
        munitions = out * s_econ.p_mob[p] * number(e.e_num, e.e_num_param, params, p, N_MUNITIONS)
        munitions /= 365.0  # billion $ today
        # 3. Production started today, delivered after its lead time.
        prio_sum = 0.0
        for k in range(4):
            prio_sum += max(s_econ.p_prio[p, k], 0.0)
        if prio_sum <= 0.0:
            prio_sum = 1.0
        for k in range(3):
            units = munitions * 1000.0 * max(s_econ.p_prio[p, k], 0.0) / prio_sum / cost[k]
            if k == MEN:
                units = min(units, s_econ.p_pool[p])
                s_econ.p_pool[p] -= units
            if day == 0:  # the factories were working before the start: a full pipeline
                for d in range(LEAD_MAX):
                    s_econ.p_pipe[p, k, d] = 0.0
                for d in range(leads[k]):
                    s_econ.p_pipe[p, k, (slot + d) % LEAD_MAX] = units
                if k == MEN:
                    s_econ.p_pool[p] -= units * (leads[k] - 1)
                    if s_econ.p_pool[p] < 0.0:
                        s_econ.p_pool[p] = 0.0
            s_econ.p_pipe[p, k, (slot + leads[k]) % LEAD_MAX] += units
            s_econ.p_depot[p, k] += s_econ.p_pipe[p, k, slot]
            s_econ.p_pipe[p, k, slot] = 0.0
    _deliver(w, s_land, s_air, s_econ, s_politics, s.supply.f_reached)
    # 4. Oil: production, trade, consumption.
    for p in range(P_):
        if e.e_has[p] and not s_politics.capitulated[p]:
            # A power's fields and plants throttle when its tanks are full.
            room = storage(s_econ.p_oil_start, e.e_oil_civil, params, p) - s_econ.p_oil[p]
            made = min(oil_made[p] + e.e_oil_synth[p] / 365.0, max(room, 0.0))
            s_econ.p_oil[p] += made
            s_econ.p_oil_prod[p] += made
    knobs = naval.knobs_of(params)
    first_of_month = day > 0 and w.day_month[day - 1] != month
    for t in range(T):
        x, m = e.t_exporter[t], e.t_importer[t]
        share = route_open(
            t, e, s_control.controller, s_politics.at_war, s_politics.capitulated, s_sea.fl_zone,
            w.fl_home, w.fl_power, s_sea.fl_ships, w.fl_quality, w.t_alliance, s_politics.member,
            w.z_frozen, month, knobs, params[P.CONTRABAND_IN_PORT], day,
        )  # fmt: skip
        s_econ.t_open[t] = share
        if first_of_month:
            if s_econ.t_month[t] > 0.0:
                record(h, run, day, codes.K_OIL_DELIVERED, x, m, -1, t, s_econ.t_month[t],
                       0.0, 0.0)  # fmt: skip
            s_econ.t_month[t] = 0.0
        cut = share < 0.5 and day <= e.t_end[t]  # its end is not a cut
        if cut and not s_econ.t_cut[t]:
            record(h, run, day, codes.K_ROUTE_CUT, x, m, -1, t, share, 0.0, 0.0)
        elif s_econ.t_cut[t] and not cut:
            record(h, run, day, codes.K_ROUTE_OPENED, x, m, -1, t, share, 0.0, 0.0)
        s_econ.t_cut[t] = cut
        kt = e.t_kt[t] if e.t_kt_param[t] < 0 else max(params[e.t_kt_param[t]], 0.0)
        flow = kt / 365.0 * share
        if x >= 0:
            flow = min(flow, max(s_econ.p_oil[x], 0.0))
            s_econ.p_oil[x] -= flow
            s_econ.p_oil_out[x] += flow
        else:
            s_econ.p_oil_world[m] += flow
        s_econ.p_oil[m] += flow
        if e.t_sea_start[t + 1] > e.t_sea_start[t]:
            s_econ.p_oil_in_sea[m] += flow
        else:
            s_econ.p_oil_in_rail[m] += flow
        s_econ.t_month[t] += flow
    demand = _military_demand(w, s_land, s_air, s_sea, params, at_war_any, P_)
    for p in range(P_):
        if not e.e_has[p] or s_politics.capitulated[p]:
            s_econ.p_fuel[p] = 1.0
            continue
        civil = e.e_oil_civil[p] / 365.0
        if at_war_any[p]:
            civil *= params[P.CIVIL_OIL_WAR]
        have = max(s_econ.p_oil[p], 0.0)
        mil = min(demand[p], have)
        civ_got = min(civil, have - mil)
        s_econ.p_oil[p] = have - mil - civ_got
        s_econ.p_oil_used[p] += mil + civ_got
        s_econ.p_fuel[p] = mil / demand[p] if demand[p] > 0.0 else 1.0
        short = s_econ.p_fuel[p] < params[P.SHORTAGE_THRESHOLD]
        if short and not s_econ.p_short[p]:
            record(h, run, day, codes.K_SHORTAGE, p, -1, -1, -1, s_econ.p_fuel[p],
                   s_econ.p_oil[p], 0.0)  # fmt: skip
        s_econ.p_short[p] = short


@kernel
def storage(oil_start, oil_civil, params, p):
    """Kt of oil power ``p`` can store (what would overflow is not produced).

    Its start stock or half a year of peacetime civilian use, the larger, times
    ``oil_storage_factor``.
    """
    return params[P.OIL_STORAGE] * max(oil_start[p], oil_civil[p] / 2.0)


@kernel
def _civil_met(s_econ, e, params, p, at_war):
    """Yesterday's share of the civilian oil need met (1 when the stock covers a day)."""
    civil = e.e_oil_civil[p] / 365.0
    if at_war:
        civil *= params[P.CIVIL_OIL_WAR]
    if civil <= 0.0 or s_econ.p_oil[p] >= civil:
        return 1.0
    return max(s_econ.p_oil[p], 0.0) / civil


@kernel
def _military_demand(w, s_land, s_air, s_sea, params, at_war_any, n_powers):
    """Each power's military fuel need today, kt: motorised men, sorties, ships at sea."""
    out = np.zeros(n_powers)
    for f in range(s_land.f_men.shape[0]):
        if not s_land.f_active[f] or s_land.f_region[f] < 0:
            continue
        mot = s_land.f_men[f] * w.f_motorised[f]
        if mot <= 0.0:
            continue
        busy = s_land.f_attack[f] >= 0 or (
            s_land.f_goal[f] >= 0 and s_land.f_goal[f] != s_land.f_region[f]
        )
        rate = params[P.FUEL_MOVING] if busy else params[P.FUEL_IDLE]
        out[w.f_power[f]] += mot * rate / 1000.0
    per_sortie = params[P.FUEL_SORTIE] * SERVICEABILITY * SORTIES_PER_DAY / 1000.0
    for g in range(s_air.a_fighters.shape[0]):
        p = w.a_power[g]
        k = 1.0 if at_war_any[p] else params[P.PEACE_SORTIES]
        out[p] += (s_air.a_fighters[g] + s_air.a_bombers[g]) * per_sortie * k
    for f in range(s_sea.fl_zone.shape[0]):
        if s_sea.fl_zone[f] >= 0:
            ships = 0.0
            for c in range(s_sea.fl_ships.shape[1]):
                ships += s_sea.fl_ships[f, c]
            out[w.fl_power[f]] += ships * params[P.FUEL_SHIP] / 1000.0
    return out


@kernel
def _deliver(w, s_land, s_air, s_econ, s_politics, reached):
    """Depot units into forces and wings below their start strength; the rest wait.

    Men and tanks travel with supply: a force the network did not reach on its last supply day
    (cut off, encircled) gets none; they wait in the depot for forces it reaches.
    """
    alive = np.empty(s_land.f_active.shape[0], np.bool_)
    for f in range(alive.shape[0]):
        alive[f] = s_land.f_active[f] and not s_politics.capitulated[w.f_power[f]] and reached[f]
    refill(w.f_power, alive, w.f_men, s_land.f_men, s_econ.p_depot, s_econ.p_built, MEN)
    refill(w.f_power, alive, w.f_tanks, s_land.f_tanks, s_econ.p_depot, s_econ.p_built, TANKS)
    A = s_air.a_fighters.shape[0]
    if A == 0:
        return
    # A wing's fighters and bombers are two entities of one power.
    owner = np.empty(2 * A, np.int64)
    flying = np.empty(2 * A, np.bool_)
    need = np.empty(2 * A)
    have = np.empty(2 * A)
    for g in range(A):
        owner[2 * g] = owner[2 * g + 1] = w.a_power[g]
        flying[2 * g] = flying[2 * g + 1] = not s_politics.capitulated[w.a_power[g]]
        need[2 * g], have[2 * g] = w.a_fighters[g], s_air.a_fighters[g]
        need[2 * g + 1], have[2 * g + 1] = w.a_bombers[g], s_air.a_bombers[g]
    refill(owner, flying, need, have, s_econ.p_depot, s_econ.p_built, AIRCRAFT)
    for g in range(A):
        s_econ.a_built[g] += (
            have[2 * g] - s_air.a_fighters[g] + have[2 * g + 1] - s_air.a_bombers[g]
        )
        s_air.a_fighters[g] = have[2 * g]
        s_air.a_bombers[g] = have[2 * g + 1]


@kernel
def econ_snapshot(s_econ, pw):
    """Write the economy's per-power figures into a snapshot row ``pw[P, K]``."""
    for p in range(s_econ.p_mob.shape[0]):
        pw[p, codes.PF_OUTPUT] = s_econ.p_output[p]
        pw[p, codes.PF_MOBILISATION] = s_econ.p_mob[p]
        pw[p, codes.PF_TANKS_BUILT] = s_econ.p_built[p, TANKS] + s_econ.p_depot[p, TANKS]
        pw[p, codes.PF_AIRCRAFT_BUILT] = s_econ.p_built[p, AIRCRAFT] + s_econ.p_depot[p, AIRCRAFT]
        pw[p, codes.PF_MEN_REPLACED] = s_econ.p_built[p, MEN]
        pw[p, codes.PF_POOL] = s_econ.p_pool[p]
        pw[p, codes.PF_OIL_STOCK] = s_econ.p_oil[p]
        pw[p, codes.PF_OIL_PRODUCED] = s_econ.p_oil_prod[p]
        pw[p, codes.PF_OIL_RAIL] = s_econ.p_oil_in_rail[p]
        pw[p, codes.PF_OIL_SEA] = s_econ.p_oil_in_sea[p]
        pw[p, codes.PF_OIL_EXPORTED] = s_econ.p_oil_out[p]
        pw[p, codes.PF_OIL_USED] = s_econ.p_oil_used[p]
        pw[p, codes.PF_FUEL] = s_econ.p_fuel[p]


@kernel
def fuel_factor(p_fuel, motorised, loss, p):
    """Combat-power multiplier of a force of power ``p`` with ``motorised`` share, for fuel."""
    return 1.0 - loss * motorised * (1.0 - min(max(p_fuel[p], 0.0), 1.0))
