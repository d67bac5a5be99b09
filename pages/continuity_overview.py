"""Bedrijfsvoering regio: the status of every municipality's critical processes, what the region escalates, and
help between municipalities: needs matched with offers, and the couplings recorded."""

import streamlit as st

from ratc import cache, checks, continuity, continuity_region, continuity_view, demo_store, keys, store, ui

st.title("Bedrijfsvoering in de regio")
st.caption(
    "Continuïteit van de kritieke processen van de tien gemeenten, uit hun wekelijkse meldingen: waar het knelt, "
    "wat de regio escaleert en waar gemeenten elkaar kunnen helpen."
)
ui.flash("bedrijfsvoering_bericht")
try:
    has_real, has_demo = continuity.holdings()
except store.StoreUnavailable as error:
    st.error(str(error), icon=":material/cloud_off:")
    st.stop()
if not (has_real or has_demo):
    ui.empty_store("Er zijn nog geen meldingen over de bedrijfsvoering. Gemeenten melden via *Bedrijfsvoering melden*.",
                   demo_store.load_continuity, keys.may_couple(None), key="bedrijfsvoering_demo_laden")  # fmt: skip
    st.stop()
demo = ui.demo_or_real(has_real, has_demo, key="bedrijfsvoering_demo")
view = continuity_region.picture(demo)

# the chart is the slowest part of the page: built again only when a report comes in
matrix = cache.stored(continuity_view.stored_matrix_figure, continuity_view.matrix_key(view), demo)
ui.figure_block(matrix, key="bedrijfsvoering_matrix")

counts = continuity_view.bottleneck_counts(view)
for column, (label, value, help_text) in zip(st.columns(4), [
    ("Open knelpunten", counts["open"], "Knelpunten in de laatste melding van elke gemeente."),
    ("Zonder oplossing", counts["zonder_oplossing"], "Oplossing: nee. Deze staan op de escalatielijst."),
    ("Hulpvragen", counts["hulpvragen"], "Open knelpunten (oplossing nee of deels) waarvoor hulp nodig is."),
    ("Koppelingen", len(view.couplings), "Vastgelegde afspraken tussen een gemeente met een knelpunt en een helper."),
], strict=True):  # fmt: skip
    column.metric(label, value, help=help_text, border=True)

st.header("Escalatielijst", divider="gray")
st.caption("Open knelpunten waarvoor de gemeente geen oplossing heeft (oplossing: nee), het langst open bovenaan.")
escalation = continuity_view.escalation_table(view)
if escalation.empty:
    st.write("Geen knelpunten zonder oplossing.")
else:
    st.dataframe(escalation, hide_index=True, width="stretch",
                 column_config={"Knelpunt": st.column_config.TextColumn(width="large")})  # fmt: skip
    ui.table_downloads(continuity_view.escalation_files(escalation, demo),
                       continuity_view.escalation_file_stem(demo), key="escalatie")  # fmt: skip

st.header("Hulp tussen gemeenten", divider="gray")
st.caption(
    "Elke open hulpvraag met het beste aanbod van een andere gemeente voor hetzelfde proces en dezelfde soort hulp. "
    "Score: de helper staat zelf op groen (+2) of oranje (+1) voor dat proces, weinig ziekteverzuim (tot +1) en een "
    "buurgemeente (+1). 'geen aanbod': niemand in de regio biedt deze hulp nu aan."
)
st.dataframe(
    continuity_view.needs_table(view), hide_index=True, width="stretch",
    column_config={"Knelpunt": st.column_config.TextColumn(width="large")},
)  # fmt: skip

st.subheader("Koppeling vastleggen")
needs = continuity_view.need_options(view)
if not needs:
    st.write("Er is nu geen hulpvraag met een passend aanbod dat nog niet gekoppeld is.")
else:
    need = st.selectbox("Hulpvraag", list(needs), format_func=needs.get, key="koppeling_knelpunt")
    st.dataframe(continuity_view.offers_table(view, need), hide_index=True, width="stretch",
                 column_config={"Waarom": st.column_config.TextColumn(width="large")})  # fmt: skip
    offers = continuity_view.offer_options(view, need)
    with st.form("koppeling"):
        offer = st.selectbox("Aanbod (beste eerst)", list(offers), format_func=offers.get, key="koppeling_aanbod")
        note = st.text_input("Afspraak", placeholder="bijv. twee boa's vanaf maandag, contact via de teamleiders",
                             key="koppeling_notitie", max_chars=500)  # fmt: skip
        who = st.text_input("Vastgelegd door", key="koppeling_door", max_chars=80)
        given = ui.write_key("Sleutel regio", keys.configured(keys.CONTINUITY), key="koppeling_sleutel")
        if st.form_submit_button(
            "Koppeling vastleggen", type="primary", icon=":material/link:", key="koppeling_opslaan"
        ):
            try:
                continuity_region.record_coupling(need, offer, note, who, key=given)
            except keys.AccessDenied as error:
                st.error(str(error), icon=":material/lock:")
            except checks.Invalid as invalid:
                ui.form_problems(invalid.problems)
            except store.StoreUnavailable as error:
                st.error(str(error), icon=":material/cloud_off:")
            else:
                ui.flash("bedrijfsvoering_bericht", "De koppeling is vastgelegd.")
                st.rerun()
    if not keys.configured(keys.CONTINUITY):
        ui.open_warning(keys.CONTINUITY, "koppelingen vastleggen")

st.subheader("Vastgelegde koppelingen")
coupled = continuity_view.couplings_table(view)
if coupled.empty:
    st.write("Nog geen koppelingen vastgelegd.")
else:
    st.dataframe(coupled, hide_index=True, width="stretch")
