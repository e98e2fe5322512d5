"""Cross-reference checks: duplicate ids, dangling references, unknown source keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from twinvipers.scenario import schema
from twinvipers.scenario.errors import Located

# Reference fields by (model, field) → the namespace they point into.
_REFS: dict[type[BaseModel], dict[str, str]] = {
    schema.Power: {"capital": "region"},
    schema.Region: {"owner": "power", "controller": "power"},
    schema.Edge: {"a": "place", "b": "place"},
    schema.Force: {"power": "power", "region": "region", "leader": "leader"},
    schema.Fleet: {"power": "power", "base": "region", "zone": "sea_zone"},
    schema.AirForce: {"power": "power", "region": "region"},
    schema.Leader: {"power": "power"},
    schema.Treaty: {"members": "power"},
    schema.War: {"a": "power", "b": "power"},
    schema.ControllerIs.Spec: {"region": "region", "power": "power"},
    schema.AtWar: {"at_war": "power"},
    schema.Fired: {"fired": "event"},
    schema.AssumptionRef: {"assumption": "assumption"},
    schema.DeclareWar.Spec: {"actor": "power", "target": "power"},
    schema.MakePeace.Spec: {"a": "power", "b": "power"},
    schema.JoinAlliance.Spec: {"power": "power", "treaty": "treaty"},
    schema.TransferRegion.Spec: {"region": "region", "to": "power"},
    schema.Offer.Spec: {"by": "power", "to": "power", "regions": "region"},
    schema.PlaceForce.Spec: {"force": "force", "region": "region"},
    schema.MoveForce.Spec: {"force": "force", "to": "region"},
    schema.RemoveForce.Spec: {"force": "force"},
    schema.Mobilise.Spec: {"power": "power"},
    schema.Offensive.Spec: {"power": "power", "target": "region", "forces": "force"},
    schema.ReplaceLeader.Spec: {"old": "leader", "new": "leader"},
    schema.SetNumber.Spec: {"power": "power", "region": "region"},
    schema.Taken.Spec: {"region": "region", "by": "power"},
    schema.Held.Spec: {"region": "region", "by": "power"},
    schema.Capitulates.Spec: {"power": "power"},
    schema.WarLasts.Spec: {"a": "power", "b": "power"},
    schema.FiredCheckpoint.Spec: {"event": "event"},
    schema.CasualtyRatio.Spec: {"a": "power", "b": "power"},
    schema.GivesUp: {"gives_up": "power"},
    schema.MoveFleet.Spec: {"fleet": "fleet", "zone": "sea_zone"},
    schema.FleetsOrder: {"fleets": "fleet", "zone": "sea_zone", "target": "power"},
    schema.Landing.Spec: {
        "force": "force",
        "region": "region",
        "zone": "sea_zone",
        "fleets": "fleet",
    },
    schema.Evacuate.Spec: {
        "force": "force",
        "region": "region",
        "zone": "sea_zone",
        "to": "region",
        "fleets": "fleet",
    },
    schema.Bombard.Spec: {"fleets": "fleet", "region": "region"},
    schema.AirCampaign.Spec: {"air": "air", "region": "region"},
    schema.SpecialWeapons.Spec: {"power": "power", "against": "power", "region": "region"},
    schema.Alignment: {"power": "power"},
    schema.Economy: {"id": "power"},
    schema.TradeRoute: {
        "exporter": "power",
        "importer": "power",
        "rail": "region",
        "sea": "sea_zone",
    },
    schema.Campaign: {"a": "power", "b": "power"},
}

# Mapping fields whose keys are references: (model, field) → the namespace of the keys.
_KEY_REFS: dict[type[BaseModel], dict[str, str]] = {
    schema.Alignment: {"affinity": "power", "claims": "region"},
    schema.Stakeholder: {"positions": "power"},
}

# Checkpoint dates that must fall within the scenario: (spec model, field) pairs.
_CHECKPOINT_DATES: dict[type[BaseModel], tuple[str, ...]] = {
    schema.Taken.Spec: ("from_", "until"),
    schema.Held.Spec: ("on",),
    schema.Capitulates.Spec: ("after",),
    schema.FiredCheckpoint.Spec: ("from_", "until"),
    schema.CasualtyRatio.Spec: ("until",),
}


def _own_file(label: str, root: Path) -> bool:
    """True when a file is the scenario's own rather than inherited through ``extends``."""
    return Path(label).resolve().is_relative_to(Path(root).resolve())


