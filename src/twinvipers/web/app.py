"""The web app: a FastAPI server over the results store, and the page it serves.

Everything is read from results folders under one results root; a folder is named by its path
relative to the root (``poland`` or ``runs/poland``), each part letters, digits, ``_ . -`` and
not starting with a dot, and it must resolve (links followed) inside the root. No request runs
SQL of its own: every query is one of the analysis modules' or a fixed one here, with bound
parameters. Responses are bounded: lists are paged (``limit`` at most 1,000), claims and bodies
are short, and an ensemble job has at most ``max_runs`` runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import json
import math
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from twinvipers.web import geo
from twinvipers.web.jobs import Jobs

STATIC = Path(__file__).parent / "static"
MANIFEST = "ensemble.json"
#: One path part of a results folder or user scenario: no leading dot, so never ``..``.
_PART = r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}"
NAME_RE = re.compile(rf"{_PART}(/{_PART}){{0,3}}")
NAME_PATTERN = rf"^{_PART}(/{_PART}){{0,3}}$"
MAX_BODY = 16_384  # bytes of a request body
MAX_URL = 4_096  # characters of a request's path and query
MAX_LIMIT = 1_000  # rows a page may hold
SCAN_LIMIT = 2_000  # folders looked at when listing a results root

Name = Annotated[
    str,
    Query(
        min_length=1, max_length=260, pattern=NAME_PATTERN, description="Results folder (relative)"
    ),
]
Offset = Annotated[int, Query(ge=0, le=10**9)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
RunId = Annotated[int, Query(ge=0, le=10**9, description="Run id")]


class ClaimBody(BaseModel):
    """A claim about an ensemble, in the claim language (``twinvipers ask``)."""

    e: str = Field(min_length=1, max_length=260, pattern=NAME_PATTERN)
    claim: str = Field(min_length=1, max_length=500)


class JobBody(BaseModel):
    """An ensemble to run (or resume) in the background."""

    scenario: str = Field(min_length=1, max_length=260, pattern=NAME_PATTERN)
    out: str = Field(min_length=1, max_length=64, pattern=rf"^{_PART}$")
    runs: int = Field(default=8, ge=1, le=100_000)
    seed: int = Field(default=1, ge=0, le=2**62)
    until: dt.date | None = None
    canon: bool = False
    resume: bool = False


def _clean(v: Any) -> Any:
    """JSON-safe values: NaN and infinities as null, dates as ISO text."""
    if isinstance(v, float):
        return None if not math.isfinite(v) else v
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple | set):
        return [_clean(x) for x in v]
    if hasattr(v, "item"):  # numpy scalars
        return _clean(v.item())
    return v


def _bad(status: int, message: str) -> HTTPException:
    return HTTPException(status_code=status, detail=message)


class Store:
    """The results root and what the server has read from it (cached by file times)."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self._cache: dict[tuple[str, str], tuple[float, Any]] = {}

    # --- paths -------------------------------------------------------------------------------

    def folder(self, name: str) -> Path:
        """A folder under the root by relative name; 400 for a bad name, 404 if outside/absent."""
        if not NAME_RE.fullmatch(name):
            raise _bad(400, f"{name!r}: not a folder name under the results root")
        p = (self.root / name).resolve()
        if not p.is_relative_to(self.root):
            raise _bad(404, f"{name!r}: no such folder under the results root")
        return p

    def ensemble(self, name: str, complete: bool = True) -> Path:
        """A finished ensemble's folder (404: none there; 409: not finished)."""
        from twinvipers.ensemble.store import incomplete

        p = self.folder(name)
        if not (p / MANIFEST).is_file():
            raise _bad(404, f"{name!r}: no ensemble there (no {MANIFEST})")
        if complete:
            problem = incomplete(p)
            if problem:
                raise _bad(409, f"{name!r}: {problem}")
        return p

    def cached(self, p: Path, what: str, make: Any) -> Any:
        """``make(p)``, kept until the folder's manifest changes."""
        stamp = (p / MANIFEST).stat().st_mtime
        key = (str(p), what)
        hit = self._cache.get(key)
        if hit and hit[0] == stamp:
            return hit[1]
        value = make(p)
        self._cache[key] = (stamp, value)
        return value

    def listing(self) -> list[dict[str, Any]]:
        """Ensembles under the root (three levels deep at most), sorted by name."""
        found: list[Path] = []
        seen = 0
        frontier = [self.root]
        for _depth in range(4):
            nxt = []
            for d in frontier:
                try:
                    children = sorted(d.iterdir())
                except OSError:
                    continue
                for c in children:
                    seen += 1
                    if seen > SCAN_LIMIT or c.name.startswith(".") or not c.is_dir():
                        continue
                    if not c.resolve().is_relative_to(self.root):
                        continue
                    if (c / MANIFEST).is_file():
                        found.append(c)
                    elif c.name not in ("parts",):
                        nxt.append(c)
            frontier = nxt
        out = []
        for p in found:
            try:
                m = json.loads((p / MANIFEST).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            out.append(
                {
                    "name": p.relative_to(self.root).as_posix(),
                    "scenario": m.get("scenario_id"),
                    "scenario_name": m.get("scenario_name"),
                    "runs": m.get("runs"),
                    "status": m.get("status"),
                    "canon": bool(m.get("canon")),
                    "start": m.get("start"),
                    "until": m.get("until") or m.get("end"),
                }
            )
        return sorted(out, key=lambda r: r["name"])


# --- reading one ensemble --------------------------------------------------------------------


def _meta(p: Path) -> dict[str, Any]:
    return json.loads((p / MANIFEST).read_text(encoding="utf-8"))


def _summary(p: Path) -> dict[str, Any]:
    from twinvipers.analysis import questions

    m = _meta(p)
    con = questions._con(p)
    try:
        dates = questions.snapshot_dates(con)
        kinds = [
            r[0] for r in con.execute("SELECT DISTINCT kind FROM events ORDER BY 1").fetchall()
        ]
    finally:
        con.close()
    return _clean(
        {
            "scenario": m.get("scenario_id"),
            "scenario_name": m.get("scenario_name"),
            "runs": m["runs"],
            "seed": m.get("seed"),
            "canon": bool(m.get("canon")),
            "start": m.get("start"),
            "end": m.get("until") or m.get("end"),
            "status": m.get("status"),
            "wall_time_s": m.get("wall_time_s"),
            "powers": m.get("powers", {}),
            "camps": m.get("camps", {}),
            "checkpoints": len(m.get("checkpoints") or []),
            "dates": dates,
            "event_kinds": kinds,
        }
    )


def _regions(p: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(p / "regions.parquet").to_pylist()


def _geo(p: Path) -> dict[str, Any]:
    rows = _regions(p)
    points = {
        r["region"]: (r["lon"], r["lat"]) for r in rows if (r.get("kind") or "land") == "land"
    }
    return {"regions": geo.regions_geojson(rows), "theatres": geo.theatres_for(points)}


def _snapshot_on(dates: list[str], on: dt.date) -> str:
    """The last snapshot date on or before ``on`` (422 before the first)."""
    iso = on.isoformat()
    before = [d for d in dates if d <= iso]
    if not before:
        raise _bad(422, f"date {iso}: the first snapshot is {dates[0] if dates else 'none'}")
    return before[-1]


def _wars_of_run(p: Path, meta: dict[str, Any], run: int, on: dt.date) -> list[list[str]]:
    """The pairs of powers at war in run ``run`` at the end of ``on``."""
    from twinvipers.ensemble.store import connect

    start = ((meta.get("checkpoint_context") or {}).get("wars_at_start")) or []
    wars = {frozenset((w["a"], w["b"])) for w in start}
    con = connect(p)
    try:
        rows = con.execute(
            "SELECT kind::VARCHAR, actor::VARCHAR, target::VARCHAR FROM events "
            "WHERE run_id = ? AND kind IN ('war_declared', 'peace') AND date <= ? "
            "ORDER BY date",
            [run, on],
        ).fetchall()
    finally:
        con.close()
    for kind, a, b in rows:
        pair = frozenset((a, b))
        if kind == "war_declared":
            wars.add(pair)
        else:
            wars.discard(pair)
    return sorted(sorted(w) for w in wars if len(w) == 2)


def create_app(
    results_root: Path | str,
    workers: int = 1,
    max_runs: int = 2_000,
    allowed_hosts: set[str] | None = None,
) -> FastAPI:
    """The app over ``results_root``; ensemble jobs use ``workers`` processes, ``max_runs`` runs.

    ``allowed_hosts`` (``serve`` gives 127.0.0.1, localhost and the bound address) refuses
    requests naming another host, so a web page elsewhere cannot reach the app through a DNS
    name pointed at this machine; a POST carrying another site's ``Origin`` is refused too.
    """
    store = Store(Path(results_root))
    jobs = Jobs(workers)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        yield
        jobs.shutdown()  # a job still running is cancelled: it can be resumed later

    app = FastAPI(
        lifespan=lifespan,
        # FastAPI's /docs and /redoc pages load their scripts from a CDN: left out (offline).
        # The spec itself is at /openapi.json.
        docs_url=None,
        redoc_url=None,
        title="twinvipers",
        version="0.1.0",
        description="Explore a war in the browser: ensembles, map playback, odds, plausibility, "
        "claims, chronicles, and ensemble jobs. Reads results folders under one results root.",
    )
    app.state.store = store
    app.state.jobs = jobs

    @app.middleware("http")
    async def bounded(request: Request, call_next: Any) -> Any:
        host = request.headers.get("host", "")
        if allowed_hosts is not None and urlsplit(f"//{host}").hostname not in allowed_hosts:
            return JSONResponse({"detail": f"host {host!r} is not served here"}, status_code=421)
        origin = request.headers.get("origin")
        if request.method != "GET" and origin and urlsplit(origin).netloc != host:
            return JSONResponse({"detail": "a request from another site"}, status_code=403)
        # Oversized requests are refused before any work: a long URL, a large or unsized body.
        if len(str(request.url.path)) + len(request.url.query) > MAX_URL:
            return JSONResponse({"detail": "request URL too long"}, status_code=414)
        size = request.headers.get("content-length")
        if size is not None:
            if not size.isdigit() or int(size) > MAX_BODY:
                return JSONResponse(
                    {"detail": f"request body over {MAX_BODY} bytes"}, status_code=413
                )
        elif request.method in ("POST", "PUT", "PATCH") and "chunked" in request.headers.get(
            "transfer-encoding", ""
        ):
            return JSONResponse({"detail": "a request body needs a Content-Length"}, 411)
        return await call_next(request)

    @app.exception_handler(ValueError)
    async def value_error(_request: Request, exc: ValueError) -> JSONResponse:
        # A value that reached a reader unchecked (the user's, by construction): a 422, never a 500.
        return JSONResponse({"detail": str(exc)}, status_code=422)

    # --- pages ------------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # --- the store --------------------------------------------------------------------------

    @app.get("/api/info", tags=["store"])
    def info() -> dict[str, Any]:
        """The server: version, land data, the job in progress."""
        running = jobs.running()
        return {
            "version": app.version,
            "land": geo.land_source(),
            "job": running.public() if running else None,
            "max_runs": max_runs,
        }

    @app.get("/api/ensembles", tags=["store"])
    def ensembles(offset: Offset = 0, limit: Limit = 100) -> dict[str, Any]:
        """Ensembles under the results root, by name, one page."""
        rows = store.listing()
        return {"total": len(rows), "offset": offset, "items": rows[offset : offset + limit]}

    @app.get("/api/ensemble", tags=["store"])
    def ensemble(e: Name) -> dict[str, Any]:
        """One ensemble: scenario, runs, powers and camps, snapshot dates, event kinds."""
        p = store.ensemble(e)
        return store.cached(p, "summary", _summary)

    @app.get("/api/runs", tags=["store"])
    def runs(e: Name, offset: Offset = 0, limit: Limit = 100) -> dict[str, Any]:
        """The runs table (seeds, assumptions drawn, outcomes), one page."""
        import pyarrow.parquet as pq

        p = store.ensemble(e)
        t = pq.read_table(p / "runs.parquet")
        page = t.slice(min(offset, t.num_rows), limit).to_pylist()
        return _clean({"total": t.num_rows, "offset": offset, "items": page})

    # --- the map ----------------------------------------------------------------------------

    @app.get("/api/map", tags=["map"])
    def region_map(e: Name) -> dict[str, Any]:
        """Region cells (GeoJSON, clipped to Natural Earth land) and the theatre views."""
        p = store.ensemble(e)
        try:
            return store.cached(p, "geo", _geo)
        except geo.LandMissingError as exc:
            raise _bad(503, str(exc)) from None

    @app.get("/api/land", tags=["map"])
    def land(
        lon0: Annotated[float, Query(ge=-180, le=180)],
        lat0: Annotated[float, Query(ge=-90, le=90)],
        lon1: Annotated[float, Query(ge=-180, le=180)],
        lat1: Annotated[float, Query(ge=-90, le=90)],
    ) -> dict[str, Any]:
        """Natural Earth land in a frame (GeoJSON), simplified to the frame's size."""
        if not (lon0 < lon1 and lat0 < lat1):
            raise _bad(422, "the frame needs lon0 < lon1 and lat0 < lat1")
        try:
            return _land(round(lon0, 1), round(lat0, 1), round(lon1, 1), round(lat1, 1))
        except geo.LandMissingError as exc:
            raise _bad(503, str(exc)) from None

    @functools.lru_cache(maxsize=64)
    def _land(lon0: float, lat0: float, lon1: float, lat1: float) -> dict[str, Any]:
        span = max(lon1 - lon0, lat1 - lat0)
        return geo.land_geojson((lon0, lat0, lon1, lat1), tolerance=max(0.01, span / 600))

    def _date_in(summary: dict[str, Any], on: dt.date) -> str:
        return _snapshot_on(summary["dates"], on)

    @app.get("/api/run/control", tags=["map"])
    def run_control(e: Name, run: RunId, date: dt.date) -> dict[str, Any]:
        """Who holds each region in one run on a date (its last snapshot by then), and the wars."""
        from twinvipers.ensemble.store import connect

        p = store.ensemble(e)
        s = store.cached(p, "summary", _summary)
        if run >= s["runs"]:
            raise _bad(404, f"run {run}: the ensemble has runs 0–{s['runs'] - 1}")
        snap = _date_in(s, date)
        con = connect(p)
        try:
            rows = con.execute(
                "SELECT region, controller FROM control WHERE run_id = ? AND date = ?",
                [run, dt.date.fromisoformat(snap)],
            ).fetchall()
        finally:
            con.close()
        meta = store.cached(p, "meta", _meta)
        wars = _wars_of_run(p, meta, run, date)
        return {
            "date": date.isoformat(),
            "snapshot": snap,
            "control": dict(rows),
            "wars": wars,
            "at_war": sorted({x for w in wars for x in w}),
        }

    @app.get("/api/run/events", tags=["map"])
    def run_events(
        e: Name,
        run: RunId,
        start: dt.date | None = None,
        end: dt.date | None = None,
        kind: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$")] = None,
        offset: Offset = 0,
        limit: Limit = 500,
    ) -> dict[str, Any]:
        """One run's events (dated, placed), oldest first, one page."""
        from twinvipers.ensemble.store import connect

        p = store.ensemble(e)
        s = store.cached(p, "summary", _summary)
        if run >= s["runs"]:
            raise _bad(404, f"run {run}: the ensemble has runs 0–{s['runs'] - 1}")
        where, params = ["e.run_id = ?"], [run]
        if start:
            where.append("e.date >= ?")
            params.append(start)
        if end:
            where.append("e.date <= ?")
            params.append(end)
        if kind:
            where.append("e.kind::VARCHAR = ?")
            params.append(kind)
        cond = " AND ".join(where)
        con = connect(p)
        try:
            total = con.execute(f"SELECT count(*) FROM events e WHERE {cond}", params).fetchone()[0]
            rows = con.execute(
                # Naval battles, blockades and the trade war name a sea zone in details: they
                # are placed there (sea zones are rows of the regions table, with a point).
                "SELECT e.date, e.kind::VARCHAR, e.actor::VARCHAR, e.target::VARCHAR, "
                "coalesce(e.region::VARCHAR, r.region), e.value, e.details, r.lon, r.lat, r.name "
                "FROM events e LEFT JOIN regions r ON r.region = "
                "coalesce(e.region::VARCHAR, json_extract_string(e.details, '$.zone')) "
                f"WHERE {cond} "
                "ORDER BY e.date, e.kind LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        finally:
            con.close()
        items = []
        for d, k, a, t, r, v, det, lon, lat, name in rows:
            try:
                details = json.loads(det) if det else None
            except ValueError:
                details = det
            items.append(
                {
                    "date": d,
                    "kind": k,
                    "actor": a,
                    "target": t,
                    "region": r,
                    "region_name": name,
                    "value": v,
                    "details": details,
                    "lon": lon,
                    "lat": lat,
                }  # fmt: skip
            )
        return _clean({"total": total, "offset": offset, "items": items})

    @app.get("/api/odds", tags=["map"])
    def odds(e: Name, date: dt.date) -> dict[str, Any]:
        """Share of runs in which each camp holds each region on a date.

        A power of the ``neutral`` camp at war in a run counts as its own group there.
        """
        from twinvipers.analysis import questions

        p = store.ensemble(e)
        s = store.cached(p, "summary", _summary)
        _date_in(s, date)
        meta = store.cached(p, "meta", _meta)
        con = questions._con(p)
        try:
            fighting = questions.at_war_on(con, date, meta)
            shares = questions.control_shares(con, date, questions.camp_of(meta), fighting)
        finally:
            con.close()
        return _clean({"date": date, "shares": shares})

    @app.get("/api/timeline", tags=["map"])
    def timeline(
        e: Name, region: Annotated[str, Query(min_length=1, max_length=80)]
    ) -> dict[str, Any]:
        """A region's control across runs at every snapshot: share per camp (or power)."""
        from twinvipers.analysis import questions
        from twinvipers.ensemble.store import connect

        p = store.ensemble(e)
        meta = store.cached(p, "meta", _meta)
        camps = questions.camp_of(meta)
        con = connect(p)
        try:
            known = con.execute("SELECT 1 FROM regions WHERE region = ?", [region]).fetchall()
            if not known:
                raise _bad(404, f"region {region!r}: not in this ensemble")
            rows = con.execute(
                "SELECT date, controller::VARCHAR, count(*) FROM control WHERE region = ? "
                "GROUP BY 1, 2 ORDER BY 1",
                [region],
            ).fetchall()
            runs_at = dict(
                con.execute(
                    "SELECT date, count(DISTINCT run_id) FROM control GROUP BY 1"
                ).fetchall()
            )
        finally:
            con.close()
        series: dict[str, dict[str, float]] = {}
        for d, ctrl, n in rows:
            g = camps.get(ctrl, ctrl) if ctrl else "none"
            day = series.setdefault(d.isoformat(), {})
            day[g] = day.get(g, 0.0) + n / runs_at[d]
            day[f"power:{ctrl}"] = day.get(f"power:{ctrl}", 0.0) + n / runs_at[d]
        return {"region": region, "series": [{"date": d, **v} for d, v in series.items()]}

    # --- plausibility, claims, compare, chronicle ---------------------------------------------

    @app.get("/api/plausibility", tags=["analysis"])
    def plausibility_(e: Name) -> dict[str, Any]:
        """Each checkpoint: words, quote, share and interval, when, and what happened instead."""
        p = store.ensemble(e)

        def make(p: Path) -> dict[str, Any]:
            from twinvipers.analysis import plausibility, questions

            meta = _meta(p)
            rows = plausibility.plausibility(p)
            instead = plausibility.what_happened_instead(p) if rows else {}
            quotes = {c["id"]: c.get("quote") for c in meta.get("checkpoints") or []}
            for r in rows:
                r["quote"] = quotes.get(r["id"])
                r["instead"] = instead.get(r["id"])
            con = questions._con(p)
            try:
                regions = [
                    c[k]["region"]
                    for c in meta.get("checkpoints") or []
                    for k in ("taken", "held")
                    if c.get(k)
                ]
                timing = questions.event_timing(con, regions=regions or None)
                outcomes = questions.outcome_shares(con)
            finally:
                con.close()
            for t in timing:
                ds = t.pop("dates", [])
                t["first"] = ds[0] if ds else None
                t["median"] = ds[len(ds) // 2] if ds else None
                t["q1"] = ds[len(ds) // 4] if ds else None
                t["q3"] = ds[(3 * len(ds)) // 4] if ds else None
                t["last"] = ds[-1] if ds else None
            return _clean({"checkpoints": rows, "timing": timing[:60], "outcomes": outcomes[:200]})

        return store.cached(p, "plausibility", make)

    @app.post("/api/claims", tags=["analysis"])
    def claim(body: Annotated[ClaimBody, Body()]) -> dict[str, Any]:
        """Judge a claim in every run: share, 95% interval, example runs either way."""
        from twinvipers.analysis import claims

        p = store.ensemble(body.e)
        try:
            return _clean(claims.answer(p, body.claim))
        except claims.ClaimError as exc:
            raise _bad(422, str(exc)) from None

    @app.get("/api/compare", tags=["analysis"])
    def compare_(
        a: Name,
        b: Name,
        claim: Annotated[list[str] | None, Query(max_length=5)] = None,
    ) -> dict[str, Any]:
        """Ensemble A's checkpoints (and claims) judged in A and B: shares and B − A."""
        from twinvipers.analysis import claims, compare

        pa, pb = store.ensemble(a), store.ensemble(b)
        extra = [c for c in (claim or []) if c.strip()]
        if any(len(c) > 500 for c in extra):
            raise _bad(422, "a claim is at most 500 characters")
        try:
            rows = compare.compare(pa, pb, extra)
        except claims.ClaimError as exc:
            raise _bad(422, str(exc)) from None
        return _clean({"a": a, "b": b, "rows": rows})

    @app.get("/api/compare/control", tags=["analysis"])
    def compare_control(
        a: Name, b: Name, date: dt.date | None = None, limit: Limit = 50
    ) -> dict[str, Any]:
        """Where control differs: per region and camp, the share of B's runs minus A's.

        On ``date`` (each ensemble's last snapshot by then), by default the last snapshot date
        both have; largest differences first.
        """
        from twinvipers.analysis import questions

        pa, pb = store.ensemble(a), store.ensemble(b)
        sa, sb = store.cached(pa, "summary", _summary), store.cached(pb, "summary", _summary)
        common = sorted(set(sa["dates"]) & set(sb["dates"]))
        if date is None:
            if not common:
                raise _bad(422, "the two ensembles share no snapshot date: give date")
            on = dt.date.fromisoformat(common[-1])
        else:
            _date_in(sa, date)
            _date_in(sb, date)
            on = date
        camps = {**questions.camp_of(_meta(pb)), **questions.camp_of(_meta(pa))}
        share_a = questions.control_shares(pa, on, camps)
        share_b = questions.control_shares(pb, on, camps)
        names = {r["region"]: r.get("name") or r["region"] for r in _regions(pa)}
        rows = []
        for region in sorted(set(share_a) | set(share_b)):
            ra, rb = share_a.get(region, {}), share_b.get(region, {})
            for camp in sorted(set(ra) | set(rb)):
                d = rb.get(camp, 0.0) - ra.get(camp, 0.0)
                if abs(d) >= 0.005:
                    rows.append(
                        {"region": region, "name": names.get(region, region), "camp": camp,
                         "a": ra.get(camp, 0.0), "b": rb.get(camp, 0.0), "difference": d}
                    )  # fmt: skip
        rows.sort(key=lambda r: (-abs(r["difference"]), r["region"], r["camp"]))
        return _clean({"date": on, "total": len(rows), "rows": rows[:limit]})

    @app.get("/api/chronicle", tags=["analysis"])
    def chronicle_(
        e: Name,
        run: Annotated[int | None, Query(ge=0, le=10**9)] = None,
        pick: Annotated[str, Query(pattern=r"^(typical|divergent|canon-closest)$")] = "typical",
    ) -> dict[str, Any]:
        """A run told as a dated timeline: chapters of sentences, each with its day."""
        from twinvipers.report import chronicle

        p = store.ensemble(e)
        s = store.cached(p, "summary", _summary)
        if run is not None and run >= s["runs"]:
            raise _bad(404, f"run {run}: the ensemble has runs 0–{s['runs'] - 1}")
        try:
            ch = chronicle.build(p, run_id=run, pick=None if run is not None else pick)
        except chronicle.ChronicleError as exc:
            raise _bad(422, str(exc)) from None

        def sentences(ss: list[Any]) -> list[dict[str, Any]]:
            return [{"day": x.day, "text": x.text(), "style": x.style} for x in ss]

        return _clean(
            {
                "run": ch.run_id,
                "title": "".join(x.text for x in ch.title),
                "intro": sentences(ch.intro),
                "chapters": [
                    {
                        "heading": "".join(x.text for x in c.heading),
                        "month": c.month,
                        "sentences": sentences(c.sentences),
                    }
                    for c in ch.chapters
                ],
                "epilogue": sentences(ch.epilogue),
            }
        )

    # --- scenarios and jobs -----------------------------------------------------------------

    def _scenario_path(name: str) -> str:
        from twinvipers.scenario.load import shipped_names

        if name in shipped_names():
            return name
        p = store.folder(name)
        if not (p / "meta.yaml").is_file():
            raise _bad(404, f"{name!r}: no shipped scenario or scenario folder of that name")
        return str(p)

    @app.get("/api/scenarios", tags=["scenarios"])
    def scenarios() -> dict[str, Any]:
        """Shipped scenarios and the scenario folders under the results root."""
        from twinvipers.scenario.load import shipped_names

        user = []
        for meta in (
            sorted(store.root.glob("*/meta.yaml"))[:200]
            + sorted(store.root.glob("*/*/meta.yaml"))[:200]
        ):
            d = meta.parent
            if d.resolve().is_relative_to(store.root) and NAME_RE.fullmatch(
                rel := d.relative_to(store.root).as_posix()
            ):
                user.append(rel)
        return {"shipped": shipped_names(), "user": user}

    @app.get("/api/scenario", tags=["scenarios"])
    def scenario(
        name: Name,
        offset: Offset = 0,
        limit: Limit = 200,
    ) -> dict[str, Any]:
        """A scenario: meta, powers, forces and events (a page each), or its located errors."""
        from twinvipers.scenario.errors import ScenarioError
        from twinvipers.scenario.load import load

        path = _scenario_path(name)
        try:
            s = load(path).scenario
        except ScenarioError as exc:
            return {
                "name": name,
                "valid": False,
                "errors": [
                    {**{k: getattr(x, k) for k in ("file", "line", "column", "field", "message")},
                     "text": str(x)}
                    for x in exc.errors[:MAX_LIMIT]
                ],
            }  # fmt: skip

        def page(items: list[Any], fields: tuple[str, ...]) -> dict[str, Any]:
            rows = [
                {f: getattr(x, f, None) for f in fields} for x in items[offset : offset + limit]
            ]
            return {"total": len(items), "items": rows}

        return _clean(
            {
                "name": name,
                "valid": True,
                "meta": {
                    "id": s.meta.id,
                    "name": s.meta.name,
                    "start": s.meta.start,
                    "end": s.meta.end,
                    "description": getattr(s.meta, "description", None),
                },
                "powers": page(list(s.powers), ("id", "name", "camp")),
                "forces": page(list(s.forces), ("id", "name", "power", "region", "men")),
                "events": page(list(s.events), ("id", "description")),
                "checkpoints": len(getattr(s, "checkpoints", []) or []),
            }
        )

    @app.get("/api/jobs", tags=["jobs"])
    def job_list() -> dict[str, Any]:
        """Every job since the server started, newest first."""
        return {"items": [j.public() for j in sorted(jobs.jobs.values(), key=lambda j: -j.id)]}

    @app.post("/api/jobs", tags=["jobs"], status_code=202)
    def job_start(body: Annotated[JobBody, Body()]) -> dict[str, Any]:
        """Run (or resume) an ensemble in the background into a folder under the root."""
        from twinvipers.ensemble.store import incomplete
        from twinvipers.scenario.errors import ScenarioError
        from twinvipers.scenario.load import load

        if body.runs > max_runs:
            raise _bad(422, f"runs: at most {max_runs} from the web app (use the command line)")
        path = _scenario_path(body.scenario)
        out = store.folder(body.out)
        if body.resume:
            if not (out / MANIFEST).is_file():
                raise _bad(409, f"{body.out!r}: nothing to resume (no {MANIFEST})")
            if incomplete(out) is None:
                raise _bad(409, f"{body.out!r}: the ensemble is already complete")
        elif out.exists() and any(out.iterdir()):
            raise _bad(409, f"{body.out!r} exists and is not empty; choose another name")
        try:
            meta = load(path).scenario.meta
        except ScenarioError as exc:
            raise _bad(422, "; ".join(str(x) for x in exc.errors[:20])) from None
        if body.until is not None and not meta.start < body.until <= meta.end:
            raise _bad(422, f"until {body.until} must lie after {meta.start} and by {meta.end}")
        out.mkdir(parents=True, exist_ok=True)
        try:
            job = jobs.start(
                {
                    "scenario": path,
                    "scenario_label": body.scenario,
                    "out": str(out),
                    "out_label": body.out,
                    "runs": body.runs,
                    "seed": body.seed,
                    "until": body.until.isoformat() if body.until else None,
                    "canon": body.canon,
                    "resume": body.resume,
                }  # fmt: skip
            )
        except RuntimeError as exc:
            raise _bad(409, str(exc)) from None
        return job.public()

    def _job(job_id: int) -> Any:
        job = jobs.jobs.get(job_id)
        if job is None:
            raise _bad(404, f"job {job_id}: no such job")
        return job

    @app.get("/api/jobs/{job_id}", tags=["jobs"])
    def job_get(job_id: Annotated[int, PathParam(ge=1, le=10**9)]) -> dict[str, Any]:
        """One job's state and progress."""
        return _job(job_id).public()

    @app.post("/api/jobs/{job_id}/cancel", tags=["jobs"])
    def job_cancel(job_id: Annotated[int, PathParam(ge=1, le=10**9)]) -> dict[str, Any]:
        """Cancel a running job: the runs done are kept; a job with ``resume`` finishes it."""
        _job(job_id)
        return jobs.cancel(job_id).public()

    @app.get(
        "/api/jobs/{job_id}/events",
        tags=["jobs"],
        response_class=StreamingResponse,
        responses={200: {"content": {"text/event-stream": {}}}},
    )
    async def job_events(job_id: Annotated[int, PathParam(ge=1, le=10**9)]) -> StreamingResponse:
        """Server-sent events: the job's state each time it changes, until it finishes."""
        job = _job(job_id)

        async def stream() -> Any:
            seen = -1
            while True:
                if job.version != seen:
                    seen = job.version
                    yield f"data: {json.dumps(job.public())}\n\n"
                    if job.state in ("complete", "cancelled", "failed"):
                        return
                await asyncio.to_thread(jobs.wait_change, job, seen, 1.0)
                yield ": keep-alive\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    return app
