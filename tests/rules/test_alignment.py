"""The diplomacy model's mechanisms on small hand-set worlds (rules.alignment)."""

from __future__ import annotations

import numpy as np
import pytest

from twinvipers.rules import alignment as A

# Powers of the toy world: 0 a neutral deciding, 1 and 2 the belligerents, 3 an ally of 1.
NEU, RED, BLUE, ALLY = 0, 1, 2, 3
P = 4


def weights(**over: float) -> np.ndarray:
    """Unit driver weights and middling constants, with overrides by name."""
    w = np.ones(A.N_WEIGHTS)
    w[A.W_TEMPERATURE] = 0.3
    w[A.W_SPOILS_EXPONENT] = 2.0
    w[A.W_HONOUR] = 0.745
    w[A.W_HONOUR_SLOPE] = 3.0
    w[A.W_SEEK] = 0.2
    w[A.W_DISTRUST] = 0.5
    w[A.W_WAR_COST] = 0.1
    w[A.W_TERMS_TEMPERATURE] = 0.05
    w[A.W_COMMITMENT] = 0.5
    w[A.W_WIN_EXPONENT] = 1.0
    for k, v in over.items():
        w[A.WEIGHT_NAMES.index(k)] = v
    return w


def world(**over):
    """The toy world's inputs for ``evaluate`` (a neutral with one stakeholder between two sides)."""
    at_war = np.zeros((P, P), np.bool_)
    at_war[RED, BLUE] = at_war[BLUE, RED] = True
    args = dict(
        sh_power=np.array([NEU], np.int64),
        sh_weight=np.array([100.0]),
        sh_pos=np.array([[np.nan, 40.0, 20.0, np.nan]]),
        sh_other=np.array([0.0]),
        affinity=np.zeros((P, P)),
        claim=np.zeros((P, 2)),
        readiness=np.full(P, 0.5),
        trade_dep=np.zeros(P),
        cap=np.array([0.05, 0.3, 0.3, 0.05]),
        prox=np.ones((P, P)),
        side=A.war_sides(at_war, np.zeros(P, np.bool_), RED),
        controller=np.array([RED, BLUE], np.int64),
        sea_share=np.array([0.0, 0.5, 0.5]),
        blockaded_by=np.zeros((P, P), np.bool_),
        offers=np.zeros((P, 3)),
        allied=np.zeros((P, P), np.bool_),
        cap0=np.array([0.05, 0.3, 0.3, 0.05]),
        fallen=np.zeros(P),
        fallen_side=np.zeros(P, np.int64),
        weights=weights(),
    )
    args.update(over)
    return args


def run(**over):
    """``evaluate`` on the toy world: (positions, terms, utilities, probabilities) of the neutral."""
    pos, terms, u, prob = A.evaluate(**world(**over))
    return pos[NEU], terms[NEU], u[NEU], prob[NEU]


def test_war_sides_two_colour_the_wars_and_leave_the_fallen_out():
    at_war = np.zeros((5, 5), np.bool_)
    for a, b in ((0, 1), (1, 2), (2, 3)):
        at_war[a, b] = at_war[b, a] = True
    side = A.war_sides(at_war, np.zeros(5, np.bool_), 0)
    assert list(side) == [1, 2, 1, 2, 0]
    fallen = np.array([False, False, True, False, False])
    assert list(A.war_sides(at_war, fallen, 0)) == [1, 2, 0, 0, 0]


def test_weighted_mean_is_capability_times_salience_and_members_by_capability():
    sh_power = np.array([0, 0], np.int64)
    sh_weight = np.array([60.0 * 90.0, 20.0 * 50.0])  # capability x salience
    sh_pos = np.array([[np.nan, 80.0, 0.0, 10.0], [np.nan, 20.0, 30.0, np.nan]])
    side = np.array([0, 1, 2, 1])
    cap = np.array([0.0, 0.2, 0.3, 0.2])
    out = A.weighted_positions(sh_pos=sh_pos, sh_power=sh_power, sh_weight=sh_weight,
                               sh_other=np.array([5.0, 5.0]), cap=cap, side=side, n_powers=4)  # fmt: skip
    # Toward side 1 (powers 1 and 3, equal capability) the first holds (80+10)/2 = 45; the
    # second names only power 1: 20. The mean weighs them 5400 : 1000.
    assert out[0, 1] == pytest.approx((5400 * 45 + 1000 * 20) / 6400)
    assert out[0, 2] == pytest.approx((5400 * 0 + 1000 * 30) / 6400)
    assert np.isnan(out[1, 1])  # no stakeholders: no mean


