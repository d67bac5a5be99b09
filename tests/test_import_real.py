"""Real RIVM files go through the same validation and import as a delivery, and reconcile in the warehouse."""

import os
from pathlib import Path

import duckdb
import pytest
from conftest import SHARED_REAL

from ratc import lineage, rivm, warehouse
from ratc.__main__ import main

EXTRACT = SHARED_REAL / "covid" / "zhz_covid_cumulatief_2020-03-13_2020-09-15.csv"
pytestmark = pytest.mark.skipif(not EXTRACT.exists(), reason="../shared/real is not available")


def test_rivm_extract_conflicts_with_demo_data_unless_replaced(private_data, capsys):
    data = private_data
    before = (data / "imports.csv").read_bytes()
    assert main(["import", str(EXTRACT), "--layout", "rivm"]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert (data / "imports.csv").read_bytes() == before


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
