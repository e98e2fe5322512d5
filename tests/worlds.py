"""Small hand-built worlds for the engine's tests: a grid of regions, two powers, a few forces.

``grid_world`` writes a scenario folder (as a user would) and compiles it. Regions are named
``x{X}y{Y}`` on a 4-neighbour grid; ``owner`` maps each region to RED or BLU.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import yaml
from hypothesis import strategies as st

from twinvipers.engine import reset, step
from twinvipers.ensemble import sampling
from twinvipers.scenario import schema
from twinvipers.scenario.compile import Compiled, compile_scenario
from twinvipers.scenario.load import load
from twinvipers.state import new_state
from twinvipers.world.arrays import Ctx, new_history


def name(x: int, y: int) -> str:
    """Region id of grid cell (x, y)."""
    return f"x{x}y{y}"


def grid_world(
    tmp: Path,
    owner,
    nx: int,
    ny: int,
    forces: list[dict],
    *,
    war: bool = True,
    events: list[dict] | None = None,
    rail: float = 0.0,
    parameters: dict | None = None,
    leaders: list[dict] | None = None,
    powers: dict | None = None,
    assumptions: list[dict] | None = None,
    vp: dict | None = None,
    terrain: dict | None = None,
    industry: dict | None = None,
    climate: dict | None = None,
    fort: dict | None = None,
    air: list[dict] | None = None,
    start: str = "1939-07-01",
    end: str = "1939-09-30",
    extra_files: dict[str, list | dict] | None = None,
) -> Compiled:
    """Write and compile an ``nx`` x ``ny`` grid world; ``owner(x, y)`` gives each cell's power."""
    tmp.mkdir(parents=True, exist_ok=True)
    cells = [(x, y) for x in range(nx) for y in range(ny)]
    home = {p: next(name(x, y) for x, y in cells if owner(x, y) == p) for p in ("RED", "BLU")}
    meta = {
        "id": "grid", "name": "Grid", "start": start, "end": end,
        "sources": {"test": "A synthetic world for the tests"},
    }  # fmt: skip
    extra = powers or {}
    pw = [
        {"id": p, "name": p, "capital": home[p], "source": "test", **extra.get(p, {})}
        for p in ("RED", "BLU")
    ]
    regions = [
        {
            "id": name(x, y), "name": name(x, y), "lon": 10 + x, "lat": 50 + y,
            "owner": owner(x, y), "vp": (vp or {}).get(name(x, y), 0),
            "terrain": (terrain or {}).get(name(x, y), "plains"),
            "industry": (industry or {}).get(name(x, y), 0), "source": "test",
            "climate": (climate or {}).get(name(x, y), "temperate"),
            "fort": (fort or {}).get(name(x, y), 0),
        }
        for x, y in cells
    ]  # fmt: skip
    edges = []
    for x, y in cells:
        for dx, dy in ((1, 0), (0, 1)):
            if x + dx < nx and y + dy < ny:
                edges.append(
                    {"a": name(x, y), "b": name(x + dx, y + dy), "rail": rail, "source": "test"}
                )
    files = {
        "meta.yaml": meta,
        "powers.yaml": pw,
        "regions.yaml": regions,
        "edges.yaml": edges,
        "forces.yaml": [{"source": "test", "divisions": {"infantry": 3}, **f} for f in forces],
        "events.yaml": events or [],
        "diplomacy.yaml": {"wars": [{"a": "RED", "b": "BLU", "source": "test"}] if war else []},
        "leaders.yaml": leaders or [],
        "parameters.yaml": parameters or {},
        "assumptions.yaml": assumptions or [],
        "air.yaml": [{"source": "test", **a} for a in air or []],
        **{f"{stem}.yaml": data for stem, data in (extra_files or {}).items()},
    }
    for fname, data in files.items():
        (tmp / fname).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return compile_scenario(load(tmp).scenario)


class Runner:
    """One run stepped day by day (compiled), for tests that look at the state in between."""

    def __init__(self, c: Compiled, seed: int = 1):
        self.c, self.w = c, c.world
        self.s = new_state(self.w)
        self.h = new_history(1, len(self.w.snap_days), len(self.w.r_owner), len(c.powers), 7, 4096)
        self.params = c.params_for(sampling.sample(c.assumptions, 1, seed))[0]
        self.seed = np.uint64(seed)
        self.day = 0
        reset(self.w, self.s)

    def step(self, n: int = 1) -> None:
        """Advance ``n`` days."""
        for _ in range(n):
            step(self.w, self.s, self.h, Ctx(self.params, 0, self.seed, self.day))
            self.day += 1

    def goal(self, force: str) -> str | None:
        """Today's goal of a force (None: holds)."""
        g = self.s.land.f_goal[self.c.forces.index(force)]
        return None if g < 0 else self.c.regions[g]

    def region(self, force: str) -> str:
        """Where a force stands."""
        return self.c.regions[self.s.land.f_region[self.c.forces.index(force)]]

    def controller(self, region: str) -> str:
        """Who controls a region."""
        return self.c.powers[self.s.control.controller[self.c.regions.index(region)]]


POWERS = ("RED", "BLU")
TERRAINS = [t.value for t in schema.Terrain]
CLIMATES = [c.value for c in schema.Climate]


