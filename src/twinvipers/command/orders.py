"""The operational AI: where each force heads today (``f_goal``; -1 holds).

Per power at war, once a day: survey the war (fronts.py), man the line (allocate.py), then give
each force its order in this priority:

1. pull back when its region is mostly surrounded and it is outmatched;
2. carry out a scripted offensive (``f_target``, then ``p_target``) - the same AI as below;
3. a holder keeps its front region, attacking from it along the offensive's axis, into a gap
   in the enemy line, or where it outnumbers the defenders (the last two only for a power with
   the initiative: a defensive doctrine holds);
4. a force the high command sent to another theatre travels there (``command.high``);
5. a free force concentrates toward the power's objective (scripted, its sequel against the same
   enemy, or the high command's own for a power with the initiative or in free mode), else
   reinforces the front regions most short of men, keeping a reserve behind the most
   threatened one. A force the high command assigned to a theatre (``f_home``) keeps to it:
   it holds and reinforces only that theatre's regions, joins only an offensive against the
   enemy that theatre faces, and otherwise waits at the theatre's anchor.

The threat a front region faces is the enemy men in and next to it, a passive enemy's (one with
no offensive ordered or chosen, ``fronts.mark_active``) at ``hc_passive_weight``, as the high
command weighs it: a prepared line facing a Phoney War is not held man for man.

A power that gave up on terms (``gave_up``) only holds. A force short of supply starts no
advance into enemy ground (a move begun is completed, an attack under way is pressed until
decided). Scripted targets are cleared once they are no longer enemy-held; a power objective
taken turns into ``EXPLOIT``: keep pushing
toward the next objective the AI chooses.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from twinvipers.command import allocate as A
from twinvipers.command import fronts
from twinvipers.rules import params as P
from twinvipers.rules.jit import inline, kernel

EXPLOIT = -2  # p_target value: objective taken, keep pushing toward the AI's next objective


@kernel
def is_enemy(at_war, p, q):
    """True when power ``q`` is at war with ``p``."""
    return q >= 0 and at_war[p, q]


class Picture(NamedTuple):
    """A power's picture of its war today, and the AI's scratch (reused for every power)."""

    friend: np.ndarray  # bool[P] the power itself and its allies not at war with it
    border: np.ndarray  # bool[R] a neighbour has another controller (same for all powers)
    enemy_men: np.ndarray  # float64[R] enemy men in the region
    menace: np.ndarray  # float64[R] enemy men in the region, a passive enemy's weighted down
    active: np.ndarray  # bool[P] powers with an offensive ordered or chosen (fronts.mark_active)
    own_men: np.ndarray  # float64[R] the power's men in the region
    threat: np.ndarray  # float64[R] enemy men in and next to a front region (``menace``)
    assigned: np.ndarray  # float64[R] men holding or on their way to hold a front region
    hostile: np.ndarray  # bool[R] held by an enemy
    front: np.ndarray  # bool[R] held by the power or a friend, next to a hostile region
    mark: np.ndarray  # bool[R] scratch of fronts.enemy_men_facing
    front_list: np.ndarray  # int64[R] the power's own front regions (first n_front)
    holder_at: np.ndarray  # int64[R] force holding a front region (allocate.assign_holders)
    attack_from: np.ndarray  # int64[R] where the holder of a front region attacks (-1: none)
    mine: np.ndarray  # int64[F] the forces the AI commands (first n_mine)
    role: np.ndarray  # int64[F] allocate.NONE, SCRIPTED, FREE or HOLD


@kernel
def new_picture(R, F, NP):
    """Scratch for a day's orders."""
    b, i64 = np.bool_, np.int64
    return Picture(
        np.zeros(NP, b), np.zeros(R, b), np.zeros(R), np.zeros(R), np.zeros(NP, b), np.zeros(R),
        np.zeros(R), np.zeros(R), np.zeros(R, b), np.zeros(R, b), np.zeros(R, b),
        np.zeros(R, i64), np.full(R, -1, i64), np.full(R, -1, i64), np.zeros(F, i64),
        np.zeros(F, i64),
    )  # fmt: skip


