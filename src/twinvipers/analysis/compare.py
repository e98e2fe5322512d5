"""Two ensembles side by side: each checkpoint and claim, its share in each, the difference.

The difference of two shares comes with Newcombe's hybrid score interval (method 10 of
Newcombe 1998), built from the two Wilson intervals; it stays inside [-1, 1] and behaves at
shares of 0 and 1, where the normal approximation does not.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from twinvipers.analysis import claims, plausibility
from twinvipers.analysis.stats import wilson
from twinvipers.ensemble import store


def newcombe(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float]:
    """95% interval of the difference of two shares, ``k1/n1 - k2/n2``."""
    p1, p2 = (k1 / n1 if n1 else 0.0), (k2 / n2 if n2 else 0.0)
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt(
        (u1 - p1) ** 2 + (p2 - l2) ** 2
    )


def _shares(path: Path, nodes: list[Any]) -> list[tuple[int, int]]:
    meta = store.read_manifest(path)
    out = claims.evaluate_nodes(path, nodes, meta.get("checkpoint_context") or {})
    return [(int(v.met.sum()), len(v.met)) for v in out]


def compare(a: Path | str, b: Path | str, extra: list[str]) -> list[dict[str, Any]]:
    """One row per checkpoint of ``a`` (judged in both) and per claim in ``extra``."""
    a, b = Path(a), Path(b)
    cps, _ = plausibility.manifest_plan(store.read_manifest(a))
    items = [(cp.id, claims.checkpoint_claim(cp)) for cp in cps]
    items += [("", c) for c in extra]
    nodes = [claims.parse(text) for _, text in items]
    for path in (a, b):  # a claim naming what either ensemble lacks is refused, located
        t = claims.Tables(path, set())
        try:
            for (_, text), node in zip(items, nodes, strict=True):
                claims.check_names(text, node, t)
        finally:
            t.close()
    sa, sb = _shares(a, nodes), _shares(b, nodes)
    rows = []
    for (cid, text), (ka, na), (kb, nb) in zip(items, sa, sb, strict=True):
        lo, hi = newcombe(ka, na, kb, nb)
        la, ha = wilson(ka, na)
        lb, hb = wilson(kb, nb)
        rows.append(
            {
                "id": cid,
                "claim": text,
                "share_a": ka / na if na else 0.0,
                "ci_a": (la, ha),
                "share_b": kb / nb if nb else 0.0,
                "ci_b": (lb, hb),
                "difference": (kb / nb if nb else 0.0) - (ka / na if na else 0.0),
                "diff_low": -hi,
                "diff_high": -lo,
            }
        )
    return rows
