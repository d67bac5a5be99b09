"""Importing deliveries: what municipalities send is read, every problem is named per row, and nothing is written
unless the whole file is valid; an accepted file survives a crash at any point."""

import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratc.ingest import checking, commit, importer, reading
from ratc.warehouse import builder as warehouse
from ratc.warehouse import lineage

ROOT = Path(__file__).resolve().parent.parent
MUNICIPALITIES = ["GM0482", "GM0505", "GM0512", "GM0523", "GM0531", "GM1963", "GM1978", "GM0590", "GM0610", "GM0642"]
HEADER = "gemeente;indicator;periode;waarde;opmerking\n"


def snapshot(data_dir: Path, target: Path) -> dict[str, str]:
    """Checksums of every file under the data folder and of the warehouse file the pointer names."""
    sums = {
        path.relative_to(data_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(data_dir.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }
    current = warehouse.current_file(target)
    sums["<warehouse>"] = f"{current.name}:{hashlib.sha256(current.read_bytes()).hexdigest()}"
    return sums


def delivery_csv(*lines: str, header: str = HEADER, encoding: str = "utf-8-sig") -> bytes:
    return (header + "".join(line + "\n" for line in lines)).encode(encoding)


def warehouse_value(target: Path, area_code: str, indicator_id: str, period: str) -> float | None:
    with duckdb.connect(str(warehouse.current_file(target)), read_only=True) as con:
        row = con.execute(
            "select value from observations where area_code = $a and indicator_id = $i and period_key = $p",
            {"a": area_code, "i": indicator_id, "p": period},
        ).fetchone()
    return None if row is None else row[0]


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.fixture
def built(data_copy, tmp_path) -> tuple[Path, Path]:
    target = tmp_path / "wh" / "warehouse.duckdb"
    warehouse.build(data_copy, target)
    return data_copy, target


@pytest.fixture(scope="module")
def shared_built(tmp_path_factory) -> tuple[Path, Path]:
    """One data copy and warehouse for the tests that must not write anything, with one real value (import 3)."""
    base = tmp_path_factory.mktemp("shared")
    data_dir = base / "data"
    shutil.copytree(ROOT / "data", data_dir)
    target = base / "wh" / "warehouse.duckdb"
    warehouse.build(data_dir, target)
    deliver_real_value(data_dir, target)
    return data_dir, target


def deliver_real_value(data_dir: Path, target: Path) -> lineage.ImportRecord:
    """Dordrecht's WW of April 2020 as a real delivery, equal to the demo value: a value in force to conflict with."""
    path = _write(data_dir.parent / "eerste.csv", delivery_csv("Dordrecht;ww_uitkeringen;2020-04;1840;"))
    return importer.import_file(path, data_dir=data_dir, target=target).record


def test_valid_semicolon_csv_with_decimal_comma_and_bom_is_imported(built):
    data_dir, target = built
    ledger_before = lineage.read_ledger(data_dir)
    lines = [f"{code};ww_uitkeringen;2022-01;1.0{index}5;" for index, code in enumerate(MUNICIPALITIES)]
    lines.append("dordrecht;bijstand_uitkeringen;2022-01;3.901,0;decimale komma")
    content = delivery_csv(*lines)
    result = importer.import_file(_write(data_dir.parent / "levering.csv", content), data_dir=data_dir, target=target)
    assert result.validation.ok and result.record is not None
    ledger = lineage.read_ledger(data_dir)
    assert len(ledger) == len(ledger_before) + 1
    assert ledger[-1].file_path == f"imports/{ledger[-1].import_id:04d}_levering.csv"
    assert ledger[-1].rows_accepted == 11
    assert (data_dir / "imports" / "originals" / f"{ledger[-1].import_id:04d}_levering.csv").read_bytes() == content
    assert hashlib.sha256(content).hexdigest() in ledger[-1].description
    assert warehouse_value(target, "GM0505", "ww_uitkeringen", "2022-01") == 1015
    assert warehouse_value(target, "GM0505", "bijstand_uitkeringen", "2022-01") == 3901
    # all ten delivered: the region is their sum; one delivered: no region figure
    assert warehouse_value(target, "VR18", "ww_uitkeringen", "2022-01") == sum(1005 + 10 * i for i in range(10))
    assert warehouse_value(target, "VR18", "bijstand_uitkeringen", "2022-01") is None
    assert warehouse.is_current(data_dir, target)


def test_cp1252_comma_csv_with_names_is_imported(built):
    data_dir, target = built
    header = "Municipality,Indicator_ID,Period,Value,Remark\n"
    content = delivery_csv(
        'Hendrik Ido Ambacht,covid_meldingen,2022-W01,17,"geüpdatet, zie e-mail"',
        '  GM 1963 ,Covid_Meldingen,2022W02,"1,0",Hoeksche Waard – één',
        header=header,
        encoding="cp1252",
    )
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    result = importer.import_file(_write(data_dir.parent / "rivm week.csv", content), data_dir=data_dir, target=target)
    assert result.validation.ok, result.validation.errors
    assert result.validation.rows["remark"].tolist() == ["geüpdatet, zie e-mail", "Hoeksche Waard – één"]
    assert result.record.file_path.endswith("_rivm_week.csv")
    assert warehouse_value(target, "GM0531", "covid_meldingen", "2022-W01") == 17
    assert warehouse_value(target, "GM1963", "covid_meldingen", "2022-W02") == 1


def test_xlsx_is_imported(built):
    from openpyxl import Workbook

    data_dir, target = built
    workbook = Workbook()
    workbook.active.title = "Toelichting"
    sheet = workbook.create_sheet("Aanlevering")
    sheet.append(["Gemeente", "Indicator", "Periode", "Waarde", "Opmerking"])
    sheet.append(["Sliedrecht", "jeugdhulp_trajecten", "2022-Q1", 88, None])
    sheet.append([610, "thuiszitters", "2022-Q1", 12.0, "code als getal"])
    sheet.append([None, None, None, None, None])
    sheet.append(["GM0610", "ww_uitkeringen", __import__("datetime").datetime(2022, 2, 1), 321, "Excel-datum"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = importer.import_file(
        _write(data_dir.parent / "lev.xlsx", buffer.getvalue()), data_dir=data_dir, target=target
    )
    assert result.validation.ok, result.validation.errors
    assert result.validation.rows["row"].tolist() == [2, 3, 5]
    assert warehouse_value(target, "GM0610", "thuiszitters", "2022-Q1") == 12
    assert warehouse_value(target, "GM0610", "ww_uitkeringen", "2022-02") == 321


MALFORMED = [
    ("empty", b"", "Het bestand is leeg."),
    ("header only", HEADER.encode(), "Het bestand bevat geen gegevens onder de kopregel (rij 1)."),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Het bestand is geen CSV- of Excel-bestand: het bevat binaire"),
    (
        "old excel",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "Oude Excel-bestanden (.xls) worden niet gelezen",
    ),
    ("broken xlsx", b"PK\x03\x04broken", "Het Excel-bestand kan niet worden gelezen"),
    ("missing column", b"gemeente;indicator;periode\nDordrecht;ww_uitkeringen;2022-01\n", "Kolom 'waarde' ontbreekt"),
    (
        "too many fields",
        delivery_csv("Dordrecht;ww_uitkeringen;2022-01;12;5;x"),
        "Rij 2: 6 velden, maar de kopregel heeft er 5",
    ),
    (
        "bad quoting",
        delivery_csv('Dordrecht;ww_uitkeringen;2022-01;"12"x;'),
        "Rij 2: na een afsluitend aanhalingsteken volgt geen scheidingsteken; controleer de aanhalingstekens.",
    ),
    (
        "unknown municipality",
        delivery_csv("x;x;x;x", "Dordrect;ww_uitkeringen;2022-01;12;"),
        "Rij 3: gemeente 'Dordrect' is onbekend in Zuid-Holland-Zuid. Bedoelt u Dordrecht?",
    ),
    ("empty municipality", delivery_csv(";ww_uitkeringen;2022-01;12;"), "Rij 2: gemeente ontbreekt."),
    (
        "region",
        delivery_csv("VR18;ww_uitkeringen;2022-01;12;"),
        "Rij 2: 'VR18' is de regio Zuid-Holland-Zuid; die wordt",
    ),
    ("country", delivery_csv("Nederland;ww_uitkeringen;2022-01;12;"), "Rij 2: 'Nederland' (Nederland) kan hier niet"),
    (
        "unknown indicator",
        delivery_csv("Dordrecht;ww_uitkering;2022-01;12;"),
        "Rij 2: indicator 'ww_uitkering' bestaat niet. Bedoelt u ww_uitkeringen?",
    ),
    (
        "computed rate",
        delivery_csv("Dordrecht;ww_per_1000;2022-01;12;"),
        "Rij 2: indicator 'ww_per_1000' wordt berekend uit ww_uitkeringen en de bevolking",
    ),
    ("empty period", delivery_csv("Dordrecht;ww_uitkeringen;;12;"), "Rij 2: periode ontbreekt."),
    (
        "unparseable period",
        delivery_csv("Dordrecht;ww_uitkeringen;april 2022;12;"),
        "Rij 2: periode 'april 2022' is onleesbaar; verwacht bijvoorbeeld 2020-04 (maand).",
    ),
    (
        "wrong frequency",
        delivery_csv("Dordrecht;covid_meldingen;2022-01;12;"),
        "Rij 2: periode '2022-01' is een maand, maar covid_meldingen is een weekcijfer; "
        "verwacht een week zoals 2020-W14.",
    ),
    (
        "impossible period",
        delivery_csv("Dordrecht;covid_meldingen;2021-W53;12;"),
        "Rij 2: periode '2021-W53' bestaat niet (2021 heeft geen week 53).",
    ),
    (
        "future period",
        delivery_csv("Dordrecht;ww_uitkeringen;2099-01;12;"),
        "Rij 2: periode '2099-01' ligt in de toekomst.",
    ),
    ("too old", delivery_csv("Dordrecht;ww_uitkeringen;2014-12;12;"), "Rij 2: periode '2014-12' ligt vóór 2015"),
    ("empty value", delivery_csv("Dordrecht;ww_uitkeringen;2022-01;;"), "Rij 2: waarde ontbreekt."),
    ("words", delivery_csv("Dordrecht;ww_uitkeringen;2022-01;twaalf;"), "Rij 2: waarde 'twaalf' is geen getal."),
    ("two dots", delivery_csv("Dordrecht;ww_uitkeringen;2022-01;1.2.3;"), "Rij 2: waarde '1.2.3' is geen getal."),
    (
        "fraction of a count",
        delivery_csv("Dordrecht;ww_uitkeringen;2022-01;12,5;"),
        "Rij 2: waarde '12,5' is geen geheel getal; ww_uitkeringen is een aantal.",
    ),
    (
        "negative count",
        delivery_csv("Dordrecht;ww_uitkeringen;2022-01;-3;"),
        "Rij 2: waarde '-3' is negatief; ww_uitkeringen is een aantal.",
    ),
    (
        "absurd value",
        delivery_csv("Alblasserdam;ww_uitkeringen;2022-01;1.250.000;"),
        "Rij 2: waarde '1.250.000' is onmogelijk groot: meer dan 10 keer het aantal inwoners van Alblasserdam "
        "(20.165).",
    ),
    (
        "duplicate",
        delivery_csv("GM0505;ww_uitkeringen;2022-01;12;", "Dordrecht;ww_uitkeringen;2022-01;13;"),
        "Rij 3: dubbel met rij 2: Dordrecht, ww_uitkeringen, 2022-01 komt twee keer voor in het bestand",
    ),
    (
        "conflict",
        delivery_csv("Dordrecht;ww_uitkeringen;2020-04;1841;"),
        "Rij 2: Dordrecht, ww_uitkeringen, 2020-04 staat al in de monitor met waarde 1.840 (import 3); "
        "het bestand geeft 1.841. Kies 'vervangen'",
    ),
]


@pytest.mark.parametrize(("content", "message"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_malformed_file_gives_its_message_and_writes_nothing(shared_built, content, message):
    data_dir, target = shared_built
    before = snapshot(data_dir, target)
    path = _write(data_dir.parent / "in" / ("levering.xlsx" if content.startswith(b"PK") else "levering.csv"), content)
    try:
        result = importer.import_file(path, data_dir=data_dir, target=target)
    except reading.DeliveryError as exc:
        messages = exc.messages
    else:
        assert result.record is None
        messages = [error.message for error in result.validation.errors]
    assert any(text.startswith(message) for text in messages), messages
    assert snapshot(data_dir, target) == before


def test_identical_existing_values_are_no_conflict(shared_built):
    data_dir, _ = shared_built
    validation = checking.validate(
        reading.read_delivery(delivery_csv("Dordrecht;ww_uitkeringen;2020-04;1.840;"), "a.csv"), data_dir
    )
    assert validation.ok and validation.changes.empty


def test_a_value_differing_from_a_demo_value_is_no_conflict(built):
    data_dir, _ = built
    validation = checking.validate(
        reading.read_delivery(delivery_csv("Dordrecht;ww_uitkeringen;2020-04;1.841;"), "a.csv"), data_dir
    )
    assert validation.ok and validation.changes.empty  # the demo value is 1.840: demo values never conflict


def test_conflict_is_replaced_only_when_asked_and_the_change_is_listed(built):
    data_dir, target = built
    deliver_real_value(data_dir, target)
    path = _write(data_dir.parent / "correctie.csv", delivery_csv("Dordrecht;ww_uitkeringen;2020-04;1900;correctie"))
    refused = importer.import_file(path, data_dir=data_dir, target=target)
    assert refused.record is None and not refused.validation.ok
    replaced = importer.import_file(path, replace=True, data_dir=data_dir, target=target)
    assert replaced.record is not None
    change = replaced.validation.changes.iloc[0]
    assert (change["area_code"], change["period"], change["old_value"], change["new_value"]) == (
        "GM0505",
        "2020-04",
        1840,
        1900,
    )
    assert warehouse_value(target, "GM0505", "ww_uitkeringen", "2020-04") == 1900
    assert (
        checking.existing_observations(data_dir)
        .set_index(["area_code", "indicator_id", "period"])
        .loc[("GM0505", "ww_uitkeringen", "2020-04"), "value"]
        == 1900
    )


def test_a_conflict_that_arrives_after_validation_is_refused_at_commit(built):
    data_dir, target = built
    first = checking.validate(reading.read_delivery(delivery_csv("Dordrecht;nww;2022-01;10;"), "a.csv"), data_dir)
    second = checking.validate(reading.read_delivery(delivery_csv("Dordrecht;nww;2022-01;11;"), "b.csv"), data_dir)
    commit.accept(first, b"a", "a.csv", "test", data_dir, target)
    ledger = (data_dir / "imports.csv").read_bytes()
    with pytest.raises(reading.DeliveryError, match="staat al in de monitor met waarde 10"):
        commit.accept(second, b"b", "b.csv", "test", data_dir, target)
    assert (data_dir / "imports.csv").read_bytes() == ledger
    assert sorted(path.name for path in (data_dir / "imports").glob("*.csv")) == ["0003_a.csv"]


def test_invalid_validation_is_never_accepted(shared_built):
    data_dir, target = shared_built
    validation = checking.validate(reading.read_delivery(delivery_csv("x;y;z;w;"), "a.csv"), data_dir)
    with pytest.raises(reading.DeliveryError):
        commit.accept(validation, b"x", "a.csv", "test", data_dir, target)


KILL_SCRIPT = """
import sys
from pathlib import Path
from ratc.ingest import importer
importer.import_file(sys.argv[1], data_dir=Path(sys.argv[2]), target=Path(sys.argv[3]))
"""


@pytest.mark.parametrize("point", ["after_files", "after_ledger", "before_swap"])
def test_killed_import_leaves_a_consistent_warehouse(built, point):
    data_dir, target = built
    before = snapshot(data_dir, target)
    ledger_before = (data_dir / "imports.csv").read_bytes()
    path = _write(data_dir.parent / "lev.csv", delivery_csv("Papendrecht;faillissementen;2022-03;4;"))
    completed = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(path), str(data_dir), str(target)],
        env={**os.environ, commit.CRASH_VARIABLE: point},
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert completed.returncode == -9, completed.stderr.decode()
    current = warehouse.current_file(target)
    assert before["<warehouse>"] == f"{current.name}:{hashlib.sha256(current.read_bytes()).hexdigest()}"
    lineage.verify(lineage.read_ledger(data_dir), data_dir)
    if point == "after_files":
        assert (data_dir / "imports.csv").read_bytes() == ledger_before
        # the orphans are ignored by the build and removed by the next import, which gets the same number
        assert warehouse.ensure(data_dir, target) is False
        again = importer.import_file(path, data_dir=data_dir, target=target)
        assert again.record.file_path == "imports/0003_lev.csv"
        assert sorted(p.name for p in (data_dir / "imports").rglob("*") if p.is_file() and p.name != ".lock") == [
            "0003_lev.csv",
            "0003_lev.csv",
        ]
    else:
        assert lineage.read_ledger(data_dir)[-1].file_path == "imports/0003_lev.csv"
        assert not warehouse.is_current(data_dir, target)
        assert warehouse.ensure(data_dir, target) is True
    assert warehouse_value(target, "GM0590", "faillissementen", "2022-03") == 4
    assert warehouse_value(target, "GM0505", "ww_uitkeringen", "2020-04") == 1840
    assert not list((data_dir / "imports").rglob("*.tmp"))


VALID = delivery_csv(
    "Dordrecht;ww_uitkeringen;2022-01;1.234;",
    'GM0482;covid_meldingen;2022-W03;12;let op: "voorlopig"',
    "zwijndrecht;jeugdhulp_trajecten;2022-Q1;40;",
)


@st.composite
def mutated_csv(draw) -> bytes:
    content = bytearray(VALID)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "swap"]))
        position = draw(st.integers(0, max(len(content) - 1, 0)))
        if kind == "delete" and content:
            del content[position : position + draw(st.integers(1, 8))]
        elif kind == "insert":
            content[position:position] = draw(
                st.sampled_from(
                    [b'"', b"\n", b";", b",", b"\r", b"twaalf", b"\xff", b"\x00", b"-", b"1.2.3", b"\xef\xbb\xbf"]
                )
            )
        elif kind == "replace":
            content[position : position + 1] = draw(st.binary(min_size=1, max_size=3))
        else:
            content = bytearray(bytes(content).replace(b";", b","))
    return bytes(content)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=300), mutated_csv()), xlsx=st.booleans())
