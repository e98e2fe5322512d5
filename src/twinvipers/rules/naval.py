"""War at sea: fleet battles, the war on trade, blockade, amphibious landings and sea ice.

Self-contained compiled functions on plain arrays and floats; the engine integrates them later.
Ship classes are indexed as ``list(twinvipers.scenario.schema.ShipClass)`` (BATTLESHIP ..
SUBMARINE below); a fleet is a float array of ship counts by class. Randomness comes in as one
uniform ``u`` drawn by the engine (``rng.uniform(seed, day, entity, rng.P_NAVAL)``); where a rule
needs several draws it derives them from ``u`` by the same SplitMix mixer (``_draw``), so results
stay a pure function of the engine's counters.

Sources (cited per constant below):
  [HUG]  W. P. Hughes, *Fleet Tactics: Theory and Practice* (1986) — the salvo equations:
         hits delivered = offensive power x ships, less defence; ships put out of action = net
         hits / staying power.
  [CON]  *Conway's All the World's Fighting Ships 1922-1946* (1980) — armament and protection.
  [CAM]  J. Campbell, *Naval Weapons of World War Two* (1985) — gunnery hit rates (2-5% of
         rounds fired by day at battle ranges).
  [ROS]  S. W. Roskill, *The War at Sea 1939-1945*, vol. 1 (HMSO 1954), appendix R (merchant
         losses by cause and month).
  [BLA]  C. Blair, *Hitler's U-boat War*, vol. 1 *The Hunters* (1996) — boats at sea, U-boat
         losses.
  [UBN]  uboat.net, "Ships hit by U-boats" monthly tables (after Rohwer, *Axis Submarine
         Successes*).
  [DOM]  *The Dominion* (Wellington), 2 Oct 1941, "Battle of the Atlantic: ship losses down",
         reprinting the British official monthly loss table to June 1941
         (https://paperspast.natlib.govt.nz/newspapers/DOM19411002.2.43).
  [WAI]  British Official Wireless, Rugby, 13 May 1941, losses by year, as printed in a New
         Zealand paper (https://paperspast.natlib.govt.nz/newspapers/WAITA19410515.2.44).
  [NPW]  T. N. Dupuy, *Numbers, Predictions and War* (1979) — water-obstacle factors.
Figures quoted "recalled" were not re-read for this module: check before relying on them.

Calibration of ``naval_battle``: six engagements (forces, qualities and the reasons for them in
``tests/rules/test_naval.py::ENGAGEMENTS``), 4,000 draws each, means conditional on contact;
"out" = ships sunk or put out of action that day; holder shares A / B / contested.

  ======================  ===============  ===============  ==================  =================
  engagement (A vs B)     A out act/model  B out act/model  holder: actual      model A / B / c.
  ======================  ===============  ===============  ==================  =================
  River Plate 12.1939     1.5 / 0.41       0.0 / 0.32       GBR (Spee leaves)   0.32 / 0.12 / 0.55
  Calabria 7.1940         0.0 / 2.20       1.0 / 3.15       GBR (ITA leave)     0.89 / 0.08 / 0.03
  Cape Matapan 3.1941     0.0 / 0.92       6.0 / 2.48       GBR                 0.96 / 0.03 / 0.00
  Denmark Strait 5.1941   2.0 / 0.31       0.0 / 0.26       GER                 0.23 / 0.29 / 0.48
  Java Sea 2.1942         6.0 / 3.04       1.0 / 1.68       JAP                 0.28 / 0.72 / 0.00
  Midway 6.1942           2.0 / 2.86       5.0 / 3.18       USA                 0.52 / 0.36 / 0.12
  ======================  ===============  ===============  ==================  =================

Honestly: the likeliest holder is the historical one in all six (by a hair at Denmark Strait, and
River Plate and Denmark Strait come out "contested" about half the time); the loss ratio points
the right way in four (Calabria, Matapan, Java Sea, Midway). Losses are too high where a side
refused battle early (Calabria: no ship was lost) and too low in short decisive actions (Hood's
explosion, Exeter wrecked, Matapan's night slaughter): the salvo model with a gamma(2) lumpiness
and a small catastrophe chance does not make single days as lopsided as history did. Midway's
lopsidedness came from timing (decks caught re-arming), which the model reduces to who finds whom
first. The per-side withdrawal thresholds and qualities are inputs (doctrine, radar, training),
and the table's values for them are judgements, stated in the test.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from twinvipers.rules import params as P
from twinvipers.rules.jit import kernel
from twinvipers.rules.rng import mix, stochastic_round


class Knobs(NamedTuple):
    """The naval model's assumptions, each an engine parameter (``rules/params.py``)."""

    airborne_share: float  # a carrier's strike already airborne when the enemy's hits it first
    standoff_contact: float  # chance of surface contact when a side's carriers outweigh its guns
    other_causes: float  # mines and aircraft sink this much more than the raiders do
    interdiction_max: float  # share of sea-borne supply a zone's blockade stops at most
    blockade_half: float  # blockade strength stopping half of interdiction_max
    escort_weight: float  # blockade strength an escort unit cancels
    port_bombard_k: float  # port capacity out of action per unit of gun power a day
    superiority_threshold: float  # share of the zone's naval strength a landing needs
    landing_penalty: float  # divides a landing force's power in its first days ashore