@kernel
def give_orders(w, s, h, ctx):
    """Set ``f_goal`` for every force."""
    s_control, s_politics, s_land, s_high = s.control, s.politics, s.land, s.high
    params = ctx.params
    R, F, NP = s_control.controller.shape[0], s_land.f_goal.shape[0], s_politics.p_target.shape[0]
    for p in range(NP):
        t = s_politics.p_target[p]
        if t >= 0 and not is_enemy(s_politics.at_war, p, s_control.controller[t]):
            s_politics.p_target[p] = EXPLOIT
            # The sequel takes the rest of that enemy's land, not a new war's (the high
            # command's choice).
            s_high.exploit_enemy[p] = s_control.owner[t]
    for f in range(F):
        s_land.f_goal[f] = -1
        t = s_land.f_target[f]
        if t >= 0 and not is_enemy(s_politics.at_war, w.f_power[f], s_control.controller[t]):
            s_land.f_target[f] = -1
    pic = new_picture(R, F, NP)
    fronts.mark_borders(w, s, pic.border)
    fronts.mark_active(w, s, s_high.objective, pic.active)
    for p in range(NP):
        if fronts.at_war_with_anyone(s, p):
            _orders_for(w, s, params, p, pic)


@inline
def _orders_for(w, s, params, p, pic):
    """Orders for the forces of one power at war."""
    s_land = s.land
    fronts.mark_friends(w, s, p, pic.friend)
    n_front = fronts.survey(
        w, s, p, pic.friend, pic.border, pic.enemy_men, pic.own_men, pic.hostile, pic.front,
        pic.threat, pic.front_list, pic.active, params[P.HC_PASSIVE], pic.menace,
    )  # fmt: skip
    n_mine, body, field_men = _my_forces(w, s, p, pic)
    if n_mine == 0:
        return
    obj = _objective(w, s, params, p, pic, n_front, field_men, body)
    offensive = obj >= 0
    # On the offensive, flank guards come out of the reserve's share of the field army.
    guard = params[P.AI_RESERVE] * field_men if offensive else np.inf
    A.assign_holders(w, s, p, pic.mine, n_mine, pic.role, s_land.f_goal, pic.front,
                     pic.front_list, n_front, pic.threat, pic.own_men, pic.holder_at, offensive,
                     guard, s.high.f_home, s.high.r_theatre)  # fmt: skip
    focus = A.most_threatened(pic.front_list, n_front, pic.threat, pic.own_men)
    for i in range(n_front):
        r = pic.front_list[i]
        pic.assigned[r] = pic.own_men[r]
        pic.attack_from[r] = -1
    for i in range(n_mine):  # men already on their way to hold a region count there
        f = pic.mine[i]
        g = s_land.f_goal[f]
        if pic.role[f] == A.HOLD and g >= 0:
            pic.assigned[g] += s_land.f_men[f]
    free_men = _hold_and_attack(w, s, params, p, pic, n_mine, obj)
    _deploy_free(w, s, params, p, pic, n_mine, n_front, obj, focus, free_men)
    _check_goals(w, s, params, p, pic, n_mine)


@inline
def _my_forces(w, s, p, pic):
    """List the forces the AI commands (active, in the field, on the map) and their roles.

    Returns:
        (how many, the region of the largest, the men in the field).
    """
    s_land, s_high = s.land, s.high
    n_mine, body, body_men, field_men = 0, -1, -1.0, 0.0
    for f in range(s_land.f_goal.shape[0]):
        pic.role[f] = A.NONE
        if (
            w.f_power[f] != p
            or not s_land.f_active[f]
            or s_land.f_reserve[f]
            or s_land.f_region[f] < 0
        ):
            continue
        pic.mine[n_mine] = f
        n_mine += 1
        if s_land.f_target[f] >= 0:
            pic.role[f] = A.SCRIPTED
        elif s_high.f_send[f] >= 0:
            pic.role[f] = A.SENT
        else:
            pic.role[f] = A.FREE
        field_men += s_land.f_men[f]
        if s_land.f_men[f] > body_men:
            body, body_men = s_land.f_region[f], s_land.f_men[f]
    return n_mine, body, field_men


