"""Shared Streamlit parts of the pages that write: the store's answers and forms, kept messages, demo or real.

Text fields whose value reaches the store get no `max_chars`: Streamlit cuts a longer value on the server without
a word (a value sent over the WebSocket never met the browser's counter); `ratc` refuses it with a Dutch message
that names the limit, and the form keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from ratc.core import checks, keys, store, text

T = TypeVar("T")


def delivery_errors(messages: list[str]) -> None:
    """File-level problems of an upload, each on its own line."""
    st.error("Dit bestand kan niet worden ingelezen:\n\n" + "\n".join(f"- {text.escape_markdown(m)}" for m in messages),
             icon=":material/error:")  # fmt: skip


def delivery_report(validation) -> None:
    """Every row error, or what a valid delivery holds and what it would change."""
    from ratc.ingest import delivery  # the importer is only needed on the delivery page

    if not validation.ok:
        st.error(
            f"{len(validation.errors)} {'probleem' if len(validation.errors) == 1 else 'problemen'} gevonden; "
            "er is niets opgeslagen. "
            "Herstel het bestand en lever het opnieuw aan.",
            icon=":material/error:",
        )
        st.dataframe(delivery.error_table(validation), hide_index=True, width="stretch")
        return
    st.success(f"Het bestand is in orde: {len(validation.rows)} waarnemingen.", icon=":material/check_circle:")
    st.dataframe(delivery.summary(validation), hide_index=True, width="stretch")
    if len(validation.changes):
        st.warning(f"{len(validation.changes)} bestaande waarden worden vervangen:", icon=":material/swap_horiz:")
        st.dataframe(validation.changes, hide_index=True, width="stretch")


KEPT_TEXT = " Uw invoer staat nog in het formulier."


STORE_DEMO_TEXT = (
    "**Demodata** — deze meldingen en initiatieven zijn verzonnen voor demonstratie en training. "
    "Echte gegevens worden nooit met demodata gemengd."
)


def from_store(read: Callable[[], T]) -> T:
    """What `read` gets from the shared store; when the store does not answer, its message, and the page stops."""
    try:
        return read()
    except store.StoreUnavailable as error:
        st.error(str(error), icon=":material/cloud_off:")
        st.stop()


def stored_content(holdings: Callable[[], tuple[bool, bool]], flash_key: str, demo_key: str,
                   empty: Callable[[], None] | None = None) -> bool:  # fmt: skip
    """A store page's start: its kept message, then demo or real (True: demo); stops when down, or after `empty`."""
    flash(flash_key)
    has_real, has_demo = from_store(holdings)
    if empty is not None and not (has_real or has_demo):
        empty()
        st.stop()
    return demo_or_real(has_real, has_demo, key=demo_key)


def demo_or_real(has_real: bool, has_demo: bool, key: str) -> bool:
    """Whether to show the shared store's demo content (labelled 'Demodata') or its real content; never both."""
    demo = has_demo and not has_real
    if has_real and has_demo:
        demo = st.toggle(
            "Demodata tonen in plaats van echte gegevens", key=key,
            help="De opslag bevat echte gegevens én demodata. Ze worden nooit door elkaar getoond.",
        )  # fmt: skip
    if demo:
        st.info(STORE_DEMO_TEXT, icon=":material/science:")
    return demo


def empty_store(text_before: str, load_demo, may_load: bool, key: str) -> None:
    """Say that nothing is stored yet, and offer to load the demo content (labelled as Demodata everywhere)."""
    st.info(
        f"{text_before} Voor een demonstratie of training kunt u **Demodata** laden: verzonnen voorbeelden die overal "
        "als Demodata gemarkeerd staan en nooit met echte gegevens worden gemengd.",
        icon=":material/inbox:",
    )
    if st.button("Demodata laden", key=key, icon=":material/science:", disabled=not may_load):
        with st.spinner("Demodata laden …"):
            load_demo()
        st.rerun()


