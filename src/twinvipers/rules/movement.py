"""Movement: forces advance region by region toward their goal along land edges.

A force whose next region holds enemy forces attacks it instead of moving (combat decides). The
weather of the region being entered scales the speed, and its frozen rivers cost no crossing.
Away from the enemy a force goes by rail where the edge has a line (strategic movement): the
line carries at ``rail_tons_per_man`` what the supply trains leave of it (the supply network's
load on that line, after air interdiction), and at least ``rail_troop_share`` of its tons a day
(troop trains had priority when the staff wanted them), so a big force takes days to entrain, a
weak or busy line is slower than a quiet main line; then the trains run at
``rail_regions_per_day``. Loading once serves the whole journey, so the days to entrain are
spread over the hops still ahead. A force entrains away from the fighting: not next to the
enemy, or on a quiet front where no battle is fought in its region or next to it
(``rail_quiet_front``); it may ride to a railhead next to the enemy (``rail_to_railhead``),
never into enemy ground. A march on foot is never made slower by the railway.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from twinvipers.rules import params as P
from twinvipers.rules.jit import copy1, fill1, kernel
from twinvipers.rules.logistics import SUPPLY_EVERY


class Land(NamedTuple):
    """Land forces, their commanders and each power's losses."""

    f_region: np.ndarray  # int64[F] region it stands in (-1: off the map)
    f_men: np.ndarray  # float64[F]
    f_men_start: np.ndarray  # float64[F] men when its current engagement began
    f_tanks: np.ndarray  # float64[F]
    f_leader: np.ndarray  # int64[F] (-1: none)
    f_active: np.ndarray  # bool[F] in the war (on the map, not destroyed or surrendered)
    f_reserve: np.ndarray  # bool[F] not yet mobilised
    f_target: np.ndarray  # int64[F] ordered objective (-1: the power's or the AI's)
    f_goal: np.ndarray  # int64[F] region it is heading for today (-1: holds)
    f_progress: np.ndarray  # float64[F] progress toward the next region, 0..1
    f_attack: np.ndarray  # int64[F] region it attacks today (-1: none)
    l_relieved: np.ndarray  # bool[L] commander relieved after failure
    killed: np.ndarray  # float64[P]
    wounded: np.ndarray  # float64[P]
    captured: np.ndarray  # float64[P]
    in_battle: np.ndarray  # float64[P] killed and wounded in land battles (battle._inflict)


def new_land(w) -> Land:
    """Allocate the record for world ``w`` (values are set by :func:`reset_land`)."""
    F, L, P_ = len(w.f_power), len(w.l_skill), len(w.p_capital)
    b, i64 = np.bool_, np.int64
    return Land(
        np.zeros(F, i64), np.zeros(F), np.zeros(F), np.zeros(F), np.zeros(F, i64),
        np.zeros(F, b), np.zeros(F, b), np.zeros(F, i64), np.zeros(F, i64), np.zeros(F),
        np.zeros(F, i64), np.zeros(L, b), np.zeros(P_), np.zeros(P_), np.zeros(P_),
        np.zeros(P_),
    )  # fmt: skip


@kernel
def reset_land(w, x):
    """Forces as on the start date; no losses yet."""
    copy1(x.f_region, w.f_region)
    copy1(x.f_men, w.f_men)
    copy1(x.f_men_start, w.f_men)
    copy1(x.f_tanks, w.f_tanks)
    copy1(x.f_leader, w.f_leader)
    for f in range(w.f_region.shape[0]):
        x.f_active[f] = w.f_region[f] >= 0
    copy1(x.f_reserve, w.f_reserve)
    fill1(x.f_target, -1)
    fill1(x.f_goal, -1)
    fill1(x.f_progress, 0.0)
    fill1(x.f_attack, -1)
    fill1(x.l_relieved, False)
    fill1(x.killed, 0.0)
    fill1(x.wounded, 0.0)
    fill1(x.captured, 0.0)
    fill1(x.in_battle, 0.0)


