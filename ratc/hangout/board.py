"""The board of a hang out: cards per theme, and the facilitator's tidying (edit, group, merge). A card's votes
stay hidden from everyone until the facilitator reveals them; the dots themselves are cast in `ratc.hangout.votes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from ratc.core import ratelimit, store
from ratc.hangout.access import (
    CARD_WRITES,
    AccessDenied,
    Facilitator,
    Participant,
    Pass,
    author_name,
    authorise,
    owned_row,
    stamp,
)
from ratc.hangout.schema import (
    CARDS,
    KINDS,
    PLACEMENTS,
    VOTES,
    InvalidInput,
    clean_field_line,
    required_block,
)
from ratc.hangout.session import check_references

COLLECTING_CLOSED = "Kaarten toevoegen kan nu niet: de facilitator heeft de verzamelronde afgesloten."


@dataclass(frozen=True)
class Card:
    """A card on the board; votes and placement are None until the facilitator reveals them."""

    card_id: str
    theme_id: str | None
    kind: str
    text: str
    group: str
    author: str
    view_id: str | None
    practice_id: str | None
    created_at: dt.datetime
    merged: tuple[str, ...] = ()
    votes: int | None = None

    @property
    def kind_label(self) -> str:
        """The Dutch name of the card's kind."""
        return KINDS[self.kind]


def add_card(
    who: Pass,
    theme_id: str | None,
    kind: str,
    card_text: str,
    view_id: str | None = None,
    practice_id: str | None = None,
    *,
    token: str | None = None,
) -> str:
    """Add a card to the board (participants while cards are collected; the facilitator any time); its id.

    With the sender's `token` (store.client_token) the card is stored once: sent again after a lost
    confirmation, the card stored the first time is answered. A participant writes at most CARD_WRITES a minute.
    """
    if kind not in KINDS:
        raise InvalidInput(f"Soort kaart: kies een van {', '.join(KINDS.values())}.")
    body = required_block(card_text, "card", "Kaarttekst", "Schrijf in een paar woorden wat u ziet, denkt of wilt.")
    token = store.client_token(token)
    card_id = store.new_id()
    try:
        with store.begin() as connection:
            now = stamp()  # taken with the write lock held, so the order of time is the order of writing
            session_row = authorise(connection, who)
            earlier = _card_sent_before(connection, who.session_id, token)
            if earlier is not None:
                return earlier
            if isinstance(who, Participant):
                if session_row.phase != "verzamelen":
                    raise AccessDenied(COLLECTING_CLOSED)
                ratelimit.take(CARD_WRITES, who.participant_id, connection)
            check_references(connection, who.session_id, theme_id, view_id, practice_id)
            author = author_name(connection, who)
            connection.execute(
                CARDS.insert().values(
                    card_id=card_id, session_id=who.session_id, theme_id=theme_id, kind=kind, text=body,
                    group_name="", participant_id=who.participant_id if isinstance(who, Participant) else None,
                    author=author, view_id=view_id, practice_id=practice_id, created_at=now, updated_at=now,
                    client_token=token,
                )
            )  # fmt: skip
    except sa.exc.IntegrityError:
        # the same token sent twice at once (PostgreSQL): the other one stored it
        with store.read() as connection:
            earlier = _card_sent_before(connection, who.session_id, token)
        if earlier is None:
            raise
        return earlier
    return card_id


def _card_sent_before(connection: sa.Connection, session_id: str, token: str | None) -> str | None:
    """The card stored earlier with this token in the session, if any."""
    if token is None:
        return None
    return connection.execute(
        sa.select(CARDS.c.card_id).where(CARDS.c.session_id == session_id, CARDS.c.client_token == token)
    ).scalar_one_or_none()


def edit_card(
    facilitator: Facilitator,
    card_id: str,
    *,
    card_text: str | None = None,
    kind: str | None = None,
    theme_id: str | None = None,
    group: str | None = None,
    practice_id: str | None = None,
) -> None:
    """Change a card's text, kind, theme, group or practice (the facilitator tidies the board)."""
    values: dict[str, object] = {}
    if card_text is not None:
        values["text"] = required_block(card_text, "card", "Kaarttekst", "Een kaart kan niet leeg zijn.")
    if kind is not None:
        if kind not in KINDS:
            raise InvalidInput(f"Soort kaart: kies een van {', '.join(KINDS.values())}.")
        values["kind"] = kind
    if group is not None:
        values["group_name"] = clean_field_line(group, "group", "Groep")
    with store.begin() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        owned_row(connection, CARDS, CARDS.c.card_id, card_id, facilitator.session_id, "Kaart")
        if theme_id is not None:
            check_references(connection, facilitator.session_id, theme_id, None, None)
            values["theme_id"] = theme_id
        if practice_id is not None:
            check_references(connection, facilitator.session_id, None, None, practice_id or None)
            values["practice_id"] = practice_id or None
        if values:
            connection.execute(CARDS.update().where(CARDS.c.card_id == card_id).values(**values, updated_at=stamp()))


