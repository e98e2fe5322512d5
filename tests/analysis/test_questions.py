from datetime import date

import pytest

from twinvipers.analysis import questions as q
from twinvipers.analysis.synthetic import END, START, write_synthetic_results


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return write_synthetic_results(tmp_path_factory.mktemp("results"))


@pytest.fixture(scope="module")
def camps(results):
    return q.camp_of(q.read_meta(results))


def test_outcome_shares(results):
    rows = {r["label"]: r for r in q.outcome_shares(results)}
    cap = rows["POL capitulates to GER"]
    assert (cap["k"], cap["n"], cap["share"]) == (15, 20, 0.75)
    assert cap["lo"] == pytest.approx(0.5313, abs=1e-4)
    assert cap["first"] == date(1939, 9, 28) and cap["last"] == date(1939, 10, 2)
    assert rows["Peace GER–POL"]["k"] == 15


def test_control_shares_on_last_day(results, camps):
    s = q.control_shares(results, END, camps)
    assert s["warsaw"] == pytest.approx({"axis": 0.75, "allies": 0.25})
    assert s["lwow"] == pytest.approx({"comintern": 0.40, "axis": 0.35, "allies": 0.25})
    assert s["poznan"] == pytest.approx({"axis": 1.0})
    assert s["berlin"] == pytest.approx({"axis": 1.0})
    assert "baltic" not in s  # sea regions have no control rows
    for shares in s.values():
        assert sum(shares.values()) == pytest.approx(1.0)


def test_control_shares_use_the_last_snapshot_before_the_date(results, camps):
    # Poznań falls on 10, 11 or 12 September (run_id % 3); snapshots are on Fridays from
    # 25 August, so on 14 September every run's last snapshot (8 Sept) still shows it Polish.
    s = q.control_shares(results, date(1939, 9, 14), camps)
    assert s["poznan"] == pytest.approx({"allies": 1.0})
    s = q.control_shares(results, date(1939, 9, 15), camps)
    assert s["poznan"] == pytest.approx({"axis": 1.0})


def test_control_shares_by_power(results):
    s = q.control_shares(results, END)
    assert s["lwow"] == pytest.approx({"SOV": 0.40, "GER": 0.35, "POL": 0.25})


def test_event_timing(results):
    meta = q.read_meta(results)
    rows = {r["label"]: r for r in q.event_timing(results, regions=q.key_regions(results, meta))}
    assert rows["GER declares war on POL"]["k"] == 20
    assert rows["SOV declares war on POL"]["share"] == pytest.approx(0.4)
    warsaw = rows["GER takes Warsaw"]
    assert warsaw["k"] == 15 and len(warsaw["dates"]) == 15
    assert warsaw["dates"] == sorted(warsaw["dates"])
    assert "GER takes Poznań" not in rows  # not a key region


def test_dates_and_assumptions(results):
    ds = q.snapshot_dates(results)
    assert ds[0] == START and ds[-1] == END
    assert q.default_dates(results) == [ds[0], ds[len(ds) // 2], ds[-1]]
    rows = {r["id"]: r for r in q.assumption_summary(results, q.read_meta(results))}
    assert rows["pol_will"]["min"] == pytest.approx(0.5)
    assert rows["pol_will"]["max"] == pytest.approx(1.5)
    assert rows["pol_will"]["median"] == pytest.approx(1.0)


def test_power_summary(results):
    rows = {r["power"]: r for r in q.power_summary(results)}
    # on the last day Germany holds its 4 home regions + Poznań + Warsaw/Łódź/Kraków in 15 runs
    # (+ the 3 eastern ones in 7 of those): 5 in 5 runs, 8 in 8 runs, 11 in 7 runs
    assert rows["GER"]["regions"][1] == 8.0
    assert rows["SOV"]["regions"] == (1.0, 1.0, 4.0)
    assert rows["GER"]["men"] == (1e6, 1e6, 1e6)
    early = {r["power"]: r for r in q.power_summary(results, on=date(1939, 9, 1))}
    assert early["POL"]["regions"] == (7.0, 7.0, 7.0)


@pytest.mark.slow  # an ensemble
def test_losses_split_into_battle_and_outside_add_up_per_run(small_ensemble):
    from twinvipers.analysis.questions import loss_split
    from twinvipers.ensemble.store import connect

    split = loss_split(small_ensemble)
    con = connect(small_ensemble)
    last = "(run_id, date) IN (SELECT run_id, max(date) FROM powers GROUP BY 1)"
    # Run by run, a power's battle losses never exceed its killed and wounded...
    over = con.execute(
        f"SELECT count(*) FROM powers WHERE {last} AND lost_in_battle > killed + wounded + 1"
    ).fetchone()[0]
    assert over == 0
    # ...and all powers' battle losses are what the battle events booked, attackers and
    # defenders with their allies together.
    booked = {  # the events' losses are rounded to whole men
        run: (men, n)
        for run, men, n in con.execute(
            "SELECT run_id, sum(fields.attacker_losses + fields.defender_losses), count(*) "
            "FROM events WHERE kind = 'battle' GROUP BY 1"
        ).fetchall()
    }
    per_power = dict(
        con.execute(
            f"SELECT run_id, sum(lost_in_battle) FROM powers WHERE {last} GROUP BY 1"
        ).fetchall()
    )
    for run, total in per_power.items():
        men, n = booked.get(run, (0.0, 0))
        assert total == pytest.approx(men, rel=1e-4, abs=n + 1.0)
    assert split["POL"]["battle"][1] > 0 and split["GER"]["battle"][1] > 0
    assert all(lo <= med <= hi for v in split.values() for lo, med, hi in v.values())