_KNOB_PARAMS = (
    P.AIRBORNE_SHARE, P.STANDOFF_CONTACT, P.OTHER_CAUSES, P.BLOCKADE_MAX, P.BLOCKADE_HALF,
    P.ESCORT_WEIGHT, P.PORT_BOMBARD_K, P.LANDING_SUPERIORITY, P.LANDING_PENALTY,
)  # fmt: skip
DEFAULT_KNOBS = Knobs(*(P.PARAMS[i].default for i in _KNOB_PARAMS))
"""The knobs at the parameters' defaults (for callers without a run's parameters)."""


@njit(cache=True)
def knobs_of(params):
    """The naval knobs of a run's parameter vector."""
    return Knobs(
        params[P.AIRBORNE_SHARE], params[P.STANDOFF_CONTACT], params[P.OTHER_CAUSES],
        params[P.BLOCKADE_MAX], params[P.BLOCKADE_HALF], params[P.ESCORT_WEIGHT],
        params[P.PORT_BOMBARD_K], params[P.LANDING_SUPERIORITY], params[P.LANDING_PENALTY],
    )  # fmt: skip


# --- codes -----------------------------------------------------------------------------------
# Ship classes: index in list(schema.ShipClass).
BATTLESHIP, BATTLECRUISER, CARRIER, HEAVY_CRUISER, LIGHT_CRUISER, DESTROYER, SUBMARINE = range(7)
N_CLASS = 7

# Who holds the zone after a battle.
NO_CONTACT = -1  # neither side found the other: nothing happened
CONTESTED = 0
HELD_BY_A = 1
HELD_BY_B = 2

# --- ship characteristics [HUG] [CON] [CAM] ----------------------------------------------------
# Unit of damage: one heavy-shell hit (11-15 in) on a warship. A bomb hit counts ~0.7, an aerial
# or ship torpedo ~1.5 (Hughes's "hits to put out of action" tables treat a torpedo as 1-2 heavy
# shells). Figures are per ship of a typical 1939-42 class, quality 1.0.
#
# Gunnery, damage delivered per round of a surface action (~15-20 min of effective fire): a
# battleship's 8-9 heavy guns at ~3% hits [CAM] land ~1.2 heavy-hit equivalents per round;
# 8-in cruisers about 0.5, 6-in cruisers 0.35 (lighter shells), destroyers' 4.7-5 in guns little.
GUN = np.array([0.5, 0.4, 0.02, 0.2, 0.14, 0.03, 0.0])
# Torpedoes, damage per round in a surface action (salvo hit rates ~5-10% by day [HUG]): the
# destroyer is the torpedo ship; Japanese and Italian cruisers carried tubes, British heavy
# cruisers some. Submarines in a fleet action ambush rarely; their value is commerce and ASW.
TORPEDO = np.array([0.0, 0.0, 0.0, 0.08, 0.05, 0.12, 0.08])
# Carrier air strike per carrier per day of air action: 30-40 strike aircraft at 10-15% hits
# -> ~4-5 hits, about 3.5 damage units (Midway: Hiryu's two strikes put 3 bombs and 2 torpedoes
# into Yorktown; three US carriers' dive bombers some 12-15 bombs into three Japanese carriers).
AIR_STRIKE = np.array([0.0, 0.0, 3.5, 0.0, 0.0, 0.0, 0.0])
# Anti-aircraft value (guns, and the carrier's fighter patrol) [CON].
AA = np.array([1.0, 0.8, 1.5, 0.6, 0.6, 0.3, 0.0])
# Anti-submarine value: sonar (asdic) and depth charges were destroyer and sloop equipment.
ASW = np.array([0.0, 0.0, 0.0, 0.1, 0.3, 1.0, 0.0])
# Staying power: damage units to put the ship out of action [HUG] (Exeter out after 7 x 11 in
# hits at the River Plate, Akagi after 1-2 bombs with a full deck, Bismarck disabled after
# dozens of hits: Hughes's WWII figures of ~3 hits for a carrier, ~10-20 for a battleship).
STAYING = np.array([12.0, 7.0, 3.0, 4.0, 2.5, 1.0, 0.6])
# Catastrophic loss (magazine or aviation-fuel explosion) per damage unit received: battlecruisers
# (Jutland's three, Hood), carriers (Taiho, Shokaku's avgas), others rarely [HUG]. Assumption.
CATASTROPHE = np.array([0.02, 0.08, 0.05, 0.02, 0.02, 0.0, 0.0])
# Fire goes to the bigger targets first: weight of each class in the enemy's target choice.
TARGET_WEIGHT = np.array([3.0, 3.0, 4.0, 2.0, 1.5, 0.3, 0.2])
# Strike aircraft went for the carriers first (Coral Sea, Midway, Santa Cruz).
AIR_TARGET_WEIGHT = np.array([2.0, 2.0, 12.0, 1.0, 1.0, 0.3, 0.0])

