"""The collaborative store: what people write together (scenarios, sessions, cards, reports, initiatives).

SQLite in WAL mode through SQLAlchemy is the embedded default (`state/ratc.sqlite`); set RATC_STORE_URL to a
PostgreSQL URL (`postgresql+psycopg://user:pass@host/db`) when several app servers share one store.
Feature modules declare their tables on `METADATA` and are listed in `SCHEMA_MODULES`, so one call creates all.
"""

from __future__ import annotations

import importlib
import os
import re
import secrets
import threading
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ratc.core import incidents, paths

URL_VARIABLE = "RATC_STORE_URL"
METADATA = sa.MetaData()
# Every module that declares tables on METADATA; imported before the schema is created.
SCHEMA_MODULES = (
    "ratc.core.ratelimit",
    "ratc.scenario.saved",
    "ratc.hangout.schema",
    "ratc.hangout.resume",
    "ratc.hangout.practices",
    "ratc.continuity.reports",
    "ratc.initiatives.registry",
)
# Without I/O/l/0/1, so a short code read aloud in a hang out is typed right.
CODE_ALPHABET = incidents.CODE_ALPHABET
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9._:-]{8,64}")
# What a store that is down, full, read-only or refusing us raises; an IntegrityError is the caller's business.
# (Not OSError: keys.AccessDenied is a PermissionError raised by the callers inside a transaction.)
STORE_FAULTS = (sa.exc.DBAPIError,)

_engines: dict[str, Engine] = {}
_ready: set[str] = set()
_lock = threading.Lock()


class StoreUnavailable(RuntimeError):
    """The store cannot be reached or written; the message is Dutch, names no host, user or path, and carries an
    incident code whose details are in the server log."""


def default_url() -> str:
    """The embedded default: a SQLite file in the state folder (RATC_STATE_DIR, default `state/`)."""
    folder = Path(os.environ.get("RATC_STATE_DIR", paths.ROOT / "state"))
    return f"sqlite:///{folder / 'ratc.sqlite'}"


def store_url() -> str:
    """The configured store URL (RATC_STORE_URL), or the embedded SQLite default."""
    return os.environ.get(URL_VARIABLE) or default_url()


def describe(url: str | None = None) -> str:
    """The store's URL without any password, to show or log."""
    return sa.engine.make_url(url or store_url()).render_as_string(hide_password=True)


def engine(url: str | None = None) -> Engine:
    """One engine per URL for the whole process, with its schema created on first use."""
    url = url or store_url()
    with _lock:
        try:
            if url not in _engines:
                _engines[url] = _create_engine(url)
            built = _engines[url]
            if url not in _ready:
                create_schema(built)
                _ready.add(url)
        except (sa.exc.SQLAlchemyError, OSError) as error:
            raise unavailable(url, error) from error
    return built


def _create_engine(url: str) -> Engine:
    """An engine; SQLite gets WAL, a busy timeout and foreign keys on every connection."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    built = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @sa.event.listens_for(built, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        """WAL lets readers and one writer work at once; the busy timeout makes writers queue, not fail."""
        # pysqlite's own transaction handling would defeat BEGIN IMMEDIATE below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(built, "begin")
    def _sqlite_begin(connection):
        """Writers take the write lock up front, so concurrent writers queue instead of deadlocking."""
        reading = connection.get_execution_options().get("ratc_read", False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return built


def create_schema(target: Engine) -> None:
    """Import every table module and create what is missing (idempotent), also columns a newer release added."""
    for name in SCHEMA_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise
    METADATA.create_all(target)
    _add_new_columns(target)


def _add_new_columns(target: Engine) -> None:
    """Add the nullable columns (and their indexes) a newer release declares to tables an older one created."""
    with target.begin() as connection:
        inspector = sa.inspect(connection)  # on this connection: another one would wait for SQLite's write lock
        for table in METADATA.sorted_tables:
            present = {column["name"] for column in inspector.get_columns(table.name)}
            missing = [column for column in table.columns if column.name not in present]
            for column in missing:  # our own table definitions, compiled and quoted by SQLAlchemy; no user input
                definition = sa.schema.CreateColumn(column).compile(dialect=target.dialect)
                connection.execute(sa.DDL("ALTER TABLE %(table)s ADD COLUMN " + str(definition)).against(table))
            if missing:
                for index in table.indexes:
                    index.create(connection, checkfirst=True)


@contextmanager
def begin(url: str | None = None):
    """A transaction: everything inside is written together or not at all."""
    target = engine(url)
    try:
        with target.begin() as connection:
            yield connection
    except sa.exc.IntegrityError:
        raise
    except STORE_FAULTS as error:
        raise unavailable(url or store_url(), error) from error


@contextmanager
def read(url: str | None = None):
    """A connection for reading."""
    target = engine(url)
    try:
        with target.connect().execution_options(ratc_read=True) as connection:
            yield connection
    except sa.exc.IntegrityError:
        raise
    except STORE_FAULTS as error:
        raise unavailable(url or store_url(), error) from error


def check(url: str | None = None) -> str | None:
    """None when the store answers, else a Dutch message saying what does not work."""
    try:
        with read(url) as connection:
            connection.execute(sa.text("SELECT 1"))
    except StoreUnavailable as error:
        return str(error)
    return None


def dispose() -> None:
    """Close every pooled connection (tests, and after a fork)."""
    with _lock:
        for built in _engines.values():
            built.dispose()
        _engines.clear()
        _ready.clear()


def now() -> datetime:
    """The current time in UTC, as stored."""
    return datetime.now(UTC).replace(microsecond=0)


def new_id() -> str:
    """A random identifier for a stored row."""
    return uuid.uuid4().hex


def short_code(length: int = 6) -> str:
    """A random code that is easy to read aloud and type (e.g. a session's join code)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def client_token(token: object) -> str | None:
    """A client's token for an idempotent write (letters, digits and ._:-, 8 to 64 long), or None when none given.

    A card, vote or report sent with a token is stored once, however often it is sent again after a lost
    confirmation; ValueError for anything else than such a token.
    """
    if token is None:
        return None
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        raise ValueError("Ongeldig kenmerk voor deze invoer; ververs de pagina en probeer het opnieuw.")
    return token


def new_key() -> str:
    """A secret key for a facilitator or owner, long enough that it cannot be guessed."""
    return secrets.token_urlsafe(18)


def unavailable(url: str, error: BaseException) -> StoreUnavailable:
    """The error for a store that does not answer or cannot write: the detail (URL without password, the driver's
    message) goes to the server log under an incident code; the visitor's Dutch message has only the code."""
    code = incidents.record("the collaborative store failed", error, describe(url))
    return StoreUnavailable(
        "De gedeelde opslag is nu niet bereikbaar of kan niet schrijven. Sessies, scenario's en meldingen kunnen "
        "nu niet worden bewaard; de monitorpagina's blijven werken. Probeer het over een minuut opnieuw. "
        + incidents.visitor_message(code)
    )
