"""The scenario model: CPB presets, no crisis, monotonicity, lags, no negative counts, settings files and links."""

from __future__ import annotations

import dataclasses
import functools
import json
import xml.etree.ElementTree as ElementTree

import altair as alt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies

from ratc.core import export, fmt, metadata, store
from ratc.scenario import chart as scenario_chart
from ratc.scenario import model, municipal, national
from ratc.scenario import parameters as scenario_data
from ratc.scenario import saved as scenario_store
from ratc.scenario import settings as scenario_settings
from ratc.scenario.parameters import INDICATORS
from ratc.scenario.settings import Settings, SettingsFileError
from ratc.warehouse import db

DATA = scenario_data.load()
CPB = [key for key in DATA.presets if key != "geen-crisis"]
# The CPB's published figures (26 March 2020 scenarios; June 2020 base case): GDP and unemployment 2020/2021.
CPB_FIGURES = {
    "cpb1": (-1.2, 3.5, 4.0, 4.5, 3),
    "cpb2": (-5.0, 3.8, 4.2, 5.3, 6),
    "cpb3": (-7.7, 2.0, 6.3, 8.4, 6),
    "cpb4": (-7.3, -2.7, 6.1, 9.4, 12),
    "cpb-juni": (-6.4, 3.3, 5.0, 7.0, None),
}
# every slider a preset sets, over its whole range (hypothesis strategies)
SLIDERS = {
    "duur": strategies.integers(*scenario_settings.DURATION),
    "bbp_2020": strategies.integers(-120, 40).map(lambda tenths: tenths / 10),
    "bbp_2021": strategies.integers(-60, 80).map(lambda tenths: tenths / 10),
    "steun": strategies.sampled_from(range(0, 101, 5)),
    "steun_tot": strategies.sampled_from(scenario_settings.SUPPORT_MONTHS),
    "herstel": strategies.sampled_from("VUL"),
}
START_MONTHS = ["2021-12", "2020-06", "2020-11", "2021-05"]  # 2021-12: data run to the horizon, start Feb 2020


@pytest.fixture(scope="module")
def query(warehouse_file):
    """The uncached query function the pages use."""
    connection = db.open_warehouse(warehouse_file)
    yield functools.partial(db.run_query, connection)
    connection.close()


@pytest.fixture(scope="module")
def observed(query):
    """Observations as known at each 'stand per' month."""
    return {month: municipal.observed(query, month) for month in START_MONTHS}


def preset(key: str) -> Settings:
    """A preset's settings."""
    return scenario_settings.from_preset(DATA.presets[key], DATA)


def values(projection, series="scenario") -> np.ndarray:
    """Every path value of one series, all indicators and areas."""
    return np.concatenate([paths[series] for paths in projection.paths.values()])


@pytest.mark.parametrize("key", CPB)
def test_presets_hold_the_cpb_figures_exactly(key):
    chosen = DATA.presets[key]
    gdp_2020, gdp_2021, unemployment_2020, unemployment_2021, months = CPB_FIGURES[key]
    assert (chosen.bbp_2020, chosen.bbp_2021) == (gdp_2020, gdp_2021)
    assert (chosen.werkloosheid_2020, chosen.werkloosheid_2021) == (unemployment_2020, unemployment_2021)
    if months is not None:
        assert chosen.duur_maanden == months


@pytest.mark.parametrize("key", CPB)
def test_presets_reproduce_the_cpb_unemployment_within_two_tenths(key):
    path = national.national_path(preset(key), DATA)
    assert path.annual_unemployment(2020) == pytest.approx(DATA.presets[key].werkloosheid_2020, abs=0.2)
    assert path.annual_unemployment(2021) == pytest.approx(DATA.presets[key].werkloosheid_2021, abs=0.2)


@pytest.mark.parametrize("key", CPB)
def test_preset_support_is_what_calibration_finds(key):
    level, end, miss = national.calibrate_support(DATA.presets[key], DATA)
    assert (DATA.presets[key].steun_pct, DATA.presets[key].steun_tot) == (level, end)
    assert miss < 0.2


@pytest.mark.parametrize("key", CPB + ["geen-crisis"])
def test_gdp_path_meets_the_annual_growth(key):
    gap = national.gdp_gap(preset(key), DATA)
    growth = DATA.parameters.value("bbp_groei_basis") / 100
    chosen = DATA.presets[key]
    level_2020 = (1 + chosen.bbp_2020 / 100) / (1 + growth) - 1
    level_2021 = (1 + chosen.bbp_2020 / 100) * (1 + chosen.bbp_2021 / 100) / (1 + growth) ** 2 - 1
    assert gap[:12].mean() == pytest.approx(level_2020 * 100)
    assert gap[12:].mean() == pytest.approx(level_2021 * 100)


