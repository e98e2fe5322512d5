"""Small hand-built worlds for the engine's tests: a grid of regions, two powers, a few forces.

``grid_world`` writes a scenario folder (as a user would) and compiles it. Regions are named
``x{X}y{Y}`` on a 4-neighbour grid; ``owner`` maps each region to RED or BLU.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from twinvipers.engine import reset, step
from twinvipers.ensemble import sampling
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
    start: str = "1939-07-01",
    end: str = "1939-09-30",
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
