"""Mijn gemeente: one municipality's key figures beside the region's, and where it stands out."""

import streamlit as st

from ratc import cache, metadata, overview, periods, ui

chosen = ui.context_in_use()
month = periods.parse_period(chosen.periode, "maand")

if not chosen.gemeente:
    st.title("Mijn gemeente")
    st.write("Kies links een gemeente, of open een van deze profielen:")
    ui.municipality_links("pages/municipality.py")
    st.stop()

name = ui.choices_in_use().municipalities[chosen.gemeente]
st.title(name)
st.caption(f"Stand per eind {month.long_label} · vergeleken met vóór de crisis en met de regio Zuid-Holland-Zuid.")
ui.demo_notice()

st.header("Waar wijkt de gemeente af?", divider="orange")
ui.show_signals(
    overview.area_signals(cache.query, chosen, area_code=chosen.gemeente, limit=12),
    empty_text=f"{name} wijkt op dit moment nergens duidelijk af van de regio.",
)

ui.show_tiles(overview.area_tiles(cache.query, chosen.gemeente, chosen, reference_code=metadata.REGION_CODE))
