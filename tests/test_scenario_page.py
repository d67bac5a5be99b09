"""The Scenario's page under AppTest: presets set the sliders, links restore, compare, reveal, save and load."""

from __future__ import annotations

import json

import pytest
from conftest import chart_data, run_app, shows_demodata

from ratc.scenario import parameters as scenario_data
from ratc.scenario import settings as scenario_settings

PAGE = "pages/scenario_explorer.py"
DATA = scenario_data.load()


def sliders(app) -> dict:
    """The national sliders' values."""
    return {field: app.session_state[key] for field, key in scenario_settings.WIDGET_KEYS.items()}


def sentence(app) -> str:
    """The sentence of what changed (in bold above the chart, not a heading), or '' when there is none."""
    found = [element.value for element in app.markdown if element.value.startswith("**In ")]
    return found[0].strip("*").replace("\\", "") if found else ""


def main_chart(app):
    """The main chart's data as the browser receives it."""
    return chart_data(app, 0)


def test_page_opens_on_the_default_preset_without_parameters(warehouse_file, store_url):
    app = run_app(warehouse_file, page=PAGE)
    assert app.title[0].value == "Scenario's"
    assert app.selectbox(key=scenario_settings.PRESET_KEY).value == DATA.default_preset.preset_id
    assert sliders(app)["bbp_2020"] == DATA.default_preset.bbp_2020
    assert sentence(app).startswith("In de CPB-raming van juni 2020 stijgt het aantal WW-uitkeringen in de regio tot")
    assert dict(app.query_params) == {}
    assert shows_demodata(app)


def test_choosing_a_preset_sets_every_slider_and_the_link(warehouse_file, store_url):
    app = run_app(warehouse_file, page=PAGE)
    app.selectbox(key=scenario_settings.PRESET_KEY).select("cpb4").run()
    assert not app.exception
    assert sliders(app) == {"duur": 12, "bbp_2020": -7.3, "bbp_2021": -2.7, "steun": DATA.presets["cpb4"].steun_pct,
                            "steun_tot": DATA.presets["cpb4"].steun_tot, "herstel": "L"}  # fmt: skip
    assert app.query_params["scenario"] == "cpb4"
    assert sentence(app).startswith("In CPB-scenario 4 ")
    assert "(CPB: 6,1% en 9,4%)" in " ".join(caption.value for caption in app.caption)


def test_moving_a_slider_leaves_the_preset_and_changes_the_outcome(warehouse_file, store_url):
    app = run_app(warehouse_file, {"scenario": "cpb2"}, PAGE)
    before = main_chart(app)
    app.select_slider(key="sc_bbp2021").set_value(-4.0).run()
    assert app.selectbox(key=scenario_settings.PRESET_KEY).value == scenario_settings.OWN
    assert dict(app.query_params) == {"scenario": "cpb2", "bbp2021": "-4"}  # short: the nearest preset and the change
    after = main_chart(app)
    end = {frame_name: frame[(frame["reeks"] != "Waargenomen") & (frame["reeks"] != "Zonder crisis")]["waarde"].iloc[-1]
           for frame_name, frame in (("before", before), ("after", after))}  # fmt: skip
    assert end["after"] > end["before"]
    assert sentence(app).startswith("In dit scenario ")


def test_a_shared_link_restores_every_setting(warehouse_file, store_url):
    params = {"gemeente": "GM0610", "scenario": "cpb3", "duur": "9", "gv_sliedrecht": "1.6",
              "toon": "bijstand_uitkeringen", "herstel": "L"}  # fmt: skip
    app = run_app(warehouse_file, params, PAGE)
    assert sliders(app)["duur"] == 9 and sliders(app)["bbp_2020"] == -7.7 and sliders(app)["herstel"] == "L"
    assert app.session_state["sc_gv_GM0610"] == 1.6
    assert app.selectbox(key="sc_toon").value == "bijstand_uitkeringen"
    assert "bijstandsuitkeringen in Sliedrecht" in sentence(app)
    assert dict(app.query_params) == params
    link = next(code.value for code in app.code)
    for name, value in params.items():
        assert f"{name}={value}" in link


def test_invalid_link_parameters_fall_back_with_a_dutch_notice(warehouse_file, store_url):
    app = run_app(warehouse_file, {"scenario": "cpb3", "duur": "veel", "bbp2020": "-99"}, PAGE)
    notices = " ".join(caption.value for caption in app.caption).replace("\\", "")  # link text is shown escaped
    assert "'duur=veel' is ongeldig" in notices and "'bbp2020=-99' is ongeldig" in notices
    assert sliders(app)["duur"] == 6 and sliders(app)["bbp_2020"] == -7.7
    assert dict(app.query_params) == {"scenario": "cpb3"}


def test_the_municipality_follows_the_context(warehouse_file, store_url):
    app = run_app(warehouse_file, {"gemeente": "GM0505"}, PAGE)
    assert " in Dordrecht " in sentence(app)
    app.selectbox(key="ctx_gemeente").select("VR18").run()
    assert " in de regio " in sentence(app)


