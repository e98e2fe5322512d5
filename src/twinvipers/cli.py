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


class InterruptedRunError(Exception):
    """Ctrl-C during a run: exit code 130 with the command that finishes the ensemble."""


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
    note = base_note(s)
    if note:
        err.print(f"note: {note}", markup=False, soft_wrap=True)


def base_note(s: Any) -> str | None:
    """A hint when a scenario extends a base that scripts no decisions.

    A base like ``world_1939`` holds the world but no mobilisation or deployments; a what-if
    built on it alone leaves the armies in their peacetime places. The shipped scenarios that
    extend the same base and script them are the usual starting point.
    """
    from twinvipers.scenario.load import load, shipped_names

    base = s.meta.extends
    if not base or Path(base).name not in shipped_names():
        return None
    base = Path(base).name
    if load(base).scenario.events:
        return None
    fuller = [
        n
        for n in shipped_names()
        if n not in (base, s.meta.id)
        and (load(n).scenario.meta.extends or "").rstrip("/").split("/")[-1] == base
        and load(n).scenario.events
    ]
    if not fuller:
        return None
    return (
        f"{base} scripts no decisions: no mobilisation, no deployments, no wars declared. "
        f"The shipped scenarios that add them on the same base: {', '.join(fuller)}; a what-if "
        "usually extends one of those and replaces or adds events by id."
    )


@app.command()
def ids(
    scenario: Annotated[str, typer.Argument(help="Shipped name or folder.")],
    text: Annotated[
        str | None, typer.Argument(help="Show only ids or names containing this text.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="region, sea_zone, power, force, fleet, leader, treaty, event or assumption."
        ),
    ] = None,
) -> None:
    """Look up the ids a scenario file may name (regions, powers, forces, treaties, …)."""
    from twinvipers.scenario.load import load
    from twinvipers.scenario.references import IDS_KINDS, scenario_ids

    if kind is not None and kind not in IDS_KINDS:
        raise UserError(f"--kind {kind!r}: choose one of {', '.join(IDS_KINDS)}")
    needle = (text or "").lower()
    found = [
        (k, i, label)
        for k, i, label in scenario_ids(load(scenario).scenario)
        if (kind is None or k == kind) and (needle in i.lower() or needle in label.lower())
    ]
    for k, i, label in found:
        out.print(f"{k:<10} {i:<28} {label}", markup=False, soft_wrap=True)
    if not found:
        raise UserError(
            f"no {kind or 'id'} matches {text!r} in {scenario}" if text else "nothing to list"
        )


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write here (default stdout); a folder gets one schema per scenario file.",
        ),
    ] = None,
) -> None:
    """Write JSON Schemas for editors: the whole scenario, or one per file into a folder.

    A folder receives ``meta.schema.json``, ``events.schema.json``, … — each describes one
    scenario file (``events.yaml``, or any file in an ``events/`` folder), so an editor can
    attach it by file name (VS Code's ``yaml.schemas``, a ``# yaml-language-server:
    $schema=…`` line).
    """
    from twinvipers.scenario.schema import Scenario, file_schemas

    if output is not None and (output.is_dir() or output.suffix == ""):
        output.mkdir(parents=True, exist_ok=True)
        for name, body in file_schemas().items():
            (output / f"{name}.schema.json").write_text(json.dumps(body, indent=2) + "\n")
        err.print(f"wrote {len(file_schemas())} schemas, one per scenario file, to {output}")
        return
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
    free_from: Annotated[
        str | None,
        typer.Option(
            "--free-from",
            help="Free mode from this date (YYYY-MM-DD): the high commands make the operational "
            "and strategic decisions the scripts made (war and peace stay scripted). Default: "
            "the scenario's diverges, if any.",
        ),
    ] = None,
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
            ("free_from", free_from),
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
        _date(free_from, "--free-from"),
    )
    manifest = _run_with_progress(spec, output, workers, resume, force, scheduler, given)
    rate = manifest["runs"] / manifest["wall_time_s"] if manifest["wall_time_s"] else 0
    out.print(
        f"{manifest['runs']} runs of {manifest['scenario_id']} → {output} "
        f"({manifest['wall_time_s']:.1f} s, {rate:,.3g} runs/s)"
    )