# Relative speed by terrain (schema.Terrain order): after Dupuy (1987) Understanding War,
# advance-rate terrain factors (rugged or wooded terrain ~0.6-0.8, mountains/marsh/jungle ~0.4-0.6).
TERRAIN_SPEED = np.array([1.0, 1.0, 0.9, 0.7, 0.6, 0.6, 0.7, 0.5, 0.5, 0.5, 0.6])
# Crossing a river (none, minor, major): Dupuy's river-crossing advance factors (~0.75, ~0.5).
RIVER_SPEED = np.array([1.0, 0.75, 0.5])
# Speed by weather state (world.climate order: dry, rain, mud, snow, cold, heat). Dry 1.0; rain
# 0.8 is the QJM mobility factor for light rain (Dupuy 1979, Numbers, Predictions and War); mud
# 0.5 is the QJM's heavy-wet row (heavy rain 0.6, heavy wet with cold 0.5) and DA Pam 20-291
# (1952): the rasputitsa halved an advance on unpaved roads (HOI4 uses the same -50%); snow 0.7 between the QJM's light-rain and heavy-wet
# rows (deep snow slows foot and wheels alike, DA Pam 20-291); extreme cold 0.8: frozen ground
# carries vehicles but engines and men suffer (DA Pam 20-291); extreme heat 0.9: an assumption
# (desert heat stops movement at midday; Dupuy gives no mobility row for it).
WEATHER_SPEED = np.array([1.0, 0.8, 0.5, 0.7, 0.8, 0.9])


@kernel
def arc(adj_start, adj_to, a, b):
    """Index of the land arc a→b in the CSR adjacency (-1 if none)."""
    for k in range(adj_start[a], adj_start[a + 1]):
        if adj_to[k] == b:
            return k
    return -1


@kernel
def edge_river(adj_start, adj_to, adj_river, a, b):
    """River class of the land edge a→b (0 if none)."""
    k = arc(adj_start, adj_to, a, b)
    return adj_river[k] if k >= 0 else 0


@kernel
def enemy_forces_in(f_active, f_region, f_power, at_war, p, r):
    """True when a force at war with ``p`` stands in region ``r``."""
    for g in range(f_region.shape[0]):
        if f_active[g] and f_region[g] == r and at_war[p, f_power[g]]:
            return True
    return False


@kernel
def _near_enemy(adj_start, adj_to, controller, at_war, p, r):
    """True when ``r`` or a neighbour is held by an enemy of ``p`` (no trains at the front)."""
    if at_war[p, controller[r]]:
        return True
    for k in range(adj_start[r], adj_start[r + 1]):
        if at_war[p, controller[adj_to[k]]]:
            return True
    return False


@kernel
def rail_speed(tons_per_day, men, hops, params):
    """Regions a day by rail for ``men`` with ``hops`` still to go, ``tons_per_day`` theirs."""
    men_per_day = tons_per_day / params[P.RAIL_TONS_PER_MAN]
    if men_per_day <= 0.0:
        return 0.0
    days = men / men_per_day + hops / params[P.RAIL_SPEED]
    return hops / days


@kernel
def _near_fighting(adj_start, adj_to, b_start, r):
    """True when a battle is being fought in ``r`` or next to it."""
    if b_start[r] >= 0:
        return True
    for k in range(adj_start[r], adj_start[r + 1]):
        if b_start[adj_to[k]] >= 0:
            return True
    return False


@kernel
def rail_possible(adj_start, adj_to, controller, at_war, p, here, nxt, railhead, b_start, quiet):
    """True when ``p`` can take the train from ``here`` to ``nxt``.

    Both ends must be its own or non-enemy ground. It entrains away from the enemy or, when
    ``quiet``, on a quiet front (no battle in ``here`` or next to it: the Westwall in the
    Phoney War); ``nxt`` may be next to the enemy (a railhead behind the front) when
    ``railhead``.
    """
    if at_war[p, controller[here]]:
        return False
    if quiet:
        if _near_fighting(adj_start, adj_to, b_start, here):
            return False
    elif _near_enemy(adj_start, adj_to, controller, at_war, p, here):
        return False
    if railhead:
        return not at_war[p, controller[nxt]]
    return not _near_enemy(adj_start, adj_to, controller, at_war, p, nxt)


