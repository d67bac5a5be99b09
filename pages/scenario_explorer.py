"""Scenario's: what if the crisis runs like CPB scenario 3? Live sliders, comparison, sharing and guessing first."""

from urllib.parse import urlencode

import streamlit as st

from ratc import (
    cache,
    context,
    metadata,
    scenario,
    scenario_chart,
    scenario_data,
    scenario_settings,
    scenario_store,
    store,
    text,
    ui,
)
from ratc.scenario_data import INDICATORS

MAX_PINNED = 4
data = scenario_data.load()
chosen = ui.context_in_use()
area_code = chosen.gemeente or metadata.REGION_CODE
observations = cache.computed(scenario.observed, chosen.periode)


def apply_settings(settings: scenario_settings.Settings) -> None:
    """Put settings into the sliders (before they are drawn, or from a callback)."""
    st.session_state.update(scenario_settings.widget_state(settings, data))
    st.session_state["_scenario_settings"] = settings


def apply_preset() -> None:
    """A preset sets the sliders; the sensitivities stay as they are."""
    preset = data.presets.get(st.session_state[scenario_settings.PRESET_KEY])
    if preset:
        current = scenario_settings.from_widget_state(st.session_state, data)
        apply_settings(scenario_settings.from_preset(preset, data, dict(current.gevoeligheid)))


def slider_moved() -> None:
    """After a slider moves, the preset box says which preset the sliders match, or 'eigen instelling'."""
    apply_settings(scenario_settings.from_widget_state(st.session_state, data))


def reveal() -> None:
    """Show the outcome of the settings as they are now."""
    st.session_state["_scenario_revealed"] = outcome_key()


def outcome_key() -> tuple:
    """What an outcome depends on: the settings, the indicator shown and the area."""
    return (scenario_settings.from_widget_state(st.session_state, data), st.session_state["sc_toon"], area_code)


def load_saved(settings: scenario_settings.Settings) -> None:
    """Load stored or uploaded settings into the sliders."""
    apply_settings(settings)


def pin(name: str, settings: scenario_settings.Settings) -> None:
    """Pin a named scenario for the comparison (at most four; the same name replaces the earlier one)."""
    pinned = [entry for entry in st.session_state.get("_scenario_pinned", []) if entry[0] != name]
    st.session_state["_scenario_pinned"] = [*pinned, (name, settings)][-MAX_PINNED:]


def unpin(name: str) -> None:
    """Take a scenario out of the comparison."""
    st.session_state["_scenario_pinned"] = [e for e in st.session_state.get("_scenario_pinned", []) if e[0] != name]


def share_link(params: dict[str, str]) -> str:
    """The full link to this page with the context and every setting."""
    query = urlencode({**st.session_state.get("_context_url", {}), **params})
    base = st.context.url or "scenarios"
    return f"{base}?{query}" if query else base


# The URL wins when it changed since this page last wrote it (a shared link was opened); otherwise the sliders
# keep their state, also after a visit to another page.
page_params = {name: value for name, value in st.query_params.items() if name not in context.PARAMS}
if page_params != st.session_state.get("_scenario_url"):
    if not page_params and "_scenario_settings" in st.session_state:
        apply_settings(st.session_state["_scenario_settings"])
    else:
        settings, shown, notices = scenario_settings.from_params(page_params, data)
        apply_settings(settings)
        st.session_state["sc_toon"] = shown
        for notice in notices:
            st.toast(notice, icon=":material/info:")
            st.caption(f":material/info: {text.escape_markdown(notice)}")
for key, value in scenario_settings.widget_state(
    st.session_state.get("_scenario_settings") or scenario_settings.default(data), data
).items():
    st.session_state.setdefault(key, value)
st.session_state.setdefault("sc_toon", scenario_settings.default_indicator())

st.title("Scenario's")
ui.demo_notice()


