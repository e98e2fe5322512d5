"""The chronicle: one run of an ensemble told as a dated timeline, written from its event log.

The text is built from structured fragments (:class:`Sentence`), each made of parts: fixed
template words (never a digit), names from the scenario, quotes from the scenario's checkpoints,
and numbers and dates that keep the row ids of the events (or the table) they come from. The
renderers (Markdown, HTML, BBCode) only lay the parts out, so every number a reader sees can be
traced back and checked (``tests/report/test_chronicle.py`` does so for every sentence type).

The wording varies by template, chosen by a hash of the run's seed and the fragment's first
event: the same run always gives the same text, byte for byte.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb

from twinvipers.ensemble.store import MANIFEST, atomic_write_bytes, incomplete

FORMATS = ("md", "html", "bbcode")
PICKS = ("typical", "divergent", "canon-closest")  # or a checkpoint id, ! before it to miss it
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
#: Every type of sentence a chronicle may hold (the honesty test covers each).
SENTENCE_KINDS = (
    "intro",
    "canon_score",
    "war_declared",
    "peace",
    "capitulation",
    "alliance_joined",
    "region_captured",
    "capital_taken",
    "battle",
    "battles_summary",
    "naval_battle",
    "blockade",
    "trade_war",
    "landing",
    "bombardment",
    "air_strike",
    "special_weapons",
    "evacuation",
    "leader_replaced",
    "offensive_ordered",
    "mobilisation",
    "strategy_offensive",
    "strategy_defensive",
    "strategy_pause",
    "reinforcements",
    "war_entry",
    "oil_shortage",
    "route_cut",
    "route_opened",
    "divergence",
    "invented_quote",
    "epilogue_date",
    "epilogue",
    "note",
)
#: How many of a chapter's battles are told one by one (the biggest); the rest are summed.
TOLD_BATTLES = 4
#: How many forces an order names before it says "and further forces".
ORDERED_FORCES = 3
#: How many regions a capture sentence names before it counts the rest.
NAMED_REGIONS = 4
#: Words that make a state's name take "the" (the Republic of Poland, the German Reich).
STATE_WORDS = frozenset(
    [
        "Republic",
        "Republics",
        "Kingdom",
        "Reich",
        "Union",
        "Empire",
        "State",
        "Federation",
        "Confederation",
        "Tsardom",
        "Duchy",
        "City",
        "Commonwealth",
        "Dominion",
        "Mandate",
        "Protectorate",
        "Government",
    ]
)
MASK = "§"  # what a name or a quote becomes in the masked text the honesty test parses


class ChronicleError(Exception):
    """A mistake the user can fix (bad folder, run out of range, nothing to pick from)."""


# --------------------------------------------------------------------------- the fragments


@dataclass(frozen=True)
class Part:
    """One piece of a sentence.

    Attributes:
        kind: ``text`` (template words), ``name`` (from the scenario), ``quote`` (a
            checkpoint's description or quote, or an invented line), ``num`` or ``date``.
        text: How it reads.
        value: For ``num``: the number before formatting.
        role: For ``num``: what it is (``attacker_losses``, ``grt_sunk``, ``count``, …); for
            ``date``: ``day`` or ``month``.
        events: Row ids in ``events.parquet`` the number or date comes from.
        key: Context a role needs beyond its events (a power, a table date).
        day: For ``date``: the date.
    """

    kind: str
    text: str
    value: float | None = None
    role: str = ""
    events: tuple[int, ...] = ()
    key: tuple[str, ...] = ()
    day: date | None = None


@dataclass
class Sentence:
    """A sentence of the chronicle: its type, its source events and its parts."""

    kind: str
    day: date
    events: tuple[int, ...]
    parts: list[Part]
    style: str = ""  # "" (prose), "note" (a divergence from the canon), "quote" (invented)

    def text(self, mask: bool = False) -> str:
        """The sentence as plain text (names and quotes as ``§`` when ``mask``)."""
        return "".join(MASK if mask and p.kind in ("name", "quote") else p.text for p in self.parts)


@dataclass
class Chapter:
    """A campaign's month: its heading and its sentences in date order."""

    campaign: tuple[str, ...]
    month: date  # the first of the month
    heading: list[Part]
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class Chronicle:
    """A whole chronicle: title lines, chapters and an epilogue."""

    title: list[Part]
    intro: list[Sentence]
    chapters: list[Chapter]
    epilogue: list[Sentence]
    run_id: int
    seed: int

    def sentences(self) -> list[Sentence]:
        """Every sentence, in reading order."""
        out = list(self.intro)
        for ch in self.chapters:
            out.extend(ch.sentences)
        return out + list(self.epilogue)


def T(text: str) -> Part:  # noqa: N802 - short constructors keep the templates readable
    """Template words: no digit may hide in them (the honesty test checks)."""
    return Part("text", text)


def N(text: str) -> Part:  # noqa: N802
    """A name from the scenario."""
    return Part("name", text)


def Q(text: str) -> Part:  # noqa: N802
    """A quotation: a checkpoint's own words, or an invented line."""
    return Part("quote", text)


def _half_up(value: float, places: int) -> Decimal:
    # A reader rounds halves up (22.5% reads 23%); Python's round() and format() round them to
    # even, and a float's binary error can tip a printed half either way. Decimal of the
    # shortest repr gives the number as the log shows it.
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def fmt_number(value: float, unit: str = "int") -> str:
    """A number as the chronicle prints it (``int``: 12,345; ``pct``: 35%; ``dec``: 1.4)."""
    if unit == "pct":
        return f"{_half_up(100 * Decimal(repr(float(value))), 0):f}%"
    if unit == "dec":
        places = 1 if abs(value) >= 0.1 or value == 0 else 2
        return f"{_half_up(value, places):,f}"
    if unit == "dec2":
        return f"{_half_up(value, 2):,f}"
    if unit == "id":
        return str(int(value))
    return f"{_half_up(value, 0):,f}"


UNITS = {
    "share_stopped": "pct",
    "probability": "pct",
    "port_share_lost": "pct",
    "actor_ships_lost": "dec",
    "target_ships_lost": "dec",
    "ratio": "dec",
    "seed": "id",
    "run_id": "id",
    "fuel_share": "pct",
    "open_share": "pct",
    "weighted": "dec2",
}


def Num(  # noqa: N802
    value: float,
    role: str,
    events: tuple[int, ...] = (),
    key: tuple[str, ...] = (),
    unit: str = "",
) -> Part:
    """A number that keeps its source: ``role`` says how it is computed from ``events``.

    ``unit`` (``int``, ``pct``, ``dec``) overrides the role's own, for a field whose meaning
    depends on its event (a strategy decision's ``odds``).
    """
    text = fmt_number(abs(value) if role == "weighted" else value, unit or UNITS.get(role, "int"))
    return Part("num", text, float(value), role, tuple(events), key)


def fmt_day(d: date, year: bool = False) -> str:
    """``8 September`` (or ``8 September 1939``)."""
    return f"{d.day} {MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")


def D(d: date, events: tuple[int, ...] = (), year: bool = False, role: str = "day") -> Part:  # noqa: N802
    """A date that keeps the events it is the date of."""
    return Part("date", fmt_day(d, year), role=role, events=tuple(events), day=d)


def M(d: date, events: tuple[int, ...] = ()) -> Part:  # noqa: N802
    """A month and year (a chapter heading)."""
    return Part("date", f"{MONTHS[d.month - 1]} {d.year}", role="month", events=events, day=d)


def listing(names: list[str], more: list[Part] | None = None) -> list[Part]:
    """``A``, ``A and B``, ``A, B and C`` as parts (``more``: a last item, "3 other regions")."""
    items: list[list[Part]] = [[N(n)] for n in names] + ([more] if more else [])
    out: list[Part] = []
    for i, item in enumerate(items):
        if i:
            out.append(T(" and " if i == len(items) - 1 else ", "))
        out += item
    return out


def pick_variant(seed: int, key: str, n: int) -> int:
    """Which of ``n`` wordings to use: a hash of the run's seed and the fragment (stable)."""
    h = hashlib.sha256(f"{seed}|{key}".encode()).digest()
    return int.from_bytes(h[:8], "big") % n


# --------------------------------------------------------------------------- the data


@dataclass
class Event:
    """One row of ``events.parquet`` (``eid``: its row number in the file)."""

    eid: int
    day: date
    kind: str
    actor: str | None
    target: str | None
    region: str | None
    value: float
    details: dict[str, Any]


