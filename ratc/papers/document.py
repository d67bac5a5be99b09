"""A paper as blocks both writers read: headings, paragraphs, lists, pictures and tables.

A paper is collected once (`factsheet`, `scenario_paper`) and written twice, as Word (`word`) and as PDF (`pdf`), so
the two say exactly the same. Figures and tables are numbered by the writers in the order they appear ("Figuur 1",
"Tabel 1"); a caption holds only the text after the number. Text is plain: only `Paragraph.marked` reads `**bold**`,
for text the monitor wrote itself; what people typed always goes in with `Paragraph.plain`.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from dataclasses import dataclass, field

FIGURE, TABLE = "Figuur", "Tabel"
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class Heading:
    """A heading: level 1 (a chapter) to 3; `new_page` starts it on a new page (Word: 'page break before', so no
    empty page appears when text above it is edited)."""

    text: str
    level: int = 1
    new_page: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs (text, bold); `kind` is 'normal', 'lead' (the subtitle), 'note' (highlighted, such as
    the Demodata warning), 'small' (colophon, remarks) or 'blank' (an empty line to write in)."""

    runs: tuple[tuple[str, bool], ...]
    kind: str = "normal"

    @classmethod
    def plain(cls, text: str, kind: str = "normal") -> Paragraph:
        """Text as it is: nothing in it is read as markup."""
        return cls(((text, False),), kind)

    @classmethod
    def marked(cls, text: str, kind: str = "normal") -> Paragraph:
        """Text the monitor wrote, with `**bold**` parts."""
        return cls(tuple(runs(text)), kind)

    @property
    def text(self) -> str:
        """The paragraph's text without markup."""
        return "".join(part for part, _ in self.runs)


@dataclass(frozen=True)
class Bullets:
    """A bulleted (or numbered) list; each item is a paragraph."""

    items: tuple[Paragraph, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Picture:
    """A chart as a PNG (300 dpi at `width_cm`), its alt text (the chart's text description) and caption."""

    png: bytes
    width_cm: float
    alt_text: str
    caption: str

    @property
    def height_cm(self) -> float:
        """The height at `width_cm`, from the PNG's own size."""
        width, height = png_size(self.png)
        return self.width_cm * height / width


@dataclass(frozen=True)
class PictureRow:
    """Pictures side by side (a factsheet's small charts), each with its own caption."""

    pictures: tuple[Picture, ...]


@dataclass(frozen=True)
class Table:
    """A table of Dutch text cells with a caption (above it, as Word users place them); `numeric` columns are
    right-aligned; `widths_cm` per column; `compact` for a smaller type size."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str
    numeric: tuple[int, ...] = ()
    widths_cm: tuple[float, ...] | None = None
    compact: bool = False


Block = Heading | Paragraph | Bullets | Picture | PictureRow | Table


@dataclass(frozen=True)
class Paper:
    """A whole paper: title, the line under it, the blocks, and what the writers put in the file's properties."""

    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    file_stem: str
    made_on: dt.date
    is_demo: bool
    footer: str = "RAT-C monitor Zuid-Holland-Zuid"
    subject: str = field(default="")

    def headings(self) -> list[str]:
        """Every heading's text in order (tests, tables of contents)."""
        return [block.text for block in self.blocks if isinstance(block, Heading)]


def runs(text: str) -> list[tuple[str, bool]]:
    """'a **b** c' as [('a ', False), ('b', True), (' c', False)]."""
    result, position = [], 0
    for match in _BOLD.finditer(text):
        if match.start() > position:
            result.append((text[position : match.start()], False))
        result.append((match.group(1), True))
        position = match.end()
    if position < len(text):
        result.append((text[position:], False))
    return result


def from_markdown(text: str) -> list[Block]:
    """The monitor's own short markdown (paragraphs, '1. ' numbered items, **bold**) as blocks."""
    blocks: list[Block] = []
    for part in text.split("\n\n"):
        lines = [line for line in part.split("\n") if line.strip()]
        items = [re.sub(r"^\d+\.\s+", "", line) for line in lines if re.match(r"^\d+\.\s+", line)]
        if items and len(items) == len(lines):
            blocks.append(Bullets(tuple(Paragraph.marked(item) for item in items), numbered=True))
        elif lines:
            blocks.append(Paragraph.marked(" ".join(lines)))
    return blocks


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">II", png[16:24])
