"""Initiatieven: the registry of initiatives and parties (#Veerkracht) as a list and a map, suggestions that couple
needs with offers into coalitions, the coalitions, exports, and a form to register an initiative."""

import pandas as pd
import streamlit as st

from ratc import cache, checks, demo_store, initiative_view, initiatives, keys, map_view, store, ui

chosen = ui.context_in_use()
vocabulary = initiatives.catalogue()

st.title("Initiatieven")
st.caption(
    "Wat inwoners, vrijwilligers, instellingen, fondsen, bedrijven en gemeenten bieden en vragen, en de coalities "
    "die vraag en aanbod bij elkaar brengen."
)
ui.flash("initiatieven_bericht")
try:
    has_real, has_demo = initiatives.holdings()
except store.StoreUnavailable as error:
    st.error(str(error), icon=":material/cloud_off:")
    st.stop()
demo = ui.demo_or_real(has_real, has_demo, key="initiatieven_demo")
registry = initiatives.registry(demo)

areas = {"": "Alle gemeenten", **vocabulary.areas}
first, second, third = st.columns([2, 2, 1.6])
categories = first.multiselect("Categorie", list(vocabulary.categories), format_func=vocabulary.categories.get,
                               placeholder="Alle categorieën", key="initiatieven_categorie")  # fmt: skip
parties = second.multiselect("Soort partij", list(vocabulary.party_types), format_func=vocabulary.party_types.get,
                             placeholder="Alle soorten", key="initiatieven_partij")  # fmt: skip
area = third.selectbox("Gemeente", list(areas), format_func=areas.get, key="initiatieven_gemeente",
                       index=list(areas).index(chosen.gemeente or ""),
                       help="Een gemeente toont ook de initiatieven voor de hele regio.")  # fmt: skip
fourth, fifth, sixth = st.columns([1.2, 1.6, 2.8], vertical_alignment="bottom")
direction = fourth.segmented_control("Biedt of vraagt", ["aanbod", "vraag"], format_func=initiatives.DIRECTIONS.get,
                                     key="initiatieven_richting")  # fmt: skip
search = fifth.text_input("Zoeken", placeholder="naam, wijk of tekst", key="initiatieven_zoek", max_chars=80)
filters = initiative_view.Filters(tuple(categories), direction, area or None, tuple(parties), search)
# our own counts only: safe as markdown
sixth.markdown(initiative_view.counts_text(initiative_view.counts(registry, filters)))

list_tab, map_tab, match_tab, coalition_tab, register_tab = st.tabs(
    ["Lijst", "Kaart", "Vraag en aanbod koppelen", "Coalities", "Initiatief aanmelden"]
)
with list_tab:
    if registry.is_empty:
        ui.empty_store("Er staan nog geen initiatieven in het register. Meld er een aan bij *Initiatief aanmelden*.",
                       demo_store.load_initiatives, keys.may_register(None), key="initiatieven_demo_laden")  # fmt: skip
    st.dataframe(
        initiative_view.listing(registry, filters), hide_index=True, width="stretch",
        column_config={"Website": st.column_config.LinkColumn("Website"),
                       "Biedt": st.column_config.TextColumn(width="medium"),
                       "Vraagt": st.column_config.TextColumn(width="medium")},
    )  # fmt: skip
    st.caption(
        f"Selectie: {initiative_view.describe_filters(filters)}. Download de selectie, een regel per aanbod of vraag:"
    )
    ui.table_downloads(initiative_view.lazy_export_files("register", registry, filters),
                       initiative_view.file_stem("register", registry), key="register")  # fmt: skip

with map_tab:
    geometry = cache.map_geometry()
    shown = initiative_view.initiative_map(registry, filters, geometry)
    st.pydeck_chart(shown.deck, height=initiative_view.MAP_HEIGHT_PX, key="initiatieven_kaart", alt=shown.description)
    # our own class labels and palette colours only; no user text reaches this HTML
    st.markdown(map_view.legend_html(shown.legend), unsafe_allow_html=True)
    st.write(shown.description)
    st.caption(f"{geometry.description}. Aantal initiatieven per gemeente in de selectie; beweeg over een gemeente "
               "voor aanbod en open vragen.")  # fmt: skip

