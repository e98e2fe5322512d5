import numpy as np
import pytest
from scipy import stats

from twinvipers.ensemble.sampling import sample, unit_rows, unit_sample
from twinvipers.scenario import schema


def _a(id_, dist):
    return schema.Assumption.model_validate({"id": id_, "dist": dist})


def test_latin_hypercube_stratifies_each_dimension():
    u = unit_sample(100, 3, seed=5)
    for j in range(3):
        counts = np.histogram(u[:, j], bins=100, range=(0, 1))[0]
        assert (counts == 1).all()


def test_same_seed_same_design_and_different_seed_differs():
    assert np.array_equal(unit_sample(50, 2, 1), unit_sample(50, 2, 1))
    assert not np.array_equal(unit_sample(50, 2, 1), unit_sample(50, 2, 2))
    assert not np.array_equal(unit_sample(50, 2, 1, "mc"), unit_sample(50, 2, 1))


def test_distributions_have_their_shape():
    a = [
        _a("f", {"fixed": 2.5}),
        _a("u", {"uniform": [1, 3]}),
        _a("t", {"triangular": [0, 1, 4]}),
        _a("n", {"truncnormal": [0, 1, -1, 2]}),
        _a("c", {"choice": [1, 2, 3], "weights": [0, 1, 3]}),
    ]
    x = sample(a, 4000, seed=9)
    assert (x[:, 0] == 2.5).all()
    assert x[:, 1].min() >= 1 and x[:, 1].max() <= 3 and abs(x[:, 1].mean() - 2) < 0.02
    assert abs(x[:, 2].mean() - 5 / 3) < 0.02
    assert x[:, 3].min() >= -1 and x[:, 3].max() <= 2
    assert abs(x[:, 3].mean() - stats.truncnorm.mean(-1, 2)) < 0.02
    assert set(np.unique(x[:, 4])) == {2.0, 3.0}
    assert abs((x[:, 4] == 3).mean() - 0.75) < 0.02


def test_bad_distributions_are_rejected():
    with pytest.raises(ValueError):
        _a("x", {"triangular": [3, 1, 2]})
    with pytest.raises(ValueError):
        _a("x", {"choice": [1, 2], "weights": [1]})


def test_canon_fixes_only_the_assumptions_that_have_one():
    a = [
        schema.Assumption.model_validate({"id": "w", "dist": {"uniform": [0, 1]}, "canon": 0.25}),
        _a("t", {"triangular": [1, 2, 4]}),
    ]
    free = sample(a, 50, seed=4)
    canon = sample(a, 50, seed=4, canon=True)
    assert (canon[:, 0] == 0.25).all() and len(set(free[:, 0])) == 50
    np.testing.assert_array_equal(canon[:, 1], free[:, 1])  # the others keep their draws


@pytest.mark.parametrize("method", ["mc", "sobol"])
def test_extensible_samplers_give_run_i_the_same_draws_for_any_n(method):
    small, big = unit_sample(100, 3, 7, method), unit_sample(200, 3, 7, method)
    np.testing.assert_array_equal(small, big[:100])
    np.testing.assert_array_equal(unit_rows(130, 170, 200, 3, 7, method), big[130:170])


def test_the_latin_hypercube_depends_on_n():
    assert not np.array_equal(unit_sample(100, 3, 7), unit_sample(200, 3, 7)[:100])


def test_sobol_is_balanced_in_each_dimension():
    u = unit_sample(256, 4, 3, "sobol")
    for j in range(4):
        assert (np.histogram(u[:, j], bins=16, range=(0, 1))[0] == 16).all()
