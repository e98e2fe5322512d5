"""War and peace between powers (the skeleton: declarations, peace, alliances)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from twinvipers.rules import codes
from twinvipers.rules.history import record
from twinvipers.rules.jit import copy1, copy2, fill1, inline, kernel


class Politics(NamedTuple):
    """Wars, treaties, will and the state of each power's war effort."""

    at_war: np.ndarray  # bool[P, P]
    member: np.ndarray  # bool[T, P] treaty membership
    capitulated: np.ndarray  # bool[P]
    will: np.ndarray  # float64[P] national will (capitulation threshold)
    gave_up: np.ndarray  # bool[P] gave up (total surrender or terms)
    initiative: np.ndarray  # bool[P] its AI may choose offensives and local attacks today
    p_mobilised: np.ndarray  # int64[P] day mobilisation was ordered (-1: not yet)
    p_target: np.ndarray  # int64[P] offensive objective (-1: none; -2: taken, exploit onward)
    fired: np.ndarray  # bool[E] scripted event has fired


def new_politics(w) -> Politics:
    """Allocate the record for world ``w`` (values are set by :func:`reset_politics`)."""
    P_, T, E = len(w.p_capital), len(w.t_alliance), len(w.ev_tr_start)
    b, i64 = np.bool_, np.int64
    return Politics(
        np.zeros((P_, P_), b), np.zeros((T, P_), b), np.zeros(P_, b), np.zeros(P_),
        np.zeros(P_, b), np.zeros(P_, b), np.zeros(P_, i64), np.zeros(P_, i64), np.zeros(E, b),
    )  # fmt: skip


@kernel
def reset_politics(w, x):
    """Wars and treaties as on the start date."""
    copy2(x.at_war, w.war)
    copy2(x.member, w.t_member)
    fill1(x.capitulated, False)
    copy1(x.will, w.p_will)
    fill1(x.gave_up, False)
    copy1(x.initiative, w.p_initiative)
    fill1(x.p_target, -1)
    fill1(x.p_mobilised, -1)
    for p in range(w.war.shape[0]):
        for q in range(w.war.shape[0]):
            if w.war[p, q]:
                x.p_mobilised[p] = 0  # at war on the start date: mobilised already
    fill1(x.fired, False)


@inline
def at_war_with_anyone(at_war, p):
    """True when power ``p`` is at war with some power."""
    for q in range(at_war.shape[0]):
        if at_war[p, q]:
            return True
    return False


@kernel
def declare_war(s, h, run, day, a, b):
    """``a`` declares war on ``b`` (no-op if already at war, or either has capitulated)."""
    s_politics = s.politics
    if a == b or s_politics.at_war[a, b] or s_politics.capitulated[a] or s_politics.capitulated[b]:
        return
    s_politics.at_war[a, b] = True
    s_politics.at_war[b, a] = True
    for p in (a, b):
        if s_politics.p_mobilised[p] < 0:
            s_politics.p_mobilised[p] = day  # war forces mobilisation on those not yet mobilised
    record(h, run, day, codes.K_WAR, a, b, -1, -1, 0.0, 0.0, 0.0)


@kernel
def make_peace(s, h, run, day, a, b):
    """``a`` and ``b`` stop fighting."""
    s_politics = s.politics
    if not s_politics.at_war[a, b]:
        return
    s_politics.at_war[a, b] = False
    s_politics.at_war[b, a] = False
    record(h, run, day, codes.K_PEACE, a, b, -1, -1, 0.0, 0.0, 0.0)


@kernel
def join_alliance(s, h, run, day, p, t):
    """``p`` joins treaty ``t`` and enters its members' wars."""
    s_politics = s.politics
    if s_politics.member[t, p] or s_politics.capitulated[p]:
        return
    s_politics.member[t, p] = True
    record(h, run, day, codes.K_ALLIANCE, p, -1, -1, t, 0.0, 0.0, 0.0)
    P = s_politics.at_war.shape[0]
    for m in range(P):
        if m == p or not s_politics.member[t, m]:
            continue
        for e in range(P):
            if s_politics.at_war[m, e] and not s_politics.member[t, e]:
                declare_war(s, h, run, day, p, e)


@kernel
def allied(t_alliance, member, p, q):
    """True when ``p`` and ``q`` are the same power or members of one alliance treaty.

    Takes the two arrays it reads (``w.t_alliance``, ``s.politics.member``), not ``w`` and ``s``:
    it runs for every pair of powers, and a call passing the whole World and State costs
    microseconds (numba increments and decrements every array's reference count).
    """
    if p == q:
        return True
    for t in range(member.shape[0]):
        if t_alliance[t] and member[t, p] and member[t, q]:
            return True
    return False


@inline
def alliance_matrix(w, s, out):
    """Fill ``out[p, q]`` with :func:`allied` for every pair of powers."""
    s_politics = s.politics
    for p in range(out.shape[0]):
        for q in range(out.shape[1]):
            out[p, q] = allied(w.t_alliance, s_politics.member, p, q)
