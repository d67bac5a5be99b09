"""Checking a delivery's rows against the monitor's metadata and the data in force, each problem named per row.

Every cell is checked against the areas, indicators and periods; a row given twice and a value that differs from
the one in force (unless replacing) are errors too. The messages are Dutch sentences that start with the row.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ratc.core import metadata, paths, periods
from ratc.ingest import areas as area_lookup
from ratc.ingest import notation, template, values
from ratc.ingest.template import PERIOD_FORMATS
from ratc.warehouse import lineage

FIRST_YEAR = 2015
POPULATION_FACTOR = 10
CANONICAL_COLUMNS = ["area_code", "indicator_id", "period", "value"]
FREQUENCY_NOUNS = {
    "week": "een weekcijfer",
    "maand": "een maandcijfer",
    "kwartaal": "een kwartaalcijfer",
    "jaar": "een jaarcijfer",
}
FREQUENCY_EXPECTED = {"week": "een week", "maand": "een maand", "kwartaal": "een kwartaal", "jaar": "een jaar"}


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
    checker = RowChecker(base, allow_national)
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
    changes = changed_values(rows, existing, checker)
    if len(changes) and not replace:
        errors.extend(conflict_errors(changes, checker))
    errors.sort(key=lambda error: error.row)
    return Validation(rows=rows, errors=errors, changes=changes, replace=replace)


def existing_observations(data_dir: Path | None = None) -> pd.DataFrame:
    """The real observations in force according to the ledger's files (the newest import winning), without DuckDB.

    Demo values are left out: a real delivery never conflicts with them, it replaces its indicators' demo values
    as a whole (the warehouse build drops them).
    """
    base = data_dir or paths.data_dir()
    frames = []
    for record in lineage.read_ledger(base):
        if record.is_demo:
            continue
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


class RowChecker:
    """Checks one delivered row at a time against the areas and indicators of the monitor."""

    def __init__(self, data_dir: Path, allow_national: bool):
        areas = metadata.read_areas(data_dir)
        self.population = dict(zip(areas["area_code"], areas["population_2020"], strict=True))
        deliverable = area_lookup.WITH_CONTEXT if allow_national else area_lookup.MUNICIPAL
        self.areas = area_lookup.AreaLookup(areas, area_lookup.read_mergers(data_dir), deliverable)
        self.names = self.areas.names
        self.indicators = {row.indicator_id: row for row in metadata.read_indicators(data_dir).itertuples()}
        self.today = dt.date.today()

    def describe(self, key: tuple[str, str, str]) -> str:
        """A readable key: 'Dordrecht, ww_uitkeringen, 2020-04'."""
        return f"{self.names.get(key[0], key[0])}, {key[1]}, {key[2]}"

    def check(self, record: dict) -> tuple[list[RowError], dict | None]:
        """The errors of one row, and its canonical form when it has none."""
        number = int(record["row"])
        refused = self._refused_row(number, record)
        if refused:
            return [refused], None
        errors: list[RowError] = []
        area = self.areas.find(record.get("gemeente", ""))
        if area.message:
            errors.append(RowError(number, "gemeente", f"Rij {number}: {area.message}"))
        indicator = self._indicator(number, record.get("indicator", ""), errors)
        period = self._period(number, record.get("periode", ""), indicator, errors)
        value = self._value(number, record.get("waarde", ""), indicator, area.code, errors)
        if errors:
            return errors, None
        return [], {
            "row": number,
            "area_code": area.code,
            "indicator_id": indicator.indicator_id,
            "period": period,
            "value": value,
            "remark": str(record.get("opmerking") or "").strip(),
        }

    def _refused_row(self, number: int, record: dict) -> RowError | None:
        """A row that is no observation at all: an example row of the template, or a total row."""
        if template.is_example(record.get("opmerking")):
            return RowError(number, "opmerking", f"Rij {number}: {template.EXAMPLE_MESSAGE}")
        cells = [(record.get(column), column == "gemeente") for column in ("gemeente", "indicator", "periode")]
        shown = next((str(cell).strip() for cell, area in cells if area_lookup.is_total(cell, area)), None)
        if shown is not None:
            return RowError(number, "gemeente", f"Rij {number}: {area_lookup.total_message(shown)}")
        return None

    def _indicator(self, number: int, text: str, errors: list[RowError]):
        shown = str(text or "").strip()
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
        shown = str(text or "").strip()
        if not shown:
            errors.append(RowError(number, "periode", f"Rij {number}: periode ontbreekt."))
            return None
        guessed = notation.normalise_period(shown)
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
        if year > self.today.year:
            errors.append(RowError(number, "periode", f"Rij {number}: periode '{shown}' ligt in de toekomst."))
            return None
        try:
            period = periods.make_period(frequency, year, part)
        except periods.PeriodError as exc:
            errors.append(RowError(number, "periode", f"Rij {number}: periode '{shown}' bestaat niet ({exc})."))
            return None
        except (ValueError, OverflowError):  # the standard library's own words are English: say it plainly
            errors.append(RowError(number, "periode", f"Rij {number}: periode '{shown}' bestaat niet."))
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

    def _value(self, number: int, cell: object, indicator, area_code: str | None, errors: list[RowError]):
        value, message = values.read_value(cell, indicator)
        if message:
            errors.append(RowError(number, "waarde", f"Rij {number}: {message}"))
            return None
        if value is None:
            return None
        if area_code is not None and value > POPULATION_FACTOR * self.population[area_code]:
            errors.append(
                RowError(
                    number,
                    "waarde",
                    f"Rij {number}: waarde '{notation.read_number(cell).shown}' is onmogelijk groot: meer dan "
                    f"{POPULATION_FACTOR} keer het aantal inwoners van {self.names[area_code]} "
                    f"({notation.dutch_int(self.population[area_code])}).",
                )
            )
            return None
        return float(value)


def _empty_changes() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["row", "area_code", "area_name", "indicator_id", "period", "old_value", "new_value", "old_import_id"]
    )


def changed_values(rows: pd.DataFrame, existing: pd.DataFrame, checker: RowChecker) -> pd.DataFrame:
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


def conflict_errors(changes: pd.DataFrame, checker: RowChecker) -> list[RowError]:
    """One error per conflicting row, naming the value in force and where it came from."""
    return [
        RowError(
            int(change.row),
            "waarde",
            f"Rij {int(change.row)}: {checker.describe((change.area_code, change.indicator_id, change.period))} "
            f"staat al in de monitor met waarde {notation.dutch_number(change.old_value)} "
            f"(import {int(change.old_import_id)}); "
            f"het bestand geeft {notation.dutch_number(change.new_value)}. Kies 'vervangen' om de bestaande waarde te "
            "vervangen.",
        )
        for change in changes.itertuples()
    ]
