"""War and peace between powers (the skeleton: declarations, peace, alliances)."""

from __future__ import annotations

from twinvipers.rules import codes
from twinvipers.rules.history import record
from twinvipers.rules.jit import kernel


@kernel
def at_war_with_anyone(at_war, p):
    """True when power ``p`` is at war with some power."""
    for q in range(at_war.shape[0]):
        if at_war[p, q]:
            return True
    return False


@kernel
def declare_war(s, h, run, day, a, b):
    """``a`` declares war on ``b`` (no-op if already at war, or either has capitulated)."""
    if a == b or s.at_war[a, b] or s.capitulated[a] or s.capitulated[b]:
        return
    s.at_war[a, b] = True
    s.at_war[b, a] = True
    for p in (a, b):
        if s.p_mobilised[p] < 0:
            s.p_mobilised[p] = day  # war forces mobilisation on those not yet mobilised
    record(h, run, day, codes.K_WAR, a, b, -1, -1, 0.0, 0.0, 0.0)


@kernel
def make_peace(s, h, run, day, a, b):
    """``a`` and ``b`` stop fighting."""
    if not s.at_war[a, b]:
        return
    s.at_war[a, b] = False
    s.at_war[b, a] = False
    record(h, run, day, codes.K_PEACE, a, b, -1, -1, 0.0, 0.0, 0.0)


@kernel
def join_alliance(s, h, run, day, p, t):
    """``p`` joins treaty ``t`` and enters its members' wars."""
    if s.member[t, p] or s.capitulated[p]:
        return
    s.member[t, p] = True
    record(h, run, day, codes.K_ALLIANCE, p, -1, -1, t, 0.0, 0.0, 0.0)
    P = s.at_war.shape[0]
    for m in range(P):
        if m == p or not s.member[t, m]:
            continue
        for e in range(P):
            if s.at_war[m, e] and not s.member[t, e]:
                declare_war(s, h, run, day, p, e)


@kernel
def allied(w, s, p, q):
    """True when ``p`` and ``q`` are the same power or members of one alliance treaty."""
    if p == q:
        return True
    for t in range(s.member.shape[0]):
        if w.t_alliance[t] and s.member[t, p] and s.member[t, q]:
            return True
    return False


@kernel
def alliance_matrix(w, s, out):
    """Fill ``out[p, q]`` with :func:`allied` for every pair of powers."""
    for p in range(out.shape[0]):
        for q in range(out.shape[1]):
            out[p, q] = allied(w, s, p, q)
