"""The diplomacy model's scenario data (world_1939/alignment) and what it says on hand-set wars.

These are verdicts of the pure model on snapshots set by hand, not ensemble results.
"""

from __future__ import annotations

import functools
import math

import pytest

from twinvipers.rules import alignment as A
from twinvipers.scenario import alignment as AL
from twinvipers.scenario import schema
from twinvipers.scenario.errors import ScenarioError
from twinvipers.scenario.load import load

#: The powers the issue asks the model to cover.
ISSUE_POWERS = [
    "ITA",
    "USA",
    "TUR",
    "SPA",
    "POR",
    "SWE",
    "NOR",
    "DEN",
    "BEL",
    "HOL",
    "LUX",
    "ROM",
    "HUN",
    "BUL",
    "YUG",
    "GRE",
    "IRN",
    "EST",
    "LAT",
    "LIT",
    "CHN",
    "JAP",
    "SOV",
]
HISTORY = [["GER", "ITA"], ["FRA", "POL"], ["JAP", "MAN"]]
TWIN_VIPERS = [*HISTORY, ["GER", "SOV"]]
WEST = [("GBR", "GER"), ("FRA", "GER")]
SOVIET_WARS = [("GBR", "SOV"), ("FRA", "SOV"), ("SOV", "JAP")]
LOW_COUNTRIES = {t: "FRA" for t in ("POL", "NOR", "DEN", "HOL", "BEL")}


@functools.cache
def world() -> schema.Scenario:
    return load("world_1939").scenario


@functools.cache
def arrays() -> AL.AlignmentArrays:
    return AL.compile_alignment(world())


def history(month: str) -> AL.WarState:
    """History's war as Italy saw it: September 1939, October 1939, June 1940 (France falling)."""
    sc = world()
    if month == "sep39":
        return AL.war_state(sc, wars=[("GER", "POL"), *WEST], alliances=HISTORY)
    if month == "oct39":
        return AL.war_state(sc, wars=WEST, capitulated=["POL"], alliances=HISTORY,
                            fought_beside={"POL": "FRA"})  # fmt: skip
    if month == "apr40":
        return AL.war_state(sc, wars=[*WEST, ("NOR", "GER")], capitulated=["POL", "DEN"],
                            alliances=HISTORY, fought_beside={"POL": "FRA"})  # fmt: skip
    return AL.war_state(sc, wars=WEST, capitulated=list(LOW_COUNTRIES), alliances=HISTORY,
                        strength={"FRA": 0.25}, taken={"paris": "GER"},
                        fought_beside=LOW_COUNTRIES)  # fmt: skip


def twin_vipers(france_falling: bool) -> AL.WarState:
    """The seed's war: Germany and the USSR allied against Britain and France; USSR v Japan."""
    return AL.war_state(
        world(), wars=[*WEST, *SOVIET_WARS], capitulated=["POL"], alliances=TWIN_VIPERS,
        strength={"FRA": 0.25} if france_falling else None, fought_beside={"POL": "FRA"},
    )  # fmt: skip


def italy(state: AL.WarState) -> AL.Decision:
    return AL.evaluate_power(arrays(), world(), state, "ITA", "GER")


def test_every_power_the_issue_names_has_stakeholders():
    covered = {a.power for a in world().alignment}
    assert set(ISSUE_POWERS) <= covered
    ita = next(a for a in world().alignment if a.power == "ITA")
    assert {k.id for k in ita.stakeholders} == {
        "mussolini", "king", "ciano", "army", "industry", "church",
    }  # fmt: skip


def test_every_figure_is_a_sourced_assumption_with_a_range():
    sc = world()
    bib = set(sc.meta.sources) | {c.id for c in sc.bibliography}
    named = AL.assumptions(sc)
    ids = [a.id for a in named]
    assert len(ids) == len(set(ids)) > 300
    for a in named:
        assert a.source, a.id
        # A single token must be a bibliography key; free text names its source in words.
        assert " " in a.source.strip() or a.source in bib, a.id
        assert schema.in_support(a.dist, a.canon)
    assert {f"diplo_{n}" for n in A.WEIGHT_NAMES} <= set(ids)
    assert "ita_mussolini_position_ger" in ids


