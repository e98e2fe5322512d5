"""The engine: one day is the rules in one fixed order; a batch is many independent runs.

The rule order is named once, in :func:`step`. Everything below :func:`run_batch` is compiled with
numba (``cache=True``); ``NUMBA_DISABLE_JIT=1`` runs the very same code as plain Python.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import textwrap

import numpy as np
from numba import njit

from twinvipers.command.high import high_command
from twinvipers.command.orders import give_orders
from twinvipers.rules import codes
from twinvipers.rules.airwar import air_day
from twinvipers.rules.battle import close_all, resolve
from twinvipers.rules.capitulation import check_capitulations
from twinvipers.rules.control import update_control
from twinvipers.rules.economy import econ_snapshot, economy_day
from twinvipers.rules.entry import decide_entry
from twinvipers.rules.events import scripted_events
from twinvipers.rules.jit import kernel
from twinvipers.rules.leaders import relieve_leaders
from twinvipers.rules.logistics import supply_rule
from twinvipers.rules.mobilisation import mobilise_reserves
from twinvipers.rules.movement import move
from twinvipers.rules.sea import sea_day
from twinvipers.rules.weather import update_weather
from twinvipers.scenario.compile import Compiled
from twinvipers.state import new_state, reset
from twinvipers.world.arrays import Ctx, History, new_history


@njit(cache=True)
def step(w, s, h, ctx):
    """Advance one run by one day: the rules in their fixed order (the one place naming it).

    Every rule has the one signature ``rule(w, s, h, ctx)``; :data:`RULE_ORDER` is read from
    this function's body.
    """
    update_weather(w, s, h, ctx)
    scripted_events(w, s, h, ctx)
    decide_entry(w, s, h, ctx)
    mobilise_reserves(w, s, h, ctx)
    high_command(w, s, h, ctx)
    give_orders(w, s, h, ctx)
    move(w, s, h, ctx)
    sea_day(w, s, h, ctx)
    air_day(w, s, h, ctx)
    resolve(w, s, h, ctx)
    relieve_leaders(w, s, h, ctx)
    update_control(w, s, h, ctx)
    supply_rule(w, s, h, ctx)
    check_capitulations(w, s, h, ctx)
    economy_day(w, s, h, ctx)


def _rule_order() -> tuple[str, ...]:
    """The rules :func:`step` calls, in order, as ``module.function`` (read from its source)."""
    fn = step.py_func if hasattr(step, "py_func") else step
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    names = [
        node.value.func.id
        for node in tree.body[0].body
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
    ]
    mods = [getattr(globals()[n], "py_func", globals()[n]).__module__ for n in names]
    return tuple(f"{m.rsplit('.', 1)[-1]}.{n}" for m, n in zip(mods, names, strict=True))


#: The day's rules in the order :func:`step` applies them (derived, so they cannot drift).
RULE_ORDER = _rule_order()


@kernel
def snapshot(w, s, h, i, k):
    """Record control and per-power figures of run ``i`` into snapshot slot ``k``."""
    s_control, s_politics, s_land = s.control, s.politics, s.land
    R = s_control.controller.shape[0]
    for r in range(R):
        h.ctrl[i, k, r] = s_control.controller[r]
    pw = h.pw[i, k]
    pw[:, :] = 0.0
    for f in range(s_land.f_men.shape[0]):
        if s_land.f_active[f]:
            pw[w.f_power[f], codes.PF_MEN] += s_land.f_men[f]
    for r in range(R):
        pw[s_control.controller[r], codes.PF_REGIONS] += 1.0
        pw[s_control.controller[r], codes.PF_VP] += s_control.vp[r]
    for p in range(s_land.killed.shape[0]):
        pw[p, codes.PF_KILLED] = s_land.killed[p]
        pw[p, codes.PF_WOUNDED] = s_land.wounded[p]
        pw[p, codes.PF_CAPTURED] = s_land.captured[p]
        pw[p, codes.PF_IN_BATTLE] = s_land.in_battle[p]
        pw[p, codes.PF_WILL] = s_politics.will[p]
    econ_snapshot(s.econ, pw)


@njit(cache=True)
def run_batch(w, s, h, params, seeds, n_days):
    """Simulate runs ``0..len(seeds)-1`` of a batch, each from the start date for ``n_days``."""
    for i in range(seeds.shape[0]):
        reset(w, s)
        seed = seeds[i]
        k = 0
        for day in range(n_days):
            step(w, s, h, Ctx(params[i], i, seed, day))
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
