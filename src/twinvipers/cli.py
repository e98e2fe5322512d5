"""The ``twinvipers`` command line: a thin face over the scenario, ensemble and report modules."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from twinvipers.scenario.errors import ScenarioError

app = typer.Typer(
    name="twinvipers",
    help="A counterfactual World War II simulator: scenarios as data, Monte Carlo ensembles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)
_STATE = {"debug": False}
MAX_RUNS = 1_000_000_000  # as ensemble.runner.MAX_RUNS (not imported here: it loads numba)
MAX_SEED = 2**63 - 1  # seeds are stored as int64


class UserError(Exception):
    """A mistake the user can fix: one clear message, exit code 2."""


@app.callback()
def _main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False):
    _STATE["debug"] = debug


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UserError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from exc


def _scenario_arg(name: str) -> str:
    p = Path(name)
    return str(p.resolve()) if p.is_dir() else name


@app.command()
def scenarios() -> None:
    """List the shipped scenarios."""
    from twinvipers.scenario.load import load, shipped_names

    for name in shipped_names():
        meta = load(name).scenario.meta
        out.print(f"{name:24s} {meta.start} → {meta.end}  {meta.name}")


@app.command()
def validate(scenario: Annotated[str, typer.Argument(help="Shipped name or folder.")]) -> None:
    """Check a scenario; print every mistake as file:line:column: field: message."""
    from twinvipers.scenario.compile import compile_scenario
    from twinvipers.scenario.load import load

    loaded = load(scenario)
    compile_scenario(loaded.scenario)
    s = loaded.scenario
    out.print(
        f"{s.meta.id}: valid — {len(s.regions)} regions, {len(s.sea_zones)} sea zones, "
        f"{len(s.powers)} powers, {len(s.forces)} forces, {len(s.events)} events, "
        f"{len(s.assumptions)} assumptions (hash {loaded.hash})"
    )


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--out", help="Write here (default stdout).")
    ] = None,
) -> None:
    """Write the scenario JSON Schema (for editor autocompletion)."""
    from twinvipers.scenario.schema import Scenario

    text = json.dumps(Scenario.model_json_schema(), indent=2)
    if output:
        output.write_text(text + "\n")
        err.print(f"wrote {output}")
    else:
        sys.stdout.write(text + "\n")


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="Shipped name or folder.")],
    runs: Annotated[
        int | None, typer.Option("--runs", "-n", min=1, max=MAX_RUNS, help="[default: 100]")
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", min=0, max=MAX_SEED, help="[default: 1]")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Stop at this date (YYYY-MM-DD).")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Processes (default: all cores).")
    ] = None,
    output: Annotated[Path, typer.Option("--out", "-o", help="Results directory.")] = Path(
        "results"
    ),
    resume: Annotated[bool, typer.Option(help="Finish an interrupted ensemble in --out.")] = False,
    force: Annotated[
        bool, typer.Option(help="Replace an existing ensemble (a folder with ensemble.json).")
    ] = False,
    sampler: Annotated[
        str | None,
        typer.Option(
            help="lhs (Latin hypercube, the default), sobol (scrambled Sobol) or mc; sobol and "
            "mc give run i the same draws for any --runs, so an ensemble can be extended."
        ),
    ] = None,
    chunk_size: Annotated[
        int | None,
        typer.Option(min=1, help="Runs per chunk (default: 64, more above 64,000 runs)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address, or 'local' for a local Dask cluster."),
    ] = None,
    canon: Annotated[
        bool, typer.Option("--canon", help="Fix every assumption that has a canon value to it.")
    ] = False,
) -> None:
    """Run a Monte Carlo ensemble of a scenario."""
    from twinvipers.ensemble.runner import Spec, default_chunk_size

    given = {
        name
        for name, value in (
            ("runs", runs),
            ("seed", seed),
            ("until", until),
            ("sampler", sampler),
            ("chunk_size", chunk_size),
        )
        if value is not None
    }
    if resume and force:
        raise UserError("give --resume (finish the ensemble) or --force (replace it), not both")
    n = 100 if runs is None else runs
    spec = Spec(
        _scenario_arg(scenario),
        n,
        1 if seed is None else seed,
        _date(until, "--until"),
        sampler or "lhs",
        chunk_size or default_chunk_size(n),
        canon,
    )
    manifest = _run_with_progress(spec, output, workers, resume, force, scheduler, given)
    rate = manifest["runs"] / manifest["wall_time_s"] if manifest["wall_time_s"] else 0
    out.print(
        f"{manifest['runs']} runs of {manifest['scenario_id']} → {output} "
        f"({manifest['wall_time_s']:.1f} s, {rate:,.0f} runs/s)"
    )


def _run_with_progress(
    spec: Any,
    output: Path,
    workers: int | None,
    resume: bool = False,
    force: bool = False,
    scheduler: str | None = None,
    given: Any = (),
) -> dict[str, Any]:
    """Run an ensemble with a progress bar on a terminal; return its manifest."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from twinvipers.ensemble.runner import run_ensemble

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("runs · {task.fields[rate]} runs/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(
            spec.scenario if len(spec.scenario) < 30 else Path(spec.scenario).name,
            total=spec.runs,
            rate="–",
        )
        start: dict[str, float] = {}

        def tick(done: int, total: int) -> None:
            import time

            now = time.perf_counter()
            start.setdefault("t", now)
            start.setdefault("d", done)
            rate = (done - start["d"]) / (now - start["t"]) if now > start["t"] else 0
            bar.update(task, completed=done, total=total, rate=f"{rate:,.0f}")

        def compiling() -> None:
            from twinvipers import COLD_COMPILE_S

            err.print(
                "Compiling the engine: the first run after installing or updating only, about "
                f"{round(COLD_COMPILE_S / 60)} minutes on 2 cores; later runs load it from the "
                "cache."
            )

        manifest = run_ensemble(
            spec,
            output,
            workers=workers,
            resume=resume,
            force=force,
            scheduler=scheduler,
            progress=tick,
            given=given,
            on_compile=compiling,
        )
    return manifest


