"""Logical checks: what validates field by field and refers to things that exist, yet cannot be.

A power at war with itself, an edge from a region to itself, events that wait on each other, a
treaty listing a member twice, duplicate treaties and edges, a leader commanding another power's
force, a capital in another power's land, events dated after the scenario ends, assumptions whose
draws fall outside the bounds of what they set, and maps too large for the engine's tables. Run by
:func:`twinvipers.scenario.load.validate` once the references hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from twinvipers.scenario import schema
from twinvipers.scenario.errors import Located

#: Land regions and sea zones the engine accepts: it keeps all-pairs route tables of R² int64
#: entries (two per graph), so 4,000 regions take 256 MB; 20,000 would take 6.4 GB.
MAX_REGIONS = 4_000
MAX_SEA_ZONES = 2_000
#: An engine parameter may be set from 0 to this many times its default.
PARAM_FACTOR = 100.0

#: Bounds of the power fields that may take an assumption's value (see schema.Power).
_POWER_BOUNDS = {
    "command_cev": (0.0, 3.0),
    "surrender_share": (0.0, 1.0),
    "stand_fast": (0.0, 1.0),
    "casualty_multiplier": (0.0, 3.0),
    **schema.DOCTRINE_BOUNDS,
}


def _support(dist: Any) -> tuple[float, float]:
    """The lowest and highest value a distribution draws."""
    if isinstance(dist, schema.Fixed):
        return dist.fixed, dist.fixed
    if isinstance(dist, schema.Uniform):
        return dist.uniform
    if isinstance(dist, schema.Triangular):
        return dist.triangular[0], dist.triangular[2]
    if isinstance(dist, schema.TruncNormal):
        return dist.truncnormal[2], dist.truncnormal[3]
    return min(dist.choice), max(dist.choice)


def _required_fired(trigger: Any) -> set[str]:
    """Events that must have fired for a trigger to hold (through ``all``, common to ``any``)."""
    if isinstance(trigger, schema.Fired):
        return {trigger.fired}
    if isinstance(trigger, schema.AllOf):
        return set().union(*(_required_fired(t) for t in trigger.all))
    if isinstance(trigger, schema.AnyOf):
        return set.intersection(*(_required_fired(t) for t in trigger.any))
    return set()


def _cycles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Each node on a cycle of ``graph``, with one cycle through it (iterative DFS)."""
    reported: set[str] = set()
    for start in graph:
        if start in reported:
            continue
        # Find a path from start's successors back to start.
        stack: list[tuple[str, list[str]]] = [(n, [start, n]) for n in sorted(graph[start])]
        seen: set[str] = set()
        while stack:
            node, path = stack.pop()
            if node == start:
                reported.update(path)
                yield path
                break
            if node in seen or node not in graph:
                continue
            seen.add(node)
            stack.extend((n, [*path, n]) for n in sorted(graph[node]))


def _own(pos: Any, root: Path) -> bool:
    """True for a file of the scenario itself, not one inherited through ``extends``."""
    return Path(pos.file).resolve().is_relative_to(Path(root).resolve())


