"""Reading a delivered file into delivery rows: CSV or Excel cells under the canonical columns, or RIVM and CBS files.

Encoding, separator and header row are found as people actually write them; a file that cannot be read at all
raises DeliveryError with Dutch sentences. `read_layout` reads each of the LAYOUTS the upload page offers.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ratc.ingest import notation
from ratc.ingest.limits import refusals
from ratc.ingest.template import COLUMNS

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_LISTED_FILE_ERRORS = 50
# The kinds of file an import reads, with their Dutch names for the upload page.
LAYOUTS = {
    "aanlevering": "Aanlevering van een gemeente (sjabloon)",
    "rivm": "RIVM COVID-19 per gemeente (cumulatief of per dag)",
    "cbs": "CBS (StatLine-export, tabel per gemeente of OData-download)",
}
REQUIRED = ["gemeente", "indicator", "periode", "waarde"]
ALIASES = {
    "gemeente": {"gemeente", "municipality", "gemeentecode", "gemeentenaam", "gemeente code", "area code", "area"},
    "indicator": {"indicator", "indicator id", "indicatorid", "indicator code"},
    "periode": {"periode", "period", "period key", "periodecode"},
    "waarde": {"waarde", "value", "aantal"},
    "opmerking": {"opmerking", "opmerkingen", "remark", "remarks", "toelichting", "comment"},
}


class DeliveryError(ValueError):
    """A delivery that cannot be read or accepted; `messages` are Dutch sentences for the user."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


