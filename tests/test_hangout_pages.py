"""The hang-out pages under AppTest: a whole session from creation to report, pinning views from the monitor's
pages, and what participants may see."""

from __future__ import annotations

import io
import json

import docx
import pytest
from conftest import chart_data, run_app

from ratc.core import keys, text
from ratc.hangout import access, actions, board, pinning, session, votes
from ratc.scenario import parameters as scenario_data
from ratc.scenario import settings as scenario_settings
from ratc.ui import hangout as sui

HANGOUT, JOIN, PRACTICES = "pages/hangout.py", "pages/join.py", "pages/practices_page.py"
SCENARIOS = "pages/scenario_explorer.py"


def button(app, label):
    """The (form submit) button with this label."""
    found = [each for each in app.button if each.label == label]
    assert found, f"no button {label!r}; there are {[each.label for each in app.button]}"
    return found[0]


def texts(app) -> str:
    """Every markdown, caption and info text on the page, joined."""
    parts = [element.value for kind in ("markdown", "caption", "info", "error", "success") for element in app.get(kind)]
    return "\n".join(str(part) for part in parts)


def no_exception(app):
    """The app after a run that raised nothing."""
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def create_session(
    warehouse_file, title="Hang-out werk en inkomen", themes="Werk en inkomen: banen of omscholing?\nJeugd"
):
    """The facilitator's app after creating a session through the form."""
    app = run_app(warehouse_file, page=HANGOUT)
    app.text_input(key="sessie_nieuw_titel").input(title)
    app.text_input(key="sessie_nieuw_facilitator").input("Anna de Vries")
    app.text_area(key="sessie_nieuw_themas").input(themes)
    button(app, "Sessie aanmaken").click()
    no_exception(app.run())
    return app


def join_as(warehouse_file, code, name=""):
    """A participant's app after joining through the join link."""
    app = run_app(warehouse_file, {"code": code}, JOIN)
    assert app.text_input(key="meedoen_code").value == code
    app.text_input(key="meedoen_naam").input(name)
    button(app, "Meedoen").click()
    return no_exception(app.run())


def add_card(app, card_text, kind="idee", key="kaart_deelnemer"):
    """Write a card through the card form."""
    app.segmented_control(key=f"{key}_soort").set_value(kind)
    app.text_area(key=f"{key}_tekst").input(card_text)
    button(app, "Kaart plaatsen").click()
    return no_exception(app.run())


def go_to(app, section):
    """Open a part of the facilitator's page."""
    app.segmented_control(key="sessie_onderdeel").set_value(section)
    return no_exception(app.run())


