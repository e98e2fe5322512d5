"""The report's "What happens next" section: the long war's questions (analysis.whatnext).

Shown for an ensemble that runs past 1940 (the Twin Vipers to 1945: ``make long-war``); a
shorter one gets nothing. Also as Markdown (``markdown``), for docs/timeline.md and the console.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Any

from twinvipers.analysis import questions as q
from twinvipers.analysis import whatnext as W

#: An ensemble whose last date is before this gets no section: it did not run the long war.
LONG_WAR_FROM = date(1941, 1, 1)

INTRO = (
    "The questions the seed's readers ask about the rest of the war, answered by the runs: the "
    "share of runs (95% Wilson interval) and, where it happened, the first date (median, with "
    "the quartiles over those runs). A power falls or is beaten when it capitulates; it joins a "
    "war on its first declaration of war, given or received, and its side is against the camps "
    "of its enemies that day. Who holds what is counted on the last snapshot on or before each "
    "date: land regions (median, quartiles) and the median share of the map's victory points; a "
    'power at war with no one that day is "not at war", a neutral-camp power at war counts as '
    "itself. Powers keep their scenario camp whichever side they fight on."
)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%" if x >= 0.01 or x == 0 else f"{100 * x:.1f}%"


def _when(w: tuple[date, date, date] | None) -> str:
    if w is None:
        return ""
    q1, mid, q3 = w
    return f"{mid:%d %b %Y}" + ("" if q1 == q3 else f" ({q1:%d %b %Y} – {q3:%d %b %Y})")


def _long(con: Any) -> bool:
    last = con.execute("SELECT max(date) FROM control").fetchone()[0]
    return last is not None and last >= LONG_WAR_FROM


def section(results_dir: Path | str) -> str:
    """The HTML section ("" for an ensemble that ends before 1941)."""
    results_dir = Path(results_dir)
    meta = q.read_meta(results_dir)
    con = q.connect(results_dir)
    if not _long(con):
        return ""
    e = html.escape
    out = ["<h2 id='what-next'>What happens next</h2>", f"<p>{e(INTRO)}</p>"]
    out.append(
        "<table><tr><th>Question</th><th>Answer</th><th>Runs</th><th>Share</th>"
        "<th>95% interval</th><th>When (median, quartiles)</th></tr>"
    )
    shown: set[str] = set()
    for a in W.answers(con, meta):
        how = W.HOW.get(a.question, "") if a.question not in shown else ""
        shown.add(a.question)
        question = e(a.question) + (f"<div class='muted test'>{e(how)}</div>" if how else "")
        out.append(
            f"<tr><td>{question}</td><td>{e(a.answer)}</td><td class='num'>{a.runs}/{a.n}</td>"
            f"<td class='num'>{_pct(a.share)}</td><td class='num'>{_pct(a.lo)}–{_pct(a.hi)}</td>"
            f"<td>{e(_when(a.when))}</td></tr>"
        )
    out.append("</table>")
    holds = [h for h in W.holdings(con, meta) if h.regions[2] > 0]
    if holds:
        out.append(
            "<h3>Who holds what</h3><table><tr><th>Date</th><th>Camp</th>"
            "<th>Land regions (median, quartiles)</th><th>Victory points (median share)</th>"
            "<th>Runs where it holds the most</th></tr>"
        )
        for h in holds:
            q1, mid, q3 = h.regions
            out.append(
                f"<tr><td>{h.on:%d %b %Y}</td><td>{e(h.camp)}</td>"
                f"<td class='num'>{mid:.0f} ({q1:.0f}–{q3:.0f})</td>"
                f"<td class='num'>{_pct(h.vp_share)}</td><td class='num'>{_pct(h.runs_ahead)}</td></tr>"
            )
        out.append("</table>")
    caps = W.capitals(con, meta)
    if caps:
        out.append("<h3>Capitals</h3><table><tr><th>Date</th><th>Capital</th><th>Held by</th></tr>")
        for c in caps:
            held = ", ".join(f"{g} {_pct(s)}" for g, s in c["shares"].items())
            out.append(
                f"<tr><td>{c['on']:%d %b %Y}</td><td>{e(c['capital'])} ({e(c['power'])})</td>"
                f"<td>{e(held)}</td></tr>"
            )
        out.append("</table>")
    return "\n".join(out)


def markdown(results_dir: Path | str) -> str:
    """The same figures as Markdown tables ("" for an ensemble that ends before 1941)."""
    results_dir = Path(results_dir)
    meta = q.read_meta(results_dir)
    con = q.connect(results_dir)
    if not _long(con):
        return ""
    lines = [
        "| question | answer | runs | share (95% CI) | when (median, quartiles) |",
        "|---|---|---|---|---|",
    ]
    for a in W.answers(con, meta):
        lines.append(
            f"| {a.question} | {a.answer} | {a.runs}/{a.n} | {_pct(a.share)} "
            f"({_pct(a.lo)}–{_pct(a.hi)}) | {_when(a.when)} |"
        )
    lines += ["", "How each can come about in the model:", ""]
    lines += [f"- *{k}*: {v}" for k, v in W.HOW.items()]
    lines += [
        "",
        "| date | camp | land regions (median, quartiles) | VP share (median) | runs ahead |",
        "|---|---|---|---|---|",
    ]
    for h in W.holdings(con, meta):
        if h.regions[2] > 0:
            q1, mid, q3 = h.regions
            lines.append(
                f"| {h.on:%d %b %Y} | {h.camp} | {mid:.0f} ({q1:.0f}–{q3:.0f}) | "
                f"{_pct(h.vp_share)} | {_pct(h.runs_ahead)} |"
            )
    return "\n".join(lines) + "\n"
