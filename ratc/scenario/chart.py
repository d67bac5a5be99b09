"""Scenario charts, large enough to read on a shared screen: observed, scenario with its band, and no crisis.

The main chart shows one indicator for one area from January 2020 to December 2021: the observed series (dark),
the no-crisis path (blue, dashed) and the scenario (vermillion) with its band, each line labelled at its end so
nobody has to look for a legend. The comparison chart shows pinned scenarios side by side in the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from ratc.core import charts, export, fmt, periods
from ratc.scenario.municipal import Projection

OBSERVED, NO_CRISIS = "Waargenomen", "Zonder crisis"
OBSERVED_COLOUR, NO_CRISIS_COLOUR, SCENARIO_COLOUR = "#1F2933", "#0072B2", "#D55E00"
# pinned scenarios: Okabe-Ito colours that stay apart from the dark observed line and the blue no-crisis line
COMPARE_COLOURS = ["#D55E00", "#009E73", "#CC79A7", "#E69F00"]
PLOT_WIDTH, PLOT_HEIGHT = 420, 250  # beside the sliders on a 1280 px screen with the sidebar open
COMPARE_WIDTH = 680  # the comparison spans the page
LABEL_GAP_PX = 22  # an end label at 15 px is ~18 px high; the nice y domain is a little wider than the data
COLUMNS = ["reeks", "maand", "datum", "waarde", "laag", "hoog"]
FONT_SIZE = 15  # axes and labels: readable on a shared screen
FIRST_MONTH = "2020-01"
LAST_MONTH = "2021-12"


def main_figure(projection: Projection, indicator: str, area_code: str, hide_outcome: bool = False) -> charts.Figure:
    """The chart of one indicator for one area; with `hide_outcome` only what was observed up to the start."""
    name = projection.label[0].upper() + projection.label[1:]  # 'dit scenario' reads as 'Dit scenario' in a legend
    names = [] if hide_outcome else [name]
    rows = series_rows(projection, indicator, area_code, [(name, projection)])
    if hide_outcome:
        rows = [row for row in rows if row["reeks"] == OBSERVED and row["maand"] <= projection.observed.start]
    meta = _meta(projection, indicator, area_code, name if not hide_outcome else "uitkomst verborgen")
    layout = _layout(projection, indicator, names)
    spec = _with_data(_template(layout, meta), rows, names, layout)
    description = _description(projection, indicator, area_code, hide_outcome)
    return charts.Figure(spec, pd.DataFrame(rows, columns=COLUMNS), meta, description, _table(rows))


def compare_figure(
    pinned: Sequence[tuple[str, Projection]], indicator: str, area_code: str, band: bool = False
) -> charts.Figure:
    """Pinned scenarios (name, projection) on one chart for one area, with the observed series and no crisis; on
    screen without bands (four bands on top of each other are a blur there), with `band` for a paper."""
    first = pinned[0][1]
    rows = series_rows(first, indicator, area_code, pinned)
    names = [name for name, _ in pinned]
    meta = _meta(first, indicator, area_code, f"{len(names)} scenario's vergeleken")
    layout = _layout(first, indicator, names, COMPARE_WIDTH, band=band)
    spec = _with_data(_template(layout, meta), rows, names, layout)
    area = first.observed.names[area_code]
    bands = "met de band van elk scenario" if band else "zonder banden; die staan bij elk scenario afzonderlijk"
    description = (
        f"{first.observed.indicators[indicator]['name']} in {area}: waargenomen tot en met "
        f"{periods.parse_period(first.observed.start, 'maand').label}, daarna {', '.join(names)} en zonder crisis "
        f"({bands})."
    )
    return charts.Figure(spec, pd.DataFrame(rows, columns=COLUMNS), meta, description, _table(rows))


def series_rows(
    projection: Projection, indicator: str, area_code: str, scenarios: Sequence[tuple[str, Projection]]
) -> list[dict]:
    """The chart's data: a row per series and month (observed, no crisis, each scenario with its band); every
    projected series starts at the last observation so the lines join."""
    months, values = projection.observed.series.get((indicator, area_code), ((), []))
    rows = [_row(OBSERVED, month, value) for month, value in zip(months, values, strict=True) if month >= FIRST_MONTH]
    start = projection.observed.start
    joint = float(values[months.index(start)]) if start in months else None
    for name, run in [(NO_CRISIS, projection), *scenarios]:
        paths = run.paths[(indicator, area_code)]
        if name == NO_CRISIS:
            nothing = [None] * len(run.months)
            lines = zip(run.months, paths["zonder_crisis"], nothing, nothing, strict=True)
        else:
            lines = zip(run.months, paths["scenario"], paths["laag"], paths["hoog"], strict=True)
        if joint is not None:
            rows.append(_row(name, start, joint, *(joint, joint) if name != NO_CRISIS else (None, None)))
        rows.extend(_row(name, month, value, low, high) for month, value, low, high in lines)
    return rows


def _row(series: str, month: str, value: float, low: float | None = None, high: float | None = None) -> dict:
    """One row of chart data."""
    return {
        "reeks": series,
        "maand": month,
        "datum": f"{month}-15",
        "waarde": float(value),
        "laag": None if low is None else float(low),
        "hoog": None if high is None else float(high),
    }


@dataclass(frozen=True)
class Layout:
    """What fixes a chart's structure (its data aside): series, start month, axis title and scale."""

    names: tuple[str, ...]
    start: str
    y_title: str
    is_stock: bool
    width: int = PLOT_WIDTH
    band: bool = True


