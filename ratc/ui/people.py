"""The facilitator's list of participants on the Hang-out page: one row per person, and merging two rows of one
person (their cards, dots and placements join; never more dots than the limit). The logic is `ratc.hangout.people`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ratc.hangout import access, people
from ratc.ui import forms
from ratc.ui import hangout as sui


def participants_section(facilitator: access.Facilitator) -> None:
    """Who takes part, with their dots and cards, and the form to merge two rows of one person."""
    found = sui.attempt(people.roster, facilitator)
    if found is sui.FAILED:
        return
    st.caption(
        "Eén regel per deelnemer. Wie opnieuw meedoet met zijn persoonlijke code (na herladen, op een ander apparaat "
        "of als de verbinding wegviel) blijft dezelfde deelnemer, met de stippen die hij nog had. Deed iemand toch "
        "twee keer mee, bijvoorbeeld zonder naam, voeg die regels dan samen."
    )
    if not found:
        st.write("Nog niemand doet mee.")
        return
    st.dataframe(
        pd.DataFrame({
            "Deelnemer": [person.label for person in found],
            "Stippen gebruikt": [person.dots_used for person in found],
            "Kaarten": [person.cards for person in found],
            "Persoonlijke code": ["ja" if person.has_code else "nee" for person in found],
        }),
        hide_index=True, width="stretch",
    )  # fmt: skip
    if len(found) < 2:
        return
    labels = {person.participant_id: person.label for person in found}
    with st.form("deelnemers_samenvoegen"):
        st.markdown("**Twee regels van één persoon samenvoegen**")
        left, right = st.columns(2)
        keep = left.selectbox("Deze deelnemer blijft", list(labels), format_func=labels.get, key="samenvoegen_blijft")
        absorbed = right.selectbox("… en neemt over van", list(labels), index=1, format_func=labels.get,
                                   key="samenvoegen_gaat_op")  # fmt: skip
        if st.form_submit_button("Samenvoegen", icon=":material/merge:", key="samenvoegen_opslaan"):
            dropped = sui.attempt(people.merge, facilitator, keep, absorbed)
            if dropped is not sui.FAILED:
                extra = f" {dropped} stip(pen) boven het maximum zijn vervallen." if dropped else ""
                forms.flash(
                    sui.FLASH, f"Samengevoegd: kaarten, stippen en plaatsingen staan nu bij één deelnemer.{extra}"
                )
                st.rerun()
