"""The session report, the material for the papers: DOCX and one self-contained HTML file, in Dutch.

Contents: introduction, participants, per theme the pinned views as images with their settings and headline
numbers, the cards grouped and ranked by votes, the 2×2 when cards were placed, the agreed actions with owners,
and the good practices the cards refer to. The HTML has its images as data URIs and no external references; all
text in it is escaped. Only the facilitator can make a report (it holds the votes).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt, RGBColor

from ratc.core import export, fmt
from ratc.hangout import access, actions, board, pinning, practices, session, views, votes
from ratc.monitor.overview import Query

PNG_SCALE = 2  # 1,440 px for a 720 px chart: sharp at 16 cm, small enough to embed
IMAGE_WIDTH_CM = 16
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
        is_demo=views.is_demo(query),
    )


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


def to_docx(report: Report) -> bytes:
    """The report as a Word document."""
    document = Document()
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(11)
    info = report.session
    document.add_heading(f"Verslag hang-out: {info.title}", level=0)
    document.add_paragraph(_subtitle(report))
    if report.is_demo:
        _note(document, "Demodata: de cijfers in dit verslag zijn gegenereerd voor demonstratie en training.")

    document.add_heading("Inleiding", level=1)
    for paragraph in (info.introduction or DEFAULT_INTRODUCTION).split("\n\n"):
        document.add_paragraph(paragraph)

    document.add_heading("Deelnemers", level=1)
    named, anonymous = participant_lines(report)
    if named:
        _table(document, ["Naam", "Rol"], named)
    document.add_paragraph(_participant_sentence(len(report.participants), anonymous))

    for section in report.themes:
        document.add_heading(f"Thema: {section.name}", level=1)
        if section.description:
            document.add_paragraph(section.description)
        if section.views:
            document.add_heading("Beelden uit de monitor", level=2)
        for view in section.views:
            document.add_heading(view.pinned.title, level=3)
            if view.png:
                document.add_picture(io.BytesIO(view.png), width=Cm(IMAGE_WIDTH_CM))  # its source line is in it
            else:
                _note(document, f"Deze weergave kon niet worden getekend: {view.problem}")
            if view.pinned.note:
                document.add_paragraph(view.pinned.note)
            if view.rendered:
                _table(document, ["Instelling", "Waarde"], [list(item) for item in view.rendered.settings])
                _headline_docx(document, view.rendered)
        document.add_heading("Kaarten", level=2)
        if not section.groups:
            document.add_paragraph("Bij dit thema zijn geen kaarten geschreven.")
        for group in section.groups:
            if group.name or len(section.groups) > 1:
                document.add_heading(_group_title(group), level=3)
            _table(document, ["Stippen", "Soort", "Kaart"], card_rows(report, group), widths=(2, 4, 10))
        if section.placement_png:
            document.add_heading("Impact × invloed", level=2)
            document.add_picture(io.BytesIO(section.placement_png), width=Cm(12))
            table = section.placement_table
            _table(document, ["Nr.", "Kaart", "Kwadrant", "Impact", "Invloed"], _placement_rows(table))
        if section.actions:
            document.add_heading("Afgesproken bij dit thema", level=2)
            for action in section.actions:
                document.add_paragraph(f"{action.description} — {action.owner}", style="List Bullet")

    document.add_heading("Afgesproken acties", level=1)
    rows = action_rows(report)
    if rows:
        _table(document, ["Actie", "Eigenaar", "Uiterlijk", "Thema"], rows, widths=(8, 4, 2.5, 2.5))
    else:
        document.add_paragraph("Er zijn geen acties vastgelegd.")

    if report.practices:
        document.add_heading("Goede praktijken", level=1)
        for practice in report.practices:
            document.add_heading(practice.label, level=3)
            document.add_paragraph(practice.description)
            details = [("Thema", practice.theme), ("Contact", practice.contact), ("Link", practice.link)]
            _table(document, ["", ""], [[label, value] for label, value in details if value], show_header=False)
    document.add_paragraph(_colophon(report)).runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_html(report: Report) -> str:
    """The report as one self-contained HTML file: images as data URIs, no scripts, no external references."""
    info = report.session
    out = [f"<h1>Verslag hang-out: {_e(info.title)}</h1>", f"<p class='sub'>{_e(_subtitle(report))}</p>"]
    if report.is_demo:
        out.append("<p class='demo'>Demodata: de cijfers in dit verslag zijn gegenereerd voor demonstratie en "
                   "training.</p>")  # fmt: skip
    out.append("<h2>Inleiding</h2>")
    out += [f"<p>{_e(part)}</p>" for part in (info.introduction or DEFAULT_INTRODUCTION).split("\n\n")]
    out.append("<h2>Deelnemers</h2>")
    named, anonymous = participant_lines(report)
    if named:
        out.append(_html_table(["Naam", "Rol"], named))
    out.append(f"<p>{_e(_participant_sentence(len(report.participants), anonymous))}</p>")
    for section in report.themes:
        out.append(f"<h2>Thema: {_e(section.name)}</h2>")
        if section.description:
            out.append(f"<p>{_e(section.description)}</p>")
        if section.views:
            out.append("<h3>Beelden uit de monitor</h3>")
        for view in section.views:
            out.append(f"<h4>{_e(view.pinned.title)}</h4>")
            if view.png:
                figure = view.rendered.figure
                out.append(f"<figure><img alt='{_e(figure.description)}' src='{_data_uri(view.png)}'></figure>")
            else:
                out.append(f"<p class='note'>Deze weergave kon niet worden getekend: {_e(view.problem)}</p>")
            if view.pinned.note:
                out.append(f"<p>{_e(view.pinned.note)}</p>")
            if view.rendered:
                out.append(_html_table(["Instelling", "Waarde"], [list(item) for item in view.rendered.settings]))
                out.append(_headline_html(view.rendered))
        out.append("<h3>Kaarten</h3>")
        if not section.groups:
            out.append("<p>Bij dit thema zijn geen kaarten geschreven.</p>")
        for group in section.groups:
            if group.name or len(section.groups) > 1:
                out.append(f"<h4>{_e(_group_title(group))}</h4>")
            out.append(_html_table(["Stippen", "Soort", "Kaart"], card_rows(report, group)))
        if section.placement_png:
            out.append("<h3>Impact × invloed</h3>")
            out.append(f"<figure><img class='square' alt='Impact × invloed' "
                       f"src='{_data_uri(section.placement_png)}'></figure>")  # fmt: skip
            out.append(_html_table(["Nr.", "Kaart", "Kwadrant", "Impact", "Invloed"],
                                   _placement_rows(section.placement_table)))  # fmt: skip
        if section.actions:
            out.append("<h3>Afgesproken bij dit thema</h3><ul>")
            out += [f"<li>{_e(action.description)} — {_e(action.owner)}</li>" for action in section.actions]
            out.append("</ul>")
    out.append("<h2>Afgesproken acties</h2>")
    rows = action_rows(report)
    out.append(_html_table(["Actie", "Eigenaar", "Uiterlijk", "Thema"], rows) if rows
               else "<p>Er zijn geen acties vastgelegd.</p>")  # fmt: skip
    if report.practices:
        out.append("<h2>Goede praktijken</h2>")
        for practice in report.practices:
            out.append(f"<h4>{_e(practice.label)}</h4><p>{_e(practice.description)}</p>")
            details = [("Thema", practice.theme), ("Contact", practice.contact), ("Link", practice.link)]
            out.append(_html_table(["", ""], [[label, value] for label, value in details if value]))
    out.append(f"<p class='colophon'>{_e(_colophon(report))}</p>")
    title = _e(f"Verslag hang-out: {info.title}")
    return (
        "<!DOCTYPE html>\n<html lang='nl'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{title}</title><style>{STYLE}</style></head><body><main>\n"
        + "\n".join(out)
        + "\n</main></body></html>\n"
    )


STYLE = (
    "body{font-family:Calibri,Helvetica,Arial,sans-serif;color:#1F2933;line-height:1.45;margin:0;background:#fff}"
    "main{max-width:860px;margin:0 auto;padding:24px}h1{font-size:1.9em}h2{border-bottom:2px solid #E69F00;"
    "padding-bottom:4px;margin-top:2em}p.sub{color:#52606D}p.demo{background:#FFF4E5;padding:8px 12px}"
    "p.note{color:#9A3412}figure{margin:1em 0}img{max-width:100%;height:auto}img.square{max-width:480px}"
    "table{border-collapse:collapse;width:100%;"
    "margin:.5em 0 1em}th,td{border:1px solid #CBD2D9;padding:4px 8px;text-align:left;vertical-align:top;"
    "white-space:pre-wrap}th{background:#F0F4F8}p.colophon{margin-top:3em;font-size:.85em;color:#52606D}"
)


def _subtitle(report: Report) -> str:
    """'Hang-out van 4 juni 2020 · facilitator: Anna de Vries'."""
    info = report.session
    parts = [f"Hang-out van {fmt.date_long(info.session_date)}"]
    if info.facilitator_name:
        parts.append(f"facilitator: {info.facilitator_name}")
    return " · ".join(parts)


def _participant_sentence(total: int, anonymous: int) -> str:
    """'5 deelnemers, van wie 2 zonder naam.'"""
    if total == 0:
        return "Er deden geen deelnemers mee via de sessiecode."
    word = "deelnemer" if total == 1 else "deelnemers"
    if anonymous == 0:
        return f"{total} {word}."
    if anonymous == total:
        return f"{total} {word}, allemaal zonder naam."
    return f"{total} {word}, van wie {anonymous} zonder naam."


def _group_title(group: CardGroup) -> str:
    """'Groep: Werkgelegenheid (7 stippen)' or 'Overige kaarten'."""
    name = f"Groep: {group.name}" if group.name else "Overige kaarten"
    return f"{name} ({group.votes} {'stip' if group.votes == 1 else 'stippen'})"


def _placement_rows(table: pd.DataFrame) -> list[list[str]]:
    """The 2×2's table rows in Dutch number format."""
    return [[str(row.nummer), row.kaart, row.kwadrant, fmt.number(row.impact, 1), fmt.number(row.invloed, 1)]
            for row in table.itertuples()]  # fmt: skip


