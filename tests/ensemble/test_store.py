"""The results store: a chunk's tables from a simulated batch, written atomically as parts,
read back, merged in run order, queried with DuckDB; a chunk counts as done only when whole."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from twinvipers.engine import simulate
from twinvipers.ensemble import sampling, store
from twinvipers.rules import codes
from twinvipers.rules.rng import run_seeds
from twinvipers.scenario.compile import compile_scenario
from twinvipers.scenario.load import load

RUNS, CHUNK = 6, 3


@pytest.fixture(scope="module")
def poland():
    """poland_1939 to 20 September 1939 (the campaign under way): 6 runs in two chunks."""
    c = compile_scenario(load("poland_1939").scenario, dt.date(1939, 9, 20))
    values = sampling.sample(c.assumptions, RUNS, 5)
    seeds = run_seeds(5, np.arange(RUNS))
    chunks = []
    for k in range(RUNS // CHUNK):
        lo, hi = k * CHUNK, (k + 1) * CHUNK
        batch = simulate(c, c.params_for(values[lo:hi]), seeds[lo:hi])
        chunks.append(store.chunk_tables(c, batch, np.arange(lo, hi), seeds[lo:hi],
                                         values[lo:hi]))  # fmt: skip
    return c, values, seeds, chunks


def _write(out, chunks):
    (out / store.PARTS).mkdir(parents=True)
    for k, tables in enumerate(chunks):
        store.write_chunk(out, k, tables)


def test_a_chunk_holds_its_runs_events_in_date_order(poland):
    c, values, seeds, chunks = poland
    t = chunks[1]
    runs = t["runs"].to_pydict()
    assert runs["run_id"] == [3, 4, 5]
    assert runs["seed"] == list(seeds[3:].view(np.int64))
    for j, a in enumerate(c.assumptions):
        assert runs[a.id] == list(values[3:, j])
    ev = t["events"].to_pandas()
    assert set(ev["run_id"]) == {3, 4, 5}
    assert set(ev["kind"]) <= set(codes.KINDS) and "battle" in set(ev["kind"])
    for _, g in ev.groupby("run_id"):
        assert g["date"].is_monotonic_increasing
    # The struct column says what the JSON says, event by event, with real types.
    for d, f in zip(ev["details"], ev["fields"], strict=True):
        details = json.loads(d)
        typed = {k: v for k, v in f.items() if v is not None}
        assert typed.keys() == {k for k, v in details.items() if v is not None}
        for k, v in typed.items():
            assert v == pytest.approx(details[k]) if isinstance(v, float) else v == details[k]
    assert (
        ev["fields"].map(lambda f: f["attacker_losses"]).notna().sum()
        == (ev["kind"] == "battle").sum()
    )
    n_snaps = len(c.world.snap_days)
    assert t["control"].num_rows == CHUNK * n_snaps * len(c.regions)
    assert t["powers"].num_rows == CHUNK * n_snaps * len(c.powers)
    assert t["powers"].column_names[3:] == list(codes.POWER_FIELDS)


def test_parts_read_back_as_written(poland, tmp_path):
    _, _, _, chunks = poland
    _write(tmp_path, chunks)
    for k, tables in enumerate(chunks):
        assert store.chunk_done(tmp_path, k)
        for name in store.TABLES:
            assert pq.read_table(store.part_path(tmp_path, name, k)).equals(tables[name])
    assert not list((tmp_path / store.PARTS).glob(".*.tmp"))  # no temporary left behind


def test_a_chunk_without_its_runs_part_is_not_done(poland, tmp_path):
    _, _, _, chunks = poland
    _write(tmp_path, chunks)
    store.part_path(tmp_path, "runs", 1).unlink()  # killed before its last part
    assert store.chunk_done(tmp_path, 0) and not store.chunk_done(tmp_path, 1)
    store.write_chunk(tmp_path, 1, chunks[1])  # the resume writes it again, whole
    assert store.chunk_done(tmp_path, 1)


def test_merged_tables_are_in_run_order_and_queryable(poland, tmp_path):
    c, _, _, chunks = poland
    (tmp_path / store.PARTS).mkdir()
    for k in (1, 0):  # finished out of order, as workers do
        store.write_chunk(tmp_path, k, chunks[k])
    store.merge_parts(tmp_path, 2)
    # The parts outlive the merge: the runner removes them once the manifest says complete.
    assert all(store.chunk_done(tmp_path, k) for k in (0, 1))
    runs = pq.read_table(tmp_path / "runs.parquet")
    assert runs["run_id"].to_pylist() == list(range(RUNS))
    events = pq.read_table(tmp_path / "events.parquet")
    assert events.num_rows == sum(t["events"].num_rows for t in chunks)
    con = store.connect(tmp_path)
    n = con.execute("SELECT count(DISTINCT run_id) FROM control").fetchone()[0]
    assert n == RUNS
    kinds = dict(con.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())
    want = pa.concat_tables([t["events"] for t in chunks]).to_pandas()["kind"].value_counts()
    assert kinds == {str(k): int(v) for k, v in want.items() if v > 0}


def test_the_manifest_round_trips(tmp_path):
    manifest = {"runs": 6, "status": "running", "powers": {"GER": {"name": "Germany"}}}
    store.write_manifest(tmp_path, manifest)
    assert store.read_manifest(tmp_path) == manifest
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "t.parquet"
    good = pa.table({"x": [1, 2]})
    store.atomic_write_table(good, path)
    with pytest.raises((TypeError, AttributeError)):
        store.atomic_write_table("not a table", path)
    assert pq.read_table(path).equals(good)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.parquet"]


def test_the_regions_table_lists_land_then_sea(poland):
    c = poland[0]
    t = store.regions_table(c).to_pydict()
    assert t["region"][: len(c.regions)] == c.regions
    assert t["kind"] == ["land"] * len(c.regions) + ["sea"] * len(c.sea_zones)
