"""Claims: a small language for questions about an ensemble, one parser, one evaluator.

A claim is a statement about one run; over an ensemble it is true in a share of the runs.
Atoms (``REGION`` and ``EVENT`` are ids, ``TAG`` a power's tag, ``TAGS`` tags joined by commas,
dates ``YYYY-MM-DD``)::

    TAG at war with TAG WINDOW                 ITA at war with FRA before 1941-01-01
    REGION held by TAGS on DATE                harbin held by JAP,MAN on 1940-04-30
    REGION taken by TAGS [from DATE] UNTIL     viipuri taken by SOV before 1940-03-18
    TAG capitulates WINDOW                     FRA capitulates before 1940-08-01
    TAG capitulates between N and N days after DATE
    event EVENT fires [from DATE] UNTIL        event soviet_invasion fires by 1939-09-30
    war TAG TAG lasts between N and N days     war SOV FIN lasts between 90 and 120 days
    killed TAG / killed TAG between X and Y [by DATE]

``UNTIL`` is ``by DATE`` (that day included) or ``before DATE`` (the day before at the latest);
``WINDOW`` is an ``UNTIL``, ``on DATE`` or ``between DATE and DATE`` (both days included).
Atoms combine with ``not``, ``and``, ``or`` (in that order of precedence) and parentheses.
Keywords are case-insensitive; ids and tags are as the scenario writes them.

Measures are numbers per run, for sensitivity analysis: ``killed TAG / killed TAG [by DATE]``
(the casualty ratio), ``regions of TAGS on DATE`` (land regions held) and ``day of ATOM``
(days from the start to the day the atom's event happened; a run where it never did is left
out).

Scenario checkpoints are claims too: :func:`checkpoint_claim` writes each as claim text and the
plausibility table judges that text with this module's evaluator.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

#: Event kinds each atom kind reads.
NEEDS = {
    "taken": ("region_captured",),
    "held": ("region_captured",),
    "capitulates": ("capitulation", "scripted"),
    "war_lasts": ("war_declared", "peace"),
    "at_war": ("war_declared", "peace"),
    "fired": ("scripted",),
    "casualty_ratio": ("battle",),
    "regions": ("region_captured",),
}
_EPOCH = date(1970, 1, 1)
_MAX = date(9999, 12, 31)


class ClaimError(ValueError):
    """A claim that does not parse, or names what the ensemble does not hold, located."""

    def __init__(self, text: str, column: int, message: str):
        self.text, self.column, self.message = text, column, message
        super().__init__(f"claim, column {column}: {message}\n  {text}\n  {' ' * (column - 1)}^")


# --- the syntax tree ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Atom:
    """One test of a run: ``kind`` and its arguments (dates, tags, numbers)."""

    kind: str
    args: tuple[tuple[str, Any], ...]
    column: int = dataclasses.field(default=1, compare=False)

    def get(self, name: str, default: Any = None) -> Any:
        """One argument by name."""
        return dict(self.args).get(name, default)


@dataclasses.dataclass(frozen=True)
class Not:
    """Negation."""

    x: Any


@dataclasses.dataclass(frozen=True)
class And:
    """Conjunction."""

    xs: tuple[Any, ...]


@dataclasses.dataclass(frozen=True)
class Or:
    """Disjunction."""

    xs: tuple[Any, ...]


@dataclasses.dataclass(frozen=True)
class Measure:
    """A number per run: ``casualty_ratio``, ``regions`` or ``day`` (of an atom)."""

    kind: str
    args: tuple[tuple[str, Any], ...]

    def get(self, name: str, default: Any = None) -> Any:
        """One argument by name."""
        return dict(self.args).get(name, default)


def atoms(node: Any) -> list[Atom]:
    """The atoms of a claim or measure, in order."""
    if isinstance(node, Atom):
        return [node]
    if isinstance(node, Not):
        return atoms(node.x)
    if isinstance(node, And | Or):
        return [a for x in node.xs for a in atoms(x)]
    if isinstance(node, Measure):
        inner = node.get("atom")
        return [inner] if inner is not None else []
    return []


# --- the parser ---------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<date>\d{4}-\d{2}-\d{2}\b)|(?P<baddate>\d{4}-[\w-]*)|(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<sym>[(),/]))"
)


@dataclasses.dataclass
class _Tok:
    kind: str  # date, num, word, sym, end
    text: str
    col: int  # 1-based


def _tokens(text: str) -> list[_Tok]:
    out, i = [], 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        m = _TOKEN.match(text, i)
        if not m or m.end() == i:
            raise ClaimError(text, i + 1, f"unexpected character {text[i]!r}")
        kind = m.lastgroup or "sym"
        out.append(_Tok(kind, m.group(kind), m.start(kind) + 1))
        i = m.end()
    out.append(_Tok("end", "", len(text) + 1))
    return out


_KEYWORDS = {
    "and",
    "or",
    "not",
    "at",
    "war",
    "with",
    "held",
    "taken",
    "by",
    "on",
    "from",
    "before",
    "between",
    "capitulates",
    "days",
    "after",
    "event",
    "fires",
    "lasts",
    "killed",
    "regions",
    "of",
    "day",
}


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    # helpers
    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def _shown(self, t: _Tok) -> str:
        return "the end of the claim" if t.kind == "end" else repr(t.text)

    def fail(self, expected: str, t: _Tok | None = None) -> ClaimError:
        t = t or self.tok
        return ClaimError(self.text, t.col, f"expected {expected}, got {self._shown(t)}")

    def is_kw(self, *words: str) -> bool:
        return self.tok.kind == "word" and self.tok.text.lower() in words

    def kw(self, word: str) -> _Tok:
        if not self.is_kw(word):
            raise self.fail(f"'{word}'")
        t = self.tok
        self.i += 1
        return t

    def name(self, what: str) -> str:
        t = self.tok
        # Keywords are lower case here: an upper-case tag such as "AT" or "OR" stays a name.
        if t.kind != "word" or t.text in _KEYWORDS:
            raise self.fail(what)
        self.i += 1
        return t.text

    def tags(self) -> tuple[str, ...]:
        out = [self.name("a power's tag")]
        while self.tok.kind == "sym" and self.tok.text == ",":
            self.i += 1
            out.append(self.name("a power's tag after ','"))
        return tuple(out)

    def date(self) -> date:
        t = self.tok
        if t.kind != "date":
            raise self.fail("a date (YYYY-MM-DD)")
        try:
            d = date.fromisoformat(t.text)
        except ValueError:
            raise ClaimError(self.text, t.col, f"{t.text!r} is not a calendar date") from None
        self.i += 1
        return d

    def number(self) -> float:
        t = self.tok
        if t.kind != "num":
            raise self.fail("a number")
        self.i += 1
        return float(t.text)

    def until(self) -> date:
        """``by D`` (inclusive) or ``before D``: the last day of the window."""
        if self.is_kw("by"):
            self.i += 1
            return self.date()
        if self.is_kw("before"):
            self.i += 1
            return self.date() - timedelta(days=1)
        raise self.fail("'by DATE' or 'before DATE'")

    def window(self) -> tuple[date | None, date]:
        """``by``/``before``/``on D`` or ``between D and D``: (first day or None, last day)."""
        if self.is_kw("on"):
            self.i += 1
            d = self.date()
            return d, d
        if self.is_kw("between"):
            self.i += 1
            a = self.date()
            self.kw("and")
            b_tok = self.tok
            b = self.date()
            if b < a:
                raise ClaimError(self.text, b_tok.col, f"{b} is before {a}")
            return a, b
        if self.is_kw("by", "before"):
            return None, self.until()
        raise self.fail("'before DATE', 'by DATE', 'on DATE' or 'between DATE and DATE'")

    def range_(self, unit: str = "") -> tuple[float, float]:
        self.kw("between")
        lo = self.number()
        self.kw("and")
        t = self.tok
        hi = self.number()
        if hi < lo:
            raise ClaimError(self.text, t.col, f"{hi:g} is below {lo:g}")
        if unit:
            self.kw(unit)
        return lo, hi

    # grammar
    def claim(self) -> Any:
        node = self.or_()
        if self.tok.kind != "end":
            raise self.fail("'and', 'or' or the end of the claim")
        return node

    def or_(self) -> Any:
        xs = [self.and_()]
        while self.is_kw("or"):
            self.i += 1
            xs.append(self.and_())
        return xs[0] if len(xs) == 1 else Or(tuple(xs))

    def and_(self) -> Any:
        xs = [self.not_()]
        while self.is_kw("and"):
            self.i += 1
            xs.append(self.not_())
        return xs[0] if len(xs) == 1 else And(tuple(xs))

    def not_(self) -> Any:
        if self.is_kw("not"):
            self.i += 1
            return Not(self.not_())
        if self.tok.kind == "sym" and self.tok.text == "(":
            self.i += 1
            node = self.or_()
            if not (self.tok.kind == "sym" and self.tok.text == ")"):
                raise self.fail("')'")
            self.i += 1
            return node
        return self.atom()

    def atom(self) -> Atom:
        start = self.tok
        col = start.col
        if start.kind == "end":
            raise self.fail("a claim such as 'warsaw held by GER on 1939-10-01'")
        if self.is_kw("event"):
            self.i += 1
            ev = self.name("an event id")
            self.kw("fires")
            frm = None
            if self.is_kw("from"):
                self.i += 1
                frm = self.date()
            return Atom("fired", (("event", ev), ("from", frm), ("until", self.until())), col)
        if self.is_kw("war"):
            self.i += 1
            a = self.name("a power's tag")
            b = self.name("a second power's tag")
            self.kw("lasts")
            lo, hi = self.range_("days")
            return Atom("war_lasts", (("a", a), ("b", b), ("days", (lo, hi))), col)
        if self.is_kw("killed"):
            a, b, until = self.ratio()
            lo, hi = self.range_()
            if self.is_kw("by"):
                self.i += 1
                until = self.date()
            return Atom(
                "casualty_ratio", (("a", a), ("b", b), ("range", (lo, hi)), ("until", until)), col
            )
        subject = self.name("a region id, a power's tag, 'event', 'war', 'killed' or '('")
        if self.is_kw("held"):
            self.i += 1
            self.kw("by")
            by = self.tags()
            self.kw("on")
            return Atom("held", (("region", subject), ("by", by), ("on", self.date())), col)
        if self.is_kw("taken"):
            self.i += 1
            self.kw("by")
            by = self.tags()
            frm = None
            if self.is_kw("from"):
                self.i += 1
                frm = self.date()
            args = (("region", subject), ("by", by), ("from", frm), ("until", self.until()))
            return Atom("taken", args, col)
        if self.is_kw("at"):
            self.i += 1
            self.kw("war")
            self.kw("with")
            b = self.name("a power's tag")
            frm, until = self.window()
            return Atom("at_war", (("a", subject), ("b", b), ("from", frm), ("until", until)), col)
        if self.is_kw("capitulates"):
            self.i += 1
            if self.is_kw("between") and self.toks[self.i + 1].kind == "num":
                lo, hi = self.range_("days")
                self.kw("after")
                after = self.date()
            else:  # a window of dates, as days after its first (or before its last) day
                frm, until = self.window()
                if frm is not None:
                    after, lo, hi = frm, 0.0, float((until - frm).days)
                else:
                    after, lo, hi = until, float("-inf"), 0.0
            args = (("power", subject), ("after", after), ("days", (lo, hi)))
            return Atom("capitulates", args, col)
        raise self.fail("'held by', 'taken by', 'at war with' or 'capitulates'")

    def ratio(self) -> tuple[str, str, date | None]:
        self.kw("killed")
        a = self.name("a power's tag")
        if not (self.tok.kind == "sym" and self.tok.text == "/"):
            raise self.fail("'/'")
        self.i += 1
        self.kw("killed")
        b = self.name("a power's tag")
        return a, b, None

    def measure(self) -> Measure:
        if self.is_kw("killed"):
            a, b, _ = self.ratio()
            until = None
            if self.is_kw("by"):
                self.i += 1
                until = self.date()
            node = Measure("casualty_ratio", (("a", a), ("b", b), ("until", until)))
        elif self.is_kw("regions"):
            self.i += 1
            self.kw("of")
            by = self.tags()
            self.kw("on")
            node = Measure("regions", (("by", by), ("on", self.date())))
        elif self.is_kw("day"):
            self.i += 1
            self.kw("of")
            node = Measure("day", (("atom", self.atom()),))
        else:
            raise self.fail("'killed TAG / killed TAG', 'regions of TAGS on DATE' or 'day of'")
        if self.tok.kind != "end":
            raise self.fail("the end of the measure")
        return node


def parse(text: str) -> Any:
    """Parse a claim into its tree (:class:`Atom`, :class:`Not`, :class:`And`, :class:`Or`).

    Raises:
        ClaimError: with the column and what was expected there.
    """
    return _Parser(text).claim()


def parse_measure(text: str) -> Measure:
    """Parse a measure (a number per run); see the module's docstring."""
    return _Parser(text).measure()


