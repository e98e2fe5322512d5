"""Land combat after Dupuy's QJM/TNDM: combat power, one day's engagement, a battle's expectation.

Sources (cited per constant below):
  [NPW]  T. N. Dupuy, *Numbers, Predictions and War* (1979; rev. 1985) — the QJM tables.
  [UW]   T. N. Dupuy, *Understanding War* (1987) — verities, CEV estimates.
  [ATT]  T. N. Dupuy, *Attrition: Forecasting Battle Casualties and Equipment Losses* (1990).
  [GfW]  T. N. Dupuy, *A Genius for War* (1977) — German CEV vs Allied and Soviet forces.
  [EWW]  T. N. Dupuy, *The Evolution of Weapons and Warfare* (1980) — dispersion by era.
  [EV]   T. N. Dupuy, *Elusive Victory* (1978) — Israeli CEV 1967/1973.
  The figures as tabulated in the project's notes (shared/history/combat-factors.md).

Everything here is ``@njit(cache=True)`` on plain floats and ints so the engine can call it inside
its compiled day loop, and ``analysis.battles`` calls the very same functions to score CDB90.
Randomness comes in as a uniform ``u`` drawn by the engine (counter-based); nothing here draws.

Engine entry points: ``combat_power`` for each side, then ``engagement_day`` once a day with the
engine's uniform (``Field.force_type`` picks the advance-table column; ``battle_expectation`` is
the deterministic multi-day expectation used for validation). They take small bundles: ``Arms``
(what one side brings to ``combat_power``), ``Side`` (one side of an engagement), ``Field`` (where
and how it is fought) and ``Fit`` (the FITTED constants; ``FIT`` holds the engine's). A caller
compiled with ``cache=True`` keeps its own copy of these functions: after editing this file, clear
that caller's cache.

Constants marked FITTED are the only ones tuned on data: by ``analysis.battles`` on CDB90 battles
*outside* World War II (the WWII battles are the held-out test); their values here are that fit.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from twinvipers.rules import params as P

# --- codes -----------------------------------------------------------------------------------
# Terrain: index in list(twinvipers.scenario.schema.Terrain).
PLAINS, STEPPE, DESERT, FOREST, TAIGA, TUNDRA, HILLS, MOUNTAINS, MARSH, JUNGLE, URBAN = range(11)
N_TERRAIN = 11

# Posture of a side in an engagement ([NPW] posture rows; ATTACK is the attacker's own).
ATTACK, HASTY_DEFENCE, PREPARED_DEFENCE, FORTIFIED_DEFENCE, DELAY, WITHDRAWAL = range(6)

# Weather ([NPW] weather rows; SNOW is our interpolation, see WEATHER_* below).
DRY_SUNNY, DRY_OVERCAST, WET_LIGHT, WET_HEAVY, SNOW, EXTREME_COLD = range(6)

# Season (temperate).
SPRING, SUMMER, AUTUMN, WINTER = range(4)

# River class crossed by the attacker: index in list(schema.River).
RIVER_NONE, RIVER_MINOR, RIVER_MAJOR = range(3)

# Surprise achieved by a side.
SURPRISE_NONE, SURPRISE_MINOR, SURPRISE_SUBSTANTIAL, SURPRISE_COMPLETE = range(4)

# --- terrain [NPW] ---------------------------------------------------------------------------
# QJM rows mapped to the map's terrain classes (the map has no "rolling bare" etc.):
#   plains = flat mixed; steppe = rolling bare; desert = flat bare/hard; forest and taiga =
#   rolling heavily wooded; tundra = flat mixed; hills = rolling mixed; mountains = rugged mixed;
#   marsh and jungle = swamp/jungled; urban = urban.
# Columns: mobility r_m, defence r_u, tank effect r_wt, casualties r_c.
TERRAIN_MOBILITY = np.array([0.9, 1.0, 1.05, 0.6, 0.6, 0.9, 0.8, 0.5, 0.3, 0.3, 0.7])
TERRAIN_DEFENCE = np.array([1.2, 1.2, 1.05, 1.35, 1.35, 1.2, 1.3, 1.55, 1.4, 1.4, 1.4])
TERRAIN_TANK = np.array([0.9, 1.0, 1.0, 0.6, 0.6, 0.9, 0.8, 0.4, 0.2, 0.2, 0.7])
TERRAIN_CASUALTY = np.array([0.8, 0.8, 1.0, 0.6, 0.6, 0.8, 0.7, 0.4, 0.3, 0.3, 0.5])

# --- posture [NPW] ---------------------------------------------------------------------------
# Defensive strength multiplier u_s and vulnerability (scales the side's own casualty rate).
POSTURE_STRENGTH = np.array([1.0, 1.3, 1.5, 1.6, 1.2, 1.15])
POSTURE_VULNERABILITY = np.array([1.0, 0.7, 0.6, 0.5, 0.65, 0.85])
# Dupuy's defender base rate is for a defender in position; we take "prepared" as that reference
# so a hasty defence bleeds a little more and a fortified one less.
VULNERABILITY_REFERENCE = 0.6

# --- weather and season [NPW] ----------------------------------------------------------------
# Rows: dry sunny, dry overcast, light rain, heavy rain, snow, heavy wet + extreme cold.
# SNOW is not a QJM row as tabulated here: taken halfway between light and heavy rain (assumption).
WEATHER_MOBILITY = np.array([1.0, 1.0, 0.8, 0.6, 0.7, 0.5])
WEATHER_ATTACK = np.array([1.0, 1.0, 0.9, 0.7, 0.8, 0.6])
WEATHER_AIR = np.array([1.0, 0.7, 0.5, 0.2, 0.35, 0.2])
WEATHER_CASUALTY = np.array([1.0, 1.0, 0.7, 0.5, 0.6, 0.3])
# Attacker's season factor (temperate): 1.1 spring to autumn, 1.0 winter.
SEASON_ATTACK = np.array([1.1, 1.1, 1.1, 1.0])

# --- rivers [NPW] ----------------------------------------------------------------------------
# Defence multiplier behind a water obstacle (QJM river-obstacle factor, fordable/minor vs
# unfordable/major) and the attacker's advance factor (0.7 for an unfordable 100 m river).
RIVER_DEFENCE = np.array([1.0, 1.2, 1.5])
RIVER_ADVANCE = np.array([1.0, 0.85, 0.7])

# --- fortification ---------------------------------------------------------------------------
# Fort level 0..5 (schema.Region.fort). [NPW] fortified defence is u_s 1.6 against 1.5 prepared;
# permanent works beyond field fortification are worth more per level: ``Factors.fort_per_level``.

# --- surprise [NPW] --------------------------------------------------------------------------
# Complete surprise multiplies the surpriser's mobility by 5; mobility enters combat power under a
# square root (M = sqrt(...) x surprise), hence sqrt(5). Minor and substantial are interpolated
# (mobility x1.5 and x3: assumption). The surprised side's vulnerability x3 at complete surprise.
SURPRISE_POWER = np.array([1.0, math.sqrt(1.5), math.sqrt(3.0), math.sqrt(5.0)])
SURPRISE_VULNERABILITY = np.array([1.0, 1.5, 2.0, 3.0])

# --- air superiority -------------------------------------------------------------------------
# About +-10% on mobility, artillery and air strength [NPW].
AIR_SUPERIORITY_EFFECT = 0.10

# --- weapon strength (man-equivalents) -------------------------------------------------------
# S = sum of OLIs. We count in man-equivalents: one man with his share of small arms, MGs and
# mortars = 1. The weights follow [NPW]'s WWII division worked examples, where infantry weapons,
# artillery and armour each carry the same order of the division's total OLI: a 1944 US infantry
# division (~14,000 men, ~66 tubes, ~50 attached tanks, a few dozen CAS sorties a day) then has
# roughly equal thirds. They are approximations of Dupuy's OLI proportions, not fitted.
OLI_MAN = 1.0
OLI_TANK = 250.0
OLI_ARTILLERY = 200.0
OLI_SORTIE = 50.0  # per close-air-support sortie flown per day

# --- fortification, supply and fatigue: assumptions (Dupuy has no single table) ---------------


class Factors(NamedTuple):
    """``combat_power``'s assumed factors, each an engine parameter (``rules/params.py``)."""

    fort_per_level: float  # defence per fortification level beyond posture
    supply_floor: float  # share of its power a force wholly out of supply keeps
    fatigue_max_loss: float  # share of its power an exhausted force (fatigue 1.0) loses


