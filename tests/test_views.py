"""Pinned views: each page's params draw the same figure the page shows; bad params fall back; scenario hook."""

from __future__ import annotations

import functools
import re
import sys
import types

import pandas as pd
import pytest

from ratc.core import charts, context
from ratc.hangout import views
from ratc.monitor import coherence, profile, trends
from ratc.ui import components as ui
from ratc.warehouse import db


@pytest.fixture
def query(con):
    """The uncached query function the pages use, without Streamlit."""
    return functools.partial(db.run_query, con)


def test_default_indicator_is_the_apps():
    assert views.DEFAULT_INDICATOR == ui.DEFAULT_INDICATOR


def test_trends_view_is_the_trends_page_figure(query):
    params = {"indicator": "bijstand_uitkeringen", "gemeente": "GM0505", "periode": "2020-12",
              "gemeenten": "GM0505,GM0590", "maat": "index", "bereik": "2020"}  # fmt: skip
    rendered = views.render(query, "trends", tuple(params.items()))
    chosen = context.Context("GM0505", "bijstand_uitkeringen", "2020-12")
    expected, _ = trends.trend_figure(query, chosen, ("GM0505", "GM0590"), "index", "2020")
    pd.testing.assert_frame_equal(rendered.figure.data, expected.data)
    assert rendered.figure.meta.title == expected.meta.title
    assert dict(rendered.settings) == {
        "Gemeente": "Dordrecht",
        "Indicator": "Lopende bijstandsuitkeringen",
        "Stand per": "eind december 2020",
        "Gemeenten in de grafiek": "Dordrecht, Papendrecht",
        "Maat": "Index (basis = 100)",
        "Periode": "2020",
    }
    assert rendered.notices == []
    assert rendered.title.startswith(expected.meta.title)


def test_profile_and_coherence_views(query):
    chosen = context.Context("GM0610", "ww_uitkeringen", "2021-03")
    rendered = views.render(query, "mijn-gemeente", {"gemeente": "GM0610", "periode": "2021-03"})
    expected = profile.figure(query, chosen, "GM0610", "Sliedrecht")
    pd.testing.assert_frame_equal(rendered.figure.data, expected.data)
    scatter = views.render(query, "samenhang", {"grafiek": "spreiding", "y": "faillissementen", "periode": "2021-03"})
    expected = coherence.scatter_figure(query, chosen, "ww_uitkeringen", "faillissementen", "verandering")
    pd.testing.assert_frame_equal(scatter.figure.data, expected.data)
    assert ("Grafiek", "Twee indicatoren naast elkaar") in scatter.settings
    with pytest.raises(views.ViewError, match="één gemeente"):
        views.render(query, "mijn-gemeente", {})


def test_a_pinned_profile_keeps_its_domain_and_an_unknown_domain_falls_back(query):
    chosen = context.Context("GM0610", "ww_uitkeringen", "2021-03")
    params = {"gemeente": "GM0610", "periode": "2021-03", "domein": "gezondheid"}
    rendered = views.render(query, "mijn-gemeente", params)
    expected = profile.figure(query, chosen, "GM0610", "Sliedrecht", "gezondheid")
    pd.testing.assert_frame_equal(rendered.figure.data, expected.data)
    assert ("Domein", "Gezondheid") in rendered.settings and rendered.notices == []
    unknown = views.render(query, "mijn-gemeente", {**params, "domein": "sport"})
    assert ("Domein", "Alle domeinen") in unknown.settings
    assert unknown.notices == ["Domein 'sport' bestaat niet; alle domeinen worden getoond."]


def test_map_view_draws_the_publication_map(query):
    rendered = views.render(query, "kaart", {"indicator": "bijstand_uitkeringen", "maat": "per_10k"})
    assert isinstance(rendered.figure, charts.Figure)
    assert ("Weergave", "Per 10.000 inwoners") in rendered.settings
    assert "(Demodata)" in rendered.figure.meta.source_line


