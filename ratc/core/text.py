"""User text made safe to show: every piece of text a person typed is rendered as text, never as markup."""

from __future__ import annotations

import re
import string

_PUNCTUATION = frozenset(string.punctuation)
# GFM turns bare URLs and e-mail addresses into links after escapes are resolved, so escaping cannot stop it;
# an invisible word joiner inside the trigger ('://', 'www.', '@') does, and the text reads the same.
WORD_JOINER = "\u2060"
_AUTOLINK_TRIGGERS = re.compile(r"://|(?i:www)\.|@")
# Typed text longer than this is refused before it is cleaned (cleaning megabytes takes seconds); every field's own
# limit is far below it.
MAX_RAW = 100_000


def escape_markdown(text: str) -> str:
    """Text safe inside Streamlit markdown: no links (not even bare URLs), emphasis, HTML, LaTeX, colour or emoji."""
    defused = _AUTOLINK_TRIGGERS.sub(_defuse, str(text))
    # CommonMark allows a backslash before any ASCII punctuation, so escaping all of it is always valid.
    escaped = "".join("\\" + char if char in _PUNCTUATION else char for char in defused)
    # Line breaks stay line breaks; nothing else may start a block (list, heading, quote).
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def _defuse(match: re.Match) -> str:
    """Break an autolink trigger with a word joiner: before the last character of '://' and 'www.', after '@'."""
    found = match.group(0)
    return "@" + WORD_JOINER if found == "@" else found[:-1] + WORD_JOINER + found[-1]


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
