"""The initiatives registry: validation, storage, matching by category, area and capacity, coalitions that persist
and never overcommit, filters, the map, exports that round-trip, and the demo content."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import at_once

from ratc.continuity import reports as continuity
from ratc.core import checks, geo, keys, store
from ratc.demo import store_content as demo_store
from ratc.initiatives import map_view
from ratc.initiatives import matching as initiative_matching
from ratc.initiatives import registry as initiatives
from ratc.initiatives import view as initiative_view

HOSTILE = '<script>alert(1)</script> [klik](https://evil.example) **vet** =HYPERLINK("x") ; "quote"\nregel 2'


@pytest.fixture
def store_url(any_store_url):
    """Every test here runs on both stores the product supports: SQLite (WAL) and PostgreSQL."""
    return any_store_url


@pytest.fixture(autouse=True)
def no_keys(monkeypatch):
    """Writing is open unless a test sets a key."""
    for variable in (keys.INITIATIVES, keys.CONTINUITY):
        monkeypatch.delenv(variable, raising=False)


def items(*rows) -> pd.DataFrame:
    """The form's table of offers and needs: (richting, categorie, omschrijving, capaciteit) per row."""
    return pd.DataFrame(list(rows), columns=initiatives.ITEM_COLUMNS)


def registration(name="Buurtkeuken Test", party="wijkinitiatief", area="GM0505", rows=None, **extra):
    """A validated registration."""
    arguments = {"email": "info@buurtkeuken.example"} | extra
    return initiatives.validate(name, party, area, items(*(rows or [("aanbod", "voedsel", "Maaltijden", 40)])),
                                **arguments)  # fmt: skip


def add(url, name, area="GM0505", rows=None, demo=False, **extra) -> str:
    """Register an initiative; its id."""
    return initiatives.register(registration(name, area=area, rows=rows, **extra), demo=demo, url=url)


def item_ids(registry: initiatives.Registry, name: str) -> list[str]:
    """The item ids of an initiative by name, in their order."""
    return registry.items[registry.items["name"] == name]["item_id"].tolist()


@pytest.mark.parametrize(
    ("arguments", "field", "words"),
    [
        ({"name": " "}, "Naam", "vul dit in"),
        ({"party": "sekte"}, "Soort partij", "geen geldige keuze"),
        ({"area": "GM9999"}, "Gemeente", "geen geldige keuze"),
        ({"email": "", "phone": ""}, "Contact", "e-mailadres of een telefoonnummer"),
        ({"email": "geen-adres"}, "E-mail", "geen geldig e-mailadres"),
        ({"phone": "12"}, "Telefoon", "geen geldig telefoonnummer"),
        ({"website": "javascript:alert(1)"}, "Website", "begin met https://"),
        ({"area": "VR18", "neighbourhood": "Crabbehof"}, "Wijk of kern", "laat leeg"),
        ({"rows": [("aanbod", "voedsel", "Maaltijden", 0)]}, "Regel 1 · Capaciteit", "groter dan 0"),
        ({"rows": [("aanbod", "voedsel", "Maaltijden", "veel")]}, "Regel 1 · Capaciteit", "geen getal"),
        ({"rows": [("aanbod", "geld", "Fonds", 2e7)]}, "Regel 1 · Capaciteit",
         "moet tussen 0 en 10.000.000 liggen (nu 20.000.000)"),
        ({"rows": [("aanbod", "geld", "Fonds", "10.000.000,5")]}, "Regel 1 · Capaciteit",
         "moet tussen 0 en 10.000.000 liggen (nu 10.000.000,5)"),
        ({"rows": [("aanbod", "voedsel", "Maaltijden", 4), ("ruilen", "voedsel", "x", 4)]},
         "Regel 2 · Biedt of vraagt", "geen geldige keuze"),
        ({"rows": [("vraag", "kunst", "Schilderijen", 4)]}, "Regel 1 · Categorie", "geen geldige keuze"),
        ({"rows": [(None, None, None, None)]}, "Aanbod en vraag", "ten minste één regel"),
    ],
)  # fmt: skip
def test_problems_name_the_field_and_row_in_dutch(arguments, field, words):
    with pytest.raises(checks.Invalid) as raised:
        registration(**arguments)
    assert [problem.field for problem in raised.value.problems] == [field]
    assert words in raised.value.problems[0].message


def test_dutch_numbers_and_names_of_choices_are_read():
    validated = registration(party="Wijkinitiatief", rows=[("Vraagt", "Geld", "Bijdrage", "1.250,50")])
    assert validated.party_type == "wijkinitiatief"
    assert validated.items == (initiatives.Item("vraag", "geld", "Bijdrage", 1250.5),)


