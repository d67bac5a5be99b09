"""The facilitator's parts of the Hang-out page: start or open a session, the agenda, the board's cards, the actions
and the report. Each part is one function the page calls; presentation mode is in `ratc.ui.presentation`, the rounds
of voting and placing in `ratc.ui.rounds`, and the logic in `ratc.hangout`."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ratc.core import fmt, keys, text
from ratc.hangout import (
    access,
    actions,
    board,
    pinning,
    practices,
    report,
    report_docx,
    report_html,
    schema,
    session,
    views,
)
from ratc.ui import cache, forms, presentation
from ratc.ui import hangout as sui

SECTIONS = {
    "agenda": "Agenda & thema's",
    "kaarten": "Kaarten",
    "stemmen": "Stemmen & 2×2",
    "deelnemers": "Deelnemers",
    "acties": "Acties",
    "verslag": "Verslag",
}
NEW_KEY = "_hangout_new_key"


def start_forms(code_in_url: str) -> None:
    """A new session, or open an existing one with its code and the facilitator key."""
    # a link with a session code is most often the facilitator coming back to that session
    default = "Sessie openen" if code_in_url else "Nieuwe sessie"
    new_tab, open_tab = st.tabs(["Nieuwe sessie", "Sessie openen"], default=default)
    with new_tab, st.form("sessie_nieuw"):
        title = st.text_input(
            "Titel",
            key="sessie_nieuw_titel",
            placeholder="bijv. Hang-out werk en inkomen",
        )
        left, middle, right = st.columns(3)
        day = left.date_input("Datum", value=dt.date.today(), format="DD-MM-YYYY", key="sessie_nieuw_datum")
        name = middle.text_input("Facilitator", key="sessie_nieuw_facilitator")
        dots = right.number_input("Stippen per deelnemer", 1, session.MAX_DOTS, 3, key="sessie_nieuw_stippen")
        themes = st.text_area(
            "Thema's (één per regel; na een dubbele punt de dilemma's en kansen)",
            key="sessie_nieuw_themas",
            placeholder="Werk en inkomen: behoud van banen of omscholing?\nJeugd: onderwijsachterstanden",
        )
        introduction = st.text_area("Inleiding voor het verslag (optioneel)", key="sessie_nieuw_inleiding")
        given = forms.write_key("Sleutel voor hang-outs", keys.configured(keys.HANGOUT), key="sessie_nieuw_sleutel")
        submitted = st.form_submit_button("Sessie aanmaken", type="primary", icon=":material/add:")
    if not keys.configured(keys.HANGOUT):
        with new_tab:
            forms.no_key_notice(keys.HANGOUT, "een hang-out aanmaken")
    if submitted:
        created = sui.attempt(session.create_session, title, day, themes.splitlines(), name, introduction, int(dots),
                              key=given)  # fmt: skip
        if created is not sui.FAILED:
            sui.sign_in(created.facilitator)
            st.session_state[NEW_KEY] = created.facilitator.key
            st.query_params["code"] = created.join_code
            st.rerun()
    with open_tab, st.form("sessie_openen"):
        code = st.text_input("Sessiecode", value=code_in_url, key="sessie_openen_code", max_chars=12)
        key = st.text_input("Facilitatorsleutel", type="password", key="sessie_openen_sleutel")
        opened = st.form_submit_button("Openen", type="primary", icon=":material/login:")
    if opened:
        facilitator = sui.attempt(session.open_as_facilitator, code, key, client=forms.connection_id())
        if facilitator is not sui.FAILED:
            sui.sign_in(facilitator)
            st.query_params["code"] = access.normalise_code(code)
            st.rerun()


def header(info: session.Session) -> None:
    """Title, date, phase, the join code and link, and the facilitator key once after creating the session."""
    st.title(text.escape_markdown(info.title))
    st.caption(
        f"Hang-out van {fmt.date_long(info.session_date)} · ronde: {session.PHASES[info.phase]}"
        + (" · stemmen zichtbaar" if info.votes_revealed else " · stemmen verborgen")
    )
    new_key = st.session_state.get(NEW_KEY)
    if new_key:
        with st.container(border=True):
            st.markdown(
                "**Bewaar uw facilitatorsleutel.** Alleen met deze sleutel en de sessiecode kunt u de sessie "
                "later weer openen; hij wordt niet opnieuw getoond."
            )
            st.code(new_key, language=None)
            if st.button("Ik heb de sleutel bewaard", key="sessie_sleutel_bewaard"):
                st.session_state.pop(NEW_KEY)
                st.rerun()
    left, right = st.columns([1, 2])
    left.metric("Sessiecode", info.join_code)
    right.markdown("Deelnemers doen mee via deze link (zonder account):")
    right.code(sui.join_url(info.join_code), language=None)


def agenda_section(facilitator: access.Facilitator, info: session.Session) -> None:
    """The agenda of pinned views (reorder, remove, show), pinning by link, and the themes."""
    themes = session.themes(facilitator)
    names = {theme.theme_id: theme.name for theme in themes}
    pinned = pinning.agenda(facilitator)
    pages = {url_path: kind.page_label for url_path, kind in views.kinds().items()}
    st.header("Agenda")
    if not pinned:
        st.info(
            "Nog niets vastgezet. Open een pagina van de monitor (Trends, Kaart, Mijn gemeente, Samenhang) "
            "en kies daar **Vastzetten in sessie**, of plak hieronder een link uit de monitor.",
            icon=":material/push_pin:",
        )
    for number, view in enumerate(pinned):
        with st.container(border=True):
            info_column, *buttons = st.columns([8, 1, 1, 1, 1], vertical_alignment="center")
            theme = names.get(view.theme_id, "zonder thema")
            info_column.markdown(
                f"**{number + 1}. {text.escape_markdown(view.title)}**  \n"
                f":gray[{text.escape_markdown(theme)} · {pages.get(view.url_path, view.url_path)}]"
            )
            if buttons[0].button(
                "", icon=":material/arrow_upward:", key=f"agenda_op_{view.view_id}", help="Eerder", disabled=number == 0
            ):
                sui.then_rerun(pinning.move_view, facilitator, view.view_id, -1)
            if buttons[1].button(
                "",
                icon=":material/arrow_downward:",
                key=f"agenda_neer_{view.view_id}",
                help="Later",
                disabled=number == len(pinned) - 1,
            ):
                sui.then_rerun(pinning.move_view, facilitator, view.view_id, 1)
            buttons[2].button(
                "", icon=":material/slideshow:", key=f"agenda_toon_{view.view_id}", help="Presenteren vanaf hier",
                on_click=presentation.present, args=(facilitator, pinned, number),
            )  # fmt: skip
            if buttons[3].button("", icon=":material/delete:", key=f"agenda_weg_{view.view_id}", help="Van de agenda"):
                sui.then_rerun(pinning.unpin_view, facilitator, view.view_id)
    with st.expander("Weergave toevoegen met een link uit de monitor"):
        sui.empty_form_if_done("agenda_link", ["agenda_link_url", "agenda_link_titel"])
        with st.form("agenda_link"):
            link = st.text_input(
                "Link", placeholder="https://…/trends?indicator=ww_uitkeringen&gemeente=GM0505", key="agenda_link_url"
            )
            theme_id = st.selectbox("Thema", list(names), format_func=names.get, key="agenda_link_thema")
            title = st.text_input("Titel op de agenda (leeg: de titel van de grafiek)", key="agenda_link_titel")
            added = st.form_submit_button("Vastzetten", icon=":material/push_pin:")
        if added:
            _pin_link(facilitator, link, theme_id, title)
    st.subheader("Thema's")
    for theme in themes:
        description = f" — {text.escape_markdown(theme.description)}" if theme.description else ""
        st.markdown(f"- **{text.escape_markdown(theme.name)}**{description}")
    sui.empty_form_if_done("thema_nieuw", ["thema_nieuw_naam", "thema_nieuw_toelichting"])
    with st.form("thema_nieuw"):
        name = st.text_input("Nieuw thema", key="thema_nieuw_naam")
        description = st.text_input("Dilemma's en kansen (optioneel)", key="thema_nieuw_toelichting")
        submitted = st.form_submit_button("Thema toevoegen", icon=":material/add:")
    if submitted and sui.attempt(session.add_theme, facilitator, name, description) is not sui.FAILED:
        sui.form_done("thema_nieuw", "Het thema is toegevoegd.")
    _session_settings(facilitator, info)


def _pin_link(facilitator: access.Facilitator, link: str, theme_id: str | None, title: str) -> None:
    """Pin the view a pasted link points to; its title defaults to the chart's."""
    parsed = sui.attempt(views.parse_link, link)
    if parsed is sui.FAILED:
        return
    url_path, params = parsed
    rendered = sui.rendered_view(url_path, params)
    if rendered is None:
        return
    if (
        sui.attempt(pinning.pin_view, facilitator, url_path, params, title or rendered.title, theme_id)
        is not sui.FAILED
    ):
        sui.form_done("agenda_link", "De weergave staat op de agenda.")


