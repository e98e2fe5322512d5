"""The chronicle: every number and date it prints is checked against the results tables."""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.report.chronicle_fixture import write_fixture
from twinvipers.analysis.plausibility import judge_runs, manifest_plan
from twinvipers.report import chronicle as chron

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
TOKEN = re.compile(
    rf"(\d{{1,2}} (?:{MONTHS})(?: \d{{4}})?)|((?:{MONTHS}) \d{{4}})|(\d+(?:,\d{{3}})*(?:\.\d+)?%?)"
)


def seen(text: str, fmt: str) -> str:
    """What a reader sees: the text without its markup (HTML tags and style, BBCode tags)."""
    if fmt == "html":
        return html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", "", text, flags=re.S))
    if fmt == "bbcode":
        return re.sub(r"\[/?[a-z*]+(=[^\]]*)?\]", "", text)
    return text


# The events' detail fields a number may be (summed over the number's events).
DETAIL_ROLES = {
    "attacker_losses", "defender_losses", "defender_captured", "actor_ships_lost",
    "target_ships_lost", "share_stopped", "grt_sunk", "submarines_lost", "men", "probability",
    "port_share_lost", "sorties", "casualties", "deaths", "attacker_men", "defender_men", "odds",
    "forces", "fuel_share", "stock_kt", "open_share",
}  # fmt: skip
TABLE_ROLES = {"run_id", "seed", "runs", "checkpoints", "checkpoints_met", "regions", "killed",
               "captured", "count", "ratio", "weighted", "fronts"}  # fmt: skip
DATE_ROLES = {"day", "month", "start", "end", "snapshot", "control"}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("chron") / "res")


class Log:
    """The results tables, read independently of the chronicle module."""

    def __init__(self, results: Path, run_id: int):
        con = duckdb.connect()
        q = str(results / "events.parquet").replace("'", "''")
        self.events = {
            int(r[0]): {
                "date": r[1],
                "kind": r[2],
                "actor": r[3],
                "target": r[4],
                "region": r[5],
                "details": json.loads(r[6]),
                "run": int(r[7]),
            }
            for r in con.execute(
                "SELECT file_row_number, date, kind::VARCHAR, actor::VARCHAR, target::VARCHAR, "
                f"region::VARCHAR, details, run_id FROM read_parquet('{q}', "
                "file_row_number = true)"
            ).fetchall()
        }
        self.run = run_id
        self.meta = json.loads((results / "ensemble.json").read_text())
        self.runs = {
            int(r[0]): (int(r[1]), r[2])
            for r in con.execute(
                f"SELECT run_id, seed, end_date FROM read_parquet('{results / 'runs.parquet'}')"
            ).fetchall()
        }
        self.powers = {
            (r[0], r[1]): r[2:]
            for r in con.execute(
                "SELECT power::VARCHAR, date, regions, killed, captured FROM "
                f"read_parquet('{results / 'powers.parquet'}') WHERE run_id = ?",
                [run_id],
            ).fetchall()
        }
        self.initial = dict(
            con.execute(
                f"SELECT region, controller FROM read_parquet('{results / 'regions.parquet'}')"
            ).fetchall()
        )
        cps, ctx = manifest_plan(self.meta)
        judged = judge_runs(results, cps, ctx) if cps else {}
        self.met = sum(bool(j["met"][list(j["run_id"]).index(run_id)]) for j in judged.values())

    def holder(self, region: str, on: date) -> str:
        c = self.initial.get(region)
        for _, e in sorted(self.events.items()):
            if (
                e["run"] == self.run
                and e["kind"] == "region_captured"
                and e["region"] == region
                and e["date"] <= on
            ):
                c = e["actor"]
        return c


def _parse(text: str) -> float:
    return float(text.replace(",", "").rstrip("%")) / (100 if text.endswith("%") else 1)


def _tolerance(text: str) -> float:
    """Half the last printed digit."""
    if text.endswith("%"):
        return 0.005
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10**-decimals


