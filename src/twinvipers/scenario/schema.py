"""Typed scenario models (pydantic v2): pure data, names, no engine logic.

One exception by design: each scripted effect (an ``EffectModel``) also names its effect opcodes
and writes itself into the World's effect columns, so that an effect's schema, code and compile
step live in one class (the registry ``EFFECTS``; ``rules.events.apply_effect`` applies them).

A scenario is a folder of YAML files. Each top-level file maps to one field of
:class:`Scenario` (``meta.yaml`` → ``meta``, ``regions.yaml`` → ``regions``, …).
Every entity may name its sources: ``source`` (a key of ``meta.sources`` or a
free-text citation) for the whole entity and ``sources`` per field.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
import typing
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal, NamedTuple, Protocol, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from twinvipers.rules import codes

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
TAG_PATTERN = r"^[A-Z][A-Z0-9]{1,4}$"

RegionId = Annotated[str, Field(pattern=ID_PATTERN)]
PowerTag = Annotated[str, Field(pattern=TAG_PATTERN)]
EntityId = Annotated[str, Field(pattern=ID_PATTERN)]
NonNeg = Annotated[float, Field(ge=0)]

#: A scenario's calendar: dates in these years, and at most this many years long (the engine
#: steps day by day; a typo such as 9999 would otherwise run for hours).
YEARS = (1800, 2100)
MAX_YEARS = 30


def amount(hi: float, unit: str, lo: float = 0.0) -> Any:
    """A finite number from ``lo`` to ``hi`` of ``unit``; an error names the unit.

    The bounds are generous (several times the largest 1939-45 figure) and only keep out typos
    and absurd values that would overflow the engine's arrays or make nonsense of its sums.
    """

    def check(v: float) -> float:
        if not lo <= v <= hi:
            raise ValueError(f"{v:g} {unit} is outside the range {lo:g} to {hi:g} {unit}")
        return v

    return Annotated[
        float, AfterValidator(check), Field(json_schema_extra={"minimum": lo, "maximum": hi})
    ]


#: Bounds of ``set`` effects, the same as the fields they set (see Region and Power).
VP_MAX, INDUSTRY_MAX = 1_000.0, 10_000.0
SET_BOUNDS = {
    "will": (0.0, 2.0),
    "initiative": (0.0, 1.0),
    "fort": (0.0, 5.0),
    "vp": (0.0, VP_MAX),
    "industry": (0.0, INDUSTRY_MAX),
}


@functools.cache
def _shape(annotation: Any) -> tuple[bool, bool]:
    """(accepts a bool, holds a model) for a field's type annotation."""
    if annotation is bool or annotation is Any:
        return True, False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return False, True
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Annotated:
        args = args[:1]
    elif typing.get_origin(annotation) is Literal:
        return any(isinstance(a, bool) for a in args), False
    shapes = [_shape(a) for a in args if not isinstance(a, (str, int, float, types.NoneType))]
    return any(b for b, _ in shapes), any(m for _, m in shapes)


def _holds_bool(v: Any) -> bool:
    if isinstance(v, bool):
        return True
    if isinstance(v, (list, tuple)):
        return any(_holds_bool(x) for x in v)
    if isinstance(v, dict):
        return any(_holds_bool(x) for x in v.values())
    return False


