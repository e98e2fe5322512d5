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
from twinvipers.analysis import economy as econ
from twinvipers.analysis import questions as q
from twinvipers.report.diplomacy import section as who_joins
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
.checkpoints td { vertical-align: top; } .cp { font-weight: 600; }
blockquote { margin: .3rem 0 .3rem .8rem; font-style: italic; color: #444; font-size: .85rem; }
.test { font-size: .8rem; } tr.instead td { background: #fbf7ec; font-size: .85rem; }
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


def checkpoint_regions(meta: dict[str, Any]) -> list[str]:
    """The regions the scenario's checkpoints name (taken and held tests), in their order."""
    out = []
    for c in meta.get("checkpoints") or []:
        for kind in ("taken", "held"):
            if isinstance(c.get(kind), dict) and c[kind].get("region"):
                out.append(c[kind]["region"])
    return list(dict.fromkeys(out))


def _timing(con: Any, meta: dict[str, Any]) -> str:
    cps = checkpoint_regions(meta)
    regions = list(dict.fromkeys(cps + q.key_regions(con, meta)))
    rows = q.event_timing(con, regions=regions)
    if not rows:
        return "<p class='muted'>No wars, capitulations or captures of key regions recorded.</p>"
    # The checkpoints' regions lead (what a reader came to check), then the rest by date.
    lead = [r for r in rows if r.get("region") in cps]
    rows = lead + [r for r in rows if r.get("region") not in cps][: max(0, 40 - len(lead))]
    return _img(timing_chart_png(rows), "Event dates across runs")


#: Regions named on a theatre map besides the checkpoints' and the capitals: the most valuable.
THEATRE_LABELS = 14


def _maps(con: Any, meta: dict[str, Any], dates: list[date]) -> str:
    from twinvipers.report.maps import CELL_RADIUS, draw_share_maps, theatres

    cols = {c[0] for c in con.execute("DESCRIBE regions").fetchall()}
    outline = "boundary" if "boundary" in cols else "NULL"
    vp = "vp" if "vp" in cols else "0"
    regs = con.execute(
        f"SELECT region, lon, lat, {outline}, coalesce(name, region), {vp} FROM regions "
        "WHERE kind = 'land' AND lon IS NOT NULL ORDER BY region"
    ).fetchall()
    if not regs or not dates:
        return "<p class='muted'>No land regions or control snapshots to map.</p>"
    ids = [r[0] for r in regs]
    lons = [float(r[1]) for r in regs]
    lats = [float(r[2]) for r in regs]
    names = {r[0]: r[4] for r in regs}
    # The scenario's own outlines where it gives them, else Voronoi cells clipped to land; a
    # wide radius, so that a lone point in a desert or on a plateau is not drawn as a disc.
    cells = cells_with_boundaries(
        ids, lons, lats, {r[0]: json.loads(r[3]) for r in regs if r[3]}, radius=CELL_RADIUS
    )
    camps = q.camp_of(meta)
    colors = dict(meta.get("camps") or {})
    for p, v in meta.get("powers", {}).items():
        colors.setdefault(camps.get(p, p), v.get("color", "#808080"))
    for p, v in meta.get("powers", {}).items():
        colors.setdefault(p, v.get("color", "#808080"))  # a power at war outside its camp
    # Camps on each map's date: a "neutral" at war (Finland in the Winter War) is drawn as
    # itself, not with the neutrals.
    shares = {
        d.isoformat(): q.control_shares(con, d, camps, q.at_war_on(con, d, meta)) for d in dates
    }
    capitals = [v["capital"] for v in meta.get("powers", {}).values() if v.get("capital")]
    out = []
    small = len(ids) <= 60
    png = draw_share_maps(
        ids, lons, lats, shares, colors, None, capitals=capitals, cells=cells,
        labels=names if small else None,
    )  # fmt: skip
    out.append(_img(png, "Share of runs in which each camp holds each region"))
    if small:
        return "\n".join(out)
    # Theatre maps: one around each group of the checkpoints' regions, with place names.
    where = {r: (lons[i], lats[i]) for i, r in enumerate(ids)}
    cps = [r for r in checkpoint_regions(meta) if r in where]
    by_vp = [r[0] for r in sorted(regs, key=lambda r: (-(r[5] or 0), r[0]))]
    for group, frame in theatres({r: where[r] for r in cps}):
        lon0, lat0, lon1, lat1 = frame
        inside = [r for r in by_vp if lon0 <= where[r][0] <= lon1 and lat0 <= where[r][1] <= lat1]
        named = list(dict.fromkeys(group + [c for c in capitals if c in inside]))
        named += [r for r in inside if r not in named][:THEATRE_LABELS]
        title = "Around " + ", ".join(names[r] for r in group)
        png = draw_share_maps(
            ids, lons, lats, shares, colors, None, title=title, capitals=capitals, cells=cells,
            extent=frame, labels={r: names[r] for r in named},
        )  # fmt: skip
        out.append(f"<h3>{_esc(title)}</h3>")
        out.append(
            _img(png, f"Theatre map: {title}; places: " + ", ".join(names[r] for r in named))
        )
    return "\n".join(out)


def dist_words(dist: dict[str, Any] | None) -> str:
    """An assumption's distribution in words: ``uniform 0.3 to 0.7``, ``fixed 2``."""
    if not dist:
        return ""
    g = lambda x: f"{x:.4g}"  # noqa: E731
    if "fixed" in dist:
        return f"fixed at {g(dist['fixed'])}"
    if "uniform" in dist:
        lo, hi = dist["uniform"]
        return f"uniform, {g(lo)} to {g(hi)}"
    if "triangular" in dist:
        lo, mode, hi = dist["triangular"]
        return f"triangular, {g(lo)} to {g(hi)}, most likely {g(mode)}"
    if "truncnormal" in dist:
        mean, sd, lo, hi = dist["truncnormal"]
        return f"normal, mean {g(mean)}, sd {g(sd)}, cut to {g(lo)} to {g(hi)}"
    if "choice" in dist:
        text = "one of " + ", ".join(g(x) for x in dist["choice"])
        if dist.get("weights"):
            text += " (weights " + ", ".join(g(w) for w in dist["weights"]) + ")"
        return text
    return json.dumps(dist)


def _assumptions(rows: list[dict], meta: dict[str, Any]) -> str:
    if not rows:
        return "<p class='muted'>No sampled assumptions.</p>"
    canon_mode = bool(meta.get("canon"))
    info = {a["id"]: a for a in meta.get("assumptions", [])}
    canon_values = meta.get("canon_values") or {}
    used = "Value in these runs" if canon_mode else "Drawn: min – median – max"
    out = [
        "<table class='assumptions'><tr><th>Assumption</th><th>Distribution</th>"
        f"<th>Canon value</th><th>{used}</th><th>Source</th></tr>"
    ]
    for r in rows:
        a = info.get(r["id"], {})
        canon = canon_values.get(r["id"], a.get("canon"))
        lo, med, hi = r["min"], r["median"], r["max"]
        if isinstance(lo, int | float) and lo == hi:
            drawn = f"{lo:.4g}"
        elif isinstance(med, int | float):
            drawn = f"{lo:.4g} – {med:.4g} – {hi:.4g}"
        else:
            drawn = ""
        desc = a.get("description") or ""
        out.append(
            f"<tr><td><b>{_esc(r['id'])}</b><br><span class='muted'>{_esc(desc)}</span></td>"
            f"<td>{_esc(dist_words(r.get('dist')))}</td>"
            f"<td class='num'>{'' if canon is None else f'{canon:.4g}'}</td>"
            f"<td class='num'>{_esc(drawn)}</td><td>{_esc(a.get('source') or '')}</td></tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def _decided(results_dir: Path, meta: dict[str, Any]) -> str:
    """What decided it: sensitivity indices (a sensitivity run) or PRIM boxes per checkpoint."""
    from twinvipers.analysis import claims, discovery, plausibility, sensitivity

    if not meta.get("checkpoints"):
        return ""
    head = ["<h2>What decided it</h2>"]
    if (results_dir / sensitivity.INFO).is_file():
        rows = sensitivity.analyse(results_dir, sensitivity.checkpoint_outcomes(results_dir))
        sobol = rows and rows[0]["method"] == "sobol"
        head.append(
            "<p>Sobol indices of each checkpoint (1 where met, 0 where not) over the scenario's "
            "assumptions, with 95% bootstrap intervals: <i>first</i> is the share of the "
            "variance an assumption explains alone, <i>total</i> with its interactions. What the "
            "totals leave is the engine's own chance.</p>"
            if sobol
            else "<p>Morris screening of each checkpoint: μ* is the mean absolute change in "
            "the share of runs meeting it across an assumption's range, σ its spread.</p>"
        )
        cols = ("first", "total") if sobol else ("mu_star", "sigma")
        head.append(
            "<table><tr><th>Checkpoint</th><th>Assumption</th>"
            + "".join(f"<th>{c}</th>" for c in cols)
            + "</tr>"
        )
        for r in rows:
            if sobol:
                cells = "".join(
                    f"<td class='num'>{r[c]:.2f} <span class='muted'>± {r[c + '_conf']:.2f}"
                    "</span></td>"
                    for c in cols
                )
            else:
                cells = (
                    f"<td class='num'>{r['mu_star']:.3g} <span class='muted'>± "
                    f"{r['mu_star_conf']:.2g}</span></td><td class='num'>{r['sigma']:.3g}</td>"
                )
            head.append(
                f"<tr><td>{_esc(r['outcome'])}</td><td>{_esc(r['assumption'])}</td>{cells}</tr>"
            )
        head.append("</table>")
        head.append(_img(_png_of(sensitivity.plot, rows), "Sensitivity indices per checkpoint"))
        return "\n".join(head)
    _, x, names = discovery.assumption_matrix(results_dir)
    if not names:
        return ""
    head.append(
        "<p>For each checkpoint, the box of assumption ranges where it comes true most often "
        "(PRIM: coverage is the share of the runs meeting it that fall in the box, density the "
        "share of the box's runs meeting it; each limit's quasi-p-value below 0.01) and the "
        "assumption a depth-3 decision tree leans on most. No box: no assumption decides it "
        "in these runs.</p>"
        "<table><tr><th>Checkpoint</th><th>Met</th><th>Box</th><th>Coverage</th>"
        "<th>Density</th><th>Tree: top assumption</th></tr>"
    )
    cps, context = plausibility.manifest_plan(meta)
    nodes = [claims.parse(claims.checkpoint_claim(cp)) for cp in cps]
    for cp, v in zip(cps, claims.evaluate_nodes(results_dir, nodes, context), strict=True):
        met = f"{int(v.met.sum())}/{len(v.met)}"
        if v.met.all() or not v.met.any():
            head.append(
                f"<tr><td>{_esc(cp.id)}</td><td class='num'>{met}</td>"
                "<td colspan='4' class='muted'>the same in every run</td></tr>"
            )
            continue
        box, _ = discovery.prim(x, v.met, names)
        scores, _ = discovery.tree_scores(x, v.met, names)
        top = max(scores, key=scores.get)
        if box is None:
            btext, cov, dens = "<span class='muted'>none</span>", "", ""
        else:
            btext = "; ".join(
                f"{_esc(k)} {lo:.3g}–{hi:.3g} <span class='muted'>(p {box.p_values[k]:.1g})</span>"
                for k, (lo, hi) in box.limits.items()
            )
            cov, dens = _pct(box.coverage), _pct(box.density)
        head.append(
            f"<tr><td>{_esc(cp.id)}</td><td class='num'>{met}</td><td>{btext}</td>"
            f"<td class='num'>{cov}</td><td class='num'>{dens}</td>"
            f"<td>{_esc(top)} <span class='muted'>({scores[top]:.2f})</span></td></tr>"
        )
    head.append("</table>")
    return "\n".join(head)


def _png_of(plot: Any, rows: list[dict]) -> bytes:
    """Draw with a function that writes a PNG file; return its bytes."""
    with tempfile.TemporaryDirectory() as d:
        return Path(plot(rows, Path(d) / "plot.png")).read_bytes()


def _claims(results_dir: Path, texts: list[str]) -> str:
    """The claims given to ``report --claim``, answered."""
    from twinvipers.analysis import claims

    if not texts:
        return ""
    out = [
        "<h2>Claims</h2>",
        "<table><tr><th>Claim</th><th>Runs</th><th>Share</th><th>95% interval</th>"
        "<th>True in runs</th></tr>",
    ]
    for t in texts:
        a = claims.answer(results_dir, t)
        out.append(
            f"<tr><td>{_esc(t)}</td><td class='num'>{a['runs_met']}/{a['runs']}</td>"
            f"<td class='num'>{_pct(a['share'])}</td>"
            f"<td class='num'>{_pct(a['ci_low'])}–{_pct(a['ci_high'])}</td>"
            f"<td>{_esc(', '.join(map(str, a['true_in'])))}</td></tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:,.0f}" if abs(x) >= 10 or float(x).is_integer() else f"{x:.2g}"


#: Column headings of the powers table.
POWER_HEADS = {
    "men": "men",
    "killed": "killed",
    "wounded": "wounded and sick",
    "battle": "lost in battle",
    "outside": "lost outside battle",
    "captured": "captured",
    "regions": "regions",
}


def _powers(rows: list[dict], meta: dict[str, Any], split: dict | None = None) -> str:
    if not rows:
        return "<p class='muted'>No per-power figures.</p>"
    for r in rows:
        for k in ("battle", "outside"):
            if split and r["power"] in split:
                r[k] = split[r["power"]][k]
    fields = [f for f in POWER_HEADS if f in rows[0]]
    head = "".join(f"<th>{_esc(POWER_HEADS[f])}</th>" for f in fields)
    out = [f"<table><tr><th>Power</th><th>Camp</th>{head}</tr>"]
    info = meta.get("powers", {})
    losses = [f for f in ("killed", "wounded", "captured") if f in rows[0]]
    # A power that lost no one in any run (a neutral that stayed out) has nothing to report.
    quiet = [r["power"] for r in rows if losses and all(not (r[f][2] or 0) for f in losses)]
    rows = [r for r in rows if r["power"] not in quiet]
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
    if quiet:
        out.append(
            f"<p class='muted'>Left out, with no losses in any run: {_esc(', '.join(quiet))}.</p>"
        )
    return "\n".join(out)


def _economy(con: Any, meta: dict[str, Any]) -> str:
    """The war economy: production by power and year, and oil month by month per importer."""
    if not econ.has_economy(con):
        return ""
    start, end = (_parse_date(meta.get(k)) for k in ("start", "until"))
    dates = q.snapshot_dates(con)
    start, end = start or dates[0], end or dates[-1]
    names = {p: v.get("name", p) for p, v in meta.get("powers", {}).items()}
    out = [
        "<h2>War economy</h2>",
        "<p>Tanks and aircraft delivered by each power's factories (median over the runs), by "
        "calendar year within the ensemble's dates, with the rate a year; mobilisation is the "
        "share of output spent on the war on the period's last day. Oil in thousand tons.</p>",
        "<table><tr><th>Power</th><th>Period</th><th>days</th><th>tanks</th><th>a year</th>"
        "<th>aircraft</th><th>a year</th><th>mobilisation</th></tr>",
    ]
    periods = []
    for year in range(start.year, end.year + 1):
        a, b = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        periods.append((f"{a:%d %b %Y} – {b:%d %b %Y}", date(year - 1, 12, 31), b))
    rows = {label: econ.production(con, a, b) for label, a, b in periods}
    powers = sorted({p for r in rows.values() for p, v in r.items() if v["aircraft"] or v["tanks"]})
    for p in powers:
        for label, _, _ in periods:
            v = rows[label].get(p)
            if not v or v["days"] <= 0:
                continue
            k = 365.0 / v["days"]
            out.append(
                f"<tr><td>{_esc(names.get(p, p))} ({_esc(p)})</td><td>{_esc(label)}</td>"
                f"<td class='num'>{v['days']:.0f}</td><td class='num'>{_fmt(v['tanks'])}</td>"
                f"<td class='num'>{_fmt(v['tanks'] * k)}</td>"
                f"<td class='num'>{_fmt(v['aircraft'])}</td>"
                f"<td class='num'>{_fmt(v['aircraft'] * k)}</td>"
                f"<td class='num'>{v['mobilisation']:.0%}</td></tr>"
            )
    out.append("</table>")
    for p in econ.importers(con):
        months = econ.oil_by_month(con, p)
        routes = econ.route_months(con, p)
        out.append(f"<h3>Oil: {_esc(names.get(p, p))} ({_esc(p)}), month by month</h3>")
        heads = "".join(f"<th>{_esc(r)}</th>" for r in routes)
        out.append(
            "<table><tr><th>Month</th><th>stock at its end</th><th>made</th>"
            f"<th>imported by land</th><th>by sea</th>{heads}<th>used</th>"
            "<th>fuel met (worst run)</th></tr>"
        )
        for i, m in enumerate(months):
            # A month's deliveries are recorded on the next month's first day: the last
            # month's are not (yet) known.
            cells = "".join(
                "<td class='num'>–</td>"
                if i == len(months) - 1
                else f"<td class='num'>{_fmt(routes[r].get(m['month'], 0.0))}</td>"
                for r in routes
            )
            out.append(
                f"<tr><td>{m['month']:%b %Y}</td><td class='num'>{_fmt(m['stock'])} "
                f"<span class='muted'>({_fmt(m['stock_p5'])}–{_fmt(m['stock_p95'])})</span></td>"
                f"<td class='num'>{_fmt(m['made'])}</td><td class='num'>{_fmt(m['rail'])}</td>"
                f"<td class='num'>{_fmt(m['sea'])}</td>{cells}"
                f"<td class='num'>{_fmt(m['used'])}</td><td class='num'>{m['fuel_min']:.0%}</td>"
                "</tr>"
            )
        out.append("</table>")
    out.append(
        "<p class='muted'>Routes: oil delivered along each trade route in the month (median "
        "over all runs). Sources to compare with: docs/economy.md.</p>"
    )
    return "\n".join(out)


def _when(r: dict[str, Any]) -> str:
    """The "when" cell: a date's median and quartiles, a number, or never."""
    if r["when_median"] is not None:
        if r["kind"] == "held":
            # For a held test the date is when the holder took the region: say so.
            when = f"held since {r['when_median']}"
            if r["when_q1"] != r["when_q3"]:
                when += f" <span class='muted'>({r['when_q1']} – {r['when_q3']})</span>"
            return when
        when = f"{r['when_median']} <span class='muted'>({r['when_q1']} – {r['when_q3']})</span>"
        if r["kind"] in ("capitulates", "war_lasts") and r["value_median"] is not None:
            when += f", {r['value_median']:.0f} days"
        return when
    if r["value_median"] is not None:
        return (
            f"{r['value_median']:.3g} <span class='muted'>({r['value_q1']:.3g} – "
            f"{r['value_q3']:.3g})</span>"
        )
    return "<span class='muted'>never</span>"


def _plausibility(results_dir: Path, meta: dict[str, Any]) -> str:
    """The checkpoints in words, with the seed's quote, their share, and what happened instead."""
    from twinvipers.analysis.plausibility import plausibility, what_happened_instead

    if not meta.get("checkpoints"):
        return ""
    rows = plausibility(results_dir)
    instead = what_happened_instead(results_dir)
    quotes = {c.get("id"): (c.get("quote") or "").strip() for c in meta["checkpoints"]}
    mode = (
        "in canon mode (decisions as written)" if meta.get("canon") else "with sampled assumptions"
    )
    out = [
        "<h2>Plausibility</h2>",
        f"<p>Share of runs {_esc(mode)} in which each of the scenario's checkpoints came true "
        "within its window, with its 95% Wilson interval. <i>When</i> is the median date "
        "(quartiles in brackets) over the runs in which it happened at all, in the window or "
        "not; for a casualty ratio it is the ratio itself. Below each checkpoint missed in some "
        "runs: what those runs did instead.</p>",
        "<table class='checkpoints'><tr><th>Checkpoint</th><th>Runs</th><th>Share</th>"
        "<th>95% interval</th><th></th><th>When</th></tr>",
    ]
    for r in rows:
        when = _when(r)
        if r["note"]:
            when += f" <span class='muted'>— {_esc(r['note'])}</span>"
        bar = f"<span class='bar' style='width:{100 * r['share']:.0f}px'></span>"
        quote = quotes.get(r["id"])
        words = f"<div class='cp'>{_esc(r['description'] or r['id'])}</div>"
        if quote:
            words += f"<blockquote>{_esc(quote)}</blockquote>"
        words += f"<div class='muted test'>{_esc(r['id'])}: {_esc(r['test'])}</div>"
        out.append(
            f"<tr id='cp-{_esc(r['id'])}'><td>{words}</td>"
            f"<td class='num'>{r['runs_met']}/{r['runs']}</td>"
            f"<td class='num'>{_pct(r['share'])}</td>"
            f"<td class='num'>{_pct(r['ci_low'])}–{_pct(r['ci_high'])}</td><td>{bar}</td>"
            f"<td>{when}</td></tr>"
        )
        if r["id"] in instead:
            out.append(
                f"<tr class='instead'><td colspan='6'><b>What happened instead:</b> "
                f"{_esc(instead[r['id']])}</td></tr>"
            )
    out.append("</table>")
    return "\n".join(out)


POWERS_NOTE = """
<p class='muted'>Battle casualties are booked as killed and wounded in one fixed share (the
engine parameter <code>killed_share</code>: one in four killed unless the scenario sets it). <i>Wounded and sick</i> also holds the men a force loses while short of supply
(sickness, straggling, desertion), so a badly supplied army — China's — shows many times more
wounded than killed. <i>Lost in battle</i> is what the battles cost the power itself (killed and wounded in land
battles, booked per power by the engine); <i>lost outside battle</i> is the rest of killed and wounded: supply attrition,
men falling in overrun positions, losses at sea and in landings. Prisoners are apart.</p>
"""


def _chronicles(results_dir: Path) -> str:
    """Links to the typical and the most divergent run told as timelines (issue 18)."""
    from twinvipers.report.chronicle import report_section

    return report_section(results_dir)


def _what_next(results_dir: Path) -> str:
    """The long war's questions: France, Italy, Britain, the USA, Japan, the alliance (issue 16)."""
    from twinvipers.report.whatnext import section

    return section(results_dir)


HOW_TO_READ = """
<div class='note'><b>How to read this.</b> Each run replays the scenario with its own draw of the
assumptions below and its own dice. A share is the fraction of runs in which something happened;
the 95% interval (Wilson) says how much that share could move with more runs — it says nothing
about whether the model itself is right. In the timing chart each dot is one run's first
occurrence of the event; the box spans the middle half of those runs, the line in it is the
median. On the maps a region takes the colour of the camp that held it in most runs on that date
(a power of the camp <i>neutral</i> that is at war on that date, as Finland in its Winter War, is
drawn in its own colour);
the paler the colour, the closer the call (white would be 0%), and a region held by its majority
camp in fewer than three runs in four is hatched in that camp's colour. Grey means no data. Stars mark
capitals.</div>
"""


# --------------------------------------------------------------------------- entry point


def write_report(
    results_dir: Path,
    out: Path | None = None,
    dates: list[date] | None = None,
    claims: list[str] | None = None,
) -> Path:
    """Write one self-contained HTML report of the ensemble in ``results_dir``.

    Args:
        results_dir: An ensemble results directory (``ensemble.json`` and Parquet tables).
        out: Output file (default ``results_dir / "report.html"``); written atomically.
        dates: Dates for the control-share maps (default: first, middle and last snapshot).
        claims: Claims to answer in a section of their own.

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
        _decided(results_dir, meta),
        _claims(results_dir, list(claims or [])),
        _chronicles(results_dir),
        _what_next(results_dir),
        "<h2>When things happened</h2>",
        "<p>First date of each capture of a region named by a checkpoint (at the top), then of "
        "each war declaration, capitulation and capture of a capital or a region of high value, "
        "across the runs in which it happened; the share says in how many runs it happened at "
        "all.</p>",
        _timing(con, meta),
        "<h2>Who holds what</h2>",
        "<p>Dates: " + ", ".join(_esc(d) for d in dates) + ".</p>",
        _maps(con, meta, dates),
        "<h2>Powers at the end</h2>",
        "<p>Median over the runs on each run's last day (5th–95th percentile in brackets).</p>",
        _powers(
            q.power_summary(con, fields=("men", "killed", "wounded", "captured", "regions")),
            meta,
            q.loss_split(con),
        ),
        POWERS_NOTE,
        _economy(con, meta),
        who_joins(con, meta),
        "<h2>Assumptions</h2>",
        _assumptions(q.assumption_summary(con, meta), meta),
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


# --------------------------------------------------------------------------- comparison


def write_comparison(
    a: Path, b: Path, rows: list[dict[str, Any]], out: Path, on: date | None = None
) -> Path:
    """A self-contained HTML page comparing two ensembles: the table and difference maps.

    The maps show, per camp, the share of B's runs holding each region minus A's, on ``on``
    (default: the last snapshot date both have).
    """
    from twinvipers.report.maps import draw_difference_maps

    a, b, out = Path(a), Path(b), Path(out)
    meta_a, meta_b = q.read_meta(a), q.read_meta(b)
    con_a, con_b = q.connect(a), q.connect(b)
    last = min(q.snapshot_dates(con_a)[-1], q.snapshot_dates(con_b)[-1])
    on = on or last
    camps = q.camp_of(meta_a) | q.camp_of(meta_b)
    sa, sb = q.control_shares(con_a, on, camps), q.control_shares(con_b, on, camps)
    groups = sorted({g for s in (sa, sb) for r in s.values() for g in r} - {"none"})
    regs = con_a.execute(
        "SELECT region, lon, lat FROM regions WHERE kind = 'land' AND lon IS NOT NULL "
        "ORDER BY region"
    ).fetchall()
    ids = [r[0] for r in regs]
    diffs = {
        g: {
            r: (sb.get(r) or {}).get(g, 0.0) - (sa.get(r) or {}).get(g, 0.0)
            for r in ids
            if r in sa and r in sb
        }
        for g in groups
    }
    png = draw_difference_maps(
        ids, [float(r[1]) for r in regs], [float(r[2]) for r in regs], diffs, None
    )
    table = ["<table><tr><th>Checkpoint / claim</th><th>A</th><th>B</th><th>B − A (95%)</th></tr>"]
    for r in rows:
        label = (f"<b>{_esc(r['id'])}</b><br>" if r["id"] else "") + _esc(r["claim"])
        table.append(
            f"<tr><td>{label}</td>"
            f"<td class='num'>{_pct(r['share_a'])} <span class='muted'>({_pct(r['ci_a'][0])}–"
            f"{_pct(r['ci_a'][1])})</span></td>"
            f"<td class='num'>{_pct(r['share_b'])} <span class='muted'>({_pct(r['ci_b'][0])}–"
            f"{_pct(r['ci_b'][1])})</span></td>"
            f"<td class='num'>{100 * r['difference']:+.0f} pts <span class='muted'>"
            f"({100 * r['diff_low']:+.0f} to {100 * r['diff_high']:+.0f})</span></td></tr>"
        )
    table.append("</table>")
    name_a = meta_a.get("scenario_name") or meta_a.get("scenario")
    name_b = meta_b.get("scenario_name") or meta_b.get("scenario")
    text = "\n".join(
        [
            "<!DOCTYPE html>",
            "<html lang='en'><head><meta charset='utf-8'>",
            "<title>twinvipers comparison</title>",
            f"<style>{CSS}</style></head><body>",
            f"<h1>{_esc(name_a)} against {_esc(name_b)}</h1>",
            f"<p>A: {_esc(a)} ({meta_a.get('runs')} runs). B: {_esc(b)} ({meta_b.get('runs')} "
            "runs). Each share with its 95% Wilson interval; the difference B − A in "
            "percentage points with Newcombe's 95% interval.</p>",
            *table,
            f"<h2>Who holds what: B − A on {_esc(on)}</h2>",
            _img(png, "Difference in the share of runs holding each region"),
            f"<p class='muted'>twinvipers {_esc(__version__)}, "
            f"{_esc(datetime.now().strftime('%Y-%m-%d %H:%M'))}.</p>",
            "</body></html>",
        ]
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
