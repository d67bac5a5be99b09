"""CBS figures: StatLine CSV exports (names, not codes) and OData rows from `cbsodata`, for the ten and NL.

A StatLine CSV export is `;`-separated UTF-8 with a BOM, every value quoted and left-padded with spaces, the
full StatLine path as column header, municipality *names* in `Regio's`, and empty values for municipalities
that no longer existed in the period. Names are matched to codes through `data/areas.csv`, forgiving case,
spacing and hyphens.

A CBS table per municipality *code* (`statcode` GM0505, or `Municipality_code` 505) is read as well.
Which column feeds which indicator and period is data, not code: `data/cbs_columns.csv`.

OData rows (`cbsodata.get_data`) carry per dimension either the code (`RegioS` "GM0505    ", padded;
`Perioden` "2020MM04") or, because `get_data` replaces codes by titles, the title ("Dordrecht",
"2020 april"); both are read. `TABLES` says per table which columns hold the region, period and value,
which other dimensions to filter on, and which indicator it delivers.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ratc.core import metadata, paths

DELIVERY_COLUMNS = ["gemeente", "indicator", "periode", "waarde", "opmerking", "row"]
POPULATION_HEADER = "Totale bevolking"
COUNTRY_NAMES = ("nederland",)
COUNTRY_KEYS = ("NL01", "NL00", "NL")
# Column names (case-insensitive) that hold a municipality code in a CBS table per municipality.
CODE_COLUMNS = ("statcode", "municipality_code", "gemeentecode", "regiocode")
NAME_COLUMNS = ("statnaam", "municipality_name", "gemeentenaam", "regionaam")
MAPPING_FILE = "cbs_columns.csv"

# One entry per CBS table. `filters`: dimension column -> accepted values (the code and the title, since
# cbsodata.get_data returns titles). `indicator` None: downloadable, but not (yet) mapped onto an indicator.
TABLES: dict[str, dict] = {
    "82522NED": {
        "title": "Faillissementen; bedrijven en instellingen, regio",
        "indicator": "faillissementen",
        "region": "RegioS",
        "period": "Perioden",
        "value": "UitgesprokenFaillissementen_1",
        # our definition counts businesses and institutions including sole proprietorships
        "filters": {"TypeGefailleerde": ("A047596", "Bedrijven, instellingen en eenmanszaken")},
    },
    "82015NED": {
        "title": "Bijstandsuitkeringen; uitkeringsgrondslag, regio's",
        "indicator": "bijstand_uitkeringen",
        "region": "RegioS",
        "period": "Perioden",
        "value": "Bijstandsuitkeringen_1",  # not verified against the table's DataProperties
        "filters": {},
    },
    "84897NED": {
        "title": "Uitkeringsontvangers per wijk en buurt, 2020",
        "indicator": None,  # one year per neighbourhood: no monthly or quarterly indicator of ours fits
        "region": "WijkenEnBuurten",
        "period": None,
        "value": None,
        "filters": {},
    },
}

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober")
MONTHS_NL += ("november", "december")
_CODE_PERIOD = re.compile(r"^(\d{4})(MM|KW|JJ)(\d{2})$")
_TITLE_PERIOD = re.compile(r"^(\d{4})(?:\s+(\S+)(?:\s+kwartaal)?)?$")


class CbsError(ValueError):
    """A CBS file or table that cannot be read into the monitor's indicators."""


@dataclass(frozen=True)
class CbsTable:
    """A CBS file read as delivery rows, with notes on what was left out and why."""

    rows: pd.DataFrame
    notes: tuple[str, ...]


def column_mapping(data_dir: Path | None = None) -> pd.DataFrame:
    """Which CBS column feeds which indicator, and for which period when the file does not say."""
    return pd.read_csv((data_dir or paths.data_dir()) / MAPPING_FILE, dtype=str, keep_default_na=False)


