"""The engine: one day is the rules in one fixed order; a batch is many independent runs.

The rule order is named once, in :func:`step`. Everything below :func:`run_batch` is compiled with
numba (``cache=True``); ``NUMBA_DISABLE_JIT=1`` runs the very same code as plain Python.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numba import njit

from twinvipers.command.orders import give_orders
from twinvipers.rules import codes
from twinvipers.rules.airwar import air_day
from twinvipers.rules.battle import close_all, resolve
from twinvipers.rules.capitulation import check_capitulations
from twinvipers.rules.control import update_control
from twinvipers.rules.events import scripted_events
from twinvipers.rules.jit import kernel
from twinvipers.rules.leaders import relieve_leaders
from twinvipers.rules.logistics import supply_rule
from twinvipers.rules.mobilisation import mobilise_reserves
from twinvipers.rules.movement import move
from twinvipers.rules.sea import sea_day
from twinvipers.rules.supply import stock_cap
from twinvipers.rules.weather import update_weather
from twinvipers.scenario.compile import Compiled
from twinvipers.world.arrays import History, new_history, new_state

#: The day's rules, in the order :func:`step` applies them (for documentation and tests).
RULE_ORDER = (
    "weather.update_weather",
    "events.scripted_events",
    "mobilisation.mobilise_reserves",
    "orders.give_orders",
    "movement.move",
    "sea.sea_day",
    "airwar.air_day",
    "battle.resolve",
    "leaders.relieve_leaders",
    "control.update_control",
    "logistics.supply_rule",
    "capitulation.check_capitulations",
)


@njit(cache=True)
def reset(w, s):
    """Put a run's state back to the start date."""
    # Small array-typed helpers rather than thirty inline slice assignments: the same work,
    # a fraction of the compile time.
    _copy(s.controller, w.r_controller)
    _copy(s.owner, w.r_owner)
    _copy(s.fort, w.r_fort)
    _copy(s.vp, w.r_vp)
    _copy(s.industry, w.r_industry)
    _copy2(s.at_war, w.war)
    _copy2(s.member, w.t_member)
    _fill(s.capitulated, False)
    _copy(s.will, w.p_will)
    _fill(s.p_target, -1)
    _fill(s.p_mobilised, -1)
    for p in range(w.war.shape[0]):
        for q in range(w.war.shape[0]):
            if w.war[p, q]:
                s.p_mobilised[p] = 0  # at war on the start date: mobilised already
    _fill(s.killed, 0.0)
    _fill(s.wounded, 0.0)
    _fill(s.captured, 0.0)
    _copy(s.f_region, w.f_region)
    _copy(s.f_men, w.f_men)
    _copy(s.f_men_start, w.f_men)
    _copy(s.f_tanks, w.f_tanks)
    _copy(s.f_leader, w.f_leader)
    for f in range(w.f_region.shape[0]):
        s.f_active[f] = w.f_region[f] >= 0
    _copy(s.f_reserve, w.f_reserve)
    _fill(s.f_target, -1)
    _fill(s.f_goal, -1)
    _fill(s.f_progress, 0.0)
    _fill(s.f_attack, -1)
    _fill(s.f_setback, False)
    _fill(s.l_relieved, False)
    _fill(s.fired, False)
    _fill(s.b_start, -1)
    _fill(s.r_weather, 0)  # set each day by update_weather before any rule reads it
    _fill(s.r_frozen, False)
    _fill(s.wx_day, -2)  # not yesterday: the first update draws every region
    _fill(s.gave_up, False)
    _copy(s.initiative, w.p_initiative)
    for f in range(w.f_men.shape[0]):
        s.f_stock[f] = stock_cap(w.f_men[f], w.f_motorised[f])  # forces start stocked
    _fill(s.f_days_short, 0)
    _fill(s.f_supply, 1.0)
    _fill(s.f_landed, -1)
    _copy(s.r_gauge, w.r_gauge)
    _fill(s.r_convert, 0.0)
    _fill(s.r_sea, 1.0)
    _fill(s.r_port_damage, 0.0)
    _fill(s.r_interdict, 0.0)
    _fill(s.r_naval_arty, 0.0)
    _fill(s.arc_tons, 0.0)
    _copy(s.fl_zone, w.fl_zone)
    _copy(s.fl_dest, w.fl_zone)  # a fleet given a zone operates there (back after refuelling)
    _fill(s.fl_mission, codes.M_PATROL)
    _fill(s.fl_target, -1)
    _fill(s.fl_until, -1)
    _fill(s.fl_station, -1)
    _copy2(s.fl_ships, w.fl_ships)
    _fill2(s.fl_damaged, 0.0)
    _fill(s.fl_rejoin, -1)
    for f in range(w.fl_zone.shape[0]):
        s.fl_sailed[f] = 0 if w.fl_zone[f] >= 0 else -1
    _copy(s.a_fighters, w.a_fighters)
    _copy(s.a_bombers, w.a_bombers)
    _fill(s.a_mission, codes.A_SUPPORT)
    _fill(s.a_target, -1)
    _fill(s.a_since, -1)
    _fill2(s.chem, False)
    _fill(s.bio_region, -1)
    _fill(s.bio_target, -1)
    _fill(s.bio_since, -1)
    _fill(s.grt_lost, 0.0)


