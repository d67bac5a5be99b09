"""The house style of every chart, on screen and in exports: one Altair config, title, subtitle, source and date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import pandas as pd

from ratc import fmt

# Okabe-Ito: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
WORSE, BETTER, NEUTRAL, REFERENCE = "#D55E00", "#0072B2", "#8C8C8C", "#4D4D4D"
# Diverging scale for change where a rise is bad: blue (better) .. light grey .. vermillion (worse).
DIVERGING = ["#0072B2", "#8FBEDC", "#F2F2F2", "#F0B27A", "#D55E00"]
SEQUENTIAL = ["#E8F1F8", "#B3D3EA", "#6AA9D6", "#2F7FBF", "#0B4F8A"]
FONT = "Helvetica, Arial, sans-serif"
WIDTH = 720
HEIGHT = 320

LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]},
    "time": {
        "dateTime": "%A %e %B %Y %X",
        "date": "%d-%m-%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
        "months": [
            "januari", "februari", "maart", "april", "mei", "juni",
            "juli", "augustus", "september", "oktober", "november", "december",
        ],
        "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    },
}  # fmt: skip


@dataclass(frozen=True)
class ChartMeta:
    """What a published chart says about itself: title, subtitle, source, date and a telling file name."""

    title: str
    subtitle: str
    source: str
    file_stem: str
    is_demo: bool = False
    made_on: dt.date | None = None

    @property
    def source_line(self) -> str:
        """'Bron: CBS / UWV (Demodata). RAT-C Zuid-Holland-Zuid, 25 november 2026.'"""
        demo = " (Demodata)" if self.is_demo else ""
        made_on = self.made_on or dt.date.today()
        return f"Bron: {self.source}{demo}. RAT-C Zuid-Holland-Zuid, {fmt.date_long(made_on)}."


def house_config() -> dict:
    """The Vega-Lite config of the house style, with Dutch number and date formats."""
    return {
        "locale": LOCALE,
        "font": FONT,
        "background": "#FFFFFF",
        "padding": 12,
        "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT},
        "range": {"category": PALETTE, "diverging": DIVERGING, "ramp": SEQUENTIAL},
        "title": {"fontSize": 18, "fontWeight": 600, "anchor": "start", "color": "#1F2933", "subtitleFontSize": 13,
                  "subtitleColor": "#52606D", "offset": 10},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": 400, "labelColor": "#334E68",
                 "titleColor": "#334E68", "gridColor": "#E4E7EB", "domainColor": "#9AA5B1", "tickColor": "#9AA5B1"},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": 400, "orient": "bottom",
                   "direction": "horizontal"},
        "line": {"strokeWidth": 2.5},
        "point": {"size": 50},
        "text": {"fontSize": 12, "color": "#1F2933"},
    }  # fmt: skip


def publication(chart: alt.TopLevelMixin, meta: ChartMeta) -> alt.VConcatChart:
    """The chart with its title and subtitle above and the source line and date below, in the house style."""
    footer = alt.TitleParams(meta.source_line, orient="bottom", anchor="start", fontSize=11, fontWeight=400,
                             color="#52606D", offset=14)  # fmt: skip
    framed = alt.vconcat(chart.properties(title=footer))
    header = alt.TitleParams(meta.title, subtitle=[meta.subtitle] if meta.subtitle else [])
    return framed.properties(title=header).configure(**house_config())


@dataclass(frozen=True)
class Figure:
    """A published chart ready to show and export: its Vega-Lite spec, data, metadata, description and table."""

    spec: dict
    data: pd.DataFrame
    meta: ChartMeta
    description: str
    table: pd.DataFrame | None = None


def make_figure(
    chart: alt.TopLevelMixin,
    data: pd.DataFrame,
    meta: ChartMeta,
    description: str,
    table: pd.DataFrame | None = None,
) -> Figure:
    """Publish a chart once into a plain spec (skipping Altair's slow schema check; the tests run it)."""
    spec = publication(chart, meta).to_dict(validate=False)
    # Vega-Lite puts the description on the chart as its ARIA label, so a screen reader reads it out
    spec["description"] = description
    return Figure(spec, data, meta, description, table)