# --- battle conduct --------------------------------------------------------------------------
N_ROUNDS = 3  # surface rounds at most (a day's action; longer fights are later engagements)
# Detection per day of contact: hazard from the enemy's size, and carriers' scouting aircraft.
DETECT_BASE = 0.5
DETECT_PER_SHIP = 0.05
DETECT_PER_CARRIER = 0.8
# By night gunnery falls (no radar before 1941 outside the RN) and torpedoes rise (Savo Island,
# Matapan) [HUG]; carriers do not strike at night.
NIGHT_GUN = 0.6
NIGHT_TORPEDO = 1.6
DAY_TORPEDO = 0.6
# Share of a carrier's strike already airborne when the enemy's strike hits it first (at Midway
# Hiryu's strike flew; the other three were caught re-arming): ``Knobs.airborne_share``.
# Air defence: at most 60% of a strike is stopped however dense the AA and fighter patrol.
AIR_DEFENCE_MAX = 0.6
AIR_DEFENCE_HALF = 10.0
# Hughes's salvo fire is lumpy (one hit blew up Hood): each side's hits in a round are scaled by
# a mean-one gamma(2) factor.
# A fleet whose carriers outweigh its guns keeps its distance: surface contact only by chance
# (Midway had none; Samar happened): ``Knobs.standoff_contact``.
# A side breaks off when it has lost this share of its staying power [HUG: fleets rarely fought
# on past a quarter to a third of their strength] — default; callers pass their own.
WITHDRAW_THRESHOLD = 0.15
# ...or when its remaining offence is below this share of the enemy's.
WITHDRAW_RATIO = 0.4
# A side that keeps the field holds the zone if its remaining offence is this many times the
# enemy's; otherwise the zone is contested.
HOLD_RATIO = 1.5

_INV53 = 1.0 / 9007199254740992.0
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@kernel
def _draw(u, k):
    """The ``k``-th uniform derived from the engine's ``u`` (a pure function of both)."""
    h = mix(np.uint64(u * 9007199254740992.0) ^ (np.uint64(k) * _GOLDEN + np.uint64(1)))
    return float(mix(h) >> np.uint64(11)) * _INV53


@kernel
def _gamma2(u, k):
    """A mean-one gamma(2) draw: the lumpiness of a round's hits."""
    a = 1.0 - _draw(u, k)
    b = 1.0 - _draw(u, k + 1)
    return -0.5 * (math.log(a) + math.log(b))


@njit(cache=True)
def task_force_strength(ships, quality):
    """Strength of a task force by role (damage units per round/strike, [HUG] units).

    Args:
        ships: ship counts by class (length N_CLASS).
        quality: the side's multiplier (training, fire control, radar, doctrine), 1.0 = reference.

    Returns:
        (gun, torpedo, air_strike, asw, aa, staying): sums over the force.
    """
    gun = 0.0
    torp = 0.0
    air = 0.0
    asw = 0.0
    aa = 0.0
    stay = 0.0
    for c in range(N_CLASS):
        n = max(ships[c], 0.0)
        gun += GUN[c] * n
        torp += TORPEDO[c] * n
        air += AIR_STRIKE[c] * n
        asw += ASW[c] * n
        aa += AA[c] * n
        stay += STAYING[c] * n
    q = max(quality, 0.0)
    return gun * q, torp * q, air * q, asw * q, aa * q, stay


@njit(cache=True)
def detection_probability(enemy_ships, own_carriers, quality, visibility):
    """Chance a side finds the other in a day of contact.

    ``visibility`` is 1 in clear daylight, ~0.5 in haze or night, ~0.3 in an Arctic winter gale.
    """
    n = 0.0
    for c in range(N_CLASS):
        n += max(enemy_ships[c], 0.0)
    hazard = DETECT_BASE + DETECT_PER_SHIP * n + DETECT_PER_CARRIER * max(own_carriers, 0.0)
    return 1.0 - math.exp(-hazard * max(quality, 0.0) * max(visibility, 0.0))


