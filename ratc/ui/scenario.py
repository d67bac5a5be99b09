"""Streamlit components of the Scenario's page: settings from the link, sliders with the outcome, compare, save."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from ratc.core import charts, context, fmt, metadata, store, text
from ratc.scenario import chart as scenario_chart
from ratc.scenario import model, municipal
from ratc.scenario import parameters as scenario_data
from ratc.scenario import saved as scenario_store
from ratc.scenario import settings as scenario_settings
from ratc.scenario.parameters import INDICATORS, ScenarioData
from ratc.scenario.settings import Settings
from ratc.ui import cache, forms
from ratc.ui import components as ui
from ratc.ui import hangout as session_ui
from ratc.ui import tiles as tiles_ui

MAX_PINNED = 4
SETTINGS = "_scenario_settings"  # the settings last drawn: the sliders come back after a visit to another page
URL = "_scenario_url"  # the page's own params as this page last wrote them into the URL
REVEALED = "_scenario_revealed"  # the outcome 'Onthul' was clicked for
PINNED = "_scenario_pinned"  # [(name, settings)] to compare


@dataclass(frozen=True)
class Inputs:
    """What the parts of the page work from: the model's data, the observations and the area shown."""

    data: ScenarioData
    observations: municipal.Observed
    area_code: str


def inputs(chosen: context.Context) -> Inputs:
    """The scenario data, the observations up to the context's month, and the context's area (else the region)."""
    observations = cache.computed(municipal.observed, chosen.periode)
    return Inputs(scenario_data.load(), observations, chosen.gemeente or metadata.REGION_CODE)


def page_params() -> dict[str, str]:
    """The URL's parameters that belong to this page (everything but the context)."""
    return {name: value for name, value in st.query_params.items() if name not in context.PARAMS}


def apply_settings(settings: Settings, data: ScenarioData) -> None:
    """Put settings into the sliders (before they are drawn, or from a callback)."""
    st.session_state.update(scenario_settings.widget_state(settings, data))
    st.session_state[SETTINGS] = settings


def apply_preset(data: ScenarioData) -> None:
    """A preset sets the sliders; the sensitivities stay as they are."""
    preset = data.presets.get(st.session_state[scenario_settings.PRESET_KEY])
    if preset:
        current = scenario_settings.from_widget_state(st.session_state, data)
        apply_settings(scenario_settings.from_preset(preset, data, dict(current.gevoeligheid)), data)


def slider_moved(data: ScenarioData) -> None:
    """After a slider moves, the preset box says which preset the sliders match, or 'eigen instelling'."""
    apply_settings(scenario_settings.from_widget_state(st.session_state, data), data)


def outcome_key(inputs: Inputs) -> tuple:
    """What an outcome depends on: the settings, the indicator shown and the area."""
    settings = scenario_settings.from_widget_state(st.session_state, inputs.data)
    return settings, st.session_state["sc_toon"], inputs.area_code


def reveal(inputs: Inputs) -> None:
    """Show the outcome of the settings as they are now."""
    st.session_state[REVEALED] = outcome_key(inputs)


def pin(name: str, settings: Settings) -> None:
    """Pin a named scenario for the comparison (at most four; the same name replaces the earlier one)."""
    pinned = [entry for entry in st.session_state.get(PINNED, []) if entry[0] != name]
    st.session_state[PINNED] = [*pinned, (name, settings)][-MAX_PINNED:]


def unpin(name: str) -> None:
    """Take a scenario out of the comparison."""
    st.session_state[PINNED] = [entry for entry in st.session_state.get(PINNED, []) if entry[0] != name]


def share_link(params: dict[str, str]) -> str:
    """The full link to this page with the context and every setting."""
    query = urlencode({**st.session_state.get("_context_url", {}), **params})
    base = st.context.url or "scenarios"
    return f"{base}?{query}" if query else base


def restore_settings(data: ScenarioData) -> None:
    """Before the sliders are drawn: settings from a link that was opened, else those of the last visit."""
    # The URL wins when it changed since this page last wrote it (a shared link was opened); otherwise the sliders
    # keep their state, also after a visit to another page.
    params = page_params()
    if params != st.session_state.get(URL):
        if not params and SETTINGS in st.session_state:
            apply_settings(st.session_state[SETTINGS], data)
        else:
            settings, shown, notices = scenario_settings.from_params(params, data)
            apply_settings(settings, data)
            st.session_state["sc_toon"] = shown
            for notice in notices:
                st.toast(text.escape_markdown(notice), icon=":material/info:")  # it quotes the link
                st.caption(f":material/info: {text.escape_markdown(notice)}")
    last = st.session_state.get(SETTINGS) or scenario_settings.default(data)
    for key, value in scenario_settings.widget_state(last, data).items():
        st.session_state.setdefault(key, value)
    st.session_state.setdefault("sc_toon", scenario_settings.default_indicator())


