"""Run an ensemble: sample assumptions, spread fixed chunks of runs over workers, store, resume.

Chunks are fixed ranges of run ids (``chunk_size`` is recorded in ``ensemble.json``), and each run
depends only on its seed and its sampled assumptions, so the results are byte-identical whatever
the number of workers, and an interrupted ensemble resumes by running the chunks not yet on disk.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import datetime as dt
import errno
import fcntl
import multiprocessing as mp
import os
import shutil
import signal
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from twinvipers import __version__, engine_cached
from twinvipers.engine import BatchResult, simulate
from twinvipers.ensemble import sampling, store
from twinvipers.rules.rng import run_seeds
from twinvipers.scenario.alignment import decided_powers
from twinvipers.scenario.checkpoints import judging_context
from twinvipers.scenario.compile import Compiled, compile_scenario
from twinvipers.scenario.load import load


class EnsembleError(Exception):
    """A user's mistake in asking for an ensemble (exit code 2)."""


#: Runs one ensemble may hold (run ids and seeds stay far inside int64).
MAX_RUNS = 1_000_000_000
#: A default chunk size keeps a large ensemble to about this many chunks (4 part files each).
TARGET_CHUNKS = 1_000
DEFAULT_CHUNK = 64


#: Snapshot rows (snapshots x land regions) a chunk may hold: a chunk's history and its
#: control table live in one worker's memory at once (about 60 bytes a row at the peak, in the
#: engine's arrays, the Arrow columns and their temporaries), so a long span gets smaller chunks.
CHUNK_SNAPSHOT_ROWS = 4_000_000