class _Progress:
    """Runs done, the rate and the ETA, measured from the first run after any compile.

    On a terminal a Rich bar moves per run; elsewhere (a CI log, a pipe) a plain line is
    printed every ``every`` seconds and at the end.
    """

    def __init__(self, label: str, every: float = 10.0) -> None:
        self.label, self.every = label, every
        self.t0: float | None = None
        self.d0 = 0
        self.printed = -1e9
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> _Progress:
        if err.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("runs · {task.fields[rate]} runs/s · ETA {task.fields[eta]}"),
                console=err,
            )
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def rate_eta(self, done: int, total: int) -> tuple[str, str]:
        """The rate since the first tick and the time left at that rate, as text."""
        import time

        now = time.perf_counter()
        if self.t0 is None:
            self.t0, self.d0 = now, done
        runs, secs = done - self.d0, now - self.t0
        if runs <= 0 or secs <= 0:
            return "–", "–"
        rate = runs / secs
        left = int(round((total - done) / rate))
        return f"{rate:,.1f}", f"{left // 3600}:{left // 60 % 60:02d}:{left % 60:02d}"

    def __call__(self, done: int, total: int) -> None:
        import time

        rate, eta = self.rate_eta(done, total)
        if self.bar is not None:
            if self.task is None:
                self.task = self.bar.add_task(self.label, total=total, rate=rate, eta=eta)
            self.bar.update(self.task, completed=done, total=total, rate=rate, eta=eta)
            return
        now = time.perf_counter()
        if now - self.printed >= self.every or done == total:
            self.printed = now
            err.print(
                f"{self.label}: {done}/{total} runs ({100 * done / total:.0f}%) · {rate} runs/s "
                f"· ETA {eta}",
                markup=False,
            )


def _run_with_progress(
    spec: Any,
    output: Path,
    workers: int | None,
    resume: bool = False,
    force: bool = False,
    scheduler: str | None = None,
    given: Any = (),
    design: Any = None,
) -> dict[str, Any]:
    """Run an ensemble with progress per run (a bar on a terminal); return its manifest."""
    from twinvipers.ensemble.runner import run_ensemble

    def compiling() -> None:
        from twinvipers import COLD_COMPILE_S

        err.print(
            "Compiling the engine: the first run after installing or updating only, about "
            f"{round(COLD_COMPILE_S / 60)} minutes on 2 cores; later runs load it from the "
            "cache.",
            markup=False,
        )

    label = spec.scenario if len(spec.scenario) < 30 else Path(spec.scenario).name
    try:
        with _Progress(label) as tick:
            return run_ensemble(
                spec,
                output,
                workers=workers,
                resume=resume,
                force=force,
                scheduler=scheduler,
                progress=tick,
                given=given,
                on_compile=compiling,
                design=design,
            )
    except KeyboardInterrupt:
        canon = " --canon" if spec.canon else ""
        raise InterruptedRunError(
            f"the runs finished so far are kept in {output}; resume with --resume: "
            f"twinvipers run {spec.scenario}{canon} --resume --out {output}"
        ) from None


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
def ask(
    results: Annotated[Path, typer.Argument(help="Results directory.")],
    claim: Annotated[
        str, typer.Argument(help="A claim, e.g. 'warsaw held by GER on 1939-10-01', or a measure.")
    ],
) -> None:
    """Answer a claim over an ensemble: share of runs, 95% interval, example runs."""
    import numpy as np

    from twinvipers.analysis import claims as cl
    from twinvipers.ensemble.store import incomplete

    problem = incomplete(results)
    if problem:
        raise UserError(problem)
    try:
        if cl.is_measure(claim):
            ids, v = cl.measure(results, claim)
            ok = ~np.isnan(v)
            if not ok.any():
                out.print(f"{claim}: undefined in all {len(v)} runs", markup=False)
                return
            q1, q2, q3 = np.quantile(v[ok], [0.25, 0.5, 0.75])
            out.print(
                f"{claim}: median {q2:.4g} (quartiles {q1:.4g} – {q3:.4g}), range "
                f"{v[ok].min():.4g} – {v[ok].max():.4g}, defined in {int(ok.sum())}/{len(v)} runs",
                markup=False,
            )
            return
        a = cl.answer(results, claim)
    except cl.ClaimError as exc:
        raise UserError(str(exc)) from None
    out.print(
        f"{claim}\n  {a['runs_met']}/{a['runs']} runs = {100 * a['share']:.1f}% "
        f"(95% interval {100 * a['ci_low']:.1f}–{100 * a['ci_high']:.1f}%)\n"
        f"  true in runs: {', '.join(map(str, a['true_in'])) or '–'}\n"
        f"  false in runs: {', '.join(map(str, a['false_in'])) or '–'}",
        markup=False,
    )