def test_compiled_arrays_follow_the_data_and_take_assumption_values():
    arr = arrays()
    ita = arr.pix("ITA")
    k = arr.sh_ids.index("ITA.mussolini")
    assert arr.sh_power[k] == ita
    assert arr.sh_weight[k] == 60 * 95
    assert arr.sh_pos[k, arr.pix("GER")] == 75
    assert math.isnan(arr.sh_pos[k, arr.pix("USA")])
    assert arr.readiness[ita] == 0.26
    assert arr.claim[ita, arr.regions.index("tunis")] == 0.25
    moved = AL.compile_alignment(world(), {"ita_mussolini_position_ger": 90.0, "diplo_spoils": 1.0})
    assert moved.sh_pos[k, arr.pix("GER")] == 90
    assert moved.weights[A.T_SPOILS] == 1.0


def _bad(tmp_path, body: str) -> str:
    (tmp_path / "meta.yaml").write_text(
        "id: bad\nname: Bad\nstart: 1939-06-27\nend: 1939-12-31\nextends: world_1939\n"
    )
    (tmp_path / "alignment.yaml").write_text(
        "- id: ita\n  power: ITA\n  source: dip_knox\n  stakeholders:\n"
        "    - id: duce\n      name: Mussolini\n      capability: [1, 2, 3]\n"
        "      salience: [1, 2, 3]\n" + body
    )
    with pytest.raises(ScenarioError) as err:
        load(tmp_path)
    return str(err.value)


def test_an_unknown_power_or_region_in_the_data_is_a_located_error(tmp_path):
    text = _bad(tmp_path, "      positions: {GRR: [1, 2, 3]}\n  claims: {nizza: 0.5}\n")
    assert "alignment.yaml:9" in text and "unknown power 'GRR'" in text and "'GER'" in text
    assert "alignment.yaml:10" in text and "unknown region 'nizza'" in text


def test_an_estimate_out_of_order_is_a_located_error(tmp_path):
    text = _bad(tmp_path, "  readiness: [0.3, 0.2, 0.4]\n")
    assert "alignment.yaml:9" in text and "low <= best <= high" in text


def test_italy_under_history_stays_out_until_france_falls():
    sep, octo, june = italy(history("sep39")), italy(history("oct39")), italy(history("jun40"))
    # The sides as Italy expects them: itself counted beside its ally (weighed without it).
    assert sep.sides == (["GER", "ITA"], ["GBR", "FRA", "POL"])
    assert sep.probability[A.SIDE_A] < 0.15 and octo.probability[A.SIDE_A] < 0.2
    assert june.probability[A.SIDE_A] > 0.5  # joins Germany: 10 June 1940
    assert june.probability[A.SIDE_B] < 0.01
    # What moved it: the collapse of France and the spoils now within reach.
    moved = {n: june.factors(1)[n] - octo.factors(1)[n] for n in A.TERM_NAMES}
    assert max(moved, key=moved.get) == "collapse"
    assert moved["spoils"] > 0 and moved["readiness"] > 0


def test_italy_honours_the_pact_of_steel_rarely_in_september_1939():
    d = italy(history("sep39"))
    w = arrays().weights
    du = d.utility[A.SIDE_A] - d.utility[A.NEUTRAL]
    assert A.honour_probability(w[A.W_HONOUR], w[A.W_HONOUR_SLOPE], du) < 0.2


