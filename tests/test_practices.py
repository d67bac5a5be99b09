"""The good-practices library: who may add, validated links, search by words, municipality and theme."""

from __future__ import annotations

import datetime as dt

import pytest

from ratc.hangout import access, board, practices, schema, session


@pytest.fixture
def participant(any_store_url):
    """A participant of a fresh session, in a fresh store on each backend (SQLite, PostgreSQL)."""
    created = session.create_session("Sessie", dt.date(2020, 6, 4), ["Schulden"])
    return session.join(created.join_code, "Piet")


@pytest.mark.parametrize(
    "link",
    ["https://www.dordrecht.nl/schuldhulp", "http://example.org/a?b=c#d", "HTTPS://Example.ORG/pad", ""],
)
def test_http_links_are_kept(link):
    assert practices.clean_link(f"  {link} ") == link


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("javascript:alert(1)", "begint met https"),
        ("data:text/html,<script>alert(1)</script>", "begint met https"),
        ("ftp://example.org/file", "begint met https"),
        ("https://", "begint met https"),
        ("https://exa mple.org", "geen spaties"),
        ("https://user:secret@example.org/", "gebruikersnaam of wachtwoord"),
        ("https://example.org/" + "a" * 500, "hoogstens 500"),
        ("//example.org/pad", "begint met https"),
        ("https://exa<mple>.org/", "begint met https"),
    ],
)
def test_other_links_are_refused_with_a_dutch_message(link, message):
    with pytest.raises(practices.InvalidPractice, match=message):
        practices.clean_link(link)


def test_participant_adds_and_everyone_finds_it(participant):
    practice_id = practices.add(
        participant,
        "Schuldhulp binnen drie dagen",
        "Eerste gesprek binnen 3 dagen.",
        "Dordrecht",
        "Schulden",
        "team schuldhulp, 078-0000000",
        "https://www.dordrecht.nl/",
    )
    practices.add(participant, "Thuisonderwijs met laptops", "Laptops voor gezinnen zonder computer.", "Gorinchem",
                  "Jeugd")  # fmt: skip
    [found] = practices.search("DRIE dagen")
    assert (found.practice_id, found.added_by, found.label) == (
        practice_id, "Piet", "Schuldhulp binnen drie dagen (Dordrecht)"
    )  # fmt: skip
    assert [item.title for item in practices.search("laptops gorinchem")] == ["Thuisonderwijs met laptops"]
    assert practices.search("laptops dordrecht") == []
    assert [item.title for item in practices.search(theme="Jeugd")] == ["Thuisonderwijs met laptops"]
    assert [item.title for item in practices.search(municipality="Dordrecht")] == ["Schuldhulp binnen drie dagen"]
    assert practices.facets() == (["Dordrecht", "Gorinchem"], ["Jeugd", "Schulden"])


def test_search_words_are_text_not_patterns(participant):
    practices.add(participant, "100% bereik", "Iedereen bereikt.")
    practices.add(participant, "Bereik", "Half bereikt.")
    assert [item.title for item in practices.search("100%")] == ["100% bereik"]
    assert practices.search("_") == []


def test_adding_needs_a_session_pass_and_valid_fields(participant):
    with pytest.raises(access.AccessDenied):
        practices.add(None, "Titel", "Beschrijving")
    with pytest.raises(practices.InvalidPractice, match="Titel: is leeg"):
        practices.add(participant, " ", "Beschrijving")
    with pytest.raises(practices.InvalidPractice, match="Beschrijving: is 2.001 tekens lang; hoogstens 2.000"):
        practices.add(participant, "Titel", "x" * 2001)
    assert practices.search() == []


def test_cards_refer_to_practices(participant):
    practice_id = practices.add(participant, "Banenpool", "Samen met werkgevers.")
    theme_id = session.themes(participant)[0].theme_id
    board.add_card(participant, theme_id, "idee", "Zie de banenpool", practice_id=practice_id)
    assert board.cards(participant)[0].practice_id == practice_id
    with pytest.raises(schema.InvalidInput, match="Goede praktijk: bestaat niet"):
        board.add_card(participant, theme_id, "idee", "Verwijzing naar niets", practice_id="onbekend")
    assert list(practices.by_ids([practice_id])) == [practice_id]


def test_deleting_a_session_keeps_the_practices_added_in_it(any_store_url):
    created = session.create_session("Sessie", dt.date(2020, 6, 4), ["Schulden"])
    practices.add(session.join(created.join_code), "Banenpool", "Samen met werkgevers.")
    session.delete_session(created.facilitator)
    assert [item.title for item in practices.search()] == ["Banenpool"]
