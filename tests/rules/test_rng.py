"""The counter-based random streams: one purpose per draw site, and the stream itself."""

from __future__ import annotations

import ast
import pathlib

import numpy as np
import pytest
from scipy import stats

import twinvipers
from twinvipers.rules import rng

SRC = pathlib.Path(twinvipers.__file__).parent
DRAWS = {"uniform"}  # the functions of rules/rng.py that draw from a stream (purpose last)


def _draw_sites() -> list[tuple[str, int, ast.Call]]:
    """Every call of an rng draw function in the package: (module, line, call)."""
    sites = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        # Only modules that import this rng module under that name: others (the report's jitter)
        # call numpy generators that happen to be called ``rng``.
        imports_rng = any(
            isinstance(node, ast.ImportFrom)
            and node.module in ("twinvipers.rules", "rules")
            and any(a.name == "rng" and a.asname in (None, "rng") for a in node.names)
            for node in ast.walk(tree)
        )
        from_rng = {
            a.asname or a.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("rules.rng")
            for a in node.names
            if a.name in DRAWS
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            called = (
                isinstance(f, ast.Attribute)
                and f.attr in DRAWS
                and isinstance(f.value, ast.Name)
                and f.value.id == "rng"
                and imports_rng
            ) or (isinstance(f, ast.Name) and f.id in from_rng)
            if called and path.name != "rng.py":
                sites.append((str(path.relative_to(SRC)), node.lineno, node))
    return sites


def _purposes() -> dict[str, int]:
    return {k: getattr(rng, k) for k in dir(rng) if k.startswith("P_")}


def test_the_draw_sites_are_found():
    # The walk must see the engine's draws, or the tests below would pass on nothing.
    modules = {m for m, _, _ in _draw_sites()}
    assert {"rules/battle.py", "rules/sea.py", "rules/weather.py", "rules/events.py"} <= modules
    assert len(_draw_sites()) >= 15


def test_every_draw_names_a_purpose_constant():
    for module, line, call in _draw_sites():
        assert len(call.args) == 4 and not call.keywords, f"{module}:{line}"
        purpose = call.args[3]
        assert (
            isinstance(purpose, ast.Attribute)
            and isinstance(purpose.value, ast.Name)
            and purpose.value.id == "rng"
            and purpose.attr.startswith("P_")
        ), f"{module}:{line}: the purpose must be an rng.P_* name, not {ast.unparse(purpose)}"
        assert purpose.attr in _purposes(), f"{module}:{line}: rng.{purpose.attr} is not defined"


def test_no_purpose_is_drawn_at_two_sites():
    seen: dict[str, str] = {}
    for module, line, call in _draw_sites():
        name = call.args[3].attr
        assert name not in seen, f"rng.{name} drawn at {seen[name]} and {module}:{line}"
        seen[name] = f"{module}:{line}"


def test_purposes_are_distinct_integers():
    values = list(_purposes().values())
    assert all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    assert len(set(values)) == len(values)


def test_a_draw_is_a_pure_function_of_its_counters():
    seed = rng.run_seeds(7, np.arange(3))[1]
    a = [rng.uniform(seed, d, e, rng.P_COMBAT) for d in range(20) for e in range(5)]
    b = [rng.uniform(seed, d, e, rng.P_COMBAT) for d in range(20) for e in range(5)]
    assert a == b
    # Changing any one counter changes the draw.
    u = rng.uniform(seed, 3, 4, rng.P_COMBAT)
    assert u != rng.uniform(seed + np.uint64(1), 3, 4, rng.P_COMBAT)
    assert u != rng.uniform(seed, 4, 4, rng.P_COMBAT)
    assert u != rng.uniform(seed, 3, 5, rng.P_COMBAT)
    assert u != rng.uniform(seed, 3, 4, rng.P_NAVAL)


def _draws(counter: str, n: int = 10_000, purpose: int = rng.P_COMBAT) -> np.ndarray:
    seed = rng.run_seeds(11, np.arange(1))[0]
    i = np.arange(n)
    if counter == "day":
        return np.array([rng.uniform(seed, int(d), 0, purpose) for d in i])
    return np.array([rng.uniform(seed, 0, int(e), purpose) for e in i])


@pytest.mark.parametrize("counter", ["day", "entity"])
def test_draws_are_uniform(counter):
    u = _draws(counter)
    assert ((u >= 0.0) & (u < 1.0)).all()
    assert stats.kstest(u, "uniform").pvalue > 1e-3


@pytest.mark.parametrize("counter", ["day", "entity"])
def test_neighbouring_counters_are_independent(counter):
    u = _draws(counter)
    # Lag-1 correlation of 10k independent draws has s.d. 0.01.
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.04
    # Neighbouring purposes on the same counters are independent too.
    v = _draws(counter, purpose=rng.P_COMBAT + 1)
    assert abs(np.corrcoef(u, v)[0, 1]) < 0.04
    # Pairs of neighbours fill the unit square evenly (chi-square on a 10x10 grid).
    cells = np.histogram2d(u[:-1], u[1:], bins=10, range=[[0, 1], [0, 1]])[0].ravel()
    assert stats.chisquare(cells).pvalue > 1e-3
