"""Supply and logistics: sources, rail flow, truck haul from railheads, consumption and stocks.

Functions over plain arrays (not the World/State tuples), so the rule can be tested alone and wired
into the engine later. One call of :func:`supply_day` is one day (or ``days`` days, routed once) of
supply for every power:

1. **Sources.** A region supplies its controller in proportion to its industry; the controller's
   capital and its ports with an open sea lane add fixed amounts (:func:`source_capacity`).
2. **Demand.** Each active force needs :func:`consumption` tons a day (men, motorised share, combat
   intensity) and asks, after today's need, for part of the gap to its stock cap.
3. **Rail flow.** Demands of one power in one region are pooled and routed by successive shortest
   augmenting paths (breadth-first, backwards from the demand) over rail arcs with residual
   capacity, through regions the power or an ally controls. Capacity used by one demand is gone for
   the others that day. A greedy multi-commodity flow: no flow is ever cancelled, so it is not a
   maximum flow, but it never exceeds an arc's capacity or a source's output. Fairness: demands are
   served in ``ROUNDS`` progressive rounds (an equal slice of each demand per round), today's need
   before stock refill.
4. **Truck haul.** A demand is served at the nearest railhead (a source region or a region a usable
   rail arc enters) within the power's truck range, in land hops; the last leg costs the power's
   truck park ``hops`` ton-hops per ton, so trucks deliver less the farther they drive.
5. **Stocks.** Delivery adds to a force's stock, consumption takes from it, never below zero; the
   share of today's need met is the force's supply state in [0, 1]. Out-of-supply penalties are the
   pure functions :func:`combat_multiplier` and :func:`attrition_rate`.

Each directed rail arc has its own capacity: loaded trains run one way, empties return the other,
so the loaded direction is what limits supply. Units: tons a day; truck park in ton-hops a day
(:func:`truck_park_capacity`); a hop is the parameter ``region_km``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from twinvipers.rules import params as P
from twinvipers.rules.jit import kernel

# --- gauges (values of ``r_gauge`` and ``p_gauge``) ---
GAUGE_STANDARD = 0  # 1435 mm
GAUGE_RUSSIAN = 1  # 1524 mm
GAUGE_OTHER = 2  # e.g. Japan's 1067 mm, Spain's 1668 mm

# --- sources ---


PORT_TONS = 1500.0
"""A port with an open sea lane, t/day. Van Creveld, *Supplying War*, ch. 6: Tripoli, the Axis' main
North African port, handled ~45,000 t a month (~1,500 t/day) in 1941-42 (recalled figure)."""

# --- consumption (US TM-E 30-451 *Handbook on German Military Forces*, 1945, figures for German
# divisions in Russia 1941, as summarised in /work/shared/history/combat-factors.md) ---
FOOT_DIV_MEN = 17000.0
"""Men of a reference foot division (German 1939 infantry division establishment ~17,700)."""
MOT_DIV_MEN = 14000.0
"""Men of a reference motorised/armoured division (German panzer division 1941 ~13-15,000)."""
FOOT_IDLE_TONS = 80.0
"""Foot division, quiet sector, t/day (TM-E 30-451; mostly rations and horse fodder)."""
FOOT_HEAVY_TONS = 1100.0
"""Foot division in heavy fighting, t/day (TM-E 30-451; mostly artillery ammunition)."""
MOT_IDLE_TONS = 30.0
"""Armoured division at rest, t/day (TM-E 30-451)."""
MOT_HEAVY_TONS = 700.0
"""Armoured division in heavy fighting, t/day (TM-E 30-451; fuel and ammunition)."""

# --- stocks ---
STOCK_CAP_DAYS = 30.0
"""A force's stock cap, in days of quiet-sector need (~2-3 days of heavy fighting for a foot
division: its first-line holdings plus forward dumps). Assumption."""

# --- truck haul ---
TRUCK_RANGE_HOPS = 2
"""Default truck range from a railhead, land hops (~200-300 km). Van Creveld, *Supplying War*, ch. 5:
German motor transport in 1941 was planned to serve ~300 km beyond the railheads (recalled); the Japanese
kept multi-division operations within ~200 km of a railhead (Drea, *Nomonhan*, Leavenworth Paper 2,
1981). The Soviet haul Borzya-Khalkhin Gol (~650-750 km, 5-6 hops) in 1939 is the extreme case
(Coox, *Nomonhan*, 1985, ch. 26): give that power a larger range in the scenario."""
KM_PER_HOP = P.PARAMS[P.REGION_KM].default
"""A land hop, km, at ``region_km``'s default (for benchmarks/bench_supply.py)."""

