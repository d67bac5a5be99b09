"""Going live: demo data and real figures never mix.

A region goes live as the README's "Van demo naar echte cijfers" says: demo removed, the real CBS population and RIVM
figures imported without --replace, a first delivery of two municipalities. Every page then runs, shows the real
series with their source, says "Demodata" nowhere, and names the municipalities a region figure misses. And real
RIVM figures imported over the shipped demo data need no --replace, while no chart mixes the two.
"""

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, SHARED_REAL, run_app
from streamlit import dataframe_util

from ratc.__main__ import main
from ratc.ingest import rivm
from ratc.warehouse import builder as warehouse
from ratc.warehouse import lineage

RIVM_FILE = SHARED_REAL / "covid" / "COVID-19_aantallen_gemeente_cumulatief_2020-09-15.csv"
RIVM_EXTRACT = SHARED_REAL / "covid" / "zhz_covid_cumulatief_2020-03-13_2020-09-15.csv"
CBS_FILE = SHARED_REAL / "cbs" / "CBS-aantal_inwoners_per_gemeente_2020-01-01.csv"
needs_shared = pytest.mark.skipif(not RIVM_FILE.exists(), reason="../shared/real is not available")
PAGES = sorted(f"pages/{path.name}" for path in (ROOT / "pages").glob("*.py"))
# the shared store's pages offer to load demo content while the store is empty: an offer, not demo figures
STORE_OFFERS = ("kunt u **Demodata** laden", "Demodata laden")  # the offer's text and its button
DELIVERED = {"GM0505": 4020, "GM0642": 1200}  # bijstand in Dordrecht and Zwijndrecht, about their CBS 2019 level
MISSING = ["Alblasserdam", "Gorinchem", "Hardinxveld-Giessendam", "Hendrik-Ido-Ambacht", "Hoeksche Waard",
           "Molenlanden", "Papendrecht", "Sliedrecht"]  # fmt: skip


def first_delivery(folder: Path) -> Path:
    """Bijstand of two municipalities, January to August 2020, in the delivery template."""
    lines = ["gemeente;indicator;periode;waarde;opmerking"]
    for code, level in DELIVERED.items():
        lines += [f"{code};bijstand_uitkeringen;2020-{month:02d};{level + 15 * month};" for month in range(1, 9)]
    path = folder / "bijstand_dordrecht_zwijndrecht.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Path:
    """A data folder taken live step by step with the commands of the README; its warehouse is the app's."""
    base = tmp_path_factory.mktemp("live")
    data, target = base / "data", base / "warehouse.duckdb"
    shutil.copytree(ROOT / "data", data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RATC_DATA_DIR", str(data))
        patch.setenv("RATC_WAREHOUSE", str(target))
        assert main(["demo", "--remove"]) == 0
        assert main(["import", str(CBS_FILE), "--layout", "cbs"]) == 0
        assert main(["import", str(RIVM_FILE), "--layout", "rivm"]) == 0
        assert main(["import", str(first_delivery(base)), "--source", "Gemeenten Dordrecht en Zwijndrecht"]) == 0
        yield data


def shown_texts(app) -> list[str]:
    """Every text the page shows: headings, notices, captions, tiles, tables and the charts with their data."""
    texts = [element.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning",
                                        "error", "success") for element in getattr(app, kind)]  # fmt: skip
    texts += [f"{metric.label} {metric.value} {metric.proto.help}" for metric in app.metric]
    texts += [button.label for button in app.button]
    for table in app.dataframe:
        frame = table.value
        texts += [" ".join(map(str, frame.columns)), frame.astype(str).to_csv()]
    for chart in app.get("vega_lite_chart"):
        texts.append(chart.proto.spec)
        texts += [dataframe_util.convert_arrow_bytes_to_pandas_df(data.data.data).astype(str).to_csv()
                  for data in chart.proto.datasets]  # fmt: skip
    return texts


def demo_mentions(app) -> list[str]:
    """The texts on the page that say 'demodata' (any case), leaving out the store pages' offer to load it."""
    found = []
    for shown in shown_texts(app):
        if any(offer in shown for offer in STORE_OFFERS):
            continue
        if "demodata" in shown.lower():
            found.append(shown[:200])
    return found


def tile_help(app) -> dict[str, str]:
    """Each tile's definition and provenance by its label, from its domain's one 'Definities en herkomst' (the tiles
    folded per domain where the page folds them; the key tiles above repeat some of them)."""
    helps = [part for expander in app.expander if expander.label.startswith("Definities en herkomst")
             for part in expander.markdown[0].value.split("\n\n---\n\n")]  # fmt: skip
    folded = [metric.label for expander in app.expander if not expander.label.startswith("Definities en herkomst")
              for metric in expander.metric]  # fmt: skip
    return dict(zip(folded or [metric.label for metric in app.metric], helps, strict=True))


