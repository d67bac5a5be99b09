"""Bedrijfsvoering melden: a municipality's weekly report, prefilled with its previous one; history kept."""

import streamlit as st

from ratc import checks, continuity, continuity_view, keys, store, text, ui

REPORT_PAGE = "pages/continuity_report.py"

chosen = ui.context_in_use()
vocabulary = continuity.catalogue()

st.title("Bedrijfsvoering melden")
st.caption(
    "Elke week per gemeente: de status van de kritieke processen, het ziekteverzuim, de knelpunten en wat u andere "
    "gemeenten kunt bieden. Het regionale beeld staat op *Bedrijfsvoering regio*."
)
ui.flash("melden_bericht")
if chosen.gemeente is None:
    st.info("Kies links bij **Gemeente** voor welke gemeente u meldt, of open hier het formulier:",
            icon=":material/location_city:")  # fmt: skip
    ui.municipality_links(REPORT_PAGE)
    st.stop()
area = chosen.gemeente
st.subheader(f"Melding voor {vocabulary.municipalities[area]}")

needed = keys.configured(keys.municipality_variable(area), keys.CONTINUITY)
given = ui.write_key(f"Sleutel voor {vocabulary.municipalities[area]}", needed, key=f"melden_sleutel_{area}")
if needed and not keys.may_report(given, area):
    st.info("Vul de sleutel van uw gemeente (of van de regio) in om te melden.", icon=":material/lock:")
    st.stop()
if not needed:
    ui.open_warning(keys.CONTINUITY, "voor elke gemeente melden")

try:
    previous = continuity.last_report(area)
    history = continuity.history(area)
except store.StoreUnavailable as error:
    st.error(str(error), icon=":material/cloud_off:")
    st.stop()
st.caption(text.escape_markdown(continuity_view.previous_text(previous)))
tables = continuity.form_tables(previous)
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
    statuses = st.data_editor(
        tables["statuses"], key=f"melden_status_{version}", hide_index=True, width="stretch", num_rows="fixed",
        placeholder="kies",
        column_config={
            "proces": st.column_config.SelectboxColumn("Proces", options=list(vocabulary.processes),
                                                       format_func=vocabulary.processes.get, disabled=True),
            "status": st.column_config.SelectboxColumn("Status", options=list(continuity.STATUSES), required=True,
                                                       format_func=continuity_view.legend_label),
            "toelichting": st.column_config.TextColumn("Toelichting (optioneel)", max_chars=200, width="large"),
        },
    )  # fmt: skip
    st.markdown("**Knelpunten** · voeg een regel toe met +; een knelpunt dat is opgelost kunt u verwijderen")
    bottlenecks = st.data_editor(
        tables["bottlenecks"], key=f"melden_knelpunten_{version}", hide_index=True, width="stretch",
        num_rows="dynamic", placeholder="–",
        column_config={
            "sleutel": None,
            "proces": st.column_config.SelectboxColumn("Proces", options=list(vocabulary.processes),
                                                       format_func=vocabulary.processes.get, required=True),
            "omschrijving": st.column_config.TextColumn("Omschrijving", max_chars=500, width="large", required=True),
            "sinds": st.column_config.DateColumn("Sinds", format="DD-MM-YYYY", required=True),
            "oplossing": st.column_config.SelectboxColumn("Oplossing", options=list(continuity.SOLUTIONS),
                                                          format_func=continuity.SOLUTIONS.get, required=True),
            "hulp_nodig": st.column_config.CheckboxColumn("Hulp nodig", default=False),
            "soort_hulp": st.column_config.SelectboxColumn("Soort hulp", options=list(vocabulary.help_kinds),
                                                           format_func=vocabulary.help_kinds.get),
        },
    )  # fmt: skip
    st.markdown("**Wat kunt u andere gemeenten bieden?** · capaciteit of kennis per proces")
    offers = st.data_editor(
        tables["offers"], key=f"melden_aanbod_{version}", hide_index=True, width="stretch", num_rows="dynamic",
        placeholder="–",
        column_config={
            "sleutel": None,
            "proces": st.column_config.SelectboxColumn("Proces", options=list(vocabulary.processes),
                                                       format_func=vocabulary.processes.get, required=True),
            "soort_hulp": st.column_config.SelectboxColumn("Soort hulp", options=list(vocabulary.help_kinds),
                                                           format_func=vocabulary.help_kinds.get, required=True),
            "omschrijving": st.column_config.TextColumn("Omschrijving", max_chars=500, width="large", required=True),
            "capaciteit": st.column_config.TextColumn("Capaciteit", max_chars=120,
                                                      help="bijv. 2 medewerkers, 3 dagen per week"),
        },
    )  # fmt: skip
    left, right = st.columns([1, 2])
    reporter = left.text_input("Naam melder", max_chars=80, key=f"melden_melder_{version}",
                               value=previous.report.reporter if previous else "")  # fmt: skip
    note = right.text_area(
        "Toelichting bij deze melding", max_chars=1000, height=68, key=f"melden_toelichting_{version}"
    )
    submitted = st.form_submit_button("Melding opslaan", type="primary", icon=":material/save:", key="melden_opslaan")

if submitted:
    try:
        report = continuity.validate(area, week, absence, statuses, bottlenecks, offers, reporter, note)
        continuity.save_report(report, key=given)
    except keys.AccessDenied as error:
        st.error(f"{error} Uw invoer staat nog in het formulier.", icon=":material/lock:")
    except checks.Invalid as invalid:
        ui.form_problems(invalid.problems)
    except store.StoreUnavailable as error:
        st.error(f"{error} Uw invoer staat nog in het formulier.", icon=":material/cloud_off:")
    else:
        ui.flash("melden_bericht", f"De melding van {vocabulary.municipalities[area]} over "
                                   f"{continuity_view.week_label(report.week)} is opgeslagen.")  # fmt: skip
        st.rerun()

st.subheader("Eerdere meldingen")
if history.empty:
    st.write("Nog geen eerdere meldingen.")
else:
    st.dataframe(continuity_view.history_table(history), hide_index=True, width="stretch")
