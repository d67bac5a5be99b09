"""Tests for the demo-data generator: structure, determinism and the real shape of 2020-2021."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ratc.core import paths
from ratc.core.metadata import read_areas, read_indicators
from ratc.core.periods import make_period, parse_period, period_range
from ratc.demo.generator import DEMO_SOURCE_FILE, SPECS, generate, write_demo

MUNICIPALITIES = sorted(read_areas().query("area_type == 'gemeente'")["area_code"])
INDICATORS = read_indicators()
COUNTS = INDICATORS[INDICATORS["is_count"]]
MONITOR_COUNTS = sorted(set(COUNTS["indicator_id"]) - {"bevolking"})  # the population is real CBS data
FREQUENCY = dict(zip(INDICATORS["indicator_id"], INDICATORS["frequency"], strict=True))
COVID = ["covid_meldingen", "covid_ziekenhuisopnames", "covid_overleden"]
SCOPES = ["region", "NL"]


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    """The demo frame, generated once for the module."""
    return generate()


def _keys(frequency: str, first: str, last: str) -> list[str]:
    """Period keys from first through last inclusive."""
    return [p.key for p in period_range(parse_period(first, frequency), parse_period(last, frequency))]


def _series(frame: pd.DataFrame, indicator_id: str, scope: str) -> pd.Series:
    """Values by period for NL, one municipality, or the region (sum of the ten municipalities)."""
    rows = frame[frame["indicator_id"] == indicator_id]
    rows = rows[rows["area_code"].isin(MUNICIPALITIES)] if scope == "region" else rows[rows["area_code"] == scope]
    return rows.groupby("period")["value"].sum()


def _total(frame: pd.DataFrame, indicator_id: str, scope: str, first: str, last: str) -> int:
    """Sum of the values over a range of periods."""
    return int(_series(frame, indicator_id, scope).loc[_keys(FREQUENCY[indicator_id], first, last)].sum())


def _copy_data_dir(target):
    """A data dir with copies of the metadata and calibration files."""
    source = paths.data_dir()
    for name in ("areas.csv", "indicators.csv", "domains.csv", "demo/calibration.csv", "demo/sensitivity.csv"):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target / name)
    return target


def test_generate_is_deterministic(demo):
    pd.testing.assert_frame_equal(demo, generate())


def test_write_demo_is_byte_identical(tmp_path):
    data_dir = _copy_data_dir(tmp_path)
    path = write_demo(data_dir)
    first = path.read_bytes()
    assert path == data_dir / DEMO_SOURCE_FILE
    assert write_demo(data_dir).read_bytes() == first
    assert b"\r\n" not in first and b".0," not in first
    assert first.startswith(b"area_code,indicator_id,period,value\n")


def test_columns_and_dtypes(demo):
    assert list(demo.columns) == ["area_code", "indicator_id", "period", "value"]
    for column in ("area_code", "indicator_id", "period"):
        assert pd.api.types.is_string_dtype(demo[column])
    assert pd.api.types.is_integer_dtype(demo["value"])
    assert (demo["value"] >= 0).all()
    assert not demo.duplicated(["area_code", "indicator_id", "period"]).any()


def test_sorted(demo):
    starts = [parse_period(k, FREQUENCY[i]).start for k, i in zip(demo["period"], demo["indicator_id"], strict=True)]
    order = demo.assign(start=starts).sort_values(["indicator_id", "area_code", "start"], kind="stable")
    assert order.index.equals(demo.index)


def test_every_monitor_count_has_a_spec_and_the_population_is_never_invented(demo):
    assert set(demo["indicator_id"]) == set(MONITOR_COUNTS)
    assert set(SPECS) == set(MONITOR_COUNTS)
    assert "bevolking" in set(COUNTS["indicator_id"])  # a real CBS series, imported, not generated


def test_areas_are_municipalities_and_nl(demo):
    assert "VR18" not in set(demo["area_code"])
    assert set(demo["area_code"]) == set(MUNICIPALITIES) | {"NL"}
    pairs = demo.groupby("indicator_id")["area_code"].nunique()
    assert (pairs == len(MUNICIPALITIES) + 1).all()


@pytest.mark.parametrize("indicator_id", sorted(set(MONITOR_COUNTS) - {"tozo_aanvragen"}))
def test_full_period_coverage(demo, indicator_id):
    frequency = FREQUENCY[indicator_id]
    last = {"week": 52, "maand": 12, "kwartaal": 4}[frequency]
    expected = [p.key for p in period_range(make_period(frequency, 2019, 1), make_period(frequency, 2021, last))]
    rows = demo[demo["indicator_id"] == indicator_id]
    for _, periods in rows.groupby("area_code")["period"]:
        assert list(periods) == expected


def test_tozo_only_while_the_scheme_ran(demo):
    rows = demo[demo["indicator_id"] == "tozo_aanvragen"]
    expected = _keys("maand", "2020-03", "2021-09")
    assert set(rows["period"]) == set(expected)
    assert (rows.groupby("area_code").size() == len(expected)).all()


@pytest.mark.parametrize("indicator_id", COVID)
def test_covid_zero_before_first_case(demo, indicator_id):
    rows = demo[demo["indicator_id"] == indicator_id]
    before = rows[rows["period"] <= "2020-W08"]
    assert len(before) > 0 and (before["value"] == 0).all()


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("indicator_id", COVID)
def test_covid_two_waves_in_2020(demo, indicator_id, scope):
    series = _series(demo, indicator_id, scope)
    summer = series.loc[_keys("week", "2020-W24", "2020-W31")].max()
    assert series.loc[_keys("week", "2020-W11", "2020-W18")].max() > summer
    assert series.loc[_keys("week", "2020-W41", "2020-W53")].max() > summer


# (indicator, higher range, lower range, factor): sum(higher) > factor * sum(lower), for region and NL
SHAPES = [
    ("ww_uitkeringen", ("2020-05", "2020-05"), ("2020-02", "2020-02"), 1.08),
    ("ww_jongeren", ("2020-05", "2020-05"), ("2020-02", "2020-02"), 1.2),
    ("nww", ("2020-06", "2020-06"), ("2020-02", "2020-02"), 1.03),
    ("ww_uitkeringen", ("2020-05", "2020-05"), ("2021-12", "2021-12"), 1.2),
    ("bijstand_uitkeringen", ("2021-06", "2021-06"), ("2020-02", "2020-02"), 1.02),
    ("faillissementen", ("2019-01", "2019-12"), ("2020-01", "2020-12"), 1.0),
    ("faillissementen", ("2019-01", "2019-12"), ("2021-01", "2021-12"), 1.2),
    ("uitstroom_bijstand_werk", ("2019-01", "2019-12"), ("2020-01", "2020-12"), 1.1),
    ("uitstroom_bijstand_werk", ("2021-07", "2021-12"), ("2020-04", "2020-09"), 1.1),
    ("tozo_aanvragen", ("2020-04", "2020-04"), ("2020-06", "2020-06"), 3.0),
    ("tozo_aanvragen", ("2020-12", "2021-01"), ("2020-10", "2020-11"), 1.2),
    ("veilig_thuis_meldingen", ("2020-04", "2020-04"), ("2019-04", "2019-04"), 1.05),
    ("veilig_thuis_meldingen", ("2021-01", "2021-01"), ("2019-01", "2019-01"), 1.05),
    ("burenoverlast", ("2020-04", "2020-04"), ("2019-04", "2019-04"), 1.1),
    ("woninginbraken", ("2019-04", "2019-04"), ("2020-04", "2020-04"), 1.1),
    ("woninginbraken", ("2019-10", "2020-01"), ("2019-05", "2019-08"), 1.1),
    ("schuldhulp_aanmeldingen", ("2019-04", "2019-05"), ("2020-04", "2020-05"), 1.1),
    ("schuldhulp_aanmeldingen", ("2021-01", "2021-12"), ("2019-01", "2019-12"), 1.05),
    ("voedselbank_huishoudens", ("2021-06", "2021-06"), ("2020-02", "2020-02"), 1.04),
    ("bijzondere_bijstand", ("2021-01", "2021-12"), ("2019-01", "2019-12"), 1.03),
    ("wmo_aanvragen", ("2019-04", "2019-04"), ("2020-04", "2020-04"), 1.15),
    ("ggz_crisis", ("2021-01", "2021-12"), ("2019-01", "2019-12"), 1.05),
    ("verzuim_meldingen", ("2019-04", "2019-04"), ("2020-04", "2020-04"), 2.0),
    ("verzuim_meldingen", ("2019-09", "2019-09"), ("2019-08", "2019-08"), 2.0),
    ("verzuim_meldingen", ("2020-01", "2020-01"), ("2021-01", "2021-01"), 2.0),
    ("jeugdhulp_trajecten", ("2019-Q2", "2019-Q2"), ("2020-Q2", "2020-Q2"), 1.1),
    ("jeugdhulp_trajecten", ("2020-Q3", "2020-Q3"), ("2019-Q3", "2019-Q3"), 1.0),
    ("thuiszitters", ("2021-Q4", "2021-Q4"), ("2019-Q4", "2019-Q4"), 1.1),
    ("vsv_meldingen", ("2019-Q3", "2019-Q3"), ("2019-Q2", "2019-Q2"), 1.5),
    ("vsv_meldingen", ("2019-Q3", "2019-Q3"), ("2020-Q3", "2020-Q3"), 1.05),
]


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize(("indicator_id", "higher", "lower", "factor"), SHAPES)
def test_shape_of_2020_2021(demo, indicator_id, higher, lower, factor, scope):
    assert _total(demo, indicator_id, scope, *higher) > factor * _total(demo, indicator_id, scope, *lower)


@pytest.mark.parametrize("scope", SCOPES)
def test_bijstand_rises_later_and_less_than_ww(demo, scope):
    ww, bijstand = _series(demo, "ww_uitkeringen", scope), _series(demo, "bijstand_uitkeringen", scope)
    assert bijstand["2020-12"] / bijstand["2020-02"] < ww["2020-12"] / ww["2020-02"]
    crisis = _keys("maand", "2020-03", "2021-12")
    assert bijstand.loc[crisis].idxmax() > ww.loc[crisis].idxmax()


@pytest.mark.parametrize("scope", SCOPES)
def test_tozo_peaks_in_april_2020(demo, scope):
    assert _series(demo, "tozo_aanvragen", scope).idxmax() == "2020-04"


def test_nl_magnitudes(demo):
    ww, bijstand = _series(demo, "ww_uitkeringen", "NL"), _series(demo, "bijstand_uitkeringen", "NL")
    assert 220_000 < ww["2020-02"] < 260_000 and 280_000 < ww["2020-07"] < 320_000
    assert 400_000 < bijstand["2020-02"] < 430_000
    assert 120_000 < _total(demo, "covid_meldingen", "NL", "2021-W46", "2021-W48") / 3 < 180_000


@pytest.mark.parametrize(
    ("indicator_id", "column", "period"),
    [
        ("ww_uitkeringen", "ww_personen_2019", "2020-02"),
        ("bijstand_uitkeringen", "bijstand_personen_2019", "2020-01"),
    ],
)
def test_calibrated_levels(demo, indicator_id, column, period):
    calibration = pd.read_csv(paths.data_dir() / "demo" / "calibration.csv").set_index("area_code")[column]
    for area_code in MUNICIPALITIES:
        value = _series(demo, indicator_id, area_code)[period]
        assert abs(value / calibration[area_code] - 1) <= 0.25, area_code


def test_deprivation_raises_schuldhulp_in_dordrecht(demo):
    population = read_areas().set_index("area_code")["population_2020"]
    rate = {
        code: _total(demo, "schuldhulp_aanmeldingen", code, "2019-01", "2019-12") / population[code]
        for code in ("GM0505", "GM1963")
    }
    assert rate["GM0505"] > 1.5 * rate["GM1963"]


def test_sensitive_municipalities_react_more_strongly():
    frame = generate()
    ww = frame[frame["indicator_id"] == "ww_uitkeringen"].pivot(index="period", columns="area_code", values="value")
    rise = ww.loc["2020-07"] / ww.loc["2020-02"] - 1
    assert rise["GM0610"] > rise["GM1978"] + 0.1  # Sliedrecht (1.45) against Molenlanden (0.75)


def test_committed_demo_file_matches_the_generator():
    committed = pd.read_csv(paths.data_dir() / DEMO_SOURCE_FILE, dtype={"area_code": str, "period": str})
    pd.testing.assert_frame_equal(committed, generate(), check_dtype=False)


def test_remove_takes_the_demo_data_out_of_ledger_disk_and_warehouse(tmp_path, monkeypatch):
    import duckdb

    from ratc.__main__ import main
    from ratc.warehouse import builder as warehouse
    from ratc.warehouse import lineage

    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    monkeypatch.setenv("RATC_DATA_DIR", str(data))
    monkeypatch.setenv("RATC_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    assert main(["demo", "--remove"]) == 0
    assert lineage.read_ledger(data) == [] and not (data / DEMO_SOURCE_FILE).exists()
    assert (data / "demo" / "calibration.csv").exists()  # the generator's inputs stay: `demo` brings it back
    with duckdb.connect(str(warehouse.current_file()), read_only=True) as con:
        assert con.execute("select count(*) from observations").fetchone()[0] == 0
    assert main(["demo", "--remove"]) == 0  # nothing left to remove: still fine
    assert main(["demo"]) == 0
    assert [record.is_demo for record in lineage.read_ledger(data)] == [True]


def test_a_crash_after_the_ledger_leaves_only_an_unused_file(tmp_path):
    from ratc.demo import generator
    from ratc.warehouse import lineage

    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    with lineage.ledger_lock(data):
        lineage.unregister_demo(data)  # the commit point passed; the process dies before deleting the file
    assert lineage.read_ledger(data) == [] and (data / DEMO_SOURCE_FILE).exists()
    assert generator.remove(data) == [] and not (data / DEMO_SOURCE_FILE).exists()
