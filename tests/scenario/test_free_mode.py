"""Free mode and doctrine in the scenario layer: ``diverges``, ``--free-from``, doctrine arrays."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from twinvipers.scenario import schema
from twinvipers.scenario.compile import NEVER, compile_scenario
from twinvipers.scenario.load import load


def _meta(**kw):
    return schema.Meta(id="m", name="M", start="1939-08-25", end="1939-11-30", **kw)


def test_diverges_lies_within_the_scenario():
    assert _meta(diverges="1939-09-01").diverges == dt.date(1939, 9, 1)
    with pytest.raises(ValidationError, match="must lie within"):
        _meta(diverges="1940-01-01")


def test_free_from_is_the_divergence_or_the_option():
    s = load("poland_1939").scenario
    c = compile_scenario(s)
    assert int(c.world.free_from[0]) == NEVER and c.free_from is None
    c = compile_scenario(s, free_from=dt.date(1939, 9, 1))
    assert c.free_from == dt.date(1939, 9, 1)
    assert int(c.world.free_from[0]) == (dt.date(1939, 9, 1) - s.meta.start).days


def test_doctrine_is_compiled_per_power_with_neutral_defaults():
    c = compile_scenario(load("poland_1939").scenario)
    w = c.world
    fra, ger = c.powers.index("FRA"), c.powers.index("GER")
    assert w.p_aggression[fra] == 0.2  # the scenario's French doctrine
    assert w.p_aggression[ger] == 0.5 and w.p_risk[ger] == 0.5 and w.p_competence[ger] == 1.0


def test_doctrine_figures_of_the_1939_world_name_their_source():
    s = load("world_1939").scenario
    for p in s.powers:
        for field in ("aggressiveness", "risk_tolerance", "competence"):
            if field in p.model_fields_set:
                assert p.sources.get(field), f"{p.id}.{field} names no source"