@st.fragment
def scenario_section() -> None:
    """Sliders and outcome together: moving a slider reruns only this part."""
    presets = {**{key: preset.naam for key, preset in data.presets.items()}, scenario_settings.OWN: "Eigen instelling"}
    labels = {key: observations.indicators[key]["short_name"] for key in INDICATORS}
    controls, outcome = st.columns([0.9, 2.3], gap="medium")
    with controls:
        indicator = st.selectbox("Toon", list(labels), format_func=labels.get, key="sc_toon")
        st.selectbox(
            "Uitgangspunt",
            list(presets),
            format_func=presets.get,
            key=scenario_settings.PRESET_KEY,
            on_change=apply_preset,
            help="Een CPB-scenario zet alle schuiven; daarna kunt u ze verschuiven.",
        )
        st.slider(
            "Duur van de maatregelen (maanden vanaf maart 2020)",
            *scenario_settings.DURATION,
            key="sc_duur",
            on_change=slider_moved,
        )
        st.slider(
            "Bbp 2020 (% groei)",
            *scenario_settings.GDP_2020,
            step=0.1,
            format="%.1f",
            key="sc_bbp2020",
            on_change=slider_moved,
        )
        st.slider(
            "Bbp 2021 (% groei)",
            *scenario_settings.GDP_2021,
            step=0.1,
            format="%.1f",
            key="sc_bbp2021",
            on_change=slider_moved,
        )
        st.slider(
            "Steun (NOW, Tozo): deel van het banenverlies dat wordt opgevangen (%)",
            *scenario_settings.SUPPORT[:2],
            step=scenario_settings.SUPPORT[2],
            key="sc_steun",
            on_change=slider_moved,
        )
        st.select_slider(
            "Steun loopt tot en met",
            scenario_settings.SUPPORT_MONTHS,
            key="sc_steun_tot",
            format_func=scenario_settings.support_end_label,
            on_change=slider_moved,
        )
        st.segmented_control(
            "Herstel: V snel, U geleidelijk, L traag",
            list(scenario_settings.SHAPE_LABELS),
            key="sc_herstel",
            required=True,
            on_change=slider_moved,
            width="stretch",
            help="Hoe snel de werkgelegenheid terugkomt als de economie aantrekt.",
        )
        with st.expander("Gevoeligheid per gemeente"):
            st.caption(
                "1 = gemiddeld; hoger = reageert sterker op de crisis (economische structuur). "
                "De standaardwaarden zijn demo-aannames."
            )
            for code, name in observations.names.items():
                if code in data.parameters.sensitivities:
                    st.slider(
                        name,
                        *scenario_settings.SENSITIVITY[:2],
                        step=scenario_settings.SENSITIVITY[2],
                        format="%.2f",
                        key=scenario_settings.sensitivity_key(code),
                        on_change=slider_moved,
                    )
        guessing = st.toggle(
            "Eerst voorspellen",
            key="sc_voorspellen",
            help="Verbergt de uitkomst tot u op Onthul klikt, zodat de deelnemers eerst raden. "
            "Na elke wijziging is de uitkomst weer verborgen.",
        )
    settings = scenario_settings.from_widget_state(st.session_state, data)
    st.session_state["_scenario_settings"] = settings
    projection = scenario.project(observations, settings, data)
    hidden = guessing and st.session_state.get("_scenario_revealed") != outcome_key()
    with outcome:
        if hidden:
            st.info(f"**Wat denkt u?** Hoe ziet {observations.indicators[indicator]['subject']} in "
                    f"{observations.names[area_code]} er eind 2021 uit in {projection.label}? Laat iedereen eerst "
                    "een schatting geven.", icon=":material/psychology_alt:")  # fmt: skip
            st.button("Onthul", type="primary", icon=":material/visibility:", on_click=reveal, key="sc_onthul")
        else:
            main, band = scenario.sentence_parts(projection, indicator, area_code)
            st.markdown(f"##### {text.escape_markdown(main)}")
        ui.figure_block(scenario_chart.main_figure(projection, indicator, area_code, hidden), key="scenario_grafiek")
        for notice in observations.notices:
            st.caption(f":material/info: {notice}")
        if not hidden:
            st.caption(f"{band} {scenario.unemployment_summary(projection, data)}")
    if not hidden:
        for column, tile in zip(st.columns(len(INDICATORS)), scenario.tiles(projection, area_code), strict=True):
            with column:
                ui.show_tile(tile)
    params = scenario_settings.to_params(settings, data, indicator)
    if params != {name: value for name, value in st.query_params.items() if name not in context.PARAMS}:
        for name in [name for name in st.query_params if name not in context.PARAMS and name not in params]:
            del st.query_params[name]
        st.query_params.update(params)
    st.session_state["_scenario_url"] = params

    pin_column, share_column = st.columns(2, gap="large")
    with pin_column:
        st.markdown("**Vastzetten om te vergelijken**")
        name_column, button_column = st.columns([3, 2], vertical_alignment="bottom")
        suggestion = scenario_settings.label(settings, data)
        name = name_column.text_input(
            "Naam",
            placeholder=suggestion[0].upper() + suggestion[1:],
            key="sc_pin_naam",
            max_chars=scenario_settings.NAME_LIMIT,
        )
        pinned = st.session_state.get("_scenario_pinned", [])
        if button_column.button("Vastzetten", icon=":material/push_pin:", key="sc_vastzetten", width="stretch",
                                disabled=len(pinned) >= MAX_PINNED and name not in [n for n, _ in pinned],
                                help=f"Hoogstens {MAX_PINNED} scenario's naast elkaar."):  # fmt: skip
            pin(text.clean_line(name, scenario_settings.NAME_LIMIT) or suggestion[0].upper() + suggestion[1:], settings)
            st.rerun()
    with share_column:
        st.markdown("**Delen en bewaren**")
        st.code(share_link(params), language=None, wrap_lines=True)
        st.download_button(
            "Instellingen downloaden (JSON)", lambda: scenario_settings.to_file(settings, projection.label),
            file_name=f"scenario-{scenario_settings.slugs().get(area_code, 'regio')}.json",
            mime="application/json", icon=":material/download:", on_click="ignore", key="sc_bestand",
        )  # fmt: skip


