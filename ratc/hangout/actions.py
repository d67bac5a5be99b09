"""Agreed actions: what the session takes up together, with an owner, a due date, and the theme or card it came from.

Only the facilitator records and removes them; everyone in the session reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from ratc.core import store
from ratc.hangout.access import Facilitator, Pass, authorise, owned_row, stamp
from ratc.hangout.schema import ACTIONS, CARDS, InvalidInput, required_block, required_line
from ratc.hangout.session import check_references


@dataclass(frozen=True)
class Action:
    """An agreed action with its owner."""

    action_id: str
    theme_id: str | None
    card_id: str | None
    description: str
    owner: str
    due_date: dt.date | None


def add_action(
    facilitator: Facilitator,
    description: str,
    owner: str,
    theme_id: str | None = None,
    card_id: str | None = None,
    due_date: dt.date | None = None,
) -> str:
    """Record an agreed action with its owner (who takes it up); returns its id."""
    description = required_block(description, "action", "Actie", "Beschrijf wat er samen wordt opgepakt.")
    owner = required_line(owner, "owner", "Eigenaar", "Wie pakt deze actie op? Vul een naam of organisatie in.")
    if due_date is not None and not isinstance(due_date, dt.date):
        raise InvalidInput("Uiterlijk: kies een datum of laat het veld leeg.")
    action_id = store.new_id()
    with store.begin() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        check_references(connection, facilitator.session_id, theme_id, None, None)
        if card_id is not None:
            owned_row(connection, CARDS, CARDS.c.card_id, card_id, facilitator.session_id, "Kaart")
        connection.execute(
            ACTIONS.insert().values(action_id=action_id, session_id=facilitator.session_id, theme_id=theme_id,
                                    card_id=card_id, description=description, owner=owner, due_date=due_date,
                                    created_at=stamp())
        )  # fmt: skip
    return action_id


def remove_action(facilitator: Facilitator, action_id: str) -> None:
    """Remove an agreed action."""
    with store.begin() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        owned_row(connection, ACTIONS, ACTIONS.c.action_id, action_id, facilitator.session_id, "Actie")
        connection.execute(ACTIONS.delete().where(ACTIONS.c.action_id == action_id))


def actions(who: Pass) -> list[Action]:
    """The agreed actions, in the order they were agreed."""
    with store.read() as connection:
        authorise(connection, who)
        rows = connection.execute(
            sa.select(ACTIONS)
            .where(ACTIONS.c.session_id == who.session_id)
            .order_by(ACTIONS.c.created_at, ACTIONS.c.action_id)
        )
        return [
            Action(row.action_id, row.theme_id, row.card_id, row.description, row.owner, row.due_date) for row in rows
        ]