def test_no_crisis_preset_is_the_baseline_of_2019():
    path = national.national_path(preset("geen-crisis"), DATA)
    assert np.allclose(path.gdp_gap, 0) and np.allclose(path.unemployment, DATA.parameters.value("werkloosheid_basis"))


@pytest.mark.parametrize("month", START_MONTHS)
def test_no_crisis_equals_the_baseline_everywhere(observed, month):
    projection = municipal.project(observed[month], preset("geen-crisis"), DATA)
    for paths in projection.paths.values():
        assert np.allclose(paths["scenario"], paths["zonder_crisis"])
        assert np.allclose(paths["laag"], paths["zonder_crisis"]) and np.allclose(paths["hoog"], paths["zonder_crisis"])


def test_other_sliders_change_nothing_while_gdp_stays_on_the_no_crisis_path(observed):
    calm = dataclasses.replace(preset("geen-crisis"), duur=9, herstel="L")
    projection = municipal.project(observed["2021-12"], calm, DATA)
    assert np.allclose(values(projection), values(projection, "zonder_crisis"))


def test_without_crisis_benefits_stay_at_their_february_2020_level(observed):
    projection = municipal.project(observed["2021-12"], preset("geen-crisis"), DATA)
    history = observed["2021-12"].history.set_index(["indicator_id", "area_code", "period_key"])["value"]
    for indicator in ("ww_uitkeringen", "bijstand_uitkeringen"):
        for code in ("GM0505", metadata.REGION_CODE):
            expected = history[(indicator, code, "2020-02")]
            assert np.allclose(projection.paths[(indicator, code)]["zonder_crisis"], expected)


@pytest.mark.parametrize("month", START_MONTHS)
@pytest.mark.parametrize("field", ["bbp_2020", "bbp_2021"])
@pytest.mark.parametrize("key", ["cpb1", "cpb3", "cpb4"])
def test_more_gdp_loss_never_gives_better_outcomes(observed, month, field, key):
    low, high = {"bbp_2020": (-12.0, 4.0), "bbp_2021": (-6.0, 8.0)}[field]
    previous = None
    for value in np.linspace(high, low, 9):
        projection = municipal.project(
            observed[month], dataclasses.replace(preset(key), **{field: round(value, 1)}), DATA
        )
        table = municipal.headline(projection).set_index(["area_code", "indicator_id"])["scenario"]
        unemployment = national.national_path(projection.settings, DATA).unemployment
        # from before the crisis every month is monotone; from a later start the headline numbers
        current = values(projection) if month == "2021-12" else table.to_numpy()
        if previous is not None:
            assert (current >= previous[0] - 1e-9).all(), f"{field}={value}"
            assert (unemployment >= previous[1] - 1e-9).all()
        previous = (current, unemployment)


def test_unemployment_reacts_to_gdp_after_its_lag_and_bijstand_after_ww():
    chosen = preset("cpb3")
    lag = int(DATA.parameters.value("werkloosheid_vertraging"))
    unemployment = national.unemployment(chosen, DATA)
    base = DATA.parameters.value("werkloosheid_basis")
    first_rise = int(np.argmax(unemployment > base + 1e-9))
    assert first_rise == national.CRISIS_START + lag
    effects = national.indicator_effects(chosen, DATA)
    ww_lag = int(DATA.parameters.value("vertraging", "ww_uitkeringen"))
    bijstand_lag = int(DATA.parameters.value("vertraging", "bijstand_uitkeringen"))
    ratio = DATA.parameters.value("elasticiteit", "bijstand_uitkeringen") / DATA.parameters.value(
        "elasticiteit", "ww_uitkeringen"
    )
    assert int(np.argmax(effects["ww_uitkeringen"] > 0)) == first_rise + ww_lag
    assert int(np.argmax(effects["bijstand_uitkeringen"] > 0)) == first_rise + ww_lag + bijstand_lag
    # bijstand is the WW's course, `vertraging` months later, at its own elasticity
    shifted = np.concatenate([np.zeros(bijstand_lag), effects["ww_uitkeringen"][:-bijstand_lag]])
    assert np.allclose(effects["bijstand_uitkeringen"], shifted * ratio)
    schuldhulp_lag = int(DATA.parameters.value("vertraging", "schuldhulp_aanmeldingen"))
    assert int(np.argmax(effects["schuldhulp_aanmeldingen"] > 0)) == first_rise + schuldhulp_lag


