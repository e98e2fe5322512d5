"""Mobilisation: reserve forces with a schedule join the field army on time.

A power's count starts when it orders mobilisation (a scripted decision) or first goes to war;
a force with ``ready_after`` days in the scenario stops being a reserve that many days later.
"""

from __future__ import annotations

from twinvipers.rules.jit import kernel


@kernel
def mobilise_reserves(w, s, h, ctx):
    """Release scheduled reserves whose mobilisation time has come."""
    s_politics, s_land = s.politics, s.land
    day = ctx.day
    for f in range(s_land.f_reserve.shape[0]):
        if not s_land.f_reserve[f] or w.f_ready[f] < 0:
            continue
        start = s_politics.p_mobilised[w.f_power[f]]
        if start >= 0 and day >= start + w.f_ready[f]:
            s_land.f_reserve[f] = False
