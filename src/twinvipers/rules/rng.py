"""Counter-based randomness: every draw is a pure function of (run seed, day, entity, purpose).

A run's history therefore does not depend on how runs are batched or spread over workers. The mixer
is SplitMix64's finaliser (Steele, Lea & Flood 2014), applied to each counter in turn.
"""

from __future__ import annotations

import math
import os
import warnings

import numpy as np
from numba import njit

if os.environ.get("NUMBA_DISABLE_JIT") == "1":
    # Uncompiled, numpy warns on the wrapping multiply that the compiled code relies on.
    warnings.filterwarnings("ignore", "overflow encountered", RuntimeWarning)

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0

# Purposes: one per draw site, so no two draws anywhere share a stream (tests/rules/test_rng.py
# checks it over every module). A site that goes away retires its number; numbers are not reused,
# so the draws of the sites that remain stay as they were.
P_CHANCE = 1
"""``events``: a ``chance`` trigger with a constant probability, per trigger node."""
P_COMBAT = 2
"""``battle``: the day's combat outcome of an engagement, per region."""
P_RETREAT = 3
"""Retired (no site)."""
P_CAPITULATION = 4
"""``capitulation``: whether a power under pressure gives up today, per power."""
P_MOVE = 5
"""Retired (no site)."""
P_WEATHER = 6
"""``weather``: a region's weather spell (entity ``2 * region``, kept from when ice shared it)."""
P_NAVAL = 7
"""``sea``: a naval battle's outcome, per sea zone."""
P_AIR = 8
"""``airwar``: an air group's day, per group."""
P_SEA = 9
"""``sea``: whether a contact in a sea zone becomes a night action, per zone."""
P_LANDING = 10
"""``sea``: whether a landing gets ashore, per fleet."""
P_TRADE = 11
"""``sea``: tonnage sunk by a fleet on a trade war, per fleet."""
P_SPECIAL = 12
"""``battle``: the effect of chemical weapons in an engagement, per region."""
P_SUPPLY = 13
"""``logistics``: whether a force long cut off surrenders today, per force."""
P_LEADER = 14
"""``leaders``: whether a commander is relieved after a setback, per force."""
P_SUBMARINES_LOST = 15
"""``sea``: submarines a fleet on a trade war loses to escorts, per fleet (was ``P_SEA``)."""
P_BIOLOGICAL = 16
"""``airwar``: the toll of a biological attack on a city, per attacking power (was
``P_SPECIAL``)."""
P_RIVER_ICE = 17
"""``weather``: whether a region's rivers freeze this winter, per region (was ``P_WEATHER``)."""
P_SHARED_CHANCE = 18
"""``events``: a ``chance`` trigger tied to an assumption, per assumption, so events naming the
same assumption share the coin (was ``P_CHANCE``)."""
P_ENTRY = 19
"""``entry``: a power's run-long propensity for war (day 0), per power."""
P_TERMS_SEEK = 20
"""``entry``: whether a losing belligerent seeks terms on an evaluation day, per power."""
P_TERMS_ACCEPT = 21
"""``entry``: whether the other side accepts a seeker's terms on that day, per seeking power."""


@njit(cache=True)
def mix(z: np.uint64) -> np.uint64:
    """SplitMix64 finaliser: a bijective scramble of 64 bits."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True)
def uniform(seed: np.uint64, day: int, entity: int, purpose: int) -> float:
    """A uniform number in [0, 1) determined by its four counters alone."""
    h = mix(np.uint64(seed) + _GOLDEN)
    h = mix(h ^ (np.uint64(day) + _GOLDEN))
    h = mix(h ^ (np.uint64(entity) * _GOLDEN + np.uint64(1)))
    h = mix(h ^ (np.uint64(purpose) + np.uint64(0x632BE59BD9B4E019)))
    return float(h >> _S11) * _INV53


@njit(cache=True)
def stochastic_round(x: float, u: float) -> float:
    """A whole count with mean ``x``: floor(x), plus one with probability x - floor(x)."""
    n = float(math.floor(x))
    return n + 1.0 if u < x - n else n


def run_seeds(base_seed: int, run_ids: np.ndarray) -> np.ndarray:
    """Seeds of runs ``run_ids`` of an ensemble with ``base_seed`` (uint64, vectorised)."""
    with np.errstate(over="ignore"):
        z = np.uint64(base_seed) * _GOLDEN + run_ids.astype(np.uint64) + _GOLDEN
        z = (z ^ (z >> _S30)) * _M1
        z = (z ^ (z >> _S27)) * _M2
        return z ^ (z >> _S31)
