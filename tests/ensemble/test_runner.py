import datetime as dt
import os
import signal
import subprocess
import sys
import time

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import cli
from twinvipers.ensemble import store
from twinvipers.ensemble.runner import EnsembleError, Spec, run_ensemble

# Every test runs an ensemble (or reads one) and most run the command line.
pytestmark = pytest.mark.slow


def _tables(d):
    return {t: pq.read_table(d / f"{t}.parquet") for t in ("runs", "events", "control", "powers")}


def test_results_follow_the_contract(small_ensemble):
    m = store.read_manifest(small_ensemble)
    assert m["status"] == "complete" and m["runs"] == 64 and m["scenario_id"] == "poland_1939"
    t = _tables(small_ensemble)
    assert t["runs"].column("run_id").to_pylist() == list(range(64))
    ev = t["events"]
    assert {"run_id", "date", "kind", "actor", "target", "region", "value", "details"} <= set(
        ev.column_names
    )
    con = store.connect(small_ensemble)
    kinds = dict(con.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())
    assert kinds["war_declared"] >= 64 and kinds["scripted"] >= 64
    assert con.execute("SELECT typeof(date) FROM events LIMIT 1").fetchone()[0] == "DATE"
    # Every run has weekly control snapshots of every region, and the last day.
    n_regions = con.execute("SELECT count(*) FROM regions WHERE kind = 'land'").fetchone()[0]
    per_run = con.execute("SELECT run_id, count(*) c FROM control GROUP BY run_id").fetchall()
    n_snaps = con.execute("SELECT count(DISTINCT date) FROM control").fetchone()[0]
    assert all(c == n_regions * n_snaps for _, c in per_run) and len(per_run) == 64
    last = con.execute("SELECT max(date) FROM control").fetchone()[0]
    assert str(last) == m["end"]


def test_same_history_for_any_worker_count_and_chunking(tmp_path):
    a, b = tmp_path / "w1", tmp_path / "w2"
    run_ensemble(Spec("poland_1939", 64, seed=3, chunk_size=64), a, workers=1)
    r = cli(
        "run",
        "poland_1939",
        "--runs",
        "64",
        "--seed",
        "3",
        "--workers",
        "2",
        "--chunk-size",
        "8",
        "--out",
        str(b),
    )
    assert r.returncode == 0, r.stderr
    for name in ("events", "control", "runs", "powers"):
        ta, tb = pq.read_table(a / f"{name}.parquet"), pq.read_table(b / f"{name}.parquet")
        assert ta.num_rows > 0
        assert ta.cast(tb.schema).equals(tb), name


def test_existing_directory_is_never_overwritten(small_ensemble):
    with pytest.raises(EnsembleError, match="exists"):
        run_ensemble(Spec("poland_1939", 8), small_ensemble, workers=1)
    r = cli("run", "poland_1939", "--runs", "8", "--out", str(small_ensemble))
    assert r.returncode == 2 and "Traceback" not in r.stderr and "--resume" in r.stderr


