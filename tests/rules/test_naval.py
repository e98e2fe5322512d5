"""Properties and calibration of the war at sea (rules.naval)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinvipers.rules import naval as nv
from twinvipers.rules.rng import P_NAVAL, uniform
from twinvipers.scenario.schema import ShipClass

SEED = np.uint64(1939)


def fleet(**counts):
    a = np.zeros(nv.N_CLASS)
    for name, n in counts.items():
        a[list(ShipClass).index(ShipClass(name))] = n
    return a


def u(i, purpose=P_NAVAL):
    return uniform(SEED, i, 0, purpose)


# (name, A, quality A, B, quality B, visibility, night, withdraw A, withdraw B,
#  actual (A out, B out, holder), note). "out" = sunk or put out of action that day.
ENGAGEMENTS = [
    (
        "River Plate 1939",
        fleet(heavy_cruiser=1, light_cruiser=2),
        1.0,
        fleet(heavy_cruiser=1),
        1.8,
        1.0,
        False,
        0.3,
        0.1,
        (1.5, 0.0, nv.HELD_BY_A),
        "Graf Spee as a CA with 11-in guns (q 1.8); Langsdorff far from a dockyard (withdraw 0.1)",
    ),
    (
        "Calabria 1940",
        fleet(battleship=3, carrier=1, light_cruiser=5, destroyer=16),
        1.0,
        fleet(battleship=2, heavy_cruiser=6, light_cruiser=8, destroyer=16),
        0.8,
        1.0,
        False,
        0.3,
        0.05,
        (0.0, 1.0, nv.HELD_BY_A),
        "Supermarina's orders to avoid risk (withdraw 0.05)",
    ),
    (
        "Cape Matapan 1941",
        fleet(battleship=3, carrier=1, light_cruiser=4, destroyer=13),
        1.4,
        fleet(battleship=1, heavy_cruiser=6, light_cruiser=2, destroyer=13),
        0.8,
        0.5,
        True,
        0.3,
        0.15,
        (0.0, 6.0, nv.HELD_BY_A),
        "night, British radar (q 1.4)",
    ),
    (
        "Denmark Strait 1941",
        fleet(battleship=1, battlecruiser=1),
        0.8,
        fleet(battleship=1, heavy_cruiser=1),
        1.2,
        1.0,
        False,
        0.15,
        0.15,
        (2.0, 0.0, nv.HELD_BY_B),
        "Bismarck damaged but kept the sea; PoW's new turrets jammed, after turrets masked (q 0.8)",
    ),
    (
        "Java Sea 1942",
        fleet(heavy_cruiser=2, light_cruiser=3, destroyer=9),
        0.8,
        fleet(heavy_cruiser=2, light_cruiser=2, destroyer=14),
        1.3,
        1.0,
        False,
        0.3,
        0.15,
        (6.0, 1.0, nv.HELD_BY_B),
        "ABDA without common signals; Long Lance torpedoes (q 1.3)",
    ),
    (
        "Midway 1942",
        fleet(carrier=4, heavy_cruiser=8, destroyer=15),
        1.3,
        fleet(carrier=4, battleship=2, heavy_cruiser=2, light_cruiser=1, destroyer=12),
        1.2,
        1.0,
        False,
        0.15,
        0.15,
        (2.0, 5.0, nv.HELD_BY_A),
        "Midway atoll's air group as a 4th US carrier",
    ),
]


def simulate(a, qa, b, qb, vis, night, wa, wb, n=4000):
    """Mean ships out per side and holder shares, conditional on contact."""
    la = lb = 0.0
    held = np.zeros(3)
    contact = 0
    for i in range(n):
        x, y, h = nv.naval_battle(a, b, qa, qb, vis, night, wa, wb, u(i))
        if h == nv.NO_CONTACT:
            continue
        contact += 1
        la += x.sum()
        lb += y.sum()
        held[h] += 1
    c = max(contact, 1)
    return la / c, lb / c, held / c


@pytest.mark.parametrize("e", ENGAGEMENTS, ids=[e[0] for e in ENGAGEMENTS])
def test_calibration_winner(e):
    """The model's likeliest holder of the sea is the historical one."""
    name, a, qa, b, qb, vis, night, wa, wb, actual, _ = e
    la, lb, held = simulate(a, qa, b, qb, vis, night, wa, wb, 2000)
    print(f"{name}: model A out {la:.2f}, B out {lb:.2f}, holds A {held[1]:.2f} "
          f"B {held[2]:.2f} contested {held[0]:.2f}; actual {actual}")  # fmt: skip
    winner = nv.HELD_BY_A if held[nv.HELD_BY_A] > held[nv.HELD_BY_B] else nv.HELD_BY_B
    assert winner == actual[2]