def check_logic(scenario: schema.Scenario, raw: Any, where: dict[str, list[Any]]) -> list[Located]:
    """Return an error for every logical contradiction in a scenario whose references hold."""
    errors: list[Located] = []

    def err(pos: Any, path: tuple[Any, ...], field: str, message: str) -> None:
        p = pos.find(path)
        errors.append(Located(p.file, p.line, p.column, field, message))

    s = scenario
    owner = {r.id: r.owner for r in s.regions}
    held = {r.id: r.controller or r.owner for r in s.regions}
    leader_power = {ld.id: ld.power for ld in s.leaders}
    assumptions = {a.id: a for a in s.assumptions}

    def bounded(pos: Any, path: tuple[Any, ...], field: str, value: Any, lo: float, hi: float):
        """An assumption-valued number must draw within the bounds of what it sets."""
        if isinstance(value, schema.AssumptionRef) and value.assumption in assumptions:
            a, b = _support(assumptions[value.assumption].dist)
            if a < lo or b > hi:
                err(
                    pos,
                    path,
                    field,
                    f"assumption {value.assumption!r} draws {a:g} to {b:g}; "
                    f"this value must lie in {lo:g} to {hi:g}",
                )

    if len(s.regions) > MAX_REGIONS:
        err(
            raw.fields["regions"][1],
            (),
            "regions",
            f"{len(s.regions):,} land regions; the engine takes at most {MAX_REGIONS:,}",
        )
    if len(s.sea_zones) > MAX_SEA_ZONES:
        err(
            raw.fields["sea_zones"][1],
            (),
            "sea_zones",
            f"{len(s.sea_zones):,} sea zones; the engine takes at most {MAX_SEA_ZONES:,}",
        )

    for i, p in enumerate(s.powers):
        pos = where["powers"][i]
        # A puppet's capital may be held (controlled) by it and owned by the state it was cut from.
        if p.capital in owner and p.id not in (owner[p.capital], held[p.capital]):
            err(
                pos,
                ("capital",),
                f"powers[{i}].capital",
                f"capital {p.capital!r} is a region of {owner[p.capital]}, not of {p.id}",
            )
        for name, (lo, hi) in _POWER_BOUNDS.items():
            bounded(pos, (name,), f"powers[{i}].{name}", getattr(p, name), lo, hi)

    seen_edges: dict[frozenset[str], int] = {}
    for i, e in enumerate(s.edges):
        pos = where["edges"][i]
        if e.a == e.b:
            err(pos, ("b",), f"edges[{i}]", f"an edge from {e.a!r} to itself")
            continue
        key = frozenset((e.a, e.b))
        if key in seen_edges:
            err(
                pos,
                ("a",),
                f"edges[{i}]",
                f"duplicate edge {e.a}–{e.b} (also edges[{seen_edges[key]}])",
            )
        seen_edges[key] = i

    for i, f in enumerate(s.forces):
        if f.leader in leader_power and leader_power[f.leader] != f.power:
            err(
                where["forces"][i],
                ("leader",),
                f"forces[{i}].leader",
                f"leader {f.leader!r} serves {leader_power[f.leader]}, not {f.power}",
            )

    dval = raw.fields.get("diplomacy")
    if dval is not None:
        dpos = dval[1]
        treaty_ids: dict[str, int] = {}
        for i, t in enumerate(s.diplomacy.treaties):
            if t.id in treaty_ids:
                err(
                    dpos,
                    ("treaties", i, "id"),
                    f"diplomacy.treaties[{i}].id",
                    f"duplicate id {t.id!r}",
                )
            treaty_ids[t.id] = i
            for j, m in enumerate(t.members):
                if m in t.members[:j]:
                    err(
                        dpos,
                        ("treaties", i, "members", j),
                        f"diplomacy.treaties[{i}].members[{j}]",
                        f"{m} is listed twice",
                    )
        pairs: set[frozenset[str]] = set()
        for i, w in enumerate(s.diplomacy.wars):
            path = ("wars", i)
            if w.a == w.b:
                err(dpos, (*path, "b"), f"diplomacy.wars[{i}]", f"{w.a} at war with itself")
            elif frozenset((w.a, w.b)) in pairs:
                err(dpos, path, f"diplomacy.wars[{i}]", f"the war {w.a}–{w.b} is listed twice")
            pairs.add(frozenset((w.a, w.b)))

    from twinvipers.rules.params import INDEX, PARAMS

    for name, value in s.parameters.items():
        if name not in INDEX:
            continue  # reported by the reference checks
        hi = PARAMS[INDEX[name]].maximum or PARAMS[INDEX[name]].default * PARAM_FACTOR
        ppos = raw.fields["parameters"][1]
        if isinstance(value, float) and not 0 <= value <= hi:
            err(ppos, (name,), f"parameters.{name}", f"{value:g} is outside 0 to {hi:g}")
        bounded(ppos, (name,), f"parameters.{name}", value, 0.0, hi)

    # Events: contradictions inside one event, dates after the end, and waits on each other.
    start, end = s.meta.start, s.meta.end
    needs: dict[str, set[str]] = {}
    for i, ev in enumerate(s.events):
        pos = where["events"][i]
        needs[ev.id] = _required_fired(ev.trigger)
        own = _own(pos, raw.root)  # inherited events may outlast a shorter calendar
        for model, path in _models(ev, ()):
            field = _fmt(("events", i, *path))
            if isinstance(model, schema.DeclareWar.Spec) and model.actor == model.target:
                err(pos, path, field, f"{model.actor} declares war on itself")
            elif isinstance(model, schema.MakePeace.Spec) and model.a == model.b:
                err(pos, path, field, f"{model.a} makes peace with itself")
            elif isinstance(model, schema.AtWar) and model.at_war[0] == model.at_war[1]:
                err(pos, path, field, f"{model.at_war[0]} cannot be at war with itself")
            elif isinstance(model, schema.SpecialWeapons.Spec) and model.power == model.against:
                err(pos, path, field, f"{model.power} uses special weapons against itself")
            elif isinstance(model, schema.ReplaceLeader.Spec) and model.old == model.new:
                err(pos, path, field, f"leader {model.old!r} replaces itself")
            elif isinstance(model, schema.Offer.Spec) and model.by == model.to:
                err(pos, path, field, f"{model.by} makes an offer to itself")
            elif isinstance(model, schema.Offer.Spec):
                if isinstance(model.bribe, float) and not 0.0 <= model.bribe <= 1.0:
                    err(pos, path, field, f"bribe {model.bribe:g} must lie in 0 to 1")
                bounded(pos, (*path, "bribe"), field, model.bribe, 0.0, 1.0)
            elif isinstance(model, schema.SetNumber.Spec):
                lo, hi = schema.SET_BOUNDS[model.field]
                bounded(pos, (*path, "value"), field, model.value, lo, hi)
            elif isinstance(model, schema.Chance):
                bounded(pos, (*path, "chance"), field, model.chance, 0.0, 1.0)
            elif own and isinstance(model, schema.OnDate) and model.date > end:
                err(pos, path, field, f"date {model.date} is after the scenario ends ({end})")
            elif own and isinstance(model, schema.OnDate) and model.date < start:
                # It would fire on the first day, not on its date: surely not what was meant.
                err(
                    pos,
                    path,
                    field,
                    f"date {model.date} is before the scenario starts ({start}); it would fire "
                    "on the first day",
                )
            elif own and isinstance(model, schema.Between):
                first, last = model.between
                if first > end or last < start:
                    err(
                        pos,
                        path,
                        field,
                        f"{first} to {last} is outside the scenario ({start} to {end})",
                    )
    index = {ev.id: i for i, ev in enumerate(s.events)}
    for cycle in _cycles(needs):
        i = index[cycle[0]]
        what = (
            "waits on its own firing"
            if len(cycle) == 2
            else "and " + ", ".join(repr(c) for c in cycle[1:-1]) + " wait on each other"
        )
        err(
            where["events"][i],
            ("trigger",),
            f"events[{i}].trigger",
            f"event {cycle[0]!r} {what} (fired: {' → '.join(cycle)}); it can never fire",
        )
    return errors


def _models(obj: Any, path: tuple[Any, ...]) -> Iterator[tuple[BaseModel, tuple[Any, ...]]]:
    """Every model nested in ``obj`` with its path by YAML keys."""
    if isinstance(obj, BaseModel):
        yield obj, path
        for name, field in type(obj).model_fields.items():
            yield from _models(getattr(obj, name), (*path, field.alias or name))
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from _models(item, (*path, i))


def _fmt(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out