def test_registered_initiatives_are_read_back_and_a_duplicate_is_refused(store_url):
    add(store_url, "Buurtkeuken Test", rows=[("aanbod", "voedsel", "Maaltijden", 40), ("vraag", "geld", "Kosten", 500)],
        neighbourhood="Crabbehof", website="https://keuken.example", phone="078 000 0101")  # fmt: skip
    with pytest.raises(checks.Invalid, match="staat al in het register"):
        add(store_url, "buurtkeuken test")
    add(store_url, "Buurtkeuken Test", area="GM0642")  # the same name in another municipality is another initiative
    registry = initiatives.registry(demo=False)
    assert len(registry.initiatives) == 2 and len(registry.items) == 3
    first = registry.items[registry.items["area_code"] == "GM0505"]
    assert first[["direction", "category_id", "capacity", "remaining"]].values.tolist() == [
        ["aanbod", "voedsel", 40.0, 40.0],
        ["vraag", "geld", 500.0, 500.0],
    ]
    assert registry.initiatives.set_index("area_code").loc["GM0505", "website"] == "https://keuken.example"
    assert initiatives.registry(demo=True).is_empty


def test_suggestions_rank_by_coverage_then_area_and_never_pair_an_initiative_with_itself(store_url):
    add(store_url, "Vraagt", rows=[("vraag", "voedsel", "Maaltijden", 40), ("aanbod", "voedsel", "Eigen aanbod", 99)],
        neighbourhood="Crabbehof")  # fmt: skip
    add(store_url, "Zelfde wijk", rows=[("aanbod", "voedsel", "Wijkmaaltijden", 30)], neighbourhood="crabbehof")
    add(store_url, "Zelfde gemeente", rows=[("aanbod", "voedsel", "Stadsmaaltijden", 40)], neighbourhood="Wielwijk")
    add(store_url, "Hele regio", area="VR18", rows=[("aanbod", "voedsel", "Regiomaaltijden", 40)])
    add(store_url, "Buurgemeente", area="GM0642", rows=[("aanbod", "voedsel", "Buurmaaltijden", 40)])
    add(store_url, "Verderop", area="GM0512", rows=[("aanbod", "voedsel", "Verre maaltijden", 40)])
    add(store_url, "Andere categorie", rows=[("aanbod", "geld", "Geld", 40)], neighbourhood="Crabbehof")
    found = initiative_matching.suggestions(initiatives.registry(demo=False), top=None)
    assert set(found["need_name"]) == {"Vraagt"}
    assert "Vraagt" not in set(found["offer_name"]) and "Andere categorie" not in set(found["offer_name"])
    # covering all of the need comes first; place orders the offers that cover as much
    assert list(found["offer_name"]) == ["Zelfde gemeente", "Hele regio", "Buurgemeente", "Verderop", "Zelfde wijk"]
    assert found["score"].tolist() == pytest.approx([10.8, 10.6, 10.4, 10.2, 8.5])
    assert found.iloc[-1]["uitleg"] == (
        "zelfde categorie (voedsel) · kan 30 van de 40 huishoudens per week leveren: 75% (+7,5) · zelfde wijk of kern "
        "(crabbehof) (+1,0)"
    )
    assert list(found["rang"]) == [1, 2, 3, 4, 5]
    assert len(initiative_matching.suggestions(initiatives.registry(demo=False), top=2)) == 2


def test_a_coalition_persists_uses_capacity_and_drops_a_covered_need(store_url):
    add(store_url, "Vraagt", rows=[("vraag", "voedsel", "Maaltijden", 40)])
    add(store_url, "Biedt", area="GM0642", rows=[("aanbod", "voedsel", "Maaltijden", 25)])
    add(store_url, "Biedt ook", area="GM0590", rows=[("aanbod", "voedsel", "Maaltijden", 100)])
    registry = initiatives.registry(demo=False)
    (need,), (small,), (large,) = (item_ids(registry, name) for name in ("Vraagt", "Biedt", "Biedt ook"))
    initiatives.record_coalition(need, small, note="vanaf maandag", recorded_by="Wijkteam")  # all 25 it has
    store.dispose()
    registry = initiatives.registry(demo=False)
    remaining = registry.items.set_index("item_id")["remaining"]
    assert remaining[need] == 15 and remaining[small] == 0
    assert registry.coalitions.iloc[0][["amount", "note", "recorded_by"]].tolist() == [
        25.0,
        "vanaf maandag",
        "Wijkteam",
    ]
    found = initiative_matching.suggestions(registry, top=None)
    assert list(found["offer_item_id"]) == [large] and found.iloc[0]["voorstel"] == 15
    with pytest.raises(checks.Invalid, match="hoogstens 15 huishoudens per week"):
        initiatives.record_coalition(need, large, amount=16)
    initiatives.record_coalition(need, large, amount="15")
    registry = initiatives.registry(demo=False)
    assert initiative_matching.suggestions(registry).empty
    groups = initiative_view.coalition_groups(registry)
    assert groups.iloc[0]["Partners"] == "Biedt, Biedt ook"
    assert groups.iloc[0]["Gedekt"] == "40 van 40 huishoudens per week (100%)"