def _layout(
    projection: Projection, indicator: str, names: Sequence[str], width: int = PLOT_WIDTH, band: bool = True
) -> Layout:
    """The structure of a chart for these scenario names."""
    meta = projection.observed.indicators[indicator]
    start, y_title = projection.observed.start, _y_title(projection, indicator)
    return Layout(tuple(names), start, y_title, meta["is_stock"], width, band)


@functools.lru_cache(maxsize=128)
def _template(layout: Layout, meta: charts.ChartMeta) -> dict:
    """The published spec of a chart without its data (named datasets), built through Altair once per structure:
    a slider change only swaps the data, which keeps a rerun far under Altair's ~250 ms. Never mutate the result."""
    spec = charts.make_figure(_chart(layout), pd.DataFrame(), meta, "").spec
    footer = spec["vconcat"][0]["title"]
    # the source line is wider than a chart beside the sliders: two lines instead of one cut off
    text = " ".join(footer["text"]) if isinstance(footer["text"], list) else footer["text"]
    spec["vconcat"][0] = {**spec["vconcat"][0], "title": {**footer, "text": textwrap.wrap(text, 80)}}
    return spec


def _with_data(template: dict, rows: list[dict], names: Sequence[str], layout: Layout) -> dict:
    """A template with this chart's data filled in."""
    series = [OBSERVED, NO_CRISIS, *names] if names else [OBSERVED]
    colours = dict(zip(series, _colours(len(names)), strict=False))
    return {**template, "datasets": {"reeksen": rows, "eindlabels": _end_labels(rows, colours, layout.is_stock)}}


def _colours(scenarios: int) -> list[str]:
    """Observed, no crisis, then one colour per scenario."""
    return [OBSERVED_COLOUR, NO_CRISIS_COLOUR, *COMPARE_COLOURS[:scenarios]]


