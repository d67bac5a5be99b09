"""Rows of cells from a delivered file: a CSV in any separator and encoding people use, or an Excel sheet.

Problems are Dutch sentences (DeliveryError); nothing of the csv module's or openpyxl's English reaches a user.
Excel cells keep their type (a number stays a number, a date a date), so a value is never read through text.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from ratc.ingest import notation

MAX_ROWS = 200_000
HEADER_SEARCH_ROWS = 20
SEPARATORS = (";", ",", "\t")
SEPARATOR_NAMES = {";": "puntkomma", ",": "komma", "\t": "tab"}
CSV_PROBLEMS = (
    ("field larger than field limit", "een veld is veel te lang; waarschijnlijk sluit een aanhalingsteken niet"),
    ("unexpected end of data", "het bestand eindigt midden in een veld tussen aanhalingstekens"),
    ("expected after", "na een afsluitend aanhalingsteken volgt geen scheidingsteken"),
)


class DeliveryError(ValueError):
    """A delivery that cannot be read or accepted; `messages` are Dutch sentences for the user."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class Sheet:
    """The rows of a file as (row number, cells), and how it was written: `separator` None for Excel."""

    records: list[tuple[int, list[object]]]
    separator: str | None = None


def decode(content: bytes) -> str:
    """Text of a CSV: UTF-16 with BOM, UTF-8 with or without BOM, else Windows-1252."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DeliveryError(["Het bestand is geen geldige UTF-16-tekst."]) from exc
    if b"\x00" in content:
        raise DeliveryError(["Het bestand is geen CSV- of Excel-bestand: het bevat binaire gegevens."])
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DeliveryError(
            ["De tekencodering van het bestand is onbekend; sla het op als CSV (UTF-8) of als Excel-bestand."]
        ) from exc


def csv_sheet(content: bytes, is_header: Callable[[list[object]], bool]) -> Sheet:
    """The rows of a CSV with `;`, `,` or tab: the separator with which a header row is found, else the likeliest."""
    text = decode(content)
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise DeliveryError(["Het bestand is geen CSV- of Excel-bestand: het bevat binaire gegevens."])
    offset = 0
    declared = re.match(r"\s*sep=(.)\r?\n", text, flags=re.IGNORECASE)  # Excel's own separator hint
    if declared:
        separator, offset = declared.group(1), 1
        text = text[declared.end() :]
    else:
        separator = sniff_separator(text, is_header)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records: list[tuple[int, list[object]]] = []
    number = offset
    try:
        for number, cells in enumerate(reader, start=offset + 1):
            records.append((number, cells))
            if len(records) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise DeliveryError([f"Rij {number + 1}: {csv_problem(exc)}; controleer de aanhalingstekens."]) from exc
    return Sheet(records, separator)


def csv_problem(error: csv.Error) -> str:
    """The csv module's complaint in Dutch."""
    text = str(error)
    return next((dutch for english, dutch in CSV_PROBLEMS if english in text), "de CSV-opmaak klopt niet")


def sniff_separator(text: str, is_header: Callable[[list[object]], bool]) -> str:
    """The separator under which one of the first rows is a header row; else the commonest in the first line."""
    head = "\n".join(text.splitlines()[: HEADER_SEARCH_ROWS * 3])
    for candidate in SEPARATORS:
        reader = csv.reader(io.StringIO(head, newline=""), delimiter=candidate)
        try:
            rows = [row for row in reader if any(cell.strip() for cell in row)][:HEADER_SEARCH_ROWS]
        except csv.Error:
            continue
        if any(is_header(row) for row in rows):
            return candidate
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {candidate: count_outside_quotes(first, candidate) for candidate in SEPARATORS}
    return max(counts, key=lambda candidate: (counts[candidate], candidate == ";"))


def count_outside_quotes(line: str, character: str) -> int:
    """How often a character occurs in a line outside double-quoted parts."""
    return sum(part.count(character) for part in line.split('"')[::2])


def xlsx_sheet(content: bytes) -> Sheet:
    """The rows of the delivery sheet of an Excel workbook (sheet 'Aanlevering', else the first), cells typed."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything from zipfile, XML and its own errors on a damaged file
        raise DeliveryError(
            ["Het Excel-bestand kan niet worden gelezen; het is beschadigd of geen .xlsx-bestand."]
        ) from exc
    try:
        names = {name.lower(): name for name in workbook.sheetnames}
        if not names:
            raise DeliveryError(["Het Excel-bestand heeft geen werkbladen."])
        sheet = workbook[names.get("aanlevering", workbook.sheetnames[0])]
        records: list[tuple[int, list[object]]] = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            records.append((number, list(cells)))
            if len(records) > MAX_ROWS + 1:
                break
        return Sheet(records)
    except DeliveryError:
        raise
    except Exception as exc:  # a damaged sheet fails only while its rows are read
        raise DeliveryError(["Het Excel-bestand kan niet worden gelezen; een werkblad is beschadigd."]) from exc
    finally:
        workbook.close()


def cell_text(cell: object) -> str:
    """A cell as the text the user sees: an Excel number as Excel shows it, with a decimal comma; a date as ISO."""
    if cell is None:
        return ""
    if isinstance(cell, bool | str):
        return str(cell)
    if isinstance(cell, int | float):
        value = notation.excel_decimal(cell) if isinstance(cell, float) else cell
        return str(cell) if value is None else notation.plain_dutch(value)
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def column_letter(index: int) -> str:
    """Excel's name of a column: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