def _q(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def read_events(results_dir: Path, run_id: int) -> list[Event]:
    """A run's events in recording order, each with its row number in ``events.parquet``."""
    con = duckdb.connect()
    rows = con.execute(
        "SELECT file_row_number, date, kind::VARCHAR, actor::VARCHAR, target::VARCHAR, "
        "region::VARCHAR, value, details "
        f"FROM read_parquet({_q(Path(results_dir) / 'events.parquet')}, file_row_number = true) "
        "WHERE run_id = ? ORDER BY file_row_number",
        [run_id],
    ).fetchall()
    con.close()
    return [
        Event(int(r[0]), r[1], r[2], r[3], r[4], r[5], float(r[6]), json.loads(r[7] or "{}"))
        for r in rows
    ]


def _human(ident: str) -> str:
    """An id made readable for want of a name (``moscow_peace`` → ``Moscow Peace``)."""
    return " ".join(w[:1].upper() + w[1:] for w in ident.replace("-", "_").split("_") if w)


class Names:
    """Display names of everything a chronicle mentions.

    Powers come from ``ensemble.json``, regions and sea zones from the regions table, forces,
    leaders, fleets and treaties from the scenario (their ids, made readable, when the scenario
    cannot be loaded).
    """

    def __init__(self, results_dir: Path, meta: dict[str, Any], con: Any) -> None:
        self.powers = {p: v.get("name") or p for p, v in (meta.get("powers") or {}).items()}
        rows = con.execute("SELECT region, coalesce(name, region), kind, owner FROM regions")
        self.places: dict[str, str] = {}
        self.sea: set[str] = set()
        self.owner: dict[str, str] = {}
        for region, name, kind, owner in rows.fetchall():
            self.places[region] = name
            if kind == "sea":
                self.sea.add(region)
            if owner:
                self.owner[region] = owner
        self.forces: dict[str, str] = {}
        self.force_leader: dict[str, str] = {}
        self.leaders: dict[str, str] = {}
        self.leader_power: dict[str, str] = {}
        self.heads: dict[str, str] = {}
        self.fleets: dict[str, str] = {}
        self.treaties: dict[str, str] = {}
        self.events: dict[str, Any] = {}
        self.routes: dict[str, Any] = {}  # trade route id -> the scenario's route
        self.campaigns: list[Any] = []  # the scenario's named campaigns, in its order
        self.lines: dict[str, list[tuple[str, str]]] = {}  # region -> (other end, edge's name)
        self.scenario_loaded = False
        try:
            from twinvipers.scenario.errors import ScenarioError
            from twinvipers.scenario.load import load

            try:
                s = load(meta.get("scenario") or "").scenario
            except (ScenarioError, OSError, ValueError):
                s = None
        except ImportError:  # pragma: no cover - the scenario package ships with us
            s = None
        if s is not None:
            self.scenario_loaded = True
            for f in s.forces:
                self.forces[f.id] = f.name or _human(f.id)
                if f.leader:
                    self.force_leader[f.id] = f.leader
            for ld in s.leaders:
                self.leaders[ld.id] = ld.name
                self.leader_power[ld.id] = ld.power
                if ld.role in ("head_of_state", "head_of_government"):
                    self.heads.setdefault(ld.power, ld.id)
            for p in s.powers:
                head = getattr(p, "head_of_state", None) or getattr(p, "head_of_government", None)
                if p.id not in self.heads and head:
                    # Not a leader of the scenario's list: a name only ("Adolf Hitler (Führer)").
                    self.heads[p.id] = "~" + str(head).split(" (")[0].split(";")[0]
            self.fleets = {f.id: f.name or _human(f.id) for f in s.fleets}
            self.treaties = {t.id: t.name for t in s.diplomacy.treaties}
            self.events = {e.id: e for e in s.events}
            self.routes = {r.id: r for r in s.trade}
            self.campaigns = list(s.campaigns)
            for ed in s.edges:
                if ed.name:
                    self.lines.setdefault(ed.a, []).append((ed.b, ed.name))
                    self.lines.setdefault(ed.b, []).append((ed.a, ed.name))

    def power(self, tag: str | None) -> str:
        """A power's name, with "the" where English wants it (the German Reich)."""
        name = self.powers.get(tag or "", tag or "nobody")
        if set(name.split()) & STATE_WORDS and not name.lower().startswith("the "):
            return "the " + name
        return name

    def place(self, rid: str | None) -> str:
        """A region's or sea zone's name."""
        return self.places.get(rid or "", _human(rid or "somewhere"))

    def force(self, fid: str | None) -> str:
        """A force's name."""
        return self.forces.get(fid or "", _human(fid or "a force"))

    def leader(self, lid: str | None) -> str:
        """A leader's name (``~Name``: a head of state named only on the power)."""
        if lid and lid.startswith("~"):
            return lid[1:]
        return self.leaders.get(lid or "", _human(lid or "someone"))

    def fleet(self, fid: str | None) -> str:
        """A fleet's name."""
        return self.fleets.get(fid or "", _human(fid or "a fleet"))

    def treaty(self, tid: str | None) -> str:
        """A treaty's name."""
        return self.treaties.get(tid or "", _human(tid or "a treaty"))

    def route(self, rid: str | None, exporter: str | None, importer: str | None) -> list[Part]:
        """A trade route in words: who sells to whom, and by what way (its first two places)."""
        r = self.routes.get(rid or "")
        who = [T("the oil route from "), N(self.power(exporter)), T(" to "),
               N(self.power(importer))] if exporter else [
               T("the overseas oil route of "), N(self.power(importer))]  # fmt: skip
        if r is None:
            return [*who, T(" ("), N(_human(rid or "a route")), T(")")]
        if r.rail:
            return [*who, T(" by rail through "), *listing([self.place(x) for x in r.rail[:2]])]
        if r.sea:
            names = [self.place(x) for x in r.sea[:2]]
            return [*who, T(" across the "), *listing(names)]
        return who


# --------------------------------------------------------------------------- picking a run


def outcome_vectors(
    results_dir: Path, meta: dict[str, Any]
) -> tuple[list[int], list[list[float]], dict[str, list[bool]]]:
    """Each run's outcome vector, and per checkpoint whether each run met it.

    The vector: each checkpoint met (1) or not (0), then per power the share of the land
    regions it held on the last day (the runs table's ``<TAG>_regions``).
    """
    from twinvipers.analysis.plausibility import judge_runs, manifest_plan

    con = duckdb.connect()
    d = Path(results_dir)
    runs = con.execute(
        f"SELECT * FROM read_parquet({_q(d / 'runs.parquet')}) ORDER BY run_id"
    ).fetchall()
    cols = [c[0] for c in con.description]
    n_land = con.execute(
        f"SELECT count(*) FROM read_parquet({_q(d / 'regions.parquet')}) WHERE kind = 'land'"
    ).fetchone()[0]
    con.close()
    ids = [int(r[cols.index("run_id")]) for r in runs]
    region_cols = [i for i, c in enumerate(cols) if c.endswith("_regions")]
    checkpoints, context = manifest_plan(meta)
    judged = judge_runs(d, checkpoints, context) if checkpoints else {}
    flags = {cp.id: [bool(x) for x in judged[cp.id]["met"]] for cp in checkpoints}
    vectors = []
    for k, r in enumerate(runs):
        v = [float(flags[cp.id][k]) for cp in checkpoints]
        v += [float(r[i]) / max(n_land, 1) for i in region_cols]
        vectors.append(v)
    return ids, vectors, flags


def _distances(vectors: list[list[float]]) -> list[float]:
    """Each vector's distance from the componentwise median.

    The sum of absolute differences, each component scaled by its range over the runs, so that
    no one power's count of regions outweighs the checkpoints.
    """
    cols = list(zip(*vectors, strict=True))
    med = [sorted(c)[len(c) // 2] for c in cols]
    spread = [(max(c) - min(c)) or 1.0 for c in cols]
    return [sum(abs(x - m) / s for x, m, s in zip(v, med, spread, strict=True)) for v in vectors]


def pick_run(results_dir: Path, meta: dict[str, Any], how: str) -> tuple[int, str]:
    """The run a ``--pick`` names, and why (a phrase without digits).

    ``typical``: the run closest to the median outcome; ``divergent``: the run meeting the
    fewest checkpoints (the most unusual of those); ``canon-closest``: the run meeting the most
    (the most typical of those); a checkpoint id (a claim): the most typical run meeting it,
    ``!id`` the most typical run missing it.
    """
    ids, vectors, flags = outcome_vectors(results_dir, meta)
    if not ids:
        raise ChronicleError(f"{results_dir}: the ensemble has no runs")
    dist = _distances(vectors)
    met = [sum(f[k] for f in flags.values()) for k in range(len(ids))]
    if how == "typical":
        best = min(range(len(ids)), key=lambda i: (dist[i], ids[i]))
        return ids[best], "the run closest to the ensemble's median outcome"
    if not flags:
        raise ChronicleError(
            f"--pick {how}: the scenario of {results_dir} has no checkpoints; use --pick typical "
            "or --run N"
        )
    if how == "divergent":
        best = min(range(len(ids)), key=lambda i: (met[i], -dist[i], ids[i]))
        return ids[best], "the run that met the fewest of the canon's checkpoints"
    if how == "canon-closest":
        best = min(range(len(ids)), key=lambda i: (-met[i], dist[i], ids[i]))
        return ids[best], "the run that met the most of the canon's checkpoints"
    want = not how.startswith("!")
    cp = how.lstrip("!")
    if cp not in flags:
        raise ChronicleError(
            f"--pick {how!r}: use typical, divergent, canon-closest or a checkpoint id, "
            f"! before it for a run missing it ({', '.join(sorted(flags))})"
        )
    chosen = [i for i in range(len(ids)) if flags[cp][i] == want]
    if not chosen:
        raise ChronicleError(
            f"--pick {how}: no run of {results_dir} " + ("meets " if want else "misses ") + cp
        )
    sub = _distances([vectors[i] for i in chosen])
    j = min(range(len(chosen)), key=lambda k: (sub[k], ids[chosen[k]]))
    return ids[chosen[j]], (
        "the most typical of the runs " + ("meeting" if want else "missing") + " that checkpoint"
    )


# --------------------------------------------------------------------------- campaigns


class Campaigns:
    """Which campaign an event belongs to.

    A campaign the scenario names (``campaigns.yaml``: two sides of powers and a window of
    dates) takes the events between its sides within its window, the first of the list that
    matches. Any other war is the war between two sides, a side being a power's camp (``axis``,
    ``comintern``, …) or a neutral power alone, headed by the powers' names.
    """

    def __init__(self, meta: dict[str, Any], names: Names) -> None:
        self.camp = {p: (v.get("camp") or p) for p, v in (meta.get("powers") or {}).items()}
        self.names = names
        self.named = {c.id: c for c in names.campaigns}
        self.order: dict[tuple[str, ...], tuple[str, str]] = {}  # key -> (first side, second)
        self.last: dict[str, tuple[str, ...]] = {}  # side, and power, -> its latest campaign
        self.pair: dict[tuple[str, ...], tuple[str, str]] = {}  # named key -> powers it was for
        self.wars: set[frozenset[str]] = set()  # pairs of powers at war now

    def war(self, a: str | None, b: str | None, on: bool) -> None:
        """Note a war begun (``on``) or ended between two powers."""
        if a and b:
            (self.wars.add if on else self.wars.discard)(frozenset((a, b)))

    def of_act(self, a: str | None, b: str | None, day: date | None = None) -> tuple[str, ...]:
        """The campaign of an act by ``a`` touching ``b``: theirs if at war, else ``a``'s.

        A landing's or a bombardment's target is whoever holds the coast, which may be a
        friend (an expedition landing in an ally's port).
        """
        if a and b and frozenset((a, b)) in self.wars:
            return self.of_pair(a, b, day)
        return self.of_power(a, day)

    def side(self, p: str) -> str:
        """A power's side."""
        c = self.camp.get(p, p)
        return p if c in ("neutral", "") else c

    def _named(self, a: str, b: str, day: date | None) -> tuple[str, ...] | None:
        """The scenario's campaign between ``a`` and ``b`` on ``day`` (None: none names it)."""
        for c in self.named.values():
            if day is not None and ((c.start and day < c.start) or (c.end and day > c.end)):
                continue
            if (a in c.a and b in c.b) or (a in c.b and b in c.a):
                return ("campaign", c.id)
        return None

    def of_pair(self, a: str, b: str, day: date | None = None) -> tuple[str, ...]:
        """The campaign between ``a``'s side and ``b``'s; the first to act leads the title."""
        named = self._named(a, b, day)
        sa, sb = self.side(a), self.side(b)
        if named is not None:
            self.pair.setdefault(named, (a, b))
            self.last[sa] = self.last[sb] = self.last["@" + a] = self.last["@" + b] = named
            return named
        if sa == sb:
            return self.of_power(a, day)
        key = tuple(sorted((sa, sb)))
        self.order.setdefault(key, (sa, sb))
        self.last[sa] = self.last[sb] = self.last["@" + a] = self.last["@" + b] = key
        return key

    def of_power(self, p: str | None, day: date | None = None) -> tuple[str, ...]:
        """The latest campaign of a power, or else of its side (``("world",)`` before any).

        A named campaign whose window has closed hands on to the campaign that names the same
        two powers on ``day`` (the Nomonhan battles, then the Hailar offensive).
        """
        key = self.last.get("@" + (p or ""), self.last.get(self.side(p or ""), ("world",)))
        if key[0] == "campaign" and day is not None:
            c = self.named[key[1]]
            if (c.start and day < c.start) or (c.end and day > c.end):
                # The power's own wars first (the campaign naming it now), else the same pair.
                for q in sorted(q for w in self.wars if p in w for q in w if q != p):
                    if self._named(p or "", q, day) is not None:
                        return self.of_pair(p or "", q, day)
                return self.of_pair(*self.pair[key], day)
        return key

    def title(
        self, key: tuple[str, ...], powers: list[tuple[str, str]], whole: list[tuple[str, str]]
    ) -> list[Part]:
        """``A and B against C``: the powers of the chapter on each side.

        A side with no power in the chapter (a chapter of one power's acts, or of notes) is
        named by the campaign's powers over the whole run.
        """
        if key == ("world",):
            return [T("Command and diplomacy")]
        if key[0] == "campaign":
            return [N(self.named[key[1]].name)]
        first, _ = self.order.get(key, (key[0], key[-1]))

        def sides(pairs: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
            left: list[str] = []
            right: list[str] = []
            for a, b in pairs:
                for p in (a, b):
                    if not p:
                        continue
                    side = left if self.side(p) == first else right
                    if self.side(p) in key and p not in side:
                        side.append(p)
            return left, right

        left, right = sides(powers)
        every = sides(whole)
        left, right = left or every[0], right or every[1]
        if not left and not right:  # a chapter of notes only: a war that never came
            return [T("Where the run left the canon")]
        if not left or not right:
            return [T("The war of "), *listing([self.names.power(p) for p in left + right])]
        return [
            *listing([self.names.power(p) for p in left]),
            T(" against "),
            *listing([self.names.power(p) for p in right]),
        ]


# --------------------------------------------------------------------------- composing


@dataclass
class _Ctx:
    names: Names
    seed: int
    quotes: bool
    capitals: dict[str, str]  # region -> power whose capital it is
    leader_of: dict[str, str]  # force -> its leader now
    line_of: dict[int, tuple[str, str]] = field(
        default_factory=dict
    )  # battle -> (" across ", name)
    used: dict[str, int] = field(default_factory=dict)  # invented lines used, per kind


def _var(ctx: _Ctx, kind: str, eid: int, n: int) -> int:
    return pick_variant(ctx.seed, f"{kind}:{eid}", n)


def _on(ctx: _Ctx, kind: str, e: Event, ids: tuple[int, ...]) -> list[Part]:
    """A sentence's opening date, in one of a few wordings."""
    d = D(e.day, ids)
    return [[T("On "), d, T(", ")], [d, T(": ")], [T("On "), d, T(" ")]][_var(ctx, kind, e.eid, 2)]


def _war(ctx: _Ctx, group: list[Event]) -> Sentence:
    e = group[0]
    ids = tuple(x.eid for x in group)
    n = ctx.names
    targets = listing([n.power(x.target) for x in group])
    v = _var(ctx, "war", e.eid, 3)
    body = [
        [N(n.power(e.actor)), T(" declared war on "), *targets, T(".")],
        [N(n.power(e.actor)), T(" went to war with "), *targets, T(".")],
        [N(n.power(e.actor)), T(" was at war with "), *targets, T(" from that day.")],
    ][v]
    return Sentence("war_declared", e.day, ids, [*_on(ctx, "war", e, ids), *body])


def _peace(ctx: _Ctx, e: Event, terms: str | None) -> Sentence:
    n = ctx.names
    parts = [*_on(ctx, "peace", e, (e.eid,)), N(n.power(e.actor)), T(" and "), N(n.power(e.target))]
    parts.append(T(" made peace"))
    if terms:
        parts += [T(" ("), N(terms), T(")")]
    parts.append(T("."))
    return Sentence("peace", e.day, (e.eid,), parts)


def _capitulation(ctx: _Ctx, e: Event) -> Sentence:
    n = ctx.names
    terms = e.details.get("terms")
    parts = _on(ctx, "cap", e, (e.eid,))
    if terms:
        parts += [
            N(n.power(e.actor)),
            T(" gave up the fight against "),
            N(n.power(e.target)),
            T(" and accepted terms: the "),
            N(_human(str(terms))),
            T("."),
        ]
    else:
        v = _var(ctx, "cap", e.eid, 2)
        parts += [
            [N(n.power(e.actor)), T(" capitulated to "), N(n.power(e.target)), T(".")],
            [N(n.power(e.actor)), T(" surrendered unconditionally to "), N(n.power(e.target)),
             T(".")],
        ][v]  # fmt: skip
    return Sentence("capitulation", e.day, (e.eid,), parts)


def _alliance(ctx: _Ctx, e: Event) -> Sentence:
    n = ctx.names
    parts = [
        *_on(ctx, "ally", e, (e.eid,)),
        N(n.power(e.actor)),
        T(" joined the "),
        N(n.treaty(e.details.get("treaty"))),
        T("."),
    ]
    return Sentence("alliance_joined", e.day, (e.eid,), parts)


def _captures(ctx: _Ctx, group: list[Event]) -> list[Sentence]:
    """A day's captures by one power from another; a capital gets a sentence of its own."""
    n = ctx.names
    out = []
    capitals = [e for e in group if ctx.capitals.get(e.region or "") == e.target]
    for e in capitals:
        v = _var(ctx, "capital", e.eid, 3)
        city, who = N(n.place(e.region)), N(n.power(e.actor))
        body = [
            [city, T(", the capital of "), N(n.power(e.target)), T(", fell to "), who, T(".")],
            [who, T(" entered "), city, T(", the capital of "), N(n.power(e.target)), T(".")],
            [city, T(" was taken by "), who, T(".")],
        ][v]
        out.append(Sentence("capital_taken", e.day, (e.eid,), [*_on(ctx, "cap", e, (e.eid,)),
                                                               *body]))  # fmt: skip
    rest = [e for e in group if e not in capitals]
    if rest:
        e = rest[0]
        ids = tuple(x.eid for x in rest)
        places = [n.place(x.region) for x in rest]
        if len(places) > NAMED_REGIONS:
            more = tuple(x.eid for x in rest[NAMED_REGIONS - 1 :])
            named = listing(places[: NAMED_REGIONS - 1],
                            [Num(len(more), "count", more), T(" other regions")])  # fmt: skip
        else:
            named = listing(places)
        v = _var(ctx, "taken", e.eid, 2)
        body = [
            [N(n.power(e.actor)), T(" took "), *named, T(" from "), N(n.power(e.target)), T(".")],
            [*named, T(" passed from "), N(n.power(e.target)), T(" to "), N(n.power(e.actor)),
             T(".")],
        ][v]  # fmt: skip
        out.append(Sentence("region_captured", e.day, ids, [*_on(ctx, "taken", e, ids), *body]))
    return out


def _battle(ctx: _Ctx, e: Event) -> Sentence:
    n = ctx.names
    d = e.details
    ids = (e.eid,)
    att, dfn = N(n.power(e.actor)), N(n.power(e.target))
    where = N(n.place(e.region))
    v = _var(ctx, "battle", e.eid, 3)
    opening = [
        [T("On "), D(e.day, ids), T(", "), att, T(" attacked "), dfn, T(" at "), where],
        [T("The battle of "), where, T(" began on "), D(e.day, ids), T(", "), att, T(" against "),
         dfn],
        [T("From "), D(e.day, ids), att, T(" fought "), dfn, T(" for "), where],
    ][v]  # fmt: skip
    if v == 2:  # "From 8 September the German Reich": a space between the date and the name
        opening.insert(2, T(" "))
    line = ctx.line_of.get(e.eid)
    if line:
        opening += [T(line[0]), N(line[1])]
    if d.get("attacker_men") and d.get("defender_men"):  # results written before 2026-12 lack them
        opening += [T(", "), Num(d["attacker_men"], "attacker_men", ids), T(" men against "),
                    Num(d["defender_men"], "defender_men", ids)]  # fmt: skip
    parts = [*opening, T(". The attackers lost "), Num(d.get("attacker_losses", 0),
             "attacker_losses", ids), T(" men killed and wounded, the defenders "),
             Num(d.get("defender_losses", 0), "defender_losses", ids)]  # fmt: skip
    captured = d.get("defender_captured") or 0
    if captured:
        parts += [T(", and "), Num(captured, "defender_captured", ids), T(" were taken prisoner")]
    if d.get("attacker_won"):
        parts += [T("; "), att, T(" cleared "), where, T(".")]
    else:
        parts += [T("; the defence held.")]
    return Sentence("battle", e.day, ids, parts)


def _battles_rest(ctx: _Ctx, rest: list[Event]) -> Sentence:
    ids = tuple(e.eid for e in rest)
    att = sum(e.details.get("attacker_losses", 0) for e in rest)
    dfn = sum(e.details.get("defender_losses", 0) for e in rest)
    cap = sum(e.details.get("defender_captured", 0) or 0 for e in rest)
    won = tuple(e.eid for e in rest if e.details.get("attacker_won"))
    parts = [
        Num(len(rest), "count", ids),
        T(" smaller engagements that month cost the attackers "),
        Num(att, "attacker_losses", ids),
        T(" and the defenders "),
        Num(dfn, "defender_losses", ids),
        T(" men killed and wounded"),
    ]
    if cap:
        parts += [T(", with "), Num(cap, "defender_captured", ids), T(" prisoners")]
    if won:
        parts += [T("; the attackers cleared the ground in "), Num(len(won), "count", won), T(".")]
    else:  # a count of nothing cites no event: said in words
        parts += [T("; the defence held in every one.")]
    return Sentence("battles_summary", rest[0].day, ids, parts)


def _naval(ctx: _Ctx, e: Event) -> Sentence:
    n = ctx.names
    d = e.details
    ids = (e.eid,)
    a, b = N(n.power(e.actor)), N(n.power(e.target))
    held = d.get("zone_held_by")
    after = {
        "actor": [T("; "), a, T(" held the sea after it.")],
        "target": [T("; "), b, T(" held the sea after it.")],
    }.get(str(held), [T("; neither side held the sea after it.")])
    parts = [
        *_on(ctx, "naval", e, ids),
        T("the fleets of "),
        a,
        T(" and "),
        b,
        T(" fought in the "),
        N(n.place(d.get("zone"))),
        T(". "),
        *_ships(a, d.get("actor_ships_lost", 0), "actor_ships_lost", ids),
        T(", "),
        *_ships(b, d.get("target_ships_lost", 0), "target_ships_lost", ids),
        *after,
    ]
    return Sentence("naval_battle", e.day, ids, parts)


def _ships(who: Part, lost: float, role: str, ids: tuple[int, ...]) -> list[Part]:
    """``X lost 1.4 ships' worth`` (damage counts as a share of a ship), or ``X lost none``."""
    if not lost:
        return [who, T(" lost no ships")]
    return [who, T(" lost "), Num(lost, role, ids), T(" ships' worth")]


def _blockade(ctx: _Ctx, e: Event) -> Sentence:
    n = ctx.names
    ids = (e.eid,)
    parts = [
        T("From "),
        D(e.day, ids),
        T(", the ships of "),
        N(n.power(e.actor)),
        T(" blockaded "),
        N(n.power(e.target)),
        T(" in the "),
        N(n.place(e.details.get("zone"))),
        T(", stopping "),
        Num(e.details.get("share_stopped", 0), "share_stopped", ids),
        T(" of its shipping there."),
    ]
    return Sentence("blockade", e.day, ids, parts)


def _trade_war(ctx: _Ctx, group: list[Event]) -> Sentence:
    n = ctx.names
    e = group[0]
    ids = tuple(x.eid for x in group)
    zones = sorted({n.place(x.details.get("zone")) for x in group})
    grt = sum(x.details.get("grt_sunk", 0) for x in group)
    subs = sum(x.details.get("submarines_lost", 0) for x in group)
    parts = [
        T("In the trade war, the raiders of "),
        N(n.power(e.actor)),
        T(" sank "),
        Num(grt, "grt_sunk", ids),
        T(" tons of the shipping of "),
        N(n.power(e.target)),
        T(" in the "),
        *listing(zones),
        T(", for "),
        Num(subs, "submarines_lost", ids),
        T(" submarines lost."),
    ]
    return Sentence("trade_war", e.day, ids, parts)


def _landing(ctx: _Ctx, e: Event) -> Sentence:
    n = ctx.names
    ids = (e.eid,)
    d = e.details
    parts = [
        *_on(ctx, "landing", e, ids),
        N(n.power(e.actor)),
        T(" sent "),
        N(n.force(d.get("force"))),
        T(" ("),
        Num(d.get("men", 0), "men", ids),
        T(" men) ashore at "),
        N(n.place(e.region)),
        T(" (its chance of getting ashore: "),
        Num(d.get("probability", 0), "probability", ids),
        T("); "),
        T("it got ashore." if d.get("succeeded") else "it was thrown back."),
    ]
    return Sentence("landing", e.day, ids, parts)


def _bombardment(ctx: _Ctx, e: Event) -> Sentence:
    n = ctx.names
    ids = (e.eid,)
    parts = [
        *_on(ctx, "bombard", e, ids),
        N(n.fleet(e.details.get("fleet"))),
        T(" of "),
        N(n.power(e.actor)),
        T(" began shelling "),
        N(n.place(e.region)),
        T(", wrecking "),
        Num(e.details.get("port_share_lost", 0), "port_share_lost", ids),
        T(" of its port."),
    ]
    return Sentence("bombardment", e.day, ids, parts)


MISSIONS = {
    "support": "in support of the army",
    "superiority": "for command of the air",
    "close_support": "in close support",
    "interdiction": "against its roads and railways",
    "airfields": "against its airfields",
    "ports": "against its ports",
    "industry": "against its industry",
    "cities": "against its cities",
}


def _air(ctx: _Ctx, group: list[Event]) -> Sentence:
    n = ctx.names
    e = group[0]
    ids = tuple(x.eid for x in group)
    sorties = sum(x.details.get("sorties", 0) for x in group)
    mission = str(e.details.get("mission"))
    parts = [
        T("Over the month the air force of "),
        N(n.power(e.actor)),
        T(" flew "),
        Num(sorties, "sorties", ids),
        T(" bomber sorties over "),
        N(n.place(e.region)),
        T(" " + MISSIONS.get(mission, "on other missions") + ", on "),
        Num(len(group), "count", ids),
        T(" days."),
    ]
    return Sentence("air_strike", e.day, ids, parts)


def _special(ctx: _Ctx, e: Event) -> Sentence:
    n = ctx.names
    ids = (e.eid,)
    weapon = str(e.details.get("weapon"))
    weapon = weapon if weapon in ("chemical", "biological") else "special"
    parts = _on(ctx, "special", e, ids)
    if e.region is None:
        parts += [
            N(n.power(e.actor)),
            T(f" authorised {weapon} weapons against "),
            N(n.power(e.target)),
            T("."),
        ]
    else:
        parts += [
            N(n.power(e.actor)),
            T(f" used {weapon} weapons against "),
            N(n.power(e.target)),
            T(" at "),
            N(n.place(e.region)),
            T(": "),
            Num(e.details.get("casualties", 0), "casualties", ids),
            T(" casualties, "),
            Num(e.details.get("deaths", 0), "deaths", ids),
            T(" of them dead."),
        ]
    return Sentence("special_weapons", e.day, ids, parts)


def _evacuation(ctx: _Ctx, e: Event) -> Sentence:
    n = ctx.names
    ids = (e.eid,)
    d = e.details
    ok = d.get("succeeded")
    parts = [
        *_on(ctx, "evac", e, ids),
        N(n.power(e.actor)),
        T(" lifted " if ok else " tried and failed to lift "),
        N(n.force(d.get("force"))),
        T(" ("),
        Num(d.get("men", 0), "men", ids),
        T(" men) out of "),
        N(n.place(e.region)),
        T("."),
    ]
    return Sentence("evacuation", e.day, ids, parts)


def _leader(ctx: _Ctx, e: Event) -> Sentence:
    n = ctx.names
    ids = (e.eid,)
    old, new = e.details.get("old"), e.details.get("new")
    for f, ld in list(ctx.leader_of.items()):
        if ld == old:
            ctx.leader_of[f] = new
    v = _var(ctx, "leader", e.eid, 3)
    body = [
        [N(n.leader(old)), T(" was relieved; "), N(n.leader(new)), T(" took over his command.")],
        [N(n.leader(new)), T(" replaced "), N(n.leader(old)), T(" in command.")],
        [N(n.power(e.actor)), T(" relieved "), N(n.leader(old)), T(" and appointed "),
         N(n.leader(new)), T(" in his place.")],
    ][v]  # fmt: skip
    return Sentence("leader_replaced", e.day, ids, [*_on(ctx, "leader", e, ids), *body])


def _orders(ctx: _Ctx, e: Event, spec: Any) -> list[Sentence]:
    """The decisions a scripted event carries that the log records nowhere else."""
    n = ctx.names
    ids = (e.eid,)
    out = []
    for eff in getattr(spec, "effects", []):
        off = getattr(eff, "offensive", None)
        mob = getattr(eff, "mobilise", None)
        if off is not None:
            who: list[Part] = []
            shown = off.forces[:ORDERED_FORCES]
            more = len(off.forces) > len(shown)
            for i, f in enumerate(shown):
                if i:
                    last = i == len(shown) - 1 and not more
                    who.append(T(" and " if last else ", "))
                name = n.force(f)
                who.append(N(name))
                ld = ctx.leader_of.get(f)
                # The leader in brackets, unless the force's own name already carries him.
                if ld and not any(w in name for w in n.leader(ld).split() if len(w) > 3):
                    who += [T(" ("), N(n.leader(ld)), T(")")]
            if more:
                who.append(T(" and further forces"))
            if not who:
                who = [T("its field armies")]
            parts = [
                *_on(ctx, "order", e, ids),
                N(n.power(off.power)),
                T(" ordered "),
                *who,
                T(" to attack toward "),
                N(n.place(off.target)),
                T("."),
            ]
            out.append(Sentence("offensive_ordered", e.day, ids, parts))
        elif mob is not None:
            parts = [*_on(ctx, "order", e, ids), N(n.power(mob.power)),
                     T(" ordered general mobilisation.")]  # fmt: skip
            out.append(Sentence("mobilisation", e.day, ids, parts))
    return out


def _article(number: str) -> str:
    """``a`` or ``an`` before a number as it is read ("an 83% chance", "an 11% chance")."""
    digits = number.replace(",", "")
    spoken_vowel = digits.startswith("8") or (
        len(digits.rstrip("%")) == 2 and digits[:2] in ("11", "18")
    )
    return "an" if spoken_vowel else "a"


def _hc(ctx: _Ctx, e: Event) -> list[Part]:
    return [*_on(ctx, "hc", e, (e.eid,)), T("the high command of "), N(ctx.names.power(e.actor))]


def _hc_offensive(ctx: _Ctx, e: Event) -> Sentence:
    """A high command chooses an objective of its own, and the odds that made it choose."""
    n = ctx.names
    ids = (e.eid,)
    v = _var(ctx, "hc_off", e.eid, 2)
    parts = [
        *_hc(ctx, e),
        [T(" chose an offensive of its own toward "), T(" set its armies a new objective: ")][v],
        N(n.place(e.region)),
        T(", held by "),
        N(n.power(e.target)),
    ]
    odds = Num(e.details.get("odds", 0), "odds", ids, unit="pct")
    parts += [T("; the combat model gave the attack " + _article(odds.text) + " "), odds,
              T(" chance of success.")]  # fmt: skip
    return Sentence("strategy_offensive", e.day, ids, parts)


def _hc_defensive(ctx: _Ctx, e: Event) -> Sentence:
    """A high command drops its objective."""
    n = ctx.names
    ids = (e.eid,)
    parts = _hc(ctx, e)
    if e.region:
        parts += [T(" gave up its objective of "), N(n.place(e.region))]
    else:
        parts += [T(" found no objective worth the risk")]
    men = e.details.get("men") or 0
    if men:
        parts += [T(": its "), Num(men, "men", ids),
                  T(" men in the field were too few for the enemy facing them")]  # fmt: skip
    parts.append(T("; it went over to the defensive."))
    return Sentence("strategy_defensive", e.day, ids, parts)


def _hc_pause(ctx: _Ctx, e: Event) -> Sentence:
    """A high command halts to rebuild supply."""
    n = ctx.names
    ids = (e.eid,)
    parts = [*_hc(ctx, e), T(" halted its offensives to rebuild supply")]
    if e.region:
        parts += [T(", short of "), N(n.place(e.region))]
    parts += [
        T(": its field army of "),
        Num(e.details.get("men", 0), "men", ids),
        T(" men had "),
        Num(e.details.get("odds", 0), "odds", ids, unit="pct"),
        T(" of the supply it needed."),
    ]
    return Sentence("strategy_pause", e.day, ids, parts)


def _reinforcements(ctx: _Ctx, group: list[Event]) -> Sentence:
    """A month's transfers by one high command to its threatened fronts."""
    n = ctx.names
    e = group[0]
    ids = tuple(x.eid for x in group)
    fronts: list[str] = []
    for x in group:
        if n.place(x.region) not in fronts:
            fronts.append(n.place(x.region))
    if len(fronts) > NAMED_REGIONS:
        shown = fronts[: NAMED_REGIONS - 1]
        rest = tuple(x.eid for x in group if n.place(x.region) not in shown)
        more = len(fronts) - len(shown)
        where = listing(shown, [Num(more, "fronts", rest), T(" other fronts")])
    else:
        where = listing(fronts)
    parts = [
        T("Over the month the high command of "),
        N(n.power(e.actor)),
        T(" sent "),
        Num(sum(x.details.get("forces", 0) for x in group), "forces", ids),
        T(" forces ("),
        Num(sum(x.details.get("men", 0) for x in group), "men", ids),
        T(" men) to reinforce its threatened front" + ("s" if len(fronts) > 1 else "") + " at "),
        *where,
        T("."),
    ]
    return Sentence("reinforcements", e.day, ids, parts)


#: The drivers of a war entry in words (rules.alignment's terms; docs/diplomacy.md).
FACTORS = {
    "position": "the stance of those who decided",
    "course": "the course of the war",
    "threat": "the threat each side posed",
    "spoils": "the spoils in reach",
    "readiness": "its readiness for war",
    "ideology": "ideology",
    "offer": "what each side offered",
    "economy": "its sea trade",
    "ally": "its alliances",
    "collapse": "the other side's collapse",
}
#: How many of an entry's drivers are named (the largest, for or against).
TOLD_FACTORS = 3


def _entry(ctx: _Ctx, e: Event, factors: list[Event]) -> Sentence:
    """A neutral enters a war by the diplomacy model: its chance and what weighed most."""
    n = ctx.names
    ids = (e.eid,)
    how = e.details.get("how")
    parts = [
        *_on(ctx, "entry", e, ids),
        N(n.power(e.actor)),
        T(" entered the war beside "),
        N(n.power(e.target)),
        T(", honouring an alliance" if how == "alliance" else ", by its own choice"),
        T(": its chance of joining that side had reached "),
        Num(e.details.get("probability", 0), "probability", ids),
    ]
    ranked = sorted(factors, key=lambda x: (-abs(x.details.get("weighted", 0)), x.eid))
    told = [x for x in ranked if round(abs(x.details.get("weighted", 0)), 2) > 0][:TOLD_FACTORS]
    if told:
        parts.append(T(". What weighed most: "))
        for i, x in enumerate(told):
            if i:
                parts.append(T(" and " if i == len(told) - 1 else ", "))
            w = x.details.get("weighted", 0)
            word = FACTORS.get(str(x.details.get("factor")), "another consideration")
            parts += [T(word + " ("), Num(w, "weighted", (x.eid,)),
                      T(" for joining)" if w > 0 else " against)")]  # fmt: skip
    parts.append(T("."))
    return Sentence("war_entry", e.day, (e.eid, *(x.eid for x in told)), parts)


def _shortage(ctx: _Ctx, e: Event) -> Sentence:
    """A power's oil falls short of its forces' needs."""
    n = ctx.names
    ids = (e.eid,)
    parts = [
        *_on(ctx, "oil", e, ids),
        N(n.power(e.actor)),
        T(" ran short of oil: it met only "),
        Num(e.details.get("fuel_share", 0), "fuel_share", ids),
        T(" of its forces' fuel needs that day, with "),
        Num(e.details.get("stock_kt", 0), "stock_kt", ids),
        T(" thousand tons left in stock."),
    ]
    return Sentence("oil_shortage", e.day, ids, parts)


def _route(ctx: _Ctx, e: Event, again: bool) -> Sentence:
    """A trade route cut, opened, or open again after a cut."""
    n = ctx.names
    ids = (e.eid,)
    route = n.route(e.details.get("route"), e.actor, e.target)
    share = Num(e.details.get("open_share", 0), "open_share", ids)
    parts = _on(ctx, "route", e, ids)
    if e.kind == "route_cut":
        if fmt_number(e.details.get("open_share", 0), "pct") == "0%":
            parts += [*route, T(" was cut: no oil got through any more.")]
        else:
            parts += [*route, T(" was cut: only "), share, T(" of its oil still got through.")]
        return Sentence("route_cut", e.day, ids, parts)
    if again:
        parts += [
            T("oil flowed again along "),
            *route,
            T(" ("),
            share,
            T(" of it getting through)."),
        ]
    else:
        parts += [*route, T(" opened ("), share, T(" of its oil getting through).")]
    return Sentence("route_opened", e.day, ids, parts)


# Invented lines, only with --quotes and always marked: no digits, no claims of fact.
INVENTED = {
    "war_declared": (
        "There is no going back now.",
        "Let history judge us by what follows.",
        "We did not seek this quarrel, but we shall see it through.",
        "The die is cast; now the generals must earn their pay.",
        "Tell the nation plainly: it will be long and it will be hard.",
        "Nobody in this room wanted it to come to this.",
    ),
    "capital_taken": (
        "The road is open. Tell the men they have done well.",
        "A capital is only a city; an army is what we must destroy.",
        "Hang out the flags, but keep the men moving.",
        "They will say this ended it. It has not.",
    ),
    "capitulation": (
        "Every further day would have cost lives for nothing.",
        "We yield to force, not to argument.",
        "Our soldiers did all that was asked of them.",
        "Write down that we were the last to lay down our arms.",
    ),
    "leader_replaced": (
        "I take over an army that has bled; I mean to make it count.",
        "Give me a month and a free hand.",
        "My predecessor was not wrong about everything.",
    ),
}


def _invented(ctx: _Ctx, s: Sentence, e: Event) -> Sentence | None:
    """An invented line for a leader of the power concerned, marked as invented.

    The speaker is the power's head of state or government (for a change of command, the new
    commander); the lines rotate through their list from a point set by the run's seed.
    """
    lines = INVENTED.get(s.kind)
    if not lines:
        return None
    if s.kind == "leader_replaced":
        speaker = e.details.get("new")
    else:
        speaker = ctx.names.heads.get(e.actor or "")
    if not speaker:
        return None
    used = ctx.used.get(s.kind, 0)
    ctx.used[s.kind] = used + 1
    line = lines[(pick_variant(ctx.seed, f"quote:{s.kind}", len(lines)) + used) % len(lines)]
    parts = [T("“"), Q(line), T("” — "), N(ctx.names.leader(speaker)), T(" (invented)")]
    return Sentence("invented_quote", s.day, s.events, parts, style="quote")


# --------------------------------------------------------------------------- the canon


def _controller_on(events: list[Event], initial: dict[str, str], region: str, on: date) -> str:
    c = initial.get(region, "")
    for e in events:
        if e.kind == "region_captured" and e.region == region and e.day <= on:
            c = e.actor or c
    return c


def _canon_notes(
    ctx: _Ctx,
    meta: dict[str, Any],
    results_dir: Path,
    run_id: int,
    events: list[Event],
    initial: dict[str, str],
    end: date,
    camps: Campaigns,
) -> tuple[list[tuple[tuple[str, ...], Sentence]], int, int]:
    """A note per checkpoint this run missed (placed where its window closes) and the count met."""
    from twinvipers.analysis.plausibility import judge_runs, manifest_plan, window_end
    from twinvipers.scenario import schema

    checkpoints, context = manifest_plan(meta)
    if not checkpoints:
        return [], 0, 0
    judged = judge_runs(results_dir, checkpoints, context)
    n = ctx.names
    notes = []
    met_total = 0
    for cp in checkpoints:
        j = judged[cp.id]
        k = list(j["run_id"]).index(run_id)
        if bool(j["met"][k]):
            met_total += 1
            continue
        kind = schema.checkpoint_kind(cp)
        x = getattr(cp, kind)
        closes = min(window_end(cp) or end, end)
        what: list[Part]
        key: tuple[str, ...]
        if kind in ("taken", "held"):
            on = x.until if kind == "taken" else x.on
            on = min(on, end)
            took = [
                e
                for e in events
                if e.kind == "region_captured" and e.region == x.region and e.actor in x.by
            ]
            holder = _controller_on(events, initial, x.region, on)
            owner = initial.get(x.region, "")
            # The campaign between the side named and the one holding it (or its owner).
            other = holder if holder and holder not in x.by else owner
            key = camps.of_pair(x.by[0], other, closes) if other and other not in x.by else (
                camps.of_power(x.by[0], closes))  # fmt: skip
            # A control date: the test checks the region's holder that day from the log.
            held_on = Part(
                "date", fmt_day(on, True), role="control", key=(x.region, holder), day=on
            )
            what = [N(n.place(x.region)), T(" was held by "), N(n.power(holder)), T(" on "),
                    held_on, T(".")]  # fmt: skip
            later = [e for e in took if e.day > (x.until if kind == "taken" else x.on)]
            if kind == "taken" and later:
                e = later[0]
                what = [*what[:-1], T("; "), N(n.power(e.actor)), T(" took it only on "),
                        D(e.day, (e.eid,), year=True), T(".")]  # fmt: skip
        elif kind == "capitulates":
            key = camps.of_power(x.power, closes)
            gave = [
                e
                for e in events
                if (e.kind == "capitulation" and e.actor == x.power)
                or (
                    e.kind == "scripted"
                    and e.details.get("id")
                    in (context.get("gives_up_events") or {}).get(x.power, [])
                )
            ]
            if gave:
                e = gave[0]
                what = [N(n.power(x.power)), T(" gave up on "), D(e.day, (e.eid,), year=True),
                        T(".")]  # fmt: skip
            else:
                what = [N(n.power(x.power)), T(" had not given up by the end of the run.")]
        elif kind == "war_lasts":
            key = camps.of_pair(x.a, x.b, closes)
            peace = [e for e in events if e.kind == "peace" and {e.actor, e.target} == {x.a, x.b}]
            if peace:
                e = peace[0]
                what = [T("The war between "), N(n.power(x.a)), T(" and "), N(n.power(x.b)),
                        T(" ended in peace on "), D(e.day, (e.eid,), year=True), T(".")]  # fmt: skip
            else:
                what = [T("The war between "), N(n.power(x.a)), T(" and "), N(n.power(x.b)),
                        T(" was still going on at the end of the run.")]  # fmt: skip
        elif kind == "fired":
            spec = n.events.get(x.event)
            pair = _pair_of_event(spec)
            key = camps.of_pair(*pair, closes) if pair else ("world",)
            fired = [e for e in events if e.kind == "scripted" and e.details.get("id") == x.event]
            if fired:
                e = fired[0]
                what = [T("The "), N(_human(x.event)), T(" came on "),
                        D(e.day, (e.eid,), year=True), T(".")]  # fmt: skip
            else:
                what = [T("The "), N(_human(x.event)), T(" never came.")]
        else:  # casualty_ratio
            key = camps.of_pair(x.a, x.b, closes)
            until = x.until or end
            bs = [
                e
                for e in events
                if e.kind == "battle" and e.day <= until and {e.actor, e.target} == {x.a, x.b}
            ]
            la = sum(
                e.details.get("attacker_losses" if e.actor == x.a else "defender_losses", 0)
                for e in bs
            )
            lb = sum(
                e.details.get("defender_losses" if e.actor == x.a else "attacker_losses", 0)
                for e in bs
            )
            ids = tuple(e.eid for e in bs)
            if lb > 0:
                what = [N(n.power(x.a)), T(" lost "), Num(la / lb, "ratio", ids, (x.a, x.b)),
                        T(" men killed and wounded in battle for every one of "),
                        N(n.power(x.b)), T(".")]  # fmt: skip
            else:
                what = [T("No losses of "), N(n.power(x.b)), T(" in battle with "),
                        N(n.power(x.a)), T(" were recorded.")]  # fmt: skip
        parts = [T("Where this run left the canon: "), Q(cp.description.strip())]
        if cp.quote:
            parts += [T(" — “"), Q(cp.quote.strip()), T("”")]
        parts += [T(" In this run: "), *what]
        notes.append((key, Sentence("divergence", closes, (), parts, style="note")))
    return notes, met_total, len(checkpoints)


def _pair_of_event(spec: Any) -> tuple[str, str] | None:
    """The two powers a scripted event is about (its first war, peace or offensive)."""
    for eff in getattr(spec, "effects", []) or []:
        for name, a, b in (("declare_war", "actor", "target"), ("peace", "a", "b")):
            x = getattr(eff, name, None)
            if x is not None:
                return getattr(x, a), getattr(x, b)
    return None


# --------------------------------------------------------------------------- the whole


def _group(events: list[Event], key: Any) -> list[list[Event]]:
    out: dict[Any, list[Event]] = {}
    for e in events:
        out.setdefault(key(e), []).append(e)
    return list(out.values())


def build(
    results_dir: Path | str,
    run_id: int | None = None,
    pick: str | None = None,
    quotes: bool = False,
) -> Chronicle:
    """Compose the chronicle of one run of a finished ensemble.

    Args:
        results_dir: The ensemble's results directory.
        run_id: The run to tell (default: ``pick``, or the typical run).
        pick: ``typical``, ``divergent`` or ``canon-closest`` (with ``run_id`` None).
        quotes: Add invented quotes, each marked "(invented)".

    Raises:
        ChronicleError: Not a finished ensemble, a run out of range, nothing to pick.
    """
    results_dir = Path(results_dir)
    problem = incomplete(results_dir)
    if problem:
        raise ChronicleError(problem)
    meta = json.loads((results_dir / MANIFEST).read_text(encoding="utf-8"))
    con = duckdb.connect()
    for t in ("runs", "regions", "powers"):
        con.execute(
            f"CREATE VIEW {t} AS SELECT * FROM read_parquet({_q(results_dir / (t + '.parquet'))})"
        )
    n_runs = con.execute("SELECT count(*) FROM runs").fetchone()[0]
    why = ""
    if run_id is None:
        run_id, why = pick_run(results_dir, meta, pick or "typical")
    row = con.execute("SELECT seed, end_date FROM runs WHERE run_id = ?", [run_id]).fetchone()
    if row is None:
        raise ChronicleError(
            f"--run {run_id}: {results_dir} has runs 0 to {n_runs - 1}"
            if n_runs
            else f"{results_dir}: the ensemble has no runs"
        )
    # Seeds are unsigned 64-bit numbers stored in an int64 column: show them as drawn.
    seed, end = int(row[0]) % 2**64, row[1]
    names = Names(results_dir, meta, con)
    initial = dict(
        con.execute("SELECT region, controller FROM regions WHERE kind = 'land'").fetchall()
    )
    events = read_events(results_dir, run_id)
    capitals = {v["capital"]: p for p, v in (meta.get("powers") or {}).items() if v.get("capital")}
    ctx = _Ctx(names, seed, quotes, capitals, dict(names.force_leader))
    for e in events:
        # A battle fought across a line the scenario names (a river: "the Bzura"): a named edge
        # from the battle's region to one its attacker held that day.
        # Else a line the region lies on ("by the Bzura").
        if e.kind == "battle" and e.region in names.lines:
            lines = names.lines[e.region]
            ctx.line_of[e.eid] = (" by ", lines[0][1])
            for other, name in lines:
                if _controller_on(events, initial, other, e.day) == e.actor:
                    ctx.line_of[e.eid] = (" across ", name)
                    break
    camps = Campaigns(meta, names)
    start = date.fromisoformat(meta["start"]) if meta.get("start") else None
    for w in (meta.get("checkpoint_context") or {}).get("wars_at_start") or []:
        camps.of_pair(w["a"], w["b"], start)
        camps.war(w["a"], w["b"], True)

    # Place every sentence in a campaign, in the order the events happened.
    placed: list[tuple[tuple[str, ...], Sentence, tuple[str, str]]] = []

    def put(key: tuple[str, ...], s: Sentence, pair: tuple[str | None, str | None]) -> None:
        placed.append((key, s, (pair[0] or "", pair[1] or "")))

    by_day = _group(events, lambda e: e.day)
    peace_terms: dict[tuple[date, frozenset], str] = {}
    for e in events:
        if e.kind == "scripted":
            pair = _pair_of_event(names.events.get(e.details.get("id")))
            spec = names.events.get(e.details.get("id"))
            for eff in getattr(spec, "effects", []) or []:
                p = getattr(eff, "peace", None)
                if p is not None:
                    peace_terms[(e.day, frozenset((p.a, p.b)))] = _human(str(e.details["id"]))
    monthly: dict[tuple[Any, ...], list[Event]] = defaultdict(list)
    battles: dict[tuple[tuple[str, ...], date], list[Event]] = defaultdict(list)
    for day_events in by_day:
        for group in _group([e for e in day_events if e.kind == "war_declared"], lambda e: e.actor):
            s = _war(ctx, group)
            for e in group:
                key = camps.of_pair(e.actor, e.target, e.day)
                camps.war(e.actor, e.target, True)
            put(key, s, (group[0].actor, group[0].target))
            _maybe_quote(ctx, put, key, s, group[0])
        for e in day_events:
            k = e.kind
            if k == "war_declared" or k == "region_captured":
                continue
            if k in ("trade_war", "air_strike"):
                month = e.day.replace(day=1)
                sub = e.details.get("mission") if k == "air_strike" else None
                monthly[(k, month, e.actor, e.target, e.region, sub)].append(e)
                continue
            if k == "strategy" and e.details.get("decision") == "reinforce":
                # A month's transfers by one power are one sentence: the reviews are weekly.
                monthly[("reinforce", e.day.replace(day=1), e.actor, None, None, None)].append(e)
                continue
            if k == "strategy":
                fn = {"offensive": _hc_offensive, "defensive": _hc_defensive, "pause": _hc_pause}
                decision = str(e.details.get("decision"))
                if decision in fn:
                    key = camps.of_act(e.actor, e.target, e.day)
                    put(key, fn[decision](ctx, e), (e.actor, e.target))
                continue
            if k == "war_entry":
                factors = [x for x in day_events if x.kind == "entry_factor" and x.actor == e.actor
                           and x.target == e.target]  # fmt: skip
                # Its campaign: the war it enters, as its first declaration that day names it.
                dec = next((x for x in day_events if x.kind == "war_declared"
                            and x.actor == e.actor), None)  # fmt: skip
                key = (camps.of_pair(dec.actor, dec.target, e.day) if dec is not None
                       else camps.of_power(e.target, e.day))  # fmt: skip
                put(key, _entry(ctx, e, factors), (e.actor, dec.target if dec else e.target))
                continue
            if k == "oil_shortage":
                put(camps.of_power(e.actor, e.day), _shortage(ctx, e), (e.actor, None))
                continue
            if k in ("route_cut", "route_opened"):
                if k == "route_opened" and start is not None and e.day <= start:
                    continue  # the routes open on the first day are the scenario, not news
                cut_before = any(x.kind == "route_cut" and x.details.get("route")
                                 == e.details.get("route") and x.eid < e.eid for x in events)  # fmt: skip
                s = _route(ctx, e, again=cut_before)
                put(camps.of_power(e.target, e.day), s, (e.target, None))
                continue
            if k == "battle":
                key = camps.of_pair(e.actor, e.target, e.day)
                battles[(key, e.day.replace(day=1))].append(e)
                continue
            if k == "peace":
                camps.war(e.actor, e.target, False)
                terms = peace_terms.get((e.day, frozenset((e.actor, e.target))))
                put(
                    camps.of_pair(e.actor, e.target, e.day),
                    _peace(ctx, e, terms),
                    (e.actor, e.target),
                )
            elif k == "capitulation":
                key = camps.of_pair(e.actor, e.target, e.day)
                s = _capitulation(ctx, e)
                put(key, s, (e.actor, e.target))
                _maybe_quote(ctx, put, key, s, e)
            elif k == "alliance_joined":
                put(camps.of_power(e.actor, e.day), _alliance(ctx, e), (e.actor, None))
            elif k in ("naval_battle", "blockade", "landing", "bombardment", "special_weapons"):
                key = camps.of_act(e.actor, e.target, e.day)
                fn = {
                    "naval_battle": _naval,
                    "blockade": _blockade,
                    "landing": _landing,
                    "bombardment": _bombardment,
                    "special_weapons": _special,
                }[k]
                put(key, fn(ctx, e), (e.actor, e.target))
            elif k == "evacuation":
                put(camps.of_power(e.actor, e.day), _evacuation(ctx, e), (e.actor, None))
            elif k == "leader_replaced":
                key = camps.of_power(e.actor, e.day)
                s = _leader(ctx, e)
                put(key, s, (e.actor, None))
                _maybe_quote(ctx, put, key, s, e)
            elif k == "scripted":
                spec = names.events.get(e.details.get("id"))
                for s in _orders(ctx, e, spec):
                    power = None
                    target_power = None
                    for eff in spec.effects:
                        off = getattr(eff, "offensive", None)
                        if off is not None:
                            power = off.power
                            target_power = _controller_on(events, initial, off.target, e.day)
                            break
                        mob = getattr(eff, "mobilise", None)
                        if mob is not None:
                            power = mob.power
                            break
                    key = (
                        camps.of_pair(power, target_power, e.day)
                        if power and target_power and target_power != power
                        else camps.of_power(power, e.day)
                    )
                    put(key, s, (power, target_power))
        captures = [e for e in day_events if e.kind == "region_captured"]
        for group in _group(captures, lambda e: (e.actor, e.target)):
            # A hand-over between powers not at war (a partition, a treaty) is the taker's.
            key = camps.of_act(group[0].actor, group[0].target, group[0].day)
            for s in _captures(ctx, group):
                put(key, s, (group[0].actor, group[0].target))
                if s.kind == "capital_taken":
                    _maybe_quote(ctx, put, key, s, next(x for x in group if x.eid == s.events[0]))
    for (k, _m, actor, target, _r, _sub), group in monthly.items():
        monthly_fn = {"trade_war": _trade_war, "air_strike": _air, "reinforce": _reinforcements}
        s = monthly_fn[k](ctx, group)
        day = group[0].day
        key = camps.of_pair(actor, target, day) if target else camps.of_power(actor, day)
        put(key, s, (actor, target))
    for (key, _m), group in battles.items():
        ranked = sorted(
            group,
            key=lambda e: (
                -(e.details.get("attacker_losses", 0) + e.details.get("defender_losses", 0)),
                e.eid,
            ),
        )
        told = TOLD_BATTLES if len(ranked) > TOLD_BATTLES + 1 else len(ranked)
        for e in ranked[:told]:
            put(key, _battle(ctx, e), (e.actor, e.target))
        if len(ranked) > told:
            rest = sorted(ranked[told:], key=lambda e: e.eid)
            s = _battles_rest(ctx, rest)
            s.day = max(e.day for e in rest)  # the month's tally closes the month's battles
            put(key, s, (rest[0].actor, rest[0].target))

    notes, met, n_cp = _canon_notes(ctx, meta, results_dir, run_id, events, initial, end, camps)
    for key, s in notes:
        put(key, s, ("", ""))

    # Chapters: a campaign's month; in date order, then by the order things were recorded.
    chapters: dict[tuple[tuple[str, ...], date], Chapter] = {}
    pairs: dict[tuple[tuple[str, ...], date], list[tuple[str, str]]] = defaultdict(list)
    rank = {
        "offensive_ordered": 0,
        "mobilisation": 0,
        "war_declared": 1,
        "war_entry": 1,
        "reinforcements": 7,
        "divergence": 9,
        "battles_summary": 8,
        "trade_war": 7,
        "air_strike": 7,
    }
    for key, s, pair in sorted(
        placed, key=lambda x: (x[1].day, rank.get(x[1].kind, 5), x[1].events[:1] or (1 << 62,))
    ):
        month = s.day.replace(day=1)
        ch = chapters.get((key, month))
        if ch is None:
            ch = chapters[(key, month)] = Chapter(key, month, [])
        ch.sentences.append(s)
        if pair != ("", ""):
            pairs[(key, month)].append(pair)
    for (key, month), ch in chapters.items():
        # A chapter of notes alone is titled by the campaign's powers over the whole run.
        whole = [p for (k, _m), ps in pairs.items() if k == key for p in ps]
        title = camps.title(key, pairs[(key, month)], whole)
        ids = tuple(e for s in ch.sentences for e in s.events[:1])
        ch.heading = [*title, T(", "), M(month, ids)]
    # Within a month, the campaign whose first sentence comes first; on one day, the one whose
    # event was recorded first (a war declared that day before a battle dated to it).
    ordered = sorted(
        chapters.values(),
        key=lambda c: (c.month, c.sentences[0].day, c.sentences[0].events[:1] or (1 << 62,),
                       c.campaign),
    )  # fmt: skip

    scen = meta.get("scenario_name") or meta.get("scenario_id") or meta.get("scenario") or "?"
    title = [N(str(scen)), T(": run "), Num(run_id, "run_id", key=(str(run_id),))]
    intro_parts = [
        T("A chronicle of run "),
        Num(run_id, "run_id", key=(str(run_id),)),
        T(" of "),
        Num(n_runs, "runs"),
        T(" (seed "),
        Num(seed, "seed", key=(str(run_id),)),
        T(")"),
    ]
    if why:
        intro_parts += [T(", " + why)]
    if start:
        intro_parts += [T(", from "), D(start, (), True, "start"), T(" to "),
                        D(end, (), True, "end")]  # fmt: skip
    intro_parts.append(T("."))
    intro = [Sentence("intro", start or end, (), intro_parts)]
    if n_cp:
        intro.append(
            Sentence(
                "canon_score",
                end,
                (),
                [
                    T("It met "),
                    Num(met, "checkpoints_met", key=(str(run_id),)),
                    T(" of the scenario's "),
                    Num(n_cp, "checkpoints"),
                    T(" checkpoints; each miss is flagged where the canon and the run part."),
                ],
            )
        )
    if not names.scenario_loaded:
        intro.append(
            Sentence(
                "note",
                end,
                (),
                [T("The scenario could not be loaded, so forces and leaders go by their ids.")],
            )
        )
    epilogue = _epilogue(con, run_id, end, names, events)
    con.close()
    return Chronicle(title, intro, ordered, epilogue, run_id, seed)


def _maybe_quote(ctx: _Ctx, put: Any, key: tuple[str, ...], s: Sentence, e: Event) -> None:
    if ctx.quotes:
        q = _invented(ctx, s, e)
        if q is not None:
            put(key, q, ("", ""))


def _epilogue(
    con: Any, run_id: int, end: date, names: Names, events: list[Event]
) -> list[Sentence]:
    """Where things stood on the last day, for the powers that fought."""
    fought = sorted(
        {
            p
            for e in events
            if e.kind in ("war_declared", "battle")
            for p in (e.actor, e.target)
            if p
        }
    )
    if not fought:
        return []
    rows = con.execute(
        "SELECT power::VARCHAR, regions, killed, captured FROM powers "
        "WHERE run_id = ? AND date = (SELECT max(date) FROM powers WHERE run_id = ?) "
        "ORDER BY power::VARCHAR",
        [run_id, run_id],
    ).fetchall()
    day = (
        con.execute("SELECT max(date) FROM powers WHERE run_id = ?", [run_id]).fetchone()[0] or end
    )
    out = [Sentence("epilogue_date", day, (), [T("Where things stood on "),
                                                D(day, (), True, "snapshot")])]  # fmt: skip
    for power, regions, killed, captured in rows:
        if power not in fought:
            continue
        k = (power, day.isoformat())
        parts = [
            N(names.power(power)),
            T(" held "),
            Num(regions, "regions", key=k),
            T(" regions and had lost "),
            Num(killed, "killed", key=k),
            T(" men killed and "),
            Num(captured, "captured", key=k),
            T(" taken prisoner."),
        ]
        out.append(Sentence("epilogue", day, (), parts))
    return out


# --------------------------------------------------------------------------- rendering


def _bb(text: str) -> str:
    # BBCode has no escape: square brackets in names would open tags, so they become round.
    return text.replace("[", "(").replace("]", ")")


def _md(text: str) -> str:
    out = []
    for ch in text:
        out.append("\\" + ch if ch in "\\`*_[]<>#|" else ch)
    return "".join(out)


def _render_parts(parts: list[Part], fmt: str, mask: bool) -> str:
    out = []
    prev = ""
    for p in parts:
        if mask and p.kind in ("name", "quote"):
            out.append(MASK)
            prev = MASK
            continue
        t = p.text
        if p.kind == "name" and (not prev or prev.endswith(". ")):
            t = t[:1].upper() + t[1:]  # "the German Reich" opening a sentence
        prev = t
        if fmt == "html":
            t = html.escape(t)
        elif fmt == "bbcode":
            t = _bb(t)
        elif fmt == "md" and p.kind in ("name", "quote"):
            t = _md(t)
        if p.kind == "quote" and fmt != "plain":
            t = {"md": f"*{t}*", "html": f"<i>{t}</i>", "bbcode": f"[i]{t}[/i]"}[fmt]
        out.append(t)
    return "".join(out)


HTML_CSS = (
    "body{font-family:Georgia,'Times New Roman',serif;max-width:46rem;margin:2rem auto;"
    "padding:0 1rem;line-height:1.55;color:#222}h1{font-size:1.6rem}h2{font-size:1.2rem;"
    "margin-top:2rem;border-bottom:1px solid #ddd}.note{background:#f8f6ee;border-left:3px "
    "solid #c9b458;padding:.4rem .8rem}.quote{font-style:italic;color:#555}.meta{color:#666}"
)


def render(ch: Chronicle, fmt: str = "md", mask: bool = False) -> str:
    """The chronicle as Markdown, HTML (self-contained) or BBCode.

    ``mask`` replaces every name and quote with ``§`` so that the digits left are exactly the
    chronicle's numbers and dates (what the honesty test parses).
    """
    if fmt not in FORMATS and fmt != "plain":
        raise ChronicleError(f"--format {fmt!r}: use md, html or bbcode")

    def r(parts: list[Part]) -> str:
        return _render_parts(parts, fmt, mask)

    def para(ss: list[Sentence]) -> list[str]:
        """Prose sentences run together; notes and quotes stand apart."""
        blocks: list[tuple[str, list[str]]] = []
        for s in ss:
            text = r(s.parts)
            if s.style == "" and blocks and blocks[-1][0] == "":
                blocks[-1][1].append(text)
            else:
                blocks.append((s.style, [text]))
        out = []
        for style, texts in blocks:
            body = " ".join(texts)
            if fmt == "html":
                cls = f" class='{style}'" if style else ""
                out.append(f"<p{cls}>{body}</p>")
            elif fmt == "bbcode":
                out.append(f"[quote]{body}[/quote]" if style == "note" else body)
            elif fmt == "md":
                out.append(f"> {body}" if style == "note" else body)
            else:
                out.append(body)
        return out

    lines: list[str] = []
    title = r(ch.title)
    if fmt == "html":
        lines += [
            "<!DOCTYPE html>",
            "<html lang='en'><head><meta charset='utf-8'>",
            f"<title>{title}</title><style>{HTML_CSS}</style></head><body>",
            f"<h1>{title}</h1>",
        ]
    elif fmt == "bbcode":
        lines += [f"[size=150][b]{title}[/b][/size]", ""]
    elif fmt == "md":
        lines += [f"# {title}", ""]
    else:
        lines += [title, ""]
    for b in para(ch.intro):
        lines += [b if fmt != "html" else b.replace("<p>", "<p class='meta'>", 1), ""]
    for c in ch.chapters:
        head = r(c.heading)
        lines.append(
            {"html": f"<h2>{head}</h2>", "bbcode": f"[b][u]{head}[/u][/b]", "md": f"## {head}"}.get(
                fmt, head
            )
        )
        lines.append("")
        for b in para(c.sentences):
            lines += [b, ""]
    if ch.epilogue:
        head = r(ch.epilogue[0].parts)
        lines += [{"html": f"<h2>{head}</h2>", "bbcode": f"[b][u]{head}[/u][/b]",
                   "md": f"## {head}"}.get(fmt, head), ""]  # fmt: skip
        items = [r(s.parts) for s in ch.epilogue[1:]]
        if fmt == "html":
            lines += ["<ul>", *[f"<li>{i}</li>" for i in items], "</ul>"]
        elif fmt == "bbcode":
            lines += ["[list]", *[f"[*]{i}" for i in items], "[/list]"]
        else:
            lines += [f"- {i}" for i in items]
        lines.append("")
    footer = [T("Told by twinvipers from the run's event log: every name, number and date "
                "comes from the run or its scenario.")]  # fmt: skip
    f = r(footer)
    lines.append({"html": f"<p class='meta'>{f}</p>", "bbcode": f"[i]{f}[/i]",
                  "md": f"*{f}*"}.get(fmt, f))  # fmt: skip
    if fmt == "html":
        lines.append("</body></html>")
    return "\n".join(lines).rstrip("\n") + "\n"


def write(text: str, out: Path) -> Path:
    """Write the chronicle atomically (a temporary name, then a rename)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out, text.encode("utf-8"))
    return out


def report_section(results_dir: Path | str) -> str:
    """The HTML report's section: the typical and the most divergent run, told in full.

    The chronicles are embedded (folded, linked from the top of the section by anchors), so
    the report stays one self-contained file. Empty when no run can be told.
    """
    results_dir = Path(results_dir)
    meta = json.loads((results_dir / MANIFEST).read_text(encoding="utf-8"))
    picks = ["typical"] + (["divergent"] if meta.get("checkpoints") else [])
    told = []
    for pick in picks:
        try:
            ch = build(results_dir, pick=pick)
        except ChronicleError:
            continue
        page = render(ch, "html")
        body = page[page.index("<body>") + len("<body>") : page.rindex("</body>")]
        body = body.replace("<h2>", "<h4>").replace("</h2>", "</h4>")
        body = body.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
        told.append((pick, ch.run_id, body))
    if not told:
        return ""
    what = {"typical": "the typical run", "divergent": "the run furthest from the canon"}
    links = " and ".join(
        f"<a href='#chronicle-{p}'>{what[p]} (run {rid})</a>" for p, rid, _ in told
    )
    out = [
        "<h2>Chronicles</h2>",
        f"<p>Read {links} as a dated timeline; <code>twinvipers chronicle</code> tells any run "
        "as Markdown, HTML or a BBCode forum post.</p>",
    ]
    for p, rid, body in told:
        out.append(
            f"<details id='chronicle-{p}'><summary>{html.escape(what[p].capitalize())} "
            f"(run {rid})</summary>{body}</details>"
        )
    return "\n".join(out)
