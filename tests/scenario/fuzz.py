"""A mutation fuzzer for scenario folders: every mutation validates and runs, or gives a located
error (exit 2 on the command line) — never a traceback, a crash or a hang.

Each mutation copies a small scenario, changes one thing (a deleted field, a wrong type, an
absurd or non-finite number, a dangling reference, a duplicate, a logical contradiction, broken
YAML, an alias bomb, deep nesting, garbage bytes, a special file) and checks the result. A
mutation meant to be nonsense (non-finite or absurd numbers, contradictions) that validates
counts as a failure too ("accepted").

    python -m tests.scenario.fuzz --n 2000 --simulate 30     # the big run, one process per batch

``tests/scenario/test_fuzz.py`` runs a fast subset in-process.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import copy
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from twinvipers.scenario.load import SHIPPED

BASE = SHIPPED / "poland_1939"
#: Outcomes that are failures.
FAILURES = ("traceback", "unlocated", "accepted", "hang", "crash")
#: Seconds one mutation may take (load, validate, compile, a short run) before it is a hang.
TIME_LIMIT = 60.0


class TimeLimitError(Exception):
    """One mutation took longer than its limit."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitError` in the main thread after ``seconds`` (SIGALRM)."""

    def on_alarm(signum: int, frame: Any) -> None:
        raise TimeLimitError(f"over {seconds:g} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# --- mutations ------------------------------------------------------------------------------------

#: A mutation: (kind, expectation, apply(folder, rng) -> description). Expectation "reject"
#: means a valid result is a failure; "either" accepts a valid scenario or a located error.
Mutation = tuple[str, str, Callable[[Path, random.Random], str]]

ABSURD = [float("nan"), float("inf"), float("-inf"), 1e308, -1e308, 10**30, -(10**30)]
WRONG = ["lots", [], {}, None, [1, 2], {"a": 1}, "", "2 divisions", 3.5, -7, 0]


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.is_file())


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) below ``data``."""
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _nodes(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _nodes(v, (*path, i))


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = data
    for p in path[:-1]:
        parent = parent[p]
    parent[path[-1]] = value
    return data


def _pick(folder: Path, rng: random.Random, want: Callable[[tuple, Any], bool]):
    """A random file and a random node of it satisfying ``want``: (file, data, path, value)."""
    files = _files(folder)
    rng.shuffle(files)
    for f in files:
        data = _load(f)
        nodes = [(p, v) for p, v in _nodes(data) if p and want(p, v)]
        if nodes:
            p, v = rng.choice(nodes)
            return f, data, p, v
    return None


def _number(p: tuple, v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def m_delete(folder: Path, rng: random.Random) -> str:
    hit = _pick(folder, rng, lambda p, v: isinstance(p[-1], str))
    if hit is None:
        return "nothing to delete"
    f, data, p, _ = hit
    parent = data
    for k in p[:-1]:
        parent = parent[k]
    del parent[p[-1]]
    _dump(f, data)
    return f"{f.name}: deleted {p}"


def m_wrong_type(folder: Path, rng: random.Random) -> str:
    hit = _pick(folder, rng, lambda p, v: not isinstance(v, (dict, list)))
    if hit is None:
        return "nothing"
    f, data, p, _ = hit
    new = copy.deepcopy(rng.choice(WRONG))
    _dump(f, _set(data, p, new))
    return f"{f.name}: {p} = {new!r}"


def m_absurd(folder: Path, rng: random.Random) -> str:
    hit = _pick(folder, rng, _number)
    if hit is None:
        return "nothing"
    f, data, p, _ = hit
    new = rng.choice(ABSURD)
    _dump(f, _set(data, p, new))
    return f"{f.name}: {p} = {new!r}"


def m_bool_number(folder: Path, rng: random.Random) -> str:
    hit = _pick(folder, rng, _number)
    if hit is None:
        return "nothing"
    f, data, p, _ = hit
    new = rng.choice([True, False])
    _dump(f, _set(data, p, new))
    return f"{f.name}: {p} = {new!r}"


def m_dangling(folder: Path, rng: random.Random) -> str:
    refs = ("owner", "power", "region", "capital", "leader", "a", "b", "actor", "target", "to")
    hit = _pick(
        folder, rng, lambda p, v: isinstance(v, str) and isinstance(p[-1], str) and p[-1] in refs
    )
    if hit is None:
        return "nothing"
    f, data, p, v = hit
    new = "ATL" if v.isupper() else "atlantis"
    _dump(f, _set(data, p, new))
    return f"{f.name}: {p} = {new!r}"


def m_duplicate(folder: Path, rng: random.Random) -> str:
    hit = _pick(folder, rng, lambda p, v: isinstance(v, list) and v and isinstance(v[0], dict))
    if hit is None:
        return "nothing"
    f, data, p, v = hit
    v.append(copy.deepcopy(rng.choice(v)))
    _dump(f, data)
    return f"{f.name}: duplicated an item of {p}"


def _edit(folder: Path, name: str, fn: Callable[[Any], Any]) -> None:
    f = folder / name
    _dump(f, fn(_load(f)))


def _contradictions() -> list[tuple[str, Callable[[Path], None]]]:
    """Scenarios that validate field by field but cannot be (each must be refused)."""

    def powers(folder: Path) -> list[str]:
        return [p["id"] for p in _load(folder / "powers.yaml")]

    def first_region_of(folder: Path, power: str) -> str:
        return next(r["id"] for r in _load(folder / "regions.yaml") if r["owner"] == power)

    def war_on_self(folder: Path) -> None:
        tag = powers(folder)[0]
        _edit(folder, "diplomacy.yaml", lambda d: {**d, "wars": [{"a": tag, "b": tag}]})

    def self_edge(folder: Path) -> None:
        _edit(folder, "edges.yaml", lambda d: [*d, {"a": d[0]["a"], "b": d[0]["a"]}])

    def duplicate_edge(folder: Path) -> None:
        _edit(folder, "edges.yaml", lambda d: [*d, {"a": d[0]["b"], "b": d[0]["a"]}])

    def fired_self(folder: Path) -> None:
        def fn(d: Any) -> Any:
            d[0]["trigger"] = {"fired": d[0]["id"]}
            return d

        _edit(folder, "events.yaml", fn)

    def fired_each_other(folder: Path) -> None:
        def fn(d: Any) -> Any:
            d[0]["trigger"] = {"all": [{"date": "1939-09-01"}, {"fired": d[1]["id"]}]}
            d[1]["trigger"] = {"fired": d[0]["id"]}
            return d

        _edit(folder, "events.yaml", fn)

    def member_twice(folder: Path) -> None:
        def fn(d: Any) -> Any:
            t = d["treaties"][0]
            t["members"] = [*t["members"], t["members"][0]]
            return d

        _edit(folder, "diplomacy.yaml", fn)

    def duplicate_treaty(folder: Path) -> None:
        def fn(d: Any) -> Any:
            d["treaties"].append(copy.deepcopy(d["treaties"][0]))
            return d

        _edit(folder, "diplomacy.yaml", fn)

    def foreign_leader(folder: Path) -> None:
        leaders = _load(folder / "leaders.yaml")

        def fn(d: Any) -> Any:
            for force in d:
                other = [ld for ld in leaders if ld["power"] != force["power"]]
                if other:
                    force["leader"] = other[0]["id"]
                    return d
            return d

        _edit(folder, "forces.yaml", fn)

    def foreign_capital(folder: Path) -> None:
        ps = powers(folder)
        other = first_region_of(folder, ps[1])

        def fn(d: Any) -> Any:
            d[0]["capital"] = other
            return d

        _edit(folder, "powers.yaml", fn)

    def event_after_end(folder: Path) -> None:
        def fn(d: Any) -> Any:
            d[0]["trigger"] = {"date": dt.date(1950, 1, 1)}
            return d

        _edit(folder, "events.yaml", fn)

    def start_year_one(folder: Path) -> None:
        _edit(folder, "meta.yaml", lambda d: {**d, "start": dt.date(1, 1, 1)})

    def end_9999(folder: Path) -> None:
        _edit(folder, "meta.yaml", lambda d: {**d, "end": dt.date(9999, 12, 31)})

    def declare_on_self(folder: Path) -> None:
        tag = powers(folder)[0]

        def fn(d: Any) -> Any:
            d[0]["effects"] = [{"declare_war": {"actor": tag, "target": tag}}]
            return d

        _edit(folder, "events.yaml", fn)

    def set_will_50(folder: Path) -> None:
        tag = powers(folder)[0]

        def fn(d: Any) -> Any:
            d[0]["effects"] = [{"set": {"power": tag, "field": "will", "value": 50}}]
            return d

        _edit(folder, "events.yaml", fn)

    def set_fort_99(folder: Path) -> None:
        region = _load(folder / "regions.yaml")[0]["id"]

        def fn(d: Any) -> Any:
            d[0]["effects"] = [{"set": {"region": region, "field": "fort", "value": 99}}]
            return d

        _edit(folder, "events.yaml", fn)

    def empty_edges(folder: Path) -> None:
        (folder / "edges.yaml").write_text("")

    return [
        (f.__name__, f)
        for f in (
            war_on_self,
            self_edge,
            duplicate_edge,
            fired_self,
            fired_each_other,
            member_twice,
            duplicate_treaty,
            foreign_leader,
            foreign_capital,
            event_after_end,
            start_year_one,
            end_9999,
            declare_on_self,
            set_will_50,
            set_fort_99,
            empty_edges,
        )
    ]


CONTRADICTIONS = _contradictions()


def m_contradiction(folder: Path, rng: random.Random) -> str:
    name, fn = rng.choice(CONTRADICTIONS)
    fn(folder)
    return name


def _bomb(levels: int) -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for k in range(1, levels):
        lines.append(f"l{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def m_text(folder: Path, rng: random.Random) -> str:
    """Broken YAML, bombs, deep nesting, tags, merge keys and garbage bytes in one file."""
    f = rng.choice(_files(folder))
    data = f.read_bytes()
    choice = rng.randrange(14)
    if choice == 0:
        cut = rng.randrange(len(data) + 1)
        f.write_bytes(data[:cut])
        return f"{f.name}: truncated at {cut}"
    if choice == 1:
        at = rng.randrange(len(data) + 1)
        junk = rng.choice([b":", b"[", b"{", b"\t", b"&x", b"*x", b"!", b"- ", b"? ", b"'", b'"'])
        f.write_bytes(data[:at] + junk + data[at:])
        return f"{f.name}: inserted {junk!r} at {at}"
    if choice == 2:
        at = rng.randrange(len(data) + 1)
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        f.write_bytes(data[:at] + junk + data[at:])
        return f"{f.name}: garbage bytes at {at}"
    if choice == 3:
        f.write_bytes(os.urandom(rng.randrange(1, 4096)))
        return f"{f.name}: random bytes"
    if choice == 4:
        f.write_text(_bomb(rng.randrange(5, 10)))
        return f"{f.name}: alias bomb"
    if choice == 5:
        n = rng.choice([100, 1000, 100_000])
        f.write_text("- " + "[" * n + "]" * n + "\n")
        return f"{f.name}: a list nested {n} deep"
    if choice == 6:
        n = rng.choice([100, 2000, 20_000])
        f = folder / "events.yaml"
        trig = "{not: " * n + "{date: 1939-09-01}" + "}" * n
        f.write_text(f"- id: deep\n  trigger: {trig}\n  effects: [{{mobilise: {{power: POL}}}}]\n")
        return f"{f.name}: a not: chain {n} deep"
    if choice == 7:
        tag = rng.choice(['!!int "seven"', "!!binary aGVsbG8=", "!!binary '@@'", "!!set {a, b}",
                          "!!python/object:os.system ls", "!custom 3", "!!float x", "!!omap [a: 1]"])  # fmt: skip
        text = f.read_text(encoding="utf-8", errors="replace")
        lines = text.splitlines()
        idx = [i for i, ln in enumerate(lines) if ": " in ln and not ln.lstrip().startswith("#")]
        if not idx:
            return "no line"
        i = rng.choice(idx)
        key = lines[i].split(": ")[0]
        lines[i] = f"{key}: {tag}"
        f.write_text("\n".join(lines) + "\n")
        return f"{f.name}:{i + 1}: {tag}"
    if choice == 8:
        text = f.read_text(encoding="utf-8", errors="replace")
        f.write_text(
            "base: &base {men: 1000}\n" + text if rng.random() < 0.5 else text + "\n<<: 1\n"
        )
        return f"{f.name}: merge key / anchor"
    if choice == 9:
        f.write_bytes(data.replace(b"\n", b"\n\x00", 1))
        return f"{f.name}: NUL byte"
    if choice == 10:
        f.write_bytes(data.decode("utf-8").encode("utf-16"))
        return f"{f.name}: UTF-16"
    if choice == 11:
        f.write_bytes(data.replace(b"o", b"\xf6", 3))
        return f"{f.name}: Latin-1 bytes"
    if choice == 12:
        f.write_bytes(b"---\na: 1\n---\nb: 2\n")
        return f"{f.name}: two documents"
    f.write_text("1e400\n" if rng.random() < 0.5 else "- 123456789" * 300 + "\n")
    return f"{f.name}: bare scalar"


def m_special(folder: Path, rng: random.Random) -> str:
    """Special files in place of a scenario file (FIFO, device, link loop, folder, huge, empty)."""
    f = rng.choice([p for p in _files(folder) if p.name != "meta.yaml"] or _files(folder))
    choice = rng.randrange(8)
    f.unlink()
    if choice == 0:
        os.mkfifo(f)
        return f"{f.name}: FIFO"
    if choice == 1:
        f.symlink_to("/dev/zero")
        return f"{f.name}: link to /dev/zero"
    if choice == 2:
        f.symlink_to(f.name)
        return f"{f.name}: symlink loop"
    if choice == 3:
        f.mkdir()
        (f / "x.yaml").write_text("[]\n")
        return f"{f.name}: a folder"
    if choice == 4:
        with f.open("wb") as fh:
            fh.truncate(40 * 1024 * 1024)  # sparse: costs no disk
        return f"{f.name}: 40 MB of zeros"
    if choice == 5:
        f.write_text("")
        return f"{f.name}: empty"
    if choice == 6:
        f.symlink_to("/nonexistent/target.yaml")
        return f"{f.name}: dangling link"
    stem = folder / f.stem
    stem.mkdir()
    os.mkfifo(stem / "pipe.yaml")
    return f"{f.stem}/: a folder holding a FIFO"


MUTATIONS: list[Mutation] = [
    ("delete", "either", m_delete),
    ("wrong_type", "either", m_wrong_type),
    ("absurd_number", "reject", m_absurd),
    ("bool_number", "reject", m_bool_number),
    ("dangling", "either", m_dangling),
    ("duplicate", "either", m_duplicate),
    ("contradiction", "reject", m_contradiction),
    ("text", "either", m_text),
    ("special", "either", m_special),
]


# --- checking ---------------------------------------------------------------------------------


def _located(e: Any) -> bool:
    """A located error names a file, and a line in it unless the file is missing or special."""
    if not e.file or not e.message:
        return False
    return e.line >= 1 or not Path(e.file).is_file()


def check(folder: Path, simulate_days: int = 0) -> tuple[str, str]:
    """Load, validate and compile a scenario folder (and run it a few days): (outcome, detail)."""
    from twinvipers.scenario.compile import compile_scenario
    from twinvipers.scenario.errors import ScenarioError
    from twinvipers.scenario.load import load

    try:
        with time_limit(TIME_LIMIT):
            loaded = load(folder)
            s = loaded.scenario
            c = compile_scenario(s)
            if simulate_days:
                _simulate(s, simulate_days)
            del c
    except ScenarioError as exc:
        bad = [e for e in exc.errors if not _located(e)]
        if bad:
            return "unlocated", str(bad[0])
        return "located", str(exc.errors[0])
    except TimeLimitError as exc:
        return "hang", str(exc)
    except Exception:  # noqa: BLE001 - a traceback is exactly what the fuzzer hunts
        return "traceback", traceback.format_exc(limit=-3)
    return "valid", ""


def _simulate(s: Any, days: int) -> None:
    """Run one run for ``days`` days and build its result tables, as ``run`` would."""
    import numpy as np

    from twinvipers.engine import simulate
    from twinvipers.ensemble import sampling, store
    from twinvipers.rules.rng import run_seeds
    from twinvipers.scenario.compile import compile_scenario

    until = min(s.meta.end, s.meta.start + dt.timedelta(days=days))
    c = compile_scenario(s, until)
    values = sampling.sample(c.assumptions, 2, 1)
    seeds = run_seeds(1, np.arange(2))
    batch = simulate(c, c.params_for(values), seeds)
    store.chunk_tables(c, batch, np.arange(2), seeds, values)
    store.regions_table(c)


def run_one(i: int, seed: int, work: Path, simulate_days: int = 0) -> dict[str, Any]:
    """Apply mutation ``i`` of the sequence for ``seed`` to a fresh copy and check it."""
    rng = random.Random(f"{seed}-{i}")
    kind, expect, fn = MUTATIONS[i % len(MUTATIONS)]
    folder = work / f"m{i}"
    shutil.copytree(BASE, folder)
    try:
        what = fn(folder, rng)
        outcome, detail = check(folder, simulate_days)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if outcome == "valid" and expect == "reject":
        outcome, detail = "accepted", f"nonsense validated: {what}"
    return {"i": i, "kind": kind, "what": what, "outcome": outcome, "detail": detail[:2000]}


def run_many(n: int, seed: int = 1, start: int = 0, simulate_days: int = 0) -> list[dict]:
    """Mutations ``start`` to ``start + n`` in this process."""
    with tempfile.TemporaryDirectory(prefix="tvfuzz-") as tmp:
        return [run_one(i, seed, Path(tmp), simulate_days) for i in range(start, start + n)]


def _worker(args: argparse.Namespace) -> None:
    if args.simulate:  # compile the engine (or load its cache) before any time limit runs
        from twinvipers.scenario.load import load

        _simulate(load(BASE).scenario, 2)
    with tempfile.TemporaryDirectory(prefix="tvfuzz-") as tmp, args.log.open("a") as log:
        for i in range(args.start, args.stop):
            log.write(json.dumps({"start": i}) + "\n")
            log.flush()
            log.write(json.dumps(run_one(i, args.seed, Path(tmp), args.simulate)) + "\n")
            log.flush()


def _read_log(log: Path) -> tuple[list[dict], int | None]:
    """Finished results in a worker's log, and the mutation it was inside when it stopped."""
    done, current = [], None
    for line in log.read_text().splitlines():
        rec = json.loads(line)
        if "start" in rec:
            current = rec["start"]
        else:
            done.append(rec)
            current = None
    return done, current


