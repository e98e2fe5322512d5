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
    # land adjacency (CSR, both directions)
    adj_start: np.ndarray  # int64[R+1]
    adj_to: np.ndarray  # int64[2E]
    adj_river: np.ndarray  # int64[2E] 0 none, 1 minor, 2 major
    adj_rail: np.ndarray  # float64[2E] tons/day
    dist: np.ndarray  # int64[R, R] land hops (UNREACHABLE if none)
    next_hop: np.ndarray  # int64[R, R] first region on a shortest land path (-1 if none)
    # powers
    p_capital: np.ndarray  # int64[P]
    p_will: np.ndarray  # float64[P]
    p_cev: np.ndarray  # float64[P] command-effectiveness multiplier on combat power
    p_cev_param: np.ndarray  # int64[P] run parameter feeding p_cev (-1: use p_cev)
    p_surrender: np.ndarray  # float64[P] share of a cut-off force that surrenders
    p_surrender_param: np.ndarray  # int64[P] run parameter feeding p_surrender (-1: none)
    war: np.ndarray  # bool[P, P] wars on the start date
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
    f_supply: np.ndarray  # float64[F] share of today's supply need met, 0..1
    f_setback: np.ndarray  # bool[F] pushed back or its attack stalled today (leaders.py)
    l_relieved: np.ndarray  # bool[L] commander relieved after failure
    fired: np.ndarray  # bool[E]
    b_start: np.ndarray  # int64[R] day the engagement in a region began (-1: none)
    b_attacker: np.ndarray  # int64[R] attacking power
    b_defender: np.ndarray  # int64[R] defending power
    b_att_loss: np.ndarray  # float64[R]
    b_def_loss: np.ndarray  # float64[R]
    b_att_men: np.ndarray  # float64[R] attacking men on the first day
    b_def_men: np.ndarray  # float64[R]
    b_advance: np.ndarray  # float64[R] km the attacker has gained into the region
    r_weather: np.ndarray  # int64[R] weather state today (world.climate codes)
    r_frozen: np.ndarray  # bool[R] rivers and lakes frozen today
    wx_day: np.ndarray  # int64[1] last day the weather was updated (-2 after a reset)


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
    E, L = len(w.ev_tr_start), len(w.l_skill)
    i64, f64, b = np.int64, np.float64, np.bool_
    shapes = {
        "controller": (R, i64), "owner": (R, i64), "fort": (R, f64), "vp": (R, f64),
        "industry": (R, f64), "at_war": ((P, P), b), "member": ((T, P), b),
        "capitulated": (P, b), "will": (P, f64), "p_target": (P, i64),
        "p_mobilised": (P, i64), "killed": (P, f64), "wounded": (P, f64),
        "captured": (P, f64), "f_region": (F, i64), "f_men": (F, f64),
        "f_men_start": (F, f64), "f_tanks": (F, f64), "f_leader": (F, i64),
        "f_active": (F, b), "f_reserve": (F, b), "f_target": (F, i64), "f_goal": (F, i64),
        "f_progress": (F, f64), "f_attack": (F, i64), "f_supply": (F, f64),
        "f_setback": (F, b), "l_relieved": (L, b), "fired": (E, b), "b_start": (R, i64),
        "b_attacker": (R, i64), "b_defender": (R, i64), "b_att_loss": (R, f64),
        "b_def_loss": (R, f64), "b_att_men": (R, f64), "b_def_men": (R, f64), "b_advance": (R, f64),
        "r_weather": (R, i64), "r_frozen": (R, b), "wx_day": (1, i64),
    }  # fmt: skip
    return State(**{name: np.zeros(*shapes[name]) for name in State._fields})
