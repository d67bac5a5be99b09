"""The house style of every chart, on screen and in exports: one Altair config, title, subtitle, source and date."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

import altair as alt
import pandas as pd
import pyarrow as pa

from ratc.core import fmt

# Okabe-Ito: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
WORSE, BETTER, NEUTRAL, REFERENCE = "#D55E00", "#0072B2", "#8C8C8C", "#4D4D4D"
# Diverging scale for change where a rise is bad: blue (better) .. light grey .. vermillion (worse).
DIVERGING = ["#0072B2", "#8FBEDC", "#F2F2F2", "#F0B27A", "#D55E00"]
SEQUENTIAL = ["#E8F1F8", "#B3D3EA", "#6AA9D6", "#2F7FBF", "#0B4F8A"]
# One visual grammar for the areas compared on every chart: colour and dash of a municipality, the region, the
# province and the Netherlands. A chart of several municipalities gives the others PALETTE's next colours.
AREA_STYLES = {
    "gemeente": (PALETTE[0], [1, 0]),
    "regio": ("#1F2933", [7, 4]),
    "provincie": ("#52606D", [8, 3, 2, 3]),
    "land": (NEUTRAL, [2, 3]),
}
FONT = "Helvetica, Arial, sans-serif"
WIDTH = 720  # the print width of exports; on screen a chart takes its container's width (`on_screen`)
HEIGHT = 320
SLIDE_FONT = 16  # presentation mode: no text under 14 px on a 1280×720 shared screen, with a margin
SLIDE_HEIGHT = 360
SLIDE_PADDING = {"left": 16, "top": 12, "right": 80, "bottom": 12}
FONT_KEYS = frozenset({"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize"})
# Small multiples on screen: two panels a row fit a phone's 390 px column (a facet cannot reflow in the browser).
SCREEN_FACET_COLUMNS = 2
SOURCE_LINE_CHARS = 110  # of the 11 px source line in a 720 px chart

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
    # when only some parts of a chart are demo (panels, rows): their names
    demo_parts: tuple[str, ...] = ()
    # decimals of the figures in exports (CSV, Excel): the indicator's, else two
    decimals: int = 2

    @property
    def source_line(self) -> str:
        """'Bron: CBS, UWV (Demodata); bewerking RAT-C Zuid-Holland-Zuid, 25 november 2026.' (citable as it is)"""
        demo = ""
        if self.is_demo:
            demo = f" (Demodata: {', '.join(self.demo_parts)})" if self.demo_parts else " (Demodata)"
        made_on = self.made_on or dt.date.today()
        return f"Bron: {self.source}{demo}; bewerking RAT-C Zuid-Holland-Zuid, {fmt.date_long(made_on)}."

    @property
    def demo_note(self) -> str:
        """What the label above a chart says: all of it is demo, or which parts are."""
        if not self.is_demo:
            return ""
        if self.demo_parts:
            return f"Demodata in deze grafiek: {fmt.listing(self.demo_parts)}; de andere cijfers zijn echt."
        return "Deze grafiek toont demodata."


def source_names(sources: Iterable[object]) -> str:
    """The organisations behind a chart of several indicators, each once: 'CBS, UWV, RIVM, gemeenten'.

    An indicator's source names its statistic too ('CBS (Bijstandsuitkeringenstatistiek)'); Bronnen & imports
    says that per indicator, a chart of twenty indicators names who the figures come from.
    """
    parts = (part for source in sources for part in re.split(r"[;/]", str(source)))
    names = (re.sub(r"\s*\(.*\)\s*$", "", part).strip() for part in parts)
    names = ("gemeenten" if name == "Gemeente" else name for name in names)
    return ", ".join(dict.fromkeys(name for name in names if name and name.lower() not in ("nan", "none")))


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
        # Screen readers get the chart's Dutch description and its table, not every mark, axis and legend in
        # English with field names ("label_y: −6"): no ARIA on marks and guides (docs/TOEGANKELIJKHEID.md).
        "aria": False,
        "mark": {"aria": False},
    }  # fmt: skip


def publication(chart: alt.TopLevelMixin, meta: ChartMeta) -> alt.VConcatChart:
    """The chart with its title and subtitle above and the source line and date below, in the house style."""
    lines = textwrap.wrap(meta.source_line, SOURCE_LINE_CHARS)  # a long line would widen the chart
    footer = alt.TitleParams(lines, orient="bottom", anchor="start", fontSize=11, fontWeight=400,
                             color="#52606D", offset=14)  # fmt: skip
    framed = alt.vconcat(chart.properties(title=footer))
    header = alt.TitleParams(meta.title, subtitle=[meta.subtitle] if meta.subtitle else [])
    return framed.properties(title=header).configure(**house_config())


def on_screen(spec: dict) -> dict:
    """The published spec as a screen shows it: as wide as its container, small multiples two a row.

    Exports keep the fixed print width of `publication`. The title, subtitle and source line go to the page, as
    text that wraps (`ui.show_chart`); a chart cuts them off on a phone. A single chart (a mark or a layer) then
    loses the vconcat that carried its source line, so that it can take `width="container"` (Vega-Lite cannot
    stretch a concatenation). Charts of steps (a matrix of cells) keep their width: the page lets them scroll
    inside their box.
    """
    # the title goes above the chart as text, which wraps on a phone where a chart's title is cut off ("…")
    top = {key: value for key, value in spec.items() if key != "title"}
    inner = spec.get("vconcat", [None])[0] if len(spec.get("vconcat", [])) == 1 else None
    if not isinstance(inner, dict):
        return top
    chart = {key: value for key, value in inner.items() if key != "title"}  # the source line: text under it too
    if "facet" in chart and chart.get("columns", 0) > SCREEN_FACET_COLUMNS:
        chart["columns"] = SCREEN_FACET_COLUMNS
    if ("mark" in chart or "layer" in chart) and isinstance(chart.get("width"), int | float):
        top = {key: value for key, value in top.items() if key != "vconcat"}
        return {**top, **chart, "width": "container", "autosize": {"type": "fit-x", "contains": "padding"}}
    return {**top, "vconcat": [chart]}


def on_slide(spec: dict) -> dict:
    """The screen spec for a shared screen (presentation mode): every text at least SLIDE_FONT px, a single chart
    SLIDE_HEIGHT px tall; the slide shows the title above it."""

    def grown(node: object) -> object:
        if isinstance(node, dict):
            return {key: max(value, SLIDE_FONT) if key in FONT_KEYS and isinstance(value, int | float)
                    else grown(value) for key, value in node.items()}  # fmt: skip
        return [grown(item) for item in node] if isinstance(node, list) else node

    shown = grown(on_screen(spec))
    if is_stretched(shown) and isinstance(shown.get("height"), int | float):
        shown["height"] = max(shown["height"], SLIDE_HEIGHT)
    # room for labels at a line's end, which the chart's width does not count, inside the slide's column
    shown["padding"] = SLIDE_PADDING
    return shown


def is_stretched(spec: dict) -> bool:
    """Whether a screen spec takes its container's width (else it keeps its own and may need to scroll)."""
    return spec.get("width") == "container"