@kernel
def _apply_hits(ships, hits, weight, lost, u, k):
    """Spread ``hits`` over the classes of ``ships`` by target weight; put ships out of action.

    Updates ``ships`` (remaining) and ``lost`` in place; returns the staying power removed.
    """
    w = 0.0
    for c in range(N_CLASS):
        w += weight[c] * ships[c]
    if w <= 0.0 or hits <= 0.0:
        return 0.0
    removed = 0.0
    for c in range(N_CLASS):
        if ships[c] <= 0.0:
            continue
        x = hits * weight[c] * ships[c] / w / STAYING[c]
        n = stochastic_round(x, _draw(u, k + c))
        if n < ships[c] and CATASTROPHE[c] > 0.0:
            y = x * STAYING[c]
            if _draw(u, k + 50 + c) < 1.0 - (1.0 - CATASTROPHE[c]) ** y:
                n += 1.0
        n = min(n, ships[c])
        ships[c] -= n
        lost[c] += n
        removed += n * STAYING[c]
    return removed


@kernel
def _offence(ships, quality, gun_f, torp_f):
    g = 0.0
    for c in range(N_CLASS):
        g += (GUN[c] * gun_f + TORPEDO[c] * torp_f) * ships[c]
    return g * quality


@kernel
def _worse_leaves(gone_a, stay_a0, gone_b, stay_b0):
    """Both sides past breaking point: the one hurt worse (relative to its size) leaves."""
    if gone_a / max(stay_a0, 1e-9) >= gone_b / max(stay_b0, 1e-9):
        return True, False
    return False, True