_FACTOR_PARAMS = (P.FORT_PER_LEVEL, P.SUPPLY_FLOOR, P.FATIGUE_MAX_LOSS)
FACTORS = Factors(*(P.PARAMS[i].default for i in _FACTOR_PARAMS))
"""The factors at the parameters' defaults (the CDB90 fit and callers without a run)."""


@njit(cache=True)
def factors_of(params):
    """The combat factors of a run's parameter vector."""
    return Factors(params[P.FORT_PER_LEVEL], params[P.SUPPLY_FLOOR], params[P.FATIGUE_MAX_LOSS])


# --- attrition [NPW]/[ATT] -------------------------------------------------------------------
ATTACKER_BASE_RATE = 0.028  # per day, division-size attacker
DEFENDER_BASE_RATE = 0.015  # per day, division-size defender
ATTACKER_DAILY_CAP = 0.1344  # QJM caps, applied before the size factor
DEFENDER_DAILY_CAP = 0.0576
# [ATT]/[UW] verity: smaller forces lose larger fractions. From ~2.8%/day for a division
# (15,000) to ~1%/day for an army (~150,000) gives rate ~ (15000/N)^0.45.
SIZE_REFERENCE = 15000.0
SIZE_EXPONENT = 0.45
SIZE_FACTOR_MIN = 0.2
SIZE_FACTOR_MAX = 8.0
# [NPW] Russian and Japanese casualty rates x2 for 1900-45 (a side's own losses).
NATIONAL_CASUALTY_MULTIPLIER_RUSSIA_JAPAN = 2.0