def check_number(p: chron.Part, s: chron.Sentence, log: Log) -> str | None:
    """None when the number is what the log says; otherwise what is wrong."""
    evs = [log.events[i] for i in p.events]
    if any(e["run"] != log.run for e in evs):
        return f"{s.kind}: {p.role} cites another run's events"
    if p.role in DETAIL_ROLES:
        if not evs:
            return f"{s.kind}: {p.role} cites no event"
        expected = sum(e["details"][p.role] or 0 for e in evs)
    elif p.role == "weighted":
        # A war entry's driver: printed without its sign, which the words after it carry.
        if len(evs) != 1 or evs[0]["kind"] != "entry_factor":
            return f"{s.kind}: a driver's weight must cite its one entry_factor event"
        signed = evs[0]["details"]["weighted"]
        after = s.parts[s.parts.index(p) + 1].text
        if ("for joining" in after) != (signed > 0) or ("against" in after) != (signed < 0):
            return f"{s.kind}: the weight {p.text} reads{after!r}, the log says {signed}"
        expected = abs(signed)
    elif p.role == "fronts":
        # The fronts a reinforcement sentence counts rather than names: distinct regions.
        if not evs or not set(p.events) <= set(s.events):
            return f"{s.kind}: fronts counted outside the sentence"
        named = {log.events[i]["region"] for i in s.events} - {e["region"] for e in evs}
        if named & {e["region"] for e in evs}:
            return f"{s.kind}: a front both named and counted"
        expected = len({e["region"] for e in evs})
    elif p.role == "count":
        if not evs or not set(p.events) <= set(s.events):
            return f"{s.kind}: a count of events outside the sentence"
        if s.kind == "battles_summary" and len(p.events) != len(s.events):
            won = {i for i in s.events if log.events[i]["details"]["attacker_won"]}
            if set(p.events) != won:
                return "battles_summary: the count of battles won is not the battles won"
        expected = len(p.events)
    elif p.role == "ratio":
        a, b = p.key
        cp = next(c["casualty_ratio"] for c in log.meta["checkpoints"] if "casualty_ratio" in c
                  and (c["casualty_ratio"]["a"], c["casualty_ratio"]["b"]) == (a, b))  # fmt: skip
        until = date.fromisoformat(cp["until"]) if cp.get("until") else log.runs[log.run][1]
        battles = {
            i
            for i, e in log.events.items()
            if e["run"] == log.run
            and e["kind"] == "battle"
            and {e["actor"], e["target"]} == {a, b}
            and e["date"] <= until
        }
        if set(p.events) != battles:
            return "ratio: not every battle between the two sides"
        la = sum(e["details"]["attacker_losses" if e["actor"] == a else "defender_losses"]
                 for e in evs)  # fmt: skip
        lb = sum(e["details"]["defender_losses" if e["actor"] == a else "attacker_losses"]
                 for e in evs)  # fmt: skip
        expected = la / lb
    elif p.role == "run_id":
        expected = log.run
    elif p.role == "seed":
        expected = log.runs[log.run][0] % 2**64  # stored as int64, drawn as uint64
    elif p.role == "runs":
        expected = len(log.runs)
    elif p.role == "checkpoints":
        expected = len(log.meta["checkpoints"])
    elif p.role == "checkpoints_met":
        expected = log.met
    elif p.role in ("regions", "killed", "captured"):
        row = log.powers[(p.key[0], date.fromisoformat(p.key[1]))]
        expected = row[("regions", "killed", "captured").index(p.role)]
    else:
        return f"{s.kind}: number of unknown role {p.role!r}"
    if abs(_parse(p.text) - expected) > _tolerance(p.text) + 1e-9:  # a printed half may round up
        return f"{s.kind}: {p.role} reads {p.text}, the log says {expected}"
    return None


def check_date(p: chron.Part, s: chron.Sentence, log: Log) -> str | None:
    """None when the date is the log's."""
    if p.role == "day":
        if not p.events or any(log.events[i]["date"] != p.day for i in p.events):
            return f"{s.kind}: {p.text} is not the date of its events"
    elif p.role == "start":
        if p.day != date.fromisoformat(log.meta["start"]):
            return "start date"
    elif p.role == "end":
        if p.day != log.runs[log.run][1]:
            return "end date"
    elif p.role == "snapshot":
        if p.day != max(d for (_, d) in log.powers):
            return "snapshot date"
    elif p.role == "control":
        region, holder = p.key
        if log.holder(region, p.day) != holder:
            return f"{s.kind}: {region} was not held by {holder} on {p.day}"
    else:
        return f"{s.kind}: date of unknown role {p.role!r}"
    day, month, year = p.text.split(" ")[0], p.text.split(" ")[1], p.text.split(" ")[-1]
    if (int(day), chron.MONTHS.index(month) + 1) != (p.day.day, p.day.month):
        return f"{s.kind}: {p.text} does not read {p.day}"
    if year.isdigit() and int(year) != p.day.year:
        return f"{s.kind}: {p.text} has the wrong year"
    return None


