"""The web map's geography: Natural Earth land, region cells clipped to it, theatres.

Land is Natural Earth's 1:50m land polygons as the npm package ``world-atlas`` ships them
(TopoJSON; Natural Earth is public domain, world-atlas ISC). ``make`` installs it and copies it
into ``web/static/vendor/world-atlas/``: nothing is fetched at run time. Why this package: on
PyPI, cartopy and geodatasets download Natural Earth on first use, geopandas stopped shipping its
sample in 1.0, and the packages that do ship vectors carry other data (GSHHS, modern borders);
world-atlas is the widely used, pinned, 0.5 MB build of the land layer itself, and TopoJSON is
decoded here in a few lines. Modern borders (its countries layer) would mislead on a 1939 map, so
only the land is used.

A region's cell is the land nearer to its point than to any other region's point (a Voronoi cell
in a Mercator plane, as ``world.geometry`` does), clipped to Natural Earth land and to the
scenario's own extent (the concave hull of each cluster of regions, widened by a margin), never
to a circle around each point. A
region with a ``boundary`` in the scenario keeps its outline.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.affinity
import yaml
from shapely.geometry import MultiPoint, Polygon, box, mapping, shape
from shapely.geometry.base import BaseGeometry

VENDOR = Path(__file__).parent / "static" / "vendor" / "world-atlas"
THEATRES_FILE = Path(__file__).parent / "theatres.yaml"
#: Degrees added around the regions' concave hull: cells stop there instead of running on
#: across a continent the scenario does not model.
HULL_MARGIN = 2.5
#: Degrees between neighbouring points of one cluster of regions (see :func:`extent`).
CLUSTER_REACH = 12.0
_MAX_LAT = 85.0


class LandMissingError(RuntimeError):
    """The Natural Earth land file is not installed (run ``make``)."""


def land_source() -> dict[str, Any]:
    """Where the land comes from, and whether it is installed."""
    path = VENDOR / "land-50m.json"
    return {
        "package": "world-atlas 2.0.2 (npm, ISC licence)",
        "data": "Natural Earth 1:50m land (public domain)",
        "installed": path.is_file(),
    }


def _decode_topojson(topo: dict[str, Any], name: str) -> BaseGeometry:
    """One object of a quantized TopoJSON topology as a shapely geometry (lon/lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        a = np.cumsum(np.asarray(arc, dtype=float), axis=0)  # delta-encoded positions
        arcs.append(np.column_stack([a[:, 0] * sx + tx, a[:, 1] * sy + ty]))

    def ring(indices: list[int]) -> np.ndarray:
        pts: list[np.ndarray] = []
        for i in indices:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.append(a if not pts else a[1:])  # consecutive arcs share an end point
        return np.concatenate(pts)

    polys: list[BaseGeometry] = []
    geoms = topo["objects"][name]
    items = geoms["geometries"] if geoms["type"] == "GeometryCollection" else [geoms]
    for g in items:
        groups = [g["arcs"]] if g["type"] == "Polygon" else g.get("arcs", [])
        for rings in groups:
            rs = [_unwrap(ring(r)) for r in rings]
            if len(rs[0]) >= 4:
                poly = shapely.make_valid(Polygon(rs[0], [r for r in rs[1:] if len(r) >= 4]))
                polys.extend(_fold(poly))
    return _polygonal(shapely.union_all(np.array(polys, dtype=object)))


def _unwrap(r: np.ndarray) -> np.ndarray:
    """A ring with continuous longitudes; one circling a pole is closed along it.

    world-atlas 2 keeps spherical polygons whole: Eurasia's ring crosses the antimeridian
    (Chukotka) and Antarctica's circles the South Pole. Read as planar rings they would cross
    the whole map, so longitudes are unwrapped here and :func:`_fold` cuts them back.
    """
    lon = r[:, 0].copy()
    jumps = np.round(np.diff(lon) / 360.0)
    lon[1:] -= 360.0 * np.cumsum(jumps)
    out = np.column_stack([lon, r[:, 1]])
    if abs(lon[-1] - lon[0]) > 180:  # around a pole: close the ring along it
        pole = -90.0 if r[:, 1].mean() < 0 else 90.0
        out = np.vstack([out, [[lon[-1], pole], [lon[0], pole]], out[:1]])
    return out


def _fold(g: BaseGeometry) -> list[BaseGeometry]:
    """The parts of an unwrapped geometry moved back into -180..180 degrees of longitude."""
    parts = []
    for shift in (-720.0, -360.0, 0.0, 360.0, 720.0):
        piece = g.intersection(box(-180.0 - shift, -90.0, 180.0 - shift, 90.0))
        if not piece.is_empty:
            parts.append(shapely.affinity.translate(piece, xoff=shift))
    return parts


@functools.cache
def land(scale: str = "50m") -> BaseGeometry:
    """Natural Earth land at ``50m`` or ``110m`` as one lon/lat (Multi)Polygon."""
    path = VENDOR / f"land-{scale}.json"
    if not path.is_file():
        raise LandMissingError(f"{path} is missing: run `make` (it installs world-atlas from npm)")
    return _decode_topojson(json.loads(path.read_text(encoding="utf-8")), "land")


def _merc(xy: np.ndarray) -> np.ndarray:
    lat = np.radians(np.clip(xy[:, 1], -_MAX_LAT, _MAX_LAT))
    return np.column_stack([np.radians(xy[:, 0]), np.log(np.tan(np.pi / 4 + lat / 2))])


def _inv_merc(xy: np.ndarray) -> np.ndarray:
    return np.column_stack(
        [np.degrees(xy[:, 0]), np.degrees(2 * np.arctan(np.exp(xy[:, 1])) - np.pi / 2)]
    )


def _polygonal(g: BaseGeometry) -> BaseGeometry:
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else Polygon()


def region_cells(
    ids: Sequence[str],
    lons: Sequence[float],
    lats: Sequence[float],
    boundaries: dict[str, Any] | None = None,
    land_geom: BaseGeometry | None = None,
) -> dict[str, BaseGeometry]:
    """Cells of land regions: Voronoi cells of their points, clipped to land and the extent."""
    ids = list(ids)
    if not ids:
        return {}
    pts = np.column_stack([np.asarray(lons, float), np.asarray(lats, float)])
    ground = land_geom if land_geom is not None else land()
    hull = extent(pts)
    m = _merc(pts)
    # identical points would share one cell: nudge repeats apart
    _, first = np.unique(np.round(m, 9), axis=0, return_index=True)
    for i in sorted(set(range(len(ids))) - set(first.tolist())):
        m[i] += 1e-6 * (i + 1)
    if len(ids) == 1:
        cells_m = [box(-10, -10, 10, 10)]
    else:
        env = box(*m.min(axis=0), *m.max(axis=0)).buffer(10)
        vor = list(shapely.get_parts(shapely.voronoi_polygons(MultiPoint(m), extend_to=env)))
        tree = shapely.STRtree(vor)
        p_idx, c_idx = tree.query(shapely.points(m), predicate="intersects")
        order: dict[int, int] = {}
        for p, c in zip(p_idx.tolist(), c_idx.tolist(), strict=True):
            order.setdefault(p, c)
        cells_m = [vor[order[i]] for i in range(len(ids))]
    limit = hull.intersection(ground)
    shapely.prepare(limit)
    out: dict[str, BaseGeometry] = {}
    for rid, cm, (x, y) in zip(ids, cells_m, pts, strict=True):
        ring = boundaries.get(rid) if boundaries else None
        if ring:
            outline = Polygon(ring)
            out[rid] = outline if outline.is_valid else outline.buffer(0)
            continue
        cell = shapely.transform(cm.segmentize(0.02), _inv_merc)
        g = _polygonal(shapely.make_valid(limit.intersection(cell)))
        if g.is_empty:  # a point off the coastline at this scale: a small mark, not nothing
            g = cell.intersection(shapely.Point(x, y).buffer(0.25))
        out[rid] = g
    return out


def extent(pts: np.ndarray, reach: float = CLUSTER_REACH) -> BaseGeometry:
    """Where a scenario's regions are: the concave hull of each cluster of points, widened.

    Points within ``reach`` degrees of another (in chains) form a cluster, so that a region
    across an ocean (Washington beside Europe) gets its own neighbourhood instead of a hull
    spanning the ocean and the continent behind it.
    """
    points = shapely.points(pts)
    blobs = shapely.get_parts(shapely.union_all(shapely.buffer(points, reach / 2)))
    parts = []
    for blob in blobs:
        members = pts[shapely.contains_xy(blob, pts[:, 0], pts[:, 1])]
        parts.append(shapely.concave_hull(MultiPoint(members), ratio=0.4).buffer(HULL_MARGIN))
    return shapely.union_all(parts)


def _rounded(geom: BaseGeometry, tolerance: float) -> dict[str, Any] | None:
    if geom.is_empty:
        return None
    g = geom.simplify(tolerance, preserve_topology=True)
    g = shapely.set_precision(g, 0.001)
    return mapping(g) if not g.is_empty else None


#: Bump when the cells or their encoding change: cached maps of older versions are ignored.
MAP_VERSION = "5"


def regions_geojson(rows: list[dict[str, Any]], tolerance: float = 0.02) -> dict[str, Any]:
    """The regions table as GeoJSON cells and points, with the borders between cells.

    Cached on disk (the twinvipers cache folder) by the regions' ids, points and outlines: the
    world's 800 regions take seconds to cut, and every ensemble of a scenario shares them.
    """
    from twinvipers.ensemble.store import atomic_write_bytes
    from twinvipers.world.geometry import cache_dir

    keyed = [
        [r["region"], r.get("kind"), r["lon"], r["lat"], r.get("boundary"), r.get("name"),
         r.get("vp"), r.get("owner")]
        for r in rows
    ]  # fmt: skip
    text = json.dumps([MAP_VERSION, tolerance, keyed], sort_keys=True, default=str)
    key = hashlib.sha256(text.encode()).hexdigest()[:24]
    path = cache_dir() / f"web-map-{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    out = _regions_geojson(rows, tolerance)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, json.dumps(out, separators=(",", ":")).encode())
    except OSError:
        pass  # a read-only cache costs time, not correctness
    return out


def _regions_geojson(rows: list[dict[str, Any]], tolerance: float) -> dict[str, Any]:
    landr = [r for r in rows if (r.get("kind") or "land") == "land"]
    bounds = {}
    for r in landr:
        b = r.get("boundary")
        if isinstance(b, str) and b:
            try:
                bounds[r["region"]] = json.loads(b)
            except ValueError:
                bounds[r["region"]] = None
    cells = region_cells(
        [r["region"] for r in landr], [r["lon"] for r in landr], [r["lat"] for r in landr], bounds
    )
    edges = borders(cells, tolerance)
    feats = []
    for r in rows:
        geom = _rounded(cells[r["region"]], tolerance) if r["region"] in cells else None
        feats.append(
            {
                "type": "Feature",
                "id": r["region"],
                "geometry": geom,
                "properties": {
                    "region": r["region"],
                    "name": r.get("name") or r["region"],
                    "kind": r.get("kind") or "land",
                    "lon": r["lon"],
                    "lat": r["lat"],
                    "vp": r.get("vp") or 0,
                    "owner": r.get("owner"),
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats, "borders": edges}


def borders(cells: dict[str, BaseGeometry], tolerance: float = 0.02) -> list[dict[str, Any]]:
    """The shared edges of touching cells: ``{"a", "b", "geometry"}`` (GeoJSON lines).

    The page draws a front where the holders of ``a`` and ``b`` are at war with each other.
    """
    ids = [k for k, g in cells.items() if not g.is_empty]
    geoms = [cells[k] for k in ids]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    out = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        edge = geoms[i].boundary.intersection(geoms[j].boundary.buffer(1e-7))
        lines = [
            p for p in shapely.get_parts(edge) if p.geom_type in ("LineString", "MultiLineString")
        ]
        if not lines:
            continue
        line = shapely.line_merge(shapely.union_all(lines)).simplify(tolerance)
        line = shapely.set_precision(line, 0.001)
        if line.is_empty or line.length < 1e-3:
            continue
        out.append({"a": ids[i], "b": ids[j], "geometry": mapping(line)})
    return out


def land_geojson(bbox: tuple[float, float, float, float], tolerance: float) -> dict[str, Any]:
    """Natural Earth land inside ``bbox`` (lon0, lat0, lon1, lat1), simplified."""
    g = land().intersection(box(*bbox))
    geom = _rounded(_polygonal(g), tolerance)
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": geom, "properties": {}}] if geom else [],
    }


@functools.cache
def theatre_table() -> list[dict[str, Any]]:
    """The theatre views of ``theatres.yaml``: id, name, bbox."""
    raw = yaml.safe_load(THEATRES_FILE.read_text(encoding="utf-8"))
    return [
        {"id": t["id"], "name": t["name"], "bbox": [float(v) for v in t["bbox"]]}
        for t in raw["theatres"]
    ]


def theatres_for(points: dict[str, tuple[float, float]], least: int = 2) -> list[dict[str, Any]]:
    """The whole map and each theatre holding at least ``least`` of the regions' points."""
    if not points:
        return []
    xs = [p[0] for p in points.values()]
    ys = [p[1] for p in points.values()]
    whole = [min(xs) - 2, min(ys) - 2, max(xs) + 2, max(ys) + 2]
    out = [{"id": "whole", "name": "The whole map", "bbox": whole, "regions": len(points)}]
    for t in theatre_table():
        x0, y0, x1, y1 = t["bbox"]
        n = sum(1 for x, y in points.values() if x0 <= x <= x1 and y0 <= y <= y1)
        if n >= least:
            out.append({**t, "regions": n})
    return out


def shape_of(feature: dict[str, Any]) -> BaseGeometry:
    """A GeoJSON feature's geometry as shapely (for tests)."""
    return shape(feature["geometry"])
