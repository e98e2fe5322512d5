"""Engagements in the engine: who attacks whom where, daily losses, advance, retreat, surrender.

Each region attacked today is one engagement between the attacking power's forces and the
defending forces of powers at war with it, resolved by the land-combat model of
:mod:`twinvipers.rules.combat` — the same functions scored on CDB90 by ``twinvipers battles``.
Combat power is weapons x situational factors (terrain, posture from the region's fortification,
weather, season, river) x effectiveness (quality and leader); the day's outcome, loss fractions
(each side's scaled by its national casualty factor, ``armies.casualty_multiplier``) and advance
come from ``combat.engagement_day``. Ground gained accumulates; once it passes the
region's depth, or a defender falls below its breakpoint, the defender retreats to a friendly
neighbour or, cut off, surrenders (prisoners are counted apart from killed and wounded); its
attackers keep the ground they won as progress of their march into the region.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from twinvipers.rules import air as AIR
from twinvipers.rules import codes, naval, rng
from twinvipers.rules import combat as C
from twinvipers.rules import params as P
from twinvipers.rules.armies import casualty_multiplier, command_cev, stand_fast, surrender_share
from twinvipers.rules.economy import fuel_factor
from twinvipers.rules.history import record, record_more
from twinvipers.rules.jit import fill1, inline, kernel
from twinvipers.rules.movement import edge_river, enemy_forces_in


class Battle(NamedTuple):
    """Engagements, one per region at most (its fields are valid while ``b_start`` >= 0)."""

    b_start: np.ndarray  # int64[R] day the engagement in a region began (-1: none)
    b_attacker: np.ndarray  # int64[R] attacking power
    b_defender: np.ndarray  # int64[R] defending power
    b_att_loss: np.ndarray  # float64[R] attacker's killed and wounded so far
    b_def_loss: np.ndarray  # float64[R] defender's killed and wounded so far
    b_def_caught: np.ndarray  # float64[R] defenders captured (overrun)
    b_att_men: np.ndarray  # float64[R] attacking men on the first day
    b_def_men: np.ndarray  # float64[R] defending men on the first day
    b_advance: np.ndarray  # float64[R] km the attacker has gained into the region
    f_setback: np.ndarray  # bool[F] pushed back or its attack stalled today (read by leaders)


def new_battle(w) -> Battle:
    """Allocate the record for world ``w`` (values are set by :func:`reset_battle`)."""
    R, F = len(w.r_owner), len(w.f_power)
    i64 = np.int64
    return Battle(
        np.zeros(R, i64), np.zeros(R, i64), np.zeros(R, i64), np.zeros(R), np.zeros(R),
        np.zeros(R), np.zeros(R), np.zeros(R), np.zeros(R), np.zeros(F, np.bool_),
    )  # fmt: skip


@kernel
def reset_battle(w, x):
    """No engagement."""
    fill1(x.b_start, -1)
    fill1(x.b_attacker, -1)
    fill1(x.b_defender, -1)
    fill1(x.b_att_loss, 0.0)
    fill1(x.b_def_loss, 0.0)
    fill1(x.b_def_caught, 0.0)
    fill1(x.b_att_men, 0.0)
    fill1(x.b_def_men, 0.0)
    fill1(x.b_advance, 0.0)
    fill1(x.f_setback, False)


# Weather state (world.climate order: dry, rain, mud, snow, cold, heat) → the QJM weather row
# of combat.py. Extreme heat has no QJM row: the light-wet row (attack x0.9) is the nearest
# penalty (an assumption).
WEATHER_TO_QJM = np.array(
    [C.DRY_SUNNY, C.WET_LIGHT, C.WET_HEAVY, C.SNOW, C.EXTREME_COLD, C.WET_LIGHT], np.int64
)
# Calendar month (1-12, index month - 1) → QJM season (northern hemisphere).
SEASON_OF_MONTH = np.array(
    [C.WINTER, C.WINTER, C.SPRING, C.SPRING, C.SPRING, C.SUMMER, C.SUMMER, C.SUMMER,
     C.AUTUMN, C.AUTUMN, C.AUTUMN, C.WINTER],
    np.int64,
)  # fmt: skip
# A defender behind fortifications of level 3+ is in fortified defence, behind 1-2 in prepared
# defence, otherwise in hasty defence (Dupuy's posture rows).
FORTIFIED_FROM = 3.0
PREPARED_FROM = 1.0
# Below this attacker:defender power ratio the attack is called off for the day.
MIN_ATTACK_RATIO = 0.4
# Dupuy's base daily rates that the parameters attacker_loss_rate/defender_loss_rate scale.
BASE_ATT_RATE = C.ATTACKER_BASE_RATE
BASE_DEF_RATE = C.DEFENDER_BASE_RATE


class Fight(NamedTuple):
    """One region's engagement today: who fights there, with how many, on what field."""

    r: int  # the region fought over
    attacker: int  # the attacking power
    defender: int  # the first defending power found (-1: nobody defends the region)
    a_men: float  # the attacking forces' men
    a_tanks: float
    d_men: float  # the defending forces' men (of every power at war with the attacker)
    d_tanks: float
    d_casmult: float  # the defenders' casualty multipliers, summed weighted by their men
    field: C.Field
    air: float  # the attacker's air superiority level (-1, 0, +1)


