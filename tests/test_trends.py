"""Trends: the trend frame, ranges, measures and markers on the fixture warehouse, and the page under AppTest."""

import datetime as dt
import functools

import pandas as pd
import pytest
from conftest import run_app, shows_demodata
from streamlit import dataframe_util

from ratc.core import charts, context, metadata
from ratc.monitor import trend_text, trends
from ratc.warehouse import db

POPULATION = metadata.read_areas().set_index("area_code")["population_2020"]


@pytest.fixture
def query(con):
    """The uncached query function the pages use, without Streamlit."""
    return functools.partial(db.run_query, con)


def make_trend(query, indicator="ww_uitkeringen", periode="2020-12", municipalities=("GM0505",), measure="absoluut",
               preset="alles"):  # fmt: skip
    """A trend for a context with this indicator and 'stand per' month."""
    chosen = context.Context(municipalities[0] if municipalities else None, indicator, periode)
    return trends.trend(query, chosen, list(municipalities), measure, preset, made_on=dt.date(2026, 11, 25))


def warehouse(observations, indicator, area_code):
    """One indicator's series for one area, straight from the observations table, by period key."""
    rows = observations[(observations["indicator_id"] == indicator) & (observations["area_code"] == area_code)]
    return rows.set_index("period_key").sort_values("period_start_date")


def series(frame, area_code):
    """The trend frame's rows for one area, by period key."""
    return frame[frame["gebied_code"] == area_code].set_index("periode_code")


def chart_frames(app, index=0):
    """Every dataset of the index-th Vega-Lite chart on the page, as DataFrames."""
    element = app.get("vega_lite_chart")[index]
    return [dataframe_util.convert_arrow_bytes_to_pandas_df(data.data.data) for data in element.proto.datasets]


def trend_data(app):
    """The trend chart's line data as the browser receives it."""
    return next(frame for frame in chart_frames(app) if "gebied_code" in frame.columns)


def marker_labels(chart):
    """The labels of the measure markers drawn in a chart."""
    layers = chart.to_dict()["layer"]
    rows = [row for layer in layers for row in layer.get("data", {}).get("values", [])]
    return sorted({row["label"] for row in rows if "description" in row})


@pytest.mark.parametrize(
    ("indicator", "area_code", "period_key"),
    [
        ("ww_uitkeringen", "GM0505", "2020-04"),
        ("ww_uitkeringen", "VR18", "2020-04"),
        ("bijstand_per_1000", "GM0505", "2020-04"),
        ("woninginbraken", "GM0505", "2020-04"),  # seasonal: the baseline is April 2019
        ("jeugdhulp_trajecten", "NL", "2020-Q2"),
    ],
)
def test_index_is_value_over_baseline_times_100(query, observations, indicator, area_code, period_key):
    frame = make_trend(query, indicator, measure="index", preset="2020").frame
    expected = warehouse(observations, indicator, area_code).loc[period_key]
    row = series(frame, area_code).loc[period_key]
    assert row["waarde"] == pytest.approx(expected["value"] / expected["baseline_value"] * 100)
    assert series(frame, "GM0505").loc[frame["periode_code"].iloc[0], "waarde"] > 0


@pytest.mark.parametrize(
    ("indicator", "area_code"),
    [
        ("ww_uitkeringen", "GM0505"),
        ("ww_uitkeringen", "VR18"),
        ("faillissementen", "NL"),
        ("covid_meldingen", "GM0505"),
    ],
)
def test_per_10k_is_value_per_population(query, observations, indicator, area_code):
    frame = make_trend(query, indicator, measure="per_10k", preset="2020").frame
    shown = series(frame, area_code)
    expected = warehouse(observations, indicator, area_code).loc[shown.index, "value"]
    assert shown["waarde"].tolist() == pytest.approx((expected / POPULATION[area_code] * 10_000).tolist())


