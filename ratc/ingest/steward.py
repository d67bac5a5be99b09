"""Who may deliver data: the data steward's key, configured outside the repo (RATC_STEWARD_KEY)."""

from __future__ import annotations

import hmac
import os

KEY_VARIABLE = "RATC_STEWARD_KEY"


def key_configured() -> bool:
    """Whether deliveries are protected by a steward key."""
    return bool(os.environ.get(KEY_VARIABLE))


def may_deliver(given: str | None) -> bool:
    """True when no key is configured, or the given key matches it (compared in constant time)."""
    expected = os.environ.get(KEY_VARIABLE, "")
    if not expected:
        return True
    return hmac.compare_digest((given or "").encode("utf-8"), expected.encode("utf-8"))
