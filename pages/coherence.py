"""Samenhang: every municipality's change on every indicator, and two indicators side by side."""

import streamlit as st

from ratc.core import periods
from ratc.core.context import Context
from ratc.monitor import coherence
from ratc.ui import cache
from ratc.ui import components as ui
from ratc.ui import hangout as session_ui

chosen = ui.context_in_use()

ui.page_header(
    "Samenhang",
    f"Stand per eind {periods.parse_period(chosen.periode, 'maand').long_label} · per gemeente de laatste cijfers "
    "vergeleken met vóór de crisis. Beweeg over een vakje voor de periode en de waarden.",
)

st.header("Alle gemeenten en indicatoren", divider="orange")
heatmap = cache.computed(coherence.heatmap_figure, chosen)
if heatmap is None:
    ui.empty_state("Nog geen cijfers aangeleverd die met de periode vóór de crisis te vergelijken zijn.")
else:
    ui.figure_block(heatmap, key="samenhang")
    session_ui.pin_control("samenhang", {"grafiek": "heatmap"}, heatmap.meta.title, key="samenhang")

st.header("Twee indicatoren naast elkaar", divider="gray")
ui.indicator_picker(chosen, label="Indicator horizontaal")


@st.fragment
def scatter_section(chosen: Context) -> None:
    """The second indicator, the measure and the scatter: changing them reruns only this part, not the heatmap."""
    labels = coherence.indicator_labels(cache.query)
    y_column, measure_column = st.columns(2)
    indicator_y = y_column.selectbox(
        "Indicator verticaal",
        list(labels),
        index=list(labels).index(coherence.partner(chosen.indicator)),
        format_func=labels.get,
        key="samenhang_y",
    )
    measure = measure_column.segmented_control(
        "Maat", list(coherence.SCATTER_MEASURES), default="verandering", required=True,
        format_func=coherence.SCATTER_MEASURES.get, key="samenhang_maat",
        help="Niveau: aantallen per 10.000 inwoners; cijfers die al per inwoners zijn, zoals ze zijn. "
        "Een indicator zonder cijfer van vóór de crisis staat altijd als niveau.",
    )  # fmt: skip
    scatter = cache.computed(coherence.scatter_figure, chosen, chosen.indicator, indicator_y, measure)
    if scatter is None:
        ui.empty_state(cache.computed(coherence.scatter_empty_text, chosen.indicator, indicator_y))
        return
    ui.figure_block(scatter, key="spreiding")
    session_ui.pin_control("samenhang", {"grafiek": "spreiding", "y": indicator_y, "maat": measure},
                           scatter.meta.title, key="spreiding")  # fmt: skip


scatter_section(chosen)
