"""RAT-C monitor: frames every page (sidebar, context, warehouse) and routes between them."""

import streamlit as st

from ratc.ui import access, cache, guard
from ratc.ui import components as ui

# A local favicon: a Material icon here would be fetched from fonts.gstatic.com on every page load.
st.set_page_config(page_title="RAT-C monitor Zuid-Holland-Zuid", page_icon=str(ui.FAVICON), layout="wide")

# In the order of the sidebar's sections (ratc/ui.py SECTIONS): monitor, interpret together, operations, data.
PAGES = [
    st.Page("pages/overview.py", title="Regio-overzicht", icon=":material/dashboard:", url_path="overzicht",
            default=True),
    st.Page("pages/municipality.py", title="Mijn gemeente", icon=":material/location_city:", url_path="mijn-gemeente"),
    st.Page("pages/map.py", title="Kaart", icon=":material/map:", url_path="kaart"),
    st.Page("pages/trend_lines.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
    st.Page("pages/coherence.py", title="Samenhang", icon=":material/grid_on:", url_path="samenhang"),
    st.Page("pages/scenario_explorer.py", title="Scenario's", icon=":material/tune:", url_path="scenarios"),
    st.Page("pages/hangout.py", title="Hang-out", icon=":material/groups:", url_path="sessie"),
    st.Page("pages/join.py", title="Meedoen", icon=":material/login:", url_path="meedoen"),
    st.Page("pages/practices_page.py", title="Goede praktijken", icon=":material/lightbulb:", url_path="praktijken"),
    st.Page("pages/continuity_overview.py", title="Bedrijfsvoering regio", icon=":material/domain:",
            url_path="bedrijfsvoering"),
    st.Page("pages/continuity_report.py", title="Bedrijfsvoering melden", icon=":material/edit_note:",
            url_path="bedrijfsvoering-melden"),
    st.Page("pages/initiatives_page.py", title="Initiatieven", icon=":material/volunteer_activism:",
            url_path="initiatieven"),
    st.Page("pages/sources.py", title="Bronnen & imports", icon=":material/menu_book:", url_path="bronnen"),
    st.Page("pages/delivery.py", title="Gegevens aanleveren", icon=":material/upload_file:", url_path="aanleveren"),
]  # fmt: skip

page = st.navigation(PAGES, position="hidden")
access.frame()
cache.ensure_warehouse()
chosen = ui.current_context()
params = ui.write_context(chosen)
ui.sidebar(PAGES, params, chosen)
guard.trial_notice()
ui.screen_style()
guard.run_page(page)
