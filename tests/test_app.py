"""Every page runs under AppTest, deep links work, and the context survives page switches."""

import ast
import json
import re
from pathlib import Path

import pytest
from conftest import run_app, shows_demodata

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(f"pages/{path.name}" for path in (ROOT / "pages").glob("*.py"))


def test_every_page_file_is_registered_in_app_py():
    tree = ast.parse((ROOT / "app.py").read_text())
    registered = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page" and node.args
    }
    assert registered == set(PAGES)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("params", [{}, {"gemeente": "GM0505"}], ids=["defaults", "dordrecht"])
def test_page_runs_and_says_demodata(warehouse_file, page, params):
    app = run_app(warehouse_file, params, page)
    assert app.title, "page has no title"
    without_figures = {
        "pages/delivery.py",
        "pages/continuity_report.py",
        "pages/hangout.py",
        "pages/join.py",
        "pages/practices_page.py",
    }
    shows_figures = page not in without_figures and (page != "pages/municipality.py" or params)
    if shows_figures:
        assert shows_demodata(app)
    for chart in app.get("vega_lite_chart"):  # the browser parses the spec strictly: a NaN breaks the chart
        json.loads(chart.proto.spec, parse_constant=_refuse)
    assert dict(app.query_params) == params


def _refuse(constant: str) -> None:
    raise AssertionError(f"{constant} in a chart's spec is not valid JSON")


def test_overview_shows_region_kpis_per_domain(warehouse_file):
    app = run_app(warehouse_file)
    assert app.title[0].value == "Regio-overzicht Zuid-Holland-Zuid"
    assert [header.value for header in app.subheader] == [
        "Gezondheid",
        "Werk & economie",
        "Inkomen & schulden",
        "Sociaal & veiligheid",
        "Onderwijs & jeugd",
    ]
    labels = [metric.label for metric in app.metric]
    assert "WW-uitkeringen" in labels and len(labels) >= 20
    ww = next(metric for metric in app.metric if metric.label == "WW-uitkeringen")
    assert "." in ww.value or ww.value.isdigit()


def test_deep_link_opens_dordrecht_profile(warehouse_file):
    app = run_app(warehouse_file, {"gemeente": "GM0505"}, "pages/municipality.py")
    assert app.title[0].value == "Dordrecht"
    assert app.selectbox(key="ctx_gemeente").value == "GM0505"
    assert len(app.metric) >= 20


def shown(markdown: str) -> str:
    """What markdown shows: the text without its escaping backslashes and invisible word joiners."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def test_invalid_parameters_fall_back_with_a_notice(warehouse_file):
    app = run_app(warehouse_file, {"gemeente": "GM9999", "periode": "1999-01", "indicator": "bestaat_niet"})
    notices = " ".join(shown(caption.value) for caption in app.caption)
    assert "Gemeente 'GM9999' is onbekend" in notices
    assert "Periode '1999-01' is niet beschikbaar" in notices
    assert "Indicator 'bestaat_niet' bestaat niet" in notices
    assert dict(app.query_params) == {}


def test_a_link_cannot_put_markup_into_the_notice(warehouse_file):
    payload = "[klik hier](https://evil.example) **vet** <b>x</b>"
    app = run_app(warehouse_file, {"indicator": payload})
    captions = [caption.value for caption in app.caption if "bestaat niet" in shown(caption.value)]
    toasts = [toast.value for toast in app.toast]
    assert captions and toasts
    for markdown in captions + toasts:
        assert payload in shown(markdown)  # the reader sees exactly what the link said, as text
        assert "](" not in markdown and "**" not in markdown and "<b>" not in markdown


def test_context_survives_a_page_switch_and_widget_changes_reach_the_url(warehouse_file):
    app = run_app(warehouse_file, {"gemeente": "GM0610", "periode": "2020-06"})
    app.switch_page("pages/sources.py").run()
    app.switch_page("pages/municipality.py").run()
    assert app.title[0].value == "Sliedrecht"
    assert dict(app.query_params) == {"gemeente": "GM0610", "periode": "2020-06"}
    app.selectbox(key="ctx_gemeente").select("GM1963").run()
    assert app.title[0].value == "Hoeksche Waard"
    assert app.query_params["gemeente"] == "GM1963"


def test_period_choice_changes_the_figures(warehouse_file):
    latest = run_app(warehouse_file)
    april = run_app(warehouse_file, {"periode": "2020-04"})
    assert "april 2020" in april.caption[0].value
    label = "WW-uitkeringen"
    assert next(m.value for m in latest.metric if m.label == label) != next(
        m.value for m in april.metric if m.label == label
    )


def test_indicator_choice_goes_into_the_url(warehouse_file):
    app = run_app(warehouse_file)
    app.selectbox(key="ctx_indicator").select("faillissementen").run()
    assert app.query_params["indicator"] == "faillissementen"
    table = app.dataframe[0].value
    assert list(table["Gebied"])[-1] == "Zuid-Holland-Zuid" and len(table) == 11
    dordrecht = table.set_index("Gebied").loc["Dordrecht", "Profiel"]
    assert dordrecht == "mijn-gemeente?indicator=faillissementen&gemeente=GM0505"


def test_corrupt_warehouse_is_rebuilt_with_a_notice(tmp_path, monkeypatch):
    from ratc.warehouse import builder as warehouse

    target = tmp_path / "warehouse.duckdb"
    warehouse.build(target=target).write_bytes(b"this is not a DuckDB file")
    monkeypatch.setenv("RATC_WAREHOUSE", str(target))
    app = run_app(None)
    assert app.title[0].value == "Regio-overzicht Zuid-Holland-Zuid"
    assert warehouse.built_fingerprint(target) == warehouse.fingerprint()


def test_missing_warehouse_is_built_on_first_start(tmp_path, monkeypatch):
    from ratc.warehouse import builder as warehouse

    target = tmp_path / "fresh" / "warehouse.duckdb"
    monkeypatch.setenv("RATC_WAREHOUSE", str(target))
    app = run_app(None)
    assert len(app.metric) >= 20
    assert warehouse.is_current(target=target)


def test_broken_sources_keep_the_previous_warehouse_with_a_warning(tmp_path, monkeypatch):
    import shutil

    from ratc.warehouse import builder as warehouse

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    target = tmp_path / "warehouse.duckdb"
    warehouse.build(data, target)
    (data / "indicators.csv").write_text("indicator_id,name\nkapot,Kapot\n")
    monkeypatch.setenv("RATC_DATA_DIR", str(data))
    monkeypatch.setenv("RATC_WAREHOUSE", str(target))
    app = run_app(None)
    assert any("De bronbestanden konden niet worden verwerkt" in warning.value for warning in app.warning)
    assert len(app.metric) >= 20
