"""The results store: Parquet tables of the results contract, written atomically, read with DuckDB.

While an ensemble runs, each chunk of runs writes its own part files under ``parts/``; a chunk is
complete when all of its parts exist. When every chunk is done the parts are merged, in run order,
into one file per table and ``ensemble.json`` is marked complete.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from twinvipers.rules import codes, eventkinds
from twinvipers.scenario import schema
from twinvipers.scenario.compile import Compiled

TABLES = ("runs", "events", "control", "powers")
ALL_TABLES = (*TABLES, "regions")
MANIFEST = "ensemble.json"
PARTS = "parts"
#: The lock a run holds on its results folder (``flock``), so that no second run writes there.
LOCK = ".twinvipers.lock"
#: A given design (sampler ``given``): the unit-cube row and the seed index of every run.
DESIGN = "design.parquet"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to a temporary name beside ``path``, then rename over it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.chmod(tmp, 0o644)  # mkstemp makes 0600; results are ordinary files
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_csv(path: Path | str, columns: tuple[str, ...], rows: list[dict]) -> Path:
    """Write rows as CSV, atomically: empty for None, floats to six significant digits."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(
            ["" if (v := r.get(c)) is None else f"{v:.6g}" if isinstance(v, float) else str(v)
             for c in columns]
        )  # fmt: skip
    path = Path(path)
    atomic_write_bytes(path, buf.getvalue().encode("utf-8"))
    return path


def atomic_write_table(table: pa.Table, path: Path) -> None:
    """Write a Parquet file under a temporary name, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    os.chmod(tmp, 0o644)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    """Write ``ensemble.json`` atomically."""
    atomic_write_bytes(out / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())


def read_manifest(out: Path) -> dict[str, Any]:
    """Read ``ensemble.json``."""
    return json.loads((out / MANIFEST).read_text())


def incomplete(out: Path) -> str | None:
    """Why a folder is not a finished ensemble (None when it is one)."""
    out = Path(out)
    if not (out / MANIFEST).is_file():
        return f"{out}: not a results directory (no {MANIFEST})"
    try:
        manifest = read_manifest(out)
    except (OSError, ValueError) as exc:
        return f"{out}: {MANIFEST} is unreadable ({exc})"
    if not isinstance(manifest, dict) or manifest.get("status") != "complete":
        return f"{out}: the ensemble is not complete; finish it with twinvipers run ... --resume"
    missing = [t for t in ALL_TABLES if not (out / f"{t}.parquet").is_file()]
    if missing:
        return (
            f"{out}: the ensemble lacks {', '.join(t + '.parquet' for t in missing)}; "
            "repair it with twinvipers run ... --resume"
        )
    return None


def part_path(out: Path, table: str, chunk: int) -> Path:
    """Where chunk ``chunk``'s part of ``table`` lives."""
    return out / PARTS / f"{table}-{chunk:06d}.parquet"


def chunk_done(out: Path, chunk: int) -> bool:
    """True when every part of a chunk has been written."""
    return all(part_path(out, t, chunk).exists() for t in TABLES)


def _dict_array(indices: np.ndarray, names: list[str]) -> pa.Array:
    """Strings as a dictionary array (nulls where the index is negative)."""
    idx = pa.array(indices.astype(np.int32), mask=indices < 0)
    return pa.DictionaryArray.from_arrays(idx, pa.array(names, pa.string()))


def _dates(c: Compiled, days: np.ndarray) -> pa.Array:
    epoch = (c.start - dt.date(1970, 1, 1)).days
    return pa.array((days + epoch).astype(np.int32), pa.date32())


def _names(c: Compiled) -> dict[str, list[str]]:
    """The name lists an event field's id may index (``eventkinds.Field.of``)."""
    return {
        "powers": c.powers,
        "regions": c.regions,
        "sea_zones": c.sea_zones,
        "forces": c.forces,
        "fleets": c.fleets,
        "leaders": c.leaders,
        "treaties": c.treaties,
        "events": c.events,
        "air_missions": ["support", *(m.value for m in schema.AirMission)],
        "trade": c.trade,
    }


def _details(
    names: dict[str, list[str]],
    kind: int,
    aux: int,
    value: float,
    x1: float,
    x2: float,
    x3: float = 0.0,
    x4: float = 0.0,
) -> str:
    """An event's ``details``: its kind's fields as the table of event kinds decodes them."""
    slots = {"aux": aux, "value": value, "x1": x1, "x2": x2, "x3": x3, "x4": x4}
    return json.dumps(eventkinds.BY_CODE[kind].details(slots, names))


def detail_fields() -> list[tuple[str, str]]:
    """The ``fields`` struct's children: every shown detail name of every kind, with what it holds.

    A name used by several kinds (``men``, ``force``, ``zone``) is one child; it must hold the
    same type wherever it appears, which this checks.
    """
    out: dict[str, str] = {}
    for k in eventkinds.TABLE:
        for f in k.fields:
            if not f.shown:
                continue
            kind = "string" if f.holds in ("id", "label") else f.holds
            if out.setdefault(f.name, kind) != kind:
                raise TypeError(
                    f"event detail {f.name!r} holds {kind} in {k.name}, else {out[f.name]}"
                )
    return sorted(out.items())


