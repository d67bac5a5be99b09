"""Import a municipality's delivery: read what people actually send, validate every row, then commit all or nothing.

The ledger (`data/imports.csv`) is the commit point: files written before their ledger entry are ignored by the
build and removed by the next import, so a crash at any moment leaves ledger and warehouse consistent.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import difflib
import fcntl
import hashlib
import io
import json
import math
import os
import re
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ratc.core import metadata, paths, periods
from ratc.ingest.template import COLUMNS, PERIOD_FORMATS
from ratc.warehouse import builder as warehouse
from ratc.warehouse import lineage

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_LISTED_FILE_ERRORS = 50
FIRST_YEAR = 2015
POPULATION_FACTOR = 10
# The kinds of file an import reads, with their Dutch names for the upload page.
LAYOUTS = {
    "aanlevering": "Aanlevering van een gemeente (sjabloon)",
    "rivm": "RIVM COVID-19 per gemeente (cumulatief of per dag)",
    "cbs": "CBS (StatLine-export, tabel per gemeente of OData-download)",
}
IMPORTS_DIR = "imports"
ORIGINALS_DIR = "originals"
CANONICAL_COLUMNS = ["area_code", "indicator_id", "period", "value"]
REQUIRED = ["gemeente", "indicator", "periode", "waarde"]
ALIASES = {
    "gemeente": {"gemeente", "municipality", "gemeentecode", "gemeentenaam", "gemeente code", "area code", "area"},
    "indicator": {"indicator", "indicator id", "indicatorid", "indicator code"},
    "periode": {"periode", "period", "period key", "periodecode"},
    "waarde": {"waarde", "value", "aantal"},
    "opmerking": {"opmerking", "opmerkingen", "remark", "remarks", "toelichting", "comment"},
}
FREQUENCY_NOUNS = {
    "week": "een weekcijfer",
    "maand": "een maandcijfer",
    "kwartaal": "een kwartaalcijfer",
    "jaar": "een jaarcijfer",
}
FREQUENCY_EXPECTED = {"week": "een week", "maand": "een maand", "kwartaal": "een kwartaal", "jaar": "een jaar"}
# Kills the process at a named point inside `accept`, so a test can prove a crash there loses nothing.
CRASH_VARIABLE = "RATC_IMPORT_CRASH_AT"

Progress = Callable[[float, str], None]


class DeliveryError(ValueError):
    """A delivery that cannot be read or accepted; `messages` are Dutch sentences for the user."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class RowError:
    """One problem in one row of a delivery: the row as the user numbers it, the column and a Dutch message."""

    row: int
    column: str
    message: str


@dataclass
class Validation:
    """The outcome of validating a delivery: canonical rows, row errors and the existing values it would change."""

    rows: pd.DataFrame
    errors: list[RowError] = field(default_factory=list)
    changes: pd.DataFrame = field(default_factory=lambda: _empty_changes())
    replace: bool = False

    @property
    def ok(self) -> bool:
        """True when the delivery may be accepted as a whole."""
        return not self.errors


@dataclass(frozen=True)
class ImportResult:
    """What `import_file` did: the validation, and the ledger record when the file was accepted."""

    validation: Validation
    record: lineage.ImportRecord | None
    notes: tuple[str, ...] = ()


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


def validate(
    raw: pd.DataFrame,
    data_dir: Path | None = None,
    existing: pd.DataFrame | None = None,
    replace: bool = False,
    *,
    allow_national: bool = False,
) -> Validation:
    """Check every row against the metadata and the data in force; conflicts are errors unless `replace`."""
    base = data_dir or paths.data_dir()
    checker = _RowChecker(base, allow_national)
    errors: list[RowError] = []
    parsed: list[dict] = []
    first_row_of: dict[tuple[str, str, str], int] = {}
    for record in raw.to_dict("records"):
        row_errors, canonical = checker.check(record)
        errors.extend(row_errors)
        if canonical is None:
            continue
        key = (canonical["area_code"], canonical["indicator_id"], canonical["period"])
        if key in first_row_of:
            first = first_row_of[key]
            errors.append(
                RowError(
                    canonical["row"],
                    "",
                    f"Rij {canonical['row']}: dubbel met rij {first}: {checker.describe(key)} komt twee keer "
                    f"voor in het bestand (rij {first} en rij {canonical['row']}).",
                )
            )
            continue
        first_row_of[key] = canonical["row"]
        parsed.append(canonical)
    rows = pd.DataFrame(parsed, columns=["row", *CANONICAL_COLUMNS, "remark"])
    if existing is None:
        existing = existing_observations(base)
    changes = _changes(rows, existing, checker)
    if len(changes) and not replace:
        errors.extend(_conflict_errors(changes, checker))
    errors.sort(key=lambda error: error.row)
    return Validation(rows=rows, errors=errors, changes=changes, replace=replace)


