"""The session report as a Word document (DOCX): headings, the views and the 2×2 as pictures, tables in one style
(`ratc.core.docx_style`, shared with the papers)."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Cm, Pt

from ratc.core import docx_style
from ratc.hangout import views
from ratc.hangout.report import (
    DEFAULT_INTRODUCTION,
    Report,
    action_rows,
    card_rows,
    colophon,
    group_title,
    headline_table,
    participant_lines,
    participant_sentence,
    placement_rows,
    subtitle,
)

IMAGE_WIDTH_CM = 16


def to_docx(report: Report) -> bytes:
    """The report as a Word document."""
    document = Document()
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(11)
    info = report.session
    document.add_heading(f"Verslag hang-out: {info.title}", level=0)
    document.add_paragraph(subtitle(report))
    if report.is_demo:
        docx_style.note(
            document,
            "Demodata: cijfers in dit verslag zijn gegenereerd voor demonstratie en training; elke "
            "grafiek met demodata zegt het in haar bronregel.",
        )

    document.add_heading("Inleiding", level=1)
    for paragraph in (info.introduction or DEFAULT_INTRODUCTION).split("\n\n"):
        document.add_paragraph(paragraph)

    document.add_heading("Deelnemers", level=1)
    named, anonymous = participant_lines(report)
    if named:
        docx_style.table(document, ["Naam", "Rol"], named)
    document.add_paragraph(participant_sentence(len(report.participants), anonymous))

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
                docx_style.note(document, f"Deze weergave kon niet worden getekend: {view.problem}")
            if view.pinned.note:
                document.add_paragraph(view.pinned.note)
            if view.rendered:
                docx_style.table(document, ["Instelling", "Waarde"], [list(item) for item in view.rendered.settings])
                _headline_docx(document, view.rendered)
        document.add_heading("Kaarten", level=2)
        if not section.groups:
            document.add_paragraph("Bij dit thema zijn geen kaarten geschreven.")
        for group in section.groups:
            if group.name or len(section.groups) > 1:
                document.add_heading(group_title(group), level=3)
            docx_style.table(document, ["Stippen", "Soort", "Kaart"], card_rows(report, group), widths=(2, 4, 10))
        if section.placement_png:
            document.add_heading("Impact × invloed", level=2)
            document.add_picture(io.BytesIO(section.placement_png), width=Cm(12))
            table = section.placement_table
            docx_style.table(document, ["Nr.", "Kaart", "Kwadrant", "Impact", "Invloed"], placement_rows(table))
        if section.actions:
            document.add_heading("Afgesproken bij dit thema", level=2)
            for action in section.actions:
                document.add_paragraph(f"{action.description} — {action.owner}", style="List Bullet")

    document.add_heading("Afgesproken acties", level=1)
    rows = action_rows(report)
    if rows:
        docx_style.table(document, ["Actie", "Eigenaar", "Uiterlijk", "Thema"], rows, widths=(8, 4, 2.5, 2.5))
    else:
        document.add_paragraph("Er zijn geen acties vastgelegd.")

    if report.practices:
        document.add_heading("Goede praktijken", level=1)
        for practice in report.practices:
            document.add_heading(practice.label, level=3)
            document.add_paragraph(practice.description)
            details = [("Thema", practice.theme), ("Contact", practice.contact), ("Link", practice.link)]
            docx_style.table(
                document, ["", ""], [[label, value] for label, value in details if value], show_header=False
            )
    document.add_paragraph(colophon(report)).runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _headline_docx(document, rendered: views.Rendered) -> None:
    """Headline numbers under a view: the scenario's table, or the figure's one-sentence description."""
    table = headline_table(rendered)
    if table is not None:
        docx_style.table(document, *table)
    elif rendered.figure is not None:
        document.add_paragraph(f"Kern: {rendered.figure.description}")
