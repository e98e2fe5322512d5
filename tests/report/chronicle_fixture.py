"""A small hand-made results directory whose run 0 holds an event of every kind.

Names resolve through the shipped ``poland_1939`` scenario (its forces, leaders, treaty and
events); the map is a handful of its regions and one sea zone. Run 1 is a short, different war,
so picks have something to choose between.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from twinvipers.scenario.load import resolve

#: An event added to the copy of ``poland_1939`` the fixture names (a mobilisation order).
EXTRA_EVENT = """
- id: polish_general_mobilisation
  description: Poland orders general mobilisation (a test event).
  trigger: {date: 1939-08-30}
  effects:
    - mobilise: {power: POL}
  source: zaloga
"""

#: Files added to the copy: oil routes, a named campaign (the German-Polish war only, so that
#: the French war keeps the heading built from its powers' names).
EXTRA_FILES = {
    "trade.yaml": """
- {id: ger_overseas, importer: GER, kt_per_year: 3300, source: "a test route"}
- {id: sov_ger, exporter: SOV, importer: GER, kt_per_year: 900, rail: [bialystok, brest_litovsk],
   source: "a test route"}
""",
    "campaigns.yaml": """
- {id: polish_campaign, name: "The Polish Campaign", a: [GER, SOV], b: [POL], start: 1939-09-01,
   end: 1939-10-31, source: "a test campaign"}
