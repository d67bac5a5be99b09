"""RIVM COVID-19 counts: both layouts, weekly deliveries that reconcile with the running totals, and the download."""

from __future__ import annotations

import datetime as dt
import urllib.request

import pandas as pd
import pytest
from conftest import ROOT, SHARED_REAL, serve

from ratc.ingest import fetch, rivm

COVID = SHARED_REAL / "covid"
FULL = COVID / "COVID-19_aantallen_gemeente_cumulatief_2020-09-15.csv"
EXTRACT = COVID / "zhz_covid_cumulatief_2020-03-13_2020-09-15.csv"
TOTALS = COVID / "nl_covid_cumulatief_totals_2020-03-13_2020-09-15.csv"
TEN = list(pd.read_csv(ROOT / "data" / "areas.csv").query("area_type == 'gemeente'")["area_code"])
needs_real = pytest.mark.skipif(not FULL.exists(), reason=f"{COVID} is not available")
REAL = pytest.mark.parametrize("path", [FULL, EXTRACT], ids=["full-original", "zhz-extract"])


def running_totals(path) -> pd.DataFrame:
    """The file's own running totals per municipality and day, read plainly."""
    frame = pd.read_csv(path, sep=None, engine="python", dtype={"Municipality_code": str})
    return frame.assign(day=pd.to_datetime(frame["Date_of_report"].str[:10]).dt.date)


@needs_real
@REAL
def test_dordrecht_running_total_on_15_september_equals_the_file(path):
    file = running_totals(path)
    dordrecht = file[file["Municipality_code"] == "GM0505"].sort_values("day")
    daily = rivm.daily_counts(rivm.read_raw(path)[0], rivm.CUMULATIVE, TEN)
    mine = daily[daily["area_code"] == "GM0505"]
    assert mine["first_is_total"].iloc[0] and not mine["first_is_total"].iloc[1:].any()
    on_15_september = dordrecht.loc[dordrecht["day"] == dt.date(2020, 9, 15), "Total_reported"].item()
    assert on_15_september == dordrecht["Total_reported"].iloc[-1]
    assert mine["Total_reported"].sum() == on_15_september  # first day's running total + all daily new counts


@needs_real
@REAL
def test_weekly_counts_add_up_to_the_running_total_difference(path):
    weekly = rivm.weekly_counts(path)
    start, end = weekly.attrs["start"], weekly.attrs["end"]
    assert (start, end) == (dt.date(2020, 3, 16), dt.date(2020, 9, 13))  # complete weeks W12 .. W37
    assert sorted(weekly["periode"].unique()) == [f"2020-W{week:02d}" for week in range(12, 38)]
    file = running_totals(path).set_index(["Municipality_code", "day"])
    for code in TEN:
        mine = weekly[weekly["area_code"] == code]
        for column in rivm.COUNTS:
            difference = file.loc[(code, end), column] - file.loc[(code, start - dt.timedelta(days=1)), column]
            assert mine[column].sum() == mine[f"{column}_raw"].sum() == difference, (code, column)
            assert (mine[column] >= 0).all()


@needs_real
def test_national_weeks_equal_the_national_totals_file():
    weekly = rivm.weekly_counts(FULL)
    national = weekly[weekly["area_code"] == "NL"].set_index("periode")
    totals = pd.read_csv(TOTALS).assign(day=lambda f: pd.to_datetime(f["Date_of_report"].str[:10]).dt.date)
    totals = totals.set_index("day")
    for column in rivm.COUNTS:
        new = totals[column].diff()
        new = new[(new.index >= dt.date(2020, 3, 16)) & (new.index <= dt.date(2020, 9, 13))]
        keys = [f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}" for day in new.index]
        expected = new.groupby(keys).sum().astype(int)
        assert (national[f"{column}_raw"] == expected).all(), column
        assert national[column].sum() == expected.sum()