# --- advance rates [NPW] (km/day vs hasty / prepared / fortified; armour, mech, infantry) -----
ADVANCE_RATIO = np.array([1.0, 1.46, 2.26, 3.01, 6.0])
ADVANCE_KM = np.array(
    [
        # hasty: armour, mech, infantry
        [
            [4.0, 4.0, 4.0],
            [9.0, 7.5, 6.5],
            [16.0, 13.0, 10.0],
            [20.0, 16.0, 12.0],
            [60.0, 48.0, 24.0],
        ],
        # prepared
        [[2.0, 2.0, 2.0], [4.0, 3.5, 3.0], [8.0, 7.0, 5.0], [10.0, 8.0, 6.0], [30.0, 24.0, 12.0]],
        # fortified
        [[1.0, 1.0, 1.0], [2.0, 2.0, 1.75], [4.0, 3.0, 2.5], [5.0, 4.0, 3.0], [30.0, 24.0, 12.0]],
    ]
)
ARMOUR, MECHANISED, INFANTRY = range(3)
# Weight of a tank per man in a side's armour density (1 + weight x tanks/men): one tank per
# 1,000 men doubles it. Assumption; of 100, 300, 1,000, 3,000 and 10,000, 1,000 gave the lowest
# out-of-fold defender casualty error on the non-WWII CDB90 battles (analysis.battles).
ARMOUR_DENSITY_WEIGHT = 1000.0
# Tanks per 1,000 men above which a force counts as armoured / mechanised for the advance table
# (a 1944 US armoured division ~24, an infantry division with an attached tank battalion ~4).
ARMOUR_TANKS_PER_1000 = 15.0
MECHANISED_TANKS_PER_1000 = 6.0

