"""The overview's questions on the fixture warehouse: tiles, signals and the municipality table."""

import functools

import pytest
from conftest import run_app

from ratc.core import context, fmt
from ratc.monitor import overview
from ratc.warehouse import db

DECEMBER = context.Context(None, "ww_uitkeringen", "2021-12")
APRIL = context.Context(None, "ww_uitkeringen", "2020-04")


@pytest.fixture
def query(con):
    """The uncached query function the pages use, without Streamlit."""
    return functools.partial(db.run_query, con)


def tile_of(tiles_by_domain, indicator_id):
    """The tile of one indicator."""
    return next(tile for tiles in tiles_by_domain.values() for tile in tiles if tile.indicator_id == indicator_id)


def test_region_tile_shows_the_sum_of_the_municipalities(query, observations):
    tile = tile_of(overview.area_tiles(query, "VR18", APRIL), "ww_uitkeringen")
    april = observations.query("indicator_id == 'ww_uitkeringen' and period_key == '2020-04'")
    municipal_sum = april[april["area_code"].str.startswith("GM")]["value"].sum()
    february = observations.query(
        "indicator_id == 'ww_uitkeringen' and period_key == '2020-02' and area_code == 'VR18'"
    )
    assert tile.value_text == fmt.number(municipal_sum)
    assert tile.delta_text == fmt.signed_percent(municipal_sum / february["value"].item() - 1)
    assert tile.delta_description == "t.o.v. feb 2020"
    assert tile.delta_color == "inverse"  # a rise in WW is bad: shown in the warning colour
    assert tile.period_label == "apr 2020"
    assert len(tile.sparkline) == 16  # Jan 2019 .. Apr 2020


def test_tiles_cover_every_domain_and_say_where_a_figure_comes_from(query):
    tiles = overview.area_tiles(query, "GM0505", DECEMBER, reference_code="VR18")
    assert list(tiles) == [
        "Gezondheid",
        "Werk & economie",
        "Inkomen & schulden",
        "Sociaal & veiligheid",
        "Onderwijs & jeugd",
    ]
    ww = tile_of(tiles, "ww_uitkeringen")
    assert "Bron: CBS / UWV — **Demodata**" in ww.help_text
    assert "demo/observations.csv" in ww.help_text and "Periode: dec 2021" in ww.help_text
    assert ww.comparison_text.startswith("De regio: ")


def test_without_a_baseline_the_change_is_against_the_previous_period(query):
    tile = tile_of(overview.area_tiles(query, "VR18", DECEMBER), "covid_meldingen")
    assert tile.delta_description == "t.o.v. vorige week"
    assert tile.period_label == "week 51 2021"  # week 52 ends in January 2022


def test_seasonal_indicator_compares_with_the_same_month_of_2019(query):
    tile = tile_of(overview.area_tiles(query, "VR18", DECEMBER), "woninginbraken")
    assert tile.delta_description == "t.o.v. zelfde maand 2019"


def test_good_direction_is_coloured_as_good(query):
    tile = tile_of(overview.area_tiles(query, "VR18", DECEMBER), "uitstroom_bijstand_werk")
    assert tile.delta_color in ("normal", "off")


def test_municipality_table_ranks_the_ten_and_ends_with_the_region(query):
    table = overview.municipality_table(query, context.Context(None, "bijstand_uitkeringen", "2021-12"))
    assert len(table) == 11 and table["Gebied"].iloc[-1] == "Zuid-Holland-Zuid"
    assert table["Rang (hoogste = 1)"].iloc[0] == "1" and table["Rang (hoogste = 1)"].iloc[-1] == ""
    assert table["Gebied"].iloc[0] == "Dordrecht"  # the most bijstand per 10,000 inhabitants in the demo data


@pytest.mark.parametrize("month", ["2020-04", "2020-06", "2020-12", "2021-06", "2021-12"])
def test_region_signals_are_sentences_about_municipalities_strongest_first(query, month):
    found = overview.area_signals(query, context.Context(None, "ww_uitkeringen", month))
    assert all(s.sentence.startswith("In ") and s.sentence.endswith(").") for s in found)
    assert all(s.area_code.startswith("GM") for s in found)
    assert len({s.indicator_id for s in found}) == len(found)
    assert [s.p_value for s in found] == sorted(s.p_value for s in found)


def test_the_demo_municipalities_differ_by_no_more_than_chance(query):
    """The demo's municipalities react to the crisis a little differently, within what chance explains: the calm
    state the pages announce with 'Geen duidelijke afwijkingen' (a signal on simulated data: test_signal_simulation)."""
    assert overview.area_signals(query, DECEMBER) == []


def shown_tiles(app) -> list[tuple[str, str, str]]:
    """Label, value and change of every KPI tile on the page, in order."""
    return [(metric.label, metric.value, metric.proto.delta) for metric in app.metric]


def test_tiles_drawn_again_from_the_cache_are_those_of_the_chosen_month(warehouse_file, query):
    app = run_app(warehouse_file, {"periode": "2021-12"})
    december = shown_tiles(app)
    expected = [tile for tiles in overview.area_tiles(query, "VR18", DECEMBER).values() for tile in tiles]
    assert december == [(tile.label, tile.value_text, tile.delta_text) for tile in expected]
    app.select_slider(key="ctx_periode").set_value("2020-06").run()
    june = shown_tiles(app)
    app.select_slider(key="ctx_periode").set_value("2021-12").run()
    assert shown_tiles(app) == december, "the replayed tiles are December's, not June's"
    assert june != december and len(june) == len(december)


def test_the_facilitator_narrows_the_tiles_to_one_domain_and_back(warehouse_file, query):
    app = run_app(warehouse_file, {"periode": "2021-12", "domein": "gezondheid"})
    catalog = query("indicator_catalog")
    health = catalog[catalog["domain_id"] == "gezondheid"]
    assert [header.value for header in app.subheader] == ["Gezondheid"]
    assert len(app.metric) == len(health) < len(catalog)
    app.segmented_control(key="overzicht_domein").set_value(overview.ALL_DOMAINS).run()
    assert len(app.metric) == len(catalog) and len(app.subheader) == 5 and "domein" not in app.query_params
    wrong = run_app(warehouse_file, {"domein": "<b>x</b>"})
    assert len(wrong.subheader) == 5
    assert any("bestaat niet" in caption.value and "<b>" not in caption.value for caption in wrong.caption)


def test_the_domain_follows_a_changed_link(warehouse_file):
    app = run_app(warehouse_file, {"periode": "2021-12", "domein": "gezondheid"})
    app.query_params["domein"] = "onderwijs_jeugd"  # the browser's back button, or an edited address
    app.run()
    assert [header.value for header in app.subheader] == ["Onderwijs & jeugd"]
    app.segmented_control(key="overzicht_domein").set_value("werk_economie").run()
    assert app.query_params["domein"] == "werk_economie"  # the page's own change is not undone by the old link
    assert [header.value for header in app.subheader] == ["Werk & economie"]
