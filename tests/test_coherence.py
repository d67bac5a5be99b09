"""Samenhang: the heatmap and the scatter on the fixture warehouse, and the page under AppTest."""

import datetime as dt
import functools
import re

import pandas as pd
import pytest
from conftest import run_app, shows_demodata
from streamlit import dataframe_util

from ratc.core import charts, context, metadata
from ratc.monitor import coherence, coherence_charts
from ratc.warehouse import db

DECEMBER = context.Context("GM0505", "ww_uitkeringen", "2021-12")
APRIL = context.Context("GM0505", "ww_uitkeringen", "2020-04")
CATALOG = metadata.read_indicators().set_index("indicator_id")
AREAS = metadata.read_areas().set_index("area_code")
MUNICIPALITIES = AREAS.index[AREAS["area_type"] == "gemeente"].tolist()


@pytest.fixture
def query(con):
    """The uncached query function the pages use, without Streamlit."""
    return functools.partial(db.run_query, con)


def latest(observations, indicator, as_of):
    """Per area, the indicator's latest observation that ended by `as_of`, straight from the observations table."""
    rows = observations[
        (observations["indicator_id"] == indicator) & (observations["period_end_date"] <= pd.Timestamp(as_of))
    ]
    return rows.sort_values("period_start_date").groupby("area_code").last()


def chart_frames(app, index):
    """Every dataset of the index-th Vega-Lite chart on the page, as DataFrames."""
    element = app.get("vega_lite_chart")[index]
    return [dataframe_util.convert_arrow_bytes_to_pandas_df(data.data.data) for data in element.proto.datasets]


def chart_data_with(app, index, column):
    """The dataset of a chart that holds this column."""
    return next(frame for frame in chart_frames(app, index) if column in frame.columns)


def test_heatmap_covers_ten_municipalities_and_every_indicator_with_a_baseline(query):
    frame = coherence.heatmap(query, DECEMBER).frame
    # computed rates (per 1.000 inwoners) change exactly as their count does, so they are left out
    with_baseline = CATALOG.index[CATALOG["has_baseline"] & (CATALOG["numerator_id"] == "")].tolist()
    municipal = frame[frame["soort"] == "gemeente"]
    assert len(municipal) == 10 * len(with_baseline) == 180
    assert sorted(set(municipal["gebied_code"])) == sorted(MUNICIPALITIES)
    assert list(dict.fromkeys(frame["indicator_id"])) == with_baseline
    assert not frame.duplicated(["indicator_id", "gebied_code"]).any()
    assert set(frame.loc[frame["soort"] == "regio", "gebied_code"]) == {metadata.REGION_CODE}


@pytest.mark.parametrize(
    ("indicator", "area_code", "chosen"),
    [
        ("ww_uitkeringen", "GM0505", DECEMBER),
        ("ww_uitkeringen", "GM0505", APRIL),
        ("woninginbraken", "GM1963", DECEMBER),  # seasonal: against December 2019
        ("thuiszitters", "VR18", DECEMBER),  # quarterly
    ],
)
def test_heatmap_change_equals_the_warehouse(query, observations, indicator, area_code, chosen):
    frame = coherence.heatmap(query, chosen).frame.set_index(["indicator_id", "gebied_code"])
    row = frame.loc[(indicator, area_code)]
    expected = latest(observations, indicator, chosen.as_of_date).loc[area_code]
    assert row["periode_code"] == expected["period_key"]
    assert row["verandering_pct"] == pytest.approx((expected["value"] / expected["baseline_value"] - 1) * 100)


@pytest.mark.parametrize(
    ("indicator", "sign"),
    [("ww_uitkeringen", 1), ("veilig_thuis_meldingen", 1), ("uitstroom_bijstand_werk", -1), ("wmo_aanvragen", 0)],
)
def test_badness_follows_polarity(query, indicator, sign):
    frame = coherence.heatmap(query, DECEMBER).frame
    rows = frame[(frame["indicator_id"] == indicator) & frame["verandering_pct"].notna()]
    assert len(rows) >= 10
    assert rows["slechter_score"].tolist() == pytest.approx((rows["verandering_pct"] * sign).tolist())


