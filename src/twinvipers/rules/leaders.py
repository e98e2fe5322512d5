"""Commanders relieved after failure.

A commander suffers a setback when a force he leads is pushed out of its region or surrenders
(battle.py flags it) or when an attack it makes has stalled for ``leader_stall_days`` while
losing more men than it inflicts (counted again every as many days). After each setback he is
relieved with chance ``leader_relief_chance`` x (6 - skill) / 3 - the worse he is, the likelier -
and the best commander of the same power who leads no force and was never relieved takes over
all his forces. Without such a successor he stays. Each relief is a ``leader_replaced`` event.
"""

from __future__ import annotations

from twinvipers.rules import codes, rng
from twinvipers.rules import params as P
from twinvipers.rules.history import record
from twinvipers.rules.jit import inline, kernel

# Skill of a commander relieved at exactly the base chance (the middle of the 1-5 scale).
SKILL_MID = 3.0
# One above the top of the skill scale: a commander of skill 5 keeps a third of the chance.
SKILL_CEILING = 6.0


@kernel
def _stalled(r, b_start, b_att_loss, b_def_loss, every, day):
    """True on the days an attack on ``r`` counts as stalled (see the module docstring)."""
    if r < 0 or b_start[r] < 0:
        return False
    n = day - b_start[r]
    return n > 0 and n % every == 0 and b_att_loss[r] > b_def_loss[r]


@inline
def successor(w, s, ld):
    """The best commander of ``ld``'s power free to take over (-1: none)."""
    s_land = s.land
    p = w.l_power[ld]
    best, best_skill = -1, -1.0
    for c in range(w.l_skill.shape[0]):
        if c == ld or w.l_power[c] != p or not w.l_commander[c] or s_land.l_relieved[c]:
            continue
        if w.l_skill[c] <= best_skill:
            continue
        busy = False
        for f in range(s_land.f_leader.shape[0]):
            if s_land.f_leader[f] == c and s_land.f_active[f]:
                busy = True
                break
        if not busy:
            best, best_skill = c, w.l_skill[c]
    return best


@kernel
def relieve_leaders(w, s, h, ctx):
    """Relieve commanders after today's setbacks; clear the setback flags."""
    s_land, s_battle = s.land, s.battle
    params, run, seed, day = ctx.params, ctx.run, ctx.seed, ctx.day
    every = max(1, int(params[P.STALL_DAYS]))
    for f in range(s_battle.f_setback.shape[0]):
        stalled = _stalled(
            s_land.f_attack[f],
            s_battle.b_start,
            s_battle.b_att_loss,
            s_battle.b_def_loss,
            every,
            day,
        )
        setback = s_battle.f_setback[f] or (s_land.f_active[f] and stalled)
        s_battle.f_setback[f] = False
        ld = s_land.f_leader[f]
        if not setback or ld < 0 or s_land.l_relieved[ld]:
            continue
        chance = params[P.RELIEF_CHANCE] * (SKILL_CEILING - w.l_skill[ld]) / SKILL_MID
        if rng.uniform(seed, day, f, rng.P_LEADER) >= chance:
            continue
        new = successor(w, s, ld)
        if new < 0:
            continue
        s_land.l_relieved[ld] = True
        for g in range(s_land.f_leader.shape[0]):
            if s_land.f_leader[g] == ld:
                s_land.f_leader[g] = new
        record(h, run, day, codes.K_LEADER, w.l_power[new], -1, -1, new, float(ld), 0.0, 0.0)