@njit(cache=True)
def naval_battle(
    ships_a,
    ships_b,
    quality_a,
    quality_b,
    visibility,
    night,
    withdraw_a,
    withdraw_b,
    u,
    knobs=DEFAULT_KNOBS,
):
    """One day's engagement of two hostile task forces in a sea zone.

    Detection, then carrier strikes (by day), then up to N_ROUNDS surface rounds of gunnery and
    torpedoes ([HUG] salvo model: both sides fire with the strength they had at the round's
    start), each side breaking off when its losses pass its threshold.

    Args:
        ships_a: side A's ship counts by class (float array, N_CLASS).
        ships_b: side B's.
        quality_a: A's quality multiplier (1.0 reference; radar, night training, doctrine).
        quality_b: B's.
        visibility: 1 clear day .. ~0.3 storm or polar night.
        night: True for a night action (no air strikes, fewer gun hits, more torpedo hits).
        withdraw_a: share of its staying power at which A breaks off (WITHDRAW_THRESHOLD default).
        withdraw_b: B's.
        u: the engine's uniform in [0, 1).
        knobs: the run's :class:`Knobs` (:func:`knobs_of` its parameters).

    Returns:
        (lost_a, lost_b, holder): ships put out of action by class for each side, and
        HELD_BY_A, HELD_BY_B, CONTESTED or NO_CONTACT.
    """
    a = ships_a.astype(np.float64).copy()
    b = ships_b.astype(np.float64).copy()
    for c in range(N_CLASS):
        a[c] = max(a[c], 0.0)
        b[c] = max(b[c], 0.0)
    lost_a = np.zeros(N_CLASS)
    lost_b = np.zeros(N_CLASS)
    qa = max(quality_a, 0.0)
    qb = max(quality_b, 0.0)
    p_a = detection_probability(b, a[CARRIER], qa, visibility)
    p_b = detection_probability(a, b[CARRIER], qb, visibility)
    sees_a = _draw(u, 0) < p_a
    sees_b = _draw(u, 1) < p_b
    if not sees_a and not sees_b:
        return lost_a, lost_b, NO_CONTACT
    stay_a0 = 0.0
    stay_b0 = 0.0
    for c in range(N_CLASS):
        stay_a0 += STAYING[c] * a[c]
        stay_b0 += STAYING[c] * b[c]
    gone_a = 0.0
    gone_b = 0.0

    # Carrier strikes: the side that finds the other first strikes first; the other's strike
    # flies with the carriers it has left, plus those whose strike was already airborne.
    if not night:
        aa_a = 0.0
        aa_b = 0.0
        for c in range(N_CLASS):
            aa_a += AA[c] * a[c] * qa
            aa_b += AA[c] * b[c] * qb
        cut_a = 1.0 - AIR_DEFENCE_MAX * aa_a / (aa_a + AIR_DEFENCE_HALF)
        cut_b = 1.0 - AIR_DEFENCE_MAX * aa_b / (aa_b + AIR_DEFENCE_HALF)
        a_first = sees_a
        if sees_a and sees_b:
            ha = -math.log(max(1.0 - p_a, 1e-12))
            hb = -math.log(max(1.0 - p_b, 1e-12))
            a_first = _draw(u, 7) * (ha + hb) < ha
        cv_a0 = a[CARRIER]
        cv_b0 = b[CARRIER]
        if a_first:
            hit = AIR_STRIKE[CARRIER] * a[CARRIER] * qa * visibility * cut_b * _gamma2(u, 2)
            gone_b += _apply_hits(b, hit, AIR_TARGET_WEIGHT, lost_b, u, 10)
            if sees_b:
                cv = b[CARRIER] + knobs.airborne_share * (cv_b0 - b[CARRIER])
                hit = AIR_STRIKE[CARRIER] * cv * qb * visibility * cut_a * _gamma2(u, 4)
                gone_a += _apply_hits(a, hit, AIR_TARGET_WEIGHT, lost_a, u, 20)
        else:
            hit = AIR_STRIKE[CARRIER] * b[CARRIER] * qb * visibility * cut_a * _gamma2(u, 4)
            gone_a += _apply_hits(a, hit, AIR_TARGET_WEIGHT, lost_a, u, 20)
            if sees_a:
                cv = a[CARRIER] + knobs.airborne_share * (cv_a0 - a[CARRIER])
                hit = AIR_STRIKE[CARRIER] * cv * qa * visibility * cut_b * _gamma2(u, 2)
                gone_b += _apply_hits(b, hit, AIR_TARGET_WEIGHT, lost_b, u, 10)

    # Surface action: a carrier-led fleet stands off unless contact is forced by chance.
    gun_f = NIGHT_GUN if night else 1.0
    torp_f = NIGHT_TORPEDO if night else DAY_TORPEDO
    standoff_a = AIR_STRIKE[CARRIER] * a[CARRIER] > _offence(a, 1.0, 1.0, DAY_TORPEDO)
    standoff_b = AIR_STRIKE[CARRIER] * b[CARRIER] > _offence(b, 1.0, 1.0, DAY_TORPEDO)
    surface = True
    if (standoff_a or standoff_b) and not night:
        surface = _draw(u, 6) < knobs.standoff_contact
    out_a = gone_a > withdraw_a * stay_a0
    out_b = gone_b > withdraw_b * stay_b0
    if out_a and out_b:
        out_a, out_b = _worse_leaves(gone_a, stay_a0, gone_b, stay_b0)
    r = 0
    while surface and r < N_ROUNDS and not out_a and not out_b:
        fire_a = _offence(a, qa, gun_f, torp_f)
        fire_b = _offence(b, qb, gun_f, torp_f)
        if fire_a <= 0.0 and fire_b <= 0.0:
            break
        # Surprise: in the first round only the side that found the other fires.
        if r == 0 and not sees_b:
            fire_b = 0.0
        if r == 0 and not sees_a:
            fire_a = 0.0
        hit_b = fire_a * _gamma2(u, 30 + 10 * r)
        hit_a = fire_b * _gamma2(u, 32 + 10 * r)
        gone_b += _apply_hits(b, hit_b, TARGET_WEIGHT, lost_b, u, 100 + 20 * r)
        gone_a += _apply_hits(a, hit_a, TARGET_WEIGHT, lost_a, u, 110 + 20 * r)
        off_a = _offence(a, qa, gun_f, torp_f) + AIR_STRIKE[CARRIER] * a[CARRIER] * qa
        off_b = _offence(b, qb, gun_f, torp_f) + AIR_STRIKE[CARRIER] * b[CARRIER] * qb
        out_a = gone_a > withdraw_a * stay_a0 or off_a < WITHDRAW_RATIO * off_b
        out_b = gone_b > withdraw_b * stay_b0 or off_b < WITHDRAW_RATIO * off_a
        if out_a and out_b:
            out_a, out_b = _worse_leaves(gone_a, stay_a0, gone_b, stay_b0)
        r += 1

    left_a = 0.0
    left_b = 0.0
    for c in range(N_CLASS):
        left_a += a[c]
        left_b += b[c]
    if left_a <= 0.0 and left_b <= 0.0:
        return lost_a, lost_b, CONTESTED
    if out_a or left_a <= 0.0:
        return lost_a, lost_b, HELD_BY_B
    if out_b or left_b <= 0.0:
        return lost_a, lost_b, HELD_BY_A
    off_a = _offence(a, qa, 1.0, DAY_TORPEDO) + AIR_STRIKE[CARRIER] * a[CARRIER] * qa
    off_b = _offence(b, qb, 1.0, DAY_TORPEDO) + AIR_STRIKE[CARRIER] * b[CARRIER] * qb
    if off_a > HOLD_RATIO * off_b:
        return lost_a, lost_b, HELD_BY_A
    if off_b > HOLD_RATIO * off_a:
        return lost_a, lost_b, HELD_BY_B
    return lost_a, lost_b, CONTESTED