@pytest.mark.parametrize("indicator", ["ww_uitkeringen", "bijstand_per_1000", "covid_meldingen"])
def test_region_series_equals_the_warehouse(query, observations, indicator):
    frame = make_trend(query, indicator, periode="2021-12").frame
    region = series(frame, "VR18")
    expected = warehouse(observations, indicator, "VR18")
    expected = expected[expected["period_end_date"] <= pd.Timestamp("2021-12-31")]
    assert region.index.tolist() == expected.index.tolist()
    assert region["waarde"].tolist() == expected["value"].tolist()


@pytest.mark.parametrize(
    ("indicator", "periode", "preset", "first", "last", "count"),
    [
        ("ww_uitkeringen", "2020-12", "3m", "2020-10", "2020-12", 3),
        ("ww_uitkeringen", "2020-12", "6m", "2020-07", "2020-12", 6),
        ("ww_uitkeringen", "2021-06", "2020", "2020-01", "2020-12", 12),
        ("ww_uitkeringen", "2020-04", "2020", "2020-01", "2020-04", 4),
        ("ww_uitkeringen", "2021-12", "alles", "2019-01", "2021-12", 36),
        ("ww_uitkeringen", "2021-02", "3m", "2020-12", "2021-02", 3),  # across the turn of the year
        ("jeugdhulp_trajecten", "2020-12", "3m", "2020-Q4", "2020-Q4", 1),
        ("jeugdhulp_trajecten", "2020-11", "6m", "2020-Q2", "2020-Q3", 2),  # quarters overlapping Jun–Nov
        ("covid_meldingen", "2020-12", "3m", "2020-W40", "2020-W52", 13),  # week 53 ends in January
    ],
)
def test_range_presets_cut_at_the_context_month(query, indicator, periode, preset, first, last, count):
    region = series(make_trend(query, indicator, periode, preset=preset).frame, "VR18")
    assert (region.index[0], region.index[-1], len(region)) == (first, last, count)


@pytest.mark.parametrize(
    ("periode", "preset", "expected"),
    [
        ("2020-12", "3m", ["Gedeeltelijke lockdown", "Lockdown"]),
        ("2020-06", "3m", ["Heropening"]),
        ("2020-03", "3m", ["Intelligente lockdown", "Scholen en horeca dicht"]),
        ("2020-12", "2020", ["Gedeeltelijke lockdown", "Heropening", "Intelligente lockdown", "Lockdown",
                             "Scholen en horeca dicht"]),
        ("2021-12", "6m", []),
        ("2020-02", "alles", []),
    ],
)  # fmt: skip
def test_only_measures_inside_the_range_are_drawn(query, periode, preset, expected):
    assert marker_labels(make_trend(query, periode=periode, preset=preset).chart) == expected


def test_measures_file_holds_the_five_national_measures():
    measures = trends.read_measures()
    assert [day.isoformat() for day in measures["date"]] == [
        "2020-03-15", "2020-03-23", "2020-06-01", "2020-10-14", "2020-12-15"
    ]  # fmt: skip
    assert set(measures["source"]) == {"Rijksoverheid"}
    assert measures["label"].str.len().max() <= 25 and measures["description"].str.len().min() > 40


def test_marker_labels_that_would_collide_go_on_separate_rows():
    placed = trends.measures_in_range(trends.read_measures(), dt.date(2019, 1, 1), dt.date(2021, 12, 31))
    rows = dict(zip(placed["label"], placed["rij"], strict=True))
    assert rows["Scholen en horeca dicht"] != rows["Intelligente lockdown"]  # eight days apart
    late = trends.measures_in_range(trends.read_measures(), dt.date(2020, 5, 1), dt.date(2020, 10, 31))
    assert late["label"].tolist() == ["Heropening", "Gedeeltelijke lockdown"]
    assert late["uitlijning"].tolist() == ["left", "right"]  # the label of 14 October would leave the chart


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        ("ww_uitkeringen", ["absoluut", "per_10k", "index"]),
        ("bijstand_per_1000", ["absoluut", "index"]),  # already a rate
        ("covid_meldingen", ["absoluut", "per_10k"]),  # no baseline
        ("tozo_aanvragen", ["absoluut", "per_10k"]),
    ],
)
def test_measures_on_offer_depend_on_the_indicator(query, indicator, expected):
    assert list(trends.measure_options(query, indicator)) == expected


