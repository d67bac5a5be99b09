"""User text made safe to show: every piece of text a person typed is rendered as text, never as markup."""

from __future__ import annotations

import string

_PUNCTUATION = frozenset(string.punctuation)


def escape_markdown(text: str) -> str:
    """Text safe inside Streamlit markdown: no links, emphasis, HTML, LaTeX, colour or emoji codes."""
    # CommonMark allows a backslash before any ASCII punctuation, so escaping all of it is always valid.
    escaped = "".join("\\" + char if char in _PUNCTUATION else char for char in str(text))
    # Line breaks stay line breaks; nothing else may start a block (list, heading, quote).
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def clean_line(text: object, limit: int) -> str:
    """One line of user input: stripped, control characters removed, at most `limit` characters."""
    value = "" if text is None else str(text)
    value = "".join(char if char.isprintable() else " " if char.isspace() else "" for char in value)
    return " ".join(value.split())[:limit]


def clean_block(text: object, limit: int) -> str:
    """A multi-line user text: control characters removed except line breaks, at most `limit` characters."""
    value = "" if text is None else str(text).replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(char for char in value if char == "\n" or char.isprintable())
    return value.strip()[:limit]