def existing_observations(data_dir: Path | None = None) -> pd.DataFrame:
    """The observations in force according to the ledger's files (the newest import winning), without DuckDB."""
    base = data_dir or paths.data_dir()
    frames = []
    for record in lineage.read_ledger(base):
        path = base / record.file_path
        if path.exists():
            frame = pd.read_csv(path, dtype={"area_code": str, "indicator_id": str, "period": str, "value": "float64"})
            frames.append(frame[CANONICAL_COLUMNS].assign(import_id=record.import_id))
    if not frames:
        return pd.DataFrame(
            {
                "area_code": pd.Series(dtype=str),
                "indicator_id": pd.Series(dtype=str),
                "period": pd.Series(dtype=str),
                "value": pd.Series(dtype="float64"),
                "import_id": pd.Series(dtype="int64"),
            }
        )
    combined = pd.concat(frames, ignore_index=True).sort_values("import_id", kind="stable")
    return combined.drop_duplicates(["area_code", "indicator_id", "period"], keep="last").reset_index(drop=True)


def accept(
    validation: Validation,
    original: bytes,
    file_name: str,
    source: str,
    data_dir: Path | None = None,
    target: Path | None = None,
    progress: Progress | None = None,
) -> lineage.ImportRecord:
    """Keep the original and its canonical rows append-only, commit them in the ledger, rebuild the warehouse."""
    if not validation.ok:
        raise DeliveryError(["Het bestand bevat fouten; er is niets opgeslagen."])
    if validation.rows.empty:
        raise DeliveryError(["Het bestand bevat geen waarnemingen; er is niets opgeslagen."])
    base = data_dir or paths.data_dir()
    report = progress or (lambda fraction, message: None)
    folder = base / IMPORTS_DIR
    (folder / ORIGINALS_DIR).mkdir(parents=True, exist_ok=True)
    report(0.02, "Aanlevering opslaan")
    with _import_lock(folder):
        _remove_orphans(base)
        if not validation.replace:
            # Data may have arrived since the file was validated; the check must hold at the commit point.
            checker = _RowChecker(base, allow_national=True)
            late = _changes(validation.rows, existing_observations(base), checker)
            if len(late):
                raise DeliveryError([error.message for error in _conflict_errors(late, checker)])
        records = lineage.read_ledger(base)
        number = max((record.import_id for record in records), default=0) + 1
        while any(folder.glob(f"{number:04d}_*")) or any((folder / ORIGINALS_DIR).glob(f"{number:04d}_*")):
            number += 1
        safe = _safe_name(file_name)
        original_path = folder / ORIGINALS_DIR / f"{number:04d}_{safe}"
        canonical_path = folder / f"{number:04d}_{Path(safe).stem}.csv"
        written: list[Path] = []
        committed = False
        try:
            _write_atomic(original_path, original)
            written.append(original_path)
            _write_atomic(canonical_path, _canonical_bytes(validation.rows))
            written.append(canonical_path)
            _crash_point("after_files")
            report(0.08, "Import vastleggen in het importlogboek")
            record = lineage.register(
                canonical_path.relative_to(base).as_posix(),
                source or file_name,
                len(validation.rows),
                is_demo=False,
                description=_description(file_name, original, original_path.relative_to(base), validation),
                data_dir=base,
            )
            committed = True
        finally:
            if not committed:
                for path in written:
                    path.unlink(missing_ok=True)
    _crash_point("after_ledger")

    def build_progress(fraction: float, message: str) -> None:
        if fraction >= 0.95:
            _crash_point("before_swap")
        report(0.1 + 0.9 * fraction, message)

    warehouse.ensure(base, target, progress=build_progress)
    report(1.0, "Klaar")
    return record


