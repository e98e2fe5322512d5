"""The shipped base scenario world_1939: size, required places, geography, owners, cited figures."""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
from global_land_mask import globe

from twinvipers.scenario import schema
from twinvipers.scenario.load import load

REQUIRED_REGIONS = [
    "berlin",
    "warsaw",
    "danzig",
    "konigsberg",
    "lwow",
    "brest_litovsk",
    "minsk",
    "kiev",
    "moscow",
    "leningrad",
    "murmansk",
    "arkhangelsk",
    "helsinki",
    "viipuri",
    "petsamo",
    "stockholm",
    "oslo",
    "paris",
    "london",
    "rome",
    # boundary regions the two halves of the map meet at
    "sverdlovsk",
    "chelyabinsk",
    "orenburg",
    "mashhad",
    "baku",
]
REQUIRED_ZONES = [
    "baltic_sea",
    "gulf_of_finland",
    "barents_sea",
    "north_sea",
    "caspian_sea",
    "arabian_sea",
    "red_sea",
]
#: COW stateabb of the powers whose figures are checked against the table.
COW_TAGS = {"GER": "GMY", "SOV": "RUS", "FRA": "FRN", "GBR": "UKG", "POL": "POL", "ITA": "ITA"}
COW_FIELDS = {
    "population": "tpop",
    "urban_population": "upop",
    "iron_steel": "irst",
    "energy": "pec",
    "military_personnel": "milper",
    "military_spending": "milex",
    "cinc": "cinc",
}


@cache
def scenario() -> schema.Scenario:
    return load("world_1939").scenario


def test_size():
    s = scenario()
    assert len(s.regions) >= 350
    assert len(s.sea_zones) >= 45


def test_required_ids_exist():
    s = scenario()
    regions = {r.id for r in s.regions}
    zones = {z.id for z in s.sea_zones}
    assert [r for r in REQUIRED_REGIONS if r not in regions] == []
    assert [z for z in REQUIRED_ZONES if z not in zones] == []


def test_every_region_point_is_on_land():
    at_sea = [r.id for r in scenario().regions if not globe.is_land(r.lat, r.lon)]
    assert at_sea == []


def test_every_region_reaches_every_other_over_land_or_sea():
    s = scenario()
    adj: dict[str, set[str]] = defaultdict(set)
    for e in s.edges:
        adj[e.a].add(e.b)
        adj[e.b].add(e.a)
    start = s.regions[0].id
    seen, stack = {start}, [start]
    while stack:
        for nxt in adj[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    cut_off = [r.id for r in s.regions if r.id not in seen]
    assert cut_off == []


def test_fleets_sit_in_ports_and_sea_zones():
    s = scenario()
    ports = {r.id for r in s.regions if r.port}
    zones = {z.id for z in s.sea_zones}
    assert [f.id for f in s.fleets if f.base not in ports] == []
    assert [f.id for f in s.fleets if f.zone is not None and f.zone not in zones] == []


@pytest.mark.parametrize(
    ("region", "owner", "controller"),
    [
        ("danzig", "DAN", "DAN"),
        ("konigsberg", "GER", "GER"),
        ("lwow", "POL", "POL"),
        ("viipuri", "FIN", "FIN"),
        ("harbin", "MAN", "MAN"),
        ("seoul", "JAP", "JAP"),
        ("beijing", None, "JAP"),
        ("chongqing", "CHN", "CHN"),
    ],
)
def test_spot_owners(region, owner, controller):
    s = scenario()
    r = next((r for r in s.regions if r.id == region), None)
    assert r is not None, f"no region {region!r}"
    if owner is not None:
        assert r.owner == owner
    assert (r.controller or r.owner) == controller


def test_danzig_is_the_free_city():
    danzig = next(p for p in scenario().powers if p.id == "DAN")
    assert "Free City" in danzig.name
    assert danzig.capital == "danzig"


def _cow_1939(shared: Path) -> dict[str, dict[str, str]]:
    path = shared / "data" / "cow-nmc" / "nmc-v6-1930-1945.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["stateabb"]: row for row in csv.DictReader(fh) if row["year"] == "1939"}


def test_cow_figures_loaded_as_cited(shared_dir):
    rows = _cow_1939(shared_dir)
    powers = {p.id: p for p in scenario().powers}
    for tag, abb in COW_TAGS.items():
        p = powers[tag]
        for field, column in COW_FIELDS.items():
            expected = float(rows[abb][column])
            value = getattr(p, field)
            if expected == -9:
                assert value is None, f"{tag}.{field}: COW has no figure"
                continue
            assert value == pytest.approx(expected, rel=1e-6), f"{tag}.{field}"
            cited = p.sources.get(field, p.source)
            assert cited is not None and "cow_nmc" in cited, f"{tag}.{field} must cite COW"
