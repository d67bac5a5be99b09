"""Hang-out sessions: creating and opening one, its themes, rounds and the view on screen; joining and the
participants are in `ratc.hangout.people` (`join` and `participants` are importable from here too).

Every operation checks who asks (`ratc.hangout.access`) and cleans its input against the limits in
`ratc.hangout.schema`, with a Dutch message that names the field; the store writes each operation all-or-nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from ratc.core import keys, ratelimit, store
from ratc.hangout import practices
from ratc.hangout.access import (
    OPEN_PER_CONNECTION,
    AccessDenied,
    Facilitator,
    Pass,
    authorise,
    hash_key,
    key_matches,
    lock_session,
    owned_row,
    session_by_code,
    stamp,
)

# joining and the participants are people's business (ratc.hangout.people); every caller knows them here
from ratc.hangout.people import join, participants  # noqa: F401
from ratc.hangout.schema import (
    SESSIONS,
    THEMES,
    VIEWS,
    InvalidInput,
    clean_field_block,
    clean_field_line,
    required_line,
)

PHASES = {
    "verzamelen": "Kaarten verzamelen",
    "stemmen": "Stemmen met stippen",
    "plaatsen": "Plaatsen op impact × invloed",
    "gesloten": "Gesloten",
}
MAX_DOTS = 10
MAX_THEMES = 12


@dataclass(frozen=True)
class Session:
    """A session as everyone in it sees it."""

    session_id: str
    title: str
    session_date: dt.date
    introduction: str
    facilitator_name: str
    join_code: str
    dots_per_participant: int
    phase: str
    votes_revealed: bool
    current_view_id: str | None

    @property
    def is_open(self) -> bool:
        """Whether participants can still take part."""
        return self.phase != "gesloten"


@dataclass(frozen=True)
class Theme:
    """An integral theme of the session, with its dilemmas and opportunities in the description."""

    theme_id: str
    position: int
    name: str
    description: str


@dataclass(frozen=True)
class Created:
    """A new session: the facilitator's pass (its key is shown once) and the join code for participants."""

    facilitator: Facilitator
    join_code: str


def create_session(
    title: str,
    session_date: dt.date,
    themes: Sequence[str | tuple[str, str]],
    facilitator_name: str = "",
    introduction: str = "",
    dots_per_participant: int = 3,
    *,
    key: keys.Key = None,
) -> Created:
    """Create a session with its themes; returns the facilitator's pass and the join code.

    `key` is the hang-out key (RATC_HANGOUT_KEY; without it only the local trial mode may create one):
    AccessDenied, and nothing stored, when it is wrong or not configured.
    """
    refusal = "Deze sleutel is niet juist; er is geen sessie aangemaakt."
    keys.require(keys.may_create_hangout(key), refusal, keys.HANGOUT)
    title = required_line(title, "title", "Titel", "Geef de sessie een titel.")
    if not isinstance(session_date, dt.date):
        raise InvalidInput("Datum: kies de datum van de sessie.")
    cleaned_themes = [_theme_input(theme) for theme in themes]
    cleaned_themes = [theme for theme in cleaned_themes if theme[0]]
    if not cleaned_themes:
        raise InvalidInput("Thema's: geef minstens één thema (één per regel).")
    if len(cleaned_themes) > MAX_THEMES:
        raise InvalidInput(f"Thema's: hoogstens {MAX_THEMES} thema's per sessie; u gaf er {len(cleaned_themes)}.")
    names = [name.lower() for name, _ in cleaned_themes]
    if len(set(names)) != len(names):
        raise InvalidInput("Thema's: elk thema mag maar één keer voorkomen.")
    dots = _dots(dots_per_participant)
    key = store.new_key()
    session_id = store.new_id()
    now = stamp()
    with store.begin() as connection:
        join_code = _free_code(connection)
        connection.execute(
            SESSIONS.insert().values(
                session_id=session_id, title=title, session_date=session_date,
                introduction=clean_field_block(introduction, "introduction", "Inleiding"),
                facilitator_name=clean_field_line(facilitator_name, "facilitator_name", "Facilitator"),
                join_code=join_code, facilitator_key_hash=hash_key(key), dots_per_participant=dots,
                phase="verzamelen", votes_revealed=False, created_at=now, updated_at=now,
            )
        )  # fmt: skip
        for position, (name, description) in enumerate(cleaned_themes):
            row = {"theme_id": store.new_id(), "session_id": session_id, "position": position, "name": name,
                   "description": description}  # fmt: skip
            connection.execute(THEMES.insert().values(**row))
    return Created(Facilitator(session_id, key), join_code)


def open_as_facilitator(join_code: str, key: str, *, client: str | None = None) -> Facilitator:
    """The facilitator's pass for the session with this join code, when the key is right.

    `client` names the browser connection (ratelimit.RateLimited after OPEN_PER_CONNECTION attempts a minute).
    """
    if client is not None:
        ratelimit.take(OPEN_PER_CONNECTION, client)
    with store.read() as connection:
        row = session_by_code(connection, join_code)
        if row is None or not key_matches(key, row.facilitator_key_hash):
            raise AccessDenied("Deze combinatie van sessiecode en facilitatorsleutel klopt niet.")
    return Facilitator(row.session_id, key)


def find(join_code: str) -> Session | None:
    """The session with this join code (what a participant sees before joining), or None."""
    with store.read() as connection:
        row = session_by_code(connection, join_code)
    return _session(row) if row is not None else None


def session(who: Pass) -> Session:
    """The session the pass belongs to."""
    with store.read() as connection:
        return _session(authorise(connection, who))


def check_facilitator(who: object) -> None:
    """AccessDenied unless this is the session's facilitator (for what only the facilitator may read)."""
    with store.read() as connection:
        authorise(connection, who, facilitator_only=True)