@st.fragment
def compare_section() -> None:
    """The pinned scenarios side by side: a chart for the area and a table per municipality."""
    pinned = st.session_state.get("_scenario_pinned", [])
    st.header("Vergelijken", divider="gray")
    if not pinned:
        st.caption("Zet hierboven een scenario vast om het hier naast andere scenario's te zien (hoogstens vier).")
        return
    for column, (name, _) in zip(st.columns(MAX_PINNED), pinned, strict=False):
        column.button(f"{text.escape_markdown(name)}", icon=":material/close:", key=f"sc_los_{name}", on_click=unpin,
                      args=(name,), help="Losmaken: uit de vergelijking halen.", width="stretch")  # fmt: skip
    labels = {key: observations.indicators[key]["short_name"] for key in INDICATORS}
    st.session_state.setdefault("sc_vergelijk_toon", st.session_state.get("sc_toon", INDICATORS[0]))
    indicator = st.segmented_control(
        "Indicator", list(labels), format_func=labels.get, key="sc_vergelijk_toon", required=True
    )
    runs = [(name, scenario.project(observations, settings, data, label=name)) for name, settings in pinned]
    ui.figure_block(scenario_chart.compare_figure(runs, indicator, area_code), key="scenario_vergelijking")
    st.markdown(
        f"**{labels[indicator]} per gemeente**, {scenario.measure_of(observations, indicator)}; "
        "afgerond, met het verschil met zonder crisis"
    )
    table = scenario.compare_table(runs, indicator)
    st.dataframe(table, hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3)  # every row visible


def saved_section() -> None:
    """Save the current settings in the shared store, load saved ones, or load a settings file."""
    st.header("Opslaan en laden", divider="gray")
    save_column, load_column, file_column = st.columns(3, gap="large")
    settings = st.session_state["_scenario_settings"]
    with save_column, st.form("sc_opslaan", border=False):
        name = st.text_input("Naam van het scenario", max_chars=scenario_settings.NAME_LIMIT, key="sc_opslaan_naam")
        if st.form_submit_button("Opslaan", icon=":material/save:", key="sc_opslaan_knop"):
            try:
                saved = scenario_store.save(name, settings)
                st.success(f"Opgeslagen als '{text.escape_markdown(saved.name)}'.", icon=":material/check:")
            except ValueError as error:
                st.error(str(error))
            except store.StoreUnavailable as error:
                st.error(str(error), icon=":material/cloud_off:")
    with load_column:
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
            load.button("Laden", icon=":material/upload:", key="sc_laden", on_click=load_saved,
                        args=(entry.settings,), width="stretch")  # fmt: skip
            if pin_it.button("Vastzetten", icon=":material/push_pin:", key="sc_opgeslagen_vastzetten",
                             width="stretch"):  # fmt: skip
                pin(entry.name, entry.settings)
                st.rerun()
        for entry in stored:
            if entry.settings is None:
                st.warning(f"'{text.escape_markdown(entry.name)}' kan niet worden geladen: "
                           f"{text.escape_markdown(entry.problem)}")  # fmt: skip
    with file_column:
        upload = st.file_uploader("Instellingenbestand laden (JSON)", type=["json"], key="sc_upload")
        if upload is not None:
            try:
                name, settings = scenario_settings.from_file(upload.getvalue(), data)
            except scenario_settings.SettingsFileError as error:
                ui.delivery_errors(error.messages)
            else:
                st.success(f"Bestand in orde: '{text.escape_markdown(name or upload.name)}'.", icon=":material/check:")
                st.button("Instellingen uit bestand laden", key="sc_bestand_laden", on_click=load_saved,
                          args=(settings,), icon=":material/upload:")  # fmt: skip


scenario_section()
with st.expander("Hoe rekent dit model? Aannames en bronnen"):
    st.markdown(scenario.explanation(data))
    st.dataframe(scenario.parameter_table(data), hide_index=True, width="stretch")
    st.markdown("**De CPB-scenario's** (bbp en werkloosheid: CPB; duur en herstel: CPB of aanname; steun: afgeregeld)")
    st.dataframe(scenario.preset_table(data), hide_index=True, width="stretch")
compare_section()
saved_section()
