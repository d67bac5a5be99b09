"""A paper as PDF, written by ReportLab (pip-installed, offline; no office suite, no browser): A4, Helvetica (the
charts' house font), the same headings, numbered figures and tables, a bookmark per heading and page numbers."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from PIL import Image as PillowImage
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

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

FONT, BOLD, ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"
INK, SUBTLE, DEMO, GRID, HEADER_FILL = "#1F2933", "#52606D", "#9A3412", "#9AA5B1", "#E4E7EB"
MARGIN = docx_style.MARGIN_CM * cm
# Helvetica in a PDF writes Windows-1252; the few signs outside it that the monitor's texts use get a near one.
REPLACEMENTS = {"≤": "<=", "≥": ">=", "→": "->", "↑": "^", "↓": "v", "≈": "~", "\u2009": " ", "\u202f": " "}


def _styles() -> dict[str, ParagraphStyle]:
    """The house styles, named as their Word counterparts."""
    normal = ParagraphStyle("Normal", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, spaceAfter=5)
    return {
        "Normal": normal,
        "Title": ParagraphStyle("Title", normal, fontName=BOLD, fontSize=22, leading=26, spaceAfter=4),
        "Subtitle": ParagraphStyle("Subtitle", normal, fontSize=11.5, leading=15, textColor=SUBTLE, spaceAfter=10),
        "Heading 1": ParagraphStyle(
            "Heading 1", normal, fontName=BOLD, fontSize=14, leading=18, spaceBefore=10, spaceAfter=5, keepWithNext=True
        ),
        "Heading 2": ParagraphStyle(
            "Heading 2",
            normal,
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=True,
        ),
        "Heading 3": ParagraphStyle(
            "Heading 3", normal, fontName=BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3, keepWithNext=True
        ),
        "Caption": ParagraphStyle(
            "Caption", normal, fontName=ITALIC, fontSize=8.5, leading=11, textColor=SUBTLE, spaceBefore=2, spaceAfter=8
        ),
        "Note": ParagraphStyle("Note", normal, fontName=BOLD, textColor=DEMO),
        "Small": ParagraphStyle(
            "Small", normal, fontName=ITALIC, fontSize=8.5, leading=11, textColor=SUBTLE, spaceAfter=3
        ),
        "Cell": ParagraphStyle("Cell", normal, fontSize=8.5, leading=10.5, spaceAfter=0),
        "Compact": ParagraphStyle("Compact", normal, fontSize=7.5, leading=9, spaceAfter=0),
    }


def to_pdf(paper: Paper) -> bytes:
    """The paper as a PDF file."""
    # Binary image streams instead of ASCII85: ReportLab writes ASCII85 in pure Python here (no C accelerator),
    # which took 2.5 s of the 5.7 s of a scenario paper's PDF; every PDF reader takes binary streams.
    rl_config.useA85 = 0
    styles = _styles()
    buffer = io.BytesIO()
    document = _Template(buffer, paper)
    story = [PdfParagraph(_text(paper.title), styles["Title"]), PdfParagraph(_text(paper.subtitle), styles["Subtitle"])]
    numbers = {FIGURE: 0, TABLE: 0}
    for block in paper.blocks:
        story.extend(_flowables(block, styles, numbers))
    document.build(story, onFirstPage=document.footer, onLaterPages=document.footer)
    return buffer.getvalue()


class _Template(SimpleDocTemplate):
    """A4 with the house margins, the paper's properties, a bookmark per heading and a footer with page numbers."""

    def __init__(self, buffer: io.BytesIO, paper: Paper):
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=paper.title,
            subject=paper.subject,
            author="RAT-C Zuid-Holland-Zuid",
            creator="RAT-C monitor",
            lang="nl-NL",
        )
        self.footer_text = paper.footer
        self.bookmarks = 0

    def footer(self, canvas, document) -> None:
        """'RAT-C monitor Zuid-Holland-Zuid · … · pagina 2' at the foot of every page."""
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor(SUBTLE))
        canvas.drawString(MARGIN, MARGIN / 2, _plain(f"{self.footer_text} · pagina {document.page}"))
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:  # noqa: N802 (ReportLab's hook)
        """A heading becomes a bookmark in the PDF's outline."""
        level = getattr(flowable, "outline_level", None)
        if level is None:
            return
        self.bookmarks += 1
        key = f"h{self.bookmarks}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level - 1, closed=level > 1)


