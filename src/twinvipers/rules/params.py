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


PARAMS: tuple[Param, ...] = (
    Param(
        "move_regions_per_day",
        0.25,
        "Foot-mobile progress across one region a day on plains.",
        "Dupuy (1987) Understanding War, ch. 13: unopposed foot march ~20-25 km/day; a region "
        "of this map is ~80-120 km deep.",
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
        "capitulation_rate",
        3.0,
        "Daily hazard of giving up per unit of pressure above the threshold (relative).",
        "Assumption: excess pressure 0.3 gives ~60% a day, so collapse follows within days.",
    ),
    Param(
        "region_depth_km",
        60.0,
        "Ground an attacker must gain in a defended region before its defenders give it up.",
        "Assumption: the depth of a defended zone of the 1939 map's regions (100-150 km "
        "apart); with Dupuy's advance rates a division-scale breakthrough takes 3-20 days.",
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
CAP_RATE = INDEX["capitulation_rate"]
KILLED_SHARE = INDEX["killed_share"]
REGION_DEPTH = INDEX["region_depth_km"]
LEADER_EFFECT = INDEX["leader_skill_effect"]
LANDING_LIFT = INDEX["landing_lift_men_per_day"]
CONVOY_SHARE = INDEX["convoy_share"]
