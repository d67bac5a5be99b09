"""Faults: a writer killed midway loses nothing it confirmed; an unreachable store leaves the monitor working."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import ROOT, run_app

from ratc.core import incidents, store
from ratc.hangout import board, session

PAGES = sorted(f"pages/{path.name}" for path in (ROOT / "pages").glob("*.py"))
# Pages that read only the warehouse: they must work, without any error, when the store is down.
MONITOR_PAGES = {
    "pages/overview.py",
    "pages/municipality.py",
    "pages/map.py",
    "pages/trend_lines.py",
    "pages/coherence.py",
    "pages/sources.py",
    "pages/delivery.py",
}
# The report form touches the store only once a municipality is chosen.
PARAMS = {"pages/continuity_report.py": {"gemeente": "GM0505"}}
UNREACHABLE = "postgresql+psycopg://ratc:geheim@127.0.0.1:9/ratc?connect_timeout=2"
WRITER = """
import sys
from ratc.hangout import board, session

# ten participants take turns, as in a hang-out (one alone would meet the cards-per-minute brake)
participants = [session.join(sys.argv[1], f"schrijver {n}") for n in range(10)]
theme_id = session.themes(participants[0])[0].theme_id
number = 0
while True:
    number += 1
    card_id = board.add_card(participants[number % 10], theme_id, "idee", f"kaart {number}")
    print(card_id, flush=True)  # printed only after the transaction committed
"""


@pytest.mark.parametrize("page", PAGES)
def test_with_the_store_unreachable_monitor_pages_work_and_the_others_say_so(warehouse_file, monkeypatch, page):
    monkeypatch.setenv(store.URL_VARIABLE, UNREACHABLE)
    store.dispose()
    try:
        app = run_app(warehouse_file, params=PARAMS.get(page), page=page)  # fails on any exception
        errors = [element.value for element in app.error]
    finally:
        store.dispose()
    if page in MONITOR_PAGES:
        assert errors == []
    else:
        assert any("niet bereikbaar" in error for error in errors), errors
        assert all("geheim" not in error for error in errors)  # the password never reaches the screen


def test_a_writer_killed_midway_loses_no_card_it_confirmed(any_store_url, tmp_path):
    created = session.create_session("Storingstest", dt.date(2020, 6, 4), ["Werk"])
    env = {**os.environ, store.URL_VARIABLE: any_store_url, "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, created.join_code], env=env, stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    confirmed = []
    try:
        while len(confirmed) < 40:
            line = writer.stdout.readline()
            assert line, f"the writer stopped early (exit {writer.poll()})"
            confirmed.append(line.strip())
    finally:
        writer.send_signal(signal.SIGKILL)  # no chance to clean up, as when a server is killed
        writer.wait(timeout=10)
    # confirmations the writer printed before it died but the test had not read yet are confirmations too
    confirmed += [line.strip() for line in writer.stdout.read().splitlines(keepends=True) if line.endswith("\n")]
    store.dispose()
    stored = {card.card_id for card in board.cards(created.facilitator)}
    assert set(confirmed) <= stored
    assert len(stored) <= len(confirmed) + 1  # at most the card whose confirmation was cut off
    if any_store_url.startswith("sqlite"):
        with store.read() as connection:
            assert connection.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
    # after the crash the store takes new writes as before
    participant = session.join(created.join_code, "na de storing")
    board.add_card(participant, session.themes(participant)[0].theme_id, "kans", "weer aan het werk")
    assert len(board.cards(created.facilitator)) == len(stored) + 1


@pytest.mark.parametrize("page", sorted(set(PAGES) - MONITOR_PAGES))
def test_an_unreachable_store_shows_an_incident_code_and_no_infrastructure(warehouse_file, monkeypatch, caplog, page):
    monkeypatch.setenv(store.URL_VARIABLE, UNREACHABLE)
    store.dispose()
    try:
        with caplog.at_level(logging.ERROR, logger=incidents.LOGGER.name):
            app = run_app(warehouse_file, params=PARAMS.get(page), page=page)
    finally:
        store.dispose()
    shown = "\n".join(element.value for element in app.error)
    codes = set(re.findall(r"storingscode (\w{6})", shown))
    assert codes, shown
    for internal in ("127.0.0.1", "postgresql", "psycopg", ":9", "ratc:", "@", "connect_timeout", "geheim"):
        assert internal not in shown, internal
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert all(f"incident {code}" in logged for code in codes)  # the operator finds the detail by the code
    assert "127.0.0.1:9" in logged and "geheim" not in logged  # the log has the host, never the password


@pytest.fixture
def sqlite_file(tmp_path, monkeypatch) -> Path:
    """A store on SQLite with a session in it (created while it was writable)."""
    path = tmp_path / "store.sqlite"
    monkeypatch.setenv(store.URL_VARIABLE, f"sqlite:///{path}")
    store.dispose()
    session.create_session("Volle schijf", dt.date(2020, 6, 4), ["Werk"])
    store.dispose()
    return path


def assert_hidden(error: store.StoreUnavailable, path: Path) -> None:
    """The store's message has an incident code and neither the file's path nor the driver's words."""
    message = str(error)
    assert "storingscode" in message and "niet bereikbaar of kan niet schrijven" in message
    for internal in (str(path), path.name, "sqlite", "readonly", "disk is full", "/tmp"):
        assert internal not in message, internal


