"""Sessions in the store: creation and joining, who may do what, validation in Dutch, and concurrent writers."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa
from conftest import at_once

from ratc.core import keys, store
from ratc.hangout import access, actions, board, pinning, schema, session, votes

DAY = dt.date(2020, 6, 4)


@pytest.fixture
def created(any_store_url):
    """A fresh session with two themes, in a fresh store on each backend (SQLite, PostgreSQL)."""
    return session.create_session("Hang-out werk", DAY, ["Werk: banen of omscholing?", "Jeugd"], "Anna")


@pytest.fixture
def facilitator(created):
    """The facilitator's pass of the fresh session."""
    return created.facilitator


@pytest.fixture
def theme_id(facilitator):
    """The first theme's id."""
    return session.themes(facilitator)[0].theme_id


def test_create_stores_themes_and_only_a_hash_of_the_key(created, facilitator):
    themes = session.themes(facilitator)
    assert [(theme.name, theme.description) for theme in themes] == [("Werk", "banen of omscholing?"), ("Jeugd", "")]
    info = session.session(facilitator)
    assert (info.title, info.session_date, info.phase, info.votes_revealed) == (
        "Hang-out werk",
        DAY,
        "verzamelen",
        False,
    )
    assert info.join_code == created.join_code and len(created.join_code) == 6
    with store.read() as connection:
        stored = connection.execute(sa.select(schema.SESSIONS)).one()._asdict()
    assert facilitator.key not in {str(value) for value in stored.values()}
    assert stored["facilitator_key_hash"] == access.hash_key(facilitator.key)


def test_facilitator_opens_with_code_and_key_in_any_case_and_spacing(created, facilitator):
    typed = created.join_code.lower()[:3] + " " + created.join_code.lower()[3:]
    assert session.open_as_facilitator(typed, facilitator.key) == facilitator
    with pytest.raises(access.AccessDenied, match="klopt niet"):
        session.open_as_facilitator(created.join_code, facilitator.key + "x")
    with pytest.raises(access.AccessDenied):
        session.open_as_facilitator("AAAAAA", facilitator.key)


def test_join_code_grants_add_and_vote_in_that_session_only(created, facilitator, theme_id):
    other = session.create_session("Andere sessie", DAY, ["Zorg"]).facilitator
    other_theme = session.themes(other)[0].theme_id
    participant = session.join(created.join_code, "Piet", "wethouder")
    card_id = board.add_card(participant, theme_id, "idee", "Banenpool")
    other_card = board.add_card(other, other_theme, "idee", "Elders")
    with pytest.raises(access.AccessDenied, match="andere sessie"):
        board.add_card(participant, other_theme, "idee", "Hier niet")
    session.set_phase(facilitator, "stemmen")
    session.set_phase(other, "stemmen")
    with pytest.raises(access.AccessDenied, match="andere sessie"):
        votes.vote(participant, other_card)
    # a pass pretending to be in the other session, with the participant's own key, is refused
    forged = access.Participant(other.session_id, created.join_code, participant.participant_id, participant.key)
    with pytest.raises(access.AccessDenied):
        board.cards(forged)
    assert votes.vote(participant, card_id) == 2


