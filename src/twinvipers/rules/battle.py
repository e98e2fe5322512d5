"""Engagements in the engine: who attacks whom where, daily losses, retreat and surrender.

Each region attacked today is one engagement between the attacking power's forces and the
defending forces of powers at war with it. Daily loss fractions follow Dupuy's base rates
(params ``attacker_loss_rate``/``defender_loss_rate``) scaled by the square root of the force
ratio; a defender that falls below its breakpoint retreats to a friendly neighbour or, cut off,
surrenders (prisoners are counted apart from killed and wounded).
"""

from __future__ import annotations

import numpy as np

from twinvipers.rules import codes, rng
from twinvipers.rules import params as P
from twinvipers.rules.history import record
from twinvipers.rules.jit import kernel
from twinvipers.rules.movement import edge_river

# Defender's terrain multiplier (schema.Terrain order), after Dupuy's QJM terrain factors for
# the defender (Numbers, Predictions and War, table 4: rugged/wooded 1.3-1.5, mountains 1.6-2.0,
# urban 1.3-1.5, marsh/jungle 1.2-1.4).
TERRAIN_DEFENCE = np.array([1.0, 1.0, 1.05, 1.3, 1.3, 1.1, 1.3, 1.7, 1.3, 1.4, 1.4])
# Each fortification level adds this much to the defender's power (Dupuy's fortified-defence
# posture factor ~1.6 for a fortified zone at level ~3 → ~0.2 per level).
FORT_STEP = 0.2
# Defending behind a river (none, minor, major): QJM river-obstacle factors ~1.0, 1.25, 1.5.
RIVER_DEFENCE = np.array([1.0, 1.25, 1.5])
# Attacker's power by weather state (world.climate order: dry, rain, mud, snow, cold, heat):
# Dupuy's QJM weather factors for the attack (Numbers, Predictions and War, 1979): dry 1.0, light
# rain 0.9, heavy rain 0.7 (mud), extreme cold with heavy wet 0.6 (cold); snow 0.8 between light
# and heavy wet (HOI4's -20% for comparison); extreme heat 0.8, which Dupuy rates with extreme
# cold as lowering the attack (the figure is an assumption).
WEATHER_ATTACK = np.array([1.0, 0.9, 0.7, 0.8, 0.6, 0.8])
# Below this attacker:defender power ratio the attack is called off for the day.
MIN_ATTACK_RATIO = 0.4


@kernel
def force_power(men, tanks, quality, motorised, skill, leader_effect):
    """A force's combat power before situational factors (skill < 0: no leader)."""
    lead = 1.0 if skill < 0 else 1.0 + leader_effect * (skill - 3.0)
    firepower = 1.0 + 0.5 * motorised + 0.05 * tanks * 1000.0 / (men + 1.0)
    return men * quality * lead * firepower


@kernel
def _power_of(w, s, params, f):
    ld = s.f_leader[f]
    skill = w.l_skill[ld] if ld >= 0 else -1.0
    return force_power(
        s.f_men[f], s.f_tanks[f], w.f_quality[f], w.f_motorised[f], skill, params[P.LEADER_EFFECT]
    )


@kernel
def _inflict(s, w, params, f, loss):
    """Remove ``loss`` men from force f, booking killed and wounded."""
    loss = min(loss, s.f_men[f])
    s.f_men[f] -= loss
    p = w.f_power[f]
    s.killed[p] += loss * params[P.KILLED_SHARE]
    s.wounded[p] += loss * (1.0 - params[P.KILLED_SHARE])
    return loss


@kernel
def _retreat_or_surrender(w, s, f, r):
    """Move a broken defender to a safe friendly neighbour, or make it surrender."""
    p = w.f_power[f]
    best, best_d = -1, 1 << 30
    cap = w.p_capital[p]
    for k in range(w.adj_start[r], w.adj_start[r + 1]):
        v = w.adj_to[k]
        c = s.controller[v]
        if c < 0 or s.at_war[p, c]:
            continue
        safe = True
        for g in range(s.f_region.shape[0]):
            if s.f_active[g] and s.f_region[g] == v and s.at_war[p, w.f_power[g]]:
                safe = False
                break
        d = w.dist[v, cap]
        if safe and d < best_d:
            best, best_d = v, d
    if best >= 0:
        s.f_region[f] = best
        s.f_progress[f] = 0.0
        s.f_men_start[f] = s.f_men[f]
    else:
        s.captured[p] += s.f_men[f]
        s.f_men[f] = 0.0
        s.f_active[f] = False


