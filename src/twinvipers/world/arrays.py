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


class EconWorld(NamedTuple):
    """Static arrays of the war economy (``economy.yaml``, ``trade.yaml``; rules.economy)."""

    e_has: np.ndarray  # bool[P] the power has a war economy
    e_num: np.ndarray  # float64[P, 4] mobilisation, war_mobilisation, mobilisation_days, munitions
    e_num_param: np.ndarray  # int64[P, 4] run parameter feeding each (-1: e_num)
    e_prio: np.ndarray  # float64[P, 4] tanks, aircraft, replacements, other (shares, summing to 1)
    e_manpower: np.ndarray  # float64[P] men in the pool on the start date
    e_oil_stock: np.ndarray  # float64[P] kt
    e_oil_stock_param: np.ndarray  # int64[P] run parameter feeding it (-1: e_oil_stock)
    e_oil_synth: np.ndarray  # float64[P] kt a year
    e_oil_civil: np.ndarray  # float64[P] kt a year in peace
    r_output: np.ndarray  # float64[R] GDP share at the start's industry, billion 1990 $ a year
    r_oil: np.ndarray  # float64[R] oil resource points (parameter oil_kt_per_point)
    t_exporter: np.ndarray  # int64[T] (-1: the world market)
    t_importer: np.ndarray  # int64[T]
    t_kt: np.ndarray  # float64[T] kt a year
    t_kt_param: np.ndarray  # int64[T] run parameter feeding it (-1: t_kt)
    t_start: np.ndarray  # int64[T] first day it flows
    t_end: np.ndarray  # int64[T] last day it flows
    t_rail_start: np.ndarray  # int64[T+1] CSR into t_rail
    t_rail: np.ndarray  # int64[*] regions
    t_sea_start: np.ndarray  # int64[T+1] CSR into t_sea
    t_sea: np.ndarray  # int64[*] sea zones


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
    p_truck_park: np.ndarray  # float64[P] ton-km a day its lorries deliver (/ region_km: ton-hops)
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
    ef_c: np.ndarray  # int64[M] a third id (-1: none; schema.EffectRow says which per effect)
    ef_d: np.ndarray  # int64[M] a fourth id (-1: none)
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
    # diplomacy model (rules.alignment; scenario.alignment): K stakeholders
    dp_sh_power: np.ndarray  # int64[K] the stakeholder's power
    dp_sh_weight: np.ndarray  # float64[K] capability x salience
    dp_sh_pos: np.ndarray  # float64[K, P] stance on fighting beside each power (NaN: none)
    dp_sh_other: np.ndarray  # float64[K] stance toward a side it names no member of
    dp_affinity: np.ndarray  # float64[P, P]
    dp_claim: np.ndarray  # float64[P, R] spoils it covets
    dp_readiness: np.ndarray  # float64[P]
    dp_trade: np.ndarray  # float64[P] sea-trade dependence
    dp_cap0: np.ndarray  # float64[P] capability before the war (CINC x empire)
    dp_prox: np.ndarray  # float64[P, P] proximity of q to p
    dp_sea: np.ndarray  # float64[P] capital ships
    dp_covered: np.ndarray  # bool[P] the model decides for it: it has data, no script decides it
    dp_weights: np.ndarray  # float64[rules.alignment.N_WEIGHTS]
    dp_t_binding: np.ndarray  # bool[T] the treaty binds its members to come in (alliance, ...)
    dp_sh_cap: np.ndarray  # float64[K] stakeholder capability (best value)
    dp_sh_sal: np.ndarray  # float64[K] stakeholder salience (best value)
    dp_empire: np.ndarray  # float64[P] multiple of the COW capability (best value)
    dp_cinc: np.ndarray  # float64[P] COW CINC
    dp_km: np.ndarray  # float64[P, P] km between capitals (-1: bordering or itself; inf: none)
    dp_terms_free: np.ndarray  # bool[P] may seek terms: no scripted event decides its war and peace
    # the judged figures a run draws (scenario.alignment.figures): its parameter slot, what it sets
    dp_fig_slot: np.ndarray  # int64[F] slot in the run's parameter row (-1: the best value)
    dp_fig_kind: np.ndarray  # int64[F] rules.alignment.FIG_*
    dp_fig_i: np.ndarray  # int64[F] the power, stakeholder or weight slot it sets
    dp_fig_j: np.ndarray  # int64[F] the other power (affinity, position; else -1)
    # the war economy (rules.economy)
    econ: EconWorld
    # the high command (command/high.py): doctrine, and free mode
    p_aggression: np.ndarray  # float64[P] doctrine: readiness to open its own offensives
    p_aggression_param: np.ndarray  # int64[P] run parameter feeding it (-1: the value above)
    p_risk: np.ndarray  # float64[P] doctrine: how thinly it holds a threatened theatre
    p_risk_param: np.ndarray  # int64[P] run parameter feeding it (-1: the value above)
    p_competence: np.ndarray  # float64[P] reviews per hc_review_days
    p_competence_param: np.ndarray  # int64[P] run parameter feeding it (-1: the value above)
    free_from: np.ndarray  # int64[1] first day of free mode (scenario's diverges; huge: never)


class Ctx(NamedTuple):
    """What a rule knows of the day besides the world and the state: one signature for all rules.

    Every rule of the day is ``rule(w, s, h, ctx)``.
    """

    params: np.ndarray  # float64[K] this run's engine parameters (rules.params)
    run: int  # run index within the batch (the History's row)
    seed: np.uint64  # the run's seed (rules.rng)
    day: int  # days since the start date


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
    ev_x3: np.ndarray  # float64[C] (history.record_more; 0 for most kinds)
    ev_x4: np.ndarray  # float64[C]
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
        f64(),
        f64(),
        np.zeros((n_runs, n_snaps, n_regions), np.int16),
        np.zeros((n_runs, n_snaps, n_powers, n_fields), np.float64),
        np.zeros(n_runs, np.int64),
    )
