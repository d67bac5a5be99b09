"""Initiatives of society (#Veerkracht): a registry of initiatives and parties with what each offers and needs
per category, and the coalitions recorded between a need and an offer, kept in the shared store.

Capacity is counted in the category's unit (`data/initiatives/categories.csv`: households per week, euro,
volunteers …). A coalition commits an amount of an offer to a need of its category or a related one (one unit
for one unit: `ratc.initiatives.weights`); what is left of both is what the matching
(`ratc.initiatives.matching`) still works with.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from ratc.core import checks, fmt, keys, metadata, store
from ratc.initiatives import weights

DIRECTIONS = {"aanbod": "Biedt", "vraag": "Vraagt"}
REGION_LABEL = "Hele regio"
MAX_CAPACITY = 10_000_000
LIMITS = {"name": 120, "neighbourhood": 80, "description": 1000, "contact": 80, "item": 200, "note": 500}
VOCABULARY: metadata.Vocabulary = {  # read from data/initiatives/
    "categories": ("categories.csv", "category_id", "name"),
    "units": ("categories.csv", "category_id", "unit"),
    "party_types": ("party_types.csv", "party_type", "name"),
}
ITEM_COLUMNS = ["richting", "categorie", "omschrijving", "capaciteit"]

INITIATIVES = sa.Table(
    "initiatives",
    store.METADATA,
    sa.Column("initiative_id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(LIMITS["name"]), nullable=False),
    # lowercased name: one initiative per name and area, also when two people register it at once
    sa.Column("name_key", sa.String(3 * LIMITS["name"]), nullable=False),  # casefold may lengthen: ß -> ss
    sa.Column("party_type", sa.String(40), nullable=False),
    sa.Column("area_code", sa.String(12), nullable=False),
    sa.Column("neighbourhood", sa.String(LIMITS["neighbourhood"]), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("contact_name", sa.String(LIMITS["contact"]), nullable=False),
    sa.Column("email", sa.String(120), nullable=False),
    sa.Column("phone", sa.String(30), nullable=False),
    sa.Column("website", sa.String(300), nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False),
    sa.UniqueConstraint("is_demo", "area_code", "name_key", name="uq_initiatives_name_area"),
)
ITEMS = sa.Table(
    "initiative_items",
    store.METADATA,
    sa.Column("item_id", sa.String(32), primary_key=True),
    sa.Column("initiative_id", sa.String(32), sa.ForeignKey(INITIATIVES.c.initiative_id, ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("direction", sa.String(6), nullable=False),
    sa.Column("category_id", sa.String(40), nullable=False),
    sa.Column("description", sa.String(LIMITS["item"]), nullable=False),
    sa.Column("capacity", sa.Float, nullable=False),
)  # fmt: skip
COALITIONS = sa.Table(
    "initiative_coalitions",
    store.METADATA,
    sa.Column("coalition_id", sa.String(32), primary_key=True),
    sa.Column("need_item_id", sa.String(32), sa.ForeignKey(ITEMS.c.item_id, ondelete="CASCADE"), nullable=False),
    sa.Column("offer_item_id", sa.String(32), sa.ForeignKey(ITEMS.c.item_id, ondelete="CASCADE"), nullable=False),
    sa.Column("amount", sa.Float, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("recorded_by", sa.String(LIMITS["contact"]), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False),
    sa.UniqueConstraint("need_item_id", "offer_item_id", name="uq_initiative_coalitions_pair"),
)


@dataclass(frozen=True)
class Catalogue:
    """The registry's vocabulary: areas (the ten and the whole region), categories with units, party types."""

    areas: dict[str, str]
    categories: dict[str, str]
    units: dict[str, str]
    party_types: dict[str, str]


def catalogue(data_dir: Path | None = None) -> Catalogue:
    """Areas (areas.csv plus 'Hele regio'), categories and party types (data/initiatives/)."""
    labels = metadata.read_vocabulary(data_dir, "initiatives", VOCABULARY)
    return Catalogue(areas={**labels.pop("municipalities"), metadata.REGION_CODE: REGION_LABEL}, **labels)


@dataclass(frozen=True)
class Item:
    """One thing an initiative offers or needs: direction, category, what exactly and how much (category's unit)."""

    direction: str
    category_id: str
    description: str
    capacity: float


@dataclass(frozen=True)
class Registration:
    """An initiative as validated, ready to store."""

    name: str
    party_type: str
    area_code: str
    neighbourhood: str
    description: str
    contact_name: str
    email: str
    phone: str
    website: str
    items: tuple[Item, ...]


