"""The Samenhang page's two charts drawn: the heatmap of change per municipality and indicator, on a diverging
scale clipped at the 90th percentile, and the scatter of two indicators with the region as reference lines and
each municipality's name placed where it overlaps least."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from ratc.core import charts

CLIP_PERCENTILE = 90
CELL_WIDTH = 46
CELL_HEIGHT = 22
SCATTER_WIDTH = charts.WIDTH - 90
SCATTER_HEIGHT = 400
HIGHLIGHT = charts.PALETTE[1]
# Domain names above their rows, close to the first row: the space below a group then separates it from the next.
DOMAIN_HEADER = alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelAlign="left",
                           labelBaseline="top", labelPadding=4, labelFontSize=13, labelFontWeight=600,
                           labelColor="#1F2933")  # fmt: skip
# the region as on every chart (charts.AREA_STYLES): its colour and dash
REGION_RULE = {
    "color": charts.AREA_STYLES["regio"][0],
    "strokeDash": charts.AREA_STYLES["regio"][1],
    "strokeWidth": 1.2,
}
# Where a point's name goes: text align, baseline and offset in px, in order of preference.
LABEL_OFFSETS = {
    "rechts": ("left", "middle", 8, 0),
    "links": ("right", "middle", -8, 0),
    "boven": ("center", "bottom", 0, -7),
    "onder": ("center", "top", 0, 7),
}
LABEL_CHAR_PX = 6.0


def colour_limit(frame: pd.DataFrame) -> float:
    """The half-width of the colour scale: the 90th percentile of the municipalities' |badness|, a multiple of 5."""
    scores = frame.loc[frame["soort"] == "gemeente", "slechter_score"].abs().dropna()
    if scores.empty:
        return 10.0
    return float(max(5, math.ceil(np.percentile(scores, CLIP_PERCENTILE) / 5) * 5))


def heatmap_chart(frame: pd.DataFrame) -> alt.FacetChart:
    """The heatmap: a row per indicator grouped by domain, a column per municipality and the region."""
    limit = colour_limit(frame)
    area_names = list(dict.fromkeys(frame["gebied"]))
    region_name = next(iter(frame.loc[frame["soort"] == "regio", "gebied"]), "")
    x = alt.X(
        "gebied:N",
        sort=area_names,
        title=None,
        axis=alt.Axis(orient="top", labelAngle=-40, labelAlign="left", labelPadding=4, domain=False, ticks=False,
                      labelLimit=0,  # never "Hardinxveld-Giessend…": a name is read whole
                      labelFontWeight=alt.ExprRef(f"datum.value == '{_escape(region_name)}' ? 700 : 400")),
    )  # fmt: skip
    y = alt.Y("indicator:N", sort=list(dict.fromkeys(frame["indicator"])), title=None,
              axis=alt.Axis(domain=False, ticks=False, labelLimit=180))  # fmt: skip
    tooltip = [
        alt.Tooltip("gebied:N", title="Gebied"),
        alt.Tooltip("indicator:N", title="Indicator"),
        alt.Tooltip("periode:N", title="Periode"),
        alt.Tooltip("verandering_tekst:N", title="Verandering t.o.v. basis"),
        alt.Tooltip("waarde:Q", title="Waarde", format=",.1~f"),
        alt.Tooltip("basiswaarde:Q", title="Basis", format=",.1~f"),
    ]
    colour = alt.Color(
        "slechter_score:Q",
        title="Verandering t.o.v. vóór de crisis",
        scale=alt.Scale(domain=[-limit, limit], range=charts.DIVERGING, clamp=True),
        legend=alt.Legend(orient="top", direction="horizontal", gradientLength=240, values=[-limit, 0, limit],
                          labelExpr="datum.value < 0 ? 'gunstiger' : datum.value > 0 ? 'ongunstiger' : 'gelijk'",
                          titleOrient="top"),
    )  # fmt: skip
    cells = alt.Chart().mark_rect(stroke="white", strokeWidth=1.5).encode(x=x, y=y, color=colour, tooltip=tooltip)
    labels = (
        alt.Chart()
        .mark_text(fontSize=11)
        .encode(
            x=x,
            y=y,
            text=alt.Text("verandering_tekst:N"),
            color=alt.ColorValue(
                "#1F2933", condition={"test": f"abs(datum.slechter_score) > {0.6 * limit}", "value": "#FFFFFF"}
            ),
            tooltip=tooltip,
        )
    )
    domains = list(dict.fromkeys(frame["domein"]))
    return (
        alt.layer(cells, labels, data=frame)
        .properties(width=alt.Step(CELL_WIDTH), height=alt.Step(CELL_HEIGHT))
        .facet(
            row=alt.Row("domein:N", sort=domains, title=None, header=DOMAIN_HEADER),
            spacing=6,
        )
        .resolve_scale(y="independent")
    )  # fmt: skip


