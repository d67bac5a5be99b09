"""Accessibility of the frame: one stylesheet and one script for every page (docs/TOEGANKELIJKHEID.md).

The stylesheet gives every focusable element a visible ring, shows a chart's toolbar on keyboard focus and hides
the heading anchors. The script says the page is Dutch (`lang="nl"`; Streamlit has no setting for it), gives
Streamlit's own English control names a Dutch name, and hides the tiles' decorative sparklines from screen readers.
Both are the app's own constant text, never user input.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ratc.core import paths
from ratc.monitor.tiles import Tile

STATIC = Path(__file__).parent / "static"
STYLESHEET = STATIC / "access.css"
SCRIPT = STATIC / "access.js"
SCRIPT_KEY = "ratc-toegankelijkheid"  # the stylesheet hides its container (.st-key-…)
STATEMENT = paths.ROOT / "docs" / "TOEGANKELIJKHEID.md"
STATEMENT_LABEL = "Toegankelijkheidsverklaring (WCAG 2.1 AA)"


def frame() -> None:
    """Add the stylesheet and the script to this run's page as its first element; once per run, from app.py.

    One element in the main area, like every other, so a rerun never takes the stylesheet away for a moment.
    """
    css, script = STYLESHEET.read_text(encoding="utf-8"), SCRIPT.read_text(encoding="utf-8")
    with st.container(key=SCRIPT_KEY):
        st.html(f"<style>{css}</style><script>{script}</script>", unsafe_allow_javascript=True)


def statement() -> None:
    """The accessibility statement (docs/TOEGANKELIJKHEID.md) in an expander, its sections under the page's h2."""
    lines = STATEMENT.read_text(encoding="utf-8").splitlines()[1:]  # its title is the expander's label
    with st.expander(STATEMENT_LABEL):
        st.markdown("\n".join(f"#{line}" if line.startswith("## ") else line for line in lines))


def tile_definitions(domain: str, tiles: list[Tile]) -> None:
    """A domain's tiles' definitions, sources and provenance in one place: one tab stop, not a help button per tile."""
    if tiles:
        with st.expander(f"Definities en herkomst: {domain}"):
            st.markdown("\n\n---\n\n".join(tile.help_text for tile in tiles))
