"""Background ensemble jobs over HTTP: progress as server-sent events, cancel, resume."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.web.conftest import LiveServer

pytestmark = pytest.mark.slow


def sse_states(url: str, timeout: float = 300) -> list[dict]:
    """Every state a job's event stream sends, until it ends."""
    states = []
    with httpx.stream("GET", url, timeout=timeout) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("data: "):
                states.append(json.loads(line[6:]))
    return states


def wait_for(client: httpx.Client, job: int, pred, timeout: float = 300) -> dict:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        j = client.get(f"/api/jobs/{job}").json()
        if pred(j):
            return j
        time.sleep(0.05)
    raise AssertionError(f"job {job} did not get there: {j}")


def test_a_job_runs_with_progress_then_appears(tmp_path):
    with LiveServer(tmp_path) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        body = {"scenario": "poland_1939", "out": "first", "runs": 6, "seed": 3,
                "until": "1939-09-30", "canon": True}  # fmt: skip
        r = c.post("/api/jobs", json=body)
        assert r.status_code == 202, r.text
        job = r.json()["id"]
        # One job at a time.
        again = c.post("/api/jobs", json={**body, "out": "second"})
        assert again.status_code == 409
        states = sse_states(f"{srv.url}/api/jobs/{job}/events")
        assert states[-1]["state"] == "complete", states[-1]["message"]
        assert states[-1]["done"] == 6 and states[-1]["finished"]
        dones = [s["done"] for s in states]
        assert dones == sorted(dones)
        listed = {e["name"]: e for e in c.get("/api/ensembles").json()["items"]}
        assert listed["first"]["status"] == "complete" and listed["first"]["canon"]
        s = c.get("/api/ensemble", params={"e": "first"}).json()
        assert s["runs"] == 6 and s["end"] == "1939-09-30"


def test_a_job_is_cancelled_and_resumed(tmp_path):
    with LiveServer(tmp_path) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        body = {"scenario": "poland_1939", "out": "long", "runs": 800, "seed": 1,
                "until": "1939-09-20"}  # fmt: skip
        job = c.post("/api/jobs", json=body).json()["id"]
        wait_for(c, job, lambda j: j["state"] == "running" and j["done"] > 0 or j["finished"])
        c.post(f"/api/jobs/{job}/cancel")
        j = wait_for(c, job, lambda j: j["finished"])
        if j["state"] == "complete":
            pytest.skip("the 800 runs finished before the cancel arrived (a fast machine)")
        assert j["state"] == "cancelled" and 0 < j["done"] < 800, j
        assert c.get("/api/ensemble", params={"e": "long"}).status_code == 409  # not finished
        # Resume finishes the ensemble as begun (the runner's --resume).
        r = c.post("/api/jobs", json={**body, "resume": True})
        assert r.status_code == 202, r.text
        states = sse_states(f"{srv.url}/api/jobs/{r.json()['id']}/events")
        assert states[-1]["state"] == "complete" and states[-1]["done"] == 800
        assert states[0]["done"] <= states[-1]["done"]
        assert c.get("/api/ensemble", params={"e": "long"}).json()["runs"] == 800
        assert len(c.get("/api/jobs").json()["items"]) == 2


def test_a_job_waits_for_another_servers_job(tmp_path, monkeypatch):
    """A job finding the machine's job lock taken waits for it, then runs (no failure)."""
    import fcntl

    from twinvipers.web.jobs import LOCK_NAME

    monkeypatch.setenv("TWINVIPERS_CACHE", str(tmp_path / "cache"))  # the child inherits it
    (tmp_path / "cache").mkdir()
    results = tmp_path / "results"
    results.mkdir()
    with open(tmp_path / "cache" / LOCK_NAME, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # "another server" runs an ensemble
        with LiveServer(results) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
            body = {"scenario": "poland_1939", "out": "queued", "runs": 2, "seed": 1,
                    "until": "1939-09-05", "canon": True}  # fmt: skip
            job = c.post("/api/jobs", json=body).json()["id"]
            j = wait_for(c, job, lambda j: j["state"] == "waiting" or j["finished"], timeout=120)
            assert j["state"] == "waiting", j
            time.sleep(1.0)
            assert c.get(f"/api/jobs/{job}").json()["state"] == "waiting"  # still held
            fcntl.flock(held, fcntl.LOCK_UN)
            j = wait_for(c, job, lambda j: j["finished"])
            assert j["state"] == "complete", j["message"]
            assert c.get("/api/ensemble", params={"e": "queued"}).json()["runs"] == 2
