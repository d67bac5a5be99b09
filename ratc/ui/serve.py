"""Start the app: `streamlit run app.py`, routed by `st.navigation` from the very first request."""

from __future__ import annotations

import sys

from ratc.core import paths


def serve(options: list[str]) -> int:
    """Run the Streamlit server on app.py with the given `streamlit run` options; returns its exit status."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    # With a pages/ folder, Streamlit routes the first session of a process by that folder (its old multipage
    # mode) until st.navigation has run once, so a deep link such as /kaart opened first after a start showed
    # "Page not found" over the right page. app.py always calls st.navigation, so that mode is never wanted.
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(paths.ROOT / "app.py"), *options]
    try:
        cli.main()
    except SystemExit as done:
        return int(done.code or 0)
    return 0