def test_an_unavailable_measure_falls_back_to_the_figures_as_published(query):
    frame = make_trend(query, "covid_meldingen", measure="index").frame
    assert (frame["waarde"] == frame["oorspronkelijke_waarde"]).all()


@pytest.mark.parametrize(
    ("indicator", "measure", "areas"),
    [
        ("ww_uitkeringen", "absoluut", ["GM0505", "VR18"]),  # NL is forty times the region: left out
        ("ww_uitkeringen", "per_10k", ["GM0505", "VR18", "NL"]),
        ("ww_uitkeringen", "index", ["GM0505", "VR18", "NL"]),
        ("bijstand_per_1000", "absoluut", ["GM0505", "VR18", "NL"]),
    ],
)
def test_areas_are_the_municipalities_the_region_and_where_comparable_nederland(query, indicator, measure, areas):
    frame = make_trend(query, indicator, measure=measure).frame
    assert list(dict.fromkeys(frame["gebied_code"])) == areas


def test_at_most_five_municipalities_in_palette_order(query):
    codes = ["GM0505", "GM1963", "GM0642", "GM0482", "GM0512", "GM0610"]
    trend = make_trend(query, municipalities=codes, measure="per_10k")
    assert list(dict.fromkeys(trend.frame["gebied_code"])) == [*codes[:5], "VR18", "NL"]
    colour = trend.chart.to_dict()["layer"][0]["encoding"]["color"]["scale"]
    assert colour["range"][:5] == trends.MUNICIPALITY_COLOURS
    assert colour["range"][5:] == [charts.AREA_STYLES["regio"][0], charts.AREA_STYLES["land"][0]]


@pytest.mark.parametrize(
    ("municipalities", "measure", "indicator", "expected"),
    [
        (("GM0505",), "index", "ww_uitkeringen", ("100", "basis: feb 2020 = 100")),
        (("GM0505",), "absoluut", "ww_uitkeringen", ("GM0505", "basis Dordrecht: feb 2020")),
        ((), "absoluut", "ww_uitkeringen", ("VR18", "basis Zuid-Holland-Zuid: feb 2020")),
        (("GM0505", "GM1963"), "per_10k", "ww_uitkeringen", ("VR18", "basis Zuid-Holland-Zuid: feb 2020")),
        (("GM0505",), "absoluut", "jeugdhulp_trajecten", ("GM0505", "basis Dordrecht: K4 2019")),
        (("GM0505",), "absoluut", "woninginbraken", None),  # seasonal: a different baseline every month
        (("GM0505",), "absoluut", "covid_meldingen", None),
    ],
)
def test_the_baseline_is_drawn_as_a_reference_line(query, municipalities, measure, indicator, expected):
    trend = make_trend(query, indicator, municipalities=municipalities, measure=measure)
    focus = municipalities[0] if len(municipalities) == 1 else "VR18"
    line = trends.reference_line(trend.frame, _catalog_row(indicator), measure, focus)
    if expected is None:
        assert line is None
        return
    area, label = expected
    assert line["label"] == label
    if area == "100":
        assert line["niveau"] == 100
    else:
        row = series(trend.frame, area).iloc[0]
        assert line["niveau"] == pytest.approx(row["basiswaarde"] * row["waarde"] / row["oorspronkelijke_waarde"])
    assert any(layer["mark"]["type"] == "rule" and "niveau" in str(layer) for layer in trend.chart.to_dict()["layer"])


