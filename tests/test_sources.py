"""Bronnen & imports: the data steward's aanleverstatus, and the sentences on what the monitor cannot show yet."""

import datetime as dt
import functools

import pandas as pd
import pytest

from ratc.core import fmt
from ratc.monitor import coverage, sources
from ratc.warehouse import db


@pytest.fixture
def query(con):
    """The uncached query function the pages use, without Streamlit."""
    return functools.partial(db.run_query, con)


@pytest.mark.parametrize(
    ("frequency", "today", "expected"),
    [
        ("week", dt.date(2020, 10, 15), "2020-W40"),  # week 40 ended 4 October, due a week later
        ("week", dt.date(2020, 10, 10), "2020-W39"),
        ("maand", dt.date(2020, 10, 15), "2020-08"),  # September is due by the end of October
        ("maand", dt.date(2020, 11, 1), "2020-09"),
        ("kwartaal", dt.date(2020, 10, 15), "2020-Q2"),
        ("kwartaal", dt.date(2020, 12, 1), "2020-Q3"),
        ("jaar", dt.date(2020, 7, 15), "2020"),  # the population of 1 January, by the middle of the year
        ("jaar", dt.date(2020, 3, 1), "2019"),
    ],
)
def test_a_period_is_due_some_time_after_it_ended(frequency, today, expected):
    assert sources.expected_period(frequency, today).key == expected


def test_on_demo_data_every_cell_says_demodata(query):
    matrix = sources.delivery_matrix(query, dt.date(2022, 3, 1))
    municipalities = query("area_list").query("area_type == 'gemeente'")["area_name"].tolist()
    assert list(matrix.columns[-len(municipalities) :]) == municipalities
    demo = matrix.set_index("Indicator").drop(index="Inwoners op 1 januari")  # the population is never demo
    assert (demo[municipalities] == "demodata").all().all() and (demo["Demodata"] == 10).all()
    assert matrix.set_index("Indicator").loc["Inwoners op 1 januari", "Dordrecht"] == "ontbreekt"


def test_a_real_delivery_is_named_with_its_period_and_import_and_late_when_older_than_due(query):
    cells = pd.DataFrame({"indicator_id": ["ww_uitkeringen"] * 2, "area_code": ["GM0505", "GM0642"],
                          "first_period_key": ["2020-01"] * 2, "last_period_key": ["2020-09", "2020-07"],
                          "last_period_end_date": pd.to_datetime(["2020-09-30", "2020-07-31"]),
                          "periods_delivered": [9, 7], "is_demo": [False, False], "import_id": [7, 8],
                          "file_path": ["a", "b"], "source": ["x", "y"], "imported_at": ["", ""]})  # fmt: skip

    def fake(name, **params):
        return cells if name == "deliveries_by_indicator_and_area" else query(name, **params)

    matrix = sources.delivery_matrix(fake, dt.date(2020, 11, 1)).set_index("Indicator")
    row = matrix.loc["Lopende WW-uitkeringen"]
    assert row["Dordrecht"] == "echt t/m sep 2020 (import 7)"
    assert row["Zwijndrecht"] == "te laat: t/m jul 2020 (import 8)"
    assert (row["Verwacht t/m"], row["Ontbreekt"], row["Te laat"]) == ("sep 2020", 8, 1)
    assert "Demodata" not in matrix.columns  # the word only where demo figures are


@pytest.mark.parametrize(
    ("kinds", "state"),
    [([], coverage.EMPTY), ([True, True], coverage.DEMO), ([False], coverage.REAL), ([True, False], coverage.MIXED)],
)
def test_the_monitor_is_demo_real_mixed_or_empty(kinds, state):
    catalog = pd.DataFrame({"last_period_date": [pd.Timestamp("2020-01-31")] * len(kinds) + [pd.NaT],
                            "is_demo": [*kinds, False]})  # fmt: skip
    assert coverage.demo_state(catalog) == state


def latest_rows(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """A `latest_value_by_area` result: indicator, area and period per row."""
    return pd.DataFrame(rows, columns=["indicator_id", "area_code", "period_key"]).assign(value=1.0)


def test_a_region_figure_names_the_municipalities_it_misses(query):
    areas, catalog = query("area_list"), query("indicator_catalog")
    ten = areas.query("area_type == 'gemeente'")["area_code"].tolist()
    latest = latest_rows(
        [("ww_uitkeringen", code, "2020-09" if code != "GM0512" else "2020-08") for code in ten]
        + [("ww_uitkeringen", "VR18", "2020-08")]
        + [("bijstand_uitkeringen", code, "2020-09") for code in ("GM0505", "GM0642")]
    )
    gaps = coverage.missing_municipalities(latest, areas, catalog).set_index("indicator_id")
    assert gaps.loc["ww_uitkeringen", "missing"] == ["Gorinchem"] and gaps.loc["ww_uitkeringen", "has_region"]
    assert len(gaps.loc["bijstand_uitkeringen", "missing"]) == 8 and not gaps.loc["bijstand_uitkeringen", "has_region"]
    older = coverage.region_gap_text(["Gorinchem"], 10, "sep 2020", True)
    assert older == "Regiocijfer van een eerdere periode: sep 2020 nog zonder Gorinchem."
    none = coverage.region_gap_text(["Alblasserdam", "Gorinchem"], 10, "sep 2020", False)
    assert none == "Geen regiocijfer: nog geen cijfers van Alblasserdam en Gorinchem (2 van de tien gemeenten)."


def test_an_indicator_without_figures_has_an_empty_state(query):
    assert coverage.indicator_empty_text(query, "ww_uitkeringen") is None  # the demo data has it

    def without(name, **params):
        frame = query(name, **params)
        return frame.assign(last_period_date=pd.NaT) if name == "indicator_catalog" else frame

    assert coverage.indicator_empty_text(without, "ww_uitkeringen") == (
        "Nog geen cijfers aangeleverd voor Lopende WW-uitkeringen."
    )


@pytest.mark.parametrize(
    ("names", "text"),
    [([], ""), (["A"], "A"), (["A", "B"], "A en B"), (["A", "B", "C"], "A, B en C"),
     ([str(n) for n in range(12)], "0, 1, 2, 3, 4, 5, 6, 7, 8 en 3 andere")],
)  # fmt: skip
def test_names_are_listed_as_dutch_writes_them(names, text):
    assert fmt.listing(names) == text
