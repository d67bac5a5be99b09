"""Bounded parsing of uploads: a zip bomb, a sheet that reaches far, an endless CSV line and deep or outsize JSON
are refused before they are parsed, fast, with little memory and a Dutch message; real deliveries still pass."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import zipfile

import hostile
import pytest
from conftest import ROOT

from ratc.ingest import delivery, limits, reading, template

MEASURE = """
import json, sys, time
from pathlib import Path
from ratc.ingest import delivery

def memory(field):
    return next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                if line.startswith(field)) / 1024

content = Path(sys.argv[1]).read_bytes()
delivery.check(b"gemeente;indicator;periode;waarde\\n", "warm.csv", False)  # imports and caches warm
try:
    Path("/proc/self/clear_refs").write_text("5")  # resets the peak (VmHWM) to the current size
except OSError:
    pass
before = memory("VmRSS:")
started = time.perf_counter()
result = delivery.check(content, sys.argv[2], False)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "growth_mb": memory("VmHWM:") - before, "errors": result.file_errors}))
"""


def measured_check(tmp_path, content: bytes, name: str) -> dict:
    """delivery.check (what the upload page calls) on the content in a fresh process: time, peak growth, errors."""
    path = tmp_path / name
    path.write_bytes(content)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), name], env=env, capture_output=True, text=True,
                          timeout=300, check=True)  # fmt: skip
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """The issue's attack: under 1.4 MB packed, 424 MB of shared strings unpacked."""
    return hostile.zip_bomb_xlsx(424)


def test_a_zip_bomb_workbook_is_refused_fast_with_a_bounded_peak(bomb, tmp_path):
    assert len(bomb) < 1.4 * 1024 * 1024
    measured = measured_check(tmp_path, bomb, "aanlevering.xlsx")
    seconds, growth = measured["seconds"], measured["growth_mb"]
    print(f"zip bomb ({len(bomb) / 1e6:.2f} MB packed, 424 MB unpacked): refused in {seconds * 1000:.1f} ms, "
          f"peak growth {growth:.1f} MB")  # fmt: skip
    assert any("pakt uit tot 424 MB; hoogstens 200 MB" in error for error in measured["errors"])
    assert any("xl/sharedStrings.xml" in error and "keer uit" in error for error in measured["errors"])
    assert measured["seconds"] < 1.0  # was 27.6 s on the server, 9 s here
    assert measured["growth_mb"] < 30  # was 860 MB on the server, 506 MB here


def test_a_real_delivery_workbook_is_measured_too_and_passes(tmp_path):
    measured = measured_check(tmp_path, workbook(GOOD_ROWS), "aanlevering.xlsx")
    assert measured["errors"] == [] and measured["growth_mb"] < 100


