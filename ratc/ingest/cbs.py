"""CBS figures in CSV: StatLine exports (names, not codes) and CBS tables per municipality or province code.

A StatLine CSV export is `;`-separated UTF-8 with a BOM, every value quoted and left-padded with spaces, the
full StatLine path as column header, municipality *names* in `Regio's`, and empty values for municipalities
that no longer existed in the period. Names are matched to codes through `data/areas.csv`, forgiving case,
spacing and hyphens. Lines starting with `#` (comments) and title lines above the header are skipped and named
in the notes; row numbers are always lines of the original file.

A CBS table per municipality *code* (`statcode` GM0505, or `Municipality_code` 505) is read as well.
Which column feeds which indicator and period is data, not code: `data/cbs_columns.csv`. OData tables (JSON, or
written out as CSV) are read by `ratc.ingest.odata` with the helpers here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ratc.core import metadata, paths
from ratc.ingest import areas, notation

DELIVERY_COLUMNS = ["gemeente", "indicator", "periode", "waarde", "opmerking", "row"]
POPULATION_HEADER = "Totale bevolking"
COUNTRY_NAMES = ("nederland",)
COUNTRY_KEYS = ("NL01", "NL00", "NL")
# Column names (case-insensitive) that hold a municipality code in a CBS table per municipality.
CODE_COLUMNS = ("statcode", "municipality_code", "gemeentecode", "regiocode")
NAME_COLUMNS = ("statnaam", "municipality_name", "gemeentenaam", "regionaam")
MAPPING_FILE = "cbs_columns.csv"
# Area types a CBS file delivers for: our municipalities, and provinces as context areas (NL via COUNTRY_KEYS).
DELIVERED = ("gemeente", "provincie")
SEPARATORS = (";", ",", "\t")
HEADER_SEARCH_LINES = 20

MONTHS_NL = notation.MONTHS_NL
_CODE_PERIOD = re.compile(r"^(\d{4})(MM|KW|JJ)(\d{2})$")
_TITLE_PERIOD = re.compile(r"^(\d{4})(?:\s+(\S+)(?:\s+kwartaal)?)?$")


class CbsError(ValueError):
    """A CBS file or table that cannot be read into the monitor's indicators."""


@dataclass(frozen=True)
class CbsTable:
    """A CBS file read as delivery rows, with notes on what was left out and why, and its source when known."""

    rows: pd.DataFrame
    notes: tuple[str, ...]
    source: str | None = None


@dataclass(frozen=True)
class Prepared:
    """A CSV's header and data lines without comments, titles, blank lines and footers; each line's number."""

    text: str
    header: str
    separator: str
    lines: list[int]
    notes: tuple[str, ...]


def prepare(text: str, is_header: Callable[[list[str]], bool]) -> Prepared | None:
    """The table in a CSV text from its header line on; None when none of the first lines is a header.

    `#` lines (comments) anywhere and lines above the header (a title) are left out, and so are lines after it
    without any separator (a footer such as "Bron: CBS"); the notes name what was left out.
    """
    numbered = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    comments = {number for number, line in numbered if line.lstrip().lstrip("\ufeff").startswith("#")}
    content = [(number, line.lstrip("\ufeff")) for number, line in numbered if number not in comments]
    candidates = enumerate(content[:HEADER_SEARCH_LINES])
    found = next(((position, number, line, separator) for position, (number, line) in candidates
                  for separator in SEPARATORS if is_header(_names_in(line, separator) or [""])), None)  # fmt: skip
    if found is None:
        return None
    position, number, line, separator = found
    data = [(at, line) for at, line in content[position + 1 :] if separator in line]
    footers = len(content) - position - 1 - len(data)
    notes = []
    if comments:
        notes.append(f"{len(comments)} commentaarregels (beginnend met #) zijn overgeslagen.")
    if position:
        notes.append(f"De kopregel staat op regel {number}; de {position} regel(s) erboven (titel) zijn overgeslagen.")
    if footers:
        notes.append(f"{footers} regel(s) zonder scheidingsteken na de kopregel (zoals een bronvermelding) "
                     "zijn overgeslagen.")  # fmt: skip
    body = "\n".join([line, *(text for _, text in data)]) + "\n"
    return Prepared(body, line, separator, [at for at, _ in data], tuple(notes))


