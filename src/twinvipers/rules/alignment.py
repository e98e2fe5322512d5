"""War entry, alignment, alliance honouring and war termination: the pure model.

Arrays in, arrays out; no World or State. The diplomacy rule (free diplomacy) will build the
snapshot arrays from a run's state and call these; tests call them directly with hand-set
snapshots. Every function is compiled with numba when called (``.py_func`` is the same code as
plain Python, the reference the tests compare against).

The model (``docs/diplomacy.md``):

* **Stakeholders.** A power's decision is the capability x salience weighted mean of its
  stakeholders' positions (Achen 2006; Bueno de Mesquita 2011, Table 1: the weighted mean beats
  the full bargaining model on the EU benchmark). A position (0-100) is a stakeholder's stance on
  fighting on the side of a named power; toward a coalition it is the mean of its stances toward
  the coalition's members, weighted by their capability (members it has no stance on left out).
* **Drivers.** Named terms, each in about -1..1, each scaled by a weight that is an assumption:
  the war's course (bandwagoning), threat (Walt's balancing), spoils (Schweller's jackals),
  readiness (the "can't" threshold, costlier the longer the war looks), ideology and the
  alliance's make-up (affinity to the side's members), offers and bribes, the economy (sea
  trade against sea power, and blockade grievance), and a treaty's pull.
* **Decision.** Neutral / side A / side B by a multinomial logit of the utilities (the
  neutral's is its offers to stay out) with a temperature (Gartzke 1999: war is in the error
  term). A run draws one uniform per power and keeps it, so a power enters the first time the
  chance of a side passes its draw: the share of runs at war follows the chance, not the number
  of occasions it was asked (no compounding of repeated draws).
* **Alliances.** Called to a war by an ally, a power honours the treaty with the published rate
  (Leeds, Long & Mitchell 2000: 74.5 %) shifted in logit by its own utility of that war (Leeds
  2003: violations follow changed circumstances). The honouring decision reads the same run-long
  draw as the entry decision (the run's latent bellicosity of that power), so the share of runs
  in which a power is at war is the largest chance it met, not the sum of its chances.
* **Termination.** A belligerent seeks terms when its side's chance of winning falls below a
  threshold raised by its will and by distrust of the enemy (Reiter 2009: commitment fears keep
  states fighting); the enemy accepts when the terms (what it holds of the seeker's) are worth
  more than continuing, from its own expectation of the war (Goemans 2000; Slantchev 2003).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# --- driver terms: columns of the terms array ------------------------------------------------
T_POSITION = 0
"""(M - 50) / 50: the stakeholders' weighted mean position toward the side, centred."""
T_COURSE = 1
"""2 p_win - 1: the side's chance of winning, centred (bandwagoning with the winner)."""
T_THREAT = 2
"""Threat from the other side minus threat from this one (balancing against threat)."""
T_SPOILS = 3
"""Claimed regions the other side holds, by weight, times p_win ** spoils_exponent."""
T_READINESS = 4
"""-(1 - readiness) x 2 (1 - p_win): unreadiness costs by how long the war looks."""
T_IDEOLOGY = 5
"""Affinity to the side's members, capability-weighted (the alliance's make-up)."""
T_OFFER = 6
"""What the side offers for joining (0..1)."""
T_ECONOMY = 7
"""Sea-trade dependence x (side's sea share - other's + blockade grievance against the other)."""
T_ALLY = 8
"""1 when the power has an alliance with a member of the side."""
T_COLLAPSE = 9
"""Share of the war's capability the other side has lost (capitulations, collapse) minus own."""
N_TERMS = 10

TERM_NAMES = (
    "position",
    "course",
    "threat",
    "spoils",
    "readiness",
    "ideology",
    "offer",
    "economy",
    "ally",
    "collapse",
)

