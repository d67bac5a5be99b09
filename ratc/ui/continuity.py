"""Streamlit parts of the two continuity pages: the regional picture with recording a coupling, and a
municipality's weekly report form. Each part is one function the page calls; the logic lives in continuity,
form, continuity_region, continuity_matching and continuity_view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ratc.continuity import form
from ratc.continuity import matching as continuity_matching
from ratc.continuity import region as continuity_region
from ratc.continuity import reports as continuity
from ratc.continuity import view as continuity_view
from ratc.core import context, keys, text
from ratc.demo import store_content as demo_store
from ratc.ui import cache, forms
from ratc.ui import components as ui

REPORT_PAGE = "pages/continuity_report.py"
OVERVIEW_FLASH = "bedrijfsvoering_bericht"
REPORT_FLASH = "melden_bericht"


def overview_content() -> bool:
    """Start the regional page: demo or real reports (True: demo); stops when the store is down or holds none."""
    return forms.stored_content(continuity.holdings, OVERVIEW_FLASH, "bedrijfsvoering_demo", empty=_no_reports)


def _no_reports() -> None:
    """Say that no municipality has reported yet, and offer the demo reports."""
    forms.empty_store(
        "Er zijn nog geen meldingen over de bedrijfsvoering. Gemeenten melden via *Bedrijfsvoering melden*.",
        demo_store.load_continuity, keys.may_couple(None), key="bedrijfsvoering_demo_laden",
    )  # fmt: skip


def matrix(view: continuity_region.Picture, demo: bool) -> None:
    """The matrix of municipalities × processes as a published figure."""
    # the chart is the slowest part of the page: built again only when a report comes in
    figure = cache.stored(continuity_view.stored_matrix_figure, continuity_view.matrix_key(view), demo)
    ui.figure_block(figure, key="bedrijfsvoering_matrix")


def bottleneck_metrics(view: continuity_region.Picture) -> None:
    """Four numbers: open knelpunten, those without a solution, requests for help and couplings."""
    counts = continuity_view.bottleneck_counts(view)
    numbers = [
        ("Open knelpunten", counts["open"], "Knelpunten in de laatste melding van elke gemeente."),
        ("Zonder oplossing", counts["zonder_oplossing"], "Oplossing: nee. Deze staan op de escalatielijst."),
        ("Hulpvragen", counts["hulpvragen"], "Open knelpunten (oplossing nee of deels) waarvoor hulp nodig is."),
        ("Koppelingen", len(view.couplings),
         "Vastgelegde afspraken tussen een gemeente met een knelpunt en een helper."),
    ]  # fmt: skip
    for column, (label, value, help_text) in zip(st.columns(4), numbers, strict=True):
        column.metric(label, value, help=help_text, border=True)


def escalation_list(view: continuity_region.Picture, demo: bool) -> None:
    """The open knelpunten without a solution, the longest open first, with their downloads."""
    st.caption("Open knelpunten waarvoor de gemeente geen oplossing heeft (oplossing: nee), het langst open bovenaan.")
    escalation = continuity_view.escalation_table(view)
    if escalation.empty:
        st.write("Geen knelpunten zonder oplossing.")
        return
    st.dataframe(escalation, hide_index=True, width="stretch",
                 column_config={"Knelpunt": st.column_config.TextColumn(width="large")})  # fmt: skip
    ui.table_downloads(continuity_view.escalation_files(escalation, demo),
                       continuity_view.escalation_file_stem(demo), key="escalatie")  # fmt: skip


def help_table(view: continuity_region.Picture) -> None:
    """Every open request for help with the best offer of another municipality, and how it is scored."""
    st.caption(
        "Elke open hulpvraag met het beste aanbod van een andere gemeente voor hetzelfde proces en dezelfde soort "
        "hulp. Score: de helper staat zelf op groen (+2) of oranje (+1) voor dat proces, weinig ziekteverzuim (tot +1) "
        "en een buurgemeente (+1). Niet voorgesteld: een helper die zelf op rood staat voor dat proces, aanbod dat "
        f"helemaal gekoppeld is, en aanbod uit een melding van meer dan {continuity_matching.MAX_OFFER_AGE_WEEKS} "
        "weken vóór de nieuwste melding in de regio. 'geen aanbod': niemand in de regio biedt deze hulp nu aan."
    )
    st.dataframe(
        continuity_view.needs_table(view), hide_index=True, width="stretch",
        column_config={"Knelpunt": st.column_config.TextColumn(width="large")},
    )  # fmt: skip


def coupling_form(view: continuity_region.Picture) -> None:
    """Choose a request for help and an offer for it, and record the pair with a note."""
    need = forms.pick_need(continuity_view.need_options(view), "Hulpvraag", "koppeling_knelpunt",
                        "Er is nu geen hulpvraag met een passend aanbod dat nog niet gekoppeld is.",
                        lambda chosen: continuity_view.offers_table(view, chosen))  # fmt: skip
    if need is None:
        return
    offers = continuity_view.offer_options(view, need)
    with st.form("koppeling"):
        offer = st.selectbox("Aanbod (beste eerst)", list(offers), format_func=offers.get, key="koppeling_aanbod")
        units = st.number_input(
            "Aantal mensen of eenheden van dit aanbod",
            min_value=1,
            value=1,
            step=1,
            key="koppeling_aantal",
            help="Een koppeling gebruikt dit deel van het aanbod op.",
        )
        note = st.text_input("Afspraak", placeholder="bijv. twee boa's vanaf maandag, contact via de teamleiders",
                             key="koppeling_notitie")  # fmt: skip
        who = st.text_input("Vastgelegd door", key="koppeling_door")
        given = forms.write_key("Sleutel regio", keys.configured(keys.CONTINUITY), key="koppeling_sleutel")
        if st.form_submit_button(
            "Koppeling vastleggen", type="primary", icon=":material/link:", key="koppeling_opslaan"
        ):
            forms.save(lambda: continuity_matching.record_coupling(need, offer, note, who, key=given, units=units),
                       OVERVIEW_FLASH, "De koppeling is vastgelegd.")  # fmt: skip
    if not keys.configured(keys.CONTINUITY):
        forms.no_key_notice(keys.CONTINUITY, "koppelingen vastleggen")


def couplings_list(view: continuity_region.Picture) -> None:
    """The couplings recorded so far."""
    coupled = continuity_view.couplings_table(view)
    if coupled.empty:
        st.write("Nog geen koppelingen vastgelegd.")
    else:
        st.dataframe(coupled, hide_index=True, width="stretch")


def reporting_municipality(chosen: context.Context) -> str:
    """The municipality the report is for (the context's); without one, links to choose it, and the page stops."""
    if chosen.gemeente is None:
        st.info("Kies links bij **Gemeente** voor welke gemeente u meldt, of open hier het formulier:",
                icon=":material/location_city:")  # fmt: skip
        ui.municipality_links(REPORT_PAGE)
        st.stop()
    return chosen.gemeente


def report_key(area: str, name: str) -> str | None:
    """The key typed for the municipality's form; the page stops until it is the right one (when one is set)."""
    needed = keys.configured(keys.municipality_variable(area), keys.CONTINUITY)
    given = forms.write_key(f"Sleutel voor {name}", needed, key=f"melden_sleutel_{area}")
    if needed and not keys.may_report(given, area):
        st.info("Vul de sleutel van uw gemeente (of van de regio) in om te melden.", icon=":material/lock:")
        st.stop()
    if not needed:
        forms.no_key_notice(keys.CONTINUITY, "voor elke gemeente melden")
        if not keys.may_report(given, area):
            st.stop()
    return given


def stored_reports(area: str) -> tuple[continuity.StoredReport | None, pd.DataFrame]:
    """The municipality's previous report and its history; the page stops when the store does not answer."""
    return forms.from_store(lambda: (continuity.last_report(area), continuity.history(area)))


def report_form(area: str, previous: continuity.StoredReport | None, given: str | None) -> None:
    """The week's report, prefilled with the previous one, and storing it when it is sent."""
    vocabulary = continuity.catalogue()
    st.caption(text.escape_markdown(continuity_view.previous_text(previous)))
    tables = form.form_tables(previous)
    version = f"{area}_{previous.report_id if previous else 'nieuw'}"  # a new report reloads the prefilled tables
    weeks = continuity_view.week_options()
    week = st.selectbox("Week", list(weeks), format_func=weeks.get, key=f"melden_week_{area}")
    with st.form(f"melding_{version}"):
        absence = st.number_input(
            "Ziekteverzuim (%)", min_value=0.0, max_value=100.0, step=0.5, format="%.1f",
            value=float(previous.report.staff_absence_pct) if previous else None, key=f"melden_verzuim_{version}",
            help="Het percentage medewerkers dat deze week ziek of in quarantaine is.",
        )  # fmt: skip
        st.markdown("**Status per proces** · groen = normaal, oranje = verminderd, rood = kritiek")
        statuses = _status_editor(tables["statuses"], vocabulary, version)
        st.markdown("**Knelpunten** · voeg een regel toe met +; een knelpunt dat is opgelost kunt u verwijderen")
        bottlenecks = _bottleneck_editor(tables["bottlenecks"], vocabulary, version)
        st.markdown(
            "**Wat kunt u andere gemeenten bieden?** · per proces: hoeveel mensen of eenheden; elke "
            "koppeling gebruikt er een deel van op"
        )
        offers = _offer_editor(tables["offers"], vocabulary, version)
        left, right = st.columns([1, 2])
        reporter = left.text_input("Naam melder", key=f"melden_melder_{version}",
                                   value=previous.report.reporter if previous else "")  # fmt: skip
        note = right.text_area(
            "Toelichting bij deze melding",
            height=68,
            key=f"melden_toelichting_{version}",
        )
        submitted = st.form_submit_button(
            "Melding opslaan", type="primary", icon=":material/save:", key="melden_opslaan"
        )
    if submitted:
        fields = (absence, statuses, bottlenecks, offers, reporter, note)
        token = forms.write_token(f"melding_{version}")  # a new version after it was stored: a new token
        forms.save(lambda: _store_report(area, week, fields, given, token), REPORT_FLASH,
                lambda report: f"De melding van {vocabulary.municipalities[area]} over "
                               f"{continuity_view.week_label(report.week)} is opgeslagen.", kept=True)  # fmt: skip


def _store_report(area: str, week: str, fields: tuple, given: str | None, token: str) -> continuity.Report:
    """Check the form's fields as a report for the week and store it (once per token); the report as stored."""
    report = form.validate(area, week, *fields)
    continuity.save_report(report, key=given, token=token)
    return report


def _process_column(vocabulary: continuity.Catalogue, **options: object):
    """A table column to choose a critical process in."""
    return st.column_config.SelectboxColumn("Proces", options=list(vocabulary.processes),
                                            format_func=vocabulary.processes.get, **options)  # fmt: skip


def _help_kind_column(vocabulary: continuity.Catalogue, **options: object):
    """A table column to choose a kind of help in."""
    return st.column_config.SelectboxColumn("Soort hulp", options=list(vocabulary.help_kinds),
                                            format_func=vocabulary.help_kinds.get, **options)  # fmt: skip


def _status_editor(table: pd.DataFrame, vocabulary: continuity.Catalogue, version: str) -> pd.DataFrame:
    """The status of every critical process, with an optional note."""
    return st.data_editor(
        table, key=f"melden_status_{version}", hide_index=True, width="stretch", num_rows="fixed", placeholder="kies",
        column_config={
            "proces": _process_column(vocabulary, disabled=True),
            "status": st.column_config.SelectboxColumn("Status", options=list(continuity.STATUSES), required=True,
                                                       format_func=continuity_view.legend_label),
            "toelichting": st.column_config.TextColumn("Toelichting (optioneel)", max_chars=200, width="large"),
        },
    )  # fmt: skip


def _bottleneck_editor(table: pd.DataFrame, vocabulary: continuity.Catalogue, version: str) -> pd.DataFrame:
    """The open knelpunten: a row each, added with + and removed once solved."""
    return st.data_editor(
        table, key=f"melden_knelpunten_{version}", hide_index=True, width="stretch", num_rows="dynamic",
        placeholder="–",
        column_config={
            "sleutel": None,
            "proces": _process_column(vocabulary, required=True),
            "omschrijving": st.column_config.TextColumn("Omschrijving", max_chars=500, width="large", required=True),
            "sinds": st.column_config.DateColumn("Sinds", format="DD-MM-YYYY", required=True),
            "oplossing": st.column_config.SelectboxColumn("Oplossing", options=list(continuity.SOLUTIONS),
                                                          format_func=continuity.SOLUTIONS.get, required=True),
            "hulp_nodig": st.column_config.CheckboxColumn("Hulp nodig", default=False),
            "soort_hulp": _help_kind_column(vocabulary),
        },
    )  # fmt: skip


def _offer_editor(table: pd.DataFrame, vocabulary: continuity.Catalogue, version: str) -> pd.DataFrame:
    """What the municipality can offer others: a row per process and kind of help."""
    return st.data_editor(
        table, key=f"melden_aanbod_{version}", hide_index=True, width="stretch", num_rows="dynamic", placeholder="–",
        column_config={
            "sleutel": None,
            "proces": _process_column(vocabulary, required=True),
            "soort_hulp": _help_kind_column(vocabulary, required=True),
            "omschrijving": st.column_config.TextColumn("Omschrijving", max_chars=500, width="large", required=True),
            "aantal": st.column_config.NumberColumn("Aantal", min_value=1, max_value=continuity.MAX_AMOUNT, step=1,
                                                    required=True, help="Hoeveel mensen of eenheden, bijv. 2"),
            "eenheid": st.column_config.TextColumn("Eenheid", max_chars=40, help="bijv. medewerkers, laptops"),
            "capaciteit": st.column_config.TextColumn("Toelichting", max_chars=120,
                                                      help="bijv. 3 dagen per week, tot 1 juli"),
        },
    )  # fmt: skip


def history_list(history: pd.DataFrame) -> None:
    """Every earlier report of the municipality."""
    if history.empty:
        st.write("Nog geen eerdere meldingen.")
    else:
        st.dataframe(continuity_view.history_table(history), hide_index=True, width="stretch")