def test_a_side_none_of_whose_members_is_named_gets_the_stakeholders_other_position():
    out = A.weighted_positions(np.array([0], np.int64), np.array([1.0]),
                               np.array([[np.nan, np.nan, np.nan]]), np.array([35.0]),
                               np.ones(3), np.array([0, 1, 2]), 3)  # fmt: skip
    assert out[0, 1] == out[0, 2] == 35.0


def test_probabilities_sum_to_one_and_neutral_wins_against_reluctant_stakeholders():
    _, _, u, prob = run()
    assert prob.sum() == pytest.approx(1.0)
    assert prob[A.NEUTRAL] > prob[A.SIDE_A] > prob[A.SIDE_B]


def test_an_offer_changes_the_decision():
    draw = 0.5  # this run's latent propensity of the neutral
    _, _, _, before = run()
    assert A.decide(before, draw) == A.NEUTRAL
    offers = np.zeros((P, 3))
    offers[NEU, A.SIDE_A] = 0.8  # side A offers most of what it claims
    _, terms, _, after = run(offers=offers)
    assert terms[A.SIDE_A, A.T_OFFER] == 0.8
    assert after[A.SIDE_A] > 0.5 > before[A.SIDE_A]
    assert A.decide(after, draw) == A.SIDE_A
    # A counter-offer for staying out (Crawford's concerted accommodation) takes it back.
    offers[NEU, A.NEUTRAL] = 0.8
    _, _, _, bought = run(offers=offers)
    assert A.decide(bought, draw) == A.NEUTRAL


def test_spoils_count_claims_the_other_side_holds_and_grow_with_the_chance_of_winning():
    claim = np.zeros((P, 2))
    claim[NEU, 1] = 1.0  # it covets region 1, which BLUE holds
    _, even, _, _ = run(claim=claim)
    assert even[A.SIDE_A, A.T_SPOILS] == pytest.approx(0.5**2)
    assert even[A.SIDE_B, A.T_SPOILS] == 0.0
    _, winning, _, p = run(claim=claim, cap=np.array([0.05, 0.6, 0.2, 0.05]))
    assert winning[A.SIDE_A, A.T_SPOILS] == pytest.approx(0.75**2)
    assert p[A.SIDE_A] > run()[3][A.SIDE_A]


def test_threat_makes_a_power_join_the_side_against_a_hostile_neighbour():
    affinity = np.zeros((P, P))
    affinity[NEU, BLUE] = -1.0
    prox = np.full((P, P), 0.2)
    prox[BLUE, NEU] = 1.0
    _, terms, _, prob = run(affinity=affinity, prox=prox)
    assert terms[A.SIDE_A, A.T_THREAT] > 0 > terms[A.SIDE_B, A.T_THREAT]
    assert prob[A.SIDE_A] > run(prox=prox)[3][A.SIDE_A]


def test_the_alliance_make_up_moves_a_stakeholder_and_the_ideology_term():
    # RED fights alone, then with a power the neutral detests (ALLY joins RED's side).
    affinity = np.zeros((P, P))
    affinity[NEU, ALLY] = -1.0
    sh_pos = np.array([[np.nan, 70.0, 20.0, 0.0]])
    alone = run(affinity=affinity, sh_pos=sh_pos)
    at_war = np.zeros((P, P), np.bool_)
    for a, b in ((RED, BLUE), (ALLY, BLUE)):
        at_war[a, b] = at_war[b, a] = True
    cap = np.array([0.05, 0.3, 0.3, 0.3])
    side = A.war_sides(at_war, np.zeros(P, np.bool_), RED)
    joined = run(affinity=affinity, sh_pos=sh_pos, side=side, cap=cap, cap0=cap)
    assert alone[0][A.SIDE_A] == 70.0
    assert joined[0][A.SIDE_A] == pytest.approx(35.0)
    assert joined[1][A.SIDE_A, A.T_IDEOLOGY] == pytest.approx(-0.5)
    assert joined[3][A.SIDE_A] < alone[3][A.SIDE_A]


def test_readiness_costs_more_the_longer_the_war_looks():
    _, even, _, _ = run()
    _, short, _, _ = run(cap=np.array([0.05, 0.9, 0.1, 0.05]))
    assert even[A.SIDE_A, A.T_READINESS] == pytest.approx(-0.5)
    assert short[A.SIDE_A, A.T_READINESS] == pytest.approx(-0.5 * 2 * 0.1)


def test_a_collapse_on_the_other_side_pulls_toward_the_winner():
    fallen = np.zeros(P)
    fallen[ALLY] = 1.0  # BLUE's ally has capitulated
    fallen_side = np.array([0, 0, 0, 2])
    cap = np.array([0.05, 0.3, 0.3, 0.0])
    _, terms, _, prob = run(cap=cap, fallen=fallen, fallen_side=fallen_side)
    assert terms[A.SIDE_A, A.T_COLLAPSE] == pytest.approx(0.05 / 0.65)
    assert prob[A.SIDE_A] > run(cap=cap)[3][A.SIDE_A]