class Model(BaseModel):
    """Base: unknown keys are errors, values are checked on assignment, numbers are finite."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, frozen=False, allow_inf_nan=False
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_numbers(cls, v: Any, info: ValidationInfo) -> Any:
        # pydantic reads YAML's true as 1 in a number field; a scenario means no such thing.
        if info.field_name is None or not isinstance(v, (bool, list, tuple, dict)):
            return v
        takes_bool, holds_model = _shape(cls.model_fields[info.field_name].annotation)
        if not takes_bool and (isinstance(v, bool) or (not holds_model and _holds_bool(v))):
            raise ValueError("true/false is not allowed here (a number or a name is)")
        return v


class Sourced(Model):
    """An entity whose figures name where they come from."""

    source: str | None = Field(
        None, description="Citation for the entity's figures: a key of meta.sources or free text."
    )
    sources: dict[str, str] = Field(
        default_factory=dict, description="Per-field citations: field name → key or free text."
    )


class Terrain(StrEnum):
    """Terrain classes (Dupuy's QJM terrain rows, plus the 1939 map's needs)."""

    plains = "plains"
    steppe = "steppe"
    desert = "desert"
    forest = "forest"
    taiga = "taiga"
    tundra = "tundra"
    hills = "hills"
    mountains = "mountains"
    marsh = "marsh"
    jungle = "jungle"
    urban = "urban"


class Climate(StrEnum):
    """Climate zones used by the weather rule (per zone and month)."""

    temperate = "temperate"
    continental = "continental"
    subarctic = "subarctic"
    arctic = "arctic"
    mediterranean = "mediterranean"
    arid = "arid"
    monsoon = "monsoon"
    subtropical = "subtropical"
    tropical = "tropical"
    highland = "highland"


class River(StrEnum):
    """River-crossing class of a land edge."""

    none = "none"
    minor = "minor"
    major = "major"


class DivisionType(StrEnum):
    """Division types of a land force."""

    infantry = "infantry"
    cavalry = "cavalry"
    motorised = "motorised"
    armoured = "armoured"
    mountain = "mountain"
    garrison = "garrison"


class ShipClass(StrEnum):
    """Warship classes of a fleet."""

    battleship = "battleship"
    battlecruiser = "battlecruiser"
    carrier = "carrier"
    heavy_cruiser = "heavy_cruiser"
    light_cruiser = "light_cruiser"
    destroyer = "destroyer"
    submarine = "submarine"


class Meta(Sourced):
    """Scenario identity, calendar and bibliography."""

    id: EntityId
    name: str
    description: str = ""
    start: dt.date
    end: dt.date
    extends: str | None = Field(
        None, description="Name of a shipped scenario or a relative folder this one builds on."
    )
    sources: dict[str, str] = Field(
        default_factory=dict, description="Bibliography: citation key → full reference."
    )
    camps: dict[str, str] = Field(
        default_factory=dict,
        description="Display colour (#rrggbb) for each camp named by powers, for maps.",
    )
    snapshot_every: int = Field(7, ge=1, le=31, description="Days between control snapshots.")
    diverges: dt.date | None = Field(
        None,
        description="Point of divergence: from this day the run is in free mode - the powers' "
        "high commands make the operational and strategic decisions the scripts made (scripted "
        "offensives and redeployments are ignored; war declarations and peace stay scripted).",
    )

    @field_validator("diverges")
    @classmethod
    def _diverges_within(cls, d: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start, end = info.data.get("start"), info.data.get("end")
        if d is not None and start is not None and end is not None and not start <= d <= end:
            raise ValueError(f"diverges {d} must lie within the scenario, {start} to {end}")
        return d

    @field_validator("start", "end")
    @classmethod
    def _in_years(cls, d: dt.date) -> dt.date:
        if not YEARS[0] <= d.year <= YEARS[1]:
            raise ValueError(f"{d} is outside the years {YEARS[0]} to {YEARS[1]}")
        return d

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(f"end {end} must be after start {start}")
        if start is not None and (end - start).days > 366 * MAX_YEARS:
            raise ValueError(f"a scenario lasts at most {MAX_YEARS} years ({start} to {end})")
        return end


#: Bounds of a high command's doctrine figures (number or assumption; logic.py checks draws).
DOCTRINE_BOUNDS = {
    "aggressiveness": (0.0, 1.0),
    "risk_tolerance": (0.0, 1.0),
    "competence": (0.1, 2.0),
}


class Power(Sourced):
    """A state: who governs it, what it can mobilise (COW NMC figures), how it gives up."""

    id: PowerTag
    name: str
    government: str = ""
    head_of_state: str = ""
    head_of_government: str = ""
    ideology: str = ""
    capital: RegionId
    camp: str = Field("neutral", description="Side shown on maps (e.g. allies, axis, comintern).")
    color: str = Field("#999999", pattern=r"^#[0-9a-fA-F]{6}$")
    population: amount(2e6, "thousand people") | None = Field(
        None, description="Total population, thousands (COW tpop)."
    )
    urban_population: amount(2e6, "thousand people") | None = Field(
        None, description="Thousands (COW upop)."
    )
    iron_steel: amount(1e6, "thousand tons a year") | None = Field(
        None, description="Thousand tons a year (COW irst)."
    )
    energy: amount(1e8, "thousand coal-ton equivalents") | None = Field(
        None, description="Thousand coal-ton equivalents (COW pec)."
    )
    military_personnel: amount(1e5, "thousand men") | None = Field(
        None, description="Thousands (COW milper)."
    )
    military_spending: amount(1e10, "thousand US$") | None = Field(
        None, description="Thousands of current US$ (COW milex)."
    )
    cinc: amount(1.0, "(a share of the world)") | None = Field(
        None, description="COW composite index of national capability."
    )
    will: float = Field(1.0, ge=0, le=2, description="National will (1 = ordinary resolve).")
    command_cev: Number = Field(
        1.0,
        description="Multiplier on the combat power of all the power's forces for the quality "
        "of its command (e.g. the Red Army after the purges); a number or an assumption.",
    )
    surrender_share: Number = Field(
        1.0,
        description="Share of the men of a cut-off, beaten force, or overrun in their "
        "positions, who surrender; the cut-off rest fight on and fall (e.g. the Japanese army's "
        "refusal to surrender), the overrun rest see stand_fast; a number or an assumption.",
    )
    stand_fast: Number = Field(
        0.0,
        description="Share of the men overrun in their positions who do not surrender and stand "
        "and fall there rather than fall back with their unit (the Japanese army: 1); a number "
        "or an assumption.",
    )
    casualty_multiplier: Number = Field(
        1.0,
        description="Multiplier on the power's own daily battle casualty rates (Dupuy's "
        "national factor: Russian and Japanese rates x2 in 1900-45); a number or an assumption.",
    )

    @field_validator("command_cev", "surrender_share", "stand_fast", "casualty_multiplier")
    @classmethod
    def _in_range(cls, v: Any, info: ValidationInfo) -> Any:
        hi = 1.0 if info.field_name in ("surrender_share", "stand_fast") else 3.0
        if isinstance(v, float) and not 0.0 <= v <= hi:
            raise ValueError(f"must lie in 0..{hi}")
        return v

    total_divisions: amount(10_000, "divisions") | None = Field(
        None, description="Stated divisional total, cross-checked by check-data."
    )
    initiative: bool = Field(
        True,
        description="Its command may open offensives of its own choosing and local attacks; "
        "false: it holds and attacks only where the scenario's events order it (a doctrine).",
    )
    gauge: Literal["standard", "russian", "other"] = Field(
        "standard", description="Track gauge of its rolling stock (1435 mm, 1524 mm, other)."
    )
    # Doctrine of its high command (command/high.py); defaults are the neutral middle.
    aggressiveness: Number = Field(
        0.5,
        description="Doctrine: how readily its high command opens offensives of its own "
        "choosing (lowers the odds it asks for; 0.5 neutral; 0-1); a number or an assumption.",
    )
    risk_tolerance: Number = Field(
        0.5,
        description="Doctrine: how thinly its high command holds a threatened theatre (0.5: at "
        "parity of combat power after the ground's defence; 0: 1.5 times; 1: half; 0-1); a "
        "number or an assumption.",
    )
    competence: Number = Field(
        1.0,
        description="Command competence of its high command (staff work, purges): its "
        "strategic clock runs at this many reviews per hc_review_days (0.1-2); a number or an "
        "assumption.",
    )

    @field_validator("aggressiveness", "risk_tolerance", "competence")
    @classmethod
    def _doctrine_in_range(cls, v: Any, info: ValidationInfo) -> Any:
        lo, hi = DOCTRINE_BOUNDS[info.field_name]
        if isinstance(v, float) and not lo <= v <= hi:
            raise ValueError(f"must lie in {lo:g}..{hi:g}")
        return v

    truck_range: int = Field(
        2, ge=0, le=10, description="Land hops its lorries haul supply beyond a railhead."
    )
    trucks: amount(1e7, "lorries") | None = Field(
        None, description="Lorries in its supply columns (None: haul is limited by range only)."
    )


class Region(Sourced):
    """A land region: a point with its 1939 owner, terrain and worth."""

    id: RegionId
    name: str
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    owner: PowerTag
    controller: PowerTag | None = Field(None, description="Defaults to the owner.")
    terrain: Terrain = Terrain.plains
    climate: Climate = Climate.temperate
    fort: float = Field(0, ge=0, le=5, description="Fortification level, 0 (none) to 5.")
    population: amount(1e6, "thousand people") = Field(0, description="Thousands.")
    industry: amount(INDUSTRY_MAX, "industrial points") = Field(
        0, description="Industrial points (relative output)."
    )
    resources: dict[str, amount(1e6, "resource points")] = Field(default_factory=dict)
    vp: amount(VP_MAX, "victory points") = Field(1, description="Victory points.")
    port: bool = False
    naval_base: bool = False
    airfield: bool = False
    core: bool = Field(True, description="Counts toward its owner's core for capitulation.")
    boundary: list[tuple[float, float]] | None = Field(
        None,
        min_length=3,
        description="The region's outline as [lon, lat] points; without one, maps use the "
        "Voronoi cell of its point clipped to land.",
    )


class SeaZone(Sourced):
    """A sea zone: ships and convoys move through these."""

    id: RegionId
    name: str
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    frozen_months: list[Annotated[int, Field(ge=1, le=12)]] = Field(
        default_factory=list,
        description="Months (1-12) in which ice closes the zone to ordinary shipping; none, "
        "open all year. The engine knows no place by name: ice comes from here alone (cite it "
        "with sources: {frozen_months: ...}).",
    )

    @field_validator("frozen_months")
    @classmethod
    def _months_once(cls, v: list[int]) -> list[int]:
        if len(set(v)) != len(v):
            raise ValueError("a month is listed twice")
        return v


class Edge(Sourced):
    """A connection: land–land, land–sea (a coast) or sea–sea (straits included)."""

    a: RegionId
    b: RegionId
    river: River = River.none
    rail: amount(1e6, "tons a day") = Field(
        0, description="Rail capacity, tons a day (0 = no rail link)."
    )
    road: bool = True
    strait: bool = False
    name: str = Field(
        "",
        description="A name a reader knows the line by (a river: 'the Bzura'); the chronicle "
        "names a battle fought across it so.",
    )


class Force(Sourced):
    """A land force (army or corps) placed in a region."""

    id: EntityId
    name: str = ""
    power: PowerTag
    region: RegionId | None = Field(
        None, description="None: not on the map until an event places it."
    )
    leader: EntityId | None = None
    divisions: dict[DivisionType, amount(1_000, "divisions")] = Field(default_factory=dict)
    men: amount(1e7, "men")
    tanks: amount(1e5, "tanks") = 0
    artillery: amount(1e6, "guns") = 0
    quality: float = Field(1.0, gt=0, le=3, description="Combat effectiveness multiplier (CEV).")
    reserve: bool = Field(False, description="Held back: does not move until ordered.")
    ready_after: int | None = Field(
        None,
        ge=0,
        le=3650,
        description="Mobilisation schedule of a reserve force: days after its power orders "
        "mobilisation (or first goes to war) that the force joins the field army.",
    )


class Fleet(Sourced):
    """A fleet or squadron in its base."""

    id: EntityId
    name: str = ""
    power: PowerTag
    base: RegionId
    zone: RegionId | None = Field(None, description="Sea zone it operates in.")
    ships: dict[ShipClass, amount(1_000, "ships")] = Field(default_factory=dict)
    capital_ships: list[str] = Field(default_factory=list)
    quality: float = Field(
        1.0, gt=0, le=3, description="Training, fire control and doctrine multiplier."
    )
    endurance_days: int = Field(
        30,
        ge=1,
        le=365,
        description="Days it can stay at sea (passage included) before it must return to port "
        "to refuel: its operating range in time.",
    )


class AirForce(Sourced):
    """Air units based in a region."""

    id: EntityId
    power: PowerTag
    region: RegionId
    fighters: amount(1e5, "aircraft") = 0
    bombers: amount(1e5, "aircraft") = 0
    other: amount(1e5, "aircraft") = 0
    quality: float = Field(1.0, gt=0, le=3, description="Pilots, aircraft and doctrine.")


class Leader(Sourced):
    """A head of state or commander; skill on a 1 (poor) to 5 (outstanding) scale."""

    id: EntityId
    name: str
    power: PowerTag
    role: Literal["head_of_state", "head_of_government", "commander", "minister"] = "commander"
    skill: float = Field(3.0, ge=1, le=5)
    reliability: float = Field(1.0, ge=0, le=1, description="Political reliability, 0 to 1.")
    post: str = ""


class Treaty(Sourced):
    """A treaty in force: alliances bind their members in war."""

    id: EntityId
    name: str
    kind: Literal[
        "alliance", "guarantee", "mutual_assistance", "non_aggression", "protocol", "pact"
    ]
    members: list[PowerTag] = Field(min_length=1)
    signed: dt.date | None = None


class War(Sourced):
    """A war in progress on the start date."""

    a: PowerTag
    b: PowerTag
    since: dt.date | None = None


class Diplomacy(Model):
    """Treaties and wars on the start date."""

    treaties: list[Treaty] = Field(default_factory=list)
    wars: list[War] = Field(default_factory=list)


# --- assumptions -----------------------------------------------------------------------------


#: An assumption's values: finite, and far from float overflow in the engine's sums.
Real = amount(1e9, "", lo=-1e9)


class Fixed(Model):
    """A number held fixed."""

    fixed: Real


class Uniform(Model):
    """Uniform on [low, high]."""

    uniform: tuple[Real, Real]

    @field_validator("uniform")
    @classmethod
    def _ordered(cls, v: tuple[float, float]) -> tuple[float, float]:
        if v[1] < v[0]:
            raise ValueError("uniform: low must not exceed high")
        return v


class Triangular(Model):
    """Triangular with low, mode, high."""

    triangular: tuple[Real, Real, Real]

    @field_validator("triangular")
    @classmethod
    def _ordered(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if not v[0] <= v[1] <= v[2]:
            raise ValueError("triangular: need low <= mode <= high")
        return v


class TruncNormal(Model):
    """Normal(mean, sd) truncated to [low, high]."""

    truncnormal: tuple[Real, Real, Real, Real] = Field(description="mean, sd, low, high")

    @field_validator("truncnormal")
    @classmethod
    def _valid(cls, v: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        if v[1] <= 0:
            raise ValueError("truncnormal: sd must be positive")
        if not v[2] < v[3]:
            raise ValueError("truncnormal: low must be below high")
        return v


class Choice(Model):
    """One of a few values, with optional weights."""

    choice: list[Real] = Field(min_length=1, max_length=10_000)
    weights: list[amount(1e9, "")] | None = None

    @model_validator(mode="after")
    def _weights(self) -> Choice:
        if self.weights is not None and len(self.weights) != len(self.choice):
            raise ValueError("choice: weights must match the values one for one")
        if self.weights is not None and sum(self.weights) <= 0:
            raise ValueError("choice: weights must not all be zero")
        return self


def _first_key(v: Any) -> str | None:
    if isinstance(v, dict) and v:
        keys = [k for k in v if k not in {"weights"}]
        return keys[0] if keys else None
    if isinstance(v, BaseModel):
        for name in type(v).model_fields:
            if name != "weights":
                return name
    return None


Distribution = Annotated[
    Annotated[Fixed, Tag("fixed")]
    | Annotated[Uniform, Tag("uniform")]
    | Annotated[Triangular, Tag("triangular")]
    | Annotated[TruncNormal, Tag("truncnormal")]
    | Annotated[Choice, Tag("choice")],
    Discriminator(_first_key),
]


def in_support(dist: Fixed | Uniform | Triangular | TruncNormal | Choice, value: float) -> bool:
    """True when ``value`` is one the distribution can draw (its support, or one of its choices)."""
    if isinstance(dist, Fixed):
        return value == dist.fixed
    if isinstance(dist, Uniform):
        return dist.uniform[0] <= value <= dist.uniform[1]
    if isinstance(dist, Triangular):
        return dist.triangular[0] <= value <= dist.triangular[2]
    if isinstance(dist, TruncNormal):
        return dist.truncnormal[2] <= value <= dist.truncnormal[3]
    return value in dist.choice


class Assumption(Sourced):
    """A named uncertain number, sampled once per run (or fixed to ``canon`` in canon mode)."""

    id: EntityId
    description: str = ""
    dist: Distribution
    canon: Real | None = Field(
        None,
        description="The timeline's or history's value; canon-mode runs fix the assumption to it.",
    )

    @model_validator(mode="after")
    def _canon_in_support(self) -> Assumption:
        if self.canon is not None and not in_support(self.dist, self.canon):
            raise ValueError(
                f"canon {self.canon:g} is outside the distribution "
                f"{self.dist.model_dump(mode='json')}"
            )
        return self


class AssumptionRef(Model):
    """A number taken from an assumption's value in the run."""

    assumption: EntityId


