"""Participants as people for the length of a session: joining (no account), the personal code shown once that
brings a person back on any device or replica with the dots they have left, a name that is one person's in a
session, the facilitator's list of participants, and merging two rows of one person.

A first join hands out a personal code (six characters, shown once; only its SHA-256 with the session id is
stored). Joining again with it returns the same participant row with a new participant key: the pass of the
device that was left stops working, and no new dots are handed out. A name that already takes part cannot join
again without that person's code. Counting and joining are braked per browser connection and per session code
(`ratc.hangout.access`), so guessing a personal code is as hopeless as guessing a session code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from ratc.core import ratelimit, store
from ratc.hangout.access import (
    JOIN_PER_CODE,
    JOIN_PER_CONNECTION,
    AccessDenied,
    Facilitator,
    Participant,
    Pass,
    authorise,
    hash_key,
    lock_session,
    normalise_code,
    owned_row,
    session_by_code,
    stamp,
)
from ratc.hangout.schema import CARDS, PARTICIPANTS, PLACEMENTS, VOTES, InvalidInput, clean_field_line

CODE_LENGTH = 6


@dataclass(frozen=True)
class Person:
    """One participant as the facilitator sees them: who, since when, and what they did."""

    participant_id: str
    name: str
    role: str
    joined_at: dt.datetime
    dots_used: int
    cards: int
    has_code: bool

    @property
    def label(self) -> str:
        """'Anna (wethouder)', or 'zonder naam' with the time of joining."""
        if not self.name:
            return f"zonder naam (sinds {self.joined_at:%H:%M})"
        return f"{self.name} ({self.role})" if self.role else self.name


def rejoin_hash(session_id: str, code: str) -> str:
    """The stored form of a personal code: SHA-256 of the session id and the code, so codes of two sessions differ."""
    return hash_key(f"{session_id}:{normalise_code(code)}")


def join(join_code: str, name: str = "", role: str = "", *, client: str | None = None,
         rejoin_code: str | None = None) -> Participant:  # fmt: skip
    """Join a session with its code (optionally with a name and role), or join again with the personal code.

    A first join returns a pass that carries the personal code to show once (`Participant.rejoin_code`). With
    `rejoin_code` the pass is for the same participant as before, whatever name is typed. A name that already takes
    part is refused without its code (InvalidInput). Every attempt counts before the code is looked up: at most
    JOIN_PER_CODE a minute per code and, for the connection `client`, JOIN_PER_CONNECTION (ratelimit.RateLimited).
    """
    name = clean_field_line(name, "name", "Naam")
    role = clean_field_line(role, "role", "Rol")
    with store.begin() as connection:
        if client is not None:
            ratelimit.take(JOIN_PER_CONNECTION, client, connection)
        ratelimit.take(JOIN_PER_CODE, normalise_code(join_code), connection)
    try:
        return _join(join_code, name, role, rejoin_code)
    except sa.exc.IntegrityError as error:  # the unique name, should two joins slip past the session lock
        raise InvalidInput(f"Naam: '{name}' doet al mee in deze sessie; kies een andere naam.") from error


def _join(join_code: str, name: str, role: str, rejoin_code: str | None) -> Participant:
    """`join` after the brakes: one transaction."""
    key = store.new_key()
    with store.begin() as connection:
        row = session_by_code(connection, join_code)
        if row is None:
            raise AccessDenied("Er is geen sessie met deze code. Controleer de code (zes tekens) en probeer opnieuw.")
        if row.phase == "gesloten":
            raise AccessDenied("Deze sessie is gesloten; meedoen kan niet meer.")
        lock_session(connection, row.session_id)  # two joins with one name or one code take turns
        if normalise_code(rejoin_code):
            return _rejoin(connection, row, rejoin_code, key)
        name_key = name.casefold() or None
        if name_key and _by_name(connection, row.session_id, name_key) is not None:
            raise InvalidInput(
                f"Naam: '{name}' doet al mee in deze sessie. Bent u dat? Vul dan ook uw persoonlijke code in (die u "
                "kreeg toen u meedeed). Anders: kies een andere naam, bijvoorbeeld met uw gemeente erbij."
            )
        code, participant_id = _free_personal_code(connection, row.session_id), store.new_id()
        connection.execute(
            PARTICIPANTS.insert().values(participant_id=participant_id, session_id=row.session_id, name=name,
                                         role=role, key_hash=hash_key(key), joined_at=stamp(),
                                         rejoin_hash=rejoin_hash(row.session_id, code), name_key=name_key)
        )  # fmt: skip
    return Participant(row.session_id, row.join_code, participant_id, key, name, rejoin_code=code)


def _rejoin(connection: sa.Connection, session_row: sa.Row, code: str, key: str) -> Participant:
    """The pass of the participant whose personal code this is (followed through merges), with a new key."""
    person = connection.execute(
        sa.select(PARTICIPANTS).where(PARTICIPANTS.c.session_id == session_row.session_id,
                                      PARTICIPANTS.c.rejoin_hash == rejoin_hash(session_row.session_id, code))
    ).first()  # fmt: skip
    for _ in range(10):  # a chain of merges is short; a loop in it cannot hold us
        if person is None or person.merged_into is None:
            break
        person = connection.execute(
            sa.select(PARTICIPANTS).where(PARTICIPANTS.c.participant_id == person.merged_into)
        ).first()
    if person is None or person.merged_into is not None:
        raise AccessDenied("Deze persoonlijke code hoort bij niemand in deze sessie. Controleer de code, of doe mee "
                           "zonder code als nieuwe deelnemer.")  # fmt: skip
    connection.execute(
        PARTICIPANTS.update()
        .where(PARTICIPANTS.c.participant_id == person.participant_id)
        .values(key_hash=hash_key(key))
    )
    return Participant(session_row.session_id, session_row.join_code, person.participant_id, key, person.name)


def participants(who: Pass) -> list[tuple[str, str]]:
    """Name and role of everyone who takes part, once per person, in order of joining (names may be empty)."""
    with store.read() as connection:
        authorise(connection, who)
        rows = connection.execute(
            sa.select(PARTICIPANTS.c.name, PARTICIPANTS.c.role)
            .where(PARTICIPANTS.c.session_id == who.session_id, PARTICIPANTS.c.merged_into.is_(None))
            .order_by(PARTICIPANTS.c.joined_at, PARTICIPANTS.c.participant_id)
        )
        return [(row.name, row.role) for row in rows]


def roster(facilitator: Facilitator) -> list[Person]:
    """Every participant with the dots they used and the cards they wrote, in order of joining (facilitator only)."""
    dots = sa.select(VOTES.c.participant_id, sa.func.count().label("n")).group_by(VOTES.c.participant_id).subquery()
    written = (
        sa.select(CARDS.c.participant_id, sa.func.count().label("n"))
        .where(CARDS.c.session_id == facilitator.session_id)
        .group_by(CARDS.c.participant_id)
        .subquery()
    )
    query = (
        sa.select(PARTICIPANTS, sa.func.coalesce(dots.c.n, 0).label("dots"),
                  sa.func.coalesce(written.c.n, 0).label("written"))
        .outerjoin(dots, dots.c.participant_id == PARTICIPANTS.c.participant_id)
        .outerjoin(written, written.c.participant_id == PARTICIPANTS.c.participant_id)
        .where(PARTICIPANTS.c.session_id == facilitator.session_id, PARTICIPANTS.c.merged_into.is_(None))
        .order_by(PARTICIPANTS.c.joined_at, PARTICIPANTS.c.participant_id)
    )  # fmt: skip
    with store.read() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        return [Person(row.participant_id, row.name, row.role, row.joined_at, row.dots, row.written,
                       row.rejoin_hash is not None) for row in connection.execute(query)]  # fmt: skip


def merge(facilitator: Facilitator, keep_id: str, absorbed_id: str) -> int:
    """Merge two rows of one person: the cards, dots and placements of `absorbed_id` move to `keep_id`.

    Dots beyond the session's limit go, the newest first, so the person never holds more than the limit; where
    both placed a card, the kept row's placement stays. The absorbed row's personal code then leads to the kept
    row, and its pass stops working. Returns the dots that went.
    """
    if keep_id == absorbed_id:
        raise InvalidInput("Samenvoegen: kies twee verschillende deelnemers.")
    with store.begin() as connection:
        session_row = authorise(connection, facilitator, facilitator_only=True)
        lock_session(connection, facilitator.session_id)
        keep, absorbed = (
            owned_row(connection, PARTICIPANTS, PARTICIPANTS.c.participant_id, key, facilitator.session_id,
                      "Deelnemer", lock=True)
            for key in (keep_id, absorbed_id)
        )  # fmt: skip
        if keep.merged_into is not None or absorbed.merged_into is not None:
            raise InvalidInput("Samenvoegen: een van beide is al samengevoegd. Ververs de pagina.")
        connection.execute(CARDS.update().where(CARDS.c.participant_id == absorbed_id).values(participant_id=keep_id))
        # tokens were the absorbed row's retries; on the kept row they could clash with its own
        connection.execute(
            VOTES.update()
            .where(VOTES.c.participant_id == absorbed_id)
            .values(participant_id=keep_id, client_token=None)
        )
        both = sa.select(PLACEMENTS.c.card_id).where(PLACEMENTS.c.participant_id == keep_id)
        connection.execute(
            PLACEMENTS.delete().where(PLACEMENTS.c.participant_id == absorbed_id, PLACEMENTS.c.card_id.in_(both))
        )
        connection.execute(
            PLACEMENTS.update().where(PLACEMENTS.c.participant_id == absorbed_id).values(participant_id=keep_id)
        )
        extra = connection.execute(
            sa.select(VOTES.c.vote_id)
            .where(VOTES.c.participant_id == keep_id)
            .order_by(VOTES.c.cast_at.desc(), VOTES.c.vote_id)
            .offset(session_row.dots_per_participant)
        ).scalars().all()  # fmt: skip
        if extra:
            connection.execute(VOTES.delete().where(VOTES.c.vote_id.in_(extra)))
        connection.execute(
            PARTICIPANTS.update().where(PARTICIPANTS.c.participant_id == absorbed_id)
            .values(merged_into=keep_id, name_key=None, key_hash=hash_key(store.new_key()))
        )  # fmt: skip
        if not keep.name and absorbed.name:  # the person's name, when only the other row had it
            connection.execute(
                PARTICIPANTS.update().where(PARTICIPANTS.c.participant_id == keep_id)
                .values(name=absorbed.name, role=keep.role or absorbed.role, name_key=absorbed.name.casefold())
            )  # fmt: skip
    return len(extra)


def _by_name(connection: sa.Connection, session_id: str, name_key: str) -> sa.Row | None:
    """The participant who takes part under this name (casefolded) in the session, if any."""
    return connection.execute(
        sa.select(PARTICIPANTS.c.participant_id).where(
            PARTICIPANTS.c.session_id == session_id, PARTICIPANTS.c.name_key == name_key
        )
    ).first()


def _free_personal_code(connection: sa.Connection, session_id: str) -> str:
    """A personal code nobody in the session has."""
    for _ in range(20):
        code = store.short_code(CODE_LENGTH)
        taken = connection.execute(
            sa.select(PARTICIPANTS.c.participant_id).where(
                PARTICIPANTS.c.session_id == session_id, PARTICIPANTS.c.rejoin_hash == rejoin_hash(session_id, code)
            )
        ).first()
        if taken is None:
            return code
    raise store.StoreUnavailable("Er kon geen vrije persoonlijke code worden gevonden; probeer het opnieuw.")
