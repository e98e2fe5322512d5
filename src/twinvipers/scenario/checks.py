"""Data checks beyond validation (``twinvipers check-data``).

Validation (:mod:`twinvipers.scenario.load`) rejects what cannot be loaded; these checks report
what loads but a reader would question: figures that name no source, and per-power totals that
disagree with the stated ones (divisions against ``total_divisions``, men under arms against the
COW ``military_personnel`` figure).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel

from twinvipers.scenario import schema

#: Sum of a power's force divisions may differ from its ``total_divisions`` by this fraction.
DIVISION_TOLERANCE = 0.15
#: Accepted range of men in forces / COW military personnel. COW gives one annual figure for all
#: services, which in 1939 lies between the peacetime army (forces not in reserve) and the army on
#: mobilisation (all forces); so the check passes when the peacetime ratio is at most the upper
#: bound and the mobilised ratio at least the lower one.
MANPOWER_RATIO = (0.5, 2.0)

#: Scenario lists whose entities carry figures and citations.
SOURCED_LISTS = (
    "powers", "regions", "sea_zones", "edges", "forces", "fleets", "air", "leaders", "economy",
    "trade",
)  # fmt: skip

Kind = Literal["unsourced", "divisions", "manpower"]


@dataclasses.dataclass(frozen=True)
class Finding:
    """One result of a check; ``ok`` is False when it needs a look."""

    kind: Kind
    subject: str
    message: str
    ok: bool = False

    def __str__(self) -> str:
        mark = "ok  " if self.ok else "WARN"
        return f"{mark} {self.kind:<9} {self.subject}: {self.message}"


def _is_figure(value: object) -> bool:
    """True for a number, or a mapping holding numbers (resources, divisions, ships)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    if isinstance(value, dict):
        return any(_is_figure(v) for v in value.values())
    return False


def _label(field: str, index: int, item: BaseModel) -> str:
    ident = getattr(item, "id", None)
    if ident is None and isinstance(item, schema.Edge):
        ident = f"{item.a}-{item.b}"
    return f"{field}[{index}] {ident}"


def unsourced(scenario: schema.Scenario) -> list[Finding]:
    """Every numeric figure given in the files whose entity names neither a source nor a per-field one."""
    out: list[Finding] = []
    for field in SOURCED_LISTS:
        for i, item in enumerate(getattr(scenario, field)):
            if item.source:
                continue
            missing = [
                name
                for name in sorted(item.model_fields_set)
                if name not in item.sources and _is_figure(getattr(item, name))
            ]
            if missing:
                out.append(
                    Finding(
                        "unsourced", _label(field, i, item), "no source for " + ", ".join(missing)
                    )
                )
    return out


def unsourced_decisions(scenario: schema.Scenario) -> list[Finding]:
    """Assumptions and scripted events that cite no source.

    An assumption's distribution is a figure a reader will question, and an event is a claim
    about what a power decided: both should say where they come from.
    """
    out = [
        Finding("unsourced", f"assumptions[{i}] {a.id}", "no source for its distribution")
        for i, a in enumerate(scenario.assumptions)
        if not a.source and not a.sources
    ]
    out += [
        Finding("unsourced", f"events[{i}] {e.id}", "no source for the decision")
        for i, e in enumerate(scenario.events)
        if not e.source and not e.sources
    ]
    return out


def unsourced_alignment(scenario: schema.Scenario) -> list[Finding]:
    """Diplomacy data without a source: a power's figures, a stakeholder's, a model weight."""
    out = []
    for i, a in enumerate(scenario.alignment):
        figures = [
            f
            for f in ("affinity", "claims", "readiness", "trade_dependence", "empire")
            if f in a.model_fields_set and not (a.source or a.sources.get(f))
        ]
        if figures:
            out.append(
                Finding(
                    "unsourced", f"alignment[{i}] {a.id}", "no source for " + ", ".join(figures)
                )
            )
        for j, k in enumerate(a.stakeholders):
            if not (k.source or k.sources or a.source):
                out.append(
                    Finding(
                        "unsourced",
                        f"alignment[{i}] {a.id} stakeholders[{j}] {k.id}",
                        "no source for its position, capability and salience",
                    )
                )
    out += [
        Finding("unsourced", f"alignment_weights[{i}] {w.id}", "no source for the weight")
        for i, w in enumerate(scenario.alignment_weights)
        if not (w.source or w.sources)
    ]
    return out


def summary(findings: list[Finding]) -> str:
    """One closing line: how many figures lack a source, how many cross-checks pass."""
    unsourced_n = sum(1 for f in findings if f.kind == "unsourced")
    checks = [f for f in findings if f.kind != "unsourced"]
    ok = sum(1 for f in checks if f.ok)
    return (
        f"{unsourced_n} without a source; {ok} of {len(checks)} cross-checks ok, "
        f"{len(checks) - ok} to look at"
    )


def _pct(x: float) -> str:
    return f"{x:+.0%}"


def cross_checks(scenario: schema.Scenario) -> list[Finding]:
    """Per power: divisions against ``total_divisions``, men against COW military personnel."""
    divisions: dict[str, float] = defaultdict(float)
    men: dict[str, float] = defaultdict(float)
    men_active: dict[str, float] = defaultdict(float)
    for f in scenario.forces:
        divisions[f.power] += sum(f.divisions.values())
        men[f.power] += f.men
        if not f.reserve:
            men_active[f.power] += f.men
    out: list[Finding] = []
    for p in scenario.powers:
        if p.total_divisions:
            have = divisions.get(p.id, 0.0)
            diff = have / p.total_divisions - 1
            out.append(
                Finding(
                    "divisions",
                    p.id,
                    f"forces hold {have:g} divisions, stated total {p.total_divisions:g} "
                    f"({_pct(diff)}; tolerance ±{DIVISION_TOLERANCE:.0%})",
                    ok=abs(diff) <= DIVISION_TOLERANCE,
                )
            )
        if p.military_personnel and p.id in men:
            cow = p.military_personnel * 1000
            peace, mobilised = men_active[p.id] / cow, men[p.id] / cow
            low, high = MANPOWER_RATIO
            out.append(
                Finding(
                    "manpower",
                    p.id,
                    f"forces hold {men_active[p.id] / 1000:,.0f}k men in peacetime units and "
                    f"{men[p.id] / 1000:,.0f}k with reserves, COW military personnel "
                    f"{p.military_personnel:,.0f}k (ratios {peace:.2f} and {mobilised:.2f}; "
                    f"accepted: peacetime <= {high:g}, mobilised >= {low:g})",
                    ok=peace <= high and mobilised >= low,
                )
            )
    return out


def check_data(scenario: schema.Scenario) -> list[Finding]:
    """Run every data check: unsourced figures, assumptions and events, then cross-checks.

    A finding is listed once, even where an extending scenario repeats an entity.
    """
    found = (
        unsourced(scenario)
        + unsourced_decisions(scenario)
        + unsourced_alignment(scenario)
        + cross_checks(scenario)
    )
    return list(dict.fromkeys(found))
