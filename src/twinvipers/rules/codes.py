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
    K_ENTRY,
    K_ENTRY_FACTOR,
    K_EVACUATION,
    K_LANDING,
    K_LEADER,
    K_NAVAL_BATTLE,
    K_OIL_DELIVERED,
    K_PEACE,
    K_ROUTE_CUT,
    K_ROUTE_OPENED,
    K_SCRIPTED,
    K_SHORTAGE,
    K_SPECIAL,
    K_STRATEGY,
    K_TERMS_ANSWERED,
    K_TERMS_SOUGHT,
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
    E_OFFER,
) = range(25)

# Fleet missions (Sea.fl_mission) and air missions (Air.a_mission; schema.AirMission order
# after SUPPORT, the default of a wing without orders).
M_PATROL, M_BLOCKADE, M_RAID, M_BOMBARD, M_LANDING = range(5)
A_SUPPORT = 0  # then 1 + index in schema.AirMission

# Per-power figures recorded in snapshots (the `powers` table's columns, in order).
POWER_FIELDS = ("men", "killed", "wounded", "captured", "regions", "vp", "will")
PF_MEN, PF_KILLED, PF_WOUNDED, PF_CAPTURED, PF_REGIONS, PF_VP, PF_WILL = range(7)
# The war economy's figures (rules.economy.econ_snapshot), after those.
ECONOMY_FIELDS = (
    "war_output",  # output of the regions working for it, billion 1990 $ a year
    "mobilisation",  # share of output spent on the war
    "tanks_built",  # tanks delivered since the start, cumulative
    "aircraft_built",  # aircraft delivered since the start, cumulative
    "men_replaced",  # replacement men put into forces since the start, cumulative
    "manpower_pool",  # men fit for service not yet called
    "oil_stock",  # kt
    "oil_produced",  # kt since the start (oil regions and synthetic plants)
    "oil_imported_rail",  # kt since the start by routes over land
    "oil_imported_sea",  # kt since the start by routes with a sea leg
    "oil_exported",  # kt since the start
    "oil_consumed",  # kt since the start
    "fuel_share",  # share of the day's military fuel need met
)
POWER_FIELDS = POWER_FIELDS + ECONOMY_FIELDS
(
    PF_OUTPUT,
    PF_MOBILISATION,
    PF_TANKS_BUILT,
    PF_AIRCRAFT_BUILT,
    PF_MEN_REPLACED,
    PF_POOL,
    PF_OIL_STOCK,
    PF_OIL_PRODUCED,
    PF_OIL_RAIL,
    PF_OIL_SEA,
    PF_OIL_EXPORTED,
    PF_OIL_USED,
    PF_FUEL,
) = range(7, 7 + len(ECONOMY_FIELDS))
# Killed and wounded in land battles, per power (a battle event's losses include its allies').
POWER_FIELDS = POWER_FIELDS + ("lost_in_battle",)
PF_IN_BATTLE = len(POWER_FIELDS) - 1
