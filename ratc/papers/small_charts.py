"""A factsheet's small charts: one indicator for the area against the region and Nederland, in the house style at
half the page's width (smaller titles, the source line wrapped), with its observations for the sources."""

from __future__ import annotations

import datetime as dt
import functools
import textwrap
from dataclasses import dataclass

import altair as alt
import pandas as pd

from ratc.core import charts, export, fmt, metadata, periods
from ratc.core.context import Context
from ratc.monitor.overview import SPARKLINE_FROM, Query
from ratc.monitor.profile import COMPARISON_COLOURS

PLOT_WIDTH, PLOT_HEIGHT = 300, 80
ESTIMATED_PX = PLOT_WIDTH + 25  # with axis and padding the picture is 330-345 px wide at scale 1
SOURCE_WIDTH = 62  # characters per line of the source line under a small chart
DASHES = {"gemeente": [1, 0], "regio": [1, 0], "land": [4, 3]}
DATASET = "reeksen"


@dataclass(frozen=True)
class SmallChart:
    """A published small chart and the observations it shows (for its sources and the Demodata label)."""

    figure: charts.Figure
    rows: pd.DataFrame
    indicator: pd.Series


def small_chart(
    query: Query, chosen: Context, area_code: str, indicator_id: str, is_demo, made_on: dt.date
) -> SmallChart:
    """The indicator for the area and its references from January 2019 to the context's month; per 10,000
    inhabitants where that makes areas comparable. `is_demo(rows)` says whether the rows hold demo values."""
    indicator = query("indicator_catalog").set_index("indicator_id").loc[indicator_id]
    areas = query("area_list").set_index("area_code")
    codes = [area_code] + ([metadata.REGION_CODE] if area_code != metadata.REGION_CODE else [])
    codes.append(metadata.COUNTRY_CODE)
    rows = query(
        "observations_by_indicator",
        indicator_id=indicator_id,
        area_codes=codes,
        from_date=SPARKLINE_FROM,
        as_of_date=chosen.as_of_date,
    )
    per_10k = bool(indicator["per_10k"])
    value = rows["value"].astype(float)
    frame = pd.DataFrame(
        {
            "gebied": rows["area_code"].map(areas["area_name"]),
            "periode": [periods.parse_period(key, indicator["frequency"]).label for key in rows["period_key"]],
            "datum": rows["period_start_date"].dt.strftime("%Y-%m-%d"),
            "waarde": value / rows["area_code"].map(areas["population_2020"]) * 10_000 if per_10k else value,
        }
    )
    order = {code: number for number, code in enumerate(codes)}
    frame = frame.assign(order=rows["area_code"].map(order)).sort_values(["order", "datum"]).drop(columns="order")
    names = tuple(str(areas.loc[code, "area_name"]) for code in codes)
    kinds = tuple(str(areas.loc[code, "area_type"]) for code in codes)
    month = periods.parse_period(chosen.periode, "maand")
    unit = f"{indicator['unit']} per 10.000 inwoners" if per_10k else str(indicator["unit"])
    source = str(indicator["source"]) + (
        "; CBS (bevolking)" if per_10k and "bevolking" not in indicator["source"] else ""
    )
    meta = charts.ChartMeta(
        title=str(indicator["short_name"]) + (" per 10.000 inwoners" if per_10k else ""),
        subtitle=f"jan 2019 – {month.label}",
        source=source,
        file_stem=export.file_stem(str(indicator["short_name"]), names[0], month.label),
        is_demo=is_demo(rows),
        made_on=made_on,
    )
    description = _describe(frame, indicator, names, unit)
    return SmallChart(
        charts.Figure(_spec(_template(names, kinds, _tick_months(month.key)), frame, meta), frame, meta, description),
        rows,
        indicator,
    )


@functools.lru_cache(maxsize=64)
def _template(names: tuple[str, ...], kinds: tuple[str, ...], tick_months: int) -> dict:
    """The published spec of a small chart for these areas, without data and words: built through Altair once per
    set of areas (~0.1 s each time), so a factsheet's six charts cost one build. Never mutate the result."""
    placeholder = charts.ChartMeta(title="-", subtitle="-", source="-", file_stem="-")
    spec = charts.make_figure(_chart(names, kinds, tick_months), pd.DataFrame(), placeholder, "").screen_spec
    config = dict(spec["config"])
    config["title"] = {**config["title"], "fontSize": 13, "subtitleFontSize": 10, "offset": 6}
    return {**spec, "config": {**config, "padding": 6}}


def _spec(template: dict, frame: pd.DataFrame, meta: charts.ChartMeta) -> dict:
    """A template with its words and data: title, subtitle, the source line wrapped to two lines, the rows."""
    footer = template["vconcat"][0]["title"]
    footer = {**footer, "fontSize": 9, "text": textwrap.wrap(meta.source_line, SOURCE_WIDTH)}
    return {
        **template,
        "title": {**template["title"], "text": meta.title, "subtitle": [meta.subtitle]},
        "vconcat": [{**template["vconcat"][0], "title": footer}],
        "datasets": {DATASET: frame.to_dict("records")},
    }


def _tick_months(last_month: str) -> int:
    """Months between the x axis's labels: every half year up to two years from January 2019, else every year."""
    year, month = (int(part) for part in last_month.split("-"))
    return 6 if (year - SPARKLINE_FROM.year) * 12 + month <= 24 else 12


def _chart(names: tuple[str, ...], kinds: tuple[str, ...], tick_months: int) -> alt.Chart:
    """Lines for the area and its references in the profile's colours, Nederland dashed grey."""
    colours = [COMPARISON_COLOURS[kind] for kind in kinds]
    dashes = [DASHES[kind] for kind in kinds]
    return (
        alt.Chart(alt.NamedData(DATASET))
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X(
                "datum:T",
                title=None,
                axis=alt.Axis(
                    format="%b %Y",
                    tickCount={"interval": "month", "step": tick_months},
                    labelFontSize=10,
                    grid=False,
                    labelOverlap="greedy",
                ),
            ),
            y=alt.Y("waarde:Q", title=None, axis=alt.Axis(format=",.3~r", tickCount=4, labelFontSize=10)),
            color=alt.Color(
                "gebied:N",
                title=None,
                scale=alt.Scale(domain=list(names), range=colours),
                legend=alt.Legend(orient="top", labelFontSize=10, symbolStrokeWidth=3),
            ),
            strokeDash=alt.StrokeDash("gebied:N", scale=alt.Scale(domain=list(names), range=dashes), legend=None),
        )
        .properties(width=PLOT_WIDTH, height=PLOT_HEIGHT)
    )


def _describe(frame: pd.DataFrame, indicator: pd.Series, names: tuple[str, ...], unit: str) -> str:
    """The chart's text alternative: what is drawn and where each area stands at the end."""
    ends = []
    for name in names:
        series = frame[(frame["gebied"] == name) & frame["waarde"].notna()]
        if not series.empty:
            last = series.iloc[-1]
            ends.append(f"{name} {fmt.number(last['waarde'], 1)} ({last['periode']})")
    shown = ", ".join(ends) if ends else "geen cijfers"
    return (
        f"Lijngrafiek: {indicator['name']} ({unit}) vanaf januari 2019 voor {', '.join(names)}. Laatste cijfers: "
        f"{shown}."
    )