@app.command()
def plausibility(
    scenario: Annotated[str, typer.Argument(help="Shipped name or folder (with checkpoints).")],
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, max=MAX_RUNS)] = 100,
    seed: Annotated[int, typer.Option("--seed", min=0, max=MAX_SEED)] = 1,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Processes (default: all cores).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Results directory (default results/plausibility)."),
    ] = None,
    until: Annotated[str | None, typer.Option(help="Stop at this date (YYYY-MM-DD).")] = None,
    results: Annotated[
        Path | None,
        typer.Option(help="Judge this finished ensemble instead of running one."),
    ] = None,
    canon: Annotated[
        bool, typer.Option("--canon/--sampled", help="Fix assumptions to their canon values.")
    ] = True,
    force: Annotated[bool, typer.Option(help="Replace an existing results directory.")] = False,
) -> None:
    """Run a scenario in canon mode and score each of its checkpoints over the runs."""
    from twinvipers.analysis import plausibility as pl
    from twinvipers.ensemble.runner import Spec, default_chunk_size
    from twinvipers.ensemble.store import incomplete, read_manifest
    from twinvipers.scenario.load import load

    name = _scenario_arg(scenario)
    loaded = load(name)
    checkpoints, context = pl.scenario_plan(loaded.scenario)
    if not checkpoints:
        raise UserError(f"{scenario}: the scenario has no checkpoints to judge")
    if results is not None:
        if output is not None:
            raise UserError("give --results (judge a finished ensemble) or --out, not both")
        problem = incomplete(results)
        if problem:
            raise UserError(problem)
        manifest = read_manifest(results)
        if manifest.get("scenario_id") != loaded.scenario.meta.id:
            raise UserError(
                f"{results} holds runs of {manifest.get('scenario_id')!r}, "
                f"not of {loaded.scenario.meta.id!r}"
            )
        where = results
    else:
        where = output or Path("results") / "plausibility"
        spec = Spec(
            name,
            runs,
            seed,
            _date(until, "--until"),
            chunk_size=default_chunk_size(runs),
            canon=canon,
        )
        manifest = _run_with_progress(spec, where, workers, force=force)
    rows = pl.plausibility(where, checkpoints, context)
    path = pl.write_csv(rows, where / pl.CSV_NAME)
    _print_plausibility(rows, manifest)
    out.print(f"wrote {path}")