def test_calibration_table(capsys):
    """Print the calibration table (pytest -s); the docstring of rules.naval quotes it."""
    with capsys.disabled():
        print("\nengagement            A out (act/model)  B out (act/model)  holder A/B/contested")
        for name, a, qa, b, qb, vis, night, wa, wb, act, _ in ENGAGEMENTS:
            la, lb, held = simulate(a, qa, b, qb, vis, night, wa, wb)
            print(f"{name:22s}{act[0]:5.1f} / {la:4.2f}       {act[1]:5.1f} / {lb:4.2f}"
                  f"       {held[1]:.2f} / {held[2]:.2f} / {held[0]:.2f}")  # fmt: skip


def test_stronger_fleet_wins_more_often():
    strong = fleet(battleship=4, heavy_cruiser=4, destroyer=16)
    weak = fleet(battleship=1, light_cruiser=2, destroyer=8)
    wins = {nv.HELD_BY_A: 0, nv.HELD_BY_B: 0}
    for i in range(2000):
        _, _, h = nv.naval_battle(strong, weak, 1.0, 1.0, 1.0, False, 0.15, 0.15, u(i))
        if h in wins:
            wins[h] += 1
    assert wins[nv.HELD_BY_A] > 3 * wins[nv.HELD_BY_B]


def test_vladivostok_pacific_squadron_destroyed():
    """The timeline's battle off Vladivostok: the IJN main body against 2 destroyers and subs."""
    ijn = fleet(battleship=4, carrier=2, heavy_cruiser=6, light_cruiser=2, destroyer=20)
    sov = fleet(destroyer=2, submarine=10)
    held = 0
    for i in range(1000):
        _, _, h = nv.naval_battle(ijn, sov, 1.2, 0.7, 1.0, False, 0.15, 0.3, u(i))
        held += h == nv.HELD_BY_A
    assert held > 500


counts = st.lists(st.integers(0, 12), min_size=nv.N_CLASS, max_size=nv.N_CLASS)


@settings(max_examples=200, deadline=None)
@given(counts, counts, st.floats(0.3, 2.0), st.floats(0.3, 2.0), st.floats(0.1, 1.0),
       st.booleans(), st.floats(0.0, 0.999999))  # fmt: skip
def test_losses_bounded(a, b, qa, qb, vis, night, uu):
    a = np.array(a, dtype=np.float64)
    b = np.array(b, dtype=np.float64)
    la, lb, h = nv.naval_battle(a, b, qa, qb, vis, night, 0.15, 0.15, uu)
    assert np.all(la >= 0) and np.all(lb >= 0)
    assert np.all(la <= a) and np.all(lb <= b)
    assert np.all(la == np.floor(la))
    assert h in (nv.NO_CONTACT, nv.CONTESTED, nv.HELD_BY_A, nv.HELD_BY_B)
    # Deterministic in u.
    la2, lb2, h2 = nv.naval_battle(a, b, qa, qb, vis, night, 0.15, 0.15, uu)
    assert h == h2 and np.array_equal(la, la2) and np.array_equal(lb, lb2)


def test_ice():
    months = np.array([12, 1, 2, 3, 4], dtype=np.int64)
    assert nv.zone_frozen(months, 1) and nv.zone_frozen(months, 12)
    assert not nv.zone_frozen(months, 7) and not nv.zone_frozen(months, 5)
    assert not nv.zone_frozen(np.zeros(0, dtype=np.int64), 1)


def test_the_engine_knows_no_sea_zone_by_name():
    import pathlib

    import twinvipers

    # Ice and ports are scenario data: no engine module names a sea zone of a shipped scenario.
    from twinvipers.scenario.load import load

    names = {z.id for z in load("world_1939").scenario.sea_zones}
    names |= {"murmansk", "vladivostok", "petsamo", "arkhangelsk", "okhotsk"}
    root = pathlib.Path(twinvipers.__file__).parent
    for path in [*root.glob("rules/*.py"), *root.glob("command/*.py"), root / "engine.py"]:
        text = path.read_text().lower()
        for n in names:
            assert f'"{n}"' not in text and f"'{n}'" not in text, f"{path.name} names {n}"


def test_frozen_zone_blocks_the_lane():
    z = np.zeros(3)
    assert nv.sea_lane_share(z, z, np.array([False, True, False])) == 0.0
    assert nv.sea_lane_share(z, z, np.array([False, False, False])) == 1.0


@settings(max_examples=200, deadline=None)
@given(st.floats(0.0, 50.0), st.floats(0.0, 50.0), st.floats(0.0, 20.0))
def test_blockade_monotone(b, extra, escort):
    n = np.ones(2)
    no_ice = np.zeros(2, dtype=np.bool_)
    lo = nv.sea_lane_share(n * b, n * escort, no_ice)
    hi = nv.sea_lane_share(n * (b + extra), n * escort, no_ice)
    assert 0.0 <= hi <= lo <= 1.0


def test_blockaded_island_supply_falls():
    """An island power's lane through two zones: supply falls as the blockade grows."""
    no_ice = np.zeros(2, dtype=np.bool_)
    escort = np.full(2, nv.escort_strength(fleet(destroyer=4), 1.0))
    shares = [
        nv.sea_lane_share(np.full(2, nv.blockade_strength(f, 1.0)), escort, no_ice)
        for f in (fleet(), fleet(destroyer=4), fleet(light_cruiser=4, destroyer=10),
                  fleet(heavy_cruiser=6, light_cruiser=6, destroyer=24, submarine=20))
    ]  # fmt: skip
    assert shares[0] == 1.0
    assert all(x > y for x, y in zip(shares[1:], shares[2:], strict=False))
    assert shares[-1] < 0.2


