"""The floor of the browser benchmark: the least a Streamlit page with one widget and one Altair chart costs."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

st.title("Vloer")
series = st.selectbox("Reeks", ["A", "B"])
months = pd.date_range("2019-01-01", periods=36, freq="MS")
values = np.cumsum(np.random.default_rng(1 if series == "A" else 2).normal(0, 1, len(months))) + 100
frame = pd.DataFrame({"maand": months, "waarde": values})
st.altair_chart(alt.Chart(frame).mark_line().encode(x="maand:T", y="waarde:Q"), width="stretch")