@pytest.mark.parametrize(
    ("kwargs", "title", "subtitle", "stem"),
    [
        ({"periode": "2020-12", "preset": "2020"}, "Lopende WW-uitkeringen, aantal",
         "Dordrecht en Zuid-Holland-Zuid · 2020", "ww-uitkeringen_dordrecht_2020"),
        ({"periode": "2020-12", "preset": "3m", "measure": "index"}, "Lopende WW-uitkeringen, index (feb 2020 = 100)",
         "Dordrecht, Zuid-Holland-Zuid en Nederland · okt – dec 2020", "ww-uitkeringen-index_dordrecht_okt-dec-2020"),
        ({"periode": "2021-12", "municipalities": ("GM1963", "GM0505"), "measure": "per_10k"},
         "Lopende WW-uitkeringen per 10.000 inwoners",
         "Hoeksche Waard, Dordrecht, Zuid-Holland-Zuid en Nederland · jan 2019 – dec 2021",
         "ww-uitkeringen-per-10000_hoeksche-waard-dordrecht_jan-2019-dec-2021"),
        ({"indicator": "bijstand_per_1000", "municipalities": (), "preset": "6m"},
         "Bijstandsuitkeringen per 1.000 inwoners", "Zuid-Holland-Zuid en Nederland · jul – dec 2020",
         "bijstand-1-000-inwoners_zuid-holland-zuid_jul-dec-2020"),
        ({"indicator": "covid_meldingen", "preset": "2020"}, "Positief geteste personen, aantal",
         "Dordrecht en Zuid-Holland-Zuid · 2020", "positieve-tests_dordrecht_2020"),
    ],
)  # fmt: skip
def test_chart_meta_says_what_is_shown(query, kwargs, title, subtitle, stem):
    meta = make_trend(query, **kwargs).meta
    assert (meta.title, meta.subtitle, meta.file_stem) == (title, subtitle, stem)
    assert meta.is_demo and meta.source_line.startswith("Bron: ") and "(Demodata)" in meta.source_line


def test_per_10k_names_the_population_as_a_source(query):
    assert make_trend(query, measure="per_10k").meta.source == "CBS / UWV; CBS (bevolking)"


def test_description_names_the_peak_in_dutch(query, observations):
    trend = make_trend(query, periode="2021-12", preset="alles")
    dordrecht = warehouse(observations, "ww_uitkeringen", "GM0505")
    peak = dordrecht.loc[dordrecht["value"].idxmax()]
    peak_label = trend.frame.set_index("periode_code").loc[peak.name, "periode"].iloc[0]
    assert trend.description.startswith("In Dordrecht was het aantal WW-uitkeringen het hoogst in ")
    assert f"{peak_label} ({peak['value']:,.0f})".replace(",", ".") in trend.description
    assert trend.description.count(".") >= 1 and "dec 2021" in trend.description


def test_table_view_is_the_same_data_in_dutch(query, observations):
    trend = make_trend(query, periode="2020-12", preset="2020", measure="index")
    assert trend.table.columns.tolist() == ["Periode", "Dordrecht", "Zuid-Holland-Zuid", "Nederland"]
    april = trend.table.set_index("Periode").loc["apr 2020", "Dordrecht"]
    row = warehouse(observations, "ww_uitkeringen", "GM0505").loc["2020-04"]
    assert april == f"{row['value'] / row['baseline_value'] * 100:.1f}".replace(".", ",")
    assert len(trend.table) == 12


def test_an_empty_range_says_so(query):
    trend = make_trend(query, periode="2019-06", preset="2020")
    assert trend.is_empty and trend.description == "Er zijn geen cijfers in deze periode."


@pytest.mark.parametrize(
    ("preset", "as_of", "expected"),
    [
        ("3m", dt.date(2020, 12, 31), (dt.date(2020, 10, 1), dt.date(2020, 12, 31))),
        ("6m", dt.date(2021, 2, 28), (dt.date(2020, 9, 1), dt.date(2021, 2, 28))),
        ("2020", dt.date(2021, 12, 31), (dt.date(2020, 1, 1), dt.date(2020, 12, 31))),
        ("2020", dt.date(2020, 5, 31), (dt.date(2020, 1, 1), dt.date(2020, 5, 31))),
        ("alles", dt.date(2021, 12, 31), (dt.date(2019, 1, 1), dt.date(2021, 12, 31))),
    ],
)
def test_date_range(preset, as_of, expected):
    assert trends.date_range(preset, as_of, dt.date(2019, 1, 1)) == expected


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (dt.date(2020, 1, 1), dt.date(2020, 12, 31), "2020"),
        (dt.date(2020, 10, 1), dt.date(2020, 12, 31), "okt – dec 2020"),
        (dt.date(2020, 4, 1), dt.date(2020, 4, 30), "apr 2020"),
        (dt.date(2019, 1, 1), dt.date(2021, 12, 31), "jan 2019 – dec 2021"),
    ],
)
def test_range_label_is_dutch(start, end, label):
    assert trend_text.range_label(start, end) == label


