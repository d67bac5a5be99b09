"""The house style of Word documents: real Word styles in the house font, tables in 'Table Grid', pictures with alt
text, captions Word numbers itself, and a highlighted note. Used by the session report and the papers."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

# The charts' font is "Helvetica, Arial, sans-serif"; Word on Windows has no Helvetica, so documents name Arial.
FONT = "Arial"
LANGUAGE = "nl-NL"  # Word's spelling check and hyphenation in Dutch
INK, SUBTLE, DEMO = RGBColor(0x1F, 0x29, 0x33), RGBColor(0x52, 0x60, 0x6D), RGBColor(0x9A, 0x34, 0x12)
STYLE_SIZES = {
    "Normal": 10,
    "Title": 24,
    "Subtitle": 12,
    "Heading 1": 15,
    "Heading 2": 12,
    "Heading 3": 10.5,
    "Caption": 8.5,
}
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
CELL_MARGIN_CM = 0.08


def house_document(title: str = "", subject: str = "", author: str = "RAT-C Zuid-Holland-Zuid") -> Document:
    """A new A4 document whose Normal, Title, Heading 1-3 and Caption styles are set in the house font and colours."""
    document = Document()
    for name, size in STYLE_SIZES.items():
        style = document.styles[name]
        _font(style.element, FONT)
        style.font.size = Pt(size)
        if name != "Normal":
            style.font.color.rgb = SUBTLE if name in ("Caption", "Subtitle") else INK
    document.styles["Caption"].font.italic = True
    document.styles["Caption"].font.bold = False
    subtitle = document.styles["Subtitle"]
    subtitle.font.italic = False
    for spacing in subtitle.element.rPr.findall(qn("w:spacing")):  # the template spreads its letters
        subtitle.element.rPr.remove(spacing)
    normal = document.styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(4), 1.1
    _language(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    properties = document.core_properties
    properties.title, properties.subject, properties.author, properties.language = title, subject, author, LANGUAGE
    return document


def table(
    container,
    header: list[str],
    rows: list[list[str]],
    widths=None,
    show_header: bool = True,
    numeric: tuple[int, ...] = (),
    size: float | None = None,
):
    """A Word table in 'Table Grid' with a bold header row repeated on every page (or none); `numeric` columns are
    right-aligned; `size` in points for a compact table; `widths` in cm. `container` is a document or a table cell.

    Every cell is filled and formatted in one pass: python-docx works out a row's cells anew on each `row.cells`,
    which made a second pass over a table cost more than filling it (a scenario paper's tables took 1.8 s).
    """
    result = container.add_table(rows=1 if show_header else 0, cols=len(header))
    result.style = "Table Grid"
    result.alignment = WD_TABLE_ALIGNMENT.LEFT
    if widths:
        # Word reads the cells' widths, LibreOffice the table grid's: set both, and keep Word from autofitting
        result.autofit = False
        for column, width in zip(result.columns, widths, strict=True):
            column.width = Cm(width)
    if size:
        _cell_margins(result, CELL_MARGIN_CM)
    if show_header:
        _repeat_header(result.rows[0])
        _fill(result.rows[0].cells, header, numeric, widths, size, bold=True)
    for row in rows:
        _fill(result.add_row().cells, row, numeric, widths, size)
    if hasattr(container, "add_page_break"):  # a document: air below, as Word users leave it
        container.add_paragraph()
    return result


def _fill(cells, values, numeric, widths, size, bold: bool = False) -> None:
    """One row's cells: text, right alignment for numbers, no space after, the type size and the width."""
    for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run()
        if "\n" in value or "\t" in value:
            run.text = value  # line breaks and tabs as Word's own
        else:
            run._r.add_t(value)  # as `run.text` does, without reading the text sign by sign (a third of the time)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        paragraph.paragraph_format.space_after = Pt(0)
        if column in numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if widths:
            cell.width = Cm(widths[column])


def note(document, message: str) -> None:
    """A highlighted note paragraph (bold, dark vermillion): e.g. the Demodata warning."""
    run = document.add_paragraph().add_run(message)
    run.bold = True
    run.font.color.rgb = DEMO


def picture(container, png: bytes, width_cm: float, alt_text: str, title: str = "") -> None:
    """A picture in its own paragraph at the given width, with alt text that Word and screen readers show."""
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True  # with its caption below
    inline = paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
    doc_pr = inline._inline.docPr
    doc_pr.set("descr", alt_text)
    if title:
        doc_pr.set("title", title)


def caption(container, label: str, text: str) -> None:
    """'Figuur 3. text' in the Caption style, its number a SEQ field that Word renumbers after edits."""
    paragraph = container.add_paragraph(style="Caption")
    paragraph.add_run(f"{label} ")
    paragraph._p.append(_field(f"SEQ {label} \\* ARABIC", str(_next_number(container, label))))
    paragraph.add_run(f". {text}")


def page_number_footer(document, text: str) -> None:
    """A footer on every page: the text and 'pagina N' (a PAGE field)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.style = document.styles["Caption"]
    paragraph.add_run(f"{text} · pagina ")
    paragraph._p.append(_field("PAGE", "1"))


def _next_number(container, label: str) -> int:
    """The number the next caption of this label gets, counted over the document's existing SEQ fields."""
    body = container.part.element.body
    count = sum(1 for field in body.iter(qn("w:fldSimple")) if field.get(qn("w:instr"), "").startswith(f"SEQ {label}"))
    return count + 1


def _field(instruction: str, shown: str):
    """A simple Word field (SEQ, PAGE) with the result shown until Word updates it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    return field


def _font(style_element, name: str) -> None:
    """Set a style's font for every script, dropping theme fonts (which would win over the name in Word)."""
    properties = style_element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _language(document) -> None:
    """Dutch as the language of the document's default run properties."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), LANGUAGE)


def _cell_margins(table, margin_cm: float) -> None:
    """Narrow left and right cell margins (Word's default is 0.19 cm), for a compact table."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(round(margin_cm / 2.54 * 1440)))  # twentieths of a point
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _repeat_header(row) -> None:
    """Mark a table row as the header Word repeats at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
