"""Views pinned to a session's agenda: each a page of the monitor with every setting, in the order they are shown.

Only the facilitator pins, moves and unpins; everyone in the session reads the agenda.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from ratc.core import store, text
from ratc.hangout.access import Facilitator, Pass, authorise, lock_session, owned_row, stamp
from ratc.hangout.schema import (
    CARDS,
    SESSIONS,
    THEMES,
    VIEWS,
    InvalidInput,
    clean_field_block,
    clean_field_line,
    required_line,
)

MAX_PARAMS = 30
PATH_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
PARAM_PATTERN = re.compile(r"^[a-z0-9_]{1,40}$")


@dataclass(frozen=True)
class PinnedView:
    """A view of the monitor pinned to the agenda: page (url_path) and every setting (params)."""

    view_id: str
    position: int
    url_path: str
    params: dict[str, str]
    title: str
    note: str
    theme_id: str | None


def pin_view(
    facilitator: Facilitator,
    url_path: str,
    params: Mapping[str, object],
    title: str,
    theme_id: str | None = None,
    note: str = "",
) -> str:
    """Pin a view (a page and all its settings) to the end of the agenda; returns its id."""
    url_path = str(url_path or "").strip().lower()
    if not PATH_PATTERN.match(url_path):
        raise InvalidInput(f"Weergave: '{text.clean_line(url_path, 60)}' is geen pagina van de monitor.")
    cleaned = clean_params(params)
    title = required_line(title, "view_title", "Titel van de weergave", "Geef de weergave een titel.")
    note = clean_field_block(note, "view_note", "Toelichting")
    view_id = store.new_id()
    with store.begin() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        if theme_id is not None:
            owned_row(connection, THEMES, THEMES.c.theme_id, theme_id, facilitator.session_id, "Thema")
        lock_session(connection, facilitator.session_id)  # two pins at once must not get the same position
        position = connection.execute(
            sa.select(sa.func.coalesce(sa.func.max(VIEWS.c.position), -1)).where(
                VIEWS.c.session_id == facilitator.session_id
            )
        ).scalar_one()
        connection.execute(
            VIEWS.insert().values(view_id=view_id, session_id=facilitator.session_id, theme_id=theme_id,
                                  position=position + 1, url_path=url_path, params=json.dumps(cleaned, sort_keys=True),
                                  title=title, note=note, pinned_at=stamp())
        )  # fmt: skip
    return view_id


def clean_params(params: Mapping[str, object]) -> dict[str, str]:
    """A view's settings as plain text pairs, checked: parameter names lowercase, values single lines."""
    if len(params) > MAX_PARAMS:
        raise InvalidInput(f"Weergave: hoogstens {MAX_PARAMS} instellingen.")
    cleaned = {}
    for name, value in params.items():
        if not PARAM_PATTERN.match(str(name)):
            raise InvalidInput(f"Weergave: instelling '{text.clean_line(name, 60)}' heeft een ongeldige naam.")
        cleaned[str(name)] = clean_field_line(value, "param", f"Weergave: instelling '{name}'")
    return dict(sorted(cleaned.items()))


def agenda(who: Pass) -> list[PinnedView]:
    """The pinned views in agenda order."""
    with store.read() as connection:
        authorise(connection, who)
        rows = connection.execute(
            sa.select(VIEWS).where(VIEWS.c.session_id == who.session_id).order_by(VIEWS.c.position)
        )
        return [
            PinnedView(row.view_id, row.position, row.url_path, json.loads(row.params), row.title, row.note,
                       row.theme_id)
            for row in rows
        ]  # fmt: skip


def move_view(facilitator: Facilitator, view_id: str, offset: int) -> None:
    """Move a pinned view up (negative offset) or down the agenda."""
    with store.begin() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        owned_row(connection, VIEWS, VIEWS.c.view_id, view_id, facilitator.session_id, "Weergave")
        order = list(
            connection.execute(
                sa.select(VIEWS.c.view_id)
                .where(VIEWS.c.session_id == facilitator.session_id)
                .order_by(VIEWS.c.position)
            ).scalars()
        )
        index = order.index(view_id)
        target = min(max(index + offset, 0), len(order) - 1)
        order.insert(target, order.pop(index))
        for position, each in enumerate(order):
            connection.execute(VIEWS.update().where(VIEWS.c.view_id == each).values(position=position))


def unpin_view(facilitator: Facilitator, view_id: str) -> None:
    """Take a view off the agenda; cards tied to it keep their text."""
    with store.begin() as connection:
        session_row = authorise(connection, facilitator, facilitator_only=True)
        owned_row(connection, VIEWS, VIEWS.c.view_id, view_id, facilitator.session_id, "Weergave")
        connection.execute(CARDS.update().where(CARDS.c.view_id == view_id).values(view_id=None))
        if session_row.current_view_id == view_id:
            connection.execute(
                SESSIONS.update().where(SESSIONS.c.session_id == facilitator.session_id).values(current_view_id=None)
            )
        connection.execute(VIEWS.delete().where(VIEWS.c.view_id == view_id))