def themes(who: Pass) -> list[Theme]:
    """The session's themes in order."""
    with store.read() as connection:
        authorise(connection, who)
        return _themes(connection, who.session_id)


def add_theme(facilitator: Facilitator, name: str, description: str = "") -> str:
    """Add a theme at the end; returns its id."""
    name, description = _theme_input((name, description))
    if not name:
        raise InvalidInput("Thema: geef het thema een naam.")
    theme_id = store.new_id()
    with store.begin() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        lock_session(connection, facilitator.session_id)  # the count and the next position hold until we write
        existing = _themes(connection, facilitator.session_id)
        if len(existing) >= MAX_THEMES:
            raise InvalidInput(f"Thema: hoogstens {MAX_THEMES} thema's per sessie.")
        if name.lower() in {theme.name.lower() for theme in existing}:
            raise InvalidInput(f"Thema: '{name}' bestaat al in deze sessie.")
        position = max((theme.position for theme in existing), default=-1) + 1
        connection.execute(THEMES.insert().values(theme_id=theme_id, session_id=facilitator.session_id,
                                                  position=position, name=name, description=description))  # fmt: skip
    return theme_id


def set_phase(facilitator: Facilitator, phase: str) -> None:
    """Move the session to a phase: collecting cards, voting, placing, or closed."""
    if phase not in PHASES:
        raise InvalidInput(f"Fase: kies een van {', '.join(PHASES.values())}.")
    _update_session(facilitator, phase=phase)


def reveal_votes(facilitator: Facilitator, revealed: bool = True) -> None:
    """Show (or hide again) the dot votes and the 2×2 placements to everyone."""
    _update_session(facilitator, votes_revealed=bool(revealed))


def set_dots(facilitator: Facilitator, dots_per_participant: int) -> None:
    """Set how many dots each participant may spend."""
    _update_session(facilitator, dots_per_participant=_dots(dots_per_participant))


def show_view(facilitator: Facilitator, view_id: str | None) -> None:
    """Mark the pinned view that is on the shared screen now (participants tie their cards to it by default)."""
    with store.begin() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        if view_id is not None:
            owned_row(connection, VIEWS, VIEWS.c.view_id, view_id, facilitator.session_id, "Weergave")
        connection.execute(
            SESSIONS.update()
            .where(SESSIONS.c.session_id == facilitator.session_id)
            .values(current_view_id=view_id, updated_at=stamp())
        )


def delete_session(facilitator: Facilitator) -> None:
    """Delete the session with everything in it (names, cards, votes); practices added in it stay in the library."""
    with store.begin() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        connection.execute(
            practices.PRACTICES.update()
            .where(practices.PRACTICES.c.session_id == facilitator.session_id)
            .values(session_id=None)
        )
        connection.execute(SESSIONS.delete().where(SESSIONS.c.session_id == facilitator.session_id))


def _session(row: sa.Row) -> Session:
    """A session row as a Session."""
    return Session(row.session_id, row.title, row.session_date, row.introduction, row.facilitator_name, row.join_code,
                   row.dots_per_participant, row.phase, bool(row.votes_revealed), row.current_view_id)  # fmt: skip


def _themes(connection: sa.Connection, session_id: str) -> list[Theme]:
    """A session's themes in order."""
    rows = connection.execute(
        sa.select(THEMES).where(THEMES.c.session_id == session_id).order_by(THEMES.c.position, THEMES.c.theme_id)
    )
    return [Theme(row.theme_id, row.position, row.name, row.description) for row in rows]


def _update_session(facilitator: Facilitator, **values: object) -> None:
    """Change session settings (facilitator only)."""
    with store.begin() as connection:
        authorise(connection, facilitator, facilitator_only=True)
        connection.execute(
            SESSIONS.update()
            .where(SESSIONS.c.session_id == facilitator.session_id)
            .values(**values, updated_at=stamp())
        )


def check_references(
    connection: sa.Connection, session_id: str, theme_id: str | None, view_id: str | None, practice_id: str | None
) -> None:
    """Theme and view must belong to the session; a practice must exist in the library."""
    if theme_id is not None:
        owned_row(connection, THEMES, THEMES.c.theme_id, theme_id, session_id, "Thema")
    if view_id is not None:
        owned_row(connection, VIEWS, VIEWS.c.view_id, view_id, session_id, "Weergave")
    if practice_id is not None:
        found = connection.execute(
            sa.select(practices.PRACTICES.c.practice_id).where(practices.PRACTICES.c.practice_id == practice_id)
        ).scalar_one_or_none()
        if found is None:
            raise InvalidInput("Goede praktijk: bestaat niet (meer) in de bibliotheek.")


def _free_code(connection: sa.Connection) -> str:
    """A join code no other session has."""
    for _ in range(20):
        code = store.short_code()
        if session_by_code(connection, code) is None:
            return code
    raise store.StoreUnavailable("Er kon geen vrije sessiecode worden gevonden; probeer het opnieuw.")


def _dots(value: object) -> int:
    """A valid number of dots per participant."""
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_DOTS:
        raise InvalidInput(f"Stippen per deelnemer: kies een aantal van 1 tot en met {MAX_DOTS}.")
    return value


def _theme_input(theme: str | tuple[str, str]) -> tuple[str, str]:
    """A theme's name and description, cleaned; a single string may be 'Naam: dilemma's en kansen'."""
    if isinstance(theme, str):
        name, _, description = theme.partition(":")
    else:
        name, description = theme
    name = clean_field_line(name, "theme", "Thema")
    return name, clean_field_block(description, "theme_description", "Toelichting bij thema")
