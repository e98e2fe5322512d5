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
        "capitulation_vp_share",
        0.5,
        "Share of core victory points lost, with the capital, "
        "at which a power of ordinary will may capitulate.",
        "Placeholder until the land warfare model (HOI4's fixed 80% rule is the thing to beat).",
    ),
    Param(
        "capitulation_daily_chance",
        0.25,
        "Daily chance of capitulating once the threshold is met.",
        "Placeholder assumption.",
    ),
    Param(
        "killed_share",
        0.25,
        "Share of battle casualties killed (rest wounded).",
        "Dupuy (1990) Attrition, p. 49: about 1 killed to 3 wounded in WWII ground combat.",
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
CAP_VP_SHARE = INDEX["capitulation_vp_share"]
CAP_DAILY = INDEX["capitulation_daily_chance"]
KILLED_SHARE = INDEX["killed_share"]
LEADER_EFFECT = INDEX["leader_skill_effect"]