# --- FITTED: by analysis.battles on the 465 CDB90 battles outside WWII (the WWII fold's fit) ---
# The defender's base scale comes out ~0.8 now that the overrun share carries the beaten
# defender's extra loss and scales with era and nation like the daily rates (it was ~3.6 without
# an overrun share, the rate standing in for the prisoners; ~1.6 with an era-free one).
# p(attacker succeeds) = logistic(WIN_BIAS + WIN_SLOPE * ln(P_att / P_def)). Dupuy: the attacker
# succeeds when P/P > 1; the slope says how sharp that is, the bias the attacker's edge of choosing
# time and place.
WIN_BIAS = 0.242
WIN_SLOPE = 0.356
# Log-odds added to WIN_BIAS (``attack_bias``). A planned manoeuvre: Dupuy's verity that a flank or
# rear attack is likelier to succeed than a frontal one ([UW]); counted when the attacker's primary
# scheme is anything but a frontal attack (envelopment, flank, rear, river crossing, ...), so
# WIN_BIAS is the frontal attack's bias. Theatre air superiority: [NPW] counts it among the
# situational factors; its +-10% on the weapons is in ``combat_power``, this is its weight on the
# outcome beyond them, per unit of air_superiority (+1 the attacker holds it, -1 the defender).
MANOEUVRE_LOG_ODDS = 1.119
AIR_LOG_ODDS = 0.752
# Casualty scales on the Dupuy base rates, and the defender's extra loss (prisoners, stragglers,
# overrun positions) on a day the attack succeeds, per km the attacker advances (TNDM's advance-rate
# modifier on defender casualties: a defender pushed back fast loses more).
CAS_SCALE_ATTACKER = 1.464
CAS_SCALE_DEFENDER = 0.811
DEFENDER_LOSS_PER_KM = 0.027  # small in every fold (0.006-0.056)
# Opposition: a side's loss rate grows with the enemy's power ratio over it (QJM opposition
# factor, a smooth power-law stand-in for its table).
OPPOSITION_EXPONENT = 0.270
# Casualty rates by era scale as (dispersion_WWII / dispersion_era)^ERA_EXPONENT ([EWW]).
ERA_EXPONENT = 0.327
# Armour: the defender's loss rate x (armour density ratio)^ARMOUR_EXPONENT, where a side's armour
# density is 1 + ARMOUR_DENSITY_WEIGHT x tanks per man. The form follows the QJM mobility factor
# ([NPW]: M = sqrt of the ratio of the two sides' (men + vehicles) per man, so a power of a
# per-man ratio), read as armour's shock on the side that has less of it; the exponent is fitted.
ARMOUR_EXPONENT = 0.463
# Overrun: on a day the attack succeeds, a defender standing in its position (hasty, prepared or
# fortified defence) loses this share of its men overrun or captured; a delaying or withdrawing
# defender trades ground instead. CDB90 casualties include prisoners, and [UW]'s verities have the
# defender losing at a higher rate than the attacker when the attack succeeds. The share is a WWII
# defender's: like the daily rates it is scaled by the defender's casualty multiplier (national,
# and in CDB90 the era's dispersion, [EWW]), since a line held in depth loses fewer of its men to
# one day's breach than a close-packed one (a Napoleonic line ~5x a WWII one's share at
# ERA_EXPONENT). An era-free share was fit to the close-packed lines of older battles and
# overstated WWII defenders' losses by ~45% (analysis.battles).
OVERRUN_SHARE = 0.036

# [EWW] dispersion (area per man, antiquity = 1) by era, anchored at representative years.
ERA_YEARS = np.array([1650.0, 1805.0, 1863.0, 1916.0, 1943.0, 1973.0])
ERA_DISPERSION = np.array([5.0, 20.0, 25.0, 250.0, 3000.0, 4000.0])
WWII_DISPERSION = 3000.0


class Arms(NamedTuple):
    """What one side brings to ``combat_power``."""

    men: float  # men engaged
    tanks: float  # tanks engaged
    artillery: float  # artillery tubes engaged
    sorties: float  # close-air-support sorties flown per day
    quality: float  # combat effectiveness value (CEV), 1.0 = reference
    surprise: int  # SURPRISE_* level this side achieved
    air_superiority: float  # +1 this side holds theatre air superiority, -1 the enemy does
    supply: float  # share of supply needs met, 0..1
    fatigue: float  # 0 fresh .. 1 exhausted


class Field(NamedTuple):
    """Where and how an engagement is fought: the same for both sides."""

    posture: int  # the defender's posture (HASTY_DEFENCE .. WITHDRAWAL)
    terrain: int  # terrain code of the battlefield
    weather: int  # weather code
    season: int  # season code
    river: int  # river class the attacker must cross
    fort: float  # the defender's fortification level 0..5
    force_type: int  # the attacker's ARMOUR, MECHANISED or INFANTRY (advance-table column)


class Side(NamedTuple):
    """One side of an engagement."""

    power: float  # combat power (``combat_power``)
    men: float
    tanks: float
    surprise: int  # SURPRISE_* level this side achieved
    casmult: float  # multiplier on its own loss rates (national, era, scenario scale)