# 1939-40 trade war: Sep 1939 - May 1940 (see rules.naval comments for the sources).
OFFICIAL_MEAN_GRT = 182_400  # British, Allied and neutral, by enemy action, per month [DOM]
ROSKILL_ALL_CAUSES_GRT = [194_845, 196_355, 174_269, 189_923, 214_506, 226_920, 107_009,
                          158_218, 288_461]  # fmt: skip
UBOAT_GRT = [153_879, 134_807, 51_589, 80_881, 111_263, 169_566, 62_781, 32_467, 55_580]
FORCE_1939_40 = dict(subs_at_sea=14.0, raiders=0.5, escorts=60.0, convoy_share=0.4)


def test_commerce_raiding_1939_40():
    """About 180,000 GRT a month (official 182,400; Roskill's monthly series ~194,500) +-30%."""
    f = FORCE_1939_40
    draws = [
        nv.tonnage_sunk(f["subs_at_sea"], f["raiders"], f["escorts"], f["convoy_share"], u(i))
        for i in range(20_000)
    ]
    mean = float(np.mean(draws))
    assert 0.7 * 180_000 <= mean <= 1.3 * 180_000
    assert abs(mean - OFFICIAL_MEAN_GRT) < 0.05 * OFFICIAL_MEAN_GRT
    assert abs(mean - np.mean(ROSKILL_ALL_CAUSES_GRT)) < 0.15 * np.mean(ROSKILL_ALL_CAUSES_GRT)
    # The month-to-month spread is of the historical order (U-boat tonnage CV ~0.5).
    cv = np.std(draws) / mean
    hist_cv = np.std(UBOAT_GRT) / np.mean(UBOAT_GRT)
    assert 0.5 * hist_cv < cv < 1.5 * hist_cv


def test_escorts_and_convoys_protect():
    e = nv.expected_tonnage_sunk
    assert e(14, 0.5, 120, 0.4) < e(14, 0.5, 60, 0.4) < e(14, 0.5, 0, 0.4)
    assert e(14, 0.5, 60, 0.9) < e(14, 0.5, 60, 0.4)
    assert e(28, 0.5, 60, 0.4) > e(14, 0.5, 60, 0.4)
    assert e(0, 0, 60, 0.4) == 0.0


def test_submarine_losses_1939_40():
    """~2.7 U-boats lost a month with ~14 at sea [uboat.net]."""
    f = FORCE_1939_40
    lost = [nv.submarines_lost(f["subs_at_sea"], f["escorts"], f["convoy_share"], u(i))
            for i in range(5000)]  # fmt: skip
    assert 1.8 < np.mean(lost) < 3.6
    assert max(lost) <= 14


def test_landing_needs_naval_superiority():
    # Strong lift and a weak garrison, but the enemy fleet is as strong: fails every time.
    ok = sum(nv.landing(10.0, 10.0, 10_000, 20_000, 2_000, 1.0, u(i))[0] for i in range(1000))
    assert ok == 0


def test_landing_with_superiority_against_weak_garrison():
    # Norway 1940-like: ~8,850 men over a few days against a few hundred to 2,000 per port.
    ok = sum(nv.landing(20.0, 2.0, 3_000, 8_850, 2_000, 1.0, u(i))[0] for i in range(1000))
    assert ok > 600
    # The same landing against a strong garrison (Dieppe-like) mostly fails.
    ok = sum(nv.landing(20.0, 2.0, 3_000, 6_000, 1_500, 3.0, u(i))[0] for i in range(1000))
    assert ok < 300


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 100), st.floats(0, 100), st.floats(0, 1e5), st.floats(0, 1e6),
       st.floats(0, 1e6), st.floats(0.1, 5.0))  # fmt: skip
def test_landing_probability_bounds(own, enemy, lift, men, garrison, q):
    p, mult = nv.landing_probability(own, enemy, lift, men, garrison, q)
    assert 0.0 <= p <= 1.0
    assert 0.0 < mult <= 1.0
    if own + enemy == 0 or own / (own + enemy) < nv.DEFAULT_KNOBS.superiority_threshold:
        assert p == 0.0


def test_bombardment():
    """Rodney and Malaya off Murmansk (timeline): support counts, port loses capacity."""
    ships = fleet(battleship=2, heavy_cruiser=2, light_cruiser=2, destroyer=8)
    tubes, port = nv.bombardment(ships, 1.0, 0.0)
    assert tubes > 100 and 0.0 < port < 1.0
    tubes2, port2 = nv.bombardment(ships, 1.0, 0.5)
    assert tubes2 < tubes and port2 < port
    assert nv.bombardment(fleet(), 1.0, 0.0) == (0.0, 0.0)