def scatter_chart(
    frame: pd.DataFrame, x_title: str, y_title: str, x_kind: str, y_kind: str, highlight: str | None = None
) -> alt.LayerChart:
    """A point and a name per municipality, the region as dashed lines, and zero lines for changes."""
    municipalities = frame[frame["soort"] == "gemeente"].assign(
        is_gekozen=lambda rows: rows["gebied_code"] == (highlight or "")
    )
    # the region as literal values: only the columns drawn, and only with both figures (NaN is not valid JSON, and a
    # region without a figure, while municipalities have not all delivered, has no lines to draw)
    region = frame.loc[frame["soort"] == "regio", ["gebied", "x", "y", "x_periode", "y_periode"]].dropna()
    tooltip = [
        alt.Tooltip("gebied:N", title="Gemeente"),
        alt.Tooltip("x:Q", title=x_title, format=",.1f"),
        alt.Tooltip("x_periode:N", title="Periode (x)"),
        alt.Tooltip("y:Q", title=y_title, format=",.1f"),
        alt.Tooltip("y_periode:N", title="Periode (y)"),
    ]
    x_domain = nice_domain([*frame["x"], *([0.0] if x_kind == "verandering" else [])])
    y_domain = nice_domain([*frame["y"], *([0.0] if y_kind == "verandering" else [])])
    x = alt.X("x:Q", title=x_title, scale=alt.Scale(domain=x_domain, nice=False, zero=False), axis=_axis(x_kind))
    y = alt.Y("y:Q", title=y_title, scale=alt.Scale(domain=y_domain, nice=False, zero=False), axis=_axis(y_kind))
    region_point = (region["x"].iloc[0], region["y"].iloc[0]) if not region.empty else None
    municipalities["label_positie"] = label_positions(municipalities, x_domain, y_domain, region_point)
    colour = alt.ColorValue(charts.PALETTE[0], condition={"test": "datum.is_gekozen", "value": HIGHLIGHT})
    points = alt.Chart()  # the municipalities sit on the layer: converted once
    single = alt.Chart(alt.Data(values=[{}]))  # one mark placed by datum, not by data
    layers = []
    if x_kind == "verandering":
        layers.append(single.mark_rule(color="#9AA5B1", strokeWidth=1).encode(x=alt.XDatum(0.0)))
    if y_kind == "verandering":
        layers.append(single.mark_rule(color="#9AA5B1", strokeWidth=1).encode(y=alt.YDatum(0.0)))
    if not region.empty:
        reference = alt.Chart(alt.Data(values=region.to_dict("records")))
        layers += [
            reference.mark_rule(**REGION_RULE).encode(x=x, tooltip=tooltip),
            reference.mark_rule(**REGION_RULE).encode(y=y, tooltip=tooltip),
            reference.mark_text(align="left", baseline="top", dx=4, dy=4, fontSize=11, color=REGION_RULE["color"])
            .encode(x=x, y=alt.YValue(0), text=alt.TextValue("regio")),
            reference.mark_text(align="right", baseline="bottom", dx=-4, dy=-4, fontSize=11, color=REGION_RULE["color"])
            .encode(x=alt.XValue(alt.ExprRef("width")), y=y, text=alt.TextValue("regio")),
        ]  # fmt: skip
    layers.append(points.mark_point(filled=True, size=90, opacity=1).encode(x=x, y=y, color=colour, tooltip=tooltip))
    for position, (align, baseline, dx, dy) in LABEL_OFFSETS.items():
        layers.append(
            points.transform_filter(alt.datum.label_positie == position)
            .mark_text(align=align, baseline=baseline, dx=dx, dy=dy, fontSize=11)
            .encode(x=x, y=y, text=alt.Text("gebied:N"), tooltip=tooltip)
        )
    return alt.layer(*layers, data=municipalities).properties(width=SCATTER_WIDTH, height=SCATTER_HEIGHT)