def test_blockade_grievance_and_sea_power_in_the_economy_term():
    trade = np.full(P, 0.8)
    blockaded = np.zeros((P, P), np.bool_)
    blockaded[NEU, BLUE] = True
    _, terms, _, _ = run(trade_dep=trade, sea_share=np.array([0, 0.2, 0.8]), blockaded_by=blockaded)
    assert terms[A.SIDE_A, A.T_ECONOMY] == pytest.approx(0.8 * (0.2 - 0.8 + 1.0))
    assert terms[A.SIDE_B, A.T_ECONOMY] == pytest.approx(0.8 * (0.8 - 0.2))


def test_an_ally_joins_with_the_published_rate_shifted_by_its_own_interest():
    allied = np.zeros((P, P), np.bool_)
    allied[NEU, RED] = allied[RED, NEU] = True
    _, terms, willing, _ = run(allied=allied)
    assert terms[A.SIDE_A, A.T_ALLY] == 1.0 and terms[A.SIDE_B, A.T_ALLY] == 0.0
    _, _, reluctant, _ = run(allied=allied, sh_pos=np.array([[np.nan, 5.0, 5.0, np.nan]]))
    assert A.honour_probability(0.745, 3.0, 0.0) == pytest.approx(0.745)
    keen = A.honour_probability(0.745, 3.0, willing[A.SIDE_A] - willing[A.NEUTRAL])
    loath = A.honour_probability(0.745, 3.0, reluctant[A.SIDE_A] - reluctant[A.NEUTRAL])
    assert keen > 0.745 > loath
    # Over runs (one draw each), the ally joins in the share the chance says.
    draws = np.linspace(0.0005, 0.9995, 1000)
    assert abs(np.mean(draws < keen) - keen) < 0.002


def test_a_losing_power_seeks_terms_and_acceptance_depends_on_the_victor_s_expectation():
    w = weights()
    losing = A.seek_terms_probability(0.05, 1.0, 0.0, w)
    holding = A.seek_terms_probability(0.45, 1.0, 0.0, w)
    assert losing > 0.9 and holding < 0.05
    # Distrust of the enemy (the commitment problem) and will keep a loser fighting.
    assert A.seek_terms_probability(0.15, 1.0, 1.0, w) < A.seek_terms_probability(0.15, 1.0, 0.0, w)
    assert A.seek_terms_probability(0.15, 1.5, 0.0, w) < A.seek_terms_probability(0.15, 1.0, 0.0, w)
    # Terms worth 0.6 of the seeker: accepted by a side that expects a hard war, refused by one
    # that expects to win outright.
    doubtful = A.accept_terms_probability(0.6, 0.55, 0.1, w)
    confident = A.accept_terms_probability(0.6, 0.95, 0.1, w)
    assert doubtful > 0.9 and confident < 0.1
    # A strong seeker's terms are discounted (it could rearm and break them).
    assert A.accept_terms_probability(0.6, 0.7, 0.5, w) < A.accept_terms_probability(
        0.6, 0.7, 0.0, w
    )


def test_terms_are_the_seeker_s_regions_the_other_side_holds():
    owner = np.array([0, 0, 0, 1], np.int64)
    controller = np.array([0, 1, 2, 1], np.int64)
    side = np.array([1, 2, 0])
    assert list(A.terms_regions(owner, controller, side, 0)) == [False, True, False, False]


def test_a_weak_power_accepts_a_great_power_s_demand_and_a_near_equal_refuses():
    assert A.accept_demand_probability(0.001, 0.14, 0.2, 0.3, 1.5) > 0.9
    assert A.accept_demand_probability(0.10, 0.14, 0.6, 0.3, 1.5) < 0.5


def test_the_choice_is_a_run_long_draw_not_compounded_over_occasions():
    prob = np.array([0.85, 0.15, 0.0])
    draws = np.linspace(0.0005, 0.9995, 1000)
    joined = [A.decide(prob, d) != A.NEUTRAL for d in draws]
    # Asked once or a hundred times with the same draw, the same 15% of runs join.
    assert sum(joined) == 150


def test_compiled_and_plain_python_agree():
    rng = np.random.default_rng(7)
    args = world(
        sh_pos=rng.uniform(0, 100, (1, P)),
        affinity=rng.uniform(-1, 1, (P, P)),
        claim=rng.uniform(0, 1, (P, 2)),
        prox=rng.uniform(0, 1, (P, P)),
        trade_dep=rng.uniform(0, 1, P),
    )
    fast = A.evaluate(**args)
    slow = A.evaluate.py_func(**args)
    for a, b in zip(fast, slow, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
