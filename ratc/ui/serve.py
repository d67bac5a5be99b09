"""Start the app: `streamlit run app.py`, routed by `st.navigation` from the very first request.

`--local` starts the local trial mode: forms whose key is not configured are open (`ratc.core.keys`), so the
server is bound to 127.0.0.1 and every page says so. Without `--local` the trial mode is off, whatever the
environment says: a production start never opens a form by accident.
"""

from __future__ import annotations

import os
import sys

from ratc.core import keys, paths

LOCAL_FLAG = "--local"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(options: list[str]) -> int:
    """Run the Streamlit server on app.py with the given `streamlit run` options; returns its exit status."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    options, refusal = trial_options(options)
    if refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 2
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


def trial_options(options: list[str]) -> tuple[list[str], str | None]:
    """The Streamlit options with `--local` handled (trial mode on, bound to loopback), and a refusal or None.

    Sets or clears RATC_LOCAL_TRIAL in this process's environment, which the app's script runs in.
    """
    if LOCAL_FLAG not in options:
        os.environ.pop(keys.TRIAL, None)
        return options, None
    rest = [option for option in options if option != LOCAL_FLAG]
    address = _option(rest, "--server.address")
    if address is not None and address not in LOOPBACK:
        return rest, f"--local only listens on this computer (127.0.0.1), not on {address}"
    os.environ[keys.TRIAL] = "1"
    if address is None:
        rest += ["--server.address", "127.0.0.1"]
    print(
        "Local trial mode: forms without a configured RATC_*_KEY are open to anyone who reaches "
        "http://127.0.0.1; never use this for real data (docs/DEPLOY.md shows the production start).",
        file=sys.stderr,
    )
    return rest, None


def _option(options: list[str], name: str) -> str | None:
    """The value of a `streamlit run` option given as `--name value` or `--name=value`, or None."""
    for index, option in enumerate(options):
        if option == name and index + 1 < len(options):
            return options[index + 1]
        if option.startswith(f"{name}="):
            return option.split("=", 1)[1]
    return None