@st.fragment
def scenario_section(inputs: Inputs) -> None:
    """Sliders and outcome together: moving a slider reruns only this part."""
    controls, outcome = st.columns([0.9, 2.3], gap="medium")
    with controls:
        indicator, guessing = settings_controls(inputs)
    settings = scenario_settings.from_widget_state(st.session_state, inputs.data)
    st.session_state[SETTINGS] = settings
    projection = municipal.project(inputs.observations, settings, inputs.data)
    params = scenario_settings.to_params(settings, inputs.data, indicator)
    hidden = guessing and st.session_state.get(REVEALED) != outcome_key(inputs)
    with outcome:
        outcome_block(inputs, projection, indicator, hidden, params)
    if not hidden:
        for column, tile in zip(st.columns(len(INDICATORS)), model.tiles(projection, inputs.area_code), strict=True):
            with column:
                tiles_ui.show_tile(tile)
    write_url(params)
    pin_column, share_column = st.columns(2, gap="large")
    with pin_column:
        compare_pin_form(settings, inputs.data)
    with share_column:
        share_block(settings, projection.label, params, inputs.area_code)


def decimal_options(low: float, high: float, step: float) -> list[float]:
    """The values of a slider from low to high in steps, rounded to the step's decimals (-7.7, not -7.700000001)."""
    decimals = len(f"{step:g}".partition(".")[2])
    return [round(low + number * step, decimals) for number in range(round((high - low) / step) + 1)]


def decimal_slider(label: str, low: float, high: float, step: float, key: str, **moved) -> float:
    """A slider of decimals with a Dutch decimal comma (-7,7): st.slider's `format` only knows the point."""
    options = decimal_options(low, high, step)
    decimals = len(f"{step:g}".partition(".")[2])
    if key in st.session_state and st.session_state[key] not in options:  # a value from a link or a saved file
        st.session_state[key] = min(options, key=lambda option: abs(option - st.session_state[key]))
    return st.select_slider(label, options, key=key, format_func=lambda value: fmt.number(value, decimals), **moved)


def settings_controls(inputs: Inputs) -> tuple[str, bool]:
    """The indicator box, the preset box, the sliders and 'Eerst voorspellen'; returns the indicator and the toggle."""
    data, observations = inputs.data, inputs.observations
    presets = scenario_settings.preset_choices(data)
    labels = {key: observations.indicators[key]["short_name"] for key in INDICATORS}
    moved = {"on_change": slider_moved, "args": (data,)}
    indicator = st.selectbox("Toon", list(labels), format_func=labels.get, key="sc_toon")
    st.selectbox(
        "Uitgangspunt",
        list(presets),
        format_func=lambda key: presets[key][0],
        key=scenario_settings.PRESET_KEY,
        on_change=apply_preset,
        args=(data,),
        help="Een CPB-scenario zet alle schuiven; daarna kunt u ze verschuiven.",
    )
    detail = presets.get(st.session_state.get(scenario_settings.PRESET_KEY), ("", ""))[1]
    if detail:
        st.caption(detail)
    st.slider("Duur van de maatregelen (maanden vanaf maart 2020)", *scenario_settings.DURATION, key="sc_duur", **moved)
    decimal_slider("Bbp 2020 (% groei)", *scenario_settings.GDP_2020, 0.1, key="sc_bbp2020", **moved)
    decimal_slider("Bbp 2021 (% groei)", *scenario_settings.GDP_2021, 0.1, key="sc_bbp2021", **moved)
    st.slider(
        "Steun (NOW, Tozo): deel van het banenverlies dat wordt opgevangen (%)",
        *scenario_settings.SUPPORT[:2],
        step=scenario_settings.SUPPORT[2],
        key="sc_steun",
        **moved,
    )
    st.select_slider(
        "Steun loopt tot en met",
        scenario_settings.SUPPORT_MONTHS,
        key="sc_steun_tot",
        format_func=scenario_settings.support_end_label,
        **moved,
    )
    st.segmented_control(
        "Herstel: V snel, U geleidelijk, L traag",
        list(scenario_settings.SHAPE_LABELS),
        key="sc_herstel",
        required=True,
        width="stretch",
        help="Hoe snel de werkgelegenheid terugkomt als de economie aantrekt.",
        **moved,
    )
    with st.expander("Gevoeligheid per gemeente"):
        st.caption(
            "1 = gemiddeld; hoger = reageert sterker op de crisis (economische structuur). "
            "De standaardwaarden zijn demo-aannames; een gemeente zonder eigen waarde rekent met 1."
        )
        for code, name in observations.names.items():
            if code in data.parameters.sensitivities:
                key = scenario_settings.sensitivity_key(code)
                decimal_slider(name, *scenario_settings.SENSITIVITY, key=key, **moved)
    guessing = st.toggle(
        "Eerst voorspellen",
        key="sc_voorspellen",
        help="Verbergt de uitkomst tot u op Onthul klikt, zodat de deelnemers eerst raden. "
        "Na elke wijziging is de uitkomst weer verborgen.",
    )
    return indicator, guessing


