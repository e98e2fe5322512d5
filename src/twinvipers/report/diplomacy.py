"""The report's "Who joins, and why": free diplomacy's decisions across an ensemble.

Read only from the results: for each neutral (a power the diplomacy model decides for, at war
with no one on the start date), the share of runs in which it is at war by each date and on
which side, with 95% Wilson intervals; the factors of its entries (``entry_factor`` events, the
weighted drivers of each decision) and the judged figures whose draws went most with its
entry; the terms sought and answered; and, for a scenario with readings of a question (the Twin
Vipers' Italy question), the answer under each reading, a reading being a setting of named
assumptions.

A reading is answered on the runs whose draws lie furthest its way: each run gets the mean of
its percentile ranks on the reading's assumptions (taken the reading's way up or down), and the
quarter of runs with the highest mean stand for the reading. The ensemble must sample those
assumptions (free diplomacy appends the model's figures to the sampled assumptions).
"""

from __future__ import annotations

import dataclasses
import html
from datetime import date
from typing import Any

import numpy as np

from twinvipers.analysis import questions as q
from twinvipers.analysis.stats import wilson


@dataclasses.dataclass(frozen=True)
class Reading:
    """One reader's argument as assumption settings: each assumption and its direction (+1 high)."""

    name: str
    argument: str
    source: str
    settings: tuple[tuple[str, int], ...]


@dataclasses.dataclass(frozen=True)
class Question:
    """A question of a scenario: whether ``power`` goes to war, under two or more readings."""

    power: str
    title: str
    readings: tuple[Reading, ...]


#: The Twin Vipers thread's Italy question (seed/the-twin-vipers-timeline.txt, lines 40, 69,
#: 78, 123): each reader's argument as the assumptions of the diplomacy data it is about. A
#: question is answered in any ensemble where its power is a neutral and its readings'
#: assumptions are sampled (the Twin Vipers' runs, and history's to compare).
QUESTIONS: tuple[Question, ...] = (
    Question(
        "ITA",
        "The Twin Vipers' Italy question: would Mussolini join the war, and on which side?",
        (
            Reading(
                "Italy stays out",
                "Mussolini cannot sell an alliance with Stalin to the King (and he has not "
                "Hitler's hold on power); Italy and the USSR covet the same Balkans and "
                "Middle East.",
                "the seed thread, replies at lines 40 and 123",
                (
                    ("ita_affinity_sov", -1),
                    ("ita_king_capability", +1),
                    ("ita_king_position_ger", -1),
                    ("ita_mussolini_position_sov", -1),
                    ("diplo_ideology", +1),
                ),
            ),
            Reading(
                "Italy joins when France falls",
                "The spoils are too tempting: the King and Co will not give up Savoy, Nice "
                "and Corsica and French colonies for symbolic anti-communism.",
                "the seed thread, replies at lines 69 and 78",
                (
                    ("diplo_spoils", +1),
                    ("diplo_collapse", +1),
                    ("ita_mussolini_position_ger", +1),
                    ("ita_king_position_ger", +1),
                    ("ita_affinity_sov", +1),
                ),
            ),
        ),
    ),
)

#: Share of runs standing for a reading (those furthest its way).
READING_SHARE = 0.25


def _esc(x: object) -> str:
    return html.escape("" if x is None else str(x))


def _pct(k: int, n: int) -> str:
    if n == 0:
        return "–"
    lo, hi = wilson(k, n)
    return f"{100 * k / n:.0f}% <span class='muted'>({100 * lo:.0f}–{100 * hi:.0f})</span>"


def neutrals(meta: dict[str, Any]) -> list[str]:
    """The powers free diplomacy decides for that are at war with no one on the start date.

    The manifest's ``diplomacy_powers`` lists those it decides for (data, no script deciding
    their wars).
    """
    wars = ((meta.get("checkpoint_context") or {}).get("wars_at_start")) or []
    fighting = {p for w in wars for p in (w["a"], w["b"])}
    return [p for p in meta.get("diplomacy_powers") or [] if p not in fighting]