class Fit(NamedTuple):
    """The FITTED constants of the outcome and loss model (``FIT`` holds the engine's)."""

    win_bias: float  # WIN_BIAS, or an attack's ``attack_bias``
    win_slope: float  # WIN_SLOPE
    cas_scale_att: float  # CAS_SCALE_ATTACKER
    cas_scale_def: float  # CAS_SCALE_DEFENDER
    loss_per_km: float  # DEFENDER_LOSS_PER_KM
    opposition_exponent: float  # OPPOSITION_EXPONENT
    armour_exponent: float  # ARMOUR_EXPONENT
    overrun: float  # OVERRUN_SHARE


FIT = Fit(
    WIN_BIAS,
    WIN_SLOPE,
    CAS_SCALE_ATTACKER,
    CAS_SCALE_DEFENDER,
    DEFENDER_LOSS_PER_KM,
    OPPOSITION_EXPONENT,
    ARMOUR_EXPONENT,
    OVERRUN_SHARE,
)


@njit(cache=True)
def _clip(x, lo, hi):
    return min(max(x, lo), hi)


@njit(cache=True)
def combat_power(arms, field, attacking, factors=FACTORS):
    """Combat power P = S x V x CEV of one side ([NPW]).

    Args:
        arms: the side's ``Arms``.
        field: the engagement's ``Field``; its river and fort count for the defender only.
        attacking: True for the attacker (posture ATTACK), False for the defender (its posture
            is ``field.posture``).
        factors: fortification, supply and fatigue (:class:`Factors`; the run's,
            :func:`factors_of`).

    Returns:
        Combat power in man-equivalents.
    """
    air = 1.0 + AIR_SUPERIORITY_EFFECT * _clip(arms.air_superiority, -1.0, 1.0)
    # Terrain hinders armour that must manoeuvre; a defender's tanks fight from positions.
    tank_terrain = TERRAIN_TANK[field.terrain] if attacking else 1.0
    s = (
        OLI_MAN * max(arms.men, 0.0)
        + OLI_TANK * max(arms.tanks, 0.0) * tank_terrain
        + OLI_ARTILLERY * max(arms.artillery, 0.0) * air
        + OLI_SORTIE * max(arms.sorties, 0.0) * WEATHER_AIR[field.weather] * air
    )
    v = SURPRISE_POWER[arms.surprise]
    if attacking:
        v *= WEATHER_ATTACK[field.weather] * SEASON_ATTACK[field.season]
    else:
        v *= (
            POSTURE_STRENGTH[field.posture]
            * TERRAIN_DEFENCE[field.terrain]
            * RIVER_DEFENCE[field.river]
        )
        v *= 1.0 + factors.fort_per_level * _clip(field.fort, 0.0, 5.0)
    floor = factors.supply_floor
    v *= floor + (1.0 - floor) * _clip(arms.supply, 0.0, 1.0)
    v *= 1.0 - factors.fatigue_max_loss * _clip(arms.fatigue, 0.0, 1.0)
    return s * v * max(arms.quality, 0.0)


@njit(cache=True)
def win_probability(power_att, power_def, win_bias, win_slope):
    """Probability the attack succeeds, from the power ratio (Dupuy: success when P/P > 1)."""
    ratio = max(power_att, 1e-9) / max(power_def, 1e-9)
    z = win_bias + win_slope * math.log(ratio)
    return 1.0 / (1.0 + math.exp(-_clip(z, -40.0, 40.0)))


@njit(cache=True)
def attack_bias(manoeuvre, air_superiority, win_bias, manoeuvre_log_odds, air_log_odds):
    """The win probability's bias for one attack: ``win_bias`` is a frontal attack's.

    ``manoeuvre`` is 1.0 for a planned flank, rear or other non-frontal attack, 0.0 for a frontal
    one; ``air_superiority`` as in ``combat_power`` (the attacker's side). The engine's constants
    are WIN_BIAS, MANOEUVRE_LOG_ODDS and AIR_LOG_ODDS.
    """
    return (
        win_bias
        + manoeuvre_log_odds * _clip(manoeuvre, 0.0, 1.0)
        + air_log_odds * _clip(air_superiority, -1.0, 1.0)
    )


