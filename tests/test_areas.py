"""Which area a row names: the monitor's municipalities by code or name, merged municipalities named with their
merger, and context areas (the country, a province) only where a public source delivers them."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROOT, SHARED_REAL

from ratc.core import metadata
from ratc.ingest import areas, checking, reading

MERGERS = pd.read_csv(ROOT / "data" / "mergers.csv", dtype=str)
HEADER = "gemeente;indicator;periode;waarde;opmerking\n"
STATLINE = SHARED_REAL / "cbs" / "Regionale_kerncijfers_Nederland_15082020_130832.csv"
TYPED = SHARED_REAL / "cbs" / "odata" / "v3" / "84489NED_TypedDataSet.json"


def row_messages(*lines: str) -> list[str]:
    raw = reading.read_delivery((HEADER + "".join(line + "\n" for line in lines)).encode(), "a.csv")
    validation = checking.validate(raw, existing=checking.existing_observations().iloc[:0])
    return [error.message for error in validation.errors]


def test_the_mergers_of_2019_are_the_ones_of_hoeksche_waard_and_molenlanden():
    merged = MERGERS.groupby("new_code")["old_code"].apply(sorted).to_dict()
    assert merged == {
        "GM1963": ["GM0584", "GM0585", "GM0588", "GM0611", "GM0617"],  # CBS codes, see data/areas.md
        "GM1978": ["GM0689", "GM1927"],
    }
    assert set(MERGERS["merger_date"]) == {"2019-01-01"}
    names = dict(zip(metadata.read_areas()["area_code"], metadata.read_areas()["area_name"], strict=True))
    assert all(names[row.new_code] == row.new_name for row in MERGERS.itertuples())
    assert MERGERS["source"].str.len().gt(0).all()


@pytest.mark.skipif(not STATLINE.exists(), reason="../shared/real is not available")
def test_the_merged_municipalities_are_the_ones_cbs_lists_without_figures_in_2020():
    text = STATLINE.read_text(encoding="utf-8-sig")
    for name in MERGERS["old_name"]:
        assert f'"2020";"{name}";"";' in text, name  # StatLine 2020 lists the old municipality, empty
    assert '"2020";"Hoeksche Waard";"   87401"' in text and '"2020";"Molenlanden";"   43909"' in text


@pytest.mark.parametrize("row", list(MERGERS.itertuples()), ids=list(MERGERS["old_name"]))
def test_a_code_or_name_of_a_merged_municipality_names_its_merger(row):
    for written in (row.old_code, row.old_name, row.old_code[2:].lstrip("0")):
        [message] = row_messages(f"{written};ww_uitkeringen;2018-12;120;")
        assert message.startswith(f"Rij 2: gemeente '{written}' is {row.old_name} ({row.old_code}), dat op "
                                  f"1 januari 2019 met ")  # fmt: skip
        assert f"is opgegaan in {row.new_name} ({row.new_code})" in message
        assert f"lever het cijfer van {row.new_name} als geheel" in message


def test_the_merger_message_names_every_partner():
    [message] = row_messages("GM0585;ww_uitkeringen;2018-12;120;")
    assert "met Cromstrijen, Korendijk, Oud-Beijerland en Strijen is opgegaan in Hoeksche Waard (GM1963)" in message
    [message] = row_messages("Giessenlanden;ww_uitkeringen;2018-12;120;")
    assert "met Molenwaard is opgegaan in Molenlanden (GM1978)" in message


def test_the_province_is_context_only_never_a_municipality():
    area_table = metadata.read_areas()
    assert area_table.set_index("area_code").loc["PV28", ["area_name", "area_type"]].tolist() == [
        "Zuid-Holland",
        "provincie",
    ]
    assert "PV28" not in metadata.municipality_names()
    [message] = row_messages("Zuid-Holland;faillissementen;2022-01;12;")
    assert message == (
        "Rij 2: 'Zuid-Holland' (Zuid-Holland) kan hier niet worden aangeleverd; lever alleen cijfers van de gemeenten "
        "in de regio."
    )
    lookup = areas.AreaLookup.from_data(ROOT / "data", areas.WITH_CONTEXT)
    assert lookup.find("PV28").code == lookup.find("zuid-holland").code == "PV28"


@pytest.mark.skipif(not TYPED.exists(), reason="../shared/real is not available")
def test_the_province_code_and_its_population_agree_with_cbs():
    import json

    rows = json.loads(TYPED.read_text(encoding="utf-8"))["value"]
    assert {
        (row["Code_5"].strip(), row["Naam_4"].strip()) for row in rows if row["Naam_4"].strip() == "Zuid-Holland"
    } == {("PV28", "Zuid-Holland")}
    in_province = {row["Code_3"].strip() for row in rows if row["Code_5"].strip() == "PV28"}
    population = pd.read_csv(SHARED_REAL / "cbs" / "CBS-aantal_inwoners_per_gemeente_2020-01-01.csv", sep=";")
    codes = "GM" + population["Municipality_code"].astype(str).str.zfill(4)
    total = population.loc[codes.isin(in_province), "Inhabitants_1-1-2020"].sum()
    assert len(in_province) == 52
    assert metadata.read_areas().set_index("area_code").loc["PV28", "population_2020"] == total == 3_708_696


def test_a_public_file_with_merged_municipalities_says_why_they_are_not_added_up():
    from ratc.ingest import cbs, odata

    statline = (
        '\ufeff"Perioden";"Regio\'s";"Bevolking/Totale bevolking (aantal)"\r\n'
        '"2018";"Binnenmaas";"   29098"\r\n"2018";"Strijen";"    8821"\r\n"2018";"Giessenlanden";"   14557"\r\n'
    ).encode()
    [note] = [note for note in cbs.read_cbs_csv(statline).notes if "samengevoegd" in note]
    assert "(Binnenmaas en Strijen in Hoeksche Waard; Giessenlanden in Molenlanden)" in note
    assert "Hun cijfers zijn niet opgeteld" in note
    rows = [{"TypeGefailleerde": "A047596", "RegioS": "GM0585    ", "Perioden": "2018MM05",
             "UitgesprokenFaillissementen_1": 2}]  # fmt: skip
    table = odata.read_document({"table_id": "82522NED", "rows": rows})
    assert table.rows.empty and any("Binnenmaas in Hoeksche Waard" in note for note in table.notes)


@pytest.mark.parametrize("name", ["Sommelsdijk", "Totale bevolking"])
def test_a_name_that_merely_starts_like_total_is_no_total_row(name):
    [message] = row_messages(f"{name};ww_uitkeringen;2022-01;12;")
    assert message.startswith(f"Rij 2: gemeente '{name}' is onbekend in Zuid-Holland-Zuid.")