# --- the war on trade [ROS] [BLA] [UBN] --------------------------------------------------------
# Calibration, September 1939 - May 1940 (9 months), British, Allied and neutral shipping:
#   by enemy action, official figures as published in 1941 [DOM]: "the average monthly loss from
#     the beginning of the war to the end of May [1940] ... was 182,400 tons"; Sep-Dec 1939:
#     211 ships, 741,614 GRT [WAI]. Roskill's monthly series [ROS app. R, recalled, all causes]
#     194,845 / 196,355 / 174,269 / 189,923 / 214,506 / 226,920 / 107,009 / 158,218 / 288,461
#     averages ~194,500 (it counts marine causes too).
#   U-boats [UBN]: 153,879 / 134,807 / 51,589 / 80,881 / 111,263 / 169,566 / 62,781 / 32,467 /
#     55,580 GRT -> mean ~94,800 GRT/month (a contemporary summary gives 290,000 t for Jan-Feb
#     and 140,000 t for Mar-May 1940, when boats were drawn off to Norway).
#   Surface raiders: Graf Spee 9 ships 50,089 GRT, Deutschland 2 ships ~7,000 GRT (autumn 1939)
#     -> ~6,300 GRT/month, ~0.5 raider at sea on average.
#   The rest (~81,000 GRT/month) is mines (laid by U-boats, destroyers and aircraft: the magnetic
#     mine campaign of Nov 1939-Feb 1940) and aircraft (Norway and Dunkirk, Apr-May 1940).
#   Boats at sea: 58 in commission, 39 at sea on 3 Sep 1939, then ~8-15 [BLA] -> ~14 on average.
#   Convoy: about 40% of the shipping at risk sailed in convoy (neutrals and fast or slow British
#     ships sailed alone); ocean escorts ~60 destroyers and sloops (estimated from [ROS] ch. 6).
#   U-boats lost: 9 in 1939 and ~15 by end May 1940 [UBN] -> ~2.7 a month, ~0.19 per boat-month.
GRT_PER_SUB_MONTH = 10_800.0  # a U-boat at sea against independently routed shipping
GRT_PER_RAIDER_MONTH = 18_800.0  # a surface raider at sea against independents
# A convoy is hard to find (it empties the sea) and, escorted, hard to attack: exposure of a
# convoyed ship relative to an independent, unescorted convoy -> CONVOY_EXPOSURE; escorts halve
# what is left at ESCORT_HALF escorts. In 1939-40 4 ships were lost in ocean convoy out of
# ~5,700 convoyed sailings [ROS], far below the independents' losses.
CONVOY_EXPOSURE = 0.3
ESCORT_HALF = 20.0
RAIDER_CONVOY_EXPOSURE = 0.2  # raiders avoided convoys (Jervis Bay excepted)
# Mines and aircraft scale with the same naval effort against trade (assumption: 81,000 / 101,000
# GRT in 1939-40): ``Knobs.other_causes``.

# Month-to-month spread: the U-boat monthly figures above have a coefficient of variation ~0.5.
MONTHLY_SIGMA = 0.45
# Submarine losses per boat-month at sea: a floor (mines, accidents, aircraft) and the escorts'
# kills, fitted to ~0.19 per boat-month in 1939-40.
SUB_LOSS_BASE = 0.07
SUB_LOSS_ESCORT = 0.16


@njit(cache=True)
def _mean_one_lognormalish(u, sigma):
    """A mean-one multiplicative factor: exp of a logistic variable with s.d. ``sigma``."""
    uu = min(max(u, 1e-12), 1.0 - 1e-12)
    s = sigma * math.sqrt(3.0) / math.pi  # logistic scale with that s.d.
    # E[exp(L)] = pi s / sin(pi s) for a logistic L of scale s < 1.
    mean = math.pi * s / math.sin(math.pi * s)
    return math.exp(s * math.log(uu / (1.0 - uu))) / mean


@njit(cache=True)
def expected_tonnage_sunk(subs_at_sea, raiders, escorts, convoy_share, knobs=DEFAULT_KNOBS):
    """Expected GRT sunk in a month by submarines, raiders and the mines that go with them.

    ``convoy_share`` of the shipping at risk sails in convoy, escorted by ``escorts`` vessels.
    """
    cs = min(max(convoy_share, 0.0), 1.0)
    escort = ESCORT_HALF / (ESCORT_HALF + max(escorts, 0.0))
    sub_exposure = (1.0 - cs) + cs * CONVOY_EXPOSURE * escort
    raider_exposure = (1.0 - cs) + cs * RAIDER_CONVOY_EXPOSURE * escort
    direct = GRT_PER_SUB_MONTH * max(subs_at_sea, 0.0) * sub_exposure
    direct += GRT_PER_RAIDER_MONTH * max(raiders, 0.0) * raider_exposure
    return direct * (1.0 + knobs.other_causes)