@njit(cache=True)
def size_factor(men):
    """Casualty-rate factor for force size ([ATT]: smaller forces lose larger fractions)."""
    return _clip(
        (SIZE_REFERENCE / max(men, 1.0)) ** SIZE_EXPONENT, SIZE_FACTOR_MIN, SIZE_FACTOR_MAX
    )


@njit(cache=True)
def era_casualty_factor(year, era_exponent):
    """Casualty-rate factor for a battle's era relative to WWII ([EWW] dispersion)."""
    d = math.exp(np.interp(year, ERA_YEARS, np.log(ERA_DISPERSION)))
    return (WWII_DISPERSION / d) ** era_exponent


@njit(cache=True)
def daily_rates(att, dfn, field, fit):
    """Attacker and defender loss fractions for one day, before the outcome's rout factor.

    ``att`` and ``dfn`` are the two ``Side``s (``casmult`` carries side-specific multipliers:
    national, era); ``fit`` gives the casualty scales and the opposition exponent.
    """
    ratio = max(att.power, 1e-9) / max(dfn.power, 1e-9)
    env = TERRAIN_CASUALTY[field.terrain] * WEATHER_CASUALTY[field.weather]
    ra = min(ATTACKER_BASE_RATE * ratio ** (-fit.opposition_exponent), ATTACKER_DAILY_CAP)
    ra *= size_factor(att.men) * env * SURPRISE_VULNERABILITY[dfn.surprise]
    rd = min(DEFENDER_BASE_RATE * ratio**fit.opposition_exponent, DEFENDER_DAILY_CAP)
    rd *= size_factor(dfn.men) * env * SURPRISE_VULNERABILITY[att.surprise]
    rd *= POSTURE_VULNERABILITY[field.posture] / VULNERABILITY_REFERENCE
    return ra * att.casmult * fit.cas_scale_att, rd * dfn.casmult * fit.cas_scale_def


@njit(cache=True)
def advance_rate(power_att, power_def, field):
    """Attacker's advance in km/day after a successful day ([NPW] advance table).

    ``field.force_type`` picks the column. Delay and withdrawal count as hasty defence (the
    defender gives ground); the table is interpolated in log power ratio.
    """
    ratio = max(power_att, 1e-9) / max(power_def, 1e-9)
    row = 0
    if field.posture == PREPARED_DEFENCE:
        row = 1
    elif field.posture == FORTIFIED_DEFENCE:
        row = 2
    lr = math.log(_clip(ratio, 1.0, 6.0))
    km = np.interp(lr, np.log(ADVANCE_RATIO), ADVANCE_KM[row, :, field.force_type])
    if ratio < 1.0:
        km *= ratio  # a weaker attacker that still succeeds only gnaws forward
    return (
        km
        * TERRAIN_MOBILITY[field.terrain]
        * WEATHER_MOBILITY[field.weather]
        * RIVER_ADVANCE[field.river]
    )


@njit(cache=True)
def force_type(men, tanks):
    """ARMOUR, MECHANISED or INFANTRY by tanks per 1,000 men."""
    per = 1000.0 * tanks / max(men, 1.0)
    if per >= ARMOUR_TANKS_PER_1000:
        return ARMOUR
    if per >= MECHANISED_TANKS_PER_1000:
        return MECHANISED
    return INFANTRY


@njit(cache=True)
def armour_factor(men_att, tanks_att, men_def, tanks_def, armour_exponent):
    """Multiplier on the defender's loss rate from the two sides' armour densities.

    Density is 1 + ARMOUR_DENSITY_WEIGHT x tanks per man; the factor is the attacker's density over
    the defender's, to ``armour_exponent`` (ARMOUR_EXPONENT in the engine).
    """
    da = 1.0 + ARMOUR_DENSITY_WEIGHT * max(tanks_att, 0.0) / max(men_att, 1.0)
    dd = 1.0 + ARMOUR_DENSITY_WEIGHT * max(tanks_def, 0.0) / max(men_def, 1.0)
    return (da / dd) ** armour_exponent


