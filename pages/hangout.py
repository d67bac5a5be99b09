"""Hang-out (facilitator): start a session, pin views to its agenda, present them with the cards coming in live,
tidy the board, run the dot vote and the 2×2, record the actions and download the report."""

import streamlit as st

from ratc.core import text
from ratc.hangout import access, pinning, session
from ratc.ui import facilitator as facilitator_ui
from ratc.ui import hangout as sui
from ratc.ui import people, presentation, rounds

sui.require_store()
facilitator = sui.facilitator()
sui.write_resume_cookie()
if facilitator is None:
    st.title("Hang-out")
    st.caption(
        "Voor de facilitator: maak een sessie met thema's, zet grafieken uit de monitor op de agenda en laat "
        "deelnemers vanaf hun eigen apparaat kaarten schrijven en stemmen, zonder account."
    )
    facilitator_ui.start_forms(access.normalise_code(st.query_params.get("code", "")))
    st.stop()

info = sui.attempt(session.session, facilitator)
if info is sui.FAILED:
    if st.button("Afmelden", icon=":material/logout:", key="sessie_afmelden_fout"):
        facilitator_ui.sign_out()
    st.stop()

if st.session_state.get(presentation.PRESENTING):
    presentation.presentation_section(facilitator, info)
    st.stop()

facilitator_ui.header(info)
sui.show_flash()
st.button("Presenteren", type="primary", icon=":material/slideshow:", key="sessie_presenteren",
          on_click=presentation.present, args=(facilitator, pinning.agenda(facilitator), 0))  # fmt: skip
section = st.segmented_control(
    "Onderdeel", list(facilitator_ui.SECTIONS), default="agenda", required=True,
    format_func=facilitator_ui.SECTIONS.get, key="sessie_onderdeel", label_visibility="collapsed",
)  # fmt: skip
if section == "agenda":
    facilitator_ui.agenda_section(facilitator, info)
elif section == "kaarten":
    facilitator_ui.cards_section(facilitator)
elif section == "stemmen":
    rounds.votes_section(facilitator, info)
elif section == "deelnemers":
    people.participants_section(facilitator)
elif section == "acties":
    facilitator_ui.actions_section(facilitator)
elif section == "verslag":
    facilitator_ui.report_section(facilitator)
st.caption(f"Sessie {text.escape_markdown(info.join_code)} · opslag: gedeeld, alle wijzigingen worden meteen bewaard.")
