"""The safe loader, the schema's bounds and the logical checks."""

import os
import shutil

import pytest

from tests.conftest import scenario_variant
from twinvipers.scenario import load as load_mod
from twinvipers.scenario.errors import ScenarioError
from twinvipers.scenario.load import SHIPPED, load, read_yaml

POLAND = SHIPPED / "poland_1939"


def _error(path, text=None, data=None):
    if text is not None:
        path.write_text(text)
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(ScenarioError) as info:
        read_yaml(path)
    (e,) = info.value.errors
    return e


def test_merge_keys_are_supported_and_explicit_keys_win(tmp_path):
    f = tmp_path / "m.yaml"
    f.write_text("base: &b {men: 1, tanks: 2}\nforce:\n  <<: *b\n  tanks: 3\n")
    value, pos = read_yaml(f)
    assert value["force"] == {"tanks": 3, "men": 1}
    assert pos.children["force"].children["tanks"].line == 4


@pytest.mark.parametrize(
    "text, line, message",
    [
        ('a: 1\nb: !!int "seven"\n', 2, "is not a valid !!int"),
        ("a: 1\nb: !!binary aGVsbG8=\n", 2, "tag !!binary is not allowed"),
        ("a: !!set {x, y}\n", 1, "tag !!set is not allowed"),
        ("a: !!python/object:os.system ls\n", 1, "is not allowed"),
        ("a: 1\nb:\n  c: !custom 3\n", 3, "tag !custom is not allowed"),
        ("a: 1\nb: [" + "[" * 1000 + "]" * 1000 + "]\n", 2, "nested deeper than 64"),
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
        ("a: 1\n? [1, 2]\n: 3\n", 2, "plain value"),
        ("a: 1\nb: \x07\n", 2, "control characters"),
    ],
)
def test_yaml_problems_are_located_on_their_true_line(tmp_path, text, line, message):
    f = tmp_path / "x.yaml"
    e = _error(f, text)
    assert e.file == str(f) and e.line == line and message in e.message, str(e)


def test_deep_nesting_and_an_alias_bomb_fail_fast(tmp_path):
    e = _error(tmp_path / "deep.yaml", "a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert "nested deeper" in e.message
    bomb = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"l{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * 10) + "]" for k in range(1, 9)
    ]
    e = _error(tmp_path / "bomb.yaml", "\n".join(bomb) + "\n")
    assert "aliases are expanded" in e.message


def test_bad_encoding_is_located_at_the_byte(tmp_path):
    e = _error(tmp_path / "x.yaml", data=b"a: 1\nb: caf\xe9\n")
    assert (e.line, e.column) == (2, 7) and "not UTF-8" in e.message


def test_only_regular_files_are_read(tmp_path, monkeypatch):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    assert "not a regular file" in _error(fifo).message
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    assert "not a regular file" in _error(zero).message
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop.name)
    assert "cannot read" in _error(loop).message
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(load_mod.MAX_FILE_BYTES + 1)
    assert "the limit is" in _error(big).message


@pytest.mark.parametrize("how", ["folder", "loop", "fifo", "empty"])
def test_a_list_file_that_is_not_a_file_is_an_error_not_zero_items(tmp_path, how):
    d = tmp_path / "s"
    shutil.copytree(POLAND, d)
    f = d / "forces.yaml"
    f.unlink()
    if how == "folder":
        f.mkdir()
    elif how == "loop":
        f.symlink_to(f.name)
    elif how == "fifo":
        os.mkfifo(f)
    else:
        f.write_text("")
    with pytest.raises(ScenarioError) as info:
        load(d)
    assert any(e.file.endswith("forces.yaml") for e in info.value.errors), info.value


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("men: 170000", "men: .inf", "finite"),
        ("men: 170000", "men: .nan", "finite"),
        ("men: 170000", "men: 1e308", "men is outside the range 0 to 1e+07 men"),
        ("men: 170000", "men: true", "true/false is not allowed"),
        ("tanks: 300", "tanks: -3", "tanks is outside the range"),
    ],
)
def test_numbers_are_finite_and_bounded_with_their_unit(tmp_path, old, new, message):
    forces = (POLAND / "forces.yaml").read_text()
    assert old in forces
    d = scenario_variant(tmp_path, POLAND, "s", forces=forces.replace(old, new, 1))
    with pytest.raises(ScenarioError) as info:
        load(d)
    (e,) = info.value.errors
    assert message in e.message and e.file.endswith("forces.yaml") and e.line > 0, str(e)


def test_true_is_not_an_integer_and_dates_stay_in_range(tmp_path):
    meta = (POLAND / "meta.yaml").read_text()
    assert "snapshot_every: 7" in meta
    d = scenario_variant(
        tmp_path, POLAND, "a", meta=meta.replace("snapshot_every: 7", "snapshot_every: true")
    )
    with pytest.raises(ScenarioError, match="true/false"):
        load(d)
    d = scenario_variant(
        tmp_path, POLAND, "b", meta=meta.replace("end: 1939-11-30", "end: 9999-12-31")
    )
    with pytest.raises(ScenarioError, match="outside the years"):
        load(d)


def test_set_effects_are_held_to_their_fields_bounds(tmp_path):
    events = (POLAND / "events.yaml").read_text()
    extra = (
        "\n- id: absurd_will\n  trigger: {date: 1939-09-10}\n"
        "  effects: [{set: {power: POL, field: will, value: 50}}]\n"
    )
    d = scenario_variant(tmp_path, POLAND, "s", events=events + extra)
    with pytest.raises(ScenarioError, match="will must lie in 0 to 2"):
        load(d)


def test_logical_contradictions_are_located(tmp_path):
    d = tmp_path / "s"
    shutil.copytree(POLAND, d)
    edges = (d / "edges.yaml").read_text()
    (d / "edges.yaml").write_text(edges + "- {a: warsaw, b: warsaw}\n")
    with pytest.raises(ScenarioError) as info:
        load(d)
    (e,) = info.value.errors
    assert "to itself" in e.message and e.line == len(edges.splitlines()) + 1


def test_shipped_scenarios_pass_the_logical_checks():
    for name in load_mod.shipped_names():
        load(name)


def test_assumptions_must_draw_within_what_they_set(tmp_path):
    assumptions = (POLAND / "assumptions.yaml").read_text()
    extra = "- {id: wild, dist: {uniform: [0, 5]}, source: assumption}\n"
    events = (POLAND / "events.yaml").read_text() + (
        "\n- id: wild_will\n  trigger: {date: 1939-09-10}\n"
        "  effects: [{set: {power: POL, field: will, value: {assumption: wild}}}]\n"
    )
    d = scenario_variant(tmp_path, POLAND, "s", assumptions=assumptions + extra, events=events)
    with pytest.raises(ScenarioError) as info:
        load(d)
    (e,) = info.value.errors
    assert "assumption 'wild' draws 0 to 5; this value must lie in 0 to 2" in e.message
    assert e.file.endswith("events.yaml")


def test_a_map_too_large_for_the_engine_is_refused(monkeypatch):
    from twinvipers.scenario import logic

    monkeypatch.setattr(logic, "MAX_REGIONS", 10)
    with pytest.raises(ScenarioError, match="22 land regions; the engine takes at most 10"):
        load(POLAND)