def import_file(
    path: Path | str,
    replace: bool = False,
    source: str | None = None,
    data_dir: Path | None = None,
    target: Path | None = None,
    progress: Progress | None = None,
    layout: str = "aanlevering",
) -> ImportResult:
    """Read, validate and (when valid) accept one file; DeliveryError when it cannot be read at all.

    `layout` is "aanlevering" (the delivery template), "rivm" (RIVM's COVID-19 file per municipality,
    cumulative or per day, turned into weekly counts including the national total) or "cbs" (a CBS OData
    table as written by `python -m ratc fetch cbs TABLE`, a StatLine CSV export, or a CBS table per
    municipality code; columns are mapped onto indicators by `data/cbs_columns.csv`).
    """
    location = Path(path)
    try:
        content = location.read_bytes()
    except OSError as exc:
        raise DeliveryError([f"Het bestand {location} kan niet worden gelezen: {exc.strerror}."]) from exc
    layout_read = read_layout(content, location.name, layout, data_dir)
    validation = validate(
        layout_read.rows, data_dir=data_dir, replace=replace, allow_national=layout_read.allow_national
    )
    if not validation.ok:
        return ImportResult(validation, None, layout_read.notes)
    source = source or layout_read.source or location.name
    record = accept(validation, content, location.name, source, data_dir, target, progress)
    return ImportResult(validation, record, layout_read.notes)


@dataclass(frozen=True)
class LayoutRead:
    """A file of some layout read into delivery rows, with what the import should know about it."""

    rows: pd.DataFrame
    allow_national: bool
    source: str | None
    notes: tuple[str, ...] = ()


def read_layout(content: bytes, file_name: str, layout: str, data_dir: Path | None = None) -> LayoutRead:
    """Delivery rows from a file of one of the LAYOUTS; DeliveryError (Dutch) when it cannot be read at all."""
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