""",
}
#: An edge of the copy given a name (a river the chronicle names a battle across).
NAMED_EDGE = ("- {a: poznan, b: lodz, rail: 8000, source: times_atlas}",
              "- {a: poznan, b: lodz, rail: 8000, name: the Warta, source: times_atlas}")  # fmt: skip

START = date(1939, 8, 25)
END = date(1939, 10, 31)
REGIONS = [
    ("berlin", "Berlin", "GER"),
    ("danzig", "Danzig", "GER"),
    ("poznan", "Poznań", "POL"),
    ("torun", "Toruń (Pomorze)", "POL"),
    ("lodz", "Łódź", "POL"),
    ("krakow", "Kraków", "POL"),
    ("lublin", "Lublin", "POL"),
    ("bialystok", "Białystok", "POL"),
    ("warsaw", "Warsaw", "POL"),
    ("lwow", "Lwów", "POL"),
    ("moscow", "Moscow", "SOV"),
    ("paris", "Paris", "FRA"),
]
POWERS = {
    "GER": {"name": "German Reich", "camp": "axis", "color": "#555555", "capital": "berlin"},
    "POL": {"name": "Republic of Poland", "camp": "allies", "color": "#d98c8c", "capital": "warsaw"},
    "SOV": {"name": "Union of Soviet Socialist Republics", "camp": "comintern", "color": "#b22222",
            "capital": "moscow"},
    "FRA": {"name": "French Republic", "camp": "allies", "color": "#3a6fb0", "capital": "paris"},
}  # fmt: skip
CHECKPOINTS = [
    {"id": "warsaw_early", "description": "Warsaw falls by mid-September.",
     "quote": "the city fell on the fifteenth", "taken": {"region": "warsaw", "by": ["GER"],
     "until": "1939-09-15"}},
    {"id": "krakow_german", "description": "Kraków is German by October.",
     "taken": {"region": "krakow", "by": ["GER"], "until": "1939-10-01"}},
    {"id": "lwow_german", "description": "Lwów is German on 1 October.",
     "held": {"region": "lwow", "by": ["GER"], "on": "1939-10-01"}},
    {"id": "poland_quick", "description": "Poland gives up within three weeks.",
     "capitulates": {"power": "POL", "after": "1939-09-01", "days": [10, 20]}},
    {"id": "long_war", "description": "The war lasts over three months.",
     "war_lasts": {"a": "GER", "b": "POL", "days": [100, 200]}},
    {"id": "soviets_come", "description": "The Red Army crosses the border.",
     "fired": {"event": "soviet_invasion", "until": "1939-09-30"}},
    {"id": "lopsided", "description": "German losses are a fraction of Polish ones.",
     "casualty_ratio": {"a": "POL", "b": "GER", "range": [5, 10], "until": "1939-10-31"}},
]  # fmt: skip


def _d(month: int, day: int) -> date:
    return date(1939, month, day)


def _battle(run, day, a, t, region, won, att, dfn, cap=0, men=(0, 0)):
    details = {"attacker_won": won, "attacker_losses": att, "defender_losses": dfn,
               "defender_captured": cap, "attacker_men": men[0], "defender_men": men[1]}  # fmt: skip
    return (run, day, "battle", a, t, region, float(won), details)


def _hc(day, power, decision, region, odds, men=0, forces=0, target=None):
    details = {"decision": decision, "odds": odds, "men": men, "forces": forces}
    return (0, day, "strategy", power, target, region, odds, details)


def _factor(day, actor, target, factor, weighted):
    details = {"factor": factor, "weighted": weighted, "term": weighted / 2}
    return (0, day, "entry_factor", actor, target, None, weighted, details)


def run0_events() -> list[tuple]:
    """Every kind, some more than once, in date order."""
    ev = [
        (0, _d(8, 30), "scripted", None, None, None, 0.0, {"id": "polish_general_mobilisation"}),
        (0, _d(9, 1), "scripted", None, None, None, 0.0, {"id": "fall_weiss"}),
        (0, _d(9, 1), "war_declared", "GER", "POL", None, 0.0, {}),
        (0, _d(9, 2), "alliance_joined", "SOV", None, None, 0.0,
         {"treaty": "anglo_french_guarantee"}),
        (0, _d(9, 3), "war_declared", "FRA", "GER", None, 0.0, {}),
        (0, _d(9, 3), "region_captured", "GER", "POL", "poznan", 0.0, {}),
        (0, _d(9, 4), "blockade", "FRA", "GER", None, 0.3125, {"zone": "baltic",
                                                              "share_stopped": 0.3125}),
        _battle(0, _d(9, 5), "GER", "POL", "lodz", True, 4210, 11877, 20400, (182300, 96450)),
        _battle(0, _d(9, 6), "GER", "POL", "krakow", True, 3105, 9020, 0, (120500, 61000)),
        _battle(0, _d(9, 8), "POL", "GER", "poznan", False, 8800, 2950, 0, (75040, 41999)),
        _battle(0, _d(9, 9), "GER", "POL", "warsaw", False, 6001, 5003, 120),
        _battle(0, _d(9, 11), "GER", "POL", "lublin", True, 512, 733, 0),
        _battle(0, _d(9, 12), "GER", "POL", "bialystok", True, 266, 410, 1500),
        _battle(0, _d(9, 13), "POL", "GER", "lodz", False, 390, 120, 0),
        (0, _d(9, 10), "leader_replaced", "GER", None, None, 0.0,
         {"old": "kuchler", "new": "list"}),
        (0, _d(9, 10), "region_captured", "GER", "POL", "torun", 0.0, {}),
        (0, _d(9, 10), "region_captured", "GER", "POL", "lodz", 0.0, {}),
        (0, _d(9, 10), "region_captured", "GER", "POL", "krakow", 0.0, {}),
        (0, _d(9, 10), "region_captured", "GER", "POL", "lublin", 0.0, {}),
        (0, _d(9, 10), "region_captured", "GER", "POL", "bialystok", 0.0, {}),
        (0, _d(9, 12), "naval_battle", "GER", "FRA", None, 1.0,
         {"zone": "baltic", "zone_held_by": "actor", "actor_ships_lost": 0.37,
          "target_ships_lost": 2.14}),
        (0, _d(9, 14), "landing", "GER", "POL", "danzig", 1.0,
         {"force": "ger_3rd_army", "succeeded": True, "probability": 0.8123, "men": 17000}),
        (0, _d(9, 15), "special_weapons", "GER", "POL", None, 0.0,
         {"weapon": "chemical", "casualties": 0, "deaths": 0}),
        (0, _d(9, 16), "special_weapons", "GER", "POL", "warsaw", 812.0,
         {"weapon": "chemical", "casualties": 812, "deaths": 97}),
        (0, _d(9, 17), "bombardment", "GER", "POL", "danzig", 0.12,
         {"fleet": "ger_baltic_fleet", "port_share_lost": 0.12, "gun_tubes": 40}),
        (0, _d(9, 18), "scripted", None, None, None, 0.0, {"id": "soviet_invasion_late"}),
        (0, _d(9, 18), "war_entry", "SOV", "GER", None, 0.641,
         {"how": "choice", "probability": 0.641, "utility": 0.82, "draw": 0.5}),
        _factor(_d(9, 18), "SOV", "GER", "position", -0.224),
        _factor(_d(9, 18), "SOV", "GER", "course", 0.413),
        _factor(_d(9, 18), "SOV", "GER", "spoils", 0.004),
        _factor(_d(9, 18), "SOV", "GER", "threat", 0.118),
        _factor(_d(9, 18), "SOV", "GER", "ideology", 0.05),
        (0, _d(9, 18), "war_declared", "SOV", "POL", None, 0.0, {}),
        _hc(_d(9, 2), "GER", "offensive", "warsaw", 0.724, target="POL"),
        _hc(_d(9, 4), "POL", "reinforce", "poznan", 1.31, 41000, 2),
        _hc(_d(9, 11), "POL", "reinforce", "torun", 0.9, 18000, 1),
        _hc(_d(9, 18), "POL", "reinforce", "lodz", 1.1, 33000, 2),
        _hc(_d(9, 19), "POL", "reinforce", "krakow", 0.8, 12000, 1),
        _hc(_d(9, 25), "POL", "reinforce", "lublin", 1.0, 9000, 1),
        _hc(_d(9, 26), "POL", "reinforce", "lodz", 1.2, 7000, 1),
        _hc(_d(9, 20), "GER", "pause", "warsaw", 0.412, 650000),
        _hc(_d(9, 24), "FRA", "defensive", None, 0.5, 410000),
        _hc(_d(9, 29), "GER", "defensive", "lwow", 0.0, 0),
        (0, _d(8, 25), "route_opened", None, "GER", None, 1.0,
         {"route": "ger_overseas", "open_share": 1.0}),
        (0, _d(9, 3), "route_cut", None, "GER", None, 0.2,
         {"route": "ger_overseas", "open_share": 0.2}),
        (0, _d(9, 12), "route_opened", "SOV", "GER", None, 1.0,
         {"route": "sov_ger", "open_share": 1.0}),
        (0, _d(9, 20), "route_cut", "SOV", "GER", None, 0.0, {"route": "sov_ger", "open_share": 0.0}),
        (0, _d(10, 7), "route_opened", "SOV", "GER", None, 0.875,
         {"route": "sov_ger", "open_share": 0.875}),
        (0, _d(10, 2), "oil_shortage", "GER", None, None, 0.423,
         {"fuel_share": 0.423, "stock_kt": 812.4}),
        (0, _d(9, 20), "air_strike", "GER", "POL", "warsaw", 0.01,
         {"mission": "cities", "effect": 0.01, "sorties": 120.4, "superiority": 0.5}),
        (0, _d(9, 21), "air_strike", "GER", "POL", "warsaw", 0.01,
         {"mission": "cities", "effect": 0.01, "sorties": 98.3, "superiority": 0.6}),
        (0, _d(9, 22), "region_captured", "SOV", "POL", "lwow", 0.0, {}),
        (0, _d(9, 25), "evacuation", "POL", None, "warsaw", 0.0,
         {"force": "pol_modlin", "succeeded": False, "men": 41000}),
        (0, _d(9, 27), "region_captured", "GER", "POL", "warsaw", 0.0, {}),
        (0, _d(9, 30), "trade_war", "GER", "FRA", None, 41200.0,
         {"zone": "baltic", "grt_sunk": 41200, "submarines_lost": 1}),
        (0, _d(9, 30), "trade_war", "GER", "FRA", None, 23800.0,
         {"zone": "north_sea", "grt_sunk": 23800, "submarines_lost": 2}),
        (0, _d(10, 6), "capitulation", "POL", "GER", "warsaw", 0.21,
         {"pressure": 0.21, "terms": None}),
        (0, _d(10, 6), "peace", "GER", "POL", None, 0.0, {}),
    ]  # fmt: skip
    return sorted(ev, key=lambda e: e[1])  # stable: keeps the order within a day


def run1_events(run: int = 1) -> list[tuple]:
    """A short war: Poland holds out, Kraków falls, the Soviets come (runs 1 and 2 alike)."""
    return [
        (run, _d(9, 1), "scripted", None, None, None, 0.0, {"id": "fall_weiss"}),
        (run, _d(9, 1), "war_declared", "GER", "POL", None, 0.0, {}),
        _battle(run, _d(9, 7), "GER", "POL", "krakow", True, 2500, 7100, 3000),
        (run, _d(9, 9), "region_captured", "GER", "POL", "krakow", 0.0, {}),
        (run, _d(9, 17), "scripted", None, None, None, 0.0, {"id": "soviet_invasion"}),
        (run, _d(9, 17), "war_declared", "SOV", "POL", None, 0.0, {}),
    ]


def write_fixture(path: Path, hostile: str = "") -> Path:
    """Write the results directory; return its path (``hostile``: Warsaw's name, for escaping)."""
    path.mkdir(parents=True, exist_ok=True)
    import shutil

    scenario = path / "scenario"
    if not scenario.exists():
        shutil.copytree(resolve("poland_1939"), scenario)
        with (scenario / "events.yaml").open("a", encoding="utf-8") as fh:
            fh.write(EXTRA_EVENT)
        for name, text in EXTRA_FILES.items():
            (scenario / name).write_text(text, encoding="utf-8")
        edges = (scenario / "edges.yaml").read_text(encoding="utf-8")
        assert NAMED_EDGE[0] in edges
        (scenario / "edges.yaml").write_text(edges.replace(*NAMED_EDGE), encoding="utf-8")
    events = run0_events() + run1_events(1) + run1_events(2)
    cols = list(zip(*events, strict=True))
    pq.write_table(
        pa.table(
            {
                "run_id": pa.array(cols[0], pa.int64()),
                "date": pa.array(cols[1], pa.date32()),
                "kind": pa.array(cols[2], pa.string()).dictionary_encode(),
                "actor": pa.array(cols[3], pa.string()).dictionary_encode(),
                "target": pa.array(cols[4], pa.string()).dictionary_encode(),
                "region": pa.array(cols[5], pa.string()).dictionary_encode(),
                "value": pa.array(cols[6], pa.float64()),
                "details": pa.array([json.dumps(d) for d in cols[7]], pa.string()),
            }
        ),
        path / "events.parquet",
    )
    land = [(r, (hostile or n) if r == "warsaw" else n, "land", o) for r, n, o in REGIONS]
    sea = [("baltic", "Baltic Sea", "sea", None), ("north_sea", "North Sea", "sea", None)]
    rows = land + sea
    pq.write_table(
        pa.table(
            {
                "region": [r[0] for r in rows],
                "name": [r[1] for r in rows],
                "kind": [r[2] for r in rows],
                "lon": [10.0 + i for i in range(len(rows))],
                "lat": [50.0] * len(rows),
                "terrain": ["plains" if r[2] == "land" else None for r in rows],
                "owner": [r[3] for r in rows],
                "controller": [r[3] for r in rows],
                "vp": [1.0 if r[2] == "land" else None for r in rows],
                "boundary": pa.array([None] * len(rows), pa.string()),
            }
        ),
        path / "regions.parquet",
    )
    snaps = [START + timedelta(days=7 * k) for k in range(10)] + [END]
    held = {
        0: {"GER": 9, "POL": 1, "SOV": 2, "FRA": 1},
        1: {"GER": 3, "POL": 7, "SOV": 1, "FRA": 1},
    }
    held[2] = held[1]
    prow = []
    for run in (0, 1, 2):
        for k, d in enumerate(snaps):
            for p in POWERS:
                last = d == END
                prow.append((run, d, p, 1e6, 1000.0 * k + (55123 if last else 0),
                             10.0 * k, 300.0 * k + (7 if last else 0),
                             float(held[run][p]) if last else 2.0, 1.0, 1.0))  # fmt: skip
    pc = list(zip(*prow, strict=True))
    names = ["run_id", "date", "power", "men", "killed", "wounded", "captured", "regions", "vp"]
    pq.write_table(
        pa.table(
            {
                **{n: pc[i] for i, n in enumerate(names)},
                "will": pc[9],
                "date": pa.array(pc[1], pa.date32()),
            }
        ),
        path / "powers.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "run_id": pa.array([0, 0, 1, 1, 2, 2], pa.int64()),
                "date": pa.array([START, END] * 3, pa.date32()),
                "region": ["warsaw"] * 6,
                "controller": ["POL", "GER", "POL", "POL", "POL", "POL"],
            }
        ),
        path / "control.parquet",
    )
    runs = {
        "run_id": pa.array([0, 1, 2], pa.int64()),
        "seed": pa.array([987654321, 123456789, 55555], pa.int64()),
        "end_date": pa.array([END, END, END], pa.date32()),
    }
    for p in POWERS:
        runs[f"{p}_regions"] = pa.array([held[r][p] for r in (0, 1, 2)], pa.int64())
        runs[f"{p}_capitulated"] = pa.array([p == "POL", False, False])
    pq.write_table(pa.table(runs), path / "runs.parquet")
    meta = {
        "scenario": str(scenario),
        "scenario_id": "poland_1939",
        "scenario_name": "Poland 1939 (hand-made chronicle test)",
        "runs": 3,
        "seed": 1,
        "start": START.isoformat(),
        "end": END.isoformat(),
        "status": "complete",
        "canon": True,
        "checkpoints": CHECKPOINTS,
        "checkpoint_context": {"wars_at_start": [], "gives_up_events": {}},
        "powers": POWERS,
        "camps": {"axis": "#555555", "allies": "#3a6fb0", "comintern": "#b22222"},
    }
    (path / "ensemble.json").write_text(json.dumps(meta, indent=2))
    return path