class Outcome(NamedTuple):
    """What one day of an engagement did (``combat.engagement_day``), before it is applied."""

    att_frac: float  # share of the attacking men lost
    def_frac: float  # share of the defending men lost, overrun included
    overrun: float  # share of the defending men overrun (0 unless the attack succeeded)
    km: float  # ground the attacker gained


@inline  # once per engaged force: a kernel call passing w and s costs microseconds
def _power_of(w, s, ctx, f, fight, attacking):
    """One force's combat power in ``fight`` (combat.combat_power).

    The force gets its part, by men, of its side's naval gunfire (artillery tubes; the attacker
    only) and close-support sorties, and fights at its side's air superiority level. A force
    that landed from the sea fights at ``landing_penalty`` (a parameter) for its first
    ``naval.ASSAULT_DAYS``.
    """
    s_land, s_supply, s_sea, s_air, s_econ = s.land, s.supply, s.sea, s.air, s.econ
    r = fight.r
    if attacking:
        share = s_land.f_men[f] / max(fight.a_men, 1.0)
        guns, sorties, air = s_sea.r_naval_arty[r], s_air.r_cas_att[r], fight.air
    else:
        share = s_land.f_men[f] / max(fight.d_men, 1.0)
        guns, sorties, air = 0.0, s_air.r_cas_def[r], -fight.air
    ld = s_land.f_leader[f]
    lead = 1.0 if ld < 0 else 1.0 + ctx.params[P.LEADER_EFFECT] * (w.l_skill[ld] - 3.0)
    lead *= command_cev(w.p_cev, w.p_cev_param, ctx.params, w.f_power[f])
    # Motorised units without fuel fight at part of their power (rules.economy).
    lead *= fuel_factor(
        s_econ.p_fuel, w.f_motorised[f], ctx.params[P.FUEL_COMBAT_LOSS], w.f_power[f]
    )
    arms = C.Arms(
        s_land.f_men[f], s_land.f_tanks[f], w.f_artillery[f] + share * guns, share * sorties,
        w.f_quality[f] * lead, C.SURPRISE_NONE, air, s_supply.f_supply[f], 0.0,
    )  # fmt: skip
    power = C.combat_power(arms, fight.field, attacking, C.factors_of(ctx.params))
    if s_sea.f_landed[f] >= 0 and ctx.day - s_sea.f_landed[f] < naval.ASSAULT_DAYS:
        power /= ctx.params[P.LANDING_PENALTY]
    return power


@inline  # once per engaged force: a kernel call passing w and s costs microseconds
def _inflict(land, f_power, params, f, loss):
    """Remove ``loss`` men from force f, booking killed and wounded."""
    loss = min(loss, land.f_men[f])
    land.f_men[f] -= loss
    p = f_power[f]
    land.killed[p] += loss * params[P.KILLED_SHARE]
    land.wounded[p] += loss * (1.0 - params[P.KILLED_SHARE])
    land.in_battle[p] += loss  # per power: a battle event books allies' losses to its leader
    return loss


