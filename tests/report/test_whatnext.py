"""The report's "What happens next" section (report.whatnext) on results with known answers."""

from __future__ import annotations

import re

import pytest

from tests.analysis.test_whatnext import RUNS, long_war_results
from twinvipers.analysis.synthetic import write_synthetic_results
from twinvipers.report import whatnext


@pytest.fixture(scope="module")
def long_dir(tmp_path_factory):
    return long_war_results(tmp_path_factory.mktemp("long") / "long_war")


def test_section_answers_each_question_with_its_share_and_interval(long_dir):
    html = whatnext.section(long_dir)
    assert "<h2 id='what-next'>What happens next</h2>" in html
    row = re.search(r"<tr><td>France falls<div.*?</div></td><td>yes</td>(.*?)</tr>", html).group(1)
    assert f">6/{RUNS}<" in row and ">60%<" in row and ">31%–83%<" in row  # Wilson(6, 10)
    for question in (
        "Italy joins the war",
        "The USA enters the war",
        "Britain makes peace",
        "Japan is beaten",
        "Japan makes peace with the USSR",
        "The Berlin-Moscow alliance",
    ):
        assert f"<td>{question}<div class='muted test'>" in html  # with how it can come about
    for on in ("01 Jan 1942", "01 Jan 1943", "01 Jan 1944", "01 Jan 1945"):
        assert f"<td>{on}</td><td>comintern</td>" in html
    assert "paris (FRA)" in html


def test_markdown_has_the_same_figures(long_dir):
    md = whatnext.markdown(long_dir)
    assert f"| France falls | yes | 6/{RUNS} | 60% (31%–83%) |" in md
    assert "| 01 Jan 1942 | allies | 1 (1–2) |" in md


def test_an_ensemble_that_ends_before_1941_gets_no_section(tmp_path):
    short = write_synthetic_results(tmp_path / "poland")  # ends 30 November 1939
    assert whatnext.section(short) == "" and whatnext.markdown(short) == ""
