"""CBS OData on real responses: a v3 TypedDataSet (padded codes, \\u escapes), a v4 table's Observations, and the
monthly bankruptcies of 82522NED per province, imported for Zuid-Holland as a context area beside the region."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import ROOT, SHARED_REAL

from ratc.__main__ import main
from ratc.core import metadata
from ratc.ingest import cbs, checking, odata, reading
from ratc.warehouse import builder as warehouse
from ratc.warehouse import lineage

ODATA = SHARED_REAL / "cbs" / "odata"
TYPED = ODATA / "v3" / "84489NED_TypedDataSet.json"
V4 = ODATA / "v4_80072ned"
BANKRUPTCIES = SHARED_REAL / "cbs" / "faillissementen_provincies_82522NED.csv"
needs_real = pytest.mark.skipif(not TYPED.exists(), reason="../shared/real is not available")
TEN = set(metadata.municipality_names())
QUARTERLY_ROW = (
    "ziekteverzuim_pct,Ziekteverzuim,Ziekteverzuim,werk_economie,procent,CBS,kwartaal,hoger_slechter,false,false,"
    'false,false,false,,,,1,het ziekteverzuim,"Ziekteverzuimpercentage, alle bedrijfstakken (test)."\n'
)


def refusal(path: Path) -> str:
    with pytest.raises(reading.DeliveryError) as refused:
        reading.read_layout(path.read_bytes(), path.name)
    [message] = refused.value.messages
    return message


@needs_real
def test_a_v3_typed_dataset_reads_padded_codes_and_escaped_names_as_our_areas():
    rows = json.loads(TYPED.read_bytes())["value"]
    codes = cbs.name_codes()
    known = set(codes.values())
    by_code = [cbs.area_code(row["Code_3"], codes, known) for row in rows]
    by_name = [cbs.area_code(row["Naam_2"], codes, known) for row in rows]
    assert sum(code in TEN for code in by_code) == 46  # the README's count of rows in the ten
    assert by_code == by_name  # padded codes and padded names give the same areas
    assert {row["Code_3"] for row in rows if cbs.area_code(row["Code_3"], codes, known) == "GM0482"} == {"GM0482    "}
    provinces = {cbs.area_code(row["Code_5"], codes, known) for row in rows if row["Naam_4"].strip() == "Zuid-Holland"}
    assert provinces == {"PV28"} == {cbs.area_code("Zuid-Holland             ", codes, known)}
    assert "Súdwest-Fryslân" in {row["Naam_2"].strip() for row in rows}  # \u escapes decoded, matched on nothing


@needs_real
def test_a_v3_response_of_a_table_the_monitor_does_not_read_is_refused_in_dutch():
    message = refusal(TYPED)
    assert message.startswith("Dit is geen leesbare CBS-tabel: tabel 84489NED is niet bekend; de monitor leest ")
    assert "82522NED (Faillissementen; bedrijven en instellingen, regio)" in message


@needs_real
@pytest.mark.parametrize(
    ("file_name", "message"),
    [
        ("entity_sets.json", "dit is de inhoudsopgave van tabel 80072NED, niet de cijfers; lever Observations aan"),
        ("MeasureCodes.json", "dit is de lijst 'MeasureCodes' van tabel 80072NED, niet de cijfers"),
        ("Observations_count.json", "dit is maar een deel van tabel 80072NED: CBS levert grote tabellen in delen"),
        ("Observations.json", "tabel 80072NED is niet bekend"),
    ],
)
def test_v4_responses_that_are_not_a_whole_known_table_say_what_they_are(file_name, message):
    assert message in refusal(V4 / file_name)


@pytest.fixture
def quarterly(tmp_path, monkeypatch):
    """A data folder with a quarterly percentage, and 80072NED (national, no region dimension) mapped onto it."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with (data / "indicators.csv").open("a", encoding="utf-8") as file:
        file.write(QUARTERLY_ROW)
    spec = {"title": "Ziekteverzuimpercentage; bedrijfstakken (SBI 2008) en bedrijfsgrootte",
            "indicator": "ziekteverzuim_pct", "region": None, "period": "Perioden",
            "value": "Ziekteverzuimpercentage_1", "areas": "land",
            "filters": {"BedrijfskenmerkenSBI2008": ("T001081",)}}  # fmt: skip
    monkeypatch.setitem(odata.TABLES, "80072NED", spec)
    return data