# --- out-of-supply penalties ---
COMBAT_FLOOR = 0.5
"""Combat-power multiplier of a force that receives nothing today. Assumption (no QJM table for
supply; Dupuy treats logistics through the CEV): halves its power at supply state 0."""

# --- break of gauge ---

ROUNDS = 8
"""Progressive-filling rounds for today's need: each demand asks an eighth of its need per round,
so demands competing for one line share it to within an eighth of their need. A power's share
doubles after a round in which none of its demands went short (uncontended: four rounds)."""
EPS = 1e-9


class Rates(NamedTuple):
    """The supply rule's uncertain constants, from a run's parameters (``rules/params.py``)."""

    tons_per_industry: float  # t/day an industry point sends to the front
    capital_tons: float  # t/day of the capital's depots on top of its industry
    refill_share: float  # share of the gap to the stock cap asked for each day
    short_threshold: float  # supply state below which a day counts as a day out of supply
    gauge_factor: float  # share of a captured arc's capacity usable across a break of gauge


_RATE_PARAMS = (
    P.TONS_PER_INDUSTRY,
    P.CAPITAL_TONS,
    P.REFILL_SHARE,
    P.SHORT_THRESHOLD,
    P.GAUGE_FACTOR,
)
DEFAULT_RATES = Rates(*(P.PARAMS[i].default for i in _RATE_PARAMS))
"""The rates at the parameters' defaults (for callers without a run's parameters)."""


@njit(cache=True)
def rates_of(params):
    """The supply rates of a run's parameter vector."""
    return Rates(
        params[P.TONS_PER_INDUSTRY],
        params[P.CAPITAL_TONS],
        params[P.REFILL_SHARE],
        params[P.SHORT_THRESHOLD],
        params[P.GAUGE_FACTOR],
    )


@njit(cache=True)
def reverse_arcs(adj_start, adj_to):
    """Index of each CSR arc's reverse arc (the graph holds both directions), -1 if missing."""
    n_arcs = len(adj_to)
    rev = np.full(n_arcs, -1, np.int64)
    for u in range(len(adj_start) - 1):
        for a in range(adj_start[u], adj_start[u + 1]):
            v = adj_to[a]
            for b in range(adj_start[v], adj_start[v + 1]):
                if adj_to[b] == u:
                    rev[a] = b
                    break
    return rev


@njit(cache=True)
def source_capacity(industry, controller, p_capital, sea_open, rates=DEFAULT_RATES):
    """Supply output of each region for its controller, t/day.

    Args:
        industry: float64[R] industry points.
        controller: int64[R] controlling power (-1: none).
        p_capital: int64[P] capital region of each power (-1: none).
        sea_open: float64[R] share of a port's sea-borne supply that reaches its controller (the
            sea rule: 0 closed by ice, blockade or capture .. 1 open); bool works too.
        rates: the run's :class:`Rates` (industry and capital tonnage).

    Returns:
        float64[R] tons/day the region's controller can draw there.
    """
    R = len(industry)
    cap = np.zeros(R, np.float64)
    for r in range(R):
        if controller[r] < 0:
            continue
        if industry[r] > 0.0:
            cap[r] += rates.tons_per_industry * industry[r]
        if sea_open[r] > 0:
            cap[r] += PORT_TONS * sea_open[r]  # a share: blockade lets part of it through
    for p in range(len(p_capital)):
        c = p_capital[p]
        if c >= 0 and controller[c] == p:
            cap[c] += rates.capital_tons
    return cap


@njit(cache=True)
def truck_park_capacity(trucks, payload_t, km_per_day, km_per_hop):
    """Ton-hops a day a truck park delivers: each lorry drives out loaded and back empty.

    E.g. the Soviet ~4,000 lorries at Khalkhin Gol (1939), 2.5 t, ~250 km/day, 110 km hops:
    ~11,400 ton-hops/day, i.e. ~1,900 t/day over a 6-hop (~650 km) haul.
    """
    return trucks * payload_t * km_per_day / (2.0 * km_per_hop)


