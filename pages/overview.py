"""Regio-overzicht: the region's key figures per domain, the signals, and one indicator per municipality."""

import streamlit as st

from ratc.core import periods
from ratc.monitor import coverage, overview
from ratc.ui import cache
from ratc.ui import components as ui
from ratc.ui import tiles as tiles_ui

chosen = ui.context_in_use()
month = periods.parse_period(chosen.periode, "maand")

ui.page_header(
    "Regio-overzicht Zuid-Holland-Zuid",
    f"Stand per eind {month.long_label} · de {ui.municipality_count_word()} gemeenten samen, "
    "vergeleken met vóór de crisis. Definities en bronnen staan onder de tegels van elk domein.",
)
if chosen.gemeente:
    st.page_link(
        "pages/municipality.py",
        label="Naar het profiel van de gekozen gemeente",
        icon=":material/location_city:",
        query_params=st.session_state["_context_url"],
    )

cache.shown(tiles_ui.show_page_tiles, overview.region_tiles, chosen, ui.domain_choice(key="overzicht_domein"))

st.header("Signalen", divider="orange")
st.caption(overview.signals_caption())
tiles_ui.show_signals(
    cache.computed(overview.area_signals, chosen), "pages/municipality.py", empty_text=overview.no_signals_text()
)

st.header("Per gemeente", divider="gray")
ui.indicator_picker(chosen)
empty = cache.computed(coverage.indicator_empty_text, chosen.indicator)
if empty:
    ui.empty_state(empty)
else:
    ui.show_municipality_table(cache.computed(overview.municipality_table, chosen))
    gap = cache.computed(coverage.region_gap_texts, chosen).get(chosen.indicator)
    if gap:
        st.caption(f":material/info: {gap}")
