"""The scenario paper's page for the hang-out's conclusions: empty headings to fill in, or a chosen session's
themes with their cards ranked by dots and the agreed actions with their owners.

Reading a session's cards and votes takes the facilitator's pass (`ratc.hangout.session.check_facilitator`), as the
session report does; what people typed goes into the paper as plain text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ratc.core import fmt
from ratc.hangout import access, actions, board, session
from ratc.papers.document import Block, Heading, Paragraph, Table

TOP_CARDS = 8
EMPTY_HEADINGS = ("Wat valt op?", "Wat betekent dit voor onze gemeenten?", "Wat pakken we samen aan?")


@dataclass(frozen=True)
class ThemeConclusions:
    """One theme: its cards with the most dots and the actions agreed under it."""

    name: str
    cards: tuple[board.Card, ...]
    actions: tuple[actions.Action, ...]


@dataclass(frozen=True)
class Conclusions:
    """What a session concluded, per theme, and the actions outside any theme."""

    title: str
    session_date: dt.date
    themes: tuple[ThemeConclusions, ...]
    loose_actions: tuple[actions.Action, ...]


def from_session(facilitator: access.Facilitator) -> Conclusions:
    """A session's conclusions; only its facilitator may read them (they hold the votes)."""
    session.check_facilitator(facilitator)
    info = session.session(facilitator)
    ranked = board.ranked(board.cards(facilitator, with_votes=True))
    agreed = actions.actions(facilitator)
    themes = tuple(
        ThemeConclusions(
            theme.name,
            tuple(card for card in ranked if card.theme_id == theme.theme_id)[:TOP_CARDS],
            tuple(action for action in agreed if action.theme_id == theme.theme_id),
        )
        for theme in session.themes(facilitator)
    )
    known = {theme.theme_id for theme in session.themes(facilitator)}
    loose = tuple(action for action in agreed if action.theme_id not in known)
    return Conclusions(info.title, info.session_date, themes, loose)


def blocks(conclusions: Conclusions | None, next_table: Callable[[], str]) -> list[Block]:
    """The chapter's blocks: empty headings with room to write, or the session's themes, cards and actions."""
    if conclusions is None:
        result: list[Block] = [
            Paragraph.plain("Vul na de hang-out in wat de deelnemers in deze scenario's zien.", "small")
        ]
        for heading in EMPTY_HEADINGS:
            result += [Heading(heading, level=2), Paragraph.plain("", "blank"), Paragraph.plain("", "blank")]
        return result
    result = [
        Paragraph.plain(
            f"Uit de hang-out '{conclusions.title}' van {fmt.date_long(conclusions.session_date)}: "
            "per thema de kaarten met de meeste stippen en de afgesproken acties."
        )
    ]
    for theme in conclusions.themes:
        result.append(Heading(theme.name, level=2))
        if theme.cards:
            rows = tuple((str(card.votes or 0), card.kind_label, card.text) for card in theme.cards)
            result.append(
                Table(
                    ("Stippen", "Soort", "Kaart"),
                    rows,
                    f"{theme.name}: de kaarten met de meeste stippen",
                    (0,),
                    (1.6, 2.6, 12.8),
                )
            )
            next_table()
        else:
            result.append(Paragraph.plain("Bij dit thema zijn geen kaarten geschreven."))
        if theme.actions:
            result.append(_action_table(theme.actions, f"{theme.name}: afgesproken acties"))
            next_table()
    if conclusions.loose_actions:
        result.append(Heading("Overige acties", level=2))
        result.append(_action_table(conclusions.loose_actions, "Acties buiten de thema's"))
        next_table()
    return result


def _action_table(agreed: tuple[actions.Action, ...], caption: str) -> Table:
    """Actions with owner and due date."""
    rows = tuple(
        (action.description, action.owner, fmt.date_short(action.due_date) if action.due_date else "")
        for action in agreed
    )
    return Table(("Actie", "Eigenaar", "Uiterlijk"), rows, caption, (), (9.5, 5.0, 2.5))
