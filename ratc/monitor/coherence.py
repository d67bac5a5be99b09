"""Samenhang: how the municipalities changed on every indicator at once, and two indicators side by side.

The heatmap shows, per municipality and indicator, the latest change against the pre-crisis baseline. Its colour
is a "badness" score: the change signed by the indicator's polarity (+1 when higher is worse, −1 when higher is
better, 0 when neutral), so worse is always vermillion and better always blue, on a scale symmetric around 0 and
clipped at the 90th percentile of the municipalities' scores so that one outlier does not wash out the rest.
Indicators without a baseline (COVID-19 counts, Tozo) have no change to show; computed rates (per 1.000
inwoners) are left out because, with a fixed population, their change equals their count's.

The scatter puts two indicators across the ten municipalities: the change against the baseline in % by default,
or the level (per 10,000 inhabitants for counts, the rate itself for rates). An indicator without a baseline is
always shown as its level. The region is drawn as dashed reference lines.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from ratc.core import charts, export, fmt, periods
from ratc.core.context import Context
from ratc.monitor.overview import Query

SCATTER_MEASURES = {"verandering": "Verandering t.o.v. vóór de crisis", "niveau": "Niveau"}
POLARITY_SIGN = {"hoger_slechter": 1, "hoger_beter": -1, "neutraal": 0}
CLIP_PERCENTILE = 90
CELL_WIDTH = 46
CELL_HEIGHT = 22
SCATTER_WIDTH = charts.WIDTH - 90
SCATTER_HEIGHT = 400
PARTNERS = {
    "bijstand_uitkeringen": "ww_uitkeringen",
    "bijstand_per_1000": "ww_per_1000",
    "ww_per_1000": "bijstand_per_1000",
}
DEFAULT_PARTNER = "bijstand_uitkeringen"
HIGHLIGHT = charts.PALETTE[1]
# Domain names above their rows, close to the first row: the space below a group then separates it from the next.
DOMAIN_HEADER = alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelAlign="left",
                           labelBaseline="top", labelPadding=4, labelFontSize=13, labelFontWeight=600,
                           labelColor="#1F2933")  # fmt: skip
REGION_RULE = {"color": charts.REFERENCE, "strokeDash": [6, 4], "strokeWidth": 1.2}
# Where a point's name goes: text align, baseline and offset in px, in order of preference.
LABEL_OFFSETS = {
    "rechts": ("left", "middle", 8, 0),
    "links": ("right", "middle", -8, 0),
    "boven": ("center", "bottom", 0, -7),
    "onder": ("center", "top", 0, 7),
}
LABEL_CHAR_PX = 6.0
SOURCE_ALL = "RAT-C monitor (zie Bronnen & imports per indicator)"


@dataclass(frozen=True)
class Figure:
    """A chart with its export-friendly data, metadata, one-sentence description and Dutch table."""

    frame: pd.DataFrame
    chart: alt.TopLevelMixin
    meta: charts.ChartMeta
    description: str
    table: pd.DataFrame


def indicator_labels(query: Query) -> dict[str, str]:
    """Every indicator id with its label 'Domein · Naam', in catalog order (as in the indicator picker)."""
    catalog = query("indicator_catalog")
    return dict(zip(catalog["indicator_id"], catalog["domain_name"] + " · " + catalog["name"], strict=True))


def partner(indicator_id: str) -> str:
    """A sensible second indicator for the scatter: bijstand beside WW, WW beside bijstand."""
    return PARTNERS.get(indicator_id, DEFAULT_PARTNER if indicator_id != DEFAULT_PARTNER else "ww_uitkeringen")


def heatmap(query: Query, chosen: Context, made_on: dt.date | None = None) -> Figure:
    """Every municipality (and the region) × every indicator with a baseline: the change, coloured by badness."""
    catalog = query("indicator_catalog")
    latest = query("latest_value_by_area", as_of_date=chosen.as_of_date)
    frame = heatmap_frame(latest, catalog, query("area_list"))
    month = periods.parse_period(chosen.periode, "maand")
    meta = charts.ChartMeta(
        title="Verandering per gemeente en indicator",
        subtitle=f"Laatste periode t/m {month.label} t.o.v. vóór de crisis · rood = ongunstig, blauw = gunstig",
        source=SOURCE_ALL,
        file_stem=export.file_stem("samenhang", month.label),
        is_demo=_is_demo(query, latest),
        made_on=made_on,
    )
    return Figure(frame, heatmap_chart(frame), meta, describe_heatmap(frame), heatmap_table(frame))


def heatmap_frame(latest: pd.DataFrame, catalog: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """One row per area and indicator with a baseline: change in %, badness score and its Dutch text."""
    shown = catalog[catalog["has_baseline"] & (catalog["numerator_id"] == "")]
    rows = latest.merge(shown, on="indicator_id").merge(areas, on="area_code")
    rows = rows[rows["area_type"].isin(["gemeente", "regio"])]
    area_order = {code: number for number, code in enumerate(areas["area_code"])}
    indicator_order = {indicator: number for number, indicator in enumerate(shown["indicator_id"])}
    rows = rows.assign(
        area_rank=rows["area_code"].map(area_order), indicator_rank=rows["indicator_id"].map(indicator_order)
    ).sort_values(["indicator_rank", "area_rank"])
    change = [_percent_change(value, base) for value, base in zip(rows["value"], rows["baseline_value"], strict=True)]
    sign = rows["polarity"].map(POLARITY_SIGN)
    frame = pd.DataFrame(
        {
            "domein": rows["domain_name"],
            "indicator_id": rows["indicator_id"],
            "indicator": rows["short_name"],
            "gebied_code": rows["area_code"],
            "gebied": rows["area_name"],
            "soort": rows["area_type"],
            "periode_code": rows["period_key"],
            "periode": [
                periods.parse_period(key, frequency).label
                for key, frequency in zip(rows["period_key"], rows["frequency"], strict=True)
            ],
            "waarde": rows["value"].astype(float),
            "basiswaarde": rows["baseline_value"].astype(float),
            "verandering_pct": pd.Series(change, index=rows.index, dtype=float),
            "polariteit": rows["polarity"],
            "slechter_score": pd.Series(change, index=rows.index, dtype=float) * sign,
        }
    )
    frame["verandering_tekst"] = [_signed(value) for value in frame["verandering_pct"]]
    numbers = ["waarde", "basiswaarde", "verandering_pct", "slechter_score"]
    return frame.reset_index(drop=True).astype({column: "str" for column in frame.columns if column not in numbers})


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


def describe_heatmap(frame: pd.DataFrame) -> str:
    """One sentence: where a municipality got most worse and most better."""
    scored = frame[(frame["soort"] == "gemeente") & frame["slechter_score"].notna()]
    if scored.empty:
        return "Er zijn geen veranderingen ten opzichte van vóór de crisis te tonen."
    worst = scored.loc[scored["slechter_score"].idxmax()]
    best = scored.loc[scored["slechter_score"].idxmin()]
    return (
        f"Het sterkst ongunstig veranderd: {worst['indicator']} in {worst['gebied']} ({worst['verandering_tekst']}, "
        f"{worst['periode']}); het sterkst gunstig: {best['indicator']} in {best['gebied']} "
        f"({best['verandering_tekst']}, {best['periode']}). Rood is ongunstig, blauw gunstig, grijs neutraal."
    )


def heatmap_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The heatmap as a Dutch table: a row per indicator, a column per area, the change as text."""
    wide = frame.pivot(index=["domein", "indicator"], columns="gebied", values="verandering_tekst")
    order = list(dict.fromkeys(zip(frame["domein"], frame["indicator"], strict=True)))
    wide = wide.reindex(order)[list(dict.fromkeys(frame["gebied"]))]
    return wide.rename_axis(columns=None).reset_index().rename(columns={"domein": "Domein", "indicator": "Indicator"})