@st.composite
def grid_wars(draw) -> dict:
    """Keyword arguments of :func:`grid_world` for a random small war.

    A grid of 2-5 by 1-4 cells split into RED's west and BLU's east; random terrain, climate,
    forts, industry and rail; a start month anywhere in the year (so any weather); 1-6 forces
    (reserves on a schedule, forces off the map that an event places, leaders); air wings;
    armies' behaviour (will, surrender, stand fast, casualty factor, command); a war on the
    start date or declared later, and maybe a peace, a mobilisation and an offensive.
    """
    nx, ny = draw(st.integers(2, 5)), draw(st.integers(1, 4))
    split = draw(st.integers(1, nx - 1))
    cells = [(x, y) for x in range(nx) for y in range(ny)]
    side = {p: [name(x, y) for x, y in cells if (x < split) == (p == "RED")] for p in POWERS}
    every = [name(x, y) for x, y in cells]
    pick = lambda values: st.sampled_from(values)  # noqa: E731
    per_cell = lambda values: st.fixed_dictionaries({c: values for c in every})  # noqa: E731
    leaders = [
        {"id": f"l{i}", "name": f"l{i}", "power": p, "source": "test",
         "skill": draw(st.floats(1, 5))}
        for i, p in enumerate(draw(st.lists(pick(POWERS), max_size=3)))
    ]  # fmt: skip
    forces, events = [], []
    for i in range(draw(st.integers(1, 6))):
        p = draw(pick(POWERS))
        f = {"id": f"f{i}", "power": p, "men": draw(st.integers(500, 80_000)),
             "tanks": draw(st.integers(0, 400)), "quality": draw(st.floats(0.5, 2.0)),
             "region": draw(pick(side[p]))}  # fmt: skip
        mine = [ld["id"] for ld in leaders if ld["power"] == p]
        if mine and draw(st.booleans()):
            f["leader"] = draw(pick(mine))
        how = draw(pick(["field", "reserve", "scheduled", "off_map"]))
        if how == "reserve":
            f["reserve"] = True
        elif how == "scheduled":
            f["reserve"], f["ready_after"] = True, draw(st.integers(0, 20))
        elif how == "off_map":
            when = "@" + str(draw(st.integers(0, 30)))
            place = {"place_force": {"force": f"f{i}", "region": f["region"]}}
            events.append({"id": f"place_f{i}", "trigger": {"date": when}, "effects": [place]})
            f["region"] = None
        forces.append(f)
    war = draw(st.booleans())
    if not war:
        events.append({"id": "war", "trigger": {"date": "@" + str(draw(st.integers(0, 20)))},
                       "effects": [{"declare_war": {"actor": "RED", "target": "BLU"}}]})  # fmt: skip
    for p in POWERS:
        if draw(st.booleans()):
            events.append({"id": f"mobilise_{p.lower()}", "trigger": {"date": "@0"},
                           "effects": [{"mobilise": {"power": p}}]})  # fmt: skip
        if draw(st.booleans()):
            enemy = side["BLU" if p == "RED" else "RED"]
            events.append({"id": f"offensive_{p.lower()}", "trigger": {"date": "@1"},
                           "effects": [{"offensive": {"power": p, "target": draw(pick(enemy))}}]})  # fmt: skip
    if draw(st.integers(0, 3)) == 0:
        events.append({"id": "peace", "trigger": {"date": "@" + str(draw(st.integers(10, 40)))},
                       "effects": [{"peace": {"a": "RED", "b": "BLU"}}]})  # fmt: skip
    air = [
        {"id": f"w{i}", "power": p, "region": draw(pick(side[p])),
         "fighters": draw(st.integers(0, 300)), "bombers": draw(st.integers(0, 300))}
        for i, p in enumerate(draw(st.lists(pick(POWERS), max_size=2)))
    ]  # fmt: skip
    share = st.floats(0.0, 1.0)
    powers = {
        p: {"will": draw(st.floats(0.2, 2.0)), "surrender_share": draw(share),
            "stand_fast": draw(share), "casualty_multiplier": draw(st.floats(0.5, 2.0)),
            "command_cev": draw(st.floats(0.5, 1.5))}
        for p in POWERS
    }  # fmt: skip
    start = dt.date(1939, draw(st.integers(1, 12)), 1)
    # Event dates are written as days after the start ("@n"); resolve them here.
    for e in events:
        e["trigger"]["date"] = (
            start + dt.timedelta(days=int(e["trigger"]["date"][1:]))
        ).isoformat()
        e["description"], e["source"] = e["id"], "test"
    return {
        "owner": lambda x, y: "RED" if x < split else "BLU",
        "nx": nx, "ny": ny, "forces": forces, "war": war, "events": events,
        "rail": draw(pick([0.0, 3000.0, 20000.0])), "leaders": leaders, "powers": powers,
        "terrain": draw(per_cell(pick(TERRAINS))), "climate": draw(per_cell(pick(CLIMATES))),
        "industry": draw(per_cell(st.integers(0, 50))), "fort": draw(per_cell(st.integers(0, 3))),
        "vp": draw(per_cell(st.integers(0, 10))), "air": air,
        "start": start.isoformat(), "end": (start + dt.timedelta(days=90)).isoformat(),
    }  # fmt: skip
