"""Free diplomacy: neutrals choose war or neutrality, losers seek terms (rules.alignment's model).

Off unless the run's parameter ``diplomacy_free`` is 1, and in a scenario with a point of
divergence not before it (canon to ``diverges``, free after it), so canon runs are unchanged.
When on, the model is evaluated on the strategic clock (every ``diplomacy_every`` days) and at
once after a shock (a capitulation, a new war, a peace), for the war of the strongest belligerent
(its sides as the powers expect them: treaty partners come in).

* **Figures.** On its first evaluation a run reads its own draw of the model's judged figures
  (stakeholders, affinities, readiness, trade, empire, the weights) from its parameter row: the
  scenario compiler appends them to the sampled assumptions when free diplomacy is on
  (``scenario.alignment.figures``); a figure without a slot keeps its best value.
* **Entry.** Every power with diplomacy data that is at war with no one, and whose war and peace
  no scripted event decides (the scripts bind), chooses to stay out or to join a side, reading its
  run-long draw (drawn on day 0). A power allied to a member of a side joins it if its draw falls
  under the larger of its chance of choosing that side and its chance of honouring the treaty
  (honouring on the evaluation that first finds an ally at war: the treaty calls once).
  Entering declares war on every member of the other side already at war; the decision is a
  ``war_entry`` event and its factors ``entry_factor`` events (one per driver: weight x term,
  joining minus staying out), so a reader can see why. Scripted offers (the ``offer`` effect)
  are the ``offer`` driver.
* **Terms.** A belligerent whose war and peace no script decides may seek terms when its side's
  chance of winning, as the battles have left it, is low; the strongest power of the other side
  accepts or refuses from its own expectation of the war (``terms_sought``, ``terms_answered``).
  Accepted, the seeker cedes its regions the other side holds and makes peace with it. The
  capitulation rule (``rules.capitulation``) stays the floor.

A run's capability of a power is its pre-war capability (COW CINC x empire multiple) times the
share of its core victory points it still holds times the share of its army still in the field
(men in its forces over those men plus its killed, wounded and captured): the information the
battles give (Reiter 2009).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from twinvipers.rules import alignment as A
from twinvipers.rules import codes, rng
from twinvipers.rules import params as P
from twinvipers.rules.capitulation import lost_core_share
from twinvipers.rules.diplomacy import allied, at_war_with_anyone, declare_war, make_peace
from twinvipers.rules.history import record
from twinvipers.rules.jit import copy1, copy2, fill1, fill2, kernel

#: ``w.free_from`` of a scenario without a point of divergence (scenario.compile.NEVER).
NEVER_FREE = 1 << 40


class Entry(NamedTuple):
    """The diplomacy model's memory within a run, and the run's draw of its figures."""

    draw: np.ndarray  # float64[P] the power's run-long propensity for war (drawn on day 0)
    enemy: np.ndarray  # int64[P] a power it was last seen at war with (-1: none)
    clock: np.ndarray  # int64[2] day of the last evaluation (-1: none); the shocks counted then
    called: np.ndarray  # int64[P] day its treaty first called it to a side's war (-1: not yet)
    # The run's figures (World's best values, then its assumption draws on the first evaluation).
    sh_cap: np.ndarray  # float64[K] stakeholder capability
    sh_sal: np.ndarray  # float64[K] stakeholder salience
    sh_weight: np.ndarray  # float64[K] capability x salience
    sh_pos: np.ndarray  # float64[K, P] stance on fighting beside each power (NaN: none)
    affinity: np.ndarray  # float64[P, P]
    readiness: np.ndarray  # float64[P]
    trade: np.ndarray  # float64[P] sea-trade dependence
    empire: np.ndarray  # float64[P] multiple of the COW capability
    cap0: np.ndarray  # float64[P] capability before the war (CINC x empire)
    prox: np.ndarray  # float64[P, P] proximity of q to p
    weights: np.ndarray  # float64[rules.alignment.N_WEIGHTS]
    # Scripted offers (rules.events, the ``offer`` effect), worth 0..1 of what the receiver claims.
    offer: np.ndarray  # float64[P, P] offer[p, q]: what q offers p for joining q's side
    offer_out: np.ndarray  # float64[P, P] what q offers p for staying out


def new_entry(w) -> Entry:
    """Allocate the record for world ``w``."""
    n = len(w.p_capital)
    k = len(w.dp_sh_power)
    nw = len(w.dp_weights)
    return Entry(
        np.zeros(n), np.zeros(n, np.int64), np.zeros(2, np.int64), np.zeros(n, np.int64),
        np.zeros(k), np.zeros(k),
        np.zeros(k), np.zeros((k, n)), np.zeros((n, n)), np.zeros(n), np.zeros(n), np.zeros(n),
        np.zeros(n), np.zeros((n, n)), np.zeros(nw), np.zeros((n, n)), np.zeros((n, n)),
    )  # fmt: skip


@kernel
def reset_entry(w, x):
    """Nothing decided, nothing offered; the figures at their best values."""
    fill1(x.draw, 0.0)
    fill1(x.enemy, -1)
    x.clock[0] = -1
    x.clock[1] = -1
    fill1(x.called, -1)
    fill2(x.offer, 0.0)
    fill2(x.offer_out, 0.0)
    copy1(x.sh_cap, w.dp_sh_cap)
    copy1(x.sh_sal, w.dp_sh_sal)
    copy1(x.sh_weight, w.dp_sh_weight)
    copy2(x.sh_pos, w.dp_sh_pos)
    copy2(x.affinity, w.dp_affinity)
    copy1(x.readiness, w.dp_readiness)
    copy1(x.trade, w.dp_trade)
    copy1(x.empire, w.dp_empire)
    copy1(x.cap0, w.dp_cap0)
    copy2(x.prox, w.dp_prox)
    copy1(x.weights, w.dp_weights)


@kernel
def draw_figures(w, e, params):
    """Set the run's figures from its parameter row where a figure has a slot; derive the rest."""
    for f in range(w.dp_fig_slot.shape[0]):
        slot = w.dp_fig_slot[f]
        if slot < 0:
            continue
        v = params[slot]
        kind, i, j = w.dp_fig_kind[f], w.dp_fig_i[f], w.dp_fig_j[f]
        if kind == A.FIG_WEIGHT:
            e.weights[i] = v
        elif kind == A.FIG_READINESS:
            e.readiness[i] = v
        elif kind == A.FIG_EMPIRE:
            e.empire[i] = v
        elif kind == A.FIG_TRADE:
            e.trade[i] = v
        elif kind == A.FIG_AFFINITY:
            e.affinity[i, j] = v
        elif kind == A.FIG_CAPABILITY:
            e.sh_cap[i] = v
        elif kind == A.FIG_SALIENCE:
            e.sh_sal[i] = v
        elif kind == A.FIG_POSITION:
            e.sh_pos[i, j] = v
    for k in range(e.sh_weight.shape[0]):
        e.sh_weight[k] = e.sh_cap[k] * e.sh_sal[k]
    for p in range(e.cap0.shape[0]):
        e.cap0[p] = w.dp_cinc[p] * e.empire[p]
    scale = e.weights[A.W_PROXIMITY_KM]
    if scale <= 0.0:
        scale = 1000.0
    for q in range(e.prox.shape[0]):
        for p in range(e.prox.shape[1]):
            km = w.dp_km[q, p]
            e.prox[q, p] = 1.0 if km < 0.0 else math.exp(-km / scale)