@kernel
def resolve(w, s, h, params, run, seed, day):
    """Fight every engagement of the day and close those that ended."""
    R = s.controller.shape[0]
    F = s.f_region.shape[0]
    for r in range(R):
        attacker = -1
        A = 0.0
        river = 0
        for f in range(F):
            if s.f_attack[f] == r and s.f_active[f]:
                if attacker < 0:
                    attacker = w.f_power[f]
                if w.f_power[f] == attacker:
                    A += _power_of(w, s, params, f)
                    river = max(
                        river, edge_river(w.adj_start, w.adj_to, w.adj_river, s.f_region[f], r)
                    )
        if attacker < 0:
            if s.b_start[r] >= 0:
                _close(w, s, h, run, r, attacker)
            continue
        D = 0.0
        defender = -1
        d_men = 0.0
        for f in range(F):
            if s.f_active[f] and s.f_region[f] == r and s.at_war[attacker, w.f_power[f]]:
                D += _power_of(w, s, params, f)
                d_men += s.f_men[f]
                if defender < 0:
                    defender = w.f_power[f]
        if defender < 0:
            continue
        A *= WEATHER_ATTACK[s.r_weather[r]]
        if s.r_frozen[r]:
            river = 0  # the ice is no obstacle (DA Pam 20-290): no river bonus for the defender
        D *= TERRAIN_DEFENCE[w.r_terrain[r]] * (1.0 + FORT_STEP * s.fort[r]) * RIVER_DEFENCE[river]
        ratio = A / max(D, 1e-9)
        if ratio < MIN_ATTACK_RATIO:
            continue
        if s.b_start[r] < 0:
            s.b_start[r] = day
            s.b_attacker[r] = attacker
            s.b_defender[r] = defender
            s.b_att_loss[r] = 0.0
            s.b_def_loss[r] = 0.0
            s.b_att_men[r] = 0.0
            s.b_def_men[r] = d_men
            for f in range(F):
                if s.f_active[f] and (s.f_attack[f] == r or s.f_region[f] == r):
                    s.f_men_start[f] = s.f_men[f]
        u = rng.uniform(seed, day, r, rng.P_COMBAT)
        noise = 0.5 + u  # mean 1
        att_frac = params[P.ATT_LOSS] * noise / np.sqrt(ratio)
        def_frac = params[P.DEF_LOSS] * noise * np.sqrt(ratio)
        for f in range(F):
            if not s.f_active[f]:
                continue
            if s.f_attack[f] == r and w.f_power[f] == attacker:
                if day == s.b_start[r]:
                    s.b_att_men[r] += s.f_men[f]
                s.b_att_loss[r] += _inflict(s, w, params, f, s.f_men[f] * att_frac)
            elif s.f_region[f] == r and s.at_war[attacker, w.f_power[f]]:
                s.b_def_loss[r] += _inflict(s, w, params, f, s.f_men[f] * def_frac)
                if s.f_men[f] < params[P.BREAKPOINT] * s.f_men_start[f] or s.f_men[f] < 100.0:
                    _retreat_or_surrender(w, s, f, r)


@kernel
def _close(w, s, h, run, r, attacker):
    """Record a finished engagement as a ``battle`` event dated to its first day."""
    won = 1.0
    for f in range(s.f_region.shape[0]):
        if s.f_active[f] and s.f_region[f] == r and s.at_war[s.b_attacker[r], w.f_power[f]]:
            won = 0.0
            break
    record(
        h,
        run,
        s.b_start[r],
        codes.K_BATTLE,
        s.b_attacker[r],
        s.b_defender[r],
        r,
        -1,
        won,
        s.b_att_loss[r],
        s.b_def_loss[r],
    )
    s.b_start[r] = -1


@kernel
def close_all(w, s, h, run):
    """Record the engagements still open when the run ends."""
    for r in range(s.controller.shape[0]):
        if s.b_start[r] >= 0:
            _close(w, s, h, run, r, -1)