def test_support_holds_bankruptcies_back_and_they_come_after_it_ends():
    chosen = dataclasses.replace(preset("cpb3"), steun=80, steun_tot="2020-12")
    effect = national.indicator_effects(chosen, DATA)["faillissementen"]
    without = national.indicator_effects(dataclasses.replace(chosen, steun=0), DATA)["faillissementen"]
    end = national.MONTHS.index("2020-12")
    catch_up = int(DATA.parameters.value("faillissementen_inhaal", "faillissementen"))
    assert (effect[national.CRISIS_START : end + 1] < without[national.CRISIS_START : end + 1]).all()
    assert (effect[end + 1 : end + 1 + catch_up] > without[end + 1 : end + 1 + catch_up]).all()


def test_a_longer_support_lowers_unemployment_while_it_lasts():
    short = national.unemployment(dataclasses.replace(preset("cpb3"), steun_tot="2020-06"), DATA)
    long = national.unemployment(dataclasses.replace(preset("cpb3"), steun_tot="2021-06"), DATA)
    assert (long[: national.MONTHS.index("2021-06") + 1] <= short[: national.MONTHS.index("2021-06") + 1] + 1e-9).all()
    assert long[national.MONTHS.index("2020-12")] < short[national.MONTHS.index("2020-12")]


def test_an_l_shaped_recovery_keeps_unemployment_higher_than_a_v():
    shapes = {shape: national.unemployment(dataclasses.replace(preset("cpb2"), herstel=shape), DATA) for shape in "VUL"}
    assert (shapes["L"] >= shapes["U"] - 1e-9).all() and (shapes["U"] >= shapes["V"] - 1e-9).all()
    assert shapes["L"][-1] > shapes["V"][-1]


def test_a_more_sensitive_municipality_moves_further_from_no_crisis(observed):
    projection = municipal.project(observed["2021-12"], preset("cpb3"), DATA)
    # Sliedrecht (1.45) against Molenlanden (0.75), relative to their own level without crisis
    relative = {
        code: projection.paths[("ww_uitkeringen", code)]["scenario"][-1]
        / projection.paths[("ww_uitkeringen", code)]["zonder_crisis"][-1]
        for code in ("GM0610", "GM1978")
    }
    assert relative["GM0610"] > relative["GM1978"] > 1


def test_a_municipality_without_its_own_sensitivity_reacts_as_the_average(observed):
    # A warehouse may hold municipalities parameters.csv does not name (a national data dir): they count with 1.
    named = preset("cpb3")
    unnamed = dataclasses.replace(named, gevoeligheid=tuple(p for p in named.gevoeligheid if p[0] != "GM0610"))
    average = dataclasses.replace(
        named, gevoeligheid=tuple((code, 1.0 if code == "GM0610" else value) for code, value in named.gevoeligheid)
    )
    assert named.sensitivity("GM0610") != 1.0 and unnamed.sensitivity("GM0610") == 1.0
    paths = {
        label: municipal.project(observed["2021-12"], settings, DATA).paths[("ww_uitkeringen", "GM0610")]["scenario"]
        for label, settings in (("named", named), ("unnamed", unnamed), ("average", average))
    }
    assert np.array_equal(paths["unnamed"], paths["average"])
    assert not np.array_equal(paths["unnamed"], paths["named"])


@pytest.mark.parametrize("month", START_MONTHS)
def test_region_is_the_sum_of_its_municipalities_and_the_band_holds_the_scenario(observed, month):
    projection = municipal.project(observed[month], preset("cpb4"), DATA)
    for indicator in INDICATORS:
        for series in municipal.SERIES:
            parts = sum(projection.paths[(indicator, code)][series] for code in observed[month].codes)
            assert np.allclose(projection.paths[(indicator, metadata.REGION_CODE)][series], parts)
    assert (values(projection, "laag") <= values(projection) + 1e-9).all()
    assert (values(projection) <= values(projection, "hoog") + 1e-9).all()


def test_projection_starts_after_the_last_observed_month(observed):
    assert observed["2020-06"].start == "2020-06" and observed["2020-06"].notices == ()
    projection = municipal.project(observed["2020-06"], preset("cpb2"), DATA)
    assert projection.months[0] == "2020-07" and projection.months[-1] == "2021-12"
    assert observed["2021-12"].start == "2020-02"
    assert "vanaf februari 2020" in observed["2021-12"].notices[0]