@kernel
def _shocks(pol, enemy):
    """Capitulations plus wars (pairs) now; remembers an enemy of each power at war."""
    n = pol.at_war.shape[0]
    shocks = 0
    for p in range(n):
        if pol.capitulated[p]:
            shocks += 1
        for q in range(n):
            if pol.at_war[p, q]:
                shocks += 1
                enemy[p] = q
    return shocks


@kernel
def decide_entry(w, s, h, ctx):
    """Evaluate on the strategic clock and on shocks: losers may seek terms, neutrals enter."""
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
        draw_figures(w, e, params)
    shocks = _shocks(pol, e.enemy)
    due = e.clock[0] < 0 or ctx.day - e.clock[0] >= params[P.DIPLOMACY_EVERY]
    if not due and shocks == e.clock[1]:
        return
    e.clock[0] = ctx.day
    cap = capabilities(w, s)
    _seek_terms(w, s, h, ctx, cap)
    _evaluate(w, s, h, ctx, cap)
    # Entries and peace made now are this evaluation's own: the count moves on with them rather
    # than calling another evaluation tomorrow.
    e.clock[1] = _shocks(pol, e.enemy)


@kernel
def capabilities(w, s):
    """Each power's capability now: pre-war x core still held x army still in the field."""
    e, pol, land = s.entry, s.politics, s.land
    n = pol.at_war.shape[0]
    men = np.zeros(n)
    for f in range(land.f_region.shape[0]):
        if land.f_active[f]:
            men[w.f_power[f]] += land.f_men[f]
    cap = np.zeros(n)
    for p in range(n):
        if pol.capitulated[p]:
            continue
        lost = land.killed[p] + land.wounded[p] + land.captured[p]
        army = men[p] / (men[p] + lost) if men[p] + lost > 0.0 else 1.0
        cap[p] = e.cap0[p] * (1.0 - lost_core_share(w, s, p)) * army
    return cap


