"""The high command: each power's strategic decisions, weekly and at once on a shock.

Per power at war, on its strategic clock (every ``hc_review_days`` over its command competence,
and at once on a shock: a new enemy, or its capital newly threatened), the high command:

1. draws its theatres: its front regions grouped around the most threatened ones, each within
   ``hc_theatre_hops`` of its anchor and facing the same enemy;
2. weighs each theatre's threat as the combat model expects it: the enemy's combat power facing
   the theatre (men, tanks and guns at the model's weights, times quality and command; a passive
   enemy's - no offensive ordered or chosen - at ``hc_passive_weight``) over the defence the
   ground gives (terrain, forts), against its own combat power there;
3. *always defends*: a theatre whose defenders fall short of what holding it needs (the threat
   over its risk tolerance, and at least a garrison per front region) - or, when the power has
   too few for all, of its share of the whole in proportion to its need - gets forces sent from
   the interior and from theatres above their own, nearest first, by rail and road through the
   movement rule (real transfer times); ``initiative`` off never leaves a border open;
4. chooses an offensive of its own (a power with the initiative, or any power in free mode)
   when its field army outnumbers the enemy facing its line by ``ai_offensive_ratio`` (eased
   by aggressiveness), by value (victory points, capitals), odds (the combat model's win probability of its theatre's
   spare power against the objective's defence) and supply reach (hops beyond its line within its
   lorries' range), with a bar set by its aggressiveness; an operational pause while its field
   army's supply is short.

Each decision is recorded as a ``strategy`` event (actor, region, what, odds, men). The operational
AI (:mod:`twinvipers.command.orders`) carries them out: a force sent to another theatre travels
(``f_send``) and then reinforces that theatre's front (``f_home``); the power's objective is the high command's when no script
names one.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from twinvipers.command import fronts
from twinvipers.rules import codes
from twinvipers.rules import params as P
from twinvipers.rules.combat import (
    OLI_ARTILLERY,
    OLI_TANK,
    TERRAIN_DEFENCE,
    WIN_BIAS,
    WIN_SLOPE,
    win_probability,
)
from twinvipers.rules.diplomacy import allied
from twinvipers.rules.history import record
from twinvipers.rules.jit import fill1, inline, kernel
from twinvipers.world.arrays import UNREACHABLE

MAX_THEATRES = 32

# What a strategy event decided (its ``aux``; eventkinds labels them).
S_REINFORCE, S_OFFENSIVE, S_DEFENSIVE, S_PAUSE = 0, 1, 2, 3


class High(NamedTuple):
    """Each power's strategic picture and decisions (owned by :func:`high_command`)."""

    next_review: np.ndarray  # int64[P] day of the power's next strategic review
    n_enemies: np.ndarray  # int64[P] powers at war with it at its last look (more: a shock)
    cap_threat: np.ndarray  # bool[P] its capital was threatened at its last look
    objective: np.ndarray  # int64[P] region its own offensive aims at (-1: none)
    posture: np.ndarray  # int64[P] S_OFFENSIVE, S_DEFENSIVE or S_PAUSE at the last review
    exploit_enemy: np.ndarray  # int64[P] whose land a scripted offensive's sequel may take (-1)
    f_send: np.ndarray  # int64[F] region a force is sent to in another theatre (-1: none)
    f_home: np.ndarray  # int64[F] the theatre (its anchor) a sent force serves (-1: none)
    r_theatre: np.ndarray  # int64[R] a front region's theatre (its anchor) at the last review
    r_facing: np.ndarray  # int64[R] the enemy a front region mostly faces at the last review


def new_high(w) -> High:
    """Allocate the record for world ``w`` (values are set by :func:`reset_high`)."""
    P_, F, R = len(w.p_capital), len(w.f_power), len(w.r_owner)
    i64 = np.int64
    return High(
        np.zeros(P_, i64), np.zeros(P_, i64), np.zeros(P_, np.bool_), np.zeros(P_, i64),
        np.zeros(P_, i64), np.zeros(P_, i64), np.zeros(F, i64), np.zeros(F, i64),
        np.zeros(R, i64), np.zeros(R, i64),
    )  # fmt: skip


