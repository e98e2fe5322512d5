"""A run's state: one small record per mechanic, each owned by the rule module that keeps it.

``State`` bundles the records; a rule reads and writes ``s.<record>.<field>``. Each record's
class, allocation (``new_*``) and reset to the start date (``reset_*``) sit beside the rule that
owns it, so a new mechanic adds its record here in one line and touches no other record.
Cross-rule channels (today's naval gunfire, air superiority, the sea lanes' share of port supply,
air interdiction, setbacks) are fields of the record of the rule that produces them, documented
there.
"""

from __future__ import annotations

from typing import NamedTuple

from numba import njit

from twinvipers.command.high import High, new_high, reset_high
from twinvipers.rules.airwar import Air, new_air, reset_air
from twinvipers.rules.battle import Battle, new_battle, reset_battle
from twinvipers.rules.control import Control, new_control, reset_control
from twinvipers.rules.diplomacy import Politics, new_politics, reset_politics
from twinvipers.rules.economy import Economy, new_economy, reset_economy
from twinvipers.rules.entry import Entry, new_entry, reset_entry
from twinvipers.rules.logistics import Supply, new_supply, reset_supply
from twinvipers.rules.movement import Land, new_land, reset_land
from twinvipers.rules.sea import Sea, new_sea, reset_sea
from twinvipers.rules.weather import Weather, new_weather, reset_weather


class State(NamedTuple):
    """One run's dynamic state (reset from the World at the start of each run)."""

    control: Control  # rules.control: who holds each region
    politics: Politics  # rules.diplomacy: wars, treaties, will
    land: Land  # rules.movement: forces, commanders, losses
    battle: Battle  # rules.battle: engagements
    weather: Weather  # rules.weather: today's weather and ice
    supply: Supply  # rules.logistics: stocks, supply states, gauges
    sea: Sea  # rules.sea: fleets, landings, sea lanes
    air: Air  # rules.airwar: air wings, special weapons
    entry: Entry  # rules.entry: free diplomacy's draws and clock
    econ: Economy  # rules.economy: output, production, manpower, oil, trade
    high: High  # command.high: strategic reviews, theatre transfers, own objectives


def new_state(w) -> State:
    """Allocate a State shaped for world ``w`` (values are set by :func:`reset`)."""
    return State(
        new_control(w), new_politics(w), new_land(w), new_battle(w), new_weather(w),
        new_supply(w), new_sea(w), new_air(w), new_entry(w),
        new_economy(w),
        new_high(w),
    )  # fmt: skip


@njit(cache=True)
def reset(w, s):
    """Put a run's state back to the start date."""
    reset_control(w, s.control)
    reset_politics(w, s.politics)
    reset_land(w, s.land)
    reset_battle(w, s.battle)
    reset_weather(w, s.weather)
    reset_supply(w, s.supply)
    reset_sea(w, s.sea)
    reset_air(w, s.air)
    reset_entry(w, s.entry)
    reset_economy(w, s.econ)
    reset_high(w, s.high)