class _RowChecker:
    """Checks one delivered row at a time against the areas and indicators of the monitor."""

    def __init__(self, data_dir: Path, allow_national: bool):
        areas = metadata.read_areas(data_dir)
        self.names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
        self.population = dict(zip(areas["area_code"], areas["population_2020"], strict=True))
        self.region_name = next(iter(areas.loc[areas["area_type"] == "regio", "area_name"]), "de regio")
        deliverable_types = {"gemeente", "land"} if allow_national else {"gemeente"}
        self.lookup: dict[str, str] = {}
        self.not_deliverable: dict[str, str] = {}
        for row in areas.itertuples():
            keys = _area_keys(row.area_code, row.area_name, row.slug)
            target = self.lookup if row.area_type in deliverable_types else self.not_deliverable
            for key in keys:
                target.setdefault(key, row.area_code)
        self.area_types = dict(zip(areas["area_code"], areas["area_type"], strict=True))
        self.indicators = {row.indicator_id: row for row in metadata.read_indicators(data_dir).itertuples()}
        self.today = dt.date.today()

    def describe(self, key: tuple[str, str, str]) -> str:
        """A readable key: 'Dordrecht, ww_uitkeringen, 2020-04'."""
        return f"{self.names.get(key[0], key[0])}, {key[1]}, {key[2]}"

    def check(self, record: dict) -> tuple[list[RowError], dict | None]:
        """The errors of one row, and its canonical form when it has none."""
        number = int(record["row"])
        errors: list[RowError] = []
        area_code = self._area(number, record.get("gemeente", ""), errors)
        indicator = self._indicator(number, record.get("indicator", ""), errors)
        period = self._period(number, record.get("periode", ""), indicator, errors)
        value = self._value(number, record.get("waarde", ""), indicator, area_code, errors)
        if errors:
            return errors, None
        return [], {
            "row": number,
            "area_code": area_code,
            "indicator_id": indicator.indicator_id,
            "period": period,
            "value": value,
            "remark": (record.get("opmerking") or "").strip(),
        }

    def _area(self, number: int, text: str, errors: list[RowError]) -> str | None:
        shown = (text or "").strip()
        if not shown:
            errors.append(RowError(number, "gemeente", f"Rij {number}: gemeente ontbreekt."))
            return None
        key = _normalise_name(shown)
        if key in self.lookup:
            return self.lookup[key]
        if key in self.not_deliverable:
            code = self.not_deliverable[key]
            if self.area_types[code] == "regio":
                message = (
                    f"Rij {number}: '{shown}' is de regio {self.names[code]}; die wordt berekend als som van de "
                    "gemeenten en kan niet worden aangeleverd."
                )
            else:
                message = (
                    f"Rij {number}: '{shown}' ({self.names[code]}) kan hier niet worden aangeleverd; "
                    "lever alleen cijfers van de gemeenten in de regio."
                )
            errors.append(RowError(number, "gemeente", message))
            return None
        message = f"Rij {number}: gemeente '{shown}' is onbekend in {self.region_name}."
        municipalities = [name for code, name in self.names.items() if code in self.lookup.values()]
        guess = difflib.get_close_matches(shown.lower(), [name.lower() for name in municipalities], n=1, cutoff=0.8)
        if guess:
            message += f" Bedoelt u {next(name for name in municipalities if name.lower() == guess[0])}?"
        errors.append(RowError(number, "gemeente", message))
        return None

    def _indicator(self, number: int, text: str, errors: list[RowError]):
        shown = (text or "").strip()
        if not shown:
            errors.append(RowError(number, "indicator", f"Rij {number}: indicator ontbreekt."))
            return None
        key = re.sub(r"[\s\-]+", "_", shown.lower())
        indicator = self.indicators.get(key)
        if indicator is None:
            message = f"Rij {number}: indicator '{shown}' bestaat niet."
            guess = difflib.get_close_matches(key, list(self.indicators), n=1, cutoff=0.8)
            if guess:
                message += f" Bedoelt u {guess[0]}?"
            errors.append(RowError(number, "indicator", message + " Zie het tabblad Indicatoren van het sjabloon."))
            return None
        if not indicator.is_count and indicator.numerator_id:
            denominator = "de bevolking" if indicator.denominator == "population" else indicator.denominator
            errors.append(
                RowError(
                    number,
                    "indicator",
                    f"Rij {number}: indicator '{key}' wordt berekend uit {indicator.numerator_id} en {denominator} "
                    f"en kan niet worden aangeleverd; lever {indicator.numerator_id} aan.",
                )
            )
            return None
        return indicator

    def _period(self, number: int, text: str, indicator, errors: list[RowError]) -> str | None:
        shown = (text or "").strip()
        if not shown:
            errors.append(RowError(number, "periode", f"Rij {number}: periode ontbreekt."))
            return None
        guessed = _normalise_period(shown)
        if guessed is None:
            expected = (
                f"{PERIOD_FORMATS[indicator.frequency]} ({indicator.frequency})"
                if indicator is not None
                else "2020-W14 (week), 2020-04 (maand) of 2020-Q2 (kwartaal)"
            )
            errors.append(
                RowError(
                    number,
                    "periode",
                    f"Rij {number}: periode '{shown}' is onleesbaar; verwacht bijvoorbeeld {expected}.",
                )
            )
            return None
        frequency, year, part = guessed
        if indicator is not None and indicator.frequency != frequency:
            errors.append(
                RowError(
                    number,
                    "periode",
                    f"Rij {number}: periode '{shown}' is {FREQUENCY_EXPECTED[frequency]}, "
                    f"maar {indicator.indicator_id} is {FREQUENCY_NOUNS[indicator.frequency]}; "
                    f"verwacht {FREQUENCY_EXPECTED[indicator.frequency]} zoals {PERIOD_FORMATS[indicator.frequency]}.",
                )
            )
            return None
        try:
            period = periods.make_period(frequency, year, part)
        except (periods.PeriodError, ValueError, OverflowError) as exc:
            errors.append(RowError(number, "periode", f"Rij {number}: periode '{shown}' bestaat niet ({exc})."))
            return None
        if period.year < FIRST_YEAR:
            errors.append(
                RowError(
                    number,
                    "periode",
                    f"Rij {number}: periode '{shown}' ligt vóór {FIRST_YEAR}; de monitor neemt geen oudere cijfers op.",
                )
            )
            return None
        if period.start > self.today:
            errors.append(RowError(number, "periode", f"Rij {number}: periode '{shown}' ligt in de toekomst."))
            return None
        return period.key

    def _value(self, number: int, text: str, indicator, area_code: str | None, errors: list[RowError]):
        shown = (text or "").strip()
        if not shown:
            errors.append(RowError(number, "waarde", f"Rij {number}: waarde ontbreekt."))
            return None
        value = parse_number(shown)
        if value is None:
            errors.append(RowError(number, "waarde", f"Rij {number}: waarde '{shown}' is geen getal."))
            return None
        if indicator is not None and indicator.is_count:
            if value < 0:
                errors.append(
                    RowError(
                        number,
                        "waarde",
                        f"Rij {number}: waarde '{shown}' is negatief; {indicator.indicator_id} is een aantal.",
                    )
                )
                return None
            if not value.is_integer():
                errors.append(
                    RowError(
                        number,
                        "waarde",
                        f"Rij {number}: waarde '{shown}' is geen geheel getal; {indicator.indicator_id} is een aantal.",
                    )
                )
                return None
        if area_code is not None and value > POPULATION_FACTOR * self.population[area_code]:
            errors.append(
                RowError(
                    number,
                    "waarde",
                    f"Rij {number}: waarde '{shown}' is onmogelijk groot: meer dan {POPULATION_FACTOR} keer het "
                    f"aantal inwoners van {self.names[area_code]} ({_dutch_int(self.population[area_code])}).",
                )
            )
            return None
        return value