@kernel
def reset_high(w, x):
    """No review yet, no war, no objective, nobody sent."""
    fill1(x.next_review, 0)
    fill1(x.n_enemies, 0)
    fill1(x.cap_threat, False)
    fill1(x.objective, -1)
    fill1(x.posture, S_DEFENSIVE)
    fill1(x.exploit_enemy, -1)
    fill1(x.f_send, -1)
    fill1(x.f_home, -1)
    fill1(x.r_theatre, -1)
    fill1(x.r_facing, -1)


@kernel
def force_power(men, tanks, artillery, men0, quality):
    """A force's combat power in man-equivalents at the combat model's weights (no posture)."""
    guns = artillery * men / men0 if men0 > 0.0 else 0.0
    return (men + OLI_TANK * tanks + OLI_ARTILLERY * guns) * quality


@kernel
def defence_of(terrain, fort, fort_per_level):
    """The defence multiplier the ground gives a region's defenders (terrain and forts)."""
    return TERRAIN_DEFENCE[terrain] * (1.0 + fort_per_level * min(max(fort, 0.0), 5.0))


@kernel
def _doctrine(values, param_of, params, p, lo, hi):
    """A doctrine figure of power ``p``: its assumption's draw when one feeds it, in lo..hi."""
    k = param_of[p]
    return min(max(values[p] if k < 0 else params[k], lo), hi)


@inline
def aggressiveness(w, params, p):
    """How readily ``p``'s high command opens offensives of its own choosing (0-1)."""
    return _doctrine(w.p_aggression, w.p_aggression_param, params, p, 0.0, 1.0)


@inline
def risk_tolerance(w, params, p):
    """How thinly ``p``'s high command holds a threatened theatre (0-1)."""
    return _doctrine(w.p_risk, w.p_risk_param, params, p, 0.0, 1.0)


@inline
def competence(w, params, p):
    """Reviews of ``p``'s high command per ``hc_review_days`` (0.1-2)."""
    return _doctrine(w.p_competence, w.p_competence_param, params, p, 0.1, 2.0)


@kernel
def free_mode(w, day):
    """True once the run is past the scenario's point of divergence (free mode)."""
    return day >= w.free_from[0]


@kernel
def high_command(w, s, h, ctx):
    """Review each power at war on its strategic clock or at once on a shock."""
    s_politics, s_land, s_high = s.politics, s.land, s.high
    params, day = ctx.params, ctx.day
    NP = s_politics.at_war.shape[0]
    for p in range(NP):
        n = 0
        for q in range(NP):
            n += s_politics.at_war[p, q]
        if s_politics.capitulated[p] or n == 0:
            s_high.n_enemies[p] = 0
            s_high.cap_threat[p] = False
            s_high.objective[p] = -1
            continue
        cap = w.p_capital[p]
        threatened = False
        for f in range(s_land.f_region.shape[0]):
            r = s_land.f_region[f]
            if (
                s_land.f_active[f]
                and r >= 0
                and s_politics.at_war[p, w.f_power[f]]
                and w.dist[cap, r] <= 1
            ):
                threatened = True
                break
        shock = n > s_high.n_enemies[p] or (threatened and not s_high.cap_threat[p])
        s_high.n_enemies[p] = n
        s_high.cap_threat[p] = threatened
        if shock or day >= s_high.next_review[p]:
            review(w, s, h, ctx, p)
            every = params[P.HC_REVIEW_DAYS] / competence(w, params, p)
            s_high.next_review[p] = day + max(int(every + 0.5), 1)


