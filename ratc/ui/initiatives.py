"""Streamlit parts of the Initiatieven page: the filters, the list, the map, matching with the coalition form, the
coalitions and the registration form. Each part is one function the page calls; the logic lives in initiatives,
initiative_matching, initiative_view and map_view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ratc.core import context, deck, keys
from ratc.demo import store_content as demo_store
from ratc.initiatives import map_view
from ratc.initiatives import registry as initiatives
from ratc.initiatives import view as initiative_view
from ratc.ui import cache, forms
from ratc.ui import components as ui

FLASH = "initiatieven_bericht"


def registry_content() -> bool:
    """Start the page: demo or real initiatives (True: demo); stops when the store does not answer."""
    return forms.stored_content(initiatives.holdings, FLASH, "initiatieven_demo")


def filters(registry: initiatives.Registry, chosen: context.Context) -> initiative_view.Filters:
    """Category, party type, municipality, offers or needs and a search, with how many initiatives they leave."""
    vocabulary = initiatives.catalogue()
    areas = {"": "Alle gemeenten", **vocabulary.areas}
    first, second, third = st.columns([2, 2, 1.6])
    categories = first.multiselect("Categorie", list(vocabulary.categories), format_func=vocabulary.categories.get,
                                   placeholder="Alle categorieën", key="initiatieven_categorie")  # fmt: skip
    parties = second.multiselect("Soort partij", list(vocabulary.party_types),
                                 format_func=vocabulary.party_types.get, placeholder="Alle soorten",
                                 key="initiatieven_partij")  # fmt: skip
    area = third.selectbox("Gemeente", list(areas), format_func=areas.get, key="initiatieven_gemeente",
                           index=list(areas).index(chosen.gemeente or ""),
                           help="Een gemeente toont ook de initiatieven voor de hele regio.")  # fmt: skip
    fourth, fifth, sixth = st.columns([1.2, 1.6, 2.8], vertical_alignment="bottom")
    direction = fourth.segmented_control("Biedt of vraagt", ["aanbod", "vraag"],
                                         format_func=initiatives.DIRECTIONS.get,
                                         key="initiatieven_richting")  # fmt: skip
    search = fifth.text_input("Zoeken", placeholder="naam, wijk of tekst", key="initiatieven_zoek", max_chars=80)
    chosen_filters = initiative_view.Filters(tuple(categories), direction, area or None, tuple(parties), search)
    # our own counts only: safe as markdown
    sixth.markdown(initiative_view.counts_text(initiative_view.counts(registry, chosen_filters)))
    return chosen_filters


def listing(registry: initiatives.Registry, shown: initiative_view.Filters) -> None:
    """The selected initiatives as a table with its downloads; on an empty registry, the demo offer first."""
    if registry.is_empty:
        forms.empty_store("Er staan nog geen initiatieven in het register. Meld er een aan bij *Initiatief aanmelden*.",
                       demo_store.load_initiatives, keys.may_register(None), key="initiatieven_demo_laden")  # fmt: skip
    st.dataframe(
        initiative_view.listing(registry, shown), hide_index=True, width="stretch",
        column_config={"Website": st.column_config.LinkColumn("Website"),
                       "Biedt": st.column_config.TextColumn(width="medium"),
                       "Vraagt": st.column_config.TextColumn(width="medium")},
    )  # fmt: skip
    st.caption(
        f"Selectie: {initiative_view.describe_filters(shown)}. Download de selectie, een regel per aanbod of vraag:"
    )
    ui.table_downloads(initiative_view.lazy_export_files("register", registry, shown),
                       initiative_view.file_stem("register", registry), key="register")  # fmt: skip


def initiative_map(registry: initiatives.Registry, shown: initiative_view.Filters) -> None:
    """The selected initiatives per municipality on the map, with its legend and description."""
    geometry = cache.map_geometry()
    # drawn again only when the registry, the filters or the geometry change: 355 boundaries take 0.2 s
    drawn = cache.stored(map_view.initiative_map, map_view.map_key(registry, shown, geometry), registry,
                         shown, geometry)  # fmt: skip
    st.pydeck_chart(drawn.deck, height=map_view.MAP_HEIGHT_PX, key="initiatieven_kaart", alt=drawn.description)
    # our own class labels and palette colours only; no user text reaches this HTML
    st.markdown(deck.legend_html(drawn.legend), unsafe_allow_html=True)
    st.write(drawn.description)
    st.caption(f"{geometry.description}. Aantal initiatieven per gemeente in de selectie; beweeg over een gemeente "
               "voor aanbod en open vragen.")  # fmt: skip


def matching(registry: initiatives.Registry) -> None:
    """For a chosen need the offers that fit it, best first, and the form to record a coalition."""
    st.caption(
        "Per open vraag het aanbod van andere initiatieven in dezelfde of een verwante categorie (bijv. vervoer voor "
        "voedsel), de beste eerst. Eerst telt hoeveel van de vraag het aanbod kan dekken, daarna hoe dichtbij het is."
    )
    with st.expander("Hoe wordt de score berekend?"):
        points, related = initiative_view.weights_tables()
        st.dataframe(points, hide_index=True, width="stretch")
        st.markdown("**Verwante categorieën** · één eenheid aanbod voor één eenheid vraag")
        st.dataframe(related, hide_index=True, width="stretch")
    need = forms.pick_need(initiative_view.suggestion_options(registry), "Vraag", "coalitie_vraag",
                        "Er is nu geen open vraag met passend aanbod.",
                        lambda chosen: initiative_view.suggestion_table(registry, chosen))  # fmt: skip
    if need is not None:
        coalition_form(registry, need)


def coalition_form(registry: initiatives.Registry, need: str) -> None:
    """An offer for the need, how much of it, the agreement and who records it; storing it when it is sent."""
    offers = initiative_view.offer_options(registry, need)
    offer = st.selectbox("Aanbod", list(offers), format_func=offers.get, key=f"coalitie_aanbod_{need}")
    with st.form("coalitie"):
        amount = st.number_input(
            f"Hoeveelheid ({initiative_view.unit_of(registry, need)})",
            min_value=0.0, value=initiative_view.proposed_amount(registry, need, offer), step=1.0, format="%.0f",
            key=f"coalitie_hoeveel_{need}_{offer}",
        )  # fmt: skip
        note = st.text_input("Afspraak", key="coalitie_notitie")
        who = st.text_input("Vastgelegd door", key="coalitie_door")
        given = forms.write_key("Sleutel initiatieven", keys.configured(keys.INITIATIVES), key="coalitie_sleutel")
        if st.form_submit_button(
            "Coalitie vastleggen", type="primary", icon=":material/handshake:", key="coalitie_opslaan"
        ):
            forms.save(lambda: initiatives.record_coalition(need, offer, amount, note, who, key=given), FLASH,
                    "De coalitie is vastgelegd.")  # fmt: skip


def coalitions(registry: initiatives.Registry, shown: initiative_view.Filters) -> None:
    """The coalitions per need, every coupling behind them, and their downloads."""
    groups = initiative_view.coalition_groups(registry)
    if groups.empty:
        st.write("Nog geen coalities vastgelegd.")
        return
    st.dataframe(groups, hide_index=True, width="stretch")
    with st.expander("Alle koppelingen"):
        st.dataframe(initiative_view.coalitions_frame(registry), hide_index=True, width="stretch")
    ui.table_downloads(initiative_view.lazy_export_files("coalities", registry, shown),
                       initiative_view.file_stem("coalities", registry), key="coalities")  # fmt: skip


def registration_form() -> None:
    """Register an initiative: who, where, what it offers and needs, and a contact; storing it when it is sent."""
    vocabulary = initiatives.catalogue()
    with st.form("aanmelden"):
        name = st.text_input("Naam van het initiatief", key="aanmelden_naam")
        left, middle, right = st.columns(3)
        party = left.selectbox("Soort partij", list(vocabulary.party_types), format_func=vocabulary.party_types.get,
                               index=None, placeholder="Kies", key="aanmelden_partij")  # fmt: skip
        home = middle.selectbox("Gemeente", list(vocabulary.areas), format_func=vocabulary.areas.get, index=None,
                                placeholder="Kies", key="aanmelden_gemeente")  # fmt: skip
        place = right.text_input("Wijk of kern (optioneel)", key="aanmelden_wijk")
        about = st.text_area("Omschrijving", key="aanmelden_omschrijving")
        st.markdown("**Wat biedt en vraagt het initiatief?** · capaciteit in de eenheid van de categorie, bijv. "
                    "voedsel in huishoudens per week, geld in euro")  # fmt: skip
        items = _items_editor(vocabulary)
        first, second, third, fourth = st.columns(4)
        person = first.text_input("Contactpersoon", key="aanmelden_contact")
        email = second.text_input("E-mail", key="aanmelden_email")
        phone = third.text_input("Telefoon", key="aanmelden_telefoon")
        site = fourth.text_input("Website (optioneel)", placeholder="https://", key="aanmelden_website")
        given = forms.write_key("Sleutel initiatieven", keys.configured(keys.INITIATIVES), key="aanmelden_sleutel")
        if st.form_submit_button(
            "Initiatief aanmelden", type="primary", icon=":material/add_circle:", key="aanmelden_opslaan"
        ):
            fields = (name, party, home, items, place, about, person, email, phone, site)
            forms.save(lambda: initiatives.register(initiatives.validate(*fields), key=given), FLASH,
                    "Het initiatief is aangemeld en staat in de lijst.", kept=True,
                    forget_prefix="aanmelden_")  # fmt: skip


def _items_editor(vocabulary: initiatives.Catalogue) -> pd.DataFrame:
    """What the initiative offers and needs: a row per item, in the category's unit."""
    return st.data_editor(
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
