"""Validate the land-combat rule (rules.combat) on CDB90 battles.

Protocol (honest tuning): the FITTED constants of ``rules.combat`` (win bias and slope, manoeuvre
and air log-odds, casualty scales, defender loss per km of advance, era, opposition and armour
exponents, overrun share) are refit on training folds and every battle is scored out of fold.
Folds are grouped by war: all World War II battles form one fold (fit on every non-WWII battle,
score on WWII) and the other wars are dealt into five more folds, so a war is never scored by
constants fit on itself. The baselines are fit on the same folds.

Features are only what a commander could know before the battle: strengths, tanks, artillery,
close-air-support sorties, defender's posture, terrain, weather and season, theatre air superiority
(``aeroa``), the attacker's plan (primary scheme frontal or not, a river crossing among its
schemes), duration, and Dupuy's published national CEVs and casualty multipliers. The compilers'
coded judgements (cea, leada, trnga, morala, logsa, momnta, intela, techa, inita, kmda, quala, resa,
...) and outcome codes (reso) are never read: they were assigned knowing the outcome.

Surprise (``surpa``) is used by default, as Dupuy's QJM does. It is partly hindsight: code 0 reads
"neither side achieved surprise, *or it did not affect the outcome*". The report also prints the
figures without it so a reader can see what it is worth. The plan (``pri1``) may carry a little
hindsight too (an envelopment is easier to name once it worked).

Draws (wina = 0) count as the attacker not winning (the attacker failed its mission); the two
battles with an unknown winner (wina = -9) are left out of winner scores but kept for casualties.

The report also prints a diagnostic that is *not* a score: the same constants fit on the WWII
battles themselves (in-sample, same fit criterion), i.e. about the best this structure can do on
them.

Results, held-out WWII (97 battles, constants fit on the 465 non-WWII ones), 2026-11:
  - first structure: winner 0.742, Brier 0.193, casualty error attacker 0.200, defender 0.329.
  - with armour, overrun and the attacker's plan: winner 0.753, Brier 0.183, attacker 0.212,
    defender 0.301 (target 0.30: not met; sat on the line, 0.297-0.303 by optimiser settings).
  - now, with the overrun share scaled like the daily rates (below): winner 0.753 (73/97;
    binomial SE 0.044, one battle above 0.75), Brier 0.183, attacker 0.200, defender 0.286
    (target met; 0.262-0.293 across the optimiser settings tried, all at the same training
    loss). Non-WWII out of fold: casualties 0.290/0.290 -> 0.294/0.267. In-sample diagnostic on
    WWII: 0.753/0.226.

Round of 2026-11-24: the overrun share scaled by the defender's casualty multiplier (adopted).
  The daily rates carry the side's casualty multiplier (Dupuy's national factor times the era's
  dispersion factor, [EWW]), but the overrun share did not: a 1805 line and a 1944 one lost the
  same share of men to a day's breach, though the first stood ~150x as close-packed. The share
  fit to the older battles then overstated modern defenders' losses. How it was found: the
  held-out WWII defender predictions' signed median error was +0.16 (x1.46) against -0.01 out
  of fold elsewhere, so this change was looked for with WWII residuals in view. It was chosen
  and its form settled on the non-WWII battles (out of fold attacker/defender | WWII, fit as
  shipped):
    * era-free share (before): 0.290/0.290 | 0.212/0.301; training loss of the WWII fold's
      fit 0.7034 (run to convergence).
    * x era factor: 0.294/0.268 | 0.200/0.271; training 0.6889.
    * x era x national (adopted: one multiplier on all of a side's losses, and the engine's
      overrun then follows its national factor as its daily rates do): 0.294/0.267 |
      0.200/0.286; training 0.6882. The shipped fit's constants: cas scale att 1.464, def
      0.811, per km 0.027, era 0.327, opposition 0.270, armour 0.463, overrun 0.036.
    * x sqrt(era): 0.289/0.274 | 0.209/0.328 (training near-tied with the two above; the WWII
      figure moves with the optimiser's end state as before, see the previous round).
  The adopted form across optimiser settings (Nelder-Mead simplex steps; training loss
  0.6882-0.6886): (0.5, 0.3) shipped 0.286, (0.3, 0.2) 0.293, (1.0, 0.5, 0.2) 0.262, seven
  restarts 0.285. Out of fold, the post-1945 battles (82, as dispersed as WWII's and never in a
  fold with them) show the same fix: defender signed median +0.134 -> +0.003, error 0.275 ->
  0.269; 1900-38 0.298 -> 0.279; before 1800 0.319 -> 0.255.

Earlier rounds, on the era-free overrun share:
  - adopted (each selected by its non-WWII out-of-fold error, but the WWII scores were printed
    beside it, so the choice among near-ties is snooped; the WWII battles kept out of this copy
    of CDB90 are the clean test):
    * armour density ratio on the defender's loss rate (rules.combat.armour_factor): casualties
      non-WWII 0.293/0.315, WWII 0.202/0.304. Weight per tank per man chosen on non-WWII (100,
      300, 1,000, 3,000, 10,000 -> defender 0.322, 0.320, 0.315, 0.321, 0.328).
    * overrun share of a beaten standing defender per successful day (hasty, prepared,
      fortified; delay and withdrawal exempt), with the armour ratio: 0.287/0.291 and WWII
      0.214/0.291 in the scratch harness. Near-ties rejected: prepared/fortified only 0.298/0.294
      (WWII 0.222/0.284); all postures 0.288/0.291 (WWII 0.216/0.314); one lump at the battle's
      end instead of per day 0.288/0.302 (WWII 0.221/0.312; per day is what the engine resolves).
    * manoeuvre (primary scheme not frontal; unknown counts frontal) and theatre air superiority
      as log-odds on the win probability: non-WWII Brier 0.242 -> 0.231; WWII 0.742/0.193 ->
      0.753/0.183. Alone: manoeuvre 0.236 (WWII 0.742/0.188), air 0.236 (0.742/0.187).
      Rejected: unknown scheme as a manoeuvre 0.234 (WWII 0.753/0.193: counts missing data as
      information); a river crossing as first scheme (every such attack won in both sets: the
      coefficient runs away); flank/rear anywhere in the plan 0.240 (WWII 0.784/0.198); posture
      dummies 0.242; armour ratio 0.242; men ratio 0.246; mountains 0.244.

Mechanisms tested and not adopted (refit on the non-WWII battles only; casualty error non-WWII
out of fold attacker/defender | WWII attacker/defender, against 0.294/0.323 | 0.200/0.329 for the
structure of the time unless stated):
  - defender loss x (1 - p + p*W) on the expected outcome path ([ATT] verity: defenders lose more
    when the attack succeeds): fit drives W to ~0 (the power ratio already carries it); WWII def 0.369.
  - casualty fit on post-1900 battles only (era-specific scale): WWII def 0.351 with the era exponent free;
    with it fixed at 0.308, post-1900 gives defender scale 4.06 (so the ~3.6 is not pulled up by
    pre-1900 battles) and 0.332; post-1945 only (82 battles, closest dispersion) 2.72 and 0.357.
  - size exponent 0.45 -> 0.3 / 0.2 for defenders ([ATT] size table, our 0.45 is an assumption):
    training 0.286 / 0.277 in-sample but WWII def 0.360 / 0.364.
  - frontage density (men per km of front, front_widths.csv) as a dispersion factor ([EWW]):
    training moves <= 0.003, WWII def 0.317-0.339 depending on exponent — no signal to fit.
  - CEV on casualty rates (TNDM attrition CEV modifier), exponent 0.5-2: WWII def 0.361-0.428 (Italy
    improves, the Eastern Front, where German CEV is 1.8-2.5, gets much worse).
  - defender loss x (attacker men / defender men)^k (casualties inflicted grow with the firer's
    numbers): 0.294/0.324 | 0.205/0.322 (k 0.09); both sides 0.299/0.332 | 0.205/0.314.
  - a beaten defender loses a share of what is left (prisoners) at the battle's end, any posture:
    0.291/0.300 | 0.208/0.361; with the share scaled by era density 0.292/0.279 | 0.209/0.359 (the
    pre-1900 rout does not carry over to WWII engagements, where the defender falls back).
  - loss rates decaying with the day of the battle (casualties less than linear in days): with
    the old structure 0.313/0.334 | 0.210/0.325; on the adopted one (defender only, exponent 1.0)
    0.287/0.284 | 0.207/0.303, a training gain inside fold noise, not kept.
  - attacker's rate by the defender's posture (vulnerability exponent): 0.294/0.321 | 0.201/0.328.
  - posture vulnerability exponent free for the defender: 0.294/0.291 | 0.219/0.331 (the fit
    reverses QJM: fortified defenders lose more in CDB90, which the overrun share now carries).
  - terrain casualty factor exponent free: 0.293/0.309 | 0.200/0.334 (the fit flattens it to 0.07).
  - separate defender opposition exponent 0.293/0.325 | 0.197/0.357; attacker-only extra
    opposition 0.293/0.326 | 0.195/0.365; attacker power per defender man 0.293/0.325 | 0.200/0.350.
  - on the adopted structure: air superiority on the defender's loss 0.290/0.292 | 0.215/0.321, on
    the attacker's 0.289/0.295 | 0.220/0.303; overrun x armour ratio 0.293/0.284 | 0.215/0.314;
    overrun by terrain x weather 0.288/0.288 | 0.217/0.298; overrun by surprise 0.285/0.287 |
    0.211/0.303. None beats the adopted structure's 0.290/0.290 by more than fold noise.

Round of 2026-11 on the defender gap (nothing adopted; a scratch copy of ``battle_expectation``
with extra terms, same folds and fit; non-WWII out of fold attacker/defender | WWII
attacker/defender, against 0.290/0.290 | 0.212/0.301 for the shipped fit):
  - the fit run to convergence (six Nelder-Mead restarts; training loss 0.70376 -> 0.70340, so
    the shipped fit stops early): 0.290/0.289 | 0.215/0.303. The converged structure sits at
    0.303. The "+ conv." figures below are compared with this one.
  - fit criterion closer to the scored median: median 0.297/0.306 | 0.225/0.295; mean of the
    best 90% 0.289/0.308 | 0.211/0.308; best 80% 0.288/0.307 | 0.207/0.328; Huber (c = 0.3,
    + conv.) 0.292/0.283 | 0.211/0.330. The mean of |log err| fits the median score as well as
    any of them.
  - predicting the likelier outcome path (success path when p > 0.5, else failure) rather than
    the expectation: 0.288/0.304 | 0.221/0.295; geometric mean of the two paths 0.292/0.295 |
    0.216/0.309.
  - attacker artillery density ratio on the defender's loss (the armour form, 30-1,000 per tube
    per man, exponent free): the fitted exponent is negative in every fold (-0.06 to -2.0),
    against the sourced sign. 0.290-0.293/0.284-0.291 | 0.205-0.208/0.322-0.342.
  - overrun share x (1 + k x manoeuvre) (envelopment, more prisoners): k changes sign between
    folds (-0.26 to +0.34), 0.291/0.291 | 0.211/0.320. A delay/withdrawal overrun share free
    (a multiple of the standing one): 0 to 0.29 by fold, 0 on the WWII fold (+ conv. 0.291/0.289
    | 0.210/0.308; it only moves the optimiser).
  - data handling: dropping the nested duplicates (``parent`` set, 27 with the parent present)
    from training 0.291/0.296 | 0.206/0.319, dropping the parents instead 0.289/0.286 |
    0.207/0.319, both 0.289/0.292 | 0.205/0.320. Dual postures (postype 1/2/9 with post2, 105
    battles): post2 instead of post1 0.289/0.290 | 0.206/0.303; geometric mean of the two
    postures' predictions 0.292/0.289 | 0.207/0.305. Duration as engaged time (the sum of the
    active periods) floored at 1 day 0.295/0.291 | 0.215/0.326, at 6 h 0.285/0.303 |
    0.253/0.337, at 1 h 0.315/0.330 | 0.277/0.355; whole calendar days 0.287/0.297 |
    0.203/0.330. Strength "code 1" sides that list reinforcements (402 defender, 491 both; str
    is then the initial, not the engaged, strength) set to initial + reinforcements (+ conv.):
    0.290/0.291 | 0.206/0.302. Training without the three battles whose casualties exceed
    their strength (304, 319, 334: replacements missing from str; + conv.): 0.290/0.289 |
    0.203/0.320.
  - unknown artillery (blank, 216 sides, 5 in WWII) imputed at the war's median tubes per man,
    instead of counted as none (+ conv.): casualties 0.289/0.290 | 0.205/0.305, winner Brier
    non-WWII 0.231 -> 0.228 (WWII 0.183 -> 0.178). A small winner gain. Not adopted here because
    it moves the engine's win constants; it is a separate change.
  Held-out WWII defender error moves by +-0.02 on changes that leave the non-WWII error flat:
  dropping three training battles gives 0.303 -> 0.320, and a free term that fits to zero on the
  WWII fold gives 0.301 -> 0.324.
  That is ten times the 0.001-0.003 gap to the target. A change that "meets" 0.30 within this
  structure would be choosing an optimiser state, not adding a mechanism.
Winner: on the WWII battles the power ratio alone scores 0.72-0.75 for any threshold; 0.75 is one
battle of 97 away, so the winner target is met at the edge of noise, not with a margin.
"""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from numba import njit
from scipy.optimize import minimize

