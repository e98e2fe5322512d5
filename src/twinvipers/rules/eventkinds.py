"""The event kinds a run records: each kind's code and what each of its fields holds.

``history.record(h, run, day, kind, actor, target, region, aux, value, x1, x2)`` writes one event
(and ``history.record_more(h, x3, x4)`` right after it, for a kind with more fields).
``actor`` and ``target`` are always power ids and ``region`` a region id (-1: none); ``aux`` is an
integer and ``value``, ``x1``, ``x2``, ``x3``, ``x4`` are floats whose meaning depends on the kind. This table is
the one place that says what they mean: the record sites take their codes from it
(``codes.K_*``) and the results store decodes every kind's ``details`` from it
(``ensemble.store``). ``value`` is also written as the ``events`` table's ``value`` column.

A new kind is one entry here and its record site; ``tests/rules/test_events_wiring.py`` checks
that every kind is recorded somewhere and every record site names a kind of this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Slot = Literal["aux", "value", "x1", "x2", "x3", "x4"]
# What a detail field holds: the id of an entity of a name list of the compiled scenario
# ("powers", "regions", "sea_zones", "forces", "fleets", "leaders", "treaties", "events",
# "air_missions"), a number, a yes/no, or one of a few labelled codes.
Holds = Literal["id", "number", "flag", "label"]


@dataclass(frozen=True)
class Field:
    """One of ``aux``, ``value``, ``x1`` … ``x4`` of a kind: its name in ``details`` and meaning.

    Attributes:
        slot: Which recorded field it is.
        name: Its key in the ``details`` JSON.
        holds: ``id`` (an index into the name list ``of``; -1 decodes to null), ``number``
            (rounded to ``digits``, to an integer when None), ``flag`` (true when > 0.5) or
            ``label`` (``labels[int(x)]``, "?" when unknown).
        meaning: What it is, with its unit.
        of: For ``id``: the name list it indexes.
        digits: For ``number``: decimals kept in ``details``.
        labels: For ``label``: the name of each code.
        shown: False for a field the engine records but ``details`` leaves out.
    """

    slot: Slot
    name: str
    holds: Holds
    meaning: str
    of: str = ""
    digits: int | None = None
    labels: tuple[tuple[int, str], ...] = ()
    shown: bool = True

    def decode(self, x: float, names: dict[str, list[str]]) -> object:
        """The field's value as ``details`` gives it."""
        if self.holds == "id":
            return names[self.of][int(x)] if x >= 0 else None
        if self.holds == "flag":
            return bool(x > 0.5)
        if self.holds == "label":
            return dict(self.labels).get(int(x), "?")
        return round(x) if self.digits is None else round(x, self.digits)


@dataclass(frozen=True)
class Kind:
    """An event kind: its code, its name in the results and the meaning of each field.

    Attributes:
        code: ``ev_kind`` (the index of the kind in ``KINDS``).
        name: The ``kind`` column's value.
        doc: When it is recorded.
        actor: What the actor power is ("" when always -1).
        target: What the target power is ("" when always -1).
        region: What the region is ("" when always -1).
        fields: The kind's ``aux``/``value``/``x1``…``x4``, in the order ``details`` lists them;
            a slot not named is 0 (-1 for ``aux``).
    """

    code: int
    name: str
    doc: str
    actor: str = ""
    target: str = ""
    region: str = ""
    fields: tuple[Field, ...] = ()

    def details(self, slots: dict[str, float], names: dict[str, list[str]]) -> dict[str, object]:
        """The ``details`` of one event of this kind, from its recorded slots."""
        return {f.name: f.decode(slots[f.slot], names) for f in self.fields if f.shown}


