"""Allocation of a power's forces: holders, reinforcements, objectives and ways out.

Who holds which stretch of the line, who reinforces where, what is worth attacking, and where a
threatened force falls back to.

Roles (``role`` array, per force): a force ordered by a scripted offensive (``SCRIPTED``), one
holding a front region (``HOLD``), one free to concentrate or reinforce (``FREE``), or one the
high command sent to another theatre, on its way (``SENT``).
"""

from __future__ import annotations

import numpy as np

from twinvipers.rules import params as P
from twinvipers.rules.battle import PREPARED_FROM
from twinvipers.rules.jit import inline, kernel
from twinvipers.world.arrays import UNREACHABLE

NONE, SCRIPTED, HOLD, FREE, SENT = 0, 1, 2, 3, 4

# An objective's worth is its victory points plus ``ai_base_worth`` over its defenders in units
# of ``ai_division_men`` (parameters, both assumptions).


@inline
def assign_holders(w, s, p, mine, n_mine, role, goal, front, front_list, n_front, threat,
                   own_men, holder_at, offensive, budget, home, member):  # fmt: skip
    """Give every empty front region ``p`` holds a holder, most threatened first, nearest force.

    A force already standing in a front region holds it. In a fortified region (prepared
    positions, fort >= 1) so do the others there, until the men holding it match the enemy men
    threatening it: a prepared line under threat is not stripped to reinforce another (the
    Isthmus corps used to walk off the Mannerheim Line to the quiet north), while elsewhere the
    surplus is free to go (Finland's own plan: hold the Isthmus line, delay north of Ladoga).
    A region with men of ``p`` in it (a reserve, say) needs no one sent. On the offensive
    (``offensive``) only threatened regions are manned, and only with forces that fit in
    ``budget`` men all told, so that the mass of the army concentrates rather than strings out
    along its flanks. A force the high command assigned to a theatre (``home``: its anchor) is
    sent to hold only that theatre's regions (``member``: each front region's anchor).
    """
    s_control, s_land = s.control, s.land
    held = np.zeros(s_control.controller.shape[0])
    for i in range(n_front):
        holder_at[front_list[i]] = -1
    for i in range(n_mine):
        f = mine[i]
        here = s_land.f_region[f]
        if role[f] != FREE or not front[here] or s_control.controller[here] != p:
            continue
        if holder_at[here] < 0 or (
            s_control.fort[here] >= PREPARED_FROM and held[here] < threat[here]
        ):
            if holder_at[here] < 0:
                holder_at[here] = f
            held[here] += s_land.f_men[f]
            role[f] = HOLD
    n_free = 0
    for i in range(n_mine):
        n_free += role[mine[i]] == FREE
    keys = np.empty(n_front)
    for i in range(n_front):
        keys[i] = -threat[front_list[i]]
    for j in np.argsort(keys, kind="mergesort"):
        if n_free == 0:
            return
        r = front_list[j]
        if holder_at[r] >= 0 or own_men[r] > 0.0 or (offensive and threat[r] <= 0.0):
            continue
        best, best_d = -1, UNREACHABLE
        row = w.dist[r]  # hops are symmetric: one row of the table, read in cache
        for i in range(n_mine):
            f = mine[i]
            if role[f] != FREE or s_land.f_men[f] > budget:
                continue
            if not in_theatre(home[f], member, r):
                continue
            d = row[s_land.f_region[f]]
            if d < best_d:
                best, best_d = f, d
        if best < 0:
            continue
        role[best] = HOLD
        goal[best] = r
        holder_at[r] = best
        budget -= s_land.f_men[best]
        n_free -= 1


@inline
def choose_objective(w, s, params, hostile, enemy_men, body, only):
    """The enemy region most worth a concentrated push from ``body`` (-1 if none reachable).

    Worth is victory points (plus a base) over the defenders in divisions and the distance.
    ``only`` >= 0 limits it to the land that power owns (a scripted offensive's sequel).
    """
    s_control = s.control
    best, best_score = -1, 0.0
    for r in range(s_control.controller.shape[0]):
        if not hostile[r] or (only >= 0 and s_control.owner[r] != only):
            continue
        d = w.dist[body, r]
        if d >= UNREACHABLE:
            continue
        held = 1.0 + enemy_men[r] / params[P.AI_DIVISION_MEN]
        score = (s_control.vp[r] + params[P.AI_BASE_WORTH]) / (held * (1.0 + d))
        if score > best_score:
            best, best_score = r, score
    return best