from twinvipers.rules import combat as cb

# Dupuy's combat effectiveness values known before a battle (not fitted to outcomes).
# [NPW]: in Italy 1943-44 and NW Europe 1944 German units scored ~1.2 relative to US and British.
CEV_GERMAN_VS_WESTERN_ALLIES = 1.2
# [UW]/[GfW]: German superiority over Soviet forces ~2.5 in 1941-42, ~2.0 in 1943, ~1.8 in 1944-45.
CEV_GERMAN_VS_SOVIET = {1941: 2.5, 1942: 2.5, 1943: 2.0, 1944: 1.8, 1945: 1.8}
# [EV]: Israeli CEV ~2.0 vs Egyptian, ~2.5 vs Syrian and Jordanian forces (1967, 1973).
CEV_ISRAELI_VS_EGYPTIAN = 2.0
CEV_ISRAELI_VS_OTHER_ARAB = 2.5
WESTERN_ALLIES = ("USA", "Great Britain", "France", "Canada", "Poland", "New Zealand", "India")
SOVIET = ("USSR", "Russia")
ARAB = ("Egypt", "Syria", "Jordan", "Iraq", "Lebanon")

N_BASE_FOLDS = 5
CAS_FIT_STEPS = (0.5, 0.3)  # Nelder-Mead starting-simplex steps of the fit and its restart
CSV_COLUMNS = ("isqno", "p_attacker_wins", "attacker_casualties", "defender_casualties")