def fields_type() -> pa.StructType:
    """The Arrow type of the ``events`` table's ``fields`` column."""
    arrow = {"string": pa.string(), "number": pa.float64(), "flag": pa.bool_()}
    return pa.struct([pa.field(n, arrow[h]) for n, h in detail_fields()])


def fields_from_details(details: list[dict[str, Any]]) -> pa.StructArray:
    """The ``fields`` column from ``details`` dicts (for tables written without the engine)."""
    typ = fields_type()
    keep = {f.name for f in typ}
    return pa.array([{k: v for k, v in d.items() if k in keep} for d in details], typ)


def _fields_column(
    names: dict[str, list[str]], kind: np.ndarray, slots: dict[str, np.ndarray]
) -> pa.StructArray:
    """The ``details`` of every event as a struct, decoded as ``details`` is but without JSON.

    One child per detail name, null where the event's kind has no such field.
    """
    n = len(kind)
    typ = fields_type()
    children: dict[str, np.ndarray] = {}
    masks: dict[str, np.ndarray] = {}
    for f in typ:
        dtype = (
            object
            if pa.types.is_string(f.type)
            else (bool if pa.types.is_boolean(f.type) else float)
        )
        children[f.name] = np.zeros(n, dtype) if dtype is not object else np.full(n, None, object)
        masks[f.name] = np.ones(n, bool)  # True: null
    for code in np.unique(kind):
        k = eventkinds.BY_CODE[int(code)]
        rows = np.nonzero(kind == code)[0]
        for f in k.fields:
            if not f.shown:
                continue
            x = slots[f.slot][rows]
            col, null = children[f.name], masks[f.name]
            if f.holds == "id":
                ids = np.asarray(names[f.of] + [None], object)
                col[rows] = ids[np.where(x >= 0, x, -1).astype(np.int64)]
                null[rows] = x < 0
                continue
            if f.holds == "flag":
                col[rows] = x > 0.5
            elif f.holds == "label":
                labels = dict(f.labels)
                col[rows] = [labels.get(int(v), "?") for v in x]
            else:
                col[rows] = np.round(x) if f.digits is None else np.round(x, f.digits)
            null[rows] = False
    arrays = [pa.array(children[f.name], f.type, mask=masks[f.name]) for f in typ]
    return pa.StructArray.from_arrays(arrays, fields=list(typ))


def chunk_tables(
    c: Compiled, batch: Any, run_ids: np.ndarray, seeds: np.ndarray, assumption_values: np.ndarray
) -> dict[str, pa.Table]:
    """Turn one batch's raw history into the contract's tables."""
    h, n = batch.history, batch.n_events
    run_ids = np.asarray(run_ids, np.int64)
    # Events: stable-sort each run's events by date, keeping recording order within a day.
    er = h.ev_run[:n]
    order = np.lexsort((np.arange(n), h.ev_day[:n], er))
    kind = h.ev_kind[:n][order]
    aux, value = h.ev_aux[:n][order], h.ev_value[:n][order]
    x1, x2 = h.ev_x1[:n][order], h.ev_x2[:n][order]
    x3, x4 = h.ev_x3[:n][order], h.ev_x4[:n][order]
    names = _names(c)
    events = pa.table(
        {
            "run_id": pa.array(run_ids[er[order]], pa.int64()),
            "date": _dates(c, h.ev_day[:n][order]),
            "kind": _dict_array(kind, list(codes.KINDS)),
            "actor": _dict_array(h.ev_actor[:n][order], c.powers),
            "target": _dict_array(h.ev_target[:n][order], c.powers),
            "region": _dict_array(h.ev_region[:n][order], c.regions),
            "value": pa.array(value, pa.float64()),
            "details": pa.array(
                [
                    _details(names, int(k), int(a), *map(float, (v, p, q, r, u)))
                    for k, a, v, p, q, r, u in zip(kind, aux, value, x1, x2, x3, x4, strict=True)
                ],
                pa.string(),
            ),
            "fields": _fields_column(
                names,
                kind,
                {"aux": aux.astype(float), "value": value, "x1": x1, "x2": x2, "x3": x3, "x4": x4},
            ),
        }
    )
    N, S, R = h.ctrl.shape
    snap = c.world.snap_days
    control = pa.table(
        {
            "run_id": pa.array(np.repeat(run_ids, S * R), pa.int64()),
            "date": _dates(c, np.tile(np.repeat(snap, R), N)),
            "region": _dict_array(np.tile(np.arange(R), N * S), c.regions),
            "controller": _dict_array(h.ctrl.reshape(-1).astype(np.int64), c.powers),
        }
    )
    P = h.pw.shape[2]
    pw = h.pw.reshape(N * S * P, -1)
    powers: dict[str, Any] = {
        "run_id": pa.array(np.repeat(run_ids, S * P), pa.int64()),
        "date": _dates(c, np.tile(np.repeat(snap, P), N)),
        "power": _dict_array(np.tile(np.arange(P), N * S), c.powers),
    }
    for j, name in enumerate(codes.POWER_FIELDS):
        powers[name] = pa.array(pw[:, j], pa.float64())
    runs: dict[str, Any] = {
        "run_id": pa.array(run_ids, pa.int64()),
        "seed": pa.array(seeds.astype(np.uint64).view(np.int64), pa.int64()),
    }
    for j, a in enumerate(c.assumptions):
        runs[a.id] = pa.array(assumption_values[:, j], pa.float64())
    runs["end_date"] = _dates(c, h.end_day)
    # The decisions' mode (canon: scripts bind; free: the high commands decide from free_from).
    free = c.free_from
    runs["mode"] = pa.array(["canon" if free is None else "free"] * N, pa.string())
    runs["free_from"] = pa.array([free] * N, pa.date32())
    last = h.pw[:, -1]
    for p, tag in enumerate(c.powers):
        runs[f"{tag}_regions"] = pa.array(last[:, p, codes.PF_REGIONS].astype(np.int64))
    cap = np.zeros((N, P), bool)
    cap_rows = np.nonzero(h.ev_kind[:n] == codes.K_CAPITULATION)[0]
    cap[h.ev_run[cap_rows], h.ev_actor[cap_rows]] = True
    for p, tag in enumerate(c.powers):
        runs[f"{tag}_capitulated"] = pa.array(cap[:, p])
    return {
        "events": events,
        "control": control,
        "powers": pa.table(powers),
        "runs": pa.table(runs),
    }


