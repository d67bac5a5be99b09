"""The library of good practices: what a municipality did that others can learn from, searchable, with a contact.

Participants of a session (and its facilitator) add practices; anyone using the monitor can search them. Cards and
session reports refer to a practice by its id. A link must be an http(s) URL; it is shown as text or as a plain
link, never as markup.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa

from ratc.core import fmt, store, text
from ratc.hangout.access import author_name, authorise, stamp

LIMITS = {"title": 120, "municipality": 80, "theme": 80, "description": 2000, "contact": 160, "link": 500}
MAX_RESULTS = 200
HOST_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")

PRACTICES = sa.Table(
    "practices",
    store.METADATA,
    sa.Column("practice_id", sa.String(32), primary_key=True),
    sa.Column("title", sa.String(LIMITS["title"]), nullable=False),
    sa.Column("municipality", sa.String(LIMITS["municipality"]), nullable=False, default=""),
    sa.Column("theme", sa.String(LIMITS["theme"]), nullable=False, default=""),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("contact", sa.String(LIMITS["contact"]), nullable=False, default=""),
    sa.Column("link", sa.String(LIMITS["link"]), nullable=False, default=""),
    # the session it was added in (kept as plain text so deleting a session leaves the practice)
    sa.Column("session_id", sa.String(32), nullable=True, index=True),
    sa.Column("added_by", sa.String(80), nullable=False, default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


class InvalidPractice(ValueError):
    """A practice that cannot be stored; the Dutch message names the field."""


@dataclass(frozen=True)
class Practice:
    """A good practice in the library."""

    practice_id: str
    title: str
    municipality: str
    theme: str
    description: str
    contact: str
    link: str
    added_by: str
    created_at: dt.datetime

    @property
    def label(self) -> str:
        """'Titel (Gemeente)' for pick lists and references."""
        return f"{self.title} ({self.municipality})" if self.municipality else self.title


def clean_link(value: object) -> str:
    """An http(s) URL with a host, or '' when empty; InvalidPractice for anything else (javascript:, data:, …)."""
    link = text.clean_line(value, text.MAX_RAW)
    if not link:
        return ""
    if len(link) > LIMITS["link"]:
        raise InvalidPractice(f"Link: is {fmt.number(len(link))} tekens lang; hoogstens {fmt.number(LIMITS['link'])}.")
    if " " in link:
        raise InvalidPractice("Link: een webadres bevat geen spaties.")
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https") or not host or not HOST_PATTERN.match(host):
        raise InvalidPractice(
            "Link: vul een webadres in dat begint met https:// (of http://), bijv. https://www.dordrecht.nl/."
        )
    if parts.username or parts.password:
        raise InvalidPractice("Link: een webadres met gebruikersnaam of wachtwoord wordt niet opgeslagen.")
    return link


def add(
    who: object,
    title: str,
    description: str,
    municipality: str = "",
    theme: str = "",
    contact: str = "",
    link: str = "",
) -> str:
    """Add a practice to the library; `who` is a session pass (participant or facilitator). Returns its id."""
    values = {
        "title": _field(title, "title", "Titel", required=True),
        "description": _field(description, "description", "Beschrijving", required=True, block=True),
        "municipality": _field(municipality, "municipality", "Gemeente"),
        "theme": _field(theme, "theme", "Thema"),
        "contact": _field(contact, "contact", "Contact"),
        "link": clean_link(link),
    }
    practice_id = store.new_id()
    with store.begin() as connection:
        session_row = authorise(connection, who)
        added_by = author_name(connection, who)
        connection.execute(
            PRACTICES.insert().values(practice_id=practice_id, session_id=session_row.session_id, added_by=added_by,
                                      created_at=stamp(), **values)
        )  # fmt: skip
    return practice_id


def search(words: str = "", municipality: str = "", theme: str = "", limit: int = MAX_RESULTS) -> list[Practice]:
    """Practices whose title, municipality, theme, description or contact contain every word; newest first."""
    statement = sa.select(PRACTICES)
    searchable = (PRACTICES.c.title, PRACTICES.c.municipality, PRACTICES.c.theme, PRACTICES.c.description,
                  PRACTICES.c.contact)  # fmt: skip
    for word in text.clean_line(words, 200).lower().split()[:10]:
        statement = statement.where(sa.or_(*(sa.func.lower(column).contains(word, autoescape=True)
                                             for column in searchable)))  # fmt: skip
    if municipality:
        statement = statement.where(PRACTICES.c.municipality == municipality)
    if theme:
        statement = statement.where(PRACTICES.c.theme == theme)
    statement = statement.order_by(PRACTICES.c.created_at.desc(), PRACTICES.c.practice_id).limit(limit)
    with store.read() as connection:
        return [_practice(row) for row in connection.execute(statement)]


def facets() -> tuple[list[str], list[str]]:
    """The municipalities and themes that occur in the library, for filters."""
    with store.read() as connection:
        municipalities = connection.execute(
            sa.select(PRACTICES.c.municipality).where(PRACTICES.c.municipality != "").distinct()
        ).scalars()
        themes = connection.execute(sa.select(PRACTICES.c.theme).where(PRACTICES.c.theme != "").distinct()).scalars()
        return sorted(municipalities), sorted(themes)


def by_ids(practice_ids: list[str]) -> dict[str, Practice]:
    """The practices with these ids (for the cards and the report that refer to them)."""
    wanted = [practice_id for practice_id in dict.fromkeys(practice_ids) if practice_id]
    if not wanted:
        return {}
    with store.read() as connection:
        rows = connection.execute(sa.select(PRACTICES).where(PRACTICES.c.practice_id.in_(wanted)))
        return {row.practice_id: _practice(row) for row in rows}


def _practice(row: sa.Row) -> Practice:
    """A stored row as a Practice."""
    return Practice(row.practice_id, row.title, row.municipality, row.theme, row.description, row.contact, row.link,
                    row.added_by, row.created_at)  # fmt: skip


def _field(value: object, name: str, label: str, required: bool = False, block: bool = False) -> str:
    """A cleaned field; empty when required, or too long, is an error with a Dutch message."""
    raw = "" if value is None else str(value)
    if len(raw) > text.MAX_RAW:  # refused before cleaning, which would take long on megabytes
        raise InvalidPractice(f"{label}: is {fmt.number(len(raw))} tekens lang; hoogstens {fmt.number(LIMITS[name])}.")
    cleaned = text.clean_block(raw, text.MAX_RAW) if block else text.clean_line(raw, text.MAX_RAW)
    if required and not cleaned:
        raise InvalidPractice(f"{label}: is leeg; vul dit in.")
    if len(cleaned) > LIMITS[name]:
        raise InvalidPractice(
            f"{label}: is {fmt.number(len(cleaned))} tekens lang; hoogstens {fmt.number(LIMITS[name])}."
        )
    return cleaned