def _colophon(report: Report) -> str:
    """Where the report comes from and when it was made."""
    demo = " De cijfers zijn demodata." if report.is_demo else ""
    return (
        f"Gemaakt met de RAT-C monitor Zuid-Holland-Zuid op {fmt.date_long(report.made_on)}. De grafieken zijn "
        f"getekend uit de monitor zoals die toen was; elke grafiek noemt haar bron.{demo}"
    )


def _headline_docx(document, rendered: views.Rendered) -> None:
    """Headline numbers under a view: the scenario's table, or the figure's one-sentence description."""
    if rendered.headline is not None and not rendered.headline.empty:
        frame = rendered.headline
        _table(document, [str(column) for column in frame.columns], _frame_rows(frame))
    elif rendered.figure is not None:
        document.add_paragraph(f"Kern: {rendered.figure.description}")


def _headline_html(rendered: views.Rendered) -> str:
    """Headline numbers under a view, as HTML."""
    if rendered.headline is not None and not rendered.headline.empty:
        frame = rendered.headline
        return _html_table([str(column) for column in frame.columns], _frame_rows(frame))
    if rendered.figure is not None:
        return f"<p><strong>Kern:</strong> {_e(rendered.figure.description)}</p>"
    return ""


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


def _table(document, header: list[str], rows: list[list[str]], widths=None, show_header: bool = True):
    """A Word table with a bold header row (or none)."""
    table = document.add_table(rows=1 if show_header else 0, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    if show_header:
        for cell, title in zip(table.rows[0].cells, header, strict=True):
            cell.text = title
            cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    document.add_paragraph()
    return table


def _note(document, message: str) -> None:
    """A highlighted note paragraph."""
    run = document.add_paragraph().add_run(message)
    run.bold = True
    run.font.color.rgb = RGBColor(0x9A, 0x34, 0x12)


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    """An HTML table with every cell escaped."""
    head = "".join(f"<th>{_e(title)}</th>" for title in header) if any(header) else ""
    body = "".join("<tr>" + "".join(f"<td>{_e(value)}</td>" for value in row) + "</tr>" for row in rows)
    return f"<table>{f'<thead><tr>{head}</tr></thead>' if head else ''}<tbody>{body}</tbody></table>"


def _data_uri(png: bytes) -> str:
    """A PNG as a data URI."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _e(value: object) -> str:
    """Text escaped for HTML, quotes included."""
    return html.escape(str(value), quote=True)