def audit(ch: chron.Chronicle, results: Path, fmt: str = "md", text: str | None = None) -> list:
    """Every problem with the chronicle's numbers and dates (empty: all true to the log)."""
    log = Log(results, ch.run_id)
    problems = []
    # 1. The text: its digits, read back in order, are exactly the fragments' numbers and dates.
    masked = text if text is not None else chron.render(ch, fmt, mask=True)
    found = ["".join(m) for m in TOKEN.findall(seen(masked, fmt))]
    heads = [p for p in ch.title if p.kind in ("num", "date")]
    expected = [p.text for p in heads] * (2 if fmt == "html" else 1)
    for s in ch.intro:
        expected += [p.text for p in s.parts if p.kind in ("num", "date")]
    for c in ch.chapters:
        expected += [p.text for p in c.heading if p.kind in ("num", "date")]
        for s in c.sentences:
            expected += [p.text for p in s.parts if p.kind in ("num", "date")]
    for s in ch.epilogue:
        expected += [p.text for p in s.parts if p.kind in ("num", "date")]
    if found != expected:
        problems.append(
            f"the text's numbers and dates differ from the fragments: {found} {expected}"
        )
    # 2. Each fragment: its numbers and dates are what the log says.
    title = chron.Sentence("title", date.min, (), ch.title)
    for s in [title, *ch.sentences()]:
        if s.kind not in chron.SENTENCE_KINDS and s is not title:
            problems.append(f"unknown sentence type {s.kind}")
        for p in s.parts:
            if p.kind == "text" and re.search(r"\d", p.text):
                problems.append(f"{s.kind}: digits in template words {p.text!r}")
            elif p.kind == "num":
                problems.append(check_number(p, s, log))
            elif p.kind == "date":
                problems.append(check_date(p, s, log))
        if s.kind == "divergence":
            words = {c["description"].strip() for c in log.meta["checkpoints"]}
            words |= {(c.get("quote") or "").strip() for c in log.meta["checkpoints"]}
            problems += [f"misquoted {p.text!r}" for p in s.parts if p.kind == "quote"
                         and p.text not in words]  # fmt: skip
        if s.kind == "invented_quote" and not s.text().endswith("(invented)"):
            problems.append("an invented quote without its mark")
    for c in ch.chapters:
        month = next(p for p in c.heading if p.kind == "date").day
        if any((s.day.year, s.day.month) != (month.year, month.month) for s in c.sentences):
            problems.append(f"a sentence outside its chapter's month {month}")
    return [p for p in problems if p]


def test_every_sentence_type_is_true_to_the_log(results):
    ch = chron.build(results, 0, quotes=True)
    kinds = {s.kind for s in ch.sentences()}
    assert kinds >= set(chron.SENTENCE_KINDS) - {"note"}, set(chron.SENTENCE_KINDS) - kinds
    for fmt in chron.FORMATS:
        assert audit(ch, results, fmt) == []
    # All six kinds of checkpoint are missed in run 0, each with its own commentary.
    notes = [s.text() for s in ch.sentences() if s.kind == "divergence"]
    assert len(notes) == 6
    assert any("took it only on 27 September 1939" in n for n in notes)
    assert any("Lwów was held by the Union of Soviet Socialist Republics" in n for n in notes)


def test_a_wrong_number_fails(results, tmp_path):
    ch = chron.build(results, 0)
    masked = chron.render(ch, "md", mask=True)
    assert "4,210" in masked
    assert audit(ch, results, text=masked.replace("4,210", "4,211", 1))
    assert audit(ch, results, text=masked.replace("27 September", "28 September", 1))
    # The same chronicle against a log where one battle lost one man more.
    bad = shutil.copytree(results, tmp_path / "bad")
    t = pq.read_table(bad / "events.parquet")
    details = t.column("details").to_pylist()
    i = next(k for k, d in enumerate(details) if '"attacker_losses": 4210' in d)
    details[i] = details[i].replace("4210", "4211")
    t = t.set_column(t.schema.get_field_index("details"), "details", pa.array(details))
    pq.write_table(t, bad / "events.parquet")
    problems = audit(ch, bad)
    assert problems and all("4,210" in p for p in problems), problems


