"""Scripted events: evaluate each unfired event's trigger program, apply its effects once."""

from __future__ import annotations

import numpy as np

from twinvipers.rules import codes, rng
from twinvipers.rules.diplomacy import declare_war, join_alliance, make_peace
from twinvipers.rules.history import record
from twinvipers.rules.jit import inline, kernel
from twinvipers.rules.params import N_PARAMS
from twinvipers.rules.sea import attempt_landing, coast_zone, evacuate


@kernel
def _value(w, params, k):
    return w.ef_x[k] if w.ef_param[k] < 0 else params[w.ef_param[k]]


@inline
def trigger_holds(w, s, params, seed, day, e):
    """Run event ``e``'s postfix trigger program on a small stack."""
    s_control, s_politics = s.control, s.politics
    start, n = w.ev_tr_start[e], w.ev_tr_len[e]
    stack = np.zeros(n, np.bool_)
    top = 0
    for k in range(start, start + n):
        op, a, b = w.tr_op[k], w.tr_a[k], w.tr_b[k]
        if op == codes.T_DATE:
            v = day >= a
        elif op == codes.T_BETWEEN:
            v = a <= day <= b
        elif op == codes.T_CTRL:
            v = s_control.controller[a] == b
        elif op == codes.T_WAR:
            v = s_politics.at_war[a, b]
        elif op == codes.T_FIRED:
            v = s_politics.fired[a]
        elif op == codes.T_CHANCE:
            # One draw per run: per trigger node for a constant, per assumption when it names
            # one, so events that share an assumption share its coin.
            if a < 0:
                v = rng.uniform(seed, 0, k, rng.P_CHANCE) < w.tr_x[k]
            else:
                v = rng.uniform(seed, 1, a - N_PARAMS, rng.P_SHARED_CHANCE) < params[a]
        elif op == codes.T_GIVES_UP:
            v = s_politics.gave_up[a]
        elif op == codes.T_NOT:
            top -= 1
            v = not stack[top]
        else:  # AND / OR over the last a values
            v = op == codes.T_AND
            for _ in range(a):
                top -= 1
                if op == codes.T_AND:
                    v = v and stack[top]
                else:
                    v = v or stack[top]
        stack[top] = v
        top += 1
    return stack[0]


