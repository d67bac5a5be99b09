"""Trends: one indicator over time for chosen municipalities against the region and the Netherlands.

Three measures: the figure as published (`absoluut`), per 10,000 inhabitants (counts only; population on
1 January 2020) and an index against the pre-crisis baseline (value ÷ baseline × 100; only where the indicator
has a baseline). Four ranges, relative to the context's "stand per" date: everything, the year 2020, and the
last six or three months. The national measures of 2020 (`data/measures.csv`) are drawn as vertical markers.

The horizontal reference line is the baseline: y = 100 for the index; for `absoluut` and `per_10k` the
baseline level of the focus area (the one chosen municipality, otherwise the region), because each area has its
own level and one line for all would mislead; none for seasonal indicators, whose baseline differs per period.
Nederland is left out of absolute counts: it is some forty times the region and would flatten every other line.
A context province (Zuid-Holland, for figures CBS publishes per province only, such as bankruptcies) is drawn
beside the region and Nederland where it has figures, under the same rule.

The words around the chart (titles, description, table) are in `trend_text`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from ratc.core import charts, fmt, metadata, paths, periods
from ratc.core.context import Context
from ratc.monitor import coverage, trend_text
from ratc.monitor.overview import Query
from ratc.warehouse import baseline

MEASURES = {"absoluut": "Absoluut", "per_10k": "Per 10.000 inwoners", "index": "Index (basis = 100)"}
PRESETS = {"alles": "Alles", "2020": "2020", "6m": "Laatste 6 maanden", "3m": "Laatste 3 maanden"}
MAX_MUNICIPALITIES = 5
# Municipalities in the first five Okabe-Ito colours; the region dark and dashed, the Netherlands grey and dotted.
MUNICIPALITY_COLOURS = charts.PALETTE[:MAX_MUNICIPALITIES]
PLOT_WIDTH = charts.WIDTH - 90  # with the y axis and padding the whole image stays about 720 px wide
PLOT_HEIGHT = charts.HEIGHT
MARKER_COLOUR = "#7B8794"
MARKER_FONT_SIZE = 11
MARKER_CHAR_PX = 5.4  # average width of a character at 11 px Helvetica: enough to keep labels apart
MARKER_ROW_PX = 14
LABEL_HEIGHT_PX = 18  # the baseline's label and a little air
TICK_MONTHS = {"alles": 6, "2020": 2, "6m": 1, "3m": 1}
DATE_FORMAT = "%Y-%m-%d"
COLUMNS = [
    "gebied_code",
    "gebied",
    "soort",
    "periode_code",
    "periode",
    "begindatum",
    "einddatum",
    "waarde",
    "oorspronkelijke_waarde",
    "basiswaarde",
]


@dataclass(frozen=True)
class Trend:
    """Everything the Trends page shows for one choice: chart data, chart, metadata, text and table."""

    frame: pd.DataFrame
    chart: alt.LayerChart
    meta: charts.ChartMeta
    description: str
    table: pd.DataFrame

    @property
    def is_empty(self) -> bool:
        """True when the range holds no observations (e.g. '2020' while the context stands in 2019)."""
        return self.frame.empty


def read_measures(data_dir: Path | None = None) -> pd.DataFrame:
    """The national measures of 2020 from `data/measures.csv`: date, label, description, source (none without it)."""
    file = (data_dir or paths.data_dir()) / "measures.csv"
    if not file.exists():  # a data dir of its own (a test's, a benchmark's) may mark no measures
        return pd.DataFrame({"date": [], "label": [], "description": [], "source": []}, dtype=str)
    frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    frame["date"] = [dt.date.fromisoformat(day) for day in frame["date"]]
    return frame


def available_measures(indicator: Mapping) -> dict[str, str]:
    """The measures that make sense for an indicator, with their Dutch labels."""
    available = ["absoluut"]
    if indicator["per_10k"]:
        available.append("per_10k")
    if indicator["has_baseline"]:
        available.append("index")
    return {measure: MEASURES[measure] for measure in available}


def default_measure(options: Mapping[str, str]) -> str:
    """Per 10,000 where it exists: absolute counts of a municipality vanish beside the region's total."""
    return "per_10k" if "per_10k" in options else "absoluut"


