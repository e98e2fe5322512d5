"""Every scripted effect and every event kind is wired end to end.

Effects: each class of the registry (``schema.EFFECTS``) is in the schema's union under its key,
owns opcodes no other class has, compiles, has its branch in ``events.apply_effect`` and is
applied by the engine (one small scenario per effect, run for a day). Event kinds: each kind of
the table (``rules.eventkinds``) is recorded somewhere in the source, every record site names a
kind of the table, and the results store decodes every kind.
"""

from __future__ import annotations

import ast
import json
import typing
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SEA_WAR, run_days, scenario_variant
from twinvipers.ensemble import store
from twinvipers.rules import codes, eventkinds, events
from twinvipers.scenario import schema
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load

SRC = Path(events.__file__).resolve().parents[1]

LEADERS = """- {id: old_general, name: Old, power: CON, source: test}
- {id: new_general, name: New, power: CON, source: test}
"""
FORCES = (
    (SEA_WAR / "forces.yaml")
    .read_text()
    .replace("{id: con_army, power: CON,", "{id: con_army, power: CON, leader: old_general,")
)
AIR = "- {id: con_air, power: CON, region: con_capital, fighters: 50, bombers: 80, source: test}\n"
TREATY = """treaties:
  - {id: entente, name: Entente, kind: alliance, members: [ISL], source: test}
"""
AT_WAR = """wars:
  - {a: CON, b: ISL, source: test}
"""


def _ix(c, kind: str, name: str) -> int:
    return getattr(c, kind).index(name)


def _kinds(h, c, kind: int) -> np.ndarray:
    """Rows of the history's events of ``kind``."""
    n = h.count[0]
    return np.nonzero(h.ev_kind[:n] == kind)[0]