def _print_plausibility(rows: list[dict[str, Any]], manifest: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    mode = "canon" if manifest.get("canon") else "sampled assumptions"
    t = Table(
        title=f"{manifest.get('scenario_id')}: {rows[0]['runs'] if rows else 0} runs ({mode})"
    )
    t.add_column("checkpoint (test)", overflow="fold")
    t.add_column("share", justify="right")
    t.add_column("95% interval", justify="right")
    t.add_column("when: median (quartiles)")
    for r in rows:
        if r["when_median"] is not None:
            when = f"{r['when_median']}\n({r['when_q1']} – {r['when_q3']})"
        elif r["value_median"] is not None:
            when = f"{r['value_median']:.3g} ({r['value_q1']:.3g} – {r['value_q3']:.3g})"
        else:
            when = "never"
        if r["kind"] in ("capitulates", "war_lasts") and r["value_median"] is not None:
            when += f", {r['value_median']:.0f} days"
        if r["note"]:
            when += f" [{r['note']}]"
        t.add_row(
            f"{escape(r['id'])}\n[dim]{escape(r['test'])}[/dim]",
            f"{r['runs_met']}/{r['runs']} = {100 * r['share']:.0f}%",
            f"{100 * r['ci_low']:.0f}–{100 * r['ci_high']:.0f}%",
            escape(when),
        )
    out.print(t)


@app.command()
def sql(
    results: Annotated[Path, typer.Argument(help="Results directory.")],
    query: Annotated[str, typer.Argument(help="DuckDB SQL over runs, events, control, …")],
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """Query an ensemble's results with DuckDB SQL."""
    import duckdb

    from twinvipers.ensemble.store import connect, incomplete

    problem = incomplete(results)
    if problem:
        raise UserError(problem)
    con = connect(results)
    try:
        rel = con.sql(query)
    except duckdb.Error as exc:
        raise UserError(f"query failed: {exc}") from exc
    if rel is None:
        return
    cols = rel.columns
    rows = rel.fetchall()
    if csv:
        import csv as csvmod

        w = csvmod.writer(sys.stdout, lineterminator="\n")
        w.writerow(cols)
        w.writerows(rows)
        return
    from rich.table import Table
    from rich.text import Text

    # Text cells: the data is shown as it is, never read as Rich markup.
    t = Table()
    for c in cols:
        t.add_column(Text(str(c)))
    for r in rows:
        t.add_row(*(Text("" if v is None else str(v)) for v in r))
    out.print(t)


@app.command()
def report(
    results: Annotated[Path, typer.Argument(help="Results directory.")],
    output: Annotated[Path | None, typer.Option("--out", help="HTML file.")] = None,
    dates: Annotated[str | None, typer.Option(help="Map dates, comma-separated.")] = None,
) -> None:
    """Write a self-contained HTML report of an ensemble."""
    from twinvipers.ensemble.store import incomplete
    from twinvipers.report.html import write_report

    problem = incomplete(results)
    if problem:
        raise UserError(problem)
    ds = [_date(d.strip(), "--dates") for d in dates.split(",")] if dates else None
    path = write_report(results, output, ds)
    out.print(f"wrote {path}")


@app.command()
def chronicle(
    results: Annotated[Path, typer.Argument(help="Results directory.")],
    run_id: Annotated[int | None, typer.Option("--run", help="The run to tell.")] = None,
    pick: Annotated[
        str | None,
        typer.Option(
            help="typical (default), divergent, canon-closest, or a claim: a checkpoint id "
            "(a typical run meeting it; !id: missing it). Instead of --run."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, html or bbcode.")] = "md",
    output: Annotated[
        Path | None, typer.Option("--out", help="Write here (default stdout).")
    ] = None,
    quotes: Annotated[
        bool, typer.Option(help="Add invented quotes, each marked (invented).")
    ] = False,
) -> None:
    """Tell one run as a dated timeline (Markdown, HTML or a BBCode forum post)."""
    from twinvipers.report import chronicle as chron

    if run_id is not None and pick is not None:
        raise UserError("give --run or --pick, not both")
    if fmt not in chron.FORMATS:
        raise UserError(f"--format {fmt!r}: use md, html or bbcode")
    try:
        ch = chron.build(results, run_id, pick, quotes)
    except chron.ChronicleError as exc:
        raise UserError(str(exc)) from exc
    text = chron.render(ch, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        chron.write(text, output)
        err.print(f"wrote {output} (run {ch.run_id})", markup=False)


@app.command("map")
def map_(
    scenario: Annotated[str, typer.Argument(help="Shipped name or folder.")],
    output: Annotated[Path, typer.Option("--out", help="PNG or SVG file.")],
    date: Annotated[str | None, typer.Option(help="Draw control on this date (one run).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the run drawn for a later date.")] = 1,
) -> None:
    """Draw a scenario's map: controllers on the start date, or after one run to --date."""
    import numpy as np

    from twinvipers.engine import simulate
    from twinvipers.ensemble import sampling
    from twinvipers.report.maps import draw_control_map
    from twinvipers.rules.rng import run_seeds
    from twinvipers.scenario.compile import compile_scenario
    from twinvipers.scenario.load import load

    s = load(scenario).scenario
    when = _date(date, "--date") or s.meta.start
    if output.suffix.lower() not in {".png", ".svg"}:
        raise UserError(f"--out {output}: use a .png or .svg file")
    if not s.meta.start <= when <= s.meta.end:
        raise UserError(f"--date {when} is outside the scenario ({s.meta.start} to {s.meta.end})")
    controller = {r.id: r.controller or r.owner for r in s.regions}
    if when > s.meta.start:
        c = compile_scenario(s, when)
        values = sampling.sample(c.assumptions, 1, seed)
        batch = simulate(c, c.params_for(values), run_seeds(seed, np.arange(1)))
        last = batch.history.ctrl[0, -1]
        controller = {r: c.powers[int(last[i])] for i, r in enumerate(c.regions)}
    colors = {p.id: p.color for p in s.powers}
    capitals = [p.capital for p in s.powers]
    from twinvipers.world.geometry import scenario_cells

    draw_control_map(
        [r.id for r in s.regions],
        [r.lon for r in s.regions],
        [r.lat for r in s.regions],
        [r.name for r in s.regions],
        controller,
        colors,
        output,
        title=f"{s.meta.name} — {when:%d %B %Y}",
        capitals=capitals,
        cells=scenario_cells(s),
    )
    out.print(f"wrote {output}")


@app.command("check-data")
def check_data(scenario: Annotated[str, typer.Argument(help="Shipped name or folder.")]) -> None:
    """List figures without a source and cross-check totals against stated figures."""
    from twinvipers.scenario.checks import check_data as run_checks
    from twinvipers.scenario.load import load

    findings = run_checks(load(scenario).scenario)
    for line in findings:
        out.print(str(line), markup=False, soft_wrap=True)


@app.command()
def battles(
    cdb90: Annotated[Path, typer.Argument(help="The CDB90 folder (its tidy layout).")],
    output: Annotated[Path, typer.Option("--out", help="Predictions CSV.")] = Path(
        "predictions.csv"
    ),
) -> None:
    """Predict every CDB90 battle with the land-combat model and score it."""
    from twinvipers.analysis.battles import run_battles

    if not (cdb90 / "data" / "battles.csv").exists():
        raise UserError(f"{cdb90}: not a CDB90 folder (no data/battles.csv)")
    out.print(run_battles(cdb90, output))


def main() -> None:
    """Entry point: user mistakes exit 2 with one clear message (``--debug`` for a traceback)."""
    from twinvipers.ensemble.runner import EnsembleError

    debug = "--debug" in sys.argv
    try:
        app(standalone_mode=False)
    except ScenarioError as exc:
        if debug:
            raise
        for e in exc.errors:
            err.print(str(e), markup=False, soft_wrap=True)
        n = len(exc.errors)
        err.print(f"{n} error{'s' if n != 1 else ''}", markup=False)
        sys.exit(2)
    except (UserError, EnsembleError) as exc:
        if debug:
            raise
        err.print(f"error: {exc}", markup=False, soft_wrap=True)
        sys.exit(2)
    except OSError as exc:
        if debug:
            raise
        from twinvipers.ensemble.runner import fs_message

        err.print(f"error: {fs_message(exc, Path('.'))}", markup=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted — finish with: twinvipers run ... --resume", markup=False)
        sys.exit(130)
    except typer.Abort:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - click usage errors carry their own exit codes
        # Typer may vendor its own click: recognise its usage errors by their interface.
        code = getattr(exc, "exit_code", None)
        if isinstance(exc, typer.Exit) and isinstance(code, int):
            sys.exit(code)
        if isinstance(exc, typer.TyperException) and isinstance(code, int):
            if callable(getattr(exc, "show", None)):
                exc.show()  # type: ignore[attr-defined]
            sys.exit(code)
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
