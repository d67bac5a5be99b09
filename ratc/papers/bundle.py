"""All factsheets at once: the region's and one per municipality, as Word and PDF in one zip file, with progress.

One after the other, in this process: vl-convert draws one chart at a time per process, but making the factsheets
in two processes at once was no faster on the shared 2-core machine under load (each process pays its own start
and warm-up), and it would oblige every program that calls this to guard its main module for `spawn`.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable

from ratc.core import metadata
from ratc.core.context import Context
from ratc.monitor.overview import Query
from ratc.papers import factsheet, pdf, word

Progress = Callable[[float, str], None]
FORMATS = ("docx", "pdf")


def factsheets_zip(
    query: Query,
    chosen: Context,
    formats: tuple[str, ...] = FORMATS,
    progress: Progress | None = None,
    made_on: dt.date | None = None,
) -> bytes:
    """A zip of the factsheets of every municipality and of the region, each in the given formats (stored, not
    compressed again: DOCX and PDF are compressed already); `progress` hears (fraction done, a Dutch line) at the
    start, after each factsheet and (1.0, …) at the end."""
    made_on = made_on or dt.date.today()
    areas = query("area_list")
    codes = [*areas.loc[areas["area_type"] == "gemeente", "area_code"], metadata.REGION_CODE]
    names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
    done: dict[str, list[tuple[str, bytes]]] = {}

    def report(code: str | None) -> None:
        """Tell how far along it is, and which factsheet was done last."""
        if progress:
            last = f": {names[code]}" if code else ""
            progress(len(done) / len(codes), f"{len(done)} van {len(codes)} factsheets klaar{last}")

    report(None)
    for code in codes:
        done[code] = files(query, chosen, code, formats, made_on)
        report(code)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for code in codes:
            for name, content in done[code]:
                archive.writestr(name, content)
    if progress:
        progress(1.0, f"{len(codes)} factsheets klaar")
    return buffer.getvalue()


def files(query: Query, chosen: Context, code: str, formats: tuple[str, ...], made_on: dt.date):
    """One area's factsheet as (file name, content) per format."""
    paper = factsheet.factsheet(query, chosen, code, made_on)
    writers = {"docx": word.to_docx, "pdf": pdf.to_pdf}
    return [(f"{paper.file_stem}.{kind}", writers[kind](paper)) for kind in formats]
