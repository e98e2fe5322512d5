"""War in the air: superiority, support, interdiction, strikes, bombing, chemical and biological.

Self-contained compiled functions on plain floats; the engine integrates them later. Randomness
comes in as a uniform ``u`` (``rng.uniform(seed, day, entity, rng.P_AIR)``); nothing here draws.

How the land combat uses it: ``air_superiority`` gives a value in [-1, 1] for one side over a
front; ``combat.combat_power(..., air_superiority, ...)`` already takes a float and clips it to
[-1, 1], so pass it as is (``air_superiority_level`` rounds it to -1/0/+1 for code that wants
the three QJM states). ``close_air_support_sorties`` is the ``aircraft`` argument of
``combat_power`` (sorties a day); ``chemical_attack``'s advance factor multiplies the day's advance.

Sources (cited per constant below):
  [NPW]  T. N. Dupuy, *Numbers, Predictions and War* (1979) — air superiority +-10% (combat.py).
  [RAF]  D. Richards, *Royal Air Force 1939-1945* vol. 1 (HMSO 1953): Battle of Britain strengths.
  [MUR]  W. Murray, *Strategy for Defeat: The Luftwaffe 1933-1945* (1983): sortie rates,
         serviceability, Poland and Barbarossa.
  [COOX] A. Coox, *Nomonhan* (1985): the Tamsag-Bulak raid of 27 June 1939.
  [SAL]  F. M. Sallagar, *Operation STRANGLE (Italy, Spring 1944)*, RAND R-851-PR (1972);
         E. Mark, *Aerial Interdiction in Three Wars* (1994).
  [USSBS] US Strategic Bombing Survey, *Overall Report (European War)* (1945) and *Area Studies
         Division Report* / the Hamburg field report (1945-47).
  [BUTT] D. M. Butt, report to Bomber Command on night-bombing accuracy (18 August 1941).
  [LIV]  The Liverpool "May Blitz", 1-7 May 1941 (Richards [RAF]; Collier, *The Defence of the
         United Kingdom*, HMSO 1957).
  [PRE]  A. M. Prentiss, *Chemicals in War* (1937); L. F. Haber, *The Poisonous Cloud* (1986).
  [HAR]  S. H. Harris, *Factories of Death: Japanese Biological Warfare 1932-45* (1994).
Figures quoted from memory of these works are approximate; the effect sizes that are judgement
(assumptions) are engine parameters (``rules/params.py``), passed in, so sensitivity analysis can
vary them.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from numba import njit

from twinvipers.rules import params as P
from twinvipers.rules.rng import stochastic_round

# --- air superiority -------------------------------------------------------------------------
# Fighter strength F = fighters x quality; superiority = tanh(k/2 ln(F_own/F_enemy)) =
# (F_own^k - F_enemy^k) / (F_own^k + F_enemy^k), a Lanchester-square-flavoured contest (k > 1:
# numbers compound in air fighting). k chosen so that checks read right:
#   Poland Sep 1939: ~1,200 Luftwaffe fighters vs 164 Polish [forces-1939.md] -> +0.90;
#   Battle of Britain Aug 1940: ~700 RAF fighters vs ~800 Bf 109 + ~250 Bf 110 at lower
#     exchange value [RAF] -> near 0 (neither side won superiority over England);
#   Khalkhin Gol Aug 1939: ~580 Soviet vs ~200 Japanese aircraft, Japanese pilots better
#     (quality 1.5) [forces-1939.md, COOX] -> ~+0.46, a Soviet edge, not mastery.
SUPERIORITY_EXPONENT = 1.5
# Below this magnitude the front counts as contested (for the three-state mapping).
SUPERIORITY_LEVEL = 1.0 / 3.0


@njit(cache=True)
def air_superiority(fighters_own, quality_own, fighters_enemy, quality_enemy):
    """Air superiority of a side over a front, in [-1, 1] (+1 own mastery, -1 enemy's)."""
    fo = max(fighters_own, 0.0) * max(quality_own, 0.0)
    fe = max(fighters_enemy, 0.0) * max(quality_enemy, 0.0)
    if fo <= 0.0 and fe <= 0.0:
        return 0.0
    if fe <= 0.0:
        return 1.0
    if fo <= 0.0:
        return -1.0
    # A difference of logs: the ratio of two tiny strengths can underflow to 0.
    return math.tanh(0.5 * SUPERIORITY_EXPONENT * (math.log(fo) - math.log(fe)))


@njit(cache=True)
def air_superiority_level(superiority):
    """The three QJM states: +1 if superiority > 1/3, -1 if < -1/3, else 0."""
    if superiority > SUPERIORITY_LEVEL:
        return 1.0
    if superiority < -SUPERIORITY_LEVEL:
        return -1.0
    return 0.0


# --- close air support -----------------------------------------------------------------------
# [MUR]: Luftwaffe serviceability ran ~60-70% in 1939-41; Ju 87 units flew 3-4 sorties a day at a
# campaign's peak, about one a day averaged over Poland and France.
SERVICEABILITY = 0.65
SORTIES_PER_DAY = 1.5
# A side that has lost the air flies fewer and more costly sorties: the share lost at -1 is the
# parameter ``cas_superiority_loss``, passed in as ``superiority_loss`` (default its default).
_CAS_LOSS = P.PARAMS[P.CAS_LOSS].default


@njit(cache=True)
def close_air_support_sorties(
    aircraft, sortie_rate, weather_air, superiority, superiority_loss=_CAS_LOSS
):
    """Close-support sorties a day over a front (``combat_power``'s ``aircraft`` argument).

    Args:
        aircraft: ground-attack and bomber aircraft assigned.
        sortie_rate: sorties per serviceable aircraft a day (SORTIES_PER_DAY typical).
        weather_air: the weather's air factor (combat.WEATHER_AIR[weather]; 1 clear .. 0.2).
        superiority: this side's air superiority in [-1, 1].
        superiority_loss: share of the sorties lost at superiority -1 (``cas_superiority_loss``).
    """
    s = max(aircraft, 0.0) * SERVICEABILITY * max(sortie_rate, 0.0) * max(weather_air, 0.0)
    return s * (1.0 - superiority_loss * max(-superiority, 0.0))


# --- interdiction [SAL] ----------------------------------------------------------------------
# Operation STRANGLE (Mar-May 1944): ~400 sorties a day against the supply lines of a front using
# some 4,000 t/day; rail traffic was cut hard but lorries and coasters made up much of it, and the
# Germans held until the ground offensive (DIADEM) raised their consumption. We take a delivered
# shortfall of ~35% at that effort: share = MAX (1 - exp(-K sorties / (tons/100))).
INTERDICTION_MAX = 0.6  # no air force of the war stopped a front's supply outright
INTERDICTION_K = 0.0875


@njit(cache=True)
def interdiction_share(
    sorties_per_day,
    quality,
    superiority,
    weather_air,
    supply_tons_per_day,
    superiority_loss=_CAS_LOSS,
):
    """Share of a front's supply lost to air interdiction (0..INTERDICTION_MAX)."""
    eff = max(sorties_per_day, 0.0) * max(quality, 0.0) * max(weather_air, 0.0)
    eff *= 1.0 - superiority_loss * max(-superiority, 0.0)
    tons = max(supply_tons_per_day, 1.0)
    return INTERDICTION_MAX * (1.0 - math.exp(-INTERDICTION_K * eff / (tons / 100.0)))


# --- airfield strikes --------------------------------------------------------------------------
# Aircraft destroyed on the ground per effective sortie, before saturation:
#   surprise: 22 June 1941, ~1,200 Soviet aircraft destroyed on day one (about 800 on the ground)
#     by ~1,000 bomber and ~1,000 fighter-bomber/fighter sorties [MUR] -> ~0.8.
#   alert and dispersed: the Japanese raid on Tamsag-Bulak, 27 June 1939 (~137 aircraft, Soviet
#     admitted ground losses ~16, Japanese claims ~100) [COOX] -> ~0.1.
KILL_PER_SORTIE_SURPRISE = 0.8
KILL_PER_SORTIE_ALERT = 0.1
# Defending fighters blunt the raid: at enemy mastery (superiority -1) the raid does half.
STRIKE_SUPERIORITY_LOSS = 0.5


@njit(cache=True)
def airfield_strike(sorties, quality, surprise, superiority, aircraft_on_ground, u):
    """Aircraft destroyed on the ground by an airfield strike.

    Args:
        sorties: attacking sorties.
        quality: attacker's quality.
        surprise: 0 alert and dispersed .. 1 complete surprise (wingtip to wingtip).
        superiority: attacker's air superiority over the target in [-1, 1].
        aircraft_on_ground: aircraft at the struck airfields.
        u: the engine's uniform.

    Returns:
        Whole aircraft destroyed, never more than were on the ground.
    """
    s = min(max(surprise, 0.0), 1.0)
    kill = KILL_PER_SORTIE_ALERT + (KILL_PER_SORTIE_SURPRISE - KILL_PER_SORTIE_ALERT) * s
    eff = max(sorties, 0.0) * max(quality, 0.0)
    eff *= 1.0 - STRIKE_SUPERIORITY_LOSS * max(-superiority, 0.0)
    g = max(aircraft_on_ground, 0.0)
    if g <= 0.0:
        return 0.0
    x = g * (1.0 - math.exp(-kill * eff / g))
    return min(stochastic_round(x, u), math.floor(g))


# --- port strikes [LIV] ------------------------------------------------------------------------
# Liverpool, 1-7 May 1941: ~680 bomber sorties put 69 of 144 cargo berths out of action (~48%)
# -> 1 - exp(-K x 680) = 0.48 with the defence of that night (~10% of bombers lost or turned).
PORT_K = 0.00096
# The berths came back within weeks: a lost share recovers with the time constant of the
# parameter ``port_recovery_days`` (applied by the sea rule).


@njit(cache=True)
def port_capacity_lost(sorties, quality, defence_share):
    """Share of a port's capacity put out of action by a strike (recovers over ``port_recovery_days``).

    ``defence_share`` is the share of the raid shot down or turned back by fighters and guns.
    """
    d = min(max(defence_share, 0.0), 1.0)
    eff = max(sorties, 0.0) * max(quality, 0.0) * (1.0 - d) / 0.9
    return 1.0 - math.exp(-PORT_K * eff)


# --- strategic bombing [USSBS] [BUTT] ----------------------------------------------------------
# Tons of bombs *on target* that e-fold an industry's output for a month, per industry point,
# with the scenario's unit set so that German industry in 1943 is REFERENCE_INDUSTRY points:
#   USSBS: the 1943 area offensive cost Germany ~9% of its production; Bomber Command dropped
#   ~157,000 t that year, ~half on target with Oboe/H2S -> 1 - exp(-78,500/E) = 0.09 ->
#   E ~ 830,000 t for the whole economy, 8,300 t per point. Check (not fitted): Hamburg, July-Aug
#   1943, ~9,000 t, ~60% on target, ~4% of German industry -> ~15% of a year's output; USSBS
#   put Hamburg's loss at ~1.8 months' production (15%).
REFERENCE_INDUSTRY = 100.0
TONS_PER_POINT = 8_300.0
# [BUTT]: in 1941 one in three aircraft that claimed to have attacked was within 5 miles of the
# target (one in ten over the Ruhr): the share of bombs on target 1939-42 was ~0.1-0.2.
ACCURACY_1939_42 = 0.15
TONS_PER_SORTIE_1939_42 = 1.5  # Wellington, Whitley, He 111, SB: 1-2 t
# A month's loss is mostly made good after repair and dispersal (USSBS: output rose through 1943):
# the share kept for good is the parameter ``industry_permanent_share`` (applied by airwar).


@njit(cache=True)
def industry_lost(sorties, tons_per_sortie, accuracy, industry, scale):
    """Industry points lost this month to strategic bombing of a region.

    Args:
        sorties: bomber sorties in the month.
        tons_per_sortie: bomb load (TONS_PER_SORTIE_1939_42 for the early war).
        accuracy: share on target (ACCURACY_1939_42 early; ~0.5 with 1943 aids).
        industry: the region's industry points.
        scale: the scenario's points for a 1943-German-size economy / REFERENCE_INDUSTRY
            (1.0 if the scenario counts industry on that reference).

    Returns:
        Points lost this month (``industry_permanent_share`` of them for good): small per sortie:
        one 1939-42 sortie costs a reference economy ~3e-5 points.
    """
    ind = max(industry, 0.0)
    if ind <= 0.0:
        return 0.0
    on_target = max(sorties, 0.0) * max(tons_per_sortie, 0.0) * min(max(accuracy, 0.0), 1.0)
    e = TONS_PER_POINT * ind / max(scale, 1e-9)
    return ind * (1.0 - math.exp(-on_target / e))


# --- chemical and biological attacks -----------------------------------------------------------
# What was done [HAR]: Unit 731 (Harbin, Pingfang) dropped plague-infected fleas and grain on
# Quzhou and Ningbo (Oct 1940) and Changde (Nov 1941), and spread cholera, typhoid and plague in
# the Zhejiang-Jiangxi campaign (1942). Documented deaths per city attack were in the tens to
# low hundreds at once (Ningbo ~100), with later epidemics and estimates into the thousands;
# in 1942 the Japanese army's own men fell ill by the thousands (~10,000 sick, ~1,700 dead, per
# Harris's sources). The Japanese army used gas (tear, vomiting, later mustard and lewisite) in
# China hundreds of times (Harris; Yoshimi & Matsuno's documents).
# The effect sizes (Chem, Bio) are assumptions (engine parameters) built on those orders of
# magnitude and on WWI gas.

# WWI gas [PRE]: ~113,000-125,000 t of agent, ~1.3 million casualties (~91,000 dead) -> ~10
# casualties per ton against troops who by 1917-18 had masks.
CHEM_CASUALTIES_PER_TON = 10.0  # protected troops (WWI average) [PRE]


class Chem(NamedTuple):
    """Effect sizes of a chemical attack: assumptions, each a parameter (``rules/params.py``)."""

    unprotected_mult: float  # casualties per ton of troops without masks or drill, x
    max_share: float  # at most this share of a force hit in one attack
    advance_factor: float  # an advance through contaminated ground in masks
    will_effect: float  # the victim's war will *rises* (propaganda, outrage)


class Bio(NamedTuple):
    """Effect sizes of a biological attack: assumptions, each a parameter (``rules/params.py``)."""

    casualties_per_attack: float  # sick and dead per attack on a city, mean
    death_share: float  # share of the sick who die
    medical_cut: float  # share of casualties a working public-health service prevents
    max_share: float  # at most this share of a city's people in one attack's epidemic
    will_effect: float  # the victim's war will rises, per attack (up to ten)
    sigma: float  # spread of an epidemic's size (log-scale s.d.)


_CHEM_PARAMS = (P.CHEM_UNPROTECTED_MULT, P.CHEM_MAX_SHARE, P.CHEM_ADVANCE, P.CHEM_WILL)
_BIO_PARAMS = (
    P.BIO_CASUALTIES,
    P.BIO_DEATH_SHARE,
    P.BIO_MEDICAL_CUT,
    P.BIO_MAX_SHARE,
    P.BIO_WILL,
    P.BIO_SIGMA,
)
DEFAULT_CHEM = Chem(*(P.PARAMS[i].default for i in _CHEM_PARAMS))
DEFAULT_BIO = Bio(*(P.PARAMS[i].default for i in _BIO_PARAMS))


@njit(cache=True)
def chem_of(params):
    """The chemical effect sizes of a run's parameter vector."""
    return Chem(
        params[P.CHEM_UNPROTECTED_MULT], params[P.CHEM_MAX_SHARE], params[P.CHEM_ADVANCE],
        params[P.CHEM_WILL],
    )  # fmt: skip


@njit(cache=True)
def bio_of(params):
    """The biological effect sizes of a run's parameter vector."""
    return Bio(
        params[P.BIO_CASUALTIES], params[P.BIO_DEATH_SHARE], params[P.BIO_MEDICAL_CUT],
        params[P.BIO_MAX_SHARE], params[P.BIO_WILL], params[P.BIO_SIGMA],
    )  # fmt: skip


@njit(cache=True)
def chemical_attack(tons_agent, men, protection, u, chem=DEFAULT_CHEM):
    """Casualties, advance factor and the victim's will change from a chemical attack on troops.

    Args:
        tons_agent: tons of agent delivered (bombs, shells, candles).
        men: men in the target force.
        protection: 0 no masks .. 1 masked and drilled (Soviet troops 1940 ~0.7).
        u: the engine's uniform (spread 0.5x-1.5x).
        chem: the effect sizes (:class:`Chem`; the run's, :func:`chem_of`).

    Returns:
        (casualties, advance_factor, will_change): advance_factor multiplies the target's
        advance on the days of attack; will_change adds to the *victim's* war will.
    """
    p = min(max(protection, 0.0), 1.0)
    per_ton = CHEM_CASUALTIES_PER_TON * (chem.unprotected_mult * (1.0 - p) + p)
    cas = max(tons_agent, 0.0) * per_ton * (0.5 + u)
    cas = min(cas, chem.max_share * max(men, 0.0))
    slow = chem.advance_factor if tons_agent > 0.0 else 1.0
    return cas, slow, chem.will_effect if tons_agent > 0.0 else 0.0


@njit(cache=True)
def biological_attack(attacks, population, medical, u, bio=DEFAULT_BIO):
    """Casualties, deaths and the victim's will change from plague or cholera bombs on a city.

    Args:
        attacks: attacks (a sortie group's load of infected fleas, grain or cultures).
        population: the city's population.
        medical: 0 none .. 1 a working public-health service.
        u: the engine's uniform (log-normal-like spread, ``bio.sigma``).
        bio: the effect sizes (:class:`Bio`; the run's, :func:`bio_of`).

    Returns:
        (casualties, deaths, will_change).
    """
    n = max(attacks, 0.0)
    if n <= 0.0:
        return 0.0, 0.0, 0.0
    uu = min(max(u, 1e-12), 1.0 - 1e-12)
    s = bio.sigma * math.sqrt(3.0) / math.pi
    spread = math.exp(s * math.log(uu / (1.0 - uu))) * math.sin(math.pi * s) / (math.pi * s)
    m = min(max(medical, 0.0), 1.0)
    cas = n * bio.casualties_per_attack * (1.0 - bio.medical_cut * m) * spread
    cas = min(cas, bio.max_share * max(population, 0.0))
    return cas, cas * bio.death_share, bio.will_effect * min(n, 10.0)
