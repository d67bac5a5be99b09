"""Streamlit components of the hang-out pages: who is signed in, 'Vastzetten in sessie', cards, views, errors."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from urllib.parse import urlencode, urlsplit

import streamlit as st

from ratc.core import ratelimit, store, text
from ratc.hangout import access, board, pinning, practices, resume, schema, session, views
from ratc.ui import cache, forms
from ratc.ui import components as ui

FACILITATOR = "_hangout_facilitator"
PARTICIPANT = "_hangout_participant"
FLASH = "_hangout_flash"
JOIN_PATH = "meedoen"
FAILED = object()
LIVE_SECONDS = 2  # how often a shared screen's cards refresh (presentation mode, the Kaarten tab)
RESUME_COOKIE = "ratc_facilitator"
COOKIE_WRITE = "_hangout_cookie_write"  # a token to set, or "" to remove the cookie
RESUME_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def facilitator() -> access.Facilitator | None:
    """The facilitator's pass held in this browser session, or resumed after a reload from the resume cookie."""
    held = st.session_state.get(FACILITATOR)
    if held is None and st.session_state.get(COOKIE_WRITE) is None:  # not right after signing out
        held = resume.resume(st.context.cookies.get(RESUME_COOKIE))
        if held is not None:
            st.session_state[FACILITATOR] = held
    return held


def sign_in(facilitator_pass: access.Facilitator) -> None:
    """Hold the facilitator's pass in this browser session, and a resume token in a cookie for a reload."""
    st.session_state[FACILITATOR] = facilitator_pass
    st.session_state[COOKIE_WRITE] = resume.issue(facilitator_pass)


def forget_resume() -> None:
    """Revoke this browser's resume token and have its cookie removed (signing out on this device)."""
    resume.revoke(st.context.cookies.get(RESUME_COOKIE))
    st.session_state[COOKIE_WRITE] = ""