Number = float | AssumptionRef


# --- events: triggers -------------------------------------------------------------------------


class OnDate(Model):
    """True from this date on."""

    date: dt.date


class Between(Model):
    """True within [first, last]."""

    between: tuple[dt.date, dt.date]

    @field_validator("between")
    @classmethod
    def _ordered(cls, v: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
        if v[1] < v[0]:
            raise ValueError("between: the window ends before it starts")
        return v


class ControllerIs(Model):
    """A region is held by a power."""

    class Spec(Model):
        region: RegionId
        power: PowerTag

    controller: Spec


class AtWar(Model):
    """Two powers are at war."""

    at_war: tuple[PowerTag, PowerTag]


class Fired(Model):
    """Another event has fired."""

    fired: EntityId


class GivesUp(Model):
    """A power gives up under the capitulation rule: the event's effects are its terms.

    An event with this trigger replaces total surrender: instead of laying down its arms and
    handing over every region, the power makes the peace the effects spell out.
    """

    gives_up: PowerTag


class Chance(Model):
    """A draw made once per run: true with this probability.

    A constant gets its own draw; an assumption's draw is shared by every trigger naming it.
    """

    chance: Annotated[float, Field(ge=0, le=1)] | AssumptionRef


class AllOf(Model):
    """All of the conditions hold."""

    all: list[Trigger] = Field(min_length=1)


class AnyOf(Model):
    """Any of the conditions holds."""

    any: list[Trigger] = Field(min_length=1)


class NotT(Model):
    """The condition does not hold."""

    not_: Trigger = Field(alias="not")
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


Trigger = Annotated[
    Annotated[OnDate, Tag("date")]
    | Annotated[Between, Tag("between")]
    | Annotated[ControllerIs, Tag("controller")]
    | Annotated[AtWar, Tag("at_war")]
    | Annotated[Fired, Tag("fired")]
    | Annotated[Chance, Tag("chance")]
    | Annotated[GivesUp, Tag("gives_up")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotT, Tag("not")],
    Discriminator(lambda v: "not" if _first_key(v) == "not_" else _first_key(v)),
]


# --- events: effects --------------------------------------------------------------------------


class Lookups(Protocol):
    """The compiled scenario's id lookups an effect compiles with (``compile._Ids``)."""

    rix: dict[str, int]  # regions
    pix: dict[str, int]  # powers
    fix: dict[str, int]  # forces
    lix: dict[str, int]  # leaders
    tix: dict[str, int]  # treaties
    flx: dict[str, int]  # fleets
    zix: dict[str, int]  # sea zones
    aix_air: dict[str, int]  # air wings

    def number(self, v: Number) -> tuple[float, int]:
        """A number or an assumption: (value, -1) or (0.0, its parameter slot)."""
        ...


class EffectRow(NamedTuple):
    """One effect as the World's effect columns hold it (``World.ef_*``).

    ``a``..``d`` are ids (-1: none), ``items`` the effect's list (forces, fleets or air wings,
    into ``ef_list``), ``x`` a number and ``param`` the parameter slot that replaces it (-1: none).
    No id is ever stored in ``x``.
    """

    op: int
    a: int = -1
    b: int = -1
    c: int = -1
    d: int = -1
    items: tuple[int, ...] = ()
    x: float = 0.0
    param: int = -1


EFFECTS: list[type[EffectModel]] = []  # the registry, in the order of the schema's union


class EffectModel(Model):
    """A scripted effect: its YAML key (its one field), its opcodes and its compile step.

    Subclasses register themselves in ``EFFECTS``; ``Effect``, the union the schema accepts, is
    built from it, and ``compile._program`` calls ``compile``.
    """

    opcodes: ClassVar[tuple[int, ...]] = ()  # every op ``compile`` may emit

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if len(cls.model_fields) != 1 or not cls.opcodes:
            raise TypeError(f"{cls.__name__}: an effect has one field and at least one opcode")
        EFFECTS.append(cls)

    @classmethod
    def key(cls) -> str:
        """The effect's YAML key (its one field's name)."""
        return next(iter(cls.model_fields))

    def compile(self, ids: Lookups) -> EffectRow:
        """The effect's row of the World's effect columns."""
        raise NotImplementedError


class DeclareWar(EffectModel):
    """``actor`` declares war on ``target``."""

    opcodes = (codes.E_DECLARE_WAR,)

    class Spec(Model):
        actor: PowerTag
        target: PowerTag

    declare_war: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the actor, b: the target."""
        o = self.declare_war
        return EffectRow(codes.E_DECLARE_WAR, ids.pix[o.actor], ids.pix[o.target])


class MakePeace(EffectModel):
    """Two powers stop fighting."""

    opcodes = (codes.E_PEACE,)

    class Spec(Model):
        a: PowerTag
        b: PowerTag

    peace: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a and b: the two powers."""
        return EffectRow(codes.E_PEACE, ids.pix[self.peace.a], ids.pix[self.peace.b])


class JoinAlliance(EffectModel):
    """A power joins an alliance treaty (and its members' wars)."""

    opcodes = (codes.E_JOIN_ALLIANCE,)

    class Spec(Model):
        power: PowerTag
        treaty: EntityId

    join_alliance: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the power, b: the treaty."""
        o = self.join_alliance
        return EffectRow(codes.E_JOIN_ALLIANCE, ids.pix[o.power], ids.tix[o.treaty])


class TransferRegion(EffectModel):
    """A region changes owner and controller."""

    opcodes = (codes.E_TRANSFER,)

    class Spec(Model):
        region: RegionId
        to: PowerTag

    transfer_region: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the region, b: its new owner."""
        o = self.transfer_region
        return EffectRow(codes.E_TRANSFER, ids.rix[o.region], ids.pix[o.to])


class PlaceForce(EffectModel):
    """A force defined in forces.yaml appears in a region (optionally a new region)."""

    opcodes = (codes.E_PLACE,)

    class Spec(Model):
        force: EntityId
        region: RegionId | None = None

    place_force: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the force, b: the region (-1: where it stands)."""
        o = self.place_force
        return EffectRow(codes.E_PLACE, ids.fix[o.force], ids.rix[o.region] if o.region else -1)


class MoveForce(EffectModel):
    """A force is moved (by rail or sea, off the map) to a region at once."""

    opcodes = (codes.E_MOVE,)

    class Spec(Model):
        force: EntityId
        to: RegionId

    move_force: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the force, b: the region."""
        o = self.move_force
        return EffectRow(codes.E_MOVE, ids.fix[o.force], ids.rix[o.to])


class RemoveForce(EffectModel):
    """A force leaves the map."""

    opcodes = (codes.E_REMOVE,)

    class Spec(Model):
        force: EntityId

    remove_force: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the force."""
        return EffectRow(codes.E_REMOVE, ids.fix[self.remove_force.force])


class Mobilise(EffectModel):
    """A power orders general mobilisation: its scheduled reserves start their count."""

    opcodes = (codes.E_MOBILISE,)

    class Spec(Model):
        power: PowerTag

    mobilise: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the power."""
        return EffectRow(codes.E_MOBILISE, ids.pix[self.mobilise.power])


class Offensive(EffectModel):
    """A power's field forces, or those named (reserves included), are ordered toward a region."""

    opcodes = (codes.E_OFFENSIVE,)

    class Spec(Model):
        power: PowerTag
        target: RegionId
        forces: list[EntityId] = Field(default_factory=list)

    offensive: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the power, b: the target region; the forces (none: the field forces)."""
        o = self.offensive
        forces = tuple(ids.fix[f] for f in o.forces)
        return EffectRow(codes.E_OFFENSIVE, ids.pix[o.power], ids.rix[o.target], items=forces)


class ReplaceLeader(EffectModel):
    """A leader takes over from another (every force the old one led)."""

    opcodes = (codes.E_REPLACE_LEADER,)

    class Spec(Model):
        old: EntityId
        new: EntityId

    replace_leader: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the old leader, b: the new."""
        o = self.replace_leader
        return EffectRow(codes.E_REPLACE_LEADER, ids.lix[o.old], ids.lix[o.new])


SET_OPS = {
    "will": codes.E_SET_WILL,
    "initiative": codes.E_SET_INITIATIVE,
    "fort": codes.E_SET_FORT,
    "vp": codes.E_SET_VP,
    "industry": codes.E_SET_INDUSTRY,
}


class SetNumber(EffectModel):
    """Set a number on a power (will; initiative, 0 or 1) or a region (fort, vp, industry)."""

    opcodes = tuple(SET_OPS.values())

    class Spec(Model):
        power: PowerTag | None = None
        region: RegionId | None = None
        field: Literal["will", "initiative", "fort", "vp", "industry"]
        value: Number

        @model_validator(mode="after")
        def _one_target(self) -> SetNumber.Spec:
            if (self.power is None) == (self.region is None):
                raise ValueError("set: give exactly one of power or region")
            if self.power is not None and self.field not in ("will", "initiative"):
                raise ValueError(f"set: a power has no field {self.field!r} (will or initiative)")
            if self.region is not None and self.field in ("will", "initiative"):
                raise ValueError(f"set: a region has no field {self.field!r} (fort, vp, industry)")
            lo, hi = SET_BOUNDS[self.field]
            if isinstance(self.value, float) and not lo <= self.value <= hi:
                raise ValueError(f"set: {self.field} must lie in {lo:g} to {hi:g}")
            initiative = self.field == "initiative" and isinstance(self.value, float)
            if initiative and self.value not in (0.0, 1.0):
                raise ValueError("set: initiative is 0 or 1")
            return self

    set: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the power or region; x or param: the value; the field is the opcode."""
        o = self.set
        x, param = ids.number(o.value)
        a = ids.pix[o.power] if o.power else ids.rix[o.region]
        return EffectRow(SET_OPS[o.field], a, x=x, param=param)


class MoveFleet(EffectModel):
    """A fleet sails to a sea zone and contests control of it (it fights hostile fleets met)."""

    opcodes = (codes.E_MOVE_FLEET,)

    class Spec(Model):
        fleet: EntityId
        zone: RegionId

    move_fleet: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the fleet, b: the zone."""
        o = self.move_fleet
        return EffectRow(codes.E_MOVE_FLEET, ids.flx[o.fleet], ids.zix[o.zone])


class FleetsOrder(Model):
    """Fleets sail to a zone on a mission against a power (shared shape of blockade and raid)."""

    fleets: list[EntityId] = Field(min_length=1)
    zone: RegionId
    target: PowerTag

    def row(self, op: int, ids: Lookups) -> EffectRow:
        """The order's effect row under opcode ``op``."""
        fleets = tuple(ids.flx[f] for f in self.fleets)
        return EffectRow(op, ids.zix[self.zone], ids.pix[self.target], items=fleets)


class Blockade(EffectModel):
    """Fleets blockade ``target``'s ports on a sea zone: its sea-borne supply through it falls."""

    opcodes = (codes.E_BLOCKADE,)

    blockade: FleetsOrder

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the zone, b: the target power; the fleets."""
        return self.blockade.row(codes.E_BLOCKADE, ids)


class Raid(EffectModel):
    """Submarines and surface raiders wage war on ``target``'s shipping in a sea zone."""

    opcodes = (codes.E_RAID,)

    raid: FleetsOrder

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the zone, b: the target power; the fleets."""
        return self.raid.row(codes.E_RAID, ids)


class Landing(EffectModel):
    """An amphibious landing of a force at a coastal region from a sea zone, escorted.

    The model decides: it needs local naval superiority and enough men against the garrison.
    """

    opcodes = (codes.E_LANDING,)

    class Spec(Model):
        force: EntityId
        region: RegionId
        zone: RegionId
        fleets: list[EntityId] = Field(default_factory=list)

    landing: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the force, b: the region, c: the zone; the escorting fleets."""
        o = self.landing
        fleets = tuple(ids.flx[f] for f in o.fleets)
        return EffectRow(
            codes.E_LANDING, ids.fix[o.force], ids.rix[o.region], ids.zix[o.zone], items=fleets
        )


class Evacuate(EffectModel):
    """Fleets lift a force out of a besieged coastal region to another region (or off the map)."""

    opcodes = (codes.E_EVACUATE,)

    class Spec(Model):
        force: EntityId
        region: RegionId
        zone: RegionId
        to: RegionId | None = None
        fleets: list[EntityId] = Field(default_factory=list)

    evacuate: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the force, b: the region, c: the zone, d: where to (-1: off the map)."""
        o = self.evacuate
        to = ids.rix[o.to] if o.to else -1
        fleets = tuple(ids.flx[f] for f in o.fleets)
        return EffectRow(
            codes.E_EVACUATE, ids.fix[o.force], ids.rix[o.region], ids.zix[o.zone], to, fleets
        )


class Bombard(EffectModel):
    """Fleets bombard a coastal region (its port and its defenders) for some days."""

    opcodes = (codes.E_BOMBARD,)

    class Spec(Model):
        fleets: list[EntityId] = Field(min_length=1)
        region: RegionId

    bombard: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: b: the region; the fleets."""
        o = self.bombard
        fleets = tuple(ids.flx[f] for f in o.fleets)
        return EffectRow(codes.E_BOMBARD, -1, ids.rix[o.region], items=fleets)


class AirMission(StrEnum):
    """What an air campaign's wings do."""

    superiority = "superiority"
    close_support = "close_support"
    interdiction = "interdiction"
    airfields = "airfields"
    ports = "ports"
    industry = "industry"
    cities = "cities"


class AirCampaign(EffectModel):
    """Air wings fly a campaign against (or over) a region."""

    opcodes = (codes.E_AIR_CAMPAIGN,)

    class Spec(Model):
        air: list[EntityId] = Field(min_length=1)
        mission: AirMission
        region: RegionId

    air_campaign: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the mission (an air-mission code), b: the region; the wings."""
        o = self.air_campaign
        mission = codes.A_SUPPORT + 1 + list(AirMission).index(o.mission)
        wings = tuple(ids.aix_air[w] for w in o.air)
        return EffectRow(codes.E_AIR_CAMPAIGN, mission, ids.rix[o.region], items=wings)


class SpecialWeapons(EffectModel):
    """A power authorises chemical or biological weapons against an enemy.

    Chemical agents are then used in its battles against ``against``; biological attacks strike
    ``region`` (a city) every month while the war lasts.
    """

    opcodes = (codes.E_CHEMICAL, codes.E_BIOLOGICAL)

    class Spec(Model):
        power: PowerTag
        weapon: Literal["chemical", "biological"]
        against: PowerTag
        region: RegionId | None = None

        @model_validator(mode="after")
        def _city(self) -> SpecialWeapons.Spec:
            if self.weapon == "biological" and self.region is None:
                raise ValueError("special_weapons: a biological attack needs a region (a city)")
            return self

    special_weapons: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: the user, b: the victim, c: a biological attack's city; op: the weapon."""
        o = self.special_weapons
        op = codes.E_CHEMICAL if o.weapon == "chemical" else codes.E_BIOLOGICAL
        city = ids.rix[o.region] if o.region else -1
        return EffectRow(op, ids.pix[o.power], ids.pix[o.against], city)


class Offer(EffectModel):
    """One power offers another regions it covets and a bribe, to join its side or stay out.

    The offer enters the diplomacy model (free diplomacy) as the ``offer`` driver: its worth is
    the bribe plus the weights the receiver's claims put on the regions offered (0..1 of what it
    claims), on the side the offer is for, or on staying out (Crawford 2014: buying off an
    enemy's potential ally; the Allies' offer to Italy of 26 May 1940, Britain's aid to Spain).
    Offers from one power to another do not add up: a new one replaces the last.
    """

    opcodes = (codes.E_OFFER,)

    class Spec(Model):
        by: PowerTag
        to: PowerTag
        regions: list[RegionId] = Field(default_factory=list)
        bribe: Number = Field(0.0, description="Worth of a bribe, 0..1 of what the receiver claims")
        asks: Literal["join", "stay_out"] = "join"

    offer: Spec

    def compile(self, ids: Lookups) -> EffectRow:
        """Columns: a: offering power, b: receiver, c: 0 join / 1 stay out; items: regions; x: bribe."""
        o = self.offer
        x, slot = ids.number(o.bribe)
        return EffectRow(
            codes.E_OFFER,
            ids.pix[o.by],
            ids.pix[o.to],
            0 if o.asks == "join" else 1,
            items=tuple(ids.rix[r] for r in o.regions),
            x=x,
            param=slot,
        )


Effect = Annotated[
    Union[tuple(Annotated[e, Tag(e.key())] for e in EFFECTS)],  # noqa: UP007 - built at run time
    Discriminator(_first_key),
]


class Event(Sourced):
    """A scripted decision: when the trigger first holds, the effects apply (once)."""

    id: EntityId
    description: str = ""
    quote: str = Field("", description="The timeline's own sentence this event encodes.")
    trigger: Trigger
    effects: list[Effect] = Field(min_length=1)


AllOf.model_rebuild()
AnyOf.model_rebuild()
NotT.model_rebuild()


# --- checkpoints -------------------------------------------------------------------------------


def _ordered_days(v: tuple[int, int]) -> tuple[int, int]:
    if v[1] < v[0]:
        raise ValueError("days: the range ends before it starts")
    return v


Days = tuple[
    Annotated[int, Field(ge=0, le=366 * MAX_YEARS)], Annotated[int, Field(ge=0, le=366 * MAX_YEARS)]
]


class CheckpointBase(Sourced):
    """What every checkpoint carries beside its kind."""

    id: EntityId
    description: str = ""
    quote: str = Field("", description="The timeline's own sentence this checkpoint encodes.")


class Taken(CheckpointBase):
    """A region is held by one of ``by`` on some day from ``from`` to ``until``."""

    class Spec(Model):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)
        region: RegionId
        by: list[PowerTag] = Field(min_length=1)
        from_: dt.date | None = Field(None, alias="from", description="Default: the start.")
        until: dt.date

        @model_validator(mode="after")
        def _window(self) -> Taken.Spec:
            if self.from_ is not None and self.until < self.from_:
                raise ValueError("taken: until is before from")
            return self

    taken: Spec


