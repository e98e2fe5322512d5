"""Control of regions: a region passes to an enemy whose forces stand in it unopposed."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from twinvipers.rules import codes
from twinvipers.rules.history import record
from twinvipers.rules.jit import copy1, kernel
from twinvipers.rules.movement import enemy_forces_in


class Control(NamedTuple):
    """Who holds each region and what it is worth (this module and scripted events write it)."""

    controller: np.ndarray  # int64[R] power holding it now
    owner: np.ndarray  # int64[R] power it belongs to (changes only by treaty or event)
    fort: np.ndarray  # float64[R] fortification level
    vp: np.ndarray  # float64[R] victory points
    industry: np.ndarray  # float64[R] industry points (bombing lowers them)


def new_control(w) -> Control:
    """Allocate the record for world ``w`` (values are set by :func:`reset_control`)."""
    R = len(w.r_owner)
    return Control(*(np.zeros(R, t) for t in (np.int64, np.int64, float, float, float)))


@kernel
def reset_control(w, x):
    """Regions as on the start date."""
    copy1(x.controller, w.r_controller)
    copy1(x.owner, w.r_owner)
    copy1(x.fort, w.r_fort)
    copy1(x.vp, w.r_vp)
    copy1(x.industry, w.r_industry)


@kernel
def update_control(w, s, h, ctx):
    """Hand each region held by a power to an enemy standing in it without opposition."""
    s_control, s_politics, s_land = s.control, s.politics, s.land
    run, day = ctx.run, ctx.day
    for f in range(s_land.f_region.shape[0]):
        if not s_land.f_active[f]:
            continue
        r = s_land.f_region[f]
        p = w.f_power[f]
        c = s_control.controller[r]
        if c == p or not s_politics.at_war[p, c]:
            continue
        if not enemy_forces_in(
            s_land.f_active, s_land.f_region, w.f_power, s_politics.at_war, p, r
        ):
            s_control.controller[r] = p
            record(h, run, day, codes.K_CAPTURED, p, c, r, -1, 0.0, 0.0, 0.0)
