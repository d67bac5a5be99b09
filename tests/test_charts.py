"""Publishing a figure: tables go to the screen as Arrow once, exports get the very rows Altair made."""

import base64
import datetime as dt
import json
import math
import re

import altair as alt
import pandas as pd
import pytest

from ratc.core import charts

META = charts.ChartMeta(title="Titel", subtitle="Ondertitel", source="Bron", file_stem="grafiek")


def frame(rows: int) -> pd.DataFrame:
    """A chart table with text, whole numbers, decimals, gaps and dates."""
    return pd.DataFrame({
        "gebied": [f"Gemeente {number % 355}" for number in range(rows)],
        "rang": pd.array([number % 11 or None for number in range(rows)], dtype="Int64"),
        "waarde": [math.nan if number % 7 == 0 else number / 3 for number in range(rows)],
        "datum": pd.date_range("2019-01-07", periods=rows, freq="7D"),
    })  # fmt: skip


@pytest.mark.parametrize("rows", [12, 40_000])
def test_the_export_spec_holds_exactly_the_rows_altair_made(rows):
    chart = alt.Chart(frame(rows)).mark_line().encode(x="datum:T", y="waarde:Q", color="gebied:N")
    figure = charts.make_figure(chart, frame(rows), META, "Beschrijving")
    with alt.data_transformers.disable_max_rows():
        expected = charts.publication(chart, META).to_dict(validate=False)["datasets"]
    assert set(figure.spec["datasets"]) == set(expected)
    for name, values in expected.items():
        assert figure.spec["datasets"][name] == values, "exports see Altair's own rows, gaps and all"
        assert isinstance(figure.screen_spec["datasets"][name], bytes), "the screen gets Arrow, made once"
    assert figure.spec["description"] == "Beschrijving"


def test_geometry_travels_as_one_data_url_that_exports_read_too():
    ring = [[4.6, 51.8], [4.7, 51.8], [4.7, 51.7], [4.6, 51.8]]
    features = [{"type": "Feature", "properties": {"statcode": "GM0505"},
                 "geometry": {"type": "Polygon", "coordinates": [ring]}}]  # fmt: skip
    shapes = alt.LookupData(data=alt.InlineData(values=features), key="properties.statcode")
    table = pd.DataFrame({"statcode": ["GM0505"], "waarde": [1.5]})
    chart = alt.Chart(table).mark_geoshape().transform_lookup(lookup="statcode", from_=shapes, as_="geo")
    figure = charts.make_figure(chart.encode(shape="geo:G"), table, META, "Kaart")
    assert [type(values) for values in figure.screen_spec["datasets"].values()] == [bytes], "only the table"
    (url,) = re.findall(r'"url": "(data:application/json;base64,[^"]+)"', json.dumps(figure.screen_spec, default=str))
    assert json.loads(base64.b64decode(url.split(",", 1)[1])) == features
    assert url in json.dumps(figure.spec), "the export spec reads the same data URL (vl-convert supports them)"


def test_a_column_of_mixed_kinds_is_left_as_rows():
    mixed = pd.DataFrame({"x": [1, 2], "label": ["a", 3.5]})
    figure = charts.make_figure(alt.Chart(mixed).mark_point().encode(x="x:Q"), mixed, META, "Punten")
    (values,) = figure.screen_spec["datasets"].values()
    assert values == [{"x": 1, "label": "a"}, {"x": 2, "label": 3.5}]


def test_data_and_table_come_back_from_arrow_as_they_went_in():
    data = frame(30)
    table = pd.DataFrame({"Gebied": data["gebied"], "Waarde": ["1,5"] * 30})
    chart = alt.Chart(data).mark_point().encode(x="datum:T", y="waarde:Q")
    with_table = charts.make_figure(chart, data, META, "Punten", table)
    assert isinstance(with_table.stored_data, bytes) and isinstance(with_table.stored_table, bytes)
    pd.testing.assert_frame_equal(with_table.data, data)  # dtypes too: whole numbers with gaps stay Int64
    pd.testing.assert_frame_equal(with_table.table, table)
    pd.testing.assert_frame_equal(with_table.screen_table.to_pandas(), table)
    without = charts.make_figure(chart, data, META, "Punten")
    assert without.table is None
    pd.testing.assert_frame_equal(without.screen_table.to_pandas(), data)


def test_a_frame_arrow_cannot_hold_is_kept_as_it_is():
    mixed = pd.DataFrame({"x": [1, 2], "label": ["a", 3.5]})
    figure = charts.make_figure(alt.Chart(mixed).mark_point().encode(x="x:Q"), mixed, META, "Punten")
    assert figure.stored_data is mixed and figure.screen_table is mixed


def _published(chart: alt.TopLevelMixin) -> dict:
    meta = charts.ChartMeta("Titel", "Ondertitel", "CBS; UWV", "grafiek")
    return charts.publication(chart, meta).to_dict(validate=False)


def test_on_screen_a_chart_takes_its_containers_width_and_exports_keep_the_print_width():
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x:Q", y="y:Q")
    published = _published(chart.properties(width=charts.WIDTH))
    shown = charts.on_screen(published)
    assert shown["width"] == "container" and charts.is_stretched(shown) and "vconcat" not in shown
    assert "title" not in shown and shown["config"] == published["config"]  # the page writes the title
    assert published["vconcat"][0]["width"] == charts.WIDTH  # the export is unchanged
    alt.Chart.from_dict(shown)  # still a valid Vega-Lite spec


def test_on_screen_small_multiples_wrap_two_a_row_and_a_matrix_keeps_its_steps():
    frame = pd.DataFrame({"x": [1, 2], "y": [3, 4], "panel": ["a", "b"]})
    facet = alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q").properties(width=120).facet("panel:N", columns=5)
    assert charts.on_screen(_published(facet))["vconcat"][0]["columns"] == charts.SCREEN_FACET_COLUMNS
    matrix = alt.Chart(frame).mark_rect().encode(x="panel:N", y="x:O").properties(width=alt.Step(40))
    assert not charts.is_stretched(charts.on_screen(_published(matrix)))


def test_the_source_line_names_the_sources_and_the_processing():
    sources = charts.source_names(["CBS; UWV", "UWV", "RIVM"])
    meta = charts.ChartMeta("T", "", sources, "t", made_on=dt.date(2026, 12, 2))
    assert meta.source_line == "Bron: CBS, UWV, RIVM; bewerking RAT-C Zuid-Holland-Zuid, 2 december 2026."