@dataclass
class Battles:
    """Per-battle arrays (one entry per battle with both sides present)."""

    isqno: np.ndarray
    war: list
    wwii: np.ndarray
    year: np.ndarray
    wina: np.ndarray  # 1 attacker won, 0 draw, -1 lost, -9 unknown
    men: np.ndarray  # [n, 2]: attacker, defender
    tanks: np.ndarray
    arty: np.ndarray
    sorties: np.ndarray  # per day
    cas: np.ndarray  # actual casualties, NaN unknown
    quality: np.ndarray
    natmult: np.ndarray  # national casualty multiplier
    days: np.ndarray
    posture: np.ndarray
    terrain: np.ndarray
    weather: np.ndarray
    season: np.ndarray
    river: np.ndarray
    surprise: np.ndarray  # [n, 2] SURPRISE_* per side
    air: np.ndarray  # attacker's theatre air superiority, -1/0/1
    manoeuvre: np.ndarray  # 1.0 when the attacker's primary scheme is not a frontal attack


def _num(s: str) -> float:
    try:
        return float(s)
    except (TypeError, ValueError):
        return math.nan


def _read(path: Path) -> list[dict]:
    with open(path, encoding="latin-1", newline="") as f:
        return list(csv.DictReader(f))


def _t(s: str) -> datetime | None:
    try:
        return datetime.fromisoformat(s)
    except (TypeError, ValueError):
        return None