# --- model constants: slots of the weights vector ----------------------------------------------
# The first N_TERMS slots are the drivers' weights (in TERM_NAMES order); then these.
W_TEMPERATURE = N_TERMS
"""Logit temperature of the choice (the error term)."""
W_SPOILS_EXPONENT = N_TERMS + 1
"""Exponent on p_win in the spoils term (jackals join at the kill)."""
W_HONOUR = N_TERMS + 2
"""Base rate at which an ally called to a war honours the treaty."""
W_HONOUR_SLOPE = N_TERMS + 3
"""Logit shift of honouring per unit of utility of the war."""
W_SEEK = N_TERMS + 4
"""Chance of winning below which an ordinary belligerent seeks terms."""
W_DISTRUST = N_TERMS + 5
"""How much distrust of the enemy (negative affinity) lowers the seeking threshold."""
W_WAR_COST = N_TERMS + 6
"""Cost of fighting on, against the value of total victory (1), for the acceptor."""
W_TERMS_TEMPERATURE = N_TERMS + 7
"""Logit temperature of seeking and accepting terms."""
W_COMMITMENT = N_TERMS + 8
"""Acceptor's discount on terms per unit of the seeker's capability share (commitment problem)."""
W_PROXIMITY_KM = N_TERMS + 9
"""Distance (km between capitals) over which proximity falls by 1/e (neighbours: 1)."""
W_WIN_EXPONENT = N_TERMS + 10
"""Exponent of the contest function giving a side's chance of winning from capability."""
N_WEIGHTS = N_TERMS + 11

WEIGHT_NAMES = TERM_NAMES + (
    "temperature",
    "spoils_exponent",
    "honour",
    "honour_slope",
    "seek",
    "distrust",
    "war_cost",
    "terms_temperature",
    "commitment",
    "proximity_km",
    "win_exponent",
)

NEUTRAL, SIDE_A, SIDE_B = 0, 1, 2

# --- the judged figures a run may draw (scenario.alignment.figures): what each one sets ---------
FIG_WEIGHT = 0
"""A slot of the weights vector (i: the slot)."""
FIG_READINESS = 1
"""A power's readiness (i: the power)."""
FIG_EMPIRE = 2
"""A power's multiple of its COW capability (i: the power)."""
FIG_TRADE = 3
"""A power's sea-trade dependence (i: the power)."""
FIG_AFFINITY = 4
"""A power's affinity to another (i: the power, j: the other)."""
FIG_CAPABILITY = 5
"""A stakeholder's capability (i: the stakeholder)."""
FIG_SALIENCE = 6
"""A stakeholder's salience (i: the stakeholder)."""
FIG_POSITION = 7
"""A stakeholder's stance on fighting beside a power (i: the stakeholder, j: the power)."""


@njit(cache=True)
def war_sides(at_war, capitulated, seed):
    """The two coalitions of the war ``seed`` fights in: 1 (seed's side), 2 (its enemies), 0.

    Two-colours the graph of wars from ``seed`` (breadth first); a power at war with both sides
    keeps the colour it was reached with first. Capitulated powers are on no side.
    """
    P = at_war.shape[0]
    side = np.zeros(P, np.int64)
    if capitulated[seed]:
        return side
    side[seed] = 1
    queue = np.empty(P, np.int64)
    queue[0] = seed
    head, tail = 0, 1
    while head < tail:
        p = queue[head]
        head += 1
        for q in range(P):
            if at_war[p, q] and side[q] == 0 and not capitulated[q]:
                side[q] = 3 - side[p]
                queue[tail] = q
                tail += 1
    return side


@njit(cache=True)
def expected_sides(side, bound, capitulated):
    """The sides as a power weighing them expects them: treaty partners of one side come in.

    A power on no side, bound by a treaty (alliance, guarantee, mutual assistance) to members of
    one side and of no member of the other, is counted on that side: Germany's war on Poland
    alone was a war on Britain and France too. One step: partners of partners are not added.
    """
    P = side.shape[0]
    out = side.copy()
    for q in range(P):
        if side[q] != 0 or capitulated[q]:
            continue
        to = np.zeros(3, np.bool_)
        for m in range(P):
            if bound[q, m] and side[m] != 0:
                to[side[m]] = True
        if to[1] and not to[2]:
            out[q] = 1
        elif to[2] and not to[1]:
            out[q] = 2
    return out