def test_a_whole_session_from_creation_to_report(warehouse_file, store_url):
    facilitator_app = create_session(warehouse_file)
    facilitator = facilitator_app.session_state[sui.FACILITATOR]
    code = facilitator_app.query_params["code"]
    assert facilitator_app.metric[0].value == code
    assert f"meedoen?code={code}" in facilitator_app.code[-1].value
    assert "Bewaar uw facilitatorsleutel" in texts(facilitator_app)

    # pin two views from the monitor's own pages, with every setting
    facilitator_app.switch_page("pages/trend_lines.py").run()
    facilitator_app.segmented_control(key="trends_maat").set_value("index")
    facilitator_app.segmented_control(key="trends_periode").set_value("2020").run()
    button(facilitator_app, "Vastzetten").click()
    no_exception(facilitator_app.run())
    facilitator_app.switch_page("pages/map.py").run()
    facilitator_app.selectbox(key="kaart_pin_thema").set_value(session.themes(facilitator)[1].theme_id)
    button(facilitator_app, "Vastzetten").click()
    no_exception(facilitator_app.run())
    agenda = pinning.agenda(facilitator)
    assert [view.url_path for view in agenda] == ["trends", "kaart"]
    assert agenda[0].params["maat"] == "index" and agenda[0].params["bereik"] == "2020"
    assert agenda[0].params["periode"]  # the month is kept even when it is the default
    themes = session.themes(facilitator)
    assert agenda[1].theme_id == themes[1].theme_id

    # two participants join, one with a name and one without, and write cards
    piet = join_as(warehouse_file, code, "Piet Bakker")
    anoniem = join_as(warehouse_file, code)
    assert "Piet Bakker" in texts(piet) and "zonder naam" in texts(anoniem)
    add_card(piet, "Banenpool voor de hele regio", "idee")
    add_card(piet, "Waarom stijgt de WW in Dordrecht sneller?", "nieuwsgierig")
    add_card(anoniem, "Samen met werkgevers omscholen", "actie")
    assert "Uw kaart staat op het bord" in texts(anoniem)
    assert anoniem.text_area(key="kaart_deelnemer_tekst").value == ""  # the form is empty for the next card
    assert len(board.cards(facilitator)) == 3

    # presentation: the first pinned view with the cards beside it, large and without sidebar
    facilitator_app.switch_page(HANGOUT).run()
    go_to(facilitator_app, "agenda")
    facilitator_app.button(key=f"agenda_toon_{agenda[0].view_id}").click()
    no_exception(facilitator_app.run())
    assert any("stSidebar" in element.value for element in facilitator_app.markdown)  # presentation CSS
    assert facilitator_app.header[0].value.startswith("Lopende WW")
    assert len(facilitator_app.get("vega_lite_chart")) == 1
    assert "Kaarten bij dit thema: 3" in [subheader.value for subheader in facilitator_app.subheader]
    assert session.session(facilitator).current_view_id == agenda[0].view_id
    assert "Nu op het scherm" in texts(no_exception(piet.run()))
    button(facilitator_app, "Volgende").click()
    no_exception(facilitator_app.run())
    assert session.session(facilitator).current_view_id == agenda[1].view_id
    button(facilitator_app, "Sluiten").click()
    no_exception(facilitator_app.run())

    # voting: the facilitator opens the round; participants spend dots; nobody sees the counts yet
    go_to(facilitator_app, "stemmen")
    facilitator_app.segmented_control(key="ronde_verzamelen").set_value("stemmen")
    no_exception(facilitator_app.run())
    assert session.session(facilitator).phase == "stemmen"
    cards = {card.text: card for card in board.cards(facilitator)}
    banenpool, omscholen = cards["Banenpool voor de hele regio"], cards["Samen met werkgevers omscholen"]
    no_exception(piet.run())
    piet.number_input(key=f"stippen_{omscholen.card_id}").set_value(2)
    no_exception(piet.run())
    no_exception(anoniem.run())
    anoniem.number_input(key=f"stippen_{banenpool.card_id}").set_value(1)
    no_exception(anoniem.run())
    anoniem.number_input(key=f"stippen_{omscholen.card_id}").set_value(1)
    no_exception(anoniem.run())
    assert piet.metric[0].value == "1 van 3"
    assert "mijn stippen: 2" in texts(piet)
    assert "stippen]" not in texts(anoniem) and ":orange-badge" not in texts(anoniem)  # others' votes hidden
    facilitator_app.run()
    assert "**4 van 6** stippen gebruikt door 2 deelnemers" in texts(facilitator_app)
    assert "blijven verborgen" in texts(facilitator_app)

    # the 2×2: participants place the idea and the action
    facilitator_app.segmented_control(key="ronde_stemmen").set_value("plaatsen")
    no_exception(facilitator_app.run())
    no_exception(piet.run())
    piet.select_slider(key=f"impact_{omscholen.card_id}").set_value(5)
    piet.select_slider(key=f"invloed_{omscholen.card_id}").set_value(4)
    piet.button(key=f"plaats_opslaan_{omscholen.card_id}").click()
    no_exception(piet.run())
    assert votes.my_placements(piet.session_state[sui.PARTICIPANT]) == {omscholen.card_id: (5, 4)}

    # reveal: everybody sees the counts, ranked
    facilitator_app.toggle(key="onthullen_False").set_value(True)
    no_exception(facilitator_app.run())
    assert session.session(facilitator).votes_revealed
    ranked = facilitator_app.dataframe[0].value
    assert list(ranked["Kaart"][:2]) == ["Samen met werkgevers omscholen", "Banenpool voor de hele regio"]
    assert list(ranked["Stippen"][:2]) == [3, 1]
    assert len(facilitator_app.get("vega_lite_chart")) == 1  # the 2×2 of the first theme
    no_exception(anoniem.run())
    assert "3 stippen" in texts(anoniem)

    # agreed action from the action card, then the report
    go_to(facilitator_app, "acties")
    facilitator_app.selectbox(key="actie_kaart").set_value(omscholen.card_id)
    facilitator_app.text_input(key="actie_eigenaar").input("Gemeente Dordrecht")
    button(facilitator_app, "Actie vastleggen").click()
    no_exception(facilitator_app.run())
    assert [(action.description, action.owner) for action in actions.actions(facilitator)] == [
        ("Samen met werkgevers omscholen", "Gemeente Dordrecht")
    ]
    go_to(facilitator_app, "verslag")
    facilitator_app.button(key="verslag_maken").click()
    no_exception(facilitator_app.run())
    assert {each.label for each in facilitator_app.get("download_button")} == {
        "Verslag (Word)", "Verslag (HTML, één bestand)"
    }  # fmt: skip
    stem, docx_bytes, html_text = facilitator_app.session_state["_hangout_report"]
    assert stem.startswith("verslag_hang-out-werk-en-inkomen")
    document = docx.Document(io.BytesIO(docx_bytes))
    headings = [paragraph.text for paragraph in document.paragraphs if paragraph.style.name.startswith("Heading")]
    assert "Thema: Werk en inkomen" in headings and "Afgesproken acties" in headings
    assert len(document.inline_shapes) == 3  # two pinned views and one 2×2
    body = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Piet Bakker" in body and "Gemeente Dordrecht" in body and "Samen met werkgevers omscholen" in body
    assert "Samen met werkgevers omscholen" in html_text