def source_lines(app) -> str:
    """The charts' source lines ('Bron: …'), which stand under each chart as text, without markdown escapes."""
    captions = [caption.value.replace("\\", "") for caption in app.caption]
    return " ".join(caption for caption in captions if caption.startswith("Bron:"))


def trend_data(app) -> pd.DataFrame:
    """The trend chart's line data as the browser receives it."""
    chart = app.get("vega_lite_chart")[0]
    frames = [dataframe_util.convert_arrow_bytes_to_pandas_df(data.data.data) for data in chart.proto.datasets]
    return next(frame for frame in frames if "gebied_code" in frame.columns)


@needs_shared
def test_going_live_leaves_no_demo_import_and_only_real_figures(live):
    records = lineage.read_ledger(live)
    assert [record.is_demo for record in records] == [False, False, False]
    assert not (live / "demo" / "observations.csv").exists()
    assert {record.source.split(",")[0].split(" ")[0] for record in records} == {"CBS", "RIVM", "Gemeenten"}


@needs_shared
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("params", [{}, {"gemeente": "GM0505"}], ids=["regio", "dordrecht"])
def test_every_page_runs_live_and_says_demodata_nowhere(live, store_url, page, params):
    app = run_app(None, params, page)
    assert app.title, "page has no title"
    assert demo_mentions(app) == []
    for chart in app.get("vega_lite_chart"):  # the browser parses the spec strictly: a NaN breaks the chart
        json.loads(chart.proto.spec, parse_constant=_refuse)


def _refuse(constant: str) -> None:
    raise AssertionError(f"{constant} in a chart's spec is not valid JSON")


@needs_shared
def test_the_overview_shows_real_tiles_with_their_source_and_names_the_missing_municipalities(live):
    app = run_app(None)
    tiles = {metric.label: metric for metric in app.metric}
    assert "Bron: RIVM" in tile_help(app)["Positieve tests"] and tiles["Positieve tests"].value != "–"
    assert tiles["Bijstandsuitkeringen"].value == "–"  # no region figure: eight municipalities have not delivered
    captions = " ".join(caption.value for caption in app.caption)
    assert "Geen regiocijfer: nog geen cijfers van " + ", ".join(MISSING[:-1]) + " en " + MISSING[-1] in captions
    assert "Nog geen cijfers aangeleverd voor" in captions  # e.g. WW: nobody has delivered it yet


@needs_shared
def test_trends_show_the_real_rivm_series_and_the_region_waits_for_eight_municipalities(live):
    app = run_app(None, {"indicator": "covid_meldingen", "periode": "2020-08"}, "pages/trend_lines.py")
    app.segmented_control(key="trends_maat").set_value("absoluut").run()
    data = trend_data(app)
    assert "demodata" not in data.columns
    weekly = rivm.weekly_counts(RIVM_FILE)
    ten = weekly[weekly["area_code"].str.startswith("GM")].groupby("periode")["Total_reported"].sum()
    region = data[data["gebied_code"] == "VR18"].set_index("periode_code")["oorspronkelijke_waarde"]
    assert region.loc["2020-W14"] == ten.loc["2020-W14"]  # RIVM's counts of the ten municipalities, summed
    assert "Bron: RIVM" in source_lines(app)  # the chart's source line stands under it as text
    bijstand = run_app(None, {"indicator": "bijstand_uitkeringen", "periode": "2020-08"}, "pages/trend_lines.py")
    empty = " ".join(info.value for info in bijstand.info)
    assert "Geen regiocijfer" in empty and all(name in empty for name in MISSING)
    assert not bijstand.get("vega_lite_chart")


@needs_shared
def test_the_steward_sees_who_delivered_what(live):
    app = run_app(None, {}, "pages/sources.py")
    status = next(table.value for table in app.dataframe if "Dordrecht" in table.value.columns)
    bijstand = status.set_index("Indicator").loc["Lopende bijstandsuitkeringen"]
    assert bijstand["Dordrecht"].startswith(("echt t/m aug 2020", "te laat: t/m aug 2020"))
    assert bijstand["Alblasserdam"] == "ontbreekt" and bijstand["Ontbreekt"] == 8
    covid = status.set_index("Indicator").loc["Positief geteste personen"]
    assert "week 37 2020" in covid["Gorinchem"] and covid["Ontbreekt"] == 0
    assert [button.label for button in app.get("download_button")][:1] == ["CSV"]