@njit(cache=True)
def win_chance(cap, side, exponent):
    """Side A's chance of winning: a contest function of the sides' capability (Tullock/ratio).

    ``cap`` is each power's capability now (0 for the capitulated); ``exponent`` 1 is the
    ratio form, larger makes the stronger side's edge decisive.
    """
    a = 0.0
    b = 0.0
    for p in range(cap.shape[0]):
        if side[p] == 1:
            a += cap[p]
        elif side[p] == 2:
            b += cap[p]
    if a <= 0.0 and b <= 0.0:
        return 0.5
    xa = a**exponent
    xb = b**exponent
    return xa / (xa + xb)


@njit(cache=True)
def weighted_positions(sh_power, sh_weight, sh_pos, sh_other, cap, side, n_powers):
    """Capability x salience weighted mean position of each power's stakeholders toward each side.

    Args:
        sh_power: int[K], the power of each stakeholder.
        sh_weight: float[K], capability x salience.
        sh_pos: float[K, P], the stakeholder's position (0-100) toward fighting beside each
            power; NaN where it has no stance.
        sh_other: float[K], its position toward a side none of whose members it has a stance on.
        cap: float[P], each power's capability now (weights members within a side).
        side: int[P], 1 or 2 for the two sides, 0 for neither.
        n_powers: P.

    Returns:
        float[P, 3]: column 1 and 2 the mean toward side A and B; column 0 is 0; NaN for a
        power without stakeholders.
    """
    out = np.full((n_powers, 3), np.nan)
    num = np.zeros((n_powers, 3))
    den = np.zeros(n_powers)
    for k in range(sh_power.shape[0]):
        p = sh_power[k]
        den[p] += sh_weight[k]
        for s in (1, 2):
            x = 0.0
            wsum = 0.0
            for q in range(n_powers):
                if side[q] == s and q != p and not math.isnan(sh_pos[k, q]):
                    x += cap[q] * sh_pos[k, q]
                    wsum += cap[q]
            pos = x / wsum if wsum > 0.0 else sh_other[k]
            num[p, s] += sh_weight[k] * pos
    for p in range(n_powers):
        if den[p] > 0.0:
            out[p, 0] = 0.0
            out[p, 1] = num[p, 1] / den[p]
            out[p, 2] = num[p, 2] / den[p]
    return out


@njit(cache=True)
def _side_affinity(affinity, cap, side, p, s):
    x = 0.0
    wsum = 0.0
    for q in range(cap.shape[0]):
        if side[q] == s and q != p:
            x += cap[q] * affinity[p, q]
            wsum += cap[q]
    return x / wsum if wsum > 0.0 else 0.0


@njit(cache=True)
def _threat(affinity, cap, prox, side, p, s):
    """Threat side ``s`` poses to ``p``: capability share x proximity x hostility, summed."""
    total = 0.0
    for q in range(cap.shape[0]):
        if side[q] != 0:
            total += cap[q]
    if total <= 0.0:
        return 0.0
    t = 0.0
    for q in range(cap.shape[0]):
        if side[q] == s and q != p:
            t += cap[q] / total * prox[q, p] * max(0.0, -affinity[p, q])
    return t


