"""The facilitator's presentation mode on the Hang-out page: one agenda step at a time, large, with the theme's
cards coming in live beside the view; the last step shows the results of the rounds."""

from __future__ import annotations

import streamlit as st

from ratc.core import text
from ratc.hangout import access, board, pinning, session, views
from ratc.ui import cache, rounds
from ratc.ui import hangout as sui

STEP = "_hangout_step"
PRESENTING = "_hangout_presenting"  # not a widget key: widget state is dropped while presentation hides the widget
DEMO_MARK = " :orange-badge[:material/science: Demodata]"  # a badge, no "·" that would end a line on its own
LIVE_CARDS = 14  # the newest cards that fit beside a chart on a shared screen
# Presentation mode: our own static CSS (no user text). Full width, sidebar and toolbar hidden, large type.
PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
[data-testid="stMainBlockContainer"], .block-container {
    max-width: 100% !important; padding: 1rem 2.5rem 2rem !important;
}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li {font-size: 1.45rem; line-height: 1.45;}
[data-testid="stMain"] h1 {font-size: 2.6rem !important;}
[data-testid="stMain"] h2 {font-size: 2rem !important;}
[data-testid="stMain"] [data-testid="stCaptionContainer"] p {font-size: 1.1rem;}
[data-testid="stMain"] button p {font-size: 1.1rem; white-space: nowrap;}
</style>
"""


def presentation_section(facilitator: access.Facilitator, info: session.Session) -> None:
    """Presentation mode: one agenda step at a time, large, with the theme's cards coming in live beside it."""
    presentation_style()
    pinned = pinning.agenda(facilitator)
    themes = {theme.theme_id: theme for theme in session.themes(facilitator)}
    steps = len(pinned) + 1  # the agenda, then the overview of all cards
    step = min(st.session_state.get(STEP, 0), steps - 1)
    back, forward, where, code, leave = st.columns([1.3, 1.5, 3.5, 2.5, 1.3], vertical_alignment="center")
    if back.button(
        "Vorige", icon=":material/arrow_back:", key="presentatie_vorige", disabled=step == 0, width="stretch"
    ):
        _go_to(facilitator, pinned, step - 1)
    if forward.button(
        "Volgende",
        icon=":material/arrow_forward:",
        key="presentatie_volgende",
        disabled=step >= steps - 1,
        width="stretch",
    ):
        _go_to(facilitator, pinned, step + 1)
    code.markdown(f":material/login: {sui.JOIN_PATH} · code **{info.join_code}**")
    if leave.button("Sluiten", icon=":material/close:", key="presentatie_sluiten", width="stretch"):
        st.session_state[PRESENTING] = False
        st.rerun()
    if step < len(pinned):
        view = pinned[step]
        theme = themes.get(view.theme_id)
        theme_name = text.escape_markdown(theme.name if theme else "zonder thema")
        st.header(text.escape_markdown(view.title))
        if view.note:
            st.markdown(text.escape_markdown(view.note))
        chart_column, cards_column = st.columns([3, 2], gap="large")
        with chart_column:
            rendered = sui.rendered_view(view.url_path, view.params)
            if rendered is not None:
                sui.show_view(rendered, large=True)
        demo = rendered is not None and rendered.figure is not None and rendered.figure.meta.is_demo
        where.markdown(f"Stap {step + 1} van {steps} · {theme_name}{DEMO_MARK if demo else ''}")
        with cards_column:
            live_cards(facilitator, view.theme_id, {item.view_id: item.title for item in pinned})
    else:
        where.markdown(f"Stap {steps} van {steps} · overzicht{DEMO_MARK if views.is_demo(cache.query) else ''}")
        st.header("Wat we zagen en wat we samen oppakken")
        rounds.results(facilitator, session.session(facilitator), list(themes.values()))


def _go_to(facilitator: access.Facilitator, pinned: list[pinning.PinnedView], step: int) -> None:
    """Move the presentation to a step and tell participants which view is on the screen."""
    st.session_state[STEP] = step
    sui.then_rerun(session.show_view, facilitator, pinned[step].view_id if step < len(pinned) else None)


def present(facilitator: access.Facilitator, pinned: list[pinning.PinnedView], step: int) -> None:
    """Start presentation mode at an agenda step (a button callback, so it runs before the page is drawn)."""
    st.session_state[PRESENTING] = True
    st.session_state[STEP] = step
    sui.attempt(session.show_view, facilitator, pinned[step].view_id if step < len(pinned) else None)


@st.fragment(run_every=sui.LIVE_SECONDS)
def live_cards(facilitator: access.Facilitator, theme_id: str | None, view_titles: dict[str, str]) -> None:
    """The theme's newest cards, refreshed every two seconds on the shared screen."""
    cards_list = sui.attempt(board.cards, facilitator)
    if cards_list is sui.FAILED:
        return
    mine = [card for card in cards_list if card.theme_id == theme_id]
    st.subheader(f"Kaarten bij dit thema: {len(mine)}")
    if not mine:
        st.caption("Nog geen kaarten. Deelnemers schrijven ze op hun eigen apparaat.")
    for card in list(reversed(mine))[:LIVE_CARDS]:
        sui.show_card(card, view_titles)
    if len(mine) > LIVE_CARDS:
        st.caption(f"En {len(mine) - LIVE_CARDS} eerdere kaarten (zie Kaarten).")


def presentation_style() -> None:
    """Switch the page to presentation mode (full width, no sidebar or toolbar, large type)."""
    # static CSS of our own; no user text goes into this HTML
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