@inline  # once per engaged force: a kernel call passing w and s costs microseconds
def _capture(land, f_power, f, men):
    """Take ``men`` of force ``f`` prisoner (counted apart from killed and wounded)."""
    men = min(max(men, 0.0), land.f_men[f])
    land.f_men[f] -= men
    land.captured[f_power[f]] += men
    return men


@inline
def _way_back(w, control, politics, land, p, r):
    """The safe friendly neighbour of ``r`` nearest ``p``'s capital, or -1 when cut off."""
    best, best_d = -1, 1 << 30
    cap = w.p_capital[p]
    for k in range(w.adj_start[r], w.adj_start[r + 1]):
        v = w.adj_to[k]
        c = control.controller[v]
        if c < 0 or politics.at_war[p, c]:
            continue
        d = w.dist[v, cap]
        if d < best_d and not enemy_forces_in(
            land.f_active, land.f_region, w.f_power, politics.at_war, p, v
        ):
            best, best_d = v, d
    return best


@kernel
def _retreat_or_surrender(w, land, battle, control, politics, params, f, r):
    """Move a broken defender to a safe friendly neighbour, or make it surrender.

    A cut-off force surrenders its power's ``surrender_share`` of its men; the rest fight on to
    the end and are booked as killed (armies.py).
    """
    p = w.f_power[f]
    battle.f_setback[f] = True  # a commander's failure (leaders.py)
    best = _way_back(w, control, politics, land, p, r)
    if best >= 0:
        land.f_region[f] = best
        land.f_progress[f] = 0.0
        land.f_men_start[f] = land.f_men[f]
    else:
        taken = land.f_men[f] * surrender_share(w.p_surrender, w.p_surrender_param, params, p)
        land.captured[p] += taken
        land.killed[p] += land.f_men[f] - taken
        land.f_men[f] = 0.0
        land.f_active[f] = False


@kernel
def resolve(w, s, h, ctx):
    """Fight every engagement of the day and close those that ended."""
    s_control, s_politics, s_land, s_battle = s.control, s.politics, s.land, s.battle
    targeted = _targeted(s)
    for r in range(s_control.controller.shape[0]):
        # A call passing the whole World and State costs about a microsecond (numba flattens
        # them into some 1,300 arguments): only regions under attack make it.
        attacker, river = _attack_on(w, s, r) if targeted[r] else (-1, 0)
        if s_battle.b_start[r] >= 0 and s_battle.b_attacker[r] != attacker:
            # No attack today, or the other side's counter-attack into ground just won: the
            # old engagement is over (its advance must not count for the new attacker).
            _close(w, s, h, ctx.run, r, attacker)
        if attacker < 0:
            continue
        fight = _muster(w, s, ctx, r, attacker, river)
        A, D = _powers(w, s, ctx, fight)
        if fight.defender < 0 or A / max(D, 1e-9) < MIN_ATTACK_RATIO:
            continue
        if s_battle.b_start[r] < 0:
            _begin(s_land, s_battle, ctx.day, fight)
        out = _engage(w, s, h, ctx, fight, A, D)
        _apply(w, s_land, s_battle, s_control, s_politics, ctx.params, fight, out)
        if not enemy_forces_in(
            s_land.f_active, s_land.f_region, w.f_power, s_politics.at_war, attacker, r
        ):
            _gain_ground(w.f_power, s_land, s_battle, ctx.params, r, attacker)


@inline
def _targeted(s):
    """Regions someone attacks today.

    Only these need the scan over all forces in ``_attack_on`` (the scan itself stays, since a
    force broken earlier in the day's loop no longer attacks).
    """
    s_control, s_land = s.control, s.land
    targeted = np.zeros(s_control.controller.shape[0], np.bool_)
    for f in range(s_land.f_region.shape[0]):
        if s_land.f_attack[f] >= 0:
            targeted[s_land.f_attack[f]] = True
    return targeted


@inline
def _attack_on(w, s, r):
    """The power attacking region ``r`` today (-1: none) and the widest river its forces cross.

    The attacker is the power of the first active force attacking ``r``.
    """
    s_land = s.land
    attacker = -1
    river = 0
    for f in range(s_land.f_region.shape[0]):
        if s_land.f_attack[f] == r and s_land.f_active[f]:
            if attacker < 0:
                attacker = w.f_power[f]
            if w.f_power[f] == attacker:
                river = max(
                    river, edge_river(w.adj_start, w.adj_to, w.adj_river, s_land.f_region[f], r)
                )
    return attacker, river


