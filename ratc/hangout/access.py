"""Who may do what in a hang out: the facilitator's and participants' passes and the check every operation makes.

A facilitator holds the session's facilitator key (only its SHA-256 is stored; compared in constant time). A
participant joined with the session's join code and holds a participant key of their own; that gives add-and-vote
rights in that one session. A participant is a person for the length of the session: rejoining with their personal
code (`ratc.hangout.people`) gives their row a new key, so the pass of the device they left stops working.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from ratc.core import keys
from ratc.core.ratelimit import Limit
from ratc.hangout.schema import PARTICIPANTS, SESSIONS, InvalidInput

CODE_PATTERN = re.compile(r"[^A-Z0-9]")
# Brakes on guessing and flooding, counted in the shared store so they hold across replicas (ratc.core.ratelimit).
# A join code has 32^6 values: ten tries a minute per connection make guessing one hopeless.
JOIN_PER_CONNECTION = Limit("join_connection", 10, 60, "Te veel pogingen om mee te doen vanaf deze verbinding.")
JOIN_PER_CODE = Limit("join_code", 60, 60, "Te veel aanmeldingen met deze sessiecode in korte tijd.")
OPEN_PER_CONNECTION = Limit("open_connection", 10, 60, "Te veel pogingen om een sessie te openen vanaf deze "
                            "verbinding.")  # fmt: skip
CARD_WRITES = Limit("card_writes", 20, 60, "U plaatst heel snel veel kaarten achter elkaar.")
VOTE_WRITES = Limit("vote_writes", 60, 60, "U stemt of plaatst heel snel achter elkaar.")

# one refusal type for every write in the store (a wrong session key or a wrong RATC_*_KEY); Dutch message
AccessDenied = keys.AccessDenied


@dataclass(frozen=True)
class Facilitator:
    """The facilitator's pass for one session: its id and the facilitator key (kept by the caller, never stored)."""

    session_id: str
    key: str = field(repr=False)


@dataclass(frozen=True)
class Participant:
    """A participant's pass: the session's join code, the participant's id and their own key."""

    session_id: str
    join_code: str
    participant_id: str
    key: str = field(repr=False)
    name: str = ""
    # the personal code, held only in the pass handed out at a first join so the page can show it once
    rejoin_code: str = field(default="", repr=False, compare=False)


Pass = Facilitator | Participant


def stamp() -> dt.datetime:
    """The current time in UTC to the microsecond, so rows written within one second keep their order."""
    return dt.datetime.now(dt.UTC)


def hash_key(key: str) -> str:
    """The stored form of a secret key: SHA-256 (the keys are random and long, so no salt or stretching is needed)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_matches(given: str | None, stored_hash: str) -> bool:
    """Whether a given key matches a stored hash, compared in constant time."""
    return hmac.compare_digest(hash_key(given or "").encode("ascii"), stored_hash.encode("ascii"))


def normalise_code(code: str | None) -> str:
    """A join code as typed ('abc 123', 'abc-123') in its stored form ('ABC123')."""
    return CODE_PATTERN.sub("", (code or "").upper())[:12]


def authorise(connection: sa.Connection, who: object, facilitator_only: bool = False) -> sa.Row:
    """The session row when the pass is valid for it; AccessDenied otherwise."""
    if isinstance(who, Facilitator):
        row = _session_row(connection, who.session_id)
        if row is None or not key_matches(who.key, row.facilitator_key_hash):
            raise AccessDenied("Alleen de facilitator van deze sessie mag dit; de facilitatorsleutel klopt niet.")
        return row
    if facilitator_only:
        raise AccessDenied("Alleen de facilitator van deze sessie mag dit.")
    if not isinstance(who, Participant):
        raise AccessDenied("Doe eerst mee aan de sessie met de sessiecode.")
    row = _session_row(connection, who.session_id)
    member = connection.execute(
        sa.select(PARTICIPANTS.c.key_hash, PARTICIPANTS.c.merged_into).where(
            PARTICIPANTS.c.participant_id == who.participant_id, PARTICIPANTS.c.session_id == who.session_id
        )
    ).one_or_none()
    code_ok = row is not None and hmac.compare_digest(normalise_code(who.join_code), row.join_code)
    if not code_ok or member is None:
        raise AccessDenied("U doet niet mee aan deze sessie. Doe mee met de sessiecode van deze sessie.")
    if member.merged_into is not None:
        raise AccessDenied("De facilitator heeft uw deelname samengevoegd met een andere. Doe opnieuw mee met de "
                           "sessiecode en uw persoonlijke code.")  # fmt: skip
    if not key_matches(who.key, member.key_hash):
        raise AccessDenied("U doet nu op een ander apparaat of in een ander venster mee. Doe hier opnieuw mee met de "
                           "sessiecode en uw persoonlijke code om hier verder te gaan.")  # fmt: skip
    if row.phase == "gesloten":
        raise AccessDenied("Deze sessie is gesloten.")
    return row


def lock_session(connection: sa.Connection, session_id: str) -> None:
    """Lock the session's row until the transaction ends, so writers that count or number its rows take turns.

    FOR UPDATE on PostgreSQL; SQLite ignores it, but there every writer already holds the database's write lock
    (BEGIN IMMEDIATE in `ratc.core.store`).
    """
    connection.execute(sa.select(SESSIONS.c.session_id).where(SESSIONS.c.session_id == session_id).with_for_update())


def session_by_code(connection: sa.Connection, join_code: str) -> sa.Row | None:
    """The stored session row with this join code."""
    code = normalise_code(join_code)
    if not code:
        return None
    return connection.execute(sa.select(SESSIONS).where(SESSIONS.c.join_code == code)).one_or_none()


def _session_row(connection: sa.Connection, session_id: str) -> sa.Row | None:
    """The stored session row."""
    return connection.execute(sa.select(SESSIONS).where(SESSIONS.c.session_id == session_id)).one_or_none()


def owned_row(connection: sa.Connection, table: sa.Table, key: sa.Column, value: str, session_id: str, label: str,
              lock: bool = False):  # fmt: skip
    """The row with this id when it belongs to the session; AccessDenied when it belongs to another one.

    With `lock` the row stays locked until the transaction ends (FOR UPDATE; see `lock_session` for SQLite).
    """
    query = sa.select(table).where(key == value)
    row = connection.execute(query.with_for_update() if lock else query).one_or_none()
    if row is None:
        raise InvalidInput(f"{label}: bestaat niet (meer). Ververs de pagina.")
    if row.session_id != session_id:
        raise AccessDenied(f"{label}: hoort bij een andere sessie.")
    return row


def author_name(connection: sa.Connection, who: Pass) -> str:
    """How a card or practice is signed: the participant's name ('' when anonymous), or 'Facilitator'."""
    if isinstance(who, Facilitator):
        return "Facilitator"
    return connection.execute(
        sa.select(PARTICIPANTS.c.name).where(PARTICIPANTS.c.participant_id == who.participant_id)
    ).scalar_one()