@app.command()
def discover(
    results: Annotated[Path, typer.Argument(help="Results directory (sampled assumptions).")],
    claim: Annotated[str, typer.Argument(help="A claim, e.g. 'harbin held by JAP on 1940-04-30'.")],
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Density a PRIM box must reach.")
    ] = 0.8,
    mass_min: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Least share of the runs a box holds.")
    ] = 0.05,
) -> None:
    """Which assumption ranges make a claim true: PRIM boxes and a shallow decision tree."""
    from rich.markup import escape
    from rich.table import Table

    from twinvipers.analysis import claims as cl
    from twinvipers.analysis.discovery import discover as find
    from twinvipers.ensemble.store import incomplete

    problem = incomplete(results)
    if problem:
        raise UserError(problem)
    try:
        d = find(results, claim, threshold, mass_min)
    except cl.ClaimError as exc:
        raise UserError(str(exc)) from None
    out.print(f"{claim}: true in {d['runs_met']}/{d['runs']} runs", markup=False)
    if not d["assumptions"]:
        raise UserError(f"{results}: no assumption varies across the runs (a canon ensemble?)")
    if d["runs_met"] in (0, d["runs"]):
        out.print("the claim is the same in every run: nothing to discover", markup=False)
        return
    box = d["box"]
    if box is None:
        out.print(
            f"PRIM: no box of assumption ranges reaches density {threshold:g} with every limit "
            f"significant (p < 0.01): no assumption decides it in these runs",
            markup=False,
        )
    else:
        t = Table(
            title=f"PRIM box: coverage {box.coverage:.0%}, density {box.density:.0%} "
            f"(all runs {box.base_density:.0%}), {box.runs} runs ({box.mass:.0%})"
        )
        for c in ("assumption", "low", "high", "quasi-p"):
            t.add_column(c, justify="left" if c == "assumption" else "right")
        for name, (lo, hi) in box.limits.items():
            t.add_row(escape(name), f"{lo:.4g}", f"{hi:.4g}", f"{box.p_values[name]:.2g}")
        out.print(t)
    t = Table(title="Decision tree (depth 3): feature importances")
    t.add_column("assumption")
    t.add_column("importance", justify="right")
    for name, v in sorted(d["tree_scores"].items(), key=lambda kv: -kv[1]):
        t.add_row(escape(name), f"{v:.3f}")
    out.print(t)
    out.print(d["tree"], markup=False)