def _session_settings(facilitator: access.Facilitator, info: session.Session) -> None:
    """Close or delete the session, and sign out on this device."""
    with st.expander("Sessie sluiten, verwijderen of afmelden"):
        if info.phase != "gesloten":
            if st.button("Sessie sluiten voor deelnemers", icon=":material/lock:", key="sessie_sluiten"):
                sui.then_rerun(session.set_phase, facilitator, "gesloten")
        else:
            st.write("De sessie is gesloten; deelnemers kunnen niets meer toevoegen.")
        sure = st.checkbox("Ja, verwijder deze sessie met alle kaarten, stemmen en namen", key="sessie_verwijderen_ok")
        remove = st.button(
            "Sessie verwijderen", icon=":material/delete_forever:", disabled=not sure, key="sessie_verwijderen"
        )
        if remove and sui.attempt(session.delete_session, facilitator) is not sui.FAILED:
            sign_out()
        if st.button("Afmelden op dit apparaat", icon=":material/logout:", key="sessie_afmelden"):
            sign_out()


def sign_out() -> None:
    """Forget the facilitator's pass in this browser session and its resume token."""
    sui.forget_resume()
    for key in (sui.FACILITATOR, NEW_KEY, presentation.STEP, presentation.PRESENTING):
        st.session_state.pop(key, None)
    st.query_params.pop("code", None)
    st.rerun()


