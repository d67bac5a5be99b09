"""Reading delivered files: values never shift into another column, titles above the header are skipped and named,
the kind of file is recognised from its header, and every message is Dutch — no library's English reaches a user."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from conftest import ROOT, SHARED_REAL
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ratc.ingest import checking, importer, reading
from ratc.warehouse import builder as warehouse
from ratc.warehouse import lineage

HEADER = "gemeente;indicator;periode;waarde;opmerking\n"
RIVM_EXTRACT = SHARED_REAL / "covid" / "zhz_covid_cumulatief_2020-03-13_2020-09-15.csv"
CBS = SHARED_REAL / "cbs"
needs_shared = pytest.mark.skipif(not RIVM_EXTRACT.exists(), reason="../shared/real is not available")
# Words of Python's csv module, openpyxl, pandas and the OS that must never reach a steward.
ENGLISH = re.compile(
    r"\b(expected|unexpected|field|limit|error|line contains|no such|not|invalid|tokeniz|the|could|cannot|must)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("reading")
    shutil.copytree(ROOT / "data", base / "data")
    target = base / "wh" / "warehouse.duckdb"
    warehouse.build(base / "data", target)
    return base / "data", target


def messages_of(content: bytes, name: str = "levering.csv", layout: str = reading.AUTOMATIC) -> list[str]:
    """Every message a file gets: file problems, or row problems of its validation (none when it is valid)."""
    try:
        read = reading.read_layout(content, name, layout)
    except reading.DeliveryError as refused:
        return refused.messages
    existing = checking.existing_observations().iloc[:0]
    validation = checking.validate(read.rows, existing=existing, allow_national=read.allow_national)
    return [error.message for error in validation.errors]


def xlsx(*rows: list) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_comma_csv_whose_value_spills_into_an_empty_remark_is_refused_and_writes_nothing(built):
    """Issue: an unquoted 2,356 followed by an empty opmerking was stored as 2."""
    data_dir, target = built
    ledger = (data_dir / "imports.csv").read_bytes()
    path = data_dir.parent / "komma.csv"
    path.write_bytes(b"gemeente,indicator,periode,waarde,opmerking\nDordrecht,ww_uitkeringen,2022-01,2,356,\n")
    with pytest.raises(reading.DeliveryError) as refused:
        importer.import_file(path, data_dir=data_dir, target=target)
    assert refused.value.messages[0].startswith(
        "Rij 2: 6 velden, maar de kopregel heeft er 5; staat er een scheidingsteken (komma) in een waarde?"
    )
    assert (data_dir / "imports.csv").read_bytes() == ledger


@pytest.mark.parametrize("value", ["2,356", "12,5", "1,234,567"])
def test_a_number_cut_at_its_comma_is_refused_even_when_the_field_count_fits(value):
    content = f"gemeente,indicator,periode,waarde,opmerking\nDordrecht,ww_uitkeringen,2022-01,{value}\n".encode()
    [message] = messages_of(content)
    assert message.startswith("Rij 2: ") and ("in twee velden is geknipt" in message or "velden, maar" in message)


def test_the_same_values_quoted_or_with_semicolons_are_read_exactly():
    quoted = b'gemeente,indicator,periode,waarde,opmerking\nDordrecht,ww_uitkeringen,2022-01,"2,356",\n'
    semicolons = b"gemeente;indicator;periode;waarde;opmerking\nDordrecht;ww_uitkeringen;2022-01;2.356;\n"
    for content in (quoted, semicolons):
        rows = checking.validate(reading.read_delivery(content, "a.csv"), existing=_none()).rows
        assert rows["value"].tolist() == [2356.0]


def test_a_cell_under_no_header_is_refused():
    content = xlsx(["gemeente", "indicator", "periode", "waarde"], ["Dordrecht", "ww_uitkeringen", "2022-01", 2, 356])
    [message] = messages_of(content, "a.xlsx")
    assert message == (
        "Rij 2: kolom E bevat '356', maar heeft geen naam in de kopregel; zet de waarde in de juiste kolom of "
        "verwijder haar."
    )


def test_empty_trailing_columns_as_excel_writes_them_are_fine():
    content = (HEADER.strip() + ";;\n" + "Dordrecht;ww_uitkeringen;2022-01;2356;;;\n").encode("cp1252")
    assert messages_of(content) == []


@pytest.mark.parametrize(
    "content",
    [
        b"Aanlevering WW januari 2022\n\n" + HEADER.encode() + b"Dordrecht;ww_uitkeringen;2022-01;2356;\n",
        b"Aanlevering, gemeente Dordrecht\r\n" + HEADER.replace(";", ",").encode() + b"Dordrecht,nww,2022-01,12,\r\n",
    ],
    ids=["semicolons", "commas-with-a-comma-in-the-title"],
)
def test_a_title_above_the_header_is_skipped_and_said(content):
    read = reading.read_layout(content, "a.csv")
    assert read.rows["row"].tolist() == ([4] if content.startswith(b"Aanlevering WW") else [3])
    assert read.notes and read.notes[0].startswith("De kopregel staat op rij ")
    assert "(een titel) is overgeslagen" in read.notes[0]


def test_a_title_row_above_the_header_in_excel_is_skipped_too():
    content = xlsx(["Aanlevering Sliedrecht"], [], ["Gemeente", "Indicator", "Periode", "Waarde"],
                   ["Sliedrecht", "thuiszitters", "2022-Q1", 12])  # fmt: skip
    read = reading.read_layout(content, "a.xlsx")
    assert read.rows["row"].tolist() == [4] and "rij 3" in read.notes[0]


@pytest.mark.parametrize(
    ("cells", "shown"),
    [(["Totaal", "ww_uitkeringen", "2022-01", "23456"], "Totaal"), (["", "", "Eindtotaal", "23456"], "Eindtotaal")],
)
def test_a_total_row_at_the_bottom_is_refused_as_a_total(cells, shown):
    content = (HEADER + "Dordrecht;ww_uitkeringen;2022-01;2356;\n" + ";".join(cells) + ";\n").encode()
    assert messages_of(content) == [
        f"Rij 3: '{shown}' is een totaalrij. De monitor telt de gemeenten zelf op tot de regio; verwijder deze rij "
        "en lever alleen de cijfers per gemeente."
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEADER.encode() + b'Dordrecht;ww_uitkeringen;2022-01;"2356;\n', "midden in een veld tussen aanhalingstekens"),
        (HEADER.encode() + b'Dordrecht;ww_uitkeringen;2022-01;"' + b"x" * 140_000 + b"\n", "veel te lang"),
        (HEADER.encode() + b'Dordrecht;ww_uitkeringen;2022-01;"12"x;\n', "na een afsluitend aanhalingsteken"),
    ],
    ids=["unclosed-quote", "field-over-the-limit", "text-after-a-quote"],
)
def test_csv_module_complaints_are_told_in_dutch(content, message):
    [told] = messages_of(content)
    assert message in told and not ENGLISH.search(told), told


def test_a_period_that_python_cannot_hold_is_refused_without_python_s_english():
    [told] = messages_of(HEADER.encode() + b"Dordrecht;ww_uitkeringen;9999-12;12;\n")
    assert told == "Rij 2: periode '9999-12' ligt in de toekomst."


def test_a_missing_file_is_named_in_dutch(tmp_path):
    with pytest.raises(reading.DeliveryError) as refused:
        importer.import_file(tmp_path / "weg.csv", data_dir=tmp_path, target=tmp_path / "w.duckdb")
    assert refused.value.messages == [f"Het bestand {tmp_path / 'weg.csv'} kan niet worden gelezen: het bestaat niet."]


@needs_shared
@pytest.mark.parametrize(
    ("path", "layout"),
    [
        (RIVM_EXTRACT, "rivm"),
        (SHARED_REAL / "covid" / "COVID-19_aantallen_gemeente_cumulatief_2020-09-15.csv", "rivm"),
        (CBS / "Regionale_kerncijfers_Nederland_15082020_130832.csv", "cbs"),
        (CBS / "CBS-aantal_inwoners_per_gemeente_2020-01-01.csv", "cbs"),
        (CBS / "zhz_cbs_kerncijfers.csv", "cbs"),
        (CBS / "faillissementen_provincies_82522NED.csv", "cbs"),
        (CBS / "odata" / "v3" / "84489NED_TypedDataSet.json", "cbs"),
    ],
    ids=lambda value: getattr(value, "name", value),
)
def test_real_rivm_and_cbs_files_are_recognised_from_their_header(path, layout):
    assert reading.detect_layout(path.read_bytes(), path.name) == layout


@pytest.mark.parametrize("make", [lambda: HEADER.encode() + b"x;y;2020-01;1;\n", lambda: xlsx(["gemeente"])])
def test_deliveries_are_recognised_as_deliveries(make):
    assert reading.detect_layout(make(), "a.xlsx" if make().startswith(b"PK") else "a.csv") == "aanlevering"


@needs_shared
def test_a_rivm_file_read_as_a_delivery_is_told_what_it_is():
    """Issue: a RIVM file without --layout rivm was told to use the delivery template."""
    [message] = messages_of(RIVM_EXTRACT.read_bytes(), RIVM_EXTRACT.name, "aanlevering")
    assert message.startswith("Dit lijkt geen aanlevering volgens het sjabloon maar een bestand van RIVM COVID-19")
    assert "--layout rivm" in message and "automatisch" in message


@needs_shared
def test_without_a_layout_a_rivm_file_imports_as_rivm_and_says_so(private_data, capsys):
    from ratc.__main__ import main

    assert main(["import", str(RIVM_EXTRACT), "--replace"]) == 0
    assert lineage.read_ledger(private_data)[-1].source.startswith("RIVM")
    assert "note: Herkend als RIVM COVID-19 per gemeente (cumulatief of per dag)" in capsys.readouterr().out


BROKEN = [
    b"",
    b"\xef\xbb\xbf",
    b'"',
    b"a;b\n1;2\n",
    b'{"value": 1}',
    b'{"odata.metadata": "x", "value": [1]}',
    b"[1, 2",
    b"Perioden;Regio's\n\"2020;x\n",
    b"Date_of_report;Municipality_code;Total_reported;Hospital_admission;Deceased\nx;GM0505;a;b;c\n",
    b"statcode;bevolking_2020_01_01\nGM0505;veel\n",
    b"PK\x03\x04broken",
]


@pytest.mark.parametrize("layout", list(reading.LAYOUTS))
@pytest.mark.parametrize("content", BROKEN)
def test_no_message_of_any_layout_carries_a_library_s_english(content, layout):
    for message in messages_of(content, "x.csv", layout):
        assert not ENGLISH.search(message), message


@settings(max_examples=60, deadline=None)
@given(content=st.binary(max_size=200), layout=st.sampled_from(list(reading.LAYOUTS)))
def test_random_bytes_in_any_layout_give_dutch_messages_only(content, layout):
    for message in messages_of(content, "x.csv", layout):
        assert not ENGLISH.search(message), message


def _none():
    return checking.existing_observations().iloc[:0]
