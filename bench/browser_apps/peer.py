"""The peer of the browser benchmark: Trends and Mijn gemeente as an analyst would write them — plain Streamlit,
pandas reading the same CSVs (RATC_DATA_DIR), Altair. No warehouse, no house style; the same figures."""

import os
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

alt.data_transformers.disable_max_rows()  # what an analyst does after the first MaxRowsError
DATA = Path(os.environ.get("RATC_DATA_DIR", Path(__file__).resolve().parents[2] / "data"))


@st.cache_data
def load() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Areas, indicators and every observation file in the import ledger."""
    areas = pd.read_csv(DATA / "areas.csv", dtype={"area_code": str})
    indicators = pd.read_csv(DATA / "indicators.csv", dtype=str, keep_default_na=False)
    imports = pd.read_csv(DATA / "imports.csv")
    frames = [pd.read_csv(DATA / path, dtype={"area_code": str, "period": str}) for path in imports["file_path"]]
    observations = pd.concat(frames, ignore_index=True)
    observations = observations[observations["area_code"].str.startswith("GM")]
    return areas, indicators, observations


def trends(areas, indicators, observations) -> None:
    """One indicator over time for the region and chosen municipalities."""
    st.title("Trends")
    names = dict(zip(indicators["indicator_id"], indicators["name"], strict=True))
    indicator = st.selectbox("Indicator", list(names), format_func=names.get)
    measure = st.segmented_control("Maat", ["Absoluut", "Per 10.000 inwoners"], default="Absoluut")
    rows = observations[observations["indicator_id"] == indicator]
    region = rows.groupby("period", as_index=False)["value"].sum().assign(gebied="Regio")
    if measure == "Per 10.000 inwoners":
        region["value"] = region["value"] / areas["population_2020"].sum() * 10_000
    chart = alt.Chart(region).mark_line().encode(x="period:N", y="value:Q", color="gebied:N")
    st.altair_chart(chart, width="stretch")


def municipality(areas, indicators, observations) -> None:
    """One municipality's latest figures as tiles and every indicator as a small multiple."""
    municipalities = areas[areas["area_code"].str.startswith("GM")]
    names = dict(zip(municipalities["area_code"], municipalities["area_name"], strict=True))
    code = st.selectbox("Gemeente", list(names), format_func=names.get)
    st.title(names[code])
    mine = observations[observations["area_code"] == code]
    latest = mine.sort_values("period").groupby("indicator_id").tail(1).merge(indicators, on="indicator_id")
    for start in range(0, min(len(latest), 12), 4):
        for column, (_, row) in zip(st.columns(4), latest.iloc[start : start + 4].iterrows(), strict=False):
            column.metric(row["short_name"], f"{row['value']:,.0f}".replace(",", "."))
    panels = mine.merge(indicators[["indicator_id", "short_name"]], on="indicator_id")
    chart = (
        alt.Chart(panels)
        .mark_line()
        .encode(x="period:N", y="value:Q")
        .properties(width=120, height=70)
        .facet(facet="short_name:N", columns=5)
        .resolve_scale(y="independent", x="independent")
    )
    st.altair_chart(chart)


data = load()
page = st.query_params.get("pagina", "trends")
(municipality if page == "gemeente" else trends)(*data)