def _names_in(line: str, separator: str) -> list[str]:
    """The column names a line holds when split at a separator (at least two)."""
    try:
        names = next(csv.reader([line], delimiter=separator))
    except (csv.Error, StopIteration):
        return []
    return [name.strip().strip('"').strip() for name in names] if len(names) > 1 else []


def column_mapping(data_dir: Path | None = None) -> pd.DataFrame:
    """Which CBS column feeds which indicator, and for which period when the file does not say."""
    return pd.read_csv((data_dir or paths.data_dir()) / MAPPING_FILE, dtype=str, keep_default_na=False)


def read_cbs_csv(content: bytes, data_dir: Path | None = None) -> CbsTable:
    """A StatLine export or a CBS table per municipality code as delivery rows for our areas and NL."""
    text = decode(content)
    if not text.strip():
        raise CbsError("het bestand is leeg")
    statline = prepare(text, _is_statline_header)
    if statline is not None:
        return _statline_delivery(statline, data_dir)
    table = prepare(text, lambda names: any(name.casefold() in CODE_COLUMNS for name in names))
    if table is None:
        expected = ", ".join(CODE_COLUMNS)
        raise CbsError(f"geen kolom met een gemeentecode ({expected}) en geen StatLine-kolommen Perioden en Regio's")
    return _code_table_delivery(table, data_dir)


def _is_statline_header(names: list[str]) -> bool:
    return {"Perioden", "Regio's"} <= set(names)


def normalise_name(name: str) -> str:
    """A municipality name for matching: lower case, hyphens as spaces, single spaces."""
    return " ".join(str(name).replace("-", " ").casefold().split())


def name_codes(data_dir: Path | None = None) -> dict[str, str]:
    """Normalised name -> CBS code for our municipalities and provinces, plus Nederland -> NL."""
    areas = metadata.read_areas(data_dir)
    codes = {normalise_name(row.area_name): row.area_code for row in areas.itertuples() if row.area_type in DELIVERED}
    codes.update({name: metadata.COUNTRY_CODE for name in COUNTRY_NAMES})
    return codes


def read_statline_csv(content: bytes | Path, data_dir: Path | None = None) -> pd.DataFrame:
    """A StatLine CSV export as a tidy frame: region_name, area_code (None outside the ten), period, measure, value,
    row.

    `measure` is the last part of the StatLine header path, `measure_path` the whole header. Empty values
    (municipalities that no longer existed) are left out.
    """
    data = content.read_bytes() if isinstance(content, Path) else bytes(content)
    prepared = prepare(decode(data), _is_statline_header)
    if prepared is None:
        raise CbsError("dit is geen StatLine-export per regio: de kolommen Perioden en Regio's ontbreken")
    frame = _read_csv_text(prepared.text, prepared.separator)
    measures = [column for column in frame.columns if column not in ("Perioden", "Regio's")]
    frame["row"] = _line_numbers(frame, prepared)
    id_columns = ["Perioden", "Regio's", "row"]
    tidy = frame.melt(id_vars=id_columns, value_vars=measures, var_name="measure_path", value_name="raw")
    tidy["raw"] = tidy["raw"].str.strip()
    tidy = tidy[tidy["raw"].ne("") & tidy["raw"].ne(".")]
    values = pd.to_numeric(tidy["raw"], errors="coerce")
    if values.isna().any():
        bad = tidy.loc[values.isna()].iloc[0]
        region, measure, raw = bad["Regio's"], bad["measure_path"], bad["raw"]
        raise CbsError(f"rij {bad['row']}: {region}, {measure}: '{raw}' is geen getal")
    codes = name_codes(data_dir)
    region = tidy["Regio's"].str.strip()
    return pd.DataFrame(
        {
            "region_name": region,
            "area_code": region.map(lambda name: codes.get(normalise_name(name))),
            "period": tidy["Perioden"].str.strip(),
            "measure": tidy["measure_path"].str.split("/").str[-1].str.strip(),
            "measure_path": tidy["measure_path"],
            "value": values.astype(float),
            "row": tidy["row"],
        }
    ).reset_index(drop=True)