@app.command()
def sensitivity(
    scenario: Annotated[str, typer.Argument(help="Shipped name or folder.")],
    outcome: Annotated[
        list[str] | None,
        typer.Option(
            "--outcome",
            help="A claim or a measure (repeat for several; default: the scenario's checkpoints).",
        ),
    ] = None,
    method: Annotated[str, typer.Option(help="sobol (Saltelli: S1, ST) or morris.")] = "sobol",
    runs: Annotated[
        int,
        typer.Option(
            "--runs",
            "-n",
            min=1,
            max=MAX_RUNS,
            help="Base samples (sobol: a power of two; N×(D+2) runs) or trajectories "
            "(morris: N×(D+1) runs), D the non-fixed assumptions.",
        ),
    ] = 64,
    seed: Annotated[int, typer.Option("--seed", min=0, max=2**32 - 1)] = 1,
    until: Annotated[str | None, typer.Option(help="Stop at this date (YYYY-MM-DD).")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Processes (default: all cores).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Results directory (default results/sensitivity)."),
    ] = None,
    results: Annotated[
        Path | None,
        typer.Option(help="Analyse this finished sensitivity ensemble instead of running one."),
    ] = None,
    resume: Annotated[bool, typer.Option(help="Finish an interrupted run in --out.")] = False,
    force: Annotated[bool, typer.Option(help="Replace an existing ensemble.")] = False,
) -> None:
    """Which assumptions move each outcome: SALib's Sobol or Morris over the scenario's runs."""
    from rich.markup import escape
    from rich.table import Table

    from twinvipers.analysis import claims as cl
    from twinvipers.analysis import sensitivity as sa
    from twinvipers.ensemble.store import incomplete

    if method not in sa.METHODS:
        raise UserError(f"--method {method!r}: choose one of {', '.join(sa.METHODS)}")
    outcome = list(outcome or [])
    try:
        for o in outcome:
            cl.parse_measure(o) if cl.is_measure(o) else cl.parse(o)
    except cl.ClaimError as exc:
        raise UserError(f"--outcome: {exc}") from None
    if results is not None:
        if output is not None:
            raise UserError("give --results (analyse a finished run) or --out, not both")
        problem = incomplete(results)
        if problem:
            raise UserError(problem)
        if not (results / sa.INFO).is_file():
            raise UserError(f"{results}: not a sensitivity run (no {sa.INFO})")
        where = results
    else:
        from twinvipers.ensemble.runner import Spec, default_chunk_size
        from twinvipers.ensemble.sampling import GIVEN
        from twinvipers.scenario.compile import compile_scenario
        from twinvipers.scenario.load import load

        name = _scenario_arg(scenario)
        where = output or Path("results") / "sensitivity"
        c = compile_scenario(load(name).scenario)
        try:
            u, seed_ids, prob = sa.design(c.assumptions, method, runs, seed)
        except ValueError as exc:
            raise UserError(f"{scenario}: {exc}") from None
        n = len(u)
        err.print(
            f"{method}: {runs} × ({prob['num_vars']} assumptions + "
            f"{2 if method == 'sobol' else 1}) = {n} runs",
            markup=False,
        )
        spec = Spec(name, n, seed, _date(until, "--until"), GIVEN, default_chunk_size(n))
        _run_with_progress(
            spec, where, workers, resume, force, design=None if resume else (u, seed_ids)
        )
        sa.write_info(where, method, runs, seed, prob)
    todo = outcome or sa.checkpoint_outcomes(where)
    if not todo:
        raise UserError(f"{scenario}: no checkpoints; name outcomes with --outcome")
    try:
        rows = sa.analyse(where, todo)
    except cl.ClaimError as exc:
        raise UserError(f"--outcome: {exc}") from None
    path = sa.write_csv(rows, where / sa.CSV_NAME)
    png = sa.plot(rows, where / sa.PLOT_NAME)
    sobol = rows[0]["method"] == "sobol"
    for o in dict.fromkeys(r["outcome"] for r in rows):
        t = Table(title=o)
        t.add_column("assumption")
        cols = ("first", "total") if sobol else ("mu_star", "sigma")
        for col in cols:
            t.add_column(
                col.replace("first", "first (S1)").replace("total", "total (ST)"), justify="right"
            )
        rs = sorted(
            (r for r in rows if r["outcome"] == o), key=lambda r: -r[cols[0 if not sobol else 1]]
        )
        for r in rs:
            if sobol:
                cells = [
                    f"{r['first']:.3f} ± {r['first_conf']:.3f}",
                    f"{r['total']:.3f} ± {r['total_conf']:.3f}",
                ]
            else:
                cells = [f"{r['mu_star']:.3g} ± {r['mu_star_conf']:.3g}", f"{r['sigma']:.3g}"]
            t.add_row(escape(r["assumption"]), *cells)
        out.print(t)
        if rs and rs[0]["note"]:
            out.print(f"  ({rs[0]['note']})", markup=False)
    out.print(f"wrote {path} and {png}")


