"""Free diplomacy: neutrals choose war or neutrality by the diplomacy model (rules.alignment).

Off unless the run's parameter ``diplomacy_free`` is 1, and in a scenario with a point of
divergence not before it (canon to ``diverges``, free after it), so canon runs are unchanged.
When on, the model is evaluated on the strategic clock (every
``diplomacy_every`` days) and at once after a shock (a capitulation or a new war), for the war of
the strongest belligerent (its sides as the powers expect them: treaty partners come in). Every
power with diplomacy data that is at war with no one, and whose war and peace no scripted event
decides (the scripts bind), chooses to stay out or to join a side, reading its run-long draw
(drawn on day 0). A power allied to a member of a side joins it if its draw falls under the
larger of its chance of choosing that side and its chance of honouring the treaty. Entering
declares war on every member of the other side already at war; the decision is recorded as a ``war_entry``
event and its factors as ``entry_factor`` events (one per driver: weight x term, joining minus
staying out), so a reader can see why.

Not yet here: seeking and accepting terms (the pure model has them), offers (an input of zeros),
blockade grievance (zeros), the run's strength beyond its core regions held.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from twinvipers.rules import alignment as A
from twinvipers.rules import codes, rng
from twinvipers.rules import params as P
from twinvipers.rules.capitulation import lost_core_share
from twinvipers.rules.diplomacy import allied, at_war_with_anyone, declare_war
from twinvipers.rules.history import record
from twinvipers.rules.jit import fill1, kernel

#: ``w.free_from`` of a scenario without a point of divergence (scenario.compile.NEVER).
NEVER_FREE = 1 << 40


class Entry(NamedTuple):
    """The diplomacy model's memory within a run."""

    draw: np.ndarray  # float64[P] the power's run-long propensity for war (drawn on day 0)
    enemy: np.ndarray  # int64[P] a power it was last seen at war with (-1: none)
    clock: np.ndarray  # int64[2] day of the last evaluation (-1: none); wars + capitulations then


def new_entry(w) -> Entry:
    """Allocate the record for world ``w``."""
    n = len(w.p_capital)
    return Entry(np.zeros(n), np.zeros(n, np.int64), np.zeros(2, np.int64))


@kernel
def reset_entry(w, x):
    """Nothing decided yet."""
    fill1(x.draw, 0.0)
    fill1(x.enemy, -1)
    x.clock[0] = -1
    x.clock[1] = -1


@kernel
def decide_entry(w, s, h, ctx):
    """Evaluate the neutrals on the strategic clock and on shocks; take them into the war."""
    params = ctx.params
    if params[P.DIPLOMACY_FREE] < 0.5 or w.dp_sh_power.shape[0] == 0:
        return
    # A scenario with a point of divergence is canon before it: free diplomacy waits for it
    # (without one, free_from is never, and the switch alone decides).
    if w.free_from[0] < NEVER_FREE and ctx.day < w.free_from[0]:
        return
    e, pol = s.entry, s.politics
    n = pol.at_war.shape[0]
    if e.clock[0] < 0:
        for p in range(n):
            e.draw[p] = rng.uniform(ctx.seed, 0, p, rng.P_ENTRY)
    shocks = 0
    for p in range(n):
        if pol.capitulated[p]:
            shocks += 1
        for q in range(n):
            if pol.at_war[p, q]:
                shocks += 1
                e.enemy[p] = q
    due = e.clock[0] < 0 or ctx.day - e.clock[0] >= params[P.DIPLOMACY_EVERY]
    if not due and shocks == e.clock[1]:
        return
    e.clock[0] = ctx.day
    e.clock[1] = shocks
    _evaluate(w, s, h, ctx)
    # Entries are new wars: the shock count moves on with them, not into another evaluation.
    shocks = 0
    for p in range(n):
        if pol.capitulated[p]:
            shocks += 1
        for q in range(n):
            if pol.at_war[p, q]:
                shocks += 1
    e.clock[1] = shocks


@kernel
def _evaluate(w, s, h, ctx):
    e, pol = s.entry, s.politics
    n = pol.at_war.shape[0]
    cap = np.zeros(n)
    seed = -1
    for p in range(n):
        if not pol.capitulated[p]:
            cap[p] = w.dp_cap0[p] * (1.0 - lost_core_share(w, s, p))
            if at_war_with_anyone(pol.at_war, p) and (seed < 0 or cap[p] > cap[seed]):
                seed = p
    if seed < 0:
        return
    ally = np.zeros((n, n), np.bool_)
    for p in range(n):
        for q in range(n):
            ally[p, q] = p != q and allied(w.dp_t_binding, pol.member, p, q)
    side = A.expected_sides(A.war_sides(pol.at_war, pol.capitulated, seed), ally, pol.capitulated)
    fallen = np.zeros(n)
    fallen_side = np.zeros(n, np.int64)
    for q in range(n):
        if w.dp_cap0[q] > 0.0:
            fallen[q] = 1.0 - cap[q] / w.dp_cap0[q]
        fallen_side[q] = side[q]
        if pol.capitulated[q]:
            enemy = e.enemy[q]
            fallen_side[q] = 3 - side[enemy] if enemy >= 0 and side[enemy] > 0 else 0
    sea = np.zeros(3)
    for q in range(n):
        if side[q] > 0:
            sea[side[q]] += w.dp_sea[q]
    total = sea[1] + sea[2]
    for k in (1, 2):
        sea[k] = sea[k] / total if total > 0.0 else 0.5
    wt = w.dp_weights
    positions, terms, u, prob = A.evaluate(
        w.dp_sh_power, w.dp_sh_weight, w.dp_sh_pos, w.dp_sh_other, w.dp_affinity, w.dp_claim,
        w.dp_readiness, w.dp_trade, cap, w.dp_prox, side, s.control.controller, sea,
        np.zeros((n, n), np.bool_), np.zeros((n, 3)), ally, w.dp_cap0, fallen, fallen_side, wt,
    )  # fmt: skip
    for p in range(n):
        if not w.dp_covered[p] or pol.capitulated[p] or at_war_with_anyone(pol.at_war, p):
            continue
        chance = np.zeros(3)
        how = np.ones(3, np.int64)
        for k in (1, 2):
            chance[k] = prob[p, k]
            if terms[p, k, A.T_ALLY] > 0.0:
                du = u[p, k] - u[p, 0]
                honour = A.honour_probability(wt[A.W_HONOUR], wt[A.W_HONOUR_SLOPE], du)
                if honour > chance[k]:
                    chance[k] = honour
                    how[k] = 2
        chance[0] = max(0.0, 1.0 - chance[1] - chance[2])
        k = A.decide(chance, e.draw[p])
        if k == A.NEUTRAL:
            continue
        leader = -1
        for q in range(n):
            if side[q] == k and (leader < 0 or cap[q] > cap[leader]):
                leader = q
        day = ctx.day
        du = u[p, k] - u[p, 0]
        record(h, ctx.run, day, codes.K_ENTRY, p, leader, -1, how[k], chance[k], du, e.draw[p])
        for t in range(A.N_TERMS):
            weighted = wt[t] * (terms[p, k, t] - terms[p, 0, t])
            record(h, ctx.run, day, codes.K_ENTRY_FACTOR, p, leader, -1, t, weighted,
                   terms[p, k, t], 0.0)  # fmt: skip
        for q in range(n):
            # Members already at war: a partner only expected on the other side is not attacked.
            if side[q] == 3 - k and at_war_with_anyone(pol.at_war, q):
                declare_war(s, h, ctx.run, day, p, q)