class Held(CheckpointBase):
    """A region is held by one of ``by`` on a date."""

    class Spec(Model):
        region: RegionId
        by: list[PowerTag] = Field(min_length=1)
        on: dt.date

        @model_validator(mode="before")
        @classmethod
        def _yaml_on(cls, v: Any) -> Any:
            # YAML 1.1 reads a bare ``on`` key as the boolean true (the loader keeps it as "True").
            if isinstance(v, dict) and "on" not in v:
                for key in (True, "True"):
                    if key in v:
                        v = {("on" if k == key else k): x for k, x in v.items()}
                        break
            return v

    held: Spec


class Capitulates(CheckpointBase):
    """A power gives up (total surrender or terms) ``days`` after a date."""

    class Spec(Model):
        power: PowerTag
        after: dt.date
        days: Days

        @field_validator("days")
        @classmethod
        def _ordered(cls, v: tuple[int, int]) -> tuple[int, int]:
            return _ordered_days(v)

    capitulates: Spec


class WarLasts(CheckpointBase):
    """The first war between two powers ends in peace after ``days``."""

    class Spec(Model):
        a: PowerTag
        b: PowerTag
        days: Days

        @field_validator("days")
        @classmethod
        def _ordered(cls, v: tuple[int, int]) -> tuple[int, int]:
            return _ordered_days(v)

        @model_validator(mode="after")
        def _two(self) -> WarLasts.Spec:
            if self.a == self.b:
                raise ValueError("war_lasts: a and b must differ")
            return self

    war_lasts: Spec