def _dates_outside(
    meta: Any, model: BaseModel, path: tuple[Any, ...]
) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Checkpoint dates outside the scenario's calendar: (YAML path, message).

    Only a scenario's own checkpoints are checked: one that extends another with a shorter
    calendar cannot drop what it inherits, and judging flags windows the runs do not reach.
    """
    start, end = getattr(meta, "start", None), getattr(meta, "end", None)
    if start is None or end is None:
        return
    for attr in _CHECKPOINT_DATES.get(type(model), ()):
        d = getattr(model, attr)
        if d is not None and not start <= d <= end:
            sub = (*path, type(model).model_fields[attr].alias or attr)
            yield sub, f"date {d} is outside the scenario ({start} to {end})"


_NAMESPACE_NAMES = {"place": "region or sea zone", "sea_zone": "sea zone"}


def scenario_ids(scenario: schema.Scenario) -> Iterator[tuple[str, str, str]]:
    """Every id a scenario file may name: (kind, id, name or description)."""
    lists = {
        "region": scenario.regions,
        "sea_zone": scenario.sea_zones,
        "power": scenario.powers,
        "force": scenario.forces,
        "fleet": scenario.fleets,
        "leader": scenario.leaders,
        "treaty": scenario.diplomacy.treaties,
        "event": scenario.events,
        "assumption": scenario.assumptions,
    }
    for kind, items in lists.items():
        for item in items:
            label = getattr(item, "name", "") or getattr(item, "description", "") or ""
            extra = ""
            if (
                kind in ("region", "force")
                and getattr(item, "owner", None)
                or getattr(item, "power", None)
            ):
                extra = f" [{getattr(item, 'owner', None) or getattr(item, 'power', '')}]"
            yield kind, item.id, " ".join(str(label).split()) + extra


def did_you_mean(value: str, known: set[str]) -> list[str]:
    """Known ids close to ``value``: the same but for case, then close spellings."""
    import difflib

    same = sorted(k for k in known if k.lower() == str(value).lower())
    close = difflib.get_close_matches(str(value), sorted(known), n=3, cutoff=0.6)
    by_name = [k for k in sorted(known) if len(str(value)) >= 3 and str(value).lower() in k.lower()]
    return list(dict.fromkeys(same + close + by_name[:3]))[:3]


def _hint(value: str, known: set[str], ns: str) -> str:
    """``; did you mean 'x'?`` and where to look the ids up."""
    kind = {"place": "region", "sea_zone": "sea_zone"}.get(ns, ns)
    lookup = f" (twinvipers ids SCENARIO --kind {kind} lists them)" if kind in IDS_KINDS else ""
    guesses = did_you_mean(value, known)
    if not guesses:
        return lookup
    return "; did you mean " + " or ".join(repr(g) for g in guesses) + "?" + lookup


#: The kinds ``twinvipers ids`` lists.
IDS_KINDS = (
    "region",
    "sea_zone",
    "power",
    "force",
    "fleet",
    "leader",
    "treaty",
    "event",
    "assumption",
)


def _walk(obj: Any, path: tuple[Any, ...]) -> Iterator[tuple[BaseModel, tuple[Any, ...]]]:
    """Yield every model nested in obj with its path (by YAML keys)."""
    if isinstance(obj, BaseModel):
        yield obj, path
        for name, field in type(obj).model_fields.items():
            yield from _walk(getattr(obj, name), (*path, field.alias or name))
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from _walk(item, (*path, i))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(v, (*path, k))


def check_references(
    scenario: schema.Scenario, raw: Any, where: dict[str, list[Any]]
) -> list[Located]:
    """Return errors for duplicate ids, dangling references and unknown source keys."""
    errors: list[Located] = []
    ids: dict[str, set[str]] = {}

    def located(pos: Any, path: tuple[Any, ...], field: str, message: str) -> Located:
        p = pos.find(path)
        return Located(p.file, p.line, p.column, field, message)

    def fmt(path: tuple[Any, ...]) -> str:
        out = ""
        for part in path:
            out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
        return out

    namespaces = {
        "powers": "power",
        "regions": "region",
        "sea_zones": "sea_zone",
        "forces": "force",
        "fleets": "fleet",
        "air": "air",
        "leaders": "leader",
        "assumptions": "assumption",
        "events": "event",
        "bibliography": "citation",
        "checkpoints": "checkpoint",
        "alignment": "alignment",
        "alignment_weights": "alignment_weight",
        "economy": "economy",
        "trade": "trade_route",
        "campaigns": "campaign",
    }
    for field_name, ns in namespaces.items():
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(scenario, field_name)):
            pos = where[field_name][i]
            if item.id in seen:
                errors.append(
                    located(pos, ("id",), f"{field_name}[{i}].id", f"duplicate id {item.id!r}")
                )
            seen[item.id] = i
        # Items that failed validation still claim their id, so their mistakes do not cascade.
        raw_items = raw.fields.get(field_name, ([], None))[0]
        claimed = (
            {
                it.get("id")
                for it in raw_items
                if isinstance(it, dict) and isinstance(it.get("id"), str)
            }
            if isinstance(raw_items, list)
            else set()
        )
        ids[ns] = set(seen) | {x for x in claimed if isinstance(x, str)}
    clash = ids["region"] & ids["sea_zone"]
    for i, z in enumerate(scenario.sea_zones):
        if z.id in clash:
            errors.append(
                located(
                    where["sea_zones"][i],
                    ("id",),
                    f"sea_zones[{i}].id",
                    f"id {z.id!r} is also a land region's id",
                )
            )
    ids["place"] = ids["region"] | ids["sea_zone"]
    ids["treaty"] = {t.id for t in scenario.diplomacy.treaties}
    bib = set(scenario.meta.sources) | {c.id for c in scenario.bibliography}

    def roots() -> Iterator[tuple[str, BaseModel, Any, tuple[Any, ...]]]:
        for field_name in (*schema.KEYED_LISTS, "edges"):
            for i, item in enumerate(getattr(scenario, field_name)):
                yield field_name, item, where[field_name][i], (field_name, i)
        dval = raw.fields.get("diplomacy")
        if dval is not None:
            yield "diplomacy", scenario.diplomacy, dval[1], ("diplomacy",)
        param = raw.fields.get("parameters")
        if param is not None:
            for k, v in scenario.parameters.items():
                if isinstance(v, BaseModel):
                    yield "parameters", v, param[1].find([k]), ("parameters", k)

    param_raw = raw.fields.get("parameters")
    if param_raw is not None:
        from twinvipers.rules.params import INDEX

        for name in scenario.parameters:
            if name not in INDEX:
                errors.append(
                    located(
                        param_raw[1],
                        (name,),
                        f"parameters.{name}",
                        "unknown engine parameter; known: " + ", ".join(INDEX),
                    )
                )
    for root_field, item, pos, prefix in roots():
        for model, path in _walk(item, ()):
            refs = _REFS.get(type(model), {})
            for attr, ns in refs.items():
                value = getattr(model, attr)
                values = value if isinstance(value, (list, tuple)) else [value]
                for j, v in enumerate(values):
                    if v is None or v in ids[ns]:
                        continue
                    sub = (*path, attr, j) if isinstance(value, (list, tuple)) else (*path, attr)
                    kind = _NAMESPACE_NAMES.get(ns, ns)
                    errors.append(
                        located(
                            pos,
                            sub,
                            fmt(prefix + sub),
                            f"unknown {kind} {v!r}{_hint(v, ids[ns], ns)}",
                        )
                    )
            for attr, ns in _KEY_REFS.get(type(model), {}).items():
                for key in getattr(model, attr):
                    if key in ids[ns]:
                        continue
                    sub = (*path, attr, key)
                    errors.append(
                        located(
                            pos,
                            sub,
                            fmt(prefix + sub),
                            f"unknown {ns} {key!r}{_hint(key, ids[ns], ns)}",
                        )
                    )
            if root_field == "checkpoints" and _own_file(pos.file, raw.root):
                for sub, message in _dates_outside(scenario.meta, model, path):
                    errors.append(located(pos, sub, fmt(prefix + sub), message))
            if isinstance(model, schema.Sourced):
                cites = [("source", model.source)] + [
                    (f"sources.{k}", v) for k, v in model.sources.items()
                ]
                for attr, cite in cites:
                    # A single token is a bibliography key; anything with a space is free text.
                    if cite and " " not in cite.strip() and cite not in bib:
                        sub = (*path, *attr.split("."))
                        errors.append(
                            located(
                                pos,
                                sub,
                                fmt(prefix + sub),
                                f"unknown source key {cite!r} (not in meta.sources)",
                            )
                        )
    return errors