@needs_real
@REAL
def test_delivery_holds_only_the_ten_and_nl_in_the_delivery_shape(path):
    delivery = rivm.read_rivm(path)
    assert list(delivery.columns) == ["gemeente", "indicator", "periode", "waarde", "opmerking", "row"]
    expected = set(TEN) | ({"NL"} if path == FULL else set())  # an extract of the ten says nothing about NL
    assert set(delivery["gemeente"]) == expected
    assert set(delivery["indicator"]) == set(rivm.INDICATORS.values())
    assert delivery["waarde"].str.fullmatch(r"\d+").all()
    assert (delivery["opmerking"] == "RIVM cumulatief 2020-09-15").all()
    assert len(delivery) == len(expected) * 3 * 26
    assert delivery["row"].is_monotonic_increasing


@needs_real
@REAL
def test_delivered_rows_name_the_line_of_the_original_file_that_closes_the_week(path):
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    delivery = rivm.read_rivm(path)
    for row in delivery[delivery["gemeente"] != "NL"].itertuples():
        line = lines[row.row - 1]  # "Rij 3450" is line 3450 of the file the steward has
        day = dt.date.fromisoformat(line[:10])
        assert row.gemeente in line and day.weekday() == 6, (row, line)
        assert f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}" == row.periode


@needs_real
def test_extract_and_original_give_the_same_weeks_for_the_ten():
    full, extract = rivm.read_rivm(FULL), rivm.read_rivm(EXTRACT)
    merged = extract.merge(full, on=["gemeente", "indicator", "periode"], suffixes=("_extract", "_full"))
    assert len(merged) == len(extract)
    assert (merged["waarde_extract"] == merged["waarde_full"]).all()


def per_day_file(rows: list[tuple], bom: bool = False) -> bytes:
    """A file in RIVM's per-day layout from (date, code, total, hospital, deceased) rows."""
    header = (
        "Date_of_report;Date_of_publication;Municipality_code;Municipality_name;Province;Security_region_code;"
        "Security_region_name;Municipal_health_service;ROAZ_region;Total_reported;Hospital_admission;Deceased"
    )
    lines = [header]
    for day, code, total, hospital, deceased in rows:
        lines.append(f"2020-09-16 10:00:00;{day};{code};;Zuid-Holland;VR18;;GGD;;{total};{hospital};{deceased}")
    return (b"\xef\xbb\xbf" if bom else b"") + "\r\n".join(lines).encode("utf-8")


def cumulative_file(rows: list[tuple]) -> bytes:
    """A file in RIVM's cumulative layout from (date, code, total, hospital, deceased) rows."""
    lines = ["Date_of_report;Municipality_code;Municipality_name;Province;Total_reported;Hospital_admission;Deceased"]
    lines += [f"{day} 10:00:00;{code};;Zuid-Holland;{t};{h};{d}" for day, code, t, h, d in rows]
    return "\n".join(lines).encode("utf-8")


def test_synthetic_per_day_file_sums_ggd_rows_and_counts_unknown_municipalities_for_nl():
    days = [dt.date(2020, 3, 30) + dt.timedelta(days=offset) for offset in range(14)]  # Mon W14 .. Sun W15
    rows = []
    for day in days:
        rows += [(day, "GM0505", 2, 1, 0), (day, "GM0505", 1, 0, 0), (day, "GM0642", 1, 0, 1), (day, "", 5, 0, 0)]
        rows.append((day, "GM0363", 10, 2, 1))  # Amsterdam: NL only
    weekly = rivm.weekly_counts(per_day_file(rows, bom=True)).set_index(["area_code", "periode"])
    assert weekly.loc[("GM0505", "2020-W14"), "Total_reported"] == 21
    assert weekly.loc[("GM0642", "2020-W15"), "Deceased"] == 7
    assert weekly.loc[("NL", "2020-W14"), "Total_reported"] == 7 * 19
    assert set(weekly.index.get_level_values("area_code")) == {"GM0505", "GM0642", "NL"}
    delivery = rivm.read_rivm(per_day_file(rows))
    assert (delivery["opmerking"] == "RIVM per dag 2020-04-12").all()


def test_a_negative_week_is_carried_into_the_next_and_a_final_rest_taken_back():
    assert rivm._carry([5, -3, 4]) == [5, 0, 1]
    assert rivm._carry([5, 2, -4]) == [3, 0, 0]
    assert sum(rivm._carry([3, -1, -1, 6, -2])) == 5