def _days(periods: list[dict]) -> float:
    """Days from the battle's start to its end (midpoints of the recorded bounds), at least one.

    The tidy table's ``duration1``/``duration2`` are unusable (capped at 2 days: Moscow 1941 and
    El Alamein both read 2), and the outer bounds overstate a one-day battle dated only by
    calendar day (start on the 13th or 14th, end on the 14th or 15th) as two days.
    """
    starts, ends = [], []
    for p in periods:
        a, b = _t(p["start_time_min"]), _t(p["start_time_max"])
        c, d = _t(p["end_time_min"]), _t(p["end_time_max"])
        if a and b:
            starts.append(a + (b - a) / 2)
        if c and d:
            ends.append(c + (d - c) / 2)
    if not starts or not ends:
        return 1.0
    return max((max(ends) - min(starts)).total_seconds() / 86400.0, 1.0)


def _terrain(t1: str, t2: str, t3: str, wx5: str) -> int:
    if t3 == "U":
        return cb.URBAN
    if t3 == "M":
        return cb.JUNGLE if wx5 == "E" else cb.MARSH
    if t3 == "D" or t2 == "D":
        return cb.DESERT
    if t1 == "G":
        return cb.MOUNTAINS
    if t2 == "W":
        return cb.FOREST
    if t1 == "R":
        return cb.STEPPE if t2 == "B" else cb.HILLS
    if t1 == "F" and t2 == "B":
        return cb.DESERT  # QJM "flat, bare/hard"
    return cb.PLAINS


def _weather(w1: str, w2: str, w3: str) -> int:
    if w1 == "W" or w2 in ("L", "H"):
        heavy = w2 == "H"
        if w3 == "C":
            return cb.EXTREME_COLD if heavy else cb.SNOW
        return cb.WET_HEAVY if heavy else cb.WET_LIGHT
    return cb.DRY_OVERCAST if w2 == "O" else cb.DRY_SUNNY


SEASONS = {"$": cb.SPRING, "S": cb.SUMMER, "F": cb.AUTUMN, "W": cb.WINTER}
POSTURES = {
    "HD": cb.HASTY_DEFENCE,
    "PD": cb.PREPARED_DEFENCE,
    "FD": cb.FORTIFIED_DEFENCE,
    "DL": cb.DELAY,
    "WD": cb.WITHDRAWAL,
}


def _has(actors: str, names: tuple) -> bool:
    return any(n in actors for n in names)


def _quality(me: str, foe: str, year: int) -> float:
    """Dupuy's published CEV of side ``me`` against ``foe`` (1.0 where he gives none)."""
    if 1939 <= year <= 1945 and "Germany" in me:
        if _has(foe, SOVIET):
            return CEV_GERMAN_VS_SOVIET.get(year, 1.8)
        if _has(foe, WESTERN_ALLIES):
            return CEV_GERMAN_VS_WESTERN_ALLIES
    if year >= 1948 and "Israel" in me:
        if "Egypt" in foe:
            return CEV_ISRAELI_VS_EGYPTIAN
        if _has(foe, ARAB):
            return CEV_ISRAELI_VS_OTHER_ARAB
    return 1.0


