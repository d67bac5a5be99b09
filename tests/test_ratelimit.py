"""Rate limits in the shared store: join codes cannot be guessed at speed, participants cannot flood the board, and
a limit holds across app servers (replicas) because it is counted in the store, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from conftest import ROOT

from ratc.core import ratelimit, store
from ratc.hangout import access, board, people, session, votes

DAY = dt.date(2020, 6, 4)
TRY_AGAIN = "Probeer het over een minuut opnieuw."


@pytest.fixture
def created(any_store_url):
    """A fresh session in a fresh store on each backend."""
    return session.create_session("Rem", DAY, ["Werk"])


def wrong_codes(count: int) -> list[str]:
    """Codes that belong to no session (the alphabet has no 1 or 0)."""
    return [f"ZZZ{number:03d}".replace("0", "A").replace("1", "B") for number in range(count)]


def test_a_limit_allows_its_count_then_refuses_in_dutch_until_the_window_has_passed(any_store_url):
    limit = ratelimit.Limit("test", 3, 1, "Even rustig aan.")
    for _ in range(3):
        ratelimit.take(limit, "iemand")
    with pytest.raises(ratelimit.RateLimited, match=f"Even rustig aan. {TRY_AGAIN}"):
        ratelimit.take(limit, "iemand")
    ratelimit.take(limit, "iemand anders")  # counted per subject
    time.sleep(1.1)
    ratelimit.take(limit, "iemand")


def test_a_limit_holds_across_replicas_sharing_the_store(any_store_url):
    # another app server: its own process and engine, the same store
    replica = (
        "from ratc.core import ratelimit\n"
        "limit = ratelimit.Limit('replica', 5, 60, 'Rustig.')\n"
        "for _ in range(5): ratelimit.take(limit, 'deelnemer')\n"
    )
    env = {**os.environ, store.URL_VARIABLE: any_store_url, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", replica], env=env, check=True, capture_output=True, timeout=60)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.take(ratelimit.Limit("replica", 5, 60, "Rustig."), "deelnemer")


def test_wrong_join_codes_over_one_connection_meet_a_brake_and_then_the_right_one_waits(created):
    refused = 0
    for code in wrong_codes(access.JOIN_PER_CONNECTION.count):
        with pytest.raises(access.AccessDenied, match="Er is geen sessie met deze code"):
            session.join(code, client="verbinding-1")
    for code in [*wrong_codes(20), created.join_code]:
        with pytest.raises(ratelimit.RateLimited, match=TRY_AGAIN):
            session.join(code, client="verbinding-1")
        refused += 1
    assert refused == 21
    assert session.join(created.join_code, client="verbinding-2").session_id == created.facilitator.session_id


def test_joins_per_session_code_are_limited_across_connections(created, monkeypatch):
    monkeypatch.setattr(people, "JOIN_PER_CODE", ratelimit.Limit("join_code", 5, 60, "Te veel aanmeldingen."))
    for number in range(5):
        session.join(created.join_code.lower(), client=f"verbinding-{number}")
    with pytest.raises(ratelimit.RateLimited, match=f"Te veel aanmeldingen. {TRY_AGAIN}"):
        session.join(f" {created.join_code} ", client="verbinding-nieuw")  # the same code however it is typed


def test_opening_as_facilitator_is_braked_per_connection(created):
    for _ in range(access.OPEN_PER_CONNECTION.count):
        with pytest.raises(access.AccessDenied):
            session.open_as_facilitator(created.join_code, "geraden", client="verbinding-1")
    with pytest.raises(ratelimit.RateLimited):
        session.open_as_facilitator(created.join_code, created.facilitator.key, client="verbinding-1")


def test_cards_per_participant_are_limited_and_a_refused_card_is_not_stored(created):
    participant = session.join(created.join_code)
    theme_id = session.themes(participant)[0].theme_id
    for number in range(access.CARD_WRITES.count):
        board.add_card(participant, theme_id, "idee", f"kaart {number}")
    with pytest.raises(ratelimit.RateLimited, match=TRY_AGAIN):
        board.add_card(participant, theme_id, "idee", "een te veel")
    other = session.join(created.join_code)
    board.add_card(other, theme_id, "idee", "van een ander")  # per participant
    board.add_card(created.facilitator, theme_id, "idee", "van de facilitator")  # the facilitator is not braked
    assert len(board.cards(created.facilitator)) == access.CARD_WRITES.count + 2


def test_votes_and_placements_per_participant_are_limited(created, monkeypatch):
    monkeypatch.setattr(votes, "VOTE_WRITES", ratelimit.Limit("vote_writes", 4, 60, "Rustig stemmen."))
    participant = session.join(created.join_code)
    theme_id = session.themes(participant)[0].theme_id
    card_id = board.add_card(created.facilitator, theme_id, "idee", "Stem op mij")
    session.set_phase(created.facilitator, "stemmen")
    for _ in range(2):
        votes.vote(participant, card_id)
        votes.unvote(participant, card_id)
    with pytest.raises(ratelimit.RateLimited, match="Rustig stemmen."):
        votes.vote(participant, card_id)
    assert votes.my_votes(participant) == {}


def test_old_events_are_cleared_as_new_ones_come_in(any_store_url, monkeypatch):
    limit = ratelimit.Limit("test", 100, 60, "Rustig.")
    for _ in range(5):
        ratelimit.take(limit, "oud")
    monkeypatch.setattr(ratelimit, "KEEP", dt.timedelta(0))
    ratelimit.take(limit, "nieuw")
    with store.read() as connection:
        assert len(connection.execute(ratelimit.EVENTS.select()).all()) == 1  # only the new one is left