@pytest.fixture
def rivm_over_demo(private_data) -> Path:
    """The shipped demo data with the real RIVM extract imported over it, without --replace."""
    assert main(["import", str(RIVM_EXTRACT), "--layout", "rivm"]) == 0
    return Path(os.environ["RATC_WAREHOUSE"])


@needs_shared
def test_real_rivm_over_demo_data_drops_every_demo_value_of_its_indicators(rivm_over_demo):
    import duckdb

    with duckdb.connect(str(warehouse.current_file(rivm_over_demo)), read_only=True) as con:
        kinds = con.execute(
            "select indicator_id, bool_or(is_demo), bool_and(is_demo), min(period_key), max(period_key) "
            "from observations group by indicator_id"
        ).df().set_index("indicator_id")  # fmt: skip
    covid = kinds.loc[kinds.index.str.startswith("covid")]
    assert not covid.iloc[:, 0].any()  # no demo value of a COVID-19 indicator is left, for any area or period
    assert set(covid.iloc[:, 2]) == {"2020-W12"} and set(covid.iloc[:, 3]) == {"2020-W37"}
    others = kinds.loc[~kinds.index.str.startswith("covid") & (kinds.index != "bevolking")]
    assert others.iloc[:, 1].all()  # the rest stays demo as a whole


@needs_shared
@pytest.mark.parametrize("indicator", ["covid_meldingen", "covid_meldingen_per_100k", "ww_uitkeringen"])
def test_no_trend_mixes_real_and_demo_values(rivm_over_demo, indicator):
    app = run_app(None, {"indicator": indicator, "gemeente": "GM0505", "periode": "2021-12"}, "pages/trend_lines.py")
    data = trend_data(app)
    spec = app.get("vega_lite_chart")[0].proto.spec + source_lines(app)
    if indicator.startswith("covid"):
        assert "demodata" not in data.columns and "Demodata" not in spec
        assert data["periode_code"].min() >= "2020-W12" and data["periode_code"].max() <= "2020-W37"
    else:
        assert set(data["demodata"]) == {"ja"} and "(Demodata)" in spec


@needs_shared
def test_charts_of_several_indicators_label_exactly_the_demo_ones(rivm_over_demo):
    app = run_app(None, {"gemeente": "GM0505", "periode": "2021-12", "domein": "gezondheid"}, "pages/municipality.py")
    assert demo_mentions(app), "the demo indicators of Gezondheid say so"
    frames = [dataframe_util.convert_arrow_bytes_to_pandas_df(data.data.data)
              for data in app.get("vega_lite_chart")[-1].proto.datasets]  # fmt: skip
    panels = set(next(frame for frame in frames if "indicator" in frame.columns)["indicator"])
    assert {"Positieve tests /100.000", "GGZ-crisismeldingen /10.000 · demodata"} <= panels  # the demo panel says so
    helps = tile_help(app)
    assert "Demodata" not in helps["Positieve tests"] and "Demodata" in helps["GGZ-crisismeldingen"]
    assert not any("Alle cijfers op deze pagina" in caption.value for caption in app.caption)  # no page-wide notice
    heatmap = run_app(None, {"periode": "2021-12"}, "pages/coherence.py")
    assert "(Demodata)" in source_lines(heatmap)  # COVID-19 counts have no baseline: every row of the heatmap is demo


@pytest.fixture(scope="module")
def empty(tmp_path_factory) -> Path:
    """A monitor without any figure: the demo removed and nothing imported yet."""
    base = tmp_path_factory.mktemp("empty")
    data = base / "data"
    shutil.copytree(ROOT / "data", data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RATC_DATA_DIR", str(data))
        patch.setenv("RATC_WAREHOUSE", str(base / "warehouse.duckdb"))
        assert main(["demo", "--remove"]) == 0
        yield data


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_empty_warehouse_and_says_so(empty, store_url, page):
    app = run_app(None, {"gemeente": "GM0505"}, page)
    assert app.title and demo_mentions(app) == []
    if page in ("pages/overview.py", "pages/trend_lines.py", "pages/map.py", "pages/scenario_explorer.py"):
        said = " ".join(element.value for element in [*app.info, *app.caption])
        assert "Nog geen cijfers aangeleverd voor" in said
        assert not app.get("vega_lite_chart") and not app.get("deck_gl_json_chart")


@needs_shared
@pytest.mark.parametrize(("indicator", "is_demo"), [("covid_meldingen", False), ("ww_uitkeringen", True)])
def test_the_map_says_demodata_only_for_a_demo_indicator(rivm_over_demo, indicator, is_demo):
    app = run_app(None, {"indicator": indicator, "periode": "2020-08"}, "pages/map.py")
    assert bool(demo_mentions(app)) is is_demo
    assert any("Deze kaart toont demodata." in caption.value for caption in app.caption) is is_demo