# The per-force tests below take the arrays they read, not ``w`` and ``s`` whole: they run for
# every force of every engagement, and a call passing the whole World and State costs about a
# microsecond (numba flattens them into some 1,300 arguments), which made ``resolve`` eight
# times slower when they did.


@kernel
def _attacking(f_attack, f_power, f, r, attacker):
    """True when force ``f`` attacks region ``r`` for ``attacker`` today."""
    return f_attack[f] == r and f_power[f] == attacker


@kernel
def _defending(f_region, f_power, at_war, f, r, attacker):
    """True when force ``f`` stands in region ``r`` for a power at war with ``attacker``."""
    return f_region[f] == r and at_war[attacker, f_power[f]]


@inline
def _muster(w, s, ctx, r, attacker, river):
    """The two sides of the engagement in region ``r`` and its field (a ``Fight``)."""
    s_control, s_politics, s_land, s_weather, s_air = (
        s.control,
        s.politics,
        s.land,
        s.weather,
        s.air,
    )
    season = SEASON_OF_MONTH[w.day_month[ctx.day] - 1]
    if s_weather.r_frozen[r]:
        river = 0  # the ice is no obstacle (DA Pam 20-290): no river bonus for the defender
    weather_day = WEATHER_TO_QJM[s_weather.r_weather[r]]
    posture = C.HASTY_DEFENCE
    if s_control.fort[r] >= FORTIFIED_FROM:
        posture = C.FORTIFIED_DEFENCE
    elif s_control.fort[r] >= PREPARED_FROM:
        posture = C.PREPARED_DEFENCE
    a_men = 0.0
    a_tanks = 0.0
    d_men = 0.0
    d_tanks = 0.0
    d_casmult = 0.0
    defender = -1
    for f in range(s_land.f_region.shape[0]):
        if not s_land.f_active[f]:
            continue
        if _attacking(s_land.f_attack, w.f_power, f, r, attacker):
            a_men += s_land.f_men[f]
            a_tanks += s_land.f_tanks[f]
        elif _defending(s_land.f_region, w.f_power, s_politics.at_war, f, r, attacker):
            d_men += s_land.f_men[f]
            d_tanks += s_land.f_tanks[f]
            d_casmult += s_land.f_men[f] * casualty_multiplier(
                w.p_casmult, w.p_casmult_param, ctx.params, w.f_power[f]
            )
            if defender < 0:
                defender = w.f_power[f]
    field = C.Field(
        posture, w.r_terrain[r], weather_day, season, river, s_control.fort[r],
        C.force_type(a_men, a_tanks),
    )  # fmt: skip
    air = AIR.air_superiority_level(s_air.r_air_sup[r])
    return Fight(r, attacker, defender, a_men, a_tanks, d_men, d_tanks, d_casmult, field, air)


@inline
def _powers(w, s, ctx, fight):
    """The attacking and the defending side's combat power, summed over their forces."""
    s_politics, s_land = s.politics, s.land
    A = 0.0
    D = 0.0
    for f in range(s_land.f_region.shape[0]):
        if not s_land.f_active[f]:
            continue
        if _attacking(s_land.f_attack, w.f_power, f, fight.r, fight.attacker):
            A += _power_of(w, s, ctx, f, fight, True)
        elif _defending(s_land.f_region, w.f_power, s_politics.at_war, f, fight.r, fight.attacker):
            D += _power_of(w, s, ctx, f, fight, False)
    return A, D


@inline
def _begin(land, battle, day, fight):
    """Open the engagement in ``fight.r`` on ``day``: its record and each side's starting men."""
    r = fight.r
    battle.b_start[r] = day
    battle.b_attacker[r] = fight.attacker
    battle.b_defender[r] = fight.defender
    battle.b_att_loss[r] = 0.0
    battle.b_def_loss[r] = 0.0
    battle.b_def_caught[r] = 0.0
    battle.b_att_men[r] = fight.a_men
    battle.b_def_men[r] = fight.d_men
    battle.b_advance[r] = 0.0
    for f in range(land.f_region.shape[0]):
        if land.f_active[f] and (land.f_attack[f] == r or land.f_region[f] == r):
            land.f_men_start[f] = land.f_men[f]