def test_killed_ensemble_resumes_with_every_run_exactly_once(tmp_path):
    out = tmp_path / "big"
    cmd = [
        sys.executable,
        "-m",
        "twinvipers",
        "run",
        "poland_1939",
        "--runs",
        "2000",
        "--workers",
        "2",
        "--chunk-size",
        "50",
        "--seed",
        "11",
        "--out",
        str(out),
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.time() + 300
    while time.time() < deadline:
        done = len(list((out / store.PARTS).glob("runs-*.parquet"))) if out.exists() else 0
        if done >= 6 or proc.poll() is not None:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the ensemble finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert store.read_manifest(out)["status"] == "running"
    done_before = len(list((out / store.PARTS).glob("runs-*.parquet")))
    assert 0 < done_before < 40
    r = cli("run", "poland_1939", "--resume", "--out", str(out), "--workers", "2")
    assert r.returncode == 0, r.stderr
    con = duckdb.connect()
    runs = con.execute(
        f"SELECT count(*), count(DISTINCT run_id), min(run_id), max(run_id) "
        f"FROM read_parquet('{out}/runs.parquet')"
    ).fetchone()
    assert runs == (2000, 2000, 0, 1999)
    ev = con.execute(
        f"SELECT count(DISTINCT run_id) FROM read_parquet('{out}/events.parquet') "
        f"WHERE kind = 'scripted'"
    ).fetchone()[0]
    assert ev == 2000
    dup = con.execute(
        f"SELECT count(*) FROM (SELECT run_id, details FROM read_parquet("
        f"'{out}/events.parquet') WHERE kind = 'scripted' "
        f"GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()[0]
    assert dup == 0
    assert store.read_manifest(out)["status"] == "complete"
    assert not (out / store.PARTS).exists()


def test_resume_refuses_a_changed_scenario(tmp_path):
    import shutil

    from twinvipers.scenario.load import SHIPPED

    scen = tmp_path / "scen"
    shutil.copytree(SHIPPED / "poland_1939", scen)
    out = tmp_path / "r"
    run_ensemble(Spec(str(scen), 4, chunk_size=2), out, workers=1)
    m = store.read_manifest(out)
    m["status"] = "running"
    store.write_manifest(out, m)
    (scen / "leaders.yaml").write_text((scen / "leaders.yaml").read_text().replace("3.5", "3.6"))
    with pytest.raises(EnsembleError, match="changed"):
        run_ensemble(Spec(str(scen), 4), out, resume=True)


def test_sql_command_prints_csv(small_ensemble):
    r = cli(
        "sql",
        str(small_ensemble),
        "SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind",
        "--csv",
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[0] == "kind,count_star()"
    assert any(ln.startswith("war_declared,") for ln in lines)
    bad = cli("sql", str(small_ensemble), "SELECT nonsense FROM nowhere")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_a_dask_cluster_gives_the_same_results(tmp_path, small_ensemble):
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster),
    ):
        out = tmp_path / "dask"
        run_ensemble(
            Spec("poland_1939", 64, seed=7, chunk_size=16),
            out,
            scheduler=cluster.scheduler_address,
        )
    for name in ("events", "control"):
        a = pq.read_table(small_ensemble / f"{name}.parquet")
        b = pq.read_table(out / f"{name}.parquet")
        assert a.cast(b.schema).equals(b), name


def test_canon_is_recorded_and_resume_refuses_a_mismatch(tmp_path):
    out = tmp_path / "r"
    short = dt.date(1939, 8, 27)
    run_ensemble(Spec("poland_1939", 4, until=short, chunk_size=2, canon=True), out, workers=1)
    m = store.read_manifest(out)
    assert m["canon"] is True and m["canon_values"] == {"polish_will": 1.2}
    assert [c["id"] for c in m["checkpoints"]][0] == "warsaw_falls"
    runs = pq.read_table(out / "runs.parquet").to_pydict()
    assert set(runs["polish_will"]) == {1.2}
    m["status"] = "running"
    store.write_manifest(out, m)
    with pytest.raises(EnsembleError, match="canon mode; resume with --canon"):
        run_ensemble(Spec("poland_1939", 4), out, resume=True)
    r = cli("run", "poland_1939", "--out", str(out), "--resume")
    assert r.returncode == 2 and "resume with --canon" in r.stderr


@pytest.mark.parametrize("cached", [False, True])
def test_the_first_run_says_it_compiles_and_its_clock_starts_after(tmp_path, monkeypatch, cached):
    from twinvipers.ensemble import runner

    seen = []
    monkeypatch.setattr(runner, "engine_cached", lambda: cached)
    monkeypatch.setattr(runner, "warm_up", lambda c: seen.append("warm_up"))
    m = run_ensemble(
        Spec("poland_1939", 4, seed=1, chunk_size=4),
        tmp_path / "e",
        workers=1,
        progress=lambda done, total: seen.append(("progress", done)),
        on_compile=lambda: seen.append("compiling"),
    )
    assert m["status"] == "complete"
    if cached:
        assert "compiling" not in seen and "warm_up" not in seen
    else:
        # Told first, compiled next, and only then the progress clock starts (at 0 runs).
        assert seen[:3] == ["compiling", "warm_up", ("progress", 0)]
    assert seen[-1] == ("progress", 4)


def test_runs_one_at_a_time_join_to_the_batch_history():
    import numpy as np

    from twinvipers.engine import simulate
    from twinvipers.ensemble import sampling
    from twinvipers.ensemble.runner import simulate_each
    from twinvipers.rules.rng import run_seeds
    from twinvipers.scenario.compile import compile_scenario
    from twinvipers.scenario.load import load

    c = compile_scenario(load("poland_1939").scenario)
    values = sampling.sample(c.assumptions, 5, 3)
    params, seeds = c.params_for(values), run_seeds(3, np.arange(5))
    ticks = []
    whole = simulate(c, params, seeds)
    each = simulate_each(c, params, seeds, on_run=lambda: ticks.append(1))
    assert len(ticks) == 5  # progress moves per run
    assert each.n_events == whole.n_events
    n = whole.n_events
    for field in whole.history._fields:
        a, b = getattr(whole.history, field), getattr(each.history, field)
        if field.startswith("ev_"):
            a, b = a[:n], b[:n]
        if field != "count":
            np.testing.assert_array_equal(a, b, err_msg=field)


def test_a_long_span_gets_chunks_within_the_memory_bound_unless_the_chunk_is_given(
    tmp_path, monkeypatch
):
    from twinvipers.ensemble import runner
    from twinvipers.scenario.compile import compile_scenario
    from twinvipers.scenario.load import load

    # The six-year war: 324 weekly snapshots of 778 regions fit 15 runs a chunk; April 1940 64.
    long = compile_scenario(load("twin_vipers_1945").scenario)
    assert runner.memory_chunk_size(long) == runner.CHUNK_SNAPSHOT_ROWS // (324 * 778) == 15
    short = compile_scenario(load("twin_vipers_1945").scenario, dt.date(1940, 4, 30))
    assert runner.memory_chunk_size(short) >= runner.DEFAULT_CHUNK
    assert runner.event_room(long) == 4 * (dt.date(1945, 9, 2) - long.start).days + 4
    # A bound that fits 2 runs of poland_1939 to 10 September: the chunk shrinks, the results
    # are those of one chunk of 6 given on the command line (results do not depend on chunking).
    poland = compile_scenario(load("poland_1939").scenario, dt.date(1939, 9, 10))
    rows = len(poland.world.snap_days) * len(poland.world.r_owner)
    monkeypatch.setattr(runner, "CHUNK_SNAPSHOT_ROWS", 2 * rows)
    spec = Spec("poland_1939", 6, seed=2, until=dt.date(1939, 9, 10))
    a = run_ensemble(spec, tmp_path / "auto", workers=1)
    b = run_ensemble(spec.__class__(**{**spec.__dict__, "chunk_size": 6}), tmp_path / "given",
                     workers=1, given={"chunk_size"})  # fmt: skip
    assert (a["chunk_size"], b["chunk_size"]) == (2, 6)
    for name in ("events", "control", "runs", "powers"):
        ta, tb = (pq.read_table(tmp_path / d / f"{name}.parquet") for d in ("auto", "given"))
        assert ta.num_rows > 0 and ta.cast(tb.schema).equals(tb), name
