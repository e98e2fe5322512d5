"""Free diplomacy in the engine (rules.entry): off by default; on, each decision is the model's.

``tests/scenarios/free_diplomacy``: RED and BLUE at war from the start, ALY allied to RED, NEU a
neutral leaning toward RED. Runs of three days (the first evaluation is on day 0).
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
        s, h = run_days(c, 3, seed=seed)
        assert _events(c, h, codes.K_ENTRY) == [] and _events(c, h, codes.K_WAR) == []


def test_each_entry_is_the_model_s_chance_against_the_run_s_draw():
    c = compiled()
    want = expected_chances()
    assert 0.05 < want["NEU"][0] < 0.95 and want["ALY"][1] == 2  # ALY honours the treaty
    joined = {"NEU": 0, "ALY": 0}
    for seed in SEEDS:
        s, h = run_days(c, 3, seed=seed)
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
        s, h = run_days(c, 40, seed=seed)
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
        _, h = run_days(later, 4, seed=seed)
        days += [int(h.ev_day[i]) for i in _events(later, h, codes.K_ENTRY)]
    assert days and min(days) == 2  # on from the divergence, not before
