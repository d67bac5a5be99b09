"""The participant's parts of the Meedoen page: join (or join again with the personal code), follow the
facilitator's round, write cards, vote and place."""

from __future__ import annotations

import dataclasses

import streamlit as st

from ratc.core import text
from ratc.hangout import access, board, pinning, practices, schema, session, votes
from ratc.ui import forms
from ratc.ui import hangout as sui

SEEN = "_hangout_seen"  # the round and reveal state this page was drawn for
PERSONAL_CODE = "_hangout_personal_code"  # shown once after a first join, until the person says they noted it
DOT_NOTE = "_hangout_dot_note"  # (card id, Dutch sentence) for the dots a change could not set


def join_form(code_in_url: str) -> None:
    """Join with the session code (prefilled from the link), an optional name and role, or come back with the
    personal code a first join showed."""
    with st.form("meedoen"):
        code = st.text_input("Sessiecode", value=code_in_url, max_chars=12, key="meedoen_code",
                             placeholder="bijv. K7M2QX")  # fmt: skip
        name = st.text_input("Uw naam (optioneel)", key="meedoen_naam")
        role = st.text_input("Rol of organisatie (optioneel)", key="meedoen_rol",
                             placeholder="bijv. wethouder, strateeg gemeente Dordrecht")  # fmt: skip
        personal = st.text_input(
            "Persoonlijke code (alleen als u al meedeed)",
            max_chars=12,
            key="meedoen_eigen_code",
            help="De code die u kreeg toen u de eerste keer meedeed. Daarmee gaat u verder als "
            "dezelfde deelnemer, met de stippen die u nog had, ook op een ander apparaat.",
        )
        submitted = st.form_submit_button("Meedoen", type="primary", icon=":material/login:")  # fmt: skip
    if submitted:
        joined = sui.attempt(session.join, code, name, role, client=forms.connection_id(), rejoin_code=personal)
        if joined is not sui.FAILED:
            if joined.rejoin_code:
                st.session_state[PERSONAL_CODE] = joined.rejoin_code
            else:
                forms.flash(sui.FLASH, "Welkom terug: u doet weer mee als dezelfde deelnemer, met uw kaarten en de "
                                       "stippen die u nog had.")  # fmt: skip
            st.session_state[sui.PARTICIPANT] = dataclasses.replace(joined, rejoin_code="")  # the page keeps no copy
            st.query_params["code"] = joined.join_code
            st.rerun()


def personal_code_notice() -> None:
    """The personal code of a first join, until the person says they noted it: it is not shown again."""
    code = st.session_state.get(PERSONAL_CODE)
    if not code:
        return
    with st.container(border=True):
        st.markdown(
            f"**Uw persoonlijke code: `{code}`** · Schrijf hem op. Wordt de verbinding verbroken of herlaadt u de "
            "pagina, doe dan opnieuw mee met de sessiecode en deze code: u bent dan dezelfde deelnemer, met uw "
            "kaarten en de stippen die u nog had, ook op een ander apparaat. De code wordt niet nog eens getoond."
        )
        if st.button("Ik heb hem genoteerd", icon=":material/check:", key="meedoen_code_genoteerd"):
            st.session_state.pop(PERSONAL_CODE, None)
            st.rerun()


def leave_button() -> None:
    """Leave the session on this device (e.g. after it was closed)."""
    if st.button("Andere sessie kiezen", icon=":material/logout:", key="meedoen_verlaten"):
        st.session_state.pop(sui.PARTICIPANT, None)
        st.session_state.pop(PERSONAL_CODE, None)
        st.query_params.pop("code", None)
        st.rerun()


