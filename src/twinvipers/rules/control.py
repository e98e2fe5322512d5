"""Control of regions: a region passes to an enemy whose forces stand in it unopposed."""

from __future__ import annotations

from twinvipers.rules import codes
from twinvipers.rules.history import record
from twinvipers.rules.jit import kernel
from twinvipers.rules.movement import enemy_forces_in


@kernel
def update_control(w, s, h, run, day):
    """Hand each region held by a power to an enemy standing in it without opposition."""
    for f in range(s.f_region.shape[0]):
        if not s.f_active[f]:
            continue
        r = s.f_region[f]
        p = w.f_power[f]
        c = s.controller[r]
        if c == p or not s.at_war[p, c]:
            continue
        if not enemy_forces_in(s.f_active, s.f_region, w.f_power, s.at_war, p, r):
            s.controller[r] = p
            record(h, run, day, codes.K_CAPTURED, p, c, r, -1, 0.0, 0.0, 0.0)
