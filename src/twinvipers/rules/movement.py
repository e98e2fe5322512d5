"""Movement (skeleton): forces advance region by region toward their goal along land edges.

A force whose next region holds enemy forces attacks it instead of moving (combat decides). The
weather of the region being entered scales the speed, and its frozen rivers cost no crossing. The
land warfare issue adds roads, rail, supply and motorisation in full.
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
def edge_river(adj_start, adj_to, adj_river, a, b):
    """River class of the land edge a→b (0 if none)."""
    for k in range(adj_start[a], adj_start[a + 1]):
        if adj_to[k] == b:
            return adj_river[k]
    return 0


@kernel
def enemy_forces_in(f_active, f_region, f_power, at_war, p, r):
    """True when a force at war with ``p`` stands in region ``r``."""
    for g in range(f_region.shape[0]):
        if f_active[g] and f_region[g] == r and at_war[p, f_power[g]]:
            return True
    return False


@kernel
def move(w, s, params):
    """Advance every force with a goal; mark attacks on defended regions."""
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
        nxt = w.next_hop[here, goal]
        if enemy_forces_in(s.f_active, s.f_region, w.f_power, s.at_war, p, nxt):
            s.f_attack[f] = nxt
            continue
        speed = params[P.MOVE_RATE] * TERRAIN_SPEED[w.r_terrain[nxt]]
        speed *= WEATHER_SPEED[s.r_weather[nxt]]
        # Ice carries men and vehicles over the river (DA Pam 20-290): no crossing to make.
        river = 0 if s.r_frozen[nxt] else edge_river(w.adj_start, w.adj_to, w.adj_river, here, nxt)
        speed *= RIVER_SPEED[river] * (1.0 + w.f_motorised[f])
        s.f_progress[f] += speed
        if s.f_progress[f] >= 1.0:
            s.f_region[f] = nxt
            s.f_progress[f] = 0.0
