"""The delivery template: the long format municipalities fill in (CSV for any tool, XLSX with reference sheets)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ratc.core import metadata

COLUMNS = ["gemeente", "indicator", "periode", "waarde", "opmerking"]
PERIOD_FORMATS = {"week": "2020-W14", "maand": "2020-04", "kwartaal": "2020-Q2", "jaar": "2020"}
FREQUENCY_WORDS = {"week": "week", "maand": "maand", "kwartaal": "kwartaal", "jaar": "jaar"}

# Whole numbers only: every deliverable indicator is a count; the remark shows how decimals would be written.
EXAMPLE_ROWS = [
    ("GM0505", "covid_meldingen", "2020-W14", "48", "Week 14: maandag 30 maart t/m zondag 5 april 2020"),
    ("Dordrecht", "ww_uitkeringen", "2020-04", "2345", "Stand aan het eind van de maand"),
    (
        "Dordrecht",
        "bijstand_uitkeringen",
        "2020-04",
        "3120",
        "Decimalen met een komma (12,5); aantallen zijn hele getallen",
    ),
    ("Dordrecht", "jeugdhulp_trajecten", "2020-Q2", "410", ""),
]


def deliverable_indicators(data_dir: Path | None = None) -> pd.DataFrame:
    """Indicators a municipality can deliver: counts (computed rates are derived by the monitor)."""
    indicators = metadata.read_indicators(data_dir)
    return indicators[indicators["is_count"] | indicators["numerator_id"].eq("")].reset_index(drop=True)


def template_csv() -> bytes:
    """The template as a semicolon-separated CSV in UTF-8 with BOM, as Dutch Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(EXAMPLE_ROWS)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(data_dir: Path | None = None) -> bytes:
    """The template as an Excel workbook: the delivery sheet plus the valid indicators and municipalities."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    indicators = deliverable_indicators(data_dir)
    areas = metadata.read_areas(data_dir).query("area_type == 'gemeente'")
    workbook = Workbook()
    sheets = {
        "Aanlevering": [COLUMNS] + [[*row[:3], int(row[3]), row[4]] for row in EXAMPLE_ROWS],
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
