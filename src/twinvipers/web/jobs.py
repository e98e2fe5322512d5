"""Background ensemble jobs: one at a time, progress as it comes, cancellable, resumable.

A job runs the ensemble runner (``ensemble.runner.run_ensemble``) in a child process started
with ``spawn`` (a fork of a threaded server is unsafe), so that cancelling is a signal and a
crash cannot take the server down. Cancelling sends SIGINT: the runner stops at once, keeps the
chunks already written and the time spent, and the folder is finished later by a job with
``resume`` (the runner's own ``--resume``). Besides the server's one-job rule, the child holds
an ``flock`` on a lock file in the user's cache folder, so two servers on one machine do not run
two ensembles at once either: a job that finds the lock taken waits for it (state ``waiting``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import itertools
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from pathlib import Path
from typing import Any

#: Lock file (in the twinvipers cache folder) held while a web job runs an ensemble.
LOCK_NAME = "web-ensemble-job.lock"


def _job_main(args: dict[str, Any], q: Any) -> None:
    """The child process: run or resume one ensemble, reporting through ``q``."""
    import datetime as dt

    from twinvipers.ensemble.runner import EnsembleError, Spec, run_ensemble
    from twinvipers.scenario.errors import ScenarioError
    from twinvipers.world.geometry import cache_dir

    lock_path = cache_dir() / LOCK_NAME
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(lock_path, "a+")  # noqa: SIM115 - held for the life of the process
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        # Another server's job has the machine: queue behind it rather than fail the user's job.
        q.put({"state": "waiting", "message": "waiting for another ensemble job on this machine"})
        try:
            fcntl.flock(fh, fcntl.LOCK_EX)
        except KeyboardInterrupt:
            q.put({"state": "cancelled", "message": "cancelled before it started"})
            return
        q.put({"state": "starting", "message": ""})
    until = dt.date.fromisoformat(args["until"]) if args.get("until") else None
    spec = Spec(
        args["scenario"], args["runs"], args["seed"], until, chunk_size=args["chunk_size"],
        canon=args["canon"],
    )  # fmt: skip
    given = ("runs", "seed", "until") if args["resume"] else ()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] > 0.2:  # at most five messages a second
            last[0] = now
            q.put({"state": "running", "done": done, "total": total})

    try:
        manifest = run_ensemble(
            spec, Path(args["out"]), workers=args["workers"], resume=args["resume"],
            progress=progress, given=given,
            on_compile=lambda: q.put({"state": "compiling"}),
        )  # fmt: skip
        q.put({"state": "complete", "done": manifest["runs"], "total": manifest["runs"]})
    except KeyboardInterrupt:
        q.put({"state": "cancelled", "message": "cancelled; resume finishes it"})
    except ScenarioError as exc:
        q.put({"state": "failed", "message": "; ".join(str(e) for e in exc.errors)})
    except EnsembleError as exc:
        q.put({"state": "failed", "message": str(exc)})
    except Exception as exc:  # noqa: BLE001 - reported to the user, not raised in a child
        q.put({"state": "failed", "message": f"{type(exc).__name__}: {exc}"})


@dataclasses.dataclass
class Job:
    """One ensemble job as the API shows it."""

    id: int
    scenario: str
    out: str
    runs: int
    seed: int
    until: str | None
    canon: bool
    resume: bool
    state: str = "starting"  # starting, waiting, compiling, running, complete, cancelled, failed
    done: int = 0
    total: int = 0
    message: str = ""
    started: float = dataclasses.field(default_factory=time.time)
    ended: float | None = None
    version: int = 0  # bumped on every change: the event stream sends a state once

    def public(self) -> dict[str, Any]:
        """The job as JSON."""
        d = dataclasses.asdict(self)
        d["finished"] = self.state in FINISHED
        return d


FINISHED = ("complete", "cancelled", "failed")


class Jobs:
    """The server's jobs: at most one running; the others are history."""

    def __init__(self, workers: int = 1):
        self.workers = workers
        self.jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._proc: Any = None
        self._running: Job | None = None
        self._cond = threading.Condition(self._lock)

    def running(self) -> Job | None:
        """The job in progress, if any."""
        with self._lock:
            return self._running

    def start(self, args: dict[str, Any]) -> Job:
        """Start a job; raise ``RuntimeError`` when one is running."""
        with self._lock:
            if self._running is not None:
                raise RuntimeError(f"job {self._running.id} is running; one job at a time")
            job = Job(
                next(self._ids), args["scenario_label"], args["out_label"], args["runs"],
                args["seed"], args.get("until"), args["canon"], args["resume"],
            )  # fmt: skip
            job.total = args["runs"]
            self.jobs[job.id] = job
            self._running = job
        ctx = mp.get_context("spawn")
        q = ctx.Queue()
        child = {k: v for k, v in args.items() if not k.endswith("_label")}
        child.setdefault("workers", self.workers)
        child.setdefault("chunk_size", max(1, min(64, -(-args["runs"] // 8))))
        proc = ctx.Process(target=_job_main, args=(child, q), daemon=True)
        try:
            proc.start()
        except OSError as exc:  # no process to be had (memory, limits): the job failed
            self._update(job, state="failed", message=f"could not start the job: {exc}")
            return job
        self._proc = proc
        threading.Thread(target=self._watch, args=(job, proc, q), daemon=True).start()
        return job

    def _update(self, job: Job, **changes: Any) -> None:
        with self._cond:
            for k, v in changes.items():
                setattr(job, k, v)
            job.version += 1
            if job.state in FINISHED:
                job.ended = time.time()
                if self._running is job:
                    self._running = None
            self._cond.notify_all()

    def _watch(self, job: Job, proc: Any, q: Any) -> None:
        while True:
            try:
                msg = q.get(timeout=0.5)
            except queue.Empty:
                if not proc.is_alive():
                    # drain what it sent before it ended
                    with contextlib.suppress(queue.Empty):
                        while True:
                            self._update(job, **q.get_nowait())
                    if job.state not in FINISHED:
                        self._update(
                            job, state="failed", message=f"the job ended (exit {proc.exitcode})"
                        )
                    return
                continue
            self._update(job, **msg)
            if job.state in FINISHED:
                proc.join(timeout=30)
                return

    def cancel(self, job_id: int) -> Job:
        """Stop a running job (SIGINT: the runner keeps its finished chunks for a resume)."""
        job = self.jobs[job_id]
        proc = self._proc
        if job.state in FINISHED or proc is None or self._running is not job:
            return job
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGINT)

        def hard_stop() -> None:
            proc.join(timeout=15)
            if proc.is_alive():
                proc.terminate()

        threading.Thread(target=hard_stop, daemon=True).start()
        return job

    def wait_change(self, job: Job, seen: int, timeout: float) -> None:
        """Block until ``job`` changes past version ``seen`` or ``timeout`` seconds pass."""
        with self._cond:
            if job.version == seen:
                self._cond.wait(timeout)

    def shutdown(self) -> None:
        """Stop a running job when the server stops (it can be resumed later)."""
        job = self.running()
        if job is not None:
            self.cancel(job.id)
