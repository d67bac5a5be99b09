"""Exports for papers: a chart as PNG (print quality), SVG and PDF; its data as CSV and Excel."""

from __future__ import annotations

import io
import re
import unicodedata

import pandas as pd
import vl_convert

from ratc.charts import ChartMeta

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


def csv(frame: pd.DataFrame) -> bytes:
    """The chart's data as CSV for Dutch spreadsheets: semicolons, decimal comma, UTF-8 with BOM."""
    return frame.to_csv(index=False, encoding="utf-8-sig", **CSV_OPTIONS).encode("utf-8-sig")


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
        frame.to_excel(writer, sheet_name="Gegevens", index=False)
        about.to_excel(writer, sheet_name="Verantwoording", index=False)
    return buffer.getvalue()


def slug(text: str) -> str:
    """A file-name part: lowercase ASCII joined by hyphens ('Hoeksche Waard' -> 'hoeksche-waard')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "grafiek"


def file_stem(*parts: str) -> str:
    """A file name that says what is in it: 'ww-uitkeringen_dordrecht_2020'."""
    return "_".join(slug(part) for part in parts if part)