@pytest.mark.parametrize(
    ("action", "args"),
    [
        (session.set_phase, ("stemmen",)),
        (session.reveal_votes, ()),
        (session.set_dots, (5,)),
        (pinning.pin_view, ("trends", {"indicator": "ww_uitkeringen"}, "WW")),
        (session.add_theme, ("Nieuw",)),
        (actions.add_action, ("Banenpool", "Dordrecht")),
        (session.delete_session, ()),
        (board.group_cards, ([], "Groep")),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_participant_cannot_act_as_facilitator(created, facilitator, action, args):
    participant = session.join(created.join_code)
    with pytest.raises(access.AccessDenied):
        action(participant, *args)
    # nor with their own key in a facilitator's pass
    with pytest.raises(access.AccessDenied):
        action(access.Facilitator(facilitator.session_id, participant.key), *args)
    assert session.session(facilitator).phase == "verzamelen"


def test_facilitator_key_of_one_session_does_not_open_another(created, facilitator):
    other = session.create_session("Andere sessie", DAY, ["Zorg"]).facilitator
    with pytest.raises(access.AccessDenied):
        session.reveal_votes(access.Facilitator(other.session_id, facilitator.key))
    assert not session.session(other).votes_revealed


def test_rounds_decide_what_participants_may_do(created, facilitator, theme_id):
    participant = session.join(created.join_code)
    card_id = board.add_card(participant, theme_id, "actie", "Omscholen")
    with pytest.raises(access.AccessDenied, match="stemronde"):
        votes.vote(participant, card_id)
    with pytest.raises(access.AccessDenied, match="impact"):
        votes.place(participant, card_id, 4, 4)
    session.set_phase(facilitator, "stemmen")
    with pytest.raises(access.AccessDenied, match="verzamelronde"):
        board.add_card(participant, theme_id, "idee", "Te laat")
    board.add_card(facilitator, theme_id, "idee", "De facilitator mag altijd")
    session.set_phase(facilitator, "gesloten")
    with pytest.raises(access.AccessDenied, match="gesloten"):
        board.cards(participant)
    with pytest.raises(access.AccessDenied, match="gesloten"):
        session.join(created.join_code)


def test_dots_are_limited_and_hidden_until_revealed(created, facilitator, theme_id):
    session.set_dots(facilitator, 2)
    first, second = session.join(created.join_code), session.join(created.join_code)
    card_a = board.add_card(first, theme_id, "idee", "A")
    card_b = board.add_card(second, theme_id, "kans", "B")
    session.set_phase(facilitator, "stemmen")
    assert votes.vote(first, card_a) == 1
    assert votes.vote(first, card_a) == 0
    with pytest.raises(schema.InvalidInput, match="al uw 2 stippen"):
        votes.vote(first, card_b)
    assert votes.unvote(first, card_a) == 1
    votes.vote(first, card_b)
    votes.vote(second, card_b)
    assert votes.my_votes(first) == {card_a: 1, card_b: 1}
    assert [card.votes for card in board.cards(second)] == [None, None]
    assert [card.votes for card in board.cards(facilitator)] == [None, None]
    assert votes.vote_progress(facilitator) == (3, 4, 2)
    session.reveal_votes(facilitator)
    assert [(card.text, card.votes) for card in board.ranked(board.cards(second))] == [("B", 2), ("A", 1)]


def test_placements_are_averaged_and_hidden_until_revealed(created, facilitator, theme_id):
    first, second = session.join(created.join_code), session.join(created.join_code)
    idea = board.add_card(first, theme_id, "idee", "Banenpool")
    question = board.add_card(first, theme_id, "nieuwsgierig", "Waarom?")
    session.set_phase(facilitator, "plaatsen")
    votes.place(first, idea, 5, 2)
    votes.place(first, idea, 4, 2)  # a second placement replaces the first
    votes.place(second, idea, 4, 5)
    with pytest.raises(schema.InvalidInput, match="ideeën, kansen en acties"):
        votes.place(first, question, 3, 3)
    with pytest.raises(schema.InvalidInput, match="Impact: kies een waarde van 1 tot en met 5"):
        votes.place(first, idea, 6, 3)
    assert votes.placements(second) is None
    assert votes.placement_progress(facilitator) == 2
    session.reveal_votes(facilitator)
    [placement] = votes.placements(second)
    assert (placement.impact, placement.influence, placement.count) == (4.0, 3.5, 2)
    assert placement.quadrant == "Nu oppakken"


@pytest.mark.parametrize(
    ("impact", "influence", "quadrant"),
    [
        (5, 5, "Nu oppakken"),
        (5, 1, "Samen agenderen"),
        (1, 5, "Snel regelen"),
        (1, 1, "Loslaten"),
        (3, 3, "Nu oppakken"),
    ],
)
def test_quadrants(impact, influence, quadrant):
    assert votes.Placement("x", impact, influence, 1).quadrant == quadrant


def test_merge_moves_votes_and_keeps_the_texts(created, facilitator, theme_id):
    participant = session.join(created.join_code)
    target = board.add_card(participant, theme_id, "idee", "Banenpool")
    source = board.add_card(participant, theme_id, "idee", "Regionale pool van banen")
    session.set_phase(facilitator, "stemmen")
    votes.vote(participant, source)
    votes.vote(participant, source)
    board.merge_cards(facilitator, target, [source])
    session.reveal_votes(facilitator)
    [merged] = board.cards(facilitator)
    assert (merged.card_id, merged.votes, merged.merged) == (target, 2, ("Regionale pool van banen",))
    with pytest.raises(schema.InvalidInput, match="samengevoegd"):
        votes.vote(participant, source)
    with pytest.raises(schema.InvalidInput, match="al samengevoegd"):
        board.merge_cards(facilitator, source, [target])


def test_edit_and_group_cards(created, facilitator, theme_id):
    participant = session.join(created.join_code, "Piet")
    card_id = board.add_card(participant, theme_id, "beeld", "Meer WW")
    second_theme = session.themes(facilitator)[1].theme_id
    board.edit_card(facilitator, card_id, card_text="Meer WW in Dordrecht", kind="dilemma", theme_id=second_theme)
    board.group_cards(facilitator, [card_id], "Werk")
    [card] = board.cards(facilitator)
    assert (card.text, card.kind, card.theme_id, card.group, card.author) == (
        "Meer WW in Dordrecht", "dilemma", second_theme, "Werk", "Piet"
    )  # fmt: skip
    with pytest.raises(access.AccessDenied):
        board.edit_card(participant, card_id, card_text="Mijn eigen versie")


@pytest.mark.parametrize(
    ("card_text", "kind", "message"),
    [
        ("   \n ", "idee", "Kaarttekst: is leeg"),
        ("x" * 601, "idee", "Kaarttekst: is 601 tekens lang; hoogstens 600"),
        ("Goed idee", "grap", "Soort kaart: kies een van"),
    ],
)
def test_card_input_is_checked_with_a_dutch_message(created, theme_id, card_text, kind, message):
    participant = session.join(created.join_code)
    with pytest.raises(schema.InvalidInput, match=message):
        board.add_card(participant, theme_id, kind, card_text)


# Every text a hang-out stores, far too long: refused with the field's name, never cut to its limit.
TOO_LONG = "x" * 100_000


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (lambda p, f, t: board.add_card(p, t, "idee", TOO_LONG), "Kaarttekst: is 100.000 tekens lang; hoogstens 600"),
        (lambda p, f, t: board.add_card(p, t, "idee", "y" * 1_000_000), "Kaarttekst: is 1.000.000 tekens lang"),
        (lambda p, f, t: session.join(f_code(f), TOO_LONG), "Naam: is 100.000 tekens lang; hoogstens 60"),
        (lambda p, f, t: session.add_theme(f, TOO_LONG), "Thema: is 100.000 tekens lang; hoogstens 80"),
        (lambda p, f, t: actions.add_action(f, TOO_LONG, "Anna", t), "hoogstens 400"),
        (lambda p, f, t: pinning.pin_view(f, "trends", {"indicator": TOO_LONG}, "WW"), "instelling 'indicator'"),
        (lambda p, f, t: pinning.pin_view(f, "trends", {}, "WW", note=TOO_LONG), "Toelichting: is 100.000 tekens"),
    ],
)
def test_too_long_text_is_refused_never_cut(created, facilitator, theme_id, write, message):
    participant = session.join(created.join_code)
    with pytest.raises(schema.InvalidInput, match=message):
        write(participant, facilitator, theme_id)
    assert board.cards(facilitator) == [] and pinning.agenda(facilitator) == []
    assert len(session.themes(facilitator)) == 2 and actions.actions(facilitator) == []


