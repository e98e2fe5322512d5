from tests.conftest import cli


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
