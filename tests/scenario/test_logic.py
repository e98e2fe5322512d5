"""Events dated outside the scenario's span are flagged where they are written."""

import shutil

import pytest

from twinvipers.scenario.errors import ScenarioError
from twinvipers.scenario.load import SHIPPED, load


@pytest.mark.parametrize(
    "date, says",
    [("1941-09-01", "is after the scenario ends"), ("1939-01-25", "is before the scenario starts")],
)
def test_an_event_dated_outside_the_scenario_is_an_error(tmp_path, date, says):
    d = tmp_path / "s"
    shutil.copytree(SHIPPED / "poland_1939", d)
    text = (d / "events.yaml").read_text()
    assert "trigger: {date: 1939-09-01}" in text
    (d / "events.yaml").write_text(
        text.replace("trigger: {date: 1939-09-01}", f"trigger: {{date: {date}}}", 1)
    )
    with pytest.raises(ScenarioError) as exc:
        load(d)
    msgs = [str(e) for e in exc.value.errors]
    assert len(msgs) == 1 and says in msgs[0] and "events.yaml:" in msgs[0]