def test_pinned_scenarios_are_compared_per_municipality(warehouse_file, store_url):
    app = run_app(warehouse_file, {"scenario": "cpb1"}, PAGE)
    app.text_input(key="sc_pin_naam").input("Kort").run()
    app.button(key="sc_vastzetten").click().run()
    app.selectbox(key=scenario_settings.PRESET_KEY).select("cpb4").run()
    app.text_input(key="sc_pin_naam").input("Lang & <b>zwaar</b>").run()
    app.button(key="sc_vastzetten").click().run()
    assert not app.exception
    table = next(frame.value for frame in app.dataframe if "Gebied" in frame.value.columns)
    assert list(table.columns) == ["Gebied", "Zonder crisis", "Kort", "Kort: verschil", "Lang & <b>zwaar</b>",
                                   "Lang & <b>zwaar</b>: verschil"]  # fmt: skip
    assert len(table) == 11 and table["Gebied"].iloc[-1] == "Zuid-Holland-Zuid"
    compare = chart_data(app, 1)
    assert {"Kort", "Lang & <b>zwaar</b>", "Zonder crisis", "Waargenomen"} == set(compare["reeks"])
    # the user's name is shown as text: escaped on the button, never as HTML
    assert any(button.label.startswith("Lang \\& \\<b\\>") for button in app.button)
    app.button(key="sc_los_Kort").click().run()
    table = next(frame.value for frame in app.dataframe if "Gebied" in frame.value.columns)
    assert "Kort" not in table.columns


def test_eerst_voorspellen_hides_the_outcome_until_revealed(warehouse_file, store_url):
    app = run_app(warehouse_file, {"scenario": "cpb3"}, PAGE)
    app.toggle(key="sc_voorspellen").set_value(True).run()
    assert sentence(app) == ""
    assert any("Wat denkt u?" in info.value for info in app.info)
    assert set(main_chart(app)["reeks"]) == {"Waargenomen"}
    assert not [metric for metric in app.metric if metric.label == "WW-uitkeringen"]
    app.button(key="sc_onthul").click().run()
    assert sentence(app).startswith("In CPB-scenario 3 ")
    assert "CPB-scenario 3" in set(main_chart(app)["reeks"])
    app.slider(key="sc_duur").set_value(9).run()  # a new question: hidden again
    assert sentence(app) == ""


def test_saved_scenarios_persist_across_sessions_and_load(warehouse_file, store_url):
    app = run_app(warehouse_file, {"scenario": "cpb2", "duur": "8"}, PAGE)
    app.text_input(key="sc_opslaan_naam").input("Acht maanden")
    app.button(key="sc_opslaan_knop").click().run()
    assert any("Opgeslagen als" in success.value for success in app.success)
    other = run_app(warehouse_file, page=PAGE)  # a new session, e.g. another participant
    assert "Acht maanden" in other.selectbox(key="sc_opgeslagen").format_func(
        other.selectbox(key="sc_opgeslagen").value
    )
    other.button(key="sc_laden").click().run()
    assert sliders(other)["duur"] == 8 and sliders(other)["bbp_2020"] == -5.0
    assert other.query_params["duur"] == "8"


def test_an_unreachable_store_is_explained_and_the_page_keeps_working(warehouse_file, monkeypatch):
    monkeypatch.setenv("RATC_STORE_URL", "postgresql+psycopg://ratc:x@127.0.0.1:9/ratc?connect_timeout=2")
    app = run_app(warehouse_file, {"scenario": "cpb1"}, PAGE)
    assert any("niet bereikbaar" in error.value for error in app.error)
    assert sentence(app).startswith("In CPB-scenario 1 ")


def test_settings_file_is_offered_and_an_uploaded_one_loads(warehouse_file, store_url):
    app = run_app(warehouse_file, {"scenario": "cpb3", "steun": "20"}, PAGE)
    download = [button for button in app.get("download_button") if button.proto.id.endswith("-sc_bestand")]
    assert [button.proto.label for button in download] == ["Instellingen downloaden (JSON)"]
    other = run_app(warehouse_file, page=PAGE)
    document = scenario_settings.to_file(scenario_settings.from_params({"scenario": "cpb3", "steun": "20"}, DATA)[0],
                                         "Weinig steun")  # fmt: skip
    other.file_uploader(key="sc_upload").set_value(("scenario.json", document, "application/json")).run()
    assert any("Bestand in orde" in success.value for success in other.success)
    other.button(key="sc_bestand_laden").click().run()
    assert sliders(other)["steun"] == 20 and sliders(other)["duur"] == 6


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"{kapot", "geen geldige JSON"), (json.dumps({"formaat": "ratc-scenario", "versie": 1,
                                                    "instellingen": {"duur_maanden": 99}}).encode(), "duur_maanden")],
)  # fmt: skip
def test_a_bad_settings_file_is_refused_and_nothing_changes(warehouse_file, store_url, content, expected):
    app = run_app(warehouse_file, {"scenario": "cpb1"}, PAGE)
    app.file_uploader(key="sc_upload").set_value(("kapot.json", content, "application/json")).run()
    assert any(expected in error.value.replace("\\", "") for error in app.error)  # shown escaped
    assert sliders(app)["duur"] == 3
    with pytest.raises(KeyError):
        app.button(key="sc_bestand_laden")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"formaat": "ratc-scenario", "versie": ' + b"9" * 5000 + b"}", r"5\.000 cijfers"),
        (b"[" * 40_000, "te diep genest"),
    ],
)
def test_a_hostile_settings_file_gets_a_dutch_message_not_a_crash(warehouse_file, store_url, content, expected):
    app = run_app(warehouse_file, page=PAGE)
    app.file_uploader(key="sc_upload").set_value(("scenario.json", content, "application/json"))
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    assert any(expected in error.value for error in app.error), [error.value for error in app.error]
