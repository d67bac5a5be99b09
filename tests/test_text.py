"""User text is shown as text: no HTML, links, emphasis, LaTeX or Streamlit colour codes get through."""

from __future__ import annotations

import re

import pytest

from ratc.core import text


def test_markdown_payloads_are_escaped():
    payload = "<script>alert(1)</script> [klik](https://evil.example) **vet** $x$ :red[rood] # kop"
    escaped = text.escape_markdown(payload)
    # Every markup character is preceded by a backslash, so markdown shows it as the character itself.
    assert re.search(r"(?<!\\)[<>\[\]()*$:#]", escaped) is None
    assert re.sub(r"\\(.)", r"\1", escaped).replace(text.WORD_JOINER, "") == payload


@pytest.mark.parametrize(
    "payload",
    ["zie https://kwaad.example/pad", "HTTP://KWAAD.EXAMPLE", "www.kwaad.example", "WWW.Kwaad.example",
     "mail iemand@kwaad.example", "ftp://host/x"],
)  # fmt: skip
def test_bare_urls_and_addresses_are_not_linked(payload):
    escaped = text.escape_markdown(payload)
    shown = re.sub(r"\\(.)", r"\1", escaped)  # what the reader sees after markdown resolves the escapes
    # the patterns Streamlit's markdown (GFM autolink literals) turns into links
    assert re.search(r"(?i)(https?|ftp)://|www\.", shown) is None
    assert re.search(r"[-.\w+]+@[-\w]+(\.[-\w]+)+", shown) is None
    assert shown.replace(text.WORD_JOINER, "") == payload


def test_lines_and_blocks_are_cleaned_and_limited():
    assert text.clean_line("  twee\tspaties \x00 ", 100) == "twee spaties"
    assert text.clean_line("a" * 300, 10) == "a" * 10
    assert text.clean_block("regel 1\r\nregel 2\x07", 100) == "regel 1\nregel 2"