def big_run(n: int, seed: int, simulate_days: int, batch: int = 250) -> list[dict]:
    """Mutations 0..n-1 in worker processes: a worker that dies or stalls marks its mutation."""
    results: list[dict] = []
    i = 0
    with tempfile.TemporaryDirectory(prefix="tvfuzzlog-") as tmp:
        while i < n:
            stop = min(n, i + batch)
            log = Path(tmp) / f"{i}.jsonl"
            log.touch()
            cmd = [sys.executable, "-m", "tests.scenario.fuzz", "--worker", "--seed", str(seed),
                   "--start", str(i), "--stop", str(stop), "--simulate", str(simulate_days),
                   "--log", str(log)]  # fmt: skip
            proc = subprocess.Popen(cmd)
            while proc.poll() is None:
                # The first compile of the engine may take minutes; then a line comes each second.
                if time.time() - log.stat().st_mtime > TIME_LIMIT + 900:
                    proc.kill()
                    proc.wait()
                    break
                time.sleep(0.5)
            done, current = _read_log(log)
            results.extend(done)
            i = done[-1]["i"] + 1 if done else i
            if current is not None:  # the worker died or stalled inside mutation `current`
                kind = MUTATIONS[current % len(MUTATIONS)][0]
                outcome = "hang" if proc.returncode == -9 else "crash"
                results.append({"i": current, "kind": kind, "what": "?", "outcome": outcome,
                                "detail": f"worker exit {proc.returncode}"})  # fmt: skip
                i = current + 1
            elif i < stop:  # died between mutations: count the rest of the batch as crashes
                results.extend({"i": k, "kind": MUTATIONS[k % len(MUTATIONS)][0], "what": "?",
                                "outcome": "crash", "detail": f"worker exit {proc.returncode}"}
                               for k in range(i, stop))  # fmt: skip
                i = stop
            print(f"{len(results)}/{n}", file=sys.stderr, flush=True)
    return results