def validate(name: object, party_type: object, area_code: object, items: pd.DataFrame, neighbourhood: object = "",
             description: object = "", contact_name: object = "", email: object = "", phone: object = "",
             website: object = "", data_dir: Path | None = None) -> Registration:  # fmt: skip
    """A registration from the form, or Invalid with every problem by field and row; nothing is stored."""
    vocabulary = catalogue(data_dir)
    problems = checks.Collector()
    title = checks.line(problems, "Naam", name, LIMITS["name"])
    party = checks.choice(problems, "Soort partij", party_type, vocabulary.party_types)
    area = checks.choice(problems, "Gemeente", area_code, vocabulary.areas)
    place = checks.line(problems, "Wijk of kern", neighbourhood, LIMITS["neighbourhood"], required=False)
    if place and area == metadata.REGION_CODE:
        problems.add("Wijk of kern", "laat leeg bij een initiatief voor de hele regio, of kies een gemeente.")
    about = checks.block(problems, "Omschrijving", description, LIMITS["description"])
    person = checks.line(problems, "Contactpersoon", contact_name, LIMITS["contact"], required=False)
    address = checks.email(problems, "E-mail", email)
    number = checks.phone(problems, "Telefoon", phone)
    site = checks.website(problems, "Website", website)
    if checks.is_blank(email) and checks.is_blank(phone):
        problems.add("Contact", "vul een e-mailadres of een telefoonnummer in, zodat partners u kunnen bereiken.")
    rows = _items(problems, items, vocabulary)
    problems.raise_if_any()
    return Registration(title, party, area, place, about, person, address, number, site, rows)


def _items(problems: checks.Collector, table: pd.DataFrame | None, vocabulary: Catalogue) -> tuple[Item, ...]:
    """What the initiative offers and needs; every problem names 'Regel n' and the column."""
    rows = []
    frame = pd.DataFrame(columns=ITEM_COLUMNS) if table is None else table.reindex(columns=ITEM_COLUMNS)
    filled = [row for row in frame.to_dict("records") if not all(checks.is_blank(value) for value in row.values())]
    for number, row in enumerate(filled, start=1):
        where = f"Regel {number}"
        direction = checks.choice(problems, f"{where} · Biedt of vraagt", row["richting"], DIRECTIONS, number)
        category = checks.choice(problems, f"{where} · Categorie", row["categorie"], vocabulary.categories, number)
        what = checks.line(problems, f"{where} · Omschrijving", row["omschrijving"], LIMITS["item"], row=number)
        amount = checks.number(problems, f"{where} · Capaciteit", row["capaciteit"], 0, MAX_CAPACITY, row=number)
        if amount is not None and amount <= 0:
            problems.add(f"{where} · Capaciteit", "moet groter dan 0 zijn.", number)
        rows.append(Item(direction, category, what, amount))
    if not filled:
        problems.add("Aanbod en vraag", "vul ten minste één regel in: wat biedt of vraagt het initiatief?")
    return tuple(rows)


def register(registration: Registration, demo: bool = False, registered_at: dt.datetime | None = None,
             url: str | None = None, initiative_id: str | None = None, *, key: keys.Key = None) -> str:  # fmt: skip
    """Store an initiative with its offers and needs in one transaction; Invalid when it is already registered.

    `key` is the initiatives key (keys.AccessDenied, nothing stored, when it is wrong).
    """
    keys.require(keys.may_register(key), "Deze sleutel is niet juist; er is niets opgeslagen.", keys.INITIATIVES)
    initiative_id = initiative_id or store.new_id()
    values = {
        "initiative_id": initiative_id, "name": registration.name, "name_key": registration.name.casefold(),
        "party_type": registration.party_type, "area_code": registration.area_code,
        "neighbourhood": registration.neighbourhood, "description": registration.description,
        "contact_name": registration.contact_name, "email": registration.email, "phone": registration.phone,
        "website": registration.website, "registered_at": registered_at or store.now(), "is_demo": demo,
    }  # fmt: skip
    try:
        with store.begin(url) as connection:
            connection.execute(INITIATIVES.insert().values(**values))
            connection.execute(
                ITEMS.insert(),
                [
                    {"item_id": item_id(initiative_id, position), "initiative_id": initiative_id, "position": position,
                     "direction": item.direction, "category_id": item.category_id, "description": item.description,
                     "capacity": item.capacity}
                    for position, item in enumerate(registration.items, start=1)
                ],
            )  # fmt: skip
    except sa.exc.IntegrityError as error:
        area = catalogue().areas.get(registration.area_code, registration.area_code)
        raise checks.Invalid(
            [checks.Problem("Naam", f"'{registration.name}' staat al in het register ({area}).")]
        ) from error
    return initiative_id