@kernel
def review(w, s, h, ctx, p):
    """One strategic review of power ``p``: theatres, threat, transfers and its objective."""
    s_control, s_politics, s_land, s_supply, s_high = (
        s.control, s.politics, s.land, s.supply, s.high
    )  # fmt: skip
    params, day = ctx.params, ctx.day
    R, F, NP = s_control.controller.shape[0], s_land.f_region.shape[0], s_politics.at_war.shape[0]
    hops = params[P.HC_THEATRE_HOPS]
    fort_k = params[P.FORT_PER_LEVEL]
    # An enemy is active when it has an offensive ordered or chosen; a passive one's power
    # weighs less in the threat (not in the odds of attacking it).
    active = np.zeros(NP, np.bool_)
    fronts.mark_active(w, s, s_high.objective, active)
    passive = params[P.HC_PASSIVE]
    # The picture: combat power per region (as defence, and as threat), hostile ground, front.
    own = np.zeros(R)
    enemy = np.zeros(R)
    enemy_top = np.zeros(R)
    enemy_of = np.full(R, -1, np.int64)  # the strongest enemy standing in a region
    enemy_men = np.zeros(R)
    menace = np.zeros(R)
    hostile = np.zeros(R, np.bool_)
    friend = np.zeros(NP, np.bool_)
    for q in range(NP):
        friend[q] = q == p or (
            not s_politics.at_war[p, q] and allied(w.t_alliance, s_politics.member, p, q)
        )
    for r in range(R):
        c = s_control.controller[r]
        hostile[r] = c >= 0 and s_politics.at_war[p, c]
    # The enemy's reserves on the map count (they defend where they stand); its own are
    # committed below where a theatre is threatened.
    fpow = np.zeros(F)
    for f in range(F):
        r = s_land.f_region[f]
        if not s_land.f_active[f] or r < 0:
            continue
        q = w.f_power[f]
        fpow[f] = force_power(
            s_land.f_men[f], s_land.f_tanks[f], w.f_artillery[f], w.f_men[f], w.f_quality[f]
        ) * _cev(w, params, q)
        if q == p:
            if not s_land.f_reserve[f]:
                own[r] += fpow[f]
        elif s_politics.at_war[p, q]:
            enemy[r] += fpow[f]
            enemy_men[r] += s_land.f_men[f]
            if fpow[f] > enemy_top[r]:
                enemy_top[r], enemy_of[r] = fpow[f], q
            menace[r] += fpow[f] if active[q] else passive * fpow[f]
    front_list = np.empty(R, np.int64)
    threat = np.zeros(R)
    facing_whom = np.full(R, -1, np.int64)  # the enemy a front region mostly faces
    n_front = 0
    for r in range(R):
        if s_control.controller[r] != p:
            continue
        t = menace[r]
        edge = False
        most = -1.0
        for k in range(w.adj_start[r], w.adj_start[r + 1]):
            v = w.adj_to[k]
            # The enemy's ground, or the enemy's men wherever they stand (a neutral's land).
            if hostile[v] or enemy[v] > 0.0:
                edge = True
                if menace[v] > most:
                    most = menace[v]
                    facing_whom[r] = s_control.controller[v] if hostile[v] else enemy_of[v]
            t += menace[v]
        if edge:
            front_list[n_front] = r
            threat[r] = t
            n_front += 1
    if n_front == 0:
        return
    # Theatres: front regions around the most threatened ones.
    keys = np.empty(n_front)
    for i in range(n_front):
        keys[i] = -threat[front_list[i]]
    order = np.argsort(keys, kind="mergesort")
    anchor = np.empty(MAX_THEATRES, np.int64)
    th_of = np.full(R, -1, np.int64)
    n_th = 0
    for j in order:
        r = front_list[j]
        best, best_d = -1, UNREACHABLE
        for k in range(n_th):
            d = w.dist[anchor[k], r]
            # A theatre faces one enemy: the Alps are not the Rhine's, however near.
            if d <= hops and d < best_d and facing_whom[anchor[k]] == facing_whom[r]:
                best, best_d = k, d
        if best < 0 and n_th < MAX_THEATRES:
            best = n_th
            anchor[n_th] = r
            n_th += 1
        if best < 0:  # more theatres than the table holds: the nearest anchor takes it
            for k in range(n_th):
                if w.dist[anchor[k], r] < best_d:
                    best, best_d = k, w.dist[anchor[k], r]
        th_of[r] = best
    # The theatres as the operational AI reads them: each front region's anchor and enemy.
    for r in range(R):
        if s_control.controller[r] == p:
            s_high.r_theatre[r] = -1
            s_high.r_facing[r] = -1
    for i in range(n_front):
        r = front_list[i]
        s_high.r_theatre[r] = anchor[th_of[r]]
        s_high.r_facing[r] = facing_whom[r]
    # Threat, need and value per theatre (each hostile region facing it counted once).
    th_threat = np.zeros(n_th)
    th_need = np.zeros(n_th)
    th_value = np.zeros(n_th)
    th_own = np.zeros(n_th)
    th_fronts = np.zeros(n_th)
    seen = np.full(R, -1, np.int64)
    cap = w.p_capital[p]
    garrison = params[P.HC_GARRISON_MEN]
    reach = params[P.HC_THREAT_HOPS]
    for i in range(n_front):
        r = front_list[i]
        k = th_of[r]
        dfn = defence_of(w.r_terrain[r], s_control.fort[r], fort_k)
        t = menace[r]
        # The enemy within a march of the line counts, not only the men in contact: an army
        # massing a region or two behind its border is the threat the transfers must meet.
        row = w.dist[r]
        for v in range(R):
            if row[v] <= reach and v != r and seen[v] != k and (hostile[v] or enemy[v] > 0.0):
                seen[v] = k
                t += menace[v]
        th_threat[k] += t
        th_need[k] += t / dfn
        th_value[k] += s_control.vp[r]
        th_fronts[k] += 1.0
    hold = params[P.HC_HOLD_RATIO] * (1.5 - risk_tolerance(w, params, p))
    for k in range(n_th):
        th_need[k] = max(th_need[k] * hold, garrison * th_fronts[k])
        if w.dist[anchor[k], cap] <= hops:
            th_value[k] += s_control.vp[cap]
    # Own forces by theatre: where they stand, or where they were sent. Mobilisation when
    # threatened: a reserve with no schedule of its own standing in a theatre the enemy faces is
    # committed (a scheduled one keeps its schedule, rules.mobilisation).
    f_th = np.full(F, -1, np.int64)
    for f in range(F):
        if fpow[f] <= 0.0 or w.f_power[f] != p:
            continue
        # A force assigned to a theatre stays in it (re-homed to its anchor of today) while the
        # theatre has a front; others count where they stand, or where they were sent.
        home = s_high.f_home[f]
        at = s_high.f_send[f] if s_high.f_send[f] >= 0 else s_land.f_region[f]
        best, best_d = -1, UNREACHABLE
        if home >= 0 and th_of[home] >= 0:
            best = th_of[home]
        elif home < 0 and th_of[at] >= 0:
            best = th_of[at]  # standing on (or sent to) a stretch of the line: its theatre
        else:
            # Nearest theatre; a force whose theatre's anchor was lost goes to the nearest
            # theatre facing the same enemy.
            facing = s_high.r_facing[home] if home >= 0 else -1
            at = home if home >= 0 else at
            best = _nearest_theatre(w.dist[at], anchor, n_th, facing_whom, facing, hops)
            if best < 0 and facing >= 0:
                best = _nearest_theatre(w.dist[at], anchor, n_th, facing_whom, -1, hops)
        if home >= 0:
            s_high.f_home[f] = anchor[best] if best >= 0 else -1
        if s_land.f_reserve[f]:
            if best < 0 or th_threat[best] <= 0.0 or w.f_ready[f] >= 0:
                fpow[f] = 0.0  # stays in reserve: neither counted nor sent
                continue
            s_land.f_reserve[f] = False
        f_th[f] = best
        if best >= 0:
            th_own[best] += fpow[f]
    # Too few for every theatre's need: each gets its share of the whole in proportion to its
    # need (the risk spread evenly), so a quiet front facing a passive enemy gives up forces to
    # one under attack instead of both staying short.
    total, need_all = 0.0, 0.0
    for f in range(F):
        if fpow[f] > 0.0 and w.f_power[f] == p and (f_th[f] >= 0 or s_land.f_target[f] < 0):
            total += fpow[f]
    for k in range(n_th):
        need_all += th_need[k]
    share = np.empty(n_th)
    for k in range(n_th):
        share[k] = th_need[k] if total >= need_all else total * th_need[k] / need_all
    _reinforce(w, s, h, ctx, p, fpow, f_th, anchor, n_th, share, th_own, th_value, threat,
               th_of, front_list, n_front)  # fmt: skip
    # Its own offensive: a power with the initiative, or any power in free mode.
    chooses = (s_politics.initiative[p] or free_mode(w, day)) and not s_politics.gave_up[p]
    if s_politics.p_target[p] >= 0 or not chooses:
        if s_high.objective[p] >= 0:
            s_high.objective[p] = -1
        s_high.posture[p] = S_DEFENSIVE
        return
    # An operational pause while the field army's supply is short.
    sup, men = 0.0, 0.0
    for f in range(F):
        if fpow[f] > 0.0 and w.f_power[f] == p:
            sup += s_supply.f_supply[f] * s_land.f_men[f]
            men += s_land.f_men[f]
    if men > 0.0 and sup / men < params[P.AI_SUPPLY_MIN]:
        if s_high.posture[p] != S_PAUSE:
            record(h, ctx.run, day, codes.K_STRATEGY, p, -1, s_high.objective[p], S_PAUSE,
                   sup / men, men, 0.0)  # fmt: skip
        s_high.posture[p] = S_PAUSE
        s_high.objective[p] = -1
        return
    # The men for it: the field army against the enemy men facing the line (each region once),
    # at the operational AI's ratio, eased by aggressiveness.
    facing = fronts.enemy_men_facing(w, hostile, enemy_men, front_list, n_front,
                                     np.zeros(R, np.bool_))  # fmt: skip
    ratio = params[P.AI_OFFENSIVE] * (1.5 - aggressiveness(w, params, p))
    if men < ratio * max(facing, 1.0):
        if s_high.objective[p] >= 0:
            record(h, ctx.run, day, codes.K_STRATEGY, p, -1, s_high.objective[p], S_DEFENSIVE,
                   men / max(facing, 1.0), men, 0.0)  # fmt: skip
        s_high.objective[p] = -1
        s_high.posture[p] = S_DEFENSIVE
        return
    _choose_offensive(w, s, h, ctx, p, enemy, hostile, th_of, front_list, n_front, th_need,
                      th_own, fort_k)  # fmt: skip


