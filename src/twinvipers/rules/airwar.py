"""The air war in the engine's day: battles' air, ordered campaigns, biological attacks.

The calibrated pieces are the functions of :mod:`twinvipers.rules.air`; this rule applies them:

1. **Over each battle** (a region attacked today) every wing in range (``air_range_hops`` of its
   base) whose power fights there joins its side, its effort split among the battles it can
   reach. Fighters decide air superiority (``air.air_superiority``); bombers fly close support
   (``air.close_air_support_sorties``). The battle rule reads ``r_air_sup``, ``r_cas_att`` and
   ``r_cas_def``: superiority is a QJM factor and sorties are firepower.
2. **Campaigns** ordered by events (``air_campaign``) send a wing's bombers, escorted by its
   fighters, against a region within ``strategic_range_hops`` for ``air_campaign_days`` days:
   interdiction (supply into the region; ``r_interdict``), airfields (aircraft destroyed on the
   ground, surprise on the first day), ports (berths out of action; ``r_port_damage``), industry
   and cities (industry points lost). Superiority and close-support campaigns concentrate the
   wing on battles near their region.
3. **Biological attacks** authorised by an event strike their city once a month while the war
   lasts; casualties are recorded, and the victim's will *rises* (parameter ``bio_will_effect``).
   Chemical weapons act in battle (:mod:`twinvipers.rules.battle`).

Simplifications, stated: no air-to-air attrition outside airfield strikes; a wing's aircraft
are all of one quality.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from twinvipers.rules import air, codes, rng
from twinvipers.rules import params as P
from twinvipers.rules.battle import WEATHER_TO_QJM
from twinvipers.rules.combat import WEATHER_AIR
from twinvipers.rules.history import record
from twinvipers.rules.jit import copy1, fill1, fill2, inline, kernel


class Air(NamedTuple):
    """Air wings, special weapons, and what the air war gives the land each day.

    Channels to other rules: ``r_interdict`` (supply loses that share of the tons carried into a
    region), ``r_air_sup``, ``r_cas_att`` and ``r_cas_def`` (battle reads today's air superiority
    and close support over each engagement).
    """

    a_base: np.ndarray  # int64[A] region it flies from today
    a_fighters: np.ndarray  # float64[A]
    a_bombers: np.ndarray  # float64[A]
    a_mission: np.ndarray  # int64[A] codes.A_SUPPORT or 1 + schema.AirMission index
    a_target: np.ndarray  # int64[A] region
    a_since: np.ndarray  # int64[A] first day of its campaign
    r_interdict: np.ndarray  # float64[R] share of supply into the region lost to air attack
    r_air_sup: np.ndarray  # float64[R] attacker's air superiority over today's battle, -1..1
    r_cas_att: np.ndarray  # float64[R] attacker's close-support sorties today
    r_cas_def: np.ndarray  # float64[R] defender's close-support sorties today
    chem: np.ndarray  # bool[P, P] p may use chemical weapons against q
    bio_region: np.ndarray  # int64[P] city p's biological attacks strike (-1: none)
    bio_target: np.ndarray  # int64[P] power they are aimed at
    bio_since: np.ndarray  # int64[P] day they were authorised


def new_air(w) -> Air:
    """Allocate the record for world ``w`` (values are set by :func:`reset_air`)."""
    A, R, P_ = len(w.a_power), len(w.r_owner), len(w.p_capital)
    i64 = np.int64
    return Air(
        np.zeros(A, i64), np.zeros(A), np.zeros(A), np.zeros(A, i64), np.zeros(A, i64),
        np.zeros(A, i64), np.zeros(R), np.zeros(R), np.zeros(R), np.zeros(R),
        np.zeros((P_, P_), np.bool_), np.zeros(P_, i64), np.zeros(P_, i64), np.zeros(P_, i64),
    )  # fmt: skip


@kernel
def reset_air(w, x):
    """Wings at their bases in support of the army; no special weapons authorised."""
    copy1(x.a_base, w.a_region)
    copy1(x.a_fighters, w.a_fighters)
    copy1(x.a_bombers, w.a_bombers)
    fill1(x.a_mission, codes.A_SUPPORT)
    fill1(x.a_target, -1)
    fill1(x.a_since, -1)
    fill1(x.r_interdict, 0.0)
    fill1(x.r_air_sup, 0.0)
    fill1(x.r_cas_att, 0.0)
    fill1(x.r_cas_def, 0.0)
    fill2(x.chem, False)
    fill1(x.bio_region, -1)
    fill1(x.bio_target, -1)
    fill1(x.bio_since, -1)


BIO_PERIOD_DAYS = 30


@kernel
def _battle_sides(w, s, r):
    """The attacking power of region ``r`` today (-1: no attack)."""
    s_land = s.land
    for f in range(s_land.f_attack.shape[0]):
        if s_land.f_active[f] and s_land.f_attack[f] == r:
            return w.f_power[f]
    return -1


@kernel
def _side(at_war, attacker, p):
    """+1 if ``p`` fights on the attacker's side of a battle, -1 on the defender's, 0 neither."""
    if p == attacker:
        return 1
    if at_war[attacker, p]:
        return -1
    for q in range(at_war.shape[0]):
        if at_war[attacker, q] and at_war[p, q]:
            return 1  # fights the attacker's enemies
    return 0


@kernel
def _reaches(dist, air, g, r, reach):
    """True when wing ``g`` can support a battle at ``r`` within ``reach`` hops (``air_range_hops``).

    Like the other per-wing tests here it takes what it reads, not ``w`` and ``s``: a call
    passing the whole World and State costs microseconds.
    """
    base = air.a_base[g]
    if dist[base, r] > reach:
        return False
    m = air.a_mission[g]
    if m == 1 + 0 or m == 1 + 1:  # superiority / close_support: near the ordered region only
        return dist[air.a_target[g], r] <= reach
    return m == codes.A_SUPPORT


@kernel
def air_over_battles(w, s, params, day):
    """Air superiority and close-support sorties over each battle today."""
    s_control, s_politics, s_land, s_air = s.control, s.politics, s.land, s.air
    p_fuel = s.econ.p_fuel  # sorties need fuel (rules.economy)
    R = s_control.controller.shape[0]
    A = s_air.a_fighters.shape[0]
    battles = np.full(R, -1, np.int64)  # attacker of each battle region
    n_b = 0
    for r in range(R):
        s_air.r_air_sup[r] = 0.0
        s_air.r_cas_att[r] = 0.0
        s_air.r_cas_def[r] = 0.0
    for f in range(s_land.f_attack.shape[0]):
        r = s_land.f_attack[f]
        if s_land.f_active[f] and r >= 0 and battles[r] < 0:
            battles[r] = w.f_power[f]
            n_b += 1
    if n_b == 0 or A == 0:
        return
    # Each wing's effort is split among the battles its power fights within its reach.
    share = np.zeros(A)
    for g in range(A):
        n = 0
        for r in range(R):
            if (
                battles[r] >= 0
                and _side(s_politics.at_war, battles[r], w.a_power[g]) != 0
                and _reaches(w.dist, s_air, g, r, params[P.AIR_RANGE_HOPS])
            ):
                n += 1
        share[g] = 1.0 / n if n > 0 else 0.0
    for r in range(R):
        a = battles[r]
        if a < 0:
            continue
        fa = 0.0
        fd = 0.0
        ba = 0.0
        bd = 0.0
        for g in range(A):
            if share[g] <= 0.0 or not _reaches(w.dist, s_air, g, r, params[P.AIR_RANGE_HOPS]):
                continue
            side = _side(s_politics.at_war, a, w.a_power[g])
            x = share[g] * w.a_quality[g] * min(p_fuel[w.a_power[g]], 1.0)
            if side > 0:
                fa += s_air.a_fighters[g] * x
                ba += s_air.a_bombers[g] * x
            elif side < 0:
                fd += s_air.a_fighters[g] * x
                bd += s_air.a_bombers[g] * x
        sup = air.air_superiority(fa, 1.0, fd, 1.0)
        s_air.r_air_sup[r] = sup
        # combat_power applies the weather's air factor to sorties: not twice here.
        s_air.r_cas_att[r] = air.close_air_support_sorties(
            ba, air.SORTIES_PER_DAY, 1.0, sup, params[P.CAS_LOSS]
        )
        s_air.r_cas_def[r] = air.close_air_support_sorties(
            bd, air.SORTIES_PER_DAY, 1.0, -sup, params[P.CAS_LOSS]
        )


@inline
def _enemy_fighters_near(w, s, params, p, r):
    """Fighter strength of ``p``'s enemies within range of region ``r``."""
    s_politics, s_air = s.politics, s.air
    x = 0.0
    for g in range(s_air.a_fighters.shape[0]):
        if (
            s_politics.at_war[p, w.a_power[g]]
            and w.dist[s_air.a_base[g], r] <= params[P.AIR_RANGE_HOPS]
        ):
            x += s_air.a_fighters[g] * w.a_quality[g]
    return x


