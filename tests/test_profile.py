"""The municipality profile: ranks, comparable series against region and NL, and the page as an alderman sees it."""

import functools
import json
import re

import pandas as pd
import pytest
from conftest import chart_data, run_app

from ratc.core import context, metadata
from ratc.monitor import overview, profile
from ratc.warehouse import db

DORDRECHT_DEC_2021 = context.Context("GM0505", "ww_uitkeringen", "2021-12")
POPULATION = metadata.read_areas().set_index("area_code")["population_2020"]


@pytest.fixture
def query(con):
    """The uncached query function the pages use, without Streamlit."""
    return functools.partial(db.run_query, con)


def test_rank_is_per_10000_among_the_ten(query, observations):
    ranks = profile.ranks(query, DORDRECHT_DEC_2021, "GM0505")
    december = observations.query("indicator_id == 'schuldhulp_aanmeldingen' and period_key == '2021-12'")
    december = december[december["area_code"].str.startswith("GM")].set_index("area_code")["value"]
    per_10k = (december / POPULATION.reindex(december.index) * 10_000).sort_values(ascending=False)
    assert ranks["schuldhulp_aanmeldingen"] == f"rang {list(per_10k.index).index('GM0505') + 1} van 10"
    assert len(ranks) == len(query("indicator_catalog"))  # every indicator of the monitor has a rank


def test_a_rate_is_ranked_by_its_value_and_ties_share_a_rank(query, observations):
    ranks = profile.ranks(query, DORDRECHT_DEC_2021, "GM0505")
    december = observations.query("indicator_id == 'bijstand_per_1000' and period_key == '2021-12'")
    december = december[december["area_code"].str.startswith("GM")].set_index("area_code")["value"]
    higher = int((december > december["GM0505"]).sum())  # not per 10,000: a rate is compared as it is
    assert ranks["bijstand_per_1000"] == f"rang {higher + 1} van 10"


def test_every_tile_names_the_rank_and_the_regions_change(query):
    tiles = [tile for domain in profile.tiles(query, DORDRECHT_DEC_2021, "GM0505").tiles.values() for tile in domain]
    ranks = profile.ranks(query, DORDRECHT_DEC_2021, "GM0505")
    assert {tile.indicator_id for tile in tiles} == set(ranks)
    ww = next(tile for tile in tiles if tile.indicator_id == "ww_uitkeringen")
    assert ww.comparison_text.startswith("De regio: ") and ww.comparison_text.endswith(ranks["ww_uitkeringen"])


def test_comparison_frame_is_per_inhabitants_in_the_unit_the_tiles_use(query, observations):
    frame = profile.comparison_frame(query, DORDRECHT_DEC_2021, "GM0505")
    assert set(frame["gebied"]) == {"Dordrecht", "Zuid-Holland-Zuid", "Nederland"}
    assert "bijstand_per_1000" not in set(frame["indicator_id"])  # its count is already there per 1,000
    row = frame.query("indicator_id == 'ww_uitkeringen' and gebied == 'Nederland' and period_key == '2020-04'")
    value = observations.query("indicator_id == 'ww_uitkeringen' and area_code == 'NL' and period_key == '2020-04'")
    # as the tile 'WW /1.000 inwoners'; COVID-19 per 100.000 and a count without a rate per 10.000
    assert row["waarde"].item() == pytest.approx(value["value"].item() / POPULATION["NL"] * 1_000)
    units = dict(zip(frame["indicator_id"], frame["indicator"], strict=False))
    assert units["covid_meldingen"].endswith(" /100.000") and units["schuldhulp_aanmeldingen"].endswith(" /10.000")
    assert frame["period_start_date"].max().date() <= DORDRECHT_DEC_2021.as_of_date


def test_small_multiples_name_the_file_and_describe_the_colours(query):
    frame = profile.comparison_frame(query, DORDRECHT_DEC_2021, "GM0505")
    _, meta, description = profile.small_multiples(frame, "Dordrecht", DORDRECHT_DEC_2021, is_demo=True)
    assert meta.file_stem == "profiel_dordrecht_dec-2021"
    assert "(Demodata)" in meta.source_line
    assert "Dordrecht (blauw)" in description


