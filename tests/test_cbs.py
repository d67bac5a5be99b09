"""CBS figures: the StatLine CSV export matched on names, OData rows mapped per table, and the table download."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import ROOT, SHARED_REAL

from ratc.ingest import cbs, fetch, odata

STATLINE = SHARED_REAL / "cbs" / "Regionale_kerncijfers_Nederland_15082020_130832.csv"
AREAS = pd.read_csv(ROOT / "data" / "areas.csv")
TEN = AREAS[AREAS["area_type"] == "gemeente"]
needs_real = pytest.mark.skipif(not STATLINE.exists(), reason=f"{STATLINE} is not available")


@needs_real
def test_statline_population_of_the_ten_equals_areas_csv():
    frame = cbs.read_statline_csv(STATLINE)
    assert cbs.population_check(frame) == dict(zip(TEN["area_code"], TEN["population_2020"], strict=True))
    assert cbs.population_check(frame)["GM0505"] == 119_284


@needs_real
def test_statline_export_is_read_into_a_tidy_frame_without_defunct_municipalities():
    frame = cbs.read_statline_csv(STATLINE)
    assert list(frame.columns) == ["region_name", "area_code", "period", "measure", "measure_path", "value", "row"]
    assert "Aalburg" not in set(frame["region_name"])  # empty values: no longer a municipality in 2020
    assert frame["region_name"].nunique() == 355
    assert set(frame["period"]) == {"2020"}
    assert frame["measure"].nunique() == 6
    dordrecht = frame[frame["area_code"] == "GM0505"].set_index("measure")["value"]
    assert dordrecht["Totale oppervlakte (km²)"] == pytest.approx(99.47)
    assert dordrecht["Gehuwd (in % van  inwoners 15 jaar of ouder)"] == pytest.approx(45.6)


def test_statline_names_match_forgiving_case_spacing_and_hyphens():
    content = (
        '\ufeff"Perioden";"Regio\'s";"Bevolking/Totale bevolking (aantal)"\r\n'
        '"2020";"  hendrik ido  ambacht ";"   31202"\r\n'
        '"2020";"HOEKSCHE WAARD";"   87401"\r\n'
        '"2020";"Aalburg";""\r\n'
        '"2020";"Amsterdam";"  872757"\r\n'
    ).encode()
    frame = cbs.read_statline_csv(content)
    assert frame["area_code"].fillna("").tolist() == ["GM0531", "GM1963", ""]  # Amsterdam is not one of the ten
    assert cbs.population_check(frame) == {"GM0531": 31202, "GM1963": 87401}


def test_a_file_without_regions_is_refused():
    with pytest.raises(cbs.CbsError, match="Regio's ontbreken"):
        cbs.read_statline_csv(b'"a";"b"\n"1";"2"\n')


def bankruptcy_rows() -> list[dict]:
    """82522NED rows as cbsodata.get_data returns them: titles for dimensions (and codes, as download_data does)."""
    kind, other = "Bedrijven, instellingen en eenmanszaken", "Natuurlijke personen zonder eenmanszaak"
    return [
        {"ID": 1, "TypeGefailleerde": kind, "RegioS": "Dordrecht", "Perioden": "2020 april",
         "UitgesprokenFaillissementen_1": 3},
        {"ID": 2, "TypeGefailleerde": kind, "RegioS": "Dordrecht", "Perioden": "2020 2e kwartaal",
         "UitgesprokenFaillissementen_1": 9},
        {"ID": 3, "TypeGefailleerde": kind, "RegioS": "Dordrecht", "Perioden": "2020",
         "UitgesprokenFaillissementen_1": 30},
        {"ID": 4, "TypeGefailleerde": other, "RegioS": "Dordrecht", "Perioden": "2020 april",
         "UitgesprokenFaillissementen_1": 7},
        {"ID": 5, "TypeGefailleerde": "A047596", "RegioS": "GM1978    ", "Perioden": "2020MM05",
         "UitgesprokenFaillissementen_1": "      2"},
        {"ID": 6, "TypeGefailleerde": "A047596", "RegioS": "NL01      ", "Perioden": "2020MM05*",
         "UitgesprokenFaillissementen_1": 250},
        {"ID": 7, "TypeGefailleerde": "A047596", "RegioS": "GM0363    ", "Perioden": "2020MM05",
         "UitgesprokenFaillissementen_1": 40},
        {"ID": 8, "TypeGefailleerde": "A047596", "RegioS": "GM0642    ", "Perioden": "2020MM05",
         "UitgesprokenFaillissementen_1": None},
    ]  # fmt: skip


def test_odata_rows_map_to_codes_months_and_values():
    delivery = odata.read_odata("82522NED", bankruptcy_rows())
    assert list(delivery.columns) == ["gemeente", "indicator", "periode", "waarde", "opmerking", "row"]
    assert delivery[["gemeente", "periode", "waarde"]].values.tolist() == [
        ["GM0505", "2020-04", "3"],
        ["GM1978", "2020-05", "2"],
        ["NL", "2020-05", "250"],
    ]
    assert set(delivery["indicator"]) == {"faillissementen"}
    assert set(delivery["opmerking"]) == {"CBS 82522NED"}


@pytest.mark.parametrize(
    ("key", "frequency", "expected"),
    [
        ("2020MM04", "maand", "2020-04"),
        ("2020KW02", "kwartaal", "2020-Q2"),
        ("2020KW02", "maand", None),
        ("2020JJ00", "maand", None),
        ("2020 december", "maand", "2020-12"),
        ("2021 1e kwartaal*", "kwartaal", "2021-Q1"),
        ("2019", "kwartaal", None),
    ],
)
def test_cbs_period_codes_and_titles(key, frequency, expected):
    assert cbs.cbs_period(key, frequency) == expected


def test_odata_refuses_unknown_tables_changed_columns_and_ambiguous_rows():
    with pytest.raises(cbs.CbsError, match="niet bekend"):
        odata.read_odata("12345NED", [])
    with pytest.raises(cbs.CbsError, match="niet aan een indicator"):
        odata.read_odata("84897NED", [])
    with pytest.raises(cbs.CbsError, match="ontbreken; is de tabel veranderd"):
        odata.read_odata("82522NED", [{"RegioS": "GM0505", "Perioden": "2020MM04"}])
    row = {"RegioS": "GM0505    ", "Perioden": "2020MM04", "Bijstandsuitkeringen_1": 5}
    with pytest.raises(cbs.CbsError, match="de rijen 1 en 2 geven allebei GM0505 2020-04"):
        odata.read_odata("82015NED", [row, row])


class FakeCbsodata:
    """Stands in for the cbsodata module: get_data returns fixed rows, or raises."""

    def __init__(self, rows=None, error=None):
        self.rows, self.error, self.calls = rows, error, []

    def get_data(self, table_id, filters=None, **kwargs):
        self.calls.append((table_id, filters))
        if self.error:
            raise self.error
        return self.rows


def test_download_cbs_table_writes_the_rows_as_json(tmp_path):
    client = FakeCbsodata(bankruptcy_rows())
    target = fetch.download_cbs_table("82522ned", target_dir=tmp_path, client=client)
    assert target == tmp_path / "cbs" / "82522NED.json"
    document = json.loads(target.read_text())
    assert document["table_id"] == "82522NED" and document["rows"] == bankruptcy_rows()
    table_id, filters = client.calls[0]
    assert table_id == "82522NED" and "substringof('PV28',RegioS)" in filters  # per province only
    assert len(odata.read_odata("82522NED", document["rows"])) == 3


@pytest.mark.parametrize(
    ("table", "client", "message"),
    [
        ("99999NED", FakeCbsodata([]), "not known"),
        ("82522NED", FakeCbsodata(error=ConnectionError("no route to host")), "could not be downloaded"),
        ("82522NED", FakeCbsodata({"odata.error": "x"}), "did not give a list of rows"),
        ("82522NED", FakeCbsodata(bankruptcy_rows()[6:7]), "holds no faillissementen figures"),
        ("82522NED", FakeCbsodata([{"RegioS": "GM0505"}]), "did not give usable figures"),
    ],
)
def test_a_bad_cbs_download_raises_a_clear_error_and_writes_nothing(tmp_path, table, client, message):
    with pytest.raises(fetch.FetchError, match=message):
        fetch.download_cbs_table(table, target_dir=tmp_path, client=client)
    assert not any(tmp_path.rglob("*"))


def statline_bytes(rows: list[tuple[str, str, str]]) -> bytes:
    """A StatLine export in CBS's own shape: BOM, quoted and space-padded values, full header paths."""
    header = (
        '"Perioden";"Regio\'s";"Bevolking/Bevolkingssamenstelling op 1 januari/Totale bevolking (aantal)";'
        '"Milieu en bodemgebruik/Bodemgebruik/Oppervlakte/Totale oppervlakte (km²)"'
    )
    lines = [header] + [f'"{period}";"{region}";"{value:>10}";"  99.47"' for period, region, value in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def test_a_statline_export_becomes_population_rows_of_the_ten_and_nl():
    content = statline_bytes([("2021", "Dordrecht", "119260"), ("2021", "Nederland", "17475415"),
                              ("2021", "Aa en Hunze", "25445"), ("2021", "Aalburg", "")])  # fmt: skip
    table = cbs.read_cbs_csv(content)
    rows = table.rows.set_index("gemeente")
    assert list(rows.index) == ["GM0505", "NL"]
    assert (rows.loc["GM0505", "indicator"], rows.loc["GM0505", "periode"], rows.loc["GM0505", "waarde"]) == (
        "bevolking", "2021", "119260",
    )  # fmt: skip
    assert rows.loc["GM0505", "row"] == 2  # the line in the file
    assert any("1 regio's buiten" in note for note in table.notes)
    assert any("Totale oppervlakte" in note for note in table.notes)


def test_a_code_table_maps_columns_to_years_and_reports_text_values_by_row(tmp_path):
    from ratc.ingest import checking

    content = b"statcode;statnaam;inwoners_kwb2019;bevolking_2020_01_01\nGM0505;Dordrecht;118654;veel\n505;x;1;2\n"
    table = cbs.read_cbs_csv(content)
    assert set(zip(table.rows["periode"], table.rows["waarde"], strict=True)) >= {("2019", "118654"), ("2020", "veel")}
    validation = checking.validate(table.rows, allow_national=True)
    assert not validation.ok
    messages = [error.message for error in validation.errors]
    assert any(message.startswith("Rij 2:") and "veel" in message for message in messages)
    # the same municipality twice (GM0505 and 505) is a duplicate inside the file
    assert any(message.startswith("Rij 3:") for message in messages)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a;b\n1;2\n", "geen kolom met een gemeentecode"),
        (b"statcode;onbekend\nGM0505;1\n", "geen van de kolommen is aan een indicator gekoppeld"),
        (
            statline_bytes([("2020", "Dordrecht", "1")]).replace(b"Totale bevolking", b"Iets anders"),
            "geen van de StatLine-onderwerpen",
        ),
    ],
)
def test_cbs_files_the_monitor_cannot_use_are_refused(content, message):
    with pytest.raises(cbs.CbsError, match=message):
        cbs.read_cbs_csv(content)


