"""Trends: one indicator over time for chosen municipalities against the region and the Netherlands."""

import streamlit as st

from ratc.core import periods
from ratc.monitor import trends
from ratc.ui import cache
from ratc.ui import components as ui
from ratc.ui import hangout as session_ui

chosen = ui.context_in_use()
municipalities = ui.choices_in_use().municipalities

ui.page_header(
    "Trends",
    f"Stand per eind {periods.parse_period(chosen.periode, 'maand').long_label} · de verticale lijnen zijn "
    "landelijke maatregelen; beweeg erover voor de toelichting.",
)
ui.indicator_picker(chosen)
chosen_municipalities = st.multiselect(
    "Gemeenten",
    list(municipalities),
    default=[chosen.gemeente] if chosen.gemeente else [],
    format_func=municipalities.get,
    max_selections=trends.MAX_MUNICIPALITIES,
    placeholder="Kies gemeenten; zonder keuze alleen de regio",
    # a new context municipality starts a fresh selection with that municipality in it
    key=f"trends_gemeenten_{chosen.gemeente or 'regio'}",
)
measure_column, range_column = st.columns(2)
with measure_column:
    measures = trends.measure_options(cache.query, chosen.indicator)
    measure = st.segmented_control(
        "Maat",
        list(measures),
        default=trends.default_measure(measures),
        required=True,
        format_func=measures.get,
        key="trends_maat",
        help="Absoluut: de cijfers zoals gepubliceerd (Nederland dan alleen bij cijfers per inwoner). "
        "Per 10.000 inwoners: naar de bevolking op 1 januari 2020. "
        "Index: de waarde gedeeld door die van vóór de crisis, maal 100.",
    )  # fmt: skip
with range_column:
    preset = st.segmented_control(
        "Periode", list(trends.PRESETS), default="alles", required=True, format_func=trends.PRESETS.get,
        key="trends_periode",
    )  # fmt: skip

figure, note = cache.computed(trends.trend_figure, chosen, tuple(chosen_municipalities), measure, preset)
if ui.figure_or_note(figure, note, key="trend"):
    session_ui.pin_control("trends", {"gemeenten": ",".join(chosen_municipalities), "maat": measure, "bereik": preset},
                           figure.meta.title, key="trend")  # fmt: skip
