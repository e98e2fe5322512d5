"""Engine parameters: every uncertain constant is one, so a scenario can tie it to an assumption."""

from __future__ import annotations

import ast
import pathlib

import numpy as np

import twinvipers
from twinvipers.rules import params as P

SRC = pathlib.Path(twinvipers.__file__).parent

# Scalar constants labelled as assumptions that stay module constants, with the reason.
NOT_PARAMS = {
    # The stock a force starts a run with is set by the state's reset, before a run's parameters
    # are in reach (state.reset takes none).
    ("rules/supply.py", "STOCK_CAP_DAYS"),
    # combat_multiplier is not used by the engine (combat.combat_power's supply_floor is).
    ("rules/supply.py", "COMBAT_FLOOR"),
    # Chosen by out-of-fold error on CDB90 (analysis.battles) like the Fit constants beside it.
    ("rules/combat.py", "ARMOUR_DENSITY_WEIGHT"),
}


def _labelled_constants() -> list[tuple[str, str]]:
    """Module-level numeric constants in rules/ and command/ whose comment calls them assumptions.

    The label is the comment block right above the assignment, a comment on its line, or the
    docstring right after it.
    """
    found = []
    for path in sorted([*SRC.glob("rules/*.py"), *SRC.glob("command/*.py")]):
        if path.name == "rng.py":
            continue  # stream purposes are ids, not quantities
        text = path.read_text()
        lines = text.splitlines()
        body = ast.parse(text).body
        for i, node in enumerate(body):
            if not (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                continue
            value = node.value
            if isinstance(value, ast.UnaryOp):
                value = value.operand
            if not (isinstance(value, ast.Constant) and type(value.value) in (int, float)):
                continue
            label = [lines[node.lineno - 1].partition("#")[2]]
            k = node.lineno - 2
            while k >= 0 and lines[k].lstrip().startswith("#"):
                label.append(lines[k])
                k -= 1
            nxt = body[i + 1] if i + 1 < len(body) else None
            if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant):
                label.append(str(nxt.value.value))
            if "assumption" in " ".join(label).lower():
                found.append((str(path.relative_to(SRC)), node.targets[0].id))
    return found


def test_the_scan_sees_labelled_constants():
    # The listed exceptions are found, or the scan below would pass on nothing.
    assert set(_labelled_constants()) >= NOT_PARAMS


def test_no_assumption_is_left_outside_params():
    left = sorted(set(_labelled_constants()) - NOT_PARAMS)
    assert not left, f"assumptions outside rules/params.py: {left}"


def test_params_are_named_once_with_a_source():
    names = [p.name for p in P.PARAMS]
    assert len(set(names)) == len(names)
    for p in P.PARAMS:
        assert p.description and p.source, p.name
        assert np.isfinite(p.default), p.name


def test_index_constants_point_at_their_params():
    # Every module-level int of params.py that names an index points at a parameter, and no two
    # names share one unless they are the same parameter.
    indices = {
        k: v
        for k, v in vars(P).items()
        if k.isupper() and isinstance(v, int) and k not in ("N_PARAMS",)
    }
    assert set(indices.values()) == set(range(P.N_PARAMS))
