"""The weather rule: deterministic spells drawn from climatology, and their effect on movement."""

import dataclasses
import datetime as dt
import shutil

import numpy as np
import pytest
from numba import njit

from twinvipers.engine import reset, simulate, step
from twinvipers.ensemble import sampling
from twinvipers.rules import codes
from twinvipers.rules.rng import run_seeds
from twinvipers.rules.weather import SPELL_DAYS, update_weather
from twinvipers.scenario import schema
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import SHIPPED, load
from twinvipers.state import new_state
from twinvipers.world import climate as cl
from twinvipers.world.arrays import Ctx, new_history

CONTINENTAL = cl.CLIMATES.index(schema.Climate.continental)
MONSOON = cl.CLIMATES.index(schema.Climate.monsoon)


@njit(cache=True)  # compiled once, not in every session (the fast lane)
def _series(w, s, seed, n_days, out_wx, out_ice):
    """Weather and ice of every region on days 0..n_days-1 (update_weather has no Python entry)."""
    for day in range(n_days):
        update_weather(w, s, None, Ctx(np.zeros(0), 0, seed, day))
        out_wx[day, :] = s.weather.r_weather
        out_ice[day, :] = s.weather.r_frozen


@njit(cache=True)
def _series_full(w, s, seed, n_days, out_wx, out_ice):
    """The same, every region redrawn every day (as after a reset)."""
    for day in range(n_days):
        s.weather.wx_day[0] = -2
        update_weather(w, s, None, Ctx(np.zeros(0), 0, seed, day))
        out_wx[day, :] = s.weather.r_weather
        out_ice[day, :] = s.weather.r_frozen


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    d = tmp_path_factory.mktemp("scen") / "poland"
    shutil.copytree(SHIPPED / "poland_1939", d)
    return compile_scenario(load(d).scenario)


def _climatology_world(c, zone, years=30):
    """The test map with every region in ``zone`` and a calendar of ``years`` from 1 Jan 1940."""
    start, n = dt.date(1940, 1, 1), 365 * years
    R = len(c.regions)
    w = c.world._replace(
        r_climate=np.full(R, zone, np.int64),
        day_month=cl.month_of_day(start, n),
        day_winter=cl.winter_of_day(start, n),
    )
    return w, n


def _draw(w, n, seed=7):
    s = new_state(w)
    R = len(w.r_owner)
    wx, ice = np.zeros((n, R), np.int64), np.zeros((n, R), np.bool_)
    _series(w, s, np.uint64(seed), n, wx, ice)
    return wx, ice


def test_tables_are_probabilities():
    assert np.allclose(cl.WEATHER_PROB.sum(axis=2), 1.0) and (cl.WEATHER_PROB >= 0).all()
    assert ((cl.FROZEN_PROB >= 0) & (cl.FROZEN_PROB <= 1)).all()
    cdf = cl.weather_cdf()
    assert cdf.shape == (cl.N_CLIMATES * 12, cl.N_WEATHER) and (cdf[:, -1] == 1.0).all()


def test_calendar():
    m = cl.month_of_day(dt.date(1939, 8, 25), 10)
    assert m[0] == 8 and m[-1] == 9
    wi = cl.winter_of_day(dt.date(1939, 6, 30), 366)
    assert wi[0] == 0 and wi[1] == 1 and wi[-1] == 1  # 1 Jul 1939 opens the winter of 1939-40


def test_same_seed_day_region_same_weather(compiled):
    w, n = _climatology_world(compiled, CONTINENTAL, years=2)
    a, ia = _draw(w, n, seed=3)
    b, ib = _draw(w, n, seed=3)
    assert np.array_equal(a, b) and np.array_equal(ia, ib)
    c, _ = _draw(w, n, seed=4)
    assert not np.array_equal(a, c)


def test_drawing_only_on_changes_equals_drawing_daily(compiled):
    w, n = _climatology_world(compiled, CONTINENTAL, years=2)
    wx, ice = _draw(w, n)
    s = new_state(w)
    wx2, ice2 = np.zeros_like(wx), np.zeros_like(ice)
    _series_full(w, s, np.uint64(7), n, wx2, ice2)
    assert np.array_equal(wx, wx2) and np.array_equal(ice, ice2)


def test_weather_comes_in_spells(compiled):
    w, n = _climatology_world(compiled, CONTINENTAL, years=2)
    wx, _ = _draw(w, n)
    changes = (wx[1:] != wx[:-1]).mean()
    assert changes <= 1.0 / SPELL_DAYS + 0.02  # at most one change per spell (and month ends)


def _share(wx, months, month, states):
    return np.isin(wx[months == month], states).mean()


