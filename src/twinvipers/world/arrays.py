"""The compiled world and a run's state: plain arrays (struct of arrays) with integer ids.

``World`` is static for a whole ensemble; ``State`` is one run's dynamic arrays; ``History``
collects a batch of runs' events and snapshots. All three are NamedTuples of numpy arrays so the
compiled rules take them as single arguments. Integer ids index the name lists in
:class:`twinvipers.scenario.compile.Compiled`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

UNREACHABLE = 1 << 20


class World(NamedTuple):
    """Static arrays of a compiled scenario."""

    # regions (land)
    r_terrain: np.ndarray  # int64[R] index into schema.Terrain
    r_climate: np.ndarray  # int64[R]
    r_fort: np.ndarray  # float64[R]
    r_vp: np.ndarray  # float64[R]
    r_industry: np.ndarray  # float64[R]
    r_owner: np.ndarray  # int64[R]
    r_controller: np.ndarray  # int64[R]
    r_core: np.ndarray  # bool[R]
    r_population: np.ndarray  # float64[R] thousands
    r_port: np.ndarray  # bool[R] a port or naval base
    r_gauge: np.ndarray  # int64[R] track gauge of its lines in 1939 (its owner's)
    # land adjacency (CSR, both directions)
    adj_start: np.ndarray  # int64[R+1]
    adj_to: np.ndarray  # int64[2E]
    adj_river: np.ndarray  # int64[2E] 0 none, 1 minor, 2 major
    adj_rail: np.ndarray  # float64[2E] tons/day
    dist: np.ndarray  # int64[R, R] land hops (UNREACHABLE if none)
    next_hop: np.ndarray  # int64[R, R] first region on a shortest land path (-1 if none)
    rev_arc: np.ndarray  # int64[2E] reverse of each arc (supply.reverse_arcs)
    # sea zones
    coast: np.ndarray  # bool[R, Z] land region touches sea zone
    z_next: np.ndarray  # int64[Z, Z] next zone on a shortest sea path (-1 if none)
    z_frozen: np.ndarray  # bool[Z, 12] ice closes the zone in that month
    # powers
    p_capital: np.ndarray  # int64[P]
    p_will: np.ndarray  # float64[P]
    p_cev: np.ndarray  # float64[P] command-effectiveness multiplier on combat power
    p_cev_param: np.ndarray  # int64[P] run parameter feeding p_cev (-1: use p_cev)
    p_surrender: np.ndarray  # float64[P] share of a cut-off force that surrenders
    p_surrender_param: np.ndarray  # int64[P] run parameter feeding p_surrender (-1: none)
    p_casmult: np.ndarray  # float64[P] multiplier on the power's own battle casualty rates
    p_casmult_param: np.ndarray  # int64[P] run parameter feeding p_casmult (-1: none)
    p_stand: np.ndarray  # float64[P] share of overrun men who neither surrender nor fall back
    p_stand_param: np.ndarray  # int64[P] run parameter feeding p_stand (-1: none)
    war: np.ndarray  # bool[P, P] wars on the start date
    p_terms: np.ndarray  # int64[P] event whose effects are its terms when it gives up (-1: none)
    p_gauge: np.ndarray  # int64[P] gauge of its rolling stock
    p_initiative: np.ndarray  # bool[P] its AI may choose offensives and local attacks
    p_truck_range: np.ndarray  # int64[P] land hops its lorries haul beyond a railhead
    p_truck_park: np.ndarray  # float64[P] ton-hops a day its lorries deliver
    # treaties
    t_member: np.ndarray  # bool[T, P]
    t_alliance: np.ndarray  # bool[T]
    # forces
    f_power: np.ndarray  # int64[F]
    f_region: np.ndarray  # int64[F] (-1: off the map)
    f_men: np.ndarray  # float64[F]
    f_tanks: np.ndarray  # float64[F]
    f_artillery: np.ndarray  # float64[F]
    f_quality: np.ndarray  # float64[F]
    f_leader: np.ndarray  # int64[F] (-1: none)
    f_reserve: np.ndarray  # bool[F]
    f_motorised: np.ndarray  # float64[F] share of motorised/armoured divisions
    f_ready: np.ndarray  # int64[F] days after mobilisation a reserve joins (-1: no schedule)
    # fleets (task forces) and air wings
    fl_power: np.ndarray  # int64[Fl]
    fl_base: np.ndarray  # int64[Fl] home port region
    fl_home: np.ndarray  # int64[Fl] sea zone off its home port (-1: none)
    fl_zone: np.ndarray  # int64[Fl] zone at sea on the start date (-1: in port)
    fl_ships: np.ndarray  # float64[Fl, 7] ships by class (naval.BATTLESHIP ..)
    fl_quality: np.ndarray  # float64[Fl]
    fl_endurance: np.ndarray  # int64[Fl] days at sea before it must refuel in port
    a_power: np.ndarray  # int64[A]
    a_region: np.ndarray  # int64[A] base region
    a_fighters: np.ndarray  # float64[A]
    a_bombers: np.ndarray  # float64[A]
    a_quality: np.ndarray  # float64[A]
    # leaders
    l_skill: np.ndarray  # float64[L]
    l_power: np.ndarray  # int64[L]
    l_commander: np.ndarray  # bool[L] a field commander (may take over a force)
    # scripted events: trigger programs and effects
    ev_tr_start: np.ndarray  # int64[E]
    ev_tr_len: np.ndarray  # int64[E]
    tr_op: np.ndarray  # int64[N]
    tr_a: np.ndarray  # int64[N]
    tr_b: np.ndarray  # int64[N]
    tr_x: np.ndarray  # float64[N]
    ev_ef_start: np.ndarray  # int64[E]
    ev_ef_len: np.ndarray  # int64[E]
    ef_op: np.ndarray  # int64[M]
    ef_a: np.ndarray  # int64[M]
    ef_b: np.ndarray  # int64[M]
    ef_list_start: np.ndarray  # int64[M]
    ef_list_len: np.ndarray  # int64[M]
    ef_list: np.ndarray  # int64[K]
    ef_x: np.ndarray  # float64[M]
    ef_param: np.ndarray  # int64[M] (-1: use ef_x)
    # calendar
    snap_days: np.ndarray  # int64[S] days recorded in snapshots (ascending, last = final day)
    day_month: np.ndarray  # int64[D] calendar month (1-12) of each day
    day_winter: np.ndarray  # int64[D] July-June season of each day, from 0 (one river-ice draw)
    # climatology (world.climate), rows climate * 12 + month - 1
    wx_cdf: np.ndarray  # float64[C*12, W] cumulative chance of each weather state
    ice_prob: np.ndarray  # float64[C*12] chance the rivers are frozen


class State(NamedTuple):
    """One run's dynamic arrays (reset from the World at the start of each run)."""

    controller: np.ndarray  # int64[R]
    owner: np.ndarray  # int64[R]
    fort: np.ndarray  # float64[R]
    vp: np.ndarray  # float64[R]
    industry: np.ndarray  # float64[R]
    at_war: np.ndarray  # bool[P, P]
    member: np.ndarray  # bool[T, P]
    capitulated: np.ndarray  # bool[P]
    will: np.ndarray  # float64[P]
    p_target: np.ndarray  # int64[P] offensive objective (-1: none)
    p_mobilised: np.ndarray  # int64[P] day mobilisation was ordered (-1: not yet)
    killed: np.ndarray  # float64[P]
    wounded: np.ndarray  # float64[P]
    captured: np.ndarray  # float64[P]
    f_region: np.ndarray  # int64[F]
    f_men: np.ndarray  # float64[F]
    f_men_start: np.ndarray  # float64[F] men when its current engagement began
    f_tanks: np.ndarray  # float64[F]
    f_leader: np.ndarray  # int64[F]
    f_active: np.ndarray  # bool[F]
    f_reserve: np.ndarray  # bool[F]
    f_target: np.ndarray  # int64[F] ordered objective (-1: the power's or the AI's)
    f_goal: np.ndarray  # int64[F] region it is heading for today (-1: holds)
    f_progress: np.ndarray  # float64[F] progress toward the next region, 0..1
    f_attack: np.ndarray  # int64[F] region it attacks today (-1: none)
    f_setback: np.ndarray  # bool[F] pushed back or its attack stalled today (leaders.py)
    l_relieved: np.ndarray  # bool[L] commander relieved after failure
    fired: np.ndarray  # bool[E]
    b_start: np.ndarray  # int64[R] day the engagement in a region began (-1: none)
    b_attacker: np.ndarray  # int64[R] attacking power
    b_defender: np.ndarray  # int64[R] defending power
    b_att_loss: np.ndarray  # float64[R]
    b_def_loss: np.ndarray  # float64[R] killed and wounded
    b_def_caught: np.ndarray  # float64[R] captured (overrun)
    b_att_men: np.ndarray  # float64[R] attacking men on the first day
    b_def_men: np.ndarray  # float64[R]
    b_advance: np.ndarray  # float64[R] km the attacker has gained into the region
    r_weather: np.ndarray  # int64[R] weather state today (world.climate codes)
    r_frozen: np.ndarray  # bool[R] rivers and lakes frozen today
    wx_day: np.ndarray  # int64[1] last day the weather was updated (-2 after a reset)
    gave_up: np.ndarray  # bool[P] gave up (total surrender or terms)
    initiative: np.ndarray  # bool[P] its AI may choose offensives and local attacks today
    # supply (rules.logistics)
    f_stock: np.ndarray  # float64[F] tons in hand
    f_days_short: np.ndarray  # int64[F] consecutive days out of supply
    f_supply: np.ndarray  # float64[F] share of today's need met, 0..1
    f_landed: np.ndarray  # int64[F] day it landed from the sea (-1: not landing)
    r_gauge: np.ndarray  # int64[R] gauge of its lines now (regauged after capture)
    r_convert: np.ndarray  # float64[R] regauging progress 0..1
    r_sea: np.ndarray  # float64[R] share of a port's sea-borne supply getting through today
    r_port_damage: np.ndarray  # float64[R] share of port capacity out of action
    r_interdict: np.ndarray  # float64[R] share of supply into the region lost to air attack
    r_naval_arty: np.ndarray  # float64[R] naval gunfire today, artillery-tube equivalents
    r_air_sup: np.ndarray  # float64[R] attacker's air superiority over today's battle, -1..1
    r_cas_att: np.ndarray  # float64[R] attacker's close-support sorties today
    r_cas_def: np.ndarray  # float64[R] defender's close-support sorties today
    arc_tons: np.ndarray  # float64[2E] tons carried per rail arc (last supply day)
    # sea (rules.sea) and air (rules.airwar)
    fl_zone: np.ndarray  # int64[Fl] zone it is in (-1: in port)
    fl_dest: np.ndarray  # int64[Fl] zone it is bound for (-1: none)
    fl_mission: np.ndarray  # int64[Fl] codes.M_*
    fl_target: np.ndarray  # int64[Fl] power (blockade, raid) or region (bombard)
    fl_until: np.ndarray  # int64[Fl] last day of its mission / day its repairs end
    fl_station: np.ndarray  # int64[Fl] day it came on station (-1: not yet)
    fl_ships: np.ndarray  # float64[Fl, 7]
    fl_damaged: np.ndarray  # float64[Fl, 7] ships under repair
    fl_rejoin: np.ndarray  # int64[Fl] day the damaged ships rejoin (-1: none)
    fl_sailed: np.ndarray  # int64[Fl] day it left port (-1: in port)
    a_base: np.ndarray  # int64[A] region it flies from today
    a_fighters: np.ndarray  # float64[A]
    a_bombers: np.ndarray  # float64[A]
    a_mission: np.ndarray  # int64[A] codes.A_SUPPORT or 1 + schema.AirMission index
    a_target: np.ndarray  # int64[A] region
    a_since: np.ndarray  # int64[A] first day of its campaign
    chem: np.ndarray  # bool[P, P] p may use chemical weapons against q
    bio_region: np.ndarray  # int64[P] city p's biological attacks strike (-1: none)
    bio_target: np.ndarray  # int64[P] power they are aimed at
    bio_since: np.ndarray  # int64[P] day they were authorised
    grt_lost: np.ndarray  # float64[P] merchant tonnage lost to the war on trade


