import pytest

from twinvipers.report.maps import draw_control_map, draw_share_maps

IDS = ["berlin", "poznan", "warsaw", "krakow", "lwow", "minsk"]
LONS = [13.40, 16.93, 21.01, 19.94, 24.03, 27.56]
LATS = [52.52, 52.41, 52.23, 50.06, 49.84, 53.90]


@pytest.fixture(autouse=True, scope="module")
def cache(geometry_cache):
    return geometry_cache


def test_control_map_png_and_svg(tmp_path):
    ctrl = {"berlin": "GER", "poznan": "GER", "warsaw": "POL", "krakow": "POL", "lwow": "SOV"}
    colors = {"GER": "#5a5a5a", "POL": "#d98c8c", "SOV": "#b22222"}
    png = draw_control_map(IDS, LONS, LATS, IDS, ctrl, colors, tmp_path / "m.png",
                           title="t", capitals=["berlin", "warsaw"])  # fmt: skip
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = draw_control_map(IDS, LONS, LATS, None, ctrl, colors, tmp_path / "m.svg")
    text = svg.read_text()
    assert "<svg" in text
    assert not list(tmp_path.glob("*.tmp"))


def test_share_maps_png_bytes_and_file(tmp_path):
    shares = {
        "1939-09-01": {r: {"axis": 1.0} for r in IDS},
        "1939-10-01": {"warsaw": {"axis": 0.75, "allies": 0.25}, "lwow": {"comintern": 0.4}},
    }
    colors = {"axis": "#4d4d4d", "allies": "#3a6fb0", "comintern": "#b22222"}
    data = draw_share_maps(IDS, LONS, LATS, shares, colors, None, title="shares")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out = draw_share_maps(IDS, LONS, LATS, shares, colors, tmp_path / "s.png")
    assert out.stat().st_size > 1000


def test_names_are_drawn_literally_not_as_mathematics(tmp_path):
    from twinvipers.report.maps import literal

    assert literal("a $x^{$ b") == r"a \$x^{\$ b"
    names = ["Lwów [/uk] $x^{$", "$\\frac{1}{", "b$", "c", "d", "e"]
    ctrl = dict.fromkeys(IDS, "GER")
    png = draw_control_map(IDS, LONS, LATS, names, ctrl, {"GER": "#5a5a5a"}, tmp_path / "m.png",
                           title="$broken{", labels={"GER": "$$"})  # fmt: skip
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
