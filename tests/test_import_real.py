"""Real RIVM files and CBS tables pass the same validation and import as a delivery, and reach the warehouse."""

import json
import os
from pathlib import Path

import duckdb
import pytest
from conftest import SHARED_REAL

from ratc import lineage, rivm, warehouse
from ratc.__main__ import main

EXTRACT = SHARED_REAL / "covid" / "zhz_covid_cumulatief_2020-03-13_2020-09-15.csv"
needs_shared = pytest.mark.skipif(not EXTRACT.exists(), reason="../shared/real is not available")


@needs_shared
def test_rivm_extract_conflicts_with_demo_data_unless_replaced(private_data, capsys):
    data = private_data
    before = (data / "imports.csv").read_bytes()
    assert main(["import", str(EXTRACT), "--layout", "rivm"]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert (data / "imports.csv").read_bytes() == before


@needs_shared
def test_rivm_extract_imports_and_its_weekly_counts_reach_the_warehouse(private_data):
    data, target = private_data, Path(os.environ["RATC_WAREHOUSE"])
    assert main(["import", str(EXTRACT), "--layout", "rivm", "--replace"]) == 0
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
    assert main(["import", str(document), "--layout", "cbs"]) == 1  # Dordrecht April 2020 is in the demo data
    assert main(["import", str(document), "--layout", "cbs", "--replace"]) == 0
    record = lineage.read_ledger(private_data)[-1]
    assert record.source == "CBS StatLine (OData, cbsodata), tabel 82522NED" and record.rows_accepted == 3
    with duckdb.connect(str(warehouse.current_file(Path(os.environ["RATC_WAREHOUSE"]))), read_only=True) as con:
        value = con.execute(
            "select value from observations where area_code = 'GM0505' "
            "and indicator_id = 'faillissementen' and period_key = '2020-04'"
        ).fetchone()[0]
    assert value == 3
