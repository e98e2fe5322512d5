"""Compile a validated Scenario into a World (static arrays with integer ids)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from twinvipers.rules import codes, params
from twinvipers.rules.naval import N_CLASS
from twinvipers.rules.supply import reverse_arcs, truck_park_capacity
from twinvipers.scenario import schema
from twinvipers.scenario.errors import Located, ScenarioError
from twinvipers.world import climate
from twinvipers.world.arrays import UNREACHABLE, EconWorld, World

TERRAINS = list(schema.Terrain)
CLIMATES = list(schema.Climate)
RIVERS = list(schema.River)
SHIP_CLASSES = list(schema.ShipClass)
GAUGES = ("standard", "russian", "other")
UNLIMITED_TRUCKS = 1e12  # ton-km a day: a power without a stated truck park is range-limited only
# A lorry of 1939-40: ~3 t payload, ~150 km a day out and back on poor roads (van Creveld,
# *Supplying War*, ch. 5, on the German Grosstransportraum; recalled figures).
TRUCK_PAYLOAD_T = 3.0
TRUCK_KM_PER_DAY = 150.0
NEVER = 1 << 40  # free_from of a scenario without a point of divergence


@dataclasses.dataclass
class Compiled:
    """A compiled scenario: the World plus the names behind its integer ids."""

    scenario: schema.Scenario
    world: World
    regions: list[str]
    sea_zones: list[str]
    powers: list[str]
    fleets: list[str]
    air: list[str]
    forces: list[str]
    leaders: list[str]
    treaties: list[str]
    events: list[str]
    assumptions: list[schema.Assumption]
    base_params: np.ndarray  # float64[N_PARAMS + A]: engine constants then assumption slots
    param_from: np.ndarray  # int64[N_PARAMS]: assumption index feeding a constant, or -1
    trade: list[str] = dataclasses.field(default_factory=list)  # trade route ids (economy)

    @property
    def free_from(self) -> dt.date | None:
        """The first day of free mode (None: canon mode, scripted decisions bind throughout)."""
        day = int(self.world.free_from[0])
        return None if day >= NEVER else self.date(day)

    @property
    def start(self) -> dt.date:
        """The scenario's first day (day 0)."""
        return self.scenario.meta.start

    def day(self, date: dt.date) -> int:
        """Day index of a date."""
        return (date - self.start).days

    def date(self, day: int) -> dt.date:
        """Date of a day index."""
        return self.start + dt.timedelta(days=int(day))

    def params_for(self, assumption_values: np.ndarray) -> np.ndarray:
        """Per-run parameter rows from sampled assumption values (runs × assumptions)."""
        n = assumption_values.shape[0]
        out = np.tile(self.base_params, (n, 1))
        out[:, params.N_PARAMS :] = assumption_values
        for k, j in enumerate(self.param_from):
            if j >= 0:
                out[:, k] = assumption_values[:, j]
        return out