def summary(results: list[dict]) -> dict[str, Any]:
    """Counts by outcome, and by kind and outcome."""
    by_kind: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in results:
        by_kind[r["kind"]][r["outcome"]] += 1
    return {
        "mutations": len(results),
        "outcomes": dict(collections.Counter(r["outcome"] for r in results)),
        "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
        "failures": [r for r in results if r["outcome"] in FAILURES],
    }


def main() -> None:
    """The command line: ``--n`` mutations, or ``--worker`` for one batch."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--simulate", type=int, default=30, help="days run per valid mutation")
    ap.add_argument("--worker", action="store_true")
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--stop", type=int, default=0)
    ap.add_argument("--json", type=Path, help="write every result here")
    ap.add_argument("--log", type=Path, help="(worker) append results here")
    args = ap.parse_args()
    if args.worker:
        _worker(args)
        return
    t0 = time.perf_counter()
    results = big_run(args.n, args.seed, args.simulate)
    s = summary(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(json.dumps({k: v for k, v in s.items() if k != "failures"}, indent=1))
    print(f"{len(s['failures'])} failures in {time.perf_counter() - t0:.0f} s")
    for r in s["failures"][:50]:
        print(f"  #{r['i']} {r['kind']} [{r['outcome']}] {r['what']}: {r['detail'][:300]}")
    sys.exit(1 if s["failures"] else 0)


if __name__ == "__main__":
    main()
