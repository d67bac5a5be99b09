"""Initiative matching ranks by how much of a need an offer covers before where it is, knows related categories
(delivery for food), and reads its weights from data files that explain every number in Dutch."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT
from test_initiatives import add, item_ids

from ratc.core import keys
from ratc.initiatives import matching, weights
from ratc.initiatives import registry as initiatives
from ratc.initiatives import view as initiative_view


@pytest.fixture
def store_url(any_store_url, monkeypatch):
    """Every test here runs on SQLite and PostgreSQL, with writing open."""
    monkeypatch.delenv(keys.INITIATIVES, raising=False)
    return any_store_url


def test_a_hundred_meals_from_elsewhere_rank_above_ten_from_the_same_neighbourhood(store_url):
    add(store_url, "Voedselhulp Crabbehof", rows=[("vraag", "voedsel", "Maaltijden", 150)], neighbourhood="Crabbehof")
    add(store_url, "Buurtkeuken", rows=[("aanbod", "voedsel", "Tien maaltijden", 10)], neighbourhood="Crabbehof")
    add(store_url, "Regiokeuken", area="GM0512", rows=[("aanbod", "voedsel", "Honderd maaltijden", 100)])
    found = matching.suggestions(initiatives.registry(demo=False), top=None)
    assert found["offer_name"].tolist() == ["Regiokeuken", "Buurtkeuken"]
    assert found["voorstel"].tolist() == [100, 10]
    assert found.iloc[0]["uitleg"].startswith("zelfde categorie (voedsel) · kan 100 van de 150 huishoudens per week")


def test_a_delivery_group_is_proposed_for_a_food_need_and_can_form_a_coalition(store_url):
    add(store_url, "Voedselbank", rows=[("vraag", "voedsel", "Pakketten rondbrengen", 60)])
    add(store_url, "Bezorgers", area="GM0642", rows=[("aanbod", "vervoer", "Fietskoeriers", 40)])
    add(store_url, "Taxi", area="GM0642", rows=[("aanbod", "vervoer", "Ritten naar de dokter", 40)])
    add(store_url, "Bank", area="GM0642", rows=[("aanbod", "geld", "Gift", 500)])
    registry = initiatives.registry(demo=False)
    found = matching.suggestions(registry, top=None)
    assert set(found["offer_name"]) == {"Bezorgers", "Taxi"}  # money is no related category of food
    weight = weights.load().related[("voedsel", "vervoer")]
    assert found.iloc[0]["score"] == pytest.approx(round(10 * 40 / 60 * weight + 0.4, 2))
    assert "verwante categorie: vervoer voor voedsel (telt voor 80%)" in found.iloc[0]["uitleg"]
    (need,), (offer,) = item_ids(registry, "Voedselbank"), item_ids(registry, "Bezorgers")
    initiatives.record_coalition(need, offer)  # one ride a week for one household a week
    remaining = initiatives.registry(demo=False).items.set_index("item_id")["remaining"]
    assert remaining[need] == 20 and remaining[offer] == 0


def test_every_weight_and_relation_is_explained_and_shown(store_url):
    loaded = weights.load()
    assert set(loaded.table["parameter"]) == set(weights.PARAMETERS)
    assert all(len(text) > 20 for text in [*loaded.table["uitleg"], *loaded.related_table["uitleg"]])
    assert loaded.coverage * 0.1 >= max(loaded.place.values()) - min(loaded.place.values())  # coverage first
    points, related = initiative_view.weights_tables()
    assert {"Wat", "Punten", "Uitleg"} == set(points.columns)
    assert related[["Vraag", "Aanbod"]].values.tolist()[0] == ["Voedsel", "Vervoer"]


@pytest.mark.parametrize(
    ("file", "old", "new", "words"),
    [
        ("matching_weights.csv", "dekking,10,", "dekking,veel,", "regel 2: waarde 'veel'"),
        ("matching_weights.csv", "plaats_regio,0.2,", "plaats_ver,0.2,", "parameter 'plaats_regio' ontbreekt"),
        ("related_categories.csv", "voedsel,vervoer,0.8", "voedsel,raketten,0.8", "regel 2: voedsel en raketten"),
        ("related_categories.csv", "zorg,vervoer,0.8", "zorg,vervoer,2", "gewicht '2'"),
    ],
)
def test_a_weights_file_that_cannot_be_used_names_the_row(tmp_path, file, old, new, words):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("imports", "demo", "geo"))
    path = data / "initiatives" / file
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(weights.WeightsError, match=words):
        weights.load(data)


def test_the_page_explains_the_score_from_the_files(warehouse_file, store_url):
    from conftest import run_app

    from ratc.demo import store_content as demo_store

    demo_store.load_initiatives()
    app = run_app(warehouse_file, {}, "pages/initiatives_page.py")
    tables = [frame.value for frame in app.dataframe]
    points = next(table for table in tables if "Punten" in table.columns)
    assert points["Wat"].tolist() == weights.load().table["naam"].tolist()
    assert any("Telt voor" in table.columns for table in tables)