def scatter(
    query: Query, chosen: Context, indicator_x: str, indicator_y: str, measure: str, made_on: dt.date | None = None
) -> Figure:
    """Two indicators across the ten municipalities, with the region as reference lines."""
    catalog = query("indicator_catalog").set_index("indicator_id")
    latest = query("latest_value_by_area", as_of_date=chosen.as_of_date)
    frame = scatter_frame(latest, catalog, query("area_list"), indicator_x, indicator_y, measure)
    x_row, y_row = catalog.loc[indicator_x], catalog.loc[indicator_y]
    x_kind, y_kind = axis_kind(x_row, measure), axis_kind(y_row, measure)
    month = periods.parse_period(chosen.periode, "maand")
    kinds = {x_kind, y_kind}
    what = "Verandering t.o.v. vóór de crisis" if kinds == {"verandering"} else "Niveau"
    if kinds == {"verandering", "niveau"}:
        what = "Verandering t.o.v. vóór de crisis en niveau"
    sources = [part.strip() for row in (x_row, y_row) for part in str(row["source"]).split(";")]
    if "niveau" in kinds and any(row["per_10k"] for row in (x_row, y_row)):
        sources.append("CBS (bevolking)")
    meta = charts.ChartMeta(
        title=f"{x_row['short_name']} en {_in_sentence(y_row['short_name'])} per gemeente",
        subtitle=f"{what}, laatste periode t/m {month.label} · de stippellijnen zijn de regio Zuid-Holland-Zuid",
        source="; ".join(dict.fromkeys(sources)),
        file_stem=export.file_stem(f"{x_row['short_name']}-vs-{y_row['short_name']}", month.label),
        is_demo=_is_demo(query, latest[latest["indicator_id"].isin([indicator_x, indicator_y])]),
        made_on=made_on,
    )
    chart = scatter_chart(frame, axis_title(x_row, x_kind), axis_title(y_row, y_kind), x_kind, y_kind, chosen.gemeente)
    description = describe_scatter(frame, x_row, y_row)
    return Figure(frame, chart, meta, description, scatter_table(frame, x_row, y_row, x_kind, y_kind))