@pytest.mark.parametrize("indicator", ["ww_uitkeringen", "bijstand_per_1000"])
def test_page_runs_every_measure_and_range_from_a_deep_link(warehouse_file, observations, indicator):
    params = {"gemeente": "GM0505", "indicator": indicator, "periode": "2020-04"}
    app = run_app(warehouse_file, params, "pages/trend_lines.py")
    assert app.title[0].value == "Trends"
    assert shows_demodata(app)
    assert app.selectbox(key="ctx_indicator").value == indicator
    assert app.multiselect(key="trends_gemeenten_GM0505").value == ["GM0505"]
    in_url = {key: value for key, value in params.items() if value != "ww_uitkeringen"}  # the default stays out
    assert dict(app.query_params) == in_url
    dordrecht = warehouse(observations, indicator, "GM0505").loc["2020-04"]
    expected = {
        "absoluut": dordrecht["value"],
        "per_10k": dordrecht["value"] / POPULATION["GM0505"] * 10_000,
        "index": dordrecht["value"] / dordrecht["baseline_value"] * 100,
    }
    offered = app.segmented_control(key="trends_maat").options
    assert len(offered) == (3 if indicator == "ww_uitkeringen" else 2)
    for measure in trends.available_measures(_catalog_row(indicator)):
        for preset in trends.PRESETS:
            app.segmented_control(key="trends_maat").set_value(measure)
            app.segmented_control(key="trends_periode").set_value(preset).run()
            assert not app.exception, (measure, preset)
            data = trend_data(app)
            april = data[(data["gebied_code"] == "GM0505") & (data["periode_code"] == "2020-04")]
            assert april["waarde"].item() == pytest.approx(expected[measure]), (measure, preset)
            assert len(app.get("download_button")) == 5
            titles = [md.value.replace("\\", "") for md in app.markdown if md.value.startswith("**")]
            assert titles[0].startswith(f"**{_catalog_row(indicator)['name']}"), titles
    assert dict(app.query_params) == in_url


def test_choosing_municipalities_adds_their_lines(warehouse_file, observations):
    app = run_app(warehouse_file, {"gemeente": "GM0505"}, "pages/trend_lines.py")
    app.segmented_control(key="trends_maat").set_value("absoluut").run()
    app.multiselect(key="trends_gemeenten_GM0505").select("GM0610").run()
    data = trend_data(app)
    assert list(dict.fromkeys(data["gebied_code"])) == ["GM0505", "GM0610", "VR18"]
    sliedrecht = data[data["gebied_code"] == "GM0610"].set_index("periode_code")["waarde"]
    expected = warehouse(observations, "ww_uitkeringen", "GM0610")["value"]
    assert sliedrecht.tolist() == expected.loc[sliedrecht.index].tolist()


def test_without_a_municipality_the_page_shows_the_region(warehouse_file):
    app = run_app(warehouse_file, {"periode": "2020-12"}, "pages/trend_lines.py")
    app.segmented_control(key="trends_maat").set_value("absoluut").run()
    app.segmented_control(key="trends_periode").set_value("3m").run()
    data = trend_data(app)
    assert set(data["gebied_code"]) == {"VR18"} and data["periode_code"].tolist() == ["2020-10", "2020-11", "2020-12"]
    assert "In Zuid-Holland-Zuid was" in " ".join(caption.value for caption in app.caption)


def _catalog_row(indicator):
    """An indicator's definition from `data/indicators.csv`."""
    return metadata.read_indicators().set_index("indicator_id").loc[indicator]


