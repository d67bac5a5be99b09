"""Bedrijfsvoering regio: the status of every municipality's critical processes, what the region escalates, and
help between municipalities: needs matched with offers, and the couplings recorded."""

import streamlit as st

from ratc.continuity import region as continuity_region
from ratc.ui import continuity as continuity_ui

st.title("Bedrijfsvoering in de regio")
st.caption(
    "Continuïteit van de kritieke processen van de gemeenten, uit hun wekelijkse meldingen: waar het knelt, "
    "wat de regio escaleert en waar gemeenten elkaar kunnen helpen."
)
demo = continuity_ui.overview_content()
view = continuity_region.picture(demo)
continuity_ui.matrix(view, demo)
continuity_ui.bottleneck_metrics(view)

st.header("Escalatielijst", divider="gray")
continuity_ui.escalation_list(view, demo)

st.header("Hulp tussen gemeenten", divider="gray")
continuity_ui.help_table(view)
st.subheader("Koppeling vastleggen")
continuity_ui.coupling_form(view)
st.subheader("Vastgelegde koppelingen")
continuity_ui.couplings_list(view)