def nice_domain(values: list[float]) -> list[float]:
    """A domain around the values that ends on round numbers, so that label positions can be worked out."""
    finite = [value for value in values if value is not None and math.isfinite(value)]
    if not finite:
        return [0.0, 1.0]
    low, high = min(finite), max(finite)
    if low == high:
        low, high = low - 1, high + 1
    raw = (high - low) / 6
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(factor * magnitude for factor in (1, 2, 2.5, 5, 10) if factor * magnitude >= raw)
    return [math.floor(low / step) * step, math.ceil(high / step) * step]


def label_positions(
    points: pd.DataFrame, x_domain: list[float], y_domain: list[float], region: tuple[float, float] | None = None
) -> list[str]:
    """Per point, where its name goes (right, left, above, below) so that names, points and the region's lines
    overlap least."""

    def pixel(x: float, y: float) -> tuple[float, float]:
        return (
            (x - x_domain[0]) / (x_domain[1] - x_domain[0]) * SCATTER_WIDTH,
            (1 - (y - y_domain[0]) / (y_domain[1] - y_domain[0])) * SCATTER_HEIGHT,
        )

    def box(position: str, px: float, py: float, width: float) -> tuple[float, float, float, float]:
        align, baseline, dx, dy = LABEL_OFFSETS[position]
        left = px + dx - (width if align == "right" else width / 2 if align == "center" else 0)
        top = py + dy - (14 if baseline == "bottom" else 0 if baseline == "top" else 7)
        return left, top, left + width, top + 14

    def overlap(a: tuple, b: tuple) -> float:
        return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))

    centres = [pixel(x, y) for x, y in zip(points["x"], points["y"], strict=True)]
    taken = [(px - 5, py - 5, px + 5, py + 5) for px, py in centres if math.isfinite(px) and math.isfinite(py)]
    if region is not None and all(math.isfinite(value) for value in region):
        rx, ry = pixel(*region)
        taken += [
            (rx - 1, 0, rx + 1, SCATTER_HEIGHT),
            (0, ry - 1, SCATTER_WIDTH, ry + 1),
            (rx, 0, rx + 36, 20),  # the 'regio' labels: at the top of the vertical line, the end of the horizontal
            (SCATTER_WIDTH - 36, ry - 20, SCATTER_WIDTH, ry),
        ]
    chosen = []
    for (px, py), name in zip(centres, points["gebied"], strict=True):
        width = len(name) * LABEL_CHAR_PX
        best, best_cost = "rechts", math.inf
        for position in LABEL_OFFSETS:
            candidate = box(position, px, py, width)
            outside = max(0.0, -candidate[0]) + max(0.0, candidate[2] - SCATTER_WIDTH)
            cost = sum(overlap(candidate, other) for other in taken) + outside * 14
            if cost < best_cost:
                best, best_cost = position, cost
            if cost == 0:
                break
        chosen.append(best)
        taken.append(box(best, px, py, width))
    return chosen


def _axis(kind: str) -> alt.Axis:
    """A numeric axis in Dutch format; changes get a sign and a percent sign."""
    if kind == "verandering":
        return alt.Axis(format=",.1~f", labelExpr="(datum.value > 0 ? '+' : '') + datum.label + '%'", tickCount=8)
    return alt.Axis(format=",.1~f", tickCount=8)


def _escape(text: str) -> str:
    """Text safe inside a single-quoted Vega expression string."""
    return text.replace("\\", "\\\\").replace("'", "\\'")