def test_a_read_only_store_refuses_writes_without_its_path(sqlite_file, monkeypatch):
    monkeypatch.setenv(store.URL_VARIABLE, f"sqlite:///file:{sqlite_file}?mode=ro&uri=true")
    store.dispose()
    try:
        with pytest.raises(store.StoreUnavailable) as refused:
            session.create_session("Nog een", dt.date(2020, 6, 4), ["Werk"])
    finally:
        store.dispose()
    assert_hidden(refused.value, sqlite_file)


def test_a_full_store_refuses_writes_without_its_path(sqlite_file, warehouse_file):
    themes = [f"Thema {n} {'x' * 70}" for n in range(12)]
    full = store.engine()
    # SQLITE_FULL, as on a full disk: the file may not grow by another page
    sa.event.listen(full, "connect", lambda connection, _: connection.execute("PRAGMA max_page_count = 1"))
    full.dispose()
    try:
        with pytest.raises(store.StoreUnavailable) as refused:
            for number in range(200):
                session.create_session(f"Sessie {number}", dt.date(2020, 6, 4), themes)
        assert_hidden(refused.value, sqlite_file)
        app = run_app(warehouse_file, page="pages/hangout.py")
        app.text_input(key="sessie_nieuw_titel").input("Volle schijf")
        app.text_area(key="sessie_nieuw_themas").input("\n".join(themes))
        next(each for each in app.button if each.label == "Sessie aanmaken").click()
        app.run()
        shown = "\n".join(element.value for element in app.error)
        assert "storingscode" in shown and str(sqlite_file) not in shown and "full" not in shown
    finally:
        store.dispose()


def test_an_unexpected_error_shows_a_dutch_message_with_an_incident_code(warehouse_file, monkeypatch, caplog):
    from ratc.monitor import sources
    from ratc.ui import guard

    def broken(*_):
        raise RuntimeError("verbinding met /srv/ratc/intern.db mislukt")

    monkeypatch.delenv(guard.DEBUG)
    monkeypatch.setattr(sources, "indicator_table", broken)
    with caplog.at_level(logging.ERROR, logger=incidents.LOGGER.name):
        app = run_app(warehouse_file, page="pages/sources.py")  # fails on any exception shown by Streamlit
    [shown] = [element.value for element in app.error]
    code = re.search(r"storingscode (\w{6})", shown).group(1)
    assert shown.startswith("Er ging iets mis op deze pagina") and "/srv" not in shown and "RuntimeError" not in shown
    [logged] = [record for record in caplog.records if f"incident {code}" in record.getMessage()]
    assert "/srv/ratc/intern.db" in str(logged.exc_info[1])


SENDERS = """
import json, os, signal, sys, threading
from ratc.hangout import access, board

passes, theme_id, cards = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
printing = threading.Lock()

def send(index, fields):
    participant = access.Participant(**fields)
    for number in range(1, cards + 1):
        token = f"kaart-{index:02d}-{number:03d}"
        board.add_card(participant, theme_id, "idee", f"kaart {index}-{number}", token=token)
        if index == 0 and number == 5:
            os.kill(os.getpid(), signal.SIGKILL)  # stored, and the server dies before the sender hears it
        with printing:
            sys.stdout.write(f"{index} {number}\\n")  # the confirmation
            sys.stdout.flush()

threads = [threading.Thread(target=send, args=item) for item in enumerate(passes)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
"""


def test_cards_sent_again_after_a_kill_between_store_and_confirmation_are_stored_once(any_store_url, tmp_path):
    created = session.create_session("Opnieuw verzenden", dt.date(2020, 6, 4), ["Werk"])
    theme_id = session.themes(created.facilitator)[0].theme_id
    participants = [session.join(created.join_code, f"deelnemer {index}") for index in range(10)]
    passes = [{"session_id": p.session_id, "join_code": p.join_code, "participant_id": p.participant_id,
               "key": p.key, "name": p.name} for p in participants]  # fmt: skip
    env = {**os.environ, store.URL_VARIABLE: any_store_url, "PYTHONPATH": str(ROOT)}
    sent = subprocess.run(
        [sys.executable, "-c", SENDERS, json.dumps(passes), theme_id, "10"],
        env=env, capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip
    assert sent.returncode == -signal.SIGKILL, sent.stderr
    confirmed = {tuple(map(int, line.split())) for line in sent.stdout.splitlines()}
    store.dispose()
    stored_before = {card.text for card in board.cards(created.facilitator)}
    unconfirmed_but_stored = {f"kaart {i}-{n}" for i in range(10) for n in range(1, 11) if (i, n) not in confirmed}
    assert "kaart 0-5" in stored_before & unconfirmed_but_stored  # the case this test is about happened
    # every participant sends again what was never confirmed, with the same token as the first time
    for index, participant in enumerate(participants):
        for number in range(1, 11):
            if (index, number) not in confirmed:
                board.add_card(participant, theme_id, "idee", f"kaart {index}-{number}",
                               token=f"kaart-{index:02d}-{number:03d}")  # fmt: skip
    texts = [card.text for card in board.cards(created.facilitator)]
    assert len(texts) == 100 and len(set(texts)) == 100  # every card once: none lost, none twice
