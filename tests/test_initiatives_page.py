"""The initiatives page under AppTest: list with filters, the map, a coalition recorded from a suggestion,
registering an initiative (errors per field, text shown as text), the key, and an empty store."""

from __future__ import annotations

import json

import pytest
from conftest import run_app

from ratc.core import keys, text
from ratc.demo import store_content as demo_store
from ratc.initiatives import registry as initiatives

PAGE = "pages/initiatives_page.py"
HOSTILE = "<script>alert(1)</script> [klik](https://evil.example) **vet**"


@pytest.fixture(autouse=True)
def no_key(monkeypatch):
    """Registering is open unless a test sets the key."""
    monkeypatch.delenv(keys.INITIATIVES, raising=False)


def listed(app):
    """The list of initiatives on the page."""
    return next(frame.value for frame in app.dataframe if "Initiatief" in frame.value.columns)


def register(app, name: str, rows: list[dict], email: str = "info@test.example"):
    """Fill in the registration form and submit it."""
    app.text_input(key="aanmelden_naam").input(name)
    app.selectbox(key="aanmelden_partij").select("wijkinitiatief")
    app.selectbox(key="aanmelden_gemeente").select("GM0505")
    app.text_input(key="aanmelden_wijk").input("Crabbehof")
    app.text_input(key="aanmelden_email").input(email)
    app.session_state["aanmelden_regels"] = {"edited_rows": {}, "added_rows": rows, "deleted_rows": []}
    app.button(key="aanmelden_opslaan").click()
    return app.run()


def test_demo_registry_lists_filters_and_maps_without_a_basemap(warehouse_file, store_url):
    demo_store.load_initiatives()
    app = run_app(warehouse_file, {}, PAGE)
    assert app.title[0].value == "Initiatieven"
    assert any("Demodata" in info.value for info in app.info)
    assert len(listed(app)) == 30
    assert any(line.value.startswith("**30** initiatieven · ") for line in app.markdown)
    deck = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    assert deck["mapStyle"] == "__MAP_STYLE__"
    app.multiselect(key="initiatieven_categorie").set_value(["geld"]).run()
    assert set(listed(app)["Initiatief"]) >= {"Noodfonds Drechtsteden", "Gorcums Noodfonds"}
    assert all("Geld" in offered + wanted for offered, wanted in zip(listed(app)["Biedt"], listed(app)["Vraagt"],
                                                                          strict=True))  # fmt: skip
    app.selectbox(key="initiatieven_gemeente").select("GM0512").run()
    assert sorted(listed(app)["Gemeente"].unique()) == ["Gorinchem", "Hele regio"]


def test_a_coalition_is_recorded_from_a_suggestion(warehouse_file, store_url):
    demo_store.load_initiatives()
    before = len(initiatives.registry(demo=True).coalitions)
    app = run_app(warehouse_file, {}, PAGE)
    need = app.selectbox(key="coalitie_vraag").value
    suggestions = next(frame.value for frame in app.dataframe if "Waarom" in frame.value.columns)
    assert suggestions["Rang"].tolist() == list(range(1, len(suggestions) + 1))
    scores = [float(score.replace(",", ".")) for score in suggestions["Score"]]  # shown in Dutch: 4,5
    assert scores == sorted(scores, reverse=True)
    offer = app.selectbox(key=f"coalitie_aanbod_{need}").value
    app.number_input(key=f"coalitie_hoeveel_{need}_{offer}").set_value(1)
    app.text_input(key="coalitie_notitie").input("Eerste levering vrijdag")
    app.button(key="coalitie_opslaan").click()
    app = app.run()
    assert not app.exception
    assert any("De coalitie is vastgelegd" in success.value for success in app.success)
    coalitions = initiatives.registry(demo=True).coalitions
    assert len(coalitions) == before + 1
    newest = coalitions[coalitions["note"] == "Eerste levering vrijdag"].iloc[0]
    assert (newest["need_item_id"], newest["offer_item_id"], newest["amount"]) == (need, offer, 1.0)
    assert newest["is_demo"]


