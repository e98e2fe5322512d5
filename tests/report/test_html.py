import base64
import html
import re
from datetime import date

import pytest

from twinvipers.analysis.synthetic import write_synthetic_results
from twinvipers.report.html import write_report


@pytest.fixture(scope="module")
def report(tmp_path_factory, geometry_cache):
    results = write_synthetic_results(tmp_path_factory.mktemp("results"))
    return write_report(results)


def test_written_next_to_results(report):
    assert report.name == "report.html"
    assert not list(report.parent.glob("*.tmp"))


def test_self_contained(report):
    text = report.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
    for attr in re.findall(r'(?:src|href)\s*=\s*["\']([^"\']*)', text):
        assert attr.startswith("data:") or attr.startswith("#"), attr
    assert "<script" not in text and "<link" not in text and "@import" not in text
    imgs = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert len(imgs) >= 2  # timing chart + share maps
    for b64 in imgs:
        assert base64.b64decode(b64)[:4] == b"\x89PNG"


def test_shows_header_and_right_shares(report):
    text = report.read_text(encoding="utf-8")
    assert "Poland 1939 (synthetic test results)" in text
    assert "<b>runs:</b> 20" in text
    row = re.search(r"<tr><td>POL capitulates to GER</td>(.*?)</tr>", text).group(1)
    assert "15/20" in row and "75%" in row and "53%–89%" in row
    assert "Peace GER–POL" in text
    assert "pol_will" in text and "ger_tempo" in text
    assert "How to read" in text


def test_chosen_dates(tmp_path):
    results = write_synthetic_results(tmp_path / "r")
    out = write_report(results, tmp_path / "x" / "rep.html", dates=[date(1939, 9, 15)])
    text = out.read_text(encoding="utf-8")
    assert "Dates: 1939-09-15." in text


def test_powers_table(report):
    text = report.read_text(encoding="utf-8")
    assert "Powers at the end" in text
    assert "German Reich (GER)" in text


@pytest.mark.slow  # an ensemble
def test_plausibility_section_only_with_checkpoints(report, small_ensemble, tmp_path):
    import shutil

    assert "<h2>Plausibility" not in report.read_text()  # synthetic results: no checkpoints
    res = tmp_path / "res"
    shutil.copytree(small_ensemble, res)
    text = write_report(res).read_text()
    section = text.split("<h2>Plausibility</h2>")[1].split("</table>")[0]
    for cid in ("warsaw_falls", "poland_capitulates", "german_polish_dead"):
        assert f">{cid}: " in section  # the id and test under the description
    assert section.count("/64</td>") == 5
    # The checkpoints are led by their descriptions in words.
    from twinvipers.scenario.load import load

    for cp in load("poland_1939").scenario.checkpoints:
        assert f"<div class='cp'>{html.escape(cp.description.strip())}</div>" in section


def test_what_decided_it_and_claims_sections(tmp_path):
    import json

    from twinvipers.analysis.synthetic import END, write_synthetic_results
    from twinvipers.report.html import write_report

    # Poland gives up in the runs with the lowest pol_will (runs 0-14 of 40).
    d = write_synthetic_results(tmp_path / "r", runs=40)
    meta = json.loads((d / "ensemble.json").read_text())
    meta["checkpoints"] = [
        {
            "id": "pol_gives_up",
            "description": "Poland gives up.",
            "capitulates": {"power": "POL", "after": "1939-09-01", "days": [0, 90]},
        }
    ]
    (d / "ensemble.json").write_text(json.dumps(meta))
    claim = f"lwow held by SOV on {END}"
    text = write_report(d, tmp_path / "r.html", claims=[claim]).read_text()
    decided = text[text.index("<h2>What decided it") : text.index("<h2>Claims")]
    assert "pol_gives_up" in decided and "pol_will 0.5–0.859" in decided
    assert "<h2>Claims</h2>" in text and claim in text and "8/40" in text


def test_comparison_page_has_the_table_and_difference_maps(tmp_path):
    from twinvipers.analysis.compare import compare
    from twinvipers.analysis.synthetic import END, write_synthetic_results
    from twinvipers.report.html import write_comparison

    a = write_synthetic_results(tmp_path / "a", runs=20)
    b = write_synthetic_results(tmp_path / "b", runs=40)
    claim = f"warsaw held by GER on {END}"
    rows = compare(a, b, [claim])
    text = write_comparison(a, b, rows, tmp_path / "c.html").read_text()
    assert claim in text and "75%" in text and "38%" in text
    assert "-38 pts" in text and f"B − A on {END}" in text and "data:image/png;base64," in text
