"""Reading a delivered file into delivery rows: CSV or Excel cells under the canonical columns, or RIVM and CBS files.

Encoding, separator and header row are found as people actually write them (a title above the header is skipped
and named); a file that cannot be read at all raises DeliveryError with Dutch sentences. `read_layout` reads each
of the LAYOUTS the upload page offers; "automatisch" recognises RIVM and CBS files by their header.
Cells that could shift a value into another column are refused: a row with more fields than the header (even
empty ones), a cell under no header, and in a comma-separated file a number split at its comma.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ratc.ingest import notation, records, template
from ratc.ingest.limits import refusals
from ratc.ingest.records import DeliveryError
from ratc.ingest.template import COLUMNS

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = records.MAX_ROWS
MAX_LISTED_FILE_ERRORS = 50
AUTOMATIC = "automatisch"
# The kinds of file an import reads, with their Dutch names for the upload page; the first is the default.
LAYOUTS = {
    AUTOMATIC: "Automatisch herkennen",
    "aanlevering": "Aanlevering van een gemeente (sjabloon)",
    "rivm": "RIVM COVID-19 per gemeente (cumulatief of per dag)",
    "cbs": "CBS (StatLine-export, tabel per gemeente of provincie, OData-download)",
}
REQUIRED = ["gemeente", "indicator", "periode", "waarde"]
ALIASES = {
    "gemeente": {"gemeente", "municipality", "gemeentecode", "gemeentenaam", "gemeente code", "area code", "area"},
    "indicator": {"indicator", "indicator id", "indicatorid", "indicator code"},
    "periode": {"periode", "period", "period key", "periodecode"},
    "waarde": {"waarde", "value", "aantal"},
    "opmerking": {"opmerking", "opmerkingen", "remark", "remarks", "toelichting", "comment"},
}
RIVM_COLUMNS = {"Municipality_code", "Total_reported"}
RIVM_DAYS = {"Date_of_report", "Date_of_publication"}
CBS_CODE_COLUMNS = {"statcode", "municipality_code", "gemeentecode", "regiocode"}

__all__ = ["DeliveryError", "LAYOUTS", "LayoutRead", "detect_layout", "read_delivery", "read_layout"]


@dataclass(frozen=True)
class LayoutRead:
    """A file of some layout read into delivery rows, with what the import should know about it."""

    rows: pd.DataFrame
    allow_national: bool
    source: str | None
    notes: tuple[str, ...] = ()


def read_delivery(content: bytes, file_name: str) -> pd.DataFrame:
    """Read a delivered CSV or XLSX into cells with the user's row numbers; DeliveryError on file problems."""
    return _read_delivery(content, file_name)[0]


def read_layout(content: bytes, file_name: str, layout: str = AUTOMATIC, data_dir: Path | None = None) -> LayoutRead:
    """Delivery rows from a file of one of the LAYOUTS; DeliveryError (Dutch) when it cannot be read at all."""
    if layout == AUTOMATIC:
        detected = detect_layout(content, file_name)
        read = read_layout(content, file_name, detected, data_dir)
        if detected == "aanlevering":
            return read
        recognised = f"Herkend als {LAYOUTS[detected]}; kies een ander soort bestand als dat niet klopt."
        return LayoutRead(read.rows, read.allow_national, read.source, (recognised, *read.notes))
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
        return _read_cbs(content, file_name, data_dir)
    if layout == "aanlevering":
        rows, notes = _read_delivery(content, file_name)
        return LayoutRead(rows, False, None, notes)
    raise DeliveryError([f"Onbekende soort bestand {layout!r}; kies uit {', '.join(LAYOUTS)}."])


def detect_layout(content: bytes, file_name: str) -> str:
    """The layout a file's first bytes and header say it is: "rivm", "cbs" or "aanlevering"."""
    start = content.lstrip()[:1]
    if start in (b"{", b"["):
        return "cbs"
    if content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or Path(file_name or "").suffix.lower() == ".xlsx":
        return "aanlevering"
    try:
        text = records.decode(content[:65536])
    except DeliveryError:
        return "aanlevering"
    for line in [line for line in text.splitlines() if line.strip() and not line.startswith("#")][:10]:
        names = {re.sub(r"^\ufeff", "", name).strip().strip('"').strip() for name in re.split(r"[;,\t]", line)}
        if names >= RIVM_COLUMNS and names & RIVM_DAYS:
            return "rivm"
        if "Perioden" in names and names & {"Regio's", "RegioS"}:
            return "cbs"
        if _header_positions(list(names))[0].keys() >= set(REQUIRED):
            return "aanlevering"
        if {name.casefold() for name in names} & CBS_CODE_COLUMNS:
            return "cbs"
    return "aanlevering"


