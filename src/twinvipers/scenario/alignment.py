"""The diplomacy model's scenario data as arrays, its assumptions, and hand-set war snapshots.

``Scenario.alignment`` (per power: stakeholders, affinity, claims, readiness, trade dependence)
and ``Scenario.alignment_weights`` (the drivers' weights and the model's constants) are judged
figures written ``[low, best, high]``. :func:`assumptions` names each one as an assumption
(triangular, canon at its best value) so the free-diplomacy mode can sample them; until that
mode is switched on they are not part of a run's sampled assumptions, so canon and existing
ensembles are unchanged. :func:`compile_alignment` turns them into the arrays
``rules.alignment`` reads, at their best values or at given assumption values.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping

import numpy as np

from twinvipers.rules import alignment as A
from twinvipers.scenario import schema

#: Treaty kinds that bind a member to come into its partners' wars (the ally term, honouring,
#: and the sides a power expects).
#: Mutual-assistance pacts (the Soviet-Baltic and Soviet-Mongolian ones) are defensive: they call a
#: partner only when the other is attacked, and a run does not record who attacked, so they do not.
BINDING = ("alliance", "guarantee")

#: Ship classes counted as sea power (capital ships: the measure of the 1922 and 1930 treaties).
CAPITAL_SHIPS = ("battleship", "battlecruiser", "carrier")


def _tri(idv: str, desc: str, est: tuple[float, float, float], source: str | None):
    lo, best, hi = est
    dist = {"fixed": best} if lo == hi else {"triangular": [lo, best, hi]}
    return schema.Assumption(id=idv, description=desc, dist=dist, canon=best, source=source)


def _sid(*parts: str) -> str:
    return "_".join(p.lower() for p in parts)


def assumptions(scenario: schema.Scenario) -> list[schema.Assumption]:
    """Every judged figure of the diplomacy model as a named assumption (id, range, source)."""
    out = []
    for w in scenario.alignment_weights:
        src = w.sources.get("value") or w.source
        out.append(_tri(_sid("diplo", w.id), w.description, w.value, src))
    for a in scenario.alignment:
        src = a.source
        out.append(_tri(_sid(a.id, "readiness"), f"{a.power} readiness", a.readiness,
                        a.sources.get("readiness") or src))  # fmt: skip
        out.append(_tri(_sid(a.id, "empire"), f"{a.power} war potential beyond its COW row",
                        a.empire, a.sources.get("empire") or src))  # fmt: skip
        out.append(_tri(_sid(a.id, "trade"), f"{a.power} sea-trade dependence",
                        a.trade_dependence, a.sources.get("trade_dependence") or src))  # fmt: skip
        for tag, est in a.affinity.items():
            out.append(_tri(_sid(a.id, "affinity", tag), f"{a.power} affinity to {tag}", est,
                            a.sources.get("affinity") or src))  # fmt: skip
        for k in a.stakeholders:
            ksrc = k.source or src
            for field in ("capability", "salience"):
                out.append(_tri(_sid(a.id, k.id, field), f"{k.name}: {field}",
                                getattr(k, field), k.sources.get(field) or ksrc))  # fmt: skip
            for tag, est in k.positions.items():
                out.append(_tri(_sid(a.id, k.id, "position", tag),
                                f"{k.name}: stance on fighting beside {tag}", est,
                                k.sources.get("positions") or ksrc))  # fmt: skip
    return out


def figures(scenario: schema.Scenario) -> list[tuple[str, int, int, int]]:
    """What each of :func:`assumptions` sets in a run: (assumption id, FIG_* kind, i, j).

    Indices follow :func:`compile_alignment`: powers in the scenario's order, stakeholders in
    file order, weights in ``rules.alignment.WEIGHT_NAMES`` order.
    """
    tags = [p.id for p in scenario.powers]
    out = []
    for w in scenario.alignment_weights:
        if w.id in A.WEIGHT_NAMES:
            out.append((_sid("diplo", w.id), A.FIG_WEIGHT, A.WEIGHT_NAMES.index(w.id), -1))
    k = 0
    for a in scenario.alignment:
        p = tags.index(a.power)
        out.append((_sid(a.id, "readiness"), A.FIG_READINESS, p, -1))
        out.append((_sid(a.id, "empire"), A.FIG_EMPIRE, p, -1))
        out.append((_sid(a.id, "trade"), A.FIG_TRADE, p, -1))
        for tag in a.affinity:
            out.append((_sid(a.id, "affinity", tag), A.FIG_AFFINITY, p, tags.index(tag)))
        for s in a.stakeholders:
            out.append((_sid(a.id, s.id, "capability"), A.FIG_CAPABILITY, k, -1))
            out.append((_sid(a.id, s.id, "salience"), A.FIG_SALIENCE, k, -1))
            for tag in s.positions:
                out.append((_sid(a.id, s.id, "position", tag), A.FIG_POSITION, k,
                            tags.index(tag)))  # fmt: skip
            k += 1
    return out


def diplomacy_on(scenario: schema.Scenario) -> bool:
    """True when the scenario switches free diplomacy on (``diplomacy_free``: 1 or an assumption)."""
    v = scenario.parameters.get("diplomacy_free")
    return isinstance(v, schema.AssumptionRef) or (v is not None and float(v) >= 0.5)


def with_figures(scenario: schema.Scenario) -> schema.Scenario:
    """The scenario with the model's judged figures appended to its sampled assumptions.

    Only when free diplomacy is on (:func:`diplomacy_on`): then every run draws them and they
    are columns of ``runs``, seen by sensitivity analysis. An id the scenario already uses as an
    assumption of its own keeps the scenario's (it is not appended twice).
    """
    if not diplomacy_on(scenario) or not scenario.alignment:
        return scenario
    have = {a.id for a in scenario.assumptions}
    extra = [a for a in assumptions(scenario) if a.id not in have]
    return scenario.model_copy(update={"assumptions": [*scenario.assumptions, *extra]})


@dataclasses.dataclass
class AlignmentArrays:
    """The static inputs of ``rules.alignment`` for one scenario (one run's draw of them)."""

    tags: list[str]
    regions: list[str]
    sh_power: np.ndarray
    sh_weight: np.ndarray
    sh_pos: np.ndarray
    sh_other: np.ndarray
    sh_ids: list[str]
    sh_cap: np.ndarray  # float[K] capability (sh_weight is capability x salience)
    sh_sal: np.ndarray  # float[K] salience
    affinity: np.ndarray
    claim: np.ndarray
    readiness: np.ndarray
    trade_dep: np.ndarray
    will: np.ndarray
    empire: np.ndarray  # float[P]: multiple of the COW capability (dominions, colonies)
    covered: np.ndarray  # bool[P]: the power has alignment data
    weights: np.ndarray

    def pix(self, tag: str) -> int:
        """The index of a power tag."""
        return self.tags.index(tag)


def compile_alignment(
    scenario: schema.Scenario, values: Mapping[str, float] | None = None
) -> AlignmentArrays:
    """Arrays at the best values, or at ``values`` (assumption id → value) where given."""
    values = values or {}
    tags = [p.id for p in scenario.powers]
    regions = [r.id for r in scenario.regions]
    pix = {t: i for i, t in enumerate(tags)}
    rix = {r: i for i, r in enumerate(regions)}
    P, R = len(tags), len(regions)

    def val(idv: str, est: tuple[float, float, float]) -> float:
        return float(values.get(idv, est[1]))

    weights = np.zeros(A.N_WEIGHTS)
    given = {w.id: w for w in scenario.alignment_weights}
    for j, name in enumerate(A.WEIGHT_NAMES):
        if name in given:
            weights[j] = val(_sid("diplo", name), given[name].value)
    affinity = np.zeros((P, P))
    claim = np.zeros((P, R))
    readiness = np.full(P, 0.5)
    trade = np.zeros(P)
    will = np.ones(P)
    empire = np.ones(P)
    covered = np.zeros(P, np.bool_)
    sh_power, sh_weight, sh_other, sh_ids, rows = [], [], [], [], []
    sh_cap, sh_sal = [], []
    for a in scenario.alignment:
        p = pix[a.power]
        covered[p] = True
        readiness[p] = val(_sid(a.id, "readiness"), a.readiness)
        trade[p] = val(_sid(a.id, "trade"), a.trade_dependence)
        will[p] = a.will
        empire[p] = val(_sid(a.id, "empire"), a.empire)
        for tag, est in a.affinity.items():
            affinity[p, pix[tag]] = val(_sid(a.id, "affinity", tag), est)
        for reg, wt in a.claims.items():
            claim[p, rix[reg]] = wt
        for k in a.stakeholders:
            c = val(_sid(a.id, k.id, "capability"), k.capability)
            s = val(_sid(a.id, k.id, "salience"), k.salience)
            row = np.full(P, np.nan)
            for tag, est in k.positions.items():
                row[pix[tag]] = val(_sid(a.id, k.id, "position", tag), est)
            sh_power.append(p)
            sh_weight.append(c * s)
            sh_cap.append(c)
            sh_sal.append(s)
            sh_other.append(k.other)
            sh_ids.append(f"{a.power}.{k.id}")
            rows.append(row)
    return AlignmentArrays(
        tags, regions, np.array(sh_power, np.int64), np.array(sh_weight, np.float64),
        np.array(rows, np.float64).reshape(len(rows), P), np.array(sh_other, np.float64),
        sh_ids, np.array(sh_cap, np.float64), np.array(sh_sal, np.float64), affinity, claim,
        readiness, trade, will, empire, covered, weights,
    )  # fmt: skip


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km (haversine)."""
    r1, r2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    h = math.sin((r2 - r1) / 2) ** 2 + math.cos(r1) * math.cos(r2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def proximity(scenario: schema.Scenario, scale_km: float) -> np.ndarray:
    """prox[q, p]: 1 for powers whose regions share a land edge, else exp(-capitals' km / scale)."""
    km = capital_km(scenario)
    with np.errstate(over="ignore"):
        return np.where(km < 0, 1.0, np.exp(-np.maximum(km, 0.0) / scale_km))


def capital_km(scenario: schema.Scenario) -> np.ndarray:
    """km[q, p] between capitals (-1: bordering or itself, proximity 1; inf: no capital).

    Bordering powers (a land edge between their regions) are neighbours whatever the scale.
    """
    tags = [p.id for p in scenario.powers]
    pix = {t: i for i, t in enumerate(tags)}
    where = {r.id: r for r in scenario.regions}
    owner = {r.id: r.owner for r in scenario.regions}
    P = len(tags)
    km = np.full((P, P), np.inf)
    for i, p in enumerate(scenario.powers):
        for j, q in enumerate(scenario.powers):
            a, b = where.get(p.capital), where.get(q.capital)
            if a is not None and b is not None:
                km[i, j] = _km(a.lon, a.lat, b.lon, b.lat)
    for e in scenario.edges:
        oa, ob = owner.get(e.a), owner.get(e.b)
        if oa and ob and oa != ob:
            km[pix[oa], pix[ob]] = km[pix[ob], pix[oa]] = -1.0
    np.fill_diagonal(km, -1.0)
    return km


def sea_power(scenario: schema.Scenario) -> np.ndarray:
    """Capital ships per power (battleships, battlecruisers, carriers) on the start date."""
    tags = [p.id for p in scenario.powers]
    out = np.zeros(len(tags))
    for f in scenario.fleets:
        out[tags.index(f.power)] += sum(f.ships.get(c, 0) for c in CAPITAL_SHIPS)
    return out


@dataclasses.dataclass
class WarState:
    """A hand-set snapshot of the war: who fights whom, who has fallen, who holds what."""

    at_war: np.ndarray  # bool[P, P]
    capitulated: np.ndarray  # bool[P]
    controller: np.ndarray  # int[R]
    owner: np.ndarray  # int[R]
    allied: np.ndarray  # bool[P, P]
    blockaded_by: np.ndarray  # bool[P, P]
    offers: np.ndarray  # float[P, 3]
    strength: np.ndarray  # float[P]: share of its capability still in the field (1: intact)
    fallen_side: np.ndarray  # int[P]: for a fallen or collapsing power, its side's seed power


def war_state(
    scenario: schema.Scenario,
    wars: Iterable[tuple[str, str]] = (),
    capitulated: Iterable[str] = (),
    alliances: Iterable[Iterable[str]] | None = None,
    taken: Mapping[str, str] | None = None,
    strength: Mapping[str, float] | None = None,
    fought_beside: Mapping[str, str] | None = None,
) -> WarState:
    """A snapshot from the scenario's start plus wars, capitulations, alliances and conquests.

    ``alliances``: groups of powers bound to each other (default: the scenario's binding
    treaties); ``taken``: region → the power now holding it; ``strength``: power → the share
    of its capability still in the field (a power collapsing, not yet capitulated);
    ``fought_beside``: a capitulated power → a power of the side it fought on.
    """
    tags = [p.id for p in scenario.powers]
    pix = {t: i for i, t in enumerate(tags)}
    P = len(tags)
    at_war = np.zeros((P, P), np.bool_)
    for w in [*((w.a, w.b) for w in scenario.diplomacy.wars), *wars]:
        at_war[pix[w[0]], pix[w[1]]] = at_war[pix[w[1]], pix[w[0]]] = True
    cap = np.zeros(P, np.bool_)
    for t in capitulated:
        cap[pix[t]] = True
        at_war[pix[t], :] = at_war[:, pix[t]] = False
    if alliances is None:
        alliances = [t.members for t in scenario.diplomacy.treaties if t.kind in BINDING]
    allied = np.zeros((P, P), np.bool_)
    for group in alliances:
        for a in group:
            for b in group:
                if a != b:
                    allied[pix[a], pix[b]] = True
    owner = np.array([pix[r.owner] for r in scenario.regions], np.int64)
    controller = np.array([pix[r.controller or r.owner] for r in scenario.regions], np.int64)
    rix = {r.id: i for i, r in enumerate(scenario.regions)}
    for reg, t in (taken or {}).items():
        controller[rix[reg]] = pix[t]
    st = np.ones(P)
    for t, x in (strength or {}).items():
        st[pix[t]] = x
    beside = np.full(P, -1, np.int64)
    for t, q in (fought_beside or {}).items():
        beside[pix[t]] = pix[q]
    return WarState(
        at_war, cap, controller, owner, allied, np.zeros((P, P), np.bool_), np.zeros((P, 3)), st,
        beside,
    )  # fmt: skip


@dataclasses.dataclass
class Decision:
    """The model's verdict for one power in one war, with its factors."""

    power: str
    sides: tuple[list[str], list[str]]
    positions: np.ndarray  # float[3]
    terms: np.ndarray  # float[3, N_TERMS]
    weighted: np.ndarray  # float[3, N_TERMS]: terms times weights
    utility: np.ndarray  # float[3]
    probability: np.ndarray  # float[3]

    def factors(self, side: int) -> dict[str, float]:
        """The weighted terms of joining ``side`` (1 or 2) minus staying out, by name."""
        return {
            n: float(self.weighted[side, t] - self.weighted[0, t])
            for t, n in enumerate(A.TERM_NAMES)
        }


def scripted_powers(scenario: schema.Scenario) -> np.ndarray:
    """bool[P]: powers whose war and peace the scenario's events decide (the model is silent).

    A power that declares war, makes peace or joins a treaty in some scripted event: in canon
    mode the scripts bind, so free diplomacy leaves that power to them.
    """
    tags = [p.id for p in scenario.powers]
    out = np.zeros(len(tags), np.bool_)
    for e in scenario.events:
        for f in e.effects:
            if isinstance(f, schema.DeclareWar):
                out[tags.index(f.declare_war.actor)] = True
            elif isinstance(f, schema.MakePeace):
                out[tags.index(f.peace.a)] = out[tags.index(f.peace.b)] = True
            elif isinstance(f, schema.JoinAlliance):
                out[tags.index(f.join_alliance.power)] = True
    return out


def decided_powers(scenario: schema.Scenario) -> list[str]:
    """Tags of the powers free diplomacy decides for: with data, no script deciding their wars.

    Empty when the scenario does not switch free diplomacy on (the results' manifest lists them,
    so the report knows its neutrals).
    """
    if not diplomacy_on(scenario):
        return []
    scripted = scripted_powers(scenario)
    have = {a.power for a in scenario.alignment}
    return [p.id for i, p in enumerate(scenario.powers) if p.id in have and not scripted[i]]


def capability(arrays: AlignmentArrays, scenario: schema.Scenario) -> np.ndarray:
    """Each power's capability: its COW CINC times its empire multiple."""
    return np.array([p.cinc or 0.0 for p in scenario.powers]) * arrays.empire


def evaluate_power(
    arrays: AlignmentArrays,
    scenario: schema.Scenario,
    state: WarState,
    power: str,
    seed: str,
    sea: np.ndarray | None = None,
    prox: np.ndarray | None = None,
) -> Decision:
    """The entry decision of ``power`` toward the war ``seed`` fights, from a snapshot."""
    tags = arrays.tags
    cap0 = capability(arrays, scenario)
    pcap = cap0 * state.strength
    pcap[state.capitulated] = 0.0
    side = A.expected_sides(
        A.war_sides(state.at_war, state.capitulated, tags.index(seed)), state.allied,
        state.capitulated,
    )  # fmt: skip
    fallen = 1.0 - pcap / np.where(cap0 > 0, cap0, 1.0)
    fallen[cap0 <= 0] = 0.0
    fallen_side = side.copy()
    for q in range(len(tags)):
        b = state.fallen_side[q]
        if state.capitulated[q] and b >= 0:
            fallen_side[q] = side[b]
        elif state.capitulated[q]:
            fallen[q] = 0.0  # fell in another war: not this war's course
    if sea is None:
        sea = sea_power(scenario)
    sea_share = np.zeros(3)
    tot = sea[side > 0].sum()
    for s in (1, 2):
        sea_share[s] = sea[side == s].sum() / tot if tot > 0 else 0.5
    if prox is None:
        prox = proximity(scenario, arrays.weights[A.W_PROXIMITY_KM])
    positions, terms, u, prob = A.evaluate(
        arrays.sh_power, arrays.sh_weight, arrays.sh_pos, arrays.sh_other, arrays.affinity,
        arrays.claim, arrays.readiness, arrays.trade_dep, pcap, prox, side, state.controller,
        sea_share, state.blockaded_by, state.offers, state.allied, cap0, fallen, fallen_side,
        arrays.weights,
    )  # fmt: skip
    p = tags.index(power)
    weighted = terms[p] * arrays.weights[: A.N_TERMS][None, :]
    return Decision(
        power,
        ([t for t, s in zip(tags, side, strict=True) if s == 1],
         [t for t, s in zip(tags, side, strict=True) if s == 2]),
        positions[p], terms[p], weighted, u[p], prob[p],
    )  # fmt: skip
