"""Recording a run's events into the batch's flat buffers."""

from __future__ import annotations

from twinvipers.rules.jit import kernel


@kernel
def record(h, run, day, kind, actor, target, region, aux, value, x1, x2):
    """Append one event; on overflow set the flag (the caller reruns with more room)."""
    i = h.count[0]
    if i >= h.ev_run.shape[0]:
        h.count[1] = 1
        return
    h.ev_run[i] = run
    h.ev_day[i] = day
    h.ev_kind[i] = kind
    h.ev_actor[i] = actor
    h.ev_target[i] = target
    h.ev_region[i] = region
    h.ev_aux[i] = aux
    h.ev_value[i] = value
    h.ev_x1[i] = x1
    h.ev_x2[i] = x2
    h.ev_x3[i] = 0.0
    h.ev_x4[i] = 0.0
    h.count[0] = i + 1


@kernel
def record_more(h, x3, x4):
    """Set ``x3`` and ``x4`` of the event just recorded (a kind with more than four fields).

    Called right after its ``record``; nothing is written when that event overflowed the buffer
    (the batch is rerun with more room), so another event's slots are never touched.
    """
    i = h.count[0] - 1
    if i < 0 or h.count[1] != 0:
        return
    h.ev_x3[i] = x3
    h.ev_x4[i] = x4