def load_cdb90(cdb90_dir: Path, use_surprise: bool = True) -> Battles:
    """Read CDB90's tidy tables, with the negative-coded columns from the patched wide table."""
    d = Path(cdb90_dir) / "data"
    battles = _read(d / "battles.csv")
    patched = {r["ISQNO"]: r for r in _read(Path(cdb90_dir) / "src-data/CDB90/CDB90-patched.csv")}
    sides: dict[tuple[str, str], dict] = {
        (r["isqno"], r["attacker"]): r for r in _read(d / "belligerents.csv")
    }
    dur = {r["isqno"]: r for r in _read(d / "battle_durations.csv")}
    periods: dict[str, list[dict]] = {}
    for r in _read(d / "active_periods.csv"):
        periods.setdefault(r["isqno"], []).append(r)
    terr = {r["isqno"]: r for r in _read(d / "terrain.csv") if r["terrano"] == "1"}
    wx = {r["isqno"]: r for r in _read(d / "weather.csv") if r["wxno"] == "1"}

    rows = []
    for b in battles:
        q = b["isqno"]
        a, df, p = sides.get((q, "1")), sides.get((q, "0")), patched.get(q)
        if a is None or df is None or p is None:
            continue
        dd = dur.get(q, {})
        # One battle (429) has only an end time; failing that, the war's first year.
        stamp = dd.get("datetime") or dd.get("datetime_max") or dd.get("datetime_min") or ""
        war_year = re.search(r"1[6-9]\d\d", b["war4"] or "")
        year = int(stamp[:4]) if stamp[:4].isdigit() else int(war_year[0]) if war_year else 1800
        days = _days(periods.get(q, []))
        t = terr.get(q, {})
        w = wx.get(q, {})
        wina = _num(p["WINA"])
        surpa = _num(p["SURPA"]) if use_surprise else 0.0
        surpa = 0.0 if math.isnan(surpa) or abs(surpa) > 3 else surpa
        aeroa = _num(p["AEROA"])
        aeroa = aeroa if aeroa in (-1.0, 0.0, 1.0) else 0.0

        def weapons(r, days=days):
            tank = _num(r["tank"])
            if math.isnan(tank):
                tank = np.nansum([_num(r["lt"]), _num(r["mbt"])])
            arty = _num(r["arty"])
            fly = _num(r["fly"])
            return (
                _num(r["str"]),
                0.0 if math.isnan(tank) else tank,
                0.0 if math.isnan(arty) else arty,
                0.0 if math.isnan(fly) else fly / days,
            )

        wa, wd = weapons(a), weapons(df)
        natm = []
        for me in (a["actors"], df["actors"]):
            # [NPW]: Russian and Japanese casualty rates x2, 1900-45.
            m = 1.0
            if 1900 <= year <= 1945 and _has(me, ("Russia", "USSR", "Japan")):
                m = cb.NATIONAL_CASUALTY_MULTIPLIER_RUSSIA_JAPAN
            natm.append(m)
        schemes = {a.get(k, "") for k in ("pri1", "pri2", "pri3", "sec1", "sec2", "sec3")}
        # The attacker's plan: an unknown primary scheme counts as the common frontal attack.
        manoeuvre = 0.0 if a.get("pri1", "") in ("FF", "") else 1.0
        rows.append(
            dict(
                isqno=int(q),
                war=b["war4"] or b["war"],
                wwii="WORLD WAR II" in b["war"],
                year=year,
                wina=-9.0 if math.isnan(wina) else wina,
                men=(wa[0], wd[0]),
                tanks=(wa[1], wd[1]),
                arty=(wa[2], wd[2]),
                sorties=(wa[3], wd[3]),
                cas=(_num(a["cas"]), _num(df["cas"])),
                quality=(
                    _quality(a["actors"], df["actors"], year),
                    _quality(df["actors"], a["actors"], year),
                ),
                natmult=tuple(natm),
                days=days,
                posture=POSTURES.get(b["post1"], cb.HASTY_DEFENCE),
                terrain=_terrain(
                    t.get("terra1", ""), t.get("terra2", ""), t.get("terra3", ""), w.get("wx5", "")
                ),
                weather=_weather(w.get("wx1", ""), w.get("wx2", ""), w.get("wx3", "")),
                season=SEASONS.get(w.get("wx4", ""), cb.SUMMER),
                river=cb.RIVER_MINOR if "RC" in schemes else cb.RIVER_NONE,
                surprise=(int(max(surpa, 0)), int(max(-surpa, 0))),
                air=aeroa,
                manoeuvre=manoeuvre,
            )
        )
    rows = [r for r in rows if r["men"][0] > 0 and r["men"][1] > 0]

    def arr(k, dtype=float):
        return np.array([r[k] for r in rows], dtype=dtype)

    return Battles(
        isqno=arr("isqno", np.int64),
        war=[r["war"] for r in rows],
        wwii=arr("wwii", bool),
        year=arr("year"),
        wina=arr("wina"),
        men=arr("men"),
        tanks=arr("tanks"),
        arty=arr("arty"),
        sorties=arr("sorties"),
        cas=arr("cas"),
        quality=arr("quality"),
        natmult=arr("natmult"),
        days=arr("days"),
        posture=arr("posture", np.int64),
        terrain=arr("terrain", np.int64),
        weather=arr("weather", np.int64),
        season=arr("season", np.int64),
        river=arr("river", np.int64),
        surprise=arr("surprise", np.int64),
        air=arr("air"),
        manoeuvre=arr("manoeuvre"),
    )


def powers(b: Battles) -> np.ndarray:
    """Both sides' combat power per battle, via ``combat.combat_power``."""
    out = np.empty((len(b.isqno), 2))
    for i in range(len(b.isqno)):
        field = _field(b, i)
        for s in (0, 1):
            arms = cb.Arms(
                b.men[i, s],
                b.tanks[i, s],
                b.arty[i, s],
                b.sorties[i, s],
                b.quality[i, s],
                int(b.surprise[i, s]),
                b.air[i] if s == 0 else -b.air[i],
                1.0,
                0.0,
            )
            out[i, s] = cb.combat_power(arms, field, s == 0)
    return out


def _field(b: Battles, i: int) -> cb.Field:
    """Battle ``i``'s field (no fortification level: CDB90's postures carry it)."""
    return cb.Field(
        int(b.posture[i]),
        int(b.terrain[i]),
        int(b.weather[i]),
        int(b.season[i]),
        int(b.river[i]),
        0.0,
        cb.force_type(b.men[i, 0], b.tanks[i, 0]),
    )


@njit
def _win_probs(pw, manoeuvre, air, bias, slope, man_odds, air_odds):
    out = np.empty(pw.shape[0])
    for i in range(pw.shape[0]):
        b = cb.attack_bias(manoeuvre[i], air[i], bias, man_odds, air_odds)
        out[i] = cb.win_probability(pw[i, 0], pw[i, 1], b, slope)
    return out


