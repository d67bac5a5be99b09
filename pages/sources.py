"""Bronnen & imports: what each municipality has delivered, every indicator's definition and source, and every
import the figures came from."""

import datetime as dt

import streamlit as st

from ratc.core import export
from ratc.monitor import sources
from ratc.ui import access, cache
from ratc.ui import components as ui

today = dt.date.today()

ui.page_header(
    "Bronnen & imports",
    "Elk cijfer in de monitor is terug te voeren op een definitie, een bron, een periode en een import.",
)

st.header("Aanleverstatus", divider="orange")
status = cache.computed(sources.delivery_matrix, today)
st.caption(sources.delivery_legend("Demodata" in status.columns, today))
st.dataframe(
    status,
    hide_index=True,
    width="stretch",
    height=min(35 * (len(status) + 1) + 3, 843),  # every indicator of a regional monitor without scrolling
    column_config={"Indicator": st.column_config.TextColumn(pinned=True)},
)
ui.table_downloads({"csv": lambda: export.table_csv(status)}, sources.delivery_stem(today), key="aanleverstatus")

st.header("Indicatoren", divider="gray")
st.dataframe(sources.indicator_table(cache.query("indicator_catalog")), hide_index=True, width="stretch")

st.header("Referentiereeksen", divider="gray")
st.caption(
    "Reeksen waarmee andere cijfers worden berekend. Zonder ingelezen bevolking rekent de monitor met de "
    "CBS-bevolking op 1 januari 2020."
)
st.dataframe(sources.indicator_table(cache.query("reference_series")), hide_index=True, width="stretch")

st.header("Imports", divider="gray")
st.dataframe(sources.import_table(cache.query("import_lineage")), hide_index=True, width="stretch")

st.header("Toegankelijkheid", divider="gray")
access.statement()
