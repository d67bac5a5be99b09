"""Streamlit components for the papers: a factsheet in one click on Mijn gemeente, all factsheets as a zip with a
progress bar, and the scenario paper on the Scenario's page."""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st

from ratc.core import context, export, store, text
from ratc.hangout import access
from ratc.papers import bundle, conclusions, factsheet, pdf, scenario_choices, scenario_paper, word
from ratc.papers.document import Paper
from ratc.papers.scenario_choices import ScenarioChoice
from ratc.scenario import saved as scenario_store
from ratc.scenario import settings as scenario_settings
from ratc.ui import cache
from ratc.ui import hangout as session_ui
from ratc.ui import scenario as scenario_ui

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "_papers_zip"  # (month, zip bytes) of the factsheets made last in this browser session
PAPER = "_papers_scenario"  # (request, paper) of the scenario paper made last


def factsheet_section(chosen: context.Context, area_code: str | None, name: str) -> None:
    """'Factsheet (Word)' and '(PDF)' for the municipality or the region, made when clicked; and all factsheets."""
    with st.container(border=True):
        st.markdown(
            f"**Factsheet {text.escape_markdown(name)}** · kerncijfers, signalen, grafieken en bronnen op "
            "één of twee pagina's, klaar voor Word"
        )
        word_column, pdf_column, all_column = st.columns(3)

        def paper():
            return cache.computed(factsheet.factsheet, chosen, area_code)

        _word_and_pdf("Factsheet", paper, export.file_stem("factsheet", name, chosen.periode), "papers_factsheet",
                      (word_column, pdf_column))  # fmt: skip
        with all_column:
            all_factsheets(chosen)


def all_factsheets(chosen: context.Context) -> None:
    """'Alle factsheets (zip)': made with a progress bar, then offered as one download."""
    made = st.session_state.get(ZIP)
    if made and made[0] == chosen.periode:
        st.download_button(
            "Zip downloaden",
            made[1],
            file_name=f"factsheets_{chosen.periode}.zip",
            mime="application/zip",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
            type="primary",
            key="papers_zip_download",
        )
        return
    if st.button(
        "Alle factsheets (zip)",
        icon=":material/folder_zip:",
        width="stretch",
        key="papers_zip",
        help="De factsheets van alle gemeenten en de regio, in Word en PDF.",
    ):
        bar = st.progress(0.0, text="Factsheets maken …")
        content = bundle.factsheets_zip(cache.query, chosen, progress=lambda done, step: bar.progress(done, text=step))
        st.session_state[ZIP] = (chosen.periode, content)
        st.rerun()


def scenario_paper_section(inputs: scenario_ui.Inputs, chosen: context.Context) -> None:
    """Choose up to four scenarios (presets, pinned, saved, the sliders as they are) and, for the facilitator of an
    open session, its conclusions; make the paper and download it as Word or PDF."""
    st.header("Paper", divider="gray")
    st.caption(
        "Een document waarin de gekozen scenario's worden omschreven en geduid: samenvatting, grafieken per "
        "indicator, tabellen per gemeente, waar gemeenten uiteenlopen, de aannames en de conclusies van de "
        "hang-out. Voor het gebied en de maand links."
    )
    options = _scenario_options(inputs)
    # a pinned or saved scenario can be gone since the last run: keep only what can still be chosen
    if "papers_scenarios" in st.session_state:
        st.session_state["papers_scenarios"] = [key for key in st.session_state["papers_scenarios"] if key in options]
    pinned = [key for key in options if key.startswith("vastgezet:")]
    picked = st.multiselect(
        "Scenario's (hoogstens vier)",
        list(options),
        default=pinned[: scenario_choices.MAX_SCENARIOS] or ["huidig"],
        format_func=lambda key: options[key][0],
        max_selections=scenario_choices.MAX_SCENARIOS,
        key="papers_scenarios",
    )
    facilitator = session_ui.facilitator()
    with_session = facilitator is not None and st.checkbox(
        "Conclusies uit de open sessie invullen (kaarten met de meeste stippen en de acties)", key="papers_sessie"
    )
    choices = [options[key][1] for key in picked]
    request = (tuple(choices), inputs.area_code, chosen.periode, with_session)  # the settings too: sliders move
    if st.button("Paper maken", icon=":material/article:", disabled=not picked, key="papers_maken"):
        try:
            held = conclusions.from_session(facilitator) if with_session else None
            with st.spinner("Het paper wordt gemaakt …"):
                paper = scenario_paper.scenario_paper(cache.query, choices, chosen.gemeente, chosen.periode, held)
            st.session_state[PAPER] = (request, paper)
        except (scenario_choices.ChoiceError, access.AccessDenied) as problem:
            st.error(text.escape_markdown(str(problem)))
        except store.StoreUnavailable as problem:
            st.error(str(problem), icon=":material/cloud_off:")
    made = st.session_state.get(PAPER)
    if made and made[0] == request:
        paper = made[1]
        _word_and_pdf("Paper", lambda: paper, paper.file_stem, "papers_paper", st.columns(2))


def _word_and_pdf(label: str, make: Callable[[], Paper], stem: str, key: str, columns) -> None:
    """'<label> (Word)' and '<label> (PDF)' in the two columns; each file is written when its button is clicked."""
    formats = [("Word", "docx", word.to_docx, DOCX, ":material/description:"),
               ("PDF", "pdf", pdf.to_pdf, "application/pdf", ":material/picture_as_pdf:")]  # fmt: skip
    for column, (kind, suffix, write, mime, icon) in zip(columns, formats, strict=True):
        column.download_button(
            f"{label} ({kind})",
            functools.partial(_written, write, make),
            file_name=f"{stem}.{suffix}",
            mime=mime,
            icon=icon,
            on_click="ignore",
            width="stretch",
            key=f"{key}_{suffix}",
        )


def _written(write: Callable[[Paper], bytes], make: Callable[[], Paper]) -> bytes:
    """The paper `make` gives, written by `write` (called by Streamlit when the download button is clicked)."""
    return write(make())


def _scenario_options(inputs: scenario_ui.Inputs) -> dict[str, tuple[str, ScenarioChoice]]:
    """Every scenario a paper can describe, by a key that stays the same between runs, with the name the list shows:
    the sliders as they are, the pinned ones, the presets and the saved ones."""
    data = inputs.data
    current = st.session_state.get(scenario_ui.SETTINGS) or scenario_settings.default(data)
    name = f"Huidige instelling ({scenario_settings.label(current, data)})"
    options = {"huidig": (name, ScenarioChoice(name, current, "Huidige instelling"))}
    for pinned_name, settings in st.session_state.get(scenario_ui.PINNED, []):
        options[f"vastgezet:{pinned_name}"] = (f"Vastgezet: {pinned_name}", ScenarioChoice(pinned_name, settings))
    for preset_id in data.presets:
        choice = scenario_choices.preset(preset_id, data)
        options[f"preset:{preset_id}"] = (choice.name, choice)
    try:
        stored = scenario_store.saved(data)
    except store.StoreUnavailable:
        stored = []
    for entry in stored:
        if entry.settings is not None:
            options[f"opgeslagen:{entry.scenario_id}"] = (f"Opgeslagen: {entry.label}",
                                                           ScenarioChoice(entry.name, entry.settings))  # fmt: skip
    return options
