import numpy as np
import pytest

from twinvipers.engine import simulate
from twinvipers.ensemble.sampling import sample
from twinvipers.rules import codes
from twinvipers.rules import params as P
from twinvipers.rules.rng import run_seeds
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load


@pytest.fixture(scope="module")
def compiled():
    return compile_scenario(load("poland_1939").scenario)


def _capitulation_days(c, rows, power="POL"):
    n = rows.shape[0]
    b = simulate(c, rows, run_seeds(5, np.arange(n)))
    h, k = b.history, b.history.ev_kind[: b.n_events]
    mine = (k == codes.K_CAPITULATION) & (h.ev_actor[: b.n_events] == c.powers.index(power))
    days = np.full(n, -1)
    days[h.ev_run[: b.n_events][mine]] = h.ev_day[: b.n_events][mine]
    return days


def test_pressure_beyond_will_brings_capitulation(compiled):
    rows = compiled.params_for(sample(compiled.assumptions, 100, 5))
    days = _capitulation_days(compiled, rows)
    assert (days >= 0).mean() > 0.9


def test_no_capitulation_when_the_threshold_cannot_be_reached(compiled):
    rows = compiled.params_for(sample(compiled.assumptions, 100, 5))
    # Pressure is at most 1.5 (the four weights' sum); will is at least 0.8 here (polish_will).
    rows[:, P.CAP_THRESHOLD] = 2.5
    assert (_capitulation_days(compiled, rows) < 0).all()


@pytest.mark.slow  # 400 runs
def test_more_will_holds_out_longer(compiled):
    base = compiled.params_for(sample(compiled.assumptions, 200, 5))
    weak, firm = base.copy(), base.copy()
    weak[:, P.CAP_THRESHOLD] = 0.35
    firm[:, P.CAP_THRESHOLD] = 0.65
    d_weak, d_firm = _capitulation_days(compiled, weak), _capitulation_days(compiled, firm)
    end = compiled.world.snap_days[-1] + 1
    d_weak[d_weak < 0], d_firm[d_firm < 0] = end, end
    assert d_firm.mean() > d_weak.mean()


def test_a_broken_line_alone_can_bring_capitulation(compiled):
    # Only the lost core fortification presses on Poland: no capitulation without its weight,
    # capitulation in most runs once the lost line weighs above the threshold.
    base = compiled.params_for(sample(compiled.assumptions, 60, 5))
    base[:, [P.CAP_W_VP, P.CAP_W_CAPITAL, P.CAP_W_LOSSES]] = 0.0
    without, with_line = base.copy(), base.copy()
    without[:, P.CAP_W_FORT] = 0.0
    with_line[:, P.CAP_W_FORT] = 2.0
    assert (_capitulation_days(compiled, without) < 0).all()
    assert (_capitulation_days(compiled, with_line) >= 0).mean() > 0.5


@pytest.mark.slow  # 200 runs
def test_the_lost_line_adds_to_the_pressure(compiled):
    base = compiled.params_for(sample(compiled.assumptions, 100, 5))
    base[:, P.CAP_THRESHOLD] = 0.8  # beyond what the other three pressures reach here
    without, with_line = base.copy(), base.copy()
    without[:, P.CAP_W_FORT] = 0.0
    d_without = _capitulation_days(compiled, without)
    d_with = _capitulation_days(compiled, with_line)
    assert (d_with >= 0).mean() > (d_without >= 0).mean()