def test_partial_weeks_at_both_ends_are_left_out():
    days = [dt.date(2020, 3, 28) + dt.timedelta(days=offset) for offset in range(12)]  # Sat .. Wed
    weekly = rivm.weekly_counts(per_day_file([(day, "GM0505", 1, 0, 0) for day in days]))
    assert list(weekly["periode"]) == ["2020-W14"]
    assert weekly["Total_reported"].tolist() == [7]


@needs_real
def test_a_slice_of_the_real_file_reads_the_same_in_the_per_day_layout():
    file = running_totals(EXTRACT)
    part = file[(file["day"] >= dt.date(2020, 4, 5)) & (file["day"] <= dt.date(2020, 5, 3))]
    cumulative = [
        (row.day, row.Municipality_code, row.Total_reported, row.Hospital_admission, row.Deceased)
        for row in part.itertuples()
    ]
    daily = part.sort_values("day").groupby("Municipality_code")[list(rivm.COUNTS)].diff().dropna()
    per_day = [
        (part.loc[index, "day"], part.loc[index, "Municipality_code"], *(int(daily.loc[index, c]) for c in rivm.COUNTS))
        for index in daily.index
    ]
    keys = ["gemeente", "indicator", "periode"]

    def weeks(delivery: pd.DataFrame) -> pd.DataFrame:  # the two files differ in lines, not in weeks
        return delivery.drop(columns=["opmerking", "row"]).sort_values(keys, ignore_index=True)

    from_cumulative = weeks(rivm.read_rivm(cumulative_file(cumulative)))
    from_per_day = weeks(rivm.read_rivm(per_day_file(per_day)))
    assert set(from_cumulative["periode"]) == {"2020-W15", "2020-W16", "2020-W17", "2020-W18"}
    pd.testing.assert_frame_equal(from_cumulative, from_per_day)


def test_a_file_of_another_kind_is_refused():
    with pytest.raises(rivm.RivmError, match="ontbreken"):
        rivm.read_rivm(b"a;b;c\n1;2;3\n")


@pytest.fixture(scope="module")
def server():
    """A local HTTP server on 127.0.0.1 in a thread serving a per-day file of the ten and broken answers."""
    days = [dt.date(2020, 9, 7) + dt.timedelta(days=offset) for offset in range(7)]
    good = per_day_file([(day, code, 1, 0, 0) for day in days for code in [*TEN, ""]])
    routes = {
        "/COVID-19_aantallen_gemeente_per_dag.csv": (200, "text/csv", good),
        "/html": (200, "text/html", b"<!DOCTYPE html>\n<html><body>Service Unavailable</body></html>"),
        "/garbage": (200, "text/csv", b"Date_of_report;Municipality_code;x\n1;2;3\n"),
        "/two.csv": (200, "text/csv", per_day_file([(day, "GM0505", 1, 0, 0) for day in days])),
    }
    with serve(routes) as url:
        yield url


def test_download_rivm_writes_the_file_unchanged(server, tmp_path):
    target = fetch.download_rivm(url=f"{server}/COVID-19_aantallen_gemeente_per_dag.csv", target_dir=tmp_path)
    assert target == tmp_path / "rivm" / "COVID-19_aantallen_gemeente_per_dag.csv"
    with urllib.request.urlopen(f"{server}/COVID-19_aantallen_gemeente_per_dag.csv") as served:
        assert target.read_bytes() == served.read()
    assert set(rivm.read_rivm(target)["gemeente"]) == {*TEN, "NL"}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing.csv", "HTTP 404"),
        ("/html", "did not send CSV"),
        ("/garbage", "did not give usable RIVM COVID-19 counts"),
        ("/two.csv", "holds no counts for GM0482"),
    ],
)
def test_a_bad_rivm_download_raises_a_clear_error_and_writes_nothing(server, tmp_path, path, message):
    with pytest.raises(fetch.FetchError, match=message):
        fetch.download_rivm(url=server + path, target_dir=tmp_path)
    assert not any(tmp_path.rglob("*"))


def test_rivm_download_refuses_more_than_the_size_limit(server):
    with pytest.raises(fetch.FetchError, match="more than the limit of 100"):
        fetch.fetch_bytes(f"{server}/COVID-19_aantallen_gemeente_per_dag.csv", max_bytes=100, expect="csv")
