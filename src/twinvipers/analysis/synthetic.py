"""A small synthetic results directory with known answers, for tests and demos.

Twenty runs over a dozen Polish-front regions. Runs 0–14 end with Poland capitulating to
Germany; in those, Warsaw, Kraków, Łódź and Poznań go to Germany, and the eastern regions go to
the USSR in even runs and to Germany in odd ones. Runs 15–19: Germany takes only Poznań. So on
the last day Warsaw is Axis in 15/20 runs, Lwów Comintern in 8/20, Axis in 7/20, Allied in 5/20.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from twinvipers.ensemble import store

START = date(1939, 8, 25)
END = date(1939, 11, 30)

REGIONS = [
    # id, name, lon, lat, terrain, owner
    ("berlin", "Berlin", 13.40, 52.52, "urban", "GER"),
    ("pomerania", "Stettin", 14.55, 53.43, "plains", "GER"),
    ("silesia", "Breslau", 17.03, 51.11, "plains", "GER"),
    ("east_prussia", "Königsberg", 20.51, 54.71, "forest", "GER"),
    ("poznan", "Poznań", 16.93, 52.41, "plains", "POL"),
    ("warsaw", "Warsaw", 21.01, 52.23, "urban", "POL"),
    ("lodz", "Łódź", 19.46, 51.76, "plains", "POL"),
    ("krakow", "Kraków", 19.94, 50.06, "hills", "POL"),
    ("lwow", "Lwów", 24.03, 49.84, "hills", "POL"),
    ("brest", "Brest", 23.69, 52.10, "marsh", "POL"),
    ("wilno", "Wilno", 25.28, 54.69, "forest", "POL"),
    ("minsk", "Minsk", 27.56, 53.90, "forest", "SOV"),
]
SEA = [("baltic", "Baltic Sea", 18.0, 55.5)]

POWERS = {
    "GER": {"name": "German Reich", "camp": "axis", "color": "#5a5a5a", "capital": "berlin"},
    "POL": {
        "name": "Republic of Poland",
        "camp": "allies",
        "color": "#d98c8c",
        "capital": "warsaw",
    },
    "SOV": {"name": "Soviet Union", "camp": "comintern", "color": "#b22222", "capital": "minsk"},
    "FRA": {"name": "French Republic", "camp": "allies", "color": "#3a6fb0", "capital": "paris"},
}
CAMPS = {"axis": "#4d4d4d", "allies": "#3a6fb0", "comintern": "#b22222"}
ASSUMPTIONS = [
    {"id": "pol_will", "dist": {"kind": "uniform", "low": 0.5, "high": 1.5}},
    {"id": "ger_tempo", "dist": {"kind": "triangular", "low": 0.8, "mode": 1.0, "high": 1.3}},
]


def snapshot_dates() -> list[date]:
    """Weekly from the start, plus the last day."""
    out, d = [], START
    while d < END:
        out.append(d)
        d += timedelta(days=7)
    return out + [END]


def _write_parquet(table: pa.Table, path: Path) -> None:
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def run_story(run_id: int) -> tuple[dict[str, tuple[date, str, str]], date | None]:
    """Captures in one run, ``{region: (date, new controller, old controller)}``, and its capitulation date."""
    caps: dict[str, tuple[date, str, str]] = {}
    caps["poznan"] = (date(1939, 9, 10) + timedelta(days=run_id % 3), "GER", "POL")
    if run_id >= 15:
        return caps, None
    cap_date = date(1939, 9, 28) + timedelta(days=run_id % 5)
    caps["lodz"] = (date(1939, 9, 14), "GER", "POL")
    caps["krakow"] = (date(1939, 9, 12), "GER", "POL")
    caps["warsaw"] = (cap_date, "GER", "POL")
    east = "SOV" if run_id % 2 == 0 else "GER"
    for r in ("lwow", "brest", "wilno"):
        caps[r] = (date(1939, 9, 22), east, "POL")
    return caps, cap_date


def write_synthetic_results(path: Path, runs: int = 20, seed: int = 1) -> Path:
    """Write the synthetic results directory to ``path`` (created) and return it."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    snaps = snapshot_dates()
    owner = {r[0]: r[5] for r in REGIONS}

    ev: dict[str, list] = {
        k: [] for k in ("run_id", "date", "kind", "actor", "target", "region", "value", "details")
    }

    def add(rid, d, kind, actor, target, region=None, value=0.0, details=None):
        for k, v in zip(
            ev, (rid, d, kind, actor, target, region, value, json.dumps(details or {})), strict=True
        ):
            ev[k].append(v)

    ctl: dict[str, list] = {"run_id": [], "date": [], "region": [], "controller": []}
    pw: dict[str, list] = {
        k: []
        for k in (
            "run_id",
            "date",
            "power",
            "men",
            "killed",
            "wounded",
            "captured",
            "regions",
            "vp",
        )
    }
    rn: dict[str, list] = {
        "run_id": [],
        "seed": [],
        "pol_will": [],
        "ger_tempo": [],
        "end_date": [],
        "pol_capitulated": [],
    }

    for rid in range(runs):
        caps, cap_date = run_story(rid)
        add(rid, date(1939, 9, 1), "war_declared", "GER", "POL")
        add(rid, date(1939, 9, 3), "war_declared", "FRA", "GER")
        add(rid, date(1939, 9, 1), "scripted", "GER", "POL", details={"id": "gleiwitz"})
        for reg, (d, new, old) in sorted(caps.items(), key=lambda kv: kv[1][0]):
            add(rid, d - timedelta(days=1), "battle", new, old, reg, 1000.0)
            add(rid, d, "region_captured", new, old, reg)
        if rid < 15 and rid % 2 == 0:
            add(rid, date(1939, 9, 17), "war_declared", "SOV", "POL")
        if cap_date is not None:
            add(rid, cap_date, "capitulation", "POL", "GER")
            add(rid, cap_date, "peace", "GER", "POL")
        for d in snaps:
            held: dict[str, int] = {}
            for reg, _n, _lo, _la, _t, own in REGIONS:
                c = caps[reg][1] if reg in caps and d >= caps[reg][0] else own
                ctl["run_id"].append(rid)
                ctl["date"].append(d)
                ctl["region"].append(reg)
                ctl["controller"].append(c)
                held[c] = held.get(c, 0) + 1
            for p in POWERS:
                pw["run_id"].append(rid)
                pw["date"].append(d)
                pw["power"].append(p)
                pw["men"].append(1e6)
                pw["killed"].append(float((d - START).days * 100))
                pw["wounded"].append(float((d - START).days * 300))
                pw["captured"].append(0.0)
                pw["regions"].append(held.get(p, 0))
                pw["vp"].append(float(held.get(p, 0)))
        rn["run_id"].append(rid)
        rn["seed"].append(seed * 1000 + rid)
        rn["pol_will"].append(0.5 + rid / max(1, runs - 1))
        rn["ger_tempo"].append(0.8 + 0.5 * ((rid * 7) % runs) / runs)
        rn["end_date"].append(END)
        rn["pol_capitulated"].append(cap_date is not None)

    _write_parquet(
        pa.table(
            {
                "run_id": pa.array(ev["run_id"], pa.int64()),
                "date": pa.array(ev["date"], pa.date32()),
                "kind": pa.array(ev["kind"], pa.string()),
                "actor": pa.array(ev["actor"], pa.string()),
                "target": pa.array(ev["target"], pa.string()),
                "region": pa.array(ev["region"], pa.string()),
                "value": pa.array(ev["value"], pa.float64()),
                "details": pa.array(ev["details"], pa.string()),
                "fields": store.fields_from_details([json.loads(d) for d in ev["details"]]),
            }
        ),
        path / "events.parquet",
    )
    _write_parquet(
        pa.table(
            {
                "run_id": pa.array(ctl["run_id"], pa.int64()),
                "date": pa.array(ctl["date"], pa.date32()),
                "region": pa.array(ctl["region"], pa.string()),
                "controller": pa.array(ctl["controller"], pa.string()),
            }
        ),
        path / "control.parquet",
    )
    _write_parquet(
        pa.table(
            {
                "run_id": pa.array(pw["run_id"], pa.int64()),
                "date": pa.array(pw["date"], pa.date32()),
                "power": pa.array(pw["power"], pa.string()),
                **{
                    k: pa.array(pw[k], pa.float64())
                    for k in ("men", "killed", "wounded", "captured", "vp")
                },
                "regions": pa.array(pw["regions"], pa.int64()),
            }
        ),
        path / "powers.parquet",
    )
    _write_parquet(
        pa.table(
            {
                "run_id": pa.array(rn["run_id"], pa.int64()),
                "seed": pa.array(rn["seed"], pa.int64()),
                "pol_will": pa.array(rn["pol_will"], pa.float64()),
                "ger_tempo": pa.array(rn["ger_tempo"], pa.float64()),
                "end_date": pa.array(rn["end_date"], pa.date32()),
                "pol_capitulated": pa.array(rn["pol_capitulated"], pa.bool_()),
            }
        ),
        path / "runs.parquet",
    )
    rows = [(r[0], r[1], "land", r[2], r[3], r[4], r[5], r[5]) for r in REGIONS]
    rows += [(s[0], s[1], "sea", s[2], s[3], "sea", None, None) for s in SEA]
    cols = list(zip(*rows, strict=True))
    _write_parquet(
        pa.table(
            {
                "region": pa.array(cols[0], pa.string()),
                "name": pa.array(cols[1], pa.string()),
                "kind": pa.array(cols[2], pa.string()),
                "lon": pa.array(cols[3], pa.float64()),
                "lat": pa.array(cols[4], pa.float64()),
                "terrain": pa.array(cols[5], pa.string()),
                "owner": pa.array(cols[6], pa.string()),
                "controller": pa.array(cols[7], pa.string()),
            }
        ),
        path / "regions.parquet",
    )
    meta = {
        "scenario": "poland_1939",
        "scenario_name": "Poland 1939 (synthetic test results)",
        "scenario_hash": "0" * 16,
        "version": "0.1.0",
        "runs": runs,
        "seed": seed,
        "start": START.isoformat(),
        "end": END.isoformat(),
        "sampler": "lhs",
        "assumptions": ASSUMPTIONS,
        "powers": POWERS,
        "camps": CAMPS,
        "wall_time_s": 1.2,
        "status": "complete",
        "chunk_size": 64,
    }
    fd, tmp = tempfile.mkstemp(dir=path, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(meta, fh, indent=2)
    os.replace(tmp, path / "ensemble.json")
    _ = owner
    return path