def is_measure(text: str) -> bool:
    """True when the text is meant as a measure (so a malformed one gets the measure's error).

    A measure starts ``day of`` or ``regions of``, or is a casualty ratio without a range.
    """
    words = text.lower().split()
    if words[:2] in (["day", "of"], ["regions", "of"]):
        return True
    return bool(words) and words[0] == "killed" and "between" not in words


# --- checkpoints as claims ----------------------------------------------------------------------


def _g(x: float) -> str:
    return f"{x:g}"


def checkpoint_claim(cp: Any) -> str:
    """A scenario checkpoint written as claim text (it parses to the same test)."""
    from twinvipers.scenario.schema import checkpoint_kind

    kind = checkpoint_kind(cp)
    x = getattr(cp, kind)
    if kind == "taken":
        frm = f" from {x.from_}" if x.from_ else ""
        return f"{x.region} taken by {','.join(x.by)}{frm} by {x.until}"
    if kind == "held":
        return f"{x.region} held by {','.join(x.by)} on {x.on}"
    if kind == "capitulates":
        return f"{x.power} capitulates between {x.days[0]} and {x.days[1]} days after {x.after}"
    if kind == "war_lasts":
        return f"war {x.a} {x.b} lasts between {x.days[0]} and {x.days[1]} days"
    if kind == "fired":
        frm = f" from {x.from_}" if x.from_ else ""
        return f"event {x.event} fires{frm} by {x.until}"
    until = f" by {x.until}" if x.until else ""
    return f"killed {x.a} / killed {x.b} between {_g(x.range_[0])} and {_g(x.range_[1])}{until}"