def test_random_and_mutated_files_never_crash_and_never_write(shared_built, content, xlsx):
    data_dir, target = shared_built
    before = snapshot(data_dir, target)
    existing = checking.existing_observations(data_dir)
    try:
        raw = reading.read_delivery(content, "levering.xlsx" if xlsx else "levering.csv")
    except reading.DeliveryError as exc:
        assert exc.messages and all(isinstance(message, str) for message in exc.messages)
    else:
        validation = checking.validate(raw, data_dir, existing=existing)
        assert all(error.message.startswith(f"Rij {error.row}") for error in validation.errors)
        assert set(validation.rows["row"]) <= set(raw["row"])
    assert snapshot(data_dir, target) == before


def test_cli_import_reports_errors_and_writes_nothing(built, capsys, monkeypatch):
    from ratc.__main__ import main

    data_dir, target = built
    monkeypatch.setenv("RATC_DATA_DIR", str(data_dir))
    monkeypatch.setenv("RATC_WAREHOUSE", str(target))
    deliver_real_value(data_dir, target)
    before = snapshot(data_dir, target)
    bad = _write(data_dir.parent / "bad.csv", delivery_csv("Dordrect;ww_uitkeringen;2022-01;12;"))
    assert main(["import", str(bad)]) == 1
    assert "Rij 2: gemeente 'Dordrect' is onbekend" in capsys.readouterr().err
    assert snapshot(data_dir, target) == before
    good = _write(data_dir.parent / "good.csv", delivery_csv("Dordrecht;ww_uitkeringen;2020-04;1850;"))
    assert main(["import", str(good), "--replace", "--source", "Gemeente Dordrecht"]) == 0
    out = capsys.readouterr().out
    assert "import 4: 1 rows accepted" in out and "Dordrecht, ww_uitkeringen, 2020-04: 1840 -> 1850" in out
    assert lineage.read_ledger(data_dir)[-1].source == "Gemeente Dordrecht"


def _write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path
