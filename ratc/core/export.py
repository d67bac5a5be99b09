"""Exports for papers: a chart as PNG (print quality), SVG and PDF; its data as CSV and Excel."""

from __future__ import annotations

import io
import re
import unicodedata

import pandas as pd
import vl_convert

from ratc.core.charts import ChartMeta

PNG_SCALE = 3  # 720 px wide charts become 2,160 px: sharp in print at A4 width
CSV_OPTIONS = {"sep": ";", "decimal": ","}  # what Dutch Excel opens without a wizard


def png(spec: dict, scale: int = PNG_SCALE) -> bytes:
    """The chart as a PNG image."""
    return vl_convert.vegalite_to_png(spec, scale=scale)


def svg(spec: dict) -> bytes:
    """The chart as an SVG document."""
    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


def pdf(spec: dict) -> bytes:
    """The chart as a PDF document."""
    return vl_convert.vegalite_to_pdf(spec)


def csv(frame: pd.DataFrame, decimals: int | None = None) -> bytes:
    """The chart's data as CSV for Dutch spreadsheets: semicolons, decimal comma, UTF-8 with BOM; figures rounded
    to `decimals` (the indicator's), so that 332,3 does not arrive as 332,31615304651086."""
    shown = rounded(frame, decimals) if decimals is not None else frame
    return shown.to_csv(index=False, encoding="utf-8-sig", **CSV_OPTIONS).encode("utf-8-sig")


def rounded(frame: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """The frame with its decimal columns rounded to `decimals`; counts and text as they are."""
    columns = frame.select_dtypes(include="floating").columns
    return frame.assign(**{column: frame[column].round(decimals) for column in columns})


def read_csv(content: bytes) -> pd.DataFrame:
    """Read back a CSV written by `csv`."""
    return pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", **CSV_OPTIONS)


def xlsx(frame: pd.DataFrame, meta: ChartMeta) -> bytes:
    """The chart's data as an Excel workbook: a data sheet and a sheet that says what it is and where it is from."""
    about = pd.DataFrame(
        {"Onderdeel": ["Titel", "Toelichting", "Bron"], "Waarde": [meta.title, meta.subtitle, meta.source_line]}
    )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        rounded(frame, meta.decimals).to_excel(writer, sheet_name="Gegevens", index=False)
        about.to_excel(writer, sheet_name="Verantwoording", index=False)
    return buffer.getvalue()


def slug(text: str) -> str:
    """A file-name part: lowercase ASCII joined by hyphens ('Hoeksche Waard' -> 'hoeksche-waard')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "grafiek"


def file_stem(*parts: str) -> str:
    """A file name that says what is in it: 'ww-uitkeringen_dordrecht_2020'."""
    return "_".join(slug(part) for part in parts if part)


# A cell starting with one of these is a formula to Excel (CSV injection); a leading quote marks it as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def guard_formula(value: object) -> object:
    """Text that Excel would run as a formula gets a leading apostrophe; `unguard_formula` undoes exactly that."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unguard_formula(value: object) -> object:
    """The inverse of `guard_formula`."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def table_csv(frame: pd.DataFrame) -> bytes:
    """A table of what people typed as CSV for Dutch spreadsheets, with text that looks like a formula defused."""
    text_columns = [column for column in frame.columns if not pd.api.types.is_numeric_dtype(frame[column])]
    return csv(frame.assign(**{column: frame[column].map(guard_formula) for column in text_columns}))


def table_xlsx(frame: pd.DataFrame, about: dict[str, str]) -> bytes:
    """A table of what people typed as an Excel workbook: every text cell stored as text (never as a formula),
    and a sheet that says what the table is and where it is from."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Gegevens"
    sheet.append([str(column) for column in frame.columns])
    for values in frame.itertuples(index=False):
        sheet.append([None if _missing(value) else value for value in values])
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would store '=…' as a formula
    notes = book.create_sheet("Verantwoording")
    notes.append(["Onderdeel", "Waarde"])
    for part, value in about.items():
        notes.append([part, value])
        notes.cell(notes.max_row, 2).data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_table(content: bytes, kind: str, numeric: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read back a table written by `table_csv` or `table_xlsx`: text as text ('' stays ''), `numeric` as numbers."""
    if kind == "csv":
        frame = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", sep=";", dtype=str, keep_default_na=False)
        frame = frame.map(unguard_formula)
        for column in numeric:
            frame[column] = pd.to_numeric(frame[column].str.replace(",", ".", regex=False).replace("", None))
        return frame
    frame = pd.read_excel(io.BytesIO(content), sheet_name="Gegevens", dtype=object, keep_default_na=False,
                          engine="openpyxl")  # fmt: skip
    for column in frame.columns:
        if column in numeric:
            frame[column] = pd.to_numeric(frame[column].replace("", None))
        else:
            frame[column] = ["" if value is None or value == "" else str(value) for value in frame[column]]
    return frame


def _missing(value: object) -> bool:
    """True for None and NaN."""
    return value is None or (isinstance(value, float) and value != value)