@njit(cache=True)
def driver_terms(
    positions, affinity, claim, readiness, trade_dep, cap, prox, side, controller, sea_share,
    blockaded_by, offers, allied, cap0, fallen, fallen_side, weights,
):  # fmt: skip
    """Every driver term of every power toward each side of one war.

    Args:
        positions: float[P, 3] from :func:`weighted_positions`.
        affinity: float[P, P], power p's affinity to q (-1 hostile .. 1 close).
        claim: float[P, R], the weight p puts on holding region r (its spoils; 0 none).
        readiness: float[P], 0 (no army fit to fight) .. 1 (ready for a long war).
        trade_dep: float[P], dependence on sea-borne trade, 0..1.
        cap: float[P], capability now (0 for the capitulated).
        prox: float[P, P], proximity of q to p, 0 (far) .. 1 (neighbours).
        side: int[P], 1 and 2 the two sides of the war, 0 neither.
        controller: int[R], who holds each region now.
        sea_share: float[3], the sides' shares of sea power (slots 1 and 2).
        blockaded_by: bool[P, P], q's fleets blockade p (or seized its trade).
        offers: float[P, 3], what each side offers p for joining it (slots 1, 2); slot 0 what
            either offers for staying out.
        allied: bool[P, P], p and q are bound by an alliance treaty.
        cap0: float[P], capability before the war.
        fallen: float[P], the share of each power's pre-war capability lost in this war (1 for
            the capitulated; ``cap`` holds what is left).
        fallen_side: int[P], the side each fallen power fought on (1, 2; 0 none).
        weights: float[N_WEIGHTS]; the spoils and win exponents are read here.

    Returns:
        float[P, 3, N_TERMS]; slot 0 (neutral) is all zeros but the offer term.
    """
    P = cap.shape[0]
    R = controller.shape[0]
    terms = np.zeros((P, 3, N_TERMS))
    p_a = win_chance(cap, side, weights[W_WIN_EXPONENT])
    expo = weights[W_SPOILS_EXPONENT]
    lost = np.zeros(3)
    whole = 0.0
    for q in range(P):
        fs = fallen_side[q] if fallen[q] > 0.0 else side[q]
        if fs == 0:
            continue
        c0 = cap0[q]
        whole += c0
        lost[fs] += c0 * fallen[q]
    for p in range(P):
        terms[p, 0, T_OFFER] = offers[p, 0]
        p_a_here = p_a
        if side[p] != 0:
            # Counted on a side it has not joined (a treaty partner): weigh the war without it.
            own = cap[p]
            cap[p] = 0.0
            p_a_here = win_chance(cap, side, weights[W_WIN_EXPONENT])
            cap[p] = own
        for s in (1, 2):
            o = 3 - s
            pw = p_a_here if s == 1 else 1.0 - p_a_here
            if not math.isnan(positions[p, s]):
                terms[p, s, T_POSITION] = (positions[p, s] - 50.0) / 50.0
            terms[p, s, T_COURSE] = 2.0 * pw - 1.0
            if whole > 0.0:
                terms[p, s, T_COLLAPSE] = (lost[o] - lost[s]) / whole
            terms[p, s, T_THREAT] = _threat(affinity, cap, prox, side, p, o) - _threat(
                affinity, cap, prox, side, p, s
            )
            spoils = 0.0
            for r in range(R):
                if claim[p, r] > 0.0 and side[controller[r]] == o:
                    spoils += claim[p, r]
            terms[p, s, T_SPOILS] = spoils * pw**expo
            terms[p, s, T_READINESS] = -(1.0 - readiness[p]) * 2.0 * (1.0 - pw)
            terms[p, s, T_IDEOLOGY] = _side_affinity(affinity, cap, side, p, s)
            terms[p, s, T_OFFER] = offers[p, s]
            grievance = 0.0
            for q in range(P):
                if side[q] == o and blockaded_by[p, q]:
                    grievance = 1.0
            terms[p, s, T_ECONOMY] = trade_dep[p] * (sea_share[s] - sea_share[o] + grievance)
            for q in range(P):
                if side[q] == s and allied[p, q] and q != p:
                    terms[p, s, T_ALLY] = 1.0
    return terms


@njit(cache=True)
def utilities(terms, weights):
    """Utility of each choice: the weighted sum of its terms (float[P, 3])."""
    P = terms.shape[0]
    u = np.zeros((P, 3))
    for p in range(P):
        for c in range(3):
            for t in range(N_TERMS):
                u[p, c] += weights[t] * terms[p, c, t]
    return u


@njit(cache=True)
def choice_probabilities(u, temperature):
    """Multinomial logit over neutral, side A and side B (float[P, 3], rows sum to 1)."""
    P = u.shape[0]
    prob = np.zeros((P, 3))
    temperature = max(temperature, 1e-6)  # 0 (a degenerate draw) is the arg max, not an error
    for p in range(P):
        m = max(u[p, 0], max(u[p, 1], u[p, 2]))
        z = 0.0
        for c in range(3):
            prob[p, c] = math.exp((u[p, c] - m) / temperature)
            z += prob[p, c]
        for c in range(3):
            prob[p, c] /= z
    return prob


