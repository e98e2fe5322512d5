"""Army-specific behaviour set per power (rules/armies.py): surrender share and command CEV."""

import numpy as np

from tests.worlds import grid_world, name
from twinvipers.engine import simulate
from twinvipers.ensemble import sampling
from twinvipers.rules import codes
from twinvipers.rules.rng import run_seeds

RUNS = 24


def _losses(c, power="BLU"):
    """Final killed, wounded, captured and men of ``power`` per run."""
    values = sampling.sample(c.assumptions, RUNS, 5)
    batch = simulate(c, c.params_for(values), run_seeds(5, np.arange(RUNS)))
    p = c.powers.index(power)
    pw = batch.history.pw[:, -1, p]
    return (
        pw[:, codes.PF_KILLED],
        pw[:, codes.PF_WOUNDED],
        pw[:, codes.PF_CAPTURED],
        pw[:, codes.PF_MEN],
    )


def _pocket(tmp_path, share, assumptions=None):
    """BLU's one region, surrounded by RED four to one: its army is beaten where it stands."""
    red = [
        {"id": f"red_{k}", "power": "RED", "region": name(x, y), "men": 60_000, "artillery": 300}
        for k, (x, y) in enumerate([(0, 1), (2, 1), (1, 0), (1, 2)])
    ]
    blue = [{"id": "blu", "power": "BLU", "region": name(1, 1), "men": 30_000, "artillery": 100}]
    owner = lambda x, y: "BLU" if (x, y) == (1, 1) else "RED"  # noqa: E731
    return grid_world(
        tmp_path, owner, 3, 3, red + blue, powers={"BLU": {"surrender_share": share}},
        assumptions=assumptions,
    )  # fmt: skip


def test_an_army_that_refuses_to_surrender_leaves_few_prisoners(tmp_path):
    k1, w1, c1, m1 = _losses(_pocket(tmp_path / "yield", 1.0))
    k2, w2, c2, m2 = _losses(_pocket(tmp_path / "refuse", 0.05))
    assert c1.mean() > 10_000  # the pocket surrenders in the ordinary case
    assert c2.mean() < 0.1 * c1.mean() and k2.mean() > k1.mean() + 0.5 * c1.mean()
    for k, w, c, m in ((k1, w1, c1, m1), (k2, w2, c2, m2)):
        assert np.allclose(k + w + c + m, 30_000)  # men conserved


def test_a_power_setting_may_come_from_an_assumption(tmp_path):
    fixed = _losses(_pocket(tmp_path / "n", 0.05))
    drawn = [{"id": "refusal", "dist": {"fixed": 0.05}, "source": "test"}]
    via = _losses(_pocket(tmp_path / "a", {"assumption": "refusal"}, assumptions=drawn))
    assert all(np.array_equal(a, b) for a, b in zip(fixed, via, strict=True))


def _line(tmp_path, cev, red_casualties=1.0):
    red = [{"id": "red", "power": "RED", "region": name(0, 0), "men": 90_000, "artillery": 360}]
    blue = [{"id": "blu", "power": "BLU", "region": name(1, 0), "men": 60_000, "artillery": 240}]
    owner = lambda x, y: "RED" if x == 0 else "BLU"  # noqa: E731
    events = [
        {
            "id": "push", "trigger": {"date": "1939-07-02"}, "source": "test",
            "effects": [{"offensive": {"power": "RED", "target": name(2, 0)}}],
        }
    ]  # fmt: skip
    return grid_world(
        tmp_path, owner, 3, 1, red + blue, events=events,
        powers={"BLU": {"command_cev": cev}, "RED": {"casualty_multiplier": red_casualties}},
        terrain={name(1, 0): "hills"}, rail=20_000.0, industry={name(0, 0): 20},
    )  # fmt: skip


def _days_to_take_the_line(c):
    """Per run, the day RED takes BLU's front region (the calendar's length if never)."""
    values = sampling.sample(c.assumptions, RUNS, 5)
    batch = simulate(c, c.params_for(values), run_seeds(5, np.arange(RUNS)))
    h, n = batch.history, batch.n_events
    days = np.full(RUNS, float(len(c.world.day_month)))
    hit = (h.ev_kind[:n] == codes.K_CAPTURED) & (h.ev_region[:n] == c.regions.index(name(1, 0)))
    for run, day in zip(h.ev_run[:n][hit], h.ev_day[:n][hit], strict=True):
        days[run] = min(days[run], day)
    return days


def test_weak_command_costs_the_defender(tmp_path):
    sound = _days_to_take_the_line(_line(tmp_path / "sound", 1.0))
    purged = _days_to_take_the_line(_line(tmp_path / "purged", 0.5))
    assert purged.mean() < 0.9 * sound.mean()
    assert (purged <= sound).mean() >= 0.9  # run by run, with the same draws


def test_a_national_casualty_factor_raises_the_powers_own_battle_losses(tmp_path):
    # Dupuy's x2 for Russian and Japanese casualty rates (armies.casualty_multiplier): RED, the
    # attacker, loses about twice as many men per man it kills, with the same draws.
    def exchange(mult):
        c = _line(tmp_path / f"m{mult}", 1.0, red_casualties=mult)
        values = sampling.sample(c.assumptions, RUNS, 5)
        batch = simulate(c, c.params_for(values), run_seeds(5, np.arange(RUNS)))
        h, n = batch.history, batch.n_events
        fought = h.ev_kind[:n] == codes.K_BATTLE
        return h.ev_x1[:n][fought].sum() / h.ev_x2[:n][fought].sum()  # attacker : defender

    assert exchange(2.0) > 1.5 * exchange(1.0)
