import pytest
from scipy.stats import binomtest

from twinvipers.analysis.stats import wilson, wilson_closed_form


@pytest.mark.parametrize("k,n", [(0, 20), (5, 20), (15, 20), (20, 20), (1, 1), (37, 100)])
def test_wilson_matches_scipy_and_the_textbook(k, n):
    lo, hi = wilson(k, n)
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert lo == pytest.approx(ci.low, abs=2e-3)  # 1.96 vs the exact 95% quantile
    assert hi == pytest.approx(ci.high, abs=2e-3)
    assert (lo, hi) == pytest.approx(wilson_closed_form(k, n), abs=1e-9)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_known_value():
    # 15/20: the Wilson 95% interval is about 0.531 to 0.888.
    lo, hi = wilson(15, 20)
    assert lo == pytest.approx(0.5313, abs=1e-4)
    assert hi == pytest.approx(0.8881, abs=1e-4)


def test_edge_cases():
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson(3, 2)