def f_code(facilitator) -> str:
    """The join code of the facilitator's session."""
    return session.session(facilitator).join_code


def test_text_is_cleaned_not_interpreted(created, theme_id):
    participant = session.join(created.join_code, "  Eve\x00\u200b  <b>x</b> ")
    card_id = board.add_card(participant, theme_id, "idee", "  <script>alert(1)</script>\r\nregel 2\x07  ")
    [card] = board.cards(participant)
    assert card.card_id == card_id
    assert card.text == "<script>alert(1)</script>\nregel 2"  # kept as typed; escaping happens when shown
    assert card.author == "Eve <b>x</b>"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": " "}, "Titel: is leeg"),
        ({"themes": []}, "Thema's: geef minstens één thema"),
        ({"themes": ["Werk", "werk"]}, "elk thema mag maar één keer"),
        ({"dots_per_participant": 0}, "Stippen per deelnemer"),
        ({"session_date": "morgen"}, "Datum"),
    ],
)
def test_session_input_is_checked(any_store_url, kwargs, message):
    arguments = {"title": "Sessie", "session_date": DAY, "themes": ["Werk"], **kwargs}
    with pytest.raises(schema.InvalidInput, match=message):
        session.create_session(**arguments)


def test_pinned_views_keep_their_settings_and_order(facilitator, theme_id):
    first = pinning.pin_view(facilitator, "trends", {"indicator": "ww_uitkeringen", "maat": "index"}, "WW", theme_id)
    second = pinning.pin_view(facilitator, "kaart", {"maat": "per_10k"}, "Kaart")
    pinning.move_view(facilitator, second, -1)
    assert [view.view_id for view in pinning.agenda(facilitator)] == [second, first]
    assert pinning.agenda(facilitator)[1].params == {"indicator": "ww_uitkeringen", "maat": "index"}
    session.show_view(facilitator, first)
    pinning.unpin_view(facilitator, first)
    assert session.session(facilitator).current_view_id is None
    with pytest.raises(schema.InvalidInput, match="geen pagina"):
        pinning.pin_view(facilitator, "../admin", {}, "X")
    with pytest.raises(schema.InvalidInput, match="ongeldige naam"):
        pinning.pin_view(facilitator, "trends", {"Bad Name": "x"}, "X")