@kernel
def _campaigns(w, s, h, params, run, seed, day):
    """A day of each ordered strike campaign."""
    s_control, s_politics, s_weather, s_supply, s_sea, s_air = (
        s.control,
        s.politics,
        s.weather,
        s.supply,
        s.sea,
        s.air,
    )
    p_fuel = s.econ.p_fuel
    for r in range(s_air.r_interdict.shape[0]):
        s_air.r_interdict[r] = 0.0
    for g in range(s_air.a_fighters.shape[0]):
        m = s_air.a_mission[g]
        if m != codes.A_SUPPORT and day - s_air.a_since[g] >= params[P.CAMPAIGN_DAYS]:
            s_air.a_mission[g] = codes.A_SUPPORT  # the campaign is over: back to the front
            continue
        if m < 1 + 2:  # support, superiority, close_support: over battles
            continue
        r = s_air.a_target[g]
        p = w.a_power[g]
        q = s_control.controller[r]
        if (
            w.dist[s_air.a_base[g], r] > params[P.STRATEGIC_RANGE_HOPS]
            or not s_politics.at_war[p, q]
        ):
            continue
        sup = air.air_superiority(
            s_air.a_fighters[g], w.a_quality[g], _enemy_fighters_near(w, s, params, p, r), 1.0
        )
        wx = WEATHER_AIR[WEATHER_TO_QJM[s_weather.r_weather[r]]]
        sorties = s_air.a_bombers[g] * air.SERVICEABILITY * params[P.STRATEGIC_SORTIES] * wx
        sorties *= min(p_fuel[p], 1.0)  # sorties need fuel (rules.economy)
        u = rng.uniform(seed, day, g, rng.P_AIR)
        effect = 0.0
        if m == 1 + 2:  # interdiction
            tons = 0.0
            for k in range(w.adj_start[r], w.adj_start[r + 1]):
                tons += s_supply.arc_tons[w.rev_arc[k]] if w.rev_arc[k] >= 0 else 0.0
            effect = air.interdiction_share(
                sorties, w.a_quality[g], sup, 1.0, tons, params[P.CAS_LOSS]
            )
            s_air.r_interdict[r] = max(s_air.r_interdict[r], effect)
        elif m == 1 + 3:  # airfields
            on_ground = 0.0
            for e in range(s_air.a_fighters.shape[0]):
                if s_air.a_base[e] == r and s_politics.at_war[p, w.a_power[e]]:
                    on_ground += s_air.a_fighters[e] + s_air.a_bombers[e]
            surprise = 1.0 if day == s_air.a_since[g] else 0.0
            effect = air.airfield_strike(sorties, w.a_quality[g], surprise, sup, on_ground, u)
            if on_ground > 0.0:
                keep = 1.0 - effect / on_ground
                for e in range(s_air.a_fighters.shape[0]):
                    if s_air.a_base[e] == r and s_politics.at_war[p, w.a_power[e]]:
                        s_air.a_fighters[e] *= keep
                        s_air.a_bombers[e] *= keep
        elif m == 1 + 4:  # ports
            effect = air.port_capacity_lost(sorties, w.a_quality[g], 0.5 * max(-sup, 0.0))
            s_sea.r_port_damage[r] = 1.0 - (1.0 - s_sea.r_port_damage[r]) * (1.0 - effect)
        else:  # industry, cities: a day's share of the monthly loss, part of it for good
            effect = air.industry_lost(
                sorties * 30.0, air.TONS_PER_SORTIE_1939_42, air.ACCURACY_1939_42,
                s_control.industry[r], 1.0,
            ) / 30.0 * params[P.INDUSTRY_PERMANENT]  # fmt: skip
            s_control.industry[r] = max(s_control.industry[r] - effect, 0.0)
        record(h, run, day, codes.K_AIR_STRIKE, p, q, r, m, effect, sorties, sup)


