"""Bounds on every uploaded file, checked before it is parsed: a hostile file is refused fast and in Dutch.

An upload's 20 MB limit is on its packed size; an Excel file is a zip whose parts can unpack a thousandfold (a
1.4 MB file with 424 MB of shared strings took 27.6 s and 860 MB before it was refused). So before openpyxl sees
a workbook, `refusals` reads the zip's declared sizes (Python's zipfile never unpacks more than a part declares)
and the compression ratio of every part, and then scans each worksheet's XML as a stream for what the reader would
build: its rows, its columns (cell references and the declared dimension, to which a read-only sheet pads every
row) and so its cells. A CSV is checked for its size, its longest line (so its largest field) and its number of
fields; a JSON file (a CBS download) for its size, depth and the size of its numbers.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from ratc.core import bounded_json, fmt

MB = 1024 * 1024
MAX_BYTES = 20 * MB  # the packed size, as the upload page and the proxy allow
MAX_ROWS = 200_000
MAX_CELLS = 2_500_000  # rows × columns as the reader builds them; a delivery of 200,000 rows has 1,000,000
MAX_COLUMNS = 200
MAX_UNPACKED = 200 * MB  # all parts of a workbook together, as declared
MAX_SHARED_STRINGS = 32 * MB  # read whole into memory by openpyxl, even in read-only mode
MAX_RATIO = 100  # unpacked / packed for a part of more than RATIO_FROM; XML of real sheets packs 5 to 30 times
RATIO_FROM = MB
MAX_PARTS = 1_000
MAX_LINE_BYTES = 64 * 1024  # a CSV line, so the largest field
MAX_JSON_DEPTH = 10
MAX_JSON_DIGITS = 30
SCAN_CHUNK = MB

# Each pattern starts with a literal, which Python's re searches fast (about 100 MB/s); attribute spacing and quotes
# are matched loosely, so a crafted file cannot hide a cell reference from the scan.
_CELL_REFERENCE = re.compile(rb"""r\s*=\s*["']([A-Z]{1,3})[0-9]""")  # a cell's r="XFD3"
_ROW_NUMBER = re.compile(rb"""r\s*=\s*["']([0-9]{1,9})["']""")  # a row's r="1048576"
_CELL = re.compile(rb"<c[\s>/]")
_PREFIXED_CELL = re.compile(rb":c[\s>/]")  # <x:c ...> in a sheet written with a namespace prefix
_ROW = re.compile(rb"<row[\s>/]")
_PREFIXED_ROW = re.compile(rb":row[\s>/]")
_DIMENSION = re.compile(rb"""dimension\s+ref\s*=\s*["'][A-Z]*[0-9]*:?([A-Z]{1,3})([0-9]{1,9})["']""")


@dataclass
class SheetShape:
    """What a worksheet's XML says the reader would build: the highest row and column, and the cells written."""

    rows: int = 0
    columns: int = 0
    cells: int = 0


def refusals(content: bytes, file_name: str = "") -> list[str]:
    """Why this upload is refused before it is parsed (Dutch sentences), or [] when it is within every bound."""
    if len(content) > MAX_BYTES:
        return [f"Het bestand is groter dan {MAX_BYTES // MB} MB; splits het in delen."]
    if content.startswith(b"PK\x03\x04") or file_name.lower().endswith((".xlsx", ".xlsm")):
        return workbook_refusals(content)
    if content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return json_refusals(content)
    return text_refusals(content)