# Not cached: numba's cache does not notice edits to the combat functions this one calls, and a
# stale validation would be worse than two seconds of compiling.
@njit
def _predict(
    pw,
    men,
    tanks,
    days,
    year,
    natmult,
    posture,
    terrain,
    weather,
    river,
    surprise,
    manoeuvre,
    air,
    params,
):
    n = pw.shape[0]
    out = np.empty((n, 3))
    bias, slope, sa, sd, perkm, era, opp, arm, over, man_odds, air_odds = (
        params[0],
        params[1],
        params[2],
        params[3],
        params[4],
        params[5],
        params[6],
        params[7],
        params[8],
        params[9],
        params[10],
    )
    for i in range(n):
        ef = cb.era_casualty_factor(year[i], era)
        b = cb.attack_bias(manoeuvre[i], air[i], bias, man_odds, air_odds)
        att = cb.Side(pw[i, 0], men[i, 0], tanks[i, 0], surprise[i, 0], natmult[i, 0] * ef)
        dfn = cb.Side(pw[i, 1], men[i, 1], tanks[i, 1], surprise[i, 1], natmult[i, 1] * ef)
        # Season and fort do not enter the expectation (they are in the powers already).
        field = cb.Field(
            posture[i],
            terrain[i],
            weather[i],
            0,
            river[i],
            0.0,
            cb.force_type(men[i, 0], tanks[i, 0]),
        )
        fit = cb.Fit(b, slope, sa, sd, perkm, opp, arm, over)
        p, ca, cd = cb.battle_expectation(att, dfn, field, days[i], fit)
        out[i, 0] = p
        out[i, 1] = ca
        out[i, 2] = cd
    return out


def predict(b: Battles, pw: np.ndarray, params: np.ndarray) -> np.ndarray:
    """[n, 3] of p(attacker wins), attacker casualties, defender casualties."""
    return _predict(
        pw,
        b.men,
        b.tanks,
        b.days,
        b.year,
        b.natmult,
        b.posture,
        b.terrain,
        b.weather,
        b.river,
        b.surprise,
        b.manoeuvre,
        b.air,
        params,
    )


def default_params() -> np.ndarray:
    """The FITTED constants as ``rules.combat`` ships them."""
    return np.array(
        [
            cb.WIN_BIAS,
            cb.WIN_SLOPE,
            cb.CAS_SCALE_ATTACKER,
            cb.CAS_SCALE_DEFENDER,
            cb.DEFENDER_LOSS_PER_KM,
            cb.ERA_EXPONENT,
            cb.OPPOSITION_EXPONENT,
            cb.ARMOUR_EXPONENT,
            cb.OVERRUN_SHARE,
            cb.MANOEUVRE_LOG_ODDS,
            cb.AIR_LOG_ODDS,
        ]
    )


def _logloss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _logerr(pred: np.ndarray, actual: np.ndarray) -> np.ndarray:
    ok = (actual > 0) & (pred > 0) & np.isfinite(actual)
    return np.abs(np.log10(pred[ok] / actual[ok]))


def fit(b: Battles, pw: np.ndarray, train: np.ndarray) -> np.ndarray:
    """Fit the FITTED constants on battles ``train`` (boolean mask)."""
    params = default_params()
    y = (b.wina == 1).astype(float)
    known = train & (b.wina != -9)
    pws, man, air = pw[known], b.manoeuvre[known], b.air[known]

    def win_loss(x):
        return _logloss(_win_probs(pws, man, air, x[0], x[1], x[2], x[3]), y[known])

    r = minimize(win_loss, np.array([0.0, 1.0, 0.0, 0.0]), method="BFGS")
    params[:2] = r.x[:2]
    params[9:11] = r.x[2:4]

    sub = _subset(b, train)
    pws = pw[train]

    def to_params(x):
        prm = params.copy()
        prm[2:4] = np.exp(x[0:2])
        prm[4] = math.exp(x[2]) * 0.1
        prm[5:8] = x[3:6]
        prm[8] = abs(x[6])  # a share of men; the sign is meaningless
        return prm

    def cas_loss(x):
        out = predict(sub, pws, to_params(x))
        ea = _logerr(out[:, 1], sub.cas[:, 0])
        ed = _logerr(out[:, 2], sub.cas[:, 1])
        # The median, as scored: a few battles with garbled casualty figures should not steer it.
        return float(np.mean(ea) + np.mean(ed))

    x = np.array([0.0, 0.0, 0.0, 0.5, 0.5, 0.0, 0.0])
    # Nelder-Mead's default simplex is tiny around zeros; start with steps of a useful size, then
    # restart once from the result with smaller steps (a single run stalls in a shallow valley
    # with seven constants and lands on fold-to-fold different optima).
    for step in CAS_FIT_STEPS:
        simplex = np.vstack([x] + [x + step * np.eye(len(x))[j] for j in range(len(x))])
        opts = {"xatol": 1e-3, "fatol": 1e-5, "maxiter": 2800, "initial_simplex": simplex}
        x = minimize(cas_loss, x, method="Nelder-Mead", options=opts).x
    return to_params(x)


def _subset(b: Battles, mask: np.ndarray) -> Battles:
    kw = {}
    for k, v in b.__dict__.items():
        kw[k] = [x for x, m in zip(v, mask, strict=True) if m] if isinstance(v, list) else v[mask]
    return Battles(**kw)