def test_stocks_start_from_the_observed_level(observed):
    projection = municipal.project(observed["2020-06"], preset("cpb3"), DATA)
    history = observed["2020-06"].history.set_index(["indicator_id", "area_code", "period_key"])["value"]
    fade = 0.5 ** (1 / DATA.parameters.value("aansluiting_halveringstijd", "regio"))
    for code in ("GM0505", "GM0610"):
        observed_june = history[("ww_uitkeringen", code, "2020-06")]
        base = observed["2020-06"].base["ww_uitkeringen"][observed["2020-06"].codes.index(code)]
        july = projection.paths[("ww_uitkeringen", code)]["zonder_crisis"][0]
        assert july == pytest.approx(base + (observed_june - base) * fade)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    **SLIDERS,
    sensitivity=strategies.sampled_from([0.5, 1.0, 2.0]),
    month=strategies.sampled_from(START_MONTHS),
)
def test_no_count_is_ever_negative(observed, duur, bbp_2020, bbp_2021, steun, steun_tot, herstel, sensitivity, month):
    sensitivities = tuple((code, sensitivity) for code, _ in preset("cpb3").gevoeligheid)
    chosen = Settings(duur, bbp_2020, bbp_2021, steun, steun_tot, herstel, sensitivities)
    projection = municipal.project(observed[month], chosen, DATA)
    for series in municipal.SERIES:
        found = values(projection, series)
        assert np.isfinite(found).all() and (found >= 0).all()


def test_headline_numbers_and_sentence_agree(observed):
    projection = municipal.project(observed["2021-12"], preset("cpb3"), DATA)
    table = municipal.headline(projection).set_index(["area_code", "indicator_id"])
    row = table.loc[(metadata.REGION_CODE, "bijstand_uitkeringen")]
    assert row["scenario"] == pytest.approx(projection.paths[("bijstand_uitkeringen", "VR18")]["scenario"][-1])
    assert row["verschil"] == pytest.approx(row["scenario"] - row["zonder_crisis"])
    text = model.sentence(projection, "bijstand_uitkeringen", metadata.REGION_CODE)
    value = scenario_chart.rounded(row["scenario"])
    difference = scenario_chart.rounded(row["verschil"])
    assert text.startswith("In CPB-scenario 3 stijgt het aantal bijstandsuitkeringen in de regio tot ")
    assert f"tot {fmt.number(value)} eind 2021, {fmt.number(difference)} meer dan zonder crisis." in text
    bankruptcies = table.loc[("GM0505", "faillissementen")]
    total = projection.paths[("faillissementen", "GM0505")]["scenario"].sum()
    assert bankruptcies["scenario"] == pytest.approx(total) and bankruptcies["maat"] == "samen mrt 2020 – dec 2021"


@pytest.mark.parametrize(
    ("number", "expected"), [(9812.0, 9800.0), (1949.0, 1900.0), (-1951.0, -2000.0), (236.0, 240.0), (7.4, 7.0)]
)
def test_outcomes_are_rounded_to_what_the_model_can_claim(number, expected):
    assert scenario_chart.rounded(number) == expected


def test_no_crisis_sentence_does_not_compare_with_itself(observed):
    projection = municipal.project(observed["2021-12"], preset("geen-crisis"), DATA)
    text = model.sentence(projection, "ww_uitkeringen", "GM0505")
    assert text.startswith("In het scenario zonder crisis blijft het aantal WW-uitkeringen in Dordrecht rond ")
    assert "zonder crisis." not in text.split("rond")[1]


@pytest.mark.parametrize("key", list(DATA.presets))
def test_share_link_parameters_round_trip(key):
    chosen = preset(key)
    params = scenario_settings.to_params(chosen, DATA, "faillissementen")
    restored, indicator, notices = scenario_settings.from_params(params, DATA)
    assert (restored, indicator, notices) == (chosen, "faillissementen", [])
    if key == DATA.default_preset.preset_id:
        assert params == {"toon": "faillissementen"}
    else:
        assert params == {"scenario": key, "toon": "faillissementen"}


@settings(max_examples=80, deadline=None)
@given(
    **SLIDERS,
    sliedrecht=strategies.integers(10, 40).map(lambda twentieths: round(twentieths * 0.05, 2)),
)
def test_any_settings_survive_a_link_and_a_settings_file(
    duur, bbp_2020, bbp_2021, steun, steun_tot, herstel, sliedrecht
):
    sensitivities = dict(DATA.parameters.sensitivities, GM0610=sliedrecht)
    chosen = Settings(duur, bbp_2020, bbp_2021, steun, steun_tot, herstel, tuple(sorted(sensitivities.items())))
    assert scenario_settings.from_params(scenario_settings.to_params(chosen, DATA), DATA)[0] == chosen
    assert scenario_settings.from_file(scenario_settings.to_file(chosen, "Test"), DATA) == ("Test", chosen)
    assert scenario_settings.from_widget_state(scenario_settings.widget_state(chosen, DATA), DATA) == chosen