def group_cards(facilitator: Facilitator, card_ids: Iterable[str], group: str) -> None:
    """Put cards in one named group (an empty name takes them out of their group)."""
    name = clean_field_line(group, "group", "Groep")
    card_ids = list(dict.fromkeys(card_ids))
    with store.begin() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        for card_id in card_ids:
            owned_row(connection, CARDS, CARDS.c.card_id, card_id, facilitator.session_id, "Kaart")
        connection.execute(
            CARDS.update().where(CARDS.c.card_id.in_(card_ids)).values(group_name=name, updated_at=stamp())
        )


def merge_cards(facilitator: Facilitator, target_id: str, source_ids: Iterable[str]) -> None:
    """Merge cards into one: the sources' votes and placements move to the target; their texts stay listed under it."""
    sources = [card_id for card_id in dict.fromkeys(source_ids) if card_id != target_id]
    if not sources:
        raise InvalidInput("Samenvoegen: kies minstens één andere kaart om samen te voegen.")
    with store.begin() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        # Lock every card involved before reading its votes: a vote or placement on a source waits until the merge
        # is done (and then sees the source is merged), instead of landing on it after its votes were moved.
        # Sorted by id, so two merges that share cards lock them in the same order and cannot deadlock.
        connection.execute(
            sa.select(CARDS.c.card_id)
            .where(CARDS.c.card_id.in_([target_id, *sources]))
            .order_by(CARDS.c.card_id)
            .with_for_update()
        ).all()
        for card_id in [target_id, *sources]:
            row = owned_row(connection, CARDS, CARDS.c.card_id, card_id, facilitator.session_id, "Kaart")
            if row.merged_into is not None:
                raise InvalidInput("Samenvoegen: deze kaart is al samengevoegd met een andere.")
        # cards merged earlier into a source now hang under the target, so nothing becomes orphaned
        connection.execute(CARDS.update().where(CARDS.c.merged_into.in_(sources)).values(merged_into=target_id))
        connection.execute(VOTES.update().where(VOTES.c.card_id.in_(sources)).values(card_id=target_id))
        placed = set(
            connection.execute(
                sa.select(PLACEMENTS.c.participant_id).where(PLACEMENTS.c.card_id == target_id)
            ).scalars()
        )
        for row in connection.execute(sa.select(PLACEMENTS).where(PLACEMENTS.c.card_id.in_(sources))).all():
            if row.participant_id not in placed:  # one placement per person per card: the target's own wins
                connection.execute(PLACEMENTS.insert().values(card_id=target_id, participant_id=row.participant_id,
                                                              impact=row.impact, influence=row.influence,
                                                              placed_at=row.placed_at))  # fmt: skip
                placed.add(row.participant_id)
        connection.execute(PLACEMENTS.delete().where(PLACEMENTS.c.card_id.in_(sources)))
        connection.execute(
            CARDS.update().where(CARDS.c.card_id.in_(sources)).values(merged_into=target_id, updated_at=stamp())
        )


def cards(who: Pass, with_votes: bool | None = None) -> list[Card]:
    """The active cards (merged ones listed under their target), oldest first; votes only once revealed.

    The facilitator may ask for the votes before the reveal (`with_votes=True`) to write the report.
    """
    with store.read() as connection:
        session_row = authorise(connection, who)
        show_votes = session_row.votes_revealed
        if with_votes is not None and isinstance(who, Facilitator):
            show_votes = with_votes
        rows = connection.execute(
            sa.select(CARDS).where(CARDS.c.session_id == who.session_id).order_by(CARDS.c.created_at, CARDS.c.card_id)
        ).all()
        counts = dict(
            connection.execute(
                sa.select(VOTES.c.card_id, sa.func.count())
                .join(CARDS, CARDS.c.card_id == VOTES.c.card_id)
                .where(CARDS.c.session_id == who.session_id)
                .group_by(VOTES.c.card_id)
            ).all()
        )
    merged: dict[str, list[str]] = {}
    for row in rows:
        if row.merged_into:
            merged.setdefault(row.merged_into, []).append(row.text)
    return [
        Card(row.card_id, row.theme_id, row.kind, row.text, row.group_name, row.author, row.view_id, row.practice_id,
             row.created_at, tuple(merged.get(row.card_id, ())), counts.get(row.card_id, 0) if show_votes else None)
        for row in rows
        if row.merged_into is None
    ]  # fmt: skip


def ranked(cards_list: Sequence[Card]) -> list[Card]:
    """Cards by votes (most first), then in the order they were written."""
    return sorted(cards_list, key=lambda card: -(card.votes or 0))
