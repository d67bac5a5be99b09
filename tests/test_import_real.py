"""Real RIVM files and CBS tables pass the same validation and import as a delivery, and reach the warehouse."""

import json
import os
from pathlib import Path

import duckdb
import pytest
from conftest import SHARED_REAL

from ratc.__main__ import main
from ratc.ingest import rivm
from ratc.warehouse import builder as warehouse
from ratc.warehouse import lineage

EXTRACT = SHARED_REAL / "covid" / "zhz_covid_cumulatief_2020-03-13_2020-09-15.csv"
needs_shared = pytest.mark.skipif(not EXTRACT.exists(), reason="../shared/real is not available")


@needs_shared
def test_rivm_extract_imports_over_the_demo_data_without_replace(private_data, capsys):
    assert main(["import", str(EXTRACT), "--layout", "rivm"]) == 0
    assert "no existing values changed" in capsys.readouterr().out  # demo values are no values in force


@needs_shared
def test_rivm_extract_imports_and_its_weekly_counts_reach_the_warehouse(private_data):
    data, target = private_data, Path(os.environ["RATC_WAREHOUSE"])
    assert main(["import", str(EXTRACT), "--layout", "rivm"]) == 0
    record = lineage.read_ledger(data)[-1]
    assert record.source.startswith("RIVM") and not record.is_demo
    weekly = rivm.weekly_counts(EXTRACT).set_index(["area_code", "periode"])
    expected = weekly.loc[("GM0505", "2020-W14"), "Total_reported"]  # RIVM column -> covid_meldingen
    with duckdb.connect(str(warehouse.current_file(target)), read_only=True) as con:
        value, import_id = con.execute(
            "select value, import_id from observations where area_code = 'GM0505' "
            "and indicator_id = 'covid_meldingen' and period_key = '2020-W14'"
        ).fetchone()
    assert (value, import_id) == (expected, record.import_id)


def test_a_cbs_odata_table_imports_through_the_same_validation(private_data, tmp_path):
    from test_cbs import bankruptcy_rows

    document = tmp_path / "82522NED.json"
    document.write_text(json.dumps({"table_id": "82522NED", "source": "CBS StatLine (OData, cbsodata)",
                                    "rows": bankruptcy_rows()}))  # fmt: skip
    assert main(["import", str(document), "--layout", "cbs"]) == 0  # over demo data: no conflict, no --replace
    record = lineage.read_ledger(private_data)[-1]
    assert record.source == (
        "CBS StatLine (OData, cbsodata), tabel 82522NED (Faillissementen; bedrijven en instellingen, regio)"
    )
    assert record.rows_accepted == 3
    with duckdb.connect(str(warehouse.current_file(Path(os.environ["RATC_WAREHOUSE"]))), read_only=True) as con:
        value = con.execute(
            "select value from observations where area_code = 'GM0505' "
            "and indicator_id = 'faillissementen' and period_key = '2020-04'"
        ).fetchone()[0]
    assert value == 3


CBS = SHARED_REAL / "cbs"
CBS_FILES = [
    "Regionale_kerncijfers_Nederland_15082020_130832.csv",
    "CBS-aantal_inwoners_per_gemeente_2020-01-01.csv",
    "zhz_cbs_kerncijfers.csv",
]


def population(key: str) -> float:
    """Dordrecht's imported population in one year, from the current warehouse."""
    with duckdb.connect(str(warehouse.current_file(Path(os.environ["RATC_WAREHOUSE"]))), read_only=True) as con:
        return con.execute(
            "select value from observations where area_code = ? and indicator_id = 'bevolking' and period_key = ?",
            ["GM0505", key],
        ).fetchone()[0]


def rate(indicator: str, period: str) -> tuple[float, int]:
    """Dordrecht's value and import of a computed rate, from the current warehouse."""
    with duckdb.connect(str(warehouse.current_file(Path(os.environ["RATC_WAREHOUSE"]))), read_only=True) as con:
        return con.execute(
            "select value, import_id from observations where area_code = 'GM0505' and indicator_id = ? "
            "and period_key = ?",
            [indicator, period],
        ).fetchone()


@needs_shared
@pytest.mark.parametrize("file_name", CBS_FILES)
def test_each_real_cbs_file_imports_the_population_of_the_ten(private_data, file_name, capsys):
    assert main(["import", str(CBS / file_name), "--layout", "cbs"]) == 0
    output = capsys.readouterr().out
    record = lineage.read_ledger(private_data)[-1]
    assert record.source.startswith("CBS") and not record.is_demo
    assert population("2020") == 119_284  # CBS: Dordrecht on 1 January 2020 (shared/real/README.md)
    with duckdb.connect(str(warehouse.current_file(Path(os.environ["RATC_WAREHOUSE"]))), read_only=True) as con:
        region = con.execute(
            "select value from observations where area_code = 'VR18' and indicator_id = 'bevolking' "
            "and period_key = '2020'"
        ).fetchone()[0]
    assert region == 459_371  # the ten summed, as the README says
    if file_name != "zhz_cbs_kerncijfers.csv":
        assert "345 regio's buiten Zuid-Holland-Zuid" in output


@needs_shared
def test_the_same_population_from_a_second_cbs_file_is_no_conflict(private_data):
    assert main(["import", str(CBS / CBS_FILES[0]), "--layout", "cbs"]) == 0
    assert main(["import", str(CBS / CBS_FILES[1]), "--layout", "cbs"]) == 0
    assert len(lineage.read_ledger(private_data)) >= 3


@needs_shared
def test_rates_per_inhabitant_use_the_population_of_their_year(private_data):
    before_2019, _ = rate("bijstand_per_1000", "2019-06")
    assert main(["import", str(CBS / "zhz_cbs_kerncijfers.csv"), "--layout", "cbs"]) == 0
    record = lineage.read_ledger(private_data)[-1]
    assert population("2019") == 118_654  # CBS Kerncijfers wijken en buurten 2019
    after_2019, import_2019 = rate("bijstand_per_1000", "2019-06")
    # without an imported population every year used 1 January 2020; now 2019 uses its own
    assert after_2019 == pytest.approx(before_2019 * 119_284 / 118_654)
    assert import_2019 == record.import_id  # the rate names the population import it depends on
    after_2021, _ = rate("bijstand_per_1000", "2021-06")
    counts, _ = rate("bijstand_uitkeringen", "2021-06")
    assert after_2021 == pytest.approx(counts / 119_284 * 1000)  # latest earlier year
