"""Check a scenario's map: ids, edge endpoints, connectivity, points on land, long edges.

Usage: ``python tools/check_map.py [SCENARIO] [--long KM]`` (default ``world_1939``, 600 km).
The loader already rejects duplicate ids and dangling edge endpoints; this adds what it does not
check: every land region reaches every other over land or sea edges, every region point lies on
land (global_land_mask; coarse near coasts), every sea zone point at sea (lakes such as the Caspian
count as land in the mask and are only reported), land regions without a land edge (islands),
and land edges longer than ``--long`` km for a look by eye. Exits 1 when the map is cut or a
region lies at sea.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import defaultdict

from global_land_mask import globe

from twinvipers.scenario.load import load


def km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371 * math.acos(max(-1.0, min(1.0, c)))


def main(argv: list[str] | None = None) -> int:
    """Print the findings; return 1 when the map is cut or a region lies at sea."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="world_1939")
    ap.add_argument(
        "--long", type=float, default=600, help="Report land edges longer than this (km)."
    )
    args = ap.parse_args(argv)
    s = load(args.scenario).scenario
    where = {r.id: (r.lon, r.lat) for r in s.regions} | {z.id: (z.lon, z.lat) for z in s.sea_zones}
    land = {r.id for r in s.regions}
    adj: dict[str, set[str]] = defaultdict(set)
    land_degree: dict[str, int] = defaultdict(int)
    long_edges = []
    for e in s.edges:
        adj[e.a].add(e.b)
        adj[e.b].add(e.a)
        if e.a in land and e.b in land:
            land_degree[e.a] += 1
            land_degree[e.b] += 1
            d = km(*where[e.a], *where[e.b])
            if d > args.long:
                long_edges.append((round(d), e.a, e.b))
    start = s.regions[0].id
    seen, stack = {start}, [start]
    while stack:
        for nxt in adj[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    cut = sorted(r.id for r in s.regions if r.id not in seen)
    at_sea = sorted(r.id for r in s.regions if not globe.is_land(r.lat, r.lon))
    zones_on_land = sorted(z.id for z in s.sea_zones if globe.is_land(z.lat, z.lon))
    islands = sorted(r for r in land if land_degree[r] == 0)
    print(f"{len(s.regions)} regions, {len(s.sea_zones)} sea zones, {len(s.edges)} edges")
    print(f"unreachable regions: {cut or 'none'}")
    print(f"region points at sea: {at_sea or 'none'}")
    print(f"sea zone points on land (lakes?): {zones_on_land or 'none'}")
    print(f"regions reached only by sea: {islands or 'none'}")
    for d, a, b in sorted(long_edges, reverse=True):
        print(f"long land edge: {a} - {b} {d} km")
    return 1 if cut or at_sea else 0


if __name__ == "__main__":
    sys.exit(main())