@njit(cache=True)
def consumption(men, motorised, intensity):
    """Tons a day one force needs.

    Args:
        men: men of the force.
        motorised: share of its strength in motorised/armoured divisions, 0..1.
        intensity: 0 quiet sector, 1 heavy fighting (a battle day); in between for movement or
            light contact (~0.07 gives TM-E's "typical" 150 t/day for a foot division).
    """
    foot = FOOT_IDLE_TONS + intensity * (FOOT_HEAVY_TONS - FOOT_IDLE_TONS)
    mot = MOT_IDLE_TONS + intensity * (MOT_HEAVY_TONS - MOT_IDLE_TONS)
    return men * ((1.0 - motorised) * foot / FOOT_DIV_MEN + motorised * mot / MOT_DIV_MEN)


@njit(cache=True)
def stock_cap(men, motorised):
    """A force's stock cap, tons (``STOCK_CAP_DAYS`` of quiet-sector need)."""
    return STOCK_CAP_DAYS * consumption(men, motorised, 0.0)


@njit(cache=True)
def combat_multiplier(supply_state):
    """Combat-power multiplier for a force's supply state in [0, 1]."""
    s = min(max(supply_state, 0.0), 1.0)
    return COMBAT_FLOOR + (1.0 - COMBAT_FLOOR) * s


@njit(cache=True)
def attrition_rate(days_short, grace_days, rate):
    """Daily loss fraction of a force that has been out of supply ``days_short`` days in a row.

    ``rate`` once out of supply for more than ``grace_days`` (parameters
    ``attrition_grace_days`` and ``attrition_rate``), else nothing.
    """
    if days_short > grace_days:
        return rate
    return 0.0


@njit(cache=True)
def convert_gauge(r_gauge, r_convert, controller, owner, p_gauge, allied, days, convert_days):
    """Advance regauging of captured lines; a region is converted after ``convert_days``.

    Args:
        r_gauge: int64[R] gauge of each region's lines (set to the controller's when converted).
        r_convert: float64[R] conversion progress 0..1 (the engine resets it to 0 when a region
            changes hands).
        controller: int64[R].
        owner: int64[R].
        p_gauge: int64[P].
        allied: bool[P, P].
        days: days since the last call.
        convert_days: days to regauge one region's lines (parameter ``gauge_convert_days``).
    """
    for r in range(len(r_gauge)):
        c = controller[r]
        if (
            c < 0
            or r_gauge[r] == p_gauge[c]
            or not _foreign_gauge(r, c, owner, r_gauge, p_gauge, allied)
        ):
            continue
        r_convert[r] += days / convert_days
        if r_convert[r] >= 1.0:
            r_gauge[r] = p_gauge[c]
            r_convert[r] = 0.0


class Graph(NamedTuple):
    """The land graph the railways and roads run on (CSR, both directions)."""

    adj_start: np.ndarray  # int64[R+1] CSR row starts
    adj_to: np.ndarray  # int64[2E] arc heads
    rail: np.ndarray  # float64[2E] rail tons/day of each arc today (0: no rail)
    rev: np.ndarray  # int64[2E] reverse of each arc (:func:`reverse_arcs`)


class Lines(NamedTuple):
    """Who may run trains where today."""

    controller: np.ndarray  # int64[R] controller of each region (-1: none)
    owner: np.ndarray  # int64[R] owner; a region p controls but its enemy owns is captured
    allied: np.ndarray  # bool[P, P] may p route supply through regions q controls
    r_gauge: np.ndarray  # int64[R] track gauge of each region
    p_gauge: np.ndarray  # int64[P] gauge of each power's rolling stock


class Sources(NamedTuple):
    """What each power has to send forward and to haul it with."""

    industry: np.ndarray  # float64[R] industry points
    p_capital: np.ndarray  # int64[P] capital region (-1: none)
    sea_open: np.ndarray  # float64[R] share of a port's sea-borne supply getting through
    truck_park: np.ndarray  # float64[P] ton-hops/day (:func:`truck_park_capacity`)
    truck_range: np.ndarray  # int64[P] land hops its lorries serve beyond a railhead


class Forces(NamedTuple):
    """The forces supplied: their needs (read) and stocks and supply states (updated)."""

    power: np.ndarray  # int64[F]
    region: np.ndarray  # int64[F]
    men: np.ndarray  # float64[F]
    motorised: np.ndarray  # float64[F] share of motorised/armoured divisions
    active: np.ndarray  # bool[F]
    intensity: np.ndarray  # float64[F] combat intensity today, 0 quiet .. 1 heavy fighting
    stock: np.ndarray  # float64[F] tons in hand (updated)
    days_short: np.ndarray  # int64[F] consecutive days below rates.short_threshold (updated)
    supply: np.ndarray  # float64[F] share of today's need met (written)
    reached: np.ndarray  # bool[F] supply got through to it today (written; replacements follow)


