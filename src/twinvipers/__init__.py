"""twinvipers: a counterfactual World War II simulator."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

__version__ = "0.1.0"


#: Modules under the hashed folders that numba never compiles (map drawing), so that editing
#: them does not throw the compiled engine away.
_NEVER_COMPILED = frozenset({"geometry.py"})


def _numba_cache_dir() -> None:
    """Key numba's on-disk cache by the compiled code's source.

    Numba invalidates a cached function when its own file changes, not when a function it calls
    does; a cache directory named by a hash of every compiled module keeps edits from ever
    running stale machine code.
    """
    if "NUMBA_CACHE_DIR" in os.environ:
        return
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for sub in ("engine.py", "state.py", "rules", "command", "world"):
        for f in sorted((here / sub).rglob("*.py")) if (here / sub).is_dir() else [here / sub]:
            if f.name in _NEVER_COMPILED:
                continue
            h.update(f.name.encode())
            h.update(f.read_bytes())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "twinvipers"
    target = base / f"numba-{h.hexdigest()[:16]}"
    try:
        target.mkdir(parents=True, exist_ok=True)
        target.touch()
        # Prune caches of older code, but only long-unused ones: another process (a test, a
        # worker) may be running with a different source tree right now.
        for old in base.glob("numba-*"):
            if old != target and old.is_dir() and time.time() - old.stat().st_mtime > 7 * 86400:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return  # unwritable home: numba falls back to its own default
    os.environ["NUMBA_CACHE_DIR"] = str(target)


#: Seconds of a cold compile of the engine on the 2-core reference machine (``make bench``,
#: benchmarks/bench_compile.py): what the command line tells a user on the first run.
COLD_COMPILE_S = 220


def engine_cached() -> bool:
    """True when numba's cache holds the engine for these sources: a run loads it, no compile.

    Numba files its cache by the folder of the source (a hash of its absolute path), and drops
    an index older than its source file: a second checkout of the same code, or a checkout that
    touched ``engine.py``, compiles again, so both are checked here, as numba does.
    """
    cache = os.environ.get("NUMBA_CACHE_DIR")
    if not cache:
        return False
    source = Path(__file__).resolve().parent / "engine.py"
    folder = os.path.dirname(os.path.abspath(source))
    sub = f"{os.path.basename(folder)}_{hashlib.sha1(folder.encode()).hexdigest()}"
    mtime = source.stat().st_mtime
    return any(
        index.stat().st_mtime >= mtime
        for index in (Path(cache) / sub).glob("engine.run_batch-*.nbi")
    )


_numba_cache_dir()


def open(path: str | os.PathLike[str]):  # noqa: A001 - twinvipers.open(DIR), as a notebook reads
    """Open a finished ensemble's results folder (see :class:`twinvipers.api.Ensemble`)."""
    from twinvipers.api import open_results

    return open_results(path)