@app.command()
def compare(
    a: Annotated[Path, typer.Argument(help="Results directory A (say, canon).")],
    b: Annotated[Path, typer.Argument(help="Results directory B (say, a variant).")],
    claim: Annotated[
        list[str] | None, typer.Option("--claim", help="A claim to compare (repeatable).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--out", help="Also write an HTML page with difference maps of control."),
    ] = None,
    on: Annotated[
        str | None, typer.Option(help="Date of the difference maps (default: the last).")
    ] = None,
) -> None:
    """Two ensembles side by side: A's checkpoints and the claims, B − A with its interval."""
    from rich.markup import escape
    from rich.table import Table

    from twinvipers.analysis import claims as cl
    from twinvipers.analysis.compare import compare as cmp
    from twinvipers.ensemble.store import incomplete

    for d in (a, b):
        problem = incomplete(d)
        if problem:
            raise UserError(problem)
    try:
        rows = cmp(a, b, list(claim or []))
    except cl.ClaimError as exc:
        raise UserError(str(exc)) from None
    if not rows:
        raise UserError(f"{a} has no checkpoints: give claims with --claim")
    t = Table(title=f"A = {a}   B = {b}")
    t.add_column("checkpoint / claim", overflow="fold")
    t.add_column("A", justify="right")
    t.add_column("B", justify="right")
    t.add_column("B − A (95%)", justify="right")
    for r in rows:
        label = (
            f"{escape(r['id'])}\n[dim]{escape(r['claim'])}[/dim]" if r["id"] else escape(r["claim"])
        )
        t.add_row(
            label,
            f"{100 * r['share_a']:.0f}% ({100 * r['ci_a'][0]:.0f}–{100 * r['ci_a'][1]:.0f})",
            f"{100 * r['share_b']:.0f}% ({100 * r['ci_b'][0]:.0f}–{100 * r['ci_b'][1]:.0f})",
            f"{100 * r['difference']:+.0f} ({100 * r['diff_low']:+.0f} to {100 * r['diff_high']:+.0f})",
        )
    out.print(t)
    if output is not None:
        from twinvipers.report.html import write_comparison

        path = write_comparison(a, b, rows, output, _date(on, "--on"))
        out.print(f"wrote {path}")


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

    texts = [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max([len(str(c))] + [len(r[j]) for r in texts]) for j, c in enumerate(cols)]
    if sum(min(w, 40) + 3 for w in widths) + 1 > out.width:
        # Too wide for the terminal (a table drawn anyway is an empty grid of borders): one
        # record at a time, a column a line.
        name_w = max(len(str(c)) for c in cols)
        for i, r in enumerate(texts):
            out.print(f"-[ row {i + 1} ]-", markup=False)
            for c, v in zip(cols, r, strict=True):
                out.print(f"{str(c):<{name_w}} | {v}", markup=False, soft_wrap=True)
        out.print(f"({len(texts)} rows of {len(cols)} columns; --csv for a file)", markup=False)
        return
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
    dates: Annotated[
        str | None,
        typer.Option(help="Map dates, comma-separated (a date between snapshots: the one before)."),
    ] = None,
    claim: Annotated[
        list[str] | None, typer.Option("--claim", help="A claim to answer (repeatable).")
    ] = None,
) -> None:
    """Write a self-contained HTML report of an ensemble."""
    from twinvipers.ensemble.store import incomplete
    from twinvipers.report.html import write_report

    problem = incomplete(results)
    if problem:
        raise UserError(problem)
    ds = _snapshot_dates(results, dates) if dates else None
    from twinvipers.analysis import claims as cl

    try:
        for c in claim or []:
            cl.evaluate(results, c)  # refuse a malformed claim before drawing anything
    except cl.ClaimError as exc:
        raise UserError(f"--claim: {exc}") from None
    path = write_report(results, output, ds, list(claim or []))
    out.print(f"wrote {path}")