def test_participant_cannot_use_facilitator_parts_or_another_session(warehouse_file, store_url):
    first = create_session(warehouse_file, "Eerste sessie")
    second = create_session(warehouse_file, "Tweede sessie")
    other = second.session_state[sui.FACILITATOR]
    participant_app = join_as(warehouse_file, first.query_params["code"], "Mira")
    participant = participant_app.session_state[sui.PARTICIPANT]
    # the facilitator's page does not accept a participant: it asks for the facilitator key
    participant_app.switch_page(HANGOUT).run()
    assert "Sessie openen" in [tab.label for tab in participant_app.tabs]
    participant_app.text_input(key="sessie_openen_code").input(participant.join_code)
    participant_app.text_input(key="sessie_openen_sleutel").input(participant.key)
    button(participant_app, "Openen").click()
    no_exception(participant_app.run())
    assert "klopt niet" in texts(participant_app)
    assert sui.FACILITATOR not in participant_app.session_state
    # a pinned view on the monitor pages is for the facilitator only
    participant_app.switch_page("pages/trend_lines.py").run()
    assert not [each for each in participant_app.button if each.label == "Vastzetten"]
    # and a card for the other session's theme is refused
    with pytest.raises(access.AccessDenied):
        board.add_card(participant, session.themes(other)[0].theme_id, "idee", "Verkeerde sessie")


def test_cards_with_markup_show_as_text(warehouse_file, store_url):
    facilitator_app = create_session(warehouse_file)
    participant_app = join_as(warehouse_file, facilitator_app.query_params["code"], "<b>Eve</b>")
    hostile = "<script>alert('x')</script> [klik hier](https://kwaad.example) **vet** $x^2$ :red[rood]"
    add_card(participant_app, hostile)
    facilitator_app.switch_page(HANGOUT).run()
    go_to(facilitator_app, "kaarten")
    shown = [element.value for element in facilitator_app.markdown if "alert" in element.value]
    assert shown, "the card is not on the board"
    for value in shown:
        assert "<script>" not in value and "](https" not in value and ":red[" not in value
        assert "\\<script\\>" in value and "\\[klik hier\\]\\(https" in value
        assert "https\\:\\/" + text.WORD_JOINER + "\\/kwaad" in value  # not even autolinked as a bare URL
    assert not any("<b>" in element.value for element in facilitator_app.markdown)
    assert not any(element.proto.allow_html for element in facilitator_app.markdown if "alert" in element.value)


