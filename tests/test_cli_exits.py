"""Every edge of the command line: one clear message and an exit code, never a traceback.

The usage errors and refusals run ``cli.main`` in this process (fast); Ctrl-C during a real
run is sent to a subprocess (slow).
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from twinvipers import cli


def _main(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        cli.main(list(args))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


@pytest.mark.parametrize(
    "args, says",
    [
        (["run", "--bogus"], "No such option: --bogus"),
        (["run"], "Missing argument"),
        (["bogus"], "No such command 'bogus'"),
        (["run", "poland_1939", "--runs", "0"], "--runs"),
        (["validate", "--debug"], "Missing argument"),  # --debug after the command works
        (["--debug", "run", "--bogus"], "No such option: --bogus"),
    ],
)
def test_usage_mistakes_exit_2_without_a_traceback(capsys, args, says):
    code, _, err = _main(capsys, *args)
    assert code == 2
    assert says in err and "Traceback" not in err


def test_debug_after_the_command_is_moved_before_it():
    assert cli._argv(["run", "x", "--debug"]) == ["--debug", "run", "x"]
    assert cli._argv(["sql", "d", "--", "--debug"]) == ["sql", "d", "--", "--debug"]


def _unfinished(tmp_path):
    d = tmp_path / "half"
    d.mkdir()
    (d / "ensemble.json").write_text(json.dumps({"status": "running", "runs": 10}))
    return d


@pytest.mark.parametrize("command", ["report", "sql", "plausibility"])
def test_an_unfinished_ensemble_is_refused_with_the_way_to_finish_it(capsys, tmp_path, command):
    d = _unfinished(tmp_path)
    args = {
        "report": ["report", str(d)],
        "sql": ["sql", str(d), "SELECT 1"],
        "plausibility": ["plausibility", "poland_1939", "--results", str(d)],
    }[command]
    code, _, err = _main(capsys, *args)
    assert code == 2 and "not complete" in err and "--resume" in err
    assert "Traceback" not in err and "Catalog" not in err


def test_ctrl_c_in_a_run_exits_130_with_the_resume_command(capsys, tmp_path, monkeypatch):
    from twinvipers.ensemble import runner

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_ensemble", interrupted)
    out = tmp_path / "o"
    code, _, err = _main(capsys, "run", "poland_1939", "--canon", "--out", str(out))
    assert code == 130
    assert f"twinvipers run poland_1939 --canon --resume --out {out}" in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_ctrl_c_stops_a_real_run_and_resume_finishes_it(tmp_path):
    out = tmp_path / "e"
    cmd = [sys.executable, "-m", "twinvipers", "run", "poland_1939", "--runs", "1500"]
    cmd += ["--workers", "2", "--out", str(out)]
    p = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    # Wait for the first finished chunk: long enough for a cold compile on a busy machine (it
    # took over two minutes under load, and a SIGINT during the compile tests something else).
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline and not list((out / "parts").glob("runs-*.parquet")):
        assert p.poll() is None, p.communicate()[1]
        time.sleep(0.2)
    assert p.poll() is None, "the run ended before it could be interrupted"
    p.send_signal(signal.SIGINT)
    err = p.communicate(timeout=180)[1]  # prompt alone; a loaded machine is slow to reap
    assert p.returncode == 130, err
    assert "resume with --resume" in err and "Traceback" not in err
    manifest = json.loads((out / "ensemble.json").read_text())
    assert manifest["status"] == "running" and manifest["wall_time_s"] > 0
    first = manifest["wall_time_s"]
    r = subprocess.run(
        [sys.executable, "-m", "twinvipers", "run", "poland_1939", "--resume", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    # Plain progress lines on a non-terminal, and a wall time counting both parts.
    assert "1500/1500 runs" in r.stderr
    assert json.loads((out / "ensemble.json").read_text())["wall_time_s"] > first


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from twinvipers.analysis.synthetic import write_synthetic_results

    return write_synthetic_results(tmp_path_factory.mktemp("syn") / "r")


def test_report_dates_outside_the_snapshots_are_refused(capsys, synthetic):
    from twinvipers.analysis.questions import snapshot_dates

    last = snapshot_dates(synthetic)[-1]
    after = last.replace(year=last.year + 1)
    code, _, err = _main(capsys, "report", str(synthetic), "--dates", after.isoformat())
    assert code == 2 and "outside the ensemble's snapshots" in err and "Traceback" not in err


def test_report_dates_between_snapshots_use_the_one_before_and_say_so(synthetic):
    from datetime import timedelta

    from twinvipers.analysis.questions import snapshot_dates

    snaps = snapshot_dates(synthetic)
    gap = next(i for i in range(len(snaps) - 1) if (snaps[i + 1] - snaps[i]).days > 1)
    between = snaps[gap] + timedelta(days=1)
    assert cli._snapshot_dates(synthetic, between.isoformat()) == [snaps[gap]]


def test_sql_prints_a_wide_result_as_records(capsys, synthetic):
    select = ", ".join(f"{i} AS column_number_{i}" for i in range(40))
    cli.main(["sql", str(synthetic), f"SELECT {select}"])  # returns: exit status 0
    out = capsys.readouterr().out
    assert "-[ row 1 ]-" in out
    assert "column_number_39 | 39" in out


@pytest.mark.slow  # an ensemble
def test_map_draws_run_k_of_an_ensemble(capsys, small_ensemble, tmp_path):
    from twinvipers.ensemble.store import connect

    con = connect(small_ensemble)
    # Two runs whose maps differ on some snapshot: their pictures must differ too.
    day, a, b = con.execute(
        "SELECT x.date, x.run_id, y.run_id FROM control x JOIN control y "
        "ON x.date = y.date AND x.region = y.region AND x.run_id < y.run_id "
        "WHERE x.controller <> y.controller ORDER BY 1, 2, 3 LIMIT 1"
    ).fetchone()
    pngs = []
    for k in (a, b, a):
        path = tmp_path / f"run{len(pngs)}.png"
        cli.main(["map", "--results", str(small_ensemble), "--run", str(k), "--date", str(day),
                  "--out", str(path)])  # fmt: skip
        pngs.append(path.read_bytes())
    assert pngs[0] != pngs[1] and pngs[0] == pngs[2]
    code, _, err = _main(capsys, "map", "--results", str(small_ensemble), "--run", "64")
    assert code == 2 and "runs 0 to 63" in err


def test_maps_of_many_powers_are_coloured_by_camp():
    powers = {f"P{i}": f"#0000{i:02d}" for i in range(20)}
    camp_of = {p: ("red" if i % 2 else "blue") for i, p in enumerate(powers)}
    camp_of["P0"] = None  # no camp: stays itself
    ctrl, colors = cli._colour_by(
        None,
        {"a": "P1", "b": "P2", "c": "P0"},
        powers,
        camp_of,
        {"red": "#ff0000", "blue": "#0000ff"},
    )
    assert ctrl == {"a": "red", "b": "blue", "c": "P0"}
    assert colors["red"] == "#ff0000" and colors["P0"] == "#000000"
    few = dict(list(powers.items())[:3])
    assert cli._colour_by(None, {"a": "P1"}, few, camp_of, {"red": "#f00"})[0] == {"a": "P1"}


def test_serve_mistakes_exit_2_with_one_line(capsys, tmp_path):
    code, _, err = _main(capsys, "serve", "--results-root", str(tmp_path / "nowhere"))
    assert code == 2 and "--results-root" in err and "no such folder" in err
    assert "Traceback" not in err
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        code, _, err = _main(capsys, "serve", "--results-root", str(tmp_path), "--port", str(port))
    assert code == 2 and f"--port {port}" in err and "Traceback" not in err
    code, _, err = _main(capsys, "serve", "--port", "70000")
    assert code == 2


@pytest.mark.slow
def test_serve_answers_on_127_0_0_1(tmp_path):
    import httpx

    from tests.web.conftest import free_port

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "twinvipers", "serve", "--results-root", str(tmp_path),
         "--port", str(port)],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        t0 = time.monotonic()
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/ensembles", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() - t0 < 60
                time.sleep(0.2)
        assert r.status_code == 200 and r.json() == {"total": 0, "offset": 0, "items": []}
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert f"http://127.0.0.1:{port}/" in proc.stderr.read()