with match_tab:
    st.caption(
        "Per open vraag het aanbod van andere initiatieven in dezelfde categorie, de beste eerst. Score: dichtbij "
        "(zelfde wijk +3, zelfde gemeente +2, hele regio +1,5 of +1, buurgemeente +1, elders +0,5) plus tot +2 voor "
        "het deel van de vraag dat het aanbod kan dekken."
    )
    needs = initiative_view.suggestion_options(registry)
    if not needs:
        st.write("Er is nu geen open vraag met passend aanbod.")
    else:
        need = st.selectbox("Vraag", list(needs), format_func=needs.get, key="coalitie_vraag")
        st.dataframe(initiative_view.suggestion_table(registry, need), hide_index=True, width="stretch",
                     column_config={"Waarom": st.column_config.TextColumn(width="large")})  # fmt: skip
        offers = initiative_view.offer_options(registry, need)
        offer = st.selectbox("Aanbod", list(offers), format_func=offers.get, key=f"coalitie_aanbod_{need}")
        with st.form("coalitie"):
            amount = st.number_input(
                f"Hoeveelheid ({initiative_view.unit_of(registry, need)})",
                min_value=0.0, value=initiative_view.proposed_amount(registry, need, offer), step=1.0, format="%.0f",
                key=f"coalitie_hoeveel_{need}_{offer}",
            )  # fmt: skip
            note = st.text_input("Afspraak", max_chars=500, key="coalitie_notitie")
            who = st.text_input("Vastgelegd door", max_chars=80, key="coalitie_door")
            given = ui.write_key("Sleutel initiatieven", keys.configured(keys.INITIATIVES), key="coalitie_sleutel")
            if st.form_submit_button(
                "Coalitie vastleggen", type="primary", icon=":material/handshake:", key="coalitie_opslaan"
            ):
                try:
                    initiatives.record_coalition(need, offer, amount, note, who, key=given)
                except keys.AccessDenied as error:
                    st.error(str(error), icon=":material/lock:")
                except checks.Invalid as invalid:
                    ui.form_problems(invalid.problems)
                except store.StoreUnavailable as error:
                    st.error(str(error), icon=":material/cloud_off:")
                else:
                    ui.flash("initiatieven_bericht", "De coalitie is vastgelegd.")
                    st.rerun()

with coalition_tab:
    groups = initiative_view.coalition_groups(registry)
    if groups.empty:
        st.write("Nog geen coalities vastgelegd.")
    else:
        st.dataframe(groups, hide_index=True, width="stretch")
        with st.expander("Alle koppelingen"):
            st.dataframe(initiative_view.coalitions_frame(registry), hide_index=True, width="stretch")
        ui.table_downloads(initiative_view.lazy_export_files("coalities", registry, filters),
                           initiative_view.file_stem("coalities", registry), key="coalities")  # fmt: skip

with register_tab, st.form("aanmelden"):
    name = st.text_input("Naam van het initiatief", max_chars=initiatives.LIMITS["name"], key="aanmelden_naam")
    left, middle, right = st.columns(3)
    party = left.selectbox("Soort partij", list(vocabulary.party_types), format_func=vocabulary.party_types.get,
                           index=None, placeholder="Kies", key="aanmelden_partij")  # fmt: skip
    home = middle.selectbox("Gemeente", list(vocabulary.areas), format_func=vocabulary.areas.get, index=None,
                            placeholder="Kies", key="aanmelden_gemeente")  # fmt: skip
    place = right.text_input("Wijk of kern (optioneel)", max_chars=80, key="aanmelden_wijk")
    about = st.text_area("Omschrijving", max_chars=initiatives.LIMITS["description"], key="aanmelden_omschrijving")
    st.markdown("**Wat biedt en vraagt het initiatief?** · capaciteit in de eenheid van de categorie, bijv. voedsel "
                "in huishoudens per week, geld in euro")  # fmt: skip
    items = st.data_editor(
        pd.DataFrame({column: pd.Series(dtype="object") for column in initiatives.ITEM_COLUMNS}),
        key="aanmelden_regels", hide_index=True, width="stretch", num_rows="dynamic", placeholder="–",
        column_config={
            "richting": st.column_config.SelectboxColumn("Biedt of vraagt", options=list(initiatives.DIRECTIONS),
                                                         format_func=initiatives.DIRECTIONS.get, required=True),
            "categorie": st.column_config.SelectboxColumn("Categorie", options=list(vocabulary.categories),
                                                          format_func=vocabulary.categories.get, required=True),
            "omschrijving": st.column_config.TextColumn("Omschrijving", max_chars=200, width="large", required=True),
            "capaciteit": st.column_config.NumberColumn("Capaciteit", min_value=0, required=True),
        },
    )  # fmt: skip
    first, second, third, fourth = st.columns(4)
    person = first.text_input("Contactpersoon", max_chars=80, key="aanmelden_contact")
    email = second.text_input("E-mail", max_chars=120, key="aanmelden_email")
    phone = third.text_input("Telefoon", max_chars=30, key="aanmelden_telefoon")
    site = fourth.text_input("Website (optioneel)", max_chars=300, placeholder="https://", key="aanmelden_website")
    given = ui.write_key("Sleutel initiatieven", keys.configured(keys.INITIATIVES), key="aanmelden_sleutel")
    if st.form_submit_button(
        "Initiatief aanmelden", type="primary", icon=":material/add_circle:", key="aanmelden_opslaan"
    ):
        try:
            registration = initiatives.validate(name, party, home, items, place, about, person, email, phone, site)
            initiatives.register(registration, key=given)
        except keys.AccessDenied as error:
            st.error(f"{error} Uw invoer staat nog in het formulier.", icon=":material/lock:")
        except checks.Invalid as invalid:
            ui.form_problems(invalid.problems)
        except store.StoreUnavailable as error:
            st.error(f"{error} Uw invoer staat nog in het formulier.", icon=":material/cloud_off:")
        else:
            ui.flash("initiatieven_bericht", "Het initiatief is aangemeld en staat in de lijst.")
            ui.forget("aanmelden_")
            st.rerun()
if not keys.configured(keys.INITIATIVES):
    ui.open_warning(keys.INITIATIVES, "initiatieven aanmelden en coalities vastleggen")