def parse_number(text: str) -> float | None:
    """A number as Dutch and English spreadsheets write it ('1.234,5', '12,5', '1234.5', '1 234'); None if not."""
    compact = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))", "", text.strip())
    match = re.fullmatch(r"([+-]?)(.+)", compact)
    if not match:
        return None
    sign, body = match.groups()
    if re.fullmatch(r"\d+", body):
        number = body
    elif re.fullmatch(r"\d*,\d+", body):
        number = body.replace(",", ".")
    elif re.fullmatch(r"[1-9]\d{0,2}(\.\d{3})+(,\d+)?", body):
        number = body.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[1-9]\d{0,2}(,\d{3})+(\.\d+)?", body):
        number = body.replace(",", "")
    elif re.fullmatch(r"\d*\.\d+", body):
        number = body
    else:
        return None
    value = float(sign + number)
    return value if math.isfinite(value) else None


def _normalise_period(text: str) -> tuple[str, int, int] | None:
    """(frequency, year, number) of a period written as 2020-W14, 2020W14, 2020-04, 2020M04, 2020-Q2, 2020 K2, 2020."""
    compact = re.sub(r"\s+", "", text.upper())
    patterns = (
        ("week", r"(\d{4})-?W(\d{1,2})"),
        ("kwartaal", r"(\d{4})-?(?:Q|K|KW)0?(\d)"),
        ("maand", r"(\d{4})-(\d{1,2})"),
        ("maand", r"(\d{4})MM?(\d{2})"),
        ("maand", r"(\d{4})(\d{2})"),
        # Excel turns a typed 2020-04 into the date 1 April 2020
        ("maand", r"(\d{4})-(\d{2})-01(?:T?00:00(?::00)?)?"),
        ("jaar", r"(\d{4})()"),
    )
    for frequency, pattern in patterns:
        match = re.fullmatch(pattern, compact)
        if match:
            return frequency, int(match.group(1)), int(match.group(2) or 1)
    return None


def _area_keys(code: str, name: str, slug: str) -> set[str]:
    """Every normalised way a delivery may name an area: code with or without GM and zeros, name, slug."""
    keys = {_normalise_name(code), _normalise_name(name), _normalise_name(slug)}
    if re.fullmatch(r"GM\d+", code):
        digits = code[2:]
        keys |= {digits, digits.lstrip("0"), "gm" + digits.lstrip("0")}
    return keys


def _normalise_name(text: str) -> str:
    """Lowercase without spacing, hyphens and a leading 'gemeente', so 'Hendrik Ido Ambacht' matches."""
    lowered = re.sub(r"\s+", " ", str(text).strip().lower())
    lowered = re.sub(r"^gemeente\s+", "", lowered)
    compact = re.sub(r"[\s\-_.']+", "", lowered)
    if re.fullmatch(r"(gm)?0*\d+", compact):
        compact = re.sub(r"^(gm)?0*", lambda match: match.group(1) or "", compact)
    return compact


def _dutch_int(number: float) -> str:
    """12345 -> '12.345'."""
    return f"{int(number):,}".replace(",", ".")


def _dutch_number(number: float) -> str:
    """A value as the user wrote it in Dutch: '2.345' or '12,5'."""
    if float(number).is_integer():
        return _dutch_int(number)
    return f"{number:,}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _empty_changes() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["row", "area_code", "area_name", "indicator_id", "period", "old_value", "new_value", "old_import_id"]
    )


