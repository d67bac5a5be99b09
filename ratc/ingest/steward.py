"""Who may deliver data: the data steward's key, configured outside the repo (RATC_STEWARD_KEY).

Like every key (`ratc.core.keys`), a missing one closes deliveries, except in the local trial mode.
"""

from __future__ import annotations

from ratc.core import keys

KEY_VARIABLE = keys.STEWARD


def key_configured() -> bool:
    """Whether deliveries are protected by a steward key."""
    return keys.configured(KEY_VARIABLE)


def may_deliver(given: str | None) -> bool:
    """True when the given key matches the configured one (constant time); without one, only in the trial mode."""
    return keys.may_write(given, KEY_VARIABLE)


def require(given: str | None) -> None:
    """keys.AccessDenied (Dutch, naming RATC_STEWARD_KEY when it is not set) unless this key may deliver."""
    keys.require(may_deliver(given), "De sleutel van de databeheerder is niet juist; er is niets opgeslagen.",
                 KEY_VARIABLE)  # fmt: skip