@njit(cache=True)
def tonnage_sunk(subs_at_sea, raiders, escorts, convoy_share, u, knobs=DEFAULT_KNOBS):
    """GRT sunk in a month of commerce raiding (one draw; see ``expected_tonnage_sunk``).

    Args:
        subs_at_sea: submarines on patrol on the sea lanes (monthly average).
        raiders: surface raiders at sea (monthly average).
        escorts: escort vessels (destroyers, sloops, corvettes) on convoy duty.
        convoy_share: share of the shipping at risk sailing in convoy, 0..1.
        u: the engine's uniform.
        knobs: the run's :class:`Knobs`.
    """
    return expected_tonnage_sunk(subs_at_sea, raiders, escorts, convoy_share, knobs) * (
        _mean_one_lognormalish(u, MONTHLY_SIGMA)
    )


@njit(cache=True)
def submarines_lost(subs_at_sea, escorts, convoy_share, u):
    """Submarines lost in a month at sea: expected count rounded stochastically with ``u``."""
    n = max(subs_at_sea, 0.0)
    cs = min(max(convoy_share, 0.0), 1.0)
    kill = SUB_LOSS_ESCORT * (0.5 + cs) * max(escorts, 0.0) / (ESCORT_HALF + max(escorts, 0.0))
    x = n * (SUB_LOSS_BASE + kill)
    return min(stochastic_round(x, u), math.floor(n))


# --- blockade ----------------------------------------------------------------------------------
# Share of sea-borne supply a zone's blockade stops at most: even the WWI blockade of Germany and
# Operation Starvation against Japan in 1945 let some shipping through (neutral flags, coastal
# routes, night runs): ``Knobs.interdiction_max``. ``Knobs.blockade_half``: the blockade strength
# at which a zone without escorts stops half of that (in ASW-free "patrol" units: see
# ``blockade_strength``); ``Knobs.escort_weight``: the blockade strength an escort unit cancels.
# Patrol value per ship for blockade: cruisers and destroyers do the stopping and searching,
# submarines sink on sight, capital ships back them (per ship; [CON]-style judgement).
PATROL = np.array([0.5, 0.5, 0.8, 1.0, 1.0, 0.6, 0.7])
# Escort value per ship against a blockade: destroyers and cruisers, asdic for submarines.
ESCORT = np.array([0.3, 0.3, 0.8, 0.6, 0.6, 1.0, 0.0])


@kernel
def _per_ship(ships, value, quality):
    s = 0.0
    for c in range(N_CLASS):
        s += value[c] * max(ships[c], 0.0)
    return s * max(quality, 0.0)


@njit(cache=True)
def blockade_strength(ships, quality):
    """Blockading strength of a task force in a zone (patrol units)."""
    return _per_ship(ships, PATROL, quality)


@njit(cache=True)
def escort_strength(ships, quality):
    """Escorting strength of a task force in a zone (patrol units)."""
    return _per_ship(ships, ESCORT, quality)


@njit(cache=True)
def zone_interdiction(blockade, escort, knobs=DEFAULT_KNOBS):
    """Share of the shipping crossing one zone that a blockade stops."""
    b = max(blockade, 0.0)
    net = max(b - knobs.escort_weight * max(escort, 0.0), 0.0)
    return knobs.interdiction_max * net / (net + knobs.blockade_half)


@njit(cache=True)
def sea_lane_share(blockade, escort, frozen, knobs=DEFAULT_KNOBS):
    """Share of a power's sea-borne supply that gets through along one sea lane.

    Args:
        blockade: blockading strength in each zone of the lane (array).
        escort: the power's escorting strength in each zone (array, same length).
        frozen: True for a zone iced over this month (array of bool): nothing passes.
        knobs: the run's :class:`Knobs`.
    """
    share = 1.0
    for z in range(blockade.shape[0]):
        if frozen[z]:
            return 0.0
        share *= 1.0 - zone_interdiction(blockade[z], escort[z], knobs)
    return share


# --- shore bombardment -------------------------------------------------------------------------
# Field-artillery tubes a ship's guns are worth in support of troops ashore (a 15-in shell weighs
# ~60 times a 105 mm shell, fired ~1/3 as fast, far less accurately at a map target): ASSUMPTION,
# in the spirit of the German reports from Salerno and Normandy that naval gunfire broke up their
# counter-attacks. Enters combat.combat_power's ``artillery`` argument.
ARTILLERY_EQUIVALENT = np.array([60.0, 45.0, 0.0, 25.0, 18.0, 4.0, 0.0])
# Port capacity put out of action per unit of gun power a day: ``Knobs.port_bombard_k`` (no good
# historical series of port bombardments exists).


