"""Run an ensemble: sample assumptions, spread fixed chunks of runs over workers, store, resume.

Chunks are fixed ranges of run ids (``chunk_size`` is recorded in ``ensemble.json``), and each run
depends only on its seed and its sampled assumptions, so the results are byte-identical whatever
the number of workers, and an interrupted ensemble resumes by running the chunks not yet on disk.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import datetime as dt
import multiprocessing as mp
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from twinvipers import __version__
from twinvipers.engine import simulate
from twinvipers.ensemble import sampling, store
from twinvipers.rules.rng import run_seeds
from twinvipers.scenario.checkpoints import judging_context
from twinvipers.scenario.compile import Compiled, compile_scenario
from twinvipers.scenario.load import load


class EnsembleError(Exception):
    """A user's mistake in asking for an ensemble (exit code 2)."""


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


# --- per-process state ------------------------------------------------------------------------

_CTX: dict[str, Any] = {}


def _setup(spec: Spec, out: str, compiled: Compiled | None = None) -> None:
    """Load and compile once per process; sample the design (identical in every process)."""
    c = compiled or compile_scenario(load(spec.scenario).scenario, spec.until)
    values = sampling.sample(c.assumptions, spec.runs, spec.seed, spec.sampler, spec.canon)
    _CTX.update(
        compiled=c,
        values=values,
        params=c.params_for(values),
        seeds=run_seeds(spec.seed, np.arange(spec.runs)),
        out=Path(out),
        spec=spec,
    )


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
    seeds = _CTX["seeds"][lo:hi]
    batch = simulate(c, _CTX["params"][lo:hi], seeds)
    tables = store.chunk_tables(c, batch, ids, seeds, _CTX["values"][lo:hi])
    store.write_chunk(_CTX["out"], chunk, tables)
    return hi - lo


def warm_up(c: Compiled) -> None:
    """Compile the engine for this world's types (a one-day, one-run batch)."""
    short = compile_scenario(c.scenario, c.start + dt.timedelta(days=1))
    simulate(short, short.params_for(np.zeros((1, len(c.assumptions)))), run_seeds(0, np.arange(1)))


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
        "chunk_size": spec.chunk_size,
        "canon": spec.canon,
        "canon_values": sampling.canon_values(c.assumptions) if spec.canon else {},
        "checkpoints": [cp.model_dump(mode="json", by_alias=True) for cp in s.checkpoints],
        "checkpoint_context": judging_context(s),
        "assumptions": [
            {"id": a.id, "description": a.description, "dist": a.dist.model_dump(mode="json")}
            for a in c.assumptions
        ],
        "powers": {
            p.id: {"name": p.name, "camp": p.camp, "color": p.color, "capital": p.capital}
            for p in s.powers
        },
        "camps": dict(s.meta.camps),
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


def run_ensemble(
    spec: Spec,
    out: Path,
    workers: int | None = None,
    resume: bool = False,
    force: bool = False,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Run (or resume) an ensemble into ``out``; return its manifest."""
    if spec.runs < 1:
        raise EnsembleError("--runs must be at least 1")
    if spec.sampler not in sampling.SAMPLERS:
        raise EnsembleError(f"unknown sampler {spec.sampler!r}; choose lhs or mc")
    out = Path(out)
    workers = workers or os.cpu_count() or 1
    loaded = load(spec.scenario)
    c = compile_scenario(loaded.scenario, spec.until)
    manifest_path = out / store.MANIFEST
    if resume:
        if not manifest_path.exists():
            raise EnsembleError(f"{out}: nothing to resume (no {store.MANIFEST})")
        manifest = store.read_manifest(out)
        if manifest["status"] == "complete":
            return manifest
        if manifest["scenario_hash"] != loaded.hash:
            raise EnsembleError(
                f"{out}: the scenario changed since this ensemble began "
                f"(hash {manifest['scenario_hash']} → {loaded.hash})"
            )
        if bool(manifest.get("canon", False)) != spec.canon:
            raise EnsembleError(
                f"{out}: this ensemble was begun "
                + (
                    "in canon mode; resume with --canon"
                    if manifest.get("canon")
                    else "with sampled assumptions; resume without --canon"
                )
            )
        until = dt.date.fromisoformat(manifest["until"]) if manifest["until"] else None
        spec = Spec(
            spec.scenario,
            manifest["runs"],
            manifest["seed"],
            until,
            manifest["sampler"],
            manifest["chunk_size"],
            spec.canon,
        )
    else:
        if out.exists() and any(out.iterdir()):
            if not force:
                raise EnsembleError(
                    f"{out} exists and is not empty; use --resume to finish an "
                    "interrupted ensemble or --force to replace it"
                )
            shutil.rmtree(out)
        (out / store.PARTS).mkdir(parents=True, exist_ok=True)
        manifest = _manifest(spec, loaded.hash, c)
        store.write_manifest(out, manifest)
        store.atomic_write_table(store.regions_table(c), out / "regions.parquet")
    (out / store.PARTS).mkdir(parents=True, exist_ok=True)
    for tmp in (out / store.PARTS).glob(".*.tmp"):
        tmp.unlink(missing_ok=True)  # left by a killed writer

    n_chunks = -(-spec.runs // spec.chunk_size)
    todo = [k for k in range(n_chunks) if not store.chunk_done(out, k)]
    done_runs = spec.runs - sum(
        min(spec.runs, (k + 1) * spec.chunk_size) - k * spec.chunk_size for k in todo
    )
    t0 = time.perf_counter()
    if progress:
        progress(done_runs, spec.runs)
    _setup(spec, str(out), compile_scenario(loaded.scenario, spec.until))
    if scheduler:
        done_runs = _run_on_dask(scheduler, spec, out, todo, done_runs, progress)
    elif workers <= 1 or len(todo) <= 1:
        for k in todo:
            done_runs += _run_chunk(k)
            if progress:
                progress(done_runs, spec.runs)
    else:
        # Compile (or load the cache) here, then fork: the workers inherit the compiled engine
        # and the sampled design instead of each loading and compiling them again.
        warm_up(_CTX["compiled"])
        methods = mp.get_all_start_methods()
        ctx = mp.get_context("fork" if "fork" in methods else "spawn")
        init = None if ctx.get_start_method() == "fork" else _setup
        with cf.ProcessPoolExecutor(
            min(workers, len(todo)),
            mp_context=ctx,
            initializer=init,
            initargs=(spec, str(out)) if init else (),
        ) as pool:
            futures = [pool.submit(_run_chunk, k) for k in todo]
            try:
                for fut in cf.as_completed(futures):
                    done_runs += fut.result()
                    if progress:
                        progress(done_runs, spec.runs)
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
    store.merge_parts(out, n_chunks)
    manifest["status"] = "complete"
    manifest["wall_time_s"] = round(manifest.get("wall_time_s", 0.0) + time.perf_counter() - t0, 3)
    store.write_manifest(out, manifest)
    return manifest
