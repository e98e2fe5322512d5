"""The web app's API on small poland_1939 ensembles: what it answers and what it refuses."""

from __future__ import annotations

import json
import os

import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.slow


def test_openapi_spec_lists_the_api(client):
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/ensembles", "/api/map", "/api/run/control", "/api/odds", "/api/claims",
                 "/api/plausibility", "/api/chronicle", "/api/jobs", "/api/jobs/{job_id}/events"):  # fmt: skip
        assert path in spec["paths"], path


def test_ensembles_are_found_under_the_root_and_paged(client):
    names = [e["name"] for e in client.get("/api/ensembles").json()["items"]]
    assert names == ["canon/poland", "poland"]
    page = client.get("/api/ensembles?offset=1&limit=1").json()
    assert page["total"] == 2 and [e["name"] for e in page["items"]] == ["poland"]
    assert client.get("/api/ensembles?limit=100000").status_code == 422


@pytest.mark.parametrize(
    "name",
    ["..", "../poland", "poland/../../etc", "/etc", ".hidden", "poland/..", "a\\..\\b", "%2e%2e"],
)
def test_path_escapes_are_refused(client, name):
    r = client.get("/api/ensemble", params={"e": name})
    assert 400 <= r.status_code < 500, (name, r.status_code)


def test_a_link_out_of_the_root_is_refused(client, web_root, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "ensemble.json").write_text("{}")
    link = web_root / "escape"
    os.symlink(outside, link)
    try:
        assert client.get("/api/ensemble", params={"e": "escape"}).status_code == 404
        assert "escape" not in [e["name"] for e in client.get("/api/ensembles").json()["items"]]
    finally:
        link.unlink()