def measure_options(query: Query, indicator_id: str) -> dict[str, str]:
    """The measures the page offers for the chosen indicator."""
    return available_measures(_indicator(query, indicator_id))


def date_range(preset: str, as_of_date: dt.date, first_date: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day a range preset covers, ending at the 'stand per' date."""
    if preset == "alles":
        return first_date, as_of_date
    if preset == "2020":
        return dt.date(2020, 1, 1), min(as_of_date, dt.date(2020, 12, 31))
    months = {"6m": 6, "3m": 3}.get(preset)
    if months is None:
        raise ValueError(f"unknown range preset {preset!r}")
    month_number = as_of_date.year * 12 + as_of_date.month - 1 - (months - 1)
    return dt.date(month_number // 12, month_number % 12 + 1, 1), as_of_date


def trend(
    query: Query,
    chosen: Context,
    municipalities: Sequence[str],
    measure: str,
    preset: str,
    made_on: dt.date | None = None,
) -> Trend:
    """The trend of the context's indicator for these municipalities, the region and the Netherlands."""
    indicator = _indicator(query, chosen.indicator)
    if measure not in available_measures(indicator):
        measure = "absoluut"
    municipalities = list(municipalities)[:MAX_MUNICIPALITIES]
    areas = query("area_list")
    codes = [*municipalities, metadata.REGION_CODE]
    if measure != "absoluut" or not indicator["is_count"]:
        codes += [*areas.loc[areas["area_type"] == "provincie", "area_code"], metadata.COUNTRY_CODE]
    frequency = indicator["frequency"]
    first_date = indicator["first_period_date"]
    first_date = first_date.date() if pd.notna(first_date) else chosen.as_of_date
    if frequency == "week":  # ISO week 1 of 2019 starts on 31 December 2018: say 'jan 2019'
        first_date = periods.period_containing(first_date + dt.timedelta(days=6), "maand").start
    start, end = date_range(preset, chosen.as_of_date, first_date)
    # every period that overlaps the range: a quarter that started before it still counts
    from_date = periods.period_containing(start, frequency).start
    observations = query(
        "observations_by_indicator",
        indicator_id=chosen.indicator,
        area_codes=codes,
        from_date=from_date,
        as_of_date=end,
    )
    frame = trend_frame(observations, areas, indicator, measure, codes)
    axis_start = min(start, from_date)
    if frequency != "week":  # a week that began a few days early does not change what the range is called
        start = axis_start
    measures = measures_in_range(read_measures(), axis_start, end)
    focus = municipalities[0] if len(municipalities) == 1 else metadata.REGION_CODE
    reference = reference_line(frame, indicator, measure, focus)
    if reference:
        reference.update(label_place(frame, reference, axis_start, end))
    chart = trend_chart(frame, indicator, measure, preset, axis_start, end, measures, reference)
    meta = trend_text.trend_meta(indicator, measure, frame, start, end, "demodata" in frame, made_on)
    description = trend_text.describe(frame, indicator, measure, municipalities)
    return Trend(frame, chart, meta, description, trend_text.table(frame, indicator, measure))


def trend_frame(
    observations: pd.DataFrame, areas: pd.DataFrame, indicator: Mapping, measure: str, codes: Sequence[str]
) -> pd.DataFrame:
    """The chart's data, export-friendly (dates as ISO text): one row per area and period, areas in `codes` order;
    with a column `demodata` ('ja') only when the rows are demo figures, so an export says so row by row."""
    area = areas.set_index("area_code")
    rows = observations[observations["area_code"].isin(codes)].copy()
    rows["order"] = rows["area_code"].map({code: number for number, code in enumerate(codes)})
    rows = rows.sort_values(["order", "period_start_date"])
    value = rows["value"].astype(float)
    if measure == "per_10k":
        shown = value / rows["area_code"].map(area["population_2020"]) * 10_000
    elif measure == "index":
        base = rows["baseline_value"].astype(float)
        shown = value / base.where(base != 0) * 100  # no index on a baseline of zero (small counts)
    else:
        shown = value
    frame = pd.DataFrame(
        {
            "gebied_code": rows["area_code"],
            "gebied": rows["area_code"].map(area["area_name"]),
            "soort": rows["area_code"].map(area["area_type"]),
            "periode_code": rows["period_key"],
            "periode": [periods.parse_period(key, indicator["frequency"]).label for key in rows["period_key"]],
            "begindatum": rows["period_start_date"].dt.strftime(DATE_FORMAT),
            "einddatum": rows["period_end_date"].dt.strftime(DATE_FORMAT),
            "waarde": shown.astype(float),
            "oorspronkelijke_waarde": value,
            "basiswaarde": rows["baseline_value"].astype(float),
        }
    )
    if rows["is_demo"].any():
        frame["demodata"] = rows["is_demo"].map({True: "ja", False: ""}).to_numpy()
    return frame.reset_index(drop=True).astype({column: "str" for column in COLUMNS[:7]})


def measures_in_range(measures: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The measures that fall inside the range, each with a label row so that no two labels overlap."""
    inside = measures[(measures["date"] >= start) & (measures["date"] <= end)].reset_index(drop=True)
    span = max((end - start).days, 1)
    rows, row_ends, aligns = [], [], []
    for day, label in zip(inside["date"], inside["label"], strict=True):
        x = (day - start).days / span * PLOT_WIDTH
        width = len(label) * MARKER_CHAR_PX + 6
        align = "left" if x + width <= PLOT_WIDTH else "right"
        left, right = (x, x + width) if align == "left" else (x - width, x)
        row = next((number for number, taken in enumerate(row_ends) if left > taken), len(row_ends))
        if row == len(row_ends):
            row_ends.append(right)
        row_ends[row] = right
        rows.append(row)
        aligns.append(align)
    return inside.assign(
        dag=[day.isoformat() for day in inside["date"]],
        datum_tekst=[fmt.date_long(day) for day in inside["date"]],
        rij=rows,
        uitlijning=aligns,
    )


def reference_line(frame: pd.DataFrame, indicator: Mapping, measure: str, focus: str) -> dict | None:
    """The baseline as a horizontal line: its level and label, or None when there is no single level."""
    if not indicator["has_baseline"] or frame.empty:
        return None
    short = baseline.short_label(indicator["frequency"], bool(indicator["is_seasonal"])).removeprefix("t.o.v. ")
    if measure == "index":
        return {"niveau": 100.0, "label": f"basis: {short} = 100"}
    if indicator["is_seasonal"]:
        return None
    rows = frame[frame["gebied_code"] == focus]
    if rows.empty or rows["basiswaarde"].isna().all():
        return None
    level = rows["basiswaarde"].iloc[0]
    if measure == "per_10k":
        level = level * rows["waarde"].iloc[0] / rows["oorspronkelijke_waarde"].iloc[0]
    return {"niveau": float(level), "label": f"basis {rows['gebied'].iloc[0]}: {short}"}


def label_place(frame: pd.DataFrame, reference: dict, start: dt.date, end: dt.date) -> dict:
    """Where the baseline's label goes so that no series runs through it: the right end, the left end, or the
    first stretch in between where the lines keep clear, above the baseline or below it."""
    values = frame["waarde"].dropna()
    low, high = min(values.min(), reference["niveau"]), max(values.max(), reference["niveau"])
    height = (high - low or 1) * (LABEL_HEIGHT_PX / PLOT_HEIGHT)
    share = (len(reference["label"]) * MARKER_CHAR_PX + 8) / PLOT_WIDTH  # of the x axis that the label covers
    begin, finish = pd.to_datetime(frame["begindatum"]), pd.to_datetime(frame["einddatum"])
    where = ((begin + (finish - begin) / 2) - pd.Timestamp(start)).dt.days / max((end - start).days, 1)
    bands = {"boven": (reference["niveau"], reference["niveau"] + height),
             "onder": (reference["niveau"] - height, reference["niveau"])}  # fmt: skip
    windows = [("right", 1 - share), *(("left", step / 10) for step in range(0, 10) if step / 10 + share <= 1)]
    for align, left in windows:
        near = frame["waarde"][(where >= left - 0.03) & (where <= left + share + 0.03)]
        for kind, band in bands.items():
            inside = band[0] >= low and band[1] <= high  # never over the axis or the marker labels
            if inside and not near.between(*band).any():
                x_px = PLOT_WIDTH - 2 if align == "right" else left * PLOT_WIDTH + 2
                return {"x_px": x_px, "uitlijning": align, "kant": kind}
    return {"x_px": PLOT_WIDTH - 2, "uitlijning": "right", "kant": "boven"}


def trend_chart(
    frame: pd.DataFrame,
    indicator: Mapping,
    measure: str,
    preset: str,
    start: dt.date,
    end: dt.date,
    measures: pd.DataFrame,
    reference: dict | None,
) -> alt.LayerChart:
    """Lines per area with tooltips, markers for the national measures and the baseline as a reference line."""
    names = list(dict.fromkeys(frame["gebied"]))
    kinds = dict(zip(frame["gebied"], frame["soort"], strict=True))
    colours, dashes, municipal = [], [], iter(MUNICIPALITY_COLOURS)
    for name in names:
        colour, dash = charts.AREA_STYLES[kinds[name]] if kinds[name] != "gemeente" else (None, [1, 0])
        colours.append(colour or next(municipal))
        dashes.append(dash)
    decimals = int(indicator["decimals"]) if measure == "absoluut" else 1
    x_scale = alt.Scale(domain=[_vega_date(start), _vega_date(end)])
    x = alt.X(
        "midden:T",
        title=None,
        scale=x_scale,
        axis=alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": tick_step(preset, start, end)},
                      grid=False, labelOverlap=True),
    )  # fmt: skip
    y = alt.Y("waarde:Q", title=trend_text.y_title(indicator, measure), scale=alt.Scale(zero=False),
              axis=alt.Axis(format=",.1~f", tickCount=6))  # fmt: skip
    legend = alt.Legend(orient="top", symbolType="stroke", symbolSize=400, symbolStrokeWidth=2.5)
    colour = alt.Color("gebied:N", title=None, scale=alt.Scale(domain=names, range=colours), legend=legend)
    dash = alt.StrokeDash("gebied:N", title=None, scale=alt.Scale(domain=names, range=dashes))
    tooltip = [
        alt.Tooltip("gebied:N", title="Gebied"),
        alt.Tooltip("periode:N", title="Periode"),
        alt.Tooltip("waarde:Q", title=MEASURES[measure] if measure != "absoluut" else "Waarde",
                    format=f",.{decimals}f"),
    ]  # fmt: skip
    base = alt.Chart().transform_calculate(  # the data sits on the layer: converted once
        midden=f"(time(timeParse(datum.begindatum, '{DATE_FORMAT}')) "
        f"+ time(timeParse(datum.einddatum, '{DATE_FORMAT}')) + 86400000) / 2"
    )
    many = frame.groupby("gebied")["periode_code"].count().max() > 60 if not frame.empty else False
    layers = [
        base.mark_line(strokeWidth=2.5).encode(x=x, y=y, color=colour, strokeDash=dash),
        base.mark_point(filled=True, size=80 if many else 40, opacity=0 if many else 1).encode(
            x=x, y=y, color=alt.Color("gebied:N", scale=alt.Scale(domain=names, range=colours), legend=None),
            tooltip=tooltip
        ),
    ]  # fmt: skip
    if reference:
        line = alt.Chart(alt.Data(values=[reference]))
        share = reference.get("x_px", PLOT_WIDTH - 2) / PLOT_WIDTH  # of the plot's width, which the screen sets
        above = reference.get("kant", "boven") == "boven"
        layers += [
            line.mark_rule(color=charts.REFERENCE, strokeWidth=1, opacity=0.7).encode(y=alt.Y("niveau:Q")),
            line.mark_text(
                align=reference.get("uitlijning", "right"), baseline="bottom" if above else "top",
                dy=-3 if above else 3, fontSize=11, color=charts.REFERENCE,
            ).encode(
                y=alt.Y("niveau:Q"), x=alt.XValue(alt.ExprRef(f"width * {share:.4f}")), text=alt.Text("label:N")
            ),
        ]  # fmt: skip
    if not measures.empty:
        columns = ["dag", "label", "description", "datum_tekst", "rij", "uitlijning"]
        markers = alt.Chart(alt.Data(values=measures[columns].to_dict("records")))
        markers = markers.transform_calculate(dag_tijd=f"time(timeParse(datum.dag, '{DATE_FORMAT}'))")
        marker_x = alt.X("dag_tijd:T", scale=x_scale)
        marker_tooltip = [alt.Tooltip("datum_tekst:N", title="Datum"), alt.Tooltip("label:N", title="Maatregel"),
                          alt.Tooltip("description:N", title="Toelichting")]  # fmt: skip
        layers.append(
            markers.mark_rule(color=MARKER_COLOUR, strokeDash=[3, 3], strokeWidth=1.2).encode(
                x=marker_x, tooltip=marker_tooltip
            )
        )
        for align, dx in (("left", 3), ("right", -3)):
            layers.append(
                markers.transform_filter(alt.datum.uitlijning == align)
                .transform_calculate(label_y=f"-6 - datum.rij * {MARKER_ROW_PX}")
                # on a phone the measures' names would overlap: the dashed rules and their tooltips stay
                .mark_text(
                    align=align,
                    baseline="bottom",
                    dx=dx,
                    fontSize=MARKER_FONT_SIZE,
                    color="#52606D",
                    opacity=alt.ExprRef("width < 480 ? 0 : 1"),
                )
                .encode(x=marker_x, y=alt.Y("label_y:Q", scale=None), text=alt.Text("label:N"), tooltip=marker_tooltip)
            )
    return alt.layer(*layers, data=frame).properties(width=PLOT_WIDTH, height=PLOT_HEIGHT)


def tick_step(preset: str, start: dt.date, end: dt.date) -> int:
    """Months between axis labels: the preset's, but at least four labels on a short series (real figures that
    began in March 2020 showed one label under 'Alles')."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return max(1, min(TICK_MONTHS[preset], months // 4))


def _indicator(query: Query, indicator_id: str) -> pd.Series:
    """One indicator's row of the catalog."""
    return query("indicator_catalog").set_index("indicator_id").loc[indicator_id]


def _vega_date(day: dt.date) -> alt.DateTime:
    """A date for a Vega-Lite scale domain, in local time like `timeParse`."""
    return alt.DateTime(year=day.year, month=day.month, date=day.day)


def trend_figure(
    query: Query, chosen: Context, municipalities: tuple[str, ...], measure: str, preset: str
) -> tuple[charts.Figure | None, str]:
    """The trend published once for showing and exporting, or None with the reason when there is nothing to show;
    besides a figure, a note naming the municipalities the region's line misses (else "")."""
    empty = coverage.indicator_empty_text(query, chosen.indicator)
    if empty:
        return None, empty
    gap = coverage.region_gap_texts(query, chosen).get(chosen.indicator, "")
    result = trend(query, chosen, list(municipalities), measure, preset)
    if result.is_empty:
        return None, f"{gap} Kies gemeenten om hun cijfers te zien." if gap else result.description
    figure = charts.make_figure(result.chart, result.frame, result.meta, result.description, result.table)
    return figure, gap