@inline
def _engage(w, s, h, ctx, fight, A, D):
    """One day of the engagement (combat.engagement_day), gas included: its ``Outcome``."""
    s_air = s.air
    u = rng.uniform(ctx.seed, ctx.day, fight.r, rng.P_COMBAT)
    # Each side's own national casualty factor (armies.casualty_multiplier) on the
    # scenario's loss-rate scales, as analysis.battles applies it in the CDB90 fit.
    a_casmult = casualty_multiplier(w.p_casmult, w.p_casmult_param, ctx.params, fight.attacker)
    d_casmult = fight.d_casmult / fight.d_men if fight.d_men > 0.0 else 1.0
    # The defender's multiplier scales its overrun share too (combat.overrun_share).
    d_casmult *= ctx.params[P.DEF_LOSS] / BASE_DEF_RATE
    att = C.Side(
        A, fight.a_men, fight.a_tanks, C.SURPRISE_NONE,
        ctx.params[P.ATT_LOSS] / BASE_ATT_RATE * a_casmult,
    )  # fmt: skip
    dfn = C.Side(D, fight.d_men, fight.d_tanks, C.SURPRISE_NONE, d_casmult)
    att_frac, def_frac, km, won = C.engagement_day(att, dfn, fight.field, fight.air, u)
    overrun = C.overrun_share(fight.field.posture, C.OVERRUN_SHARE, d_casmult) if won else 0.0
    if s_air.chem[fight.attacker, fight.defender] or s_air.chem[fight.defender, fight.attacker]:
        km *= _special_weapons(w, s, h, ctx, fight)  # a call passing w and s: only when used
    return Outcome(att_frac, def_frac, overrun, km)


@inline
def _apply(w, land, battle, control, politics, params, fight, out):
    """Book a day's ``Outcome``: the ground won, each force's losses, broken defenders' retreat.

    Takes the records it writes, not ``s``: an inlined function writing through the whole
    State pays a reference count on each of its arrays (engine.md).
    """
    r = fight.r
    battle.b_advance[r] += out.km
    dislodged = battle.b_advance[r] >= params[P.REGION_DEPTH]
    for f in range(land.f_region.shape[0]):
        if not land.f_active[f]:
            continue
        if _attacking(land.f_attack, w.f_power, f, r, fight.attacker):
            battle.b_att_loss[r] += _inflict(
                land, w.f_power, params, f, land.f_men[f] * out.att_frac
            )
        elif _defending(land.f_region, w.f_power, politics.at_war, f, r, fight.attacker):
            _defender_loss(w, land, battle, control, politics, params, f, r, out)
            broken = land.f_men[f] < params[P.BREAKPOINT] * land.f_men_start[f]
            if dislodged or broken or land.f_men[f] < 100.0:
                _retreat_or_surrender(w, land, battle, control, politics, params, f, r)


@inline
def _defender_loss(w, land, battle, control, politics, params, f, r, out):
    """Book defending force ``f``'s share of the day's loss: men captured, killed and wounded.

    The overrun share of a beaten standing defender is men captured (CDB90's casualties, on
    which it is fitted, count prisoners too); the rest of the day's loss is killed and wounded.
    Of the overrun men only the power's surrender share give themselves up; of the others its
    stand-fast share fall where they stand (the Japanese army) and the rest fall back with their
    unit while it has a way back (Finnish positions lost on the Isthmus cost ~1,000 prisoners in
    the whole war: Trotter 1991), or, cut off, fight on until they fall.
    """
    p = w.f_power[f]
    overrun_men = land.f_men[f] * min(out.overrun, out.def_frac)
    hit = land.f_men[f] * out.def_frac - overrun_men
    caught = overrun_men * surrender_share(w.p_surrender, w.p_surrender_param, params, p)
    rest = overrun_men - caught
    if rest > 0.0:  # the way back is looked for only when someone may take it
        stay = 1.0
        if _way_back(w, control, politics, land, p, r) >= 0:
            stay = stand_fast(w.p_stand, w.p_stand_param, params, p)
        hit += rest * stay
    battle.b_def_caught[r] += _capture(land, w.f_power, f, caught)
    battle.b_def_loss[r] += _inflict(land, w.f_power, params, f, hit)