def default_chunk_size(runs: int) -> int:
    """64 runs a chunk, or more for a large ensemble so that it has about 1,000 chunks."""
    return max(DEFAULT_CHUNK, -(-runs // TARGET_CHUNKS))


def memory_chunk_size(c: Compiled) -> int:
    """The most runs a chunk of this scenario's span holds within :data:`CHUNK_SNAPSHOT_ROWS`.

    A run to April 1940 (45 weekly snapshots of the 778-region world) fits 114 runs; a run to
    September 1945 (324 snapshots) 15.
    """
    rows = len(c.world.snap_days) * max(len(c.world.r_owner), 1)
    return max(1, CHUNK_SNAPSHOT_ROWS // rows)


def event_room(c: Compiled, runs: int = 1) -> int:
    """Events per run the engine's first buffer holds: an overflow reruns the batch.

    A six-year run records about one event a day (battles, captures, monthly oil deliveries,
    decisions), a run of ten months about three; the buffer grows with the span.
    """
    days = int(c.world.snap_days[-1]) + 1
    return max(4096 if runs == 1 else 1024, 4 * days)


@dataclasses.dataclass(frozen=True)
class Spec:
    """What to run."""

    scenario: str
    runs: int
    seed: int = 1
    until: dt.date | None = None
    sampler: str = "lhs"
    chunk_size: int = 64
    canon: bool = False
    free_from: dt.date | None = None  # run --free-from: free mode from that day (None: meta's)


def _stage(name: str) -> None:
    """Fault injection for the safety tests: ``TWINVIPERS_KILL_AT=name`` kills the run here."""
    if os.environ.get("TWINVIPERS_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


# --- per-process state ------------------------------------------------------------------------

_CTX: dict[str, Any] = {}


def _setup(spec: Spec, out: str, compiled: Compiled | None = None) -> None:
    """Load and compile once per process; a Latin hypercube design is drawn here, whole.

    The other samplers and the seeds are drawn per chunk, so memory does not grow with the
    number of runs.
    """
    c = compiled or compile_scenario(load(spec.scenario).scenario, spec.until, spec.free_from)
    design = seed_ids = None
    if spec.sampler == sampling.GIVEN:
        design, seed_ids = store.read_design(Path(out))
    elif spec.sampler not in sampling.EXTENSIBLE:
        design = sampling.unit_sample(spec.runs, len(c.assumptions), spec.seed, spec.sampler)
    _CTX.update(compiled=c, design=design, seed_ids=seed_ids, out=Path(out), spec=spec)


def _run_chunk_anywhere(spec: Spec, out: str, chunk: int) -> int:
    """A chunk on a Dask worker: set the process up once per ensemble, then run it."""
    if _CTX.get("spec") != spec or str(_CTX.get("out")) != out:
        _setup(spec, out)
    return _run_chunk(chunk)


def _run_chunk(chunk: int) -> int:
    """Simulate one chunk of runs and write its parts; return the number of runs."""
    c: Compiled = _CTX["compiled"]
    spec: Spec = _CTX["spec"]
    lo, hi = chunk * spec.chunk_size, min(spec.runs, (chunk + 1) * spec.chunk_size)
    ids = np.arange(lo, hi)
    seed_ids = _CTX.get("seed_ids")
    seeds = run_seeds(spec.seed, ids if seed_ids is None else seed_ids[lo:hi])
    design = _CTX["design"]
    if design is not None:
        values = sampling.values_of(c.assumptions, design[lo:hi], spec.canon)
    else:
        values = sampling.sample(
            c.assumptions, spec.runs, spec.seed, spec.sampler, spec.canon, rows=(lo, hi)
        )
    batch = simulate_each(c, c.params_for(values), seeds, _CTX.get("on_run"))
    tables = store.chunk_tables(c, batch, ids, seeds, values)
    store.write_chunk(_CTX["out"], chunk, tables)
    _stage("chunk")
    return hi - lo


def simulate_each(
    c: Compiled,
    params: np.ndarray,
    seeds: np.ndarray,
    on_run: Callable[[], None] | None = None,
) -> BatchResult:
    """Simulate a batch one run at a time, calling ``on_run`` after each, and join the histories.

    A run depends only on its parameters and its seed (the engine resets the state before each
    run), so the joined history equals one batch's; running them apart lets progress move per
    run instead of per chunk, for the cost of allocating the state once a run.
    """
    if on_run is None or len(seeds) <= 1:
        batch = simulate(c, params, seeds, events_per_run=event_room(c, len(seeds)))
        if on_run is not None:
            on_run()
        return batch
    parts = []
    for i in range(len(seeds)):
        # A roomy buffer: a single run's events are not averaged with others', and an
        # overflow would run it again.
        parts.append(simulate(c, params[i : i + 1], seeds[i : i + 1], event_room(c)))
        on_run()
    return join_batches(parts)


def join_batches(parts: list[BatchResult]) -> BatchResult:
    """One batch's result from single-run results, in order (event rows renumbered by run)."""
    hs = [p.history for p in parts]
    ns = [p.n_events for p in parts]

    def events(field: str, offset: bool = False) -> np.ndarray:
        cols = [
            getattr(h, field)[:n] + (i if offset else 0)
            for i, (h, n) in enumerate(zip(hs, ns, strict=True))
        ]
        return np.concatenate(cols) if cols else np.zeros(0, np.int64)

    n = int(sum(ns))
    h0 = hs[0]
    joined = h0._replace(
        count=np.array([n, 0], np.int64),
        ev_run=events("ev_run", offset=True),
        **{f: events(f) for f in h0._fields if f.startswith("ev_") and f != "ev_run"},
        ctrl=np.concatenate([h.ctrl for h in hs]),
        pw=np.concatenate([h.pw for h in hs]),
        end_day=np.concatenate([h.end_day for h in hs]),
    )
    return BatchResult(joined, n)


def warm_up(c: Compiled) -> None:
    """Compile the engine for this world's types (a one-day, one-run batch)."""
    short = compile_scenario(c.scenario, c.start + dt.timedelta(days=1))
    # Canon values (medians where none): zero is no value of many assumptions (free diplomacy's
    # logit temperatures divide by theirs).
    row = sampling.values_of(short.assumptions, np.full((1, len(short.assumptions)), 0.5), True)
    simulate(short, short.params_for(row), run_seeds(0, np.arange(1)))


# --- the ensemble -------------------------------------------------------------------------------


def _manifest(spec: Spec, loaded_hash: str, c: Compiled) -> dict[str, Any]:
    s = c.scenario
    return {
        "scenario": spec.scenario,
        "scenario_id": s.meta.id,
        "scenario_name": s.meta.name,
        "scenario_hash": loaded_hash,
        "version": __version__,
        "runs": spec.runs,
        "seed": spec.seed,
        "start": s.meta.start.isoformat(),
        "end": c.date(int(c.world.snap_days[-1])).isoformat(),
        "until": spec.until.isoformat() if spec.until else None,
        "sampler": spec.sampler,
        "extensible": spec.sampler in sampling.EXTENSIBLE,
        "chunk_size": spec.chunk_size,
        "canon": spec.canon,
        # The decisions' mode: canon (scripted decisions bind) or free (the high commands make
        # the operational and strategic decisions from the point of divergence).
        "mode": "free" if c.free_from is not None else "canon",
        "free_from": c.free_from.isoformat() if c.free_from is not None else None,
        "free_from_option": spec.free_from.isoformat() if spec.free_from else None,
        "canon_values": sampling.canon_values(c.assumptions) if spec.canon else {},
        "checkpoints": [cp.model_dump(mode="json", by_alias=True) for cp in s.checkpoints],
        "checkpoint_context": judging_context(s),
        "assumptions": [
            {
                "id": a.id,
                "description": a.description,
                "dist": a.dist.model_dump(mode="json"),
                "canon": a.canon,
                "source": a.source or "; ".join(a.sources.values()) or None,
            }
            for a in c.assumptions
        ],
        "powers": {
            p.id: {"name": p.name, "camp": p.camp, "color": p.color, "capital": p.capital}
            for p in s.powers
        },
        "camps": dict(s.meta.camps),
        "diplomacy_powers": decided_powers(s),  # free diplomacy decides their war and peace
        "status": "running",
        "wall_time_s": 0.0,
    }


def _run_on_dask(
    scheduler: str,
    spec: Spec,
    out: Path,
    todo: list[int],
    done_runs: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    """Run chunks on a Dask cluster; its workers must see ``out`` (a shared filesystem)."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - the cluster extra is installed by make
        raise EnsembleError(
            "--scheduler needs dask distributed: pip install twinvipers[cluster]"
        ) from exc
    if scheduler == "local":
        cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1)
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler)
    try:
        futures = [
            client.submit(_run_chunk_anywhere, spec, str(out.resolve()), k, pure=False)
            for k in todo
        ]
        for fut in as_completed(futures):
            done_runs += fut.result()
            if progress:
                progress(done_runs, spec.runs)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return done_runs


def fs_message(exc: OSError, what: Path) -> str:
    """A filesystem error as a message that says what to do."""
    where = exc.filename or what
    if exc.errno == errno.ENOSPC:
        return (
            f"the disk is full (writing {where}); free some space, then finish the ensemble "
            "with --resume: the runs written so far are kept"
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {where}: {exc.strerror}; choose another --out or fix its permissions"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return f"{where}: a file stands where a folder is needed; choose another --out"
    return f"{where}: {exc.strerror or exc}"


@contextlib.contextmanager
def locked(out: Path, create: bool) -> Iterator[None]:
    """Hold an exclusive lock on a results folder (``flock``; released when the process ends)."""
    if out.exists() and not out.is_dir():
        raise EnsembleError(f"--out {out} is a file, not a folder; choose another --out")
    if create:
        out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / store.LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise EnsembleError(
                f"{out} is in use by another twinvipers run (process {holder}); "
                "wait for it to finish, or choose another --out"
            ) from exc
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def _abandoned(entries: list[Path]) -> bool:
    """True when a folder holds only what a new ensemble writes before its manifest."""
    for p in entries:
        if p.name in ("regions.parquet", store.DESIGN) or (
            p.name.startswith(".") and p.name.endswith(".tmp")
        ):
            continue
        if p.name == store.PARTS and p.is_dir() and not any(p.iterdir()):
            continue
        return False
    return bool(entries)


def _clear(entries: list[Path]) -> None:
    for p in entries:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        else:
            p.unlink()


def _check_spec(spec: Spec, meta: Any, workers: int | None) -> None:
    if not 1 <= spec.runs <= MAX_RUNS:
        raise EnsembleError(f"--runs must be from 1 to {MAX_RUNS:,}")
    if spec.chunk_size < 1:
        raise EnsembleError("--chunk-size must be at least 1")
    if workers is not None and workers < 1:
        raise EnsembleError("--workers must be at least 1")
    if spec.sampler not in (*sampling.SAMPLERS, sampling.GIVEN):
        raise EnsembleError(
            f"unknown sampler {spec.sampler!r}; choose one of {', '.join(sampling.SAMPLERS)}"
        )
    if spec.sampler == "lhs" and spec.runs > sampling.LHS_MAX_RUNS:
        raise EnsembleError(
            f"the Latin hypercube design is drawn whole: at most {sampling.LHS_MAX_RUNS:,} runs; "
            "use --sampler sobol or mc for more"
        )
    start, end = meta.start, meta.end
    if spec.until is not None and not start < spec.until <= end:
        raise EnsembleError(f"--until {spec.until} must lie after {start} and by {end}")
    if spec.free_from is not None and not start <= spec.free_from <= end:
        raise EnsembleError(f"--free-from {spec.free_from} must lie within {start} to {end}")


#: Spec fields a user may give on the command line, with their option names.
OPTIONS = {
    "runs": "--runs",
    "seed": "--seed",
    "until": "--until",
    "sampler": "--sampler",
    "chunk_size": "--chunk-size",
    "free_from": "--free-from",
}


def _resumed_spec(spec: Spec, manifest: dict[str, Any], given: Collection[str]) -> Spec:
    """The spec the ensemble was begun with; options given that differ from it are refused."""
    until = dt.date.fromisoformat(manifest["until"]) if manifest["until"] else None
    begun = Spec(
        spec.scenario,
        manifest["runs"],
        manifest["seed"],
        until,
        manifest["sampler"],
        manifest["chunk_size"],
        spec.canon,
        dt.date.fromisoformat(manifest["free_from_option"])
        if manifest.get("free_from_option")
        else None,
    )
    for name in given:
        if getattr(spec, name) != getattr(begun, name):
            raise EnsembleError(
                f"--resume finishes the ensemble as it was begun, with {OPTIONS[name]} "
                f"{getattr(begun, name)}; drop {OPTIONS[name]} {getattr(spec, name)} (or start a "
                "new ensemble in another --out)"
            )
    return begun


def _worker_init(counter: Any, *setup: Any) -> None:
    """Set a worker up: Ctrl-C is the parent's, runs are counted in ``counter`` as they end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if setup:
        _setup(*setup)

    def on_run() -> None:
        with counter.get_lock():
            counter.value += 1

    _CTX["on_run"] = on_run


def _run_todo(
    spec: Spec,
    out: Path,
    todo: list[int],
    done_runs: int,
    workers: int,
    scheduler: str | None,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Run the chunks not yet on disk, calling ``progress`` as runs end."""
    if progress:
        progress(done_runs, spec.runs)
    if scheduler:
        _run_on_dask(scheduler, spec, out, todo, done_runs, progress)
        return
    if workers <= 1 or len(todo) <= 1:
        count = [done_runs]

        def on_run() -> None:
            count[0] += 1
            if progress:
                progress(count[0], spec.runs)

        _CTX["on_run"] = on_run
        try:
            for k in todo:
                _run_chunk(k)
        finally:
            _CTX.pop("on_run", None)
        return
    # Compile (or load the cache) here, then fork: the workers inherit the compiled engine
    # and the sampled design instead of each loading and compiling them again.
    warm_up(_CTX["compiled"])
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    counter = ctx.Value("q", 0)
    setup = () if ctx.get_start_method() == "fork" else (spec, str(out))
    pool = cf.ProcessPoolExecutor(
        min(workers, len(todo)),
        mp_context=ctx,
        initializer=_worker_init,
        initargs=(counter, *setup),
    )
    futures = {pool.submit(_run_chunk, k) for k in todo}
    try:
        pending = set(futures)
        while pending:
            finished, pending = cf.wait(pending, timeout=0.5, return_when=cf.FIRST_COMPLETED)
            for fut in finished:
                fut.result()  # a worker's error is raised here
            if progress:
                progress(done_runs + counter.value, spec.runs)
    except BaseException:
        # Ctrl-C or a failed chunk: stop now rather than wait for running chunks (up to a
        # minute each). Parts are written under temporary names, so a killed worker leaves
        # nothing half-written, and --resume reruns its chunk.
        procs = list((getattr(pool, "_processes", None) or {}).values())  # no public handle
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            proc.terminate()
        raise
    pool.shutdown(wait=True)


def run_ensemble(
    spec: Spec,
    out: Path,
    workers: int | None = None,
    resume: bool = False,
    force: bool = False,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    given: Collection[str] = (),
    on_compile: Callable[[], None] | None = None,
    design: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, Any]:
    """Run (or resume) an ensemble into ``out``; return its manifest.

    ``design`` (with ``spec.sampler`` ``given``) is the unit-cube rows (runs × assumptions)
    and each run's seed index, written to the folder as ``design.parquet`` and read back by
    every worker and on ``--resume``.

    ``given`` names the spec fields the user set explicitly: ``--resume`` refuses those that
    differ from the ensemble's own instead of ignoring them. ``on_compile`` is called before
    the engine is compiled (the first run on a machine, or after an update); the compile is
    left out of the manifest's ``wall_time_s`` and out of the first ``progress`` call's clock.
    """
    out = Path(out)
    loaded = load(spec.scenario)
    c = None
    if not resume:
        _check_spec(spec, loaded.scenario.meta, workers)
        c = compile_scenario(loaded.scenario, spec.until, spec.free_from)
        if "chunk_size" not in given and spec.chunk_size > memory_chunk_size(c):
            # Memory must not grow with the span either: a long war gets smaller chunks
            # (results are the same for any chunking; the manifest records the size used).
            spec = dataclasses.replace(spec, chunk_size=memory_chunk_size(c))
        if (spec.sampler == sampling.GIVEN) != (design is not None):
            raise EnsembleError("a given design goes with the sampler 'given', and only with it")
        if design is not None and (
            design[0].shape != (spec.runs, len(c.assumptions)) or len(design[1]) != spec.runs
        ):
            raise EnsembleError(
                f"the design has {design[0].shape} rows × columns and {len(design[1])} seeds; "
                f"need {spec.runs} × {len(c.assumptions)}"
            )
    elif workers is not None and workers < 1:
        raise EnsembleError("--workers must be at least 1")
    if resume and not (out / store.MANIFEST).is_file():
        raise EnsembleError(f"{out}: nothing to resume (no {store.MANIFEST})")
    try:
        with locked(out, create=not resume):
            return _run_locked(
                spec, out, loaded, c, workers, resume, force, scheduler, progress, given,
                on_compile, design,
            )  # fmt: skip
    except OSError as exc:
        raise EnsembleError(fs_message(exc, out)) from exc


def _run_locked(
    spec: Spec,
    out: Path,
    loaded: Any,
    c: Compiled | None,
    workers: int | None,
    resume: bool,
    force: bool,
    scheduler: str | None,
    progress: Callable[[int, int], None] | None,
    given: Collection[str],
    on_compile: Callable[[], None] | None,
    design: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, Any]:
    workers = workers or os.cpu_count() or 1
    if resume:
        try:
            manifest = store.read_manifest(out)
        except (ValueError, KeyError) as exc:
            raise EnsembleError(f"{out}: {store.MANIFEST} is unreadable ({exc})") from exc
        if bool(manifest.get("canon", False)) != spec.canon:
            raise EnsembleError(
                f"{out}: this ensemble was begun "
                + (
                    "in canon mode; resume with --canon"
                    if manifest.get("canon")
                    else "with sampled assumptions; resume without --canon"
                )
            )
        spec = _resumed_spec(spec, manifest, given)
        if manifest["scenario_hash"] != loaded.hash:
            raise EnsembleError(
                f"{out}: the scenario changed since this ensemble began "
                f"(hash {manifest['scenario_hash']} → {loaded.hash})"
            )
        c = compile_scenario(loaded.scenario, spec.until, spec.free_from)
        if spec.sampler == sampling.GIVEN and not (out / store.DESIGN).is_file():
            raise EnsembleError(f"{out}: the given design ({store.DESIGN}) is missing")
        if not (out / "regions.parquet").exists():  # killed before it was written: repair
            store.atomic_write_table(store.regions_table(c), out / "regions.parquet")
        if manifest["status"] == "complete":
            missing = [t for t in store.TABLES if not (out / f"{t}.parquet").exists()]
            if not missing:
                shutil.rmtree(out / store.PARTS, ignore_errors=True)  # killed while tidying
                return manifest
            manifest["status"] = "running"  # tables lost after the end: run what is missing
    else:
        entries = [p for p in out.iterdir() if p.name != store.LOCK]
        if entries and not _abandoned(entries):
            if not force:
                raise EnsembleError(
                    f"{out} exists and is not empty; use --resume to finish an "
                    "interrupted ensemble or --force to replace it"
                )
            if not (out / store.MANIFEST).is_file():
                raise EnsembleError(
                    f"{out} is not an ensemble folder (no {store.MANIFEST}); --force replaces "
                    "only an ensemble, so nothing was deleted: choose another --out"
                )
        assert c is not None
        _clear(entries)
        if design is not None:
            store.write_design(out, [a.id for a in c.assumptions], *design)
        # The manifest is written last: a folder with one always has its regions table.
        manifest = _manifest(spec, loaded.hash, c)
        store.atomic_write_table(store.regions_table(c), out / "regions.parquet")
        _stage("regions")
        (out / store.PARTS).mkdir(exist_ok=True)
        store.write_manifest(out, manifest)
        _stage("manifest")
    (out / store.PARTS).mkdir(parents=True, exist_ok=True)
    for tmp in (out / store.PARTS).glob(".*.tmp"):
        tmp.unlink(missing_ok=True)  # left by a killed writer

    n_chunks = -(-spec.runs // spec.chunk_size)
    todo = [k for k in range(n_chunks) if not store.chunk_done(out, k)]
    done_runs = spec.runs - sum(
        min(spec.runs, (k + 1) * spec.chunk_size) - k * spec.chunk_size for k in todo
    )
    _setup(spec, str(out), c)
    if todo and not engine_cached():
        # The first run compiles the engine (minutes): say so, and keep it out of the runs/s.
        if on_compile:
            on_compile()
        warm_up(_CTX["compiled"])
    t0 = time.perf_counter()
    try:
        _run_todo(spec, out, todo, done_runs, workers, scheduler, progress)
    except BaseException:
        # Interrupted or failed: keep the time spent, so that a resumed ensemble's wall time
        # counts all of its runs, not only the resumed part.
        with contextlib.suppress(OSError):
            manifest["wall_time_s"] = round(
                manifest.get("wall_time_s", 0.0) + time.perf_counter() - t0, 3
            )
            store.write_manifest(out, manifest)
        raise
    store.merge_parts(out, n_chunks)
    _stage("merged")
    manifest["status"] = "complete"
    manifest["wall_time_s"] = round(manifest.get("wall_time_s", 0.0) + time.perf_counter() - t0, 3)
    store.write_manifest(out, manifest)
    _stage("complete")
    shutil.rmtree(out / store.PARTS, ignore_errors=True)  # after the manifest: see merge_parts
    return manifest
