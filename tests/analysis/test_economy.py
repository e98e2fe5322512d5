"""The war economy's questions over a finished ensemble (analysis/economy.py) and its report."""

import datetime as dt

import pytest

from tests.worlds import grid_world
from twinvipers.analysis import economy as econ
from twinvipers.analysis.questions import snapshot_dates
from twinvipers.ensemble.runner import Spec, run_ensemble
from twinvipers.report.html import write_report

pytestmark = pytest.mark.slow  # runs an ensemble (three runs of a two-region world, ~3 s)


@pytest.fixture(scope="module")
def oil_ensemble(tmp_path_factory):
    """RED buys 1 kt of oil a day on the world market by rail through its own ground."""
    tmp = tmp_path_factory.mktemp("oil")
    economy = [{"id": "RED", "gdp": 100, "mobilisation": 0.2, "war_mobilisation": 0.2,
                "oil_stock": 100, "source": "test"}]  # fmt: skip
    trade = [{"id": "pipeline", "importer": "RED", "kt_per_year": 365, "rail": ["x0y0"],
              "source": "test"}]  # fmt: skip
    grid_world(
        tmp / "scenario", lambda x, y: "RED" if x == 0 else "BLU", 2, 1, [], war=False,
        industry={"x0y0": 1}, extra_files={"economy": economy, "trade": trade},
    )  # fmt: skip
    out = tmp / "results"
    run_ensemble(Spec(str(tmp / "scenario"), 3, 1), out, workers=1)
    return out


def test_oil_month_by_month_and_by_route(oil_ensemble):
    months = econ.oil_by_month(oil_ensemble, "RED")
    assert [m["month"] for m in months] == [dt.date(1939, m, 1) for m in (7, 8, 9)]
    last = snapshot_dates(oil_ensemble)[-1]
    days = (last - dt.date(1939, 7, 1)).days + 1
    assert sum(m["rail"] for m in months) == pytest.approx(days)  # 1 kt a day, all by land
    assert months[-1]["stock"] == pytest.approx(100 + days)  # nothing burned
    assert all(m["sea"] == 0 and m["fuel_min"] == 1.0 for m in months)
    routes = econ.route_months(oil_ensemble, "RED")
    assert routes["pipeline"][dt.date(1939, 7, 1)] == pytest.approx(31.0)
    assert routes["pipeline"][dt.date(1939, 8, 1)] == pytest.approx(31.0)
    assert econ.importers(oil_ensemble) == ["RED"]


def test_the_report_has_a_war_economy_section(oil_ensemble):
    text = write_report(oil_ensemble).read_text()
    assert "<h2>War economy</h2>" in text
    assert "Oil: RED (RED), month by month" in text