class Flow(NamedTuple):
    """The day's residuals, consumed as demands are served (capacities only shrink)."""

    src_cap: np.ndarray  # float64[R] output of each region for its controller (railheads)
    src_left: np.ndarray  # float64[R] output not yet sent
    cap_left: np.ndarray  # float64[2E] raw rail capacity left on each arc
    truck_left: np.ndarray  # float64[P] ton-hops left
    arc_tons: np.ndarray  # float64[2E] tons carried on each arc (accumulated)
    dry: np.ndarray  # int64[R] power for which a region can no longer reach a source today
    gauge_factor: float  # share of a captured arc's capacity usable across a break of gauge


class Search(NamedTuple):
    """Scratch of the breadth-first searches (``stamp`` marks a region seen in search ``mark``)."""

    stamp: np.ndarray  # int64[R]
    mark: np.ndarray  # int64[1]
    prev_arc: np.ndarray  # int64[R] arc by which the rail search reached a region
    queue: np.ndarray  # int64[R] rail search queue
    lq: np.ndarray  # int64[R] road search queue (candidate railheads)
    lhop: np.ndarray  # int64[R] land hops of each road candidate


@njit(cache=True)
def new_search(n_regions):
    """Scratch for searches over ``n_regions`` regions."""
    R = n_regions
    return Search(
        np.zeros(R, np.int64), np.zeros(1, np.int64), np.full(R, -1, np.int64),
        np.zeros(R, np.int64), np.zeros(R, np.int64), np.zeros(R, np.int64),
    )  # fmt: skip


@kernel
def _friendly(p, c, allied):
    return c == p or (c >= 0 and allied[p, c])


@kernel
def _foreign_gauge(x, p, owner, r_gauge, p_gauge, allied):
    # Only captured lines: an ally runs its own gauge with its own rolling stock.
    o = owner[x]
    return r_gauge[x] != p_gauge[p] and not _friendly(p, o, allied)


@kernel
def _arc_gauge_factor(x, y, p, ln, gauge_factor):
    """Share of an arc's raw capacity that reaches ``p`` (``gauge_factor`` across a break)."""
    if _foreign_gauge(x, p, ln.owner, ln.r_gauge, ln.p_gauge, ln.allied) or _foreign_gauge(
        y, p, ln.owner, ln.r_gauge, ln.p_gauge, ln.allied
    ):
        return gauge_factor
    return 1.0


@kernel
def _route(p, h, want, g, ln, fl, sc):
    """Route up to ``want`` tons from p's sources to region h; returns tons delivered."""
    got = 0.0
    if ln.controller[h] == p and fl.src_left[h] > EPS:
        take = min(want, fl.src_left[h])
        fl.src_left[h] -= take
        got += take
    while want - got > EPS:
        # Breadth-first search backwards from h: shortest (in hops) augmenting path.
        sc.mark[0] += 1
        m = sc.mark[0]
        sc.stamp[h] = m
        sc.prev_arc[h] = -1
        head = 0
        tail = 1
        sc.queue[0] = h
        found = -1
        while head < tail and found < 0:
            y = sc.queue[head]
            head += 1
            for a in range(g.adj_start[y], g.adj_start[y + 1]):
                x = g.adj_to[a]
                if (
                    sc.stamp[x] == m
                    or fl.dry[x] == p
                    or not _friendly(p, ln.controller[x], ln.allied)
                ):
                    continue
                b = g.rev[a]  # the arc x -> y
                if b < 0 or fl.cap_left[b] <= EPS:
                    continue
                sc.stamp[x] = m
                sc.prev_arc[x] = b
                if ln.controller[x] == p and fl.src_left[x] > EPS:
                    found = x
                    break
                sc.queue[tail] = x
                tail += 1
        if found < 0:
            # Nothing the search reached can reach a source now, and residual capacities only
            # shrink during the day: later searches of p need not enter these regions again.
            for i in range(tail):
                fl.dry[sc.queue[i]] = p
            break
        # Bottleneck along found -> ... -> h, in delivered tons.
        amt = min(want - got, fl.src_left[found])
        x = found
        while x != h:
            b = sc.prev_arc[x]
            y = g.adj_to[b]
            amt = min(amt, fl.cap_left[b] * _arc_gauge_factor(x, y, p, ln, fl.gauge_factor))
            x = y
        if amt <= EPS:
            break
        x = found
        while x != h:
            b = sc.prev_arc[x]
            y = g.adj_to[b]
            # A foreign-gauge arc spends 1/g of its raw capacity per ton delivered.
            fl.cap_left[b] = max(
                fl.cap_left[b] - amt / _arc_gauge_factor(x, y, p, ln, fl.gauge_factor), 0.0
            )
            fl.arc_tons[b] += amt
            x = y
        fl.src_left[found] -= amt
        got += amt
    return got


