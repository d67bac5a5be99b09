"""The continuity pages under AppTest: report a week (prefilled next time, errors per field, keys), the regional
overview on demo and real data (never mixed), recording a coupling, an unreachable store, and user text as text."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import run_app

from ratc.continuity import region as continuity_region
from ratc.continuity import reports as continuity
from ratc.continuity import view as continuity_view
from ratc.core import keys, periods, text
from ratc.demo import store_content as demo_store

REPORT = "pages/continuity_report.py"
OVERVIEW = "pages/continuity_overview.py"
HOSTILE = "<script>alert(1)</script> [klik](https://evil.example) **vet** :red[rood]"
THIS_WEEK = periods.period_containing(dt.date.today(), "week")


@pytest.fixture(autouse=True)
def no_keys(monkeypatch):
    """Writing is open unless a test sets a key."""
    for variable in (keys.CONTINUITY, keys.municipality_variable("GM0505"), keys.municipality_variable("GM0482")):
        monkeypatch.delenv(variable, raising=False)


def fill_report(app, version: str, statuses: dict[int, str], absence: float, knelpunten=(), reporter="Anna"):
    """Fill the report form the way the browser sends it, and submit."""
    app.session_state[f"melden_status_{version}"] = {
        "edited_rows": {row: {"status": status} for row, status in statuses.items()},
        "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    app.session_state[f"melden_knelpunten_{version}"] = {"edited_rows": {}, "added_rows": list(knelpunten),
                                                        "deleted_rows": []}  # fmt: skip
    app.number_input(key=f"melden_verzuim_{version}").set_value(absence)
    app.text_input(key=f"melden_melder_{version}").input(reporter)
    app.button(key="melden_opslaan").click()
    return app.run()


def all_markdown(app) -> str:
    """Every markdown-rendered text on the page (markdown, captions, alerts)."""
    parts = [element.value for kind in ("markdown", "caption", "info", "success", "error", "warning")
             for element in getattr(app, kind)]  # fmt: skip
    return "\n".join(str(part) for part in parts)


def test_a_municipality_reports_and_its_next_form_is_prefilled(warehouse_file, store_url):
    app = run_app(warehouse_file, {"gemeente": "GM0505"}, REPORT)
    assert app.title[0].value == "Bedrijfsvoering melden"
    assert "eerste melding" in all_markdown(app)
    knelpunt = {"proces": "schuldhulp", "omschrijving": HOSTILE, "sinds": THIS_WEEK.start.isoformat(),
                "oplossing": "nee", "hulp_nodig": True, "soort_hulp": "capaciteit"}  # fmt: skip
    statuses = {row: "groen" for row in range(10)} | {2: "rood"}
    app = fill_report(app, "GM0505_nieuw", statuses, 7.5, [knelpunt], reporter="<b>Anna</b>")
    assert not app.exception
    assert any("is opgeslagen" in success.value for success in app.success)
    stored = continuity.last_report("GM0505")
    assert stored.report.week == THIS_WEEK.key and stored.report.statuses["schuldhulp"] == "rood"
    assert stored.report.staff_absence_pct == 7.5 and stored.report.bottlenecks[0].description == HOSTILE
    # the next form holds the stored report; the history lists it
    version = f"GM0505_{stored.report_id}"
    editor = next(frame for frame in app.dataframe if frame.key == f"melden_status_{version}")
    assert editor.value.set_index("proces").loc["schuldhulp", "status"] == "rood"
    assert app.number_input(key=f"melden_verzuim_{version}").value == 7.5
    history = next(frame for frame in app.dataframe if "Versie" in frame.value.columns).value
    assert history["Week"].tolist() == [THIS_WEEK.label] and history["Rood"].tolist() == [1]
    # what people typed never becomes markup: the reporter's name is escaped, the knelpunt is only in tables
    shown = all_markdown(app)
    assert "<b>Anna</b>" not in shown and r"door \<b\>Anna\<\/b\>" in shown
    assert "<script>" not in shown and "[klik](" not in shown


def test_a_form_with_errors_names_them_keeps_the_input_and_stores_nothing(warehouse_file, store_url):
    app = run_app(warehouse_file, {"gemeente": "GM0505"}, REPORT)
    knelpunt = {"proces": "afval", "omschrijving": "", "sinds": THIS_WEEK.start.isoformat(), "oplossing": "nee",
                "hulp_nodig": True}  # fmt: skip
    app = fill_report(app, "GM0505_nieuw", {0: "groen"}, 5.0, [knelpunt])
    assert not app.exception
    message = app.error[0].value
    assert "er is niets opgeslagen" in message
    for field in ("Status Werk & inkomen", "Status Klantcontact (KCC)", "Knelpunt 1 · Omschrijving",
                  "Knelpunt 1 · Soort hulp"):  # fmt: skip
        assert text.escape_markdown(field) in message
    assert continuity.last_report("GM0505") is None
    assert app.number_input(key="melden_verzuim_GM0505_nieuw").value == 5.0  # still there to correct


def test_without_a_municipality_the_page_asks_for_one(warehouse_file, store_url):
    app = run_app(warehouse_file, {}, REPORT)
    assert "voor welke gemeente u meldt" in app.info[0].value
    assert not app.get("arrow_data_frame") and not app.button


def test_a_municipality_key_protects_its_form(warehouse_file, store_url, monkeypatch):
    monkeypatch.setenv(keys.municipality_variable("GM0505"), "dordt-geheim")
    app = run_app(warehouse_file, {"gemeente": "GM0505"}, REPORT)
    with pytest.raises(KeyError):
        app.button(key="melden_opslaan")
    app.text_input(key="melden_sleutel_GM0505").input("fout").run()
    with pytest.raises(KeyError):
        app.button(key="melden_opslaan")
    app.text_input(key="melden_sleutel_GM0505").input("dordt-geheim").run()
    assert app.button(key="melden_opslaan")


def test_overview_on_demo_data_shows_matrix_escalations_and_records_a_coupling(warehouse_file, store_url):
    demo_store.load_continuity()
    app = run_app(warehouse_file, {}, OVERVIEW)
    assert app.title[0].value == "Bedrijfsvoering in de regio"
    assert any("Demodata" in info.value for info in app.info)
    # on screen the chart's title and source line are text above and under it (ui.show_chart)
    assert "**Continuïteit van de bedrijfsvoering**" in [markdown.value for markdown in app.markdown]
    assert any("(Demodata)" in caption.value.replace("\\", "") for caption in app.caption)
    view = continuity_region.picture(demo=True)
    escalation = next(frame.value for frame in app.dataframe if "Weken open" in frame.value.columns)
    assert escalation["Knelpunt"].tolist() == continuity_view.escalation_table(view)["Knelpunt"].tolist()
    assert len(escalation) == (continuity_region.open_bottlenecks(view)["solution"] == "nee").sum()
    before = len(view.couplings)
    need = app.selectbox(key="koppeling_knelpunt").value
    offer = app.selectbox(key="koppeling_aanbod").value
    app.text_input(key="koppeling_notitie").input("Twee boa's vanaf maandag")
    app.button(key="koppeling_opslaan").click()
    app = app.run()
    assert not app.exception
    assert any("De koppeling is vastgelegd" in success.value for success in app.success)
    couplings = continuity_region.picture(demo=True).couplings
    assert len(couplings) == before + 1
    assert (couplings["bottleneck_key"] == need).any() and (couplings["offer_key"] == offer).any()
    recorded = next(frame.value for frame in app.dataframe if "Helpende gemeente" in frame.value.columns)
    assert "Twee boa's vanaf maandag" in recorded["Notitie"].tolist()


def test_an_empty_store_offers_demo_data_and_loads_it(warehouse_file, store_url):
    app = run_app(warehouse_file, {}, OVERVIEW)
    assert "nog geen meldingen" in app.info[0].value and "Demodata" in app.info[0].value
    app.button(key="bedrijfsvoering_demo_laden").click()
    app = app.run()
    assert not app.exception
    assert continuity.holdings() == (False, True)
    assert app.get("vega_lite_chart")


def test_real_reports_are_shown_without_demo_unless_chosen(warehouse_file, store_url):
    demo_store.load_continuity()
    app = run_app(warehouse_file, {"gemeente": "GM0505"}, REPORT)
    app = fill_report(app, "GM0505_nieuw", {row: "oranje" for row in range(10)}, 3.0)
    app.switch_page(OVERVIEW).run()
    assert not any("Demodata" in info.value for info in app.info)
    table = next(frame.value for frame in app.dataframe if {"Melding", "Verzuim"} <= set(frame.value.columns))
    reported = table[table["Melding"] != "–"]
    assert reported["Gemeente"].tolist() == ["Dordrecht"]  # only the real report, no demo municipality
    app.toggle(key="bedrijfsvoering_demo").set_value(True).run()
    assert any("Demodata" in info.value for info in app.info)


def test_an_unreachable_store_is_explained_and_the_page_keeps_working(warehouse_file, monkeypatch):
    monkeypatch.setenv("RATC_STORE_URL", "postgresql+psycopg://ratc:geheim@127.0.0.1:9/ratc?connect_timeout=2")
    for page, params in ((OVERVIEW, {}), (REPORT, {"gemeente": "GM0505"})):
        app = run_app(warehouse_file, params, page)
        assert "niet bereikbaar" in app.error[0].value and "geheim" not in app.error[0].value