def first_wars(con: Any, powers: list[str]) -> dict[str, dict[int, tuple[date, str, str]]]:
    """Per power, per run: the date of its first war and how (``beside``/``against``, the other).

    An entry (``war_entry``) is told as joining the side of its strongest member; a declaration
    by the power or on it as a war against the other power.
    """
    if not powers:
        return {}
    rows = con.execute(
        """
        WITH w AS (
            SELECT run_id, date, actor::VARCHAR AS power, 'beside' AS rel,
                   target::VARCHAR AS other, 0 AS pri FROM events WHERE kind = 'war_entry'
            UNION ALL
            SELECT run_id, date, actor::VARCHAR, 'against', target::VARCHAR, 1
            FROM events WHERE kind = 'war_declared'
            UNION ALL
            SELECT run_id, date, target::VARCHAR, 'against', actor::VARCHAR, 1
            FROM events WHERE kind = 'war_declared'
        ), f AS (
            SELECT *, row_number() OVER (PARTITION BY run_id, power ORDER BY date, pri) AS k
            FROM w
        )
        SELECT power, run_id, date, rel, other FROM f WHERE k = 1
        """
    ).fetchall()
    out: dict[str, dict[int, tuple[date, str, str]]] = {p: {} for p in powers}
    for power, run, d, rel, other in rows:
        if power in out:
            out[power][run] = (d, rel, other)
    return out


def factors(con: Any) -> dict[str, list[tuple[str, float, int]]]:
    """Per power, the drivers of its entries: (driver, mean weighted value, entries), largest first."""
    rows = con.execute(
        """
        SELECT actor::VARCHAR, json_extract_string(details, '$.factor'), avg(value), count(*)
        FROM events WHERE kind = 'entry_factor' GROUP BY 1, 2
        """
    ).fetchall()
    out: dict[str, list[tuple[str, float, int]]] = {}
    for power, name, mean, n in rows:
        out.setdefault(power, []).append((name, float(mean), int(n)))
    for v in out.values():
        v.sort(key=lambda t: -abs(t[1]))
    return out


def _ranks(x: np.ndarray) -> np.ndarray:
    """Percentile ranks in 0..1 (ties share their mean rank)."""
    from scipy.stats import rankdata

    return (rankdata(x) - 0.5) / len(x)


def figures_that_moved(
    runs: dict[str, np.ndarray], at_war: np.ndarray, prefix: str, top: int = 3
) -> list[tuple[str, float]]:
    """The sampled figures whose ranks differ most between runs at war and runs out.

    Only the power's own figures (ids starting with ``prefix``) and the model's weights
    (``diplo_``); the difference is in mean percentile rank (-1..1), at war minus out.
    """
    if at_war.sum() < 3 or (~at_war).sum() < 3:
        return []
    out = []
    for aid, x in runs.items():
        if not (aid.startswith(prefix) or aid.startswith("diplo_")) or np.ptp(x) == 0:
            continue
        r = _ranks(x)
        out.append((aid, float(r[at_war].mean() - r[~at_war].mean())))
    out.sort(key=lambda t: -abs(t[1]))
    return out[:top]


def reading_runs(runs: dict[str, np.ndarray], reading: Reading) -> np.ndarray | None:
    """Mask of the runs standing for a reading (None: the ensemble does not sample its figures)."""
    cols = [(runs[a], d) for a, d in reading.settings if a in runs and np.ptp(runs[a]) > 0]
    if len(cols) < len(reading.settings):
        return None
    score = np.mean([_ranks(x) if d > 0 else 1.0 - _ranks(x) for x, d in cols], axis=0)
    cut = np.quantile(score, 1.0 - READING_SHARE)
    return score >= cut


def _dates(con: Any) -> list[date]:
    """Up to six snapshot dates spread over the ensemble (the last included)."""
    ds = q.snapshot_dates(con)
    if len(ds) <= 6:
        return ds
    idx = np.linspace(0, len(ds) - 1, 6).round().astype(int)
    return [ds[i] for i in idx]


