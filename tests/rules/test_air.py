"""Properties and calibration checks of the air war (rules.air)."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from twinvipers.rules import air
from twinvipers.rules import combat as cb
from twinvipers.rules.rng import P_AIR, uniform

SEED = np.uint64(1940)
planes = st.floats(0.0, 10_000.0)
quality = st.floats(0.1, 3.0)
unit = st.floats(0.0, 0.999999)


def u(i):
    return uniform(SEED, i, 0, P_AIR)


@settings(max_examples=300, deadline=None)
@given(planes, quality, planes, quality, st.floats(1.0, 1000.0))
def test_superiority_monotone(own, qo, enemy, qe, extra):
    s = air.air_superiority(own, qo, enemy, qe)
    assert -1.0 <= s <= 1.0
    assert air.air_superiority(own + extra, qo, enemy, qe) >= s
    assert air.air_superiority(own, qo, enemy + extra, qe) <= s
    # Antisymmetric: one side's superiority is the other's inferiority.
    assert math.isclose(air.air_superiority(enemy, qe, own, qo), -s, abs_tol=1e-12)


def test_superiority_checks():
    """Poland 1939 mastery; Battle of Britain contested; Khalkhin Gol a Soviet edge."""
    assert air.air_superiority(1200, 1.0, 164, 1.0) > 0.85
    assert air.air_superiority_level(air.air_superiority(700, 1.0, 925, 1.0)) == 0.0
    s = air.air_superiority(580, 1.0, 200, 1.5)
    assert 0.3 < s < 0.6
    assert air.air_superiority(0, 1.0, 0, 1.0) == 0.0
    assert air.air_superiority(10, 1.0, 0, 1.0) == 1.0


@settings(max_examples=200, deadline=None)
@given(planes, planes, planes)
def test_superiority_raises_land_combat(own, enemy, extra):
    """More own fighters never lower a side's land combat power (and mastery raises it)."""

    def power(sup):
        arms = cb.Arms(10_000.0, 100.0, 100.0, 50.0, 1.0, 0, sup, 1.0, 0.0)
        here = cb.Field(cb.HASTY_DEFENCE, cb.PLAINS, cb.DRY_SUNNY, cb.SUMMER, 0, 0.0, cb.INFANTRY)
        return cb.combat_power(arms, here, True)

    lo = power(air.air_superiority(own, 1.0, enemy, 1.0))
    hi = power(air.air_superiority(own + extra, 1.0, enemy, 1.0))
    assert hi >= lo
    assert power(1.0) > power(0.0) > power(-1.0)


@settings(max_examples=200, deadline=None)
@given(planes, st.floats(0.0, 4.0), st.floats(0.0, 1.0), st.floats(-1.0, 1.0))
def test_cas_sorties(a, rate, wx, sup):
    s = air.close_air_support_sorties(a, rate, wx, sup)
    assert 0.0 <= s <= a * rate * wx + 1e-9
    assert air.close_air_support_sorties(a, rate, wx, 1.0) >= s


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 5000), st.floats(0, 5000), quality, st.floats(-1, 1), st.floats(1, 1e5))
def test_interdiction_bounded_monotone(s, extra, q, sup, tons):
    lo = air.interdiction_share(s, q, sup, 1.0, tons)
    hi = air.interdiction_share(s + extra, q, sup, 1.0, tons)
    assert 0.0 <= lo <= hi <= air.INTERDICTION_MAX


def test_interdiction_strangle():
    """~400 sorties a day against a 4,000 t/day front: about a third of supply lost."""
    assert 0.25 < air.interdiction_share(400, 1.0, 1.0, 1.0, 4000) < 0.45


@settings(max_examples=200, deadline=None)
@given(planes, quality, st.floats(0, 1), st.floats(-1, 1), st.floats(0, 5000), unit)
def test_airfield_strike_bounded(s, q, surprise, sup, ground, uu):
    n = air.airfield_strike(s, q, surprise, sup, ground, uu)
    assert 0.0 <= n <= math.floor(ground)
    assert n == math.floor(n)


def test_airfield_strike_checks():
    """22 June 1941 (~2,000 sorties, surprise): on the order of 800-1,200 destroyed on the
    ground of ~2,500 exposed; Tamsag-Bulak (~137 sorties, alert): a dozen or so."""
    barb = np.mean([air.airfield_strike(2000, 1.0, 1.0, 0.5, 2500, u(i)) for i in range(200)])
    assert 700 < barb < 1500
    tamsag = np.mean([air.airfield_strike(137, 1.0, 0.0, 0.0, 150, u(i)) for i in range(200)])
    assert 5 < tamsag < 25


def test_port_strike_liverpool():
    assert 0.4 < air.port_capacity_lost(680, 1.0, 0.1) < 0.56
    assert air.port_capacity_lost(0, 1.0, 0.1) == 0.0
    assert air.port_capacity_lost(680, 1.0, 0.5) < air.port_capacity_lost(680, 1.0, 0.1)


def test_strategic_bombing_is_small_early():
    """USSBS/Butt: 1939-42 bombing barely dented industry; Hamburg 1943 ~15% of a year."""
    per_sortie = air.industry_lost(1, air.TONS_PER_SORTIE_1939_42, air.ACCURACY_1939_42,
                                   air.REFERENCE_INDUSTRY, 1.0)  # fmt: skip
    assert per_sortie < 1e-4
    # A thousand-bomber month in 1942 against the Ruhr (~30% of German industry): under 1%.
    ruhr = air.industry_lost(1000, 1.5, 0.15, 30.0, 1.0)
    assert ruhr / 30.0 < 0.01
    hamburg = air.industry_lost(6000, 1.5, 0.6, 4.0, 1.0)
    assert 0.1 < hamburg / 4.0 < 0.2


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1e4), st.floats(0, 1e6), st.floats(0, 1), unit)
def test_chemical_bounded(tons, men, prot, uu):
    cas, slow, will = air.chemical_attack(tons, men, prot, uu)
    assert 0.0 <= cas <= air.DEFAULT_CHEM.max_share * men + 1e-6
    assert 0.0 < slow <= 1.0
    assert will >= 0.0


def test_chemical_slows_and_masks_help():
    cas_masked, slow, will = air.chemical_attack(100, 100_000, 1.0, 0.5)
    cas_bare, _, _ = air.chemical_attack(100, 100_000, 0.0, 0.5)
    assert cas_masked < cas_bare
    assert slow < 1.0 and will > 0.0
    assert air.chemical_attack(0, 100_000, 0.0, 0.5) == (0.0, 1.0, 0.0)


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 100), st.floats(0, 5e6), st.floats(0, 1), unit)
def test_biological_bounded(n, pop, med, uu):
    cas, dead, will = air.biological_attack(n, pop, med, uu)
    assert 0.0 <= dead <= cas <= air.DEFAULT_BIO.max_share * pop + 1e-6
    assert will >= 0.0


def test_biological_mean_order_of_harris():
    """Mean casualties per attack on a large city without public health: ~600 (assumption)."""
    cas = [air.biological_attack(1, 1_000_000, 0.0, u(i))[0] for i in range(20_000)]
    assert 400 < np.mean(cas) < 800
