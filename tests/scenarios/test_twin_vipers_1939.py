"""The shipped scenario twin_vipers_1939: it loads, each decision quotes the seed and is sourced."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

from tests.scenarios import scenario_checks as checks
from twinvipers.scenario.load import load

NAME = "twin_vipers_1939"
SEED_FILE = Path("seed") / "the-twin-vipers-timeline.txt"
#: Places the timeline's checkpoints name (issue 6, item 3).
CHECKPOINT_REGIONS = {
    "nomonhan", "warsaw", "lwow", "brest_litovsk", "manzhouli", "hailar", "nanning", "canton",
    "petropavlovsk", "alexandrovsk", "summa", "viipuri", "petsamo", "hutou", "harbin",
}  # fmt: skip
#: Sea and air effects the timeline's decisions need, each used at least once.
NEW_EFFECTS = {"move_fleet", "blockade", "raid", "landing", "bombard", "air_campaign",
               "special_weapons"}  # fmt: skip


@cache
def scenario():
    return load(NAME).scenario


def _normal(text: str) -> str:
    """Lower case, straight quotes, single spaces: how a quotation is compared with the seed."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def test_extends_the_1939_world_to_april_1940():
    s = scenario()
    assert s.meta.extends == "world_1939"
    assert s.meta.end == dt.date(1940, 4, 30)


def test_every_event_is_sourced_and_quotes_the_seed():
    s = scenario()
    checks.assert_events_sourced(s)
    for e in s.events:
        assert e.quote.strip(), f"event {e.id} has no quote"


def test_quotes_are_the_seeds_own_words(shared_dir):
    seed = _normal((shared_dir / SEED_FILE).read_text(encoding="utf-8"))
    s = scenario()
    quoted = [(e.id, e.quote) for e in s.events] + [
        (checks.field(c, "id"), checks.field(c, "quote")) for c in s.checkpoints
    ]
    for ident, quote in quoted:
        assert quote, ident
        for part in quote.split("..."):  # an ellipsis marks words left out
            assert _normal(part) in seed, f"{ident}: {part!r} is not in the seed"


def test_checkpoints_cover_the_timelines_places():
    s = scenario()
    regions = {checks.field(checks.field(c, checks.kind(c)), "region") for c in s.checkpoints}
    assert CHECKPOINT_REGIONS.issubset(regions)
    for c in s.checkpoints:
        assert checks.field(c, "source"), checks.field(c, "id")
        assert checks.kind(c) in {"taken", "held"}


def test_references_in_new_effects_and_checkpoints_exist():
    assert checks.dangling_references(scenario()) == []


def test_forces_off_the_map_are_placed_by_an_event():
    assert checks.unplaced_forces(scenario()) == []


def test_the_sea_and_air_decisions_use_the_new_effects():
    used = {name for e in scenario().events for eff in checks.effects(e) for name in eff}
    assert NEW_EFFECTS.issubset(used)


def test_choices_carry_the_timelines_canon():
    s = scenario()
    canon = {a.id: checks.field(a, "canon") for a in s.assumptions}
    assert canon["italy_joins_allies"] == 0
    assert canon["china_joins_axis"] == 0


def test_no_ship_is_counted_twice():
    """Rodney, Malaya, Graf Spee and Deutschland sail only in the squadrons the seed sends."""
    names = [n for f in scenario().fleets for n in f.capital_ships]
    for ship in ("Rodney", "Malaya", "Deutschland", "Admiral Graf Spee"):
        assert names.count(ship) == 1, ship
