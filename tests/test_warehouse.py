"""The warehouse build: computed region and rates, baselines, idempotence and atomic swaps."""

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ratc.core import metadata
from ratc.warehouse import builder as warehouse
from ratc.warehouse import lineage

ROOT = Path(__file__).resolve().parent.parent


def table_contents(path: Path) -> dict[str, pd.DataFrame]:
    """Every table of a warehouse, sorted, for comparing two builds."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()]
        return {
            name: con.table(name).df().sort_values(list(con.table(name).columns)).reset_index(drop=True)
            for name in sorted(names)
        }


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of `data/` that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def test_region_is_the_sum_of_its_municipalities_for_counts(observations):
    counts = set(metadata.read_indicators().query("is_count")["indicator_id"])
    municipalities = set(metadata.read_areas().query("area_type == 'gemeente'")["area_code"])
    subset = observations[observations["indicator_id"].isin(counts)]
    summed = subset[subset["area_code"].isin(municipalities)].groupby(["indicator_id", "period_key"])["value"].sum()
    region = subset[subset["area_code"] == "VR18"].set_index(["indicator_id", "period_key"])["value"]
    assert len(region) > 1000
    pd.testing.assert_series_equal(region.sort_index(), summed.sort_index(), check_names=False)


def test_rates_are_computed_from_counts_and_population(observations):
    population = metadata.read_areas().set_index("area_code")["population_2020"]
    bijstand = observations.query("indicator_id == 'bijstand_uitkeringen'").set_index(["area_code", "period_key"])[
        "value"
    ]
    rate = observations.query("indicator_id == 'bijstand_per_1000'").set_index(["area_code", "period_key"])["value"]
    expected = bijstand / population.reindex(bijstand.index.get_level_values(0)).to_numpy() * 1000
    pd.testing.assert_series_equal(rate.sort_index(), expected.sort_index(), check_names=False)
    provinces = set(metadata.read_areas().query("area_type == 'provincie'")["area_code"])  # context, no bijstand
    assert set(rate.index.get_level_values(0)) == set(population.index) - provinces


def test_baselines_february_2020_and_same_month_2019(observations):
    ww = observations.query("indicator_id == 'ww_uitkeringen' and area_code == 'GM0505'").set_index("period_key")
    assert (ww["baseline_value"] == ww.loc["2020-02", "value"]).all()
    thefts = observations.query("indicator_id == 'woninginbraken' and area_code == 'GM0505'").set_index("period_key")
    assert thefts.loc["2021-11", "baseline_value"] == thefts.loc["2019-11", "value"]
    assert thefts.loc["2020-03", "baseline_value"] == thefts.loc["2019-03", "value"]
    quarterly = observations.query("indicator_id == 'jeugdhulp_trajecten' and area_code == 'VR18'").set_index(
        "period_key"
    )
    assert (quarterly["baseline_value"] == quarterly.loc["2019-Q4", "value"]).all()
    covid = observations.query("indicator_id == 'covid_meldingen'")
    assert covid["baseline_value"].isna().all()


def test_previous_value_is_the_period_before(observations):
    ww = observations.query("indicator_id == 'ww_uitkeringen' and area_code == 'GM0610'").set_index("period_key")
    assert ww.loc["2020-04", "previous_value"] == ww.loc["2020-03", "value"]


def test_every_observation_names_its_import(observations, con):
    imports = set(con.cursor().execute("select import_id from imports").df()["import_id"])
    assert set(observations["import_id"]) <= imports


def test_rebuild_gives_identical_contents(data_copy, tmp_path):
    first = warehouse.build(data_copy, tmp_path / "one" / "warehouse.duckdb")
    second = warehouse.build(data_copy, tmp_path / "two" / "warehouse.duckdb")
    one, two = table_contents(first), table_contents(second)
    assert one.keys() == two.keys()
    for name in one:
        pd.testing.assert_frame_equal(one[name], two[name])


def test_ensure_builds_only_when_sources_change(data_copy, tmp_path):
    target = tmp_path / "wh" / "warehouse.duckdb"
    assert warehouse.ensure(data_copy, target) is True
    assert warehouse.ensure(data_copy, target) is False
    assert warehouse.is_current(data_copy, target)
    (data_copy / "areas.csv").write_text((data_copy / "areas.csv").read_text().replace("Sliedrecht,", "Sliedrecht ,"))
    assert not warehouse.is_current(data_copy, target)
    assert warehouse.ensure(data_copy, target) is True
    assert len(list(target.parent.glob("warehouse-*.duckdb"))) == 1


def test_failed_build_leaves_the_old_warehouse_in_place(data_copy, tmp_path):
    target = tmp_path / "wh" / "warehouse.duckdb"
    first = warehouse.build(data_copy, target)
    before = table_contents(first)
    source = data_copy / lineage.read_ledger(data_copy)[0].file_path
    source.write_text(source.read_text().replace("\n", "\nGM0505,ww_uitkeringen,2022-01,1\n", 1))
    with pytest.raises(lineage.LedgerError, match="gewijzigd"):
        warehouse.build(data_copy, target)
    assert warehouse.current_file(target) == first
    assert table_contents(first).keys() == before.keys()
    assert not list(target.parent.glob("*.tmp"))


def test_corrupt_warehouse_is_rebuilt(data_copy, tmp_path):
    target = tmp_path / "wh" / "warehouse.duckdb"
    built = warehouse.build(data_copy, target)
    built.write_bytes(b"not a duckdb file")
    assert warehouse.built_fingerprint(target) is None
    assert warehouse.ensure(data_copy, target) is True
    assert warehouse.built_fingerprint(target) == warehouse.fingerprint(data_copy)


def test_open_connection_keeps_reading_while_a_rebuild_swaps_files(data_copy, tmp_path):
    target = tmp_path / "wh" / "warehouse.duckdb"
    old = warehouse.build(data_copy, target)
    reader = duckdb.connect(str(old), read_only=True)
    (data_copy / "domains.csv").write_text(
        (data_copy / "domains.csv").read_text().replace("Gezondheid", "Gezondheid en zorg")
    )
    new = warehouse.build(data_copy, target)
    assert new != old
    assert reader.execute("select count(*) from observations").fetchone()[0] > 0
    with duckdb.connect(str(new), read_only=True) as fresh:
        assert (
            fresh.execute("select domain_name from domains where domain_id = 'gezondheid'").fetchone()[0]
            == "Gezondheid en zorg"
        )
    reader.close()


def deliver(data_dir: Path, name: str, rows: list[tuple[str, str, str, float]]) -> lineage.ImportRecord:
    """Write canonical rows as a real import and record it in the ledger (as the importer's commit does)."""
    path = data_dir / "imports" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["area_code,indicator_id,period,value", *(f"{a},{i},{p},{v:g}" for a, i, p, v in rows)]
    path.write_text("\n".join(lines) + "\n")
    return lineage.register(f"imports/{name}.csv", "test", len(rows), is_demo=False, description="", data_dir=data_dir)


def observations_of(target: Path) -> pd.DataFrame:
    with duckdb.connect(str(warehouse.current_file(target)), read_only=True) as con:
        return con.execute("select * from observations").df()


def test_every_observation_says_whether_it_is_demo(observations):
    assert observations["is_demo"].all()  # the shipped data is demo data only


def test_one_real_delivery_of_an_indicator_replaces_all_its_demo_values(data_copy, tmp_path):
    deliver(data_copy, "bijstand", [("GM0505", "bijstand_uitkeringen", "2020-04", 4100.0)])
    target = tmp_path / "wh" / "warehouse.duckdb"
    warehouse.build(data_copy, target)
    frame = observations_of(target)
    bijstand = frame[frame["indicator_id"].isin(["bijstand_uitkeringen", "bijstand_per_1000"])]
    # one real value in force; no demo value of bijstand anywhere: not in another municipality, month, NL or rate
    assert set(zip(bijstand["indicator_id"], bijstand["area_code"], bijstand["period_key"], strict=True)) == {
        ("bijstand_uitkeringen", "GM0505", "2020-04"),
        ("bijstand_per_1000", "GM0505", "2020-04"),
    }
    assert not bijstand["is_demo"].any()
    assert not (frame["area_code"].eq("VR18") & frame["indicator_id"].eq("bijstand_uitkeringen")).any()
    others = frame[~frame["indicator_id"].isin(["bijstand_uitkeringen", "bijstand_per_1000"])]
    assert others["is_demo"].all() and len(others) > 10_000


def test_a_rate_of_demo_counts_stays_demo_over_a_real_population(data_copy, tmp_path):
    deliver(data_copy, "bevolking", [("GM0505", "bevolking", "2020", 119_284.0)])
    target = tmp_path / "wh" / "warehouse.duckdb"
    warehouse.build(data_copy, target)
    frame = observations_of(target).set_index(["indicator_id", "area_code", "period_key"])
    assert not frame.loc[("bevolking", "GM0505", "2020"), "is_demo"]
    # the rate's import is the population's (the newest it depends on), but its count is demo: so is the rate
    assert frame.loc[("bijstand_per_1000", "GM0505", "2020-04"), "is_demo"]


def test_without_any_import_the_warehouse_is_empty_but_complete(data_copy, tmp_path):
    (data_copy / "imports.csv").write_text((data_copy / "imports.csv").read_text().splitlines()[0] + "\n")
    target = tmp_path / "wh" / "warehouse.duckdb"
    warehouse.build(data_copy, target)
    frame = observations_of(target)
    assert frame.empty and "is_demo" in frame.columns