@kernel
def _arrival(row, front_list, n_front, th_of, k, anchor_k):
    """The front region of theatre ``k`` nearest to a force (``row``: hops from it)."""
    best, best_d = anchor_k, row[anchor_k]
    for i in range(n_front):
        r = front_list[i]
        if th_of[r] == k and row[r] < best_d:
            best, best_d = r, row[r]
    return best


@kernel
def _nearest_theatre(row, anchor, n_th, facing_whom, facing, hops):
    """The theatre whose anchor is nearest (``row``: hops from the force), within ``hops``.

    ``facing`` >= 0 keeps to theatres facing that enemy. -1: none.
    """
    best, best_d = -1, UNREACHABLE
    for k in range(n_th):
        if facing >= 0 and facing_whom[anchor[k]] != facing:
            continue
        d = row[anchor[k]]
        if d <= hops and d < best_d:
            best, best_d = k, d
    return best


@kernel
def _held(w, fort, hostile, enemy, v, fort_k):
    """The enemy's combat power defending region ``v`` (its ground counted).

    Half that of the hostile regions next to it is added: their reserves feed the fight.
    """
    d = enemy[v] * defence_of(w.r_terrain[v], fort[v], fort_k)
    for a in range(w.adj_start[v], w.adj_start[v + 1]):
        u = w.adj_to[a]
        if hostile[u]:
            d += 0.5 * enemy[u]
    return d