@inline
def _objective(w, s, params, p, pic, n_front, field_men, body):
    """The objective: scripted, its sequel against the same enemy, or the high command's own.

    The high command (command.high) chooses an offensive of the power's own choosing only for a
    power with the initiative, or in free mode; it is kept while the region is enemy-held.
    """
    s_politics, s_high = s.politics, s.high
    obj = s_politics.p_target[p]
    if obj == EXPLOIT:
        obj = A.choose_objective(
            w, s, params, pic.hostile, pic.enemy_men, body, s_high.exploit_enemy[p]
        )
    if obj < 0:
        own = s_high.objective[p]
        if own >= 0 and pic.hostile[own]:
            obj = own
    if s_politics.gave_up[p]:
        obj = -1  # a power that gave up on terms fights on only to hold what it has
    return obj


@inline
def _hold_and_attack(w, s, params, p, pic, n_mine, obj):
    """Orders of scripted forces and holders (their attacks set where reinforcements join in).

    Returns:
        The men of the free forces, who are deployed next.
    """
    s_control, s_politics, s_land, s_high = s.control, s.politics, s.land, s.high
    offensive = obj >= 0
    ratio = params[P.AI_ATTACK]
    free_men = 0.0
    for i in range(n_mine):
        f = pic.mine[i]
        here = s_land.f_region[f]
        # A force launching the offensive from its region accepts the risk of encirclement.
        nh = w.next_hop[here, obj] if offensive else -1
        on_axis = pic.role[f] == A.SCRIPTED or (nh >= 0 and pic.hostile[nh])
        if not on_axis and not pic.hostile[here]:  # (in enemy ground it is attacking, not holding)
            exit_ = _way_out(w.adj_start, w.adj_to, s_control.controller,
                             w.dist[w.p_capital[p]], pic.friend, pic.hostile, pic.enemy_men,
                             pic.own_men, here, params)  # fmt: skip
            if exit_ >= 0:
                s_land.f_goal[f] = exit_  # pull back rather than be encircled
                continue
        if pic.role[f] == A.SCRIPTED:
            s_land.f_goal[f] = s_land.f_target[f]
        elif pic.role[f] == A.SENT:
            s_land.f_goal[f] = s_high.f_send[f]  # to another theatre, by rail where it can
        elif pic.role[f] == A.HOLD and s_land.f_goal[f] < 0:  # holding where it stands
            g = -1
            if nh >= 0 and pic.hostile[nh]:
                g = obj  # attack from the line along the offensive's axis
            elif s_politics.initiative[p] and not s_politics.gave_up[p]:
                g = A.local_attack(w.adj_start, w.adj_to, s_control.vp, pic.hostile,
                                   pic.enemy_men, pic.own_men, pic.threat, here,
                                   s_land.f_men[f], ratio, params[P.AI_BASE_WORTH],
                                   params[P.AI_DIVISION_MEN])  # fmt: skip
            s_land.f_goal[f] = g
            if g >= 0:
                pic.attack_from[here] = w.next_hop[here, g]
        elif pic.role[f] == A.FREE:
            free_men += s_land.f_men[f]
    return free_men


@inline
def _deploy_free(w, s, params, p, pic, n_mine, n_front, obj, focus, free_men):
    """Free forces concentrate for the offensive, join attacks, reinforce, or form the reserve."""
    s_control, s_politics, s_land, s_high = s.control, s.politics, s.land, s.high
    offensive = obj >= 0
    budget = (1.0 - params[P.AI_RESERVE]) * free_men
    theatre = params[P.AI_THEATRE]
    used = 0.0
    rear = -1 if focus < 0 else A.rear_of(w, s, p, pic.front, pic.hostile, focus)
    for i in range(n_mine):
        f = pic.mine[i]
        if pic.role[f] != A.FREE or s_land.f_goal[f] != -1:
            continue
        here = s_land.f_region[f]
        near = w.dist[here]
        # A force the high command assigned to a theatre keeps to it (the allocation binds):
        # it mans that theatre's line and joins only an offensive against the enemy it faces.
        home = s_high.f_home[f]
        joins = offensive and (obj == s_politics.p_target[p] or near[obj] <= theatre)
        if joins and home >= 0 and obj != s_politics.p_target[p]:
            joins = s_control.controller[obj] == s_high.r_facing[home]
        if joins:
            s_land.f_goal[f] = obj  # concentrate (from anywhere only on a scripted order)
        elif pic.front[here] and pic.attack_from[here] >= 0:
            s_land.f_goal[f] = pic.attack_from[here]  # join the holder's attack
        elif used + s_land.f_men[f] <= budget:
            lim = theatre if home < 0 else params[P.HC_THEATRE_HOPS]
            r = A.reinforce_target(near, pic.front_list, n_front, pic.threat, pic.assigned, lim,
                                   s_high.r_theatre, home)  # fmt: skip
            if r >= 0:
                s_land.f_goal[f] = r
                pic.assigned[r] += s_land.f_men[f]
                used += s_land.f_men[f]
            elif home >= 0:
                s_land.f_goal[f] = _stand_by(home, here, pic.hostile)
            elif rear >= 0 and near[rear] <= theatre:
                s_land.f_goal[f] = rear
        elif home >= 0:
            s_land.f_goal[f] = _stand_by(home, here, pic.hostile)  # its theatre's reserve
        elif rear >= 0 and near[rear] <= theatre:
            s_land.f_goal[f] = rear  # the reserve, behind the most threatened stretch