def _chart(layout: Layout) -> alt.LayerChart:
    """Band, lines, the start marker and end labels, reading the named datasets 'reeksen' and 'eindlabels'."""
    names = list(layout.names)
    hidden = not names
    series = [OBSERVED] if hidden else [OBSERVED, NO_CRISIS, *names]
    colours = [OBSERVED_COLOUR] if hidden else _colours(len(names))
    dashes = [[1, 0]] if hidden else [[1, 0], [7, 5], *([[1, 0]] * len(names))]
    x_scale = alt.Scale(domain=[_date(FIRST_MONTH, 1), _date(LAST_MONTH, 31)])
    x = alt.X("datum:T", title=None, scale=x_scale,
              axis=alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": 3}, labelFontSize=FONT_SIZE,
                            grid=False))  # fmt: skip
    # from zero for counts per month; for benefits too while the outcome is hidden (a few observed months would
    # otherwise fill the whole height with noise)
    zero = hidden or not layout.is_stock
    y = alt.Y("waarde:Q", title=layout.y_title, scale=alt.Scale(zero=zero, nice=True),
              axis=alt.Axis(format=",.1~f", tickCount=5, labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE))  # fmt: skip
    legend = alt.Legend(orient="top", labelFontSize=FONT_SIZE, symbolStrokeWidth=4, symbolSize=500,
                        symbolType="stroke", labelLimit=320)  # fmt: skip
    colour = alt.Color("reeks:N", title=None, scale=alt.Scale(domain=series, range=colours), legend=legend)
    dash = alt.StrokeDash("reeks:N", title=None, scale=alt.Scale(domain=series, range=dashes), legend=None)
    tooltip = [alt.Tooltip("reeks:N", title="Reeks"), alt.Tooltip("maand:N", title="Maand"),
               alt.Tooltip("waarde:Q", title="Waarde", format=",.1~f")]  # fmt: skip
    base = alt.Chart()
    layers = []
    if not hidden and layout.band:
        layers.append(
            base.transform_filter(alt.FieldOneOfPredicate(field="reeks", oneOf=names))
            .mark_area(opacity=0.16)  # fill, not colour: the legend then shows the lines only
            .encode(
                x=x,
                y=alt.Y("laag:Q"),
                y2="hoog:Q",
                fill=alt.Fill("reeks:N", scale=alt.Scale(domain=series, range=colours), legend=None),
            )
        )
    layers.append(base.mark_line(strokeWidth=3.5).encode(x=x, y=y, color=colour, strokeDash=dash))
    # invisible points carry the tooltip along the whole line
    layers.append(base.mark_point(filled=True, size=90, opacity=0).encode(x=x, y=y, tooltip=tooltip))
    label = f"start model: {periods.parse_period(layout.start, 'maand').label}"  # as the subtitle says
    marker = alt.Chart(alt.Data(values=[{"datum": layout.start + "-15", "label": label}]))
    layers.append(marker.mark_rule(color="#7B8794", strokeDash=[3, 3], strokeWidth=1.5).encode(x=alt.X("datum:T")))
    layers.append(
        marker.mark_text(align="left", baseline="top", dx=5, y=4, fontSize=13, color="#52606D").encode(
            x=alt.X("datum:T"), text="label:N"
        )
    )
    if hidden:
        question = alt.Chart(alt.Data(values=[{"datum": "2021-03-01", "tekst": "Hoe loopt het verder?"}]))
        layers.append(
            question.mark_text(fontSize=26, fontWeight="bold", color="#9AA5B1").encode(
                x=alt.X("datum:T"), y=alt.value(PLOT_HEIGHT / 2), text="tekst:N"
            )
        )
    layers.append(
        alt.Chart(alt.NamedData("eindlabels"))
        .mark_text(align="left", dx=8, fontSize=FONT_SIZE, fontWeight="bold")
        .encode(
            x=alt.X("datum:T"),
            y=alt.Y("positie:Q"),
            text="tekst:N",
            color=alt.Color("kleur:N", scale=None),
        )  # fmt: skip
    )
    chart = alt.layer(*layers, data=alt.NamedData("reeksen")).properties(width=layout.width, height=PLOT_HEIGHT)
    # the end labels colour themselves (scale None); a shared colour scale would swallow the lines' legend
    return chart.resolve_scale(color="independent")