def test_join_with_a_wrong_code_says_so(warehouse_file, store_url):
    app = run_app(warehouse_file, {"code": "ZZZZZZ"}, JOIN)
    button(app, "Meedoen").click()
    no_exception(app.run())
    assert "geen sessie met deze code" in texts(app)


def test_practices_library_search_and_add(warehouse_file, store_url):
    facilitator_app = create_session(warehouse_file)
    facilitator_app.switch_page(PRACTICES).run()
    facilitator_app.text_input(key="praktijk_bibliotheek_titel").input("Schuldhulp binnen drie dagen")
    facilitator_app.text_area(key="praktijk_bibliotheek_beschrijving").input("Een eerste gesprek binnen drie dagen.")
    facilitator_app.text_input(key="praktijk_bibliotheek_link").input("javascript:alert(1)")
    button(facilitator_app, "Toevoegen aan de bibliotheek").click()
    no_exception(facilitator_app.run())
    assert "begint met https" in texts(facilitator_app)
    assert facilitator_app.text_input(key="praktijk_bibliotheek_titel").value == "Schuldhulp binnen drie dagen"
    facilitator_app.text_input(key="praktijk_bibliotheek_link").input("https://www.dordrecht.nl/schuldhulp")
    button(facilitator_app, "Toevoegen aan de bibliotheek").click()
    no_exception(facilitator_app.run())
    assert "1 praktijk gevonden." in texts(facilitator_app)
    facilitator_app.text_input(key="praktijken_zoek").input("drie dagen").run()
    assert "1 praktijk gevonden." in texts(facilitator_app)
    links = facilitator_app.get("link_button")
    assert [json.loads(json.dumps(link.proto.url)) for link in links] == ["https://www.dordrecht.nl/schuldhulp"]
    facilitator_app.text_input(key="praktijken_zoek").input("thuisonderwijs").run()
    assert "0 praktijken gevonden." in texts(facilitator_app)
    visitor = run_app(warehouse_file, page=PRACTICES)
    assert "Toevoegen kan voor wie meedoet" in texts(visitor)


def test_facilitator_adds_edits_groups_and_merges_cards_on_the_page(warehouse_file, store_url):
    app = create_session(warehouse_file)
    facilitator = app.session_state[sui.FACILITATOR]
    go_to(app, "kaarten")
    add_card(app, "Banenpool", "idee", key="kaart_facilitator")
    add_card(app, "Regionale pool van banen", "idee", key="kaart_facilitator")
    first, second = board.cards(facilitator)
    assert first.author == "Facilitator"
    app.text_area(key=f"bewerk_tekst_{first.card_id}").input("Banenpool Drechtsteden")
    app.text_input(key=f"bewerk_groep_{first.card_id}").input("Werk")
    [each for each in app.button if each.label == "Opslaan"][0].click()
    no_exception(app.run())
    assert (board.cards(facilitator)[0].text, board.cards(facilitator)[0].group) == ("Banenpool Drechtsteden", "Werk")
    app.selectbox(key="samenvoegen_doel").set_value(first.card_id)
    app.multiselect(key="samenvoegen_bronnen").set_value([second.card_id])
    button(app, "Samenvoegen").click()
    no_exception(app.run())
    [merged] = board.cards(facilitator)
    assert merged.merged == ("Regionale pool van banen",)
    assert "samengevoegd met\\: Regionale pool van banen" in texts(app)


