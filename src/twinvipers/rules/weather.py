"""Weather: each region's weather state and river ice, drawn from its climate's monthly odds.

Weather comes in spells, not independent days: a region draws one uniform per spell of
``SPELL_DAYS`` days and maps it through the cumulative row of its climate and the current month,
so a state persists for the spell (it can change mid-spell only when the month changes). Spells
are staggered by region so the whole map does not change weather on the same day. River ice is
drawn once per region per winter (July-June season): rivers are frozen while that draw is below
the month's freezing chance, so ice forms once and breaks up once, and the harder winters (low
draws) freeze earlier and longer. Regions draw independently: weather fronts spanning many
regions are not modelled.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from twinvipers.rules import rng
from twinvipers.rules.jit import fill1, kernel


class Weather(NamedTuple):
    """Today's weather and river ice, by region."""

    r_weather: np.ndarray  # int64[R] weather state today (world.climate codes)
    r_frozen: np.ndarray  # bool[R] rivers and lakes frozen today
    wx_day: np.ndarray  # int64[1] last day the weather was updated (-2 after a reset)


def new_weather(w) -> Weather:
    """Allocate the record for world ``w`` (values are set by :func:`reset_weather`)."""
    R = len(w.r_owner)
    return Weather(np.zeros(R, np.int64), np.zeros(R, np.bool_), np.zeros(1, np.int64))


@kernel
def reset_weather(w, x):
    """No weather drawn yet: the first update draws every region."""
    fill1(x.r_weather, 0)  # set each day by update_weather before any rule reads it
    fill1(x.r_frozen, False)
    fill1(x.wx_day, -2)  # not yesterday


# Days a weather spell lasts: synoptic systems (cyclones, blocking highs) govern a region's weather
# for about 3-7 days (Wallace, J. M. & Hobbs, P. V. (2006), Atmospheric Science, 2nd ed., ch. 8).
SPELL_DAYS = 5


@kernel
def update_weather(w, s, h, ctx):
    """Set ``s.weather.r_weather`` and ``s.weather.r_frozen`` of every region for ``day``."""
    s_weather = s.weather
    seed, day = ctx.seed, ctx.day
    d = min(day, w.day_month.shape[0] - 1)
    month = w.day_month[d] - 1
    winter = w.day_winter[d]
    # Weather changes only when a region's spell ends or the month turns, ice only when the month
    # turns: draw only then (the same outcome as drawing daily, at a fifth of the cost). Any other
    # call than the day after the last (a reset, a skipped day) redraws everything.
    full = day != s_weather.wx_day[0] + 1 or (d > 0 and w.day_month[d - 1] != w.day_month[d])
    s_weather.wx_day[0] = day
    n_states = w.wx_cdf.shape[1]
    for r in range(s_weather.r_weather.shape[0]):
        if not full and (day + r % SPELL_DAYS) % SPELL_DAYS != 0:
            continue
        row = w.r_climate[r] * 12 + month
        spell = (day + r % SPELL_DAYS) // SPELL_DAYS
        # Entity 2r: the weather once shared its stream with the ice (odd entities); kept so the
        # weather draws are unchanged.
        u = rng.uniform(seed, spell, 2 * r, rng.P_WEATHER)
        k = 0
        while k < n_states - 1 and u >= w.wx_cdf[row, k]:
            k += 1
        s_weather.r_weather[r] = k
        if full:
            ice = w.ice_prob[row]
            # Most of the map never freezes: skip the draw there (the outcome is the same).
            s_weather.r_frozen[r] = (
                ice > 0.0 and rng.uniform(seed, winter, r, rng.P_RIVER_ICE) < ice
            )