def axis_kind(indicator: Mapping, measure: str) -> str:
    """What an axis shows: 'verandering' (in %) when asked and possible, else 'niveau'."""
    return "verandering" if measure == "verandering" and indicator["has_baseline"] else "niveau"


def axis_title(indicator: Mapping, kind: str) -> str:
    """The axis title: the indicator and its unit."""
    if kind == "verandering":
        return f"{indicator['short_name']}: verandering t.o.v. basis"
    if indicator["per_10k"]:
        return f"{indicator['short_name']} per 10.000 inwoners"
    return f"{indicator['short_name']} ({indicator['unit']})"


def scatter_frame(
    latest: pd.DataFrame,
    catalog: pd.DataFrame,
    areas: pd.DataFrame,
    indicator_x: str,
    indicator_y: str,
    measure: str,
) -> pd.DataFrame:
    """A row per municipality and the region: both indicators' latest value, baseline and the plotted x and y."""
    area = areas.set_index("area_code")
    frame = area.loc[area["area_type"].isin(["gemeente", "regio"]), ["area_name", "area_type"]]
    frame = frame.rename(columns={"area_name": "gebied", "area_type": "soort"}).rename_axis("gebied_code")
    for axis, indicator_id in (("x", indicator_x), ("y", indicator_y)):
        indicator = catalog.loc[indicator_id]
        rows = latest[latest["indicator_id"] == indicator_id].set_index("area_code")
        rows = rows.reindex(frame.index)
        value = rows["value"].astype(float)
        if axis_kind(indicator, measure) == "verandering":
            base = rows["baseline_value"].astype(float)
            shown = (value / base.where(base != 0) - 1) * 100  # no change on a baseline of zero (small counts)
        elif indicator["per_10k"]:
            shown = value / area.loc[frame.index, "population_2020"] * 10_000
        else:
            shown = value
        frame[f"{axis}_indicator"] = str(indicator["short_name"])
        frame[f"{axis}_periode"] = [
            periods.parse_period(key, indicator["frequency"]).label if isinstance(key, str) else "–"
            for key in rows["period_key"]
        ]
        frame[f"{axis}_waarde"] = value
        frame[f"{axis}_basiswaarde"] = rows["baseline_value"].astype(float)
        frame[axis] = shown.astype(float)
    text_columns = ["gebied_code", "gebied", "soort", "x_indicator", "x_periode", "y_indicator", "y_periode"]
    return frame.reset_index().astype({column: "str" for column in text_columns})