@pytest.mark.parametrize("periode", ["2020-04", "2021-12"])
def test_profile_page_as_an_alderman_opens_it(warehouse_file, periode):
    app = run_app(warehouse_file, {"gemeente": "GM0610", "periode": periode}, "pages/municipality.py")
    assert app.title[0].value == "Sliedrecht"
    captions = " ".join(caption.value for caption in app.caption)
    assert "rang " in captions and "De regio: " in captions
    data = chart_data(app, -1)  # the small multiples close the page
    assert set(data["gebied"]) == {"Sliedrecht", "Zuid-Holland-Zuid", "Nederland"}
    # the chart's title stands above it as text that wraps on a phone (ui.show_chart)
    assert "**Sliedrecht naast de regio en Nederland**" in [markdown.value for markdown in app.markdown]
    assert "title" not in json.loads(app.get("vega_lite_chart")[-1].proto.spec)
    labels = {button.proto.label for button in app.get("download_button")}
    # the chart's exports, and the municipality's factsheet (tests/test_papers.py)
    assert labels == {"PNG", "SVG", "PDF", "CSV", "Excel", "Factsheet (Word)", "Factsheet (PDF)"}


def test_a_domain_narrows_tiles_and_small_multiples_to_its_indicators(query):
    catalog = query("indicator_catalog")
    work = set(catalog.loc[catalog["domain_id"] == "werk_economie", "short_name"])
    assert set(profile.tiles(query, DORDRECHT_DEC_2021, "GM0505", "werk_economie").tiles) == {"Werk & economie"}
    assert len(profile.tiles(query, DORDRECHT_DEC_2021, "GM0505").tiles) == 5
    figure = profile.figure(query, DORDRECHT_DEC_2021, "GM0505", "Dordrecht", "werk_economie")
    assert {re.sub(r" /[\d.]+$", "", name) for name in figure.data["indicator"]} <= work
    assert figure.meta.subtitle.startswith("Werk & economie: alle indicatoren")
    assert figure.meta.file_stem == "profiel_dordrecht_werk-economie_dec-2021"


def test_the_page_opens_on_all_domains_for_the_region_and_on_one_with_very_many_indicators(query):
    assert overview.default_domain(query) == overview.ALL_DOMAINS  # 28 indicators: everything at once
    catalog = query("indicator_catalog")
    many = pd.concat([catalog] * 2, ignore_index=True)
    assert len(many) > overview.ONE_DOMAIN_FROM
    assert overview.default_domain(lambda name, **_: many) == "gezondheid"


def test_an_alderman_picks_a_domain_and_the_link_keeps_it(warehouse_file):
    app = run_app(warehouse_file, {"gemeente": "GM0505", "domein": "inkomen_schulden"}, "pages/municipality.py")
    domains = [expander for expander in app.expander if expander.label != "Tabel bij deze grafiek"
               and not expander.label.startswith("Definities en herkomst")]  # fmt: skip
    assert len(domains) == 1 and domains[0].label.startswith("Inkomen & schulden (")
    assert domains[0].proto.expanded  # one domain chosen: open
    assert app.query_params["domein"] == ["inkomen_schulden"] or app.query_params["domein"] == "inkomen_schulden"
    app.segmented_control(key="profiel_domein").set_value(overview.ALL_DOMAINS).run()
    domains = [expander for expander in app.expander if expander.label != "Tabel bij deze grafiek"
               and not expander.label.startswith("Definities en herkomst")]  # fmt: skip
    assert len(domains) == 5 and not any(e.proto.expanded for e in domains) and "domein" not in app.query_params


def test_the_profile_leads_with_the_chosen_indicator_and_a_handful_of_key_tiles(warehouse_file, query):
    app = run_app(warehouse_file, {"gemeente": "GM0505", "indicator": "bijstand_uitkeringen"}, "pages/municipality.py")
    assert app.markdown[0].value.startswith("**Lopende bijstand")  # the alderman's chart's title comes first
    assert "Dordrecht" in chart_data(app, 0)["gebied"].tolist()
    downloads = [button.proto.label for button in app.get("download_button")]
    assert downloads[:5] == ["PNG", "SVG", "PDF", "CSV", "Excel"]  # with its own downloads
    key = profile.key_tiles(query, DORDRECHT_DEC_2021, "GM0505")
    assert 1 <= len(key) <= 4 and len({tile.indicator_id for tile in key}) == len(key)
    assert "ww_uitkeringen" in {tile.indicator_id for tile in key}  # the chosen indicator is among them
    domains = [expander for expander in app.expander if expander.label != "Tabel bij deze grafiek"
               and not expander.label.startswith("Definities en herkomst")]  # fmt: skip
    assert len(domains) == 5 and not any(expander.proto.expanded for expander in domains)  # folded per domain