def test_the_berlin_moscow_alliance_keeps_italy_out_where_history_s_alignment_did_not():
    hist, tv = italy(history("jun40")), italy(twin_vipers(france_falling=True))
    assert "SOV" in tv.sides[0]
    assert tv.probability[A.SIDE_A] < 0.5 < hist.probability[A.SIDE_A]
    # The stakeholders' verdict on fighting beside Germany and the USSR together is lower,
    # and the ideology term turns against the alliance.
    assert tv.positions[A.SIDE_A] < hist.positions[A.SIDE_A] - 10
    assert tv.factors(1)["ideology"] < 0 < hist.factors(1)["ideology"]
    # Without France falling, the seed's Italy stays out in most runs.
    assert italy(twin_vipers(france_falling=False)).probability[A.SIDE_A] < 0.1
    # An Allied bribe (FDR's offer of 26 May 1940, 'all reasonable Italian claims') for staying
    # out lowers the chance further.
    bribed = twin_vipers(france_falling=True)
    bribed.offers[arrays().pix("ITA"), A.NEUTRAL] = 0.5
    assert italy(bribed).probability[A.SIDE_A] < tv.probability[A.SIDE_A]


@pytest.mark.parametrize("month", ["sep39", "oct39", "apr40"])
def test_history_s_neutrals_stay_out_through_april_1940(month):
    state = history(month)
    for power in ("ITA", "SPA", "TUR", "SWE", "USA", "POR", "ROM", "HUN", "BUL", "YUG", "GRE"):
        d = AL.evaluate_power(arrays(), world(), state, power, "GER")
        assert d.probability[A.NEUTRAL] >= 0.8, (power, d.probability)


def test_the_baltic_states_accept_the_soviet_pacts():
    sc = world()
    cap = AL.capability(arrays(), sc)
    w = arrays().weights
    demand = 0.2  # bases and 20,000-25,000 troops, sovereignty kept on paper (dip_baltic_pacts)
    for t in ("EST", "LAT", "LIT"):
        p = A.accept_demand_probability(cap[arrays().pix(t)], cap[arrays().pix("SOV")], demand,
                                        w[A.W_TEMPERATURE], w[A.W_WIN_EXPONENT])  # fmt: skip
        assert p >= 0.8, t


def test_britain_refuses_terms_after_france_falls_because_it_distrusts_germany():
    arr, sc = arrays(), world()
    state = history("jun40")
    cap = AL.capability(arr, sc) * state.strength
    side = A.war_sides(state.at_war, state.capitulated, arr.pix("GER"))
    p_gbr = 1.0 - A.win_chance(cap, side, arr.weights[A.W_WIN_EXPONENT])
    distrust = max(0.0, -arr.affinity[arr.pix("GBR"), arr.pix("GER")])
    gbr_will = next(a.will for a in sc.alignment if a.power == "GBR")
    assert A.seek_terms_probability(p_gbr, gbr_will, distrust, arr.weights) < 0.05
    # Even at odds far bleaker than its capability says (0.15, hypothetical), Britain's will and
    # distrust of Hitler's word keep it from asking where a power of ordinary resolve would ask.
    british = A.seek_terms_probability(0.15, gbr_will, distrust, arr.weights)
    ordinary = A.seek_terms_probability(0.15, 1.0, 0.0, arr.weights)
    assert british < 0.3 < 0.6 < ordinary


def test_check_data_finds_a_stakeholder_without_a_source():
    from twinvipers.scenario import checks

    sc = world().model_copy(deep=True)
    assert checks.unsourced_alignment(sc) == []
    ita = next(a for a in sc.alignment if a.power == "ITA")
    ita.source = None
    ita.stakeholders[0].source = None
    found = checks.unsourced_alignment(sc)
    # Its figures keep their per-field sources; the Duce's stance is now unsourced.
    assert len(found) == 1 and found[0].subject.endswith("ita stakeholders[0] mussolini")


def test_the_model_is_silent_for_powers_the_scripts_decide():
    sc = load("historical_1939").scenario
    tags = [p.id for p in sc.powers]
    scripted = {t for t, x in zip(tags, AL.scripted_powers(sc), strict=True) if x}
    assert {"GER", "GBR", "FRA", "SOV"} <= scripted
    assert not scripted & {"ITA", "SPA", "TUR", "SWE", "USA", "EST"}
    assert not AL.scripted_powers(world()).any()  # world_1939 scripts nothing


