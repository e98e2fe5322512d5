"""Control of regions: a region passes to an enemy whose forces stand in it unopposed."""

from __future__ import annotations

from twinvipers.rules import codes
from twinvipers.rules.history import record
from twinvipers.rules.jit import kernel


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
        contested = False
        for g in range(s.f_region.shape[0]):
            if s.f_active[g] and s.f_region[g] == r and s.at_war[p, w.f_power[g]]:
                contested = True
                break
        if not contested:
            s.controller[r] = p
            record(h, run, day, codes.K_CAPTURED, p, c, r, -1, 0.0, 0.0, 0.0)
