import pytest

from tests.conftest import cli

# Every test runs the command line in a subprocess.
pytestmark = pytest.mark.slow


def test_scenarios_lists_the_shipped_ones():
    r = cli("scenarios")
    assert r.returncode == 0, r.stderr
    assert "poland_1939" in r.stdout and "world_1939" in r.stdout


def test_map_draws_the_start_and_a_later_date(tmp_path):
    start = tmp_path / "start.png"
    r = cli("map", "poland_1939", "--out", str(start))
    assert r.returncode == 0, r.stderr
    assert start.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    later = tmp_path / "later.svg"
    r = cli("map", "poland_1939", "--date", "1939-10-01", "--out", str(later))
    assert r.returncode == 0, r.stderr
    assert "<svg" in later.read_text()


def test_map_rejects_a_bad_date_and_suffix(tmp_path):
    r = cli("map", "poland_1939", "--date", "1939-13-01", "--out", str(tmp_path / "m.png"))
    assert r.returncode == 2 and "not a date" in r.stderr and "Traceback" not in r.stderr
    r = cli("map", "poland_1939", "--out", str(tmp_path / "m.gif"))
    assert r.returncode == 2 and ".png or .svg" in r.stderr


def test_unknown_scenario_is_one_clear_message():
    r = cli("validate", "atlantis_1939")
    assert r.returncode == 2 and "no scenario folder or shipped scenario" in r.stderr
    assert "Traceback" not in r.stderr


def _copy(src, dst):
    import shutil

    shutil.copytree(src, dst)
    return dst


def test_plausibility_judges_finished_results(small_ensemble, tmp_path):
    import csv

    res = _copy(small_ensemble, tmp_path / "res")
    r = cli("plausibility", "poland_1939", "--results", str(res))
    assert r.returncode == 0, r.stderr
    with (res / "plausibility.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [x["id"] for x in rows] == [
        "warsaw_falls",
        "poland_capitulates",
        "soviet_entry_fired",
        "lwow_not_polish",
        "german_polish_dead",
    ]
    assert all(x["runs"] == "64" for x in rows)
    assert "warsaw_falls" in r.stdout and "95% interval" in r.stdout


def test_plausibility_runs_a_canon_ensemble(tmp_path):
    import json

    out = tmp_path / "o"
    r = cli(
        "plausibility", "poland_1939", "--runs", "4", "--until", "1939-09-05",
        "--workers", "1", "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "ensemble.json").read_text())["canon"] is True
    text = (out / "plausibility.csv").read_text()
    assert "before the window closes" in text  # the runs stop on 5 September


def test_plausibility_bad_input_is_one_clear_message(small_ensemble, tmp_path):
    import shutil

    from twinvipers.scenario.load import SHIPPED

    r = cli("plausibility", "poland_1939", "--results", str(tmp_path))
    assert r.returncode == 2 and "not a results directory" in r.stderr
    r = cli("plausibility", "poland_1939", "--results", str(small_ensemble), "--out", str(tmp_path))
    assert r.returncode == 2 and "not both" in r.stderr
    bare = tmp_path / "bare"
    shutil.copytree(SHIPPED / "poland_1939", bare)
    (bare / "checkpoints.yaml").unlink()
    r = cli("plausibility", str(bare), "--results", str(small_ensemble))
    assert r.returncode == 2 and "no checkpoints" in r.stderr
    other = tmp_path / "other"
    shutil.copytree(SHIPPED / "poland_1939", other)
    meta = (other / "meta.yaml").read_text().replace("id: poland_1939", "id: other_1939")
    (other / "meta.yaml").write_text(meta)
    r = cli("plausibility", str(other), "--results", str(small_ensemble))
    assert r.returncode == 2 and "not of 'other_1939'" in r.stderr
    assert "Traceback" not in r.stderr