def test_actions_need_an_owner(facilitator, theme_id):
    with pytest.raises(schema.InvalidInput, match="Eigenaar: is leeg"):
        actions.add_action(facilitator, "Banenpool opzetten", " ")
    actions.add_action(facilitator, "Banenpool opzetten", "Gemeente Dordrecht", theme_id, due_date=dt.date(2020, 9, 1))
    [action] = actions.actions(facilitator)
    assert (action.description, action.owner, action.due_date) == (
        "Banenpool opzetten", "Gemeente Dordrecht", dt.date(2020, 9, 1)
    )  # fmt: skip


def test_deleting_a_session_removes_everything_in_it(created, facilitator, theme_id):
    participant = session.join(created.join_code, "Piet")
    board.add_card(participant, theme_id, "idee", "A")
    session.delete_session(facilitator)
    with store.read() as connection:
        for table in (schema.SESSIONS, schema.THEMES, schema.PARTICIPANTS, schema.CARDS):
            assert connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0
    with pytest.raises(access.AccessDenied):
        session.session(facilitator)


def test_twenty_participants_adding_cards_at_once_lose_none(created, facilitator, theme_id):
    store.engine()
    per_participant = 10

    def write(number: int) -> None:
        participant = session.join(created.join_code, f"Deelnemer {number}")
        for card in range(per_participant):
            board.add_card(participant, theme_id, "idee", f"Kaart {number}-{card}")

    assert at_once(write, range(20)) == []
    texts = {card.text for card in board.cards(facilitator)}
    assert texts == {f"Kaart {number}-{card}" for number in range(20) for card in range(per_participant)}
    assert len(session.participants(facilitator)) == 20


def test_twenty_concurrent_voters_never_exceed_their_dots(created, facilitator, theme_id):
    participants = [session.join(created.join_code) for _ in range(20)]
    card_id = board.add_card(facilitator, theme_id, "idee", "Populair")
    session.set_phase(facilitator, "stemmen")
    refused: list[BaseException] = []

    def spend(participant: access.Participant) -> None:
        for _ in range(5):  # two more than the three dots each may spend
            try:
                votes.vote(participant, card_id)
            except schema.InvalidInput as error:
                refused.append(error)

    assert at_once(spend, participants) == []
    session.reveal_votes(facilitator)
    assert board.cards(facilitator)[0].votes == 20 * 3
    assert len(refused) == 20 * 2


def test_cards_keep_the_order_they_were_written_in_within_one_second(created, theme_id):
    participant = session.join(created.join_code)
    for number in range(8):
        board.add_card(participant, theme_id, "beeld", f"Kaart {number}")
    assert [card.text for card in board.cards(participant)] == [f"Kaart {number}" for number in range(8)]


def test_with_the_hangout_key_set_only_its_holder_creates_a_session(any_store_url, monkeypatch):
    monkeypatch.setenv(keys.HANGOUT, "samen-duiden")
    for given in (None, "", "fout", "samen-duiden "):
        with pytest.raises(access.AccessDenied, match="er is geen sessie aangemaakt"):
            session.create_session("Hang-out", DAY, ["Werk"], key=given)
    with store.read() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(schema.SESSIONS)).scalar_one() == 0
    created = session.create_session("Hang-out", DAY, ["Werk"], key="samen-duiden")
    assert session.session(created.facilitator).title == "Hang-out"
    monkeypatch.delenv(keys.HANGOUT)
    session.create_session("Open", DAY, ["Werk"])  # open when no key is set


def test_an_introduction_too_long_says_so_in_dutch_numbers(any_store_url):
    with pytest.raises(schema.InvalidInput, match="Inleiding: is 3.001 tekens lang; hoogstens 3.000"):
        session.create_session("Hang-out", DAY, ["Werk"], introduction="x" * 3001)