@kernel
def apply_effect(w, s, h, params, run, seed, day, k):
    """Apply effect ``k``: one branch per opcode of the registry (``schema.EFFECTS``).

    The columns each opcode reads are laid out by its effect class's ``compile``;
    ``tests/rules/test_events_wiring.py`` checks that the branches and the registry agree.
    """
    s_control, s_politics, s_land, s_air = s.control, s.politics, s.land, s.air
    op, a, b = w.ef_op[k], w.ef_a[k], w.ef_b[k]
    if op == codes.E_DECLARE_WAR:
        declare_war(s, h, run, day, a, b)
    elif op == codes.E_PEACE:
        make_peace(s, h, run, day, a, b)
    elif op == codes.E_JOIN_ALLIANCE:
        join_alliance(s, h, run, day, a, b)
    elif op == codes.E_TRANSFER:
        old = s_control.controller[a]
        s_control.owner[a] = b
        s_control.controller[a] = b
        if old != b:
            record(h, run, day, codes.K_CAPTURED, b, old, a, -1, 1.0, 0.0, 0.0)
    elif op == codes.E_PLACE:
        if s.politics.capitulated[w.f_power[a]]:
            return  # a power that gave up raises no new force
        s_land.f_active[a] = True
        if b >= 0:
            s_land.f_region[a] = b
        elif s_land.f_region[a] < 0:
            s_land.f_active[a] = False  # nowhere to place it: compile guarantees this is rare
    elif op == codes.E_MOVE:
        if day >= w.free_from[0]:
            return  # free mode: redeployments are the high command's
        s_land.f_region[a] = b
        s_land.f_progress[a] = 0.0
    elif op == codes.E_REMOVE:
        s_land.f_active[a] = False
    elif op == codes.E_OFFENSIVE:
        if day >= w.free_from[0]:
            return  # free mode: offensives are the high command's
        n = w.ef_list_len[k]
        if n == 0:
            s_politics.p_target[a] = (
                b  # the field forces; reserves wait for mobilisation or an order
            )
        else:
            for j in range(w.ef_list_start[k], w.ef_list_start[k] + n):
                f = w.ef_list[j]
                s_land.f_target[f] = b
                s_land.f_reserve[f] = False
    elif op == codes.E_REPLACE_LEADER:
        found = False
        for f in range(s_land.f_leader.shape[0]):
            if s_land.f_leader[f] == a:
                s_land.f_leader[f] = b
                found = True
        if found:  # a commander already relieved (rules.leaders) is not replaced again
            record(h, run, day, codes.K_LEADER, w.l_power[b], -1, -1, b, float(a), 0.0, 0.0)
    elif op == codes.E_MOBILISE:
        if s_politics.p_mobilised[a] < 0:
            s_politics.p_mobilised[a] = day
    elif op == codes.E_SET_WILL:
        s_politics.will[a] = _value(w, params, k)
    elif op == codes.E_SET_INITIATIVE:
        s_politics.initiative[a] = _value(w, params, k) > 0.5
    elif op == codes.E_SET_FORT:
        s_control.fort[a] = _value(w, params, k)
    elif op == codes.E_SET_VP:
        s_control.vp[a] = _value(w, params, k)
    elif op == codes.E_SET_INDUSTRY:
        s_control.industry[a] = _value(w, params, k)
    elif op == codes.E_MOVE_FLEET:
        _sail(s, a, b, codes.M_PATROL, -1)
    elif op == codes.E_BLOCKADE or op == codes.E_RAID:
        mission = codes.M_BLOCKADE if op == codes.E_BLOCKADE else codes.M_RAID
        for j in range(w.ef_list_start[k], w.ef_list_start[k] + w.ef_list_len[k]):
            _sail(s, w.ef_list[j], a, mission, b)
    elif op == codes.E_BOMBARD:
        z = coast_zone(w, s, b, day)
        for j in range(w.ef_list_start[k], w.ef_list_start[k] + w.ef_list_len[k]):
            _sail(s, w.ef_list[j], z, codes.M_BOMBARD, b)
    elif op == codes.E_LANDING:
        attempt_landing(
            w, s, h, params, run, seed, day, a, b, w.ef_c[k],
            w.ef_list[w.ef_list_start[k] : w.ef_list_start[k] + w.ef_list_len[k]],
        )  # fmt: skip
    elif op == codes.E_EVACUATE:
        evacuate(
            w, s, h, params, run, day, a, b, w.ef_c[k], w.ef_d[k],
            w.ef_list[w.ef_list_start[k] : w.ef_list_start[k] + w.ef_list_len[k]],
        )  # fmt: skip
    elif op == codes.E_AIR_CAMPAIGN:
        for j in range(w.ef_list_start[k], w.ef_list_start[k] + w.ef_list_len[k]):
            g = w.ef_list[j]
            s_air.a_mission[g] = a
            s_air.a_target[g] = b
            s_air.a_since[g] = day
    elif op == codes.E_CHEMICAL:
        s_air.chem[a, b] = True
        record(h, run, day, codes.K_SPECIAL, a, b, -1, 0, 0.0, 0.0, 0.0)
    elif op == codes.E_BIOLOGICAL:
        s_air.bio_region[a] = w.ef_c[k]
        s_air.bio_target[a] = b
        s_air.bio_since[a] = day
    elif op == codes.E_OFFER:
        # Worth to the receiver: the bribe plus its claims on the regions offered (the diplomacy
        # model's offer driver, rules.entry); a new offer from the same power replaces the last.
        value = _value(w, params, k)
        for j in range(w.ef_list_start[k], w.ef_list_start[k] + w.ef_list_len[k]):
            value += w.dp_claim[b, w.ef_list[j]]
        if w.ef_c[k] == 1:
            s.entry.offer_out[b, a] = value
        else:
            s.entry.offer[b, a] = value


@kernel
def _sail(s, fleet, zone, mission, target):
    """Send a fleet to a zone on a mission (it sails zone by zone; see rules.sea)."""
    s_sea = s.sea
    s_sea.fl_dest[fleet] = zone
    s_sea.fl_mission[fleet] = mission
    s_sea.fl_target[fleet] = target
    s_sea.fl_station[fleet] = -1
    s_sea.fl_until[fleet] = -1


@kernel
def fire(w, s, h, params, run, seed, day, e):
    """Fire event ``e``: mark it, record it and apply its effects in order."""
    s_politics = s.politics
    s_politics.fired[e] = True
    record(h, run, day, codes.K_SCRIPTED, -1, -1, -1, e, 0.0, 0.0, 0.0)
    for k in range(w.ev_ef_start[e], w.ev_ef_start[e] + w.ev_ef_len[e]):
        apply_effect(w, s, h, params, run, seed, day, k)


@kernel
def scripted_events(w, s, h, ctx):
    """Fire every event whose trigger first holds today, in file order."""
    s_politics = s.politics
    params, run, seed, day = ctx.params, ctx.run, ctx.seed, ctx.day
    for e in range(s_politics.fired.shape[0]):
        if s_politics.fired[e] or not trigger_holds(w, s, params, seed, day, e):
            continue
        fire(w, s, h, params, run, seed, day, e)
