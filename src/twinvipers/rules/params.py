"""Engine constants a scenario may override (``parameters:``), each with its default and source.

A run's parameter vector holds these first, in this order, then the scenario's assumptions. A
scenario sets a constant to a number or to ``{assumption: id}`` to make it uncertain per run.
"""

from __future__ import annotations

import dataclasses

REGION_KM = 110.0
"""Distance between neighbouring region centres, km: the one figure for a region's size.

Measured (great-circle distance between the centres of the regions each land edge joins, this
session): median 107 km over the 125 edges that touch a Polish region of the 1939 world map,
where the engine's movement and battle are calibrated (Poland 1939); 121 km around Germany, 117
km around Finland, 143 km west of 45°E, 162 km over the whole 1939 world (1,494 edges), 227 km on
poland_1939's coarse 22-region map. Rounded to 110 km: movement is counted in regions
(``move_regions_per_day`` 0.25 at Dupuy's 20-25 km a day implies ~90-100 km), and an earlier
trial of 160 km missed the Poland backtest. Battle counts ground won against it and truck parks their
hauls in it; was 90 km in battle and 120 km in supply.
"""


@dataclasses.dataclass(frozen=True)
class Param:
    """One engine constant."""

    name: str
    default: float
    description: str
    source: str


PARAMS: tuple[Param, ...] = (
    Param(
        "move_regions_per_day",
        0.25,
        "Foot-mobile progress across one region a day on plains.",
        "Dupuy (1987) Understanding War, ch. 13: unopposed foot march ~20-25 km/day; a region "
        "of this map is ~110 km deep (REGION_KM).",
    ),
    Param(
        "attacker_loss_rate",
        0.028,
        "Attacker's daily casualty fraction, 1:1, before factors.",
        "Dupuy (1990) Attrition, p. 174: 2.8%/day for a division-size attacker.",
    ),
    Param(
        "defender_loss_rate",
        0.015,
        "Defender's daily casualty fraction, 1:1, before factors.",
        "Dupuy (1990) Attrition, p. 174: 1.5%/day for a division-size defender.",
    ),
    Param(
        "breakpoint",
        0.7,
        "Share of its initial men at which a defending force gives way.",
        "Dupuy (1987) Understanding War, ch. 11: units break near 20-40% losses.",
    ),
    Param(
        "capitulation_threshold",
        0.5,
        "War pressure a power of ordinary will (1.0) bears before it may give up; scaled by "
        "its will.",
        "Assumption, set so that Poland 1939 (capital and most core lost, half the army "
        "gone) gives up within days and France 1940 within a week of Paris: checkpoints.md.",
    ),
    Param(
        "capitulation_weight_vp",
        0.5,
        "Weight of the share of core victory points held by the enemy in war pressure.",
        "Assumption (HOI4 surrenders at a fixed 80% of core VPs; here territory is one of "
        "three pressures).",
    ),
    Param(
        "capitulation_weight_capital",
        0.3,
        "Weight of the loss of the capital in war pressure.",
        "Assumption: Warsaw, Paris, Oslo; governments that lost their capital gave up or fled.",
    ),
    Param(
        "capitulation_weight_losses",
        0.4,
        "Weight of the share of the army killed, wounded or captured in war pressure.",
        "Assumption after Dupuy (1987) Understanding War, ch. 11, on armies breaking at heavy "
        "losses.",
    ),
    Param(
        "capitulation_weight_fortified",
        0.3,
        "Weight in war pressure of the share of the power's core fortification (the fort levels "
        "of its core regions) held by the enemy: the prepared lines its war plan rested on.",
        "Assumption, weighted as the capital: Finland sued for peace in March 1940 with its army "
        "in the field but the Mannerheim Line broken at Summa and the Viipuri line going, on "
        "Mannerheim's report that the army could not hold in the open (Trotter 1991, A Frozen "
        "Hell, ch. 19; Van Dyke 1997, ch. 7); France asked for an armistice once the Weygand "
        "line broke (Jackson 2003, The Fall of France). Not fitted: 0.3 is the capital's weight.",
    ),
    Param(
        "terms_threshold_share",
        0.6,
        "Share of its surrender threshold at which a power accepts limited terms (a scenario's "
        "gives_up event) rather than fight on.",
        "Assumption: a peace that costs a province is accepted long before total defeat "
        "(Finland signed the Moscow Peace with its army in the field once the Isthmus line "
        "broke: Trotter 1991, ch. 19); 0.6 was set against that one case, so the Winter War's "
        "timing is fitted, not validated.",
    ),
    Param(
        "capitulation_rate",
        0.6,
        "Daily hazard of giving up per unit of pressure above the threshold (relative).",
        "Set so that a power whose capital has just fallen (excess pressure ~0.1-0.2) gives up "
        "about a week later, as governments of 1939-40 did: Warsaw 28 Sep to the last field "
        "army at Kock 6 Oct 1939 (Zaloga & Madej 1985), Brussels 17 May to the Belgian "
        "capitulation 28 May 1940, Paris 14 June to the armistice 22 June 1940 (Jackson 2003, "
        "The Fall of France). Was 3.0 (~60% a day at 0.3), which made Poland give up within "
        "two days of Warsaw, a week early, in the historical backtest; 0.6 was then chosen "
        "among 0.35, 0.6 and 1.0 with that checkpoint in view, so it is fitted on Poland.",
    ),
    Param(
        "region_depth_km",
        25.0,
        "Ground an attacker must gain in a defended region before its defenders give it up "
        "(beyond it the defence is broken and the attacker marches on).",
        "Assumption: the depth of a corps' defended zone in 1939-40, outposts, main zone and "
        "rear positions, ~15-30 km (German Truppenführung 1933 and Soviet PU-36 defence "
        "zones; the Mannerheim Line's main and intermediate lines ~20-30 km deep, Trotter "
        "1991). Dupuy's opposed advance rates apply inside it. Was 60 km, which made every "
        "region a set-piece battle (Poland held 70+ days in the historical scenario).",
    ),
    Param(
        "killed_share",
        0.25,
        "Share of battle casualties killed (rest wounded).",
        "Dupuy (1990) Attrition, p. 49: about 1 killed to 3 wounded in WWII ground combat.",
    ),
    Param(
        "landing_lift_men_per_day",
        10000.0,
        "Men a landing's shipping puts ashore a day.",
        "Assumption: Norway, 9 Apr 1940, ~8,850 men in the first waves at six ports in one day "
        "(Ziemke, The German Northern Theater of Operations, 1959, ch. 3; recalled figure).",
    ),
    Param(
        "convoy_share",
        0.4,
        "Share of a blockaded or raided power's shipping at risk that sails in escorted convoy.",
        "Roskill, The War at Sea, vol. 1 (1954), ch. 6: neutrals and fast or slow British ships "
        "sailed alone in 1939-40 (the naval rule's calibration; rules/naval.py).",
    ),
    Param(
        "leader_skill_effect",
        0.05,
        "Combat effectiveness change per skill point from 3.",
        "Assumption of the skeleton model.",
    ),
    Param(
        "ai_attack_ratio",
        1.5,
        "Men a force on the line needs against the men in an adjacent enemy region before the "
        "operational AI attacks it without a scripted offensive.",
        "Assumption after Dupuy (1987) Understanding War, ch. 9: attacks at under 1.5:1 in "
        "combat power rarely succeed; quality and posture then decide in battle.",
    ),
    Param(
        "ai_offensive_ratio",
        2.0,
        "Men a power needs against the enemy men facing its front before the AI opens an "
        "offensive of its own toward an objective.",
        "Assumption: the 'three to one' planning rule of thumb, discounted because the enemy "
        "facing a front is rarely all committed (Dupuy 1987, ch. 9).",
    ),
    Param(
        "ai_reserve_share",
        0.2,
        "Share of a defending power's free men kept as a reserve behind its most threatened front.",
        "Assumption: a corps or army in reserve per army group, about one fifth of the men "
        "(Glantz 1998, Stumbling Colossus: second-echelon armies).",
    ),
    Param(
        "ai_theatre_hops",
        10.0,
        "Land hops within which the AI sends free forces to a front, a reserve or an objective "
        "of its own; farther moves (another theatre) are decisions for the scenario's events.",
        "Assumption: ~1,200 km, a front's depth with its military districts behind it; the "
        "transfers between theatres of 1939-40 (Siberian divisions to the west in 1941, the "
        "Twin Vipers' three corps to the east) were each a decision of the high command.",
    ),
    Param(
        "ai_encircled_share",
        0.6,
        "Share of a region's neighbours held by or holding the enemy at which a force there is "
        "at risk of encirclement.",
        "Assumption: 'mostly surrounded' taken as three neighbours in five.",
    ),
    Param(
        "ai_outmatched_ratio",
        1.5,
        "Enemy men around a region per friendly man in it at which an at-risk force pulls "
        "back rather than be encircled.",
        "Assumption, the same 1.5:1 as ai_attack_ratio from the enemy's side.",
    ),
    Param(
        "ai_supply_min",
        0.5,
        "Share of its supply need a force must receive before the AI lets it advance.",
        "Assumption of the issue's contract: a force below half supply does not advance.",
    ),
    Param(
        "rail_tons_per_man",
        1.5,
        "Rail tonnage per man moved with his unit's equipment, horses and vehicles.",
        "US War Dept (1945) TM-E 30-451, ch. VI sec. VI: a German troop train carries about "
        "250-300 men with their vehicles; FMS P-190: about 450 t a train.",
    ),
    Param(
        "rail_troop_share",
        0.5,
        "Share of a rail line's daily tonnage a troop movement may use (supply keeps running).",
        "Assumption.",
    ),
    Param(
        "rail_regions_per_day",
        3.0,
        "Regions a troop train covers in a day once loaded.",
        "Assumption: military trains averaged ~15 km/h with halts, ~300 km a day; a region "
        "of this map is ~110 km deep (REGION_KM; TM-E 30-451 gives capacities, not speeds).",
    ),
    Param(
        "leader_relief_chance",
        0.15,
        "Chance a commander of average skill (3) is relieved after one setback (a retreat, "
        "a surrender or a stalled attack); scaled by (6 - skill) / 3.",
        "Assumption: of the German army commanders of 1939-41 a handful were relieved after "
        "failures (Brauchitsch, Rundstedt, Guderian, Hoepner in December 1941); Soviet "
        "front commanders far more often (Glantz 1998).",
    ),
    Param(
        "leader_stall_days",
        10.0,
        "Days an attack may stall, losing more men than it inflicts, before it counts as a "
        "setback for its commander (and again every as many days).",
        "Assumption.",
    ),
)