def test_a_baseline_of_zero_gives_no_index_rather_than_infinity(query, observations):
    baseline = warehouse(observations, "ggz_crisis", "GM0523")["baseline_value"].iloc[0]
    assert baseline == 0  # small counts: no crisis-service reports in February 2020
    trend = make_trend(query, "ggz_crisis", "2021-12", ("GM0523",), measure="index")
    assert series(trend.frame, "GM0523")["waarde"].isna().all()
    assert series(trend.frame, "VR18")["waarde"].notna().all()
    assert trend.table.columns.tolist() == ["Periode", "Hardinxveld-Giessendam", "Zuid-Holland-Zuid", "Nederland"]
    assert set(trend.table["Hardinxveld-Giessendam"]) == {"–"}
    assert trend.description.startswith("Voor Hardinxveld-Giessendam is geen index te berekenen")


def test_per_10000_is_the_default_measure_where_it_exists(warehouse_file):
    app = run_app(warehouse_file, {"gemeente": "GM0610"}, "pages/trend_lines.py")
    assert app.segmented_control(key="trends_maat").value == "per_10k"
    assert set(trend_data(app)["gebied_code"]) == {"GM0610", "VR18", "NL"}


def test_a_context_province_is_drawn_beside_the_region_and_nederland_where_comparable(private_data):
    """Bankruptcies exist per province only (CBS 82522NED): Zuid-Holland shows beside the region and NL."""
    from ratc.__main__ import main
    from ratc.ingest.notation import MONTHS_NL

    months = [f"{year} {month}" for year in (2019, 2020, 2021) for month in MONTHS_NL]
    lines = [",ID,TypeGefailleerde,RegioS,Perioden,UitgesprokenFaillissementen_1"]
    lines += [f'{n},{n},"Bedrijven, instellingen en eenmanszaken",Zuid-Holland,{period},{50 + n % 7}.0'
              for n, period in enumerate(months)]  # fmt: skip
    lines += [f'{n + 100},{n + 100},"Bedrijven, instellingen en eenmanszaken",Nederland,{period},{300 + n % 11}.0'
              for n, period in enumerate(months)]  # fmt: skip
    source = private_data.parent / "faillissementen_provincies.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["import", str(source)]) == 0
    # real figures of an indicator replace all its demo figures (README "Demo data"): the ten deliver theirs too
    municipalities = metadata.read_areas().query("area_type == 'gemeente'")["area_code"]
    delivery = ["gemeente;indicator;periode;waarde;opmerking"]
    delivery += [f"{code};faillissementen;{year}-{month:02d};{2 + month % 3};" for code in municipalities
                 for year in (2019, 2020, 2021) for month in range(1, 13)]  # fmt: skip
    (private_data.parent / "faillissementen_gemeenten.csv").write_text("\n".join(delivery) + "\n", encoding="utf-8")
    assert main(["import", str(private_data.parent / "faillissementen_gemeenten.csv")]) == 0
    con = db.open_warehouse(private_data.parent / "warehouse.duckdb")
    try:
        query = functools.partial(db.run_query, con)
        per_10k = make_trend(query, "faillissementen", measure="per_10k")
        absolute = make_trend(query, "faillissementen", measure="absoluut")
    finally:
        con.close()
    assert list(dict.fromkeys(per_10k.frame["gebied_code"])) == ["GM0505", "VR18", "PV28", "NL"]
    assert "PV28" not in set(absolute.frame["gebied_code"])  # eight times the region: not in absolute counts
    province = series(per_10k.frame, "PV28")
    assert province.loc["2020-01", "oorspronkelijke_waarde"] == 50 + 12 % 7
    assert province.loc["2020-01", "waarde"] == pytest.approx((50 + 12 % 7) / 3_708_696 * 10_000)
    assert per_10k.meta.subtitle.startswith("Dordrecht, Zuid-Holland-Zuid, Zuid-Holland en Nederland")
    colour = per_10k.chart.to_dict()["layer"][0]["encoding"]["color"]["scale"]["range"]
    assert colour[1:] == [charts.AREA_STYLES[kind][0] for kind in ("regio", "provincie", "land")]
