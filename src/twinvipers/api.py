"""The Python API for notebooks: ``twinvipers.open(DIR)`` and what an ensemble answers.

Tables come as pandas DataFrames, read once on first use. An event's details are in the store
twice: ``details`` (JSON text, as the design's contract fixes it) and ``fields`` (a struct, one
typed child per detail name); :meth:`Ensemble.events_of` spreads them into columns for one kind.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from twinvipers.ensemble import store
from twinvipers.rules import eventkinds


class Ensemble:
    """A finished ensemble's results folder."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        problem = store.incomplete(self.path)
        if problem:
            raise ValueError(problem)
        self.meta: dict[str, Any] = store.read_manifest(self.path)

    def __repr__(self) -> str:
        return (
            f"Ensemble({str(self.path)!r}: {self.meta.get('runs')} runs of "
            f"{self.meta.get('scenario_id') or self.meta.get('scenario')})"
        )

    def _table(self, name: str) -> pd.DataFrame:
        import pyarrow.parquet as pq

        df = pq.read_table(self.path / f"{name}.parquet").to_pandas()
        for c in df.columns:  # dictionary-encoded ids read as categoricals: plain strings
            if isinstance(df[c].dtype, pd.CategoricalDtype):
                df[c] = df[c].astype(str).where(df[c].notna(), None)
        return df

    @cached_property
    def runs(self) -> pd.DataFrame:
        """One row per run: seed, sampled assumptions, outcomes on the last day."""
        return self._table("runs")

    @cached_property
    def events(self) -> pd.DataFrame:
        """Every recorded event (``details`` as JSON text; see :meth:`events_of`)."""
        return self._table("events")

    @cached_property
    def control(self) -> pd.DataFrame:
        """Controller of every region at every snapshot date of every run."""
        return self._table("control")

    def control_array(self) -> Any:
        """Control as an xarray DataArray, run × date × region, of controller tags."""
        import xarray as xr

        c = self.control
        runs = np.sort(c["run_id"].unique())
        dates = np.sort(c["date"].unique())
        regions = list(dict.fromkeys(c["region"]))
        grid = np.full((len(runs), len(dates), len(regions)), None, dtype=object)
        ri = np.searchsorted(runs, c["run_id"].to_numpy())
        di = np.searchsorted(dates, c["date"].to_numpy())
        gi = pd.Index(regions).get_indexer(c["region"])
        grid[ri, di, gi] = c["controller"].to_numpy()
        return xr.DataArray(
            grid,
            dims=("run", "date", "region"),
            coords={"run": runs, "date": pd.to_datetime(dates), "region": regions},
            name="controller",
        )

    @cached_property
    def powers(self) -> pd.DataFrame:
        """Each power's men, losses, regions and will at every snapshot date of every run."""
        return self._table("powers")

    @cached_property
    def regions(self) -> pd.DataFrame:
        """The map on the start date."""
        return self._table("regions")

    @property
    def assumptions(self) -> list[str]:
        """The names of the sampled assumptions (columns of :attr:`runs`)."""
        return [a["id"] for a in self.meta.get("assumptions") or []]

    def events_of(self, kind: str) -> pd.DataFrame:
        """The events of one kind with their ``details`` spread into columns."""
        ev = self.events[self.events["kind"] == kind].reset_index(drop=True)
        if "fields" in ev.columns:  # the struct column: typed, no JSON to parse
            names = [f.name for f in eventkinds.BY_CODE[eventkinds.CODE[kind]].fields if f.shown]
            rows = [{n: (f or {}).get(n) for n in names} for f in ev["fields"]]
            spread = pd.DataFrame(rows, columns=names)
        else:  # a folder written before the struct column
            spread = pd.json_normalize([json.loads(d or "{}") for d in ev["details"]])
        return pd.concat([ev.drop(columns=["details", "fields"], errors="ignore"), spread], axis=1)

    def verdict(self, claim: str) -> pd.Series:
        """Whether the claim holds in each run (a boolean Series indexed by run id)."""
        from twinvipers.analysis import claims

        v = claims.evaluate(self.path, claim)
        return pd.Series(v.met, index=pd.Index(v.run_id, name="run_id"), name=claim)

    def ask(self, claim: str) -> dict[str, Any]:
        """Share of runs where the claim holds, its 95% interval and example run ids."""
        from twinvipers.analysis import claims

        return claims.answer(self.path, claim)

    def measure(self, text: str) -> pd.Series:
        """A measure per run (``killed GER / killed POL``, ``regions of GER on …``, ``day of …``)."""
        from twinvipers.analysis import claims

        ids, v = claims.measure(self.path, text)
        return pd.Series(v, index=pd.Index(ids, name="run_id"), name=text)

    def experiments_outcomes(
        self, outcomes: list[str] | None = None
    ) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
        """EMA Workbench's view: experiments (the assumptions per run) and outcomes.

        Outcomes are claims (boolean arrays) or measures (floats), by name; by default the
        scenario's checkpoints, by id.
        """
        from twinvipers.analysis import claims, plausibility

        runs = self.runs.sort_values("run_id")
        experiments = runs[[a for a in self.assumptions if a in runs.columns]].reset_index(
            drop=True
        )
        out: dict[str, np.ndarray] = {}
        if outcomes is None:
            cps, context = plausibility.manifest_plan(self.meta)
            for cp, r in plausibility.judge_runs(self.path, cps, context).items():
                out[cp] = r["met"]
            return experiments, out
        for o in outcomes:
            if claims.is_measure(o):
                out[o] = claims.measure(self.path, o)[1]
            else:
                out[o] = claims.evaluate(self.path, o).met
        return experiments, out

    def discover(self, claim: str, threshold: float = 0.8) -> dict[str, Any]:
        """PRIM box and decision-tree scores for a claim (see ``analysis.discovery``)."""
        from twinvipers.analysis import discovery

        return discovery.discover(self.path, claim, threshold)

    def sensitivity(self, outcomes: list[str]) -> pd.DataFrame:
        """Sobol or Morris indices of a sensitivity run (``twinvipers sensitivity``)."""
        from twinvipers.analysis import sensitivity

        return pd.DataFrame(sensitivity.analyse(self.path, outcomes))

    def plausibility(self) -> pd.DataFrame:
        """The scenario's checkpoints: share of runs, interval and when (as the CLI prints)."""
        from twinvipers.analysis import plausibility

        return pd.DataFrame(plausibility.plausibility(self.path))

    def compare(self, other: Ensemble | Path | str, claims: list[str] | None = None):
        """Each checkpoint and claim here and in ``other``: shares and their difference."""
        from twinvipers.analysis import compare

        other = other if isinstance(other, Ensemble) else Ensemble(other)
        return pd.DataFrame(compare.compare(self.path, other.path, claims or []))


def open_results(path: Path | str) -> Ensemble:
    """Open a finished ensemble's results folder."""
    return Ensemble(path)
