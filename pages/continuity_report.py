"""Bedrijfsvoering melden: a municipality's weekly report, prefilled with its previous one; history kept."""

import streamlit as st

from ratc.continuity import reports as continuity
from ratc.ui import components as ui
from ratc.ui import continuity as continuity_ui
from ratc.ui import forms

chosen = ui.context_in_use()
vocabulary = continuity.catalogue()

st.title("Bedrijfsvoering melden")
st.caption(
    "Elke week per gemeente: de status van de kritieke processen, het ziekteverzuim, de knelpunten en wat u andere "
    "gemeenten kunt bieden. Het regionale beeld staat op *Bedrijfsvoering regio*."
)
forms.flash(continuity_ui.REPORT_FLASH)
area = continuity_ui.reporting_municipality(chosen)
st.header(f"Melding voor {vocabulary.municipalities[area]}")
given = continuity_ui.report_key(area, vocabulary.municipalities[area])
previous, history = continuity_ui.stored_reports(area)
continuity_ui.report_form(area, previous, given)

st.header("Eerdere meldingen")
continuity_ui.history_list(history)