def _snapshot_dates(results: Path, dates: str) -> list[dt.date]:
    """The maps' dates: each given date, or the snapshot before it (said); outside, refused."""
    from twinvipers.analysis.questions import snapshot_dates

    snaps = snapshot_dates(results)
    chosen = []
    for text in dates.split(","):
        d = _date(text.strip(), "--dates")
        assert d is not None
        if not snaps or not snaps[0] <= d <= snaps[-1]:
            span = f"{snaps[0]} to {snaps[-1]}" if snaps else "none"
            raise UserError(f"--dates {d}: outside the ensemble's snapshots ({span})")
        before = max(s for s in snaps if s <= d)
        if before != d:
            after = min(s for s in snaps if s >= d)
            err.print(
                f"note: --dates {d} falls between snapshots ({before} and {after}); the map "
                f"shows {before}",
                markup=False,
            )
        chosen.append(before)
    return chosen


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
    scenario: Annotated[
        str | None, typer.Argument(help="Shipped name or folder (not with --results).")
    ] = None,
    output: Annotated[Path, typer.Option("--out", help="PNG or SVG file.")] = Path("map.png"),
    date: Annotated[str | None, typer.Option(help="Draw control on this date.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the run drawn for a later date.")] = 1,
    results: Annotated[
        Path | None, typer.Option(help="Draw a run of this finished ensemble instead.")
    ] = None,
    run_id: Annotated[int, typer.Option("--run", min=0, help="The run drawn (--results).")] = 0,
    by: Annotated[
        str | None,
        typer.Option(
            help="Colour by camp or by power (default: camp when the scenario has more than "
            f"{MAP_POWERS} powers and names camps)."
        ),
    ] = None,
) -> None:
    """Draw a map: a scenario on its start date (or one new run to --date), or run k of an ensemble."""
    if output.suffix.lower() not in {".png", ".svg"}:
        raise UserError(f"--out {output}: use a .png or .svg file")
    if by not in (None, "camp", "power"):
        raise UserError(f"--by {by!r}: choose camp or power")
    if results is not None:
        if scenario is not None:
            raise UserError("give a scenario or --results, not both")
        _map_of_run(results, run_id, _date(date, "--date"), output, by)
        return
    if scenario is None:
        raise UserError("give a scenario to draw, or --results DIR --run K")
    import numpy as np

    from twinvipers.engine import simulate
    from twinvipers.ensemble import sampling
    from twinvipers.report.maps import draw_control_map
    from twinvipers.rules.rng import run_seeds
    from twinvipers.scenario.compile import compile_scenario
    from twinvipers.scenario.load import load

    s = load(scenario).scenario
    when = _date(date, "--date") or s.meta.start
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
    from twinvipers.report.maps import CELL_RADIUS
    from twinvipers.world.geometry import scenario_cells

    controller, colors = _colour_by(
        by, controller, colors, {p.id: p.camp for p in s.powers}, dict(s.meta.camps)
    )
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
        cells=scenario_cells(s, radius=CELL_RADIUS),
    )
    out.print(f"wrote {output}")


#: Above this many powers a map is coloured by camp by default: 41 power colours cannot all be
#: told apart.
MAP_POWERS = 12


def _colour_by(
    by: str | None,
    controller: dict[str, Any],
    colors: dict[str, str],
    camp_of: dict[str, str | None],
    camp_colors: dict[str, str],
) -> tuple[dict[str, Any], dict[str, str]]:
    """Controllers and colours by camp (a power without a camp stays itself) or as given."""
    if by is None:
        by = "camp" if camp_colors and len(colors) > MAP_POWERS else "power"
    if by == "power":
        return controller, colors
    if not camp_colors:
        raise UserError("--by camp: the scenario names no camps (meta.camps)")
    group = {p: (c if c in camp_colors else p) for p, c in camp_of.items()}
    palette = {**colors, **camp_colors}
    return {r: group.get(p, p) for r, p in controller.items()}, palette


