"""The facilitator's rounds on the Hang-out page: the phase, dots per participant, how far voting and placing are,
the reveal, and the results per theme (the cards ranked by votes beside the 2×2)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ratc.core import text
from ratc.hangout import access, board, session, votes
from ratc.ui import components as ui
from ratc.ui import hangout as sui


def votes_section(facilitator: access.Facilitator, info: session.Session) -> None:
    """Run the rounds: phase, dots per participant, progress, reveal, and the results once revealed."""
    phase_column, dots_column = st.columns([3, 1], vertical_alignment="bottom")
    phase = phase_column.segmented_control(
        "Ronde",
        list(session.PHASES),
        default=info.phase,
        required=True,
        format_func=session.PHASES.get,
        key=f"ronde_{info.phase}",
    )
    if phase != info.phase:
        sui.then_rerun(session.set_phase, facilitator, phase)
    dots = dots_column.number_input(
        "Stippen per deelnemer",
        1,
        session.MAX_DOTS,
        info.dots_per_participant,
        key=f"stippen_{info.dots_per_participant}",
    )
    if dots != info.dots_per_participant:
        sui.then_rerun(session.set_dots, facilitator, int(dots))
    progress(facilitator)
    revealed = st.toggle(
        "Stemmen en plaatsingen tonen aan iedereen", value=info.votes_revealed, key=f"onthullen_{info.votes_revealed}"
    )
    if revealed != info.votes_revealed:
        sui.then_rerun(session.reveal_votes, facilitator, revealed)
    if not info.votes_revealed:
        st.info("De stemmen blijven verborgen tot u ze toont, ook op dit scherm.", icon=":material/visibility_off:")
        return
    results(facilitator, info, session.themes(facilitator))


@st.fragment(run_every=2)
def progress(facilitator: access.Facilitator) -> None:
    """How far voting and placing are, without saying on what (refreshed every two seconds)."""
    numbers = sui.attempt(votes.vote_progress, facilitator)
    placed = sui.attempt(votes.placement_progress, facilitator)
    if numbers is sui.FAILED or placed is sui.FAILED:
        return
    cast, available, voters = numbers
    st.markdown(
        f"**{cast} van {available}** stippen gebruikt door {voters} "
        f"{'deelnemer' if voters == 1 else 'deelnemers'} · {placed} plaatsingen op de 2×2"
    )


def results(facilitator: access.Facilitator, info: session.Session, themes: list[session.Theme]) -> None:
    """Per theme: the cards ranked by votes (once revealed) beside the 2×2, whose numbers the table gives."""
    cards_list = board.ranked(board.cards(facilitator))
    placed = votes.placements(facilitator) or []
    for theme in themes:
        theme_cards = [card for card in cards_list if card.theme_id == theme.theme_id]
        st.subheader(text.escape_markdown(theme.name))
        if not theme_cards:
            st.caption("Geen kaarten bij dit thema.")
            continue
        placeable = [card for card in theme_cards if card.kind in votes.PLACEABLE_KINDS]
        numbers = votes.placement_numbers(placeable, placed)
        table = pd.DataFrame({
            "2×2": [str(numbers[card.card_id]) if card.card_id in numbers else "" for card in theme_cards],
            "Stippen": [card.votes for card in theme_cards],
            "Soort": [card.kind_label for card in theme_cards],
            "Kaart": [card.text for card in theme_cards],
            "Groep": [card.group for card in theme_cards],
        })  # fmt: skip
        empty = [
            column
            for column in ("2×2", "Stippen", "Groep")
            if not (table[column].notna() & (table[column] != "")).any()
        ]
        table = table.drop(columns=empty)
        figure = votes.placement_figure(placeable, placed, info.title, theme.name, dt.date.today())
        chart_column, table_column = st.columns([2, 3]) if figure is not None else (None, st.container())
        table_column.dataframe(table, hide_index=True, width="stretch",
                               column_config={"Kaart": st.column_config.TextColumn(width="large")})  # fmt: skip
        if figure is not None:
            with chart_column:
                ui.show_chart(figure.spec, figure.meta)