def population_check(frame: pd.DataFrame) -> dict[str, int]:
    """Population on 1 January per municipality code of the ten, from a tidy StatLine frame, to check areas.csv."""
    codes = frame["area_code"].fillna("")
    rows = frame[frame["measure"].str.startswith(POPULATION_HEADER) & codes.str.startswith("GM")]
    if rows["area_code"].duplicated().any():
        raise CbsError("de export bevat de bevolking van een gemeente meer dan eens (meerdere perioden?)")
    return {row.area_code: int(row.value) for row in rows.itertuples()}


def cbs_period(key: str, frequency: str) -> str | None:
    """Our period key for a CBS period code or title of this frequency; None when it is of another frequency."""
    text = str(key).strip().rstrip("*").strip()
    match = _CODE_PERIOD.match(text)
    if match:
        year, kind, number = match.group(1), match.group(2), int(match.group(3))
        if kind == "MM" and frequency == "maand":
            return f"{year}-{number:02d}"
        if kind == "KW" and frequency == "kwartaal":
            return f"{year}-Q{number}"
        if kind == "JJ" and frequency == "jaar":
            return year
        return None
    match = _TITLE_PERIOD.match(text)
    if not match:
        raise CbsError(f"onbekende CBS-periode '{key}'")
    year, part = match.group(1), (match.group(2) or "").casefold()
    if part in MONTHS_NL:
        return f"{year}-{MONTHS_NL.index(part) + 1:02d}" if frequency == "maand" else None
    if re.fullmatch(r"[1-4]e", part):
        return f"{year}-Q{part[0]}" if frequency == "kwartaal" else None
    if part == "":
        return year if frequency == "jaar" else None
    raise CbsError(f"onbekende CBS-periode '{key}'")


def area_code(region: object, codes: dict[str, str], known: set[str]) -> str | None:
    """Our code for a CBS region key ("GM0505    ", "PV28      ", "NL01      ") or title ("Dordrecht"); None else."""
    text = str(region).strip()
    if text in known:
        return text
    if text in COUNTRY_KEYS:
        return metadata.COUNTRY_CODE
    return codes.get(normalise_name(text))


def number(value: object) -> float | None:
    """A CBS value as a number; None for missing ones (None, empty, '.')."""
    if value is None:
        return None
    text = str(value).strip()
    if text in ("", ".", "-", "x"):
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise CbsError(f"'{text}' is geen getal") from exc


def as_text(value: float) -> str:
    """A value as delivery text: an integer without decimals, no thousands separator."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _line_numbers(frame: pd.DataFrame, prepared: Prepared) -> list[int]:
    """Each row's line in the original file (positions after the header if a quoted value spans lines)."""
    return prepared.lines if len(prepared.lines) == len(frame) else list(range(2, len(frame) + 2))


def _statline_delivery(prepared: Prepared, data_dir: Path | None) -> CbsTable:
    """Delivery rows from a StatLine export: mapped measures of our areas and NL, the period from `Perioden`."""
    tidy = read_statline_csv(prepared.text.encode("utf-8"), data_dir)
    tidy["row"] = tidy["row"].map(dict(enumerate(prepared.lines, start=2))).fillna(tidy["row"]).astype(int)
    mapping = column_mapping(data_dir).set_index("source_column")
    frequencies = metadata.read_indicators(data_dir).set_index("indicator_id")["frequency"]
    mapped = tidy[tidy["measure"].isin(mapping.index)]
    if mapped.empty:
        raise CbsError(f"geen van de StatLine-onderwerpen is aan een indicator gekoppeld (data/{MAPPING_FILE})")
    records = []
    for row in mapped[mapped["area_code"].notna()].itertuples():
        indicator, fixed = mapping.loc[row.measure, "indicator_id"], mapping.loc[row.measure, "period"]
        period = fixed or cbs_period(row.period, frequencies[indicator]) or row.period
        records.append((row.area_code, indicator, period, as_text(row.value), "CBS StatLine", row.row))
    outside = set(mapped.loc[mapped["area_code"].isna(), "region_name"])
    unused = sorted(set(tidy["measure"]) - set(mapping.index))
    return CbsTable(delivery_frame(records), prepared.notes + _notes(outside, unused, data_dir))


