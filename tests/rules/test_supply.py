"""Properties of the supply rule: stocks, rail capacity, conservation, trucks, gauge, bottlenecks."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from twinvipers.rules import supply as sp
from twinvipers.rules.params import INDEX, PARAMS


def csr(n, edges):
    """CSR adjacency (both directions) from (a, b, rail t/day) edges."""
    nbrs = [[] for _ in range(n)]
    for a, b, rail in edges:
        nbrs[a].append((b, rail))
        nbrs[b].append((a, rail))
    start = np.zeros(n + 1, np.int64)
    to, cap = [], []
    for u in range(n):
        for v, rail in sorted(nbrs[u]):
            to.append(v)
            cap.append(float(rail))
        start[u + 1] = len(to)
    return start, np.array(to, np.int64), np.array(cap, np.float64)


class World:
    """A small world for one test, with defaults for everything not under test."""

    def __init__(self, n, edges, n_powers=1, controller=None, owner=None, industry=None):
        self.adj_start, self.adj_to, self.adj_rail = csr(n, edges)
        self.rev = sp.reverse_arcs(self.adj_start, self.adj_to)
        self.controller = np.zeros(n, np.int64) if controller is None else np.array(controller)
        self.owner = self.controller.copy() if owner is None else np.array(owner, np.int64)
        self.allied = np.zeros((n_powers, n_powers), np.bool_)
        self.r_gauge = np.zeros(n, np.int64)
        self.p_gauge = np.zeros(n_powers, np.int64)
        self.industry = np.zeros(n) if industry is None else np.array(industry, np.float64)
        self.p_capital = np.full(n_powers, -1, np.int64)
        self.sea_open = np.zeros(n, np.bool_)
        self.truck_park = np.zeros(n_powers)
        self.truck_range = np.full(n_powers, sp.TRUCK_RANGE_HOPS, np.int64)
        self.days = 1.0

    def forces(self, power, region, men, motorised=0.0, intensity=0.0, stock=0.0):
        k = len(region)
        full = lambda x, dt=np.float64: np.broadcast_to(np.asarray(x, dt), (k,)).copy()  # noqa: E731
        self.f_power = full(power, np.int64)
        self.f_region = full(region, np.int64)
        self.f_men = full(men)
        self.f_motorised = full(motorised)
        self.f_active = np.ones(k, np.bool_)
        self.f_intensity = full(intensity)
        self.f_stock = full(stock)
        self.f_days_short = np.zeros(k, np.int64)
        self.f_supply = np.zeros(k)
        self.f_reached = np.zeros(k, np.bool_)
        self.arc_tons = np.zeros(len(self.adj_to))
        return self

    def day(self):
        return sp.supply_day(
            sp.Graph(self.adj_start, self.adj_to, self.adj_rail, self.rev),
            sp.Lines(self.controller, self.owner, self.allied, self.r_gauge, self.p_gauge),
            sp.Sources(self.industry, self.p_capital, self.sea_open, self.truck_park,
                       self.truck_range),
            sp.Forces(self.f_power, self.f_region, self.f_men, self.f_motorised, self.f_active,
                      self.f_intensity, self.f_stock, self.f_days_short, self.f_supply,
                      self.f_reached),
            self.arc_tons,
            self.days,
        )  # fmt: skip

    def need(self):
        return np.array(
            [
                sp.consumption(m, mo, i) * self.days
                for m, mo, i in zip(self.f_men, self.f_motorised, self.f_intensity, strict=True)
            ]
        )


def chain(n, rails, **kw):
    return World(n, [(i, i + 1, rails[i]) for i in range(n - 1)], **kw)


@st.composite
def small_worlds(draw):
    n = draw(st.integers(2, 8))
    n_powers = draw(st.integers(1, 3))
    edges = []
    for a in range(n):
        for b in range(a + 1, n):
            if draw(st.booleans()):
                edges.append((a, b, draw(st.sampled_from([0, 300, 1000, 4000, 12000]))))
    ctrl = draw(st.lists(st.integers(0, n_powers - 1), min_size=n, max_size=n))
    own = draw(st.lists(st.integers(0, n_powers - 1), min_size=n, max_size=n))
    ind = draw(st.lists(st.sampled_from([0.0, 0.0, 1.0, 5.0, 30.0]), min_size=n, max_size=n))
    w = World(n, edges, n_powers, ctrl, own, ind)
    w.allied = np.array(
        draw(st.lists(st.booleans(), min_size=n_powers**2, max_size=n_powers**2)), np.bool_
    ).reshape(n_powers, n_powers)
    w.r_gauge = np.array(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)), np.int64)
    w.p_gauge = np.array(draw(st.lists(st.integers(0, 2), min_size=n_powers, max_size=n_powers)))
    w.p_capital = np.array(draw(st.lists(st.integers(-1, n - 1), min_size=n_powers, max_size=n_powers)))  # fmt: skip
    w.sea_open = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), np.bool_)
    w.truck_park = np.array(draw(st.lists(st.sampled_from([0.0, 500.0, 5e4]), min_size=n_powers, max_size=n_powers)))  # fmt: skip
    w.truck_range = np.array(draw(st.lists(st.integers(0, 3), min_size=n_powers, max_size=n_powers)))  # fmt: skip
    w.days = draw(st.sampled_from([1.0, 1.0, 3.0]))
    k = draw(st.integers(1, 8))
    w.forces(
        draw(st.lists(st.integers(0, n_powers - 1), min_size=k, max_size=k)),
        draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k)),
        draw(st.lists(st.floats(1000.0, 300_000.0), min_size=k, max_size=k)),
        draw(st.lists(st.floats(0.0, 1.0), min_size=k, max_size=k)),
        draw(st.lists(st.floats(0.0, 1.0), min_size=k, max_size=k)),
        draw(st.lists(st.floats(0.0, 50_000.0), min_size=k, max_size=k)),
    )
    return w


@settings(max_examples=150, deadline=None)
@given(small_worlds(), st.integers(1, 5))
def test_stocks_capacity_and_conservation(w, days):
    src = sp.source_capacity(w.industry, w.controller, w.p_capital, w.sea_open) * w.days
    n_powers = len(w.p_gauge)
    for _ in range(days):
        before = w.f_stock.copy()
        need = w.need()
        delivered, produced = w.day()
        assert (w.f_stock >= 0.0).all()
        assert ((w.f_supply >= 0.0) & (w.f_supply <= 1.0 + 1e-12)).all()
        # No arc carries more than its rail capacity (foreign gauge carries less).
        assert (w.arc_tons <= w.adj_rail * w.days * (1 + 1e-9) + 1e-6).all()
        assert delivered <= produced * (1 + 1e-9) + 1e-6
        # Per power: what reached its forces (stock change + use) <= what its regions produce.
        got = w.f_stock - before + w.f_supply * need
        for p in range(n_powers):
            made = src[w.controller == p].sum()
            assert got[w.f_power == p].sum() <= made * (1 + 1e-9) + 1e-6
        assert abs(got.sum() - delivered) <= 1e-6 * max(1.0, delivered)
        # Supply state is the share of need met from stock and delivery.
        np.testing.assert_allclose(
            w.f_supply * need, np.minimum(before + got, need), rtol=1e-9, atol=1e-6
        )


def test_truck_range_supplies_near_and_starves_far():
    # Rail only 0-1 (source at 0); forces 1 hop and 3 hops beyond the railhead at 1.
    w = chain(5, [10000, 0, 0, 0], industry=[40, 0, 0, 0, 0])
    w.truck_park[0] = 1e6
    stock = 1000.0
    w.forces(0, [2, 4], 15000.0, 0.0, 0.0, stock)
    need = w.need()[1]
    days_full = math.floor(stock / need)
    for d in range(days_full + 3):
        w.day()
        assert w.f_supply[0] == 1.0
        if d < days_full:
            assert w.f_supply[1] == 1.0
        elif d > days_full:
            assert w.f_supply[1] == 0.0
    assert w.f_stock[1] == 0.0
    assert w.f_days_short[1] >= 2
    assert w.f_days_short[0] == 0
    assert w.f_reached[0] and not w.f_reached[1]  # nothing got through to the far force


def test_truck_haul_falls_with_distance():
    for hops in (1, 2, 3):
        w = chain(5, [10000, 0, 0, 0], industry=[40, 0, 0, 0, 0])
        w.truck_park[0] = 600.0
        w.truck_range[0] = 3
        w.forces(0, [1 + hops], 300_000.0, 0.0, 1.0)
        w.day()
        got = w.f_supply[0] * w.need()[0]
        assert math.isclose(got, 600.0 / hops, rel_tol=1e-9)


def test_khalkhin_gol_truck_park():
    # ~4,000 lorries of 2.5 t at ~250 km/day over 5-6 hops: ~1,900 t/day.
    park = sp.truck_park_capacity(4000.0, 2.5, 250.0, PARAMS[INDEX["region_km"]].default)
    assert 1500.0 < park / 5.5 < 2500.0


def test_break_of_gauge_cuts_delivery():
    # Power 0 (standard gauge) holds 1-3 captured from power 1 (Russian gauge).
    def run(r_gauge, allied):
        w = chain(4, [10000, 10000, 10000], n_powers=2, industry=[100, 0, 0, 0])
        w.owner = np.array([0, 1, 1, 1])
        w.r_gauge = np.array(r_gauge)
        w.p_gauge = np.array([sp.GAUGE_STANDARD, sp.GAUGE_RUSSIAN])
        w.allied[0, 1] = allied
        w.forces(0, [3], 1_000_000.0, 0.0, 1.0)
        w.day()
        return w.f_supply[0] * w.need()[0]

    same = run([0, 0, 0, 0], False)
    broken = run([0, 1, 1, 1], False)
    assert math.isclose(same, 10000.0)
    assert math.isclose(broken, 10000.0 * sp.DEFAULT_RATES.gauge_factor)
    # An ally's lines (its own rolling stock) are not cut.
    assert math.isclose(run([0, 1, 1, 1], True), 10000.0)


def test_enemy_held_region_cuts_the_line():
    w = chain(4, [10000, 10000, 10000], n_powers=2, industry=[100, 0, 0, 0])
    w.controller = np.array([0, 0, 1, 0])
    w.forces(0, [3], 15000.0, 0.0, 0.0)
    w.day()
    assert w.f_supply[0] == 0.0


def test_trans_siberian_bottleneck():
    # Ten regions from the Kuzbass to the front; the 12,000 t/day line in the middle
    # (asia_tsr_capacity in scenarios/world_1939/edges/asia.yaml).
    rails = [20000, 20000, 20000, 20000, 12000, 20000, 20000, 20000, 20000]
    front = 9
    w = chain(10, rails, industry=[100, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    w.forces(0, [front] * 25, 10_000.0, 0.2, 1.0)  # 25 divisions, 250,000 men, heavy fighting
    need = w.need().sum()
    assert need > 12000.0
    w.day()
    assert (w.f_supply < 1.0).all()
    assert math.isclose((w.f_supply * w.need()).sum(), 12000.0, rel_tol=1e-9)
    # Rounds share the line: no division gets much more than another.
    assert w.f_supply.max() - w.f_supply.min() < 1e-9

    garrison = chain(10, rails, industry=[100, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    garrison.forces(0, [front] * 25, 10_000.0, 0.2, 0.0)
    for _ in range(30):
        garrison.day()
        assert (garrison.f_supply == 1.0).all()
    # And it builds its stock toward the cap.
    cap = sp.stock_cap(10_000.0, 0.2)
    assert (garrison.f_stock > 0.9 * cap).all()


def test_two_fronts_share_a_line():
    # Two armies on one line, each needing far more than it carries: they share it, in slices of
    # an eighth of their need, whichever is served first; together no more than the line.
    w = chain(3, [5000, 5000], industry=[100, 0, 0])
    w.forces(0, [2, 1], 300_000.0, 0.0, 1.0)
    w.day()
    got = w.f_supply * w.need()
    assert got.min() >= 0.4 * 5000.0
    assert got.sum() <= 5000.0 * 1.000001


def test_penalties():
    assert sp.combat_multiplier(1.0) == 1.0
    assert sp.combat_multiplier(0.0) == sp.COMBAT_FLOOR
    assert sp.combat_multiplier(0.3) < sp.combat_multiplier(0.6)
    assert sp.attrition_rate(0, 14.0, 0.005) == 0.0
    assert sp.attrition_rate(14, 14.0, 0.005) == 0.0
    assert sp.attrition_rate(15, 14.0, 0.005) == 0.005


def test_consumption_scale():
    # TM-E 30-451: a German infantry division ~80 t/day quiet, ~1,100 in heavy fighting.
    assert math.isclose(sp.consumption(sp.FOOT_DIV_MEN, 0.0, 0.0), 80.0)
    assert math.isclose(sp.consumption(sp.FOOT_DIV_MEN, 0.0, 1.0), 1100.0)
    assert math.isclose(sp.consumption(sp.MOT_DIV_MEN, 1.0, 1.0), 700.0)


def test_a_period_call_matches_daily_calls_on_a_bottleneck():
    def run(days, calls):
        w = chain(3, [3000, 3000], industry=[100, 0, 0])
        w.days = days
        w.forces(0, [2], 200_000.0, 0.0, 1.0)
        for _ in range(calls):
            w.day()
        return w.f_supply[0]

    assert math.isclose(run(1.0, 3), run(3.0, 1))


def test_ports_and_capital_are_sources():
    # No industry: a capital and a port with an open lane; the port supplies only while open.
    w = chain(3, [10000, 10000], industry=[0, 0, 0])
    w.p_capital[0] = 0
    w.sea_open[2] = True
    w.forces(0, [1], 1_000_000.0, 0.0, 1.0)
    w.day()
    assert math.isclose(w.f_supply[0] * w.need()[0], sp.DEFAULT_RATES.capital_tons + sp.PORT_TONS)
    w.sea_open[2] = False
    w.day()
    assert math.isclose(w.f_supply[0] * w.need()[0], sp.DEFAULT_RATES.capital_tons)


def test_captured_lines_are_regauged_in_time():
    w = chain(4, [10000, 10000, 10000], n_powers=2, industry=[100, 0, 0, 0])
    w.owner = np.array([0, 1, 1, 1])
    w.r_gauge = np.array([0, 1, 1, 1])
    w.p_gauge = np.array([sp.GAUGE_STANDARD, sp.GAUGE_RUSSIAN])
    w.forces(0, [3], 1_000_000.0, 0.0, 1.0)
    progress = np.zeros(4)
    convert_days = PARAMS[INDEX["gauge_convert_days"]].default
    days = int(math.ceil(convert_days))
    for _ in range(days):
        w.day()
        assert math.isclose(w.f_supply[0] * w.need()[0], 10000.0 * sp.DEFAULT_RATES.gauge_factor)
        sp.convert_gauge(
            w.r_gauge, progress, w.controller, w.owner, w.p_gauge, w.allied, 1.0, convert_days
        )
    assert (w.r_gauge == 0).all()
    w.day()
    assert math.isclose(w.f_supply[0] * w.need()[0], 10000.0)
