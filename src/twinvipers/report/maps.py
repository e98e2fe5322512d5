"""Maps drawn with matplotlib (Agg) from plain data: ids, points and who holds what.

The projection is plain lon/lat with the aspect set to 1/cos(mean latitude), which keeps shapes
right in the middle of the map and is honest enough for a theatre-sized view.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap, to_rgb  # noqa: E402
from matplotlib.patches import Patch, PathPatch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from twinvipers.world.geometry import land_polygons, points_bounds, region_cells  # noqa: E402

SEA = "#dce9f2"
LAND = "#efebe2"
BORDER = "#222222"
CELL_EDGE = "#ffffff"
NEUTRAL = "#cfcfcf"

Target = str | os.PathLike | Any  # a path (PNG/SVG by suffix) or a matplotlib Axes


# --------------------------------------------------------------------------- helpers


def literal(text: str) -> str:
    """Text drawn as written: a ``$`` would otherwise start matplotlib's mathematics."""
    return str(text).replace("$", r"\$")


def _ring_codes(n: int) -> list[int]:
    return [MplPath.MOVETO] + [MplPath.LINETO] * (n - 2) + [MplPath.CLOSEPOLY]


def geom_path(geom: Any) -> MplPath | None:
    """A matplotlib Path for a shapely (Multi)Polygon, holes included."""
    verts: list[np.ndarray] = []
    codes: list[int] = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            verts.append(xy)
            codes += _ring_codes(len(xy))
    if not verts:
        return None
    return MplPath(np.concatenate(verts), codes)


def _add_geom(ax: Any, geom: Any, **kw: Any) -> None:
    path = geom_path(geom)
    if path is not None:
        ax.add_patch(PathPatch(path, **kw))


def _extent(lons: Sequence[float], lats: Sequence[float], margin: float = 2.0) -> tuple:
    # Frame the main body of the map: a few far-flung outposts (Washington, Hawaii) would
    # otherwise stretch the view across an ocean.
    x, y = np.asarray(lons, float), np.asarray(lats, float)
    if len(x) >= 10:
        near = (np.abs(x[:, None] - x[None, :]) < 20) & (np.abs(y[:, None] - y[None, :]) < 20)
        keep = near.sum(axis=1) >= 3
        if keep.sum() >= 0.9 * len(x):
            x, y = x[keep], y[keep]
    return points_bounds(x, y, margin=margin)


def _setup_ax(ax: Any, extent: tuple, land: Any) -> None:
    lon0, lat0, lon1, lat1 = extent
    ax.set_facecolor(SEA)
    _add_geom(ax, land, facecolor=LAND, edgecolor="#9aa7b0", linewidth=0.4, zorder=1)
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1.0 / max(0.2, math.cos(math.radians((lat0 + lat1) / 2))))
    ax.tick_params(labelsize=7)
    ax.set_xlabel("")
    ax.set_ylabel("")


def _save(fig: Any, out: str | os.PathLike, dpi: int = 130) -> Path:
    out = Path(out)
    fmt = (out.suffix.lstrip(".") or "png").lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fig.savefig(fh, format=fmt, dpi=dpi, bbox_inches="tight")
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a map is meant to be shared
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        plt.close(fig)
    return out