def read_delivery(content: bytes, file_name: str) -> pd.DataFrame:
    """Read a delivered CSV or XLSX into string cells with the user's row numbers; DeliveryError on file problems."""
    if not content or not content.strip():
        raise DeliveryError(["Het bestand is leeg."])
    if len(content) > MAX_BYTES:
        raise DeliveryError([f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB; splits het in delen."])
    suffix = Path(file_name or "").suffix.lower()
    if content.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        records = _xlsx_records(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise DeliveryError(["Oude Excel-bestanden (.xls) worden niet gelezen; sla het bestand op als .xlsx of CSV."])
    elif content.startswith(b"%PDF"):
        raise DeliveryError(["Dit is een PDF-bestand; lever een CSV- of Excel-bestand (.xlsx) aan."])
    else:
        records = _csv_records(content)
    return _frame_from_records(records)


@dataclass(frozen=True)
class LayoutRead:
    """A file of some layout read into delivery rows, with what the import should know about it."""

    rows: pd.DataFrame
    allow_national: bool
    source: str | None
    notes: tuple[str, ...] = ()


def read_layout(content: bytes, file_name: str, layout: str, data_dir: Path | None = None) -> LayoutRead:
    """Delivery rows from a file of one of the LAYOUTS; DeliveryError (Dutch) when it cannot be read at all."""
    if refused := refusals(content, file_name):  # sizes, depth, rows and cells, before anything is parsed
        raise DeliveryError(refused)
    if layout == "rivm":
        from ratc.ingest import rivm

        try:
            raw = rivm.read_rivm(content, data_dir)
        except rivm.RivmError as exc:
            raise DeliveryError([f"Dit is geen leesbaar RIVM-bestand: {exc}."]) from exc
        except (ValueError, KeyError) as exc:
            raise DeliveryError(["Dit is geen leesbaar RIVM-bestand met COVID-19-cijfers per gemeente."]) from exc
        return LayoutRead(raw, True, "RIVM, COVID-19 aantallen per gemeente")
    if layout == "cbs":
        from ratc.ingest import cbs

        if content.lstrip()[:1] == b"{":
            try:
                document = json.loads(content)
                raw = cbs.read_odata(document["table_id"], document["rows"], data_dir)
            except cbs.CbsError as exc:
                raise DeliveryError([f"Dit is geen leesbare CBS-tabel: {exc}."]) from exc
            except (ValueError, KeyError, TypeError) as exc:
                raise DeliveryError(
                    ["Dit is geen CBS-tabel zoals `python -m ratc fetch cbs` die schrijft (JSON met table_id en rows)."]
                ) from exc
            return LayoutRead(raw, True, f"{document.get('source', 'CBS')}, tabel {document['table_id']}")
        try:
            table = cbs.read_cbs_csv(content, data_dir)
        except cbs.CbsError as exc:
            raise DeliveryError([f"Dit is geen leesbaar CBS-bestand: {exc}."]) from exc
        return LayoutRead(table.rows, True, f"CBS, {file_name}", table.notes)
    if layout == "aanlevering":
        return LayoutRead(read_delivery(content, file_name), False, None)
    raise DeliveryError([f"Onbekende soort bestand {layout!r}; kies uit {', '.join(LAYOUTS)}."])


def _decode(content: bytes) -> str:
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


def _csv_records(content: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cells) of a CSV with `;`, `,` or tab as separator, sniffed from the header line."""
    text = _decode(content)
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise DeliveryError(["Het bestand is geen CSV- of Excel-bestand: het bevat binaire gegevens."])
    offset = 0
    declared = re.match(r"\s*sep=(.)\r?\n", text, flags=re.IGNORECASE)  # Excel's own separator hint
    if declared:
        separator, offset = declared.group(1), 1
        text = text[declared.end() :]
    else:
        header_line = next((line for line in text.splitlines() if line.strip()), "")
        counts = {candidate: _count_outside_quotes(header_line, candidate) for candidate in (";", ",", "\t")}
        separator = max(counts, key=lambda candidate: (counts[candidate], candidate == ";"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records = []
    number = offset
    try:
        for number, cells in enumerate(reader, start=offset + 1):
            records.append((number, cells))
            if len(records) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise DeliveryError(
            [f"Rij {number + 1}: de CSV-opmaak klopt niet ({exc}); controleer de aanhalingstekens."]
        ) from exc
    return records


def _count_outside_quotes(line: str, character: str) -> int:
    """How often a character occurs in a line outside double-quoted parts."""
    return sum(part.count(character) for part in line.split('"')[::2])


def _xlsx_records(content: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cells) of the delivery sheet of an Excel workbook (sheet 'Aanlevering', else the first)."""
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
        records = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            records.append((number, [_cell_text(cell) for cell in cells]))
            if len(records) > MAX_ROWS + 1:
                break
        return records
    except DeliveryError:
        raise
    except Exception as exc:  # a damaged sheet fails only while its rows are read
        raise DeliveryError(["Het Excel-bestand kan niet worden gelezen; een werkblad is beschadigd."]) from exc
    finally:
        workbook.close()


def _cell_text(cell: object) -> str:
    """A cell as the text the user sees; numbers with a decimal comma so they read unambiguously."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        if not math.isfinite(cell):
            return str(cell)
        if cell.is_integer() and abs(cell) < 1e15:
            return str(int(cell))
        return format(cell, "f").rstrip("0").rstrip(".").replace(".", ",")
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def _frame_from_records(records: list[tuple[int, list[str]]]) -> pd.DataFrame:
    """The delivery's cells under canonical Dutch column names, blank rows dropped, with the user's row numbers."""
    nonblank = [(number, cells) for number, cells in records if any(str(cell).strip() for cell in cells)]
    if not nonblank:
        raise DeliveryError(["Het bestand is leeg."])
    header_number, header = nonblank[0]
    positions: dict[str, int] = {}
    problems = []
    for index, name in enumerate(header):
        canonical = _column_name(name)
        if canonical is None:
            continue
        if canonical in positions:
            problems.append(f"Kolom '{canonical}' komt twee keer voor in de kopregel (rij {header_number}).")
        positions.setdefault(canonical, index)
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        listed = ", ".join(f"'{name}'" for name in missing)
        problems.append(
            f"Kolom {listed} ontbreekt in de kopregel (rij {header_number}). "
            f"Verwacht: {', '.join(REQUIRED)} en eventueel opmerking; gebruik het sjabloon."
            if len(missing) == 1
            else f"Kolommen {listed} ontbreken in de kopregel (rij {header_number}). "
            f"Verwacht: {', '.join(REQUIRED)} en eventueel opmerking; gebruik het sjabloon."
        )
    if problems:
        raise DeliveryError(problems)
    data = nonblank[1:]
    if not data:
        raise DeliveryError([f"Het bestand bevat geen gegevens onder de kopregel (rij {header_number})."])
    if len(data) > MAX_ROWS:
        raise DeliveryError([f"Het bestand heeft meer dan {notation.dutch_int(MAX_ROWS)} rijen; splits het in delen."])
    width = len(header)
    rows = {name: [] for name in ["row", *COLUMNS]}
    for number, cells in data:
        extra = [cell for cell in cells[width:] if str(cell).strip()]
        if extra:
            problems.append(
                f"Rij {number}: {len(cells)} velden, maar de kopregel heeft er {width}; "
                "staat er een scheidingsteken in een waarde?"
            )
            continue
        rows["row"].append(number)
        for name in COLUMNS:
            index = positions.get(name)
            rows[name].append(str(cells[index]) if index is not None and index < len(cells) else "")
    if problems:
        shown = problems[:MAX_LISTED_FILE_ERRORS]
        if len(problems) > len(shown):
            shown.append(f"… en nog {len(problems) - len(shown)} rijen met te veel velden.")
        raise DeliveryError(shown)
    return pd.DataFrame(rows).astype({"row": "int64", **dict.fromkeys(COLUMNS, object)})


def _column_name(header: object) -> str | None:
    """The canonical column a header cell names, forgiving case, spacing, underscores and a stray BOM."""
    text = re.sub(r"[\s_\-]+", " ", str(header).replace("\ufeff", "").strip().strip('"').lower()).strip()
    text = re.sub(r"\s*\(.*\)$", "", text)  # 'waarde (aantal)'
    for canonical, aliases in ALIASES.items():
        if text in aliases or text.replace(" ", "") in {alias.replace(" ", "") for alias in aliases}:
            return canonical
    return None
