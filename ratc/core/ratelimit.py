"""Rate limits that hold across replicas: every counted attempt is a row in the shared store, so several app
servers on one PostgreSQL brake the same joiner or writer. A sliding window: at most `count` attempts per
`seconds` for one subject (a browser connection, a session code, a participant).

A refusal is `RateLimited`, a `keys.AccessDenied` with a Dutch message that asks to try again in a minute, so every
page that already shows a refused write shows it too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import sqlalchemy as sa

from ratc.core import keys, store

EVENTS = sa.Table(
    "rate_events",
    store.METADATA,
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scope", sa.String(40), nullable=False),
    sa.Column("subject", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Index("ix_rate_events_scope_subject_at", "scope", "subject", "at"),
)
KEEP = dt.timedelta(hours=1)  # events older than every window are deleted as new ones come in
TRY_AGAIN = "Probeer het over een minuut opnieuw."


class RateLimited(keys.AccessDenied):
    """Too many attempts in a short time; the message is Dutch and asks to try again in a minute."""


@dataclass(frozen=True)
class Limit:
    """At most `count` attempts per `seconds` for one subject of this scope, else `refusal` (Dutch)."""

    scope: str
    count: int
    seconds: int
    refusal: str


def take(limit: Limit, subject: str, connection: sa.Connection | None = None) -> None:
    """Count one attempt for the subject; RateLimited when the window already holds `count` of them.

    With a `connection` the attempt is counted inside the caller's transaction (and undone with it when the write
    fails); without one it is counted in a transaction of its own, so an attempt that fails afterwards (a wrong
    join code) counts too.
    """
    if connection is None:
        with store.begin() as own:
            take(limit, subject, own)
        return
    now = dt.datetime.now(dt.UTC)
    key = _subject(subject)
    connection.execute(EVENTS.delete().where(EVENTS.c.at < now - KEEP))
    recent = connection.execute(
        sa.select(sa.func.count())
        .select_from(EVENTS)
        .where(
            EVENTS.c.scope == limit.scope,
            EVENTS.c.subject == key,
            EVENTS.c.at > now - dt.timedelta(seconds=limit.seconds),
        )
    ).scalar_one()
    if recent >= limit.count:
        raise RateLimited(f"{limit.refusal} {TRY_AGAIN}")
    connection.execute(EVENTS.insert().values(scope=limit.scope, subject=key, at=now))


def _subject(subject: str) -> str:
    """What is stored of a subject: a digest, so no typed code or identifier is kept as it was sent."""
    return hashlib.sha256(subject.encode("utf-8")).hexdigest()[:64]
