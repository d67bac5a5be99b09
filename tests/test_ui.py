"""Shared components: the links to the municipality profiles, as a list for the region and a search nationally."""

from urllib.parse import parse_qs

import pandas as pd
from conftest import run_app

from ratc.ui import components as ui
from ratc.warehouse import builder as warehouse

PROFILE = "pages/municipality.py"


def profile_links(app) -> dict[str, str]:
    """Label -> municipality code of the page links to the profile page (the sidebar's own links left out)."""
    found = {link.proto.label: parse_qs(link.proto.query_string) for link in app.get("page_link")}
    return {label: query["gemeente"][0] for label, query in found.items() if "gemeente" in query}


def test_the_ten_municipalities_each_get_a_link_to_their_profile(warehouse_file):
    app = run_app(warehouse_file, {"periode": "2021-06"}, PROFILE)
    links = profile_links(app)
    assert len(links) == 10 and links["Dordrecht"] == "GM0505"
    assert not [box for box in app.selectbox if box.key == "profiel_zoeken"]


def test_a_national_monitor_offers_a_search_that_leads_to_one_link(private_data, monkeypatch):
    areas = pd.read_csv(private_data / "areas.csv", dtype={"area_code": str})
    extra = pd.DataFrame({
        "area_code": [f"GM{9000 + number}" for number in range(ui.LINK_LIST_LIMIT)],
        "area_name": [f"Gemeente {number}" for number in range(ui.LINK_LIST_LIMIT)],
        "area_type": "gemeente", "slug": [f"gemeente-{number}" for number in range(ui.LINK_LIST_LIMIT)],
        "population_2020": 10_000,
    })  # fmt: skip
    pd.concat([areas, extra]).to_csv(private_data / "areas.csv", index=False)
    warehouse.build(private_data)
    app = run_app(None, {"periode": "2021-06"}, PROFILE)
    assert profile_links(app) == {}, "no wall of fifty links"
    search = app.selectbox(key="profiel_zoeken")
    assert len(search.options) == 10 + ui.LINK_LIST_LIMIT
    search.select("GM0505").run()
    assert profile_links(app) == {"Profiel van Dordrecht": "GM0505"}


def choice_script():
    """A page with a linked choice whose options come from session state (as a rebuilt warehouse changes them)."""
    import streamlit as st

    from ratc.ui import components as ui

    options = st.session_state.get("opties", {"alle": "Alle", "a": "A", "b": "B"})
    st.session_state["gekozen"] = ui.linked_choice("Keuze", options, "alle", key="keuze", param="keuze")


def test_a_linked_choice_that_is_no_longer_an_option_falls_back_to_the_default():
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(choice_script)
    app.query_params["keuze"] = "b"
    app.run()
    assert app.session_state["gekozen"] == "b"
    app.session_state["opties"] = {"alle": "Alle", "a": "A"}  # "b" is gone
    app.run()
    assert not app.exception and app.session_state["gekozen"] == "alle" and "keuze" not in app.query_params
