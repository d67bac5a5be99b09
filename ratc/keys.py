"""Write keys for the shared store's forms, configured outside the repo; a form is open when no key is set.

- RATC_CONTINUITY_KEY: the region's key for the continuity reports (every municipality) and for recording
  couplings between municipalities; RATC_CONTINUITY_KEY_<CBS code> (e.g. RATC_CONTINUITY_KEY_GM0505)
  additionally lets one municipality report for itself only.
- RATC_INITIATIVES_KEY: registering initiatives and recording coalitions.
"""

from __future__ import annotations

import hmac
import os

CONTINUITY = "RATC_CONTINUITY_KEY"
INITIATIVES = "RATC_INITIATIVES_KEY"


def municipality_variable(area_code: str) -> str:
    """The variable of one municipality's own reporting key: RATC_CONTINUITY_KEY_GM0505."""
    return f"{CONTINUITY}_{area_code}"


def configured(*variables: str) -> bool:
    """Whether any of these keys is set (then writing needs one of them)."""
    return any(os.environ.get(variable) for variable in variables)


def may_write(given: str | None, *variables: str) -> bool:
    """True when none of the keys is set, or the given key matches one that is (compared in constant time)."""
    expected = [os.environ[variable] for variable in variables if os.environ.get(variable)]
    if not expected:
        return True
    offered = (given or "").encode("utf-8")
    # compare with every key, not just until the first match, so timing says nothing about which one matched
    matches = [hmac.compare_digest(offered, key.encode("utf-8")) for key in expected]
    return any(matches)


def may_report(given: str | None, area_code: str) -> bool:
    """Whether this key may report for the municipality: its own key or the region's (open when neither is set)."""
    return may_write(given, municipality_variable(area_code), CONTINUITY)


def may_couple(given: str | None) -> bool:
    """Whether this key may record a coupling between municipalities: the region's key (open when unset)."""
    return may_write(given, CONTINUITY)


def may_register(given: str | None) -> bool:
    """Whether this key may register initiatives and record coalitions (open when RATC_INITIATIVES_KEY is unset)."""
    return may_write(given, INITIATIVES)