def _end_labels(rows: list[dict], colours: dict[str, str], is_stock: bool = True) -> list[dict]:
    """The value at the end of each line in its colour, placed (`positie`) below the one above when they would touch."""
    # the y scale covers the lines and the band (and zero for flows)
    values = [value for row in rows for value in (row["waarde"], row["laag"], row["hoog"]) if value is not None]
    spread = max(max(values, default=1.0) - min([*values, 0.0] if not is_stock else values, default=0.0), 1.0)
    gap = LABEL_GAP_PX * spread / PLOT_HEIGHT  # in data units
    ends = sorted((row for row in rows if row["maand"] == LAST_MONTH), key=lambda row: -row["waarde"])
    labels, above = [], None
    for row in ends:
        position = row["waarde"] if above is None else min(row["waarde"], above - gap)
        colour = colours.get(row["reeks"], OBSERVED_COLOUR)
        # a small municipality's bankruptcies per month are fractions: one decimal below ten
        text = fmt.number(row["waarde"], 1) if abs(row["waarde"]) < 10 else fmt.number(rounded(row["waarde"]))
        labels.append({"datum": row["datum"], "waarde": row["waarde"], "positie": position, "tekst": text,
                       "kleur": colour})  # fmt: skip
        above = position
    return labels


def rounded(value: float) -> float:
    """A model outcome rounded to what it can claim: hundreds from 1,000, tens from 100, else whole numbers."""
    size = abs(value)
    unit = 100 if size >= 1000 else 10 if size >= 100 else 1
    return float(round(value / unit) * unit)


def _y_title(projection: Projection, indicator: str) -> str:
    """The y-axis title: the unit, per month for flows."""
    meta = projection.observed.indicators[indicator]
    return meta["unit"] if meta["is_stock"] else f"{meta['unit']} per maand"


def _meta(projection: Projection, indicator: str, area_code: str, label: str) -> charts.ChartMeta:
    """Title, subtitle (area, scenario, start), source and file name."""
    meta = projection.observed.indicators[indicator]
    area = projection.observed.names[area_code]
    start = periods.parse_period(projection.observed.start, "maand").label
    return charts.ChartMeta(
        title=f"{meta['name']}: scenario tot eind 2021",
        subtitle=f"{area} · {label} · model vanaf {start}",
        source=f"{meta['source']}; scenariomodel RAT-C (CPB-scenario's 2020)",
        file_stem=export.file_stem(f"scenario {meta['short_name']}", area, label),
        is_demo=indicator in projection.observed.demo_indicators,
        made_on=dt.date.today(),  # part of the template's cache key: the date in the source line stays right
    )


def _description(projection: Projection, indicator: str, area_code: str, hidden: bool) -> str:
    """The chart's text alternative."""
    meta = projection.observed.indicators[indicator]
    area = projection.observed.names[area_code]
    start = periods.parse_period(projection.observed.start, "maand").label
    if hidden:
        return f"{meta['name']} in {area}, waargenomen tot en met {start}. De uitkomst van het scenario is verborgen."
    return (
        f"{meta['name']} in {area}: waargenomen tot en met {start}, daarna {projection.label} (met de band van de "
        "aannames) en zonder crisis, tot en met december 2021."
    )


def _table(rows: list[dict]) -> pd.DataFrame:
    """The chart's data as a Dutch table: a row per month, a column per series."""
    series = list(dict.fromkeys(row["reeks"] for row in rows))
    months = sorted({row["maand"] for row in rows})
    cells = {(row["reeks"], row["maand"]): row["waarde"] for row in rows}
    table = {"Maand": [periods.parse_period(month, "maand").label for month in months]}
    for name in series:
        table[name] = [fmt.number(cells.get((name, month))) for month in months]
    return pd.DataFrame(table)


def _date(month: str, day: int) -> alt.DateTime:
    """A date for a Vega-Lite scale domain (the last day is clipped to the month)."""
    year, number = (int(part) for part in month.split("-"))
    last = (dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1)).day
    return alt.DateTime(year=year, month=number, date=min(day, last))