@pytest.mark.parametrize(
    ("need_name", "offer_name", "message"),
    [
        ("Beide", "Beide", "niet aan zichzelf"),
        ("Vraagt", "Geld", "verschillende categorieën die niet verwant zijn"),
        ("Vraagt", "Vraagt", "dit aanbod staat niet in het register"),
        ("Demo", "Beide", "demodata en echte initiatieven"),
    ],
)
def test_invalid_coalitions_are_refused_in_dutch(store_url, need_name, offer_name, message):
    add(store_url, "Vraagt", rows=[("vraag", "voedsel", "Maaltijden", 40)])
    add(store_url, "Beide", rows=[("vraag", "voedsel", "Maaltijden", 10), ("aanbod", "voedsel", "Soep", 10)],
        neighbourhood="Wielwijk")  # fmt: skip
    add(store_url, "Geld", rows=[("aanbod", "geld", "Gift", 100)])
    add(store_url, "Demo", rows=[("vraag", "voedsel", "Maaltijden", 10)], demo=True)
    real, demo = initiatives.registry(demo=False), initiatives.registry(demo=True)
    ids = {name: item_ids(real, name) for name in ("Vraagt", "Beide", "Geld")} | {"Demo": item_ids(demo, "Demo")}
    need, offer = ids[need_name][0], ids[offer_name][-1]
    with pytest.raises(checks.Invalid) as raised:
        initiatives.record_coalition(need, offer)
    assert any(message in problem.message for problem in raised.value.problems)
    assert initiatives.registry(demo=False).coalitions.empty


def test_twenty_people_committing_the_same_offer_at_once_never_overcommit_it(store_url):
    add(store_url, "Biedt", rows=[("aanbod", "vrijwilligers", "Vrijwilligers", 100)])
    for number in range(20):
        add(store_url, f"Vraagt {number}", area="GM0642", rows=[("vraag", "vrijwilligers", "Hulp", 10)])
    registry = initiatives.registry(demo=False)
    (offer,) = item_ids(registry, "Biedt")
    needs = [item_ids(registry, f"Vraagt {number}")[0] for number in range(20)]
    outcomes: list[str] = []

    def commit(need: str) -> None:
        try:
            initiatives.record_coalition(need, offer, amount=10)
            outcomes.append("vastgelegd")
        except checks.Invalid as invalid:
            outcomes.append(invalid.problems[0].field)

    assert at_once(commit, needs) == []
    assert outcomes.count("vastgelegd") == 10 and outcomes.count("Hoeveelheid") == 10
    registry = initiatives.registry(demo=False)
    assert registry.coalitions["amount"].sum() == 100
    assert registry.items.set_index("item_id").loc[offer, "remaining"] == 0


def test_twenty_concurrent_registrations_lose_nothing(store_url):
    store.engine()

    def register(number: int) -> None:
        add(store_url, f"Initiatief {number}", rows=[("aanbod", "zorg", "Hulp", number + 1)] * 3)

    errors = at_once(register, range(20))
    registry = initiatives.registry(demo=False)
    assert errors == [] and len(registry.initiatives) == 20 and len(registry.items) == 60