def folds(b: Battles) -> np.ndarray:
    """Fold id per battle: 0 = all WWII; 1..5 = other wars, grouped by war, balanced by size."""
    fold = np.zeros(len(b.isqno), dtype=np.int64)
    wars: dict[str, int] = {}
    for w, ww in zip(b.war, b.wwii, strict=True):
        if not ww:
            wars[w] = wars.get(w, 0) + 1
    load = [0] * N_BASE_FOLDS
    assign = {}
    for w, n in sorted(wars.items(), key=lambda kv: (-kv[1], kv[0])):
        k = int(np.argmin(load))
        assign[w] = k + 1
        load[k] += n
    for i, (w, ww) in enumerate(zip(b.war, b.wwii, strict=True)):
        fold[i] = 0 if ww else assign[w]
    return fold


def _logit_fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    def nll(w):
        z = np.clip(w[0] + w[1] * x, -40, 40)
        return float(np.sum(np.logaddexp(0, z) - y * z))

    return minimize(nll, np.zeros(2), method="BFGS").x


def cross_validate(b: Battles) -> dict:
    """Out-of-fold predictions of the model and the baselines."""
    pw = powers(b)
    fold = folds(b)
    n = len(b.isqno)
    model = np.empty((n, 3))
    p_always = np.empty(n)
    p_logit = np.empty(n)
    const_cas = np.empty((n, 2))
    y = (b.wina == 1).astype(float)
    lfr = np.log(b.men[:, 0] / b.men[:, 1])
    fitted = {}
    for k in np.unique(fold):
        test, train = fold == k, fold != k
        params = fit(b, pw, train)
        fitted[int(k)] = params
        model[test] = predict(_subset(b, test), pw[test], params)
        known = train & (b.wina != -9)
        p_always[test] = y[known].mean()
        w = _logit_fit(lfr[known], y[known])
        p_logit[test] = 1 / (1 + np.exp(-(w[0] + w[1] * lfr[test])))
        for s in range(2):
            ok = train & (b.cas[:, s] > 0)
            rate = np.median(b.cas[ok, s] / b.men[ok, s] / b.days[ok])
            const_cas[test, s] = b.men[test, s] * np.minimum(rate * b.days[test], 1.0)
    return dict(
        pw=pw,
        fold=fold,
        model=model,
        always=p_always,
        logit=p_logit,
        const=const_cas,
        fitted=fitted,
    )


def _scores(p: np.ndarray, cas_pred: np.ndarray | None, b: Battles, mask: np.ndarray) -> dict:
    known = mask & (b.wina != -9)
    y = (b.wina[known] == 1).astype(float)
    pk = p[known]
    decisive = b.wina[known] != 0
    out = dict(
        n=int(known.sum()),
        acc=float(np.mean((pk > 0.5) == (y == 1))),
        acc_decisive=float(np.mean((pk[decisive] > 0.5) == (y[decisive] == 1))),
        brier=float(np.mean((pk - y) ** 2)),
    )
    if cas_pred is not None:
        out["att"] = float(np.median(_logerr(cas_pred[mask, 0], b.cas[mask, 0])))
        out["def"] = float(np.median(_logerr(cas_pred[mask, 1], b.cas[mask, 1])))
    return out


def evaluate(cdb90_dir: Path, use_surprise: bool = True) -> tuple[Battles, dict, dict]:
    """Load, cross-validate and score. Returns (battles, cv results, scores by subset/method)."""
    b = load_cdb90(cdb90_dir, use_surprise=use_surprise)
    cv = cross_validate(b)
    scores = {}
    for name, mask in (("all", np.ones(len(b.isqno), bool)), ("wwii", b.wwii)):
        scores[name] = dict(
            model=_scores(cv["model"][:, 0], cv["model"][:, 1:], b, mask),
            always=_scores(cv["always"], cv["const"], b, mask),
            logit=_scores(cv["logit"], cv["const"], b, mask),
        )
    return b, cv, scores


def in_sample_floor(b: Battles, pw: np.ndarray, mask: np.ndarray) -> dict:
    """Scores on ``mask`` with constants fit on ``mask`` itself: a diagnostic, never a score.

    It bounds what this model structure can do on those battles; a held-out score close to it
    means the gap to a target is in the structure or the data, not in the fitting protocol.
    """
    sub = _subset(b, mask)
    out = predict(sub, pw[mask], fit(b, pw, mask))
    return _scores(out[:, 0], out[:, 1:], sub, np.ones(int(mask.sum()), bool))


def _write_csv(out_csv: Path, isqno: np.ndarray, pred: np.ndarray) -> None:
    out_csv = Path(out_csv)
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_csv.parent, prefix=out_csv.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(CSV_COLUMNS)
            for q, (p, ca, cd) in zip(isqno, pred, strict=True):
                w.writerow([int(q), f"{p:.6f}", f"{ca:.1f}", f"{cd:.1f}"])
        os.replace(tmp, out_csv)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: SHA-256 of the calibration set's ``data/battles.csv`` (CDB90 as ../shared holds it, 562
#: battles): the folder whose constants the engine ships, where a refit is the honest score.
CALIBRATION_SHA256 = "d51116312b51587b94752de008c6bf5ee1b7aa7687c3a490d6f851b4203ebbd1"