def test_more_outflow_to_work_is_coloured_as_better(query):
    frame = coherence.heatmap(query, DECEMBER).frame.set_index(["indicator_id", "gebied_code"])
    rise = frame.loc[("uitstroom_bijstand_werk", "GM0505")]
    assert rise["verandering_pct"] > 0 and rise["slechter_score"] < 0  # blue side of the scale


def test_colour_scale_is_diverging_symmetric_and_clipped(query):
    heatmap = coherence.heatmap(query, DECEMBER)
    limit = coherence_charts.colour_limit(heatmap.frame)
    scores = heatmap.frame.loc[heatmap.frame["soort"] == "gemeente", "slechter_score"].abs().dropna()
    assert limit % 5 == 0 and limit < scores.max()  # clipped: the largest changes saturate
    assert (scores <= limit).mean() >= 0.9
    spec = heatmap.chart.to_dict()
    colour = spec["spec"]["layer"][0]["encoding"]["color"]
    assert colour["scale"] == {"domain": [-limit, limit], "range": charts.DIVERGING, "clamp": True}
    assert colour["scale"]["range"][0] == charts.BETTER and colour["scale"]["range"][-1] == charts.WORSE


def test_heatmap_is_grouped_by_domain_in_catalog_order(query):
    heatmap = coherence.heatmap(query, DECEMBER)
    spec = heatmap.chart.to_dict()
    assert spec["facet"]["row"]["sort"] == [
        "Gezondheid", "Werk & economie", "Inkomen & schulden", "Sociaal & veiligheid", "Onderwijs & jeugd"
    ]  # fmt: skip
    assert spec["resolve"]["scale"]["y"] == "independent"
    assert spec["spec"]["layer"][1]["encoding"]["text"]["field"] == "verandering_tekst"


def test_heatmap_labels_and_table_are_dutch(query):
    heatmap = coherence.heatmap(query, DECEMBER)
    assert heatmap.frame["verandering_tekst"].str.fullmatch(r"[+\-±]\d{1,3}(\.\d{3})*%|–").all()
    assert heatmap.table.columns[:2].tolist() == ["Domein", "Indicator"]
    assert heatmap.table.columns[2:].tolist() == [*AREAS.loc[MUNICIPALITIES, "area_name"], "Zuid-Holland-Zuid"]
    assert len(heatmap.table) == 18
    assert heatmap.meta.file_stem == "samenhang_dec-2021"
    assert heatmap.description.startswith("Het sterkst ongunstig veranderd: ")


@pytest.mark.parametrize(
    ("indicator_x", "indicator_y", "measure", "kinds"),
    [
        ("ww_uitkeringen", "bijstand_uitkeringen", "verandering", ("verandering", "verandering")),
        ("ww_uitkeringen", "bijstand_per_1000", "niveau", ("per_10k", "niveau")),
        ("covid_meldingen", "uitstroom_bijstand_werk", "verandering", ("per_10k", "verandering")),  # no baseline
    ],
)
def test_scatter_has_ten_points_equal_to_the_warehouse(query, observations, indicator_x, indicator_y, measure, kinds):
    figure = coherence.scatter(query, DECEMBER, indicator_x, indicator_y, measure)
    points = figure.frame[figure.frame["soort"] == "gemeente"].set_index("gebied_code")
    assert sorted(points.index) == sorted(MUNICIPALITIES)
    for axis, indicator, kind in (("x", indicator_x, kinds[0]), ("y", indicator_y, kinds[1])):
        rows = latest(observations, indicator, DECEMBER.as_of_date).loc[points.index]
        expected = {
            "verandering": (rows["value"] / rows["baseline_value"] - 1) * 100,
            "per_10k": rows["value"] / AREAS.loc[points.index, "population_2020"] * 10_000,
            "niveau": rows["value"],
        }[kind]
        assert points[axis].tolist() == pytest.approx(expected.tolist())
    region = figure.frame.set_index("gebied_code").loc[metadata.REGION_CODE]
    assert pd.notna(region["x"]) and pd.notna(region["y"])


def test_scatter_meta_and_description(query):
    figure = coherence.scatter(query, DECEMBER, "ww_uitkeringen", "bijstand_uitkeringen", "verandering")
    assert figure.meta.file_stem == "ww-uitkeringen-vs-bijstandsuitkeringen_dec-2021"
    assert figure.meta.title == "WW-uitkeringen en bijstandsuitkeringen per gemeente"
    assert figure.meta.source == "CBS / UWV; CBS (Bijstandsuitkeringenstatistiek)"
    assert re.search(r"r = -?\d,\d\d\)", figure.description)
    layers = figure.chart.to_dict()["layer"]
    assert sum(layer["mark"]["type"] == "rule" for layer in layers) == 4  # zero lines and the region
    assert figure.table.columns[0] == "Gebied" and figure.table["Periode x"].eq("dec 2021").all()