@kernel
def _is_railhead(p, h, g, ln, src_cap):
    if ln.controller[h] == p and src_cap[h] > 0.0:
        return True
    for a in range(g.adj_start[h], g.adj_start[h + 1]):
        b = g.rev[a]
        if b >= 0 and g.rail[b] > 0.0 and _friendly(p, ln.controller[g.adj_to[a]], ln.allied):
            return True
    return False


@kernel
def _serve(p, d, want, truck_range, g, ln, fl, sc):
    """Serve a demand of power p in region d: railheads by increasing land distance."""
    got = 0.0
    # Most forces sit on the railway: try d itself before searching the roads around it.
    if fl.dry[d] != p and _is_railhead(p, d, g, ln, fl.src_cap):
        got = _route(p, d, want, g, ln, fl, sc)
    if want - got <= EPS or truck_range <= 0 or fl.truck_left[p] <= EPS:
        return got
    # Land breadth-first search from d within truck range (d itself may be enemy-held: a force
    # attacking from or holding out in it is supplied from the friendly regions around it).
    sc.mark[0] += 1
    m = sc.mark[0]
    sc.stamp[d] = m
    sc.lq[0] = d
    sc.lhop[0] = 0
    head = 0
    tail = 1
    while head < tail:
        h = sc.lq[head]
        k = sc.lhop[head]
        head += 1
        if k < truck_range:
            for a in range(g.adj_start[h], g.adj_start[h + 1]):
                x = g.adj_to[a]
                if sc.stamp[x] != m and _friendly(p, ln.controller[x], ln.allied):
                    sc.stamp[x] = m
                    sc.lq[tail] = x
                    sc.lhop[tail] = k + 1
                    tail += 1
    n_cand = tail
    for i in range(1, n_cand):
        if want - got <= EPS:
            break
        h = sc.lq[i]
        k = sc.lhop[i]
        if fl.dry[h] == p or not _is_railhead(p, h, g, ln, fl.src_cap):
            continue
        ask = min(want - got, fl.truck_left[p] / k)
        if ask <= EPS:
            continue
        # _route reuses stamp/mark; the candidate list lives in lq, so that is safe.
        x = _route(p, h, ask, g, ln, fl, sc)
        fl.truck_left[p] = max(fl.truck_left[p] - x * k, 0.0)
        got += x
    return got


@njit(cache=True)
def route_supply(g, ln, truck_range, d_power, d_region, d_want, fl, rounds):
    """Route demands over rail and trucks; the residuals in ``fl`` are shared across calls.

    Args:
        g: the land graph with today's rail capacities (:class:`Graph`).
        ln: who may use which line (:class:`Lines`).
        truck_range: int64[P] truck range from a railhead, land hops.
        d_power: int64[D] power of each demand (one demand per power and region).
        d_region: int64[D] its region.
        d_want: float64[D] tons wanted.
        fl: the day's residuals (:class:`Flow`, updated).
        rounds: progressive-filling rounds (``ROUNDS`` for today's need, 1 for stock refill).

    Returns:
        float64[D] tons delivered to each demand.
    """
    D = len(d_want)
    got = np.zeros(D, np.float64)
    sc = new_search(len(g.adj_start) - 1)
    dead = np.zeros(D, np.bool_)
    n_powers = len(truck_range)
    share = np.full(n_powers, 1.0 / rounds)
    short = np.zeros(n_powers, np.bool_)
    for k in range(rounds):
        short[:] = False
        last = k == rounds - 1
        for i in range(D):
            left = d_want[i] - got[i]
            if dead[i] or left <= EPS:
                continue
            p = d_power[i]
            # Progressive filling: an equal share of each demand per round, the rest at the end.
            ask = left
            if not last:
                ask = min(left, d_want[i] * share[p])
            x = _serve(p, d_region[i], ask, truck_range[p], g, ln, fl, sc)
            got[i] += x
            # Short of the ask means every railhead in reach is exhausted; capacities only
            # shrink, so later rounds cannot do better (saves the failing searches).
            if x < ask - EPS:
                dead[i] = True
                short[p] = True
        # While none of a power's demands goes short, its lines are not contended yet: double
        # its share (fewer rounds). Contention between allies on a shared line is sliced only as
        # finely as the powers' own shortages say.
        for p in range(n_powers):
            if not short[p]:
                share[p] = min(2.0 * share[p], 1.0)
    return got


