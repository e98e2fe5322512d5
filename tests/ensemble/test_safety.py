"""Results are never lost: --force, the lock, kills at every stage, filesystem errors."""

import datetime as dt
import json
import os
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from tests.conftest import SEA_WAR
from twinvipers.ensemble import store
from twinvipers.ensemble.runner import EnsembleError, Spec, locked, run_ensemble

TABLES = ("runs", "events", "control", "powers", "regions")


def tv(*args, kill_at=None, wait=True):
    """The command line in a subprocess on the small sea_war scenario, engine not compiled."""
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    env.pop("TWINVIPERS_KILL_AT", None)
    if kill_at:
        env["TWINVIPERS_KILL_AT"] = kill_at
    cmd = [sys.executable, "-m", "twinvipers", *args]
    if not wait:
        return subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


RUN = ("run", str(SEA_WAR), "--runs", "6", "--chunk-size", "2", "--seed", "4", "--workers", "1")


def _tables(d):
    return {t: pq.read_table(d / f"{t}.parquet") for t in TABLES}


# --- fast: refused before any run --------------------------------------------------------------


def test_force_refuses_a_folder_that_is_not_an_ensemble(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("x")
    with pytest.raises(EnsembleError, match="not an ensemble folder"):
        run_ensemble(Spec(str(SEA_WAR), 2), precious, workers=1, force=True)
    assert (precious / "thesis.tex").read_text() == "x"
    with pytest.raises(EnsembleError, match="is a file"):
        run_ensemble(Spec(str(SEA_WAR), 2), precious / "thesis.tex", workers=1)


def test_a_folder_in_use_is_refused(tmp_path):
    out = tmp_path / "o"
    with (
        locked(out, create=True),
        pytest.raises(EnsembleError, match="in use by another twinvipers run"),
    ):
        run_ensemble(Spec(str(SEA_WAR), 2), out, workers=1)
    assert [p.name for p in out.iterdir()] == [store.LOCK]


def test_numbers_the_run_cannot_honour_are_refused(tmp_path):
    with pytest.raises(EnsembleError, match="--until 1950-01-01 must lie after"):
        run_ensemble(Spec(str(SEA_WAR), 2, until=dt.date(1950, 1, 1)), tmp_path / "a")
    with pytest.raises(EnsembleError, match="--free-from 1950-01-01 must lie within"):
        run_ensemble(Spec(str(SEA_WAR), 2, free_from=dt.date(1950, 1, 1)), tmp_path / "a")
    with pytest.raises(EnsembleError, match="--workers must be at least 1"):
        run_ensemble(Spec(str(SEA_WAR), 2), tmp_path / "b", workers=0)
    with pytest.raises(EnsembleError, match="sobol or mc"):
        run_ensemble(Spec(str(SEA_WAR), 10**7), tmp_path / "c")
    assert not any(p.exists() for p in (tmp_path / "a", tmp_path / "b", tmp_path / "c"))


def test_filesystem_errors_become_messages(tmp_path, monkeypatch):
    import errno

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "o" / "x"))

    monkeypatch.setattr(store, "atomic_write_table", full)
    with pytest.raises(EnsembleError, match="disk is full.*--resume"):
        run_ensemble(Spec(str(SEA_WAR), 2), tmp_path / "o", workers=1)


# --- slow: runs in subprocesses ------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "ref"
    r = tv(*RUN, "--out", str(out))
    assert r.returncode == 0, r.stderr
    return _tables(out)


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["regions", "manifest", "chunk", "merged", "complete"])
def test_a_kill_at_every_stage_resumes_to_identical_tables(tmp_path, reference, stage):
    out = tmp_path / "o"
    r = tv(*RUN, "--out", str(out), kill_at=stage)
    assert r.returncode == -9, (stage, r.stderr)
    if stage == "manifest":  # the kill the issue found, and more: the regions table lost too
        (out / "regions.parquet").unlink()
    if (out / store.MANIFEST).exists():
        done = tv("sql", str(out), "SELECT count(*) FROM runs")
        if stage != "complete":
            assert done.returncode == 2 and "not complete" in done.stderr, done.stderr
        r = tv("run", str(SEA_WAR), "--resume", "--out", str(out))
    else:  # killed before its manifest: the same command starts it again in the same folder
        r = tv(*RUN, "--out", str(out))
    assert r.returncode == 0, (stage, r.stderr)
    got = _tables(out)
    for t in TABLES:
        assert got[t].equals(reference[t]), (stage, t)
    assert store.read_manifest(out)["status"] == "complete"
    assert not (out / store.PARTS).exists()


@pytest.mark.slow
def test_two_simultaneous_runs_into_one_folder(tmp_path):
    out = tmp_path / "o"
    args = ("run", str(SEA_WAR), "--runs", "40", "--chunk-size", "4", "--workers", "1")
    procs = [tv(*args, "--out", str(out), wait=False) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    codes = sorted(rc for rc, _ in results)
    assert codes == [0, 2], results
    refused = next(err for rc, err in results if rc == 2)
    assert "Traceback" not in refused
    assert "in use by another twinvipers run" in refused or "not empty" in refused
    assert store.incomplete(out) is None


@pytest.mark.slow
def test_force_replaces_an_ensemble_and_resume_refuses_other_options(tmp_path):
    out = tmp_path / "o"
    assert tv(*RUN, "--out", str(out)).returncode == 0
    r = tv("run", str(SEA_WAR), "--resume", "--runs", "5000", "--seed", "9", "--out", str(out))
    assert r.returncode == 2 and "--resume finishes the ensemble as it was begun" in r.stderr
    (out / "notes.txt").write_text("mine")
    r = tv("run", str(SEA_WAR), "--runs", "2", "--workers", "1", "--force", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert store.read_manifest(out)["runs"] == 2 and not (out / "notes.txt").exists()
    r = tv("run", str(SEA_WAR), "--workers", "0", "--out", str(tmp_path / "w"))
    assert r.returncode == 2 and "Traceback" not in r.stderr


@pytest.mark.slow
def test_sql_shows_data_literally(tmp_path):
    out = tmp_path / "o"
    assert tv(*RUN, "--out", str(out)).returncode == 0
    r = tv("sql", str(out), "SELECT 'Lwów [/uk] (Lviv)' AS a, '[bold red]x' AS b")
    assert r.returncode == 0, r.stderr
    assert "Lwów [/uk] (Lviv)" in r.stdout and "[bold red]x" in r.stdout
    manifest = json.loads((out / store.MANIFEST).read_text())
    assert manifest["extensible"] is False and manifest["sampler"] == "lhs"
