"""Gegevens aanleveren: the data steward downloads the template, uploads a delivery, sees every problem per row,
and imports it all-or-nothing; the monitor shows the new figures without a restart."""

import streamlit as st

from ratc.core import text
from ratc.ingest import commit, delivery, reading, steward, template
from ratc.ui import cache, forms

st.title("Gegevens aanleveren")
st.caption(
    "Voor de databeheerder: lever cijfers van uw gemeente aan in het sjabloon (één rij per gemeente, indicator en "
    "periode). Het bestand wordt eerst helemaal gecontroleerd; er wordt niets opgeslagen zolang er één fout in staat."
)

left, right = st.columns(2)
left.download_button("Sjabloon (CSV)", template.template_csv, file_name="ratc-aanlevering-sjabloon.csv",
                      mime="text/csv", icon=":material/download:", on_click="ignore", width="stretch")  # fmt: skip
right.download_button("Sjabloon (Excel)", template.template_xlsx, file_name="ratc-aanlevering-sjabloon.xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      icon=":material/download:", on_click="ignore", width="stretch")  # fmt: skip

given = forms.write_key("Sleutel databeheerder", steward.key_configured(), key="aanlevering_sleutel")
if steward.key_configured() and not steward.may_deliver(given):
    st.info("Vul de sleutel van de databeheerder in om gegevens aan te leveren.", icon=":material/lock:")
    st.stop()
if not steward.key_configured():
    forms.no_key_notice(steward.KEY_VARIABLE, "gegevens aanleveren")
    if not steward.may_deliver(given):
        st.stop()

layout = st.radio("Soort bestand", list(reading.LAYOUTS), format_func=reading.LAYOUTS.get, horizontal=True,
                  key="aanlevering_soort")  # fmt: skip
upload = st.file_uploader(
    "Bestand (CSV, Excel of CBS-download, hoogstens 20 MB)", type=["csv", "xlsx", "json"], key="aanlevering_bestand"
)
source = st.text_input("Bron", placeholder="bijv. Gemeente Dordrecht, afdeling Werk en Inkomen", key="aanlevering_bron")
replace = st.checkbox(
    "Bestaande waarden vervangen als ze verschillen", key="aanlevering_vervangen",
    help="Alleen eerder aangeleverde echte cijfers tellen als bestaande waarden; gegenereerde voorbeeldcijfers van een "
    "indicator vervallen vanzelf bij de eerste echte cijfers van die indicator.",
)  # fmt: skip
if upload is None:
    st.stop()

content = upload.getvalue()
check = delivery.check(content, upload.name, replace, layout)
if check.file_errors:
    forms.delivery_errors(check.file_errors)
    st.stop()
for note in check.notes:
    st.caption(text.escape_markdown(note))  # notes quote the file's column names
forms.delivery_report(check.validation)
if not check.validation.ok:
    st.stop()
if st.button("Importeren", type="primary", icon=":material/upload:", key="aanlevering_importeren"):
    with st.status("Bezig met importeren …", expanded=True) as status:
        bar = st.progress(0.0)
        record = commit.accept(
            check.validation, content, upload.name, source or check.source or upload.name,
            progress=lambda fraction, message: bar.progress(fraction, text=message),
        )  # fmt: skip
        status.update(label=f"Import {record.import_id} is verwerkt.", state="complete")
    st.success(
        f"{record.rows_accepted} waarnemingen uit {text.escape_markdown(upload.name)} zijn opgenomen als import "
        f"{record.import_id}. "
        "De monitor toont ze meteen.",
        icon=":material/check_circle:",
    )
    cache.ensure_warehouse()
