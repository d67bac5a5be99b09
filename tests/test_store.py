"""The collaborative store: concurrent writers lose nothing, failures are all-or-nothing and explained in Dutch."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from conftest import at_once

from ratc.core import store

PROBE = sa.Table(
    "test_probe",
    store.METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("writer", sa.Integer, nullable=False),
    sa.Column("value", sa.String, nullable=False, unique=True),
)


def count(url: str) -> int:
    """Rows in the probe table."""
    with store.read(url) as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(PROBE)).scalar_one()


def test_default_is_sqlite_in_wal_mode(store_url):
    with store.read() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert store.store_url() == store_url


def test_twenty_concurrent_writers_lose_nothing(any_store_url):
    store.engine()

    def write(writer: int) -> None:
        for row in range(25):
            with store.begin() as connection:
                connection.execute(PROBE.insert().values(writer=writer, value=f"{writer}-{row}"))

    assert at_once(write, range(20)) == []
    assert count(any_store_url) == 20 * 25


def test_a_failed_transaction_writes_nothing(any_store_url):
    with pytest.raises(sa.exc.IntegrityError), store.begin() as connection:
        connection.execute(PROBE.insert().values(writer=1, value="same"))
        connection.execute(PROBE.insert().values(writer=2, value="same"))
    assert count(any_store_url) == 0


def test_unreachable_store_gives_a_dutch_message_without_password():
    message = store.check("postgresql+psycopg://ratc:geheim@127.0.0.1:9/ratc?connect_timeout=2")
    assert message is not None
    assert "niet bereikbaar" in message and "monitorpagina's blijven werken" in message
    assert "geheim" not in message


def test_codes_are_readable_and_keys_long():
    code = store.short_code()
    assert len(code) == 6 and set(code) <= set(store.CODE_ALPHABET)
    assert not set(code) & set("IO01")
    assert len(store.new_key()) >= 24
    assert store.new_id() != store.new_id()


def test_a_store_made_by_an_older_release_gets_the_new_columns_on_first_use(any_store_url):
    from ratc.hangout import board, schema, session

    store.engine()
    with store.begin() as connection:  # the cards table as the release before client tokens made it
        connection.exec_driver_sql("DROP INDEX ux_hangout_cards_client_token")
        connection.exec_driver_sql("ALTER TABLE hangout_cards DROP COLUMN client_token")
    store.dispose()
    created = session.create_session("Oud", dt.date(2020, 6, 4), ["Werk"])
    theme_id = session.themes(created.facilitator)[0].theme_id
    card_id = board.add_card(created.facilitator, theme_id, "idee", "x", token="na-de-upgrade")
    assert board.add_card(created.facilitator, theme_id, "idee", "x", token="na-de-upgrade") == card_id
    with store.read() as connection:
        indexes = {index["name"] for index in sa.inspect(connection).get_indexes(schema.CARDS.name)}
    assert "ux_hangout_cards_client_token" in indexes