def figure_png(fig: Any, dpi: int = 110) -> bytes:
    """Render a figure to PNG bytes and close it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _fig_size(extent: tuple, width: float = 8.0) -> tuple[float, float]:
    lon0, lat0, lon1, lat1 = extent
    k = math.cos(math.radians((lat0 + lat1) / 2))
    h = width * (lat1 - lat0) / max(1e-6, (lon1 - lon0) * k)
    return width, float(min(max(h, 3.0), 14.0))


def _cells_and_land(ids, lons, lats, cells, radius):
    if cells is None:
        cells = region_cells(ids, lons, lats, radius=radius)
    extent = _extent(lons, lats)
    land = land_polygons(points_bounds(lons, lats, margin=6.0))
    return cells, extent, land


# --------------------------------------------------------------------------- control map


def draw_control_map(
    ids: Sequence[str],
    lons: Sequence[float],
    lats: Sequence[float],
    names: Sequence[str] | None,
    controller_of: Mapping[str, str | None],
    colors: Mapping[str, str],
    out: Target,
    title: str = "",
    capitals: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
    cells: Mapping[str, Any] | None = None,
    radius: float = 5.0,
    show_names: bool | None = None,
) -> Path | Any:
    """Draw who controls each region.

    Args:
        ids: Land region ids.
        lons: Their points' longitudes.
        lats: Their points' latitudes.
        names: Display names (same order as ids), used for labels on small maps.
        controller_of: Region id to the tag holding it (None: nobody).
        colors: Tag to colour; tags missing here are drawn grey.
        out: A ``.png``/``.svg`` path (written atomically) or a matplotlib Axes to draw on.
        title: Figure title.
        capitals: Region ids to mark with a star.
        labels: Legend text per tag (default: the tag).
        cells: Precomputed region shapes (default: :func:`region_cells`).
        radius: Cell radius in degrees when computing cells.
        show_names: Write region names on the map (default: when there are at most 60 regions).

    Returns:
        The written path, or the Axes drawn on.
    """
    ids = list(ids)
    cells, extent, land = _cells_and_land(ids, lons, lats, cells, radius)
    own_fig = isinstance(out, (str, os.PathLike))
    if own_fig:
        wide = extent[2] - extent[0] > 60
        fig, ax = plt.subplots(figsize=_fig_size(extent, width=14.0 if wide else 8.0))
    else:
        ax, fig = out, out.figure
    _setup_ax(ax, extent, land)

    by_ctrl: dict[str | None, list] = {}
    for rid in ids:
        c = controller_of.get(rid)
        g = cells.get(rid)
        if g is None or g.is_empty:
            continue
        by_ctrl.setdefault(c, []).append(g)
        _add_geom(
            ax,
            g,
            facecolor=colors.get(c, NEUTRAL) if c else NEUTRAL,
            edgecolor=CELL_EDGE,
            linewidth=0.3,
            zorder=2,
        )
    # Thick lines only where the controller changes: the boundary of each controller's union.
    for geoms in by_ctrl.values():
        merged = shapely.union_all(geoms, grid_size=1e-6)
        _add_geom(ax, merged, facecolor="none", edgecolor=BORDER, linewidth=0.9, zorder=3)

    idx = {r: i for i, r in enumerate(ids)}
    caps = [c for c in capitals if c in idx]
    if caps:
        ax.scatter(
            [lons[idx[c]] for c in caps],
            [lats[idx[c]] for c in caps],
            marker="*",
            s=90,
            c="#ffd700",
            edgecolors="black",
            linewidths=0.6,
            zorder=5,
        )
    if show_names is None:
        show_names = len(ids) <= 60
    if show_names and names is not None:
        for i, nm in enumerate(names):
            ax.annotate(
                literal(nm),
                (lons[i], lats[i]),
                fontsize=6,
                ha="center",
                va="bottom",
                xytext=(0, 3),
                textcoords="offset points",
                zorder=6,
            )
    # dots shrink on big maps so they do not bury the colours
    ax.scatter(lons, lats, s=4 if len(ids) <= 100 else 0.6, c="black", zorder=4, linewidths=0)

    present = [c for c in dict.fromkeys(controller_of.get(r) for r in ids) if c]
    handles = [
        Patch(
            facecolor=colors.get(c, NEUTRAL),
            edgecolor=BORDER,
            label=literal((labels or {}).get(c, c)),
        )
        for c in sorted(present)
    ]
    if caps:
        handles.append(
            plt.Line2D(
                [],
                [],
                marker="*",
                color="none",
                markerfacecolor="#ffd700",
                markeredgecolor="black",
                markersize=10,
                label="capital",
            )
        )
    if len(handles) > 14:  # a long legend goes under the map in columns
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.06),
                  ncol=min(8, math.ceil(len(handles) / 4)), fontsize=7, frameon=False)  # fmt: skip
    elif handles:
        ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False
        )
    if title:
        ax.set_title(literal(title), fontsize=10)
    return _save(fig, out) if own_fig else ax


# --------------------------------------------------------------------------- share maps


#: Below this share of runs for its majority camp a region is hatched as a close call.
CONTESTED = 0.75

#: How far a region's cell may reach from its point on drawn maps, in degrees: wide, so that a
#: lone point in a desert, on a plateau or a peninsula is not drawn as a disc.
CELL_RADIUS = 15.0


def _write_labels(
    ax: Any,
    labels: Mapping[str, str],
    idx: Mapping[str, int],
    lons: Sequence[float],
    lats: Sequence[float],
    extent: tuple,
) -> None:
    """Place names beside their points, with a white halo so they read on any fill."""
    from matplotlib import patheffects

    lon0, lat0, lon1, lat1 = extent
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for rid, name in labels.items():
        if rid not in idx:
            continue
        x, y = lons[idx[rid]], lats[idx[rid]]
        if not (lon0 <= x <= lon1 and lat0 <= y <= lat1):
            continue
        ax.plot([x], [y], "o", ms=2.2, color="#222222", zorder=6)
        ax.annotate(
            literal(name), (x, y), xytext=(3, 2), textcoords="offset points", fontsize=6.5,
            color="#111111", zorder=7, path_effects=halo,
        )  # fmt: skip


def theatres(
    points: Mapping[str, tuple[float, float]], reach: float = 9.0, margin: float = 4.0
) -> list[tuple[list[str], tuple]]:
    """Group places into theatres: chains of places each within ``reach`` degrees of another.

    Distances are in degrees of arc (longitude scaled by the cosine of latitude). Returns each
    group's ids and a frame ``(lon0, lat0, lon1, lat1)`` around them, at least 14 by 10
    degrees, so that a theatre map shows the places and their neighbourhood.
    """

    def near(a: str, b: str) -> bool:
        (x0, y0), (x1, y1) = points[a], points[b]
        k = math.cos(math.radians((y0 + y1) / 2))
        return math.hypot((x1 - x0) * k, y1 - y0) <= reach

    groups: list[list[str]] = []
    for rid in points:
        joined = [g for g in groups if any(near(rid, r) for r in g)]
        merged = [r for g in joined for r in g] + [rid]
        groups = [g for g in groups if g not in joined] + [merged]
    order = {r: i for i, r in enumerate(points)}
    groups.sort(key=lambda g: min(order[r] for r in g))
    out = []
    for g in groups:
        g.sort(key=order.__getitem__)
        xs = [points[r][0] for r in g]
        ys = [points[r][1] for r in g]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        half_w = max((max(xs) - min(xs)) / 2 + margin, 7.0)
        half_h = max((max(ys) - min(ys)) / 2 + margin, 5.0)
        out.append((g, (cx - half_w, cy - half_h, cx + half_w, cy + half_h)))
    return out


def _blend(color: str, share: float) -> tuple[float, float, float]:
    """Mix a colour with white: share 1 gives the colour, share 0 gives white."""
    r, g, b = to_rgb(color)
    s = float(np.clip(share, 0.0, 1.0))
    return (1 - s + s * r, 1 - s + s * g, 1 - s + s * b)


def draw_share_maps(
    ids: Sequence[str],
    lons: Sequence[float],
    lats: Sequence[float],
    shares_by_date: Mapping[date | str, Mapping[str, Mapping[str, float]]],
    camp_colors: Mapping[str, str],
    out: str | os.PathLike | None,
    title: str = "",
    capitals: Sequence[str] = (),
    cells: Mapping[str, Any] | None = None,
    radius: float = 5.0,
    ncols: int | None = None,
    extent: tuple | None = None,
    labels: Mapping[str, str] | None = None,
) -> Path | bytes:
    """One panel per date: each region in its majority camp's colour, paler when less certain.

    The fill is the majority camp's colour mixed with white in proportion to that camp's share of
    runs, so a solid colour means "held by that camp in every run" and a pale one "held in a bare
    majority". Regions with no data are grey. A colour bar per camp shows the scale.

    Args:
        ids: Land region ids.
        lons: Their points' longitudes.
        lats: Their points' latitudes.
        shares_by_date: ``{date: {region: {camp: share}}}`` as from
            :func:`twinvipers.analysis.questions.control_shares`.
        camp_colors: Camp to colour.
        out: ``.png``/``.svg`` path, or None to return PNG bytes (for embedding).
        title: Figure title.
        capitals: Region ids to mark with a star.
        cells: Precomputed region shapes.
        radius: Cell radius when computing cells.
        ncols: Panels per row (default: up to 3).
        extent: ``(lon0, lat0, lon1, lat1)`` to draw (a theatre); default, the whole map.
        labels: Region id to the place name written beside its point.

    Returns:
        The written path, or PNG bytes when ``out`` is None.
    """
    ids = list(ids)
    idx = {r: i for i, r in enumerate(ids)}  # into lons and lats, before any filtering
    cells, whole, land = _cells_and_land(ids, lons, lats, cells, radius)
    if extent is not None:
        # A theatre: draw only the cells in its frame (drawing the world's is most of the time).
        lon0, lat0, lon1, lat1 = extent
        ids = [
            r
            for r in ids
            if (g := cells.get(r)) is not None
            and not g.is_empty
            and g.bounds[0] <= lon1
            and g.bounds[2] >= lon0
            and g.bounds[1] <= lat1
            and g.bounds[3] >= lat0
        ]
    extent = extent or whole
    dates = list(shares_by_date)
    npan = max(1, len(dates))
    wide = extent[2] - extent[0] > 60  # a world map: one panel per row, full width
    ncols = ncols or (1 if wide else min(3, npan))
    nrows = math.ceil(npan / ncols)
    w, h = _fig_size(extent, width=12.0 if wide else 5.0)
    fig, axes = plt.subplots(nrows, ncols, figsize=(w * ncols, h * nrows + 1.1), squeeze=False)
    caps = [c for c in capitals if c in idx]
    camps_seen: set[str] = set()
    for k, ax in enumerate(axes.flat):
        if k >= npan:
            ax.set_visible(False)
            continue
        d = dates[k]
        shares = shares_by_date[d]
        _setup_ax(ax, extent, land)
        majority: dict[str, str] = {}
        for rid in ids:
            g = cells.get(rid)
            if g is None or g.is_empty:
                continue
            s = shares.get(rid) or {}
            if s:
                camp, share = max(s.items(), key=lambda kv: (kv[1], kv[0]))
                camps_seen.add(camp)
                majority[rid] = camp
                face = _blend(camp_colors.get(camp, "#808080"), share)
            else:
                face = to_rgb(NEUTRAL)
            _add_geom(ax, g, facecolor=face, edgecolor="#888888", linewidth=0.25, zorder=2)
            if s and share < CONTESTED:
                # Pale tints of two camps look alike: hatch a close call in the majority's own
                # colour, so whose it is and that it is close both show.
                _add_geom(
                    ax, g, facecolor="none", edgecolor=camp_colors.get(camp, "#808080"),
                    hatch="////", linewidth=0.0, zorder=2,
                )  # fmt: skip
        groups: dict[str, list] = {}
        for rid, camp in majority.items():
            groups.setdefault(camp, []).append(cells[rid])
        for geoms in groups.values():
            merged = shapely.union_all(geoms, grid_size=1e-6)
            _add_geom(ax, merged, facecolor="none", edgecolor=BORDER, linewidth=0.7, zorder=3)
        if caps:
            ax.scatter(
                [lons[idx[c]] for c in caps],
                [lats[idx[c]] for c in caps],
                marker="*",
                s=50,
                c="#ffd700",
                edgecolors="black",
                linewidths=0.5,
                zorder=5,
            )
        if labels:
            _write_labels(ax, labels, idx, lons, lats, extent)
        ax.set_title(str(d), fontsize=9)

    camps = [c for c in camp_colors if c in camps_seen] or list(camp_colors)
    if camps:
        # One slim colour bar per camp just under the maps: white (0%) to the camp colour (100%).
        # Maps keep their aspect, so find where they really ended up before placing the bars.
        fig.subplots_adjust(bottom=1.0 / fig.get_size_inches()[1], top=0.9 if title else 0.95)
        bottoms = []
        for ax in axes.flat:
            if ax.get_visible():
                ax.apply_aspect()
                bottoms.append(ax.get_position().y0)
        fig_h = fig.get_size_inches()[1]
        y = max(0.01, min(bottoms) - 0.8 / fig_h)  # under the tick labels, in inches
        slot = 0.8 / len(camps)
        for j, camp in enumerate(camps):
            cax = fig.add_axes([0.1 + j * slot + 0.1 * slot, y, 0.8 * slot, 0.015])
            cmap = LinearSegmentedColormap.from_list(camp, ["#ffffff", camp_colors[camp]])
            cb = fig.colorbar(plt.cm.ScalarMappable(cmap=cmap), cax=cax, orientation="horizontal")
            cb.set_ticks([0, 0.5, 1])
            cb.set_ticklabels(["0%", "50%", "100%"])
            cb.ax.tick_params(labelsize=6)
            cb.ax.set_title(literal(f"{camp}: share of runs"), fontsize=7)
    if title:
        tops = []
        for ax in axes.flat:
            if ax.get_visible():
                ax.apply_aspect()
                tops.append(ax.get_position().y1)
        fig.suptitle(
            literal(title), fontsize=11, y=min(0.99, max(tops) + 0.5 / fig.get_size_inches()[1])
        )
    if out is None:
        return figure_png(fig)
    return _save(fig, out)


def draw_difference_maps(
    ids: Sequence[str],
    lons: Sequence[float],
    lats: Sequence[float],
    diffs: Mapping[str, Mapping[str, float]],
    out: str | os.PathLike | None,
    title: str = "",
    cells: Mapping[str, Any] | None = None,
    radius: float = 5.0,
) -> Path | bytes:
    """One panel per group (a camp): each region coloured by a difference of shares, B − A.

    ``diffs`` is ``{group: {region: difference}}`` with differences in [-1, 1]: red where the
    group holds the region in more of B's runs, blue where in fewer, white where alike; grey
    where there is no data.
    """
    ids = list(ids)
    cells, extent, land = _cells_and_land(ids, lons, lats, cells, radius)
    groups = list(diffs)
    npan = max(1, len(groups))
    wide = extent[2] - extent[0] > 60
    ncols = 1 if wide else min(3, npan)
    nrows = math.ceil(npan / ncols)
    w, h = _fig_size(extent, width=12.0 if wide else 5.0)
    fig, axes = plt.subplots(nrows, ncols, figsize=(w * ncols, h * nrows + 1.0), squeeze=False)
    cmap = plt.get_cmap("RdBu_r")
    for k, ax in enumerate(axes.flat):
        if k >= npan:
            ax.set_visible(False)
            continue
        grp = groups[k]
        _setup_ax(ax, extent, land)
        for rid in ids:
            g = cells.get(rid)
            if g is None or g.is_empty:
                continue
            d = diffs[grp].get(rid)
            face = to_rgb(NEUTRAL) if d is None else cmap(0.5 + 0.5 * float(np.clip(d, -1, 1)))
            _add_geom(ax, g, facecolor=face, edgecolor="#888888", linewidth=0.25, zorder=2)
        ax.set_title(literal(f"{grp}: B − A"), fontsize=9)
    fig.subplots_adjust(bottom=0.9 / fig.get_size_inches()[1], top=0.9 if title else 0.95)
    cax = fig.add_axes([0.3, 0.25 / fig.get_size_inches()[1], 0.4, 0.02])
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(-1, 1))
    cb = fig.colorbar(sm, cax=cax, orientation="horizontal")
    cb.set_ticks([-1, -0.5, 0, 0.5, 1])
    cb.set_ticklabels(["−100%", "−50%", "0", "+50%", "+100%"])
    cb.ax.tick_params(labelsize=6)
    cb.ax.set_title("difference in the share of runs holding the region", fontsize=7)
    if title:
        fig.suptitle(literal(title), fontsize=11)
    if out is None:
        return figure_png(fig)
    return _save(fig, out)