def test_oversized_requests_are_refused(client):
    assert client.get("/api/ensembles?x=" + "a" * 5000).status_code == 414
    big = json.dumps({"e": "poland", "claim": "x" * 20000})
    r = client.post("/api/claims", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    long_claim = client.post("/api/claims", json={"e": "poland", "claim": "x" * 600})
    assert long_claim.status_code == 422


def test_summary_and_runs_page(client, web_root):
    s = client.get("/api/ensemble", params={"e": "poland"}).json()
    assert s["runs"] == 6 and s["scenario"] == "poland_1939" and not s["canon"]
    assert s["dates"][0] == "1939-08-25" and s["dates"][-1] == "1939-10-20"
    assert "battle" in s["event_kinds"]
    page = client.get("/api/runs", params={"e": "poland", "offset": 2, "limit": 3}).json()
    assert page["total"] == 6 and [r["run_id"] for r in page["items"]] == [2, 3, 4]
    seeds = pq.read_table(web_root / "poland" / "runs.parquet").column("seed").to_pylist()
    assert [r["seed"] for r in page["items"]] == seeds[2:5]


def test_run_control_follows_the_store_and_the_wars(client, web_root):
    e = {"e": "poland", "run": 1}
    before = client.get("/api/run/control", params={**e, "date": "1939-08-30"}).json()
    assert before["wars"] == [] and before["control"]["warsaw"] == "POL"
    after = client.get("/api/run/control", params={**e, "date": "1939-10-20"}).json()
    ctl = pq.read_table(web_root / "poland" / "control.parquet").to_pylist()
    last = {r["region"]: r["controller"] for r in ctl
            if r["run_id"] == 1 and str(r["date"]) == after["snapshot"]}  # fmt: skip
    assert after["control"] == last
    mid = client.get("/api/run/control", params={**e, "date": "1939-09-10"}).json()
    assert ["FRA", "GER"] in mid["wars"] and ["GER", "POL"] in mid["wars"]
    assert mid["snapshot"] <= "1939-09-10"
    assert client.get("/api/run/control", params={**e, "date": "1939-01-01"}).status_code == 422
    assert (
        client.get("/api/run/control", params={**e, "run": 99, "date": "1939-09-10"}).status_code
        == 404
    )


def test_run_events_are_dated_placed_and_paged(client):
    r = client.get(
        "/api/run/events", params={"e": "poland", "run": 0, "kind": "battle", "limit": 5}
    ).json()
    assert r["total"] >= len(r["items"]) > 0
    assert all(x["kind"] == "battle" and x["lon"] is not None for x in r["items"])
    assert [x["date"] for x in r["items"]] == sorted(x["date"] for x in r["items"])
    assert (
        isinstance(r["items"][0]["details"], dict) and "attacker_losses" in r["items"][0]["details"]
    )
    window = client.get(
        "/api/run/events",
        params={"e": "poland", "run": 0, "start": "1939-09-05", "end": "1939-09-10"},
    ).json()
    assert all("1939-09-05" <= x["date"] <= "1939-09-10" for x in window["items"])


def test_odds_and_timeline_agree(client):
    o = client.get("/api/odds", params={"e": "poland", "date": "1939-10-20"}).json()["shares"]
    assert all(abs(sum(v.values()) - 1) < 1e-9 for v in o.values())
    assert o["berlin"] == {"axis": pytest.approx(1.0)}
    tl = client.get("/api/timeline", params={"e": "poland", "region": "warsaw"}).json()["series"]
    last = tl[-1]
    assert last["date"] == "1939-10-20"
    assert abs(last.get("axis", 0) - o["warsaw"].get("axis", 0)) < 1e-9
    assert tl[0]["allies"] == 1.0
    assert (
        client.get("/api/timeline", params={"e": "poland", "region": "atlantis"}).status_code == 404
    )


def test_map_cells_and_theatres(client):
    m = client.get("/api/map", params={"e": "poland"}).json()
    feats = {f["id"]: f for f in m["regions"]["features"]}
    assert feats["warsaw"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert feats["warsaw"]["properties"]["name"] == "Warsaw"
    assert [t["id"] for t in m["theatres"]][:2] == ["whole", "poland"]
    land = client.get("/api/land", params={"lon0": 13, "lat0": 48, "lon1": 27, "lat1": 56}).json()
    assert land["features"] and land["features"][0]["geometry"]["type"] in (
        "Polygon",
        "MultiPolygon",
    )
    assert (
        client.get("/api/land", params={"lon0": 27, "lat0": 48, "lon1": 13, "lat1": 56}).status_code
        == 422
    )


def test_plausibility_claims_compare_chronicle(client):
    p = client.get("/api/plausibility", params={"e": "poland"}).json()
    cp = {c["id"]: c for c in p["checkpoints"]}
    assert cp["warsaw_falls"]["description"].startswith("Warsaw")
    assert cp["warsaw_falls"]["quote"]
    assert (
        0
        <= cp["warsaw_falls"]["ci_low"]
        <= cp["warsaw_falls"]["share"]
        <= cp["warsaw_falls"]["ci_high"]
        <= 1
    )
    missed = [c for c in p["checkpoints"] if c["runs_met"] < c["runs"]]
    assert all(c["instead"] for c in missed)
    assert p["outcomes"] and p["timing"]
    ok = client.post(
        "/api/claims", json={"e": "poland", "claim": "warsaw held by GER,SOV on 1939-10-20"}
    )
    assert ok.status_code == 200 and ok.json()["runs"] == 6
    bad = client.post(
        "/api/claims", json={"e": "poland", "claim": "warsaw held by XYZ on 1939-10-20"}
    )
    assert bad.status_code == 422 and "column" in bad.json()["detail"]
    c = client.get("/api/compare", params={"a": "poland", "b": "canon/poland"}).json()
    assert {r["id"] for r in c["rows"]} >= {"warsaw_falls"}
    ch = client.get("/api/chronicle", params={"e": "poland", "run": 2}).json()
    assert (
        ch["run"] == 2
        and ch["chapters"]
        and all(s["day"] for c in ch["chapters"] for s in c["sentences"])
    )
    assert client.get("/api/chronicle", params={"e": "poland", "run": 50}).status_code == 404


def test_scenarios_and_located_errors(client, web_root):
    s = client.get("/api/scenarios").json()
    assert "poland_1939" in s["shipped"]
    good = client.get("/api/scenario", params={"name": "poland_1939", "limit": 3}).json()
    assert good["valid"] and good["powers"]["total"] >= 3 and len(good["forces"]["items"]) <= 3
    broken = web_root / "broken"
    broken.mkdir(exist_ok=True)
    (broken / "meta.yaml").write_text(
        "id: broken\nname: Broken\nextends: poland_1939\nstart: 1939-08-25\nend: 1939-11-30\n"
    )
    (broken / "powers.yaml").write_text("- id: GER\n  name: 12\n  will: lots\n")
    try:
        assert "broken" in client.get("/api/scenarios").json()["user"]
        r = client.get("/api/scenario", params={"name": "broken"}).json()
        assert not r["valid"] and r["errors"]
        assert all(e["file"].endswith(".yaml") for e in r["errors"])
        assert any(e["line"] > 0 for e in r["errors"])
        launch = client.post("/api/jobs", json={"scenario": "broken", "out": "never", "runs": 1})
        assert launch.status_code == 422 and "powers.yaml" in launch.json()["detail"]
    finally:
        for f in broken.iterdir():
            f.unlink()
        broken.rmdir()
    assert client.get("/api/scenario", params={"name": "nowhere"}).status_code == 404


def test_job_requests_are_checked_before_anything_runs(client, web_root):
    base = {"scenario": "poland_1939", "runs": 2}
    assert client.post("/api/jobs", json={**base, "out": "poland"}).status_code == 409
    assert client.post("/api/jobs", json={**base, "out": "../x"}).status_code == 422
    assert client.post("/api/jobs", json={**base, "out": "new", "runs": 50_000}).status_code == 422
    assert (
        client.post("/api/jobs", json={**base, "out": "new", "until": "1950-01-01"}).status_code
        == 422
    )
    assert client.post("/api/jobs", json={**base, "out": "new", "resume": True}).status_code == 409
    assert client.get("/api/jobs/7").status_code == 404
    assert client.get("/api/jobs").json()["items"] == []


def test_the_page_and_its_assets_come_from_the_app(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    # Every script and style the page names is served here; nothing names another host.
    assert "http://" not in page.text and "https://" not in page.text and "//cdn" not in page.text
    for asset in ("/static/app.js", "/static/app.css"):
        r = client.get(asset)
        text = r.text.replace('"http://www.w3.org/2000/svg"', "")  # a namespace, not a fetch
        assert r.status_code == 200 and "http://" not in text and "https://" not in text
    # FastAPI's own docs pages would fetch their scripts from a CDN: they are switched off.
    assert client.get("/docs").status_code == 404
    assert client.get("/static/../app.py").status_code == 404


def test_other_hosts_and_sites_are_refused(web_root):
    from fastapi.testclient import TestClient

    from twinvipers.web.app import create_app

    c = TestClient(create_app(web_root, allowed_hosts={"127.0.0.1", "localhost"}))
    local = {"Host": "127.0.0.1:8019"}
    assert c.get("/api/ensembles", headers=local).status_code == 200
    assert c.get("/api/ensembles", headers={"Host": "evil.example"}).status_code == 421
    cross = {**local, "Origin": "http://evil.example"}
    assert c.post("/api/jobs/1/cancel", headers=cross).status_code == 403
    assert (
        c.post(
            "/api/jobs/1/cancel", headers={**local, "Origin": "http://127.0.0.1:8019"}
        ).status_code
        == 404
    )


def test_compare_control_is_b_minus_a_per_region_and_camp(client):
    d = client.get("/api/compare/control", params={"a": "poland", "b": "canon/poland"}).json()
    assert d["date"] == "1939-10-20"
    oa = client.get("/api/odds", params={"e": "poland", "date": d["date"]}).json()["shares"]
    ob = client.get("/api/odds", params={"e": "canon/poland", "date": d["date"]}).json()["shares"]
    for r in d["rows"]:
        a = oa.get(r["region"], {}).get(r["camp"], 0.0)
        b = ob.get(r["region"], {}).get(r["camp"], 0.0)
        assert r["difference"] == pytest.approx(b - a) and r["a"] == pytest.approx(a)
    diffs = [abs(r["difference"]) for r in d["rows"]]
    assert diffs == sorted(diffs, reverse=True)
    same = client.get("/api/compare/control", params={"a": "poland", "b": "poland"}).json()
    assert same["rows"] == []
    early = client.get(
        "/api/compare/control", params={"a": "poland", "b": "poland", "date": "1930-01-01"}
    )
    assert early.status_code == 422


def test_map_cells_are_cached_on_disk(web_root, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from twinvipers.web import geo

    monkeypatch.setenv("TWINVIPERS_CACHE", str(tmp_path))
    rows = pq.read_table(web_root / "poland" / "regions.parquet").to_pylist()
    first = geo.regions_geojson(rows)
    files = list(tmp_path.glob("web-map-*.json"))
    assert len(files) == 1
    assert json.loads(json.dumps(first)) == geo.regions_geojson(rows)
    rows[0]["lon"] += 0.5  # another map: another entry
    geo.regions_geojson(rows)
    assert len(list(tmp_path.glob("web-map-*.json"))) == 2