@njit(cache=True)
def decide(prob, draw):
    """The choice of a power whose run-long draw is ``draw`` (0: stay out, 1: A, 2: B)."""
    if draw < prob[1]:
        return SIDE_A
    if draw < prob[1] + prob[2]:
        return SIDE_B
    return NEUTRAL


@njit(cache=True)
def logistic(x):
    """1 / (1 + e^-x), safe for large |x|."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@njit(cache=True)
def honour_probability(base, slope, du):
    """Chance an ally called to a war joins: the base rate, shifted in logit by ``du``.

    ``du`` is the power's utility of joining that side minus its best alternative: a war it
    wants anyway is honoured more often, one that changed circumstances made ruinous less.
    """
    b = min(max(base, 1e-9), 1.0 - 1e-9)
    return logistic(math.log(b / (1.0 - b)) + slope * du)


@njit(cache=True)
def seek_terms_probability(p_win_own, will, distrust, weights):
    """Chance a belligerent seeks terms on an occasion.

    It seeks when its side's chance of winning is below the threshold ``seek`` divided by its
    will and lowered by its distrust of the enemy (0..1: the enemy's word is worth nothing);
    the logit's temperature smooths the edge.
    """
    threshold = weights[W_SEEK] / max(will, 1e-9) * (1.0 - weights[W_DISTRUST] * distrust)
    return logistic((threshold - p_win_own) / max(weights[W_TERMS_TEMPERATURE], 1e-6))


@njit(cache=True)
def terms_regions(owner, controller, side, seeker):
    """The terms a seeker offers: the regions of its own that the other side holds (bool[R])."""
    R = owner.shape[0]
    out = np.zeros(R, np.bool_)
    for r in range(R):
        c = controller[r]
        if owner[r] == seeker and side[c] != 0 and side[c] != side[seeker]:
            out[r] = True
    return out


@njit(cache=True)
def accept_terms_probability(terms_value, p_win_acceptor, seeker_share, weights):
    """Chance the other side accepts terms worth ``terms_value`` (0..1 of the seeker's worth).

    Fighting on is worth ``p_win_acceptor`` (total victory is 1) minus the cost of fighting
    on; the terms are discounted by the seeker's share of the war's capability (a strong
    seeker can rearm and break them: the commitment problem). Accepts when the terms are worth
    more, smoothed by the logit.
    """
    cont = p_win_acceptor - weights[W_WAR_COST]
    value = terms_value * (1.0 - weights[W_COMMITMENT] * seeker_share)
    return logistic((value - cont) / max(weights[W_TERMS_TEMPERATURE], 1e-6))


@njit(cache=True)
def accept_demand_probability(cap_self, cap_demander, demand, temperature, exponent):
    """Chance a weak power accepts a great power's demand (bases, a pact) rather than fight.

    Resisting is worth its chance of holding out alone (the contest function of capability)
    less the loss of everything if crushed; accepting costs ``demand`` (0..1 of its worth).
    """
    hold = win_chance(np.array([cap_self, cap_demander]), np.array([1, 2]), exponent)
    resist = hold - (1.0 - hold)
    return logistic((-demand - resist) / temperature)


@njit(cache=True)
def evaluate(
    sh_power, sh_weight, sh_pos, sh_other, affinity, claim, readiness, trade_dep, cap, prox,
    side, controller, sea_share, blockaded_by, offers, allied, cap0, fallen, fallen_side, weights,
):  # fmt: skip
    """The whole entry decision for one war: (positions, terms, utilities, probabilities).

    See :func:`weighted_positions` and :func:`driver_terms` for the arguments.
    """
    P = cap.shape[0]
    positions = weighted_positions(sh_power, sh_weight, sh_pos, sh_other, cap, side, P)
    terms = driver_terms(
        positions, affinity, claim, readiness, trade_dep, cap, prox, side, controller,
        sea_share, blockaded_by, offers, allied, cap0, fallen, fallen_side, weights,
    )  # fmt: skip
    u = utilities(terms, weights)
    prob = choice_probabilities(u, weights[W_TEMPERATURE])
    return positions, terms, u, prob