def workbook_refusals(content: bytes) -> list[str]:
    """Sizes, ratios, rows, columns and cells of an Excel workbook, from its zip directory and a scan of its sheets."""
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return []  # not a zip after all: the reader says it cannot read it
    if len(parts) > MAX_PARTS:
        return [f"Het Excel-bestand bestaat uit {fmt.number(len(parts))} delen; hoogstens {fmt.number(MAX_PARTS)}."]
    problems = []
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED:
        problems.append(
            f"Het Excel-bestand pakt uit tot {_megabytes(unpacked)}; hoogstens {_megabytes(MAX_UNPACKED)}. "
            "Lever een kleiner bestand aan of splits het in delen."
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM and ratio > MAX_RATIO:
            problems.append(
                f"Deel {part.filename} van het Excel-bestand pakt {fmt.number(ratio, 0)} keer uit (tot "
                f"{_megabytes(part.file_size)}); dat doet een echt werkblad niet. Het bestand is geweigerd."
            )
        elif part.filename.lower().endswith("sharedstrings.xml") and part.file_size > MAX_SHARED_STRINGS:
            problems.append(
                f"De tekstenlijst van het Excel-bestand is {_megabytes(part.file_size)}; hoogstens "
                f"{_megabytes(MAX_SHARED_STRINGS)}."
            )
    if problems:
        return problems
    for part in parts:
        if part.filename.lower().startswith("xl/worksheets/") and part.filename.lower().endswith(".xml"):
            try:
                shape = sheet_shape(archive, part)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                return []  # a damaged part: the reader says so
            problems += _shape_refusals(part.filename, shape)
    return problems


def sheet_shape(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> SheetShape:
    """Scan a worksheet's XML in chunks (never whole in memory) for its highest row and column and its cells.

    A read-only sheet pads every row to the declared dimension's width, a row without cell references is as wide
    as its cells, and rows without numbers count one by one: the shape bounds all three.
    """
    shape = SheetShape()
    tail = b""
    elements = 0
    with archive.open(part) as stream:
        while chunk := stream.read(SCAN_CHUNK):
            window = tail + chunk  # what a chunk's end cut in two is matched whole here (rows and columns: a max)
            columns = set(_CELL_REFERENCE.findall(window))
            for match in _DIMENSION.finditer(window):
                columns.add(match.group(1))
                shape.rows = max(shape.rows, int(match.group(2)))
            shape.columns = max([shape.columns, *(column_number(letters) for letters in columns)])
            shape.rows = max([shape.rows, *(int(number) for number in _ROW_NUMBER.findall(window))])
            shape.cells += len(_CELL.findall(chunk)) + len(_PREFIXED_CELL.findall(chunk))
            elements += len(_ROW.findall(chunk)) + len(_PREFIXED_ROW.findall(chunk)) // 2  # <x:row> and </x:row>
            tail = window[-64:]
    shape.rows = max(shape.rows, elements)
    return shape


def _shape_refusals(name: str, shape: SheetShape) -> list[str]:
    """Dutch refusals for a worksheet that would be too long, too wide or have too many cells."""
    sheet = name.rsplit("/", 1)[-1].removesuffix(".xml")
    if shape.rows > MAX_ROWS + 1:
        return [f"Werkblad {sheet} loopt tot rij {fmt.number(shape.rows)}; hoogstens {fmt.number(MAX_ROWS)} rijen. "
                "Splits het bestand in delen."]  # fmt: skip
    if shape.columns > MAX_COLUMNS:
        return [f"Werkblad {sheet} loopt tot kolom {fmt.number(shape.columns)}; hoogstens {MAX_COLUMNS} kolommen."]
    built = max(shape.rows * shape.columns, shape.cells)
    if built > MAX_CELLS:
        return [f"Werkblad {sheet} heeft {fmt.number(built)} cellen; hoogstens {fmt.number(MAX_CELLS)}. "
                "Splits het bestand in delen."]  # fmt: skip
    return []


def text_refusals(content: bytes) -> list[str]:
    """A CSV's longest line (its largest field) and its number of fields, before the csv module reads it."""
    lines = content.splitlines()
    longest = max(range(len(lines)), key=lambda index: len(lines[index]), default=None)
    if longest is not None and len(lines[longest]) > MAX_LINE_BYTES:
        return [f"Regel {fmt.number(longest + 1)} van het bestand is veel te lang ({fmt.number(len(lines[longest]))} "
                f"tekens; hoogstens {fmt.number(MAX_LINE_BYTES)}): sluit er een aanhalingsteken niet, of is dit geen "
                "CSV-bestand?"]  # fmt: skip
    fields = max(content.count(separator) for separator in (b";", b",", b"\t")) + len(lines)
    if fields > MAX_CELLS:
        return [f"Het bestand heeft ongeveer {fmt.number(fields)} velden; hoogstens {fmt.number(MAX_CELLS)}. "
                "Splits het bestand in delen."]  # fmt: skip
    return []


def json_refusals(content: bytes) -> list[str]:
    """A JSON file's size, nesting depth and numbers, read within bounds."""
    try:
        bounded_json.loads(content, MAX_BYTES, MAX_JSON_DEPTH, MAX_JSON_DIGITS, constants=True)
    except bounded_json.NotJson:
        return []  # no JSON at all: the reader says what it expected
    except bounded_json.BoundedJsonError as error:
        return [str(error)]
    return []


def column_number(letters: bytes) -> int:
    """The number of a spreadsheet column: A is 1, Z 26, AA 27, XFD 16,384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _megabytes(size: int) -> str:
    """'424 MB'."""
    return f"{fmt.number(size / MB, 0)} MB"
