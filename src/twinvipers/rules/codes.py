"""Integer codes shared by the compiler, the rules and the results writer."""

from __future__ import annotations

# Event kinds recorded in a run's history (the results contract's `kind`): their codes and the
# meaning of each field are in the table of rules.eventkinds; the record sites use these names.
from twinvipers.rules.eventkinds import (  # noqa: F401
    K_AIR_STRIKE,
    K_ALLIANCE,
    K_BATTLE,
    K_BLOCKADE,
    K_BOMBARDMENT,
    K_CAPITULATION,
    K_CAPTURED,
    K_EVACUATION,
    K_LANDING,
    K_LEADER,
    K_NAVAL_BATTLE,
    K_PEACE,
    K_SCRIPTED,
    K_SPECIAL,
    K_STRATEGY,
    K_TRADE_WAR,
    K_WAR,
    KINDS,
)

# Trigger program opcodes (postfix: operands first, then AND/OR/NOT with a count).
T_DATE, T_BETWEEN, T_CTRL, T_WAR, T_FIRED, T_CHANCE, T_AND, T_OR, T_NOT, T_GIVES_UP = range(10)

# Effect opcodes.
(
    E_DECLARE_WAR,
    E_PEACE,
    E_JOIN_ALLIANCE,
    E_TRANSFER,
    E_PLACE,
    E_MOVE,
    E_REMOVE,
    E_OFFENSIVE,
    E_REPLACE_LEADER,
    E_SET_WILL,
    E_SET_FORT,
    E_SET_VP,
    E_SET_INDUSTRY,
    E_MOBILISE,
    E_MOVE_FLEET,
    E_BLOCKADE,
    E_RAID,
    E_LANDING,
    E_BOMBARD,
    E_AIR_CAMPAIGN,
    E_CHEMICAL,
    E_BIOLOGICAL,
    E_EVACUATE,
    E_SET_INITIATIVE,
) = range(24)

# Fleet missions (Sea.fl_mission) and air missions (Air.a_mission; schema.AirMission order
# after SUPPORT, the default of a wing without orders).
M_PATROL, M_BLOCKADE, M_RAID, M_BOMBARD, M_LANDING = range(5)
A_SUPPORT = 0  # then 1 + index in schema.AirMission

# Per-power figures recorded in snapshots (the `powers` table's columns, in order).
POWER_FIELDS = ("men", "killed", "wounded", "captured", "regions", "vp", "will")
PF_MEN, PF_KILLED, PF_WOUNDED, PF_CAPTURED, PF_REGIONS, PF_VP, PF_WILL = range(7)
