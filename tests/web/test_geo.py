"""The web map's geography: Natural Earth land from world-atlas, cells clipped to it, theatres."""

import pytest
import shapely
from shapely.geometry import Point, box

from twinvipers.web import geo

pytestmark = pytest.mark.skipif(
    not geo.land_source()["installed"], reason="world-atlas land is not installed (run make)"
)


def test_land_is_natural_earth_with_recognisable_coasts():
    land = geo.land()
    assert land.geom_type in ("Polygon", "MultiPolygon") and land.is_valid
    # Places on land and at sea, checked against the decoded TopoJSON.
    for lon, lat in [(21.0, 52.2), (28.7, 60.7), (126.6, 45.8), (2.35, 48.85), (31.1, 70.0 - 0.6)]:
        assert land.contains(Point(lon, lat)), (lon, lat)
    for lon, lat in [(19.0, 55.5), (15.0, 40.0), (135.0, 40.0), (-30.0, 40.0)]:
        assert not land.contains(Point(lon, lat)), (lon, lat)
    # The 50m land draws the Gulf of Finland and the Kola peninsula: the Gulf is sea.
    assert not land.contains(Point(26.0, 59.9))
    # world-atlas keeps Eurasia whole across the antimeridian and Antarctica around the pole:
    # decoded as planar rings without care, Lapland and Karelia fell out of the land.
    for lon, lat in [(25.7, 66.5), (33.0, 66.0), (100.0, 60.0), (175.0, 66.0), (-175.0, 66.0),
                     (150.0, -80.0)]:  # fmt: skip
        assert land.contains(Point(lon, lat)), (lon, lat)
    assert land.bounds[0] == -180.0 and land.bounds[2] == 180.0


def test_topojson_decoding_of_a_tiny_topology():
    # One square as two arcs (the second reversed), quantized with a scale and translate.
    topo = {
        "transform": {"scale": [1.0, 1.0], "translate": [10.0, 20.0]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[0, 0], [0, 2], [2, 0]]],
        "objects": {"land": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, ~1]]}]}},
    }  # fmt: skip
    g = geo._decode_topojson(topo, "land")
    assert g.equals(box(10, 20, 12, 22))


def test_cells_are_land_disjoint_and_hold_their_points():
    ids = ["warsaw", "krakow", "lodz", "danzig", "helsinki", "viipuri"]
    lons = [21.01, 19.94, 19.46, 18.65, 24.94, 28.74]
    lats = [52.23, 50.06, 51.76, 54.35, 60.17, 60.71]
    cells = geo.region_cells(ids, lons, lats)
    land = geo.land()
    for rid, x, y in zip(ids, lons, lats, strict=True):
        c = cells[rid]
        assert not c.is_empty and c.geom_type in ("Polygon", "MultiPolygon")
        assert c.buffer(0.05).contains(Point(x, y)), rid
        # clipped to the coast: nothing of it out at sea (up to the segmentizing tolerance)
        assert c.difference(land.buffer(0.01)).area < 1e-6, rid
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            assert cells[a].intersection(cells[b]).area < 1e-6, (a, b)
    # Danzig's cell stops at the Baltic: no part of it north of the Hel peninsula's sea.
    assert not cells["danzig"].contains(Point(18.9, 55.2))
    # No circle: the union of the cells reaches every piece of land within the extent.
    union = shapely.union_all(list(cells.values()))
    assert union.contains(Point(22.5, 51.0)) and union.contains(Point(26.5, 60.9))


def test_scenario_boundary_wins():
    ring = [(20.0, 50.0), (21.0, 50.0), (21.0, 51.0), (20.0, 51.0)]
    cells = geo.region_cells(["a", "b"], [20.5, 25.0], [50.5, 50.5], {"a": ring})
    assert cells["a"].equals(box(20, 50, 21, 51))


def test_theatres_are_offered_from_the_data():
    poland = {"warsaw": (21.0, 52.2), "krakow": (19.9, 50.1), "lwow": (24.0, 49.8)}
    ids = [t["id"] for t in geo.theatres_for(poland)]
    assert ids == ["whole", "poland"]
    far_east = {"harbin": (126.6, 45.8), "vladivostok": (131.9, 43.1), "hailar": (119.7, 49.2)}
    assert [t["id"] for t in geo.theatres_for(far_east)] == ["whole", "manchuria_far_east"]
    names = {t["name"] for t in geo.theatre_table()}
    assert names == {
        "Poland", "Finland and the Arctic", "Manchuria and the Far East", "China", "The West",
        "The Mediterranean",
    }  # fmt: skip
    assert geo.theatres_for({}) == []


def test_borders_are_the_shared_edges_of_touching_cells():
    ids = ["warsaw", "krakow", "lodz", "helsinki"]
    cells = geo.region_cells(ids, [21.01, 19.94, 19.46, 24.94], [52.23, 50.06, 51.76, 60.17])
    pairs = {(b["a"], b["b"]) for b in geo.borders(cells)}
    assert ("warsaw", "lodz") in pairs or ("lodz", "warsaw") in pairs
    # Kraków's and Helsinki's cells are far apart: no edge between them.
    assert ("krakow", "helsinki") not in pairs and ("helsinki", "krakow") not in pairs
    for b in geo.borders(cells):
        line = shapely.geometry.shape(b["geometry"])
        assert line.length > 0
        assert cells[b["a"]].buffer(0.01).contains(line) and cells[b["b"]].buffer(0.01).contains(
            line
        )


def test_the_extent_does_not_bridge_an_ocean():
    import numpy as np

    pts = np.array([[21.0, 52.2], [13.4, 52.5], [2.35, 48.85], [-77.0, 38.9], [-122.4, 37.8]])
    ext = geo.extent(pts)
    assert ext.contains(Point(17.0, 52.0))  # between Berlin and Warsaw
    for lon, lat in [(-40.0, 45.0), (-98.0, 38.0), (-77.0, 45.0)]:  # Atlantic, Kansas, Quebec
        assert not ext.contains(Point(lon, lat)), (lon, lat)
    cells = geo.region_cells(["w", "b", "p", "dc", "sf"], *pts.T)
    assert not cells["dc"].contains(Point(-98.0, 38.0)) and not cells["sf"].contains(
        Point(-98.0, 38.0)
    )