@kernel
def troop_tons(line, supply_tons, share):
    """Tons a day a line of capacity ``line`` can give a troop movement.

    What the supply trains (``supply_tons`` a day) leave free, and at least ``share`` of it.
    """
    return max(share * line, line - supply_tons)


@kernel
def _foot_speed(params, terrain, weather, frozen, river_class, motorised):
    """Regions a day marching (or driving) into a region of this terrain and weather."""
    speed = params[P.MOVE_RATE] * TERRAIN_SPEED[terrain] * WEATHER_SPEED[weather]
    # Ice carries men and vehicles over the river (DA Pam 20-290): no crossing to make.
    river = 0 if frozen else river_class
    return speed * RIVER_SPEED[river] * (1.0 + motorised)


@kernel
def move(w, s, h, ctx):
    """Advance every force with a goal; mark attacks on defended regions.

    On foot a force crosses at most one region a day; by train the day's unused progress
    carries on along the line, hop after hop, while the way stays clear.
    """
    s_control, s_politics, s_land, s_weather, s_sea, s_supply = (
        s.control,
        s.politics,
        s.land,
        s.weather,
        s.sea,
        s.supply,
    )
    r_interdict = s.air.r_interdict  # air attack on the lines (rules.airwar)
    p_fuel = s.econ.p_fuel  # motorised speed needs fuel (rules.economy)
    params = ctx.params
    share, railhead = params[P.RAIL_TROOP_SHARE], params[P.RAIL_TO_RAILHEAD] > 0.0
    quiet = params[P.RAIL_QUIET_FRONT] > 0.0
    b_start = s.battle.b_start  # where battles are being fought (rules.battle)
    for f in range(s_land.f_goal.shape[0]):
        s_land.f_attack[f] = -1
        here = s_land.f_region[f]
        if not s_land.f_active[f] or here < 0:
            continue
        p = w.f_power[f]
        if s_sea.f_landed[f] >= 0 and enemy_forces_in(
            s_land.f_active, s_land.f_region, w.f_power, s_politics.at_war, p, here
        ):
            s_land.f_attack[f] = here  # a landed force fights for its beachhead
            continue
        goal = s_land.f_goal[f]
        if goal < 0:
            continue
        budget = 1.0  # share of the day still to travel
        while budget > 0.0 and s_land.f_region[f] != goal:
            here = s_land.f_region[f]
            nxt = w.next_hop[here, goal]
            if enemy_forces_in(
                s_land.f_active, s_land.f_region, w.f_power, s_politics.at_war, p, nxt
            ):
                s_land.f_attack[f] = nxt
                break
            river = edge_river(w.adj_start, w.adj_to, w.adj_river, here, nxt)
            speed = _foot_speed(params, w.r_terrain[nxt], s_weather.r_weather[nxt], s_weather.r_frozen[nxt],
                                river, w.f_motorised[f] * min(p_fuel[p], 1.0))  # fmt: skip
            by_rail = False
            k = arc(w.adj_start, w.adj_to, here, nxt)
            line = w.adj_rail[k] * (1.0 - r_interdict[nxt]) if k >= 0 else 0.0
            if line > 0.0 and rail_possible(w.adj_start, w.adj_to, s_control.controller, s_politics.at_war, p,
                                            here, nxt, railhead, b_start, quiet):  # fmt: skip
                tons = troop_tons(line, s_supply.arc_tons[k] / SUPPLY_EVERY, share)
                rail = rail_speed(tons, s_land.f_men[f], max(1, w.dist[here, goal]), params)
                by_rail = rail > speed
                speed = max(speed, rail)
            if speed <= 0.0:
                break
            need = (1.0 - s_land.f_progress[f]) / speed  # share of a day to reach nxt
            if need > budget:
                s_land.f_progress[f] += speed * budget
                break
            s_land.f_region[f] = nxt
            s_land.f_progress[f] = 0.0
            budget = budget - need if by_rail else 0.0
