"""Checks shared by the tests of the shipped timeline scenarios (historical and Twin Vipers).

Events and checkpoints are read through their plain-data dumps, so the checks hold whether an item
is a typed model or (checkpoints before their schema) a mapping.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from twinvipers.scenario import schema

CHECKPOINT_KINDS = ("taken", "held", "capitulates", "war_lasts", "fired", "casualty_ratio")

#: For each effect the loader's reference check may not know yet: field → entity namespace.
EFFECT_REFS: dict[str, dict[str, str]] = {
    "move_fleet": {"fleet": "fleets", "zone": "sea_zones"},
    "blockade": {"fleets": "fleets", "zone": "sea_zones", "target": "powers"},
    "raid": {"fleets": "fleets", "zone": "sea_zones", "target": "powers"},
    "landing": {"force": "forces", "region": "regions", "zone": "sea_zones", "fleets": "fleets"},
    "bombard": {"fleets": "fleets", "region": "regions"},
    "air_campaign": {"air": "air", "region": "regions"},
    "special_weapons": {"power": "powers", "against": "powers", "region": "regions"},
}
CHECKPOINT_REFS = {
    "region": "regions",
    "event": "events",
    "by": "powers",
    "power": "powers",
    "a": "powers",
    "b": "powers",
}


def dump(item: Any) -> Any:
    """Plain data of a model (YAML keys, no unset options) or the item itself."""
    if isinstance(item, BaseModel):
        return item.model_dump(by_alias=True, exclude_none=True, mode="python")
    return item


def field(item: Any, name: str) -> Any:
    """A field of a model or a mapping, None when absent."""
    data = dump(item)
    return data.get(name) if isinstance(data, dict) else None


def kind(checkpoint: Any) -> str:
    """The one checkpoint kind an item carries."""
    kinds = [k for k in CHECKPOINT_KINDS if field(checkpoint, k) is not None]
    assert len(kinds) == 1, f"checkpoint {field(checkpoint, 'id')} has kinds {kinds}"
    return kinds[0]


def event(s: schema.Scenario, ident: str) -> schema.Event:
    """The scenario's event of that id."""
    found = [e for e in s.events if e.id == ident]
    assert len(found) == 1, ident
    return found[0]


def effects(e: schema.Event) -> list[dict[str, Any]]:
    """An event's effects as plain mappings keyed by effect name."""
    return [dump(x) for x in e.effects]


def bibliography(s: schema.Scenario) -> set[str]:
    """Citation keys the scenario defines (meta.sources and bibliography files)."""
    return set(s.meta.sources) | {c.id for c in s.bibliography}


def assert_events_sourced(s: schema.Scenario) -> None:
    """Every event names a source, and a single-token source is a known key."""
    bib = bibliography(s)
    for e in s.events:
        assert e.source, f"event {e.id} names no source"
        assert " " in e.source or e.source in bib, f"event {e.id}: unknown key {e.source}"


def _ids(s: schema.Scenario) -> dict[str, set[str]]:
    """Defined ids by scenario list."""
    return {
        ns: {x.id for x in getattr(s, ns)}
        for ns in ("regions", "sea_zones", "forces", "fleets", "air", "powers", "events")
    }


def dangling_references(s: schema.Scenario) -> list[str]:
    """Names in sea/air effects and in checkpoints that the scenario does not define."""
    ids = _ids(s)
    out = []

    def check(where: str, spec: dict[str, Any], refs: dict[str, str]) -> None:
        for key, ns in refs.items():
            value = spec.get(key)
            for v in value if isinstance(value, list) else [value]:
                if v is not None and v not in ids[ns]:
                    out.append(f"{where}.{key}: {v}")

    for e in s.events:
        for eff in effects(e):
            for name, spec in eff.items():
                if name in EFFECT_REFS:
                    check(f"{e.id}.{name}", spec, EFFECT_REFS[name])
        gives_up = field(e.trigger, "gives_up")
        if gives_up is not None and gives_up not in ids["powers"]:
            out.append(f"{e.id}.gives_up: {gives_up}")
    for c in s.checkpoints:
        check(f"checkpoint {field(c, 'id')}", field(c, kind(c)), CHECKPOINT_REFS)
    return out


def unplaced_forces(s: schema.Scenario) -> list[str]:
    """Forces that start off the map (region: null) and no event places or lands."""
    placed = set()
    for e in s.events:
        for eff in effects(e):
            for name in ("place_force", "landing"):
                if name in eff:
                    placed.add(eff[name]["force"])
    return [f.id for f in s.forces if f.region is None and f.id not in placed]