@pytest.fixture
def registry_with_three(store_url) -> initiatives.Registry:
    """A registry of three initiatives in Dordrecht, Zwijndrecht and the whole region."""
    add(store_url, "Keuken", rows=[("aanbod", "voedsel", "Maaltijden", 40), ("vraag", "vrijwilligers", "Koks", 5)],
        neighbourhood="Crabbehof", party="wijkinitiatief")  # fmt: skip
    add(store_url, "Belcirkel", area="GM0642", rows=[("aanbod", "eenzaamheid", "Bellen", 50)], party="vrijwilligers")
    add(store_url, "Fonds", area="VR18", rows=[("aanbod", "geld", "Giften", 5000)], party="fonds",
        description="Noodfonds voor de regio")  # fmt: skip
    return initiatives.registry(demo=False)


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        (initiative_view.Filters(), ["Belcirkel", "Fonds", "Keuken"]),
        (initiative_view.Filters(categories=("voedsel", "geld")), ["Fonds", "Keuken"]),
        (initiative_view.Filters(direction="vraag"), ["Keuken"]),
        (initiative_view.Filters(area="GM0642"), ["Belcirkel", "Fonds"]),  # region-wide initiatives count too
        (initiative_view.Filters(party_types=("fonds",)), ["Fonds"]),
        (initiative_view.Filters(search="NOODFONDS"), ["Fonds"]),
        (initiative_view.Filters(search="crabbehof"), ["Keuken"]),
        (initiative_view.Filters(area="GM0512", categories=("voedsel",)), []),
    ],
)
def test_filters_choose_what_the_list_shows(registry_with_three, filters, names):
    assert sorted(initiative_view.listing(registry_with_three, filters)["Initiatief"]) == names


def test_the_list_shows_what_each_initiative_offers_and_needs(registry_with_three):
    row = initiative_view.listing(registry_with_three, initiative_view.Filters()).set_index("Initiatief").loc["Keuken"]
    assert row["Biedt"] == "Voedsel: 40 huishoudens per week"
    assert row["Vraagt"] == "Vrijwilligers: 5 vrijwilligers"
    assert row["Gemeente"] == "Dordrecht" and row["Wijk of kern"] == "Crabbehof"


def test_the_map_counts_per_municipality_without_basemap_or_user_text(registry_with_three):
    geometry = geo.map_geometry()
    frame = map_view.map_frame(registry_with_three, initiative_view.Filters(), geometry).set_index("gemeente")
    assert frame.loc["Dordrecht", ["initiatieven", "aanbod", "open_vragen"]].tolist() == [1, 1, 1]
    assert frame.loc["Gorinchem", "initiatieven"] == 0 and frame["initiatieven"].sum() == 2  # the fund is regional
    shown = map_view.initiative_map(registry_with_three, initiative_view.Filters(), geometry)
    spec = json.loads(shown.deck.to_json())
    # the sentinel Streamlit removes without loading a base map (see test_map.py); no Carto, no request
    assert spec["mapStyle"] == "__MAP_STYLE__" and "mapProvider" not in spec
    assert "Keuken" not in shown.deck.to_json() and "Belcirkel" not in shown.deck.to_json()
    assert "1 initiatief werkt in de hele regio" in shown.description
    assert [entry.count for entry in shown.legend] == [8, 2]


def test_exports_of_both_lists_round_trip_with_hostile_text(store_url):
    add(store_url, HOSTILE[:120].replace("\n", " "), rows=[("vraag", "voedsel", HOSTILE[:200], 12.5)],
        description=HOSTILE, phone="+31 78 000 0101")  # fmt: skip
    add(store_url, "Biedt", area="GM0642", rows=[("aanbod", "voedsel", "-5 is geen getal hier", 100)])
    registry = initiatives.registry(demo=False)
    need = registry.items.loc[registry.items["direction"] == "vraag", "item_id"].iloc[0]
    initiatives.record_coalition(need, item_ids(registry, "Biedt")[0], note="=1+1", recorded_by="@iemand")
    registry = initiatives.registry(demo=False)
    filters = initiative_view.Filters()
    for kind, frame in (("register", initiative_view.registry_export(registry, filters)),
                        ("coalities", initiative_view.coalitions_export(registry))):  # fmt: skip
        files = initiative_view.export_files(kind, registry, filters)
        assert set(files) == {"csv", "xlsx"}
        for file_kind, content in files.items():
            back = initiative_view.read_export(content, kind, file_kind)
            pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    csv_text = initiative_view.export_files("coalities", registry, filters)["csv"].decode("utf-8-sig")
    assert ";'=1+1;" in csv_text and ";'@iemand;" in csv_text  # Excel shows these as text, never runs them
    register = initiative_view.registry_export(registry, filters)
    assert set(register["Capaciteit"]) == {12.5, 100.0}


def test_the_excel_export_stores_formulas_as_text(store_url):
    import io

    import openpyxl

    add(store_url, "=SUM(A1)", rows=[("aanbod", "geld", '=HYPERLINK("https://evil.example")', 10)])
    registry = initiatives.registry(demo=False)
    content = initiative_view.export_files("register", registry, initiative_view.Filters())["xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Gegevens"]
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(cell.value == "=SUM(A1)" for cell in cells)
    assert all(cell.data_type == "s" for cell in cells)
    about = openpyxl.load_workbook(io.BytesIO(content))["Verantwoording"]
    assert [row[0].value for row in about.iter_rows(min_row=2)] == ["Titel", "Toelichting", "Bron", "Gemaakt op"]


