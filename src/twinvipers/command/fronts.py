"""A power's picture of its war, drawn once per power per day: men, fronts and threat.

Everything the operational AI weighs is computed here in O(forces + edges) per power, so that
the per-force decisions of :mod:`twinvipers.command.orders` only look things up.
"""

from __future__ import annotations

from twinvipers.rules.diplomacy import allied
from twinvipers.rules.jit import inline, kernel


@inline
def at_war_with_anyone(s, p):
    """True when power ``p`` is at war and has not given up."""
    s_politics = s.politics
    if s_politics.capitulated[p]:
        return False
    for q in range(s_politics.at_war.shape[1]):
        if s_politics.at_war[p, q]:
            return True
    return False


@inline
def mark_friends(w, s, p, friend):
    """Set ``friend[q]`` for ``p`` itself and its alliance partners not at war with it."""
    s_politics = s.politics
    for q in range(friend.shape[0]):
        friend[q] = allied(w.t_alliance, s_politics.member, p, q) and not s_politics.at_war[p, q]


@inline
def mark_active(w, s, objective, active):
    """Set ``active[q]`` for every power with an offensive ordered or chosen, against anyone.

    Ordered: a scripted target for the power or one of its forces (its sequel included);
    chosen: its high command's ``objective``. A passive enemy's men weigh less in a front's
    threat (the Phoney War), in the high command's picture and the operational AI's alike.
    """
    s_politics, s_land = s.politics, s.land
    for q in range(active.shape[0]):
        active[q] = s_politics.p_target[q] != -1 or objective[q] >= 0
    for f in range(s_land.f_target.shape[0]):
        if s_land.f_active[f] and s_land.f_target[f] >= 0:
            active[w.f_power[f]] = True


@inline
def mark_borders(w, s, border):
    """Set ``border[r]`` where a neighbour of ``r`` has another controller.

    Drawn once a day for all powers: only these regions can be on anyone's front.
    """
    s_control = s.control
    for r in range(s_control.controller.shape[0]):
        c = s_control.controller[r]
        b = False
        for k in range(w.adj_start[r], w.adj_start[r + 1]):
            if s_control.controller[w.adj_to[k]] != c:
                b = True
                break
        border[r] = b


@inline
def survey(w, s, p, friend, border, enemy_men, own_men, hostile, front, threat, front_list,
           active, passive, menace):  # fmt: skip
    """Fill the per-region picture of ``p``'s war; return how many front regions it holds.

    ``hostile``: held by an enemy. ``front``: held by ``p`` or a friend and next to a hostile
    region or to enemy men wherever they stand (an enemy marching through a neutral's land is
    at the door all the same). ``threat`` (front regions only): enemy men in a region and its neighbours, a passive
    enemy's (not ``active``) at weight ``passive`` (``menace`` holds them per region).
    ``front_list`` lists the front regions ``p`` itself holds (its own line to man).
    """
    s_control, s_politics, s_land = s.control, s.politics, s.land
    R = s_control.controller.shape[0]
    for r in range(R):
        enemy_men[r] = 0.0
        menace[r] = 0.0
        own_men[r] = 0.0
        c = s_control.controller[r]
        hostile[r] = c >= 0 and s_politics.at_war[p, c]
    for g in range(s_land.f_region.shape[0]):
        r = s_land.f_region[g]
        if not s_land.f_active[g] or r < 0:
            continue
        q = w.f_power[g]
        if q == p:
            own_men[r] += s_land.f_men[g]
        elif s_politics.at_war[p, q]:
            enemy_men[r] += s_land.f_men[g]
            menace[r] += s_land.f_men[g] if active[q] else passive * s_land.f_men[g]
    n = 0
    for r in range(R):
        front[r] = False
        threat[r] = 0.0
        c = s_control.controller[r]
        if not border[r] or hostile[r] or c < 0 or not friend[c]:
            continue
        t = menace[r]
        edge = False
        for k in range(w.adj_start[r], w.adj_start[r + 1]):
            v = w.adj_to[k]
            t += menace[v]
            edge = edge or hostile[v] or enemy_men[v] > 0.0
        if edge:
            front[r] = True
            threat[r] = t
            if c == p:
                front_list[n] = r
                n += 1
    return n


@kernel
def threat_at(adj_start, adj_to, enemy_men, r):
    """Enemy men in ``r`` and its neighbours."""
    t = enemy_men[r]
    for k in range(adj_start[r], adj_start[r + 1]):
        t += enemy_men[adj_to[k]]
    return t


@kernel
def enemy_share_around(adj_start, adj_to, hostile, enemy_men, r):
    """Share of ``r``'s neighbours that the enemy holds or stands in (1.0 with no neighbours)."""
    n = adj_start[r + 1] - adj_start[r]
    if n == 0:
        return 1.0
    bad = 0
    for k in range(adj_start[r], adj_start[r + 1]):
        v = adj_to[k]
        if hostile[v] or enemy_men[v] > 0.0:
            bad += 1
    return bad / n


@kernel
def enemy_men_facing(w, hostile, enemy_men, front_list, n_front, mark):
    """Enemy men in the hostile regions next to ``p``'s line, each region counted once."""
    for k in range(mark.shape[0]):
        mark[k] = False
    total = 0.0
    for i in range(n_front):
        r = front_list[i]
        for k in range(w.adj_start[r], w.adj_start[r + 1]):
            v = w.adj_to[k]
            if hostile[v] and not mark[v]:
                mark[v] = True
                total += enemy_men[v]
    return total
