"""What every page run passes through: the local trial mode's notice, and a catch-all for unexpected errors.

An unexpected error shows a Dutch message with an incident code (`ratc.core.incidents`); its traceback goes to
the server log only. RATC_DEBUG=1 (set by the test suite) raises it instead, so tests see it.
"""

from __future__ import annotations

import os

import streamlit as st

from ratc.core import incidents, keys

DEBUG = "RATC_DEBUG"


def trial_notice() -> None:
    """In the local trial mode, say on every page that the forms are open and the server is local only.

    In the sidebar under the page links, short enough to leave them on a 1280×720 screen: the trial mode listens on
    127.0.0.1 only, so it is seen on a computer's screen, where the sidebar is open, and the page's own first
    messages stay first.
    """
    if not keys.trial_mode():
        return
    st.sidebar.warning(
        "**Proefmodus op deze computer**: formulieren staan open zonder sleutel. Niet voor echte gegevens; "
        "docs/DEPLOY.md beschrijft de start voor productie.",
        icon=":material/lock_open:",
    )


def run_page(page) -> None:
    """Run the page; an unexpected error becomes a Dutch message with an incident code (detail in the log)."""
    try:
        page.run()
    except Exception as error:  # noqa: BLE001 - st.stop and st.rerun are BaseExceptions and pass through
        if os.environ.get(DEBUG) == "1":
            raise
        code = incidents.record("a page failed", error, getattr(page, "url_path", ""))
        st.error(
            "Er ging iets mis op deze pagina; wat u zag of invulde is niet verwerkt. Probeer het opnieuw of ververs de "
            f"pagina. {incidents.visitor_message(code)}",
            icon=":material/error:",
        )