def outcome_block(
    inputs: Inputs, projection: municipal.Projection, indicator: str, hidden: bool, params: dict[str, str]
) -> None:
    """The sentence (or the question, while hidden), the chart, 'Vastzetten in sessie' and the notes below it."""
    observations, area_code = inputs.observations, inputs.area_code
    if hidden:
        st.info(f"**Wat denkt u?** Hoe ziet {observations.indicators[indicator]['subject']} in "
                f"{observations.names[area_code]} er eind 2021 uit in {projection.label}? Laat iedereen eerst "
                "een schatting geven.", icon=":material/psychology_alt:")  # fmt: skip
        st.button("Onthul", type="primary", icon=":material/visibility:", on_click=reveal, args=(inputs,),
                  key="sc_onthul")  # fmt: skip
    else:
        main, band = model.sentence_parts(projection, indicator, area_code)
        st.markdown(f"**{text.escape_markdown(main)}**")  # the key sentence, not a heading
    figure = scenario_chart.main_figure(projection, indicator, area_code, hidden)
    ui.figure_block(figure, key="scenario_grafiek")
    session_ui.pin_control("scenarios", params, agenda_title(figure, projection, inputs), key="scenario")
    for notice in observations.notices:
        st.caption(f":material/info: {notice}")
    if not hidden:
        st.caption(f"{band} {model.unemployment_summary(projection, inputs.data)}")


def agenda_title(figure: charts.Figure, projection: municipal.Projection, inputs: Inputs) -> str:
    """The title a pinned scenario gets on a hang-out's agenda: chart, scenario and area, also while hidden."""
    preset = scenario_settings.matching_preset(projection.settings, inputs.data)
    name = preset.korte_naam if preset else "eigen instelling"
    return f"{figure.meta.title} — {name}, {inputs.observations.names[inputs.area_code]}"


def write_url(params: dict[str, str]) -> None:
    """Put the settings into the URL (only what changed), so the address bar is always a share link."""
    if params != page_params():
        for name in [name for name in st.query_params if name not in context.PARAMS and name not in params]:
            del st.query_params[name]
        st.query_params.update(params)
    st.session_state[URL] = params


def compare_pin_form(settings: Settings, data: ScenarioData) -> None:
    """'Vastzetten om te vergelijken': a name (suggested from the preset) and the button."""
    st.markdown("**Vastzetten om te vergelijken**")
    name_column, button_column = st.columns([3, 2], vertical_alignment="bottom")
    suggestion = scenario_settings.label(settings, data)
    suggestion = suggestion[0].upper() + suggestion[1:]
    name = name_column.text_input(
        "Naam", placeholder=suggestion, key="sc_pin_naam", max_chars=scenario_settings.NAME_LIMIT
    )
    pinned = st.session_state.get(PINNED, [])
    if button_column.button("Vastzetten", icon=":material/push_pin:", key="sc_vastzetten", width="stretch",
                            disabled=len(pinned) >= MAX_PINNED and name not in [n for n, _ in pinned],
                            help=f"Hoogstens {MAX_PINNED} scenario's naast elkaar."):  # fmt: skip
        pin(text.clean_line(name, scenario_settings.NAME_LIMIT) or suggestion, settings)
        st.rerun()


def share_block(settings: Settings, label: str, params: dict[str, str], area_code: str) -> None:
    """'Delen en bewaren': the share link and the settings file."""
    st.markdown("**Delen en bewaren**")
    st.code(share_link(params), language=None, wrap_lines=True)
    st.download_button(
        "Instellingen downloaden (JSON)", lambda: scenario_settings.to_file(settings, label),
        file_name=f"scenario-{scenario_settings.slugs().get(area_code, 'regio')}.json",
        mime="application/json", icon=":material/download:", on_click="ignore", key="sc_bestand",
    )  # fmt: skip


def model_explanation(data: ScenarioData) -> None:
    """How the model works: the explanation, its parameters and the CPB presets."""
    st.markdown(model.explanation(data))
    st.dataframe(model.parameter_table(data), hide_index=True, width="stretch")
    st.markdown("**De CPB-scenario's** (bbp en werkloosheid: CPB; duur en herstel: CPB of aanname; steun: afgeregeld)")
    st.dataframe(model.preset_table(data), hide_index=True, width="stretch")