def test_demo_content_is_deterministic_labelled_and_never_touches_real_content(store_url):
    add(store_url, "Echt initiatief", rows=[("aanbod", "voedsel", "Soep", 10)])
    first = demo_store.load()
    demo_first = initiatives.registry(demo=True)
    second = demo_store.load()
    demo_second = initiatives.registry(demo=True)
    assert first == second and first.initiatives == 30 and first.coalitions > 0 and first.reports > 100
    columns = ["item_id", "name", "capacity", "remaining"]
    pd.testing.assert_frame_equal(demo_first.items[columns], demo_second.items[columns])
    assert demo_first.coalitions["amount"].tolist() == demo_second.coalitions["amount"].tolist()
    real = initiatives.registry(demo=False)
    assert real.initiatives["name"].tolist() == ["Echt initiatief"] and real.coalitions.empty
    assert initiatives.holdings() == (True, True)
    demo_store.remove()
    assert initiatives.holdings() == (True, False)
    assert initiatives.registry(demo=False).initiatives["name"].tolist() == ["Echt initiatief"]


def test_a_name_of_the_longest_length_is_stored_also_when_casefolding_lengthens_it(store_url):
    name = "Straße" * 20  # 120 characters; casefolded 140 (ß -> ss)
    add(store_url, name)
    assert initiatives.registry(demo=False).initiatives["name"].tolist() == [name]
    with pytest.raises(checks.Invalid, match="staat al in het register"):
        add(store_url, name.lower())  # the same name in other capitals


@pytest.mark.parametrize("given", [None, "", "fout"])
def test_with_the_key_set_registering_and_coalitions_need_it_and_a_wrong_one_writes_nothing(store_url, monkeypatch,
                                                                                            given):  # fmt: skip
    add(store_url, "Vraagt", rows=[("vraag", "voedsel", "Maaltijden", 40)])
    add(store_url, "Biedt", area="GM0642", rows=[("aanbod", "voedsel", "Maaltijden", 25)])
    registry = initiatives.registry(demo=False, url=store_url)
    need, offer = item_ids(registry, "Vraagt")[0], item_ids(registry, "Biedt")[0]
    monkeypatch.setenv(keys.INITIATIVES, "samen-sterk")
    with pytest.raises(keys.AccessDenied, match="er is niets opgeslagen"):
        initiatives.register(registration("Nieuw"), url=store_url, key=given)
    with pytest.raises(keys.AccessDenied, match="de coalitie is niet vastgelegd"):
        initiatives.record_coalition(need, offer, url=store_url, key=given)
    registry = initiatives.registry(demo=False, url=store_url)
    assert registry.initiatives["name"].tolist() == ["Biedt", "Vraagt"] and registry.coalitions.empty
    initiatives.register(registration("Nieuw"), url=store_url, key="samen-sterk")
    initiatives.record_coalition(need, offer, url=store_url, key="samen-sterk")
    registry = initiatives.registry(demo=False, url=store_url)
    assert len(registry.initiatives) == 3 and len(registry.coalitions) == 1


def test_demo_content_loads_only_with_the_keys_and_the_command_line_is_trusted(store_url, monkeypatch, capsys):
    from ratc.__main__ import main

    monkeypatch.setenv(keys.INITIATIVES, "samen-sterk")
    monkeypatch.setenv(keys.CONTINUITY, "regio-geheim")
    for given in (None, "fout"):
        with pytest.raises(keys.AccessDenied, match="sleutel voor initiatieven"):
            demo_store.load_initiatives(store_url, key=given)
    with pytest.raises(keys.AccessDenied):
        demo_store.load(store_url, key="samen-sterk")  # opens the initiatives, not the continuity reports
    assert initiatives.holdings(store_url) == (False, False) and continuity.holdings(store_url) == (False, False)
    assert demo_store.load_initiatives(store_url, key="samen-sterk")[0] == 30
    assert initiatives.holdings(store_url) == (False, True)
    with pytest.raises(keys.AccessDenied):
        demo_store.remove(store_url)
    assert main(["demo-store"]) == 0  # no key asked: whoever runs the command line can read the keys anyway
    assert "30 initiatives" in capsys.readouterr().out
    assert continuity.holdings(store_url) == (False, True)
    assert main(["demo-store", "--remove"]) == 0
    assert initiatives.holdings(store_url) == (False, False) and continuity.holdings(store_url) == (False, False)