def is_calibration_set(cdb90_dir: Path) -> bool:
    """True when ``cdb90_dir`` holds the battles the shipped constants were fit on."""
    import hashlib

    data = (Path(cdb90_dir) / "data" / "battles.csv").read_bytes()
    return hashlib.sha256(data).hexdigest() == CALIBRATION_SHA256


def score_shipped(cdb90_dir: Path, out_csv: Path) -> str:
    """Score any battle set (CDB90's layout) with the constants the engine ships; no fitting.

    Returns a printable report; writes the predictions.
    """
    b = load_cdb90(cdb90_dir, use_surprise=True)
    pred = predict(b, powers(b), default_params())
    _write_csv(out_csv, b.isqno, pred)
    lines = [
        "Battles scored with the combat constants the engine ships (rules.combat; nothing refit)",
        f"battles: {len(b.isqno)} ({int(b.wwii.sum())} WWII)",
        "",
        f"{'subset':<6} {'n':>4} {'winner acc':>10} {'Brier':>7} {'cas att':>8} {'cas def':>8}",
    ]
    for name, mask in (("all", np.ones(len(b.isqno), bool)), ("wwii", b.wwii)):
        if not mask.any():
            continue
        s = _scores(pred[:, 0], pred[:, 1:], b, mask)
        lines.append(
            f"{name:<6} {s['n']:>4} {s['acc']:>10.3f} {s['brier']:>7.3f} {s['att']:>8.3f} "
            f"{s['def']:>8.3f}"
        )
    lines.append(f"predictions written to {out_csv}")
    return "\n".join(lines)


def run_battles(cdb90_dir: Path, out_csv: Path) -> str:
    """Score the combat rule on CDB90, write out-of-fold predictions, return a printable report."""
    b, cv, scores = evaluate(cdb90_dir, use_surprise=True)
    _write_csv(out_csv, b.isqno, cv["model"])
    _, _, nosurp = evaluate(cdb90_dir, use_surprise=False)

    lines = [
        "CDB90 validation of rules.combat (Dupuy QJM-style)",
        f"battles: {len(b.isqno)} ({int(b.wwii.sum())} WWII); winner: wina=1 attacker won, draws "
        "count as attacker not winning; wina=-9 left out of winner scores",
        "protocol: out-of-fold. WWII battles are one fold, scored with constants fit on all non-WWII "
        f"battles; other wars grouped by war into {N_BASE_FOLDS} folds. Baselines fit on the same folds.",
        "casualty error = median |log10(predicted / actual)| over battles with known casualties",
        "features: strengths, tanks, artillery, CAS sorties/day, defender posture, terrain, weather,"
        " season, theatre air superiority, attacker's plan (frontal or not, river crossing),"
        " duration, Dupuy's national CEV and casualty multipliers; surprise (surpa) as marked; no"
        " compiler judgements (cea, leada, ...)",
        "",
        f"{'subset':<6} {'method':<34} {'n':>4} {'winner acc':>10} {'Brier':>7} {'cas att':>8} {'cas def':>8}",
    ]
    names = dict(
        model="combat model (with surprise)",
        always="always attacker (+const daily loss)",
        logit="logit log force ratio (+const loss)",
    )
    for sub in ("all", "wwii"):
        rows = [(names[k], scores[sub][k]) for k in ("model", "always", "logit")]
        rows.insert(1, ("combat model (no surprise)", nosurp[sub]["model"]))
        for name, s in rows:
            lines.append(
                f"{sub:<6} {name:<34} {s['n']:>4} {s['acc']:>10.3f} {s['brier']:>7.3f} "
                f"{s['att']:>8.3f} {s['def']:>8.3f}"
            )
    lines.append(
        "winner acc with draws left out (model with surprise): all "
        f"{scores['all']['model']['acc_decisive']:.3f}, WWII {scores['wwii']['model']['acc_decisive']:.3f}"
    )
    w = scores["wwii"]["model"]
    ok = w["acc"] >= 0.75 and w["att"] <= 0.30 and w["def"] <= 0.30
    se = math.sqrt(w["acc"] * (1.0 - w["acc"]) / w["n"])
    floor = in_sample_floor(b, cv["pw"], b.wwii)
    lines += [
        "",
        "targets on held-out WWII: winner acc >= 0.75, casualty error <= 0.30 both sides: "
        + ("MET" if ok else "NOT MET")
        + f" (winner acc binomial standard error {se:.3f})",
        "diagnostic, NOT a score: the same constants fit ON the WWII battles (in-sample, same"
        f" criterion), about the best this structure does on them: winner acc {floor['acc']:.3f}, Brier {floor['brier']:.3f},"
        f" cas att {floor['att']:.3f}, cas def {floor['def']:.3f}",
        "constants fit for the WWII fold (bias, slope, cas scale att, cas scale def, defender loss"
        " per km, era exp, opposition exp, armour exp, overrun share, manoeuvre log-odds, air"
        " log-odds): " + ", ".join(f"{x:.3f}" for x in cv["fitted"][0]),
        "caveat: no constant was fit on WWII battles, but the model's structure (durations, the"
        " mechanisms kept) was settled while these WWII scores were in view; the WWII battles kept"
        " aside from this copy of CDB90 are the cleaner test",
        f"predictions written to {out_csv}",
    ]
    return "\n".join(lines)
