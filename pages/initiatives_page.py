"""Initiatieven: the registry of initiatives and parties (#Veerkracht) as a list and a map, suggestions that couple
needs with offers into coalitions, the coalitions, exports, and a form to register an initiative."""

import streamlit as st

from ratc.core import keys
from ratc.initiatives import registry as initiatives
from ratc.ui import components as ui
from ratc.ui import forms
from ratc.ui import initiatives as initiatives_ui

chosen = ui.context_in_use()

st.title("Initiatieven")
st.caption(
    "Wat inwoners, vrijwilligers, instellingen, fondsen, bedrijven en gemeenten bieden en vragen, en de coalities "
    "die vraag en aanbod bij elkaar brengen."
)
demo = initiatives_ui.registry_content()
registry = forms.from_store(lambda: initiatives.registry(demo))
filters = initiatives_ui.filters(registry, chosen)

list_tab, map_tab, match_tab, coalition_tab, register_tab = st.tabs(
    ["Lijst", "Kaart", "Vraag en aanbod koppelen", "Coalities", "Initiatief aanmelden"]
)
with list_tab:
    initiatives_ui.listing(registry, filters)
with map_tab:
    initiatives_ui.initiative_map(registry, filters)
with match_tab:
    initiatives_ui.matching(registry)
with coalition_tab:
    initiatives_ui.coalitions(registry, filters)
with register_tab:
    initiatives_ui.registration_form()
if not keys.configured(keys.INITIATIVES):
    forms.no_key_notice(keys.INITIATIVES, "initiatieven aanmelden en coalities vastleggen")
