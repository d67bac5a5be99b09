"""A participant is a person for the length of a session: the personal code brings them back with the dots they
have left (never more than the limit in total), a name is one person's, the facilitator merges two rows, the dot
totals count people; and a dot that is not set says why. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import at_once, run_app

from ratc.core import ratelimit
from ratc.hangout import access, board, people, session, votes
from ratc.hangout.schema import InvalidInput
from ratc.ui import hangout as sui
from ratc.ui import participant as participant_ui

JOIN = "pages/join.py"


@pytest.fixture
def opened(any_store_url):
    """A session of three dots per participant in its voting round, with two cards; (facilitator, code, cards)."""
    created = session.create_session("Werk en inkomen", dt.date(2020, 6, 1), ["Werk"], dots_per_participant=3)
    writer = session.join(created.join_code, "Schrijver")
    (theme,) = session.themes(created.facilitator)
    cards = [board.add_card(writer, theme.theme_id, "idee", text) for text in ("Banenpool", "Omscholen")]
    session.set_phase(created.facilitator, "stemmen")
    return created.facilitator, created.join_code, cards


def meedoen(app):
    """The join form's submit button."""
    return next(button for button in app.button if button.label == "Meedoen")


def total_dots(who: access.Participant) -> int:
    """All dots of a participant, on every card."""
    return sum(votes.my_votes(who).values())


def test_a_first_join_hands_out_a_personal_code_and_rejoining_with_it_keeps_the_dots(opened):
    facilitator, code, (first, second) = opened
    anna = session.join(code, "Anna", "wethouder")
    assert len(anna.rejoin_code) == people.CODE_LENGTH
    assert votes.set_votes(anna, first, 2).stored
    # a reload, another device or another replica: the same person, with one dot left
    again = session.join(code, "", "", rejoin_code=anna.rejoin_code.lower())
    assert again.participant_id == anna.participant_id and again.name == "Anna" and again.rejoin_code == ""
    assert votes.my_votes(again) == {first: 2}
    result = votes.set_votes(again, second, 3)
    assert (result.on_card, result.left, result.stored) == (1, 0, False)
    assert result.why().startswith("2 stippen zijn niet gezet: u heeft al uw 3 stippen gebruikt")
    assert total_dots(again) == 3
    # the device that was left cannot act for the person any more
    with pytest.raises(access.AccessDenied, match="ander apparaat"):
        votes.set_votes(anna, first, 0)
    assert votes.vote_progress(facilitator) == (3, 6, 1)  # Anna and the writer: two people, not three joins


def test_a_name_that_takes_part_needs_its_code_to_join_again(opened):
    _, code, _ = opened
    anna = session.join(code, "Anna")
    with pytest.raises(InvalidInput, match="'anna' doet al mee in deze sessie. Bent u dat?"):
        session.join(code, "anna")
    assert session.join(code, "Anna", rejoin_code=anna.rejoin_code).participant_id == anna.participant_id
    assert session.join(code, "Anna uit Dordrecht").participant_id != anna.participant_id
    with pytest.raises(access.AccessDenied, match="hoort bij niemand"):
        session.join(code, "Anna", rejoin_code="ZZZZZZ")


def test_two_people_joining_with_one_name_at_once_get_one_row(opened):
    facilitator, code, _ = opened
    outcomes: list[str] = []

    def join(_: int) -> None:
        try:
            session.join(code, "Piet")
            outcomes.append("mee")
        except InvalidInput:
            outcomes.append("naam bezet")

    assert at_once(join, range(6)) == []
    assert sorted(outcomes) == ["mee", *["naam bezet"] * 5]
    assert [person.name for person in people.roster(facilitator)].count("Piet") == 1


def test_guessing_a_personal_code_is_braked_per_connection(opened):
    _, code, _ = opened
    for _ in range(access.JOIN_PER_CONNECTION.count):
        with pytest.raises(access.AccessDenied):
            session.join(code, rejoin_code="ZZZZZZ", client="raadpoging")
    with pytest.raises(ratelimit.RateLimited):
        session.join(code, rejoin_code="ZZZZZZ", client="raadpoging")


def test_a_person_on_two_devices_at_once_never_holds_more_than_the_limit(opened):
    _, code, (first, second) = opened
    piet = session.join(code, "Piet")
    dots = [votes.set_votes(piet, card, 3) for card in (first,)]
    assert dots[0].left == 0
    phone = session.join(code, rejoin_code=piet.rejoin_code)
    answers: list[votes.Dots] = []
    errors = at_once(lambda card: answers.append(votes.set_votes(phone, card, 3)), [second] * 4 + [first] * 2)
    assert errors == [] and total_dots(phone) == 3


