from pathlib import Path

import pytest

from twinvipers.scenario import schema
from twinvipers.scenario.checkpoints import judging_context
from twinvipers.scenario.errors import ScenarioError
from twinvipers.scenario.load import load


def _extending(tmp_path: Path, checkpoints: str, assumptions: str | None = None) -> Path:
    """A scenario extending poland_1939 with its own checkpoints (and assumptions)."""
    d = tmp_path / "ext"
    d.mkdir()
    (d / "meta.yaml").write_text(
        "id: ext\nname: Extended\nstart: 1939-08-25\nend: 1939-11-30\nextends: poland_1939\n"
    )
    (d / "checkpoints.yaml").write_text(checkpoints)
    if assumptions is not None:
        (d / "assumptions.yaml").write_text(assumptions)
    return d


def test_poland_checkpoints_are_typed():
    s = load("poland_1939").scenario
    kinds = {cp.id: schema.checkpoint_kind(cp) for cp in s.checkpoints}
    assert kinds == {
        "warsaw_falls": "taken",
        "poland_capitulates": "capitulates",
        "soviet_entry_fired": "fired",
        "lwow_not_polish": "held",
        "german_polish_dead": "casualty_ratio",
    }
    held = next(cp for cp in s.checkpoints if cp.id == "lwow_not_polish")
    assert str(held.held.on) == "1939-10-15"  # a bare YAML `on` key is not read as true
    assert all(cp.source for cp in s.checkpoints)


def test_an_extending_scenario_replaces_a_checkpoint_by_id_and_adds_others(tmp_path):
    d = _extending(
        tmp_path,
        "- {id: warsaw_falls, taken: {region: warsaw, by: [GER, SOV], until: 1939-10-10}}\n"
        "- {id: war_ends, war_lasts: {a: GER, b: POL, days: [20, 50]}}\n",
    )
    s = load(d).scenario
    ids = [cp.id for cp in s.checkpoints]
    assert ids.count("warsaw_falls") == 1 and "war_ends" in ids and len(ids) == 6
    warsaw = next(cp for cp in s.checkpoints if cp.id == "warsaw_falls")
    assert warsaw.taken.by == ["GER", "SOV"]


BAD = """\
- {id: a, taken: {region: atlantis, by: [GER], until: 1939-09-30}}
- {id: b, held: {region: warsaw, by: [XXX], on: 1939-10-01}}
- {id: c, fired: {event: no_such_event, until: 1939-09-30}}
- {id: d, capitulates: {power: POL, after: 1939-09-01, days: [40, 20]}}
- {id: e, taken: {region: warsaw, by: [GER], until: 1941-01-01}}
- {id: f, taken: {region: warsaw, by: [GER], until: 1939-09-30}, held: {region: warsaw, by: [GER], on: 1939-09-30}}
- {id: a, war_lasts: {a: GER, b: POL, days: [1, 2]}}
- {id: g, casualty_ratio: {a: GER, b: POL, range: [0.1, 0.5]}, source: nowhere_key}
"""


def test_checkpoint_mistakes_are_located(tmp_path):
    d = _extending(tmp_path, BAD)
    with pytest.raises(ScenarioError) as info:
        load(d)
    errors = info.value.errors
    assert all(Path(e.file).name == "checkpoints.yaml" for e in errors), errors
    by_line = {e.line: str(e) for e in errors}
    assert "unknown region 'atlantis'" in by_line[1]
    assert "unknown power 'XXX'" in by_line[2]
    assert "unknown event 'no_such_event'" in by_line[3]
    assert "range ends before it starts" in by_line[4]
    assert "outside the scenario" in by_line[5] and ".taken.until: date 1941-01-01" in by_line[5]
    assert "exactly one of" in by_line[6]
    assert "duplicate id 'a'" in by_line[7]
    assert "unknown source key 'nowhere_key'" in by_line[8]
    assert len(errors) == 8, "\n".join(map(str, errors))


def test_canon_must_be_a_value_the_distribution_can_draw(tmp_path):
    d = _extending(
        tmp_path,
        "[]\n",
        "- {id: polish_will, dist: {triangular: [0.7, 1.0, 1.3]}, canon: 1.5}\n"
        "- {id: soviet_entry, dist: {choice: [0.5, 0.9]}, canon: 0.7}\n",
    )
    with pytest.raises(ScenarioError) as info:
        load(d)
    text = "\n".join(map(str, info.value.errors))
    assert text.count("assumptions.yaml:") == 2 and text.count("outside the distribution") == 2


@pytest.mark.parametrize(
    ("dist", "inside", "outside"),
    [
        ({"fixed": 0.9}, 0.9, 1.0),
        ({"uniform": [1, 2]}, 2.0, 2.01),
        ({"triangular": [0, 1, 3]}, 0.0, -0.1),
        ({"truncnormal": [1, 1, 0, 2]}, 1.7, 2.5),
        ({"choice": [1, 3]}, 3.0, 2.0),
    ],
)
def test_canon_support_per_distribution(dist, inside, outside):
    ok = schema.Assumption.model_validate({"id": "a", "dist": dist, "canon": inside})
    assert ok.canon == inside
    with pytest.raises(ValueError, match="outside the distribution"):
        schema.Assumption.model_validate({"id": "a", "dist": dist, "canon": outside})


def test_judging_context_records_wars_at_start():
    s = load("poland_1939").scenario
    ctx = judging_context(s)
    assert ctx["gives_up_events"] == {}
    assert len(ctx["wars_at_start"]) == len(s.diplomacy.wars)


def test_inherited_checkpoints_beyond_a_shorter_calendar_are_not_errors(tmp_path):
    d = tmp_path / "short"
    d.mkdir()
    (d / "meta.yaml").write_text(
        "id: short\nname: Short\nstart: 1939-08-25\nend: 1939-10-01\nextends: poland_1939\n"
    )
    assert len(load(d).scenario.checkpoints) == 5  # lwow_not_polish is dated 15 October
    (d / "checkpoints.yaml").write_text(
        "- {id: late, held: {region: warsaw, by: [GER], on: 1939-10-15}}\n"
    )
    with pytest.raises(ScenarioError, match="outside the scenario") as info:
        load(d)
    assert len(info.value.errors) == 1  # its own checkpoint only