class FiredCheckpoint(CheckpointBase):
    """A scripted event fires within a window."""

    class Spec(Model):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)
        event: EntityId
        from_: dt.date | None = Field(None, alias="from", description="Default: the start.")
        until: dt.date

        @model_validator(mode="after")
        def _window(self) -> FiredCheckpoint.Spec:
            if self.from_ is not None and self.until < self.from_:
                raise ValueError("fired: until is before from")
            return self

    fired: Spec


class CasualtyRatio(CheckpointBase):
    """``a``'s killed over ``b``'s killed in the battles between them lies in ``range``."""

    class Spec(Model):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)
        a: PowerTag
        b: PowerTag
        range_: tuple[amount(1e6, "(a ratio)"), amount(1e6, "(a ratio)")] = Field(alias="range")
        until: dt.date | None = Field(None, description="Default: the end of the run.")

        @model_validator(mode="after")
        def _valid(self) -> CasualtyRatio.Spec:
            if self.range_[1] < self.range_[0]:
                raise ValueError("casualty_ratio: the range ends before it starts")
            if self.a == self.b:
                raise ValueError("casualty_ratio: a and b must differ")
            return self

    casualty_ratio: Spec


#: The kinds of checkpoint, each the key of its specification.
CHECKPOINT_KINDS = ("taken", "held", "capitulates", "war_lasts", "fired", "casualty_ratio")


