"""The engine's invariants, checked on a run's State and History after a day (plain numpy).

In the spirit of Gymnasium's ``check_env``: what must hold after every day whatever the scenario,
so that a broken rule shows up as a named violation (day, record, field, entity) rather than as a
strange figure in a report. :func:`check_day` checks one day's state; :func:`check_run` steps one
run day by day and checks after every day.

Men are conserved per power: no rule creates men. Every man of a force on the start date is still
in its force (on the map or not: a removed or evacuated force keeps its men) or has been booked as
killed, wounded or captured; reserves and forces placed by a scripted event are forces of the
World from the start, so they count in the start figure too. Replacements (rules.economy) enter
from the manpower pool: the men a power's forces received count with its start figure.

Oil is conserved: each power's stock is its start plus what it produced and imported less what
it exported and used, and every ton exported arrives (imports beyond them were bought on the
world market beyond the map); no stock goes negative.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from twinvipers.rules import codes
from twinvipers.rules.eventkinds import BY_CODE
from twinvipers.scenario import schema
from twinvipers.scenario.compile import Compiled
from twinvipers.world.arrays import Ctx, new_history

#: Relative tolerance of the conservation checks (sums of float64 losses over many days).
RTOL = 1e-9
#: Absolute tolerance, in men, ships or aircraft.
ATOL = 1e-6


@dataclasses.dataclass(frozen=True)
class Violation:
    """One broken invariant: on which day, in which record and field, for which entity."""

    day: int
    record: str  # a State record (``land``, ``sea``, …) or ``history``
    field: str
    entity: str  # e.g. ``force PL_ARMY_POZNAN``; empty for a whole-record check
    message: str

    def __str__(self) -> str:
        at = f" [{self.entity}]" if self.entity else ""
        return f"day {self.day}: {self.record}.{self.field}{at}: {self.message}"


class _Names:
    """Entity names for messages (integer ids when no Compiled is given)."""

    def __init__(self, c: Compiled | None):
        self.c = c

    def __call__(self, kind: str, i: int) -> str:
        lists = {
            "region": "regions", "power": "powers", "force": "forces", "fleet": "fleets",
            "wing": "air", "leader": "leaders", "zone": "sea_zones", "event": "events",
            "treaty": "treaties",
        }  # fmt: skip
        names = getattr(self.c, lists.get(kind, ""), None) if self.c is not None else None
        if names is not None and 0 <= i < len(names):
            return f"{kind} {names[i]}"
        return f"{kind} #{i}"


class _Checker:
    """Collects violations for one day."""

    def __init__(self, day: int, names: _Names):
        self.day, self.name, self.found = day, names, []

    def add(self, record: str, field: str, entity: str, message: str) -> None:
        self.found.append(Violation(self.day, record, field, entity, message))

    def each(self, record: str, field: str, bad: np.ndarray, kind: str, values, what: str) -> None:
        """Report every index where ``bad`` holds (1-d) with its value."""
        for i in np.flatnonzero(bad):
            self.add(record, field, self.name(kind, int(i)), f"{values[i].tolist()!r} {what}")

    def finite_nonneg(self, record: str, field: str, x: np.ndarray, kind: str) -> None:
        """Finite and not negative (beyond rounding)."""
        flat = x.reshape(x.shape[0], int(np.prod(x.shape[1:]))) if x.ndim > 1 else x[:, None]
        bad = ~np.isfinite(flat).all(axis=1) | (flat < -ATOL).any(axis=1)
        for i in np.flatnonzero(bad):
            self.add(
                record, field, self.name(kind, int(i)), f"{x[i].tolist()!r}: negative or not finite"
            )

    def within(self, record, field, x, lo, hi, kind) -> None:
        """Every value in [lo, hi] (ids, shares)."""
        bad = ~((x >= lo) & (x <= hi))
        self.each(record, field, bad, kind, x, f"outside [{lo}, {hi}]")


def _sizes(w) -> dict[str, int]:
    return {
        "R": len(w.r_owner), "P": len(w.p_capital), "F": len(w.f_power), "L": len(w.l_skill),
        "Fl": len(w.fl_power), "A": len(w.a_power), "Z": w.coast.shape[1],
        "E": len(w.ev_tr_start), "T": len(w.t_alliance),
    }  # fmt: skip


def check_day(
    w,
    s,
    day: int,
    c: Compiled | None = None,
    before: Any = None,
) -> list[Violation]:
    """Check a run's State after day ``day``; ``before`` is the State after the previous day.

    ``before`` (a copy, see :func:`snapshot_state`) enables the checks across days: losses
    never shrink, a fired event stays fired, a capitulated power stays capitulated.
    """
    k = _Checker(day, _Names(c))
    n = _sizes(w)
    _land(k, w, s, n)
    _control(k, w, s, n)
    _politics(k, w, s, n, day)
    _battle(k, s, n, day)
    _supply(k, s)
    _sea(k, w, s, n)
    _air(k, w, s, n)
    _weather(k, w, s)
    _economy(k, w, s)
    if before is not None:
        _across_days(k, w, s, before)
    return k.found


def _land(k: _Checker, w, s, n) -> None:
    x = s.land
    k.finite_nonneg("land", "f_men", x.f_men, "force")
    k.finite_nonneg("land", "f_men_start", x.f_men_start, "force")
    k.finite_nonneg("land", "f_tanks", x.f_tanks, "force")
    for field in ("killed", "wounded", "captured"):
        k.finite_nonneg("land", field, getattr(x, field), "power")
    k.within("land", "f_region", x.f_region, -1, n["R"] - 1, "force")
    on_map = (x.f_region >= 0) & (x.f_region < n["R"])
    k.each("land", "f_region", x.f_active & ~on_map, "force", x.f_region,
           "an active force must stand in a region")  # fmt: skip
    k.within("land", "f_goal", x.f_goal, -1, n["R"] - 1, "force")
    k.within("land", "f_attack", x.f_attack, -1, n["R"] - 1, "force")
    k.within("land", "f_target", x.f_target, -1, n["R"] - 1, "force")
    k.within("land", "f_leader", x.f_leader, -1, n["L"] - 1, "force")
    k.within("land", "f_progress", x.f_progress, 0.0, 1.0, "force")
    # Men are conserved per power: start = in its forces + killed + wounded + captured.
    P_ = n["P"]
    # Replacements enter from the manpower pool (rules.economy): they count as men started.
    start = np.bincount(w.f_power, weights=w.f_men, minlength=P_) + s.econ.p_built[:, 2]
    now = np.bincount(w.f_power, weights=x.f_men, minlength=P_)
    lost = x.killed + x.wounded + x.captured
    gap = now + lost - start
    tol = RTOL * np.maximum(start, 1.0) + ATOL
    for p in np.flatnonzero(np.abs(gap) > tol):
        k.add("land", "f_men", k.name("power", int(p)),
              f"men not conserved: {now[p]:.3f} in forces + {lost[p]:.3f} lost = "
              f"{now[p] + lost[p]:.3f}, started with {start[p]:.3f} (gap {gap[p]:+.6g})")  # fmt: skip


def _control(k: _Checker, w, s, n) -> None:
    x = s.control
    k.within("control", "controller", x.controller, 0, n["P"] - 1, "region")
    k.within("control", "owner", x.owner, 0, n["P"] - 1, "region")
    for field in ("fort", "vp", "industry"):
        k.finite_nonneg("control", field, getattr(x, field), "region")
    # A power that surrendered holds nothing (capitulation hands it all over; its forces are
    # checked on the day itself, since a scenario may later field an exile army).
    cap = s.politics.capitulated
    ok = (x.controller >= 0) & (x.controller < n["P"])
    held = np.zeros(len(x.controller), bool)
    held[ok] = cap[x.controller[ok]]
    k.each("control", "controller", held, "region", x.controller,
           "is a power that capitulated")  # fmt: skip


def _politics(k: _Checker, w, s, n, day) -> None:
    x = s.politics
    war = x.at_war
    for p, q in zip(*np.nonzero(war != war.T), strict=True):
        if p < q:
            k.add("politics", "at_war", f"{k.name('power', int(p))} / {k.name('power', int(q))}",
                  "not symmetric")  # fmt: skip
    for p in np.flatnonzero(np.diag(war)):
        k.add("politics", "at_war", k.name("power", int(p)), "at war with itself")
    for p in np.flatnonzero(x.capitulated & war.any(axis=1)):
        k.add("politics", "at_war", k.name("power", int(p)), "capitulated yet at war")
    k.each("politics", "gave_up", x.capitulated & ~x.gave_up, "power", x.gave_up,
           "capitulated without giving up")  # fmt: skip
    bad = ~np.isfinite(x.will)
    k.each("politics", "will", bad, "power", x.will, "not finite")
    k.within("politics", "p_mobilised", x.p_mobilised, -1, max(day, 0), "power")
    # -2: objective taken, push on to the AI's next (command.orders.EXPLOIT).
    k.within("politics", "p_target", x.p_target, -2, n["R"] - 1, "power")


def _battle(k: _Checker, s, n, day) -> None:
    x = s.battle
    k.within("battle", "b_start", x.b_start, -1, day, "region")
    on = x.b_start >= 0
    for field in ("b_attacker", "b_defender"):
        v = getattr(x, field)
        bad = on & ~((v >= 0) & (v < n["P"]))
        k.each("battle", field, bad, "region", v, "not a power in an open engagement")
    for field in ("b_att_loss", "b_def_loss", "b_def_caught", "b_advance"):
        k.finite_nonneg("battle", field, getattr(x, field), "region")


def _supply(k: _Checker, s) -> None:
    x = s.supply
    k.finite_nonneg("supply", "f_stock", x.f_stock, "force")
    k.within("supply", "f_supply", x.f_supply, 0.0, 1.0, "force")
    k.within("supply", "f_days_short", x.f_days_short, 0, np.iinfo(np.int64).max, "force")
    k.within("supply", "r_convert", x.r_convert, 0.0, 1.0, "region")
    k.finite_nonneg("supply", "arc_tons", x.arc_tons, "arc")


def _sea(k: _Checker, w, s, n) -> None:
    x = s.sea
    k.finite_nonneg("sea", "fl_ships", x.fl_ships, "fleet")
    k.finite_nonneg("sea", "fl_damaged", x.fl_damaged, "fleet")
    # No ships are built: afloat and under repair together never exceed the start.
    extra = (x.fl_ships + x.fl_damaged - w.fl_ships > ATOL).any(axis=1)
    for f in np.flatnonzero(extra):
        k.add("sea", "fl_ships", k.name("fleet", int(f)),
              f"{(x.fl_ships[f] + x.fl_damaged[f]).tolist()} ships afloat and in repair by class, "
              f"more than the {w.fl_ships[f].tolist()} it started with")  # fmt: skip
    k.within("sea", "fl_zone", x.fl_zone, -1, n["Z"] - 1, "fleet")
    k.within("sea", "fl_dest", x.fl_dest, -1, n["Z"] - 1, "fleet")
    for field in ("r_sea", "r_port_damage"):
        k.within("sea", field, getattr(x, field), 0.0, 1.0, "region")
    k.finite_nonneg("sea", "r_naval_arty", x.r_naval_arty, "region")
    k.finite_nonneg("sea", "grt_lost", x.grt_lost, "power")


def _air(k: _Checker, w, s, n) -> None:
    x = s.air
    for field in ("a_fighters", "a_bombers"):
        v = getattr(x, field)
        k.finite_nonneg("air", field, v, "wing")
        k.each("air", field, v > getattr(w, field) + ATOL, "wing", v,
               "more aircraft than the wing started with (none are built)")  # fmt: skip
    k.within("air", "a_base", x.a_base, 0, n["R"] - 1, "wing")
    k.within("air", "r_interdict", x.r_interdict, 0.0, 1.0, "region")
    k.within("air", "r_air_sup", x.r_air_sup, -1.0, 1.0, "region")
    k.finite_nonneg("air", "r_cas_att", x.r_cas_att, "region")
    k.finite_nonneg("air", "r_cas_def", x.r_cas_def, "region")


def _economy(k: _Checker, w, s) -> None:
    """Stocks never negative; oil conserved per power and across trade."""
    x = s.econ
    for field in (
        "p_oil",
        "p_pool",
        "p_depot",
        "p_built",
        "p_pipe",
        "p_oil_prod",
        "p_oil_used",
        "p_oil_in_rail",
        "p_oil_in_sea",
        "p_oil_out",
        "p_oil_world",
        "p_output",
    ):
        k.finite_nonneg("econ", field, getattr(x, field), "power")
    k.within("econ", "p_fuel", x.p_fuel, 0.0, 1.0, "power")
    # Each power's stock is its start plus what it made and bought less what it sold and used.
    books = (x.p_oil_start + x.p_oil_prod + x.p_oil_in_rail + x.p_oil_in_sea - x.p_oil_out
             - x.p_oil_used)  # fmt: skip
    tol = RTOL * np.maximum(np.abs(books), 1.0) * 1e3 + ATOL
    for p in np.flatnonzero(np.abs(x.p_oil - books) > tol):
        k.add("econ", "p_oil", k.name("power", int(p)),
              f"oil not conserved: stock {x.p_oil[p]:.6g} kt, books say {books[p]:.6g} kt")  # fmt: skip
    # Across trade: every ton sold arrives; imports beyond sales came from the world market.
    sold = x.p_oil_out.sum()
    bought = (x.p_oil_in_rail + x.p_oil_in_sea - x.p_oil_world).sum()
    if abs(sold - bought) > RTOL * max(sold, 1.0) * 1e3 + ATOL:
        k.add("econ", "p_oil_out", "", f"trade not conserved: {sold:.6g} kt sold, {bought:.6g} "
              "kt bought from powers")  # fmt: skip


def _weather(k: _Checker, w, s) -> None:
    k.within("weather", "r_weather", s.weather.r_weather, 0, w.wx_cdf.shape[1] - 1, "region")


def _across_days(k: _Checker, w, s, before) -> None:
    today = s.politics.capitulated & ~before.politics.capitulated
    k.each("land", "f_active", s.land.f_active & today[w.f_power], "force", w.f_power,
           "(its power) capitulated today, yet the force is still in the war")  # fmt: skip
    for field in ("killed", "wounded", "captured"):
        now, then = getattr(s.land, field), getattr(before.land, field)
        k.each("land", field, now < then - ATOL, "power", now, "fell from the day before")
    k.each("sea", "grt_lost", s.sea.grt_lost < before.sea.grt_lost - ATOL, "power",
           s.sea.grt_lost, "fell from the day before")  # fmt: skip
    for field, kind in (("fired", "event"), ("capitulated", "power"), ("gave_up", "power")):
        now, then = getattr(s.politics, field), getattr(before.politics, field)
        k.each("politics", field, then & ~now, kind, now, "was set and is cleared again")


def snapshot_state(s):
    """A deep copy of a State (its records' arrays copied), for :func:`check_day`'s ``before``."""
    return type(s)(*(type(r)(*(np.array(a, copy=True) for a in r)) for r in s))


# --- the History ------------------------------------------------------------------------------


def _id_sizes(w) -> dict[str, int]:
    """How many entities each name list of the event-kind table indexes."""
    n = _sizes(w)
    return {
        "powers": n["P"], "regions": n["R"], "sea_zones": n["Z"], "forces": n["F"],
        "fleets": n["Fl"], "leaders": n["L"], "treaties": n["T"], "events": n["E"],
        "air_missions": 1 + len(schema.AirMission),  # codes.A_SUPPORT, then each mission
        "trade": len(w.econ.t_importer),
    }  # fmt: skip


def check_events(
    h, w, day: int, run: int, lo: int, hi: int, c: Compiled | None = None
) -> list[Violation]:
    """Check the events recorded into ``h`` at rows ``lo..hi-1`` during day ``day`` of ``run``.

    Against the event-kind table (``rules.eventkinds``): a known kind; actor, target and region
    -1 where the kind has none and ids in range where it has; each detail field an id in range
    of its list (-1 only where the table says null), a flag 0 or 1, a known label or a finite
    number; the slots a kind does not use left at 0 (-1 for ``aux``). Besides: the event's run,
    and its day the day it was recorded, except a battle's (its first day). War, peace, captures
    and battles name both powers (war and peace two different ones) and captures and battles a
    region.
    """
    k = _Checker(day, _Names(c))
    size = _id_sizes(w)
    if h.count[1]:
        k.add("history", "count", "", "the event buffer overflowed")
    for i in range(lo, hi):
        kind = BY_CODE.get(int(h.ev_kind[i]))
        if kind is None:
            k.add("history", "ev_kind", f"event row {i}", f"{h.ev_kind[i]} is not an event kind")
            continue
        ev = f"event row {i} ({kind.name})"
        if h.ev_run[i] != run:
            k.add("history", "ev_run", ev, f"run {h.ev_run[i]}, recorded in run {run}")
        d = int(h.ev_day[i])
        if kind.code == codes.K_BATTLE:
            if not 0 <= d <= day:
                k.add("history", "ev_day", ev, f"battle dated {d}, closed on day {day}")
        elif d != day:
            k.add("history", "ev_day", ev, f"dated {d}, recorded on day {day}")
        for role, field, of in (("actor", "ev_actor", "powers"), ("target", "ev_target", "powers"),
                                ("region", "ev_region", "regions")):  # fmt: skip
            v = int(getattr(h, field)[i])
            if not getattr(kind, role) and v != -1:
                k.add("history", field, ev, f"{v}: this kind has no {role} (-1)")
            elif not -1 <= v < size[of]:
                k.add("history", field, ev, f"{v} is not an id of {of} (nor -1)")
        if kind.code in (codes.K_WAR, codes.K_PEACE, codes.K_CAPTURED, codes.K_BATTLE):
            for field in ("ev_actor", "ev_target"):
                if getattr(h, field)[i] < 0:
                    k.add("history", field, ev, "no power")
            if kind.code in (codes.K_WAR, codes.K_PEACE) and h.ev_actor[i] == h.ev_target[i]:
                k.add("history", "ev_target", ev, "war or peace with itself")
            if kind.code in (codes.K_CAPTURED, codes.K_BATTLE) and h.ev_region[i] < 0:
                k.add("history", "ev_region", ev, "no region")
        used = {f.slot for f in kind.fields}
        for f in kind.fields:
            _check_slot(k, ev, f, float(getattr(h, "ev_" + f.slot)[i]), size)
        for slot in ("aux", "value", "x1", "x2"):
            x = getattr(h, "ev_" + slot)[i]
            if slot not in used and x != (-1 if slot == "aux" else 0):
                k.add("history", "ev_" + slot, ev, f"{x.tolist()!r}: this kind does not use it")
    return k.found


def _check_slot(k: _Checker, ev: str, f, x: float, size: dict[str, int]) -> None:
    """One detail field of an event against what the event-kind table says it holds."""
    field = "ev_" + f.slot
    if not np.isfinite(x):
        k.add("history", field, ev, f"{f.name} is not finite")
    elif f.holds == "id":
        lo = -1 if "null" in f.meaning else 0
        if x != int(x) or not lo <= x < size[f.of]:
            k.add("history", field, ev, f"{f.name} {x!r} is not an id of {f.of}")
    elif f.holds == "flag" and x not in (0.0, 1.0):
        k.add("history", field, ev, f"{f.name} {x!r} is neither 0 nor 1")
    elif f.holds == "label" and int(x) not in dict(f.labels):
        k.add("history", field, ev, f"{f.name} {x!r} has no label")
    elif f.holds == "number" and f.slot == "aux" and x < 0:
        k.add("history", field, ev, f"{f.name} {x!r} is a negative count")


# --- a run ------------------------------------------------------------------------------------


def check_run(
    c: Compiled,
    seed: int = 1,
    days: int | None = None,
    params: np.ndarray | None = None,
    max_violations: int = 100,
) -> list[Violation]:
    """Step run 0 of an ensemble with ``seed`` day by day; check the state and events every day.

    ``days`` defaults to the whole scenario; ``params`` to the assumptions sampled for a
    one-run ensemble. Stops early once ``max_violations`` are found. Returns the violations
    (empty when every invariant held every day).
    """
    from twinvipers.engine import reset, step  # the core's entry points, compiled on first use
    from twinvipers.rules.rng import run_seeds
    from twinvipers.state import new_state

    w = c.world
    n_days = int(w.snap_days[-1]) + 1 if days is None else int(days)
    if params is None:
        # Sampling is a pure function of the assumptions (scipy), imported here so that the
        # core's modules import nothing of the ensemble's at load time.
        from twinvipers.ensemble import sampling

        params = c.params_for(sampling.sample(c.assumptions, 1, seed))[0]
    params = np.ascontiguousarray(params, np.float64)
    run_seed = run_seeds(seed, np.arange(1))[0]
    capacity = max(4096, 64 * n_days)
    while True:
        s = new_state(w)
        h = new_history(1, len(w.snap_days), len(w.r_owner), len(w.p_capital),
                        len(codes.POWER_FIELDS), capacity)  # fmt: skip
        reset(w, s)
        found = check_day(w, s, -1, c)  # the start state (day -1: before the first day)
        before = snapshot_state(s)
        for day in range(n_days):
            lo = int(h.count[0])
            step(w, s, h, Ctx(params, 0, run_seed, day))
            if h.count[1]:
                break
            found += check_day(w, s, day, c, before)
            found += check_events(h, w, day, 0, lo, int(h.count[0]), c)
            if len(found) >= max_violations:
                return found[:max_violations]
            before = snapshot_state(s)
        if not h.count[1]:
            return found
        capacity *= 4  # the events overflowed the buffer: rerun with more room (deterministic)