def test_a_pinned_scenario_view_restores_every_setting(warehouse_file, store_url):
    app = create_session(warehouse_file)
    facilitator = app.session_state[sui.FACILITATOR]
    app.switch_page(SCENARIOS).run()
    app.selectbox(key="ctx_gemeente").select("GM0610").run()
    app.selectbox(key=scenario_settings.PRESET_KEY).select("cpb4").run()
    app.selectbox(key="sc_toon").select("bijstand_uitkeringen").run()
    app.select_slider(key="sc_gv_GM0610").set_value(1.6).run()
    app.button(key="scenario_pin_knop").click()
    no_exception(app.run())
    assert "Vastgezet op de agenda" in texts(app)
    [view] = pinning.agenda(facilitator)
    assert view.url_path == "scenarios"
    assert view.title == "Lopende bijstandsuitkeringen: scenario tot eind 2021 — CPB-scenario 4, Sliedrecht"
    assert {name: view.params[name] for name in ("gemeente", "scenario", "toon", "gv_sliedrecht")} == {
        "gemeente": "GM0610", "scenario": "cpb4", "toon": "bijstand_uitkeringen", "gv_sliedrecht": "1.6"
    }  # fmt: skip
    shown = app.session_state["_scenario_settings"]
    assert scenario_settings.from_params(view.params, scenario_data.load()) == (shown, "bijstand_uitkeringen", [])
    page_chart = chart_data(app, 0)

    # the view's link opens the page as it was pinned; the presentation draws the same chart
    reopened = run_app(warehouse_file, view.params, SCENARIOS)
    assert reopened.session_state["_scenario_settings"] == shown
    assert reopened.selectbox(key=scenario_settings.PRESET_KEY).value == "cpb4"
    app.switch_page(HANGOUT).run()
    app.button(key=f"agenda_toon_{view.view_id}").click()
    no_exception(app.run())
    assert app.header[0].value == text.escape_markdown(view.title)
    assert chart_data(app, 0).equals(page_chart)


def test_without_a_hangout_key_the_create_form_warns_and_has_no_key_field(warehouse_file, store_url, monkeypatch):
    monkeypatch.delenv(keys.HANGOUT, raising=False)
    app = run_app(warehouse_file, page=HANGOUT)
    assert f"Er is geen sleutel ingesteld ({keys.HANGOUT})" in texts(app)
    with pytest.raises(KeyError):
        app.text_input(key="sessie_nieuw_sleutel")


def test_with_a_hangout_key_only_its_holder_creates_a_session(warehouse_file, store_url, monkeypatch):
    monkeypatch.setenv(keys.HANGOUT, "samen-duiden")
    app = run_app(warehouse_file, page=HANGOUT)
    assert keys.HANGOUT not in texts(app)  # no "open to anyone" warning
    app.text_input(key="sessie_nieuw_titel").input("Hang-out werk")
    app.text_area(key="sessie_nieuw_themas").input("Werk")
    app.text_input(key="sessie_nieuw_sleutel").input("fout")
    button(app, "Sessie aanmaken").click()
    no_exception(app.run())
    assert "er is geen sessie aangemaakt" in app.error[0].value and sui.FACILITATOR not in app.session_state
    assert app.text_input(key="sessie_nieuw_titel").value == "Hang-out werk"  # what was typed stays
    app.text_input(key="sessie_nieuw_sleutel").input("samen-duiden")
    button(app, "Sessie aanmaken").click()
    no_exception(app.run())
    facilitator = app.session_state[sui.FACILITATOR]
    assert session.session(facilitator).title == "Hang-out werk"


def test_a_card_far_too_long_is_refused_with_a_message_not_cut(warehouse_file, store_url):
    facilitator_app = create_session(warehouse_file)
    created = facilitator_app.session_state[sui.FACILITATOR]
    participant = join_as(warehouse_file, session.session(created).join_code, "Eve")
    participant = add_card(participant, "x" * 100_000)
    refusal = text.escape_markdown("Kaarttekst: is 100.000 tekens lang; hoogstens 600")
    assert any(refusal in error.value for error in participant.error)
    assert board.cards(created) == []
    assert len(participant.text_area(key="kaart_deelnemer_tekst").value) == 100_000  # what was sent stays
