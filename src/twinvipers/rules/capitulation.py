"""Capitulation (placeholder): a power gives up once it has lost its capital and enough core.

The threshold is a share of core victory points scaled by national will; once met, the power gives
up with a daily chance. On capitulation it makes peace with every enemy, its forces lay down their
arms (prisoners) and its remaining regions pass to the nearest enemy-held neighbour.
"""

from __future__ import annotations

from twinvipers.rules import codes, rng
from twinvipers.rules import params as P
from twinvipers.rules.diplomacy import make_peace
from twinvipers.rules.history import record
from twinvipers.rules.jit import kernel
from twinvipers.world.arrays import UNREACHABLE


@kernel
def lost_core_share(w, s, p):
    """Share of ``p``'s core victory points held by others."""
    total = 0.0
    lost = 0.0
    for r in range(s.controller.shape[0]):
        if s.owner[r] == p and w.r_core[r]:
            total += s.vp[r]
            if s.controller[r] != p:
                lost += s.vp[r]
    return lost / total if total > 0 else 1.0


@kernel
def check_capitulations(w, s, h, params, run, seed, day):
    """Let every power that has reached its threshold consider giving up."""
    P_ = s.capitulated.shape[0]
    for p in range(P_):
        if s.capitulated[p]:
            continue
        cap = w.p_capital[p]
        holder = s.controller[cap]
        if holder == p or not s.at_war[p, holder]:
            continue
        threshold = min(0.95, params[P.CAP_VP_SHARE] * s.will[p])
        if lost_core_share(w, s, p) < threshold:
            continue
        if rng.uniform(seed, day, p, rng.P_CAPITULATION) >= params[P.CAP_DAILY]:
            continue
        s.capitulated[p] = True
        record(h, run, day, codes.K_CAPITULATION, p, holder, cap, -1, 0.0, 0.0, 0.0)
        for q in range(P_):
            make_peace(s, h, run, day, p, q)
        for f in range(s.f_region.shape[0]):
            if s.f_active[f] and w.f_power[f] == p:
                s.captured[p] += s.f_men[f]
                s.f_men[f] = 0.0
                s.f_active[f] = False
        _hand_over(w, s, h, run, day, p, holder)


@kernel
def _hand_over(w, s, h, run, day, p, holder):
    """Pass each region ``p`` still holds to the enemy holding the nearest region."""
    R = s.controller.shape[0]
    for r in range(R):
        if s.controller[r] != p:
            continue
        best, best_d = holder, UNREACHABLE
        for x in range(R):
            c = s.controller[x]
            if c != p and c >= 0 and w.dist[r, x] < best_d and _was_enemy(s, w, p, c, holder):
                best, best_d = c, w.dist[r, x]
        s.controller[r] = best
        record(h, run, day, codes.K_CAPTURED, best, p, r, -1, 0.0, 0.0, 0.0)


@kernel
def _was_enemy(s, w, p, c, holder):
    # Peace was just made, so "enemy" means a power that fought p: the capital's holder or any
    # power that had taken one of p's regions.
    if c == holder:
        return True
    for r in range(s.controller.shape[0]):
        if s.owner[r] == p and s.controller[r] == c:
            return True
    return False