# --- the evaluator ------------------------------------------------------------------------------


def _q(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _ordinal(d: date) -> int:
    return (d - _EPOCH).days


class Tables:
    """The results tables a judgement reads, loaded once into an in-memory DuckDB."""

    def __init__(self, results_dir: Path | str, kinds: set[str], context: dict | None = None):
        d = Path(results_dir)
        self.dir = d
        self.con = duckdb.connect()
        self.con.execute(
            f"CREATE TEMP TABLE runs AS SELECT run_id FROM read_parquet({_q(d / 'runs.parquet')})"
            " ORDER BY run_id"
        )
        self.con.execute(
            f"CREATE TEMP TABLE regions AS SELECT * FROM read_parquet({_q(d / 'regions.parquet')})"
        )
        # file_row_number keeps the engine's recording order within a day (the file is sorted
        # by run, date, then recording order), which decides who holds a region at day's end.
        self.con.execute(
            "CREATE TEMP TABLE ev AS SELECT run_id, date, kind::VARCHAR AS kind, "
            "actor::VARCHAR AS actor, target::VARCHAR AS target, region::VARCHAR AS region, "
            "details, file_row_number AS seq "
            f"FROM read_parquet({_q(d / 'events.parquet')}, file_row_number = true) "
            "WHERE kind::VARCHAR IN (SELECT unnest(?))",
            [sorted(kinds) or [""]],
        )
        self.meta = json.loads((d / "ensemble.json").read_text(encoding="utf-8"))
        self.context = context if context is not None else self.meta.get("checkpoint_context")
        self.context = self.context or {}
        self.start = (
            date.fromisoformat(self.meta["start"])
            if self.meta.get("start")
            else self.con.execute(
                f"SELECT min(date) FROM read_parquet({_q(d / 'control.parquet')})"
            ).fetchone()[0]
        )
        self.run_ids = self.con.execute("SELECT run_id FROM runs").fetchnumpy()["run_id"]

    def close(self) -> None:
        """Release the in-memory database."""
        self.con.close()

    def initial(self, region: str) -> str | None:
        """The region's controller on the start date."""
        row = self.con.execute(
            "SELECT controller FROM regions WHERE region = ?", [region]
        ).fetchone()
        return row[0] if row else None

    def per_run(self, sql: str, params: list[Any]) -> dict[str, np.ndarray]:
        """Run a query returning run_id, day, value for every run (nulls as NaN)."""
        rel = self.con.execute(sql, params).fetchnumpy()
        day = rel["day"]
        days = np.full(len(day), np.nan)
        if len(day):
            dd = np.ma.getdata(day).astype("datetime64[D]").astype(np.int64).astype(float)
            mask = np.ma.getmaskarray(day) if np.ma.isMaskedArray(day) else np.isnat(day)
            days = np.where(mask, np.nan, dd)
        val = rel["value"]
        vals = np.ma.filled(np.ma.asarray(val, float), np.nan) if len(val) else np.zeros(0)
        return {"run_id": np.asarray(rel["run_id"]), "day": days, "value": vals}


def _taken(t: Tables, x: Atom) -> tuple[dict[str, np.ndarray], np.ndarray]:
    frm = x.get("from") or t.start
    by = list(x.get("by"))
    r = t.per_run(
        """
        WITH cap AS (SELECT run_id, date, actor, seq FROM ev
                     WHERE kind = 'region_captured' AND region = ?),
             at_from AS (SELECT run_id, arg_max(actor, seq) AS c FROM cap
                         WHERE date <= ? GROUP BY run_id),
             first_by AS (SELECT run_id, min(date) AS d FROM cap
                          WHERE date >= ? AND list_contains(?, actor) GROUP BY run_id)
        SELECT runs.run_id,
               CASE WHEN list_contains(?, coalesce(f.c, ?)) THEN ?::DATE ELSE b.d END AS day,
               NULL::DOUBLE AS value
        FROM runs LEFT JOIN at_from f USING (run_id) LEFT JOIN first_by b USING (run_id)
        ORDER BY runs.run_id
        """,
        [x.get("region"), frm, frm, by, by, t.initial(x.get("region")), frm],
    )
    return r, r["day"] <= _ordinal(x.get("until"))


def _held(t: Tables, x: Atom) -> tuple[dict[str, np.ndarray], np.ndarray]:
    r = t.per_run(
        """
        WITH at_on AS (SELECT run_id, arg_max(actor, seq) AS c, max(date) AS since FROM ev
                       WHERE kind = 'region_captured' AND region = ? AND date <= ?
                       GROUP BY run_id)
        SELECT runs.run_id,
               CASE WHEN list_contains(?, coalesce(a.c, ?)) THEN coalesce(a.since, ?::DATE)
               END AS day,
               NULL::DOUBLE AS value
        FROM runs LEFT JOIN at_on a USING (run_id) ORDER BY runs.run_id
        """,
        [x.get("region"), x.get("on"), list(x.get("by")), t.initial(x.get("region")), t.start],
    )
    return r, ~np.isnan(r["day"])


def _capitulates(t: Tables, x: Atom) -> tuple[dict[str, np.ndarray], np.ndarray]:
    power = x.get("power")
    terms = list((t.context.get("gives_up_events") or {}).get(power, []))
    after = x.get("after")
    r = t.per_run(
        """
        WITH gave AS (SELECT run_id, min(date) AS d FROM ev
                      WHERE (kind = 'capitulation' AND actor = ?)
                         OR (kind = 'scripted' AND list_contains(?, details->>'$.id'))
                      GROUP BY run_id)
        SELECT runs.run_id, g.d AS day, (g.d - ?::DATE)::DOUBLE AS value
        FROM runs LEFT JOIN gave g USING (run_id) ORDER BY runs.run_id
        """,
        [power, terms or [""], after],
    )
    v = r["value"]
    lo, hi = x.get("days")
    return r, (v >= lo) & (v <= hi)


def _war_began(t: Tables, a: str, b: str) -> tuple[str, list[Any]]:
    since = None
    for w in t.context.get("wars_at_start") or []:
        if {w["a"], w["b"]} == {a, b}:
            since = date.fromisoformat(w["since"])
    if since is not None:
        return "SELECT run_id, ?::DATE AS d, -1 AS seq FROM runs", [since]
    return (
        "SELECT run_id, min(date) AS d, min(seq) AS seq FROM ev WHERE kind = 'war_declared' "
        "AND ((actor = ? AND target = ?) OR (actor = ? AND target = ?)) GROUP BY run_id",
        [a, b, b, a],
    )


def _war_lasts(t: Tables, x: Atom) -> tuple[dict[str, np.ndarray], np.ndarray]:
    a, b = x.get("a"), x.get("b")
    began, began_params = _war_began(t, a, b)
    pair_e = "((e.actor = ? AND e.target = ?) OR (e.actor = ? AND e.target = ?))"
    r = t.per_run(
        f"""
        WITH began AS ({began}),
             ended AS (SELECT e.run_id, min(e.date) AS d FROM ev e JOIN began b
                       ON e.run_id = b.run_id AND e.seq > b.seq
                       WHERE e.kind = 'peace' AND {pair_e}
                       GROUP BY e.run_id)
        SELECT runs.run_id, n.d AS day, (n.d - b.d)::DOUBLE AS value
        FROM runs LEFT JOIN began b USING (run_id) LEFT JOIN ended n USING (run_id)
        ORDER BY runs.run_id
        """,
        [*began_params, a, b, b, a],
    )
    v = r["value"]
    lo, hi = x.get("days")
    return r, (v >= lo) & (v <= hi)


def _at_war(t: Tables, x: Atom) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """At war on some day of the window: at war at the end of its first day, or declared in it.

    ``day`` is the first day of the window they are at war.
    """
    a, b = x.get("a"), x.get("b")
    frm, until = x.get("from") or t.start, x.get("until")
    at_start = any({w["a"], w["b"]} == {a, b} for w in (t.context.get("wars_at_start") or []))
    r = t.per_run(
        """
        WITH pair AS (SELECT run_id, date, kind, seq FROM ev
                      WHERE kind IN ('war_declared', 'peace')
                        AND ((actor = ? AND target = ?) OR (actor = ? AND target = ?))),
             at_first AS (SELECT run_id, arg_max(kind, seq) AS k FROM pair
                          WHERE date <= ? GROUP BY run_id),
             later AS (SELECT run_id, min(date) AS d FROM pair
                       WHERE kind = 'war_declared' AND date > ? GROUP BY run_id)
        SELECT runs.run_id,
               CASE WHEN coalesce(f.k = 'war_declared', ?) THEN ?::DATE ELSE l.d END AS day,
               NULL::DOUBLE AS value
        FROM runs LEFT JOIN at_first f USING (run_id) LEFT JOIN later l USING (run_id)
        ORDER BY runs.run_id
        """,
        [a, b, b, a, frm, frm, at_start, frm],
    )
    return r, r["day"] <= _ordinal(until)


def _fired(t: Tables, x: Atom) -> tuple[dict[str, np.ndarray], np.ndarray]:
    r = t.per_run(
        """
        WITH f AS (SELECT run_id, min(date) AS d FROM ev
                   WHERE kind = 'scripted' AND details->>'$.id' = ? GROUP BY run_id)
        SELECT runs.run_id, f.d AS day, NULL::DOUBLE AS value
        FROM runs LEFT JOIN f USING (run_id) ORDER BY runs.run_id
        """,
        [x.get("event")],
    )
    d = r["day"]
    return r, (d >= _ordinal(x.get("from") or t.start)) & (d <= _ordinal(x.get("until")))


def _ratio(t: Tables, a: str, b: str, until: date | None) -> dict[str, np.ndarray]:
    return t.per_run(
        """
        WITH b AS (SELECT run_id, actor,
                          (details->>'$.attacker_losses')::DOUBLE AS att,
                          (details->>'$.defender_losses')::DOUBLE AS def
                   FROM ev WHERE kind = 'battle' AND date <= ?
                     AND ((actor = ? AND target = ?) OR (actor = ? AND target = ?))),
             s AS (SELECT run_id,
                          sum(CASE WHEN actor = ? THEN att ELSE def END) AS la,
                          sum(CASE WHEN actor = ? THEN def ELSE att END) AS lb
                   FROM b GROUP BY run_id)
        SELECT runs.run_id, NULL::DATE AS day,
               CASE WHEN s.lb > 0 THEN s.la / s.lb END AS value
        FROM runs LEFT JOIN s USING (run_id) ORDER BY runs.run_id
        """,
        [until or _MAX, a, b, b, a, a, a],
    )


def _casualty_ratio(t: Tables, x: Atom) -> tuple[dict[str, np.ndarray], np.ndarray]:
    r = _ratio(t, x.get("a"), x.get("b"), x.get("until"))
    v = r["value"]
    lo, hi = x.get("range")
    return r, (v >= lo) & (v <= hi)


_ATOMS = {
    "taken": _taken,
    "held": _held,
    "capitulates": _capitulates,
    "war_lasts": _war_lasts,
    "at_war": _at_war,
    "fired": _fired,
    "casualty_ratio": _casualty_ratio,
}


def _names_used(node: Any) -> list[tuple[str, str, int]]:
    """(what, name, column) for every region and power an atom names."""
    out = []
    for a in atoms(node):
        for key in ("region",):
            if a.get(key):
                out.append(("region", a.get(key), a.column))
        for key in ("a", "b", "power"):
            if a.get(key):
                out.append(("power", a.get(key), a.column))
        for tag in a.get("by") or ():
            out.append(("power", tag, a.column))
    return out


def check_names(text: str, node: Any, t: Tables) -> None:
    """Refuse a claim naming a region or power the ensemble does not have (located)."""
    regions = {r for (r,) in t.con.execute("SELECT region FROM regions").fetchall()}
    powers = set(t.meta.get("powers") or {})
    if not powers:  # an old manifest: the powers that appear in the regions table
        powers = {
            p
            for (p,) in t.con.execute(
                "SELECT DISTINCT controller FROM regions WHERE controller IS NOT NULL"
            ).fetchall()
        }
    for what, name, col in _names_used(node):
        known = regions if what == "region" else powers
        if name not in known:
            pos = text.find(name, col - 1)
            near = sorted(k for k in known if k.lower().startswith(name[:2].lower()))[:5]
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            raise ClaimError(
                text, (pos + 1) if pos >= 0 else col, f"no {what} {name!r} in this ensemble{hint}"
            )


@dataclasses.dataclass
class Verdict:
    """A claim judged over every run: ``met`` per run, and ``day``/``value`` for an atom."""

    run_id: np.ndarray
    met: np.ndarray
    day: np.ndarray
    value: np.ndarray


def _combine(node: Any, done: dict[Atom, Verdict]) -> np.ndarray:
    if isinstance(node, Atom):
        return done[node].met
    if isinstance(node, Not):
        return ~_combine(node.x, done)
    if isinstance(node, And):
        return np.logical_and.reduce([_combine(x, done) for x in node.xs])
    return np.logical_or.reduce([_combine(x, done) for x in node.xs])


def evaluate_nodes(
    results_dir: Path | str, nodes: list[Any], context: dict[str, Any] | None = None
) -> list[Verdict]:
    """Judge parsed claims over every run of a results directory (tables read once).

    An atom's verdict keeps its ``day`` (days since 1970; NaN when it never happened) and
    ``value``; a compound claim's are NaN.
    """
    all_atoms = [a for n in nodes for a in atoms(n)]
    kinds = {k for a in all_atoms for k in NEEDS[a.kind]}
    t = Tables(results_dir, kinds, context)
    try:
        done: dict[Atom, Verdict] = {}
        for a in all_atoms:
            if a not in done:
                r, met = _ATOMS[a.kind](t, a)
                done[a] = Verdict(r["run_id"], np.asarray(met, bool), r["day"], r["value"])
        out = []
        for n in nodes:
            if isinstance(n, Atom):
                out.append(done[n])
            else:
                nan = np.full(len(t.run_ids), np.nan)
                out.append(Verdict(np.asarray(t.run_ids), _combine(n, done), nan, nan.copy()))
        return out
    finally:
        t.close()


def evaluate(results_dir: Path | str, claim: str) -> Verdict:
    """Parse a claim, check its names against the ensemble and judge it over every run."""
    node = parse(claim)
    t = Tables(results_dir, set())
    try:
        check_names(claim, node, t)
    finally:
        t.close()
    return evaluate_nodes(results_dir, [node])[0]


def measure(results_dir: Path | str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """A measure per run: ``(run_id, value)``, NaN where it is undefined (see the docstring)."""
    m = parse_measure(text)
    kinds = {k for a in atoms(m) for k in NEEDS[a.kind]} | set(NEEDS.get(m.kind, ()))
    t = Tables(results_dir, kinds)
    try:
        if m.kind == "day":
            inner = m.get("atom")
            check_names(text, inner, t)
            r, _ = _ATOMS[inner.kind](t, inner)
            return r["run_id"], r["day"] - _ordinal(t.start)
        names = (("a", m.get("a")), ("b", m.get("b")), ("by", m.get("by")))
        check_names(text, Atom("measure", names), t)
        if m.kind == "casualty_ratio":
            r = _ratio(t, m.get("a"), m.get("b"), m.get("until"))
            return r["run_id"], r["value"]
        # regions held at the end of a day: the start's controllers updated by captures
        cols = {c for (c, *_) in t.con.execute("DESCRIBE regions").fetchall()}
        land = "kind = 'land'" if "kind" in cols else "true"
        rel = t.con.execute(
            f"""
            WITH last AS (SELECT run_id, region, arg_max(actor, seq) AS c FROM ev
                          WHERE kind = 'region_captured' AND date <= ?
                          GROUP BY run_id, region),
                 land AS (SELECT region, controller FROM regions
                          WHERE {land})
            SELECT runs.run_id, count(*) FILTER (
                       WHERE list_contains(?, coalesce(l.c, land.controller)))::DOUBLE AS value
            FROM runs CROSS JOIN land LEFT JOIN last l
                 ON l.run_id = runs.run_id AND l.region = land.region
            GROUP BY runs.run_id ORDER BY runs.run_id
            """,
            [m.get("on"), list(m.get("by"))],
        ).fetchnumpy()
        return np.asarray(rel["run_id"]), np.asarray(rel["value"], float)
    finally:
        t.close()


def answer(results_dir: Path | str, claim: str, examples: int = 5) -> dict[str, Any]:
    """A claim's share of runs with its 95% Wilson interval and example run ids either way."""
    from twinvipers.analysis.stats import wilson

    v = evaluate(results_dir, claim)
    n, k = len(v.met), int(v.met.sum())
    lo, hi = wilson(k, n)
    return {
        "claim": claim,
        "runs": n,
        "runs_met": k,
        "share": k / n if n else 0.0,
        "ci_low": lo,
        "ci_high": hi,
        "true_in": [int(r) for r in v.run_id[v.met][:examples]],
        "false_in": [int(r) for r in v.run_id[~v.met][:examples]],
    }