def _checkpoint_kind(v: Any) -> str | None:
    if isinstance(v, dict):
        kinds = [k for k in CHECKPOINT_KINDS if k in v]
        return kinds[0] if len(kinds) == 1 else None
    fields = type(v).model_fields if isinstance(v, BaseModel) else {}
    for k in CHECKPOINT_KINDS:
        if k in fields:
            return k
    return None  # not a mapping: pydantic reports it


Checkpoint = Annotated[
    Annotated[Taken, Tag("taken")]
    | Annotated[Held, Tag("held")]
    | Annotated[Capitulates, Tag("capitulates")]
    | Annotated[WarLasts, Tag("war_lasts")]
    | Annotated[FiredCheckpoint, Tag("fired")]
    | Annotated[CasualtyRatio, Tag("casualty_ratio")],
    Discriminator(
        _checkpoint_kind,
        custom_error_type="checkpoint_kind",
        custom_error_message="a checkpoint needs exactly one of: " + ", ".join(CHECKPOINT_KINDS),
    ),
]


def checkpoint_kind(cp: CheckpointBase) -> str:
    """The kind of a validated checkpoint (``taken``, ``held``, …)."""
    kind = _checkpoint_kind(cp)
    assert kind is not None
    return kind


# --- war entry and alignment (rules.alignment) -------------------------------------------------