@needs_real
def test_v4_observations_become_rows_of_the_measure_through_the_same_validation(quarterly):
    observations = json.loads((V4 / "Observations.json").read_bytes())["value"]
    table = odata.read_document(json.loads((V4 / "Observations.json").read_bytes()), quarterly)
    assert table.source == (
        "CBS OData v4, tabel 80072NED (Ziekteverzuimpercentage; bedrijfstakken (SBI 2008) en bedrijfsgrootte)"
    )
    rows = table.rows.set_index("periode")
    assert set(rows["gemeente"]) == {"NL"}
    assert list(rows.index) == [f"{year}-Q{quarter}" for year in range(2015, 2020) for quarter in range(1, 5)] + [
        "2020-Q1"
    ]
    raw = {row["Perioden"]: row["Value"] for row in observations if row["BedrijfskenmerkenSBI2008"] == "T001081"}
    assert all(float(rows.loc[f"{key[:4]}-Q{int(key[6:])}", "waarde"]) == value
               for key, value in raw.items() if "KW" in key and key >= "2015")  # fmt: skip
    assert any("rijen van vóór 2015 zijn overgeslagen" in note for note in table.notes)
    assert any("andere periode dan een kwartaal" in note for note in table.notes)  # the yearly rows, JJ00
    validation = checking.validate(table.rows, quarterly, existing=checking.existing_observations(quarterly),
                                   allow_national=True)  # fmt: skip
    assert validation.ok, validation.errors[:3]
    line = observations.index(next(row for row in observations if row["Perioden"] == "2020KW01"
                                   and row["BedrijfskenmerkenSBI2008"] == "T001081")) + 1  # fmt: skip
    assert rows.loc["2020-Q1", "row"] == line  # the row names its place in the response


@needs_real
def test_the_real_bankruptcy_series_reads_as_zuid_holland_with_its_source():
    read = reading.read_layout(BANKRUPTCIES.read_bytes(), BANKRUPTCIES.name)
    assert read.source == (
        "CBS, tabel 82522NED (Faillissementen; bedrijven en instellingen, regio); "
        "faillissementen_provincies_82522NED.csv"
    )
    rows = read.rows.set_index("periode")
    assert set(rows["gemeente"]) == {"PV28"} and set(rows["indicator"]) == {"faillissementen"}
    assert (rows.loc["2020-01", "waarde"], rows.loc["2020-04", "waarde"]) == ("53", "78")  # shared/real/README.md
    lines = BANKRUPTCIES.read_text(encoding="utf-8").splitlines()
    assert lines[rows.loc["2020-01", "row"] - 1].endswith(",Zuid-Holland,2020 januari,53.0")  # a line of the file
    assert rows.index.min() == "2015-01" and rows.index.max() == "2022-09" and len(rows) == 93
    assert any("9 regio's waarvoor de monitor geen gebied heeft" in note for note in read.notes)


@needs_real
def test_zuid_holland_imports_as_context_and_never_enters_the_region_or_the_municipalities(private_data):
    target = Path(os.environ["RATC_WAREHOUSE"])
    assert main(["import", str(BANKRUPTCIES)]) == 0
    record = lineage.read_ledger(private_data)[-1]
    assert record.source.startswith("CBS, tabel 82522NED") and record.rows_accepted == 93 and not record.is_demo
    with duckdb.connect(str(warehouse.current_file(target)), read_only=True) as con:
        frame = con.execute(
            "select area_code, period_key, value, import_id from observations where indicator_id = 'faillissementen'"
        ).df()
    province = frame[frame["area_code"] == "PV28"].set_index("period_key")
    assert province.loc["2020-04", "value"] == 78 and province.loc["2020-04", "import_id"] == record.import_id
    region = frame[frame["area_code"] == "VR18"].set_index("period_key")["value"]
    towns = frame[frame["area_code"].isin(TEN)].groupby("period_key")["value"].sum()
    pd.testing.assert_series_equal(region.sort_index(), towns.loc[region.index].sort_index(), check_names=False)
    assert "PV28" not in metadata.municipality_names(private_data)