@inline
def _gain_ground(f_power, land, battle, params, r, attacker):
    """The attackers of a region its defenders left keep the ground they won.

    Ground won counts as march progress against a region crossing (parameter ``region_km``, centre
    to centre). An attack starts from the attacker's own region, so it fought its way through the defended
    zone beyond the border, half a crossing out: its march into the region goes on from there
    instead of from the start (which let a beaten defender's neighbours walk back in first).
    """
    done = min(1.0, 0.5 + battle.b_advance[r] / params[P.REGION_KM])
    for f in range(land.f_region.shape[0]):
        if land.f_active[f] and land.f_attack[f] == r and f_power[f] == attacker:
            land.f_progress[f] = max(land.f_progress[f], done)


@kernel
def _engaged(land, f_power, f, p, r, attacking):
    """True when force ``f`` of power ``p`` fights in region ``r``'s engagement on that side.

    Rare (chemical attacks only), so it takes the land record whole.
    """
    if not land.f_active[f] or f_power[f] != p:
        return False
    return land.f_attack[f] == r if attacking else land.f_region[f] == r


@kernel
def _special_weapons(w, s, h, ctx, fight):
    """Chemical attacks in an engagement by a side authorised to use them against the other.

    The gas falls on the other side's men (``air.chemical_attack``): casualties, and when the
    defender uses it the attacker's advance slows; the victim's will rises. Returns the factor
    on today's advance. Recorded once per engagement, on its first day.
    """
    s_politics, s_land, s_battle, s_air = s.politics, s.land, s.battle, s.air
    params, run, seed, day = ctx.params, ctx.run, ctx.seed, ctx.day
    r, attacker, defender = fight.r, fight.attacker, fight.defender
    factor = 1.0
    for k in range(2):
        user = attacker if k == 0 else defender
        victim = defender if k == 0 else attacker
        if not s_air.chem[user, victim]:
            continue
        men = 0.0
        for f in range(s_land.f_region.shape[0]):
            if _engaged(s_land, w.f_power, f, victim, r, k == 1):
                men += s_land.f_men[f]
        u = rng.uniform(seed, day, r, rng.P_SPECIAL)
        cas, slow, will = AIR.chemical_attack(
            params[P.CHEM_TONS], men, params[P.CHEM_PROTECTION], u, AIR.chem_of(params)
        )
        for f in range(s_land.f_region.shape[0]):
            if men > 0.0 and _engaged(s_land, w.f_power, f, victim, r, k == 1):
                loss = _inflict(s_land, w.f_power, params, f, cas * s_land.f_men[f] / men)
                if k == 0:
                    s_battle.b_def_loss[r] += loss
                else:
                    s_battle.b_att_loss[r] += loss
        if k == 1:
            factor *= slow
        s_politics.will[victim] += will
        if s_battle.b_start[r] == day:
            record(h, run, day, codes.K_SPECIAL, user, victim, r, 0, cas, 0.0, 0.0)
    return factor


@kernel
def _close(w, s, h, run, r, attacker):
    """Record a finished engagement as a ``battle`` event dated to its first day."""
    s_politics, s_land, s_battle = s.politics, s.land, s.battle
    held = enemy_forces_in(
        s_land.f_active, s_land.f_region, w.f_power, s_politics.at_war, s_battle.b_attacker[r], r
    )
    won = 0.0 if held else 1.0
    record(
        h,
        run,
        s_battle.b_start[r],
        codes.K_BATTLE,
        s_battle.b_attacker[r],
        s_battle.b_defender[r],
        r,
        int(s_battle.b_def_caught[r] + 0.5),  # prisoners, apart from the killed and wounded
        won,
        s_battle.b_att_loss[r],
        s_battle.b_def_loss[r],
    )
    # Each side's strength: the men engaged on the first day (its losses are out of these).
    record_more(h, s_battle.b_att_men[r], s_battle.b_def_men[r])
    s_battle.b_start[r] = -1


@kernel
def close_all(w, s, h, run):
    """Record the engagements still open when the run ends."""
    s_control, s_battle = s.control, s.battle
    for r in range(s_control.controller.shape[0]):
        if s_battle.b_start[r] >= 0:
            _close(w, s, h, run, r, -1)