def test_scatter_names_do_not_pile_up():
    points = pd.DataFrame(
        {"x": [1.0, 1.0, 5.0], "y": [1.0, 1.0, 3.0], "gebied": ["Dordrecht", "Sliedrecht", "Gorinchem"]}
    )
    positions = coherence_charts.label_positions(points, [0.0, 10.0], [0.0, 4.0])
    assert positions[0] != positions[1] and set(positions) <= set(coherence_charts.LABEL_OFFSETS)


@pytest.mark.parametrize(
    ("values", "expected"), [([-28.4, 0.0, -13.2], [-30, 0]), ([0.6, 6.1], [0, 7]), ([5, 5], [4, 6])]
)
def test_nice_domain_ends_on_round_numbers(values, expected):
    assert coherence_charts.nice_domain(values) == expected


@pytest.mark.parametrize("indicator", ["ww_uitkeringen", "bijstand_per_1000"])
def test_page_runs_from_a_deep_link_with_data_equal_to_the_warehouse(warehouse_file, observations, indicator):
    params = {"gemeente": "GM0505", "indicator": indicator, "periode": "2020-04"}
    app = run_app(warehouse_file, params, "pages/coherence.py")
    assert app.title[0].value == "Samenhang"
    assert shows_demodata(app)
    assert len(app.get("vega_lite_chart")) == 2 and len(app.get("download_button")) == 10
    assert app.selectbox(key="ctx_indicator").value == indicator
    as_of = dt.date(2020, 4, 30)

    cells = chart_data_with(app, 0, "slechter_score").set_index(["indicator_id", "gebied_code"])
    expected = latest(observations, "ww_uitkeringen", as_of).loc["GM0505"]
    change = cells.loc[("ww_uitkeringen", "GM0505"), "verandering_pct"]
    assert change == pytest.approx((expected["value"] / expected["baseline_value"] - 1) * 100)

    points = chart_data_with(app, 1, "label_positie").set_index("gebied_code")
    assert len(points) == 10 and (points["x_indicator"] == CATALOG.loc[indicator, "short_name"]).all()
    rows = latest(observations, indicator, as_of).loc[points.index]
    assert points["x"].tolist() == pytest.approx(((rows["value"] / rows["baseline_value"] - 1) * 100).tolist())

    app.segmented_control(key="samenhang_maat").set_value("niveau").run()
    points = chart_data_with(app, 1, "label_positie").set_index("gebied_code")
    level = rows["value"]
    if CATALOG.loc[indicator, "per_10k"]:
        level = rows["value"] / AREAS.loc[points.index, "population_2020"] * 10_000
    assert points["x"].tolist() == pytest.approx(level.tolist())

    app.selectbox(key="samenhang_y").select("faillissementen").run()
    assert not app.exception
    points = chart_data_with(app, 1, "label_positie")
    assert (points["y_indicator"] == "Faillissementen").all()
    in_url = {key: value for key, value in params.items() if value != "ww_uitkeringen"}  # the default stays out
    assert dict(app.query_params) == in_url


def test_a_baseline_of_zero_leaves_a_gap_not_infinity(query):
    figure = coherence.scatter(query, DECEMBER, "ggz_crisis", "ww_uitkeringen", "verandering")
    points = figure.frame.set_index("gebied_code")
    assert pd.isna(points.loc["GM0523", "x"]) and points["x"].dropna().map(lambda value: abs(value) < 1e6).all()
    heatmap = coherence.heatmap(query, DECEMBER).frame.set_index(["indicator_id", "gebied_code"])
    assert heatmap.loc[("ggz_crisis", "GM0523"), "verandering_tekst"] == "–"
    assert "r = " in figure.description


def test_scatter_names_each_source_once(query):
    figure = coherence.scatter(query, DECEMBER, "bijstand_per_1000", "ww_per_1000", "niveau")
    assert figure.meta.source == "CBS (Bijstandsuitkeringenstatistiek); CBS (bevolking); CBS / UWV"