def _changes(rows: pd.DataFrame, existing: pd.DataFrame, checker: _RowChecker) -> pd.DataFrame:
    """Rows whose key is already in force with a different value: existing vs new."""
    if rows.empty or existing.empty:
        return _empty_changes()
    merged = rows.merge(
        existing.rename(columns={"value": "old_value", "import_id": "old_import_id"}),
        on=["area_code", "indicator_id", "period"],
        how="inner",
    )
    tolerance = 1e-9 * merged["old_value"].abs().clip(lower=1)
    differing = merged[(merged["value"] - merged["old_value"]).abs() > tolerance]
    changes = pd.DataFrame(
        {
            "row": differing["row"].astype(int),
            "area_code": differing["area_code"],
            "area_name": differing["area_code"].map(checker.names),
            "indicator_id": differing["indicator_id"],
            "period": differing["period"],
            "old_value": differing["old_value"].astype(float),
            "new_value": differing["value"].astype(float),
            "old_import_id": differing["old_import_id"].astype(int),
        }
    )
    return changes.sort_values("row").reset_index(drop=True)


def _conflict_errors(changes: pd.DataFrame, checker: _RowChecker) -> list[RowError]:
    """One error per conflicting row, naming the value in force and where it came from."""
    return [
        RowError(
            int(change.row),
            "waarde",
            f"Rij {int(change.row)}: {checker.describe((change.area_code, change.indicator_id, change.period))} "
            f"staat al in de monitor met waarde {_dutch_number(change.old_value)} "
            f"(import {int(change.old_import_id)}); "
            f"het bestand geeft {_dutch_number(change.new_value)}. Kies 'vervangen' om de bestaande waarde te "
            "vervangen.",
        )
        for change in changes.itertuples()
    ]


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
        raise DeliveryError([f"Het bestand heeft meer dan {_dutch_int(MAX_ROWS)} rijen; splits het in delen."])
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


def _canonical_bytes(rows: pd.DataFrame) -> bytes:
    """The accepted rows in the canonical layout of data/demo/observations.csv."""
    lines = [",".join(CANONICAL_COLUMNS)]
    for row in rows.itertuples():
        value = float(row.value)
        shown = str(int(value)) if value.is_integer() else repr(value)
        lines.append(f"{row.area_code},{row.indicator_id},{row.period},{shown}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _description(file_name: str, original: bytes, original_path: Path, validation: Validation) -> str:
    """The ledger description: the original file, where it is kept, its checksum and what it replaced."""
    checksum = hashlib.sha256(original).hexdigest()
    text = f"Aanlevering {file_name}; origineel bewaard als {original_path.as_posix()} (sha256 {checksum})"
    if len(validation.changes):
        text += f"; vervangt {len(validation.changes)} bestaande waarden"
    return text


def _safe_name(file_name: str) -> str:
    """A file name safe on every file system: letters, digits, dot, dash and underscore."""
    name = Path(str(file_name).replace("\\", "/")).name
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "aanlevering"
    stem, suffix = os.path.splitext(safe)
    return stem[:80] + suffix[:10]


def _write_atomic(path: Path, content: bytes) -> None:
    """Write a new file via a temporary file, fsync and rename; never overwrite an existing one."""
    if path.exists():
        raise FileExistsError(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _remove_orphans(data_dir: Path) -> None:
    """Delete files an interrupted import left without a ledger entry; the build never read them."""
    folder = data_dir / IMPORTS_DIR
    referenced = {record.file_path for record in lineage.read_ledger(data_dir)}
    numbers = {Path(name).name.split("_", 1)[0] for name in referenced if name.startswith(f"{IMPORTS_DIR}/")}
    for path in folder.iterdir():
        if path.is_file() and (
            path.name.endswith(".tmp")
            or (re.match(r"\d{4,}_", path.name) and path.relative_to(data_dir).as_posix() not in referenced)
        ):
            path.unlink(missing_ok=True)
    for path in (folder / ORIGINALS_DIR).iterdir():
        if path.is_file() and (
            path.name.endswith(".tmp")
            or (re.match(r"\d{4,}_", path.name) and path.name.split("_", 1)[0] not in numbers)
        ):
            path.unlink(missing_ok=True)


@contextlib.contextmanager
def _import_lock(folder: Path) -> Iterator[None]:
    """One import at a time per data folder, so numbering and orphan clean-up never race."""
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _crash_point(name: str) -> None:
    """Die at once, as a killed process would, when a test asks for it at this point."""
    if os.environ.get(CRASH_VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)