@st.fragment
def compare_section(inputs: Inputs) -> None:
    """The pinned scenarios side by side: a chart for the area and a table per municipality."""
    pinned = st.session_state.get(PINNED, [])
    st.header("Vergelijken", divider="gray")
    if not pinned:
        st.caption("Zet hierboven een scenario vast om het hier naast andere scenario's te zien (hoogstens vier).")
        return
    for column, (name, _) in zip(st.columns(MAX_PINNED), pinned, strict=False):
        column.button(f"{text.escape_markdown(name)}", icon=":material/close:", key=f"sc_los_{name}", on_click=unpin,
                      args=(name,), help="Losmaken: uit de vergelijking halen.", width="stretch")  # fmt: skip
    observations = inputs.observations
    labels = {key: observations.indicators[key]["short_name"] for key in INDICATORS}
    st.session_state.setdefault("sc_vergelijk_toon", st.session_state.get("sc_toon", INDICATORS[0]))
    indicator = st.segmented_control(
        "Indicator", list(labels), format_func=labels.get, key="sc_vergelijk_toon", required=True
    )
    runs = [(name, municipal.project(observations, settings, inputs.data, label=name)) for name, settings in pinned]
    ui.figure_block(scenario_chart.compare_figure(runs, indicator, inputs.area_code), key="scenario_vergelijking")
    st.markdown(
        f"**{labels[indicator]} per gemeente**, {municipal.measure_of(observations, indicator)}; "
        "afgerond, met het verschil met zonder crisis"
    )
    table = model.compare_table(runs, indicator)
    st.dataframe(table, hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3)  # every row visible


def saved_section(data: ScenarioData) -> None:
    """Save the current settings in the shared store, load saved ones, or load a settings file."""
    st.header("Opslaan en laden", divider="gray")
    save_column, load_column, file_column = st.columns(3, gap="large")
    with save_column:
        save_form(st.session_state[SETTINGS])
    with load_column:
        stored_scenarios(data)
    with file_column:
        settings_file(data)


def save_form(settings: Settings) -> None:
    """Save the settings as they are now under a name, in the shared store."""
    with st.form("sc_opslaan", border=False):
        name = st.text_input("Naam van het scenario", key="sc_opslaan_naam")
        if st.form_submit_button("Opslaan", icon=":material/save:", key="sc_opslaan_knop"):
            try:
                saved = scenario_store.save(name, settings)
                st.success(f"Opgeslagen als '{text.escape_markdown(saved.name)}'.", icon=":material/check:")
            except ValueError as error:
                st.error(str(error))
            except store.StoreUnavailable as error:
                st.error(str(error), icon=":material/cloud_off:")


def stored_scenarios(data: ScenarioData) -> None:
    """Pick a saved scenario to load or to pin; say which saved ones cannot be loaded and why."""
    try:
        stored = scenario_store.saved(data)
    except store.StoreUnavailable as error:
        st.error(str(error), icon=":material/cloud_off:")
        stored = []
    usable = {entry.scenario_id: entry for entry in stored if entry.settings is not None}
    if not usable:
        st.caption("Nog geen opgeslagen scenario's.")
    else:
        chosen_id = st.selectbox("Opgeslagen scenario's", list(usable), format_func=lambda key: usable[key].label,
                                 key="sc_opgeslagen")  # fmt: skip
        entry = usable[chosen_id]
        load, pin_it = st.columns(2)
        load.button("Laden", icon=":material/upload:", key="sc_laden", on_click=apply_settings,
                    args=(entry.settings, data), width="stretch")  # fmt: skip
        if pin_it.button("Vastzetten", icon=":material/push_pin:", key="sc_opgeslagen_vastzetten", width="stretch"):
            pin(entry.name, entry.settings)
            st.rerun()
    for entry in stored:
        if entry.settings is None:
            st.warning(f"'{text.escape_markdown(entry.name)}' kan niet worden geladen: "
                       f"{text.escape_markdown(entry.problem)}")  # fmt: skip


def settings_file(data: ScenarioData) -> None:
    """Check an uploaded settings file; when it is in order, offer to load it."""
    upload = st.file_uploader("Instellingenbestand laden (JSON)", type=["json"], key="sc_upload")
    if upload is None:
        return
    try:
        name, settings = scenario_settings.from_file(upload.getvalue(), data)
    except scenario_settings.SettingsFileError as error:
        forms.delivery_errors(error.messages)
    else:
        st.success(f"Bestand in orde: '{text.escape_markdown(name or upload.name)}'.", icon=":material/check:")
        st.button("Instellingen uit bestand laden", key="sc_bestand_laden", on_click=apply_settings,
                  args=(settings, data), icon=":material/upload:")  # fmt: skip
