"""What judging a scenario's checkpoints needs from it beside the results tables."""

from __future__ import annotations

from typing import Any

from twinvipers.scenario.schema import Scenario


def judging_context(s: Scenario) -> dict[str, Any]:
    """The wars in progress on the start date and the events carrying a power's terms.

    A ``war_lasts`` checkpoint counts a war already under way from its ``since`` date (or the
    start); a ``capitulates`` checkpoint also counts a power giving up on terms, which is the
    firing of an event with a ``gives_up`` trigger. Recorded in ``ensemble.json`` so that a
    results directory can be judged without its scenario folder.
    """
    wars = [
        {"a": w.a, "b": w.b, "since": (w.since or s.meta.start).isoformat()}
        for w in s.diplomacy.wars
    ]
    gives_up: dict[str, list[str]] = {}
    for e in s.events:
        power = getattr(e.trigger, "gives_up", None)  # the trigger the engine side adds
        if isinstance(power, str):
            gives_up.setdefault(power, []).append(e.id)
    return {"wars_at_start": wars, "gives_up_events": gives_up}
