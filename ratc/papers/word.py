"""A paper as a Word document: Word's own styles (Title, Heading 1-3, Normal, Caption, List Bullet/Number, Table
Grid) in the house font, pictures at 300 dpi with alt text, tables as Word tables, and captions whose numbers are
Word fields, so the document can be edited, restyled and renumbered in Word without breaking."""

from __future__ import annotations

import io

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ratc.core import docx_style
from ratc.papers.document import (
    FIGURE,
    TABLE,
    Bullets,
    Heading,
    Paper,
    Paragraph,
    Picture,
    PictureRow,
    Table,
)

COMPACT_PT = 8
SMALL_PT = 8.5
LIST_STYLES = {False: "List Bullet", True: "List Number"}


def to_docx(paper: Paper) -> bytes:
    """The paper as a .docx file."""
    document = docx_style.house_document(paper.title, paper.subject)
    document.add_paragraph(paper.title, style="Title")
    document.add_paragraph(paper.subtitle, style="Subtitle")
    for block in paper.blocks:
        _block(document, block)
    docx_style.page_number_footer(document, paper.footer)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _block(document, block) -> None:
    """Write one block."""
    if isinstance(block, Heading):
        document.add_heading(block.text, level=block.level).paragraph_format.page_break_before = block.new_page or None
    elif isinstance(block, Paragraph):
        _paragraph(document, block)
    elif isinstance(block, Bullets):
        for item in block.items:
            _paragraph(document, item, style=LIST_STYLES[block.numbered])
    elif isinstance(block, Picture):
        docx_style.picture(document, block.png, block.width_cm, block.alt_text, block.caption)
        docx_style.caption(document, FIGURE, block.caption)
    elif isinstance(block, PictureRow):
        _picture_row(document, block)
    elif isinstance(block, Table):
        docx_style.caption(document, TABLE, block.caption)
        _keep_with_next(document.paragraphs[-1])
        docx_style.table(
            document,
            list(block.header),
            [list(row) for row in block.rows],
            widths=block.widths_cm,
            numeric=block.numeric,
            size=COMPACT_PT if block.compact else None,
        )


def _paragraph(document, block: Paragraph, style: str | None = None) -> None:
    """A paragraph of plain and bold runs in a Word style: Normal, Subtitle for a lead, a note in bold colour."""
    if block.kind == "note":
        docx_style.note(document, block.text)
        return
    paragraph = document.add_paragraph(style=style or ("Subtitle" if block.kind == "lead" else None))
    for text, bold in block.runs:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if block.kind == "small":
            run.italic, run.font.size = True, Pt(SMALL_PT)


def _picture_row(document, row: PictureRow) -> None:
    """Pictures side by side in a borderless table, each with its caption under it in the same cell."""
    table = document.add_table(rows=1, cols=len(row.pictures))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    for cell, picture in zip(table.rows[0].cells, row.pictures, strict=True):
        cell.width = Cm(picture.width_cm + 0.3)
        first = cell.paragraphs[0]
        run = first.add_run()
        inline = run.add_picture(io.BytesIO(picture.png), width=Cm(picture.width_cm))
        inline._inline.docPr.set("descr", picture.alt_text)
        inline._inline.docPr.set("title", picture.caption)
        docx_style.caption(cell, FIGURE, picture.caption)


def _no_borders(table) -> None:
    """A layout table: no borders (pictures side by side are not data)."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "nil")
        borders.append(border)
    properties.append(borders)


def _keep_with_next(paragraph) -> None:
    """A caption stays on the page of the table below it."""
    paragraph.paragraph_format.keep_with_next = True