def test_bad_params_fall_back_with_notices(query):
    rendered = views.render(query, "trends", {"indicator": "bestaat_niet", "gemeenten": "GM9999", "maat": "raar",
                                              "bereik": "ooit"})  # fmt: skip
    assert rendered.figure is not None
    notices = " ".join(rendered.notices)
    assert "Indicator 'bestaat_niet' bestaat niet" in notices
    assert "Niet elke gekozen gemeente bestaat" in notices and "Periode 'ooit' bestaat niet" in notices
    with pytest.raises(views.ViewError, match="geen grafiek"):
        views.render(query, "aanleveren", {})


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://monitor.example/trends?indicator=ww_uitkeringen&gemeente=GM0505",
         ("trends", {"indicator": "ww_uitkeringen", "gemeente": "GM0505"})),
        ("http://127.0.0.1:8501/app/kaart?maat=per_10k", ("kaart", {"maat": "per_10k"})),
        ("samenhang", ("samenhang", {})),
        (" mijn-gemeente/?gemeente=GM0505 ", ("mijn-gemeente", {"gemeente": "GM0505"})),
    ],
)  # fmt: skip
def test_links_from_the_monitor_become_views(link, expected):
    assert views.parse_link(link) == expected


@pytest.mark.parametrize("link", ["https://example.org/", "https://monitor.example/aanleveren", "javascript:alert(1)"])
def test_links_to_pages_without_charts_are_refused(link):
    with pytest.raises(views.ViewError, match="niet naar een pagina met een grafiek"):
        views.parse_link(link)


def test_relative_link_opens_the_view_in_the_monitor():
    assert views.relative_link("trends", {"maat": "index", "gemeente": "GM0505"}) == "trends?gemeente=GM0505&maat=index"


def test_scenario_views_are_used_when_the_scenario_module_offers_them(query, monkeypatch):
    monkeypatch.setitem(sys.modules, "ratc.scenario.model", None)  # as if the module were absent
    assert "scenarios" not in views.kinds()
    figure = charts.Figure({"mark": "point"}, pd.DataFrame({"a": [1]}),
                           charts.ChartMeta("Scenario 3", "CPB", "CPB", "scenario-3"), "Het gaat slecht.")  # fmt: skip
    module = types.ModuleType("ratc.scenario.model")
    module.view_figure = lambda params, query: figure
    module.headline_table = lambda params, query: pd.DataFrame({"Gemeente": ["Dordrecht"], "Verschil": [1900]})
    monkeypatch.setitem(sys.modules, "ratc.scenario.model", module)
    rendered = views.render(query, "scenarios", {"preset": "cpb3"})
    assert rendered.figure is figure and rendered.page_label == "Scenario's"
    assert rendered.headline["Verschil"].tolist() == [1900]
    assert rendered.settings == []  # a module that cannot say its settings in words shows none, never the ids
    assert views.parse_link("https://x/scenarios?preset=cpb3") == ("scenarios", {"preset": "cpb3"})
    monkeypatch.setitem(sys.modules, "ratc.scenario.model", types.ModuleType("ratc.scenario.model"))  # no views offered
    assert "scenarios" not in views.kinds()


def test_a_pinned_scenario_shows_its_own_area_rounded_in_dutch(query):
    from ratc.scenario import model as scenario

    table = scenario.headline_display({"scenario": "cpb3", "gemeente": "GM0505"}, query)
    assert list(table.columns) == ["Indicator", "Maat", "Scenario", "Zonder crisis", "Verschil", "Band"]
    assert len(table) == len(scenario.INDICATORS)  # one row per indicator of Dordrecht, not 44 technical rows
    full = scenario.headline_table({"scenario": "cpb3", "gemeente": "GM0505"}, query)
    ww = full[(full["gebied_code"] == "GM0505") & (full["indicator_id"] == "ww_uitkeringen")].iloc[0]
    row = table[table["Indicator"] == ww["indicator"]].iloc[0]
    assert row["Scenario"] == scenario.fmt.number(scenario.rounded(ww["scenario"]))
    assert row["Verschil"][0] in "+-±"


def test_a_pinned_scenario_names_its_settings_in_dutch_words_never_ids(query):
    params = {"scenario": "cpb3", "toon": "bijstand_uitkeringen", "gemeente": "GM0505", "bbp2020": "-7.0"}
    settings = dict(views.render(query, "scenarios", params).settings)
    assert settings["Scenario"] == "Eigen instellingen"  # one slider moved: no longer the CPB's scenario
    assert settings["Getoond"] == "Lopende bijstandsuitkeringen" and settings["Gebied"] == "Dordrecht"
    assert settings["Bbp 2020"] == "-7,0% groei" and settings["Herstel"].startswith("U")
    preset = dict(views.render(query, "scenarios", {"scenario": "cpb3"}).settings)
    assert preset["Scenario"] == "CPB-scenario 3 (6 maanden, zwaarder)" and preset["Gebied"] == "Zuid-Holland-Zuid"
    words = " ".join(f"{label} {value}" for label, value in [*settings.items(), *preset.items()])
    assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b|\bcpb\d\b|\bGM\d{4}\b", words), words
