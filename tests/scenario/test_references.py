"""Authoring help: unknown ids come with a guess and where to look them up."""

import shutil

import pytest

from twinvipers.scenario.errors import ScenarioError
from twinvipers.scenario.load import SHIPPED, load
from twinvipers.scenario.references import did_you_mean, scenario_ids


def _variant(tmp_path, old, new):
    d = tmp_path / "s"
    shutil.copytree(SHIPPED / "poland_1939", d)
    text = (d / "events.yaml").read_text()
    assert old in text
    (d / "events.yaml").write_text(text.replace(old, new, 1))
    return d


def _messages(path):
    with pytest.raises(ScenarioError) as exc:
        load(path)
    return [str(e) for e in exc.value.errors]


def test_an_unknown_power_gets_a_guess_and_the_lookup_command(tmp_path):
    msgs = _messages(
        _variant(tmp_path, "{region: warsaw, power: POL}", "{region: warsaw, power: POLX}")
    )
    assert any(
        "unknown power 'POLX'; did you mean 'POL'?" in m and "twinvipers ids" in m for m in msgs
    )


def test_a_lower_case_tag_says_what_a_tag_looks_like(tmp_path):
    msgs = _messages(_variant(tmp_path, "power: GER, target: warsaw", "power: ger, target: warsaw"))
    assert any("'ger' is not a power tag" in m and "did you mean 'GER'?" in m for m in msgs)
    assert not any("^[A-Z]" in m for m in msgs)  # no regular expression for the user to read


def test_did_you_mean_finds_case_spelling_and_substring():
    known = {"warsaw", "east_prussia", "lwow", "GER"}
    assert did_you_mean("warsw", known) == ["warsaw"]
    assert did_you_mean("ger", known) == ["GER"]
    assert did_you_mean("prussia", known) == ["east_prussia"]
    assert did_you_mean("zzzz", known) == []


def test_scenario_ids_lists_every_kind_with_names():
    s = load("poland_1939").scenario
    found = list(scenario_ids(s))
    kinds = {k for k, _, _ in found}
    assert {"region", "power", "force", "event", "assumption"} <= kinds
    assert ("region", "warsaw") in {(k, i) for k, i, _ in found}
    assert len([1 for k, _, _ in found if k == "region"]) == len(s.regions)
