"""Kaart: the ten municipalities coloured by one indicator (value, per 10,000 or change); a click opens a profile."""

import streamlit as st

from ratc.core import deck, periods
from ratc.monitor import coverage, map_frame, map_view
from ratc.ui import cache
from ratc.ui import components as ui
from ratc.ui import hangout as session_ui

PROFILE_PAGE = "pages/municipality.py"

chosen = ui.context_in_use()
month = periods.parse_period(chosen.periode, "maand")
geometry = cache.map_geometry()

ui.page_header(
    "Kaart",
    f"Stand per eind {month.long_label} · {geometry.description}. "
    "Beweeg over een gemeente voor de cijfers; klik erop voor haar profiel.",
)
if geometry.notice:
    st.warning(geometry.notice, icon=":material/warning:")

indicator = map_frame.indicator_row(cache.query, chosen.indicator)
measures = map_frame.measures_for(indicator)
if st.session_state.get("kaart_maat") not in measures:
    st.session_state["kaart_maat"] = map_frame.default_measure(indicator)
picker_column, measure_column = st.columns(2, vertical_alignment="bottom")
with picker_column:
    ui.indicator_picker(chosen)
measure = measure_column.segmented_control(
    "Weergave",
    measures,
    format_func=map_frame.MEASURE_BUTTONS.get,
    key="kaart_maat",
    required=True,
    help="Per 10.000 inwoners maakt grote en kleine gemeenten vergelijkbaar. Verandering: ten opzichte van de "
    "basis vóór de crisis (februari 2020; K4 2019 bij kwartaalcijfers; bij seizoenscijfers dezelfde periode in 2019).",
)

empty = cache.computed(coverage.indicator_empty_text, chosen.indicator)
if empty:
    ui.empty_state(empty)
    st.stop()
view = cache.computed(map_view.interactive_map, chosen, measure, geometry.description)
st.header(view.title, divider="gray")
if view.is_demo:
    ui.demo_label("Deze kaart toont demodata.")
selection = st.pydeck_chart(
    view.deck,
    on_select="rerun",
    selection_mode="single-object",
    key="kaart_deck",
    alt=view.description,
    height=deck.MAP_HEIGHT_PX,
)
picked = map_view.selected_code(selection)
if picked:
    st.switch_page(PROFILE_PAGE, query_params={**st.session_state.get("_context_url", {}), "gemeente": picked})

st.caption(view.legend_title)
# our own class labels (escaped) and palette colours only; no user text reaches this HTML
st.markdown(view.legend_html, unsafe_allow_html=True)
st.write(view.description)

st.caption("Profiel van een gemeente openen (ook met het toetsenbord):")
ui.municipality_links(PROFILE_PAGE)

st.header("Voor publicaties", divider="gray")
static = cache.computed(map_view.static_figure, chosen, measure, geometry.description)
ui.figure_block(static, key="kaart")
session_ui.pin_control("kaart", {"maat": measure}, static.meta.title, key="kaart")
