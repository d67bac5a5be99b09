"""The session report, the material for the papers: what it says, collected once, in the rows and sentences both
writers use (`ratc.hangout.report_docx` writes it as DOCX, `ratc.hangout.report_html` as one self-contained HTML file).

Contents: introduction, participants, per theme the pinned views as images with their settings and headline
numbers, the cards grouped and ranked by votes, the 2×2 when cards were placed, the agreed actions with owners,
and the good practices the cards refer to. Only the facilitator can make a report (it holds the votes).
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ratc.core import export, fmt
from ratc.hangout import access, actions, board, pinning, practices, session, views, votes
from ratc.monitor.overview import Query

PNG_SCALE = 2  # 1,440 px for a 720 px chart: sharp at 16 cm, small enough to embed
DEFAULT_INTRODUCTION = (
    "In deze hang-out keken we samen naar de cijfers van de RAT-C monitor Zuid-Holland-Zuid en legden we per thema "
    "vast waar we nieuwsgierig naar zijn, welke beelden en ideeën we hebben, welke dilemma's en kansen we zien en "
    "wat we samen oppakken."
)
NO_THEME = "Zonder thema"


@dataclass(frozen=True)
class ViewSection:
    """A pinned view as it goes into the report: drawn now, as a PNG, or the reason it could not be drawn."""

    pinned: pinning.PinnedView
    rendered: views.Rendered | None
    png: bytes | None
    problem: str = ""


@dataclass(frozen=True)
class CardGroup:
    """Cards of one group (the facilitator's label; '' for cards in no group), most votes first."""

    name: str
    cards: list[board.Card]

    @property
    def votes(self) -> int:
        """All votes on the group's cards."""
        return sum(card.votes or 0 for card in self.cards)


@dataclass(frozen=True)
class ThemeSection:
    """One theme: its views, card groups, the 2×2 (image and table) and its actions."""

    name: str
    description: str
    views: list[ViewSection]
    groups: list[CardGroup]
    placement_png: bytes | None = None
    placement_table: pd.DataFrame | None = None
    actions: list[actions.Action] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """Everything the report says, collected once and written as DOCX or HTML."""

    session: session.Session
    participants: list[tuple[str, str]]
    themes: list[ThemeSection]
    actions: list[tuple[actions.Action, str]]
    practices: list[practices.Practice]
    view_titles: dict[str, str]
    made_on: dt.date
    is_demo: bool

    @property
    def file_stem(self) -> str:
        """'verslag_hang-out-werk-en-inkomen_2020-06-04'."""
        return export.file_stem("verslag", self.session.title, self.session.session_date.isoformat())


def collect(
    query: Query,
    facilitator: access.Facilitator,
    made_on: dt.date | None = None,
    draw: Callable[[Query, str, tuple[tuple[str, str], ...]], views.Rendered] = views.render,
) -> Report:
    """Read the session and draw its views; the facilitator's pass is required (the report shows the votes).

    `draw` renders a view; the page passes a cached one, so views already shown in the session are not drawn again.
    """
    session.check_facilitator(facilitator)
    info = session.session(facilitator)
    theme_list = session.themes(facilitator)
    pinned = pinning.agenda(facilitator)
    card_list = board.ranked(board.cards(facilitator, with_votes=True))
    placed = votes.placements(facilitator, with_votes=True) or []
    action_list = actions.actions(facilitator)
    made_on = made_on or dt.date.today()
    drawn = {view.view_id: _draw(query, view, draw) for view in pinned}
    theme_names = {theme.theme_id: theme.name for theme in theme_list}
    sections = []
    for theme_id, name, description in [
        *((t.theme_id, t.name, t.description) for t in theme_list),
        (None, NO_THEME, ""),
    ]:
        theme_views = [drawn[view.view_id] for view in pinned if view.theme_id == theme_id]
        theme_cards = [card for card in card_list if card.theme_id == theme_id]
        theme_actions = [action for action in action_list if action.theme_id == theme_id]
        if theme_id is None and not (theme_views or theme_cards or theme_actions):
            continue
        placeable = [card for card in theme_cards if card.kind in votes.PLACEABLE_KINDS]
        figure = votes.placement_figure(placeable, placed, info.title, name, made_on)
        sections.append(
            ThemeSection(
                name, description, theme_views, _groups(theme_cards),
                placement_png=export.png(figure.spec, scale=PNG_SCALE) if figure else None,
                placement_table=figure.data if figure else None, actions=theme_actions,
            )
        )  # fmt: skip
    referred = practices.by_ids([card.practice_id for card in card_list if card.practice_id])
    return Report(
        session=info,
        participants=session.participants(facilitator),
        themes=sections,
        actions=[(action, theme_names.get(action.theme_id, "")) for action in action_list],
        practices=list(referred.values()),
        view_titles={view.view_id: view.title for view in pinned},
        made_on=made_on,
        # the report says 'Demodata' when a figure in it shows demo figures; each such figure says so itself too
        is_demo=any(section.rendered is not None and section.rendered.figure is not None
                    and section.rendered.figure.meta.is_demo for section in drawn.values()),
    )  # fmt: skip


def _draw(query: Query, view: pinning.PinnedView, draw: Callable) -> ViewSection:
    """A pinned view drawn from the warehouse as it is now, with its PNG; a view that fails says why."""
    try:
        rendered = draw(query, view.url_path, tuple(sorted(view.params.items())))
    except views.ViewError as problem:
        return ViewSection(view, None, None, str(problem))
    if rendered.figure is None:
        return ViewSection(view, rendered, None, rendered.reason)
    return ViewSection(view, rendered, export.png(rendered.figure.spec, scale=PNG_SCALE))


def _groups(cards_list: list[board.Card]) -> list[CardGroup]:
    """Cards by group, groups with most votes first, cards in no group last; within a group most votes first."""
    names = list(dict.fromkeys(card.group for card in cards_list))
    groups = [CardGroup(name, board.ranked([card for card in cards_list if card.group == name])) for name in names]
    return sorted(groups, key=lambda group: (group.name == "", -group.votes))


def card_rows(report: Report, group: CardGroup) -> list[list[str]]:
    """The table rows of a card group: votes, kind, text (with merged texts, view and practice)."""
    titles = {practice.practice_id: practice.label for practice in report.practices}
    rows = []
    for card in group.cards:
        parts = [card.text]
        if card.merged:
            parts.append("Samengevoegd met: " + " | ".join(card.merged))
        if card.view_id and card.view_id in report.view_titles:
            parts.append(f"Bij: {report.view_titles[card.view_id]}")
        if card.practice_id and card.practice_id in titles:
            parts.append(f"Goede praktijk: {titles[card.practice_id]}")
        rows.append([str(card.votes or 0), card.kind_label, "\n".join(parts)])
    return rows


def participant_lines(report: Report) -> tuple[list[list[str]], int]:
    """Named participants as (naam, rol) rows, and how many took part without a name."""
    named = [[name, role] for name, role in report.participants if name]
    return named, len(report.participants) - len(named)


def action_rows(report: Report) -> list[list[str]]:
    """The agreed actions as rows: action, owner, due date, theme."""
    return [
        [action.description, action.owner, fmt.date_long(action.due_date) if action.due_date else "", theme]
        for action, theme in report.actions
    ]


def subtitle(report: Report) -> str:
    """'Hang-out van 4 juni 2020 · facilitator: Anna de Vries'."""
    info = report.session
    parts = [f"Hang-out van {fmt.date_long(info.session_date)}"]
    if info.facilitator_name:
        parts.append(f"facilitator: {info.facilitator_name}")
    return " · ".join(parts)


def participant_sentence(total: int, anonymous: int) -> str:
    """'5 deelnemers, van wie 2 zonder naam.'"""
    if total == 0:
        return "Er deden geen deelnemers mee via de sessiecode."
    word = "deelnemer" if total == 1 else "deelnemers"
    if anonymous == 0:
        return f"{total} {word}."
    if anonymous == total:
        return f"{total} {word}, allemaal zonder naam."
    return f"{total} {word}, van wie {anonymous} zonder naam."


def group_title(group: CardGroup) -> str:
    """'Groep: Werkgelegenheid (7 stippen)' or 'Overige kaarten'."""
    name = f"Groep: {group.name}" if group.name else "Overige kaarten"
    return f"{name} ({group.votes} {'stip' if group.votes == 1 else 'stippen'})"


def placement_rows(table: pd.DataFrame) -> list[list[str]]:
    """The 2×2's table rows in Dutch number format."""
    return [[str(row.nummer), row.kaart, row.kwadrant, fmt.number(row.impact, 1), fmt.number(row.invloed, 1)]
            for row in table.itertuples()]  # fmt: skip


def colophon(report: Report) -> str:
    """Where the report comes from and when it was made."""
    demo = " Grafieken met demodata zeggen dat in hun bronregel." if report.is_demo else ""
    return (
        f"Gemaakt met de RAT-C monitor Zuid-Holland-Zuid op {fmt.date_long(report.made_on)}. De grafieken zijn "
        f"getekend uit de monitor zoals die toen was; elke grafiek noemt haar bron.{demo}"
    )


def headline_table(rendered: views.Rendered) -> tuple[list[str], list[list[str]]] | None:
    """The headline numbers under a view as a header and rows (a scenario's headline table), or None."""
    if rendered.headline is None or rendered.headline.empty:
        return None
    frame = rendered.headline
    return [str(column) for column in frame.columns], _frame_rows(frame)


def _frame_rows(frame: pd.DataFrame) -> list[list[str]]:
    """A frame's cells as text, numbers in Dutch format."""
    return [[_cell(value) for value in row] for row in frame.itertuples(index=False)]


def _cell(value: object) -> str:
    """One cell as Dutch text; numpy's numbers (what a DataFrame holds) are numbers too."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "ja" if value else "nee"
    if isinstance(value, numbers.Integral):
        return fmt.number(int(value), 0)
    if isinstance(value, numbers.Real):
        number = float(value)
        return fmt.number(number, 0 if number.is_integer() else 1)
    return str(value)
