"""Meedoen: a participant joins a hang-out with the link or the short code (no account, name optional), writes
cards, spends their dots and places ideas on the 2×2, following the round the facilitator has opened."""

import streamlit as st

from ratc.hangout import access, session
from ratc.ui import hangout as sui
from ratc.ui import participant as participant_ui

sui.require_store()
participant = sui.participant()
if participant is None:
    st.title("Meedoen aan een hang-out")
    st.caption("Met de code die de facilitator deelt. U heeft geen account nodig; uw naam is niet verplicht.")
    participant_ui.join_form(access.normalise_code(st.query_params.get("code", "")))
    st.stop()

info = sui.attempt(session.session, participant)
if info is sui.FAILED:
    participant_ui.leave_button()
    st.stop()

participant_ui.header(info, participant)
participant_ui.personal_code_notice()
participant_ui.dot_note_elsewhere(info.phase)
sui.show_flash()
participant_ui.follow(participant, info.phase, info.votes_revealed)
if info.phase == "verzamelen":
    participant_ui.collect(participant, info)
elif info.phase == "stemmen":
    participant_ui.vote(participant, info)
elif info.phase == "plaatsen":
    participant_ui.place(participant)
participant_ui.extras(participant)