@st.fragment(run_every=sui.LIVE_SECONDS)
def cards_section(facilitator: access.Facilitator) -> None:
    """Tidy the board: add, edit, group and merge cards; new cards come in by themselves (as in presentation)."""
    themes = session.themes(facilitator)
    names = {theme.theme_id: theme.name for theme in themes}
    pinned = pinning.agenda(facilitator)
    view_titles = {view.view_id: view.title for view in pinned}
    cards_list = board.cards(facilitator)
    labels = {card.card_id: _short(card) for card in cards_list}
    with st.expander("Kaart toevoegen (als facilitator)"):
        sui.card_form(facilitator, "kaart_facilitator", themes, pinned)
    if cards_list:
        group_column, merge_column = st.columns(2)
        with group_column, st.form("kaarten_groeperen"):
            chosen = st.multiselect(
                "Kaarten groeperen",
                list(labels),
                format_func=labels.get,
                key="groeperen_kaarten",
                placeholder="Kies kaarten",
            )
            group = st.text_input("Groep (leeg: uit de groep halen)", key="groeperen_naam")
            if st.form_submit_button("Groeperen", icon=":material/folder:"):
                sui.then_rerun(board.group_cards, facilitator, chosen, group)
        with merge_column, st.form("kaarten_samenvoegen"):
            target = st.selectbox("Samenvoegen in", list(labels), format_func=labels.get, key="samenvoegen_doel")
            sources = st.multiselect(
                "Deze kaarten",
                list(labels),
                format_func=labels.get,
                key="samenvoegen_bronnen",
                placeholder="Kies kaarten",
            )
            if st.form_submit_button("Samenvoegen", icon=":material/merge:"):
                sui.then_rerun(board.merge_cards, facilitator, target, sources)
    practice_names = sui.practice_labels(cards_list)
    library = {**{practice.practice_id: practice.label for practice in practices.search(limit=100)}, **practice_names}
    for theme_id, name in [*names.items(), (None, "Zonder thema")]:
        theme_cards = [card for card in cards_list if card.theme_id == theme_id]
        if not theme_cards and theme_id is None:
            continue
        st.subheader(f"{text.escape_markdown(name)} ({len(theme_cards)})")
        for card in sorted(theme_cards, key=lambda item: item.group or "\uffff"):
            sui.show_card(card, view_titles, practice_names)
            with st.popover("Bewerken", icon=":material/edit:", key=f"bewerk_{card.card_id}"):
                _edit_form(facilitator, card, names, library)


def _edit_form(
    facilitator: access.Facilitator, card: board.Card, names: dict[str, str], library: dict[str, str]
) -> None:
    """Change one card's text, kind, theme, group and the good practice it refers to."""
    with st.form(f"bewerk_form_{card.card_id}"):
        new_text = st.text_area("Tekst", value=card.text, key=f"bewerk_tekst_{card.card_id}")
        kinds = list(schema.KINDS)
        kind = st.selectbox(
            "Soort",
            kinds,
            index=kinds.index(card.kind),
            format_func=schema.KINDS.get,
            key=f"bewerk_soort_{card.card_id}",
        )
        theme_ids = list(names)
        theme_id = st.selectbox(
            "Thema",
            theme_ids,
            format_func=names.get,
            key=f"bewerk_thema_{card.card_id}",
            index=theme_ids.index(card.theme_id) if card.theme_id in names else 0,
        )
        group = st.text_input("Groep", value=card.group, key=f"bewerk_groep_{card.card_id}")
        options = ["", *library]
        practice_id = st.selectbox(
            "Goede praktijk", options, index=options.index(card.practice_id) if card.practice_id in library else 0,
            format_func=lambda value: library.get(value, "—"), key=f"bewerk_praktijk_{card.card_id}",
        )  # fmt: skip
        if st.form_submit_button("Opslaan", icon=":material/save:"):
            sui.then_rerun(board.edit_card, facilitator, card.card_id, card_text=new_text, kind=kind,
                           theme_id=theme_id, group=group, practice_id=practice_id)  # fmt: skip


