"""RAT-C monitor: frames every page (sidebar, context, warehouse) and routes between them."""

import streamlit as st

from ratc import cache, ui

# A local favicon: a Material icon here would be fetched from fonts.gstatic.com on every page load.
st.set_page_config(page_title="RAT-C monitor Zuid-Holland-Zuid", page_icon=str(ui.FAVICON), layout="wide")

PAGES = [
    st.Page(
        "pages/overview.py", title="Regio-overzicht", icon=":material/dashboard:", url_path="overzicht", default=True
    ),
    st.Page("pages/municipality.py", title="Mijn gemeente", icon=":material/location_city:", url_path="mijn-gemeente"),
    st.Page("pages/map.py", title="Kaart", icon=":material/map:", url_path="kaart"),
    st.Page("pages/trend_lines.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
    st.Page("pages/coherence.py", title="Samenhang", icon=":material/grid_on:", url_path="samenhang"),
    st.Page("pages/scenario_explorer.py", title="Scenario's", icon=":material/tune:", url_path="scenarios"),
    st.Page("pages/sources.py", title="Bronnen & imports", icon=":material/menu_book:", url_path="bronnen"),
    st.Page("pages/delivery.py", title="Gegevens aanleveren", icon=":material/upload_file:", url_path="aanleveren"),
]

page = st.navigation(PAGES, position="hidden")
cache.ensure_warehouse()
chosen = ui.current_context()
params = ui.write_context(chosen)
ui.sidebar(PAGES, params, chosen)
page.run()
