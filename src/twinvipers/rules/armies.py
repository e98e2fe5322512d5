"""Army-specific behaviour, set per power by the scenario (a number or an assumption).

``command_cev`` multiplies the combat power of all of a power's forces for the quality of its
command (the Red Army of 1939-40 after the purges); ``surrender_share`` is the share of a
cut-off, beaten force that surrenders, the rest fighting on until they fall (the Japanese army's
refusal to surrender); ``stand_fast`` is the share of the men overrun in their positions who,
not surrendering, stand and fall there rather than fall back with their unit (0 by default);
``casualty_multiplier`` scales the power's own daily battle casualty rates
(Dupuy's national factor, Russian and Japanese rates x2 in 1900-45, which the CDB90 fit of
``analysis.battles`` applies too). The others default to 1.0: no effect.
"""

from __future__ import annotations

from twinvipers.rules.jit import kernel


@kernel
def _per_power(values, param_of, params, p):
    """A power's value: its run parameter when an assumption feeds it, else the fixed value."""
    k = param_of[p]
    return values[p] if k < 0 else params[k]


@kernel
def command_cev(p_cev, p_cev_param, params, p):
    """Command-effectiveness multiplier of power ``p`` in this run (World.p_cev*)."""
    return _per_power(p_cev, p_cev_param, params, p)


@kernel
def surrender_share(p_surrender, p_surrender_param, params, p):
    """Share of a cut-off force of power ``p`` that surrenders, clipped to 0..1."""
    return min(1.0, max(0.0, _per_power(p_surrender, p_surrender_param, params, p)))


@kernel
def casualty_multiplier(p_casmult, p_casmult_param, params, p):
    """Multiplier on power ``p``'s own daily battle casualty rates in this run (World.p_casmult*)."""
    return max(0.0, _per_power(p_casmult, p_casmult_param, params, p))


@kernel
def stand_fast(p_stand, p_stand_param, params, p):
    """Share of power ``p``'s overrun men who neither surrender nor fall back, clipped to 0..1."""
    return min(1.0, max(0.0, _per_power(p_stand, p_stand_param, params, p)))