@njit(cache=True)
def supply_day(g, ln, src, fc, arc_tons, days, rates=DEFAULT_RATES):
    """``days`` days of supply for every power; updates stocks, supply states, days short in place.

    The engine may call it every day (``days=1``) or every few days with ``days`` > 1: flows,
    outputs, truck park and consumption are then scaled by ``days`` (one routing for the period).

    Args:
        g: the land graph with today's rail capacities (:class:`Graph`).
        ln: who may use which line (:class:`Lines`; self need not be set in ``allied``).
        src: sources and truck parks (:class:`Sources`).
        fc: the forces (:class:`Forces`; stocks, days short and supply states updated).
        arc_tons: float64[2E] tons carried per arc over the period (zeroed, then written).
        days: length of the period, days (1: daily).
        rates: the run's :class:`Rates` (:func:`rates_of` its parameters; defaults if omitted).

    Returns:
        (tons delivered, tons the sources could produce) over the period.
    """
    R = len(src.industry)
    F = len(fc.power)
    src_cap = source_capacity(src.industry, ln.controller, src.p_capital, src.sea_open, rates)
    src_cap *= days
    arc_tons[:] = 0.0
    fl = Flow(
        src_cap, src_cap.copy(), g.rail * days, src.truck_park * days, arc_tons,
        np.full(R, -1, np.int64), rates.gauge_factor,
    )  # fmt: skip
    need = np.zeros(F, np.float64)
    refill = np.zeros(F, np.float64)
    key = np.full(F, -1, np.int64)
    for f in range(F):
        fc.supply[f] = 1.0
        if not fc.active[f] or fc.region[f] < 0 or fc.men[f] <= 0.0:
            continue
        need[f] = consumption(fc.men[f], fc.motorised[f], fc.intensity[f]) * days
        gap = stock_cap(fc.men[f], fc.motorised[f]) - fc.stock[f]
        if gap > 0.0:
            refill[f] = min(rates.refill_share * days, 1.0) * gap
        key[f] = fc.power[f] * R + fc.region[f]
    # Pool the forces of one power in one region into one demand.
    order = np.argsort(key)
    node = np.full(F, -1, np.int64)
    n = 0
    last = -1
    for i in range(F):
        f = order[i]
        if key[f] < 0:
            continue
        if key[f] != last:
            n += 1
            last = key[f]
        node[f] = n - 1
    d_power = np.zeros(n, np.int64)
    d_region = np.zeros(n, np.int64)
    d_need = np.zeros(n, np.float64)
    d_refill = np.zeros(n, np.float64)
    for f in range(F):
        j = node[f]
        if j >= 0:
            d_power[j] = fc.power[f]
            d_region[j] = fc.region[f]
            d_need[j] += need[f]
            d_refill[j] += refill[f]
    # Today's need first, then stock refill.
    got1 = route_supply(g, ln, src.truck_range, d_power, d_region, d_need, fl, ROUNDS)
    got2 = route_supply(g, ln, src.truck_range, d_power, d_region, d_refill, fl, 1)
    delivered = 0.0
    for f in range(F):
        j = node[f]
        fc.reached[f] = False
        if j < 0:
            continue
        # Share each pooled delivery pro rata to the forces' requests.
        add = 0.0
        if d_need[j] > 0.0:
            add += got1[j] * need[f] / d_need[j]
        if d_refill[j] > 0.0:
            add += got2[j] * refill[f] / d_refill[j]
        delivered += add
        fc.reached[f] = add > 0.0
        s = fc.stock[f] + add
        used = min(s, need[f])
        fc.stock[f] = max(s - used, 0.0)
        if need[f] > 0.0:
            fc.supply[f] = used / need[f]
        if fc.supply[f] < rates.short_threshold:
            fc.days_short[f] += int(days)
        else:
            fc.days_short[f] = 0
    produced = 0.0
    for r in range(R):
        produced += src_cap[r]
    return delivered, produced