def test_continental_mud_in_the_rasputitsa_snow_and_cold_in_january(compiled):
    w, n = _climatology_world(compiled, CONTINENTAL)
    wx, ice = _draw(w, n)
    months = w.day_month[:n]
    apr, jul, oct_ = (_share(wx, months, m, [cl.MUD]) for m in (4, 7, 10))
    assert apr > 4 * jul and oct_ > 4 * jul and apr > 0.4 and oct_ > 0.3
    assert _share(wx, months, 1, [cl.SNOW, cl.COLD]) > 0.8
    # Rivers freeze in January and not in July.
    assert ice[months == 1].mean() > 0.8 and ice[months == 7].mean() == 0.0


def test_monsoon_rains_in_july_not_january(compiled):
    w, n = _climatology_world(compiled, MONSOON)
    wx, ice = _draw(w, n)
    months = w.day_month[:n]
    wet = [cl.RAIN, cl.MUD]
    assert _share(wx, months, 7, wet) > 0.8 > 0.2 > _share(wx, months, 1, wet)
    assert not ice.any()


def test_ice_forms_once_a_winter(compiled):
    w, n = _climatology_world(compiled, CONTINENTAL, years=3)
    _, ice = _draw(w, n)
    # Within a July-June season each region freezes over at most once and thaws at most once.
    for winter in range(3):
        days = w.day_winter[:n] == winter
        flips = (np.diff(ice[days].astype(np.int8), axis=0) != 0).sum(axis=0)
        assert (flips <= 2).all()


def _forced(w, state, frozen=0.0):
    """The world with every region's weather forced to ``state`` and ice chance ``frozen``."""
    cdf = np.zeros_like(w.wx_cdf)
    cdf[:, state:] = 1.0
    return w._replace(wx_cdf=cdf, ice_prob=np.full_like(w.ice_prob, frozen))


def _march(c, w, force, start_region, target, days):
    """Daily (region, progress) of ``force`` marching unopposed from ``start_region``."""
    s = new_state(w)
    h = new_history(1, len(w.snap_days), len(w.r_owner), len(c.powers), 7, 4096)
    params = c.params_for(np.zeros((1, len(c.assumptions))))[0]
    reset(w, s)
    ger, pol = c.powers.index("GER"), c.powers.index("POL")
    s.politics.at_war[ger, pol] = s.politics.at_war[pol, ger] = True
    s.land.f_active[w.f_power == pol] = False  # nobody in the way: movement alone
    f = c.forces.index(force)
    s.land.f_region[f] = c.regions.index(start_region)
    s.land.f_target[f] = c.regions.index(target)
    out = []
    for day in range(days):
        step(w, s, h, Ctx(params, 0, np.uint64(1), day))
        out.append((int(s.land.f_region[f]), float(s.land.f_progress[f])))
    return out


def test_mud_halves_the_advance(compiled):
    c = compiled
    dry = _march(c, _forced(c.world, cl.DRY), "ger_4th_army", "pomerania", "warsaw", 12)
    mud = _march(c, _forced(c.world, cl.MUD), "ger_4th_army", "pomerania", "warsaw", 12)
    assert dry[0][1] > 0 and mud[0][1] == pytest.approx(dry[0][1] / 2)
    torun = c.regions.index("torun")
    arrive_dry = next(d for d, (r, _) in enumerate(dry) if r == torun)
    arrive_mud = next(d for d, (r, _) in enumerate(mud) if r == torun)
    assert (arrive_mud + 1) >= 2 * (arrive_dry + 1) - 1  # about twice the days to get there


def test_frozen_river_is_no_obstacle(compiled):
    c = compiled
    # Toruń → Warsaw crosses the Vistula (a major river: half speed) unless it is frozen.
    open_ = _march(c, _forced(c.world, cl.DRY, 0.0), "ger_4th_army", "torun", "warsaw", 1)
    ice = _march(c, _forced(c.world, cl.DRY, 1.0), "ger_4th_army", "torun", "warsaw", 1)
    assert ice[0][1] == pytest.approx(2 * open_[0][1])


def test_mud_slows_the_campaign(compiled):
    """Under permanent mud Warsaw falls later (or not at all) than in permanent dry weather."""
    c = compiled
    n = 16
    values = sampling.sample(c.assumptions, n, 1)
    params, seeds = c.params_for(values), run_seeds(1, np.arange(n))
    warsaw = c.regions.index("warsaw")

    def fall_day(state):
        cc = dataclasses.replace(c, world=_forced(c.world, state))
        b = simulate(cc, params, seeds)
        h, k = b.history, b.n_events
        days = np.full(n, len(c.world.day_month), np.int64)
        hit = (h.ev_kind[:k] == codes.K_CAPTURED) & (h.ev_region[:k] == warsaw)
        for run, day in zip(h.ev_run[:k][hit], h.ev_day[:k][hit], strict=True):
            days[run] = min(days[run], day)
        return days

    assert fall_day(cl.MUD).mean() > fall_day(cl.DRY).mean()