def estimate(lo: float, hi: float, unit: str) -> Any:
    """A judged figure as ``[low, best, high]`` within ``lo``..``hi`` of ``unit``.

    Each is a named assumption (a triangular distribution, its best value canon) once the
    diplomacy model samples it; ``scenario.alignment.assumptions`` names them.
    """

    def check(v: tuple[float, float, float]) -> tuple[float, float, float]:
        if not v[0] <= v[1] <= v[2]:
            raise ValueError("an estimate is [low, best, high] with low <= best <= high")
        if v[0] < lo or v[2] > hi:
            raise ValueError(f"an estimate lies within {lo:g} to {hi:g} {unit}")
        return v

    return Annotated[tuple[float, float, float], AfterValidator(check)]


Position = estimate(0.0, 100.0, "(0 stay out whatever happens .. 100 fight at once)")


class Stakeholder(Sourced):
    """A person or body whose stance weighs on a power's choice of war or peace."""

    id: EntityId
    name: str
    capability: estimate(0.0, 100.0, "(share of the power to decide)") = Field(
        description="Power over the decision, 0-100: [low, best, high]."
    )
    salience: estimate(0.0, 100.0, "(how much the question matters to it)") = Field(
        description="How much war or peace matters to it, 0-100: [low, best, high]."
    )
    positions: dict[PowerTag, Position] = Field(
        default_factory=dict,
        description="Its stance on fighting on the side of each named power, 0 (never) .. "
        "100 (at once): [low, best, high].",
    )
    other: float = Field(
        0.0, ge=0, le=100, description="Its stance toward a side none of whose members it names."
    )


class Alignment(Sourced):
    """A power's war-entry and alignment data: stakeholders and the figures the drivers read."""

    id: EntityId
    power: PowerTag
    description: str = ""
    stakeholders: list[Stakeholder] = Field(min_length=1)
    affinity: dict[PowerTag, estimate(-1.0, 1.0, "(hostile .. close)")] = Field(
        default_factory=dict,
        description="Ideological and historical affinity to other powers, -1 .. 1 (0 unnamed).",
    )
    claims: dict[RegionId, Annotated[float, Field(gt=0, le=1)]] = Field(
        default_factory=dict, description="Spoils it covets: region -> weight (0..1]."
    )
    readiness: estimate(0.0, 1.0, "(0 unfit .. 1 ready for a long war)") = Field(
        (0.5, 0.5, 0.5), description="Fitness of its forces and stocks for war."
    )
    trade_dependence: estimate(0.0, 1.0, "(share of vital imports by sea)") = Field(
        (0.0, 0.0, 0.0), description="Dependence on sea-borne imports."
    )
    will: float = Field(
        1.0, ge=0, le=2, description="Resolve to fight on when losing (scales the terms threshold)."
    )
    empire: estimate(1.0, 10.0, "(times its COW capability)") = Field(
        (1.0, 1.0, 1.0),
        description="War potential beyond its own COW row (dominions, colonies), as a multiple.",
    )


class AlignmentWeight(Sourced):
    """A weight or constant of the diplomacy model (names: ``rules.alignment.WEIGHT_NAMES``)."""

    id: EntityId
    description: str = ""
    value: estimate(-1e4, 1e4, "")

    @field_validator("id")
    @classmethod
    def _known(cls, v: str) -> str:
        from twinvipers.rules.alignment import WEIGHT_NAMES

        if v not in WEIGHT_NAMES:
            raise ValueError("unknown diplomacy weight; known: " + ", ".join(WEIGHT_NAMES))
        return v


