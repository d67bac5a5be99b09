"""Mijn gemeente: one municipality's key figures beside the region's, its rank, where it stands out, and every
indicator as a small multiple against the region and the Netherlands."""

import streamlit as st

from ratc.core import periods
from ratc.monitor import coverage, overview, profile
from ratc.ui import cache
from ratc.ui import components as ui
from ratc.ui import hangout as session_ui
from ratc.ui import papers as papers_ui
from ratc.ui import tiles as tiles_ui

chosen = ui.context_in_use()
month = periods.parse_period(chosen.periode, "maand")

if not chosen.gemeente:
    st.title("Mijn gemeente")
    st.write("Kies links een gemeente, of open een van deze profielen:")
    ui.municipality_links("pages/municipality.py")
    papers_ui.factsheet_section(chosen, None, "regio Zuid-Holland-Zuid")
    st.stop()

name = ui.choices_in_use().municipalities[chosen.gemeente]
ui.page_header(
    name,
    f"Stand per eind {month.long_label} · vergeleken met vóór de crisis en met de regio Zuid-Holland-Zuid. "
    f"Rang: de hoogste van de {ui.municipality_count_word()} gemeenten (per 10.000 inwoners waar dat kan) is 1.",
)

# on a phone the deviations and key tiles come first, then this chart (screen_style orders the keyed boxes)
with st.container(key="profiel-grafiek"):
    ui.indicator_picker(chosen)
    ui.figure_or_note(*cache.computed(profile.indicator_figure, chosen, chosen.gemeente), key="profiel_indicator")
    papers_ui.factsheet_section(chosen, chosen.gemeente, name)  # the alderman's paper beside their chart

with st.container(key="profiel-afwijkingen"):
    st.header(f"Waar wijkt {name} af?", divider="orange", help=overview.signals_caption(name))
    tiles_ui.show_signals(
        cache.computed(overview.area_signals, chosen, area_code=chosen.gemeente, limit=12),
        empty_text=overview.no_signals_text(name),
    )
    tiles_ui.show_tile_rows(cache.computed(profile.key_tiles, chosen, chosen.gemeente))

with st.container(key="profiel-rest"):
    st.header("Alle kerncijfers", divider="gray")
    domain = ui.domain_choice(key="profiel_domein")
    cache.shown(tiles_ui.show_folded_tiles, profile.tiles, chosen, chosen.gemeente, domain)

    st.header(f"{cache.computed(overview.domain_title, domain)} naast regio en Nederland", divider="gray")
    figure = cache.computed(profile.figure, chosen, chosen.gemeente, name, domain)
    if figure is None:
        ui.empty_state(coverage.not_delivered([name]))
    else:
        ui.figure_block(figure, key="profiel")
        session_ui.pin_control("mijn-gemeente", overview.domain_params(domain),
                               f"{name} naast de regio en Nederland", key="profiel")  # fmt: skip
