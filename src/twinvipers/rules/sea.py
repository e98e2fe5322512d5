"""The war at sea in the engine's day: fleets sail, meet, blockade, raid trade and bombard.

The calibrated pieces (battles, the war on trade, blockade, bombardment, landings, sea ice) are
the functions of :mod:`twinvipers.rules.naval`; this rule moves task forces between sea zones and
applies those functions to the run's state:

1. **Sailing.** A fleet with a destination sails one zone a day along the shortest sea path (a
   zone is a few hundred miles: a day's steaming). It leaves port into the zone off its base and
   will not enter a zone iced over this month; caught in one, it returns to port.
2. **Battle.** Where fleets of powers at war share a zone, ``naval.naval_battle`` fights one day;
   the side that loses the zone returns to port to repair (a share of the ships put out of action
   are damaged, not sunk, and rejoin after ``fleet_repair_days``).
3. **Blockade.** Fleets on a blockade or raid mission against a power interdict its shipping in
   their zone (``naval.zone_interdiction``, less the power's own escorts). A port's sea-borne
   supply (``Sea.r_sea``, read by the supply rule) is the best share among the zones it opens
   on; ice closes a zone (``naval.sea_lane_share``'s rule) and bombed berths cut it further.
4. **War on trade.** Once a month each raiding fleet on station sinks tonnage
   (``naval.tonnage_sunk``) and loses submarines to escorts (``naval.submarines_lost``).
5. **Bombardment.** A fleet on a bombard mission fires for ``bombard_days`` days on station:
   its guns support an attack on the region (``Sea.r_naval_arty``) and wreck port capacity.

Simplification, stated: a port's "sea lane" is the zone it opens on; the route beyond to the
power's other ports is not followed.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from twinvipers.rules import codes, naval, rng
from twinvipers.rules import params as P
from twinvipers.rules.diplomacy import allied
from twinvipers.rules.history import record
from twinvipers.rules.jit import copy1, copy2, fill1, fill2, inline, kernel


class Sea(NamedTuple):
    """Fleets at sea and in port, landings, and what the sea gives the land each day.

    Channels to other rules: ``r_sea`` (supply reads the share of a port's sea-borne supply that
    gets through), ``r_naval_arty`` (battle reads today's naval gunfire support), ``f_landed``
    (movement and battle treat a force that has just landed as landing).
    """

    fl_zone: np.ndarray  # int64[Fl] zone it is in (-1: in port)
    fl_dest: np.ndarray  # int64[Fl] zone it is bound for (-1: none)
    fl_mission: np.ndarray  # int64[Fl] codes.M_*
    fl_target: np.ndarray  # int64[Fl] power (blockade, raid) or region (bombard)
    fl_until: np.ndarray  # int64[Fl] last day of its mission / day its repairs end
    fl_station: np.ndarray  # int64[Fl] day it came on station (-1: not yet)
    fl_ships: np.ndarray  # float64[Fl, 7] ships by class (naval.BATTLESHIP ..)
    fl_damaged: np.ndarray  # float64[Fl, 7] ships under repair
    fl_rejoin: np.ndarray  # int64[Fl] day the damaged ships rejoin (-1: none)
    fl_sailed: np.ndarray  # int64[Fl] day it left port (-1: in port)
    f_landed: np.ndarray  # int64[F] day the force landed from the sea (-1: not landing)
    r_sea: np.ndarray  # float64[R] share of a port's sea-borne supply getting through today
    r_port_damage: np.ndarray  # float64[R] share of port capacity out of action
    r_naval_arty: np.ndarray  # float64[R] naval gunfire today, artillery-tube equivalents
    grt_lost: np.ndarray  # float64[P] merchant tonnage lost to the war on trade


def new_sea(w) -> Sea:
    """Allocate the record for world ``w`` (values are set by :func:`reset_sea`)."""
    Fl, F, R, P_ = len(w.fl_power), len(w.f_power), len(w.r_owner), len(w.p_capital)
    i64, k = np.int64, w.fl_ships.shape[1]
    return Sea(
        np.zeros(Fl, i64), np.zeros(Fl, i64), np.zeros(Fl, i64), np.zeros(Fl, i64),
        np.zeros(Fl, i64), np.zeros(Fl, i64), np.zeros((Fl, k)), np.zeros((Fl, k)),
        np.zeros(Fl, i64), np.zeros(Fl, i64), np.zeros(F, i64), np.zeros(R), np.zeros(R),
        np.zeros(R), np.zeros(P_),
    )  # fmt: skip


@kernel
def reset_sea(w, x):
    """Fleets where the scenario puts them; a fleet given a zone is at sea on its mission."""
    copy1(x.fl_zone, w.fl_zone)
    copy1(x.fl_dest, w.fl_zone)  # a fleet given a zone operates there (back after refuelling)
    fill1(x.fl_mission, codes.M_PATROL)
    fill1(x.fl_target, -1)
    fill1(x.fl_until, -1)
    fill1(x.fl_station, -1)
    copy2(x.fl_ships, w.fl_ships)
    fill2(x.fl_damaged, 0.0)
    fill1(x.fl_rejoin, -1)
    for f in range(w.fl_zone.shape[0]):
        x.fl_sailed[f] = 0 if w.fl_zone[f] >= 0 else -1
    fill1(x.f_landed, -1)
    fill1(x.r_sea, 1.0)
    fill1(x.r_port_damage, 0.0)
    fill1(x.r_naval_arty, 0.0)
    fill1(x.grt_lost, 0.0)


RAIDER_CLASSES = (naval.BATTLESHIP, naval.BATTLECRUISER, naval.HEAVY_CRUISER, naval.LIGHT_CRUISER)
"""Surface ships that count as commerce raiders on a raid mission (Graf Spee, Deutschland)."""


@inline
def frozen(w, z, day):
    """True when ice closes zone ``z`` on ``day`` (inlined: it runs for every fleet and zone)."""
    return w.z_frozen[z, w.day_month[day] - 1]


@inline
def coast_zone(w, s, r, day):
    """A zone region ``r`` opens on, preferring one free of ice today (-1: landlocked)."""
    best = -1
    for z in range(w.coast.shape[1]):
        if w.coast[r, z]:
            if not frozen(w, z, day):
                return z
            if best < 0:
                best = z
    return best


@kernel
def strength(ships, quality):
    """A task force's striking strength (guns, torpedoes, aircraft) for sea control."""
    g, t, a, _asw, _aa, _stay = naval.task_force_strength(ships, quality)
    return g + t + a


@kernel
def _to_port(w, s, params, f, day, keep_orders):
    """Send fleet ``f`` home: to refuel (orders kept) or, beaten, to repair (orders dropped)."""
    s_sea = s.sea
    s_sea.fl_zone[f] = -1
    s_sea.fl_station[f] = -1
    s_sea.fl_sailed[f] = -1
    if keep_orders:
        s_sea.fl_until[f] = day + int(params[P.FLEET_REPLENISH_DAYS])
    else:
        s_sea.fl_dest[f] = -1
        s_sea.fl_mission[f] = codes.M_PATROL
        s_sea.fl_until[f] = day + int(params[P.FLEET_REPAIR_DAYS])


@kernel
def _sail(w, s, params, day):
    """Move every fleet with a destination one zone along its way."""
    s_sea = s.sea
    for f in range(s_sea.fl_zone.shape[0]):
        here = s_sea.fl_zone[f]
        if here >= 0 and frozen(w, here, day):
            _to_port(w, s, params, f, day, True)  # the ice closes in: back to port, orders kept
            continue
        if here >= 0 and s_sea.fl_sailed[f] >= 0 and day - s_sea.fl_sailed[f] >= w.fl_endurance[f]:
            _to_port(w, s, params, f, day, True)  # fuel and stores spent: home to refill, then back
            continue
        dest = s_sea.fl_dest[f]
        if dest < 0 or here == dest:
            continue
        if here < 0:
            if s_sea.fl_until[f] > day:
                continue  # in dockyard or refuelling
            nxt = w.fl_home[f] if w.fl_home[f] >= 0 else dest
            s_sea.fl_sailed[f] = day
        else:
            nxt = w.z_next[here, dest]
            if nxt < 0:
                nxt = dest  # no sea path on the map: the passage is off it
        if frozen(w, nxt, day):
            continue
        s_sea.fl_zone[f] = nxt


@kernel
def _battles(w, s, h, params, run, seed, day):
    """Fight a day's action in each zone where hostile fleets meet."""
    s_politics, s_sea = s.politics, s.sea
    Fl = s_sea.fl_zone.shape[0]
    for z in range(w.coast.shape[1]):
        lead = -1
        for f in range(Fl):
            if s_sea.fl_zone[f] == z and s_sea.fl_ships[f].sum() > 0.0:
                lead = f
                break
        if lead < 0:
            continue
        pa = w.fl_power[lead]
        pb = -1
        for f in range(Fl):
            if (
                s_sea.fl_zone[f] == z
                and s_politics.at_war[pa, w.fl_power[f]]
                and s_sea.fl_ships[f].sum() > 0.0
            ):
                pb = w.fl_power[f]
                break
        if pb < 0:
            continue
        ships_a = np.zeros(naval.N_CLASS)
        ships_b = np.zeros(naval.N_CLASS)
        qa = 0.0
        qb = 0.0
        for f in range(Fl):
            if s_sea.fl_zone[f] != z:
                continue
            p = w.fl_power[f]
            n = s_sea.fl_ships[f].sum()
            if not s_politics.at_war[pa, p] and s_politics.at_war[pb, p]:
                ships_a += s_sea.fl_ships[f]
                qa += w.fl_quality[f] * n
            elif s_politics.at_war[pa, p] and not s_politics.at_war[pb, p]:
                ships_b += s_sea.fl_ships[f]
                qb += w.fl_quality[f] * n
        qa /= max(ships_a.sum(), 1e-9)
        qb /= max(ships_b.sum(), 1e-9)
        u = rng.uniform(seed, day, z, rng.P_NAVAL)
        night = rng.uniform(seed, day, z, rng.P_SEA) < params[P.NIGHT_SHARE]
        lost_a, lost_b, holder = naval.naval_battle(
            ships_a, ships_b, qa, qb, params[P.SEA_VISIBILITY], night, naval.WITHDRAW_THRESHOLD,
            naval.WITHDRAW_THRESHOLD, u, naval.knobs_of(params),
        )  # fmt: skip
        if holder == naval.NO_CONTACT:
            continue
        for f in range(Fl):
            if s_sea.fl_zone[f] != z:
                continue
            p = w.fl_power[f]
            side_a = not s_politics.at_war[pa, p] and s_politics.at_war[pb, p]
            side_b = s_politics.at_war[pa, p] and not s_politics.at_war[pb, p]
            if not (side_a or side_b):
                continue
            lost = lost_a if side_a else lost_b
            total = ships_a if side_a else ships_b
            for c in range(naval.N_CLASS):
                if total[c] > 0.0:
                    x = lost[c] * s_sea.fl_ships[f, c] / total[c]
                    s_sea.fl_ships[f, c] = max(s_sea.fl_ships[f, c] - x, 0.0)
                    s_sea.fl_damaged[f, c] += x * params[P.REPAIRABLE_SHARE]  # the rest are sunk
                    if x > 0.0:
                        s_sea.fl_rejoin[f] = day + int(params[P.FLEET_REPAIR_DAYS])
            if (side_a and holder == naval.HELD_BY_B) or (side_b and holder == naval.HELD_BY_A):
                _to_port(w, s, params, f, day, False)
        record(
            h, run, day, codes.K_NAVAL_BATTLE, pa, pb, -1, z, float(holder),
            lost_a.sum(), lost_b.sum(),
        )  # fmt: skip


@kernel
def _repairs(s, day):
    """Damaged ships rejoin their fleet once repaired."""
    s_sea = s.sea
    for f in range(s_sea.fl_zone.shape[0]):
        if s_sea.fl_rejoin[f] >= 0 and day >= s_sea.fl_rejoin[f]:
            for c in range(s_sea.fl_ships.shape[1]):
                s_sea.fl_ships[f, c] += s_sea.fl_damaged[f, c]
                s_sea.fl_damaged[f, c] = 0.0
            s_sea.fl_rejoin[f] = -1


@kernel
def _on_station(w, s, h, params, run, day):
    """Start the mission of each fleet that has reached its destination."""
    s_sea = s.sea
    for f in range(s_sea.fl_zone.shape[0]):
        z = s_sea.fl_zone[f]
        if z < 0 or z != s_sea.fl_dest[f] or s_sea.fl_station[f] >= 0:
            continue
        s_sea.fl_station[f] = day
        m = s_sea.fl_mission[f]
        if m == codes.M_BOMBARD:
            s_sea.fl_until[f] = day + int(params[P.BOMBARD_DAYS]) - 1


@kernel
def _blockade(w, s, h, params, run, day, blockade, escort):
    """Blockade and escort strength per zone and target power; ports' sea-borne share today."""
    s_control, s_politics, s_sea = s.control, s.politics, s.sea
    knobs = naval.knobs_of(params)
    Z = w.coast.shape[1]
    P_ = s_politics.at_war.shape[0]
    for z in range(Z):
        for p in range(P_):
            blockade[z, p] = 0.0
            escort[z, p] = 0.0
    for f in range(s_sea.fl_zone.shape[0]):
        z = s_sea.fl_zone[f]
        if z < 0 or frozen(w, z, day):
            continue
        m = s_sea.fl_mission[f]
        q = s_sea.fl_target[f]
        on = s_sea.fl_station[f] >= 0 and (m == codes.M_BLOCKADE or m == codes.M_RAID)
        if on and q >= 0 and s_politics.at_war[w.fl_power[f], q]:
            blockade[z, q] += naval.blockade_strength(s_sea.fl_ships[f], w.fl_quality[f])
        e = naval.escort_strength(s_sea.fl_ships[f], w.fl_quality[f])
        for p in range(P_):
            if allied(w.t_alliance, s_politics.member, w.fl_power[f], p):
                escort[z, p] += e
    # A blockade on station is recorded once, on its first day, with the share it stops.
    for f in range(s_sea.fl_zone.shape[0]):
        if s_sea.fl_mission[f] == codes.M_BLOCKADE and s_sea.fl_station[f] == day:
            z = s_sea.fl_zone[f]
            q = s_sea.fl_target[f]
            cut = naval.zone_interdiction(blockade[z, q], escort[z, q], knobs)
            record(h, run, day, codes.K_BLOCKADE, w.fl_power[f], q, -1, z, cut, 0.0, 0.0)
    for r in range(s_sea.r_sea.shape[0]):
        if not w.r_port[r]:
            s_sea.r_sea[r] = 0.0
            continue
        c = s_control.controller[r]
        best = 0.0
        for z in range(Z):
            if w.coast[r, z] and not frozen(w, z, day):
                cut = naval.zone_interdiction(blockade[z, c], escort[z, c], knobs)
                best = max(best, 1.0 - cut)
        s_sea.r_sea[r] = best * (1.0 - s_sea.r_port_damage[r])


@kernel
def _trade_war(w, s, h, params, run, seed, day, escort):
    """A month's commerce raiding by each raiding fleet on station (on the month's first day)."""
    s_politics, s_sea = s.politics, s.sea
    if day > 0 and w.day_month[day] == w.day_month[day - 1]:
        return
    for f in range(s_sea.fl_zone.shape[0]):
        z = s_sea.fl_zone[f]
        q = s_sea.fl_target[f]
        if z < 0 or s_sea.fl_mission[f] != codes.M_RAID or s_sea.fl_station[f] < 0 or q < 0:
            continue
        if frozen(w, z, day) or not s_politics.at_war[w.fl_power[f], q]:
            continue
        subs = s_sea.fl_ships[f, naval.SUBMARINE]
        raiders = 0.0
        for c in RAIDER_CLASSES:
            raiders += s_sea.fl_ships[f, c]
        escorts = escort[z, q] / naval.ESCORT[naval.DESTROYER]  # in destroyer equivalents
        share = params[P.CONVOY_SHARE]
        grt = naval.tonnage_sunk(
            subs,
            raiders,
            escorts,
            share,
            rng.uniform(seed, day, f, rng.P_TRADE),
            naval.knobs_of(params),
        )
        lost = naval.submarines_lost(
            subs, escorts, share, rng.uniform(seed, day, f, rng.P_SUBMARINES_LOST)
        )
        s_sea.fl_ships[f, naval.SUBMARINE] -= lost
        s_sea.grt_lost[q] += grt
        record(h, run, day, codes.K_TRADE_WAR, w.fl_power[f], q, -1, z, grt, lost, 0.0)


@kernel
def _bombard(w, s, h, params, run, day):
    """Fleets on a bombard mission shell their region; afterwards they patrol the zone."""
    s_control, s_sea = s.control, s.sea
    for r in range(s_sea.r_naval_arty.shape[0]):
        s_sea.r_naval_arty[r] = 0.0
        s_sea.r_port_damage[r] *= math.exp(-1.0 / params[P.PORT_RECOVERY])
    for f in range(s_sea.fl_zone.shape[0]):
        if (
            s_sea.fl_mission[f] != codes.M_BOMBARD
            or s_sea.fl_station[f] < 0
            or s_sea.fl_zone[f] < 0
        ):
            continue
        r = s_sea.fl_target[f]
        if day > s_sea.fl_until[f]:
            s_sea.fl_mission[f] = codes.M_PATROL
            continue
        defence = min(params[P.COAST_DEFENCE_PER_FORT] * s_control.fort[r], 0.8)
        tubes, port = naval.bombardment(
            s_sea.fl_ships[f], w.fl_quality[f], defence, naval.knobs_of(params)
        )
        s_sea.r_naval_arty[r] += tubes
        s_sea.r_port_damage[r] = 1.0 - (1.0 - s_sea.r_port_damage[r]) * (1.0 - port)
        if day == s_sea.fl_station[f]:
            record(
                h, run, day, codes.K_BOMBARDMENT, w.fl_power[f], s_control.controller[r], r, f, port,
                tubes, 0.0,
            )  # fmt: skip


@kernel
def sea_day(w, s, h, ctx):
    """The day at sea: repairs, sailing, battles, missions on station, blockade, trade, guns."""
    s_politics, s_sea = s.politics, s.sea
    params, run, seed, day = ctx.params, ctx.run, ctx.seed, ctx.day
    if s_sea.fl_zone.shape[0] == 0:
        for r in range(s_sea.r_sea.shape[0]):
            s_sea.r_sea[r] = 1.0 if w.r_port[r] else 0.0
        return
    Z = w.coast.shape[1]
    P_ = s_politics.at_war.shape[0]
    blockade = np.zeros((Z, P_))
    escort = np.zeros((Z, P_))
    _repairs(s, day)
    _sail(w, s, params, day)
    _battles(w, s, h, params, run, seed, day)
    _on_station(w, s, h, params, run, day)
    _blockade(w, s, h, params, run, day, blockade, escort)
    _trade_war(w, s, h, params, run, seed, day, escort)
    _bombard(w, s, h, params, run, day)


@kernel
def naval_strength(w, s, p, z, day, in_port, in_port_share):
    """Sea-control strength of ``p`` and its allies (``in_port`` False) or of its enemies.

    Counts the fleets at sea in zone ``z``; enemy fleets lying in a port on the zone count at
    ``in_port_share`` (parameter ``in_port_share``: a fleet in being sorties against a landing).
    """
    s_politics, s_sea = s.politics, s.sea
    total = 0.0
    for f in range(s_sea.fl_zone.shape[0]):
        q = w.fl_power[f]
        friend = allied(w.t_alliance, s_politics.member, p, q)
        enemy = s_politics.at_war[p, q]
        if in_port:
            if not enemy:
                continue
        elif not friend:
            continue
        if s_sea.fl_zone[f] == z:
            total += strength(s_sea.fl_ships[f], w.fl_quality[f])
        elif in_port and s_sea.fl_zone[f] < 0 and w.coast[w.fl_base[f], z]:
            total += in_port_share * strength(s_sea.fl_ships[f], w.fl_quality[f])
    return total


@kernel
def attempt_landing(w, s, h, params, run, seed, day, f, r, z, fleets):
    """Land force ``f`` at region ``r`` from zone ``z`` under the escort of ``fleets``.

    The escort is in the zone for the landing (its passage is the event's premise). Success needs
    local naval superiority and enough men ashore against the garrison
    (``naval.landing_probability``); the landed force fights at a penalty for ``ASSAULT_DAYS``.
    A repulsed force loses ``landing_failure_loss`` (a parameter) of its men and stays where it was.
    """
    s_control, s_politics, s_land, s_sea = s.control, s.politics, s.land, s.sea
    p = w.f_power[f]
    _escort(s, fleets, z, day)
    own = naval_strength(w, s, p, z, day, False, 0.0)
    enemy = naval_strength(w, s, p, z, day, True, params[P.IN_PORT_SHARE])
    garrison = 0.0
    for g in range(s_land.f_region.shape[0]):
        if s_land.f_active[g] and s_land.f_region[g] == r and s_politics.at_war[p, w.f_power[g]]:
            garrison += s_land.f_men[g]
    quality = 1.0 + params[P.LANDING_GARRISON_PER_FORT] * s_control.fort[r]
    men = s_land.f_men[f]
    lift = params[P.LANDING_LIFT]
    prob, _mult = naval.landing_probability(
        own, enemy, lift, men, garrison, quality, naval.knobs_of(params)
    )
    if frozen(w, z, day):
        prob = 0.0
    ok = rng.uniform(seed, day, f, rng.P_LANDING) < prob
    if ok:
        s_land.f_region[f] = r
        s_land.f_active[f] = True
        s_land.f_progress[f] = 0.0
        s_sea.f_landed[f] = day
        s_land.f_men_start[f] = men
        s_land.f_reserve[f] = False
    else:
        loss = params[P.LANDING_FAILURE_LOSS] * men
        s_land.f_men[f] -= loss
        s_land.killed[p] += loss * params[P.KILLED_SHARE]
        s_land.wounded[p] += loss * (1.0 - params[P.KILLED_SHARE])
    record(
        h, run, day, codes.K_LANDING, p, s_control.controller[r], r, f, 1.0 if ok else 0.0, prob, men,
    )  # fmt: skip


@kernel
def _escort(s, fleets, z, day):
    """The escorting fleets are in zone ``z`` (their passage is the order's premise)."""
    s_sea = s.sea
    for j in range(fleets.shape[0]):
        g = fleets[j]
        if s_sea.fl_zone[g] < 0:
            s_sea.fl_sailed[g] = day
        s_sea.fl_zone[g] = z
        s_sea.fl_dest[g] = z
        s_sea.fl_mission[g] = codes.M_PATROL
        s_sea.fl_station[g] = day


@kernel
def evacuate(w, s, h, params, run, day, f, r, z, to, fleets):
    """Lift force ``f`` out of coastal region ``r`` by zone ``z`` to region ``to`` (-1: off the map).

    Needs local naval superiority (``landing_superiority`` of the strength in the zone,
    enemy fleets in port on it counting at ``in_port_share``) and a sea free of ice; the lift is
    then all or nothing (the men who could not be lifted are the scenario's to place). Dunkirk,
    1940, is the case: the Royal Navy held the Channel.
    """
    s_land = s.land
    p = w.f_power[f]
    _escort(s, fleets, z, day)
    own = naval_strength(w, s, p, z, day, False, 0.0)
    enemy = naval_strength(w, s, p, z, day, True, params[P.IN_PORT_SHARE])
    total = own + enemy
    ok = (
        s_land.f_active[f]
        and s_land.f_region[f] == r
        and not frozen(w, z, day)
        and total > 0.0
        and own / total >= params[P.LANDING_SUPERIORITY]
    )
    if ok:
        s_land.f_region[f] = to
        s_land.f_active[f] = to >= 0
        s_land.f_progress[f] = 0.0
        s_land.f_attack[f] = -1
    record(h, run, day, codes.K_EVACUATION, p, -1, r, f, 1.0 if ok else 0.0, s_land.f_men[f], 0.0)