class Citation(Model):
    """A bibliography entry: figures cite its ``id`` in their ``source`` fields."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
    cite: str = Field(min_length=3, description="The full reference.")


# --- the war economy (rules.economy) ----------------------------------------------------------


class Priorities(Model):
    """Shares of a power's war production by category (normalised by the engine).

    The high command may later set them each day; the scenario gives the start.
    """

    tanks: NonNeg = Field(0.1, description="Tanks and self-propelled guns.")
    aircraft: NonNeg = Field(0.4, description="Combat aircraft.")
    replacements: NonNeg = Field(
        0.2, description="Equipment for replacement men (rifles, guns, vehicles)."
    )
    other: NonNeg = Field(
        0.3, description="Everything else (ships, ammunition, supply): not modelled as units."
    )


class Economy(Sourced):
    """A power's war economy on the start date (``economy.yaml``; one entry per power).

    A power without an entry has no war economy: it builds nothing, and neither consumes nor
    produces oil (its forces never run short).
    """

    id: PowerTag = Field(description="The power.")
    gdp: amount(1e5, "billion 1990 international dollars a year") = Field(
        description="Gross domestic product on the start date (Harrison 1998, table 1.1, after "
        "Maddison): spread over the power's regions by their industry."
    )
    mobilisation: Number = Field(
        description="Share of the GDP spent on the war on the start date (0-1)."
    )
    war_mobilisation: Number = Field(
        description="Share of the GDP the war economy grows toward once at war (0-1)."
    )
    mobilisation_days: Number = Field(
        365.0, description="Days for the war economy to close 63% of the gap (e-folding)."
    )
    munitions_share: Number = Field(
        0.35,
        description="Share of war spending going to munitions (the rest: pay, food, building).",
    )
    priorities: Priorities = Field(default_factory=Priorities)
    manpower: amount(1e6, "thousand men") = Field(
        0.0,
        description="Men fit for service not yet under arms on the start date, thousands: the "
        "pool replacements are drawn from.",
    )
    oil_stock: Number = Field(
        0.0,
        description="Oil stocks (crude and products) on the start date, thousand tons; a "
        "number or an assumption.",
    )
    oil_home: amount(1e6, "thousand tons a year") = Field(
        0.0,
        description="Oil made at home outside the map's oil regions (fields not rated on the map, "
        "synthetic fuel, benzol, shale), thousand tons a year.",
    )
    oil_civil: amount(1e6, "thousand tons a year") = Field(
        0.0,
        description="The civilian economy's oil use in peace, thousand tons a year (cut by "
        "rationing at war: parameter civil_oil_war_share).",
    )

    @field_validator("mobilisation", "war_mobilisation", "munitions_share")
    @classmethod
    def _share(cls, v: Any) -> Any:
        if isinstance(v, float) and not 0.0 <= v <= 1.0:
            raise ValueError(f"{v:g} is not a share from 0 to 1")
        return v

    @field_validator("mobilisation_days")
    @classmethod
    def _days(cls, v: Any) -> Any:
        if isinstance(v, float) and not 1.0 <= v <= 36500.0:
            raise ValueError(f"{v:g} days is outside the range 1 to 36,500 days")
        return v

    @field_validator("oil_stock")
    @classmethod
    def _stock(cls, v: Any) -> Any:
        if isinstance(v, float) and not 0.0 <= v <= 1e5:
            raise ValueError(f"{v:g} thousand tons is outside the range 0 to 100,000 thousand tons")
        return v


class TradeRoute(Sourced):
    """A flow of oil from one power (or the world market) to another along a route.

    Flows only between ``start`` and ``end`` (inclusive), while exporter and importer are at
    peace. Cut where a region of ``rail`` is held by an enemy of either, and in the share the
    enemy stops at sea in each zone of ``sea`` (blockade fleets, or an enemy fleet in being in
    the zone); ice closes a zone in its frozen months.
    """

    id: EntityId
    exporter: PowerTag | None = Field(
        None, description="The selling power (none: the world market beyond the map)."
    )
    importer: PowerTag
    good: Literal["oil"] = "oil"
    kt_per_year: Number = Field(
        description="Planned flow, thousand tons a year; a number or an assumption."
    )

    @field_validator("kt_per_year")
    @classmethod
    def _flow(cls, v: Any) -> Any:
        if isinstance(v, float) and not 0.0 <= v <= 1e5:
            raise ValueError(f"{v:g} thousand tons a year is outside the range 0 to 100,000")
        return v

    start: dt.date | None = None
    end: dt.date | None = None
    rail: list[RegionId] = Field(default_factory=list, description="Regions crossed by land.")
    sea: list[RegionId] = Field(default_factory=list, description="Sea zones crossed.")


class Campaign(Sourced):
    """A named campaign: how the chronicle heads the chapters of a war between two sides.

    An event between a power of ``a`` and a power of ``b`` (either way round), dated within
    ``start`` and ``end``, belongs to the first campaign of the list that matches it; a war no
    campaign names is headed by its powers' names.
    """

    id: EntityId
    name: str = Field(min_length=1, description="The heading: 'The Winter War'.")
    a: list[PowerTag] = Field(min_length=1, description="One side's powers.")
    b: list[PowerTag] = Field(min_length=1, description="The other side's powers.")
    start: dt.date | None = Field(None, description="First day it names (none: from the start).")
    end: dt.date | None = Field(None, description="Last day it names (none: to the end).")

    @model_validator(mode="after")
    def _sides(self) -> Campaign:
        both = sorted(set(self.a) & set(self.b))
        if both:
            raise ValueError(f"{', '.join(both)} on both sides of the campaign")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"ends ({self.end}) before it starts ({self.start})")
        return self


class Scenario(Model):
    """A whole scenario, after ``extends`` has been resolved."""

    meta: Meta
    bibliography: list[Citation] = Field(
        default_factory=list, description="Citation keys beside meta.sources (may be split)."
    )
    powers: list[Power] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
    sea_zones: list[SeaZone] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)
    forces: list[Force] = Field(default_factory=list)
    fleets: list[Fleet] = Field(default_factory=list)
    air: list[AirForce] = Field(default_factory=list)
    leaders: list[Leader] = Field(default_factory=list)
    diplomacy: Diplomacy = Field(default_factory=Diplomacy)
    assumptions: list[Assumption] = Field(default_factory=list)
    parameters: dict[str, Number] = Field(
        default_factory=dict, description="Engine constants overridden by this scenario."
    )
    events: list[Event] = Field(default_factory=list)
    checkpoints: list[Checkpoint] = Field(
        default_factory=list,
        description="Expected outcomes with windows (see analysis.plausibility).",
    )
    alignment: list[Alignment] = Field(
        default_factory=list, description="War-entry and alignment data per power."
    )
    alignment_weights: list[AlignmentWeight] = Field(
        default_factory=list, description="Weights and constants of the diplomacy model."
    )
    economy: list[Economy] = Field(
        default_factory=list, description="Each power's war economy (rules.economy)."
    )
    trade: list[TradeRoute] = Field(
        default_factory=list, description="Oil trade routes (rules.economy)."
    )
    campaigns: list[Campaign] = Field(
        default_factory=list, description="Named campaigns, for the chronicle's chapter headings."
    )


#: Scenario fields that are lists of entities keyed by ``id`` (merged by id under ``extends``).
KEYED_LISTS = (
    "bibliography",
    "powers",
    "regions",
    "sea_zones",
    "forces",
    "fleets",
    "air",
    "leaders",
    "assumptions",
    "events",
    "checkpoints",
    "alignment",
    "alignment_weights",
    "economy",
    "trade",
    "campaigns",
)

#: File stems a scenario folder may hold, each a field of :class:`Scenario`.
FILE_FIELDS = tuple(Scenario.model_fields)

SNAKE = re.compile(ID_PATTERN)


def file_schemas() -> dict[str, dict[str, Any]]:
    """One JSON Schema per scenario file (``meta``, ``regions``, ``events``, …), by file stem."""
    from pydantic import TypeAdapter

    out = {}
    for name, field in Scenario.model_fields.items():
        body = TypeAdapter(field.annotation).json_schema()
        body["title"] = f"twinvipers scenario file {name}.yaml"
        out[name] = body
    return out