# One case per opcode: (name, effect as YAML, replaced scenario files, check(c, s, h)).
CASES = [
    (
        "declare_war",
        "{declare_war: {actor: CON, target: ISL}}",
        {},
        lambda c, s, h: s.politics.at_war[_ix(c, "powers", "CON"), _ix(c, "powers", "ISL")],
    ),
    (
        "peace",
        "{peace: {a: CON, b: ISL}}",
        {"diplomacy": AT_WAR},
        lambda c, s, h: (
            not s.politics.at_war[_ix(c, "powers", "CON"), _ix(c, "powers", "ISL")]
            and len(_kinds(h, c, codes.K_PEACE)) == 1
        ),
    ),
    (
        "join_alliance",
        "{join_alliance: {power: CON, treaty: entente}}",
        {"diplomacy": TREATY},
        lambda c, s, h: s.politics.member[_ix(c, "treaties", "entente"), _ix(c, "powers", "CON")],
    ),
    (
        "transfer_region",
        "{transfer_region: {region: isl_north, to: CON}}",
        {},
        lambda c, s, h: (
            s.control.owner[_ix(c, "regions", "isl_north")]
            == s.control.controller[_ix(c, "regions", "isl_north")]
            == _ix(c, "powers", "CON")
        ),
    ),
    (
        "place_force",
        "{place_force: {force: con_marines, region: con_port}}",
        {},
        lambda c, s, h: (
            s.land.f_active[_ix(c, "forces", "con_marines")]
            and s.land.f_region[_ix(c, "forces", "con_marines")] == _ix(c, "regions", "con_port")
        ),
    ),
    (
        "move_force",
        "{move_force: {force: isl_army, to: isl_north}}",
        {},
        lambda c, s, h: (
            s.land.f_region[_ix(c, "forces", "isl_army")] == _ix(c, "regions", "isl_north")
        ),
    ),
    (
        "remove_force",
        "{remove_force: {force: isl_army}}",
        {},
        lambda c, s, h: not s.land.f_active[_ix(c, "forces", "isl_army")],
    ),
    (
        "mobilise",
        "{mobilise: {power: ISL}}",
        {},
        lambda c, s, h: s.politics.p_mobilised[_ix(c, "powers", "ISL")] == 0,
    ),
    (
        "offensive",
        "{offensive: {power: CON, target: isl_north, forces: [con_army]}}",
        {"diplomacy": AT_WAR},  # an order against a region not held by an enemy is dropped
        lambda c, s, h: (
            s.land.f_target[_ix(c, "forces", "con_army")] == _ix(c, "regions", "isl_north")
        ),
    ),
    (
        "offensive_of_the_field_forces",
        "{offensive: {power: CON, target: isl_north}}",
        {"diplomacy": AT_WAR},
        lambda c, s, h: (
            s.politics.p_target[_ix(c, "powers", "CON")] == _ix(c, "regions", "isl_north")
        ),
    ),
    (
        "replace_leader",
        "{replace_leader: {old: old_general, new: new_general}}",
        {"leaders": LEADERS, "forces": FORCES},
        lambda c, s, h: (
            s.land.f_leader[_ix(c, "forces", "con_army")] == _ix(c, "leaders", "new_general")
            and len(_kinds(h, c, codes.K_LEADER)) == 1
        ),
    ),
    (
        "set_will",
        "{set: {power: ISL, field: will, value: 0.37}}",
        {},
        lambda c, s, h: s.politics.will[_ix(c, "powers", "ISL")] == 0.37,
    ),
    (
        "set_initiative",
        "{set: {power: ISL, field: initiative, value: 0}}",
        {},
        lambda c, s, h: not s.politics.initiative[_ix(c, "powers", "ISL")],
    ),
    (
        "set_fort",
        "{set: {region: isl_north, field: fort, value: 2.5}}",
        {},
        lambda c, s, h: s.control.fort[_ix(c, "regions", "isl_north")] == 2.5,
    ),
    (
        "set_vp",
        "{set: {region: isl_north, field: vp, value: 7}}",
        {},
        lambda c, s, h: s.control.vp[_ix(c, "regions", "isl_north")] == 7,
    ),
    (
        "set_industry",
        "{set: {region: isl_north, field: industry, value: 3.5}}",
        {},
        lambda c, s, h: s.control.industry[_ix(c, "regions", "isl_north")] == 3.5,
    ),
    (
        "move_fleet",
        "{move_fleet: {fleet: isl_fleet, zone: ocean}}",
        {},
        lambda c, s, h: (
            s.sea.fl_dest[_ix(c, "fleets", "isl_fleet")] == _ix(c, "sea_zones", "ocean")
        ),
    ),
    (
        "blockade",
        "{blockade: {fleets: [con_main], zone: channel, target: ISL}}",
        {},
        lambda c, s, h: (
            s.sea.fl_mission[_ix(c, "fleets", "con_main")] == codes.M_BLOCKADE
            and s.sea.fl_dest[_ix(c, "fleets", "con_main")] == _ix(c, "sea_zones", "channel")
            and s.sea.fl_target[_ix(c, "fleets", "con_main")] == _ix(c, "powers", "ISL")
        ),
    ),
    (
        "raid",
        "{raid: {fleets: [con_subs], zone: ocean, target: ISL}}",
        {},
        lambda c, s, h: (
            s.sea.fl_mission[_ix(c, "fleets", "con_subs")] == codes.M_RAID
            and s.sea.fl_dest[_ix(c, "fleets", "con_subs")] == _ix(c, "sea_zones", "ocean")
            and s.sea.fl_target[_ix(c, "fleets", "con_subs")] == _ix(c, "powers", "ISL")
        ),
    ),
    (
        # Unopposed (no war, so no garrison and no enemy fleet): it gets ashore, and the escort
        # is in the zone the effect names.
        "landing",
        "{landing: {force: con_marines, region: isl_north, zone: north_sea, fleets: [con_escort]}}",
        {},
        lambda c, s, h: (
            s.land.f_region[_ix(c, "forces", "con_marines")] == _ix(c, "regions", "isl_north")
            and s.sea.fl_zone[_ix(c, "fleets", "con_escort")] == _ix(c, "sea_zones", "north_sea")
            and len(_kinds(h, c, codes.K_LANDING)) == 1
        ),
    ),
    (
        # Zone and destination are two ids of their own (once packed into one float).
        "evacuate",
        "{evacuate: {force: isl_army, region: isl_capital, zone: channel, to: isl_north, "
        "fleets: [isl_fleet]}}",
        {},
        lambda c, s, h: (
            s.land.f_region[_ix(c, "forces", "isl_army")] == _ix(c, "regions", "isl_north")
            and s.sea.fl_zone[_ix(c, "fleets", "isl_fleet")] == _ix(c, "sea_zones", "channel")
            and h.ev_value[_kinds(h, c, codes.K_EVACUATION)].tolist() == [1.0]
        ),
    ),
    (
        "evacuate_off_the_map",
        "{evacuate: {force: isl_army, region: isl_capital, zone: channel, fleets: [isl_fleet]}}",
        {},
        lambda c, s, h: (
            not s.land.f_active[_ix(c, "forces", "isl_army")]
            and h.ev_value[_kinds(h, c, codes.K_EVACUATION)].tolist() == [1.0]
        ),
    ),
    (
        "bombard",
        "{bombard: {fleets: [con_main], region: isl_capital}}",
        {},
        lambda c, s, h: (
            s.sea.fl_mission[_ix(c, "fleets", "con_main")] == codes.M_BOMBARD
            and s.sea.fl_target[_ix(c, "fleets", "con_main")] == _ix(c, "regions", "isl_capital")
            and s.sea.fl_dest[_ix(c, "fleets", "con_main")] == _ix(c, "sea_zones", "channel")
        ),
    ),
    (
        "air_campaign",
        "{air_campaign: {air: [con_air], mission: industry, region: isl_capital}}",
        {"air": AIR},
        lambda c, s, h: (
            s.air.a_mission[_ix(c, "air", "con_air")]
            == codes.A_SUPPORT + 1 + list(schema.AirMission).index(schema.AirMission.industry)
            and s.air.a_target[_ix(c, "air", "con_air")] == _ix(c, "regions", "isl_capital")
        ),
    ),
    (
        "chemical",
        "{special_weapons: {power: CON, weapon: chemical, against: ISL}}",
        {},
        lambda c, s, h: (
            s.air.chem[_ix(c, "powers", "CON"), _ix(c, "powers", "ISL")]
            and len(_kinds(h, c, codes.K_SPECIAL)) == 1
        ),
    ),
    (
        "offer",
        "{offer: {by: CON, to: ISL, bribe: 0.4, asks: stay_out}}",
        {},
        lambda c, s, h: (
            s.entry.offer_out[_ix(c, "powers", "ISL"), _ix(c, "powers", "CON")] == 0.4
            and s.entry.offer[_ix(c, "powers", "ISL"), _ix(c, "powers", "CON")] == 0.0
        ),
    ),
    (
        "biological",
        "{special_weapons: {power: CON, weapon: biological, against: ISL, region: isl_north}}",
        {},
        lambda c, s, h: (
            s.air.bio_region[_ix(c, "powers", "CON")] == _ix(c, "regions", "isl_north")
            and s.air.bio_target[_ix(c, "powers", "CON")] == _ix(c, "powers", "ISL")
        ),
    ),
]