def test_merging_while_twelve_people_vote_loses_no_dot(created, facilitator, theme_id):
    """Votes on a card that is being merged wait for the merge and then go to the merged card, never get lost."""
    groups = [[board.add_card(facilitator, theme_id, "idee", f"Kaart {group}-{n}") for n in range(3)]
              for group in range(6)]  # fmt: skip
    every_card = [card for group in groups for card in group]
    participants = [session.join(created.join_code, f"Deelnemer {number}") for number in range(12)]
    session.set_dots(facilitator, 10)
    session.set_phase(facilitator, "stemmen")

    def act(kind: str, number: int) -> None:
        if kind == "merge":  # the groups one after another while the votes come in
            time.sleep(0.004 * number)
            board.merge_cards(facilitator, groups[number][0], groups[number][1:])
            return
        participant, spent, turn = participants[number], 0, number
        while spent < 10:  # every dot is spent: a refused vote (card merged meanwhile) goes to the next card
            card_id = every_card[turn % len(every_card)]
            turn += 1
            try:
                votes.vote(participant, card_id)
                spent += 1
            except schema.InvalidInput as refused:
                assert "samengevoegd" in str(refused)

    calls = [("merge", group) for group in range(6)] + [("vote", number) for number in range(12)]
    assert at_once(act, calls) == []
    active = {card.card_id: card.votes for card in board.cards(facilitator, with_votes=True)}
    assert set(active) == {group[0] for group in groups}
    assert sum(active.values()) == 12 * 10
    for participant in participants:
        mine = votes.my_votes(participant)
        assert set(mine) <= set(active) and sum(mine.values()) == 10


def test_two_cards_merged_into_each_other_at_once_one_merge_wins(created, facilitator, theme_id):
    for _ in range(5):
        first, second = (board.add_card(facilitator, theme_id, "idee", f"Paar {n}") for n in range(2))
        errors = at_once(board.merge_cards, [(facilitator, first, [second]), (facilitator, second, [first])])
        assert [type(error) for error in errors] == [schema.InvalidInput]
        assert "al samengevoegd" in str(errors[0])
        assert len({first, second} & {card.card_id for card in board.cards(facilitator)}) == 1


def test_themes_and_pins_added_at_once_keep_the_limit_and_distinct_places(created, facilitator):
    errors = at_once(session.add_theme, [(facilitator, f"Thema {number}") for number in range(16)])
    themes = session.themes(facilitator)
    assert len(themes) == session.MAX_THEMES and len(errors) == 16 - (session.MAX_THEMES - 2)
    assert all("hoogstens 12 thema's" in str(error) for error in errors)
    assert len({theme.position for theme in themes}) == len(themes)
    pins = [(facilitator, "trends", {"indicator": "ww_uitkeringen"}, f"Weergave {number}") for number in range(12)]
    assert at_once(pinning.pin_view, pins) == []
    assert [view.position for view in pinning.agenda(facilitator)] == list(range(12))


def test_a_card_sent_again_with_its_token_is_stored_once(created, theme_id):
    participant = session.join(created.join_code)
    first = board.add_card(participant, theme_id, "idee", "Eén keer", token="kaart-token-1")
    again = board.add_card(participant, theme_id, "idee", "Eén keer", token="kaart-token-1")
    other = board.add_card(participant, theme_id, "idee", "Eén keer")  # without a token: a new card
    assert first == again != other
    assert [card.card_id for card in board.cards(participant)] == [first, other]


def test_a_card_sent_twenty_times_at_once_with_one_token_is_stored_once(created, theme_id):
    participant = session.join(created.join_code)
    answers = []
    errors = at_once(lambda _: answers.append(board.add_card(participant, theme_id, "idee", "x", token="dubbel-01")),
                     range(20))  # fmt: skip
    assert errors == [] and len(set(answers)) == 1 and len(board.cards(participant)) == 1


def test_a_vote_sent_again_with_its_token_is_cast_once(created, facilitator, theme_id):
    participant = session.join(created.join_code)
    card_id = board.add_card(participant, theme_id, "idee", "Stem")
    session.set_phase(facilitator, "stemmen")
    assert votes.vote(participant, card_id, token=f"{card_id}:0:0") == 2
    assert votes.vote(participant, card_id, token=f"{card_id}:0:0") == 2  # the retry: no second dot
    assert votes.vote(participant, card_id, token=f"{card_id}:1:1") == 1  # a new click on the changed page
    assert votes.unvote(participant, card_id) == 2
    assert votes.vote(participant, card_id, token=f"{card_id}:1:1") == 1  # after taking it back, the same click
    assert votes.my_votes(participant) == {card_id: 2}


@pytest.mark.parametrize("token", ["kort", "x" * 65, "met spatie!", 12345678, "<script>"])
def test_a_malformed_token_is_refused(created, theme_id, token):
    participant = session.join(created.join_code)
    with pytest.raises(ValueError, match="Ongeldig kenmerk"):
        board.add_card(participant, theme_id, "idee", "x", token=token)
    assert board.cards(participant) == []