def test_registering_an_initiative_shows_it_as_text_and_switches_to_real_data(warehouse_file, store_url):
    demo_store.load_initiatives()
    app = run_app(warehouse_file, {}, PAGE)
    app = register(app, HOSTILE, [{"richting": "aanbod", "categorie": "voedsel", "omschrijving": HOSTILE,
                                   "capaciteit": 12}])  # fmt: skip
    assert not app.exception
    assert any("is aangemeld" in success.value for success in app.success)
    assert app.text_input(key="aanmelden_naam").value == ""  # the form is empty again
    stored = initiatives.registry(demo=False)
    assert stored.initiatives["name"].tolist() == [HOSTILE] and stored.items["capacity"].tolist() == [12.0]
    # the real registry is shown now, without demo data; the hostile text is in the table, never in markdown
    assert not any("Demodata" in info.value for info in app.info)
    assert listed(app)["Initiatief"].tolist() == [HOSTILE]
    rendered = "\n".join(str(element.value) for kind in ("markdown", "caption", "info", "success", "error")
                         for element in getattr(app, kind))  # fmt: skip
    assert "<script>" not in rendered and "[klik](" not in rendered
    app.toggle(key="initiatieven_demo").set_value(True).run()
    assert HOSTILE not in listed(app)["Initiatief"].tolist() and len(listed(app)) == 30


def test_a_registration_with_errors_names_them_and_stores_nothing(warehouse_file, store_url):
    app = run_app(warehouse_file, {}, PAGE)
    app = register(app, "Buurthulp", [{"richting": "aanbod", "categorie": "voedsel", "omschrijving": "Soep",
                                       "capaciteit": 0}], email="geen-adres")  # fmt: skip
    message = app.error[0].value
    assert "er is niets opgeslagen" in message
    assert text.escape_markdown("E-mail: 'geen-adres' is geen geldig e-mailadres.") in message
    assert text.escape_markdown("Regel 1 · Capaciteit: moet groter dan 0 zijn.") in message
    assert initiatives.holdings() == (False, False)
    assert app.text_input(key="aanmelden_naam").value == "Buurthulp"


def test_the_key_protects_registering(warehouse_file, store_url, monkeypatch):
    monkeypatch.setenv(keys.INITIATIVES, "samen-sterk")
    app = run_app(warehouse_file, {}, PAGE)
    rows = [{"richting": "vraag", "categorie": "geld", "omschrijving": "Bijdrage", "capaciteit": 100}]
    app.text_input(key="aanmelden_sleutel").input("fout")
    app = register(app, "Buurthulp", rows)
    assert "niet juist" in app.error[0].value and initiatives.holdings() == (False, False)
    app.text_input(key="aanmelden_sleutel").input("samen-sterk")
    app = register(app, "Buurthulp", rows)
    assert initiatives.holdings() == (True, False)


def test_an_empty_registry_offers_demo_data(warehouse_file, store_url):
    app = run_app(warehouse_file, {}, PAGE)
    assert any("nog geen initiatieven" in info.value and "Demodata" in info.value for info in app.info)
    app.button(key="initiatieven_demo_laden").click()
    app = app.run()
    assert len(listed(app)) == 30


def map_text(app, code: str) -> str:
    """The map's tooltip text of one municipality."""
    deck = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    features = deck["layers"][0]["data"]["features"]
    return next(feature["properties"]["tekst"] for feature in features if feature["properties"]["statcode"] == code)


def test_the_map_counts_a_new_initiative_at_once(warehouse_file, store_url):
    app = run_app(warehouse_file, {}, PAGE)
    row = [{"richting": "aanbod", "categorie": "voedsel", "omschrijving": "Soep", "capaciteit": 5}]
    app = register(app, "Soep voor de wijk", row)
    assert map_text(app, "GM0505").startswith("1 initiatief ·")
    app = register(app, "Tweede pan", row, email="pan@test.example")
    assert map_text(app, "GM0505").startswith("2 initiatieven · 2 aanbod")
    assert map_text(app, "GM0512").startswith("0 initiatieven")
