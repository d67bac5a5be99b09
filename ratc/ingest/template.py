"""The delivery template: the long format municipalities fill in (CSV for any tool, XLSX with reference sheets)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from ratc.core import metadata
from ratc.ingest import notation

COLUMNS = ["gemeente", "indicator", "periode", "waarde", "opmerking"]
PERIOD_FORMATS = {"week": "2020-W14", "maand": "2020-04", "kwartaal": "2020-Q2", "jaar": "2020"}
FREQUENCY_WORDS = {"week": "week", "maand": "maand", "kwartaal": "kwartaal", "jaar": "jaar"}

# The example rows are marked in their remark, so a template sent back with rows added below them never delivers
# the examples as figures: the importer refuses a marked row, and a file of nothing else as "het voorbeeld".
EXAMPLE_MARK = "VOORBEELD"
EXAMPLE_MESSAGE = (
    f"dit is een voorbeeldrij van het sjabloon (opmerking begint met '{EXAMPLE_MARK}'); verwijder deze rij en lever "
    "alleen uw eigen cijfers."
)
EXAMPLE_ONLY_MESSAGE = (
    "Dit is het voorbeeld: het bestand bevat alleen de voorbeeldrijen van het sjabloon. Zet uw eigen cijfers onder "
    "de kopregel, verwijder de voorbeeldrijen en lever het bestand opnieuw aan."
)
# Whole numbers only: every deliverable indicator is a count; the remark shows how decimals would be written.
EXAMPLE_ROWS = [
    ("GM0505", "covid_meldingen", "2020-W14", "48", f"{EXAMPLE_MARK} - verwijder deze rij. Week 14: maandag 30 maart "
                                                    "t/m zondag 5 april 2020"),
    ("Dordrecht", "ww_uitkeringen", "2020-04", "2345", f"{EXAMPLE_MARK} - verwijder deze rij. Stand aan het eind van "
                                                       "de maand; geen scheidingsteken voor duizendtallen"),
    ("Dordrecht", "bijstand_uitkeringen", "2020-04", "3120", f"{EXAMPLE_MARK} - verwijder deze rij. Decimalen met een "
                                                             "komma (12,5); aantallen zijn hele getallen"),
    ("Dordrecht", "jeugdhulp_trajecten", "2020-Q2", "410", f"{EXAMPLE_MARK} - verwijder deze rij."),
]  # fmt: skip


def is_example(remark: object) -> bool:
    """Whether a row's remark marks it as one of the template's example rows."""
    return re.match(rf"{EXAMPLE_MARK}\b", str(remark or "").strip().upper()) is not None


def deliverable_indicators(data_dir: Path | None = None) -> pd.DataFrame:
    """Indicators a municipality can deliver: counts (computed rates are derived by the monitor)."""
    indicators = metadata.read_indicators(data_dir)
    return indicators[indicators["is_count"] | indicators["numerator_id"].eq("")].reset_index(drop=True)


def rows_in_force(observations: pd.DataFrame, data_dir: Path | None = None) -> list[tuple]:
    """The municipalities' observations (area_code, indicator_id, period, value) as rows of a delivery.

    Written so the importer reads them back as the same numbers: a round trip through the template changes nothing.
    """
    municipal = set(metadata.read_areas(data_dir).query("area_type == 'gemeente'")["area_code"])
    chosen = observations[observations["area_code"].isin(municipal)]
    chosen = chosen.sort_values(["indicator_id", "area_code", "period"], kind="stable")
    return [(row.area_code, row.indicator_id, row.period, value_text(row.value), "") for row in chosen.itertuples()]


def value_text(value: float) -> str:
    """A value as delivery text no reader can misread: a decimal comma, no thousands separator, and never exactly
    three decimals after one to three digits ('1,125' could be 1125), which get a trailing zero ('1,1250')."""
    text = notation.plain_dutch(value)
    if re.fullmatch(r"-?[1-9]\d{0,2},\d{3}", text):
        text += "0"
    return text


def template_csv(rows: list[tuple] | None = None) -> bytes:
    """The template as a semicolon-separated CSV in UTF-8 with BOM, as Dutch Excel opens it; `rows` instead of
    the examples to deliver figures (see `rows_in_force`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(EXAMPLE_ROWS if rows is None else rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(data_dir: Path | None = None, rows: list[tuple] | None = None) -> bytes:
    """The template as an Excel workbook: the delivery sheet plus the valid indicators and municipalities; `rows`
    instead of the examples to deliver figures, their values as Excel numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    indicators = deliverable_indicators(data_dir)
    areas = metadata.read_areas(data_dir).query("area_type == 'gemeente'")
    workbook = Workbook()
    sheets = {
        "Aanlevering": [COLUMNS] + [[*row[:3], _excel_number(row[3]), row[4]] for row in rows or EXAMPLE_ROWS],
        "Indicatoren": [["id", "naam", "frequentie", "periodeformaat", "eenheid"]]
        + [
            [row.indicator_id, row.name, FREQUENCY_WORDS[row.frequency], PERIOD_FORMATS[row.frequency], row.unit]
            for row in indicators.itertuples()
        ],
        "Gemeenten": [["code", "naam"]] + [[row.area_code, row.area_name] for row in areas.itertuples()],
    }
    first = True
    for title, rows in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = title
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, _ in enumerate(rows[0]):
            letter = chr(ord("A") + index)
            width = max(len(str(row[index])) for row in rows) + 2
            sheet.column_dimensions[letter].width = min(max(width, 10), 60)
    delivery = workbook["Aanlevering"]
    # Text format keeps Excel from turning a typed 2020-04 into a date or GM0505 into a number.
    for letter in "ABCE":
        delivery.column_dimensions[letter].number_format = "@"
    for row in delivery.iter_rows(min_row=2):
        for cell in (row[0], row[1], row[2], row[4]):
            cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_number(text: str) -> int | float:
    """A delivery text ('2345', '12,5') as the number an Excel cell holds."""
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value