@kernel
def local_attack(
    adj_start, adj_to, vp, hostile, enemy_men, own_men, threat, r, men_f, ratio, worth, division
):
    """A hostile neighbour of front region ``r`` worth attacking from it today, or -1.

    An empty one is exploited (the enemy line has a gap) unless leaving ``r`` would bare it to
    enemy men; a defended one is attacked when the men in ``r`` outnumber its defenders by
    ``ratio``. Among candidates the most valuable per defender wins: victory points plus
    ``worth`` over the defenders in units of ``division`` men.
    """
    best, best_score = -1, -1.0
    for k in range(adj_start[r], adj_start[r + 1]):
        v = adj_to[k]
        if not hostile[v]:
            continue
        if enemy_men[v] <= 0.0:
            ok = threat[r] <= 0.0 or own_men[r] > men_f
        else:
            ok = own_men[r] >= ratio * enemy_men[v]
        if not ok:
            continue
        score = (vp[v] + worth) / (1.0 + enemy_men[v] / division)
        if score > best_score:
            best, best_score = v, score
    return best


@kernel
def most_threatened(front_list, n_front, threat, own_men):
    """The front region where enemy men most exceed the defenders (-1 without a front)."""
    best, best_gap = -1, -1e300
    for i in range(n_front):
        r = front_list[i]
        gap = threat[r] - own_men[r]
        if gap > best_gap:
            best, best_gap = r, gap
    return best


@inline
def rear_of(w, s, p, front, hostile, r):
    """A region of ``p`` behind front region ``r`` (adjacent, not itself on the front), or r."""
    s_control = s.control
    best, best_d = r, UNREACHABLE
    cap = w.p_capital[p]
    for k in range(w.adj_start[r], w.adj_start[r + 1]):
        v = w.adj_to[k]
        if (
            s_control.controller[v] == p
            and not front[v]
            and not hostile[v]
            and w.dist[v, cap] < best_d
        ):
            best, best_d = v, w.dist[v, cap]
    return best


@kernel
def in_theatre(home, member, r):
    """True when front region ``r`` may be manned by a force whose theatre is ``home``.

    ``home`` is the anchor of the theatre the high command assigned the force to (-1: none,
    any region); ``member[r]`` the anchor of the theatre ``r`` belongs to, -1 for a stretch of
    front opened since the high command's last review, which any force may man meanwhile.
    """
    return home < 0 or member[r] == home or member[r] < 0


@kernel
def reinforce_target(dist_here, front_list, n_front, threat, assigned, theatre, member, home):
    """The front region most short of men, discounted by its distance (-1: none).

    ``dist_here`` holds the hops from the force's region; fronts farther than ``theatre`` hops
    are another theatre's, reinforced only by decision (scripted moves, the high command's
    transfers), not by the AI. A force the high command assigned to a theatre (``home`` >= 0)
    reinforces only that theatre's regions (``member``), however short another is.
    """
    best, best_score = -1, 0.0
    for i in range(n_front):
        r = front_list[i]
        if not in_theatre(home, member, r):
            continue
        gap = threat[r] - assigned[r]
        if gap <= 0.0:
            continue
        d = dist_here[r]
        if d > theatre:
            continue
        score = gap / (1.0 + d)
        if score > best_score:
            best, best_score = r, score
    return best


@kernel
def fall_back_to(adj_start, adj_to, controller, cap_dist, friend, hostile, enemy_men, here):
    """The safest friendly neighbour of ``here``, or -1.

    Safe: friendly and no enemy in it; of those, the nearest the capital by ``cap_dist``.
    """
    best, best_d = -1, UNREACHABLE
    for k in range(adj_start[here], adj_start[here + 1]):
        v = adj_to[k]
        c = controller[v]
        if c < 0 or not friend[c] or hostile[v] or enemy_men[v] > 0.0:
            continue
        if cap_dist[v] < best_d:
            best, best_d = v, cap_dist[v]
    return best