@kernel
def _biological(w, s, h, params, run, seed, day):
    """Authorised biological attacks strike their city once a month while the war lasts."""
    s_politics, s_air = s.politics, s.air
    for p in range(s_air.bio_region.shape[0]):
        r = s_air.bio_region[p]
        q = s_air.bio_target[p]
        if (
            r < 0
            or not s_politics.at_war[p, q]
            or (day - s_air.bio_since[p]) % BIO_PERIOD_DAYS != 0
        ):
            continue
        u = rng.uniform(seed, day, p, rng.P_BIOLOGICAL)
        cas, deaths, will = air.biological_attack(
            params[P.BIO_ATTACKS],
            w.r_population[r] * 1000.0,
            params[P.BIO_MEDICAL],
            u,
            air.bio_of(params),
        )
        s_politics.will[q] += will
        record(h, run, day, codes.K_SPECIAL, p, q, r, 1, cas, deaths, will)


@kernel
def _rebase(w, s, params):
    """Air groups follow the front: one hop a day toward the nearest battle of their side.

    A wing with no battle of its power's within reach moves its base one region along the way
    to the nearest such battle (within ``air_rebase_hops``), onto ground its side holds; a wing whose
    base has fallen to the enemy falls back one region toward its capital. The Luftwaffe's groups
    moved to Polish fields within days of their capture in September 1939 [MUR].
    """
    s_control, s_politics, s_land, s_air = s.control, s.politics, s.land, s.air
    R = s_control.controller.shape[0]
    battles = np.zeros(R, np.int64) - 1
    any_battle = False
    for f in range(s_land.f_attack.shape[0]):
        if s_land.f_active[f] and s_land.f_attack[f] >= 0:
            battles[s_land.f_attack[f]] = w.f_power[f]
            any_battle = True
    for g in range(s_air.a_base.shape[0]):
        p = w.a_power[g]
        base = s_air.a_base[g]
        c = s_control.controller[base]
        if c >= 0 and s_politics.at_war[p, c]:
            home = w.next_hop[base, w.p_capital[p]]
            if home >= 0:
                s_air.a_base[g] = home
            continue
        if not any_battle or s_air.a_mission[g] != codes.A_SUPPORT:
            continue
        best, best_d = -1, int(params[P.REBASE_HOPS]) + 1
        for r in range(R):
            if (
                battles[r] >= 0
                and _side(s_politics.at_war, battles[r], p) != 0
                and w.dist[base, r] < best_d
            ):
                best, best_d = r, w.dist[base, r]
        if best < 0 or best_d <= params[P.AIR_RANGE_HOPS] - 1:
            continue
        nxt = w.next_hop[base, best]
        if nxt >= 0:
            c = s_control.controller[nxt]
            if c == p or (
                c >= 0
                and not s_politics.at_war[p, c]
                and _side(s_politics.at_war, battles[best], c) != 0
            ):
                s_air.a_base[g] = nxt


@kernel
def air_day(w, s, h, ctx):
    """The day in the air (after orders and movement, before battle)."""
    params, run, seed, day = ctx.params, ctx.run, ctx.seed, ctx.day
    _rebase(w, s, params)
    air_over_battles(w, s, params, day)
    _campaigns(w, s, h, params, run, seed, day)
    _biological(w, s, h, params, run, seed, day)