def item_id(initiative_id: str, position: int) -> str:
    """The id of an initiative's n-th item: derived from the initiative's, so demo content is the same every time."""
    return uuid.uuid5(uuid.NAMESPACE_OID, f"{initiative_id}:{position}").hex


def holdings(url: str | None = None) -> tuple[bool, bool]:
    """Whether the store holds real initiatives, and whether it holds demo initiatives."""
    with store.read(url) as connection:
        kinds = connection.execute(sa.select(INITIATIVES.c.is_demo).distinct()).scalars().all()
    return (False in kinds, True in kinds)


@dataclass(frozen=True)
class Registry:
    """The registry as read in one go: initiatives, their items with what is left, and the coalitions."""

    demo: bool
    initiatives: pd.DataFrame
    items: pd.DataFrame  # with the initiative's name, area, neighbourhood and party type, and `remaining`
    coalitions: pd.DataFrame
    # results computed from this registry once per run, however many tables ask for them
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_empty(self) -> bool:
        """Whether no initiative is registered."""
        return self.initiatives.empty


def registry(demo: bool, url: str | None = None) -> Registry:
    """Every initiative (real or demo) with its offers and needs, what is left of each, and every coalition."""
    committed = {
        side: sa.select(COALITIONS.c[side].label("item_id"), sa.func.sum(COALITIONS.c.amount).label("committed"))
        .group_by(COALITIONS.c[side])
        .subquery()
        for side in ("need_item_id", "offer_item_id")
    }
    used = sa.func.coalesce(committed["need_item_id"].c.committed, 0) + sa.func.coalesce(
        committed["offer_item_id"].c.committed, 0
    )
    items_query = (
        sa.select(ITEMS, (ITEMS.c.capacity - used).label("remaining"))
        .join(INITIATIVES, INITIATIVES.c.initiative_id == ITEMS.c.initiative_id)
        .outerjoin(committed["need_item_id"], committed["need_item_id"].c.item_id == ITEMS.c.item_id)
        .outerjoin(committed["offer_item_id"], committed["offer_item_id"].c.item_id == ITEMS.c.item_id)
        .where(INITIATIVES.c.is_demo == demo)
        .order_by(ITEMS.c.initiative_id, ITEMS.c.position)
    )
    initiatives_query = (
        sa.select(INITIATIVES)
        .where(INITIATIVES.c.is_demo == demo)
        .order_by(INITIATIVES.c.name_key, INITIATIVES.c.area_code)
    )
    coalitions_query = (
        sa.select(COALITIONS)
        .where(COALITIONS.c.is_demo == demo)
        .order_by(COALITIONS.c.recorded_at.desc(), COALITIONS.c.coalition_id)
    )
    with store.read(url) as connection:
        initiatives = _frame(connection, initiatives_query, INITIATIVES.c.keys())
        items = _frame(connection, items_query, [*ITEMS.c.keys(), "remaining"])
        coalitions = _frame(connection, coalitions_query, COALITIONS.c.keys())
    about = initiatives[["initiative_id", "name", "party_type", "area_code", "neighbourhood"]]
    items = items.merge(about, on="initiative_id", how="left")
    items["remaining"] = items["remaining"].astype("float64").clip(lower=0)
    return Registry(demo, initiatives, items, coalitions)


def _frame(connection: sa.Connection, query, columns: list[str]) -> pd.DataFrame:
    """A query's rows as a DataFrame with these columns (also when there are none)."""
    return pd.DataFrame(connection.execute(query).mappings().all(), columns=columns)