# --- the figures as assumptions a run draws (free diplomacy) -----------------------------------


def test_free_diplomacy_samples_every_figure_and_sensitivity_sees_them(tmp_path):
    from twinvipers.analysis import sensitivity
    from twinvipers.scenario.compile import compile_scenario

    sc = world()
    figures = AL.assumptions(sc)
    assert len(figures) == len(AL.figures(sc)) == 592
    off = compile_scenario(load("historical_1939").scenario)
    assert not AL.diplomacy_on(off.scenario)
    assert (off.world.dp_fig_slot == -1).all()
    on_dir = tmp_path / "on"
    on_dir.mkdir()
    (on_dir / "meta.yaml").write_text(
        "id: free_on\nname: Free on\nextends: historical_1939\nstart: 1939-06-27\nend: 1940-04-30\n"
    )
    (on_dir / "parameters.yaml").write_text("diplomacy_free: 1\n")
    on = compile_scenario(load(on_dir).scenario)
    ids = [a.id for a in on.assumptions]
    assert ids[len(off.assumptions) :] == [a.id for a in figures]
    # Each figure has its parameter slot, in the order of AL.figures.
    slots = on.world.dp_fig_slot
    assert (slots >= 0).all() and len(set(slots.tolist())) == len(slots)
    # The powers it decides for: those with data whose wars no script decides.
    decided = AL.decided_powers(on.scenario)
    assert {"ITA", "SPA", "TUR", "USA", "SWE"} <= set(decided)
    assert not {"GBR", "FRA", "SOV", "GER"} & set(decided)
    assert AL.decided_powers(off.scenario) == []
    ranged = [a for a in figures if "triangular" in a.dist.model_dump(exclude_none=True)]
    names = sensitivity.problem(on.assumptions)["names"]
    assert {a.id for a in ranged} <= set(names) and len(ranged) > 500


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("{by: GER, to: GER, bribe: 0.2}", "makes an offer to itself"),
        ("{by: GBR, to: ITA, bribe: 1.5}", "bribe 1.5 must lie in 0 to 1"),
        ("{by: GBR, to: ITA, regions: [nizza]}", "unknown region 'nizza'"),
    ],
)
def test_a_mistaken_offer_is_a_located_error(tmp_path, spec, says):
    d = tmp_path / "s"
    d.mkdir()
    (d / "meta.yaml").write_text(
        "id: s\nname: S\nextends: historical_1939\nstart: 1939-06-27\nend: 1940-04-30\n"
    )
    (d / "events.yaml").write_text(
        "- id: an_offer\n  description: An offer.\n  source: dip_crawford\n"
        f"  trigger: {{date: 1939-09-01}}\n  effects:\n    - offer: {spec}\n"
    )
    with pytest.raises(ScenarioError) as exc:
        load(d)
    text = "\n".join(str(e) for e in exc.value.errors)
    assert says in text and "events.yaml:" in text


def test_a_scenario_sets_a_figure_s_range_by_declaring_its_assumption(tmp_path):
    from tests.conftest import ROOT, scenario_variant
    from twinvipers.rules import params
    from twinvipers.scenario.compile import compile_scenario

    toy = ROOT / "tests" / "scenarios" / "free_diplomacy"
    mine = (
        "- id: neu_ruler_position_red\n  description: The ruler's stance beside RED, argued.\n"
        "  dist: {uniform: [80, 90]}\n  source: test\n"
    )
    c = compile_scenario(load(scenario_variant(tmp_path, toy, "mine", assumptions=mine)).scenario)
    ids = [a.id for a in c.assumptions]
    assert ids.count("neu_ruler_position_red") == 1
    j = ids.index("neu_ruler_position_red")
    assert c.assumptions[j].dist.model_dump(mode="json", exclude_none=True) == {
        "uniform": [80.0, 90.0]
    }
    figs = AL.figures(c.scenario)
    f = [k for k, fig in enumerate(figs) if fig[0] == "neu_ruler_position_red"][0]
    assert c.world.dp_fig_slot[f] == params.N_PARAMS + j
