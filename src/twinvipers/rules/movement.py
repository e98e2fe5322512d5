"""Movement: forces advance region by region toward their goal along land edges.

A force whose next region holds enemy forces attacks it instead of moving (combat decides). The
weather of the region being entered scales the speed, and its frozen rivers cost no crossing.
Away from the enemy a force goes by rail where the edge has a line (strategic movement): the
line carries ``rail_troop_share`` of its tons a day at ``rail_tons_per_man``, so a big force
takes days to entrain, and a weak line is slower than a main line; then the trains run at
``rail_regions_per_day``. Loading once serves the whole journey, so the days to entrain are
spread over the hops still ahead. A march on foot is never made slower by the railway.
"""

from __future__ import annotations

import numpy as np

from twinvipers.rules import params as P
from twinvipers.rules.jit import kernel

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
def _rail_tons(adj_start, adj_to, adj_rail, a, b):
    """Rail capacity (t/day) of the land edge a→b (0 if none)."""
    k = arc(adj_start, adj_to, a, b)
    return adj_rail[k] if k >= 0 else 0.0


@kernel
def rail_speed(tons_per_day, men, hops, params):
    """Regions a day by rail for ``men`` with ``hops`` still to go on a line of this capacity."""
    men_per_day = tons_per_day * params[P.RAIL_TROOP_SHARE] / params[P.RAIL_TONS_PER_MAN]
    if men_per_day <= 0.0:
        return 0.0
    days = men / men_per_day + hops / params[P.RAIL_SPEED]
    return hops / days


@kernel
def rail_possible(adj_start, adj_to, controller, at_war, p, here, nxt):
    """True when ``p`` can take the train from ``here`` to ``nxt``.

    Both ends must be its own or non-enemy ground, and neither next to the enemy.
    """
    for r in (here, nxt):
        if _near_enemy(adj_start, adj_to, controller, at_war, p, r):
            return False
    return True


@kernel
def _foot_speed(params, terrain, weather, frozen, river_class, motorised):
    """Regions a day marching (or driving) into a region of this terrain and weather."""
    speed = params[P.MOVE_RATE] * TERRAIN_SPEED[terrain] * WEATHER_SPEED[weather]
    # Ice carries men and vehicles over the river (DA Pam 20-290): no crossing to make.
    river = 0 if frozen else river_class
    return speed * RIVER_SPEED[river] * (1.0 + motorised)


@kernel
def move(w, s, params):
    """Advance every force with a goal; mark attacks on defended regions.

    On foot a force crosses at most one region a day; by train the day's unused progress
    carries on along the line, hop after hop, while the way stays clear.
    """
    for f in range(s.f_goal.shape[0]):
        s.f_attack[f] = -1
        here = s.f_region[f]
        if not s.f_active[f] or here < 0:
            continue
        p = w.f_power[f]
        if s.f_landed[f] >= 0 and enemy_forces_in(
            s.f_active, s.f_region, w.f_power, s.at_war, p, here
        ):
            s.f_attack[f] = here  # a landed force fights for its beachhead
            continue
        goal = s.f_goal[f]
        if goal < 0:
            continue
        budget = 1.0  # share of the day still to travel
        while budget > 0.0 and s.f_region[f] != goal:
            here = s.f_region[f]
            nxt = w.next_hop[here, goal]
            if enemy_forces_in(s.f_active, s.f_region, w.f_power, s.at_war, p, nxt):
                s.f_attack[f] = nxt
                break
            river = edge_river(w.adj_start, w.adj_to, w.adj_river, here, nxt)
            speed = _foot_speed(params, w.r_terrain[nxt], s.r_weather[nxt], s.r_frozen[nxt],
                                river, w.f_motorised[f])  # fmt: skip
            by_rail = False
            tons = _rail_tons(w.adj_start, w.adj_to, w.adj_rail, here, nxt)
            if tons > 0.0 and rail_possible(w.adj_start, w.adj_to, s.controller, s.at_war, p,
                                            here, nxt):  # fmt: skip
                rail = rail_speed(tons, s.f_men[f], max(1, w.dist[here, goal]), params)
                by_rail = rail > speed
                speed = max(speed, rail)
            if speed <= 0.0:
                break
            need = (1.0 - s.f_progress[f]) / speed  # share of a day to reach nxt
            if need > budget:
                s.f_progress[f] += speed * budget
                break
            s.f_region[f] = nxt
            s.f_progress[f] = 0.0
            budget = budget - need if by_rail else 0.0