def regions_table(c: Compiled) -> pa.Table:
    """The map as the scenario has it on the start date (land regions and sea zones)."""
    s = c.scenario
    land = s.regions
    return pa.table(
        {
            "region": [r.id for r in land] + [z.id for z in s.sea_zones],
            "name": [r.name for r in land] + [z.name for z in s.sea_zones],
            "kind": ["land"] * len(land) + ["sea"] * len(s.sea_zones),
            "lon": [r.lon for r in land] + [z.lon for z in s.sea_zones],
            "lat": [r.lat for r in land] + [z.lat for z in s.sea_zones],
            "terrain": [r.terrain.value for r in land] + [None] * len(s.sea_zones),
            "owner": [r.owner for r in land] + [None] * len(s.sea_zones),
            "controller": [r.controller or r.owner for r in land] + [None] * len(s.sea_zones),
            "vp": [r.vp for r in land] + [None] * len(s.sea_zones),
            "boundary": [json.dumps(r.boundary) if r.boundary else None for r in land]
            + [None] * len(s.sea_zones),
        }
    )


def write_chunk(out: Path, chunk: int, tables: dict[str, pa.Table]) -> None:
    """Write a chunk's parts; ``runs`` goes last so a chunk is done only when all exist."""
    for name in ("events", "control", "powers", "runs"):
        atomic_write_table(tables[name], part_path(out, name, chunk))


def merge_parts(out: Path, n_chunks: int) -> None:
    """Merge every chunk's parts, in run order, into one Parquet file per table (parts kept)."""
    for name in TABLES:
        target = out / f"{name}.parquet"
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
        os.close(fd)
        os.chmod(tmp, 0o644)
        writer = None
        try:
            for k in range(n_chunks):
                t = pq.read_table(part_path(out, name, k))
                if writer is None:
                    writer = pq.ParquetWriter(tmp, t.schema, compression="zstd")
                writer.write_table(t.cast(writer.schema))
            if writer is not None:
                writer.close()
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    # The parts stay until the manifest says complete (the runner removes them then): a kill
    # during the merge leaves them for --resume to merge again.


def connect(out: Path) -> Any:
    """An in-memory DuckDB connection with a view per results table."""
    import duckdb  # here, not at import: the ensemble runner never needs it

    out = Path(out)
    con = duckdb.connect()
    for name in ALL_TABLES:
        path = out / f"{name}.parquet"
        if path.exists():
            quoted = str(path).replace("'", "''")
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{quoted}')")
    return con


def write_design(out: Path, names: list[str], u: np.ndarray, seed_ids: np.ndarray) -> None:
    """Write a given design: a unit-cube column per assumption and each run's seed index.

    Runs sharing a seed index share their random numbers (common random numbers), so that
    within a block of a Saltelli or Morris design only the assumptions differ.
    """
    cols = {"seed_id": pa.array(np.asarray(seed_ids, np.int64))}
    cols.update({n: pa.array(np.asarray(u[:, j], float)) for j, n in enumerate(names)})
    atomic_write_table(pa.table(cols), out / DESIGN)


def read_design(out: Path) -> tuple[np.ndarray, np.ndarray]:
    """A given design's unit-cube rows (runs × assumptions) and seed indices."""
    t = pq.read_table(out / DESIGN)
    names = [c for c in t.column_names if c != "seed_id"]
    u = np.column_stack([t.column(c).to_numpy() for c in names]) if names else None
    n = t.num_rows
    return (u if u is not None else np.zeros((n, 0))), t.column("seed_id").to_numpy()