def actions_section(facilitator: access.Facilitator) -> None:
    """Record the agreed actions with their owners (an Actie card can be the starting point)."""
    themes = session.themes(facilitator)
    names = {theme.theme_id: theme.name for theme in themes}
    action_cards = {card.card_id: card for card in board.cards(facilitator) if card.kind == "actie"}
    fields = ["actie_beschrijving", "actie_eigenaar"]
    sui.empty_form_if_done("actie_nieuw", fields)
    with st.form("actie_nieuw"):
        card_id = st.selectbox(
            "Uit een actiekaart (optioneel)",
            [None, *action_cards],
            key="actie_kaart",
            format_func=lambda value: "—" if value is None else _short(action_cards[value]),
        )
        description = st.text_area("Wat pakken we samen op? (leeg: de tekst van de gekozen kaart)", key=fields[0])
        left, middle, right = st.columns(3)
        owner = left.text_input("Eigenaar (wie trekt het?)", key=fields[1])
        theme_id = middle.selectbox("Thema", list(names), format_func=names.get, key="actie_thema")
        due = right.date_input("Uiterlijk (optioneel)", value=None, format="DD-MM-YYYY", key="actie_datum")
        submitted = st.form_submit_button("Actie vastleggen", type="primary", icon=":material/task_alt:")
    if submitted:
        card = action_cards.get(card_id)
        if not description.strip() and card is not None:
            description = card.text
        added = sui.attempt(actions.add_action, facilitator, description, owner, theme_id, card_id, due)
        if added is not sui.FAILED:
            sui.form_done("actie_nieuw", "De actie is vastgelegd.")
    agreed = actions.actions(facilitator)
    if not agreed:
        st.caption("Nog geen acties vastgelegd.")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "Actie": [action.description for action in agreed],
                "Eigenaar": [action.owner for action in agreed],
                "Uiterlijk": [action.due_date.strftime("%d-%m-%Y") if action.due_date else "" for action in agreed],
                "Thema": [names.get(action.theme_id, "") for action in agreed],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    labels = {action.action_id: f"{action.description[:60]} — {action.owner}" for action in agreed}
    remove_column, button_column = st.columns([3, 1], vertical_alignment="bottom")
    chosen = remove_column.selectbox("Actie verwijderen", list(labels), format_func=labels.get, key="actie_weg")
    if button_column.button("Verwijderen", icon=":material/delete:", key="actie_weg_knop"):
        sui.then_rerun(actions.remove_action, facilitator, chosen)


def report_section(facilitator: access.Facilitator) -> None:
    """Make the session report and offer it as DOCX and as one HTML file."""
    st.write(
        "Het verslag bevat de inleiding, de deelnemers, per thema de vastgezette grafieken met hun instellingen "
        "en kerncijfers, de kaarten gegroepeerd en op stemmen gerangschikt, de 2×2 en de afgesproken acties."
    )
    if st.button("Verslag maken", type="primary", icon=":material/description:", key="verslag_maken"):
        with st.spinner("De grafieken worden getekend …"):
            made = sui.attempt(report.collect, cache.query, facilitator, draw=_cached_view)
        if made is not sui.FAILED:
            st.session_state["_hangout_report"] = (made.file_stem, report_docx.to_docx(made), report_html.to_html(made))
    made = st.session_state.get("_hangout_report")
    if not made:
        return
    stem, docx_bytes, html_text = made
    left, right = st.columns(2)
    left.download_button(
        "Verslag (Word)",
        docx_bytes,
        file_name=f"{stem}.docx",
        key="verslag_docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        "Verslag (HTML, één bestand)",
        html_text.encode("utf-8"),
        file_name=f"{stem}.html",
        mime="text/html",
        key="verslag_html",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )


def _cached_view(query, url_path: str, params: tuple[tuple[str, str], ...]) -> views.Rendered:
    """A view drawn through the page cache (the presentation drew most of them already)."""
    return cache.computed(views.render, url_path, params)


def _short(card: board.Card, limit: int = 70) -> str:
    """A card in one short line for pick lists (plain text there, never markup)."""
    line = " ".join(card.text.split())
    return f"{card.kind_label}: {line[:limit]}{'…' if len(line) > limit else ''}"