@kernel
def _stand_by(home, here, hostile):
    """Where a force assigned to the theatre anchored at ``home`` waits: at the anchor.

    It holds where it stands once there, or when the anchor is lost (the next review re-homes
    it to the theatre's new line).
    """
    if here == home or hostile[home]:
        return -1
    return home


@inline
def _check_goals(w, s, params, p, pic, n_mine):
    """Drop goals a force cannot reach safely or advance toward when short of supply."""
    s_land, s_battle, s_supply = s.land, s.battle, s.supply
    low = params[P.AI_SUPPLY_MIN]
    for i in range(n_mine):
        f = pic.mine[i]
        g = s_land.f_goal[f]
        if g >= 0 and pic.role[f] != A.SCRIPTED and not pic.hostile[g]:
            # A move to friendly ground (reinforcing, holding, a reserve) does not march through
            # the enemy: the shortest land path may cross enemy-held regions.
            nxt = w.next_hop[s_land.f_region[f], g]
            if nxt >= 0 and (pic.hostile[nxt] or pic.enemy_men[nxt] > 0.0):
                s_land.f_goal[f] = -1
        here = s_land.f_region[f]
        short = s_supply.f_supply[f] < low and s_land.f_progress[f] <= 0.0
        s_land.f_goal[f] = _checked(w.next_hop[here], here, s_land.f_goal[f], short, pic.hostile,
                                    pic.enemy_men, s_battle.b_start, s_battle.b_attacker, p)  # fmt: skip


@kernel
def _way_out(adj_start, adj_to, controller, cap_dist, friend, hostile, enemy_men, own_men, here,
             params):  # fmt: skip
    """Where a force in ``here`` pulls back to rather than be encircled (-1: it stays).

    Only when ``here`` is mostly surrounded and the enemy around outnumbers the men in it; and
    only if a safe friendly neighbour is left (else it stands and fights).
    """
    share = fronts.enemy_share_around(adj_start, adj_to, hostile, enemy_men, here)
    if share < params[P.AI_ENCIRCLED]:
        return -1
    if (
        fronts.threat_at(adj_start, adj_to, enemy_men, here)
        < params[P.AI_OUTMATCHED] * own_men[here]
    ):
        return -1
    return A.fall_back_to(adj_start, adj_to, controller, cap_dist, friend, hostile, enemy_men, here)


@kernel
def _checked(next_hop, here, goal, short, hostile, enemy_men, b_start, b_attacker, p):
    """The goal, or -1 when it goes nowhere or is an advance the force cannot make.

    A force ``short`` of supply starts no advance into enemy ground (the caller counts a move
    already begun as not short: it is completed); an attack its power already has under way
    there is pressed until decided (the shortfall already weakens it in battle, battle.py).
    """
    if goal < 0 or goal == here or next_hop[goal] < 0:
        return -1
    nxt = next_hop[goal]
    pressing = b_start[nxt] >= 0 and b_attacker[nxt] == p
    if short and (hostile[nxt] or enemy_men[nxt] > 0.0) and not pressing:
        return -1
    return goal
