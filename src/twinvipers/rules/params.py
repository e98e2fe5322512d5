"""Engine constants a scenario may override (``parameters:``), each with its default and source.

A run's parameter vector holds these first, in this order, then the scenario's assumptions. A
scenario sets a constant to a number or to ``{assumption: id}`` to make it uncertain per run.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Param:
    """One engine constant."""

    name: str
    default: float
    description: str
    source: str
    maximum: float | None = None  # the largest value a scenario may set (None: default x 100)


PARAMS: tuple[Param, ...] = (
    Param(
        "region_km",
        110.0,
        "Distance between neighbouring region centres, km: the one figure for a region's size. "
        "Battle counts ground won against it as march progress; truck parks haul in hops of it.",
        "Measured (great-circle distance between the centres of the regions each land edge "
        "joins): median 107 km over the 125 edges that touch a Polish region of the 1939 world "
        "map, where movement and battle are calibrated (Poland 1939); 121 km around Germany, "
        "117 km around Finland, 143 km west of 45°E, 162 km over the whole 1939 world (1,494 "
        "edges), 227 km on poland_1939's coarse 22-region map (a scenario sets its own). "
        "Rounded to 110 km: movement is counted in regions (move_regions_per_day 0.25 at "
        "Dupuy's 20-25 km a day implies ~90-100 km), and an earlier trial of 160 km missed "
        "the Poland backtest. Was 90 km in battle and 120 km in supply.",
    ),
    Param(
        "move_regions_per_day",
        0.25,
        "Foot-mobile progress across one region a day on plains.",
        "Dupuy (1987) Understanding War, ch. 13: unopposed foot march ~20-25 km/day; a region "
        "of this map is ~110 km deep (region_km).",
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
        "Share of a rail line's daily tonnage a troop movement may always use, however busy the "
        "line is with supply; on a quieter line it uses what the supply trains leave.",
        "Assumption: troop transfers had priority over supply when the staff ordered them (van "
        "Creveld, Supplying War, 1977, ch. 5), but supply kept running.",
    ),
    Param(
        "rail_quiet_front",
        1.0,
        "1: a force may entrain next to the enemy where no battle is fought in its region or "
        "next to it (a quiet front); 0: only away from the enemy.",
        "Switch, not a figure: in the Phoney War divisions were entrained behind the Westwall "
        "for the Polish and western deployments (OKH transfers of October 1939; van Creveld, "
        "Supplying War, 1977, ch. 5), while railheads under fire were not used.",
        maximum=1.0,
    ),
    Param(
        "rail_to_railhead",
        1.0,
        "1: a troop train may run into a region next to the enemy (a railhead behind the front; "
        "never into enemy ground); it still entrains only away from the enemy. 0: both ends of "
        "a train journey must be away from the enemy.",
        "Switch, not a figure: armies detrained at railheads close behind the front (the "
        "Westwall garrisons, the Brenner line; van Creveld, Supplying War, 1977, ch. 5).",
        maximum=1.0,
    ),
    Param(
        "rail_regions_per_day",
        3.0,
        "Regions a troop train covers in a day once loaded.",
        "Assumption: military trains averaged ~15 km/h with halts, ~300 km a day; a region "
        "of this map is ~110 km deep (region_km; TM-E 30-451 gives capacities, not speeds).",
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
    # --- at sea (rules/sea.py) ---
    Param(
        "fleet_repair_days",
        60.0,
        "Days in dockyard for ships damaged in action.",
        "Assumption: Exeter (River Plate, Dec 1939) needed over a year, destroyers with splinter "
        "damage weeks; two months is a middle figure.",
    ),
    Param(
        "fleet_replenish_days",
        5.0,
        "Days in port to refuel and restock before a fleet sails again.",
        "Assumption: a destroyer flotilla of 1939-40 turned round in a few days between "
        "Atlantic escort groups (Roskill, The War at Sea, vol. 1, ch. 6, recalled).",
    ),
    Param(
        "repairable_share",
        0.5,
        "Share of the ships a naval battle puts out of action that are damaged rather than sunk.",
        "Assumption: at Calabria and the River Plate every ship hit was damaged, at Matapan "
        "every ship put out of action sank; half is a middle figure.",
    ),
    Param(
        "bombard_days",
        3.0,
        "Days a bombardment mission fires before the ships withdraw (ammunition, air threat).",
        "Assumption: a bombardment of 1939-40 was a single operation of days, not a siege.",
    ),
    Param(
        "coast_defence_per_fort",
        0.15,
        "Share of a bombarding force's effort absorbed by coast batteries per fortification "
        "level (capped at 0.8).",
        "Assumption: no table found; a fort level 5 coast absorbs most (0.75) of the effort.",
    ),
    Param(
        "in_port_share",
        0.5,
        "Weight of an enemy fleet lying in a port on the zone when a landing is attempted.",
        "Assumption: a fleet in being sorties against a landing, at a disadvantage.",
    ),
    Param(
        "landing_garrison_per_fort",
        0.2,
        "Defence multiplier per fortification level against a landing.",
        "Assumption in the spirit of Dupuy's fortified-defence factors (1.3-1.6 for prepared "
        "and fortified positions; Dupuy 1987, Understanding War, app. A).",
    ),
    Param(
        "landing_failure_loss",
        0.25,
        "Share of a repulsed landing force lost (sunk in transit, killed on the beach, captured).",
        "Assumption: Wake, 11 Dec 1941, cost the Japanese two destroyers and ~340 men of ~450 "
        "landing troops embarked; Dieppe ~60% of the troops landed.",
    ),
    Param(
        "sea_visibility",
        0.8,
        "Mean visibility of a day's search at sea (1 a clear day).",
        "Assumption; weather at sea is not drawn.",
    ),
    Param(
        "night_action_share",
        0.35,
        "Share of naval contacts that become night actions.",
        "Assumption: River Plate and Calabria were fought by day, Matapan and the Java Sea at "
        "night.",
    ),
    # --- in the air (rules/airwar.py) ---
    Param(
        "air_range_hops",
        3.0,
        "Land hops over which a wing supports a battle from its base (~350 km).",
        "Assumption for the map: 1939 fighters had a combat radius of ~250-350 km (Bf 109E "
        "~300 km, I-16 ~250 km; Murray 1983, Strategy for Defeat).",
    ),
    Param(
        "strategic_range_hops",
        7.0,
        "Land hops a campaign's bombers reach (~850 km).",
        "Assumption for the map: He 111, DB-3, SB and G3M radii of ~600-1,000 km (Murray 1983, "
        "Strategy for Defeat).",
    ),
    Param(
        "air_rebase_hops",
        10.0,
        "Land hops within which an air group moves toward its side's battles (its theatre).",
        "Assumption, as the AI's ai_theatre_hops.",
    ),
    Param(
        "air_campaign_days",
        14.0,
        "Days an ordered air campaign lasts before the wing returns to supporting the front.",
        "Assumption: the timeline's strikes on Korea and Harbin are a campaign of days, not "
        "months.",
    ),
    Param(
        "strategic_sorties_per_day",
        1.0,
        "Sorties a serviceable bomber flies a day on a campaign.",
        "Assumption: one long-range sortie a day, below close support's rate at short range "
        "(rules/air.py SORTIES_PER_DAY 1.5, after Murray 1983).",
    ),
    Param(
        "bio_attacks_per_month",
        3.0,
        "Biological attacks a month on an authorised city.",
        "Assumption after Harris (1994), Factories of Death: Ningbo and Quzhou were each struck "
        "a few times in October 1940.",
    ),
    Param(
        "bio_medical",
        0.5,
        "Public-health service of a struck city (0 none .. 1 full).",
        "Assumption: a Soviet or Chinese city of 1940 with vaccine and quarantine in part.",
    ),
    # --- chemical weapons in battle (rules/battle.py) ---
    Param(
        "chem_tons_per_day",
        5.0,
        "Tons of agent a side authorised to use gas delivers a day in one engagement.",
        "Assumption: the Japanese army's gas use in China was mostly irritant candles and small "
        "numbers of mustard and lewisite shells, a few tons a day at most in one battle "
        "(Harris 1994).",
    ),
    Param(
        "chem_protection",
        0.7,
        "Gas protection of the troops attacked (0 none .. 1 full).",
        "Assumption applied to every army of 1939-40: air.chemical_attack's guide puts Soviet "
        "troops of 1940 at ~0.7 (masks issued and drilled).",
    ),
    # --- supply (rules/logistics.py) ---
    Param(
        "moving_intensity",
        0.3,
        "Consumption of a force on the march, between quiet (0) and heavy fighting (1).",
        "Assumption: fuel and fodder for the march without the ammunition of battle.",
    ),
    Param(
        "cut_off_days",
        21.0,
        "Days out of supply after which a surrounded force may surrender.",
        "Assumption: three weeks, the span over which the pockets of 1939-41 gave in (below).",
    ),
    Param(
        "cut_off_hazard",
        0.1,
        "Daily chance a surrounded force long out of supply surrenders.",
        "Assumption: encircled armies of 1939-41 (Kutno, the Kiev and Vyazma pockets) gave in "
        "over one to three weeks once cut off.",
    ),
    # --- supply (rules/supply.py) ---
    Param(
        "tons_per_industry",
        500.0,
        "Military supply a region's industry point sends to the front, t/day.",
        "Assumption, scaled so that the major powers' production exceeds what their railways "
        "can carry forward (Germany's 137 points of the 1939 world give ~68,000 t/day against "
        "~10-12,000 t/day reaching Army Group Centre by rail in Jul-Sep 1941, FMS P-190): "
        "transport, not output, limited WWII land campaigns (van Creveld 1977, Supplying War, "
        "ch. 5 and conclusion).",
    ),
    Param(
        "capital_tons",
        2000.0,
        "Depots and administration of the capital region, t/day, on top of its industry.",
        "Assumption: lets a power with little industry still supply a small army (~20 divisions "
        "idle at ~100 t/day).",
    ),
    Param(
        "refill_share",
        0.25,
        "Share of the gap to its stock cap a force asks for each day, after today's need.",
        "Assumption: a force refills its dumps over days, not at once.",
    ),
    Param(
        "short_threshold",
        0.5,
        "Supply state below which a day counts as a day out of supply.",
        "Assumption: half of the day's need, as ai_supply_min.",
    ),
    Param(
        "attrition_grace_days",
        14.0,
        "Days out of supply before attrition starts (a force lives off its stock and the land).",
        "Assumption: two weeks.",
    ),
    Param(
        "attrition_rate",
        0.005,
        "Daily loss (sickness, desertion, abandoned equipment) of a force out of supply for long.",
        "Assumption, below the German 6th Army at Stalingrad: ~250-300,000 men encircled and "
        "~91,000 captured ~70 days later (~1.5%/day, in heavy combat and hunger; recalled "
        "figures).",
    ),
    Param(
        "gauge_factor",
        0.25,
        "Share of a captured rail arc's capacity usable by a power whose rolling stock runs on "
        "another gauge, until the line is converted.",
        "Assumption informed by van Creveld (1977), Supplying War, ch. 5: in 1941 the Germans "
        "found few Soviet locomotives and wagons, converted lines slowly and ran them far below "
        "capacity, with transshipment at the gauge break.",
    ),
    Param(
        "gauge_convert_days",
        20.0,
        "Days for a power's railway troops to regauge the lines of one captured region.",
        "Assumption: the German conversion in 1941 lagged the front by hundreds of km and ran at "
        "some km a day per line (van Creveld 1977, Supplying War, ch. 5; no per-day figure "
        "taken from it).",
    ),
    # --- air power and special weapons (rules/air.py) ---
    Param(
        "cas_superiority_loss",
        0.5,
        "Share of close-support and interdiction sorties lost by a side that has lost the air "
        "(superiority -1; in proportion above).",
        "Assumption: a side without the air flies fewer and more costly sorties, at -1 half.",
    ),
    Param(
        "port_recovery_days",
        21.0,
        "Time constant, days, over which a port's capacity put out of action by bombs or guns "
        "recovers.",
        "Assumption: after the Liverpool May Blitz (1-7 May 1941) the berths came back within "
        "weeks (Collier 1957, The Defence of the United Kingdom).",
    ),
    Param(
        "industry_permanent_share",
        0.25,
        "Share of a month's industry lost to strategic bombing that is lost for good.",
        "Assumption: a month's loss was mostly made good after repair and dispersal (USSBS: "
        "German output rose through 1943).",
    ),
    Param(
        "chem_unprotected_mult",
        3.0,
        "Casualties per ton of agent among troops without masks or drill, relative to "
        "protected troops (WWI's ~10 a ton).",
        "Assumption on WWI gas (Prentiss 1937, Chemicals in War; Haber 1986).",
    ),
    Param(
        "chem_max_share",
        0.2,
        "Largest share of a force hit in one chemical attack.",
        "Assumption: at most a fifth of a force.",
    ),
    Param(
        "chem_advance_factor",
        0.6,
        "Factor on an advance through contaminated ground (in masks).",
        "Assumption.",
    ),
    Param(
        "chem_will_effect",
        0.01,
        "Rise in the victim's war will from a chemical attack (propaganda, outrage).",
        "Assumption.",
    ),
    Param(
        "bio_casualties_per_attack",
        600.0,
        "Sick and dead per biological attack on a city, mean.",
        "Assumption on Harris (1994), Factories of Death: documented deaths per city attack in "
        "the tens to low hundreds at once (Ningbo ~100), later epidemics into the thousands.",
    ),
    Param(
        "bio_death_share",
        0.5,
        "Share of the sick who die of a biological attack.",
        "Assumption: plague and cholera untreated in 1940.",
    ),
    Param(
        "bio_medical_cut",
        0.6,
        "Share of a biological attack's casualties a working public-health service prevents.",
        "Assumption: quarantine and vaccine.",
    ),
    Param(
        "bio_max_share",
        0.02,
        "Largest share of a city's people in one attack's epidemic.",
        "Assumption.",
    ),
    Param(
        "bio_will_effect",
        0.02,
        "Rise in the victim's war will per biological attack (up to ten a period).",
        "Assumption: the Twin Vipers timeline has the attacks strengthen Stalin's resolve.",
    ),
    Param(
        "bio_sigma",
        1.0,
        "Spread of a biological attack's epidemic (log-scale s.d.).",
        "Assumption: epidemics are very uncertain.",
    ),
    # --- the naval model (rules/naval.py) ---
    Param(
        "carrier_airborne_share",
        0.3,
        "Share of a carrier's strike already airborne when the enemy's strike hits it first.",
        "Assumption: at Midway Hiryu's strike flew; the other three carriers were caught "
        "re-arming (Hughes 1986, Fleet Tactics).",
    ),
    Param(
        "carrier_standoff_contact",
        0.2,
        "Chance of surface contact when a fleet whose carriers outweigh its guns keeps its "
        "distance.",
        "Assumption: Midway had no surface contact; Samar happened.",
    ),
    Param(
        "trade_other_causes",
        0.8,
        "Shipping sunk by mines and aircraft per ton sunk by submarines and raiders, scaling with "
        "the same naval effort against trade.",
        "Assumption from 1939-40 losses: ~81,000 GRT to mines and aircraft per ~101,000 GRT to "
        "U-boats and raiders (Roskill 1954, The War at Sea, vol. 1, app.; recalled).",
    ),
    Param(
        "blockade_max",
        0.9,
        "Share of sea-borne supply a zone's blockade stops at most.",
        "Assumption, not fitted: even the WWI blockade of Germany and Operation Starvation "
        "against Japan in 1945 let some shipping through (neutral flags, coastal routes, night "
        "runs).",
    ),
    Param(
        "blockade_half",
        3.0,
        "Blockade strength (patrol units) at which a zone without escorts stops half of "
        "blockade_max.",
        "Assumption.",
    ),
    Param(
        "escort_weight",
        1.0,
        "Blockade strength an escort unit cancels.",
        "Assumption: one for one.",
    ),
    Param(
        "port_bombard_k",
        0.15,
        "Port capacity put out of action per unit of naval gun power a day (exponential rate).",
        "Assumption: no good historical series of port bombardments exists; the Twin Vipers "
        "timeline's bombardment of Murmansk is the case in view.",
    ),
    Param(
        "landing_superiority",
        0.6,
        "Share of the naval strength in a zone a landing or an evacuation needs.",
        "Assumption: Crete, May 1941, both German sea-borne echelons caught and scattered by "
        "the RN; Wake's first attempt, Dec 1941, repulsed.",
    ),
    Param(
        "landing_penalty",
        2.0,
        "Divisor of a landing force's combat power in its first days ashore.",
        "Assumption after Dupuy (1979), Numbers, Predictions and War: a defender behind an "
        "unfordable river gets x1.5, and a beach is worse than a river (Gallipoli, Dieppe).",
    ),
    # --- combat (rules/combat.py) ---
    Param(
        "fort_defence_per_level",
        0.10,
        "Defence multiplier per fortification level (0-5) on top of the defender's posture.",
        "Assumption: Dupuy (1979), Numbers, Predictions and War, gives fortified defence 1.6 "
        "against 1.5 prepared; permanent works are worth more, +10% a level, so level 5 is a "
        "Maginot-class line at x1.5 on top of posture.",
    ),
    Param(
        "supply_floor",
        0.3,
        "Share of its combat power a force wholly out of supply keeps.",
        "Assumption: Dupuy has no single table for supply (he treats logistics through the CEV).",
    ),
    Param(
        "fatigue_max_loss",
        0.5,
        "Share of its combat power an exhausted force (fatigue 1) loses.",
        "Assumption: Dupuy has no single table for fatigue.",
    ),
    # --- the operational AI (command/allocate.py) ---
    Param(
        "ai_division_men",
        10000.0,
        "Men at which an enemy region counts as held by a division when the AI weighs what to "
        "attack: the defenders deter an objective in units of this.",
        "Assumption of scale only: a 1939 infantry division had 10,000-17,000 men (Dupuy 1987, "
        "Understanding War, app. A).",
    ),
    Param(
        "ai_base_worth",
        1.0,
        "Worth of a region without victory points as an objective (added to its victory points).",
        "Assumption: empty ground is still worth taking, less than any named prize.",
    ),
    # --- the war economy (rules/economy.py) ---
    Param(
        "tank_cost",
        1.2,
        "Munitions spending per tank or self-propelled gun, million 1990 international dollars.",
        "Calibrated on one power and year only, Germany 1939 (GDP 384 bn, 23% to the war, 35% "
        "of that on munitions, 5% of munitions on armour: about 1,300 tanks, Harrison 1998 "
        "tables 1.1, 1.6 and the tank production figures of docs/economy.md); the other powers "
        "and 1940 are out of sample.",
    ),
    Param(
        "aircraft_cost",
        1.5,
        "Munitions spending per military aircraft, million 1990 international dollars.",
        "Calibrated on Germany 1939 as tank_cost (40% of munitions on aircraft: Overy 1980, The "
        "Air War, ch. 7, on the Luftwaffe's share; 8,295 aircraft, docs/economy.md).",
    ),
    Param(
        "man_equipment_cost",
        0.004,
        "Munitions spending to equip one replacement soldier (rifle, share of guns, vehicles, "
        "kit), million 1990 international dollars.",
        "Assumption of scale: a 1939 infantry division's equipment cost of the order of 50-60 "
        "million 1990 dollars for ~15,000 men (Dupuy 1987, app. A, weapons per division, priced "
        "at the tank_cost scale); uncertain by a factor of two.",
    ),
    Param(
        "tank_lead_days",
        90.0,
        "Days from starting a tank to delivering it (production lead time).",
        "Assumption after Overy (1995), Why the Allies Won, ch. 6: three months from order "
        "release to delivery for series tanks.",
    ),
    Param(
        "aircraft_lead_days",
        60.0,
        "Days from starting an aircraft to delivering it to a unit.",
        "Assumption after Overy (1980), The Air War, ch. 7: two months of assembly and "
        "acceptance for series aircraft.",
    ),
    Param(
        "replacement_lead_days",
        60.0,
        "Days of training between a man leaving the pool and joining a force.",
        "German Ersatzheer recruit training of 8-12 weeks in 1939-40 (Kroener, in Germany and "
        "the Second World War, vol. V/1, 2000).",
    ),
    Param(
        "captured_industry_share",
        0.3,
        "Share of a captured region's output its new holder gets once working.",
        "Assumption after Liberman (1996), Does Conquest Pay?: occupied Europe's industry "
        "yielded Germany a fraction of its pre-war output, a third to a half in the West, less "
        "in the East.",
    ),
    Param(
        "captured_industry_delay_days",
        120.0,
        "Days after capture before a captured region's industry works for its new holder.",
        "Assumption after Liberman (1996): repairs and reorganisation took months.",
    ),
    Param(
        "oil_kt_per_point",
        100.0,
        "Thousand tons of crude a year per oil resource point of a region.",
        "The 1939 map's ratings: Baku 200 points against ~22 Mt in 1940, Ploesti 60 against "
        "6.2 Mt in 1939 (Romanian output; Hayward 1998, Stopped at Stalingrad, ch. 1).",
    ),
    Param(
        "fuel_t_per_man_idle",
        0.002,
        "Tons of fuel a day per man of a force's motorised share standing still.",
        "Assumption: a motorised division (~15,000 men) used ~30 t a day in quarters against "
        "~300 t a day on the move (van Creveld 1977, Supplying War, ch. 5).",
    ),
    Param(
        "fuel_t_per_man_moving",
        0.02,
        "Tons of fuel a day per man of a force's motorised share moving or fighting.",
        "van Creveld (1977), Supplying War, ch. 5: a panzer division needed ~300 t of fuel for "
        "a day's movement (~15,000 men).",
    ),
    Param(
        "fuel_t_per_sortie",
        2.0,
        "Tons of aviation fuel per sortie (an average of fighters and bombers).",
        "Assumption: a Bf 109 carried ~0.3 t, a He 111 ~2.5 t, with ground running and "
        "training (Murray 1983, Strategy for Defeat, app.).",
    ),
    Param(
        "peace_sortie_share",
        0.2,
        "Share of its war sortie rate an air force flies (training) at peace.",
        "Assumption.",
    ),
    Param(
        "fuel_t_per_ship_day",
        20.0,
        "Tons of fuel oil a day per warship at sea (an average over classes).",
        "Assumption: a destroyer burned ~30-60 t a day at cruising speed, a battleship ~200 t, "
        "submarines and small craft a few tons; fleets on station steam at economical speed "
        "(Roskill 1954, The War at Sea, vol. 1, app.): 20 t over all classes.",
    ),
    Param(
        "civil_oil_war_share",
        0.6,
        "Share of its peacetime civilian oil use a power at war allows its economy.",
        "Germany cut civilian consumption by rationing from September 1939 (Milward 1965, The "
        "German Economy at War, ch. 2; Birkenfeld 1964, Der synthetische Treibstoff): about 60%.",
    ),
    Param(
        "fuel_combat_loss",
        0.5,
        "Combat power a fully motorised force loses without fuel (scaled by its motorised "
        "share and the share of its fuel missing).",
        "Assumption: armour without fuel fights as static guns; German panzer units stranded "
        "for fuel in 1941-44 (van Creveld 1977, ch. 6).",
    ),
    Param(
        "oil_storage_factor",
        1.5,
        "A power's oil storage as a multiple of its start stock (or of half a year of its "
        "peacetime civilian use, the larger): beyond it its fields and plants throttle.",
        "Assumption: the powers' tank farms of 1939 held about what they stored then (Britain "
        "~7 months' supply, Payton-Smith 1971, ch. 4; the USA held ~500 M barrels in all, API, "
        "Petroleum Facts and Figures 1941); half again for wartime building. Without a bound "
        "a producer's stock grew without end (the USSR 6 to 39 Mt, the USA 20 to 136 Mt by 1945).",
    ),
    Param(
        "oil_industry_loss",
        0.3,
        "War output a power loses when its civilian economy gets none of its oil.",
        "Assumption: industry ran on coal; oil fed transport and farming (Milward 1965).",
    ),
    Param(
        "contraband_in_port_share",
        0.5,
        "Weight of an enemy fleet lying in a port on a sea zone in stopping a trade route "
        "through it (patrols and contraband control sail from it).",
        "Assumption after Medlicott (1952), The Economic Blockade, vol. 1: the Northern "
        "Patrol's cruisers sailed from Scapa Flow and Kirkwall.",
    ),
    Param(
        "shortage_threshold",
        0.9,
        "Share of its military fuel needs met below which a power is short of oil (event).",
        "Assumption.",
    ),
)

PARAMS += (
    # --- free diplomacy (rules/entry.py) ---
    Param(
        "diplomacy_free",
        0.0,
        "1: powers not at war choose war or neutrality by the diplomacy model (free diplomacy); "
        "0: off, and only the scenario's events declare war (canon runs are unchanged).",
        "Switch, not a figure: issue 13's free mode turns it on after the divergence.",
        maximum=1.0,
    ),
    Param(
        "diplomacy_every",
        30.0,
        "Days between the diplomacy model's regular evaluations (the strategic clock); a "
        "capitulation or a new war brings the next one forward to the same day.",
        "Assumption: cabinets reviewed neutrality monthly or on a shock (Ciano's diary records "
        "Mussolini's changes of mind over weeks, not days; dip_knox).",
    ),
    # --- the high command (command/high.py) ---
    Param(
        "hc_review_days",
        7.0,
        "Days between a high command's strategic reviews at command competence 1 (a shock - a "
        "new enemy, its capital threatened - brings one at once).",
        "Assumption: the weekly rhythm of the OKH/OKW and Stavka situation conferences and "
        "directives of 1939-41 (Megargee, Inside Hitler's High Command, 2000, ch. 4).",
    ),
    Param(
        "hc_theatre_hops",
        10.0,
        "Land hops from a theatre's most threatened front region within which the high command "
        "counts a front region facing the same enemy, and its forces, as one theatre.",
        "Assumption: as the operational AI's ai_theatre_hops (~1,200 km, a front with its "
        "military districts behind it); fronts against different enemies are apart however "
        "near. Measured: 3 hops (an army group's sector) split Finland's front into sectors "
        "whose reserves the high command shuffled, and the Winter War's length fell to 49% in "
        "the backtest (80% at 10 hops, 100 runs).",
    ),
    Param(
        "hc_threat_hops",
        2.0,
        "Land hops from a front region within which the enemy's combat power counts in its "
        "theatre's threat (each region once per theatre): the enemy within a march of the line, "
        "not only the men in contact.",
        "Assumption: what can reach the line before forces sent at this review arrive - a "
        "week's march at move_regions_per_day (0.25 regions a day, ~1.75 hops), rounded up; "
        "staffs counted the enemy's armies in its border districts (the Allies' and OKH's "
        "appreciations of 1939-40 counted divisions by army group area, not in contact; "
        "Megargee 2000, ch. 4).",
    ),
    Param(
        "hc_passive_weight",
        0.5,
        "Weight of a passive enemy's combat power in a theatre's threat: one with no offensive "
        "ordered or chosen (scripted target, objective of its own) against anyone.",
        "Assumption: in the Phoney War Germany held the West with ~46 divisions against ~100 "
        "French and British while its field army was in Poland (Weinberg 1994, p. 64): against a "
        "passive enemy, about half the parity a threatened front needs.",
    ),
    Param(
        "hc_hold_ratio",
        1.0,
        "Combat power a theatre's defenders need against the enemy power facing it (after the "
        "ground's defence multiplier), at risk tolerance 0.5; a power with tolerance t needs "
        "this times (1.5 - t).",
        "Assumption: Dupuy's defender holds at parity of combat power, the ground already counted "
        "(Numbers, Predictions and War, 1979, ch. 2).",
    ),
    Param(
        "hc_garrison_men",
        15000.0,
        "Combat power (man-equivalents) a quiet front region still needs: a border is never left "
        "open.",
        "Assumption: a division's worth of covering troops per frontier region (~110 km of "
        "front), as the frontier covering forces of 1939 (a division per 50-150 km).",
    ),
    Param(
        "hc_offensive_odds",
        0.6,
        "Win probability (the combat model's) an offensive of a power's own choosing needs, at "
        "aggressiveness 0.5; each 0.1 of aggressiveness above it lowers the bar by 0.03.",
        "Assumption: an attack is opened when the model gives it better than even odds; 0.6 at "
        "the combat model's slope is about 1.3:1 combat power after the ground's defence, short "
        "of the 3:1 rule of thumb (which counts men, not combat power).",
    ),
)

INDEX: dict[str, int] = {p.name: i for i, p in enumerate(PARAMS)}
N_PARAMS = len(PARAMS)

# Index constants for the compiled rules (numba reads module globals as constants).
REGION_KM = INDEX["region_km"]
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
RAIL_TO_RAILHEAD = INDEX["rail_to_railhead"]
RAIL_QUIET_FRONT = INDEX["rail_quiet_front"]
RELIEF_CHANCE = INDEX["leader_relief_chance"]
STALL_DAYS = INDEX["leader_stall_days"]
LANDING_LIFT = INDEX["landing_lift_men_per_day"]
CONVOY_SHARE = INDEX["convoy_share"]
FLEET_REPAIR_DAYS = INDEX["fleet_repair_days"]
FLEET_REPLENISH_DAYS = INDEX["fleet_replenish_days"]
REPAIRABLE_SHARE = INDEX["repairable_share"]
BOMBARD_DAYS = INDEX["bombard_days"]
COAST_DEFENCE_PER_FORT = INDEX["coast_defence_per_fort"]
IN_PORT_SHARE = INDEX["in_port_share"]
LANDING_GARRISON_PER_FORT = INDEX["landing_garrison_per_fort"]
LANDING_FAILURE_LOSS = INDEX["landing_failure_loss"]
SEA_VISIBILITY = INDEX["sea_visibility"]
NIGHT_SHARE = INDEX["night_action_share"]
AIR_RANGE_HOPS = INDEX["air_range_hops"]
STRATEGIC_RANGE_HOPS = INDEX["strategic_range_hops"]
REBASE_HOPS = INDEX["air_rebase_hops"]
CAMPAIGN_DAYS = INDEX["air_campaign_days"]
STRATEGIC_SORTIES = INDEX["strategic_sorties_per_day"]
BIO_ATTACKS = INDEX["bio_attacks_per_month"]
BIO_MEDICAL = INDEX["bio_medical"]
CHEM_TONS = INDEX["chem_tons_per_day"]
CHEM_PROTECTION = INDEX["chem_protection"]
MOVING_INTENSITY = INDEX["moving_intensity"]
CUT_OFF_DAYS = INDEX["cut_off_days"]
CUT_OFF_HAZARD = INDEX["cut_off_hazard"]
TONS_PER_INDUSTRY = INDEX["tons_per_industry"]
CAPITAL_TONS = INDEX["capital_tons"]
REFILL_SHARE = INDEX["refill_share"]
SHORT_THRESHOLD = INDEX["short_threshold"]
ATTRITION_GRACE = INDEX["attrition_grace_days"]
ATTRITION_RATE = INDEX["attrition_rate"]
GAUGE_FACTOR = INDEX["gauge_factor"]
GAUGE_CONVERT_DAYS = INDEX["gauge_convert_days"]
CAS_LOSS = INDEX["cas_superiority_loss"]
PORT_RECOVERY = INDEX["port_recovery_days"]
INDUSTRY_PERMANENT = INDEX["industry_permanent_share"]
CHEM_UNPROTECTED_MULT = INDEX["chem_unprotected_mult"]
CHEM_MAX_SHARE = INDEX["chem_max_share"]
CHEM_ADVANCE = INDEX["chem_advance_factor"]
CHEM_WILL = INDEX["chem_will_effect"]
BIO_CASUALTIES = INDEX["bio_casualties_per_attack"]
BIO_DEATH_SHARE = INDEX["bio_death_share"]
BIO_MEDICAL_CUT = INDEX["bio_medical_cut"]
BIO_MAX_SHARE = INDEX["bio_max_share"]
BIO_WILL = INDEX["bio_will_effect"]
BIO_SIGMA = INDEX["bio_sigma"]
AIRBORNE_SHARE = INDEX["carrier_airborne_share"]
STANDOFF_CONTACT = INDEX["carrier_standoff_contact"]
OTHER_CAUSES = INDEX["trade_other_causes"]
BLOCKADE_MAX = INDEX["blockade_max"]
BLOCKADE_HALF = INDEX["blockade_half"]
ESCORT_WEIGHT = INDEX["escort_weight"]
PORT_BOMBARD_K = INDEX["port_bombard_k"]
LANDING_SUPERIORITY = INDEX["landing_superiority"]
LANDING_PENALTY = INDEX["landing_penalty"]
FORT_PER_LEVEL = INDEX["fort_defence_per_level"]
SUPPLY_FLOOR = INDEX["supply_floor"]
FATIGUE_MAX_LOSS = INDEX["fatigue_max_loss"]
AI_DIVISION_MEN = INDEX["ai_division_men"]
AI_BASE_WORTH = INDEX["ai_base_worth"]
DIPLOMACY_FREE = INDEX["diplomacy_free"]
DIPLOMACY_EVERY = INDEX["diplomacy_every"]
TANK_COST = INDEX["tank_cost"]
AIRCRAFT_COST = INDEX["aircraft_cost"]
MAN_EQUIPMENT_COST = INDEX["man_equipment_cost"]
TANK_LEAD = INDEX["tank_lead_days"]
AIRCRAFT_LEAD = INDEX["aircraft_lead_days"]
REPLACEMENT_LEAD = INDEX["replacement_lead_days"]
CAPTURED_INDUSTRY = INDEX["captured_industry_share"]
CAPTURED_DELAY = INDEX["captured_industry_delay_days"]
OIL_KT_PER_POINT = INDEX["oil_kt_per_point"]
FUEL_IDLE = INDEX["fuel_t_per_man_idle"]
FUEL_MOVING = INDEX["fuel_t_per_man_moving"]
FUEL_SORTIE = INDEX["fuel_t_per_sortie"]
PEACE_SORTIES = INDEX["peace_sortie_share"]
FUEL_SHIP = INDEX["fuel_t_per_ship_day"]
CIVIL_OIL_WAR = INDEX["civil_oil_war_share"]
OIL_STORAGE = INDEX["oil_storage_factor"]
FUEL_COMBAT_LOSS = INDEX["fuel_combat_loss"]
OIL_INDUSTRY_LOSS = INDEX["oil_industry_loss"]
CONTRABAND_IN_PORT = INDEX["contraband_in_port_share"]
SHORTAGE_THRESHOLD = INDEX["shortage_threshold"]
HC_REVIEW_DAYS = INDEX["hc_review_days"]
HC_HOLD_RATIO = INDEX["hc_hold_ratio"]
HC_THEATRE_HOPS = INDEX["hc_theatre_hops"]
HC_PASSIVE = INDEX["hc_passive_weight"]
HC_THREAT_HOPS = INDEX["hc_threat_hops"]
HC_GARRISON_MEN = INDEX["hc_garrison_men"]
HC_OFFENSIVE_ODDS = INDEX["hc_offensive_odds"]