class History(NamedTuple):
    """A batch's events (flat, with run index) and snapshots."""

    count: np.ndarray  # int64[2]: events written, overflow flag
    ev_run: np.ndarray  # int64[C]
    ev_day: np.ndarray  # int64[C]
    ev_kind: np.ndarray  # int64[C]
    ev_actor: np.ndarray  # int64[C]
    ev_target: np.ndarray  # int64[C]
    ev_region: np.ndarray  # int64[C]
    ev_aux: np.ndarray  # int64[C] scripted event / leader id
    ev_value: np.ndarray  # float64[C]
    ev_x1: np.ndarray  # float64[C]
    ev_x2: np.ndarray  # float64[C]
    ctrl: np.ndarray  # int16[N, S, R]
    pw: np.ndarray  # float64[N, S, P, K]
    end_day: np.ndarray  # int64[N]


def new_history(
    n_runs: int, n_snaps: int, n_regions: int, n_powers: int, n_fields: int, capacity: int
) -> History:
    """Allocate a batch's history buffers."""
    i64 = lambda: np.zeros(capacity, np.int64)  # noqa: E731
    f64 = lambda: np.zeros(capacity, np.float64)  # noqa: E731
    return History(
        np.zeros(2, np.int64),
        i64(),
        i64(),
        i64(),
        i64(),
        i64(),
        i64(),
        i64(),
        f64(),
        f64(),
        f64(),
        np.zeros((n_runs, n_snaps, n_regions), np.int16),
        np.zeros((n_runs, n_snaps, n_powers, n_fields), np.float64),
        np.zeros(n_runs, np.int64),
    )


