"""schemathesis over the app's OpenAPI spec: no generated request gets a server error.

Each operation is a test: schemathesis turns it into a Hypothesis strategy of requests (valid
and invalid parameters and bodies) and every request is sent to the app over the session's
small ensembles. (schemathesis's own pytest fixture loader does not run under this pytest, so
the loop over operations is written out.) Starting an ensemble job is left out: a generated
request naming a shipped scenario would run one; ``test_app.py`` and ``test_jobs.py`` check
that endpoint's refusals and runs.
"""

from __future__ import annotations

import datetime as dt
import tempfile

import hypothesis.strategies as st
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from twinvipers.web.app import create_app

pytestmark = pytest.mark.slow


def _operations() -> list[str]:
    with tempfile.TemporaryDirectory() as d:
        spec = create_app(d).openapi()
    return [
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if not (method == "post" and path.startswith("/api/jobs") and path == "/api/jobs")
    ]


@pytest.mark.parametrize("label", _operations())
def test_no_request_gets_a_server_error(web_root, label):
    method, path = label.split(" ", 1)
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(web_root))
    op = next(
        r.ok()
        for r in schema.get_all_operations()
        if r.ok().method.upper() == method and r.ok().path == path
    )

    @given(case=op.as_strategy())
    @settings(
        max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    def check(case):
        response = case.call()
        assert response.status_code < 500, (label, case.query, case.body, response.text[:300])

    check()


_LABELS = {"e": ["poland", "canon/poland", "missing", "poland/x", "canon"]}


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_requests_on_real_ensembles_get_no_server_error(client, data):
    # The spec's fuzzing rarely names an existing ensemble: here every request does, with
    # dates, runs, regions, kinds, pages and claims drawn around and outside the data.
    e = data.draw(st.sampled_from(_LABELS["e"]))
    day = data.draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1950, 1, 1)))  # fmt: skip
    run = data.draw(st.integers(-3, 12))
    region = data.draw(st.sampled_from(["warsaw", "berlin", "", "x" * 90]) | st.text(max_size=20))
    url = data.draw(st.sampled_from([
        f"/api/run/control?e={e}&run={run}&date={day}",
        f"/api/run/events?e={e}&run={run}&start={day}&limit={data.draw(st.integers(-1, 2000))}",
        f"/api/odds?e={e}&date={day}",
        f"/api/chronicle?e={e}&run={run}",
        f"/api/runs?e={e}&offset={data.draw(st.integers(-1, 10**10))}",
    ]))  # fmt: skip
    r = client.get(url)
    assert r.status_code < 500, (url, r.text[:300])
    r = client.get("/api/timeline", params={"e": e, "region": region})
    assert r.status_code < 500, (region, r.text[:300])
    claim = data.draw(
        st.sampled_from(["warsaw held by GER on 1939-10-01", "POL capitulates before 1939-10-01"])
        | st.text(max_size=80)
    )
    r = client.post("/api/claims", json={"e": e, "claim": claim})
    assert r.status_code < 500, (claim, r.text[:300])