def section(con: Any, meta: dict[str, Any]) -> str:
    """The HTML of the section ("" when the ensemble ran without free diplomacy)."""
    tags = neutrals(meta)
    if not tags:
        return ""
    names = {p: v.get("name", p) for p, v in meta.get("powers", {}).items()}
    run_ids = [r[0] for r in con.execute("SELECT run_id FROM runs ORDER BY 1").fetchall()]
    n = len(run_ids)
    pos = {r: i for i, r in enumerate(run_ids)}
    dates = _dates(con)
    wars = first_wars(con, tags)
    cols = {r[0] for r in con.execute("DESCRIBE runs").fetchall()}
    ids = [a["id"] for a in meta.get("assumptions", []) if a["id"] in cols]
    runs: dict[str, np.ndarray] = {}
    if ids:
        sel = ", ".join(f'"{a}"' for a in ids)
        table = con.execute(f"SELECT {sel} FROM runs ORDER BY run_id").fetchnumpy()
        runs = {a: np.asarray(table[a], float) for a in ids}
    prefix = {}
    for a in meta.get("assumptions", []):
        desc = (a.get("description") or "").split()
        if a["id"].endswith("_readiness") and len(desc) == 2:
            prefix[desc[0]] = a["id"][: -len("readiness")]
    drivers = factors(con)
    out = [
        "<h2>Who joins, and why</h2>",
        f"<p>Free diplomacy decides {len(tags)} neutrals in these {n} runs (powers with "
        "diplomacy data at war with no one on the start date). Share of runs in which each is at "
        "war by each date, with its 95% Wilson interval; on which side by the last date (its "
        "first war: beside the strongest member of the side it joined, or against the power "
        "that attacked it or that it attacked); the drivers of its entries (mean weight x term, "
        "joining minus staying out, over its entries: <code>entry_factor</code> events); and "
        "the judged figures whose draws went most with its being at war (difference of mean "
        "percentile rank, runs at war minus runs out; + means high draws went with war).</p>",
        "<table><tr><th>Power</th>"
        + "".join(f"<th>{d:%d %b %Y}</th>" for d in dates)
        + "<th>Side by the last date</th><th>Drivers of its entries</th>"
        "<th>Figures that went with war</th></tr>",
    ]
    for p in tags:
        first = wars.get(p, {})
        cells = "".join(
            f"<td class='num'>{_pct(sum(1 for v in first.values() if v[0] <= d), n)}</td>"
            for d in dates
        )
        sides: dict[str, int] = {}
        for _, rel, other in first.values():
            label = f"{rel} {names.get(other, other)}"
            sides[label] = sides.get(label, 0) + 1
        side = "<br>".join(
            f"{_esc(k)}: {_pct(v, n)}" for k, v in sorted(sides.items(), key=lambda t: -t[1])
        )
        drv = drivers.get(p, [])[:3]
        drv_html = "<br>".join(f"{_esc(name)} {m:+.2f}" for name, m, _ in drv)
        if drv:
            drv_html += f" <span class='muted'>({drv[0][2]} entries)</span>"
        at_war = np.zeros(n, bool)
        for r in first:
            at_war[pos[r]] = True
        figs = figures_that_moved(runs, at_war, prefix.get(p, "?"))
        fig_html = "<br>".join(f"{_esc(a)} {d:+.2f}" for a, d in figs)
        out.append(
            f"<tr><td>{_esc(names.get(p, p))} ({_esc(p)})</td>{cells}<td>{side or 'out'}</td>"
            f"<td>{drv_html or '<span class=muted>none</span>'}</td>"
            f"<td>{fig_html or '<span class=muted>too few runs either way</span>'}</td></tr>"
        )
    out.append("</table>")
    out.append(_terms(con, names, n))
    for question in QUESTIONS:
        if question.power in tags:
            out.append(_question(question, wars.get(question.power, {}), runs, pos, n, names))
    return "\n".join(out)