def _code_table_delivery(prepared: Prepared, data_dir: Path | None) -> CbsTable:
    """Delivery rows from a CBS table per municipality code, each mapped column giving one indicator and period."""
    frame = _read_csv_text(prepared.text, prepared.separator)
    code_column = next((column for column in frame.columns if column.casefold() in CODE_COLUMNS), None)
    if code_column is None:
        expected = ", ".join(CODE_COLUMNS)
        raise CbsError(f"geen kolom met een gemeentecode ({expected}) en geen StatLine-kolommen Perioden en Regio's")
    mapping = column_mapping(data_dir).set_index("source_column")
    columns = [column for column in frame.columns if column in mapping.index]
    if not columns:
        raise CbsError(f"geen van de kolommen is aan een indicator gekoppeld (data/{MAPPING_FILE})")
    undated = [column for column in columns if not mapping.loc[column, "period"]]
    if undated:
        raise CbsError(f"data/{MAPPING_FILE} geeft geen periode voor {', '.join(undated)} en het bestand noemt er geen")
    known = set(name_codes(data_dir).values())
    records, outside = [], set()
    for number, row in zip(_line_numbers(frame, prepared), frame.itertuples(index=False), strict=True):
        values = dict(zip(frame.columns, row, strict=True))
        area = _code(values[code_column])
        if area not in known:
            outside.add(area)
            continue
        for column in columns:
            raw = str(values[column]).strip()
            if raw in ("", ".", "x", "-"):
                continue
            indicator, period = mapping.loc[column, "indicator_id"], mapping.loc[column, "period"]
            records.append((area, indicator, period, _as_number_text(raw), f"CBS, kolom {column}", number))
    unused = sorted(column for column in set(frame.columns) - set(columns) - {code_column}
                    if column.casefold() not in NAME_COLUMNS)  # fmt: skip
    return CbsTable(delivery_frame(records), prepared.notes + _notes(outside, unused, data_dir))


def _code(text: object) -> str:
    """Our code for a CBS municipality code written as GM0505, gm505, 505 or 0505; NL for the country."""
    value = str(text).strip().upper()
    if value in COUNTRY_KEYS:
        return metadata.COUNTRY_CODE
    digits = value.removeprefix("GM")
    return f"GM{int(digits):04d}" if re.fullmatch(r"[0-9]{1,4}", digits) else value


def _as_number_text(raw: str) -> str:
    """A CBS number as delivery text; text that is no number is passed on for validation to report by row."""
    try:
        return as_text(float(raw))
    except ValueError:
        return raw


def delivery_frame(records: list[tuple]) -> pd.DataFrame:
    """Delivery rows in the shape `validate` reads, in file order."""
    return pd.DataFrame(records, columns=DELIVERY_COLUMNS).astype({"row": int}).sort_values("row", kind="stable")


def _notes(outside: set[str], unused: list[str], data_dir: Path | None) -> tuple[str, ...]:
    """Dutch notes on what a CBS file held that the monitor does not read."""
    notes = []
    if outside:
        notes.append(f"{len(outside)} regio's buiten Zuid-Holland-Zuid en Nederland zijn overgeslagen.")
    merged = areas.merged_note(outside, data_dir or paths.data_dir())
    if merged:
        notes.append(merged)
    if unused:
        notes.append("Niet gebruikte kolommen (niet gekoppeld in data/cbs_columns.csv): " + ", ".join(unused) + ".")
    return tuple(notes)


def decode(content: bytes) -> str:
    """The text of a CBS file: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise CbsError("de tekencodering van het bestand is onbekend; sla het op als CSV (UTF-8)") from exc


def _read_csv_text(text: str, separator: str) -> pd.DataFrame:
    """A CSV text as string cells with stripped column names; CbsError (Dutch) when it is not a CSV table."""
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False, quotechar='"')
    except pd.errors.EmptyDataError as exc:
        raise CbsError("het bestand is leeg") from exc
    except pd.errors.ParserError as exc:
        raise CbsError(
            "het bestand is geen leesbare CSV-tabel (bijvoorbeeld een aanhalingsteken dat niet sluit)"
        ) from exc
    frame.columns = [str(column).strip() for column in frame.columns]
    return frame