def write_key(label: str, needed: bool, key: str) -> str | None:
    """A password field for a write key when one is configured; None when there is none to type."""
    if not needed:
        return None
    return st.text_input(label, type="password", key=key)


def no_key_notice(variable: str, what: str) -> None:
    """Say what a missing key means: closed, naming the variable to set; open to anyone in the local trial mode."""
    if keys.trial_mode():
        st.caption(
            f":material/lock_open: Proefmodus. Er is geen sleutel ingesteld ({variable}): iedereen die deze pagina kan "
            f"openen, kan {what}. Stel een sleutel in voor gebruik buiten een testomgeving."
        )
        return
    st.error(
        f"{what[:1].upper()}{what[1:]} kan op deze server niet: er is geen sleutel ingesteld ({variable}). "
        f"Beheerder: stel {variable} in (zie docs/DEPLOY.md).",
        icon=":material/lock:",
    )


def form_problems(problems) -> None:
    """Every problem of a form (checks.Problem), each naming its field and row; the form keeps what was typed."""
    count = len(problems)
    lines = "\n".join(f"- {text.escape_markdown(problem.text)}" for problem in problems)
    st.error(
        f"{count} {'punt' if count == 1 else 'punten'} om te herstellen; er is niets opgeslagen en uw invoer staat "
        f"nog in het formulier:\n\n{lines}",
        icon=":material/error:",
    )


def flash(key: str, message: str | None = None) -> None:
    """Keep a success message for the next run (after st.rerun), or show and forget the one that was kept."""
    if message is not None:
        st.session_state[key] = message
        return
    kept = st.session_state.pop(key, None)
    if kept:
        st.success(kept, icon=":material/check_circle:")


def save(write: Callable[[], T], flash_key: str, message: str | Callable[[T], str], kept: bool = False,
         forget_prefix: str | None = None) -> None:  # fmt: skip
    """Store a form: on success keep `message` for the next run and rerun, else say why (`kept`: the input stays)."""
    note = KEPT_TEXT if kept else ""
    try:
        result = write()
    except keys.AccessDenied as error:
        st.error(f"{error}{note}", icon=":material/lock:")
    except checks.Invalid as invalid:
        form_problems(invalid.problems)
    except store.StoreUnavailable as error:
        st.error(f"{error}{note}", icon=":material/cloud_off:")
    else:
        flash(flash_key, message if isinstance(message, str) else message(result))
        if forget_prefix is not None:
            forget(forget_prefix)
        st.rerun()


def pick_need(needs: dict[str, str], label: str, key: str, nothing: str,
              offers: Callable[[str], object]) -> str | None:  # fmt: skip
    """A select box of open needs and the table of ranked offers for the one chosen; None (saying `nothing`) if none."""
    if not needs:
        st.write(nothing)
        return None
    need = st.selectbox(label, list(needs), format_func=needs.get, key=key)
    st.dataframe(offers(need), hide_index=True, width="stretch",
                 column_config={"Waarom": st.column_config.TextColumn(width="large")})  # fmt: skip
    return need


def connection_id() -> str:
    """This browser connection's own random id (in its session state): what per-connection rate limits count."""
    return st.session_state.setdefault("_ratc_connection", store.new_id())


def write_token(form: str) -> str:
    """The token of what this form sends now: the same on a resend after a lost confirmation, so the store keeps it
    once (store.client_token); `new_write_token` after the store confirmed it."""
    return st.session_state.setdefault(f"_ratc_token_{form}", store.new_id())


def new_write_token(form: str) -> None:
    """The form's next submission is a new write (after the store confirmed the last one)."""
    st.session_state.pop(f"_ratc_token_{form}", None)


def forget(prefix: str) -> None:
    """Clear every widget whose key starts with `prefix` (a form after it was stored), so it starts empty again."""
    for key in [key for key in st.session_state if str(key).startswith(prefix)]:
        del st.session_state[key]