def scatter_chart(
    frame: pd.DataFrame, x_title: str, y_title: str, x_kind: str, y_kind: str, highlight: str | None = None
) -> alt.LayerChart:
    """A point and a name per municipality, the region as dashed lines, and zero lines for changes."""
    municipalities = frame[frame["soort"] == "gemeente"].assign(
        is_gekozen=lambda rows: rows["gebied_code"] == (highlight or "")
    )
    region = frame[frame["soort"] == "regio"]
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
            reference.mark_text(align="left", baseline="top", dx=4, dy=4, fontSize=11, color=charts.REFERENCE)
            .encode(x=x, y=alt.YValue(0), text=alt.TextValue("regio")),
            reference.mark_text(align="right", baseline="bottom", dx=-4, dy=-4, fontSize=11, color=charts.REFERENCE)
            .encode(x=alt.XValue(SCATTER_WIDTH), y=y, text=alt.TextValue("regio")),
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


def describe_scatter(frame: pd.DataFrame, x_row: Mapping, y_row: Mapping) -> str:
    """One sentence on how strongly the two indicators go together across the municipalities (Pearson's r)."""
    points = frame[(frame["soort"] == "gemeente")].dropna(subset=["x", "y"])
    x_name, y_name = _in_sentence(x_row["short_name"]), _in_sentence(y_row["short_name"])
    if len(points) < 3 or points["x"].std() == 0 or points["y"].std() == 0:
        return f"Te weinig verschil tussen de gemeenten om iets te zeggen over de samenhang van {x_name} en {y_name}."
    r = float(np.corrcoef(points["x"], points["y"])[0, 1])
    strength = "nauwelijks" if abs(r) < 0.3 else "enigszins" if abs(r) < 0.6 else "duidelijk"
    direction = "" if abs(r) < 0.3 else (" in dezelfde richting" if r > 0 else " in tegengestelde richting")
    return (
        f"Over de {len(points)} gemeenten hangen {x_name} en {y_name} {strength}{direction} samen "
        f"(correlatie r = {fmt.number(r, 2)}); de stippellijnen geven de regio aan."
    )


def scatter_table(frame: pd.DataFrame, x_row: Mapping, y_row: Mapping, x_kind: str, y_kind: str) -> pd.DataFrame:
    """The scatter's data as a Dutch table."""

    def text(value: float, kind: str) -> str:
        return _signed(value) if kind == "verandering" else fmt.number(value, 1)

    return pd.DataFrame(
        {
            "Gebied": frame["gebied"],
            f"{x_row['short_name']} ({x_kind})": [text(value, x_kind) for value in frame["x"]],
            "Periode x": frame["x_periode"],
            f"{y_row['short_name']} ({y_kind})": [text(value, y_kind) for value in frame["y"]],
            "Periode y": frame["y_periode"],
        }
    )


def _axis(kind: str) -> alt.Axis:
    """A numeric axis in Dutch format; changes get a sign and a percent sign."""
    if kind == "verandering":
        return alt.Axis(format=",.1~f", labelExpr="(datum.value > 0 ? '+' : '') + datum.label + '%'", tickCount=8)
    return alt.Axis(format=",.1~f", tickCount=8)


def _percent_change(value: float, base: float) -> float:
    """The change against the baseline in %, NaN when there is none."""
    change = fmt.relative_change(value, base)
    return math.nan if change is None else change * 100


def _signed(percent: float) -> str:
    """A change in % as Dutch text: '+23%', '-4%', '±0%', '–' when missing."""
    return fmt.signed_percent(None if pd.isna(percent) else percent / 100)


def _is_demo(query: Query, rows: pd.DataFrame) -> bool:
    """Whether any of these rows came from a demo import."""
    imports = query("import_lineage")
    return bool(imports.loc[imports["import_id"].isin(set(rows["import_id"])), "is_demo"].any())


def _in_sentence(name: str) -> str:
    """A short name inside a sentence: 'Bijstandsuitkeringen' -> 'bijstandsuitkeringen', 'WW-uitkeringen' stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _escape(text: str) -> str:
    """Text safe inside a single-quoted Vega expression string."""
    return text.replace("\\", "\\\\").replace("'", "\\'")


def heatmap_figure(query: Query, chosen: Context) -> charts.Figure:
    """The heatmap published once, for showing and exporting."""
    figure = heatmap(query, chosen)
    return charts.make_figure(figure.chart, figure.frame, figure.meta, figure.description, figure.table)


def scatter_figure(query: Query, chosen: Context, indicator_x: str, indicator_y: str, measure: str) -> charts.Figure:
    """The scatter published once, for showing and exporting."""
    figure = scatter(query, chosen, indicator_x, indicator_y, measure)
    return charts.make_figure(figure.chart, figure.frame, figure.meta, figure.description, figure.table)