def test_the_same_run_gives_the_same_bytes(results):
    for fmt in chron.FORMATS:
        a = chron.render(chron.build(results, 0, quotes=True), fmt)
        b = chron.render(chron.build(results, 0, quotes=True), fmt)
        assert a == b


def test_quotes_only_when_asked_and_marked(results):
    plain = chron.render(chron.build(results, 0), "md")
    assert "(invented)" not in plain and "Hitler" not in plain
    ch = chron.build(results, 0, quotes=True)
    quoted = [s for s in ch.sentences() if s.kind == "invented_quote"]
    assert quoted and all(s.text().endswith("(invented)") for s in quoted)
    assert chron.render(ch, "md").count("(invented)") == len(quoted)


def test_names_come_from_the_scenario(results):
    text = chron.render(chron.build(results, 0), "md")
    assert "3rd Army (17,000 men)" in text  # a force named in the scenario
    assert "Georg von Küchler was relieved" in text or "Georg von Küchler in command" in text
    assert "Franco-Polish alliance" in text
    # Chapters: the scenario's named campaign, else the powers' names.
    assert "## The Polish Campaign, September 1939" in text
    assert "## The French Republic against the German Reich, September 1939" in text
    assert "kuchler" not in text and "ger_3rd_army" not in text


def test_formats_escape_names_and_stay_self_contained(tmp_path):
    evil = "War<script>alert(1)</script>saw [b]&[/b] *x*"
    res = write_fixture(tmp_path / "evil", hostile=evil)
    ch = chron.build(res, 0)
    page = chron.render(ch, "html")
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page and "<link" not in page
    bb = chron.render(ch, "bbcode")
    assert "[b]&[/b]" not in bb and "(b)&(/b)" in bb
    shown = evil.replace("[", "(").replace("]", ")")
    assert "<" not in bb.replace(shown, "")  # BBCode only: no HTML beside the name itself
    for tag in ("b", "i", "u", "quote", "list"):
        assert bb.count(f"[{tag}]") == bb.count(f"[/{tag}]"), tag
    md = chron.render(ch, "md")
    assert r"War\<script\>" in md and r"\*x\*" in md
    for fmt in chron.FORMATS:
        assert audit(ch, res, fmt) == []


def test_picks(results):
    # Runs 1 and 2 are the same war; run 0 is the odd one out.
    assert chron.build(results, pick="typical").run_id == 1
    assert chron.build(results, pick="canon-closest").run_id == 1  # it meets two checkpoints
    assert chron.build(results, pick="divergent").run_id == 0  # it meets one
    ch = chron.build(results, pick="divergent")
    assert "the fewest of the canon's checkpoints" in chron.render(ch, "md")
    # A claim: a run where a checkpoint holds (or, with !, fails).
    assert chron.build(results, pick="soviets_come").run_id == 1
    assert chron.build(results, pick="!soviets_come").run_id == 0
    with pytest.raises(chron.ChronicleError, match="no run .* meets warsaw_early"):
        chron.build(results, pick="warsaw_early")


def test_user_mistakes(results, tmp_path):
    with pytest.raises(chron.ChronicleError, match="runs 0 to 2"):
        chron.build(results, 7)
    with pytest.raises(chron.ChronicleError, match="not a results directory"):
        chron.build(tmp_path)
    unfinished = shutil.copytree(results, tmp_path / "unfinished")
    meta = json.loads((unfinished / "ensemble.json").read_text())
    (unfinished / "ensemble.json").write_text(json.dumps({**meta, "status": "running"}))
    with pytest.raises(chron.ChronicleError, match="not complete"):
        chron.build(unfinished)
    bare = shutil.copytree(results, tmp_path / "bare")
    (bare / "ensemble.json").write_text(json.dumps({**meta, "checkpoints": []}))
    with pytest.raises(chron.ChronicleError, match="no checkpoints"):
        chron.build(bare, pick="divergent")