def _case_world(tmp_path: Path, name: str, effect: str, files: dict[str, str]):
    ev = f"- id: now\n  trigger: {{date: 1939-07-01}}\n  effects: [{effect}]\n  source: test\n"
    return compile_scenario(
        load(scenario_variant(tmp_path, SEA_WAR, name, events=ev, **files)).scenario
    )


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_the_engine_applies_each_effect(tmp_path, case):
    name, effect, files, check = case
    c = _case_world(tmp_path, name, effect, files)
    s, h = run_days(c, 1)
    assert check(c, s, h)
    # The effect did it, not the scenario: the same world with another effect does not pass.
    s0, h0 = run_days(_case_world(tmp_path, name + "_none", "{mobilise: {power: CON}}", files), 1)
    assert not check(c, s0, h0)


def test_every_opcode_has_a_case_that_compiles_to_it(tmp_path):
    ops = set()
    for name, effect, files, _ in CASES:
        ops.update(_case_world(tmp_path, name, effect, files).world.ef_op.tolist())
    assert ops == {op for e in schema.EFFECTS for op in e.opcodes}


def _union_members() -> dict[str, type]:
    union = typing.get_args(schema.Effect)[0]
    members = {}
    for member in typing.get_args(union):
        cls, tag = typing.get_args(member)
        members[tag.tag] = cls
    return members


