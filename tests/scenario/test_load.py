import shutil
from pathlib import Path

import pytest

from tests.conftest import cli
from twinvipers.scenario.errors import ScenarioError
from twinvipers.scenario.load import SHIPPED, load, shipped_names


def test_shipped_scenarios_validate():
    assert "poland_1939" in shipped_names()
    loaded = load("poland_1939")
    assert len(loaded.scenario.regions) >= 16
    assert loaded.hash == load(SHIPPED / "poland_1939").hash


def _plant(tmp_path: Path) -> Path:
    """A copy of the built-in scenario with five mistakes in three files."""
    d = tmp_path / "broken"
    shutil.copytree(SHIPPED / "poland_1939", d)
    meta = (d / "meta.yaml").read_text().replace("end: 1939-11-30", "end: 1939-08-01")
    (d / "meta.yaml").write_text(meta)  # 1: end before start
    regions = (d / "regions.yaml").read_text()
    regions = regions.replace("{id: lodz, name: Łódź,", "{id: lodz, name: Łódź, swamp: 3,")  # 2
    regions = regions.replace("population: 2298", "population: -5")  # 3: negative
    (d / "regions.yaml").write_text(regions)
    forces = (d / "forces.yaml").read_text()
    forces = forces.replace("region: bialystok,", "region: atlantis,")  # 4: dangling
    forces = forces.replace("men: 45000", "men: lots")  # 5: wrong type
    (d / "forces.yaml").write_text(forces)
    return d


def test_five_planted_mistakes_are_all_located(tmp_path):
    d = _plant(tmp_path)
    with pytest.raises(ScenarioError) as info:
        load(d)
    errors = info.value.errors
    assert len(errors) == 5, "\n".join(map(str, errors))
    by_file = {}
    for e in errors:
        by_file.setdefault(Path(e.file).name, []).append(e)
        assert e.line > 0 and e.column > 0
    assert set(by_file) == {"meta.yaml", "regions.yaml", "forces.yaml"}
    text = "\n".join(map(str, errors))
    assert "unknown key" in text and "swamp" in text
    assert "-5 thousand people is outside the range 0 to" in text
    assert "unknown region 'atlantis'" in text
    assert "valid number" in text
    assert "must be after start" in text
    # The line numbers point at the planted lines.
    lines = (d / "forces.yaml").read_text().splitlines()
    for e in by_file["forces.yaml"]:
        assert "atlantis" in lines[e.line - 1] or "lots" in lines[e.line - 1]


@pytest.mark.slow  # a subprocess
def test_validate_command_prints_located_errors_and_exits_2(tmp_path):
    d = _plant(tmp_path)
    r = cli("validate", str(d))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    located = [ln for ln in r.stderr.splitlines() if ".yaml:" in ln]
    assert len(located) == 5
    assert "5 errors" in r.stderr
    assert "forces.yaml" in r.stderr and "regions.yaml" in r.stderr and "meta.yaml" in r.stderr


@pytest.mark.slow  # a subprocess
def test_debug_shows_a_traceback(tmp_path):
    r = cli("--debug", "validate", str(_plant(tmp_path)))
    assert r.returncode != 0 and "Traceback" in r.stderr


def test_unreadable_yaml_is_located(tmp_path):
    d = tmp_path / "s"
    shutil.copytree(SHIPPED / "poland_1939", d)
    (d / "leaders.yaml").write_text("- {id: a, name: [unclosed\n")
    with pytest.raises(ScenarioError) as info:
        load(d)
    (e,) = info.value.errors
    assert e.file.endswith("leaders.yaml") and "invalid YAML" in e.message


def test_duplicate_ids_and_unknown_files(tmp_path):
    d = tmp_path / "s"
    shutil.copytree(SHIPPED / "poland_1939", d)
    text = (d / "leaders.yaml").read_text()
    (d / "leaders.yaml").write_text(text + "- {id: list, name: Dup, power: GER, source: kennedy}\n")
    (d / "fleet.yaml").write_text("[]\n")
    with pytest.raises(ScenarioError) as info:
        load(d)
    msgs = [str(e) for e in info.value.errors]
    assert any("duplicate id 'list'" in m for m in msgs)
    assert any("unknown scenario file 'fleet.yaml'" in m for m in msgs)


def test_extends_merges_by_id(tmp_path):
    d = tmp_path / "child"
    d.mkdir()
    (d / "meta.yaml").write_text(
        f"id: child\nname: Child\nstart: 1939-08-25\nend: 1939-10-01\nextends: {SHIPPED / 'poland_1939'}\n"
    )
    (d / "leaders.yaml").write_text(
        '- {id: gamelin, name: Maurice Gamelin, power: FRA, skill: 1.5, source: "a judgement, for the test"}\n'
        '- {id: georges, name: Alphonse Georges, power: FRA, skill: 3, source: "a judgement, for the test"}\n'
    )
    s = load(d).scenario
    base = load("poland_1939").scenario
    assert len(s.regions) == len(base.regions)
    leaders = {ld.id: ld for ld in s.leaders}
    assert leaders["gamelin"].skill == 1.5 and "georges" in leaders
    assert len(s.leaders) == len(base.leaders) + 1
    assert s.meta.id == "child"


def test_extends_cycle_is_an_error(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for me, other in ((a, b), (b, a)):
        me.mkdir()
        (me / "meta.yaml").write_text(
            f"id: {me.name}\nname: x\nstart: 1939-01-01\nend: 1939-02-01\nextends: {other}\n"
        )
    with pytest.raises(ScenarioError, match="cycle"):
        load(a)


@pytest.mark.slow  # a subprocess
def test_schema_command_writes_json_schema(tmp_path):
    import json

    r = cli("schema", "--out", str(tmp_path / "s.json"))
    assert r.returncode == 0, r.stderr
    schema = json.loads((tmp_path / "s.json").read_text())
    assert "meta" in schema["properties"] and "$defs" in schema
    assert "Region" in schema["$defs"]