@dataclass(frozen=True)
class Figure:
    """A published chart ready to show and export: its spec as shown, data, metadata, description and table.

    A figure is made once and cached, then shown on every rerun. So it keeps its tables in the form the screen
    takes: the chart's rows as Arrow IPC bytes inside `screen_spec` (what `st.vega_lite_chart` sends), map
    geometry as one data URL, and its data and table as Arrow bytes, which unpickle from the cache as one copy
    instead of object by object. For 355 municipalities or 100 indicators, converting them on every rerun took a
    few hundred ms (bench/run.py). `spec`, `data` and `table` give them back as rows and DataFrames, for exports
    (vl-convert reads data URLs) and tests.
    """

    screen_spec: dict
    stored_data: bytes | pd.DataFrame
    meta: ChartMeta
    description: str
    stored_table: bytes | pd.DataFrame | None = None

    @property
    def spec(self) -> dict:
        """The full Vega-Lite spec with its data as rows, for exports (PNG, SVG, PDF)."""
        if "datasets" not in self.screen_spec:
            return dict(self.screen_spec)
        datasets = {
            name: arrow_rows(values) if isinstance(values, bytes) else values
            for name, values in self.screen_spec["datasets"].items()
        }
        return {**self.screen_spec, "datasets": datasets}

    @property
    def data(self) -> pd.DataFrame:
        """The chart's data as a table, for the CSV and Excel downloads."""
        return _frame(self.stored_data)

    @property
    def table(self) -> pd.DataFrame | None:
        """The Dutch table shown under the chart, when it differs from the data."""
        return None if self.stored_table is None else _frame(self.stored_table)

    @property
    def screen_table(self) -> pa.Table | pd.DataFrame:
        """The table under the chart (`table`, else `data`) as `st.dataframe` takes it without converting."""
        stored = self.stored_data if self.stored_table is None else self.stored_table
        return arrow_table(stored) if isinstance(stored, bytes) else stored