def test_cli_writes_atomically_and_reports_mistakes(results, tmp_path, monkeypatch, capsys):
    import sys

    from twinvipers import cli

    def run(*args: str) -> int:
        monkeypatch.setattr(sys, "argv", ["twinvipers", *args])
        try:
            cli.main()
        except SystemExit as exc:
            return int(exc.code or 0)
        return 0

    out = tmp_path / "c.bbcode"
    assert (
        run("chronicle", str(results), "--run", "0", "--format", "bbcode", "--out", str(out)) == 0
    )
    assert out.read_text().startswith("[size=150][b]") and not list(tmp_path.glob("*.tmp"))
    capsys.readouterr()
    for args, message in (
        (("--run", "9"), "runs 0 to 2"),
        (("--run", "0", "--pick", "typical"), "not both"),
        (("--pick", "oddest"), "use typical, divergent, canon-closest or a checkpoint id"),
        (("--format", "pdf"), "use md, html or bbcode"),
    ):
        assert run("chronicle", str(results), *args) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
    assert run("chronicle", str(tmp_path / "nowhere")) == 2
    assert "not a results directory" in capsys.readouterr().err


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Path:
    """A tiny real ensemble of the built-in scenario (four runs, one worker)."""
    from twinvipers.ensemble.runner import Spec, run_ensemble

    out = tmp_path_factory.mktemp("real") / "poland"
    run_ensemble(Spec("poland_1939", 4, seed=3, chunk_size=4), out, workers=1)
    return out


@pytest.mark.slow
def test_a_real_run_is_true_to_its_log_and_byte_identical(real, tmp_path):
    from tests.conftest import cli

    # The engine records both sides' strength on every battle (history.record_more).
    con = duckdb.connect()
    q = str(real / "events.parquet").replace("'", "''")
    men = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE fields.attacker_men > 0 AND "
        f"fields.defender_men > 0) FROM read_parquet('{q}') WHERE kind = 'battle'"
    ).fetchone()
    assert men[0] > 0 and men[0] == men[1], men
    for pick in ("typical", "divergent"):
        ch = chron.build(real, pick=pick, quotes=True)
        kinds = {s.kind for s in ch.sentences()}
        assert {"war_declared", "battle", "region_captured"} <= kinds
        assert all(" men against " in s.text() for s in ch.sentences() if s.kind == "battle")
        for fmt in chron.FORMATS:
            assert audit(ch, real, fmt) == []
    outs = []
    for i in range(2):  # two processes: no state carried over between invocations
        out = tmp_path / f"run{i}.html"
        r = cli("chronicle", str(real), "--pick", "canon-closest", "--format", "html",
                "--out", str(out))  # fmt: skip
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0].startswith(b"<!DOCTYPE html>")


def test_halves_round_up_as_a_reader_rounds():
    # 0.225 of shipping stopped (a real blockade's share) printed as 22% failed the audit.
    assert chron.fmt_number(0.225, "pct") == "23%"
    assert chron.fmt_number(22.5) == "23" and chron.fmt_number(2.05, "dec") == "2.1"
    assert chron.fmt_number(0.04, "dec") == "0.04" and chron.fmt_number(1234567.4) == "1,234,567"


def test_the_report_section_links_the_typical_and_the_divergent_run(results):
    section = chron.report_section(results)
    hrefs = re.findall(r"href='#([^']+)'", section)
    assert hrefs == ["chronicle-typical", "chronicle-divergent"]
    for h in hrefs:
        assert f"<details id='{h}'>" in section
    assert "the typical run (run 1)" in section and "furthest from the canon (run 0)" in section
    assert "<body>" not in section and "<h1>" not in section


def test_the_new_event_kinds_are_told(results):
    text = chron.render(chron.build(results, 0), "md")
    # Battles with both sides' strength, and across a line the scenario names.
    assert "at Łódź across the Warta, 182,300 men against 96,450." in text
    assert "for Kraków, 120,500 men against 61,000." in text
    # The high command's own decisions and why.
    assert "Warsaw, held by the Republic of Poland; the combat model gave the attack a 72%" in text
    assert "sent 8 forces (120,000 men) to reinforce its threatened fronts at Poznań, " in text
    assert "Łódź and 2 other fronts." in text
    assert "its field army of 650,000 men had 41% of the supply it needed" in text
    assert "gave up its objective of Lwów; it went over to the defensive" in text
    # A war entry with its largest drivers (a driver under 0.005 is not named).
    assert "its chance of joining that side had reached 64%" in text
    assert (
        "the course of the war (0.41 for joining), the stance of those who decided (0.22 " in text
    )
    assert "against) and the threat each side posed (0.12 for joining)" in text
    assert "spoils" not in text
    # Oil: a shortage, routes cut, open and open again; the first day's openings are not news.
    assert "met only 42% of its forces' fuel needs that day, with 812 thousand tons" in text
    assert "the overseas oil route of the German Reich was cut: only 20%" in text
    assert "Białystok and Brest Litovsk was cut: no oil got through any more." in text
    assert "oil flowed again along the oil route from the Union" in text
    assert text.count("opened (100% of its oil getting through)") == 1