def test_merging_two_rows_of_one_person_keeps_cards_and_at_most_the_limit_of_dots(opened):
    facilitator, code, (first, second) = opened
    (theme,) = session.themes(facilitator)
    session.set_phase(facilitator, "verzamelen")
    laptop, phone = session.join(code, "Karin"), session.join(code)  # the second time without name or code
    board.add_card(phone, theme.theme_id, "kans", "Gedeelde vacaturebank")
    session.set_phase(facilitator, "stemmen")
    votes.set_votes(laptop, first, 2)
    votes.set_votes(phone, second, 2)
    assert votes.vote_progress(facilitator)[1] == 9  # three rows: the writer, Karin and 'zonder naam'
    dropped = people.merge(facilitator, laptop.participant_id, phone.participant_id)
    assert dropped == 1  # four dots over two rows; the person keeps three, the newest went
    roster = {person.name: person for person in people.roster(facilitator)}
    assert set(roster) == {"Schrijver", "Karin"}
    assert (roster["Karin"].dots_used, roster["Karin"].cards) == (3, 1)
    assert votes.vote_progress(facilitator) == (3, 6, 1)
    with pytest.raises(access.AccessDenied, match="samengevoegd"):
        votes.set_votes(phone, second, 0)
    # the merged row's code leads to the row it joined
    again = session.join(code, rejoin_code=phone.rejoin_code)
    assert again.participant_id == laptop.participant_id and total_dots(again) == 3
    with pytest.raises(InvalidInput, match="twee verschillende"):
        people.merge(facilitator, laptop.participant_id, laptop.participant_id)
    with pytest.raises(access.AccessDenied):
        people.merge(again, laptop.participant_id, phone.participant_id)  # the facilitator's alone


def test_setting_dots_is_idempotent_and_says_why_when_they_do_not_fit(opened):
    _, code, (first, second) = opened
    piet = session.join(code, "Piet")
    assert votes.set_votes(piet, first, 2) == votes.Dots(2, 2, 1, 3)
    assert votes.set_votes(piet, first, 2) == votes.Dots(2, 2, 1, 3)  # the same number again: nothing changes
    assert votes.set_votes(piet, second, 8) == votes.Dots(8, 1, 0, 3)  # eight clicks: one fits, and it says so
    assert "7 stippen zijn niet gezet" in votes.set_votes(piet, second, 8).why()
    assert votes.set_votes(piet, first, 0) == votes.Dots(0, 0, 2, 3)
    with pytest.raises(InvalidInput, match="0 of meer"):
        votes.set_votes(piet, first, -1)


def test_the_join_page_shows_the_personal_code_once_and_a_reload_comes_back_with_it(warehouse_file, opened):
    _, code, (first, second) = opened
    app = run_app(warehouse_file, {"code": code}, JOIN)
    app.text_input(key="meedoen_naam").input("Fatma")
    meedoen(app).click()
    app.run()
    personal = app.session_state[participant_ui.PERSONAL_CODE]
    assert f"Uw persoonlijke code: `{personal}`" in " ".join(item.value for item in app.markdown)
    assert app.session_state[sui.PARTICIPANT].rejoin_code == ""  # the pass keeps no copy
    app.number_input(key=f"stippen_{first}").set_value(2)
    app.run()
    assert app.metric[0].value == "1 van 3"
    assert any("Opgeslagen: 2 op deze kaart, nog 1 over" in toast.value for toast in app.toast)
    app.button(key="meedoen_code_genoteerd").click()
    app.run()
    assert personal not in " ".join(item.value for item in app.markdown)

    reload = run_app(warehouse_file, {"code": code}, JOIN)  # a new browser session: the same person comes back
    reload.text_input(key="meedoen_eigen_code").input(personal)
    meedoen(reload).click()
    reload.run()
    assert not reload.exception
    assert "Welkom terug" in " ".join(item.value for item in reload.success)
    assert reload.metric[0].value == "1 van 3"
    reload.number_input(key=f"stippen_{second}").set_value(3)  # three clicks at once, one dot left
    reload.run()
    assert reload.metric[0].value == "0 van 3"
    assert reload.number_input(key=f"stippen_{second}").value == 1  # what is stored, not what was asked
    assert "2 stippen zijn niet gezet" in " ".join(item.value for item in reload.error)
    app.run()  # the first browser session was left: it says why it cannot act
    assert any("ander apparaat" in item.value for item in app.error)


def test_a_dot_that_cannot_be_set_says_why_on_the_page(warehouse_file, opened):
    facilitator, code, (first, _) = opened
    app = run_app(warehouse_file, {"code": code}, JOIN)
    app.text_input(key="meedoen_naam").input("Joost")
    meedoen(app).click()
    app.run()
    session.set_phase(facilitator, "plaatsen")  # the facilitator closed the round a moment ago
    app.number_input(key=f"stippen_{first}").set_value(1)
    app.run()
    assert any("Niet opgeslagen\\: Stemmen kan nu niet" in item.value for item in app.error)  # shown escaped
    assert any("niet opgeslagen" in toast.value for toast in app.toast)


def test_the_facilitator_sees_people_and_merges_two_rows_on_the_page(warehouse_file, opened):
    facilitator, code, (first, _) = opened
    once, twice = session.join(code, "Kees"), session.join(code)
    votes.set_votes(once, first, 2)
    votes.set_votes(twice, first, 2)
    app = run_app(warehouse_file, {}, "pages/hangout.py")
    app.session_state[sui.FACILITATOR] = facilitator
    app.run()
    app.segmented_control(key="sessie_onderdeel").set_value("deelnemers")
    app.run()
    table = next(frame.value for frame in app.dataframe if "Stippen gebruikt" in frame.value.columns)
    assert len(table) == 3 and table["Stippen gebruikt"].tolist() == [0, 2, 2]
    app.selectbox(key="samenvoegen_blijft").set_value(once.participant_id)
    app.selectbox(key="samenvoegen_gaat_op").set_value(twice.participant_id)
    app.button(key="samenvoegen_opslaan").click()
    app.run()
    assert not app.exception
    assert "1 stip(pen) boven het maximum zijn vervallen" in " ".join(item.value for item in app.success)
    table = next(frame.value for frame in app.dataframe if "Stippen gebruikt" in frame.value.columns)
    assert table["Stippen gebruikt"].tolist() == [0, 3]
