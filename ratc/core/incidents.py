"""Errors without internals: a visitor sees a Dutch message with an incident code, the server log gets the detail.

An incident code is short and random (`store.short_code`'s alphabet, read aloud without confusion), so an operator
finds the log line a visitor quotes, and nothing about hosts, ports, users, paths or the code leaks to the screen.
"""

from __future__ import annotations

import logging
import secrets

LOGGER = logging.getLogger("ratc.incidents")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    """A fresh incident code, e.g. 'K7M2QX'."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def record(what: str, error: BaseException | None = None, detail: str = "") -> str:
    """Log an incident with its technical detail (and traceback) on the server; returns the code to show."""
    code = new_code()
    LOGGER.error("incident %s: %s%s", code, what, f" ({detail})" if detail else "", exc_info=error)
    return code


def visitor_message(code: str) -> str:
    """The Dutch sentence that hands a visitor the incident code."""
    return f"Meld bij de beheerder storingscode {code}; daarmee vindt die de details in het serverlogboek."
