"""Capitulation: a power gives up as its core, its capital, its army and its defences are lost.

War pressure weighs the four (the defences are its fortified core regions: once the lines it
prepared to fight on are gone, it fights in the open against an enemy it could not stop there);
above a threshold scaled by national will the power gives up with a daily hazard that rises with
the excess. On capitulation it makes peace with every enemy, its forces lay down their arms
(prisoners) and its remaining regions pass to the nearest enemy-held neighbour. The capitulation event's ``value`` is the excess pressure on that day. A scenario may
give a power *terms* instead (an event triggered by ``gives_up``): then the event's effects apply,
the capitulation event's ``aux`` names it and ``x1`` is 1, and the power keeps its army.
"""

from __future__ import annotations

import numpy as np

from twinvipers.rules import codes, rng
from twinvipers.rules import params as P
from twinvipers.rules.battle import PREPARED_FROM
from twinvipers.rules.diplomacy import at_war_with_anyone, make_peace
from twinvipers.rules.events import fire
from twinvipers.rules.history import record
from twinvipers.rules.jit import inline, kernel
from twinvipers.world.arrays import UNREACHABLE


@inline
def lost_core_share(w, s, p):
    """Share of ``p``'s core victory points held by others."""
    s_control = s.control
    total = 0.0
    lost = 0.0
    for r in range(s_control.controller.shape[0]):
        if s_control.owner[r] == p and w.r_core[r]:
            total += s_control.vp[r]
            if s_control.controller[r] != p:
                lost += s_control.vp[r]
    return lost / total if total > 0 else 1.0


@inline
def lost_fortified_share(w, s, p):
    """Share of ``p``'s core fortification (fort levels of its prepared core regions) held by others.

    Zero for a power with no fortified core region: it has no prepared line to lose.
    """
    s_control = s.control
    total = 0.0
    lost = 0.0
    for r in range(s_control.controller.shape[0]):
        if s_control.owner[r] == p and w.r_core[r] and s_control.fort[r] >= PREPARED_FROM:
            total += s_control.fort[r]
            if s_control.controller[r] != p:
                lost += s_control.fort[r]
    return lost / total if total > 0 else 0.0


@inline
def war_pressure(w, s, params, p, men_left, lost_men):
    """How hard the war presses on ``p``: lost core, capital, army and defences, weighted."""
    army = men_left + lost_men
    losses = lost_men / army if army > 0 else 0.0
    capital_lost = 1.0 if s.control.controller[w.p_capital[p]] != p else 0.0
    return (
        params[P.CAP_W_VP] * lost_core_share(w, s, p)
        + params[P.CAP_W_CAPITAL] * capital_lost
        + params[P.CAP_W_LOSSES] * losses
        + params[P.CAP_W_FORT] * lost_fortified_share(w, s, p)
    )


@inline
def _victor(w, s, p):
    """The enemy ``p`` gives up to: the holder of its capital, else of most of its core."""
    s_control, s_politics = s.control, s.politics
    holder = s_control.controller[w.p_capital[p]]
    if holder != p and s_politics.at_war[p, holder]:
        return holder
    P_ = s_politics.capitulated.shape[0]
    held = np.zeros(P_)
    for r in range(s_control.controller.shape[0]):
        c = s_control.controller[r]
        if s_control.owner[r] == p and c != p and s_politics.at_war[p, c]:
            held[c] += s_control.vp[r]
    best = -1
    for q in range(P_):
        if held[q] > 0 and (best < 0 or held[q] > held[best]):
            best = q
    return best


@kernel
def check_capitulations(w, s, h, ctx):
    """Each power at war may give up, with a daily hazard rising with its war pressure.

    Pressure combines the share of core victory points the enemy holds, the loss of the
    capital, the share of the army lost and the share of its core fortification lost; the
    threshold scales with national will, so a determined power bears more. No fixed rule: the
    hazard is probabilistic and its constants are parameters a scenario may tie to assumptions.
    """
    s_politics, s_land = s.politics, s.land
    params, run, seed, day = ctx.params, ctx.run, ctx.seed, ctx.day
    P_ = s_politics.capitulated.shape[0]
    men = np.zeros(P_)
    counted = False
    for p in range(P_):
        if s_politics.capitulated[p] or not at_war_with_anyone(s_politics.at_war, p):
            continue
        if not counted:  # only on days some power is at war
            for f in range(s_land.f_region.shape[0]):
                if s_land.f_active[f]:
                    men[w.f_power[f]] += s_land.f_men[f]
            counted = True
        lost = s_land.killed[p] + s_land.wounded[p] + s_land.captured[p]
        threshold = params[P.CAP_THRESHOLD] * s_politics.will[p]
        terms = w.p_terms[p]
        if terms >= 0 and not s_politics.fired[terms]:
            threshold *= params[P.TERMS_SHARE]  # limited terms are accepted sooner
        excess = war_pressure(w, s, params, p, men[p], lost) - threshold
        if excess <= 0.0:
            continue
        victor = _victor(w, s, p)
        if victor < 0:
            continue
        hazard = 1.0 - np.exp(-params[P.CAP_RATE] * excess)
        if rng.uniform(seed, day, p, rng.P_CAPITULATION) >= hazard:
            continue
        s_politics.gave_up[p] = True
        if terms >= 0 and not s_politics.fired[terms]:
            # The scenario's terms replace total surrender (e.g. the Moscow Peace): the power
            # keeps its army and the regions the terms leave it.
            record(
                h,
                run,
                day,
                codes.K_CAPITULATION,
                p,
                victor,
                w.p_capital[p],
                terms,
                excess,
                1.0,
                0.0,
            )
            fire(w, s, h, params, run, seed, day, terms)
            continue
        s_politics.capitulated[p] = True
        record(h, run, day, codes.K_CAPITULATION, p, victor, w.p_capital[p], -1, excess, 0.0, 0.0)
        for q in range(P_):
            make_peace(s, h, run, day, p, q)
        for f in range(s_land.f_region.shape[0]):
            if s_land.f_active[f] and w.f_power[f] == p:
                s_land.captured[p] += s_land.f_men[f]
                s_land.f_men[f] = 0.0
                s_land.f_active[f] = False
        _hand_over(w, s, h, run, day, p, victor)


@kernel
def _hand_over(w, s, h, run, day, p, holder):
    """Pass each region ``p`` still holds to the enemy holding the nearest region."""
    s_control = s.control
    R = s_control.controller.shape[0]
    for r in range(R):
        if s_control.controller[r] != p:
            continue
        best, best_d = holder, UNREACHABLE
        for x in range(R):
            c = s_control.controller[x]
            if c != p and c >= 0 and w.dist[r, x] < best_d and _was_enemy(s, w, p, c, holder):
                best, best_d = c, w.dist[r, x]
        s_control.controller[r] = best
        record(h, run, day, codes.K_CAPTURED, best, p, r, -1, 0.0, 0.0, 0.0)


@inline
def _was_enemy(s, w, p, c, holder):
    # Peace was just made, so "enemy" means a power that fought p: the capital's holder or any
    # power that had taken one of p's regions.
    s_control = s.control
    if c == holder:
        return True
    for r in range(s_control.controller.shape[0]):
        if s_control.owner[r] == p and s_control.controller[r] == c:
            return True
    return False
