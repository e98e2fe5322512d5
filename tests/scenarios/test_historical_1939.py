"""The shipped scenario historical_1939: it loads, its events are sourced and its terms complete."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from tests.scenarios import scenario_checks as checks
from twinvipers.scenario.load import load

NAME = "historical_1939"
#: The checkpoint kinds the history fact sheet calls for (shared/history/checkpoints.md).
REQUIRED_KINDS = {"held", "capitulates", "war_lasts", "fired", "casualty_ratio"}
#: Regions the Moscow Peace ceded that the map holds (Hanko and Rybachy have none of their own).
CEDED_BY_FINLAND = {"viipuri", "summa", "taipale", "terijoki", "kakisalmi", "sortavala"}


@cache
def scenario():
    return load(NAME).scenario


def test_extends_the_1939_world_to_april_1940():
    s = scenario()
    assert s.meta.extends == "world_1939"
    assert s.meta.start == dt.date(1939, 6, 27)
    assert s.meta.end == dt.date(1940, 4, 30)


def test_every_event_names_a_known_source():
    checks.assert_events_sourced(scenario())


def test_checkpoint_kinds_and_sources():
    s = scenario()
    assert REQUIRED_KINDS.issubset({checks.kind(c) for c in s.checkpoints})
    for c in s.checkpoints:
        assert checks.field(c, "source"), checks.field(c, "id")


def test_references_in_new_effects_and_checkpoints_exist():
    assert checks.dangling_references(scenario()) == []


def test_forces_off_the_map_are_placed_by_an_event():
    assert checks.unplaced_forces(scenario()) == []


def test_poland_partition_divides_every_polish_region():
    s = scenario()
    polish = {r.id for r in s.regions if r.owner == "POL"}
    partition = checks.event(s, "poland_partition")
    moved = [
        e["transfer_region"]["region"] for e in checks.effects(partition) if "transfer_region" in e
    ]
    assert sorted(moved) == sorted(polish)
    # Drawn after a full surrender (terms would leave the Polish army under arms).
    assert checks.field(partition.trigger, "gives_up") is None
    assert {"not": {"at_war": ("GER", "POL")}} in checks.field(partition.trigger, "all")


def test_moscow_peace_is_the_terms_finland_accepts():
    terms = checks.event(scenario(), "moscow_peace")
    assert checks.field(terms.trigger, "gives_up") == "FIN"
    effects = checks.effects(terms)
    assert {"a": "SOV", "b": "FIN"} in [e["peace"] for e in effects if "peace" in e]
    ceded = {e["transfer_region"]["region"] for e in effects if "transfer_region" in e}
    assert CEDED_BY_FINLAND.issubset(ceded)
    assert all(e["transfer_region"]["to"] == "SOV" for e in effects if "transfer_region" in e)


@pytest.mark.parametrize(
    ("event", "date"),
    [
        ("soviet_august_offensive", dt.date(1939, 8, 20)),
        ("nomonhan_ceasefire", dt.date(1939, 9, 16)),
        ("fall_weiss", dt.date(1939, 9, 1)),
        ("soviet_entry", dt.date(1939, 9, 17)),
        ("winter_war", dt.date(1939, 11, 30)),
    ],
)
def test_history_decisions_fall_on_their_days(event, date):
    assert checks.field(checks.event(scenario(), event).trigger, "date") == date
