from datetime import date

import numpy as np
import pyarrow.parquet as pq
import pytest

from twinvipers.analysis import claims as cl
from twinvipers.analysis import plausibility as pl
from twinvipers.analysis.synthetic import END, write_synthetic_results

EXAMPLES = [
    "ITA at war with FRA before 1941-01-01",
    "harbin held by JAP,MAN on 1940-04-30",
    "FRA capitulates before 1940-08-01",
    "killed SOV / killed FIN between 3 and 8 by 1940-04-30",
    "viipuri taken by SOV before 1940-03-18",
]


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    return write_synthetic_results(tmp_path_factory.mktemp("syn") / "r")


def test_the_issue_examples_parse_to_their_atoms():
    war, held, cap, ratio, taken = (cl.parse(t) for t in EXAMPLES)
    assert (war.kind, war.get("a"), war.get("b"), war.get("until")) == (
        "at_war",
        "ITA",
        "FRA",
        date(1940, 12, 31),
    )
    assert held.get("by") == ("JAP", "MAN") and held.get("on") == date(1940, 4, 30)
    assert cap.kind == "capitulates" and cap.get("after") == date(1940, 7, 31)
    assert ratio.get("range") == (3.0, 8.0) and ratio.get("until") == date(1940, 4, 30)
    assert taken.get("until") == date(1940, 3, 17)  # before: the day before at the latest


def test_precedence_not_and_or():
    a, b, c = (
        "x held by GER on 1939-09-01",
        "y held by GER on 1939-09-01",
        "GER capitulates by 1939-10-01",
    )
    tree = cl.parse(f"not {a} and {b} or {c}")
    assert isinstance(tree, cl.Or) and isinstance(tree.xs[0], cl.And)
    assert isinstance(tree.xs[0].xs[0], cl.Not)
    tree = cl.parse(f"not ({a} or {b}) and {c}")
    assert isinstance(tree, cl.And) and isinstance(tree.xs[0], cl.Not)


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ("warsaw held by GER on 1939-10-", 23, "a date"),
        ("warsaw held by GER on 1939-1O-01", 23, "a date"),
        ("warsaw held GER on 1939-10-01", 13, "'by'"),
        ("warsaw held by GER on 1939-02-30", 23, "not a calendar date"),
        ("(warsaw held by GER on 1939-10-01", 34, "')'"),
        ("warsaw held by GER on 1939-10-01 or", 36, "a claim such as"),
        ("warsaw sits by GER", 8, "'held by'"),
        ("killed GER / killed POL between 3 and 1", 39, "below"),
        ("warsaw held by GER on 1939-10-01 ; x", 34, "unexpected character"),
        ("GER at war with POL", 20, "'before DATE'"),
    ],
)
def test_a_malformed_claim_is_located(text, column, expected):
    with pytest.raises(cl.ClaimError) as e:
        cl.parse(text)
    assert e.value.column == column and expected in e.value.message
    assert str(e.value).splitlines()[-1].index("^") == column + 1  # two spaces of indent


def _ctl(path, on):
    t = pq.read_table(path / "control.parquet").to_pandas()
    t = t[t["date"] == on]
    return {(int(r.run_id), r.region): r.controller for r in t.itertuples()}


def test_answers_agree_with_the_control_table(synth):
    ctl = _ctl(synth, END)
    runs = sorted({r for r, _ in ctl})
    v = cl.evaluate(synth, f"warsaw held by GER on {END}")
    assert list(v.met) == [ctl[(r, "warsaw")] == "GER" for r in runs]
    both = cl.evaluate(synth, f"warsaw held by GER on {END} and not lwow held by SOV on {END}")
    either = cl.evaluate(synth, f"(lwow held by SOV on {END}) or lwow held by POL on {END}")
    assert list(both.met) == [
        ctl[(r, "warsaw")] == "GER" and ctl[(r, "lwow")] != "SOV" for r in runs
    ]
    assert list(either.met) == [ctl[(r, "lwow")] in ("SOV", "POL") for r in runs]
    assert 0 < both.met.sum() < len(runs) and 0 < either.met.sum() < len(runs)