def read_cbs_csv(content: bytes, data_dir: Path | None = None) -> CbsTable:
    """A StatLine export or a CBS table per municipality code as delivery rows for the ten and NL."""
    text = _decode(content)
    header = text.split("\n", 1)[0]
    if "Perioden" in header and "Regio's" in header:
        return _statline_delivery(content, data_dir)
    return _code_table_delivery(text, data_dir)


def normalise_name(name: str) -> str:
    """A municipality name for matching: lower case, hyphens as spaces, single spaces."""
    return " ".join(str(name).replace("-", " ").casefold().split())


def name_codes(data_dir: Path | None = None) -> dict[str, str]:
    """Normalised name -> CBS code for the ten municipalities, plus Nederland -> NL."""
    areas = metadata.read_areas(data_dir)
    codes = {normalise_name(row.area_name): row.area_code for row in areas.itertuples() if row.area_type == "gemeente"}
    codes.update({name: metadata.COUNTRY_CODE for name in COUNTRY_NAMES})
    return codes


def read_statline_csv(content: bytes | Path, data_dir: Path | None = None) -> pd.DataFrame:
    """A StatLine CSV export as a tidy frame: region_name, area_code (None outside the ten), period, measure, value,
    row.

    `measure` is the last part of the StatLine header path, `measure_path` the whole header. Empty values
    (municipalities that no longer existed) are left out.
    """
    data = content.read_bytes() if isinstance(content, Path) else bytes(content)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CbsError("dit is geen UTF-8-bestand zoals StatLine het exporteert") from exc
    frame = _read_csv_text(text, ";")
    if not {"Perioden", "Regio's"} <= set(frame.columns):
        raise CbsError("dit is geen StatLine-export per regio: de kolommen Perioden en Regio's ontbreken")
    measures = [column for column in frame.columns if column not in ("Perioden", "Regio's")]
    frame["row"] = range(2, len(frame) + 2)  # the line in the file, the header being line 1
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


def read_odata(table_id: str, rows: list[dict], data_dir: Path | None = None) -> pd.DataFrame:
    """cbsodata rows of a table in TABLES as a delivery (gemeente, indicator, periode, waarde, opmerking, row)."""
    spec = TABLES.get(table_id.upper())
    if spec is None:
        raise CbsError(f"tabel {table_id} is niet bekend; bekende tabellen: {', '.join(TABLES)}")
    if spec["indicator"] is None:
        raise CbsError(f"tabel {table_id} ({spec['title']}) is niet aan een indicator van de monitor gekoppeld")
    indicators = metadata.read_indicators(data_dir).set_index("indicator_id")
    frequency = indicators.loc[spec["indicator"], "frequency"]
    codes = name_codes(data_dir)
    ten = set(codes.values())
    records, seen = [], {}
    for number, row in enumerate(rows, start=1):
        missing = [spec[key] for key in ("region", "period", "value") if spec[key] not in row]
        missing += [column for column in spec["filters"] if column not in row]
        if missing:
            raise CbsError(
                f"{table_id} rij {number}: de kolommen {', '.join(missing)} ontbreken; is de tabel veranderd?"
            )
        if any(str(row[column]).strip() not in accepted for column, accepted in spec["filters"].items()):
            continue
        area = _area_code(row[spec["region"]], codes, ten)
        period = cbs_period(row[spec["period"]], frequency)
        value = _number(row[spec["value"]])
        if area is None or period is None or value is None:
            continue
        key = (area, period)
        if key in seen:
            raise CbsError(
                f"{table_id}: de rijen {seen[key]} en {number} geven allebei {area} {period}; "
                "filter de andere dimensies van de tabel in ratc.cbs.TABLES"
            )
        seen[key] = number
        records.append((area, spec["indicator"], period, _as_text(value), f"CBS {table_id.upper()}"))
    delivery = pd.DataFrame(records, columns=DELIVERY_COLUMNS[:-1], dtype=str)
    delivery = delivery.sort_values(["gemeente", "periode"], ignore_index=True)
    delivery["row"] = range(2, len(delivery) + 2)  # the line number in the equivalent delivery CSV
    return delivery


