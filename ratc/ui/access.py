"""Accessibility of the frame: one stylesheet and one script for every page (docs/TOEGANKELIJKHEID.md).

The stylesheet gives every focusable element a visible ring, shows a chart's toolbar on keyboard focus and hides
the heading anchors. The script says the page is Dutch (`lang="nl"`; Streamlit has no setting for it), gives
Streamlit's own English control names a Dutch name, and hides the tiles' decorative sparklines from screen readers.
Both are the app's own constant text, never user input.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

STATIC = Path(__file__).parent / "static"
STYLESHEET = STATIC / "access.css"
SCRIPT = STATIC / "access.js"
SCRIPT_KEY = "ratc-toegankelijkheid"  # the stylesheet hides its container (.st-key-…)


def frame() -> None:
    """Add the stylesheet and the script to this run's page; once per run, from app.py."""
    st.html(STYLESHEET)
    with st.container(key=SCRIPT_KEY):
        st.html(f"<script>{SCRIPT.read_text(encoding='utf-8')}</script>", unsafe_allow_javascript=True)