def test_a_link_with_a_changed_slider_keeps_the_preset_and_the_change():
    params = {"scenario": "cpb3", "duur": "9", "gv_sliedrecht": "1.6", "steun_tot": "2021-03"}
    chosen, indicator, notices = scenario_settings.from_params(params, DATA)
    assert notices == [] and indicator == "ww_uitkeringen"
    assert (chosen.duur, chosen.bbp_2020, chosen.steun_tot, chosen.sensitivity("GM0610")) == (9, -7.7, "2021-03", 1.6)
    assert scenario_settings.matching_preset(chosen, DATA) is None
    assert scenario_settings.from_params(scenario_settings.to_params(chosen, DATA), DATA)[0] == chosen


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"scenario": "cpb9"}, "Scenario 'cpb9' bestaat niet"),
        ({"duur": "zes"}, "'duur=zes' is ongeldig (verwacht: een geheel aantal maanden van 0 tot en met 15)"),
        ({"duur": "40"}, "'duur=40' is ongeldig"),
        ({"bbp2020": "-30"}, "'bbp2020=-30' is ongeldig (verwacht: een getal van -12,0 tot en met 4,0%"),
        ({"bbp2021": "1.234"}, "'bbp2021=1.234' is ongeldig"),
        ({"steun": "33"}, "'steun=33' is ongeldig (verwacht: 0 tot en met 100 in stappen van 5)"),
        ({"steun_tot": "2022-05"}, "'steun_tot=2022-05' is ongeldig"),
        ({"herstel": "W"}, "'herstel=W' is ongeldig (verwacht: V, U of L)"),
        ({"gv_rotterdam": "1.2"}, "'gv_rotterdam' is geen gemeente met een eigen gevoeligheid"),
        ({"gv_dordrecht": "9"}, "'gv_dordrecht=9' is ongeldig"),
        ({"toon": "covid_meldingen"}, "'toon=covid_meldingen' is geen indicator van dit model"),
    ],
)
def test_invalid_link_parameters_fall_back_with_a_dutch_notice(params, expected):
    chosen, indicator, notices = scenario_settings.from_params(params, DATA)
    assert len(notices) == 1 and expected in notices[0], notices
    assert chosen == scenario_settings.default(DATA) and indicator == "ww_uitkeringen"


def good_document() -> dict:
    """A valid settings file as a dict."""
    return json.loads(scenario_settings.to_file(preset("cpb2"), "CPB 2"))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"dit is geen json", "geen geldige JSON (regel 1, kolom 1)"),
        (b"\xff\xfe\x00", "geen tekstbestand (UTF-8)"),
        (b"[1, 2]", "geen scenariobestand van de RAT-C monitor"),
        (json.dumps({**good_document(), "formaat": "iets"}).encode(), "het veld 'formaat'"),
        (json.dumps({**good_document(), "versie": 7}).encode(), "Versie 7 van het scenariobestand"),
        (json.dumps({**good_document(), "instellingen": "x"}).encode(), "'instellingen' ontbreekt of is geen object"),
        (b"{" + b" " * 200_000 + b"}", "te groot"),
        # hostile files that crashed the page with Python's own English error before they were bounded
        (b'{"formaat": "ratc-scenario", "versie": ' + b"9" * 5000 + b"}", "een getal van 5.000 cijfers; hoogstens"),
        (b"[" * 40_000, "te diep genest (40.000 niveaus"),
        (b'{"a": ' * 30 + b"1" + b"}" * 30, "te diep genest (30 niveaus"),
        (json.dumps({**good_document(), "versie": 1e300}).replace("1e+300", "1e999").encode(), "te groot of te lang"),
        (b'{"formaat": NaN}', "bevat NaN"),
        (b'{"formaat": -Infinity}', "bevat -Infinity"),
        (json.dumps('\\" ' + "[" * 40).encode(), "geen scenariobestand"),  # brackets in a string do not nest
    ],
)
def test_bad_settings_files_are_refused_with_a_dutch_reason(content, expected):
    with pytest.raises(SettingsFileError) as error:
        scenario_settings.from_file(content, DATA)
    assert any(expected in message for message in error.value.messages), error.value.messages


JSON_VALUES = strategies.recursive(
    strategies.none() | strategies.booleans() | strategies.integers() | strategies.floats() | strategies.text(),
    lambda children: strategies.lists(children) | strategies.dictionaries(strategies.text(), children),
    max_leaves=30,
)