def _terms(con: Any, names: dict[str, str], n: int) -> str:
    rows = con.execute(
        """
        SELECT s.actor::VARCHAR, s.target::VARCHAR, count(*), count(DISTINCT s.run_id),
               sum(CASE WHEN json_extract_string(a.details, '$.answer') = 'accepted'
                        THEN 1 ELSE 0 END),
               avg(a.value), avg(s.value)
        FROM events s JOIN events a
          ON a.run_id = s.run_id AND a.date = s.date AND a.kind = 'terms_answered'
             AND a.actor = s.target AND a.target = s.actor
        WHERE s.kind = 'terms_sought' GROUP BY 1, 2 ORDER BY 3 DESC
        """
    ).fetchall()
    if not rows:
        return "<p class='muted'>No power sought terms in these runs.</p>"
    out = [
        "<h3>Terms sought and answered</h3>",
        "<p>A losing belligerent seeks terms when its side's chance of winning, as the battles "
        "have left it, is low; the other side's strongest power accepts when the terms (its "
        "regions the other side holds) are worth more than fighting on (rules/entry.py).</p>",
        "<table><tr><th>Seeker</th><th>Answered by</th><th>times</th><th>runs</th>"
        "<th>accepted (share of runs)</th><th>mean chance of acceptance</th>"
        "<th>seeker's mean chance of winning</th></tr>",
    ]
    for seeker, answer, times, k, acc, p_acc, p_win in rows:
        out.append(
            f"<tr><td>{_esc(names.get(seeker, seeker))}</td><td>{_esc(names.get(answer, answer))}"
            f"</td><td class='num'>{times}</td><td class='num'>{k}</td>"
            f"<td class='num'>{_pct(int(acc), n)}</td><td class='num'>{p_acc:.2f}</td>"
            f"<td class='num'>{p_win:.2f}</td></tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def _question(
    question: Question,
    first: dict[int, tuple[date, str, str]],
    runs: dict[str, np.ndarray],
    pos: dict[int, int],
    n: int,
    names: dict[str, str],
) -> str:
    at_war = np.zeros(n, bool)
    beside: dict[int, str] = {}
    for r, (_, rel, other) in first.items():
        at_war[pos[r]] = True
        beside[pos[r]] = f"{rel} {names.get(other, other)}"
    out = [
        f"<h3>{_esc(question.title)}</h3>",
        f"<p>{_esc(names.get(question.power, question.power))} at war by the last date, in all "
        f"runs and under each reading (the {READING_SHARE:.0%} of runs whose draws lie furthest "
        "the reading's way on its assumptions; 95% Wilson intervals).</p>",
        "<table><tr><th>Reading</th><th>Its argument, as assumption settings</th><th>runs</th>"
        "<th>at war</th><th>on which side</th></tr>",
    ]

    def row(label: str, argument: str, mask: np.ndarray) -> str:
        k, m = int(at_war[mask].sum()), int(mask.sum())
        sides: dict[str, int] = {}
        for i in np.nonzero(mask & at_war)[0]:
            sides[beside[i]] = sides.get(beside[i], 0) + 1
        side = "<br>".join(f"{_esc(s)}: {_pct(v, m)}" for s, v in sides.items()) or "–"
        return (
            f"<tr><td>{label}</td><td>{argument}</td><td class='num'>{m}</td>"
            f"<td class='num'>{_pct(k, m)}</td><td>{side}</td></tr>"
        )

    out.append(row("All runs", "every figure drawn from its range", np.ones(n, bool)))
    for reading in question.readings:
        mask = reading_runs(runs, reading)
        settings = ", ".join(f"{a} {'high' if d > 0 else 'low'}" for a, d in reading.settings)
        argument = (
            f"<i>{_esc(reading.argument)}</i> ({_esc(reading.source)})<br>"
            f"<span class='muted'>{_esc(settings)}</span>"
        )
        if mask is None:
            out.append(
                f"<tr><td>{_esc(reading.name)}</td><td>{argument}</td><td colspan=3 "
                "class='muted'>these runs do not sample its assumptions</td></tr>"
            )
        else:
            out.append(row(_esc(reading.name), argument, mask))
    out.append("</table>")
    return "\n".join(out)
