import pytest

from twinvipers.analysis import claims
from twinvipers.analysis.compare import compare, newcombe
from twinvipers.analysis.synthetic import END, write_synthetic_results


def test_newcombe_matches_the_published_example():
    # Newcombe (1998), Statistics in Medicine 17:873, table II example (a), method 10.
    lo, hi = newcombe(56, 70, 48, 80)
    assert lo == pytest.approx(0.0524, abs=5e-4) and hi == pytest.approx(0.3339, abs=5e-4)
    lo, hi = newcombe(0, 10, 0, 20)
    assert -1 <= lo < 0 < hi <= 1


def test_compare_two_folders(tmp_path):
    a = write_synthetic_results(tmp_path / "a", runs=20)  # Warsaw German in 15 of 20 runs
    b = write_synthetic_results(tmp_path / "b", runs=40)  # and in 15 of 40
    (row,) = compare(a, b, [f"warsaw held by GER on {END}"])
    assert (row["share_a"], row["share_b"]) == (0.75, 0.375)
    assert row["difference"] == pytest.approx(-0.375)
    assert row["diff_low"] < -0.375 < row["diff_high"] < 0
    with pytest.raises(claims.ClaimError, match="no region"):
        compare(a, b, [f"atlantis held by GER on {END}"])


@pytest.mark.slow
def test_compare_on_the_command_line(tmp_path):
    from tests.conftest import cli

    a = write_synthetic_results(tmp_path / "a", runs=20)
    b = write_synthetic_results(tmp_path / "b", runs=40)
    r = cli("compare", str(a), str(b), "--claim", f"warsaw held by GER on {END}")
    assert r.returncode == 0, r.stderr
    assert "-38 (" in r.stdout
    r = cli("compare", str(a), str(b), "--claim", "warsaw held by")
    assert r.returncode == 2 and "column 15" in r.stderr and "Traceback" not in r.stderr