@kernel
def _cev(w, params, q):
    """Power ``q``'s command multiplier on combat power (its parameter when sampled)."""
    j = w.p_cev_param[q]
    return params[j] if j >= 0 else w.p_cev[q]


@kernel
def _reinforce(w, s, h, ctx, p, fpow, f_th, anchor, n_th, th_need, th_own, th_value, threat,
               th_of, front_list, n_front):  # fmt: skip
    """Send forces to the theatres short of defenders, most short (by value) first."""
    s_land, s_high = s.land, s.high
    F = fpow.shape[0]
    # Forces travelling that have arrived rejoin the operational AI, which keeps them to the
    # theatre they were sent to (``f_home``, re-homed by the review).
    s_control, s_politics = s.control, s.politics
    for f in range(F):
        if w.f_power[f] != p:
            continue
        g = s_high.f_send[f]
        if g >= 0 and (fpow[f] <= 0.0 or w.dist[s_land.f_region[f], g] <= 1):
            s_high.f_send[f] = -1
        elif g >= 0 and s_politics.at_war[p, s_control.controller[g]]:
            # Its goal was lost on the way: the nearest stretch of its theatre's line of today.
            home = s_high.f_home[f]
            k = th_of[home] if home >= 0 else -1
            s_high.f_send[f] = _arrival(w.dist[s_land.f_region[f]], front_list, n_front, th_of,
                                        k, home) if k >= 0 else home  # fmt: skip
        if fpow[f] <= 0.0:
            s_high.f_home[f] = -1
    keys = np.empty(n_th)
    for k in range(n_th):
        keys[k] = -(th_need[k] - th_own[k]) * (1.0 + th_value[k] / 10.0)
    for k in np.argsort(keys, kind="mergesort"):
        short = th_need[k] - th_own[k]
        if short <= 0.0:
            break
        # Where the theatre's reinforcements go: its most threatened front region (its anchor).
        goal = anchor[k]
        sent, men = 0, 0.0
        while short > 0.0:
            best, best_d = -1, UNREACHABLE
            for f in range(F):
                if fpow[f] <= 0.0 or w.f_power[f] != p or s_land.f_target[f] >= 0:
                    continue
                j = f_th[f]
                if j == k:
                    continue
                # A donor theatre keeps what it needs; the interior gives freely.
                if j >= 0 and th_own[j] - fpow[f] < th_need[j]:
                    continue
                d = w.dist[s_land.f_region[f], goal]
                if d < best_d:
                    best, best_d = f, d
            if best < 0:
                break
            j = f_th[best]
            if j >= 0:
                th_own[j] -= fpow[best]
            th_own[k] += fpow[best]
            f_th[best] = k
            # It goes to the theatre's stretch of line nearest to it; the operational AI then
            # deploys it along that theatre's line (not all of it to the anchor).
            s_high.f_send[best] = _arrival(w.dist[s_land.f_region[best]], front_list, n_front,
                                           th_of, k, goal)  # fmt: skip
            s_high.f_home[best] = goal
            short -= fpow[best]
            sent += 1
            men += s_land.f_men[best]
        if sent > 0:
            ratio = th_own[k] / max(th_need[k], 1.0)
            record(h, ctx.run, ctx.day, codes.K_STRATEGY, p, -1, goal, S_REINFORCE, ratio, men,
                   float(sent))  # fmt: skip