@njit(cache=True)
def bombardment(ships, quality, coast_defence, knobs=DEFAULT_KNOBS):
    """Shore bombardment for a day: (artillery-tube equivalent, share of port capacity lost).

    ``coast_defence`` 0..1 is the share of the ships' effort the coast batteries absorb.
    """
    d = 1.0 - min(max(coast_defence, 0.0), 1.0)
    tubes = 0.0
    gun = 0.0
    for c in range(N_CLASS):
        n = max(ships[c], 0.0)
        tubes += ARTILLERY_EQUIVALENT[c] * n
        gun += GUN[c] * n
    q = max(quality, 0.0)
    return tubes * q * d, 1.0 - math.exp(-knobs.port_bombard_k * gun * q * d)


# --- amphibious landings -----------------------------------------------------------------------
# Local naval superiority: the landing side's share of the naval strength in the zone. Below the
# threshold the convoy is turned back or sunk (Crete, May 1941: both German sea-borne echelons
# caught and scattered by the RN; Wake's first attempt, Dec 1941, repulsed):
# ``Knobs.superiority_threshold``.
# Days over which the assault waves count (the landing is won or lost in the first days).
ASSAULT_DAYS = 3.0
# [NPW]: a river-crossing defender gets x1.5 behind an unfordable obstacle; Dupuy treats an
# opposed landing as at least that. The landing force's power is divided by
# ``Knobs.landing_penalty`` on its first days ashore (a beach being worse than the river).
# Landing success = logistic(BIAS + SLOPE * ln(effective ratio)) x naval factor. Cases (not
# fitted, checked): Norway 9 Apr 1940, ~8,850 men in the first waves against unmobilised
# garrisons of a few hundred to ~2,000 per port, local superiority by surprise -> all landings
# held (Oslo delayed: Blücher sunk); Dieppe Aug 1942, ~6,000 vs ~1,500 in prepared defences ->
# failed; Wake 11 Dec 1941, ~450 naval landing troops vs ~450 Marines with coast guns -> failed.
LANDING_BIAS = 0.0
LANDING_SLOPE = 2.0


@njit(cache=True)
def landing_probability(
    naval_own, naval_enemy, lift_men_per_day, men, garrison, garrison_quality, knobs=DEFAULT_KNOBS
):
    """Chance an amphibious landing succeeds (secures a lodgement), and its combat penalty.

    Args:
        naval_own: the landing side's naval strength in the zone (e.g. task-force gun + air).
        naval_enemy: the defender's naval strength in the zone.
        lift_men_per_day: shipping lift, men landed a day.
        men: men in the landing force.
        garrison: defending men in the region.
        garrison_quality: the defence's multiplier (posture, fortification, coast guns, CEV).
        knobs: the run's :class:`Knobs` (superiority threshold, landing penalty).

    Returns:
        (probability, power_multiplier): the multiplier applies to the landing force's combat
        power while it fights ashore in the assault days (1 / knobs.landing_penalty when opposed).
    """
    own = max(naval_own, 0.0)
    total = own + max(naval_enemy, 0.0)
    sup = own / total if total > 0.0 else 0.0
    if sup < knobs.superiority_threshold:
        return 0.0, 1.0 / knobs.landing_penalty
    # Naval factor: from 0.5 at the threshold to 1 at full superiority.
    naval = 0.5 + 0.5 * (sup - knobs.superiority_threshold) / (1.0 - knobs.superiority_threshold)
    ashore = min(max(men, 0.0), max(lift_men_per_day, 0.0) * ASSAULT_DAYS)
    g = max(garrison, 0.0) * max(garrison_quality, 0.0)
    if g <= 0.0:
        return naval, 1.0
    if ashore <= 0.0:
        return 0.0, 1.0 / knobs.landing_penalty
    ratio = ashore / knobs.landing_penalty / g
    # A ratio that underflows to 0 would be a domain error uncompiled (compiled: -inf, clipped).
    z = LANDING_BIAS + LANDING_SLOPE * math.log(max(ratio, 1e-300))
    z = min(max(z, -40.0), 40.0)
    return naval / (1.0 + math.exp(-z)), 1.0 / knobs.landing_penalty


@njit(cache=True)
def landing(
    naval_own,
    naval_enemy,
    lift_men_per_day,
    men,
    garrison,
    garrison_quality,
    u,
    knobs=DEFAULT_KNOBS,
):
    """Resolve a landing with the engine's uniform: (succeeded, power_multiplier)."""
    p, mult = landing_probability(
        naval_own, naval_enemy, lift_men_per_day, men, garrison, garrison_quality, knobs
    )
    return u < p, mult


# --- sea ice: a scenario's sea zones name the months ice closes them (``frozen_months``) ---------


@njit(cache=True)
def zone_frozen(frozen_months, month):
    """True if ice closes a zone in ``month`` (1..12); ``frozen_months`` an int array of months."""
    for i in range(frozen_months.shape[0]):
        if frozen_months[i] == month:
            return True
    return False