def record_coalition(need_item_id: str, offer_item_id: str, amount: object = None, note: object = "",
                     recorded_by: object = "", url: str | None = None,
                     recorded_at: dt.datetime | None = None, *, key: keys.Key = None) -> str:  # fmt: skip
    """Commit (part of) an offer to a need; Invalid (Dutch) when they do not fit or the amount is not available.

    The amount defaults to all that is possible: the smaller of what is left of the need and of the offer.
    Both items are locked while the amounts are checked (FOR UPDATE on PostgreSQL; SQLite writers queue),
    so two people cannot commit the same capacity at the same moment. `key` is the initiatives key
    (keys.AccessDenied, nothing stored, when it is wrong).
    """
    keys.require(
        keys.may_register(key), "Deze sleutel is niet juist; de coalitie is niet vastgelegd.", keys.INITIATIVES
    )
    problems = checks.Collector()
    remark = checks.block(problems, "Notitie", note, LIMITS["note"])
    who = checks.line(problems, "Vastgelegd door", recorded_by, LIMITS["contact"], required=False)
    wanted = None if checks.is_blank(amount) else checks.number(problems, "Hoeveelheid", amount, 0, MAX_CAPACITY)
    problems.raise_if_any()
    coalition_id = store.new_id()
    try:
        with store.begin(url) as connection:
            need, offer = (_locked_item(connection, key) for key in (need_item_id, offer_item_id))
            _check_pair(problems, need, offer)
            problems.raise_if_any()
            left = min(_left(connection, need), _left(connection, offer))
            if left <= 0:
                problems.add(
                    "Hoeveelheid", "er is niets meer over om te koppelen: de vraag is gedekt of het aanbod op."
                )
            elif wanted is not None and wanted <= 0:
                problems.add("Hoeveelheid", "moet groter dan 0 zijn.")
            elif wanted is not None and wanted > left + 1e-9:
                unit = catalogue().units[need["category_id"]]
                most = fmt.number(left, 2, trim=True)
                problems.add("Hoeveelheid", f"hoogstens {most} {unit} (wat nog over is van vraag en aanbod).")
            problems.raise_if_any()
            connection.execute(
                COALITIONS.insert().values(
                    coalition_id=coalition_id, need_item_id=need_item_id, offer_item_id=offer_item_id,
                    amount=left if wanted is None else wanted, note=remark, recorded_by=who,
                    recorded_at=recorded_at or store.now(), is_demo=need["is_demo"],
                )
            )  # fmt: skip
    except sa.exc.IntegrityError as error:
        raise checks.Invalid([checks.Problem("Coalitie", "deze koppeling is al vastgelegd.")]) from error
    return coalition_id


def _locked_item(connection: sa.Connection, item_id: str) -> sa.RowMapping | None:
    """An item with its initiative's demo flag, locked for this transaction where the database can."""
    query = (
        sa.select(ITEMS, INITIATIVES.c.is_demo)
        .join(INITIATIVES, INITIATIVES.c.initiative_id == ITEMS.c.initiative_id)
        .where(ITEMS.c.item_id == str(item_id))
        .with_for_update(of=ITEMS)
    )
    return connection.execute(query).mappings().first()


def _left(connection: sa.Connection, item: sa.RowMapping) -> float:
    """What is left of an item: its capacity minus every amount already committed to or from it."""
    column = COALITIONS.c.need_item_id if item["direction"] == "vraag" else COALITIONS.c.offer_item_id
    committed = connection.execute(
        sa.select(sa.func.coalesce(sa.func.sum(COALITIONS.c.amount), 0)).where(column == item["item_id"])
    ).scalar_one()
    return float(item["capacity"]) - float(committed)


def _check_pair(problems: checks.Collector, need: sa.RowMapping | None, offer: sa.RowMapping | None) -> None:
    """Every reason why this need and this offer cannot form a coalition."""
    if need is None or need["direction"] != "vraag":
        problems.add("Vraag", "deze vraag staat niet in het register.")
    if offer is None or offer["direction"] != "aanbod":
        problems.add("Aanbod", "dit aanbod staat niet in het register.")
    if problems.problems:
        return
    if need["initiative_id"] == offer["initiative_id"]:
        problems.add("Coalitie", "een initiatief kan niet aan zichzelf worden gekoppeld.")
    if weights.load().relation(need["category_id"], offer["category_id"]) is None:
        problems.add("Coalitie", "vraag en aanbod horen bij verschillende categorieën die niet verwant zijn "
                                 "(data/initiatives/related_categories.csv).")  # fmt: skip
    if need["is_demo"] != offer["is_demo"]:
        problems.add("Coalitie", "demodata en echte initiatieven worden niet aan elkaar gekoppeld.")


def remove_demo(url: str | None = None) -> None:
    """Delete every demo initiative with its items and coalitions; real ones are untouched."""
    demo_items = (
        sa.select(ITEMS.c.item_id)
        .join(INITIATIVES, INITIATIVES.c.initiative_id == ITEMS.c.initiative_id)
        .where(INITIATIVES.c.is_demo.is_(True))
    )
    with store.begin(url) as connection:
        connection.execute(
            COALITIONS.delete().where(
                sa.or_(COALITIONS.c.is_demo.is_(True), COALITIONS.c.need_item_id.in_(demo_items),
                       COALITIONS.c.offer_item_id.in_(demo_items))
            )
        )  # fmt: skip
        connection.execute(ITEMS.delete().where(ITEMS.c.item_id.in_(demo_items)))
        connection.execute(INITIATIVES.delete().where(INITIATIVES.c.is_demo.is_(True)))
