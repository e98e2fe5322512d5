"""The shipped scenario twin_vipers_1945: the Twin Vipers to September 1945, free after April 1940."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np

from twinvipers.rules import params as P
from twinvipers.scenario import alignment as AL
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load


@cache
def scenario():
    return load("twin_vipers_1945").scenario


@cache
def parent():
    return load("twin_vipers_1939").scenario


def test_runs_the_seed_s_decisions_to_april_1940_and_the_model_s_to_september_1945():
    s, base = scenario(), parent()
    assert s.meta.extends == "twin_vipers_1939"
    assert (s.meta.start, s.meta.end) == (base.meta.start, dt.date(1945, 9, 2))
    assert s.meta.diverges == dt.date(1940, 5, 1)
    # Every scripted decision of the seed is kept, and none is dated after the divergence.
    assert [e.id for e in s.events] == [e.id for e in base.events]
    assert s.parameters["diplomacy_free"] == 1
    c = compile_scenario(s)
    assert c.free_from == dt.date(1940, 5, 1)
    assert c.params_for(np.zeros((1, len(c.assumptions))))[0][P.DIPLOMACY_FREE] == 1.0


def test_italy_s_choice_is_the_diplomacy_model_s_not_a_script_s():
    s = scenario()
    tags = [p.id for p in s.powers]
    scripted = AL.scripted_powers(s)
    assert not scripted[tags.index("ITA")] and not scripted[tags.index("USA")]
    assert AL.scripted_powers(parent())[tags.index("ITA")]  # the parent scripts it (canon: out)
    italy = next(e for e in s.events if e.id == "italy_joins_allies")
    assert italy.trigger.chance == 0  # never fires


def test_every_new_entry_names_its_source():
    s = scenario()
    assert s.meta.end.isoformat() == "1945-09-02"
    assert any(b.id == "tv45_surrender" for b in s.bibliography)
    italy = next(e for e in s.events if e.id == "italy_joins_allies")
    assert italy.source == "tv_seed"
