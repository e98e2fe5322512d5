"""Operational orders (skeleton): where each force heads today.

A power on the offensive sends its forces toward its objective, then exploits toward the nearest
enemy-held region; a force with its own objective follows it; everyone else holds. The land
warfare issue replaces this with fronts, reserves and concentration.
"""

from __future__ import annotations

from twinvipers.rules.jit import kernel
from twinvipers.world.arrays import UNREACHABLE

EXPLOIT = -2  # p_target value: objective taken, keep pushing toward the nearest enemy region


@kernel
def is_enemy(at_war, p, q):
    """True when power ``q`` is at war with ``p``."""
    return q >= 0 and at_war[p, q]


@kernel
def nearest_enemy_region(dist, controller, at_war, p, here):
    """The closest region held by an enemy of ``p`` (by land hops), or -1."""
    best, best_d = -1, UNREACHABLE
    for r in range(controller.shape[0]):
        d = dist[here, r]
        if d < best_d and is_enemy(at_war, p, controller[r]):
            best, best_d = r, d
    return best


@kernel
def give_orders(w, s):
    """Set ``f_goal`` for every force."""
    P = s.p_target.shape[0]
    for p in range(P):
        t = s.p_target[p]
        if t >= 0 and not is_enemy(s.at_war, p, s.controller[t]):
            s.p_target[p] = EXPLOIT
    for f in range(s.f_goal.shape[0]):
        s.f_goal[f] = -1
        if not s.f_active[f] or s.f_reserve[f]:
            continue
        p = w.f_power[f]
        here = s.f_region[f]
        if s.capitulated[p] or here < 0:
            continue
        t = s.f_target[f]
        if t >= 0 and not is_enemy(s.at_war, p, s.controller[t]):
            t = -1
            s.f_target[f] = -1
        if t < 0:
            t = s.p_target[p]
        if t == EXPLOIT:
            t = nearest_enemy_region(w.dist, s.controller, s.at_war, p, here)
        if t >= 0 and t != here and w.next_hop[here, t] >= 0:
            s.f_goal[f] = t