def _map_of_run(
    results: Path, run_id: int, when: dt.date | None, output: Path, by: str | None = None
) -> None:
    """Draw run ``run_id`` of a finished ensemble on its last snapshot on or before ``when``."""
    import json as jsonmod

    from twinvipers.ensemble.store import connect, incomplete, read_manifest
    from twinvipers.report.maps import CELL_RADIUS, draw_control_map
    from twinvipers.world.geometry import cells_with_boundaries

    problem = incomplete(results)
    if problem:
        raise UserError(problem)
    meta = read_manifest(results)
    if run_id >= meta["runs"]:
        raise UserError(f"--run {run_id}: the ensemble has runs 0 to {meta['runs'] - 1}")
    con = connect(results)
    first, last = con.execute("SELECT min(date), max(date) FROM control").fetchone()
    when = when or last
    if not first <= when <= last:
        raise UserError(f"--date {when} is outside the ensemble's snapshots ({first} to {last})")
    on = con.execute(
        "SELECT max(date) FROM control WHERE run_id = ? AND date <= ?", [run_id, when]
    ).fetchone()[0]
    controller = dict(
        con.execute(
            "SELECT region, controller FROM control WHERE run_id = ? AND date = ?", [run_id, on]
        ).fetchall()
    )
    regs = con.execute(
        "SELECT region, lon, lat, coalesce(name, region), boundary FROM regions "
        "WHERE kind = 'land' AND lon IS NOT NULL ORDER BY region"
    ).fetchall()
    ids = [r[0] for r in regs]
    lons, lats = [float(r[1]) for r in regs], [float(r[2]) for r in regs]
    powers = meta.get("powers", {})
    controller, colors = _colour_by(
        by,
        controller,
        {p: v.get("color", "#999999") for p, v in powers.items()},
        {p: v.get("camp") for p, v in powers.items()},
        dict(meta.get("camps") or {}),
    )
    draw_control_map(
        ids,
        lons,
        lats,
        [r[3] for r in regs],
        controller,
        colors,
        output,
        title=f"{meta.get('scenario_name', meta['scenario_id'])} — run {run_id}, {on:%d %B %Y}",
        capitals=[v["capital"] for v in powers.values() if v.get("capital")],
        cells=cells_with_boundaries(
            ids, lons, lats, {r[0]: jsonmod.loads(r[4]) for r in regs if r[4]}, radius=CELL_RADIUS
        ),
    )
    if on != when:
        err.print(f"note: run {run_id} has no snapshot on {when}; drew {on}", markup=False)
    out.print(f"wrote {output}")


@app.command("check-data")
def check_data(scenario: Annotated[str, typer.Argument(help="Shipped name or folder.")]) -> None:
    """List figures, assumptions and events without a source; cross-check stated totals."""
    from twinvipers.scenario.checks import check_data as run_checks
    from twinvipers.scenario.checks import summary
    from twinvipers.scenario.load import load

    findings = run_checks(load(scenario).scenario)
    for line in findings:
        out.print(str(line), markup=False, soft_wrap=True)
    out.print(summary(findings), markup=False)


@app.command()
def battles(
    cdb90: Annotated[Path, typer.Argument(help="A battle set in CDB90's tidy layout.")],
    output: Annotated[Path, typer.Option("--out", help="Predictions CSV.")] = Path(
        "predictions.csv"
    ),
    constants: Annotated[
        str | None,
        typer.Option(
            help="shipped (score with the engine's constants) or refit (fit out of fold, as "
            "for calibration); default: refit on the calibration set, shipped on any other."
        ),
    ] = None,
) -> None:
    """Score the land-combat model on a battle set (CDB90's layout)."""
    from twinvipers.analysis.battles import is_calibration_set, run_battles, score_shipped

    if not (cdb90 / "data" / "battles.csv").exists():
        raise UserError(f"{cdb90}: not a CDB90 folder (no data/battles.csv)")
    if constants not in (None, "shipped", "refit"):
        raise UserError(f"--constants {constants!r}: choose shipped or refit")
    if constants is None:
        constants = "refit" if is_calibration_set(cdb90) else "shipped"
        err.print(f"--constants {constants} (the default for this folder)", markup=False)
    if constants == "refit":
        out.print(run_battles(cdb90, output))
    else:
        out.print(score_shipped(cdb90, output))