@kernel
def _copy(dst, src):
    for i in range(dst.shape[0]):
        dst[i] = src[i]


@kernel
def _copy2(dst, src):
    for i in range(dst.shape[0]):
        for j in range(dst.shape[1]):
            dst[i, j] = src[i, j]


@kernel
def _fill(dst, value):
    for i in range(dst.shape[0]):
        dst[i] = value


@kernel
def _fill2(dst, value):
    for i in range(dst.shape[0]):
        for j in range(dst.shape[1]):
            dst[i, j] = value


@njit(cache=True)
def step(w, s, h, params, run, seed, day):
    """Advance one run by one day: the rules in their fixed order."""
    update_weather(w, s, seed, day)
    scripted_events(w, s, h, params, run, seed, day)
    mobilise_reserves(w, s, day)
    give_orders(w, s, params)
    move(w, s, params)
    sea_day(w, s, h, params, run, seed, day)
    air_day(w, s, h, run, seed, day)
    resolve(w, s, h, params, run, seed, day)
    relieve_leaders(w, s, h, params, run, seed, day)
    update_control(w, s, h, run, day)
    supply_rule(w, s, h, params, run, seed, day)
    check_capitulations(w, s, h, params, run, seed, day)


@kernel
def snapshot(w, s, h, i, k):
    """Record control and per-power figures of run ``i`` into snapshot slot ``k``."""
    R = s.controller.shape[0]
    for r in range(R):
        h.ctrl[i, k, r] = s.controller[r]
    pw = h.pw[i, k]
    pw[:, :] = 0.0
    for f in range(s.f_men.shape[0]):
        if s.f_active[f]:
            pw[w.f_power[f], codes.PF_MEN] += s.f_men[f]
    for r in range(R):
        pw[s.controller[r], codes.PF_REGIONS] += 1.0
        pw[s.controller[r], codes.PF_VP] += s.vp[r]
    for p in range(s.killed.shape[0]):
        pw[p, codes.PF_KILLED] = s.killed[p]
        pw[p, codes.PF_WOUNDED] = s.wounded[p]
        pw[p, codes.PF_CAPTURED] = s.captured[p]
        pw[p, codes.PF_WILL] = s.will[p]


@njit(cache=True)
def run_batch(w, s, h, params, seeds, n_days):
    """Simulate runs ``0..len(seeds)-1`` of a batch, each from the start date for ``n_days``."""
    for i in range(seeds.shape[0]):
        reset(w, s)
        seed = seeds[i]
        k = 0
        for day in range(n_days):
            step(w, s, h, params[i], i, seed, day)
            if k < w.snap_days.shape[0] and day == w.snap_days[k]:
                snapshot(w, s, h, i, k)
                k += 1
        close_all(w, s, h, i)
        h.end_day[i] = n_days - 1


@dataclasses.dataclass
class BatchResult:
    """A batch's raw history: flat event columns (run index within the batch) and snapshots."""

    history: History
    n_events: int


def simulate(
    c: Compiled, params: np.ndarray, seeds: np.ndarray, events_per_run: int = 1024
) -> BatchResult:
    """Run one batch; grow the event buffer and rerun (deterministically) if it overflows.

    ``events_per_run``: with the operational AI a world run records ~800 events (battles and
    captures), so the first buffer is sized for that rather than rerun.
    """
    w = c.world
    n_days = int(w.snap_days[-1]) + 1
    n = len(seeds)
    capacity = max(events_per_run * n, 1024)
    while True:
        s = new_state(w)
        h = new_history(
            n, len(w.snap_days), len(w.r_owner), len(w.p_capital), len(codes.POWER_FIELDS), capacity
        )
        run_batch(
            w,
            s,
            h,
            np.ascontiguousarray(params, np.float64),
            np.ascontiguousarray(seeds, np.uint64),
            n_days,
        )
        if h.count[1] == 0:
            return BatchResult(h, int(h.count[0]))
        capacity *= 4