def _flowables(block, styles: dict[str, ParagraphStyle], numbers: dict[str, int]) -> list:
    """ReportLab flowables for one block; `numbers` counts figures and tables."""
    if isinstance(block, Heading):
        heading = PdfParagraph(_text(block.text), styles[f"Heading {block.level}"])
        heading.outline_level = block.level
        return [PdfPageBreak(), heading] if block.new_page else [heading]
    if isinstance(block, Paragraph):
        return [_paragraph(block, styles)]
    if isinstance(block, Bullets):
        items = [ListItem(_paragraph(item, styles), leftIndent=14) for item in block.items]
        kind = {"bulletType": "1", "bulletFormat": "%s."} if block.numbered else {"bulletType": "bullet", "start": "•"}
        return [ListFlowable(items, leftIndent=14, bulletFontName=FONT, bulletFontSize=9, **kind), Spacer(1, 4)]
    if isinstance(block, Picture):
        return [KeepTogether([_image(block), _caption(FIGURE, block.caption, styles, numbers)])]
    if isinstance(block, PictureRow):
        cells = [[_image(picture), _caption(FIGURE, picture.caption, styles, numbers)] for picture in block.pictures]
        row = PdfTable([cells], colWidths=[(picture.width_cm + 0.3) * cm for picture in block.pictures])
        row.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return [row]
    if isinstance(block, Table):
        return [_caption(TABLE, block.caption, styles, numbers, above=True), _table(block, styles), Spacer(1, 8)]
    raise TypeError(f"unknown block {block!r}")


def _paragraph(block: Paragraph, styles: dict[str, ParagraphStyle]) -> PdfParagraph:
    """A paragraph with its bold runs; the kind picks the style."""
    style = {"lead": "Subtitle", "note": "Note", "small": "Small"}.get(block.kind, "Normal")
    markup = "".join(f"<b>{_text(text)}</b>" if bold else _text(text) for text, bold in block.runs)
    return PdfParagraph(markup or "&nbsp;", styles[style])


def _caption(label: str, text: str, styles, numbers: dict[str, int], above: bool = False) -> PdfParagraph:
    """'Figuur 3. …', numbered in order; a table's caption stays with its table."""
    numbers[label] += 1
    style = styles["Caption"]
    if above:
        style = ParagraphStyle("CaptionAbove", style, keepWithNext=True, spaceBefore=6, spaceAfter=3)
    return PdfParagraph(_text(f"{label} {numbers[label]}. {text}"), style)


class _Chart(Flowable):
    """A chart's PNG at its printed size, flattened on white first (the charts' own background): the PDF then holds
    no separate transparency mask, which halves the time to embed a 300 dpi chart."""

    def __init__(self, picture: Picture):
        super().__init__()
        with PillowImage.open(io.BytesIO(picture.png)) as image:
            self.reader = ImageReader(image.convert("RGB"))
        self.width, self.height = picture.width_cm * cm, picture.height_cm * cm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Its own size, whatever the space."""
        return self.width, self.height

    def draw(self) -> None:
        """Draw the picture at the flowable's origin."""
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height)


def _image(picture: Picture) -> _Chart:
    """The picture as a flowable."""
    return _Chart(picture)


def _table(block: Table, styles: dict[str, ParagraphStyle]) -> PdfTable:
    """A data table: a bold header row on a light fill repeated on every page, grid lines, cells that wrap, numbers
    right-aligned."""
    style = styles["Compact" if block.compact else "Cell"]
    right = ParagraphStyle("Right", style, alignment=TA_RIGHT)

    def cell(text: str, column: int, bold: bool = False) -> PdfParagraph:
        shown = f"<b>{_text(text)}</b>" if bold else _text(text)
        return PdfParagraph(shown.replace("\n", "<br/>"), right if column in block.numeric else style)

    data = [[cell(text, column, bold=True) for column, text in enumerate(block.header)]]
    data += [[cell(text, column) for column, text in enumerate(row)] for row in block.rows]
    widths = [width * cm for width in block.widths_cm] if block.widths_cm else None
    table = PdfTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(GRID)),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _plain(text: str) -> str:
    """Text in the signs Helvetica has in a PDF."""
    for sign, replacement in REPLACEMENTS.items():
        text = text.replace(sign, replacement)
    return text.encode("cp1252", "replace").decode("cp1252")


def _text(text: str) -> str:
    """Text for a ReportLab paragraph: escaped, so nothing anyone typed is read as markup."""
    return escape(_plain(text))