@kernel
def _choose_offensive(w, s, h, ctx, p, enemy, hostile, th_of, front_list, n_front, th_need,
                      th_own, fort_k):  # fmt: skip
    """The objective of an offensive of ``p``'s own choosing, or a defensive posture.

    Candidates are hostile regions within supply reach of its line (its lorries' range beyond
    the nearest front region); each is valued by its victory points plus a base, weighed by the combat model's
    win probability of the theatre's spare power (what it has beyond holding) against the
    objective's defenders and those next to it, behind their ground, and discounted by distance.
    The bar on the odds falls as aggressiveness rises.
    """
    s_control, s_high = s.control, s.high
    params = ctx.params
    R = s_control.controller.shape[0]
    reach = w.p_truck_range[p] + 1
    bar = params[P.HC_OFFENSIVE_ODDS] + 0.3 * (0.5 - aggressiveness(w, params, p))
    best, best_score, best_odds = -1, 0.0, 0.0
    for r in range(R):
        if not hostile[r]:
            continue
        base, d = -1, UNREACHABLE  # the nearest stretch of its own line
        for i in range(n_front):
            di = w.dist[front_list[i], r]
            if di < d:
                base, d = front_list[i], di
        if base < 0 or d > reach:
            continue
        k = th_of[base]
        spare = th_own[k] - th_need[k] * 0.5  # half the holders join the attack's flanks
        if spare <= 0.0:
            continue
        # The defence in the way: the strongest hostile stretch on the road from the line
        # (a fortified belt in front of an open capital decides the odds), each with half the
        # men next to it feeding it.
        dfn = 0.0
        v = base
        while v >= 0 and v != r:
            v = w.next_hop[v, r]
            if v >= 0 and hostile[v]:
                dfn = max(dfn, _held(w, s_control.fort, hostile, enemy, v, fort_k))
        odds = win_probability(spare, max(dfn, 1.0), WIN_BIAS, WIN_SLOPE)
        if odds < bar:
            continue
        worth = s_control.vp[r] + params[P.AI_BASE_WORTH]
        score = worth * odds / (1.0 + d)
        if score > best_score:
            best, best_score, best_odds = r, score, odds
    if best != s_high.objective[p]:
        what = S_OFFENSIVE if best >= 0 else S_DEFENSIVE
        record(h, ctx.run, ctx.day, codes.K_STRATEGY, p, s_control.controller[best] if best >= 0
               else -1, best, what, best_odds, 0.0, 0.0)  # fmt: skip
    s_high.objective[p] = best
    s_high.posture[p] = S_OFFENSIVE if best >= 0 else S_DEFENSIVE
