"""A facilitator who reloads the page stays signed in: a short-lived opaque resume token instead of the key again.

On signing in, the browser gets a random token (in a cookie, never in the URL or on the screen). The store keeps
only the token's SHA-256 and the facilitator key sealed with a keystream derived from the token (SHAKE-256), so
neither a copy of the store nor the token's hash gives the key; the key is unsealed only with the token itself.
A token lasts RESUME_HOURS, is bound to one session and checked against the session's key hash on every use
(fail closed: unknown, expired, tampered or revoked gives None), and is deleted on signing out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa

from ratc.core import keys, store
from ratc.hangout.access import Facilitator, authorise, hash_key
from ratc.hangout.schema import SESSIONS

RESUME_HOURS = 8  # a hang-out with its preparation; a new sign-in after that
TOKEN_BYTES = 32
MAX_TOKEN_CHARS = 64  # a longer cookie is no token of ours and is not looked up

RESUME_TOKENS = sa.Table(
    "hangout_resume_tokens",
    store.METADATA,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("session_id", sa.String(32), sa.ForeignKey(SESSIONS.c.session_id, ondelete="CASCADE"), nullable=False),
    sa.Column("sealed_key", sa.String(256), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)


def issue(facilitator: Facilitator, now: dt.datetime | None = None) -> str:
    """A new resume token for a valid facilitator pass (AccessDenied otherwise); expired tokens are cleared."""
    moment = now or store.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with store.begin() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        connection.execute(RESUME_TOKENS.delete().where(RESUME_TOKENS.c.expires_at < moment))
        connection.execute(
            RESUME_TOKENS.insert().values(
                token_hash=hash_key(token),
                session_id=facilitator.session_id,
                sealed_key=_seal(facilitator.key.encode("utf-8"), token).hex(),
                expires_at=moment + dt.timedelta(hours=RESUME_HOURS),
            )
        )
    return token


def resume(token: object, now: dt.datetime | None = None) -> Facilitator | None:
    """The facilitator's pass for a valid, unexpired token whose unsealed key still opens its session; else None."""
    if not _plausible(token):
        return None
    moment = now or store.now()
    with store.read() as connection:
        row = connection.execute(
            sa.select(RESUME_TOKENS).where(RESUME_TOKENS.c.token_hash == hash_key(token))
        ).one_or_none()
        if row is None or _aware(row.expires_at) < moment:
            return None
        try:
            key = _seal(bytes.fromhex(row.sealed_key), token).decode("utf-8")
            facilitator = Facilitator(row.session_id, key)
            authorise(connection, facilitator, facilitator_only=True)
        except (ValueError, keys.AccessDenied):
            return None
    return facilitator


def revoke(token: object) -> None:
    """Forget a resume token (signing out on this device); an unknown token is no error."""
    if _plausible(token):
        with store.begin() as connection:
            connection.execute(RESUME_TOKENS.delete().where(RESUME_TOKENS.c.token_hash == hash_key(token)))


def _plausible(token: object) -> bool:
    """Whether a cookie's value could be a token of ours at all (text of a token's length); else it is not looked up."""
    return isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_CHARS


def _seal(data: bytes, token: str) -> bytes:
    """`data` XOR a keystream from the token (SHAKE-256); sealing twice gives `data` back."""
    stream = hashlib.shake_256(b"ratc-resume\0" + token.encode("utf-8")).digest(len(data))
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def _aware(moment: dt.datetime) -> dt.datetime:
    """A stored time as UTC (SQLite gives it back without its zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