def make_figure(
    chart: alt.TopLevelMixin,
    data: pd.DataFrame,
    meta: ChartMeta,
    description: str,
    table: pd.DataFrame | None = None,
) -> Figure:
    """Publish a chart once into a plain spec (skipping Altair's slow schema check; the tests run it)."""
    # Altair refuses inline data over 5,000 rows unless told; the heatmap and the profile of a monitor with all
    # 355 municipalities or 100 indicators have tens of thousands (bench/run.py). Idempotent, so thread-safe.
    alt.data_transformers.disable_max_rows()
    spec = publication(chart, meta).to_dict(validate=False)
    # Vega-Lite puts the description on the chart as its ARIA label, so a screen reader reads it out
    spec["description"] = description
    for name, rows in list(spec.get("datasets", {}).items()):
        if _is_geometry(rows):
            # one string instead of tens of thousands of nested lists: Streamlit decodes and encodes the spec
            # several times per rerun, and for 355 municipalities' boundaries that was most of the Kaart page
            del spec["datasets"][name]
            spec = _named_to_url(spec, name, "data:application/json;base64," + _base64_json(rows))
        else:
            spec["datasets"][name] = _screen_form(rows)
    if spec.get("datasets") == {}:
        del spec["datasets"]
    return Figure(spec, _stored(data), meta, description, None if table is None else _stored(table))


def arrow_bytes(rows: list[dict]) -> bytes:
    """Table rows as an Arrow IPC stream, converted as Streamlit converts a chart's rows (via a DataFrame)."""
    return _ipc(pa.Table.from_pandas(pd.DataFrame.from_records(rows)))


def _stored(frame: pd.DataFrame) -> bytes | pd.DataFrame:
    """A DataFrame as Arrow IPC bytes when it comes back from them unchanged (dtypes too), else itself."""
    try:
        stored = _ipc(pa.Table.from_pandas(frame))
        pd.testing.assert_frame_equal(_frame(stored), frame)
    except (pa.ArrowException, ValueError, TypeError, AssertionError):
        return frame
    return stored


def _frame(stored: bytes | pd.DataFrame) -> pd.DataFrame:
    """A DataFrame kept by `_stored`."""
    return arrow_table(stored).to_pandas() if isinstance(stored, bytes) else stored


def arrow_table(stream: bytes) -> pa.Table:
    """The table in an Arrow IPC stream."""
    return pa.ipc.open_stream(stream).read_all()


def arrow_rows(stream: bytes) -> list[dict]:
    """The rows of an Arrow IPC stream."""
    return arrow_table(stream).to_pylist()


def _ipc(table: pa.Table) -> bytes:
    """A table as an Arrow IPC stream."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _is_geometry(values: object) -> bool:
    """Whether a dataset is GeoJSON features or a TopoJSON topology rather than a table."""
    if isinstance(values, dict):
        return values.get("type") in ("Topology", "FeatureCollection")
    first = values[0] if isinstance(values, list) and values else None
    return isinstance(first, dict) and first.get("type") == "Feature"


def _named_to_url(spec: object, name: str, url: str) -> object:
    """The spec with every reference to the named dataset (`{"name": …, "format": …}`) turned into the URL."""
    if isinstance(spec, dict):
        if spec.get("name") == name and set(spec) <= {"name", "format"}:
            return {**{key: value for key, value in spec.items() if key != "name"}, "url": url}
        return {key: _named_to_url(value, name, url) for key, value in spec.items()}
    if isinstance(spec, list):
        return [_named_to_url(value, name, url) for value in spec]
    return spec


def _base64_json(values: object) -> str:
    """Values as compact JSON, base64-encoded for a data URL."""
    return base64.b64encode(json.dumps(values, separators=(",", ":")).encode()).decode("ascii")


def _screen_form(rows: object) -> object:
    """A dataset as Arrow bytes when it is a flat table that survives the round trip; else as it is."""
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
        return rows
    if any(isinstance(value, dict | list) for value in rows[0].values()):
        return rows  # nested values: Streamlit keeps them in the spec
    try:
        converted = arrow_bytes(rows)
    except (pa.ArrowException, ValueError, TypeError):
        return rows  # mixed types in a column: leave them to Streamlit, which turns them into text
    return converted if arrow_rows(converted) == rows else rows
