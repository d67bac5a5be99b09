"""Hostile inputs for the security tests: a zip-bomb workbook and other crafted files, made on the fly."""

from __future__ import annotations

import io
import zipfile

from ratc.ingest import template

SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHEET_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def zip_bomb_xlsx(unpacked_mb: int = 424, string_length: int = 1000) -> bytes:
    """A valid delivery workbook whose shared-strings part unpacks to `unpacked_mb` MB (packed: about 1/1000 of it).

    Made as the attack in the issue was: the template workbook plus a shared-strings table of many long, identical
    strings, which Deflate packs about a thousandfold. Written in a stream, so making it costs no memory.
    """
    packed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template.template_xlsx())) as source,
        zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>'
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            target.writestr(item, content)
        entry = b"<si><t>" + b"A" * string_length + b"</t></si>"
        repeats = unpacked_mb * 1024 * 1024 // len(entry)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{SHEET_NAMESPACE}">'.encode())
            block = entry * 1024
            for _ in range(repeats // 1024):
                member.write(block)
            member.write(b"</sst>")
    return packed.getvalue()


def wide_xlsx(columns: int = 16_000, rows: int = 3) -> bytes:
    """A small workbook whose rows reach far to the right: every row read would be `columns` cells wide."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Aanlevering"
    sheet.append(template.COLUMNS)
    for row in range(2, rows + 2):
        sheet.cell(row=row, column=columns, value="x")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
