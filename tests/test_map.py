"""The Kaart page: the map frame against the warehouse, classes and polarity, the pydeck map without a basemap,
the static chart, and the page itself under AppTest."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest
from conftest import ROOT, SHARED_REAL, chart_data, run_app, shows_demodata

from ratc.core import charts, geo, metadata
from ratc.core.context import Context
from ratc.core.deck import MAP_WIDTH_PX, label_font_px, place_labels, serialised, view_state
from ratc.monitor import map_frame, map_legend, map_view
from ratc.warehouse import db

DORDRECHT_POPULATION = 119_284
BASEMAP = re.compile(r"carto|mapbox|maptiler|openstreetmap|https?://", re.IGNORECASE)
MEASURES_OF = {
    "ww_uitkeringen": ["waarde", "per_10k", "verandering"],  # a count with a baseline
    "bijstand_per_1000": ["waarde", "verandering"],  # a computed rate: no per 10,000
    "covid_meldingen": ["waarde", "per_10k"],  # no baseline before the crisis
}


@pytest.fixture(scope="module")
def query(con):
    """Run a named query on the fixture warehouse (what cache.query does in the app)."""
    return lambda name, **params: db.run_query(con, name, **params)


@pytest.fixture(scope="module")
def tiles():
    return geo.MapGeometry(geo.hexagon_tiles(ROOT / "data"), "tegels", geo.TILES_DESCRIPTION)


@pytest.fixture(scope="module")
def boundaries():
    path = SHARED_REAL / "geo" / "zhz_gemeenten_2020.geojson"
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return geo.MapGeometry(geo.load_boundaries(path, ROOT / "data"), "grenzen", "Gemeentegrenzen CBS/PDOK 2020")


def context(indicator: str, periode: str = "2021-12", gemeente: str | None = None) -> Context:
    return Context(gemeente=gemeente, indicator=indicator, periode=periode)


@pytest.mark.parametrize("indicator", MEASURES_OF)
def test_measures_offered_per_indicator(query, indicator):
    row = map_frame.indicator_row(query, indicator)
    assert map_frame.measures_for(row) == MEASURES_OF[indicator]
    assert map_frame.default_measure(row) == ("per_10k" if "per_10k" in MEASURES_OF[indicator] else "waarde")


def test_a_measure_the_indicator_lacks_is_refused(query, tiles):
    with pytest.raises(ValueError, match="per_10k"):
        map_frame.map_frame(query, context("bijstand_per_1000"), "per_10k", tiles)


def test_dordrecht_per_10k_and_rank_equal_the_warehouse(query, tiles, observations):
    frame = map_frame.map_frame(query, context("ww_uitkeringen", gemeente="GM0505"), "per_10k", tiles)
    december = observations.query("indicator_id == 'ww_uitkeringen' and period_key == '2021-12'")
    population = metadata.read_areas().set_index("area_code")["population_2020"]
    december = december[december["area_code"].isin(frame["gemeentecode"])].set_index("area_code")
    expected = december["value"] / population[december.index] * 10_000
    dordrecht = frame.set_index("gemeentecode").loc["GM0505"]
    assert dordrecht["waarde"] == december.loc["GM0505", "value"]
    assert dordrecht["kaartwaarde"] == pytest.approx(december.loc["GM0505", "value"] / DORDRECHT_POPULATION * 10_000)
    assert dordrecht["rang"] == int(expected.rank(ascending=False, method="min")["GM0505"])
    assert dordrecht["is_gekozen"] and frame["is_gekozen"].sum() == 1
    assert dordrecht["periode"] == "dec 2021"
    assert dordrecht["tekst"] == f"{dordrecht['kaartwaarde']:.1f}".replace(".", ",") + " per 10.000 inwoners"


@pytest.mark.parametrize(
    ("indicator", "measure", "periode"),
    [(indicator, measure, periode) for indicator, measures in MEASURES_OF.items() for measure in measures
     for periode in ("2020-04", "2021-12")],
)  # fmt: skip
def test_map_frame_ranks_and_classes_agree_with_the_values(query, tiles, indicator, measure, periode):
    frame = map_frame.map_frame(query, context(indicator, periode), measure, tiles)
    assert list(frame["gemeentecode"]) == list(geo.municipalities(ROOT / "data"))
    shown = frame.dropna(subset=["kaartwaarde"]).sort_values("kaartwaarde", ascending=False)
    assert list(shown["rang"]) == list(shown["kaartwaarde"].rank(ascending=False, method="min").astype(int))
    assert shown["klasse"].is_monotonic_decreasing, "a higher value never falls in a lower class"
    row = map_frame.indicator_row(query, indicator)
    legend = map_legend.legend_entries(frame, measure, row)
    assert sum(entry.count for entry in legend) == 10
    colours = {entry.label: entry.colour for entry in legend}
    assert all(colours[label] == colour for label, colour in zip(frame["klasse_label"], frame["kleur"], strict=True))
    if not shown.empty:
        classes = map_legend.classify(frame["kaartwaarde"], measure, row)[1]
        assert [entry.label for entry in legend][:5] == [entry.label for entry in classes]


@pytest.mark.parametrize(
    ("values", "edges"),
    [
        ([53.6, 63.0, 106.9], [48, 60, 72, 84, 96, 108]),
        ([98, 168, 1275], [0, 300, 600, 900, 1200, 1500]),
        ([7.9, 32.6], [6, 12, 18, 24, 30, 36]),
        ([5, 5, 5], [5, 6, 7, 8, 9, 10]),
        ([0.0, 0.4], [0, 0.08, 0.16, 0.24, 0.32, 0.4]),
    ],
)
def test_sequential_classes_have_round_edges_around_the_values(values, edges):
    assert map_legend.sequential_edges(pd.Series(values, dtype="float64")) == pytest.approx(edges)


@pytest.mark.parametrize(
    ("polarity", "rise", "fall"),
    [
        ("hoger_slechter", charts.WORSE, charts.BETTER),
        ("hoger_beter", charts.BETTER, charts.WORSE),
        ("neutraal", map_legend.NEUTRAL_DIVERGING[-1], map_legend.NEUTRAL_DIVERGING[0]),
    ],
)
def test_change_is_coloured_by_polarity(polarity, rise, fall):
    values = pd.Series([-0.5, -0.1, 0.0, 0.1, 0.5])
    indices, legend = map_legend.classify(values, "verandering", {"polarity": polarity})
    colours = [legend[index].colour for index in indices]
    assert (colours[-1], colours[0]) == (rise, fall)
    assert indices == [0, 2, 2, 3, 4], "classes are half-open: [-10%, +10%) is the middle"
    assert [entry.label for entry in legend] == [
        "lager dan -30%", "-30% tot -10%", "-10% tot +10%", "+10% tot +30%", "+30% of hoger"
    ]  # fmt: skip


def test_the_first_months_of_the_crisis_show_more_ww_in_vermillion(query, tiles):
    frame = map_frame.map_frame(query, context("ww_uitkeringen", "2020-04"), "verandering", tiles)
    assert (frame["verandering"] > 0).all()
    assert set(frame["kleur"]) <= set(charts.DIVERGING[2:]), "a rise in WW is worse: the warm side"
    assert "ongunstig" in map_view.legend_title(map_frame.indicator_row(query, "ww_uitkeringen"), "verandering")


def test_no_data_is_grey_and_said(query, tiles):
    frame = map_frame.map_frame(query, context("tozo_aanvragen", "2020-02"), "waarde", tiles)
    assert frame["klasse"].isna().all() and set(frame["kleur"]) == {map_legend.MISSING_COLOUR}
    legend = map_legend.legend_entries(frame, "waarde", map_frame.indicator_row(query, "tozo_aanvragen"))
    assert [(entry.label, entry.count) for entry in legend] == [("geen gegevens", 10)]
    description = map_view.description(frame, map_frame.indicator_row(query, "tozo_aanvragen"), "waarde", tiles)
    assert "geen gegevens" in description


@pytest.mark.parametrize(
    ("value", "measure", "text", "short"),
    [
        (1275.0, "waarde", "1.275 uitkeringen", "1.275"),
        (106.8877, "per_10k", "106,9 per 10.000 inwoners", "106,9"),
        (0.1234, "verandering", "+12% t.o.v. basis", "+12%"),
        (float("nan"), "waarde", "geen gegevens", "–"),
    ],
)
def test_figures_are_dutch(value, measure, text, short):
    indicator = {"unit": "uitkeringen", "decimals": 0}
    assert map_frame.value_text(value, measure, indicator) == text
    assert map_frame.short_text(value, measure, indicator) == short


@pytest.mark.parametrize(
    ("measure", "stem"),
    [("per_10k", "ww-uitkeringen_per-10000_dec-2021"), ("waarde", "ww-uitkeringen_waarde_dec-2021"),
     ("verandering", "ww-uitkeringen_verandering_dec-2021")],
)  # fmt: skip
def test_export_file_names_say_what_is_in_them(query, tiles, measure, stem):
    frame = map_frame.map_frame(query, context("ww_uitkeringen"), measure, tiles)
    meta = map_view.chart_meta(
        frame, map_frame.indicator_row(query, "ww_uitkeringen"), measure, tiles, True, "dec 2021"
    )
    assert meta.file_stem == stem
    assert meta.is_demo and "Tegelkaart" in meta.subtitle


@pytest.mark.parametrize(
    ("selection", "code"),
    [
        (None, None),
        ({"selection": {"indices": {}, "objects": {}}}, None),
        ({"selection": {"indices": {"gemeenten": [1]},
                        "objects": {"gemeenten": [{"type": "Feature", "properties": {"statcode": "GM0505"}}]}}},
         "GM0505"),
    ],
)  # fmt: skip
def test_the_picked_municipality_is_read_from_the_selection(selection, code):
    assert map_view.selected_code(selection) == code


@pytest.mark.parametrize("geometry_name", ["tiles", "boundaries"])
def test_deck_has_no_basemap_and_strings_stay_strings(query, geometry_name, request):
    geometry = request.getfixturevalue(geometry_name)
    indicator = map_frame.indicator_row(query, "ww_uitkeringen")
    frame = map_frame.map_frame(query, context("ww_uitkeringen", gemeente="GM0505"), "per_10k", geometry)
    spec = json.loads(map_view.deck(frame, geometry, "per_10k", indicator).to_json())
    # Streamlit deletes this sentinel and then draws no base map; a missing mapStyle would load Carto's
    assert spec["mapStyle"] == "__MAP_STYLE__" and "mapProvider" not in spec
    assert not BASEMAP.search(json.dumps(spec))
    shapes, labels = spec["layers"]
    # pydeck turns bare strings into JS expressions; these must arrive as plain values
    assert shapes["lineWidthUnits"] == "pixels" and labels["sizeUnits"] == "pixels"
    assert not labels["fontFamily"].startswith("@@=")
    assert not any(re.match(r"\d", name.strip()) for name in labels["fontFamily"].split(","))
    properties = [feature["properties"] for feature in shapes["data"]["features"]]
    assert {item["statcode"] for item in properties} == set(frame["gemeentecode"])
    assert properties[-1]["statcode"] == "GM0505", "the chosen municipality is drawn last, outline on top"
    dordrecht = properties[-1]
    assert dordrecht["rang_tekst"].startswith("rang ") and dordrecht["tekst"].endswith("per 10.000 inwoners")


@pytest.mark.parametrize("geometry_name", ["tiles", "boundaries"])
def test_the_deck_serialised_once_is_the_deck_pydeck_would_send(query, geometry_name, request):
    geometry = request.getfixturevalue(geometry_name)
    indicator = map_frame.indicator_row(query, "ww_uitkeringen")
    frame = map_frame.map_frame(query, context("ww_uitkeringen", gemeente="GM0505"), "verandering", geometry)
    deck = map_view.deck(frame, geometry, "verandering", indicator)
    fast = serialised(deck)
    assert json.loads(fast.to_json()) == json.loads(deck.to_json())
    assert fast._tooltip == map_view.TOOLTIP
    assert json.loads(deck.to_json())["layers"][0]["data"]["features"], "the deck keeps its data"


@pytest.mark.parametrize("geometry_name", ["tiles", "boundaries"])
def test_shapes_are_simplified_below_a_pixel_and_stay_clockwise(geometry_name, request):
    geometry = request.getfixturevalue(geometry_name)
    shown = geo.display_shapes(geometry.frame, MAP_WIDTH_PX)
    min_lon, min_lat, max_lon, max_lat = geometry.frame.total_bounds
    pixel = max(max_lon - min_lon, max_lat - min_lat) / MAP_WIDTH_PX
    for original, simple in zip(geometry.frame.geometry, shown.geometry, strict=True):
        assert original.hausdorff_distance(simple) < pixel / 2
        assert simple.is_valid and simple.area == pytest.approx(original.area, rel=0.02)
    outer = [part.exterior for shape in shown.geometry for part in getattr(shape, "geoms", [shape])]
    assert not any(ring.is_ccw for ring in outer), "outer rings clockwise, as Altair needs"


@pytest.mark.parametrize("geometry_name", ["tiles", "boundaries"])
def test_the_initial_view_shows_the_whole_region(request, geometry_name):
    geometry = request.getfixturevalue(geometry_name)
    view = view_state(geometry.frame.total_bounds)
    min_lon, min_lat, max_lon, max_lat = geometry.frame.total_bounds
    assert min_lon < view.longitude < max_lon and min_lat < view.latitude < max_lat
    width_px = (max_lon - min_lon) / 360 * 512 * 2**view.zoom
    assert 0.8 * MAP_WIDTH_PX < width_px <= MAP_WIDTH_PX or view.zoom > 8


@pytest.mark.parametrize("geometry_name", ["tiles", "boundaries"])
def test_labels_do_not_overlap(query, request, geometry_name):
    geometry = request.getfixturevalue(geometry_name)
    frame = map_frame.map_frame(query, context("ww_uitkeringen"), "per_10k", geometry)
    font = label_font_px(geometry)
    placed = place_labels(geometry, frame.set_index("gemeentecode")["label"], font)
    assert len(placed) == 10 and placed.notna().all().all()
    if geometry.is_tiles:
        assert not placed["label_verplaatst"].any(), "every tile has room for its own label"


def test_static_chart_draws_the_map_frame_with_a_classed_legend(query, tiles):
    indicator = map_frame.indicator_row(query, "bijstand_per_1000")
    frame = map_frame.map_frame(query, context("bijstand_per_1000"), "verandering", tiles)
    spec = map_view.static_chart(frame, tiles, "verandering", indicator).to_dict()
    fills = spec["layer"][0]
    assert fills["mark"]["type"] == "geoshape" and spec["projection"] == {"type": "mercator"}
    legend = map_legend.legend_entries(frame, "verandering", indicator)
    assert fills["encoding"]["color"]["scale"]["domain"] == [entry.label for entry in legend]
    lookup = fills["transform"][0]
    assert lookup["lookup"] == "gemeentecode" and lookup["from"]["key"] == "properties.statcode"
    text_layers = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert text_layers and text_layers[-1]["encoding"]["text"]["field"] == "label"


def test_description_names_highest_lowest_and_the_chosen_municipality(query, tiles):
    indicator = map_frame.indicator_row(query, "ww_uitkeringen")
    frame = map_frame.map_frame(query, context("ww_uitkeringen", gemeente="GM0610"), "per_10k", tiles)
    text = map_view.description(frame, indicator, "per_10k", tiles, "88,3 per 10.000 inwoners")
    ranked = frame.sort_values("kaartwaarde", ascending=False)
    assert f"De hoogste: {ranked.iloc[0]['gemeente']}" in text
    assert f"de laagste: {ranked.iloc[-1]['gemeente']}" in text
    sliedrecht = frame.set_index("gemeentecode").loc["GM0610"]
    assert f"Sliedrecht staat op rang {sliedrecht['rang']} van 10" in text
    assert "De regio als geheel: 88,3 per 10.000 inwoners." in text


# The page under AppTest.

PAGE = "pages/map.py"
DEEP_LINK = {"gemeente": "GM0505", "periode": "2020-04"}
APP_CASES = [
    ({"indicator": "ww_uitkeringen"}, "ww_uitkeringen", "2021-12", None),
    ({"indicator": "bijstand_per_1000"}, "bijstand_per_1000", "2021-12", None),
    ({**DEEP_LINK, "indicator": "ww_uitkeringen"}, "ww_uitkeringen", "2020-04", "GM0505"),
    ({**DEEP_LINK, "indicator": "bijstand_per_1000"}, "bijstand_per_1000", "2020-04", "GM0505"),
]


def _expected_url(params: dict) -> dict:
    """The URL after the frame dropped defaults (the default indicator is ww_uitkeringen)."""
    return {key: value for key, value in params.items() if (key, value) != ("indicator", "ww_uitkeringen")}


@pytest.mark.parametrize(("params", "indicator", "periode", "gemeente"), APP_CASES)
def test_page_runs_for_every_measure_and_its_chart_is_the_map_frame(
    warehouse_file, query, params, indicator, periode, gemeente
):
    app = run_app(warehouse_file, params, PAGE)
    geometry = geo.map_geometry()
    assert app.title[0].value == "Kaart"
    assert shows_demodata(app)
    assert any(geometry.description in caption.value for caption in app.caption), "says which geometry it shows"
    assert dict(app.query_params) == _expected_url(params)
    options = app.segmented_control(key="kaart_maat").options
    assert options == [map_frame.MEASURE_BUTTONS[measure] for measure in MEASURES_OF[indicator]]
    for measure in MEASURES_OF[indicator]:
        app.segmented_control(key="kaart_maat").set_value(measure).run()
        assert not app.exception, [exception.value for exception in app.exception]
        assert app.segmented_control(key="kaart_maat").value == measure
        decks = app.get("deck_gl_json_chart")
        assert len(decks) == 1
        assert not BASEMAP.search(decks[0].proto.json), "no basemap style or tile URL"
        assert json.loads(decks[0].proto.json)["mapStyle"] == "__MAP_STYLE__"
        expected = map_frame.map_frame(query, context(indicator, periode, gemeente), measure, geometry)
        shown = chart_data(app)
        columns = ["gemeentecode", "gemeente", "periode", "tekst", "klasse_label", "kleur", "is_gekozen"]
        pd.testing.assert_frame_equal(shown[columns].astype(str), expected[columns].astype(str))
        assert shown["kaartwaarde"].tolist() == pytest.approx(expected["kaartwaarde"].tolist(), nan_ok=True)
        assert shown["rang"].tolist() == expected["rang"].tolist()
        assert len(app.get("download_button")) == 5
        assert dict(app.query_params) == _expected_url(params), "the measure does not disturb the deep link"
        if gemeente:
            rank = expected.set_index("gemeentecode").loc[gemeente, "rang"]
            assert any(f"Dordrecht staat op rang {rank} van 10" in markdown.value for markdown in app.markdown)


def test_switching_to_an_indicator_without_per_10k_falls_back_to_its_value(warehouse_file):
    app = run_app(warehouse_file, {"indicator": "ww_uitkeringen"}, PAGE)
    assert app.segmented_control(key="kaart_maat").value == "per_10k"
    app.selectbox(key="ctx_indicator").select("bijstand_per_1000").run()
    assert not app.exception
    assert app.segmented_control(key="kaart_maat").value == "waarde"
    assert app.query_params["indicator"] == "bijstand_per_1000"


def test_page_period_comes_from_the_context(warehouse_file):
    app = run_app(warehouse_file, {"periode": "2020-04"}, PAGE)
    assert "april 2020" in app.caption[0].value
    assert chart_data(app)["periode"].eq("apr 2020").all()
    assert app.subheader[0].value.endswith("apr 2020")


def test_as_of_date_is_the_end_of_the_chosen_month():
    assert context("ww_uitkeringen", "2020-02").as_of_date == dt.date(2020, 2, 29)


@pytest.mark.parametrize(
    ("indicator", "periode", "first", "last"),
    [
        ("ww_uitkeringen", "2021-12", "De kleinste daling", "de sterkste daling"),
        ("ww_uitkeringen", "2020-04", "De sterkste stijging", "de kleinste stijging"),
    ],
)
def test_change_is_described_as_rise_or_fall(query, tiles, indicator, periode, first, last):
    frame = map_frame.map_frame(query, context(indicator, periode), "verandering", tiles)
    text = map_view.description(frame, map_frame.indicator_row(query, indicator), "verandering", tiles)
    assert f"{first}: " in text and f"; {last}: " in text
