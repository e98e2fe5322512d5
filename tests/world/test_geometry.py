import itertools
import time

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, Polygon

from twinvipers.world import geometry as g

# A dozen points on the Polish front (lon, lat), all on land.
POINTS = {
    "berlin": (13.40, 52.52),
    "stettin": (14.55, 53.43),
    "breslau": (17.03, 51.11),
    "konigsberg": (20.51, 54.71),
    "poznan": (16.93, 52.41),
    "warsaw": (21.01, 52.23),
    "lodz": (19.46, 51.76),
    "krakow": (19.94, 50.06),
    "lwow": (24.03, 49.84),
    "brest": (23.69, 52.10),
    "wilno": (25.28, 54.69),
    "minsk": (27.56, 53.90),
}


@pytest.fixture(scope="module")
def cache(geometry_cache):
    return geometry_cache


@pytest.fixture(scope="module")
def cells(cache):
    ids = list(POINTS)
    lons = [POINTS[i][0] for i in ids]
    lats = [POINTS[i][1] for i in ids]
    return g.region_cells(ids, lons, lats)


def test_land_polygons_know_land_from_sea(cache):
    land = g.land_polygons((10.0, 50.0, 25.0, 58.0))
    assert land.contains(Point(21.0, 52.2))  # Warsaw
    assert not land.contains(Point(18.0, 56.0))  # Baltic Sea
    assert land.area > 50


def test_cells_are_non_empty_and_hold_their_points(cells):
    assert list(cells) == list(POINTS)
    for rid, geom in cells.items():
        assert not geom.is_empty and geom.area > 0.1, rid
        assert geom.geom_type in ("Polygon", "MultiPolygon")
        assert geom.contains(Point(*POINTS[rid])), rid


def test_cells_are_disjoint(cells):
    for (a, ga), (b, gb) in itertools.combinations(cells.items(), 2):
        assert ga.intersection(gb).area < 1e-9, (a, b)


def test_cells_stay_within_radius_and_on_land(cache):
    cells = g.region_cells(["lone"], [21.0], [52.2], radius=3.0)
    geom = cells["lone"]
    lon0, lat0, lon1, lat1 = geom.bounds
    assert lat1 - lat0 < 6.2  # about 2 × radius north-south
    assert lon1 - lon0 < 6.2 / np.cos(np.radians(52.2)) + 0.5
    # the Baltic is not part of it
    assert not geom.contains(Point(18.0, 55.5))


def test_coastal_point_off_land_still_gets_a_cell(cache):
    # A point far out in the Atlantic: no land within its radius, so its cell is just the
    # small seed disc around it. A point in the Baltic still gets the coasts nearest to it.
    cells = g.region_cells(["a", "b", "c"], [-20.0, 21.0, 18.5], [45.0, 52.2, 55.8])
    assert cells["a"].contains(Point(-20.0, 45.0))
    assert 0 < cells["a"].area < 0.5
    assert cells["c"].contains(Point(18.5, 55.8))


def test_cache_returns_the_same_geometry(cache):
    ids = list(POINTS)
    lons = [POINTS[i][0] for i in ids]
    lats = [POINTS[i][1] for i in ids]
    fresh = g.region_cells(ids, lons, lats, use_cache=False)
    t = time.perf_counter()
    cached = g.region_cells(ids, lons, lats)
    assert time.perf_counter() - t < 1.0
    assert list(cached) == ids
    for rid in ids:
        assert shapely.equals_exact(fresh[rid], cached[rid], tolerance=1e-9)
    assert any(cache.glob("cells-*.npz"))


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError):
        g.region_cells(["a", "a"], [1.0, 2.0], [50.0, 50.0], use_cache=False)


def test_corrupt_cache_file_is_recomputed(cache):
    ids, lons, lats = ["w", "k"], [21.0, 19.9], [52.2, 50.1]
    first = g.region_cells(ids, lons, lats)
    for f in cache.glob("cells-*.npz"):
        f.write_bytes(b"not a zip")
    again = g.region_cells(ids, lons, lats)
    assert again["w"].equals(first["w"])


def test_a_scenario_outline_replaces_the_voronoi_cell():
    from twinvipers.world.geometry import cells_with_boundaries

    ids, lons, lats = ["a", "b", "c"], [10.0, 14.0, 18.0], [50.0, 51.0, 50.5]
    square = [(9.0, 49.0), (11.0, 49.0), (11.0, 51.0), (9.0, 51.0)]
    cells = cells_with_boundaries(ids, lons, lats, {"a": square, "b": None})
    assert cells["a"].equals(Polygon(square))
    assert not cells["b"].equals(Polygon(square)) and cells["b"].area > 0


def test_land_the_map_leaves_out_stays_out_and_edges_are_not_circles(cache):
    # Regions all round India but none in it, as on the 1939 world map: with a wide radius, the
    # cells of Kabul, Lhasa and Rangoon must not spread over the subcontinent, and an edge cell
    # ends within the margin of the points' hull, not on a 15-degree circle of its own.
    pts = {
        "tehran": (51.4, 35.7),
        "kabul": (69.2, 34.5),
        "tashkent": (69.2, 41.3),
        "urumqi": (87.6, 43.8),
        "lhasa": (91.1, 29.6),
        "kunming": (102.7, 25.0),
        "rangoon": (96.2, 16.8),
        "muscat": (58.4, 23.6),
        "baghdad": (44.4, 33.3),
        "chengdu": (104.1, 30.7),
        "lanzhou": (103.8, 36.1),
    }
    ids = list(pts)
    cells = g.region_cells(ids, [pts[i][0] for i in ids], [pts[i][1] for i in ids], radius=15.0)
    for town in ((77.2, 28.6), (79.1, 21.1), (72.9, 19.1)):  # Delhi, Nagpur, Bombay
        assert not any(c.contains(Point(town)) for c in cells.values())
    hull = shapely.concave_hull(shapely.MultiPoint(list(pts.values())), ratio=g.HULL_RATIO)
    reach = hull.buffer(g.HULL_MARGIN + 0.5)  # segmentised edges wander a little
    assert all(reach.contains(c) for c in cells.values())