def assert_settings_or_dutch_message(content: bytes) -> None:
    """The reader's contract: any bytes give settings, or SettingsFileError with Dutch messages; nothing else."""
    try:
        name, loaded = scenario_settings.from_file(content, DATA)
    except SettingsFileError as error:
        assert error.messages and all(isinstance(message, str) and message for message in error.messages)
        assert not any(word in " ".join(error.messages) for word in ("Traceback", "Exceeds the limit", "Error:"))
    else:
        assert isinstance(name, str) and isinstance(loaded, Settings)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.binary(max_size=2_000))
def test_any_bytes_give_settings_or_a_dutch_message(content):
    assert_settings_or_dutch_message(content)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.sampled_from(list(good_document()["instellingen"]) + ["naam", "versie", "formaat"]), JSON_VALUES,
       strategies.integers(0, 60))  # fmt: skip
def test_any_json_in_a_settings_file_gives_settings_or_a_dutch_message(field, value, nesting):
    document = good_document()
    if field in document["instellingen"]:
        document["instellingen"][field] = value
    else:
        document[field] = value
    text_form = json.dumps(document, allow_nan=True)
    assert_settings_or_dutch_message(text_form.encode())
    assert_settings_or_dutch_message(("[" * nesting + text_form + "]" * nesting).encode())
    assert_settings_or_dutch_message(text_form.replace("1", "1" * (nesting * 100 + 1)).encode())


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("duur_maanden", 6.5, "Veld 'duur_maanden': 6.5 is ongeldig"),
        ("duur_maanden", True, "Veld 'duur_maanden': true is ongeldig"),
        ("bbp_2020_pct", "veel", "Veld 'bbp_2020_pct': \"veel\" is ongeldig"),
        ("bbp_2021_pct", 12, "Veld 'bbp_2021_pct': 12 is ongeldig (verwacht: een getal van -6,0 tot en met 8,0%"),
        ("steun_pct", 101, "Veld 'steun_pct': 101 is ongeldig"),
        ("steun_tot", "december", "Veld 'steun_tot': \"december\" is ongeldig"),
        ("herstel", "v", "Veld 'herstel': \"v\" is ongeldig"),
        ("gevoeligheid", {"GM0505": 3}, "Veld 'gevoeligheid' voor GM0505: 3 is ongeldig"),
        ("gevoeligheid", {"GM0363": 1.0}, "'GM0363' is geen gemeente met een eigen gevoeligheid"),
        ("gevoeligheid", [1, 2], "Veld 'gevoeligheid' is geen object"),
    ],
)
def test_every_bad_field_of_a_settings_file_is_named(field, value, expected):
    document = good_document()
    document["instellingen"][field] = value
    del document["instellingen"]["herstel" if field == "duur_maanden" else "duur_maanden"]
    with pytest.raises(SettingsFileError) as error:
        scenario_settings.from_file(json.dumps(document).encode(), DATA)
    messages = error.value.messages
    assert any(expected in message for message in messages), messages
    assert any("ontbreekt" in message for message in messages)  # the deleted field is reported too


def test_settings_file_name_is_cleaned():
    document = good_document()
    document["naam"] = "  Lange\nlockdown\x00 " + "x" * 200
    name, _ = scenario_settings.from_file(json.dumps(document).encode(), DATA)
    assert name.startswith("Lange lockdown x") and len(name) == scenario_settings.NAME_LIMIT


def test_parameter_file_explains_every_row_and_uses_the_demo_sensitivities():
    table = DATA.parameters.table
    assert (table["uitleg"].str.len() > 20).all() and (table["bron"].str.len() > 10).all()
    demo = pd.read_csv(scenario_data.scenario_dir().parent / "demo" / "sensitivity.csv")
    assert DATA.parameters.sensitivities == pytest.approx(
        dict(zip(demo["area_code"], demo["crisis_sensitivity"], strict=True))
    )
    sensitivity_rows = table[table["parameter"] == "gevoeligheid"]
    assert sensitivity_rows["bron"].str.startswith("Demo-aanname").all()


