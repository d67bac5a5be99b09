"""Write keys for the shared store's forms, configured outside the repo; without its key a form is closed.

- RATC_CONTINUITY_KEY: the region's key for the continuity reports (every municipality) and for recording
  couplings between municipalities; RATC_CONTINUITY_KEY_<CBS code> (e.g. RATC_CONTINUITY_KEY_GM0505)
  additionally lets one municipality report for itself only.
- RATC_INITIATIVES_KEY: registering initiatives and recording coalitions.
- RATC_HANGOUT_KEY: creating a hang-out session (joining and everything after it go by the session's own codes).

The writing functions in `ratc` check the key themselves (`require`), so no caller can forget it; a page only
passes on what was typed. Secure by default: a protected action whose key is not configured is refused, with a
Dutch message that names the variable to set — except in the local trial mode (RATC_LOCAL_TRIAL=1, set only by
`python -m ratc serve --local`, which binds the server to 127.0.0.1), where every form is open and every page says
so. The command line is trusted (whoever runs it can read these variables anyway) and passes `TRUSTED` instead of
a key.
"""

from __future__ import annotations

import hmac
import os

CONTINUITY = "RATC_CONTINUITY_KEY"
INITIATIVES = "RATC_INITIATIVES_KEY"
HANGOUT = "RATC_HANGOUT_KEY"
STEWARD = "RATC_STEWARD_KEY"
TRIAL = "RATC_LOCAL_TRIAL"


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


def trial_mode() -> bool:
    """Whether this server runs in the local trial mode: forms without a configured key are open."""
    return os.environ.get(TRIAL) == "1"


def configured(*variables: str) -> bool:
    """Whether any of these keys is set (then writing needs one of them)."""
    return any(os.environ.get(variable) for variable in variables)


def may_write(given: Key, *variables: str) -> bool:
    """True when the given key matches one that is set (compared in constant time).

    With none of the keys set, writing is refused, except in the local trial mode.
    """
    if given is TRUSTED:
        return True
    expected = [os.environ[variable] for variable in variables if os.environ.get(variable)]
    if not expected:
        return trial_mode()
    offered = (given if isinstance(given, str) else "").encode("utf-8")
    # compare with every key, not just until the first match, so timing says nothing about which one matched
    matches = [hmac.compare_digest(offered, key.encode("utf-8")) for key in expected]
    return any(matches)


def may_report(given: Key, area_code: str) -> bool:
    """Whether this key may report for the municipality: its own key or the region's."""
    return may_write(given, *report_variables(area_code))


def report_variables(area_code: str) -> tuple[str, str]:
    """The keys that open a municipality's report: the region's and its own."""
    return CONTINUITY, municipality_variable(area_code)


def may_couple(given: Key) -> bool:
    """Whether this key may record a coupling between municipalities: the region's key."""
    return may_write(given, CONTINUITY)


def may_register(given: Key) -> bool:
    """Whether this key may register initiatives and record coalitions (RATC_INITIATIVES_KEY)."""
    return may_write(given, INITIATIVES)


def may_create_hangout(given: Key) -> bool:
    """Whether this key may create a hang-out session (RATC_HANGOUT_KEY)."""
    return may_write(given, HANGOUT)


def unconfigured_message(*variables: str) -> str:
    """The Dutch refusal when none of these keys is set: it tells the operator which variable to set."""
    names = " of ".join(variables)
    return (
        f"Dit is op deze server uitgeschakeld: er is geen sleutel ingesteld ({names}). De beheerder stelt "
        f"{variables[0]} in (zie docs/DEPLOY.md); om de monitor op één computer uit te proberen: "
        "python -m ratc serve --local."
    )


def require(allowed: bool, refusal: str, *variables: str) -> None:
    """AccessDenied unless the key was allowed (one of the may_* answers for these `variables`).

    The message is the Dutch `refusal` for a wrong key, or names the variable to set when none is configured.
    """
    if allowed:
        return
    if variables and not configured(*variables):
        raise AccessDenied(unconfigured_message(*variables))
    raise AccessDenied(refusal)
