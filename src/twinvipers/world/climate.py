"""Climatology: the chance of each weather state per day, by climate zone and month.

``WEATHER_PROB[c, m - 1, k]`` is the probability that a day of month ``m`` (1-12) in climate zone
``c`` (``schema.Climate`` order) has weather state ``k``; ``FROZEN_PROB[c, m - 1]`` the probability
that the zone's rivers and lakes carry ice a force can cross. The rows are a modelling reduction of
published climatologies to six states; each block names what it was read from. The weather rule
(:mod:`twinvipers.rules.weather`) draws from them; :func:`month_of_day` and :func:`winter_of_day`
give the scenario calendar the rule indexes by.

Sources (cited per row below):
- DA Pam 20-291: US Army (1952), *Effects of Climate on Combat in European Russia*, DA Pamphlet
  20-291 — the spring rasputitsa (mid-March in the south to May in the north, 3-6 weeks), the
  autumn mud (mid-October to the November freeze), snow cover and cold spells, river ice.
- DA Pam 20-290: US Army (1951), *Terrain Factors in the Russian Campaign*, DA Pamphlet 20-290 —
  river freeze-up and break-up dates, ice bearing loads, the Ladoga ice road (Nov 1941-Apr 1942).
- WMO normals: World Meteorological Organization, *Climatological Normals (CLINO) 1931-1960*
  (WMO-No. 117, 1971) — days with precipitation >= 1 mm, snow days, mean minima, per station.
- Lydolph: Lydolph, P. E. (1977), *Climates of the Soviet Union* (World Survey of Climatology 7).
- Domrös & Peng: Domrös, M. & Peng, G. (1988), *The Climate of China* — the plum rains (meiyu,
  mid-June to mid-July on the Yangtze), the summer monsoon and dry winters.
- Ramage: Ramage, C. S. (1971), *Monsoon Meteorology* — the Burma/Indochina south-west monsoon,
  mid-May to October, and the dry north-east monsoon November-April.
- Dupuy: T. N. Dupuy (1979), *Numbers, Predictions and War* — the QJM weather rows (dry, light
  rain, heavy rain, extreme cold; extreme heat) that the states are chosen to match.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from twinvipers.scenario import schema

# Weather states (codes in Weather.r_weather). Chosen to map onto Dupuy's QJM weather rows:
# DRY "dry, sunny/overcast"; RAIN "light rain"; MUD "heavy rain"/thaw, roads and fields bogged
# (the rasputitsa, the monsoon); SNOW snowfall or deep snow cover; COLD extreme cold (about
# -20 °C and below, DA Pam 20-291); HEAT extreme heat (about 40 °C and above in desert summer).
DRY, RAIN, MUD, SNOW, COLD, HEAT = range(6)
N_WEATHER = 6
WEATHER_NAMES = ("dry", "rain", "mud", "snow", "cold", "heat")

CLIMATES = list(schema.Climate)
N_CLIMATES = len(CLIMATES)

# Per climate: twelve rows (Jan..Dec) of (dry, rain, mud, snow, cold, heat) day probabilities.
_TABLE: dict[schema.Climate, list[tuple[float, ...]]] = {
    # Western and central Europe (Cfb: Paris, Berlin, Warsaw). WMO normals: 12-17 days with
    # >= 1 mm rain a month all year, 3-8 snow days Dec-Feb, hard frost rare; Dupuy: Western Front
    # autumn 1944 mud in Oct-Nov.
    schema.Climate.temperate: [
        (0.45, 0.30, 0.10, 0.13, 0.02, 0.0),
        (0.45, 0.28, 0.10, 0.15, 0.02, 0.0),
        (0.50, 0.30, 0.12, 0.08, 0.00, 0.0),
        (0.55, 0.33, 0.10, 0.02, 0.00, 0.0),
        (0.60, 0.35, 0.05, 0.00, 0.00, 0.0),
        (0.62, 0.35, 0.03, 0.00, 0.00, 0.0),
        (0.62, 0.35, 0.03, 0.00, 0.00, 0.0),
        (0.63, 0.34, 0.03, 0.00, 0.00, 0.0),
        (0.65, 0.30, 0.05, 0.00, 0.00, 0.0),
        (0.55, 0.33, 0.12, 0.00, 0.00, 0.0),
        (0.45, 0.35, 0.15, 0.05, 0.00, 0.0),
        (0.45, 0.30, 0.10, 0.13, 0.02, 0.0),
    ],
    # European Russia, Ukraine, Belorussia, Manchuria (Dfb: Moscow, Kiev, Harbin). DA Pam 20-291:
    # the spring rasputitsa late March-April (to early May), the autumn mud mid-October to mid-
    # November (1941: 7 Oct-early Nov), snow cover December-March, cold spells below -20 °C
    # chiefly January-February; Lydolph: 5-10 such days a month in mid-winter at Moscow.
    schema.Climate.continental: [
        (0.10, 0.00, 0.00, 0.65, 0.25, 0.0),
        (0.12, 0.00, 0.00, 0.63, 0.25, 0.0),
        (0.15, 0.05, 0.25, 0.45, 0.10, 0.0),
        (0.20, 0.15, 0.55, 0.10, 0.00, 0.0),
        (0.55, 0.30, 0.15, 0.00, 0.00, 0.0),
        (0.62, 0.33, 0.05, 0.00, 0.00, 0.0),
        (0.60, 0.35, 0.05, 0.00, 0.00, 0.0),
        (0.62, 0.33, 0.05, 0.00, 0.00, 0.0),
        (0.60, 0.30, 0.10, 0.00, 0.00, 0.0),
        (0.25, 0.20, 0.45, 0.10, 0.00, 0.0),
        (0.15, 0.10, 0.30, 0.35, 0.10, 0.0),
        (0.10, 0.02, 0.05, 0.58, 0.25, 0.0),
    ],
    # Finland, Karelia, northern Russia, Siberia (Dfc: Leningrad, Arkhangelsk). DA Pam 20-291:
    # thaw mud in May, freeze in late October-November, snow cover November-April, long severe
    # cold (winter 1939-40 in Karelia: -30 to -40 °C in January).
    schema.Climate.subarctic: [
        (0.05, 0.00, 0.00, 0.55, 0.40, 0.0),
        (0.07, 0.00, 0.00, 0.55, 0.38, 0.0),
        (0.12, 0.00, 0.03, 0.60, 0.25, 0.0),
        (0.15, 0.05, 0.20, 0.55, 0.05, 0.0),
        (0.35, 0.15, 0.45, 0.05, 0.00, 0.0),
        (0.60, 0.30, 0.10, 0.00, 0.00, 0.0),
        (0.60, 0.33, 0.07, 0.00, 0.00, 0.0),
        (0.58, 0.35, 0.07, 0.00, 0.00, 0.0),
        (0.45, 0.35, 0.15, 0.05, 0.00, 0.0),
        (0.20, 0.20, 0.35, 0.25, 0.00, 0.0),
        (0.10, 0.05, 0.10, 0.60, 0.15, 0.0),
        (0.05, 0.00, 0.02, 0.58, 0.35, 0.0),
    ],
    # Lapland, Murmansk coast, Yakutia (ET/Dfd). WMO normals (Murmansk, Yakutsk); Lydolph: snow
    # October-May, a short wet summer on thawed ground.
    schema.Climate.arctic: [
        (0.05, 0.00, 0.00, 0.55, 0.40, 0.0),
        (0.05, 0.00, 0.00, 0.55, 0.40, 0.0),
        (0.07, 0.00, 0.00, 0.63, 0.30, 0.0),
        (0.10, 0.00, 0.00, 0.75, 0.15, 0.0),
        (0.15, 0.05, 0.15, 0.60, 0.05, 0.0),
        (0.35, 0.25, 0.30, 0.10, 0.00, 0.0),
        (0.50, 0.35, 0.15, 0.00, 0.00, 0.0),
        (0.45, 0.40, 0.15, 0.00, 0.00, 0.0),
        (0.30, 0.35, 0.20, 0.15, 0.00, 0.0),
        (0.10, 0.10, 0.10, 0.65, 0.05, 0.0),
        (0.05, 0.00, 0.00, 0.70, 0.25, 0.0),
        (0.05, 0.00, 0.00, 0.60, 0.35, 0.0),
    ],
    # Mediterranean coasts (Csa: Rome, Athens, Algiers). WMO normals: 8-12 rain days a month
    # November-February, 0-2 in July-August; the Italian winter mud of 1943-44.
    schema.Climate.mediterranean: [
        (0.55, 0.30, 0.10, 0.05, 0.00, 0.00),
        (0.55, 0.30, 0.10, 0.05, 0.00, 0.00),
        (0.62, 0.28, 0.08, 0.02, 0.00, 0.00),
        (0.70, 0.25, 0.05, 0.00, 0.00, 0.00),
        (0.80, 0.18, 0.02, 0.00, 0.00, 0.00),
        (0.88, 0.10, 0.00, 0.00, 0.00, 0.02),
        (0.90, 0.05, 0.00, 0.00, 0.00, 0.05),
        (0.88, 0.07, 0.00, 0.00, 0.00, 0.05),
        (0.85, 0.13, 0.02, 0.00, 0.00, 0.00),
        (0.70, 0.23, 0.07, 0.00, 0.00, 0.00),
        (0.55, 0.32, 0.13, 0.00, 0.00, 0.00),
        (0.52, 0.32, 0.12, 0.04, 0.00, 0.00),
    ],
    # Deserts and steppe-deserts: North Africa, the Levant, Iraq, Iran, Central Asia, the Gobi
    # (BWh/BWk). WMO normals: 0-5 rain days a month, mostly in winter; summer maxima above 40 °C
    # in the hot deserts; cold snaps and snow in the Gobi and Central Asian winter. One zone
    # covers both, so hot summers and cold winters are each a minority state.
    schema.Climate.arid: [
        (0.80, 0.08, 0.02, 0.05, 0.05, 0.00),
        (0.82, 0.08, 0.02, 0.04, 0.04, 0.00),
        (0.88, 0.08, 0.02, 0.02, 0.00, 0.00),
        (0.92, 0.06, 0.02, 0.00, 0.00, 0.00),
        (0.90, 0.04, 0.00, 0.00, 0.00, 0.06),
        (0.80, 0.02, 0.00, 0.00, 0.00, 0.18),
        (0.75, 0.02, 0.00, 0.00, 0.00, 0.23),
        (0.75, 0.02, 0.00, 0.00, 0.00, 0.23),
        (0.85, 0.02, 0.00, 0.00, 0.00, 0.13),
        (0.93, 0.05, 0.02, 0.00, 0.00, 0.00),
        (0.88, 0.07, 0.02, 0.02, 0.01, 0.00),
        (0.82, 0.08, 0.02, 0.04, 0.04, 0.00),
    ],
    # Yangtze valley, south China, southern Japan (Cfa: Shanghai, Hankow, Canton). Domrös & Peng:
    # spring rains from April, the plum rains mid-June to mid-July, typhoons August-September,
    # dry sunny autumn and a cool, mostly dry winter; WMO normals: 10-16 rain days April-
    # September. Roads of 1939 China (unpaved) turned to mud in the rains.
    schema.Climate.subtropical: [
        (0.65, 0.25, 0.05, 0.05, 0.00, 0.00),
        (0.60, 0.30, 0.06, 0.04, 0.00, 0.00),
        (0.55, 0.35, 0.10, 0.00, 0.00, 0.00),
        (0.50, 0.38, 0.12, 0.00, 0.00, 0.00),
        (0.45, 0.38, 0.17, 0.00, 0.00, 0.00),
        (0.30, 0.40, 0.30, 0.00, 0.00, 0.00),
        (0.40, 0.35, 0.20, 0.00, 0.00, 0.05),
        (0.50, 0.32, 0.13, 0.00, 0.00, 0.05),
        (0.60, 0.28, 0.12, 0.00, 0.00, 0.00),
        (0.75, 0.20, 0.05, 0.00, 0.00, 0.00),
        (0.75, 0.20, 0.05, 0.00, 0.00, 0.00),
        (0.70, 0.22, 0.05, 0.03, 0.00, 0.00),
    ],
    # Burma, Tonkin, Assam (Am/Cwa: Rangoon, Mandalay, Hanoi). Ramage: the south-west monsoon
    # breaks in mid-May and lasts to October (Rangoon: 20-25 rain days a month June-August, the
    # Burma Road cut by slides); November-April dry, with pre-monsoon heat in April-May.
    schema.Climate.monsoon: [
        (0.92, 0.08, 0.00, 0.00, 0.00, 0.00),
        (0.92, 0.08, 0.00, 0.00, 0.00, 0.00),
        (0.88, 0.08, 0.00, 0.00, 0.00, 0.04),
        (0.78, 0.12, 0.02, 0.00, 0.00, 0.08),
        (0.50, 0.30, 0.15, 0.00, 0.00, 0.05),
        (0.12, 0.45, 0.43, 0.00, 0.00, 0.00),
        (0.10, 0.45, 0.45, 0.00, 0.00, 0.00),
        (0.10, 0.45, 0.45, 0.00, 0.00, 0.00),
        (0.20, 0.45, 0.35, 0.00, 0.00, 0.00),
        (0.50, 0.35, 0.15, 0.00, 0.00, 0.00),
        (0.80, 0.17, 0.03, 0.00, 0.00, 0.00),
        (0.90, 0.10, 0.00, 0.00, 0.00, 0.00),
    ],
    # Malaya, Cochinchina, Hainan, south Formosa (Af/Aw: Singapore, Saigon). WMO normals: 10-20
    # rain days every month at Singapore, the north-east monsoon rains November-January on the
    # Malayan east coast; Saigon wet May-October. Heat is constant, not an extreme state.
    schema.Climate.tropical: [
        (0.55, 0.33, 0.12, 0.00, 0.00, 0.00),
        (0.65, 0.28, 0.07, 0.00, 0.00, 0.00),
        (0.65, 0.30, 0.05, 0.00, 0.00, 0.00),
        (0.55, 0.38, 0.07, 0.00, 0.00, 0.00),
        (0.45, 0.42, 0.13, 0.00, 0.00, 0.00),
        (0.40, 0.42, 0.18, 0.00, 0.00, 0.00),
        (0.40, 0.42, 0.18, 0.00, 0.00, 0.00),
        (0.40, 0.42, 0.18, 0.00, 0.00, 0.00),
        (0.35, 0.45, 0.20, 0.00, 0.00, 0.00),
        (0.40, 0.42, 0.18, 0.00, 0.00, 0.00),
        (0.45, 0.38, 0.17, 0.00, 0.00, 0.00),
        (0.50, 0.35, 0.15, 0.00, 0.00, 0.00),
    ],
    # Mountains and plateaux: Alps, Anatolia, Caucasus, Yunnan, Tibet (H). WMO normals (Erzurum,
    # Kars, Tbilisi, Kunming): long snowy winters above ~1,000 m, thaw mud in April, summer storms.
    schema.Climate.highland: [
        (0.30, 0.05, 0.00, 0.45, 0.20, 0.0),
        (0.30, 0.05, 0.02, 0.45, 0.18, 0.0),
        (0.35, 0.12, 0.13, 0.35, 0.05, 0.0),
        (0.40, 0.25, 0.25, 0.10, 0.00, 0.0),
        (0.55, 0.33, 0.12, 0.00, 0.00, 0.0),
        (0.65, 0.30, 0.05, 0.00, 0.00, 0.0),
        (0.70, 0.27, 0.03, 0.00, 0.00, 0.0),
        (0.70, 0.27, 0.03, 0.00, 0.00, 0.0),
        (0.70, 0.25, 0.05, 0.00, 0.00, 0.0),
        (0.55, 0.28, 0.12, 0.05, 0.00, 0.0),
        (0.40, 0.18, 0.10, 0.27, 0.05, 0.0),
        (0.30, 0.07, 0.03, 0.45, 0.15, 0.0),
    ],
}

# Chance the zone's rivers (and lakes) bear ice a force can cross, by month (Jan..Dec).
_FROZEN: dict[schema.Climate, tuple[float, ...]] = {
    # Vistula, Oder, Elbe freeze over only in hard winters (1940, 1942); the Rhine almost never.
    # DA Pam 20-290; WMO normals (days with mean below 0 °C).
    schema.Climate.temperate: (0.25, 0.20, 0.05, 0, 0, 0, 0, 0, 0, 0, 0.02, 0.10),
    # DA Pam 20-290: Dnieper, Don, Volga frozen from late November-December to late March-April
    # (Volga at Stalingrad ~25 Nov-5 Apr); ice bears infantry from ~10 cm, tanks from ~60 cm.
    schema.Climate.continental: (0.92, 0.92, 0.60, 0.08, 0, 0, 0, 0, 0, 0.02, 0.30, 0.75),
    # DA Pam 20-290: the Ladoga ice road ran 22 Nov 1941-24 Apr 1942; Neva, Svir, Karelian lakes
    # frozen November-April (the Winter War was fought across frozen lakes, Dec 1939-Mar 1940).
    schema.Climate.subarctic: (0.98, 0.98, 0.92, 0.60, 0.12, 0, 0, 0, 0, 0.10, 0.60, 0.90),
    # Lydolph: Arctic rivers frozen October-May/June.
    schema.Climate.arctic: (1.0, 1.0, 1.0, 0.95, 0.70, 0.15, 0, 0, 0.02, 0.35, 0.85, 0.98),
    schema.Climate.mediterranean: (0,) * 12,
    # Syr Darya, Amu Darya, upper Yellow River (Ningsia) freeze in mid-winter; the Nile, Tigris
    # and Euphrates never: one arid zone, so a low chance (Lydolph; Domrös & Peng).
    schema.Climate.arid: (0.20, 0.12, 0.02, 0, 0, 0, 0, 0, 0, 0, 0.02, 0.12),
    # Domrös & Peng: the Huai and lower Yangtze do not freeze over.
    schema.Climate.subtropical: (0,) * 12,
    schema.Climate.monsoon: (0,) * 12,
    schema.Climate.tropical: (0,) * 12,
    # Mountain rivers run fast under ice only at altitude (Kars, Erzurum: Dec-Mar), WMO normals.
    schema.Climate.highland: (0.45, 0.40, 0.15, 0, 0, 0, 0, 0, 0, 0, 0.05, 0.30),
}

WEATHER_PROB = np.asarray([_TABLE[c] for c in CLIMATES], np.float64)  # [C, 12, N_WEATHER]
FROZEN_PROB = np.asarray([_FROZEN[c] for c in CLIMATES], np.float64)  # [C, 12]
assert WEATHER_PROB.shape == (N_CLIMATES, 12, N_WEATHER)
assert np.allclose(WEATHER_PROB.sum(axis=2), 1.0), "a climatology row does not sum to 1"


def weather_cdf(prob: np.ndarray = WEATHER_PROB) -> np.ndarray:
    """Cumulative rows flattened for the compiled rule: ``[climate * 12 + month - 1, state]``."""
    cdf = np.cumsum(prob, axis=2).reshape(-1, prob.shape[2])
    cdf[:, -1] = 1.0  # guard against rounding: every draw in [0, 1) lands in a state
    return np.ascontiguousarray(cdf)


def frozen_flat(prob: np.ndarray = FROZEN_PROB) -> np.ndarray:
    """Freezing chances flattened like :func:`weather_cdf`: ``[climate * 12 + month - 1]``."""
    return np.ascontiguousarray(prob.reshape(-1), np.float64)


def month_of_day(start: dt.date, n_days: int) -> np.ndarray:
    """Calendar month (1-12) of each scenario day from ``start``."""
    return np.asarray([(start + dt.timedelta(days=d)).month for d in range(n_days)], np.int64)


def winter_of_day(start: dt.date, n_days: int) -> np.ndarray:
    """Index (from 0) of the July-June season each day belongs to: one winter per index."""

    def season(d: dt.date) -> int:
        return d.year if d.month >= 7 else d.year - 1

    first = season(start)
    return np.asarray(
        [season(start + dt.timedelta(days=d)) - first for d in range(n_days)], np.int64
    )