def write_resume_cookie() -> None:
    """Set (after signing in) or remove (after signing out) the resume cookie, once, with a script of our own.

    The token is URL-safe base64 from `secrets`, so nothing typed reaches this script; it is never shown or put in
    a link, and the cookie goes only to this site (SameSite=Strict; Secure on https).
    """
    token = st.session_state.get(COOKIE_WRITE)
    if token is None or (token and not RESUME_TOKEN.fullmatch(token)):
        return
    age = resume.RESUME_HOURS * 3600 if token else 0
    st.html(
        f"<script>document.cookie = '{RESUME_COOKIE}={token}; Path=/; Max-Age={age}; SameSite=Strict' + "
        "(location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )
    if token:
        st.session_state.pop(COOKIE_WRITE)


def participant() -> access.Participant | None:
    """The participant's pass held in this browser session, if any."""
    return st.session_state.get(PARTICIPANT)


def any_pass() -> access.Pass | None:
    """The facilitator's pass, else the participant's: who may add to the practices library."""
    return facilitator() or participant()


def attempt(action: Callable[..., object], *args: object, **kwargs: object) -> object:
    """Run a store operation; on bad input, no access or an unreachable store show the Dutch message, return FAILED."""
    try:
        return action(*args, **kwargs)
    except (schema.InvalidInput, practices.InvalidPractice, views.ViewError) as problem:
        st.error(text.escape_markdown(str(problem)), icon=":material/error:")
    except ratelimit.RateLimited as problem:
        st.warning(text.escape_markdown(str(problem)), icon=":material/hourglass_top:")
    except access.AccessDenied as problem:
        st.error(text.escape_markdown(str(problem)), icon=":material/lock:")
    except store.StoreUnavailable as problem:
        st.error(str(problem), icon=":material/cloud_off:")
    return FAILED


def outcome(action: Callable[..., object], *args: object, **kwargs: object) -> tuple[object, str | None]:
    """Run a store operation: (its result, None), or (FAILED, the Dutch message of why not) without drawing it."""
    try:
        return action(*args, **kwargs), None
    except (schema.InvalidInput, practices.InvalidPractice, views.ViewError, access.AccessDenied,
            store.StoreUnavailable) as problem:  # fmt: skip
        return FAILED, str(problem)


def show_flash() -> None:
    """Show (once) the success message `form_done` left for the run after it (`forms.flash`, the pages' own key)."""
    forms.flash(FLASH)


def empty_form_if_done(name: str, keys: list[str]) -> None:
    """Before a form is drawn: empty its fields when it was stored successfully in the previous run.

    A form is not cleared on submit, so that text a person typed survives a rejected submission.
    """
    if st.session_state.pop(f"_hangout_done_{name}", False):
        for key in keys:
            # assigning (not deleting) makes the browser empty the field too; "" is a valid choice in every
            # select box these forms use
            if isinstance(st.session_state.get(key), str):
                st.session_state[key] = ""
            else:
                st.session_state.pop(key, None)


def form_done(name: str, message: str) -> None:
    """After a form was stored: empty it on the next run (with a new write token), say so, and rerun."""
    st.session_state[f"_hangout_done_{name}"] = True
    forms.new_write_token(name)
    forms.flash(FLASH, message)
    st.rerun()


def then_rerun(action: Callable[..., object], *args: object, **kwargs: object) -> None:
    """Do a store operation and rerun so the page shows the new state; on failure the Dutch message stays."""
    if attempt(action, *args, **kwargs) is not FAILED:
        st.rerun()


def require_store() -> None:
    """Stop the page with the store's Dutch message when the store does not answer."""
    problem = store.check()
    if problem:
        st.error(problem, icon=":material/cloud_off:")
        st.stop()


def join_url(join_code: str) -> str:
    """The link participants open: the app's own address with /meedoen?code=…, or a relative link when unknown."""
    link = f"{JOIN_PATH}?{urlencode({'code': join_code})}"
    current = st.context.url
    if not current:
        return link
    parts = urlsplit(current)
    base = parts.path.rstrip("/").rsplit("/", 1)[0] if parts.path.count("/") > 1 else ""
    return f"{parts.scheme}://{parts.netloc}{base}/{link}"


def pin_control(url_path: str, settings: Mapping[str, str], title: str, key: str) -> None:
    """'Vastzetten in sessie': the facilitator pins this page's view (context and settings) to the agenda.

    Shown only to a facilitator who opened a session in this browser; pages call it with one line.
    """
    facilitator_pass = facilitator()
    if facilitator_pass is None:
        return
    params = {**views.context_params(ui.context_in_use()), **{name: value for name, value in settings.items() if value}}
    digest = hashlib.sha1(json.dumps(params, sort_keys=True).encode()).hexdigest()[:10]
    with st.popover("Vastzetten in sessie", icon=":material/push_pin:", key=f"{key}_pin_popover"):
        themes = attempt(session.themes, facilitator_pass)
        if themes is FAILED:
            return
        names = {theme.theme_id: theme.name for theme in themes}
        theme_id = st.selectbox("Thema", list(names), format_func=names.get, key=f"{key}_pin_thema")
        own_title = st.text_input(
            "Titel op de agenda",
            placeholder=title,
            key=f"{key}_pin_titel_{digest}",
            help="Leeg laten: de titel van de grafiek.",
        )
        note = st.text_area("Toelichting (optioneel)", key=f"{key}_pin_toelichting_{digest}", height=80)
        if st.button("Vastzetten", type="primary", icon=":material/push_pin:", key=f"{key}_pin_knop"):
            pinned = attempt(pinning.pin_view, facilitator_pass, url_path, params, own_title or title, theme_id, note)
            if pinned is not FAILED:
                st.success("Vastgezet op de agenda van de sessie.", icon=":material/check_circle:")


def rendered_view(url_path: str, params: Mapping[str, str]) -> views.Rendered | None:
    """A pinned view drawn (cached per warehouse and params); None with a Dutch message when it cannot be drawn."""
    result = attempt(cache.computed, views.render, url_path, tuple(sorted(params.items())))
    return None if result is FAILED else result


def show_view(rendered: views.Rendered, large: bool = False) -> None:
    """A pinned view's figure, its one-sentence reading, its settings and any notices."""
    for notice in rendered.notices:
        st.caption(f":material/info: {text.escape_markdown(notice)}")
    if rendered.figure is None:
        st.info(text.escape_markdown(rendered.reason or "Er is niets te tonen."), icon=":material/info:")
        return
    ui.show_chart(rendered.figure.screen_spec, rendered.figure.meta, slide=large)
    st.markdown(text.escape_markdown(rendered.figure.description))
    if rendered.headline is not None:
        st.dataframe(rendered.headline, hide_index=True, width="stretch")
    st.caption(
        " · ".join(
            f"{text.escape_markdown(label)}: {text.escape_markdown(value)}" for label, value in rendered.settings
        )
    )


def show_card(
    card: board.Card,
    view_titles: Mapping[str, str] | None = None,
    practice_labels: Mapping[str, str] | None = None,
    own_dots: int = 0,
) -> None:
    """One card as text: kind, author, text, what it refers to, votes (once revealed) and the reader's own dots."""
    with st.container(border=True):
        head = f"**{card.kind_label}**"
        if card.author:
            head += f" · {text.escape_markdown(card.author)}"
        if card.group:
            head += f" · :gray-badge[{text.escape_markdown(card.group)}]"
        if card.votes is not None:
            head += f" · :orange-badge[{card.votes} {'stip' if card.votes == 1 else 'stippen'}]"
        if own_dots:
            head += f" · :blue-badge[mijn stippen: {own_dots}]"
        st.markdown(head)
        st.markdown(text.escape_markdown(card.text))
        notes = []
        if card.merged:
            notes.append("samengevoegd met: " + " | ".join(card.merged))
        if card.view_id and view_titles and card.view_id in view_titles:
            notes.append(f"bij: {view_titles[card.view_id]}")
        if card.practice_id and practice_labels and card.practice_id in practice_labels:
            notes.append(f"goede praktijk: {practice_labels[card.practice_id]}")
        if notes:
            st.caption(text.escape_markdown(" · ".join(notes)))


def practice_labels(cards_list: list[board.Card]) -> dict[str, str]:
    """'Titel (Gemeente)' of every practice the cards refer to."""
    found = practices.by_ids([card.practice_id for card in cards_list if card.practice_id])
    return {practice_id: practice.label for practice_id, practice in found.items()}


def show_practice(practice: practices.Practice, key: str) -> None:
    """A practice from the library: every field as text; the (validated http/https) link as a link button."""
    with st.container(border=True):
        st.markdown(f"**{text.escape_markdown(practice.title)}**")
        meta = [part for part in (practice.municipality, practice.theme) if part]
        if meta:
            st.caption(text.escape_markdown(" · ".join(meta)))
        st.markdown(text.escape_markdown(practice.description))
        if practice.contact:
            st.markdown(f"Contact: {text.escape_markdown(practice.contact)}")
        if practice.link:
            st.link_button("Meer informatie", practice.link, icon=":material/open_in_new:", key=f"{key}_link")
            st.caption(text.escape_markdown(practice.link))


def practice_form(who: access.Pass, key: str, theme_options: list[str] | None = None) -> None:
    """The form to add a practice to the library (for someone in a session)."""
    fields = [f"{key}_{name}" for name in ("titel", "beschrijving", "gemeente", "thema", "contact", "link")]
    empty_form_if_done(key, fields)
    municipalities = ["", *ui.choices_in_use().municipalities.values(), "Elders"]
    with st.form(key):
        title = st.text_input("Titel", key=fields[0])
        description = st.text_area("Wat is er gedaan, en wat werkte?", key=fields[1])
        left, right = st.columns(2)
        municipality = left.selectbox("Gemeente", municipalities, format_func=lambda name: name or "—", key=fields[2])
        theme = right.selectbox(
            "Thema",
            ["", *(theme_options or [])],
            format_func=lambda name: name or "—",
            accept_new_options=True,
            key=fields[3],
        )
        contact = st.text_input("Contact (naam, e-mail of telefoon)", key=fields[4])
        link = st.text_input("Link (https://…)", key=fields[5])
        submitted = st.form_submit_button("Toevoegen aan de bibliotheek", icon=":material/library_add:")
    if submitted:
        added = attempt(practices.add, who, title, description, municipality, theme or "", contact, link)
        if added is not FAILED:
            form_done(key, "De goede praktijk staat in de bibliotheek.")


def card_form(
    who: access.Pass,
    key: str,
    themes: list[session.Theme],
    pinned: list[pinning.PinnedView],
    current_view: str | None = None,
    practice_options: dict[str, str] | None = None,
) -> None:
    """Write a card: theme, kind, text, optionally tied to a pinned view and a good practice."""
    fields = [f"{key}_tekst"]
    empty_form_if_done(key, fields)
    names = {theme.theme_id: theme.name for theme in themes}
    views = {view.view_id: view.title for view in pinned}
    current = next((view for view in pinned if view.view_id == current_view), None)
    default_theme = list(names).index(current.theme_id) if current and current.theme_id in names else 0
    with st.form(key):
        theme_id = st.selectbox("Thema", list(names), index=default_theme, format_func=names.get, key=f"{key}_thema")
        kind = st.segmented_control(
            "Soort kaart",
            list(schema.KINDS),
            default="nieuwsgierig",
            required=True,
            format_func=schema.KINDS.get,
            key=f"{key}_soort",
        )
        body = st.text_area(
            "Uw kaart",
            key=fields[0],
            placeholder="Eén gedachte per kaart: wat ziet u, wat vraagt u zich af, wat stelt u voor?",
        )
        view_options = [None, *views]
        view_id = st.selectbox(
            "Bij welke weergave? (optioneel)",
            view_options,
            index=view_options.index(current_view) if current_view in views else 0,
            format_func=lambda value: "—" if value is None else views[value],
            key=f"{key}_weergave",
        )
        practice_id = None
        if practice_options:
            options = [None, *practice_options]
            practice_id = st.selectbox(
                "Verwijst naar een goede praktijk (optioneel)",
                options,
                format_func=lambda value: "—" if value is None else practice_options[value],
                key=f"{key}_praktijk",
            )
        submitted = st.form_submit_button("Kaart plaatsen", type="primary", icon=":material/add_comment:")
    if submitted:
        added = attempt(board.add_card, who, theme_id, kind, body, view_id, practice_id, token=forms.write_token(key))
        if added is not FAILED:
            form_done(key, "Uw kaart staat op het bord.")