@app.command()
def serve(
    results_root: Annotated[
        Path, typer.Option("--results-root", help="Folder holding results folders.")
    ] = Path("results"),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port on 127.0.0.1.")] = 8019,
    host: Annotated[
        str, typer.Option(help="Address to bind (default: this machine only).")
    ] = "127.0.0.1",
    workers: Annotated[
        int, typer.Option(min=1, help="Processes for ensemble jobs started in the app.")
    ] = 1,
) -> None:
    """Explore ensembles in the browser: map playback, odds, plausibility, chronicles, jobs."""
    import socket

    if not results_root.is_dir():
        raise UserError(f"--results-root {results_root}: no such folder")
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            raise UserError(
                f"--port {port}: cannot listen on {host}:{port} ({exc.strerror})"
            ) from None
    import uvicorn

    from twinvipers.web.app import create_app

    api = create_app(results_root, workers=workers, allowed_hosts={"127.0.0.1", "localhost", host})
    err.print(
        f"twinvipers web app on http://{host}:{port}/ over {results_root.resolve()} "
        "(Ctrl-C stops it)",
        markup=False,
    )
    uvicorn.run(api, host=host, port=port, log_level="warning")


def _argv(argv: list[str]) -> list[str]:
    """Move ``--debug`` to the front, so that it works after the command too."""
    head, sep, tail = (argv, [], []) if "--" not in argv else (
        argv[: argv.index("--")], ["--"], argv[argv.index("--") + 1 :]
    )  # fmt: skip
    if "--debug" not in head:
        return argv
    return ["--debug", *(a for a in head if a != "--debug"), *sep, *tail]


def _fail(message: str, code: int = 2) -> None:
    err.print(message, markup=False, soft_wrap=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user mistakes exit 2 with one clear message (``--debug`` for a traceback)."""
    from twinvipers.ensemble.runner import EnsembleError

    args = _argv(list(sys.argv[1:] if argv is None else argv))
    debug = bool(args) and args[0] == "--debug"
    try:
        # standalone_mode=False: errors reach the handlers below, and a plain Exit or a
        # Ctrl-C outside a run comes back as the exit code.
        code = app(args=args, prog_name="twinvipers", standalone_mode=False)
    except ScenarioError as exc:
        if debug:
            raise
        for e in exc.errors:
            err.print(str(e), markup=False, soft_wrap=True)
        n = len(exc.errors)
        _fail(f"{n} error{'s' if n != 1 else ''}")
    except InterruptedRunError as exc:
        if debug:
            raise
        _fail(f"interrupted: {exc}", 130)
    except (UserError, EnsembleError) as exc:
        if debug:
            raise
        _fail(f"error: {exc}")
    except OSError as exc:
        if debug:
            raise
        from twinvipers.ensemble.runner import fs_message

        _fail(f"error: {fs_message(exc, Path('.'))}")
    except typer.Abort:
        _fail("aborted", 130)
    except typer.TyperException as exc:
        # Typer's own (vendored click) usage errors: a missing argument, an unknown option or
        # command, a value out of range. They print themselves as usage and a one-line error
        # (with --debug too: a traceback of the argument parser would say nothing more).
        if callable(getattr(exc, "show", None)):
            exc.show()  # type: ignore[attr-defined]
        sys.exit(int(getattr(exc, "exit_code", 2)))
    if isinstance(code, int) and code:
        if code == 130:
            err.print("interrupted", markup=False)
        sys.exit(code)


if __name__ == "__main__":
    main()