INDEX: dict[str, int] = {p.name: i for i, p in enumerate(PARAMS)}
N_PARAMS = len(PARAMS)

# Index constants for the compiled rules (numba reads module globals as constants).
MOVE_RATE = INDEX["move_regions_per_day"]
ATT_LOSS = INDEX["attacker_loss_rate"]
DEF_LOSS = INDEX["defender_loss_rate"]
BREAKPOINT = INDEX["breakpoint"]
CAP_THRESHOLD = INDEX["capitulation_threshold"]
CAP_W_VP = INDEX["capitulation_weight_vp"]
CAP_W_CAPITAL = INDEX["capitulation_weight_capital"]
CAP_W_LOSSES = INDEX["capitulation_weight_losses"]
CAP_W_FORT = INDEX["capitulation_weight_fortified"]
CAP_RATE = INDEX["capitulation_rate"]
TERMS_SHARE = INDEX["terms_threshold_share"]
KILLED_SHARE = INDEX["killed_share"]
REGION_DEPTH = INDEX["region_depth_km"]
LEADER_EFFECT = INDEX["leader_skill_effect"]
AI_ATTACK = INDEX["ai_attack_ratio"]
AI_OFFENSIVE = INDEX["ai_offensive_ratio"]
AI_RESERVE = INDEX["ai_reserve_share"]
AI_ENCIRCLED = INDEX["ai_encircled_share"]
AI_OUTMATCHED = INDEX["ai_outmatched_ratio"]
AI_SUPPLY_MIN = INDEX["ai_supply_min"]
AI_THEATRE = INDEX["ai_theatre_hops"]
RAIL_TONS_PER_MAN = INDEX["rail_tons_per_man"]
RAIL_TROOP_SHARE = INDEX["rail_troop_share"]
RAIL_SPEED = INDEX["rail_regions_per_day"]
RELIEF_CHANCE = INDEX["leader_relief_chance"]
STALL_DAYS = INDEX["leader_stall_days"]
LANDING_LIFT = INDEX["landing_lift_men_per_day"]
CONVOY_SHARE = INDEX["convoy_share"]