def header(info: session.Session, participant: access.Participant) -> None:
    """The session's title, who you are here and what the current round asks of you."""
    st.title(text.escape_markdown(info.title))
    who = text.escape_markdown(participant.name) if participant.name else "u (zonder naam)"
    st.caption(f"U doet mee als {who} · sessiecode {info.join_code}")
    asks = {
        "verzamelen": "Schrijf kaarten: waar bent u nieuwsgierig naar, welke beelden, ideeën, dilemma's en kansen ziet "
        "u, en wat pakken we samen op?",
        "stemmen": f"Verdeel uw {info.dots_per_participant} stippen over de kaarten die u het belangrijkst vindt. "
        "Meer stippen op één kaart mag.",
        "plaatsen": "Geef bij elk idee, elke kans en elke actie aan hoeveel impact het heeft en hoeveel invloed we "
        "er zelf op hebben.",
        "gesloten": "De sessie is gesloten. Dank voor uw bijdrage!",
    }
    st.info(f"**{session.PHASES[info.phase]}.** {asks[info.phase]}", icon=":material/campaign:")


@st.fragment(run_every=2)
def follow(participant: access.Participant, phase: str, revealed: bool) -> None:
    """What is on the shared screen now; reloads the page when the facilitator opens another round or reveals."""
    current = sui.attempt(session.session, participant)
    if current is sui.FAILED:
        return
    if (current.phase, current.votes_revealed) != (phase, revealed):
        st.rerun(scope="app")
    pinned = {view.view_id: view.title for view in pinning.agenda(participant)}
    if current.current_view_id in pinned:
        st.markdown(f":material/cast: Nu op het scherm: **{text.escape_markdown(pinned[current.current_view_id])}**")


def collect(participant: access.Participant, info: session.Session) -> None:
    """Write cards; everyone's cards appear below as they come in."""
    themes = session.themes(participant)
    pinned = pinning.agenda(participant)
    library = {practice.practice_id: practice.label for practice in practices.search(limit=100)}
    sui.card_form(participant, "kaart_deelnemer", themes, pinned, info.current_view_id, library)
    board_so_far(participant, {view.view_id: view.title for view in pinned})


@st.fragment(run_every=2)
def board_so_far(participant: access.Participant, view_titles: dict[str, str]) -> None:
    """Every card written so far, newest first, refreshed every two seconds."""
    cards_list = sui.attempt(board.cards, participant)
    if cards_list is sui.FAILED:
        return
    names = {theme.theme_id: theme.name for theme in session.themes(participant)}
    st.subheader(f"Kaarten tot nu toe: {len(cards_list)}")
    for theme_id, name in [*names.items(), (None, "Zonder thema")]:
        theme_cards = [card for card in reversed(cards_list) if card.theme_id == theme_id]
        if theme_cards:
            st.markdown(f"**{text.escape_markdown(name)}** ({len(theme_cards)})")
        for card in theme_cards:
            sui.show_card(card, view_titles)


def vote(participant: access.Participant, info: session.Session) -> None:
    """Spend dots: the number of your dots per card; only your own dots are shown until the facilitator reveals.

    The page sends the number chosen, not the click, so clicks faster than the page redraws all count; what could
    not be set is said beside the card (and every change in a short notice).
    """
    mine = votes.my_votes(participant)
    left = info.dots_per_participant - sum(mine.values())
    st.metric("Stippen over", f"{left} van {info.dots_per_participant}")
    note = st.session_state.pop(DOT_NOTE, None)
    names = {theme.theme_id: theme.name for theme in session.themes(participant)}
    cards_list = board.cards(participant)
    for theme_id, name in [*names.items(), (None, "Zonder thema")]:
        theme_cards = [card for card in cards_list if card.theme_id == theme_id]
        if not theme_cards:
            continue
        st.subheader(text.escape_markdown(name))
        for card in theme_cards:
            card_column, dots_column = st.columns([5, 2], vertical_alignment="center")
            with card_column:
                sui.show_card(card, own_dots=mine.get(card.card_id, 0))
            key = f"stippen_{card.card_id}"
            st.session_state[key] = mine.get(card.card_id, 0)  # what is stored, also after a refused change
            dots_column.number_input(
                "Mijn stippen op deze kaart",
                min_value=0,
                max_value=info.dots_per_participant,
                step=1,
                key=key,
                on_change=_set_dots,
                args=(participant, card.card_id, key),
            )
            if note and note[0] == card.card_id:  # fmt: skip
                card_column.error(text.escape_markdown(note[1]), icon=":material/block:")