def test_at_war_capitulates_and_taken(synth):
    # SOV declares war on POL on 17 September in the even runs below 15.
    war = cl.evaluate(synth, "SOV at war with POL before 1939-10-01").met
    assert list(np.flatnonzero(war)) == [r for r in range(20) if r < 15 and r % 2 == 0]
    assert not cl.evaluate(synth, "SOV at war with POL before 1939-09-17").met.any()
    assert cl.evaluate(synth, "SOV at war with POL on 1939-09-17").met.sum() == 8
    # Poland capitulates on 28 September + run % 5 in runs 0-14.
    cap = cl.evaluate(synth, "POL capitulates before 1939-09-30").met
    assert list(np.flatnonzero(cap)) == [r for r in range(15) if r % 5 < 2]
    taken = cl.evaluate(synth, "poznan taken by GER before 1939-09-11").met
    assert list(np.flatnonzero(taken)) == [r for r in range(20) if r % 3 == 0]


def test_answer_gives_share_interval_and_examples(synth):
    a = cl.answer(synth, f"warsaw held by GER on {END}")
    assert (a["runs_met"], a["runs"]) == (15, 20)
    assert a["ci_low"] < 0.75 < a["ci_high"]
    assert set(a["true_in"]) <= set(range(15)) and set(a["false_in"]) <= set(range(15, 20))


def test_unknown_names_are_located(synth):
    with pytest.raises(cl.ClaimError) as e:
        cl.evaluate(synth, f"warsaw held by GER on {END} and warsw held by GER on {END}")
    assert "no region 'warsw'" in e.value.message and e.value.column == 38
    with pytest.raises(cl.ClaimError, match="no power 'XYZ'"):
        cl.evaluate(synth, "XYZ capitulates by 1939-10-01")


def test_measures(synth):
    ids, n = cl.measure(synth, f"regions of GER on {END}")
    ctl = _ctl(synth, END)
    assert list(n) == [sum(1 for (r, _), c in ctl.items() if r == i and c == "GER") for i in ids]
    _, day = cl.measure(synth, "day of POL capitulates by 1939-11-30")
    assert np.isnan(day[15:]).all() and list(day[:15]) == [34 + r % 5 for r in range(15)]
    assert cl.is_measure("killed GER / killed POL") and not cl.is_measure(EXAMPLES[3])


def test_checkpoints_are_judged_as_claims(tmp_path, monkeypatch):
    """One evaluator: every poland_1939 checkpoint round-trips through claim text, and the
    plausibility table goes through the claims evaluator."""
    from twinvipers.scenario.load import load

    s = load("poland_1939").scenario
    kinds = set()
    for cp in s.checkpoints:
        atom = cl.parse(cl.checkpoint_claim(cp))
        kinds.add(atom.kind)
        assert atom.kind == pl.schema.checkpoint_kind(cp)
    assert len(kinds) >= 5
    seen = []
    real = cl.evaluate_nodes
    monkeypatch.setattr(cl, "evaluate_nodes", lambda d, n, c=None: seen.extend(n) or real(d, n, c))
    synth = write_synthetic_results(tmp_path / "r")
    pl.plausibility(synth, list(s.checkpoints), {})
    assert seen == [cl.parse(cl.checkpoint_claim(cp)) for cp in s.checkpoints]


@pytest.mark.slow
def test_ask_on_the_command_line(synth):
    from tests.conftest import cli

    r = cli("ask", str(synth), f"warsaw held by GER on {END}")
    assert r.returncode == 0, r.stderr
    assert "15/20 runs = 75.0%" in r.stdout and "95% interval" in r.stdout
    r = cli("ask", str(synth), "warsaw held by GER on 1939-1O-01")
    assert r.returncode == 2 and "column 23" in r.stderr and "Traceback" not in r.stderr


def test_keywords_are_case_insensitive_but_upper_case_tags_stay_names():
    tree = cl.parse("ITA AT WAR WITH FRA BEFORE 1941-01-01 AND NOT x held by OR on 1940-01-01")
    assert isinstance(tree, cl.And) and tree.xs[1].x.get("by") == ("OR",)
    assert cl.parse("OR at war with AT before 1940-01-01").get("b") == "AT"