TABLE = (
    Kind(0, "war_declared", "a power declares war", actor="who declares", target="on whom"),
    Kind(1, "peace", "two powers stop fighting", actor="one side", target="the other"),
    Kind(
        2,
        "capitulation",
        "a power gives up: total surrender, or its scenario terms",
        actor="who gives up",
        target="the victor",
        region="its capital",
        fields=(
            Field("value", "pressure", "number", "pressure beyond its breaking point", digits=4),
            Field(
                "aux",
                "terms",
                "id",
                "the event holding its terms (null: total surrender)",
                of="events",
            ),
            Field("x1", "terms_applied", "flag", "1 when the terms were applied", shown=False),
        ),
    ),
    Kind(
        3,
        "alliance_joined",
        "a power joins a treaty",
        actor="who joins",
        fields=(Field("aux", "treaty", "id", "the treaty", of="treaties"),),
    ),
    Kind(
        4,
        "region_captured",
        "a region changes controller",
        actor="the new controller",
        target="the old controller",
        region="the region",
        fields=(Field("value", "transfer", "flag", "1 when a scripted transfer", shown=False),),
    ),
    Kind(
        5,
        "battle",
        "an engagement ends (dated to its first day)",
        actor="the attacker",
        target="the defender",
        region="where it was fought",
        fields=(
            Field("value", "attacker_won", "flag", "1 when no defender held the region"),
            Field("x1", "attacker_losses", "number", "attacker's killed and wounded, men"),
            Field("x2", "defender_losses", "number", "defender's killed and wounded, men"),
            Field("aux", "defender_captured", "number", "defender's men taken prisoner"),
            Field("x3", "attacker_men", "number", "attacking men engaged on its first day"),
            Field("x4", "defender_men", "number", "defending men engaged on its first day"),
        ),
    ),
    Kind(
        6,
        "scripted",
        "a scripted event fires",
        fields=(Field("aux", "id", "id", "the event", of="events"),),
    ),
    Kind(
        7,
        "leader_replaced",
        "a leader takes over a commander's forces",
        actor="the leaders' power",
        fields=(
            Field("value", "old", "id", "the leader replaced", of="leaders"),
            Field("aux", "new", "id", "the leader taking over", of="leaders"),
        ),
    ),
    Kind(
        8,
        "naval_battle",
        "fleets fight for a sea zone",
        actor="side a's power",
        target="side b's power",
        fields=(
            Field("aux", "zone", "id", "the sea zone", of="sea_zones"),
            Field(
                "value",
                "zone_held_by",
                "label",
                "who holds the zone after (naval.HELD_BY_*)",
                labels=((-1, "none"), (0, "contested"), (1, "actor"), (2, "target")),
            ),
            Field("x1", "actor_ships_lost", "number", "actor's ships lost, ships", digits=2),
            Field("x2", "target_ships_lost", "number", "target's ships lost, ships", digits=2),
        ),
    ),
    Kind(
        9,
        "blockade",
        "a blockade takes station (its first day)",
        actor="the blockading power",
        target="the blockaded power",
        fields=(
            Field("aux", "zone", "id", "the sea zone", of="sea_zones"),
            Field(
                "value",
                "share_stopped",
                "number",
                "share of the target's shipping stopped",
                digits=4,
            ),
        ),
    ),
    Kind(
        10,
        "landing",
        "an amphibious landing is attempted",
        actor="the landing power",
        target="the region's controller",
        region="the beach",
        fields=(
            Field("aux", "force", "id", "the force landing", of="forces"),
            Field("value", "succeeded", "flag", "1 when it got ashore"),
            Field("x1", "probability", "number", "chance it had of getting ashore", digits=4),
            Field("x2", "men", "number", "men embarked"),
        ),
    ),
    Kind(
        11,
        "trade_war",
        "a month of commerce raiding by one fleet",
        actor="the raiding power",
        target="the power whose shipping is raided",
        fields=(
            Field("aux", "zone", "id", "the sea zone", of="sea_zones"),
            Field("value", "grt_sunk", "number", "merchant shipping sunk, gross register tons"),
            Field("x1", "submarines_lost", "number", "submarines lost to escorts"),
        ),
    ),
    Kind(
        12,
        "bombardment",
        "a fleet starts shelling a coastal region",
        actor="the fleet's power",
        target="the region's controller",
        region="the region shelled",
        fields=(
            Field("aux", "fleet", "id", "the fleet", of="fleets"),
            Field("value", "port_share_lost", "number", "share of port capacity wrecked", digits=4),
            Field("x1", "gun_tubes", "number", "artillery-equivalent tubes in support"),
        ),
    ),
    Kind(
        13,
        "air_strike",
        "a day of a strategic air campaign",
        actor="the striking power",
        target="the region's controller",
        region="the target region",
        fields=(
            Field(
                "aux",
                "mission",
                "id",
                "the mission (codes.A_SUPPORT + 1 + AirMission index)",
                of="air_missions",
            ),
            Field("value", "effect", "number", "the mission's effect (share or losses)", digits=4),
            Field("x1", "sorties", "number", "bomber sorties flown", digits=1),
            Field(
                "x2", "superiority", "number", "air superiority over the target, -1..1", digits=3
            ),
        ),
    ),
    Kind(
        14,
        "special_weapons",
        "chemical or biological weapons authorised or used",
        actor="the user",
        target="the victim",
        region="where used (-1: the authorisation)",
        fields=(
            Field(
                "aux", "weapon", "label", "the weapon", labels=((0, "chemical"), (1, "biological"))
            ),
            Field("value", "casualties", "number", "casualties caused, people"),
            Field("x1", "deaths", "number", "deaths among them, people"),
            Field("x2", "will", "number", "the victim's change of will", shown=False),
        ),
    ),
    Kind(
        15,
        "evacuation",
        "a force is lifted out of a port",
        actor="the force's power",
        region="the port",
        fields=(
            Field("aux", "force", "id", "the force", of="forces"),
            Field("value", "succeeded", "flag", "1 when lifted"),
            Field("x1", "men", "number", "the force's men"),
        ),
    ),
    Kind(
        16,
        "war_entry",
        "the diplomacy model (free diplomacy) takes a neutral into a war",
        actor="the power entering",
        target="the strongest member of the side it joins",
        fields=(
            Field(
                "aux",
                "how",
                "label",
                "by its own choice or honouring an alliance",
                labels=((1, "choice"), (2, "alliance")),
            ),
            Field("value", "probability", "number", "its chance of joining that side", digits=3),
            Field("x1", "utility", "number", "utility of joining minus staying out", digits=3),
            Field("x2", "draw", "number", "the run's draw it fell under", digits=3),
        ),
    ),
    Kind(
        17,
        "entry_factor",
        "one factor of a war_entry decision (recorded beside it, one per driver)",
        actor="the power entering",
        target="the strongest member of the side it joins",
        fields=(
            Field(
                "aux",
                "factor",
                "label",
                "the driver",
                labels=(
                    (0, "position"),
                    (1, "course"),
                    (2, "threat"),
                    (3, "spoils"),
                    (4, "readiness"),
                    (5, "ideology"),
                    (6, "offer"),
                    (7, "economy"),
                    (8, "ally"),
                    (9, "collapse"),
                ),
            ),
            Field(
                "value", "weighted", "number", "weight x term, joining minus staying out", digits=3
            ),
            Field("x1", "term", "number", "the term's value for joining", digits=3),
        ),
    ),
    Kind(
        18,
        "oil_shortage",
        "a power's oil no longer meets its military needs (below shortage_threshold)",
        actor="the power short of oil",
        fields=(
            Field(
                "value", "fuel_share", "number", "share of the day's military need met", digits=3
            ),
            Field("x1", "stock_kt", "number", "oil stock left, thousand tons", digits=1),
        ),
    ),
    Kind(
        19,
        "route_cut",
        "a trade route's flow falls below half (enemy ground, blockade, war or ice)",
        actor="the exporter (-1: the world market)",
        target="the importer",
        fields=(
            Field("aux", "route", "id", "the trade route", of="trade"),
            Field(
                "value", "open_share", "number", "share of the flow still getting through", digits=3
            ),
        ),
    ),
    Kind(
        20,
        "route_opened",
        "a trade route opens on its start date, or its flow reaches half again after a cut",
        actor="the exporter (-1: the world market)",
        target="the importer",
        fields=(
            Field("aux", "route", "id", "the trade route", of="trade"),
            Field("value", "open_share", "number", "share of the flow getting through", digits=3),
        ),
    ),
    Kind(
        21,
        "oil_delivered",
        "a month's oil delivered along a trade route (recorded on the next month's first day)",
        actor="the exporter (-1: the world market)",
        target="the importer",
        fields=(
            Field("aux", "route", "id", "the trade route", of="trade"),
            Field("value", "kt", "number", "oil delivered in the month, thousand tons", digits=1),
        ),
    ),
    Kind(
        22,
        "strategy",
        "a high command decides (command.high): reinforces a theatre, opens an offensive of its "
        "own, goes over to the defensive, or pauses to rebuild supply",
        actor="the deciding power",
        target="the objective's holder (offensive; else none)",
        region="the theatre's front region reinforced, or the objective",
        fields=(
            Field(
                "aux",
                "decision",
                "label",
                "what was decided",
                labels=((0, "reinforce"), (1, "offensive"), (2, "defensive"), (3, "pause")),
            ),
            Field(
                "value",
                "odds",
                "number",
                "reinforce: the theatre's power over its need once the forces arrive; "
                "offensive: the combat model's win probability; pause: the field army's supply",
                digits=3,
            ),
            Field("x1", "men", "number", "men sent (reinforce) or in the field (pause)"),
            Field("x2", "forces", "number", "forces sent (reinforce)"),
        ),
    ),
    Kind(
        23,
        "terms_sought",
        "a losing belligerent seeks terms (free diplomacy, rules.entry): its expectation of the "
        "war's course fell below its threshold",
        actor="the power seeking terms",
        target="the strongest power of the other side (which answers)",
        fields=(
            Field(
                "aux", "regions", "number", "its regions the terms cede (held by the other side)"
            ),
            Field(
                "value", "p_win", "number", "its side's chance of winning, as it sees it", digits=3
            ),
            Field("x1", "probability", "number", "its chance of seeking terms that day", digits=3),
            Field("x2", "draw", "number", "the day's draw it fell under", digits=3),
        ),
    ),
    Kind(
        24,
        "terms_answered",
        "the other side accepts or refuses a seeker's terms (recorded after terms_sought); "
        "accepted: the regions are ceded and the seeker makes peace with the other side",
        actor="the strongest power of the other side",
        target="the power that sought terms",
        fields=(
            Field(
                "aux",
                "answer",
                "label",
                "accepted or refused",
                labels=((0, "refused"), (1, "accepted")),
            ),
            Field("value", "probability", "number", "its chance of accepting", digits=3),
            Field(
                "x1",
                "terms_value",
                "number",
                "the terms' worth to it: the share of the seeker's victory points ceded, "
                "discounted for the seeker's strength (the commitment problem)",
                digits=3,
            ),
            Field(
                "x2",
                "fight_on",
                "number",
                "its value of fighting on: its side's chance of winning less the cost of war",
                digits=3,
            ),
        ),
    ),
)