def _read_cbs(content: bytes, file_name: str, data_dir: Path | None) -> LayoutRead:
    from ratc.ingest import cbs, odata

    if content.lstrip()[:1] in (b"{", b"["):
        try:
            document = json.loads(content)
        except (ValueError, RecursionError) as exc:
            raise DeliveryError(["Dit is geen leesbare CBS-tabel: het JSON-bestand is beschadigd."]) from exc
        try:
            table = odata.read_document(document, data_dir)
        except cbs.CbsError as exc:
            raise DeliveryError([f"Dit is geen leesbare CBS-tabel: {exc}."]) from exc
        return LayoutRead(table.rows, True, table.source, table.notes)
    try:
        table = odata.read_table_csv(content, file_name, data_dir) or cbs.read_cbs_csv(content, data_dir)
    except cbs.CbsError as exc:
        raise DeliveryError([f"Dit is geen leesbaar CBS-bestand: {exc}."]) from exc
    return LayoutRead(table.rows, True, table.source or f"CBS, {file_name}", table.notes)


def _read_delivery(content: bytes, file_name: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    if not content or not content.strip():
        raise DeliveryError(["Het bestand is leeg."])
    if len(content) > MAX_BYTES:
        raise DeliveryError([f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB; splits het in delen."])
    suffix = Path(file_name or "").suffix.lower()
    if content.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        sheet = records.xlsx_sheet(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise DeliveryError(["Oude Excel-bestanden (.xls) worden niet gelezen; sla het bestand op als .xlsx of CSV."])
    elif content.startswith(b"%PDF"):
        raise DeliveryError(["Dit is een PDF-bestand; lever een CSV- of Excel-bestand (.xlsx) aan."])
    else:
        sheet = records.csv_sheet(content, _is_header)
    try:
        return _frame_from_sheet(sheet)
    except DeliveryError as error:
        layout = detect_layout(content, file_name)
        if layout != "aanlevering" and any("ontbre" in message for message in error.messages):
            kind = LAYOUTS[layout].split(" (")[0]
            raise DeliveryError([
                f"Dit lijkt geen aanlevering volgens het sjabloon maar een bestand van {kind}, te herkennen aan de "
                f"kopregel. Kies als soort bestand '{kind}' of laat het soort automatisch herkennen "
                f"(op de opdrachtregel: zonder --layout, of met --layout {layout})."
            ]) from error  # fmt: skip
        raise


def _frame_from_sheet(sheet: records.Sheet) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The delivery's cells under canonical Dutch column names, blank rows dropped, with the user's row numbers."""
    nonblank = [(number, cells) for number, cells in sheet.records if any(records.cell_text(c).strip() for c in cells)]
    if not nonblank:
        raise DeliveryError(["Het bestand is leeg."])
    at = next((index for index, (_, cells) in enumerate(nonblank[: records.HEADER_SEARCH_ROWS]) if _is_header(cells)),
              0)  # fmt: skip
    header_number, header = nonblank[at]
    notes = []
    if at:
        notes.append(
            f"De kopregel staat op rij {header_number}; "
            + (f"rij {nonblank[0][0]} (een titel) is" if at == 1 else f"de {at} rijen erboven (titel) zijn")
            + " overgeslagen."
        )
    positions, problems = _header_positions([records.cell_text(cell) for cell in header], header_number)
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        listed = ", ".join(f"'{name}'" for name in missing)
        one = len(missing) == 1
        problems.append(
            f"{'Kolom' if one else 'Kolommen'} {listed} {'ontbreekt' if one else 'ontbreken'}"
            f" in de kopregel (rij {header_number}). Verwacht: {', '.join(REQUIRED)} en eventueel opmerking; "
            "gebruik het sjabloon."
        )
    if problems:
        raise DeliveryError(problems)
    data = nonblank[at + 1 :]
    if not data:
        raise DeliveryError([f"Het bestand bevat geen gegevens onder de kopregel (rij {header_number})."])
    if len(data) > MAX_ROWS:
        raise DeliveryError([f"Het bestand heeft meer dan {notation.dutch_int(MAX_ROWS)} rijen; splits het in delen."])
    named = max(index for index, cell in enumerate(header) if records.cell_text(cell).strip()) + 1
    rows = {name: [] for name in ["row", *COLUMNS]}
    for number, cells in data:
        problem = _shifted(number, cells, len(header), named, positions, sheet.separator)
        if problem:
            problems.append(problem)
            continue
        rows["row"].append(number)
        for name in COLUMNS:
            index = positions.get(name)
            cell = cells[index] if index is not None and index < len(cells) else None
            rows[name].append(cell if name == "waarde" and not isinstance(cell, str) else records.cell_text(cell))
    if problems:
        shown = problems[:MAX_LISTED_FILE_ERRORS]
        if len(problems) > len(shown):
            shown.append(f"… en nog {len(problems) - len(shown)} rijen met velden die niet onder de kopregel passen.")
        raise DeliveryError(shown)
    frame = pd.DataFrame(rows).astype({"row": "int64", **dict.fromkeys(COLUMNS, object)})
    if frame["opmerking"].map(template.is_example).all():
        raise DeliveryError([template.EXAMPLE_ONLY_MESSAGE])
    return frame, tuple(notes)


def _shifted(number: int, cells: list, width: int, named: int, positions: dict[str, int], separator) -> str | None:
    """Why a row's cells may not be under the columns they seem to be, or None."""
    if separator is not None and len(cells) > width:
        return (
            f"Rij {number}: {len(cells)} velden, maar de kopregel heeft er {width}; staat er een scheidingsteken "
            f"({records.SEPARATOR_NAMES.get(separator, separator)}) in een waarde? Zet zo'n waarde tussen "
            "aanhalingstekens of verwijder de lege velden aan het eind van de rij."
        )
    stray = next((index for index in range(named, len(cells)) if records.cell_text(cells[index]).strip()), None)
    if stray is not None:
        return (
            f"Rij {number}: kolom {records.column_letter(stray)} bevat '{records.cell_text(cells[stray]).strip()}', "
            "maar heeft geen naam in de kopregel; zet de waarde in de juiste kolom of verwijder haar."
        )
    if separator == ",":
        return _split_number(number, cells, positions)
    return None


def _split_number(number: int, cells: list, positions: dict[str, int]) -> str | None:
    """A value cut in two at its comma: `2,356` unquoted in a comma-separated file reads as waarde 2 and 356 next."""
    index = positions["waarde"]
    following = index + 1
    if following >= len(cells) or following in {positions[name] for name in REQUIRED}:
        return None  # the next cell is validated itself, so a split there is refused anyway
    value, rest = str(cells[index]).strip(), str(cells[following]).strip()
    if re.fullmatch(r"[+-]?\d+", value) and re.fullmatch(r"\d+(?:[.,]\d+)*", rest):
        return (
            f"Rij {number}: waarde '{value}' en de kolom erna '{rest}' zijn waarschijnlijk één getal ({value},{rest}) "
            "dat door de komma als scheidingsteken in twee velden is geknipt. Zet de waarde tussen aanhalingstekens, "
            "lever zonder scheidingsteken voor duizendtallen of gebruik een puntkomma als scheidingsteken."
        )
    return None


def _is_header(cells: list[object]) -> bool:
    """Whether a row names every required column."""
    positions, _ = _header_positions([records.cell_text(cell) for cell in cells])
    return set(REQUIRED) <= positions.keys()


def _header_positions(header: list[str], header_number: int | None = None) -> tuple[dict[str, int], list[str]]:
    """Canonical column -> position in a header row, and the problems (a column named twice)."""
    positions: dict[str, int] = {}
    problems = []
    for index, name in enumerate(header):
        canonical = _column_name(name)
        if canonical is None:
            continue
        if canonical in positions:
            problems.append(f"Kolom '{canonical}' komt twee keer voor in de kopregel (rij {header_number}).")
        positions.setdefault(canonical, index)
    return positions, problems


def _column_name(header: object) -> str | None:
    """The canonical column a header cell names, forgiving case, spacing, underscores and a stray BOM."""
    text = re.sub(r"[\s_\-]+", " ", str(header).replace("\ufeff", "").strip().strip('"').lower()).strip()
    text = re.sub(r"\s*\(.*\)$", "", text)  # 'waarde (aantal)'
    for canonical, aliases in ALIASES.items():
        if text in aliases or text.replace(" ", "") in {alias.replace(" ", "") for alias in aliases}:
            return canonical
    return None
