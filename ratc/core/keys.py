"""Write keys for the shared store's forms, configured outside the repo; a form is open when no key is set.

- RATC_CONTINUITY_KEY: the region's key for the continuity reports (every municipality) and for recording
  couplings between municipalities; RATC_CONTINUITY_KEY_<CBS code> (e.g. RATC_CONTINUITY_KEY_GM0505)
  additionally lets one municipality report for itself only.
- RATC_INITIATIVES_KEY: registering initiatives and recording coalitions.
- RATC_HANGOUT_KEY: creating a hang-out session (joining and everything after it go by the session's own codes).

The writing functions in `ratc` check the key themselves (`require`), so no caller can forget it; a page only
passes on what was typed. The command line is trusted (whoever runs it can read these variables anyway) and
passes `TRUSTED` instead of a key.
"""

from __future__ import annotations

import hmac
import os

CONTINUITY = "RATC_CONTINUITY_KEY"
INITIATIVES = "RATC_INITIATIVES_KEY"
HANGOUT = "RATC_HANGOUT_KEY"


class AccessDenied(PermissionError):
    """A write refused because the key is missing or wrong; the message is Dutch and fit to show."""


class Trusted:
    """The caller is trusted (the command line run by the operator): no key is asked."""

    def __repr__(self) -> str:
        """How it shows in logs and tracebacks."""
        return "keys.TRUSTED"


# a singleton that no typed text can turn into: a key field always gives a str or None
TRUSTED = Trusted()
Key = str | Trusted | None


def municipality_variable(area_code: str) -> str:
    """The variable of one municipality's own reporting key: RATC_CONTINUITY_KEY_GM0505."""
    return f"{CONTINUITY}_{area_code}"


def configured(*variables: str) -> bool:
    """Whether any of these keys is set (then writing needs one of them)."""
    return any(os.environ.get(variable) for variable in variables)


def may_write(given: Key, *variables: str) -> bool:
    """True when none of the keys is set, or the given key matches one that is (compared in constant time)."""
    if given is TRUSTED:
        return True
    expected = [os.environ[variable] for variable in variables if os.environ.get(variable)]
    if not expected:
        return True
    offered = (given if isinstance(given, str) else "").encode("utf-8")
    # compare with every key, not just until the first match, so timing says nothing about which one matched
    matches = [hmac.compare_digest(offered, key.encode("utf-8")) for key in expected]
    return any(matches)


def may_report(given: Key, area_code: str) -> bool:
    """Whether this key may report for the municipality: its own key or the region's (open when neither is set)."""
    return may_write(given, municipality_variable(area_code), CONTINUITY)


def may_couple(given: Key) -> bool:
    """Whether this key may record a coupling between municipalities: the region's key (open when unset)."""
    return may_write(given, CONTINUITY)


def may_register(given: Key) -> bool:
    """Whether this key may register initiatives and record coalitions (open when RATC_INITIATIVES_KEY is unset)."""
    return may_write(given, INITIATIVES)


def may_create_hangout(given: Key) -> bool:
    """Whether this key may create a hang-out session (open when RATC_HANGOUT_KEY is unset)."""
    return may_write(given, HANGOUT)


def require(allowed: bool, refusal: str) -> None:
    """AccessDenied with this Dutch refusal unless the key was allowed (one of the may_* answers)."""
    if not allowed:
        raise AccessDenied(refusal)