@pytest.mark.parametrize(("key", "expected"), [("2020JJ00", "2020"), ("2020", "2020"), ("2020*", "2020")])
def test_cbs_years(key, expected):
    assert cbs.cbs_period(key, "jaar") == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "het bestand is leeg"),
        (b'statcode;bevolking_2020_01_01\n"GM0505;1\n', "geen leesbare CSV-tabel"),
        ("statcode;bevolking_2020_01_01\n²;1\n".encode(), None),  # a code that is no number: left out, no crash
    ],
)
def test_broken_cbs_files_give_a_dutch_message_not_a_crash(content, message):
    from ratc.ingest import reading

    if message is None:
        assert reading.read_layout(content, "x.csv", "cbs").rows.empty
        return
    with pytest.raises(reading.DeliveryError) as refused:
        reading.read_layout(content, "x.csv", "cbs")
    assert message in refused.value.messages[0] and refused.value.messages[0].startswith("Dit is geen leesbaar")


def test_comment_lines_a_title_and_a_footer_in_a_statline_export_are_skipped_and_named():
    """Issue: a title row and `#` lines in a CBS export gave 'kolommen ontbreken' or a quote that does not close."""
    body = statline_bytes([("2021", "Dordrecht", "119260"), ("2021", "Nederland", "17475415")]).decode("utf-8-sig")
    lines = body.splitlines()
    content = "\r\n".join(["# Bron: CBS StatLine, 70072NED", '"Regionale kerncijfers Nederland"', "",
                            lines[0], "# voorlopige cijfers", *lines[1:], '"Bron: CBS"']) + "\r\n"  # fmt: skip
    table = cbs.read_cbs_csv(("\ufeff" + content).encode("utf-8"))
    rows = table.rows.set_index("gemeente")
    assert rows.loc["GM0505", "waarde"] == "119260" and rows.loc["NL", "waarde"] == "17475415"
    assert rows.loc["GM0505", "row"] == 6 and rows.loc["NL", "row"] == 7  # lines of the file as sent
    assert "2 commentaarregels (beginnend met #) zijn overgeslagen." in table.notes
    assert "De kopregel staat op regel 4; de 1 regel(s) erboven (titel) zijn overgeslagen." in table.notes
    assert any("zonder scheidingsteken na de kopregel" in note for note in table.notes)


def test_a_code_table_under_a_title_reads_from_its_header():
    content = b"Kerncijfers wijken en buurten 2019\nstatcode;inwoners_kwb2019\nGM0505;118654\n"
    table = cbs.read_cbs_csv(content)
    assert table.rows[["gemeente", "waarde", "row"]].values.tolist() == [["GM0505", "118654", 3]]