def _area_code(region: object, codes: dict[str, str], ten: set[str]) -> str | None:
    """Our code for a CBS region key ("GM0505    ", "NL01      ") or title ("Dordrecht"); None for others."""
    text = str(region).strip()
    if text in ten:
        return text
    if text in COUNTRY_KEYS:
        return metadata.COUNTRY_CODE
    return codes.get(normalise_name(text))


def _number(value: object) -> float | None:
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


def _as_text(value: float) -> str:
    """A value as delivery text: an integer without decimals, no thousands separator."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _statline_delivery(content: bytes, data_dir: Path | None) -> CbsTable:
    """Delivery rows from a StatLine export: mapped measures of the ten and NL, the period from `Perioden`."""
    tidy = read_statline_csv(content, data_dir)
    mapping = column_mapping(data_dir).set_index("source_column")
    frequencies = metadata.read_indicators(data_dir).set_index("indicator_id")["frequency"]
    mapped = tidy[tidy["measure"].isin(mapping.index)]
    if mapped.empty:
        raise CbsError(f"geen van de StatLine-onderwerpen is aan een indicator gekoppeld (data/{MAPPING_FILE})")
    records = []
    for row in mapped[mapped["area_code"].notna()].itertuples():
        indicator, fixed = mapping.loc[row.measure, "indicator_id"], mapping.loc[row.measure, "period"]
        period = fixed or cbs_period(row.period, frequencies[indicator]) or row.period
        records.append((row.area_code, indicator, period, _as_text(row.value), "CBS StatLine", row.row))
    outside = mapped.loc[mapped["area_code"].isna(), "region_name"].nunique()
    unused = sorted(set(tidy["measure"]) - set(mapping.index))
    return CbsTable(_delivery_frame(records), _notes(outside, unused))


def _code_table_delivery(text: str, data_dir: Path | None) -> CbsTable:
    """Delivery rows from a CBS table per municipality code, each mapped column giving one indicator and period."""
    separator = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    frame = _read_csv_text(text, separator)
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
    ten = set(name_codes(data_dir).values())
    records, outside = [], 0
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        values = dict(zip(frame.columns, row, strict=True))
        area = _code(values[code_column])
        if area not in ten:
            outside += 1
            continue
        for column in columns:
            raw = str(values[column]).strip()
            if raw in ("", ".", "x", "-"):
                continue
            indicator, period = mapping.loc[column, "indicator_id"], mapping.loc[column, "period"]
            records.append((area, indicator, period, _as_number_text(raw), f"CBS, kolom {column}", number))
    unused = sorted(column for column in set(frame.columns) - set(columns) - {code_column}
                    if column.casefold() not in NAME_COLUMNS)  # fmt: skip
    return CbsTable(_delivery_frame(records), _notes(outside, unused))


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
        return _as_text(float(raw))
    except ValueError:
        return raw


def _delivery_frame(records: list[tuple]) -> pd.DataFrame:
    """Delivery rows in the shape `validate` reads, in file order."""
    return pd.DataFrame(records, columns=DELIVERY_COLUMNS).astype({"row": int}).sort_values("row", kind="stable")


def _notes(outside: int, unused: list[str]) -> tuple[str, ...]:
    """Dutch notes on what a CBS file held that the monitor does not read."""
    notes = []
    if outside:
        notes.append(f"{outside} regio's buiten Zuid-Holland-Zuid en Nederland zijn overgeslagen.")
    if unused:
        notes.append("Niet gebruikte kolommen (niet gekoppeld in data/cbs_columns.csv): " + ", ".join(unused) + ".")
    return tuple(notes)


def _decode(content: bytes) -> str:
    """The text of a CBS file: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252")


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