def test_every_effect_class_is_in_the_union_under_its_key():
    members = _union_members()
    assert members == {e.key(): e for e in schema.EFFECTS}
    effect_classes = {
        v
        for v in vars(schema).values()
        if isinstance(v, type) and issubclass(v, schema.EffectModel)
    }
    assert effect_classes - {schema.EffectModel} == set(schema.EFFECTS)


def test_opcodes_are_unique_and_cover_every_effect_code():
    owned = [op for e in schema.EFFECTS for op in e.opcodes]
    assert len(owned) == len(set(owned))
    declared = {v for k, v in vars(codes).items() if k.startswith("E_")}
    assert set(owned) == declared


def _apply_effect_branches() -> set[int]:
    """The opcodes ``apply_effect`` compares ``op`` with."""
    tree = ast.parse((SRC / "rules" / "events.py").read_text())
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "apply_effect")
    ops = set()
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Name)
            and node.left.id == "op"
        ):
            for right in node.comparators:
                assert isinstance(right, ast.Attribute) and right.attr.startswith("E_")
                ops.add(getattr(codes, right.attr))
    return ops


def test_apply_effect_has_a_branch_for_every_registered_opcode():
    assert _apply_effect_branches() == {op for e in schema.EFFECTS for op in e.opcodes}


def test_a_scripted_effect_stores_ids_in_integer_columns_only(tmp_path):
    c = _case_world(
        tmp_path, "ids",
        "{evacuate: {force: isl_army, region: isl_capital, zone: channel, to: isl_north}}",
        {},
    )  # fmt: skip
    w = c.world
    assert (w.ef_a[0], w.ef_b[0], w.ef_c[0], w.ef_d[0]) == (
        _ix(c, "forces", "isl_army"),
        _ix(c, "regions", "isl_capital"),
        _ix(c, "sea_zones", "channel"),
        _ix(c, "regions", "isl_north"),
    )
    assert w.ef_x[0] == 0.0 and w.ef_param[0] == -1


# --- event kinds ---------------------------------------------------------------------------


def _record_sites() -> list[tuple[str, int, ast.expr]]:
    """Every ``record(...)`` call in the source: (file, line, its kind argument)."""
    sites = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            call = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            if call and node.func.id == "record":
                sites.append((str(path.relative_to(SRC)), node.lineno, node.args[3]))
    return sites


def test_the_table_of_event_kinds_is_consistent():
    table = eventkinds.TABLE
    assert sorted(k.code for k in table) == list(range(len(table)))
    assert tuple(eventkinds.BY_CODE[i].name for i in range(len(table))) == eventkinds.KINDS
    for k in table:
        slots = [f.slot for f in k.fields]
        assert len(slots) == len(set(slots)), k.name
        assert all(f.of for f in k.fields if f.holds == "id"), k.name
        assert all(f.labels for f in k.fields if f.holds == "label"), k.name
    names = {k: v for k, v in vars(codes).items() if k.startswith("K_")}
    assert sorted(names.values()) == list(range(len(table)))


def test_every_record_site_names_a_kind_of_the_table_and_every_kind_is_recorded():
    recorded = set()
    for where, line, kind in _record_sites():
        assert (
            isinstance(kind, ast.Attribute)
            and isinstance(kind.value, ast.Name)
            and kind.value.id == "codes"
            and kind.attr.startswith("K_")
        ), f"{where}:{line}: the kind should be a codes.K_* name of rules.eventkinds"
        code = getattr(codes, kind.attr)
        assert code in eventkinds.BY_CODE, f"{where}:{line}"
        recorded.add(code)
    assert recorded == set(eventkinds.BY_CODE)


def test_the_store_decodes_every_kind(tmp_path):
    trade = "- {id: lane, importer: ISL, kt_per_year: 1, sea: [channel], source: test}\n"
    files = {"diplomacy": TREATY, "leaders": LEADERS, "forces": FORCES, "air": AIR, "trade": trade}
    c = compile_scenario(load(scenario_variant(tmp_path, SEA_WAR, "all", **files)).scenario)
    names = store._names(c)
    assert all(names.values())  # an entity of every list, so that id 0 decodes
    for k in eventkinds.TABLE:
        assert {f.of for f in k.fields if f.holds == "id"} <= set(names), k.name
        details = json.loads(store._details(names, k.code, 0, 1.0, 2.0, 3.0))
        assert list(details) == [f.name for f in k.fields if f.shown], k.name