def _bfs_tables(n: int, adj: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """All-pairs land hops and next steps (breadth-first search, scipy's csgraph)."""
    rows = [u for u in range(n) for _ in adj[u]]
    cols = [v for u in range(n) for v in adj[u]]
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    dist_f, pred = shortest_path(graph, directed=False, unweighted=True, return_predecessors=True)
    dist = np.where(np.isfinite(dist_f), dist_f, UNREACHABLE).astype(np.int64)
    # pred[t, s] is the neighbour of s on a shortest path from t, i.e. s's next step toward t.
    nxt = pred.T.astype(np.int64)
    nxt[nxt < 0] = -1
    np.fill_diagonal(nxt, np.arange(n))
    return dist, np.ascontiguousarray(nxt)


def snapshot_days(n_days: int, every: int) -> np.ndarray:
    """Days recorded in snapshots: day 0, every ``every`` days, and the last day."""
    days = list(range(0, n_days, every))
    if days[-1] != n_days - 1:
        days.append(n_days - 1)
    return np.asarray(days, np.int64)


def compile_scenario(
    s: schema.Scenario, until: dt.date | None = None, free_from: dt.date | None = None
) -> Compiled:
    """Compile a validated scenario; ``until`` shortens the calendar.

    ``free_from`` (``run --free-from``) is the point of divergence, in place of the scenario's
    ``diverges``: from that day the run is in free mode.
    """
    from twinvipers.scenario import alignment as AL

    s = AL.with_figures(s)  # free diplomacy: the model's figures are sampled per run
    n_days = _n_days(s, until)
    ids = _Ids(s)
    land = _land_graph(s, ids)
    sea = _sea(s, ids)
    base, param_from = _parameters(s, ids)
    program = _program(s, ids)
    world = World(
        **_regions(s, ids),
        **land,
        **sea,
        **_powers(s, ids),
        **_forces(s, ids),
        **_fleets(s, ids, sea["coast"]),
        **_air(s, ids),
        **program,
        **_calendar(s, n_days),
        **_diplomacy_model(s, ids),
        econ=_economy(s, ids),
        **_high_command(s, ids, free_from or s.meta.diverges),
    )
    return Compiled(
        scenario=s,
        world=world,
        regions=ids.regions,
        sea_zones=ids.zones,
        powers=ids.powers,
        fleets=ids.fleets,
        air=ids.air,
        forces=ids.forces,
        leaders=ids.leaders,
        treaties=ids.treaties,
        events=ids.events,
        assumptions=list(s.assumptions),
        base_params=base,
        param_from=param_from,
        trade=[t.id for t in s.trade],
    )


def _diplomacy_model(s: schema.Scenario, ids: _Ids) -> dict[str, np.ndarray]:
    """The diplomacy model's arrays at the data's best values (scenario.alignment).

    With them, the parameter slot of each judged figure a run draws (free diplomacy; -1: its
    best value).
    """
    from twinvipers.rules import alignment as A
    from twinvipers.scenario import alignment as AL

    a = AL.compile_alignment(s)
    scripted = AL.scripted_powers(s)
    figs = AL.figures(s)
    slot = [params.N_PARAMS + ids.aix[f[0]] if f[0] in ids.aix else -1 for f in figs]
    i64 = np.int64
    return dict(
        dp_sh_power=a.sh_power,
        dp_sh_weight=a.sh_weight,
        dp_sh_pos=np.ascontiguousarray(a.sh_pos),
        dp_sh_other=a.sh_other,
        dp_affinity=a.affinity,
        dp_claim=a.claim,
        dp_readiness=a.readiness,
        dp_trade=a.trade_dep,
        dp_cap0=AL.capability(a, s),
        dp_prox=AL.proximity(s, a.weights[A.W_PROXIMITY_KM] or 1000.0),
        dp_sea=AL.sea_power(s),
        dp_covered=a.covered & ~scripted,
        dp_weights=a.weights,
        dp_t_binding=np.asarray(
            [t.kind in AL.BINDING for t in s.diplomacy.treaties], np.bool_
        ).reshape(len(s.diplomacy.treaties)),
        dp_sh_cap=a.sh_cap,
        dp_sh_sal=a.sh_sal,
        dp_empire=a.empire,
        dp_cinc=np.asarray([p.cinc or 0.0 for p in s.powers], float),
        dp_km=AL.capital_km(s),
        dp_terms_free=~scripted,
        dp_fig_slot=np.asarray(slot, i64),
        dp_fig_kind=np.asarray([f[1] for f in figs], i64),
        dp_fig_i=np.asarray([f[2] for f in figs], i64),
        dp_fig_j=np.asarray([f[3] for f in figs], i64),
    )


def _n_days(s: schema.Scenario, until: dt.date | None) -> int:
    """Days in the calendar, from the start to ``until`` or the scenario's end."""
    end = until or s.meta.end
    if end <= s.meta.start:
        raise ScenarioError(
            [
                Located(
                    "--until",
                    0,
                    0,
                    "until",
                    f"{end} is not after the scenario's start {s.meta.start}",
                )
            ]
        )
    return (end - s.meta.start).days + 1


class _Ids:
    """The scenario's ids in World order and their indices: the lookups every step shares."""

    def __init__(self, s: schema.Scenario) -> None:
        self.regions, self.rix = _index(r.id for r in s.regions)
        self.powers, self.pix = _index(p.id for p in s.powers)
        self.forces, self.fix = _index(f.id for f in s.forces)
        self.leaders, self.lix = _index(ld.id for ld in s.leaders)
        self.treaties, self.tix = _index(t.id for t in s.diplomacy.treaties)
        self.events, self.eix = _index(e.id for e in s.events)
        self.aix = _index(a.id for a in s.assumptions)[1]
        self.fleets, self.flx = _index(f.id for f in s.fleets)
        self.air, self.aix_air = _index(a.id for a in s.air)
        self.zones, self.zix = _index(z.id for z in s.sea_zones)

    def number(self, v: schema.Number) -> tuple[float, int]:
        """A number or an assumption: (value, -1) or (0.0, its slot in the parameter row)."""
        if isinstance(v, schema.AssumptionRef):
            return 0.0, params.N_PARAMS + self.aix[v.assumption]
        return float(v), -1


def _index(ids: Iterable[str]) -> tuple[list[str], dict[str, int]]:
    """Ids in order and the index of each."""
    names = list(ids)
    return names, {x: i for i, x in enumerate(names)}


def _col(rows: list[tuple], k: int, dtype: type) -> np.ndarray:
    return np.asarray([r[k] for r in rows], dtype)


def _regions(s: schema.Scenario, ids: _Ids) -> dict[str, np.ndarray]:
    """The regions' own figures."""
    pmap = {p.id: p for p in s.powers}
    pix, i64 = ids.pix, np.int64
    return dict(
        r_terrain=np.asarray([TERRAINS.index(r.terrain) for r in s.regions], i64),
        r_climate=np.asarray([CLIMATES.index(r.climate) for r in s.regions], i64),
        r_fort=np.asarray([r.fort for r in s.regions], float),
        r_vp=np.asarray([r.vp for r in s.regions], float),
        r_industry=np.asarray([r.industry for r in s.regions], float),
        r_owner=np.asarray([pix[r.owner] for r in s.regions], i64),
        r_controller=np.asarray([pix[r.controller or r.owner] for r in s.regions], i64),
        r_core=np.asarray([r.core for r in s.regions], np.bool_),
        r_population=np.asarray([r.population for r in s.regions], float),
        r_port=np.asarray([r.port or r.naval_base for r in s.regions], np.bool_),
        r_gauge=np.asarray([GAUGES.index(pmap[r.owner].gauge) for r in s.regions], i64),
    )


def _land_graph(s: schema.Scenario, ids: _Ids) -> dict[str, np.ndarray]:
    """Land edges as adjacency lists (CSR) with river and rail, and all-pairs hops."""
    rix, R = ids.rix, len(ids.regions)
    adj: list[list[int]] = [[] for _ in range(R)]
    edge_attr: dict[tuple[int, int], tuple[int, float]] = {}
    for e in s.edges:
        if e.a in rix and e.b in rix:
            a, b = rix[e.a], rix[e.b]
            for u, v in ((a, b), (b, a)):
                if v not in adj[u]:
                    adj[u].append(v)
                edge_attr[(u, v)] = (RIVERS.index(e.river), e.rail)
    for lst in adj:
        lst.sort()
    adj_start = np.zeros(R + 1, np.int64)
    adj_to, adj_river, adj_rail = [], [], []
    for u in range(R):
        for v in adj[u]:
            adj_to.append(v)
            river, rail = edge_attr[(u, v)]
            adj_river.append(river)
            adj_rail.append(rail)
        adj_start[u + 1] = len(adj_to)
    dist, nxt = _bfs_tables(R, adj)
    return dict(
        adj_start=adj_start,
        adj_to=np.asarray(adj_to, np.int64),
        adj_river=np.asarray(adj_river, np.int64),
        adj_rail=np.asarray(adj_rail, float),
        dist=dist,
        next_hop=nxt,
        rev_arc=reverse_arcs(adj_start, np.asarray(adj_to, np.int64)),
    )


def _sea(s: schema.Scenario, ids: _Ids) -> dict[str, np.ndarray]:
    """Sea zones: zone-zone next hops, which zones each land region touches, ice by month."""
    rix, zix = ids.rix, ids.zix
    R, Z = len(ids.regions), len(ids.zones)
    zadj: list[list[int]] = [[] for _ in range(Z)]
    coast = np.zeros((R, Z), np.bool_)
    for e in s.edges:
        if e.a in zix and e.b in zix:
            zadj[zix[e.a]].append(zix[e.b])
            zadj[zix[e.b]].append(zix[e.a])
        elif e.a in rix and e.b in zix:
            coast[rix[e.a], zix[e.b]] = True
        elif e.b in rix and e.a in zix:
            coast[rix[e.b], zix[e.a]] = True
    z_dist, z_next = _bfs_tables(Z, zadj) if Z else (np.zeros((0, 0), np.int64),) * 2
    z_frozen = np.zeros((Z, 12), np.bool_)
    for i, z in enumerate(s.sea_zones):
        for m in z.frozen_months:
            z_frozen[i, m - 1] = True
    return dict(coast=coast, z_next=z_next, z_frozen=z_frozen)


def _powers(s: schema.Scenario, ids: _Ids) -> dict[str, np.ndarray]:
    """The powers (army behaviour, gauge, trucks), the wars on the start date and the treaties."""
    rix, pix, P = ids.rix, ids.pix, len(ids.powers)
    war = np.zeros((P, P), np.bool_)
    for w in s.diplomacy.wars:
        war[pix[w.a], pix[w.b]] = war[pix[w.b], pix[w.a]] = True
    t_member = np.zeros((len(ids.treaties), P), np.bool_)
    for i, t in enumerate(s.diplomacy.treaties):
        for m in t.members:
            t_member[i, pix[m]] = True
    cev = [ids.number(p.command_cev) for p in s.powers]
    surrender = [ids.number(p.surrender_share) for p in s.powers]
    casmult = [ids.number(p.casualty_multiplier) for p in s.powers]
    stand = [ids.number(p.stand_fast) for p in s.powers]
    i64 = np.int64
    return dict(
        p_capital=np.asarray([rix[p.capital] for p in s.powers], i64),
        p_will=np.asarray([p.will for p in s.powers], float),
        p_cev=_col(cev, 0, float),
        p_cev_param=_col(cev, 1, i64),
        p_surrender=_col(surrender, 0, float),
        p_surrender_param=_col(surrender, 1, i64),
        p_casmult=_col(casmult, 0, float),
        p_casmult_param=_col(casmult, 1, i64),
        p_stand=_col(stand, 0, float),
        p_stand_param=_col(stand, 1, i64),
        war=war,
        p_gauge=np.asarray([GAUGES.index(p.gauge) for p in s.powers], i64),
        p_initiative=np.asarray([p.initiative for p in s.powers], np.bool_),
        p_truck_range=np.asarray([p.truck_range for p in s.powers], i64),
        # In ton-km (hops of 1 km): the supply rule divides by the run's region_km.
        p_truck_park=np.asarray(
            [
                UNLIMITED_TRUCKS
                if p.trucks is None
                else truck_park_capacity(p.trucks, TRUCK_PAYLOAD_T, TRUCK_KM_PER_DAY, 1.0)
                for p in s.powers
            ],
            float,
        ),
        t_member=t_member,
        t_alliance=np.asarray([t.kind == "alliance" for t in s.diplomacy.treaties], np.bool_),
    )


def _motorised(f: schema.Force) -> float:
    """Share of a force's divisions that are motorised or armoured."""
    total = sum(f.divisions.values())
    fast = f.divisions.get(schema.DivisionType.motorised, 0) + f.divisions.get(
        schema.DivisionType.armoured, 0
    )
    return fast / total if total else 0.0


def _forces(s: schema.Scenario, ids: _Ids) -> dict[str, np.ndarray]:
    """Land forces and leaders."""
    rix, pix, lix, i64 = ids.rix, ids.pix, ids.lix, np.int64
    return dict(
        f_power=np.asarray([pix[f.power] for f in s.forces], i64),
        f_region=np.asarray([rix[f.region] if f.region else -1 for f in s.forces], i64),
        f_men=np.asarray([f.men for f in s.forces], float),
        f_tanks=np.asarray([f.tanks for f in s.forces], float),
        f_artillery=np.asarray([f.artillery for f in s.forces], float),
        f_quality=np.asarray([f.quality for f in s.forces], float),
        f_leader=np.asarray([lix[f.leader] if f.leader else -1 for f in s.forces], i64),
        f_reserve=np.asarray([f.reserve for f in s.forces], np.bool_),
        f_motorised=np.asarray([_motorised(f) for f in s.forces], float),
        f_ready=np.asarray([-1 if f.ready_after is None else f.ready_after for f in s.forces], i64),
        l_skill=np.asarray([ld.skill for ld in s.leaders], float),
        l_power=np.asarray([pix[ld.power] for ld in s.leaders], i64),
        l_commander=np.asarray([ld.role == "commander" for ld in s.leaders], np.bool_),
    )


def _fleets(s: schema.Scenario, ids: _Ids, coast: np.ndarray) -> dict[str, np.ndarray]:
    """Fleets; a fleet's home zone is the first zone its base touches (``coast``)."""
    rix, pix, zix, i64 = ids.rix, ids.pix, ids.zix, np.int64

    def home_zone(region: str) -> int:
        touching = np.flatnonzero(coast[rix[region]])
        return int(touching[0]) if len(touching) else -1

    fleet_ships = np.zeros((len(s.fleets), N_CLASS))
    for i, fl in enumerate(s.fleets):
        for cls, n in fl.ships.items():
            fleet_ships[i, SHIP_CLASSES.index(cls)] = n
    return dict(
        fl_power=np.asarray([pix[f.power] for f in s.fleets], i64),
        fl_base=np.asarray([rix[f.base] for f in s.fleets], i64),
        fl_home=np.asarray([home_zone(f.base) for f in s.fleets], i64),
        fl_zone=np.asarray([-1 if f.zone is None else zix[f.zone] for f in s.fleets], i64),
        fl_ships=fleet_ships,
        fl_quality=np.asarray([f.quality for f in s.fleets], float),
        fl_endurance=np.asarray([f.endurance_days for f in s.fleets], i64),
    )


def _air(s: schema.Scenario, ids: _Ids) -> dict[str, np.ndarray]:
    """Air wings."""
    rix, pix = ids.rix, ids.pix
    return dict(
        a_power=np.asarray([pix[a.power] for a in s.air], np.int64),
        a_region=np.asarray([rix[a.region] for a in s.air], np.int64),
        a_fighters=np.asarray([a.fighters for a in s.air], float),
        a_bombers=np.asarray([a.bombers for a in s.air], float),
        a_quality=np.asarray([a.quality for a in s.air], float),
    )


def _parameters(s: schema.Scenario, ids: _Ids) -> tuple[np.ndarray, np.ndarray]:
    """Engine constants then assumption slots, and the assumption feeding each constant (-1)."""
    base = np.zeros(params.N_PARAMS + len(s.assumptions))
    base[: params.N_PARAMS] = [p.default for p in params.PARAMS]
    param_from = np.full(params.N_PARAMS, -1, np.int64)
    errors = []
    for name, value in s.parameters.items():
        if name not in params.INDEX:
            errors.append(
                Located(
                    "parameters",
                    0,
                    0,
                    f"parameters.{name}",
                    "unknown engine parameter; known: " + ", ".join(params.INDEX),
                )
            )
            continue
        if isinstance(value, schema.AssumptionRef):
            param_from[params.INDEX[name]] = ids.aix[value.assumption]
        else:
            base[params.INDEX[name]] = value
    if errors:
        raise ScenarioError(errors)
    return base, param_from


def _program(s: schema.Scenario, ids: _Ids) -> dict[str, np.ndarray]:
    """The scripted events: trigger programs (postfix), effects, and each power's terms.

    A power's terms are the event whose trigger is its ``gives_up``.
    """
    rix, pix, eix, number = ids.rix, ids.pix, ids.eix, ids.number
    P = len(ids.powers)

    # trigger programs (postfix) and effects
    tr: list[tuple[int, int, int, float]] = []

    def emit(t: schema.Trigger) -> None:
        if isinstance(t, schema.OnDate):
            tr.append((codes.T_DATE, (t.date - s.meta.start).days, 0, 0.0))
        elif isinstance(t, schema.Between):
            d0, d1 = ((d - s.meta.start).days for d in t.between)
            tr.append((codes.T_BETWEEN, d0, d1, 0.0))
        elif isinstance(t, schema.ControllerIs):
            tr.append((codes.T_CTRL, rix[t.controller.region], pix[t.controller.power], 0.0))
        elif isinstance(t, schema.AtWar):
            tr.append((codes.T_WAR, pix[t.at_war[0]], pix[t.at_war[1]], 0.0))
        elif isinstance(t, schema.Fired):
            tr.append((codes.T_FIRED, eix[t.fired], 0, 0.0))
        elif isinstance(t, schema.GivesUp):
            tr.append((codes.T_GIVES_UP, pix[t.gives_up], 0, 0.0))
        elif isinstance(t, schema.Chance):
            x, pi = number(t.chance)
            tr.append((codes.T_CHANCE, pi, 0, x))
        elif isinstance(t, (schema.AllOf, schema.AnyOf)):
            items = t.all if isinstance(t, schema.AllOf) else t.any
            for c in items:
                emit(c)
            tr.append(
                (codes.T_AND if isinstance(t, schema.AllOf) else codes.T_OR, len(items), 0, 0.0)
            )
        elif isinstance(t, schema.NotT):
            emit(t.not_)
            tr.append((codes.T_NOT, 0, 0, 0.0))
        else:  # pragma: no cover - the schema admits nothing else
            raise TypeError(t)

    ef: list[schema.EffectRow] = []
    ef_start: list[int] = []
    ef_list: list[int] = []

    def effect(x: schema.Effect) -> None:
        row = x.compile(ids)  # each effect class compiles itself (schema.EFFECTS)
        ef.append(row)
        ef_start.append(len(ef_list))
        ef_list.extend(row.items)

    ev_tr_start, ev_tr_len, ev_ef_start, ev_ef_len = [], [], [], []
    p_terms = np.full(P, -1, np.int64)
    for i, e in enumerate(s.events):
        if isinstance(e.trigger, schema.GivesUp):
            p_terms[pix[e.trigger.gives_up]] = i
    for e in s.events:
        ev_tr_start.append(len(tr))
        emit(e.trigger)
        ev_tr_len.append(len(tr) - ev_tr_start[-1])
        ev_ef_start.append(len(ef))
        for x in e.effects:
            effect(x)
        ev_ef_len.append(len(ef) - ev_ef_start[-1])

    i64 = np.int64
    return dict(
        p_terms=p_terms,
        ev_tr_start=np.asarray(ev_tr_start, i64),
        ev_tr_len=np.asarray(ev_tr_len, i64),
        tr_op=_col(tr, 0, i64),
        tr_a=_col(tr, 1, i64),
        tr_b=_col(tr, 2, i64),
        tr_x=_col(tr, 3, float),
        ev_ef_start=np.asarray(ev_ef_start, i64),
        ev_ef_len=np.asarray(ev_ef_len, i64),
        ef_op=np.asarray([r.op for r in ef], i64),
        ef_a=np.asarray([r.a for r in ef], i64),
        ef_b=np.asarray([r.b for r in ef], i64),
        ef_c=np.asarray([r.c for r in ef], i64),
        ef_d=np.asarray([r.d for r in ef], i64),
        ef_list_start=np.asarray(ef_start, i64),
        ef_list_len=np.asarray([len(r.items) for r in ef], i64),
        ef_list=np.asarray(ef_list, i64),
        ef_x=np.asarray([r.x for r in ef], float),
        ef_param=np.asarray([r.param for r in ef], i64),
    )


def _high_command(s: schema.Scenario, ids: _Ids, diverges: dt.date | None) -> dict[str, np.ndarray]:
    """Each power's doctrine (a number or an assumption's slot), and the day free mode begins."""
    free = NEVER if diverges is None else max((diverges - s.meta.start).days, 0)
    out: dict[str, np.ndarray] = {}
    for key, field in (
        ("p_aggression", "aggressiveness"),
        ("p_risk", "risk_tolerance"),
        ("p_competence", "competence"),
    ):
        rows = [ids.number(getattr(p, field)) for p in s.powers]
        out[key] = _col(rows, 0, float)
        out[key + "_param"] = _col(rows, 1, np.int64)
    return dict(**out, free_from=np.asarray([free], np.int64))


def _calendar(s: schema.Scenario, n_days: int) -> dict[str, np.ndarray]:
    """Snapshot days, month and winter of each day, and the climate tables."""
    return dict(
        snap_days=snapshot_days(n_days, s.meta.snapshot_every),
        day_month=climate.month_of_day(s.meta.start, n_days),
        day_winter=climate.winter_of_day(s.meta.start, n_days),
        wx_cdf=climate.weather_cdf(),
        ice_prob=climate.frozen_flat(),
    )


def _economy(s: schema.Scenario, ids: _Ids) -> EconWorld:
    """The war economy: each power's figures, each region's share of output, the trade routes.

    A region's output is its owner's GDP spread over the owner's regions by industry points
    (by population where a power rates none); a region whose owner has no economy entry gets
    the mean GDP per industry point of the powers that have one, so that capturing it yields
    something.
    """
    pix, rix, zix, i64 = ids.pix, ids.rix, ids.zix, np.int64
    P, R = len(ids.powers), len(ids.regions)
    e_has = np.zeros(P, np.bool_)
    e_num = np.zeros((P, 4))
    e_num_param = np.full((P, 4), -1, i64)
    e_prio = np.zeros((P, 4))
    e_manpower, e_stock, e_synth, e_civil, gdp = (np.zeros(P) for _ in range(5))
    e_stock_param = np.full(P, -1, i64)
    for e in s.economy:
        p = pix[e.id]
        e_has[p] = True
        for k, v in enumerate(
            (e.mobilisation, e.war_mobilisation, e.mobilisation_days, e.munitions_share)
        ):
            e_num[p, k], e_num_param[p, k] = ids.number(v)
        pr = e.priorities
        shares = np.asarray([pr.tanks, pr.aircraft, pr.replacements, pr.other], float)
        e_prio[p] = shares / shares.sum() if shares.sum() > 0 else 0.0
        e_manpower[p] = e.manpower * 1000.0
        e_stock[p], e_stock_param[p] = ids.number(e.oil_stock)
        e_synth[p], e_civil[p] = e.oil_home, e.oil_civil
        gdp[p] = e.gdp
    owner = np.asarray([pix[r.owner] for r in s.regions], i64)
    ind = np.asarray([r.industry for r in s.regions], float)
    pop = np.asarray([r.population for r in s.regions], float)
    ind_sum = np.bincount(owner, weights=ind, minlength=P)
    pop_sum = np.bincount(owner, weights=pop, minlength=P)
    rated = e_has & (ind_sum > 0)
    per_point = float(gdp[rated].sum() / ind_sum[rated].sum()) if rated.any() else 0.0
    r_output = np.zeros(R)
    for r in range(R):
        p = owner[r]
        if not e_has[p]:
            r_output[r] = ind[r] * per_point
        elif ind_sum[p] > 0:
            r_output[r] = gdp[p] * ind[r] / ind_sum[p]
        elif pop_sum[p] > 0:
            r_output[r] = gdp[p] * pop[r] / pop_sum[p]
    r_oil = np.asarray([r.resources.get("oil", 0.0) for r in s.regions], float)
    start = s.meta.start
    rail_start, sea_start, rail, sea = [0], [0], [], []
    for t in s.trade:
        rail.extend(rix[x] for x in t.rail)
        sea.extend(zix[x] for x in t.sea)
        rail_start.append(len(rail))
        sea_start.append(len(sea))
    big = 1 << 40
    return EconWorld(
        e_has=e_has,
        e_num=e_num,
        e_num_param=e_num_param,
        e_prio=e_prio,
        e_manpower=e_manpower,
        e_oil_stock=e_stock,
        e_oil_stock_param=e_stock_param,
        e_oil_synth=e_synth,
        e_oil_civil=e_civil,
        r_output=r_output,
        r_oil=r_oil,
        t_exporter=np.asarray(
            [-1 if t.exporter is None else pix[t.exporter] for t in s.trade], i64
        ),
        t_importer=np.asarray([pix[t.importer] for t in s.trade], i64),
        t_kt=np.asarray([ids.number(t.kt_per_year)[0] for t in s.trade], float),
        t_kt_param=np.asarray([ids.number(t.kt_per_year)[1] for t in s.trade], i64),
        t_start=np.asarray(
            [0 if t.start is None else (t.start - start).days for t in s.trade], i64
        ),
        t_end=np.asarray([big if t.end is None else (t.end - start).days for t in s.trade], i64),
        t_rail_start=np.asarray(rail_start, i64),
        t_rail=np.asarray(rail, i64).reshape(len(rail)),
        t_sea_start=np.asarray(sea_start, i64),
        t_sea=np.asarray(sea, i64).reshape(len(sea)),
    )
