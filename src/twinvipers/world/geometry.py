"""Region shapes from region points: Voronoi cells clipped to land and to the map's reach.

The scenario gives each region a point, not a border. For maps we draw each land region as the
part of the land nearer to its point than to any other point, within the map's reach (the
concave hull of all the points, widened by ``HULL_MARGIN``) and no farther than ``radius``
degrees of arc from it. The hull, not a circle per point, is what bounds the cells on the map's
edge (the Sahara, Tibet, Siberia), and it keeps land the map leaves out (India) empty. Land comes from the ``global_land_mask`` package's 1 km mask (shipped with the
package, nothing is downloaded), averaged to a coarse grid and traced with ``contourpy``.

Cells are computed in a Mercator plane: it is conformal, so the perpendicular bisectors of
nearby points are close to the true (great-circle) ones even at 60°N, where a plain lon/lat
plane would squash cells east-west. Results are cached on disk keyed by the inputs and
``GEOMETRY_VERSION``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

# Bump when the algorithm changes so stale cache entries are ignored.
GEOMETRY_VERSION = "3"

_MASK_PX_PER_DEG = 120  # global_land_mask: 1/120 degree pixels, lat from +90, lon from -180
_MAX_LAT = 85.0  # Mercator blows up at the poles; no region of ours is near them
HULL_RATIO = 0.05  # shapely.concave_hull: 0 follows the points closely, 1 is the convex hull
HULL_MARGIN = 3.0  # degrees beyond the hull a cell may reach (a region or two deep)

Bounds = tuple[float, float, float, float]


# --------------------------------------------------------------------------- cache


def cache_dir() -> Path:
    """Directory for cached geometry (``$TWINVIPERS_CACHE``, else XDG cache, else ~/.cache)."""
    env = os.environ.get("TWINVIPERS_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "twinvipers"


def _key(kind: str, payload: object) -> str:
    text = json.dumps([kind, GEOMETRY_VERSION, payload], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _atomic_save_npz(path: Path, **arrays: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _save_geoms(path: Path, ids: Sequence[str], geoms: Sequence[BaseGeometry]) -> None:
    # WKB blobs concatenated with offsets: no pickle, so a cache file cannot run code.
    blobs = [shapely.to_wkb(g) for g in geoms]
    offsets = np.cumsum([0] + [len(b) for b in blobs]).astype(np.int64)
    data = np.frombuffer(b"".join(blobs), dtype=np.uint8)
    _atomic_save_npz(path, ids=np.array(list(ids), dtype=str), offsets=offsets, data=data)


def _load_geoms(path: Path) -> dict[str, BaseGeometry] | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            ids, offsets, data = z["ids"], z["offsets"], z["data"].tobytes()
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    return {str(i): shapely.from_wkb(data[offsets[k] : offsets[k + 1]]) for k, i in enumerate(ids)}


# --------------------------------------------------------------------------- land


def land_fraction_grid(res: float = 0.25) -> tuple[np.ndarray, float]:
    """Global land fraction on a ``res``-degree grid (rows from 90°N, columns from 180°W).

    Loading the 1 km mask takes ~6 s and ~1 GB, so the coarse grid is cached on disk.

    Returns:
        ``(grid, res)``: float32 array of shape ``(180/res, 360/res)`` and the actual resolution.
    """
    block = max(1, round(res * _MASK_PX_PER_DEG))
    res = block / _MASK_PX_PER_DEG
    path = cache_dir() / f"landfrac-{_key('landfrac', block)}.npz"
    if path.exists():
        try:
            with np.load(path, allow_pickle=False) as z:
                return z["grid"], res
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            pass
    from global_land_mask import globe  # lazy: importing it loads the whole mask

    water = globe._mask  # True = water
    nr, nc = water.shape[0] // block, water.shape[1] // block
    grid = np.empty((nr, nc), dtype=np.float32)
    step = 32  # rows of blocks per chunk: bounds the temporary memory
    for r0 in range(0, nr, step):
        r1 = min(nr, r0 + step)
        chunk = water[r0 * block : r1 * block, : nc * block]
        wet = chunk.reshape(r1 - r0, block, nc, block).sum(axis=(1, 3), dtype=np.int32)
        grid[r0:r1] = 1.0 - wet / float(block * block)
    _atomic_save_npz(path, grid=grid)
    return grid, res


def land_polygons(bounds: Bounds, res: float = 0.25, simplify: float | None = None) -> BaseGeometry:
    """Land inside ``bounds`` (lon_min, lat_min, lon_max, lat_max) as a lon/lat (Multi)Polygon.

    Traced at half land on a ``res``-degree grid, so islands smaller than about a grid cell are
    dropped. ``simplify`` (degrees, default ``res / 3``) smooths the grid's staircase.
    """
    import contourpy  # matplotlib's own contouring library; no pyplot needed

    grid, res = land_fraction_grid(res)
    lon0, lat0, lon1, lat1 = bounds
    lon0, lon1 = max(-180.0, lon0), min(180.0, lon1)
    lat0, lat1 = max(-90.0, lat0), min(90.0, lat1)
    # one cell of padding outside the box so coasts are traced right up to its edge
    c0 = max(0, int(np.floor((lon0 + 180.0) / res)) - 1)
    c1 = min(grid.shape[1], int(np.ceil((lon1 + 180.0) / res)) + 1)
    r0 = max(0, int(np.floor((90.0 - lat1) / res)) - 1)
    r1 = min(grid.shape[0], int(np.ceil((90.0 - lat0) / res)) + 1)
    z = grid[r0:r1, c0:c1].astype(np.float64)
    if z.size == 0 or z.max() < 0.5:
        return shapely.Polygon()
    x = -180.0 + (np.arange(c0, c1) + 0.5) * res
    y = 90.0 - (np.arange(r0, r1) + 0.5) * res
    gen = contourpy.contour_generator(x, y, z, fill_type=contourpy.FillType.OuterOffset)
    points, offsets = gen.filled(0.5, 2.0)
    polys = []
    for pts, offs in zip(points, offsets, strict=True):
        rings = [pts[offs[k] : offs[k + 1]] for k in range(len(offs) - 1)]
        rings = [r for r in rings if len(r) >= 4]
        if rings:
            polys.append(shapely.Polygon(rings[0], rings[1:]))
    land = shapely.make_valid(shapely.union_all(polys))
    land = land.simplify(res / 3 if simplify is None else simplify)
    return shapely.make_valid(land).intersection(box(*bounds))


# --------------------------------------------------------------------------- cells


def _to_merc(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat = np.clip(lat, -_MAX_LAT, _MAX_LAT)
    return lon, np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def _merc_xy(xy: np.ndarray) -> np.ndarray:
    x, y = _to_merc(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def _inv_merc_xy(xy: np.ndarray) -> np.ndarray:
    lat = np.degrees(2 * np.arctan(np.exp(np.radians(xy[:, 1]))) - np.pi / 2)
    return np.column_stack([xy[:, 0], lat])


def _polygonal(g: BaseGeometry) -> BaseGeometry:
    """Keep only the areal parts (intersections can leave stray lines and points)."""
    if g.is_empty or g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def points_bounds(lons: Sequence[float], lats: Sequence[float], margin: float = 0.0) -> Bounds:
    """Bounding box of points plus a margin in degrees, clamped to the globe."""
    lons, lats = np.asarray(lons, float), np.asarray(lats, float)
    return (
        max(-180.0, float(lons.min()) - margin),
        max(-89.0, float(lats.min()) - margin),
        min(180.0, float(lons.max()) + margin),
        min(89.0, float(lats.max()) + margin),
    )


def region_cells(
    ids: Sequence[str],
    lons: Sequence[float],
    lats: Sequence[float],
    radius: float = 5.0,
    res: float = 0.25,
    seed_radius: float = 0.2,
    use_cache: bool = True,
) -> dict[str, BaseGeometry]:
    """Shapes of land regions: Voronoi cells of their points, clipped to land and a radius.

    Args:
        ids: Region ids (unique).
        lons: Longitudes in degrees (no wrap across 180°).
        lats: Latitudes in degrees.
        radius: No part of a cell lies farther than about this many degrees of arc from its point.
        res: Land grid resolution in degrees.
        seed_radius: Every cell also keeps a disc of this radius around its point (within its
            Voronoi cell), so a coastal or small-island point still gets a visible, non-empty
            shape that contains it.
        use_cache: Read and write the on-disk cache.

    Returns:
        Region id to a lon/lat Polygon or MultiPolygon, in the order of ``ids``. Cells are
        pairwise disjoint up to floating-point noise.
    """
    ids = [str(i) for i in ids]
    lon = np.asarray(lons, dtype=float)
    lat = np.asarray(lats, dtype=float)
    if not (len(ids) == len(lon) == len(lat)):
        raise ValueError("ids, lons and lats must have the same length")
    if len(set(ids)) != len(ids):
        raise ValueError("region ids must be unique")
    if not ids:
        return {}
    payload = {
        "ids": ids,
        "lon": np.round(lon, 6).tolist(),
        "lat": np.round(lat, 6).tolist(),
        "radius": radius,
        "res": res,
        "seed": seed_radius,
        "hull": [HULL_RATIO, HULL_MARGIN],
    }
    path = cache_dir() / f"cells-{_key('cells', payload)}.npz"
    if use_cache and path.exists():
        cached = _load_geoms(path)
        if cached is not None and list(cached) == ids:
            return cached

    cells = _compute_cells(lon, lat, radius, res, seed_radius)
    if use_cache:
        _save_geoms(path, ids, cells)
    return dict(zip(ids, cells, strict=True))


def _compute_cells(
    lon: np.ndarray, lat: np.ndarray, radius: float, res: float, seed_radius: float
) -> list[BaseGeometry]:
    n = len(lon)
    bounds = points_bounds(lon, lat, margin=radius + 1.0)
    land_ll = land_polygons(bounds, res)
    mx, my = _to_merc(lon, lat)
    # identical points would share one Voronoi cell; nudge repeats apart
    seen: dict[tuple[float, float], int] = {}
    for i in range(n):
        k = (round(mx[i], 9), round(my[i], 9))
        if k in seen:
            mx[i] += 1e-6 * (seen[k] + 1)
        seen[k] = seen.get(k, 0) + 1
    # Mercator stretches distance by sec(lat): scale the radius at each point to match
    scale = 1.0 / np.cos(np.radians(np.clip(lat, -_MAX_LAT, _MAX_LAT)))
    discs = shapely.buffer(shapely.points(mx, my), radius * scale, quad_segs=16)
    seeds = shapely.buffer(shapely.points(mx, my), seed_radius * scale, quad_segs=8)
    if n == 1:
        vor = np.array([shapely.box(-1e4, -1e4, 1e4, 1e4)], dtype=object)
    else:
        env = box(mx.min(), my.min(), mx.max(), my.max()).buffer(10 * radius + 10)
        vor_gc = shapely.voronoi_polygons(MultiPoint(np.column_stack([mx, my])), extend_to=env)
        vor = np.array(list(shapely.get_parts(vor_gc)), dtype=object)
        # voronoi_polygons' output order is unspecified; match cells to points by containment
        tree = shapely.STRtree(vor)
        pidx, cidx = tree.query(shapely.points(mx, my), predicate="intersects")
        order = np.full(n, -1)
        for p, c in zip(pidx, cidx, strict=True):
            if order[p] < 0:
                order[p] = c
        vor = np.array(
            [vor[c] if c >= 0 else Point(mx[i], my[i]).buffer(1e-9) for i, c in enumerate(order)],
            dtype=object,
        )
    # Back to lon/lat before clipping: neighbouring Voronoi cells share exact vertices (also after
    # segmentize), so clipping both against the same lon/lat land keeps their common edge exact.
    # Clipping in Mercator and transforming afterwards bends edges differently on each side.
    vor = np.array([shapely.transform(v.segmentize(0.25), _inv_merc_xy) for v in vor], dtype=object)
    discs = shapely.transform(discs, _inv_merc_xy)
    seeds = shapely.transform(seeds, _inv_merc_xy)
    # The map's reach: the concave hull of the points, widened by ``margin``. A cell on the map's
    # edge stops there, along the shape of the point cloud, not on a circle of its own; and land
    # with no point of its own inside the hull's bays (a subcontinent the map leaves out) stays
    # out. The discs still bound a cell inside a hull drawn around a very sparse region.
    hull = shapely.concave_hull(MultiPoint(np.column_stack([lon, lat])), ratio=HULL_RATIO)
    reach = hull.buffer(HULL_MARGIN) if n > 2 else shapely.union_all(discs)
    near = shapely.intersection(shapely.intersection(vor, discs), reach)
    # Land is one big geometry; clipping it by each cell's box first keeps every GEOS call small.
    shapely.prepare(land_ll)
    out: list[BaseGeometry] = []
    for i in range(n):
        c = near[i]
        part = None
        if not c.is_empty and land_ll.intersects(c):
            part = land_ll.intersection(box(*c.bounds)).intersection(c)
        seed = vor[i].intersection(seeds[i])
        g = shapely.union_all([part, seed]) if part is not None and not part.is_empty else seed
        # Neighbours' shared edges agree to ~1e-12°; union with grid_size=1e-6 to dissolve them
        # cleanly (snapping each cell here instead costs 5× the time and makes overlaps).
        out.append(_polygonal(shapely.make_valid(g)))
    return out


def cells_with_boundaries(
    ids: Sequence[str],
    lons: Sequence[float],
    lats: Sequence[float],
    boundaries: Mapping[str, Sequence[tuple[float, float]] | None] | None = None,
    **kwargs: Any,
) -> dict[str, BaseGeometry]:
    """Region shapes: a scenario's own outline where it gives one, else the Voronoi cell."""
    cells = region_cells(ids, lons, lats, **kwargs)
    for rid, ring in (boundaries or {}).items():
        if ring:
            shape = Polygon(ring)
            cells[rid] = shape if shape.is_valid else shape.buffer(0)
    return cells


def scenario_cells(scenario: object, **kwargs: object) -> dict[str, BaseGeometry]:
    """Cells for a loaded scenario's land regions (``scenario.regions`` with id, lon, lat)."""
    regions = list(scenario.regions)  # type: ignore[attr-defined]
    return cells_with_boundaries(
        [r.id for r in regions],
        [r.lon for r in regions],
        [r.lat for r in regions],
        {r.id: r.boundary for r in regions if getattr(r, "boundary", None)},
        **kwargs,  # type: ignore[arg-type]
    )