def test_a_wrong_strength_or_driver_fails(results, tmp_path):
    ch = chron.build(results, 0)
    bad = shutil.copytree(results, tmp_path / "bad")
    t = pq.read_table(bad / "events.parquet")
    details = t.column("details").to_pylist()
    i = next(k for k, d in enumerate(details) if '"attacker_men": 182300' in d)
    details[i] = details[i].replace("182300", "182400")
    j = next(k for k, d in enumerate(details) if '"weighted": 0.118' in d)
    details[j] = details[j].replace("0.118", "-0.118")  # the sign: for joining becomes against
    t = t.set_column(t.schema.get_field_index("details"), "details", pa.array(details))
    pq.write_table(t, bad / "events.parquet")
    problems = audit(ch, bad)
    assert len(problems) == 2, problems
    assert "182,300" in problems[0] and "-0.118" in problems[1]


def test_campaign_windows_hand_over_and_fall_back(tmp_path):
    from twinvipers.scenario import schema

    names = type("N", (), {})()
    names.campaigns = [
        schema.Campaign(id="first", name="The Border Battles", a=["JAP"], b=["SOV", "MON"],
                        end=date(1939, 8, 31), source="x y"),
        schema.Campaign(id="second", name="The Great Offensive", a=["SOV"], b=["JAP"],
                        start=date(1939, 9, 1), source="x y"),
    ]  # fmt: skip
    names.power = lambda p: p
    meta = {"powers": {"JAP": {"camp": "japan"}, "SOV": {"camp": "comintern"},
                       "MON": {"camp": "comintern"}, "CHN": {"camp": "china"}}}  # fmt: skip
    camps = chron.Campaigns(meta, names)
    for a, b in (("JAP", "SOV"), ("JAP", "MON")):
        camps.war(a, b, True)
    assert camps.of_pair("MON", "JAP", date(1939, 7, 1)) == ("campaign", "first")
    assert camps.of_power("SOV", date(1939, 7, 2)) == ("campaign", "first")
    # After its window, a power's acts go to the campaign naming the same pair now.
    assert camps.of_power("JAP", date(1939, 10, 1)) == ("campaign", "second")
    assert camps.of_pair("MON", "JAP", date(1939, 10, 1)) == ("comintern", "japan")
    assert camps.of_pair("CHN", "JAP", date(1939, 10, 1)) == ("china", "japan")
    assert camps.title(("campaign", "second"), [], []) == [chron.N("The Great Offensive")]
    with pytest.raises(ValueError, match="SOV on both sides"):
        schema.Campaign(id="x", name="X", a=["SOV"], b=["SOV"])


def test_the_twin_vipers_campaigns_are_the_seeds_chapter_headings(shared_dir):
    from twinvipers.scenario.load import load

    seed = (shared_dir / "seed" / "the-twin-vipers-timeline.txt").read_text(encoding="utf-8")
    headings = {
        line.rsplit(",", 1)[0] for line in seed.splitlines() if re.search(r", \w+ 19\d\d$", line)
    }
    s = load("twin_vipers_1939").scenario
    seed_named = [c for c in s.campaigns if c.source == "tv_seed"]
    assert len(seed_named) >= 8
    for c in seed_named:
        assert c.name.replace("'", "’") in headings, c.name
    # Each seed-named campaign's window holds the month its heading gives.
    for line in seed.splitlines():
        m = re.fullmatch(r"(.+), (\w+) (19\d\d)", line.strip())
        named = [c for c in seed_named if m and c.name.replace("'", "’") == m.group(1)]
        for c in named:
            month = date(int(m.group(3)), chron.MONTHS.index(m.group(2)) + 1, 1)
            assert (c.start or date.min).replace(day=1) <= month <= (c.end or date.max), c.name


def test_the_article_before_a_number_is_as_it_is_read():
    assert [chron._article(x) for x in ("83%", "8%", "11%", "18%", "1%", "100%", "72%")] == [
        "an", "an", "an", "an", "a", "a", "a"
    ]  # fmt: skip