def test_no_crisis_preset_uses_the_model_baseline():
    no_crisis = DATA.no_crisis
    growth = DATA.parameters.value("bbp_groei_basis")
    assert (no_crisis.bbp_2020, no_crisis.bbp_2021, no_crisis.duur_maanden, no_crisis.steun_pct) == (
        growth,
        growth,
        0,
        0,
    )
    assert no_crisis.werkloosheid_2020 == no_crisis.werkloosheid_2021 == DATA.parameters.value("werkloosheid_basis")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("okun_coefficient,NL,4,1,3,x,Okun,uitleg genoeg,bron", "laag <= waarde <= hoog klopt niet"),
        ("okun_coefficient,NL,veel,1,3,x,Okun,uitleg genoeg,bron", "'veel' in waarde is geen getal"),
        ("okun_coefficient,NL,1,1,1,x,Okun,,", "uitleg en bron zijn verplicht"),
    ],
)
def test_a_broken_parameter_file_is_refused_naming_the_row(tmp_path, row, expected):
    folder = tmp_path / "data"
    (folder / "scenario").mkdir(parents=True)
    (folder / "areas.csv").write_text((scenario_data.scenario_dir().parent / "areas.csv").read_text())
    original = (scenario_data.scenario_dir() / "parameters.csv").read_text().splitlines()
    lines = [line for line in original if not line.startswith("okun_coefficient,")] + [row]
    (folder / "scenario" / "parameters.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(scenario_data.ScenarioDataError, match="parameters.csv") as error:
        scenario_data.read_parameters(folder)
    assert expected in str(error.value) and f"rij {len(lines)}" in str(error.value)


def test_parameter_file_without_a_row_for_some_municipality_loads_and_counts_it_as_average(tmp_path):
    folder = tmp_path / "data"
    (folder / "scenario").mkdir(parents=True)
    (folder / "areas.csv").write_text((scenario_data.scenario_dir().parent / "areas.csv").read_text())
    original = (scenario_data.scenario_dir() / "parameters.csv").read_text().splitlines()
    lines = [line for line in original if not line.startswith("gevoeligheid,GM0505,")]
    assert len(lines) == len(original) - 1
    (folder / "scenario" / "parameters.csv").write_text("\n".join(lines) + "\n")
    parameters = scenario_data.read_parameters(folder)
    assert "GM0505" not in parameters.sensitivities and len(parameters.sensitivities) == 9
    settings = dataclasses.replace(preset("cpb3"), gevoeligheid=tuple(sorted(parameters.sensitivities.items())))
    assert settings.sensitivity("GM0505") == scenario_settings.AVERAGE_SENSITIVITY == 1.0
    data = dataclasses.replace(DATA, parameters=parameters)
    assert "gv_dordrecht" not in scenario_settings.to_params(settings, data, None)  # average is its default
    # without a slider of its own, a link cannot move it either: the page and a pinned view agree
    back, _, notices = scenario_settings.from_params({"gv_dordrecht": "1.5"}, data)
    assert back.sensitivity("GM0505") == 1.0
    assert notices == ["'gv_dordrecht' is geen gemeente met een eigen gevoeligheid; de parameter wordt genegeerd."]


def test_a_sensitivity_for_a_code_that_is_no_municipality_is_refused(tmp_path):
    folder = tmp_path / "data"
    (folder / "scenario").mkdir(parents=True)
    (folder / "areas.csv").write_text((scenario_data.scenario_dir().parent / "areas.csv").read_text())
    original = (scenario_data.scenario_dir() / "parameters.csv").read_text()
    (folder / "scenario" / "parameters.csv").write_text(
        original.replace("gevoeligheid,GM0505,", "gevoeligheid,GM5050,")
    )
    with pytest.raises(scenario_data.ScenarioDataError, match="gevoeligheid voor GM5050: geen gemeente in areas.csv"):
        scenario_data.read_parameters(folder)


def test_view_figure_and_headline_table_work_from_link_parameters(query):
    params = {"scenario": "cpb3", "toon": "bijstand_uitkeringen", "gemeente": "GM0505", "periode": "2020-06"}
    figure = model.view_figure(params, query)
    assert figure.meta.title == "Lopende bijstandsuitkeringen: scenario tot eind 2021"
    assert figure.meta.subtitle == "Dordrecht · CPB-scenario 3 · model vanaf jun 2020"
    assert set(figure.data["reeks"]) == {"Waargenomen", "Zonder crisis", "CPB-scenario 3"}
    assert figure.spec["datasets"]["reeksen"] and figure.meta.is_demo
    table = model.headline_table(params, query)
    assert len(table) == 11 * len(INDICATORS)
    assert list(table.columns) == ["gebied_code", "gebied", "indicator_id", "indicator", "maat", "scenario",
                                   "zonder_crisis", "verschil", "laag", "hoog"]  # fmt: skip
    expected = municipal.project(municipal.observed(query, "2020-06"), preset("cpb3"), DATA)
    row = table[(table["gebied_code"] == "GM0505") & (table["indicator_id"] == "bijstand_uitkeringen")].iloc[0]
    assert row["scenario"] == pytest.approx(expected.paths[("bijstand_uitkeringen", "GM0505")]["scenario"][-1])
    assert row["gebied"] == "Dordrecht" and row["maat"] == "eind 2021"


def test_hidden_figure_shows_only_what_was_observed(observed):
    projection = municipal.project(observed["2020-06"], preset("cpb3"), DATA)
    figure = scenario_chart.main_figure(projection, "ww_uitkeringen", "VR18", hide_outcome=True)
    assert set(figure.data["reeks"]) == {"Waargenomen"} and figure.data["maand"].max() == "2020-06"
    assert "verborgen" in figure.description and figure.spec["datasets"]["eindlabels"] == []


def test_compare_table_shows_each_pinned_scenario_and_its_difference(observed):
    runs = [(name, municipal.project(observed["2021-12"], preset(key), DATA, label=name))
            for name, key in (("Kort", "cpb1"), ("Lang", "cpb4"))]  # fmt: skip
    table = model.compare_table(runs, "ww_uitkeringen")
    assert list(table.columns) == ["Gebied", "Zonder crisis", "Kort", "Kort: verschil", "Lang", "Lang: verschil"]
    assert list(table["Gebied"]) == [
        *[observed["2021-12"].names[c] for c in observed["2021-12"].codes],
        "Zuid-Holland-Zuid",
    ]
    region = table.iloc[-1]
    expected = scenario_chart.rounded(runs[1][1].paths[("ww_uitkeringen", "VR18")]["scenario"][-1])
    assert region["Lang"] == fmt.number(expected) and region["Lang: verschil"].startswith("+")


def test_saved_scenarios_persist_and_come_back_validated(any_store_url):
    chosen = dataclasses.replace(preset("cpb3"), duur=9)
    saved = scenario_store.save("  Lange\tlockdown ", chosen)
    assert saved.name == "Lange lockdown"
    listed = scenario_store.saved(DATA)
    assert [entry.name for entry in listed] == ["Lange lockdown"] and listed[0].settings == chosen
    assert scenario_store.load(saved.scenario_id, DATA).settings == chosen
    with pytest.raises(ValueError, match="Geef het scenario een naam"):
        scenario_store.save("   ", chosen)
    for name in ("x" * 61, "x" * 100_001):  # refused, never cut to the limit
        with pytest.raises(ValueError, match="hoogstens 60"):
            scenario_store.save(name, chosen)
    assert len(scenario_store.saved(DATA)) == 1
    with pytest.raises(KeyError):
        scenario_store.load("bestaat-niet", DATA)


def test_a_stored_scenario_that_no_longer_validates_is_listed_with_its_problem(any_store_url):
    saved = scenario_store.save("Oud", preset("cpb1"))
    with store.begin() as connection:
        connection.execute(
            scenario_store.SCENARIOS.update()
            .where(scenario_store.SCENARIOS.c.scenario_id == saved.scenario_id)
            .values(settings_json='{"formaat": "ratc-scenario", "versie": 1, "instellingen": {"duur_maanden": 99}}')
        )
    entry = scenario_store.saved(DATA)[0]
    assert entry.settings is None and "duur_maanden" in entry.problem


def test_an_unreachable_store_says_so_in_dutch():
    with pytest.raises(store.StoreUnavailable, match="niet bereikbaar"):
        scenario_store.saved(DATA, url="postgresql+psycopg://ratc:x@127.0.0.1:9/ratc?connect_timeout=2")


@pytest.mark.parametrize("hidden", [False, True])
def test_scenario_charts_are_valid_vega_lite_and_export_with_their_labels(observed, hidden):
    projection = municipal.project(observed["2021-12"], preset("cpb3"), DATA)
    figure = scenario_chart.main_figure(projection, "bijstand_uitkeringen", "VR18", hide_outcome=hidden)
    compare = scenario_chart.compare_figure([("Kort", projection), ("Lang", projection)], "ww_uitkeringen", "GM0505")
    for spec in (figure.spec, compare.spec):
        alt.VConcatChart.from_dict(spec)  # raises on a spec Vega-Lite would not accept
    root = ElementTree.fromstring(export.svg(figure.spec))
    texts = ["".join(element.itertext()) for element in root.iter() if element.tag.endswith("}text")]
    assert figure.meta.title in texts and figure.meta.subtitle in texts
    # the source line, wrapped onto two lines beside the sliders, is all there
    assert " ".join(texts).count(" ".join(figure.meta.source_line.split()[:4])) == 1 and "(Demodata);" in " ".join(
        texts
    )
    end = fmt.number(scenario_chart.rounded(projection.paths[("bijstand_uitkeringen", "VR18")]["scenario"][-1]))
    assert (end in texts) is not hidden
    assert ("Hoe loopt het verder?" in texts) is hidden
