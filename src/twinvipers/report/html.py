"""One self-contained HTML report of an ensemble, read only from its results directory.

Everything is inline: CSS in a ``<style>`` block, charts and maps as base64 PNG ``data:`` URIs,
no scripts, no fonts, no links to fetch. The file opens offline and can be mailed as is.
"""

from __future__ import annotations

import base64
import html
import json
import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from twinvipers import __version__
from twinvipers.analysis import questions as q
from twinvipers.world.geometry import cells_with_boundaries

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
       max-width: 1100px; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem;
     border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.meta { color: #555; font-size: .9rem; }
.meta span { margin-right: 1.2rem; white-space: nowrap; }
table { border-collapse: collapse; font-size: .9rem; margin: .5rem 0; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #e5e5e5; text-align: left; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; height: .7rem; background: #6b8fb5; vertical-align: middle; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
.note { background: #f8f8f4; border-left: 3px solid #c9b458; padding: .6rem 1rem; font-size: .9rem; }
.muted { color: #888; }
"""


def _esc(x: object) -> str:
    return html.escape("" if x is None else str(x))


def _img(png: bytes, alt: str) -> str:
    b64 = base64.b64encode(png).decode("ascii")
    return f'<img alt="{_esc(alt)}" src="data:image/png;base64,{b64}">'


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%" if x >= 0.1 or x == 0 else f"{100 * x:.1f}%"


def _parse_date(x: Any) -> date | None:
    if x is None or isinstance(x, date):
        return x
    return date.fromisoformat(str(x)[:10])


# --------------------------------------------------------------------------- sections


def _header(meta: dict[str, Any], n: int) -> str:
    name = meta.get("scenario_name") or meta.get("scenario") or "Ensemble"
    wall = meta.get("wall_time_s")
    items = [
        ("scenario", f"{meta.get('scenario', '?')} ({str(meta.get('scenario_hash', ''))[:12]})"),
        ("runs", f"{n}" + (f" of {meta['runs']}" if meta.get("runs") not in (None, n) else "")),
        ("base seed", meta.get("seed")),
        ("dates", f"{meta.get('start', '?')} → {meta.get('end', '?')}"),
        ("sampler", meta.get("sampler")),
        (
            "mode",
            "canon (assumptions with a canon value fixed to it)" if meta.get("canon") else None,
        ),
        ("wall time", f"{wall:.1f} s" if isinstance(wall, int | float) else "?"),
        ("status", meta.get("status")),
        ("engine version", meta.get("version")),
        ("report by", f"twinvipers {__version__}"),
    ]
    spans = "".join(f"<span><b>{_esc(k)}:</b> {_esc(v)}</span>" for k, v in items if v is not None)
    return f"<h1>{_esc(name)}</h1>\n<p class='meta'>{spans}</p>"


def _outcomes(rows: list[dict]) -> str:
    if not rows:
        return "<p class='muted'>No capitulation or peace happened in any run.</p>"
    out = [
        "<table><tr><th>Outcome</th><th>Runs</th><th>Share</th><th>95% interval</th>"
        "<th></th><th>Earliest</th><th>Median date</th><th>Latest</th></tr>"
    ]
    for r in rows:
        bar = f"<span class='bar' style='width:{100 * r['share']:.0f}px'></span>"
        out.append(
            f"<tr><td>{_esc(r['label'])}</td><td class='num'>{r['k']}/{r['n']}</td>"
            f"<td class='num'>{_pct(r['share'])}</td>"
            f"<td class='num'>{_pct(r['lo'])}–{_pct(r['hi'])}</td><td>{bar}</td>"
            f"<td>{_esc(r['first'])}</td><td>{_esc(r['median'])}</td><td>{_esc(r['last'])}</td></tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def _horizontal_kw() -> dict[str, Any]:
    import matplotlib

    # matplotlib 3.10 replaced boxplot(vert=False) with orientation="horizontal"
    major, minor = (int(x) for x in matplotlib.__version__.split(".")[:2])
    return {"orientation": "horizontal"} if (major, minor) >= (3, 10) else {"vert": False}


def timing_chart_png(rows: list[dict], title: str = "") -> bytes:
    """A strip-and-box plot of event dates per label (one row per label), as PNG bytes."""
    import matplotlib.dates as mdates
    import numpy as np

    from twinvipers.report.maps import figure_png, literal, plt

    _HORIZONTAL = _horizontal_kw()  # noqa: N806
    rows = rows[::-1]  # first events at the top
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(rows) + 1.2))
    rng = np.random.default_rng(0)  # fixed jitter: the same results give the same picture
    for i, r in enumerate(rows):
        x = np.array([mdates.date2num(d) for d in r["dates"]])
        ax.boxplot(
            [x], positions=[i], **_HORIZONTAL, widths=0.55, showfliers=False, patch_artist=True,
            boxprops={"facecolor": "#dfe8f1", "edgecolor": "#6b8fb5"},
            medianprops={"color": "#1f3b5a"}, whiskerprops={"color": "#6b8fb5"},
            capprops={"color": "#6b8fb5"},
        )  # fmt: skip
        y = i + rng.uniform(-0.18, 0.18, len(x))
        ax.scatter(x, y, s=9, color="#1f3b5a", alpha=0.55, zorder=3, linewidths=0)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(
        [literal(f"{r['label']}  ({_pct(r['share'])} of runs)") for r in rows], fontsize=8
    )
    ax.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_ylim(-0.7, len(rows) - 0.3)
    if title:
        ax.set_title(literal(title), fontsize=10)
    return figure_png(fig)


def _timing(con: Any, meta: dict[str, Any]) -> str:
    regions = q.key_regions(con, meta)
    rows = q.event_timing(con, regions=regions)
    if not rows:
        return "<p class='muted'>No wars, capitulations or captures of key regions recorded.</p>"
    rows = rows[:40]  # keep the chart legible
    return _img(timing_chart_png(rows), "Event dates across runs")


def _maps(con: Any, meta: dict[str, Any], dates: list[date]) -> str:
    from twinvipers.report.maps import draw_share_maps

    cols = {c[0] for c in con.execute("DESCRIBE regions").fetchall()}
    outline = "boundary" if "boundary" in cols else "NULL"
    regs = con.execute(
        f"SELECT region, lon, lat, {outline} FROM regions "
        "WHERE kind = 'land' AND lon IS NOT NULL ORDER BY region"
    ).fetchall()
    if not regs or not dates:
        return "<p class='muted'>No land regions or control snapshots to map.</p>"
    ids = [r[0] for r in regs]
    lons = [float(r[1]) for r in regs]
    lats = [float(r[2]) for r in regs]
    # The scenario's own outlines where it gives them, Voronoi cells elsewhere.
    cells = cells_with_boundaries(ids, lons, lats, {r[0]: json.loads(r[3]) for r in regs if r[3]})
    camps = q.camp_of(meta)
    colors = dict(meta.get("camps") or {})
    for p, v in meta.get("powers", {}).items():
        colors.setdefault(camps.get(p, p), v.get("color", "#808080"))
    shares = {d.isoformat(): q.control_shares(con, d, camps) for d in dates}
    capitals = [v["capital"] for v in meta.get("powers", {}).values() if v.get("capital")]
    png = draw_share_maps(ids, lons, lats, shares, colors, None, capitals=capitals, cells=cells)
    return _img(png, "Share of runs in which each camp holds each region")


def _assumptions(rows: list[dict]) -> str:
    if not rows:
        return "<p class='muted'>No sampled assumptions.</p>"
    out = [
        "<table><tr><th>Assumption</th><th>Distribution</th><th>Min</th><th>Median</th>"
        "<th>Max</th></tr>"
    ]
    for r in rows:
        dist = r.get("dist")
        dtext = json.dumps(dist, separators=(", ", ": ")) if dist else ""
        cells = "".join(
            f"<td class='num'>{r[k]:.4g}</td>" if isinstance(r[k], int | float) else "<td></td>"
            for k in ("min", "median", "max")
        )
        out.append(f"<tr><td>{_esc(r['id'])}</td><td><code>{_esc(dtext)}</code></td>{cells}</tr>")
    out.append("</table>")
    return "\n".join(out)


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:,.0f}" if abs(x) >= 10 or float(x).is_integer() else f"{x:.2g}"


def _powers(rows: list[dict], meta: dict[str, Any]) -> str:
    if not rows:
        return "<p class='muted'>No per-power figures.</p>"
    fields = [f for f in ("men", "killed", "wounded", "captured", "regions") if f in rows[0]]
    head = "".join(f"<th>{_esc(f)}</th>" for f in fields)
    out = [f"<table><tr><th>Power</th><th>Camp</th>{head}</tr>"]
    info = meta.get("powers", {})
    for r in rows:
        p = info.get(r["power"], {})
        cells = "".join(
            f"<td class='num'>{_fmt(r[f][1])} <span class='muted'>({_fmt(r[f][0])}–"
            f"{_fmt(r[f][2])})</span></td>"
            for f in fields
        )
        name = f"{p.get('name', r['power'])} ({r['power']})"
        out.append(f"<tr><td>{_esc(name)}</td><td>{_esc(p.get('camp', ''))}</td>{cells}</tr>")
    out.append("</table>")
    return "\n".join(out)


def _plausibility(results_dir: Path, meta: dict[str, Any]) -> str:
    """The checkpoints table, or nothing when the scenario has none."""
    from twinvipers.analysis.plausibility import plausibility

    if not meta.get("checkpoints"):
        return ""
    rows = plausibility(results_dir)
    mode = (
        "in canon mode (decisions as written)" if meta.get("canon") else "with sampled assumptions"
    )
    out = [
        "<h2>Plausibility</h2>",
        f"<p>Share of runs {_esc(mode)} in which each of the scenario's checkpoints came true "
        "within its window, with its 95% Wilson interval. <i>When</i> is the median date "
        "(quartiles in brackets) over the runs in which it happened at all, in the window or "
        "not; for a casualty ratio it is the ratio itself.</p>",
        "<table><tr><th>Checkpoint</th><th>Test</th><th>Runs</th><th>Share</th>"
        "<th>95% interval</th><th></th><th>When</th></tr>",
    ]
    for r in rows:
        if r["when_median"] is not None:
            when = (
                f"{r['when_median']} <span class='muted'>({r['when_q1']} – {r['when_q3']})</span>"
            )
            if r["kind"] in ("capitulates", "war_lasts") and r["value_median"] is not None:
                when += f", {r['value_median']:.0f} days"
        elif r["value_median"] is not None:
            when = (
                f"{r['value_median']:.3g} <span class='muted'>({r['value_q1']:.3g} – "
                f"{r['value_q3']:.3g})</span>"
            )
        else:
            when = "<span class='muted'>never</span>"
        if r["note"]:
            when += f" <span class='muted'>— {_esc(r['note'])}</span>"
        bar = f"<span class='bar' style='width:{100 * r['share']:.0f}px'></span>"
        out.append(
            f"<tr><td title='{_esc(r['description'])}'>{_esc(r['id'])}</td>"
            f"<td>{_esc(r['test'])}</td><td class='num'>{r['runs_met']}/{r['runs']}</td>"
            f"<td class='num'>{_pct(r['share'])}</td>"
            f"<td class='num'>{_pct(r['ci_low'])}–{_pct(r['ci_high'])}</td><td>{bar}</td>"
            f"<td>{when}</td></tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def _chronicles(results_dir: Path) -> str:
    """Links to the typical and the most divergent run told as timelines (issue 18)."""
    from twinvipers.report.chronicle import report_section

    return report_section(results_dir)


HOW_TO_READ = """
<div class='note'><b>How to read this.</b> Each run replays the scenario with its own draw of the
assumptions below and its own dice. A share is the fraction of runs in which something happened;
the 95% interval (Wilson) says how much that share could move with more runs — it says nothing
about whether the model itself is right. In the timing chart each dot is one run's first
occurrence of the event; the box spans the middle half of those runs, the line in it is the
median. On the maps a region takes the colour of the camp that held it in most runs on that date;
the paler the colour, the closer the call (white would be 0%). Grey means no data. Stars mark
capitals.</div>
"""


# --------------------------------------------------------------------------- entry point


def write_report(
    results_dir: Path, out: Path | None = None, dates: list[date] | None = None
) -> Path:
    """Write one self-contained HTML report of the ensemble in ``results_dir``.

    Args:
        results_dir: An ensemble results directory (``ensemble.json`` and Parquet tables).
        out: Output file (default ``results_dir / "report.html"``); written atomically.
        dates: Dates for the control-share maps (default: first, middle and last snapshot).

    Returns:
        The path written.
    """
    results_dir = Path(results_dir)
    out = Path(out) if out is not None else results_dir / "report.html"
    meta = q.read_meta(results_dir)
    con = q.connect(results_dir)
    n = q.n_runs(con)
    dates = [_parse_date(d) for d in dates] if dates else q.default_dates(con)

    parts = [
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        f"<title>{_esc(meta.get('scenario_name') or meta.get('scenario'))} — twinvipers report</title>",
        f"<style>{CSS}</style></head><body>",
        _header(meta, n),
        HOW_TO_READ,
        "<h2>Outcomes</h2>",
        _outcomes(q.outcome_shares(con)),
        _plausibility(results_dir, meta),
        _chronicles(results_dir),
        "<h2>When things happened</h2>",
        "<p>First date of each war declaration, capitulation and capture of a capital or key region, "
        "across the runs in which it happened.</p>",
        _timing(con, meta),
        "<h2>Who holds what</h2>",
        "<p>Dates: " + ", ".join(_esc(d) for d in dates) + ".</p>",
        _maps(con, meta, dates),
        "<h2>Powers at the end</h2>",
        "<p>Median over the runs on each run's last day (5th–95th percentile in brackets).</p>",
        _powers(
            q.power_summary(con, fields=("men", "killed", "wounded", "captured", "regions")), meta
        ),
        "<h2>Sampled assumptions</h2>",
        _assumptions(q.assumption_summary(con, meta)),
        f"<p class='muted'>Generated {_esc(datetime.now().strftime('%Y-%m-%d %H:%M'))} "
        f"from {_esc(results_dir.name)}.</p>",
        "</body></html>",
    ]
    text = "\n".join(parts)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is meant to be shared
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