def workbook(rows: list[list[object]], dimension: str | None = "keep") -> bytes:
    """A workbook with these rows on its delivery sheet; `dimension` replaces (or with None drops) the declared one."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Aanlevering"
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    if dimension == "keep":
        return out.getvalue()
    rewritten = io.BytesIO()
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                start = content.index(b"<dimension")
                end = content.index(b"/>", start) + 2
                replacement = b"" if dimension is None else f'<dimension ref="{dimension}"/>'.encode()
                content = content[:start] + replacement + content[end:]
            target.writestr(item, content)
    return rewritten.getvalue()


GOOD_ROWS = [template.COLUMNS, ["GM0505", "ww_uitkeringen", "2020-04", 1840, ""]]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (hostile.wide_xlsx(16_000), "loopt tot kolom 16.000; hoogstens 200 kolommen"),
        (workbook(GOOD_ROWS, dimension="A1:XFD1048576"), "loopt tot rij 1.048.576"),
        (workbook(GOOD_ROWS, dimension="A1:CV30000"), "heeft 3.000.000 cellen; hoogstens 2.500.000"),
        (b"gemeente;indicator;periode;waarde\n" + b"x" * 100_000 + b"\n", "Regel 2 van het bestand is veel te lang"),
        (b";" * 3_000_000, "Regel 1 van het bestand is veel te lang (3.000.000 tekens"),
        (b"a;b;c;d;e;f;g;h;i\n" * 400_000, "velden; hoogstens 2.500.000"),
        (b'{"table_id": "x", "rows": ' + b"[" * 40_000 + b"]" * 40_000 + b"}", "te diep genest"),
        (b'{"table_id": "x", "rows": [' + b"9" * 5000 + b"]}", "een getal van 5.000 cijfers"),
        (b" " * (21 * 1024 * 1024), "groter dan 20 MB"),
    ],
)
@pytest.mark.parametrize("layout", ["automatisch", "aanlevering", "cbs", "rivm"])
def test_hostile_uploads_are_refused_before_parsing_in_dutch(content, expected, layout):
    with pytest.raises(reading.DeliveryError) as refused:
        reading.read_layout(content, "bestand.xlsx" if content.startswith(b"PK") else "bestand.csv", layout)
    assert any(expected in message for message in refused.value.messages), refused.value.messages


def test_rows_as_wide_as_their_cells_count_without_a_declared_width():
    # no dimension and no cell references: openpyxl makes every row as wide as its cells, so the cells count
    numbers = random.Random(0)  # values that vary, so the sheet packs like a real one and not like a bomb
    row = "<row>" + "<c><v>{}</v></c>" * 150 + "</row>"
    content = sheet_xlsx("".join(row.format(*numbers.choices(range(10**6), k=150)) for _ in range(20_000)).encode())
    with pytest.raises(reading.DeliveryError, match=r"heeft (2\.99\d|3\.000)\.\d{3} cellen; hoogstens 2\.500\.000"):
        reading.read_layout(content, "bestand.xlsx", "aanlevering")


@pytest.mark.parametrize(
    "cell",
    [b'<c r="XFD2"><v>1</v></c>', b"<c\nr = 'XFD2'><v>1</v></c>", b'<x:c r="XFD2"><x:v>1</x:v></x:c>'],
)
def test_a_cell_far_to_the_right_is_found_however_it_is_written(cell):
    content = sheet_xlsx(b'<row r="1"><c r="A1"><v>1</v></c></row><row r="2">' + cell + b"</row>")
    with pytest.raises(reading.DeliveryError, match="loopt tot kolom 16.384"):
        reading.read_layout(content, "bestand.xlsx", "aanlevering")


def sheet_xlsx(sheet_data: bytes) -> bytes:
    """A workbook whose first sheet holds exactly this <sheetData> content (no dimension), written fast."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook(GOOD_ROWS))) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                namespace = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
                content = (
                    b"<worksheet " + namespace + b' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/'
                    b'2006/main"><sheetData>' + sheet_data + b"</sheetData></worksheet>"
                )
            target.writestr(item, content)
    return out.getvalue()


def test_the_page_check_gives_the_refusal_as_file_errors(bomb):
    result = delivery.check(bomb, "aanlevering.xlsx", False)
    assert result.validation is None and result.file_errors


@pytest.mark.parametrize(
    "content",
    [
        workbook(GOOD_ROWS),
        template.template_xlsx(),
        template.template_csv(),
        json.dumps({"table_id": "03759ned", "rows": [{"Waarde": float("nan")}]}).encode(),  # NaN as Python writes it
        b"nonsense in a file called xlsx",
        b"PK\x03\x04 a damaged zip",
    ],
)
def test_files_within_the_bounds_are_left_to_the_reader(content):
    assert limits.refusals(content, "bestand.xlsx") == []


def test_a_workbook_of_two_hundred_thousand_rows_is_within_the_bounds():
    row = (
        '<row r="{0}"><c r="A{0}" t="inlineStr"><is><t>GM0505</t></is></c><c r="B{0}" t="inlineStr"><is><t>ww</t>'
        '</is></c><c r="C{0}" t="inlineStr"><is><t>2020-01</t></is></c><c r="D{0}"><v>{0}</v></c><c r="E{0}"/></row>'
    )
    content = sheet_xlsx("".join(row.format(number) for number in range(1, 200_002)).encode())
    assert limits.refusals(content, "groot.xlsx") == []


@pytest.mark.parametrize(("letters", "number"), [(b"A", 1), (b"Z", 26), (b"AA", 27), (b"CV", 100), (b"XFD", 16_384)])
def test_column_numbers(letters, number):
    assert limits.column_number(letters) == number