CODE = {k.name: k.code for k in TABLE}
BY_CODE = {k.code: k for k in TABLE}
KINDS = tuple(sorted(CODE, key=CODE.__getitem__))  # names by code: the `kind` column's dictionary

# The record sites' names for the codes (numba reads them as compile-time constants).
K_WAR = CODE["war_declared"]
K_PEACE = CODE["peace"]
K_CAPITULATION = CODE["capitulation"]
K_ALLIANCE = CODE["alliance_joined"]
K_CAPTURED = CODE["region_captured"]
K_BATTLE = CODE["battle"]
K_SCRIPTED = CODE["scripted"]
K_LEADER = CODE["leader_replaced"]
K_NAVAL_BATTLE = CODE["naval_battle"]
K_BLOCKADE = CODE["blockade"]
K_LANDING = CODE["landing"]
K_TRADE_WAR = CODE["trade_war"]
K_BOMBARDMENT = CODE["bombardment"]
K_AIR_STRIKE = CODE["air_strike"]
K_SPECIAL = CODE["special_weapons"]
K_EVACUATION = CODE["evacuation"]
K_ENTRY = CODE["war_entry"]
K_ENTRY_FACTOR = CODE["entry_factor"]
K_SHORTAGE = CODE["oil_shortage"]
K_ROUTE_CUT = CODE["route_cut"]
K_ROUTE_OPENED = CODE["route_opened"]
K_OIL_DELIVERED = CODE["oil_delivered"]
K_STRATEGY = CODE["strategy"]
K_TERMS_SOUGHT = CODE["terms_sought"]
K_TERMS_ANSWERED = CODE["terms_answered"]