@kernel
def _seek_terms(w, s, h, ctx, cap):
    """Each losing belligerent may seek terms; the other side's strongest power answers."""
    e, pol, ctl = s.entry, s.politics, s.control
    wt = e.weights
    n = pol.at_war.shape[0]
    R = ctl.controller.shape[0]
    for p in range(n):
        if not w.dp_terms_free[p] or pol.capitulated[p] or not at_war_with_anyone(pol.at_war, p):
            continue
        side = A.war_sides(pol.at_war, pol.capitulated, p)
        own = 0.0
        total = 0.0
        leader = -1
        for q in range(n):
            if side[q] == 1:
                own += cap[q]
            if side[q] > 0:
                total += cap[q]
            if side[q] == 2 and pol.at_war[p, q] and (leader < 0 or cap[q] > cap[leader]):
                leader = q
        if leader < 0:
            continue
        p_win = A.win_chance(cap, side, wt[A.W_WIN_EXPONENT])
        distrust = max(0.0, -e.affinity[p, leader])
        seek = A.seek_terms_probability(p_win, pol.will[p], distrust, wt)
        u = rng.uniform(ctx.seed, ctx.day, p, rng.P_TERMS_SEEK)
        if u >= seek:
            continue
        # The terms: its own regions the other side holds, worth their share of its victory points.
        whole = 0.0
        ceded = 0.0
        count = 0
        for r in range(R):
            if ctl.owner[r] == p:
                whole += ctl.vp[r]
                if side[ctl.controller[r]] == 2:
                    ceded += ctl.vp[r]
                    count += 1
        value = ceded / whole if whole > 0.0 else 0.0
        share = own / total if total > 0.0 else 0.0
        accept = A.accept_terms_probability(value, 1.0 - p_win, share, wt)
        v = rng.uniform(ctx.seed, ctx.day, p, rng.P_TERMS_ACCEPT)
        ok = v < accept
        worth = value * (1.0 - wt[A.W_COMMITMENT] * share)
        fight_on = 1.0 - p_win - wt[A.W_WAR_COST]
        run, day = ctx.run, ctx.day
        record(h, run, day, codes.K_TERMS_SOUGHT, p, leader, -1, count, p_win, seek, u)
        record(h, run, day, codes.K_TERMS_ANSWERED, leader, p, -1, 1 if ok else 0, accept,
               worth, fight_on)  # fmt: skip
        if not ok:
            continue
        for r in range(R):
            if ctl.owner[r] == p and side[ctl.controller[r]] == 2:
                ctl.owner[r] = ctl.controller[r]
        for q in range(n):
            if side[q] == 2 and pol.at_war[p, q]:
                make_peace(s, h, run, day, p, q)


@kernel
def _evaluate(w, s, h, ctx, cap):
    e, pol = s.entry, s.politics
    n = pol.at_war.shape[0]
    seed = -1
    for p in range(n):
        if cap[p] > 0.0 and at_war_with_anyone(pol.at_war, p) and (seed < 0 or cap[p] > cap[seed]):
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
        if e.cap0[q] > 0.0:
            fallen[q] = 1.0 - cap[q] / e.cap0[q]
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
    # Scripted offers: the best standing offer from a member of each side, and for staying out.
    offers = np.zeros((n, 3))
    for p in range(n):
        for q in range(n):
            if side[q] > 0 and e.offer[p, q] > offers[p, side[q]]:
                offers[p, side[q]] = e.offer[p, q]
            if e.offer_out[p, q] > offers[p, 0]:
                offers[p, 0] = e.offer_out[p, q]
    wt = e.weights
    positions, terms, u, prob = A.evaluate(
        w.dp_sh_power, e.sh_weight, e.sh_pos, w.dp_sh_other, e.affinity, w.dp_claim,
        e.readiness, e.trade, cap, e.prox, side, s.control.controller, sea,
        np.zeros((n, n), np.bool_), offers, ally, e.cap0, fallen, fallen_side, wt,
    )  # fmt: skip
    for p in range(n):
        if not w.dp_covered[p] or pol.capitulated[p] or at_war_with_anyone(pol.at_war, p):
            continue
        chance = np.zeros(3)
        how = np.ones(3, np.int64)
        # The treaty calls once: honouring is decided on the evaluation that first finds an ally
        # at war (Leeds et al. 2000 measure reliability when the casus foederis arises); a power
        # that stood aside then may still come in later, by its own choice.
        called_now = False
        for k in (1, 2):
            if terms[p, k, A.T_ALLY] > 0.0:
                if e.called[p] < 0:
                    e.called[p] = ctx.day
                called_now = called_now or e.called[p] == ctx.day
        for k in (1, 2):
            chance[k] = prob[p, k]
            if terms[p, k, A.T_ALLY] > 0.0 and called_now:
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
