"""Scenario's: what if the crisis runs like CPB scenario 3? Live sliders, comparison, sharing and guessing first."""

import streamlit as st

from ratc.ui import components as ui
from ratc.ui import papers as papers_ui
from ratc.ui import scenario as scenario_ui

chosen = ui.context_in_use()
inputs = scenario_ui.inputs(chosen)

ui.page_header("Scenario's")
if inputs.observations.missing:  # the model starts from every municipality's figures before the crisis
    ui.empty_state(inputs.observations.missing)
    st.stop()
scenario_ui.restore_settings(inputs.data)  # before the sliders are drawn: a shared link, or the last visit
scenario_ui.scenario_section(inputs)
with st.expander("Hoe rekent dit model? Aannames en bronnen"):
    scenario_ui.model_explanation(inputs.data)
scenario_ui.compare_section(inputs)
scenario_ui.saved_section(inputs.data)
papers_ui.scenario_paper_section(inputs, chosen)