@njit(cache=True)
def overrun_share(posture_def, share, casmult_def):
    """Share of a standing defender's men overrun or captured on a day the attack succeeds.

    ``share`` is OVERRUN_SHARE in the engine, for a WWII defender; ``casmult_def`` is the
    defender's casualty multiplier (national and era), the one on its daily rates. Zero for delay
    and withdrawal, whose defender gives ground instead of holding it.
    """
    if posture_def in (DELAY, WITHDRAWAL):
        return 0.0
    return share * casmult_def


@njit(cache=True)
def engagement_day(att, dfn, field, air_superiority, u):
    """Resolve one day of an engagement with the engine's uniform ``u`` in [0, 1).

    ``att`` and ``dfn`` are the two ``Side``s; the constants are the engine's ``FIT``.
    ``air_superiority`` is the attacker's (-1, 0, +1 as in ``Arms``); the engine's attacks count
    as frontal (no planned manoeuvre) in ``attack_bias``.

    The defender's loss includes, on a day the attack succeeds, the men of a standing defender
    overrun or captured (``overrun_share``, scaled by ``dfn.casmult``); the engine may count that
    part as prisoners.

    Returns:
        (attacker loss fraction, defender loss fraction, advance km, attacker succeeded).
    """
    bias = attack_bias(0.0, air_superiority, FIT.win_bias, MANOEUVRE_LOG_ODDS, AIR_LOG_ODDS)
    p = win_probability(att.power, dfn.power, bias, FIT.win_slope)
    success = u < p
    fa, fd = daily_rates(att, dfn, field, FIT)
    fd *= armour_factor(att.men, att.tanks, dfn.men, dfn.tanks, FIT.armour_exponent)
    km = 0.0
    if success:
        km = advance_rate(att.power, dfn.power, field)
        fd *= 1.0 + FIT.loss_per_km * km
        fd += overrun_share(field.posture, FIT.overrun, dfn.casmult)
    return _clip(fa, 0.0, 1.0), _clip(fd, 0.0, 1.0), km, success


@njit(cache=True)
def battle_expectation(att, dfn, field, days, fit):
    """Expected outcome of a battle of ``days`` days, by stepping the daily rates.

    Each day uses the expected defender loss of a success (1 + p x loss_per_km x km on the rate,
    plus p x the overrun share x ``dfn.casmult``) in place of the drawn outcome, both sides'
    power shrinks with their losses (tanks pro rata with men), surprise wears off one level a
    day, and a fractional last day counts pro rata. ``att`` and ``dfn`` are the two ``Side``s at
    the start, ``fit`` the constants (``FIT`` in the engine, with an attack's ``attack_bias``).

    Returns:
        (p attacker wins, attacker casualties, defender casualties) — casualties in men.
    """
    p0 = win_probability(att.power, dfn.power, fit.win_bias, fit.win_slope)
    left_a = 1.0
    left_d = 1.0
    remaining = max(days, 0.0)
    day = 0
    while remaining > 1e-9:
        dt = min(remaining, 1.0)
        sa = max(att.surprise - day, 0)
        sd = max(dfn.surprise - day, 0)
        # Surprise multiplies the surpriser's power only while it lasts.
        pa = att.power * left_a * SURPRISE_POWER[sa] / SURPRISE_POWER[att.surprise]
        pd = dfn.power * left_d * SURPRISE_POWER[sd] / SURPRISE_POWER[dfn.surprise]
        p = win_probability(pa, pd, fit.win_bias, fit.win_slope)
        fa, fd = daily_rates(
            Side(pa, att.men * left_a, att.tanks, sa, att.casmult),
            Side(pd, dfn.men * left_d, dfn.tanks, sd, dfn.casmult),
            field,
            fit,
        )
        # Tanks shrink pro rata with men, so the density ratio is the starting one.
        fd *= armour_factor(att.men, att.tanks, dfn.men, dfn.tanks, fit.armour_exponent)
        km = advance_rate(pa, pd, field)
        fd *= 1.0 + p * fit.loss_per_km * km
        fd += p * overrun_share(field.posture, fit.overrun, dfn.casmult)
        left_a *= 1.0 - _clip(fa, 0.0, 1.0) * dt
        left_d *= 1.0 - _clip(fd, 0.0, 1.0) * dt
        remaining -= dt
        day += 1
    return p0, att.men * (1.0 - left_a), dfn.men * (1.0 - left_d)
