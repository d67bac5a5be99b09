"""Goede praktijken: a searchable library of what municipalities did that others can learn from; people in a
hang-out add to it, and cards and session reports refer to it."""

import streamlit as st

from ratc.hangout import practices
from ratc.ui import hangout as sui

st.title("Goede praktijken")
st.caption(
    "Wat werkte elders? Zoek op een woord, gemeente of thema. Deelnemers aan een hang-out vullen de bibliotheek aan; "
    "kaarten en verslagen verwijzen ernaar."
)
sui.require_store()
sui.show_flash()

municipalities, themes = practices.facets()
words_column, municipality_column, theme_column = st.columns([3, 2, 2])
words = words_column.text_input("Zoeken", placeholder="bijv. schuldhulp, thuisonderwijs", key="praktijken_zoek")
municipality = municipality_column.selectbox(
    "Gemeente", ["", *municipalities], format_func=lambda name: name or "Alle gemeenten", key="praktijken_gemeente"
)
theme = theme_column.selectbox("Thema", ["", *themes], format_func=lambda name: name or "Alle thema's",
                               key="praktijken_thema")  # fmt: skip
found = sui.attempt(practices.search, words, municipality, theme)
if found is not sui.FAILED:
    st.write(f"{len(found)} {'praktijk' if len(found) == 1 else 'praktijken'} gevonden.")
    for practice in found:
        sui.show_practice(practice, key=f"praktijk_{practice.practice_id}")

st.header("Toevoegen", divider="gray")
who = sui.any_pass()
if who is None:
    st.info(
        "Toevoegen kan voor wie meedoet aan een hang-out: doe eerst mee met de sessiecode op de pagina **Meedoen**.",
        icon=":material/lock:",
    )
    st.page_link("pages/join.py", label="Meedoen aan een hang-out", icon=":material/login:")
else:
    sui.practice_form(who, "praktijk_bibliotheek", themes)
st.caption("Links worden alleen bewaard als ze met http:// of https:// beginnen.")