def dot_note_elsewhere(phase: str) -> None:
    """A dot that could not be set while the round moved on: its reason at the top, as the cards are gone."""
    if phase != "stemmen" and DOT_NOTE in st.session_state:
        st.error(text.escape_markdown(st.session_state.pop(DOT_NOTE)[1]), icon=":material/block:")


def _set_dots(participant: access.Participant, card_id: str, key: str) -> None:
    """Store the number of dots chosen for a card; say in a notice what changed, and beside the card what not."""
    wanted = st.session_state.get(key)
    result, problem = sui.outcome(votes.set_votes, participant, card_id, int(wanted or 0))
    if problem is not None:
        st.session_state[DOT_NOTE] = (card_id, f"Niet opgeslagen: {problem}")
        st.toast("Stip niet opgeslagen; de reden staat op de pagina.", icon=":material/block:")
        return
    if not result.stored:
        st.session_state[DOT_NOTE] = (card_id, result.why())
        missing = result.wanted - result.on_card
        st.toast(f"{missing} {'stip' if missing == 1 else 'stippen'} niet gezet; de reden staat bij de kaart.",
                 icon=":material/block:")  # fmt: skip
    else:
        st.toast(f"Opgeslagen: {result.on_card} op deze kaart, nog {result.left} over.", icon=":material/check:")


def place(participant: access.Participant) -> None:
    """Rate each idea, opportunity and action on impact and invloed (1–5); saved per card."""
    placeable = [card for card in board.cards(participant) if card.kind in votes.PLACEABLE_KINDS]
    if not placeable:
        st.write("Er zijn geen ideeën, kansen of acties om te plaatsen.")
        return
    mine = votes.my_placements(participant)
    scale = list(range(schema.SCALE[0], schema.SCALE[1] + 1))
    st.caption(f"{len(mine)} van {len(placeable)} kaarten geplaatst.")
    for card in placeable:
        sui.show_card(card)
        impact_now, influence_now = mine.get(card.card_id, (3, 3))
        with st.form(f"plaats_{card.card_id}", border=False):
            left, right, button = st.columns([3, 3, 2], vertical_alignment="bottom")
            impact = left.select_slider("Impact", scale, value=impact_now, key=f"impact_{card.card_id}",
                                        format_func=_impact_label)  # fmt: skip
            influence = right.select_slider("Invloed", scale, value=influence_now, key=f"invloed_{card.card_id}",
                                            format_func=_influence_label)  # fmt: skip
            saved = button.form_submit_button("Opslaan" if card.card_id not in mine else "Bijwerken",
                                              icon=":material/check:", width="stretch",
                                              key=f"plaats_opslaan_{card.card_id}")  # fmt: skip
        if saved:
            sui.then_rerun(votes.place, participant, card.card_id, int(impact), int(influence))


def extras(participant: access.Participant) -> None:
    """Add a good practice to the library, and leave the session on this device."""
    with st.expander("Goede praktijk toevoegen aan de bibliotheek"):
        themes = [theme.name for theme in session.themes(participant)]
        sui.practice_form(participant, "praktijk_deelnemer", themes)
    leave_button()


def _impact_label(value: int) -> str:
    """1 'klein' .. 5 'groot'."""
    return {1: "1 klein", 3: "3", 5: "5 groot"}.get(value, str(value))


def _influence_label(value: int) -> str:
    """1 'weinig' .. 5 'veel'."""
    return {1: "1 weinig", 3: "3", 5: "5 veel"}.get(value, str(value))
