"""Free diplomacy in the engine (rules.entry): off by default; on, each decision is the model's.

``tests/scenarios/free_diplomacy``: RED and BLUE at war from the start, ALY allied to RED, NEU a
neutral leaning toward RED. Runs of a few days (the first evaluation is on day 0). Free
diplomacy appends the model's figures to the sampled assumptions, so runs here take the canon
parameter row (every figure at its best value) unless a test draws its own.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from tests.conftest import ROOT, run_days, scenario_variant
from twinvipers.rules import alignment as A
from twinvipers.rules import codes, params
from twinvipers.scenario import alignment as AL
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load

WORLD = ROOT / "tests" / "scenarios" / "free_diplomacy"
SEEDS = range(1, 41)


@functools.cache
def compiled():
    return compile_scenario(load(WORLD).scenario)


def canon(c) -> np.ndarray:
    """The parameter row with every assumption at its canon value (the figures' best)."""
    return c.params_for(np.array([[a.canon for a in c.assumptions]], float))[0]


def run(c, days: int, seed: int, params=None):
    return run_days(c, days, seed=seed, params=canon(c) if params is None else params)


def _events(c, h, kind):
    n = h.count[0]
    return [i for i in range(n) if h.ev_kind[i] == kind]


def expected_chances() -> dict[str, tuple[float, int]]:
    """Each power's chance of joining RED's side on day 0, from the pure model, and how."""
    sc = compiled().scenario
    arr = AL.compile_alignment(sc)
    state = AL.war_state(sc)
    out = {}
    for tag in ("NEU", "ALY"):
        d = AL.evaluate_power(arr, sc, state, tag, "RED")
        chance, how = d.probability[A.SIDE_A], 1
        if d.terms[A.SIDE_A, A.T_ALLY] > 0:
            du = d.utility[A.SIDE_A] - d.utility[A.NEUTRAL]
            honour = A.honour_probability(
                arr.weights[A.W_HONOUR], arr.weights[A.W_HONOUR_SLOPE], du
            )
            if honour > chance:
                chance, how = honour, 2
        out[tag] = (chance, how)
    return out


def test_off_by_default_so_canon_runs_are_unchanged(tmp_path):
    assert params.PARAMS[params.DIPLOMACY_FREE].default == 0.0
    off = scenario_variant(tmp_path, WORLD, "off", parameters="diplomacy_free: 0\n")
    c = compile_scenario(load(off).scenario)
    for seed in range(1, 6):
        s, h = run(c, 3, seed)
        assert _events(c, h, codes.K_ENTRY) == [] and _events(c, h, codes.K_WAR) == []


def test_each_entry_is_the_model_s_chance_against_the_run_s_draw():
    c = compiled()
    want = expected_chances()
    assert 0.05 < want["NEU"][0] < 0.95 and want["ALY"][1] == 2  # ALY honours the treaty
    joined = {"NEU": 0, "ALY": 0}
    for seed in SEEDS:
        s, h = run(c, 3, seed)
        entries = {c.powers[h.ev_actor[i]]: i for i in _events(c, h, codes.K_ENTRY)}
        for tag, (chance, how) in want.items():
            draw = s.entry.draw[c.powers.index(tag)]
            assert (tag in entries) == (draw < chance), (seed, tag, draw, chance)
            if tag not in entries:
                continue
            joined[tag] += 1
            i = entries[tag]
            assert c.powers[h.ev_target[i]] == "RED" and h.ev_aux[i] == how
            assert h.ev_value[i] == pytest.approx(chance, abs=1e-9)
            assert h.ev_x2[i] == pytest.approx(draw)
            # It is at war with BLUE (and with no one else), and the factors recorded beside it add up to its utility.
            at_war = s.politics.at_war[c.powers.index(tag)]
            assert [c.powers[q] for q in np.nonzero(at_war)[0]] == ["BLUE"]
            factors = [
                j for j in _events(c, h, codes.K_ENTRY_FACTOR) if h.ev_actor[j] == h.ev_actor[i]
            ]
            assert sorted(int(h.ev_aux[j]) for j in factors) == list(range(A.N_TERMS))
            assert sum(h.ev_value[j] for j in factors) == pytest.approx(h.ev_x1[i], abs=1e-9)
    # Over 40 runs the shares follow the chances (binomial 99.9% band).
    for tag, (chance, _) in want.items():
        sd = np.sqrt(chance * (1 - chance) / len(SEEDS))
        assert abs(joined[tag] / len(SEEDS) - chance) < 3.3 * sd + 1e-9, (tag, joined, chance)


def test_a_power_enters_once_on_the_monthly_clock_or_the_day_after_a_shock():
    c = compiled()
    for seed in SEEDS[:12]:
        s, h = run(c, 40, seed)
        entries = _events(c, h, codes.K_ENTRY)
        actors = [h.ev_actor[i] for i in entries]
        assert len(actors) == len(set(actors))  # at war, it is not asked again
        shocks = {int(h.ev_day[i]) + 1 for i in _events(c, h, codes.K_CAPITULATION)}
        for i in entries:
            assert int(h.ev_day[i]) in {0, 30} | shocks, (seed, int(h.ev_day[i]))


def test_a_scenario_with_a_point_of_divergence_is_canon_before_it(tmp_path):
    # Issue 16: free diplomacy waits for meta's diverges (twin_vipers_1945 is canon to April 1940).
    meta = (WORLD / "meta.yaml").read_text() + "diverges: 1939-07-03\n"  # day 2
    later = compile_scenario(load(scenario_variant(tmp_path, WORLD, "later", meta=meta)).scenario)
    days = []
    for seed in SEEDS[:10]:
        _, h = run(later, 4, seed)
        days += [int(h.ev_day[i]) for i in _events(later, h, codes.K_ENTRY)]
    assert days and min(days) == 2  # on from the divergence, not before


# --- terms: a losing power seeks them, the other side answers from its expectation -------------

# BLUE of little will (it seeks terms whenever it is not clearly winning); RED holds BLUE's coast
# (half BLUE's victory points) from the start.
TERMS_POWERS = """\
- {id: RED, name: Red, capital: red_capital, camp: axis, cinc: 0.2, source: test}
- {id: BLUE, name: Blue, capital: blue_capital, camp: allies, cinc: 0.15, will: 0.2, source: test}
- {id: NEU, name: Neutral, capital: neu_capital, cinc: 0.03, source: test}
- {id: ALY, name: Ally, capital: aly_capital, cinc: 0.03, source: test}
"""
TERMS_REGIONS = """\
- {id: red_capital, name: Red capital, lon: 0.0, lat: 50.0, owner: RED, vp: 5, source: test}
- {id: blue_capital, name: Blue capital, lon: 6.0, lat: 50.0, owner: BLUE, vp: 5, source: test}
- {id: blue_coast, name: Blue coast, lon: 6.0, lat: 46.0, owner: BLUE, controller: RED, vp: 5, source: test}
- {id: neu_capital, name: Neutral capital, lon: 3.0, lat: 46.0, owner: NEU, vp: 5, source: test}
- {id: aly_capital, name: Ally capital, lon: -3.0, lat: 50.0, owner: ALY, vp: 5, source: test}
"""


def _variant(tmp_path, name, **files):
    return compile_scenario(load(scenario_variant(tmp_path, WORLD, name, **files)).scenario)


def _first_day(c, seed, killed):
    """Day 0 of a run in which some powers have already lost men in battle (power -> men)."""
    from twinvipers.engine import reset, step
    from twinvipers.rules.rng import run_seeds
    from twinvipers.state import new_state
    from twinvipers.world.arrays import Ctx, new_history

    w = c.world
    s = new_state(w)
    h = new_history(1, len(w.snap_days), len(w.r_owner), len(w.p_capital), len(codes.POWER_FIELDS), 4096)  # fmt: skip
    reset(w, s)
    for tag, men in killed.items():
        s.land.killed[c.powers.index(tag)] = men
    seed_ = run_seeds(seed, np.arange(1))[0]
    step(w, s, h, Ctx(canon(c), 0, seed_, 0))
    return s, h, seed_


def test_a_losing_power_seeks_terms_and_the_answer_follows_the_other_side_s_expectation(tmp_path):
    from twinvipers.rules import rng

    c = _variant(tmp_path, "terms", powers=TERMS_POWERS, regions=TERMS_REGIONS)
    red, blue = c.powers.index("RED"), c.powers.index("BLUE")
    coast = c.regions.index("blue_coast")
    wt = c.world.dp_weights
    seeds = range(1, 31)
    answers = {}
    # The same terms (BLUE's coast, half its victory points), the same draws; only what the
    # battles told RED differs: intact, or having lost three times the men it has left.
    for red_lost in (0.0, 600_000.0):
        accepted, chances = 0, []
        for seed in seeds:
            s, h, seed_ = _first_day(c, seed, {"RED": red_lost})
            # (Bled white, RED itself sometimes seeks terms too; BLUE's are the ones we follow.)
            sought = [i for i in _events(c, h, codes.K_TERMS_SOUGHT) if h.ev_actor[i] == blue]
            answered = [i for i in _events(c, h, codes.K_TERMS_ANSWERED) if h.ev_target[i] == blue]
            assert len(sought) == 1 and len(answered) == 1, seed
            i, j = sought[0], answered[0]
            assert (h.ev_actor[i], h.ev_target[i], h.ev_aux[i]) == (blue, red, 1)
            assert (h.ev_actor[j], h.ev_target[j]) == (red, blue)
            # The expectation: capability x core held x army left, read by a contest function.
            cap = np.array([0.2 * 200_000 / (200_000 + red_lost), 0.15 * 0.5, 0.0, 0.0])
            side = np.array([2, 1, 0, 0])
            p_win = A.win_chance(cap, side, wt[A.W_WIN_EXPONENT])
            assert h.ev_value[i] == pytest.approx(p_win)
            share = cap[blue] / cap.sum()
            chance = A.accept_terms_probability(0.5, 1.0 - p_win, share, wt)
            assert h.ev_value[j] == pytest.approx(chance)
            assert h.ev_x2[j] == pytest.approx(1.0 - p_win - wt[A.W_WAR_COST])
            ok = h.ev_aux[j] == 1
            assert ok == (rng.uniform(seed_, 0, blue, rng.P_TERMS_ACCEPT) < chance)
            if ok:  # the coast is ceded and the war is over
                accepted += 1
                assert s.control.owner[coast] == red and not s.politics.at_war[red, blue]
                assert codes.K_PEACE in [h.ev_kind[k] for k in range(h.count[0])]
            else:
                assert s.control.owner[coast] == blue
            chances.append(chance)
        answers[red_lost] = (accepted, float(np.mean(chances)))
    # Winning, RED refuses; bled white, it takes the same terms.
    assert answers[0.0][1] < 0.05 and answers[0.0][0] <= 2
    assert answers[600_000.0][1] > 0.7 and answers[600_000.0][0] >= 15


def test_no_terms_are_sought_by_a_power_whose_peace_the_scenario_scripts(tmp_path):
    events = """\
- id: blue_peace
  description: BLUE and RED make peace late in the summer (test).
  trigger: {date: 1939-08-30}
  effects:
    - peace: {a: BLUE, b: RED}
  source: test
"""
    c = _variant(tmp_path, "scripted", powers=TERMS_POWERS, regions=TERMS_REGIONS, events=events)
    s, h, _ = _first_day(c, 1, {})
    assert _events(c, h, codes.K_TERMS_SOUGHT) == []


# --- offers -------------------------------------------------------------------------------


def _neu_chance(c, offers=None) -> float:
    sc = c.scenario
    state = AL.war_state(sc)
    if offers is not None:
        state.offers[c.powers.index("NEU")] = offers
    arr = AL.compile_alignment(sc)
    return float(AL.evaluate_power(arr, sc, state, "NEU", "RED").probability[A.SIDE_A])


def _neu_entries(c, seeds):
    out = {}
    for seed in seeds:
        s, h = run(c, 1, seed)
        out[seed] = [
            (h.ev_value[i], i, h) for i in _events(c, h, codes.K_ENTRY) if c.powers[h.ev_actor[i]] == "NEU"
        ]  # fmt: skip
    return out


def test_an_offer_changes_a_decision(tmp_path):
    def offer(spec: str) -> str:
        return (
            "- id: the_offer\n  description: An offer to NEU (test).\n  source: test\n"
            f"  trigger: {{date: 1939-07-01}}\n  effects:\n    - offer: {spec}\n"
        )

    base = compiled()
    stay = _variant(
        tmp_path, "stay", events=offer("{by: BLUE, to: NEU, bribe: 0.5, asks: stay_out}")
    )
    join = _variant(tmp_path, "join", events=offer("{by: RED, to: NEU, regions: [blue_coast]}"))
    p0 = _neu_chance(base)
    p_stay = _neu_chance(base, [0.5, 0.0, 0.0])
    p_join = _neu_chance(base, [0.0, 1.0, 0.0])  # NEU claims blue_coast at 1.0
    assert p_stay < p0 - 0.1 and p_join > p0 + 0.1
    seeds = range(1, 61)
    runs = {
        name: _neu_entries(c, seeds) for name, c in (("base", base), ("stay", stay), ("join", join))
    }
    for name, want in (("base", p0), ("stay", p_stay), ("join", p_join)):
        for seed in seeds:
            for value, _i, _h in runs[name][seed]:
                assert value == pytest.approx(want, abs=1e-9), (name, seed)
    joined = {name: {s for s in seeds if runs[name][s]} for name in runs}
    # The same draws: the bribe keeps out some who would have joined, the coast brings some in.
    assert joined["stay"] < joined["base"] < joined["join"]
    # The offer is a named factor of the decision.
    seed = min(joined["join"])
    _, i, h = runs["join"][seed][0]
    offer_factor = [
        h.ev_value[k] for k in _events(join, h, codes.K_ENTRY_FACTOR)
        if h.ev_aux[k] == A.T_OFFER and h.ev_actor[k] == h.ev_actor[i]
    ]  # fmt: skip
    assert offer_factor == [pytest.approx(join.world.dp_weights[A.T_OFFER] * 1.0)]


# --- alliances ------------------------------------------------------------------------------


def test_an_ally_joins_about_three_times_in_four(tmp_path):
    world = load("world_1939").scenario
    honour = next(w for w in world.alignment_weights if w.id == "honour")
    assert honour.value[1] == 0.745 and "leeds2000" in honour.source
    # An ally with nothing to gain or lose by the war honours at the published rate.
    assert A.honour_probability(0.745, 3.5, 0.0) == pytest.approx(0.745)
    c = compiled()
    weights = (WORLD / "alignment_weights.yaml").read_text()
    slope = "- id: honour_slope\n  description: Logit shift of honouring per unit of the power's own utility of that war.\n  value: [2.0, 3.5, 5.0]"
    assert slope in weights
    flat = _variant(
        tmp_path,
        "flat",
        alignment_weights=weights.replace(slope, slope.replace("[2.0, 3.5, 5.0]", "[0, 0, 0]")),
    )
    no_pact = _variant(
        tmp_path, "no_pact", diplomacy="treaties: []\nwars:\n  - {a: RED, b: BLUE, source: test}\n"
    )
    alone = AL.evaluate_power(
        AL.compile_alignment(no_pact.scenario), no_pact.scenario, AL.war_state(no_pact.scenario), "ALY", "RED"
    ).probability[A.SIDE_A]  # fmt: skip
    # The toy's ally would rather stay out (its ruler's stance beside RED is 40 of 100): it honours
    # less often than the base rate (Leeds 2003), but far more often than it would choose to.
    toy = expected_chances()["ALY"][0]
    assert alone < 0.2 and alone + 0.2 < toy < 0.745
    seeds = range(1, 101)
    for cc, want in ((flat, 0.745), (c, toy), (no_pact, alone)):
        n = 0
        for seed in seeds:
            s, h = run(cc, 1, seed)
            mine = [i for i in _events(cc, h, codes.K_ENTRY) if cc.powers[h.ev_actor[i]] == "ALY"]
            n += bool(mine)
            for i in mine:
                assert h.ev_value[i] == pytest.approx(want, abs=1e-9)
        band = 3.3 * np.sqrt(want * (1 - want) / len(seeds)) + 0.01
        assert abs(n / len(seeds) - want) < band, (cc.scenario.meta.id, n, want)


# --- the figures, drawn per run -------------------------------------------------------------


def test_a_run_draws_the_model_s_figures_from_its_parameter_row():
    c = compiled()
    own = AL.assumptions(load(WORLD).scenario)
    ids = [a.id for a in c.assumptions]
    assert [a.id for a in own] == ids[-len(own) :]
    row = canon(c)
    row[params.N_PARAMS + ids.index("neu_ruler_position_red")] = 90.0
    row[params.N_PARAMS + ids.index("diplo_temperature")] = 0.5
    sc = load(WORLD).scenario
    arr = AL.compile_alignment(sc, {"neu_ruler_position_red": 90.0, "diplo_temperature": 0.5})
    want = AL.evaluate_power(arr, sc, AL.war_state(sc), "NEU", "RED").probability[A.SIDE_A]
    assert want > expected_chances()["NEU"][0] + 0.1
    k = arr.sh_ids.index("NEU.ruler")
    seen = 0
    for seed in range(1, 21):
        s, h = run(c, 1, seed, params=row)
        assert s.entry.sh_pos[k, c.powers.index("RED")] == 90.0
        assert s.entry.weights[A.W_TEMPERATURE] == 0.5
        for i in _events(c, h, codes.K_ENTRY):
            if c.powers[h.ev_actor[i]] == "NEU":
                assert h.ev_value[i] == pytest.approx(want, abs=1e-9)
                seen += 1
    assert seen > 0


# --- history's neutrals, with every figure drawn from its range --------------------------------

#: The neutrals issue 15 names for history through April 1940 (Italy, Spain, Turkey, Sweden, the
#: USA; the Baltic pacts are scripted in historical_1939), and the other neutrals with data.
HISTORY_NEUTRALS = ("ITA", "SPA", "TUR", "SWE", "USA", "POR", "ROM", "HUN", "BUL", "YUG", "GRE")


@pytest.mark.slow
def test_history_s_neutrals_stay_out_with_the_figures_drawn(tmp_path):
    """100 runs of historical_1939 to April 1940 in free diplomacy, the 592 figures sampled.

    Each neutral is out in at least 80% of runs, or (Italy, whose Pact of Steel is honoured in
    some runs) the 95% Wilson interval of its share out reaches 80%.
    """
    from twinvipers.analysis import questions as q
    from twinvipers.analysis.stats import wilson
    from twinvipers.ensemble.runner import Spec, run_ensemble

    d = tmp_path / "hist_free"
    d.mkdir()
    (d / "meta.yaml").write_text(
        "id: hist_free\nname: History, free diplomacy\nextends: historical_1939\n"
        "start: 1939-06-27\nend: 1940-04-30\n"
    )
    (d / "parameters.yaml").write_text("diplomacy_free: 1\n")
    out = tmp_path / "r"
    n = 100
    run_ensemble(Spec(str(d), n, seed=1, chunk_size=50), out, workers=2)
    con = q.connect(out)
    assert len(con.execute("DESCRIBE runs").fetchall()) > 592  # the figures are columns of runs
    for tag in HISTORY_NEUTRALS:
        at_war = con.execute(
            "SELECT count(DISTINCT run_id) FROM events WHERE kind IN ('war_declared', 'war_entry') "
            "AND (actor = ? OR target = ?)",
            [tag, tag],
        ).fetchone()[0]
        lo, hi = wilson(n - at_war, n)
        assert (n - at_war) / n >= 0.8 or hi >= 0.8, (tag, at_war)
