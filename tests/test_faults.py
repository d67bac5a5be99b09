"""Faults: a writer killed midway loses nothing it confirmed; an unreachable store leaves the monitor working."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys

import pytest
import sqlalchemy as sa
from conftest import ROOT, run_app

from ratc.core import store
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

participant = session.join(sys.argv[1], "schrijver")
theme_id = session.themes(participant)[0].theme_id
number = 0
while True:
    number += 1
    card_id = board.add_card(participant, theme_id, "idee", f"kaart {number}")
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