def new_state(w: World) -> State:
    """Allocate a State shaped for this world (values are set by ``reset``)."""
    R, P, T, F = len(w.r_owner), len(w.p_capital), len(w.t_alliance), len(w.f_power)
    E, Fl, A, N = len(w.ev_tr_start), len(w.fl_power), len(w.a_power), len(w.adj_to)
    L = len(w.l_skill)
    i64, f64, b = np.int64, np.float64, np.bool_
    shapes = {
        "controller": (R, i64), "owner": (R, i64), "fort": (R, f64), "vp": (R, f64),
        "industry": (R, f64), "at_war": ((P, P), b), "member": ((T, P), b),
        "capitulated": (P, b), "will": (P, f64), "p_target": (P, i64),
        "p_mobilised": (P, i64), "killed": (P, f64), "wounded": (P, f64),
        "captured": (P, f64), "f_region": (F, i64), "f_men": (F, f64),
        "f_men_start": (F, f64), "f_tanks": (F, f64), "f_leader": (F, i64),
        "f_active": (F, b), "f_reserve": (F, b), "f_target": (F, i64), "f_goal": (F, i64),
        "f_progress": (F, f64), "f_attack": (F, i64),
        "f_setback": (F, b), "l_relieved": (L, b), "fired": (E, b), "b_start": (R, i64),
        "b_attacker": (R, i64), "b_defender": (R, i64), "b_att_loss": (R, f64),
        "b_def_loss": (R, f64), "b_def_caught": (R, f64), "b_att_men": (R, f64), "b_def_men": (R, f64), "b_advance": (R, f64),
        "r_weather": (R, i64), "r_frozen": (R, b), "wx_day": (1, i64), "gave_up": (P, b), "initiative": (P, b),
        "f_stock": (F, f64), "f_days_short": (F, i64), "f_supply": (F, f64),
        "f_landed": (F, i64), "r_gauge": (R, i64), "r_convert": (R, f64), "r_sea": (R, f64),
        "r_port_damage": (R, f64), "r_interdict": (R, f64), "r_naval_arty": (R, f64),
        "r_air_sup": (R, f64), "r_cas_att": (R, f64), "r_cas_def": (R, f64),
        "arc_tons": (N, f64), "fl_zone": (Fl, i64), "fl_dest": (Fl, i64),
        "fl_mission": (Fl, i64), "fl_target": (Fl, i64), "fl_until": (Fl, i64),
        "fl_station": (Fl, i64), "fl_ships": ((Fl, 7), f64), "fl_damaged": ((Fl, 7), f64), "fl_rejoin": (Fl, i64), "fl_sailed": (Fl, i64),
        "a_base": (A, i64), "a_fighters": (A, f64),
        "a_bombers": (A, f64), "a_mission": (A, i64), "a_target": (A, i64), "a_since": (A, i64),
        "chem": ((P, P), b), "bio_region": (P, i64), "bio_target": (P, i64),
        "bio_since": (P, i64), "grt_lost": (P, f64),
    }  # fmt: skip
    return State(**{name: np.zeros(*shapes[name]) for name in State._fields})
