"""Signals that mean something, measured: under the null (every municipality follows the region's path, chance only)
few views show a signal; real deviations are found and come first. Warehouses are built from simulated data dirs
through the normal build (tests/signal_simulation.py); bench/bench_signals.py runs the same over many more seeds."""

import functools

import pytest
import signal_simulation as sim
from conftest import run_app

from ratc.core import context
from ratc.monitor import overview
from ratc.warehouse import db

NULL_SEEDS = range(6)
POWER_SEEDS = range(100, 106)
EFFECTS = (sim.Effect(*sim.SLIEDRECHT_WW), sim.Effect(*sim.DORDRECHT_FLOW))
# months after the deviations began (May 2020); the window of June 2020 (March - June) holds two deviating months
POWER_MONTHS = ("2020-06", "2020-08", "2020-10", "2020-12", "2021-03", "2021-06", "2021-09", "2021-12")


@pytest.fixture(scope="module", params=["poisson", "negative_binomial", "autocorrelated_stocks"])
def null_views(request, tmp_path_factory) -> list[sim.View]:
    """Every view in eight months of six simulated regions in which nothing deviates but by chance: drawn afresh each
    period, or carried over from month to month in the stocks (the old test, which assumed independent periods,
    showed a signal in about three of ten such views; README, Signals)."""
    shown = []
    for seed in NULL_SEEDS:
        warehouse = sim.build(tmp_path_factory.mktemp(f"null-{request.param}-{seed}"), seed, request.param)
        shown += sim.views(warehouse)
    return shown


def test_under_the_null_few_views_show_a_signal(null_views):
    rates = sim.null_rates(null_views)
    assert rates["views"] == len(NULL_SEEDS) * len(sim.MONTHS) * 11
    assert rates["share_with_signal"] <= 0.10, rates
    assert rates["mean_signals"] <= 0.15, rates
    assert rates["region_mean_signals"] <= 0.15, rates  # the old rule showed about six on every region page


@pytest.fixture(scope="module")
def effect_warehouses(tmp_path_factory) -> list:
    """Simulated regions with Sliedrecht's WW 30% and Dordrecht's Veilig Thuis reports 100% above the path from May
    2020 on (Poisson chance otherwise)."""
    return [sim.build(tmp_path_factory.mktemp(f"effect-{seed}"), seed, "poisson", EFFECTS) for seed in POWER_SEEDS]


@pytest.fixture(scope="module")
def effect_views(effect_warehouses) -> list[sim.View]:
    """Every view in the months after the deviations began."""
    return [view for warehouse in effect_warehouses for view in sim.views(warehouse, POWER_MONTHS)]


def test_a_thirty_percent_excess_in_a_stock_of_a_mid_sized_municipality_is_found_and_first(effect_views):
    own = [view for view in effect_views if view.area_code == "GM0610"]
    target = ("GM0610", "ww_uitkeringen")
    assert sum(target in view.signals for view in own) >= 0.8 * len(own)
    assert sum(view.signals[:1] == (target,) for view in own) >= 0.8 * len(own)
    region = [view for view in effect_views if view.area_code is None]
    assert sum(target in view.signals for view in region) >= 0.8 * len(region)


def test_a_doubled_flow_in_dordrecht_is_found(effect_views):
    target = ("GM0505", "veilig_thuis_meldingen")
    for area_code in ("GM0505", None):  # Dordrecht's own page and the region's
        views = [view for view in effect_views if view.area_code == area_code]
        assert sum(target in view.signals for view in views) >= 0.9 * len(views)


def test_real_deviations_do_not_drag_other_signals_along(effect_views):
    """With two real deviations the other municipalities still show hardly anything: the deviating municipalities
    leave the others' comparison group, so Dordrecht's doubling does not make the rest look low."""
    targets = {(effect.area_code, effect.indicator_id) for effect in EFFECTS}
    others = [len(set(view.signals) - targets) for view in effect_views]
    assert sum(others) / len(others) <= 0.15


def test_the_pages_show_the_signals_as_sentences_with_what_they_mean(effect_warehouses, monkeypatch):
    warehouse = effect_warehouses[0]
    monkeypatch.setenv("RATC_DATA_DIR", str(warehouse.parent / "data"))
    monkeypatch.setenv("RATC_WAREHOUSE", str(warehouse.parent / "warehouse.duckdb"))
    chosen = context.Context(None, "ww_uitkeringen", "2020-12")
    connection = db.open_warehouse(warehouse)
    try:
        query = functools.partial(db.run_query, connection)
        mine = overview.area_signals(query, chosen, "GM0610", limit=12)
        region = overview.area_signals(query, chosen)
    finally:
        connection.close()
    assert mine[0].sentence.startswith("In Sliedrecht steeg het aantal WW-uitkeringen sinds februari 2020 met ")
    assert region and region[0].area_code == "GM0505"  # the doubling rests on the strongest evidence
    page = run_app(None, {"periode": "2020-12", "gemeente": "GM0610"}, "pages/municipality.py")
    assert mine[0].sentence in shown_text(page)
    # what a signal means, in the tooltip of the profile's heading 'Waar wijkt Sliedrecht af?'
    assert any("Hier telt alleen Sliedrecht mee" in header.proto.help for header in page.header)
    page = run_app(None, {"periode": "2020-12"})
    assert all(signal.sentence in shown_text(page) for signal in region)
    assert any("hooguit 1 op de 20 toch toeval" in caption.value for caption in page.caption)


def shown_text(app) -> str:
    """The page's markdown as a reader sees it, without the escaping backslashes."""
    return " ".join(markdown.value.replace("\\", "") for markdown in app.markdown)


def test_the_demo_region_shows_the_calm_state(warehouse_file):
    """The demo municipalities differ from each other only a little: nothing passes the test, and the page says so."""
    app = run_app(warehouse_file, {"periode": "2021-12"})
    assert any(overview.no_signals_text() in markdown.value for markdown in app.markdown)
