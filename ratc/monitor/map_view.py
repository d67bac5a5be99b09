"""The Kaart page's logic: the map frame (value, rank, class per municipality), the pydeck map and the static chart.

No Streamlit here: the page lays out what these functions return.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import pydeck as pdk

from ratc.core import charts, export, fmt, geo, metadata
from ratc.core.context import Context
from ratc.core.deck import (
    FONT_FAMILY,
    TOOLTIP_STYLE,
    DeckJson,
    LegendEntry,
    label_font_px,
    label_name,
    legend_html,
    place_labels,
    rgb,
    serialised,
    without_basemap,
)
from ratc.core.geo import MapGeometry
from ratc.core.periods import parse_period
from ratc.monitor.overview import Query

MEASURES = {"waarde": "Waarde", "per_10k": "Per 10.000 inwoners", "verandering": "Verandering t.o.v. basis"}
MEASURE_BUTTONS = {"waarde": "Waarde", "per_10k": "Per 10.000 inwoners", "verandering": "Verandering"}
MEASURE_SLUGS = {"waarde": "waarde", "per_10k": "per 10000", "verandering": "verandering"}
CLASS_COUNT = 5
MISSING_LABEL = "geen gegevens"
MISSING_COLOUR = "#BFBFBF"  # darker than the light middle of the change scale
# Change for an indicator without a good or bad direction: green .. grey .. purple, neither warm nor "good blue".
NEUTRAL_DIVERGING = ["#1B8A6B", "#9BD3C0", "#F2F2F2", "#E3B5CF", "#A8507F"]
# Nice class widths: equal-interval classes whose edges are round numbers.
STEP_MULTIPLIERS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)
# Half-widths of the middle class of change, in whole percents: the classes are ±s/2 and ±3s/2.
# The widest keeps its lowest edge above -100%, the smallest relative change there is.
CHANGE_STEPS = (0.02, 0.04, 0.06, 0.1, 0.2, 0.4, 0.6)
FILL_ALPHA = 235
# Light grey borders: white ones vanish around the lightest classes on a white page.
BORDER, CHOSEN_OUTLINE = "#CBD2D9", "#1F2933"
TOPOLOGY_OBJECT = "gemeenten"
TOOLTIP = {"html": "<b>{gemeente}</b><br/>{tekst}<br/>{periode} · {rang_tekst}", "style": TOOLTIP_STYLE}


def measures_for(indicator: Mapping) -> list[str]:
    """The measures that make sense for an indicator: per 10,000 only for counts, change only with a baseline."""
    measures = ["waarde"]
    if _flag(indicator["per_10k"]):
        measures.append("per_10k")
    if _flag(indicator["has_baseline"]):
        measures.append("verandering")
    return measures


def default_measure(indicator: Mapping) -> str:
    """Per 10,000 inhabitants where that exists (counts of big and small municipalities compare badly)."""
    return "per_10k" if _flag(indicator["per_10k"]) else "waarde"


def map_frame(query: Query, chosen: Context, measure: str, geometry: MapGeometry) -> pd.DataFrame:
    """Per municipality: value, per 10,000, change, the shown measure with Dutch text, rank, class, colour, label."""
    indicator = indicator_row(query, chosen.indicator)
    if measure not in measures_for(indicator):
        raise ValueError(f"measure {measure!r} is not available for {chosen.indicator}")
    latest = query("latest_value_by_area", as_of_date=chosen.as_of_date)
    latest = latest[latest["indicator_id"] == chosen.indicator]
    areas = query("area_list")
    municipalities = areas[areas["area_type"] == "gemeente"][["area_code", "area_name", "population_2020"]]
    frame = municipalities.merge(latest, on="area_code", how="left")
    per_10k = frame["value"] / frame["population_2020"] * 10_000
    change = pd.Series(
        [fmt.relative_change(value, base) for value, base in zip(frame["value"], frame["baseline_value"], strict=True)],
        index=frame.index,
        dtype="float64",
    )
    shown = {"waarde": frame["value"], "per_10k": per_10k, "verandering": change}[measure].astype("float64")
    classes, legend = classify(shown, measure, indicator)
    label_of = [entry.label for entry in legend]
    colour_of = [entry.colour for entry in legend]
    result = pd.DataFrame(
        {
            "gemeentecode": frame["area_code"],
            "gemeente": frame["area_name"],
            "period_key": frame["period_key"],
            "periode": [_period_label(key, indicator["frequency"]) for key in frame["period_key"]],
            "waarde": frame["value"].astype("float64"),
            "per_10000": (per_10k if _flag(indicator["per_10k"]) else per_10k * math.nan).astype("float64"),
            "basiswaarde": frame["baseline_value"].astype("float64"),
            "verandering": change,
            "kaartwaarde": shown,
            "tekst": [value_text(value, measure, indicator) for value in shown],
            "rang": shown.rank(ascending=False, method="min").astype("Int64"),
            "klasse": pd.array([None if pd.isna(c) else int(c) + 1 for c in classes], dtype="Int64"),
            "klasse_label": [MISSING_LABEL if pd.isna(c) else label_of[int(c)] for c in classes],
            "kleur": [MISSING_COLOUR if pd.isna(c) else colour_of[int(c)] for c in classes],
            "is_gekozen": frame["area_code"] == chosen.gemeente,
            "label": [
                f"{label_name(code, name, geometry.is_tiles)}\n{short_text(value, measure, indicator)}"
                for code, name, value in zip(frame["area_code"], frame["area_name"], shown, strict=True)
            ],
        }
    )
    placed = place_labels(geometry, result.set_index("gemeentecode")["label"])
    result = result.merge(placed, left_on="gemeentecode", right_index=True, how="left")
    # on tiles a label stays on its own tile; on boundaries it may move, so it is dark with a white halo
    result["tekstkleur"] = [
        "#FFFFFF" if geometry.is_tiles and _is_dark(colour) else "#1F2933" for colour in result["kleur"]
    ]
    return result


def legend_entries(frame: pd.DataFrame, measure: str, indicator: Mapping) -> list[LegendEntry]:
    """The legend of a map frame: every class in order, with counts; 'geen gegevens' only when needed."""
    _, legend = classify(frame["kaartwaarde"], measure, indicator)
    counts = frame["klasse_label"].value_counts()
    entries = [LegendEntry(entry.label, entry.colour, int(counts.get(entry.label, 0))) for entry in legend]
    if frame["klasse"].isna().all():
        entries = []
    if frame["klasse"].isna().any():
        entries.append(LegendEntry(MISSING_LABEL, MISSING_COLOUR, int(frame["klasse"].isna().sum())))
    return entries


def classify(values: pd.Series, measure: str, indicator: Mapping) -> tuple[list[float], list[LegendEntry]]:
    """A class index (0-4, NaN when missing) per value, and the five classes as legend entries (count 0).

    Value and per 10,000: five equal classes with round edges from just below the lowest value, light to
    dark. Change: five classes symmetric around zero, coloured by polarity (worse = vermillion side).
    """
    present = values.dropna()
    if measure == "verandering":
        inner = change_edges(present)
        indices = [math.nan if pd.isna(value) else int(np.searchsorted(inner, value, side="right")) for value in values]
        return indices, [LegendEntry(label, colour, 0) for label, colour in
                         zip(change_labels(inner), change_colours(indicator["polarity"]), strict=True)]  # fmt: skip
    edges = sequential_edges(present)
    decimals = _edge_decimals(edges)
    labels = [f"{fmt.number(low, decimals)} tot {fmt.number(high, decimals)}" for low, high in pairwise(edges)]
    indices = [
        math.nan if pd.isna(value) else min(int(np.searchsorted(edges, value, side="right")) - 1, CLASS_COUNT - 1)
        for value in values
    ]
    return indices, [LegendEntry(label, colour, 0) for label, colour in zip(labels, charts.SEQUENTIAL, strict=True)]


def sequential_edges(values: pd.Series) -> list[float]:
    """Six round class edges: the smallest nice step whose five classes from below the minimum reach the maximum."""
    if values.empty:
        return [float(step) for step in range(CLASS_COUNT + 1)]
    low, high = float(values.min()), float(values.max())
    spread = high - low if high > low else max(abs(high), 1.0)
    for step in _nice_steps(spread / CLASS_COUNT):
        start = math.floor(low / step) * step
        if start + CLASS_COUNT * step >= high:
            return [round(start + number * step, 10) for number in range(CLASS_COUNT + 1)]
    raise AssertionError("unreachable: the steps grow without bound")  # pragma: no cover


def change_edges(values: pd.Series) -> list[float]:
    """Four inner edges of change classes, symmetric around zero: -3s/2, -s/2, s/2, 3s/2."""
    largest = float(values.abs().max()) if not values.empty else 0.0
    step = next((step for step in CHANGE_STEPS if 2.5 * step >= largest), CHANGE_STEPS[-1])
    return [-1.5 * step, -0.5 * step, 0.5 * step, 1.5 * step]


def change_labels(inner: list[float]) -> list[str]:
    """Dutch labels of the five change classes."""
    texts = [fmt.signed_percent(edge) for edge in inner]
    return [
        f"lager dan {texts[0]}",
        f"{texts[0]} tot {texts[1]}",
        f"{texts[1]} tot {texts[2]}",
        f"{texts[2]} tot {texts[3]}",
        f"{texts[3]} of hoger",
    ]


def change_colours(polarity: str) -> list[str]:
    """Colours of the change classes, from the largest fall to the largest rise: a worse change is vermillion."""
    if polarity == "hoger_slechter":
        return list(charts.DIVERGING)
    if polarity == "hoger_beter":
        return list(reversed(charts.DIVERGING))
    return list(NEUTRAL_DIVERGING)


def value_text(value: float, measure: str, indicator: Mapping) -> str:
    """The shown figure in Dutch with its unit: '1.234 uitkeringen', '56,7 per 10.000 inwoners', '+12%'."""
    if pd.isna(value):
        return "geen gegevens"
    if measure == "verandering":
        return f"{fmt.signed_percent(value)} t.o.v. basis"
    if measure == "per_10k":
        return f"{fmt.number(value, 1)} per 10.000 inwoners"
    return f"{fmt.number(value, int(indicator['decimals']))} {indicator['unit']}"


def short_text(value: float, measure: str, indicator: Mapping) -> str:
    """The shown figure without unit, for labels on the map."""
    if pd.isna(value):
        return "–"
    if measure == "verandering":
        return fmt.signed_percent(value)
    return fmt.number(value, 1 if measure == "per_10k" else int(indicator["decimals"]))


def measure_title(indicator: Mapping, measure: str) -> str:
    """'Lopende WW-uitkeringen per 10.000 inwoners', '… verandering t.o.v. basis'."""
    if measure == "per_10k":
        return f"{indicator['name']} per 10.000 inwoners"
    if measure == "verandering":
        return f"{indicator['name']}: verandering t.o.v. vóór de crisis"
    return str(indicator["name"])


def legend_title(indicator: Mapping, measure: str) -> str:
    """What the colours mean, with the direction of good and bad for change."""
    if measure != "verandering":
        return f"{MEASURES[measure]} (donkerder = hoger)"
    if indicator["polarity"] == "hoger_slechter":
        return "Verandering t.o.v. basis (oranje = ongunstig, blauw = gunstig)"
    if indicator["polarity"] == "hoger_beter":
        return "Verandering t.o.v. basis (blauw = gunstig, oranje = ongunstig)"
    return "Verandering t.o.v. basis (groen = lager, paars = hoger; geen oordeel)"


def common_period(frame: pd.DataFrame, fallback: str = "–") -> str:
    """The period label most municipalities have: the map's period (the fallback when there is no data)."""
    labels = frame["periode"].dropna()
    return labels.mode().iloc[0] if not labels.empty else fallback


def region_text(query: Query, chosen: Context, measure: str) -> str | None:
    """The region's figure for the shown measure, in Dutch, or None when missing."""
    indicator = indicator_row(query, chosen.indicator)
    latest = query("latest_value_by_area", as_of_date=chosen.as_of_date)
    rows = latest[(latest["indicator_id"] == chosen.indicator) & (latest["area_code"] == metadata.REGION_CODE)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    population = query("area_list").set_index("area_code").loc[metadata.REGION_CODE, "population_2020"]
    value = {
        "waarde": row["value"],
        "per_10k": row["value"] / population * 10_000,
        "verandering": fmt.relative_change(row["value"], row["baseline_value"]),
    }[measure]
    return None if value is None or pd.isna(value) else value_text(value, measure, indicator)


def description(frame: pd.DataFrame, indicator: Mapping, measure: str, geometry: MapGeometry,
                region: str | None = None) -> str:  # fmt: skip
    """A text alternative of the map: what it shows, the highest and lowest municipality, the chosen one."""
    present = frame.dropna(subset=["kaartwaarde"]).sort_values("kaartwaarde", ascending=False)
    what = f"{measure_title(indicator, measure)}, {common_period(frame)}"
    kind = "tegelkaart (elke gemeente even groot)" if geometry.is_tiles else "kaart met de gemeentegrenzen"
    if present.empty:
        return (
            f"{kind.capitalize()} van de {fmt.count_word(len(frame))} gemeenten: {what}. "
            "Er zijn geen gegevens voor deze periode."
        )
    highest, lowest = present.iloc[0], present.iloc[-1]
    word = ("hoogste", "laagste")
    if measure == "verandering":
        word = (_change_word(highest["kaartwaarde"], "sterkste stijging", "kleinste daling", "hoogste"),
                _change_word(lowest["kaartwaarde"], "kleinste stijging", "sterkste daling", "laagste"))  # fmt: skip
    parts = [
        f"{kind.capitalize()} van de {fmt.count_word(len(frame))} gemeenten: {what}.",
        f"De {word[0]}: {highest['gemeente']} ({highest['tekst']}); de {word[1]}: {lowest['gemeente']} "
        f"({lowest['tekst']}).",
    ]
    if region:
        parts.append(f"De regio als geheel: {region}.")
    chosen = frame[frame["is_gekozen"]]
    if not chosen.empty and pd.notna(chosen.iloc[0]["rang"]):
        row = chosen.iloc[0]
        parts.append(f"{row['gemeente']} staat op rang {row['rang']} van {len(present)} (hoogste = 1).")
    missing = frame[frame["kaartwaarde"].isna()]["gemeente"].tolist()
    if missing:
        parts.append(f"Geen gegevens voor {', '.join(missing)}.")
    return " ".join(parts)


def deck(frame: pd.DataFrame, geometry: MapGeometry, measure: str, indicator: Mapping) -> pdk.Deck:
    """The interactive map: a pickable GeoJsonLayer coloured by class, names and figures on top, no basemap
    (`deck.without_basemap` says how)."""
    features = geometry.display_features()
    rows = frame.set_index("gemeentecode")
    # drawn in order: the chosen municipality last, so its dark outline is not covered by a neighbour's
    features["features"].sort(key=lambda feature: bool(rows.loc[feature["properties"]["statcode"], "is_gekozen"]))
    for feature in features["features"]:
        row = rows.loc[feature["properties"]["statcode"]]
        feature["properties"].update(
            {
                "gemeente": row["gemeente"],
                "tekst": row["tekst"],
                "periode": row["periode"] if pd.notna(row["periode"]) else "–",
                "rang_tekst": f"rang {row['rang']} van {int(frame['rang'].notna().sum())} (hoogste = 1)"
                if pd.notna(row["rang"])
                else "geen rang",
                "fill": [*rgb(row["kleur"]), FILL_ALPHA],
                "line_width": 3 if row["is_gekozen"] else 1,
                "line": [*rgb(CHOSEN_OUTLINE), 255] if row["is_gekozen"] else [*rgb(BORDER), 255],
            }
        )
    shapes = pdk.Layer(
        "GeoJsonLayer",
        data=features,
        id="gemeenten",
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color="properties.line",
        get_line_width="properties.line_width",
        line_width_units="'pixels'",  # pydeck sends a bare string as a JS expression; quotes keep it a string
        auto_highlight=True,
        highlight_color=[31, 41, 51, 60],
    )
    labels = pdk.Layer(
        "TextLayer",
        data=[
            {
                "position": [row.label_lon, row.label_lat],
                "text": row.label,
                "color": [*rgb(row.tekstkleur), 255],
            }
            for row in frame.itertuples()
        ],
        id="namen",
        pickable=False,
        get_position="position",
        get_text="text",
        get_color="color",
        get_size=label_font_px(geometry) + 2,  # the interactive map is drawn a little larger than the export
        size_units="'pixels'",
        font_family=FONT_FAMILY,
        font_weight=600,
        line_height=1.15,
        # on real boundaries a label may cross a border: a white outline keeps it readable (needs an SDF atlas)
        font_settings={"sdf": not geometry.is_tiles, "buffer": 6},
        outline_width=0 if geometry.is_tiles else 4,
        outline_color=[255, 255, 255, 230],
    )
    return without_basemap([shapes, labels], geometry.frame.total_bounds, TOOLTIP)


def selected_code(selection: Mapping | None) -> str | None:
    """The municipality code picked on the pydeck map, from the state `st.pydeck_chart(on_select=...)` returns."""
    objects = ((selection or {}).get("selection") or {}).get("objects") or {}
    for picked in objects.values():
        for item in picked or []:
            properties = item.get("properties") or {}
            code = properties.get("statcode") or item.get("statcode")
            if code:
                return str(code)
    return None


def static_chart(frame: pd.DataFrame, geometry: MapGeometry, measure: str, indicator: Mapping) -> alt.LayerChart:
    """The publication map: Altair geoshapes by class with a classed legend and municipality labels."""
    legend = legend_entries(frame, measure, indicator)
    shapes = geo.to_topology(geometry.frame[["statcode", "geometry"]], TOPOLOGY_OBJECT, charts.WIDTH)
    topojson = alt.DataFormat(type="topojson", feature=TOPOLOGY_OBJECT)
    lookup = alt.LookupData(data=alt.InlineData(values=shapes, format=topojson), key="properties.statcode")
    base = alt.Chart(frame)
    fills = (
        base.mark_geoshape(stroke=BORDER)
        .transform_lookup(lookup="gemeentecode", from_=lookup, as_="geo")
        .encode(
            shape=alt.Shape("geo:G"),
            color=alt.Color(
                "klasse_label:N",
                scale=alt.Scale(domain=[entry.label for entry in legend], range=[entry.colour for entry in legend]),
                legend=alt.Legend(title=legend_title(indicator, measure), orient="top", direction="horizontal",
                                  columns=3, symbolType="square", symbolSize=180, labelLimit=220, titleLimit=600),
            ),
            tooltip=[
                alt.Tooltip("gemeente:N", title="Gemeente"),
                alt.Tooltip("tekst:N", title=MEASURES[measure]),
                alt.Tooltip("periode:N", title="Periode"),
                alt.Tooltip("rang:Q", title="Rang (hoogste = 1)"),
            ],
        )
    )  # fmt: skip
    text = {"lineBreak": "\n", "fontSize": label_font_px(geometry), "fontWeight": 600}
    position = {"longitude": "label_lon:Q", "latitude": "label_lat:Q", "text": "label:N"}
    chosen_outline = (
        base.mark_geoshape(filled=False, stroke=CHOSEN_OUTLINE, strokeWidth=2.5)
        .transform_filter("datum.is_gekozen")
        .transform_lookup(lookup="gemeentecode", from_=lookup, as_="geo")
        .encode(shape=alt.Shape("geo:G"))
    )
    layers = [fills, chosen_outline]
    if not geometry.is_tiles:  # a white halo: a label may sit across a border or outside the region
        layers.append(base.mark_text(**text, stroke="#FFFFFF", strokeWidth=3, strokeJoin="round", opacity=0.9)
                      .encode(**position))  # fmt: skip
    layers.append(base.mark_text(**text).encode(**position, color=alt.Color("tekstkleur:N", scale=None, legend=None)))
    return (
        alt.layer(*layers)
        .project(type="mercator")
        .properties(width=charts.WIDTH, height=charts.WIDTH // 2)
        .resolve_scale(color="independent")  # the labels' colours are literal and have no legend
    )


def chart_meta(frame: pd.DataFrame, indicator: Mapping, measure: str, geometry: MapGeometry, is_demo: bool,
               month_label: str) -> charts.ChartMeta:  # fmt: skip
    """Title, subtitle, source and a telling file name ('ww-uitkeringen_per-10000_dec-2021') for the map."""
    period = common_period(frame, fallback=month_label)
    subtitle = f"De {fmt.count_word(len(frame))} gemeenten van Zuid-Holland-Zuid, {period} · {geometry.description}"
    if measure == "verandering":
        subtitle += " · verandering t.o.v. de basisperiode vóór de crisis"
    source = str(indicator["source"])
    if geometry.source:
        source += f"; gemeentegrenzen: {geometry.source}"
    return charts.ChartMeta(
        title=measure_title(indicator, measure),
        subtitle=subtitle,
        source=source,
        file_stem=export.file_stem(str(indicator["indicator_id"]), MEASURE_SLUGS[measure], period),
        is_demo=is_demo,
    )


def export_table(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The map's data as a Dutch table, by rank: for the downloads and the table under the chart."""
    ordered = frame.sort_values(["rang", "gemeente"], na_position="last")
    return pd.DataFrame({
        "Gemeente": ordered["gemeente"],
        "CBS-code": ordered["gemeentecode"],
        "Periode": ordered["periode"],
        "Waarde": ordered["waarde"],
        "Per 10.000 inwoners": ordered["per_10000"],
        "Verandering t.o.v. basis (%)": (ordered["verandering"] * 100).round(1),
        f"Rang ({MEASURES[measure].lower()}, hoogste = 1)": ordered["rang"],
        "Klasse": ordered["klasse_label"],
    }).reset_index(drop=True)  # fmt: skip


def pairwise(edges: list[float]) -> list[tuple[float, float]]:
    """Consecutive pairs of class edges."""
    return list(zip(edges[:-1], edges[1:], strict=True))


def indicator_row(query: Query, indicator_id: str) -> pd.Series:
    """One indicator's row of the catalog."""
    catalog = query("indicator_catalog")
    return catalog[catalog["indicator_id"] == indicator_id].iloc[0]


def _change_word(change: float, rise: str, fall: str, level: str) -> str:
    """How to name an extreme change in a sentence: as a rise, a fall, or (at zero) just the level."""
    return rise if change > 0 else fall if change < 0 else level


def _nice_steps(minimum: float):
    """Round step sizes from just below `minimum` upwards."""
    exponent = math.floor(math.log10(minimum)) if minimum > 0 else 0
    while True:
        for multiplier in STEP_MULTIPLIERS:
            step = multiplier * 10**exponent
            if step >= minimum * 0.999:
                yield step
        exponent += 1


def _edge_decimals(edges: list[float]) -> int:
    """The fewest decimals that show every class edge exactly."""
    return next((d for d in range(0, 5) if all(abs(edge - round(edge, d)) < 1e-9 for edge in edges)), 4)


def _period_label(key, frequency: str) -> str | None:
    """'dec 2021' for a period key; None when missing."""
    return None if key is None or pd.isna(key) else parse_period(str(key), frequency).label


def _flag(value) -> bool:
    """A boolean from the catalog (DuckDB boolean or 'true'/'false')."""
    return value if isinstance(value, bool | np.bool_) else str(value).lower() == "true"


def _is_dark(colour: str) -> bool:
    """Whether white text reads better than dark text on this colour (relative luminance)."""
    red, green, blue = (channel / 255 for channel in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45


def static_figure(query: Query, chosen: Context, measure: str, is_demo: bool, geometry_version: str) -> charts.Figure:
    """The publication map (Altair) with its data, published once; `geometry_version` keys a change of geometry."""
    geometry = geo.map_geometry()
    indicator = indicator_row(query, chosen.indicator)
    frame = map_frame(query, chosen, measure, geometry)
    text = description(frame, indicator, measure, geometry, region_text(query, chosen, measure))
    month = parse_period(chosen.periode, "maand")
    return charts.make_figure(
        static_chart(frame, geometry, measure, indicator),
        export_table(frame, measure),
        chart_meta(frame, indicator, measure, geometry, is_demo, month.label),
        text,
    )


@dataclass(frozen=True)
class InteractiveMap:
    """What the Kaart page shows above the publication map, computed once per context, measure and geometry."""

    title: str
    deck: DeckJson
    legend_title: str
    legend_html: str
    description: str


def interactive_map(query: Query, chosen: Context, measure: str, geometry_version: str) -> InteractiveMap:
    """The interactive map with its heading, legend and description; `geometry_version` keys a geometry change."""
    geometry = geo.map_geometry()
    indicator = indicator_row(query, chosen.indicator)
    frame = map_frame(query, chosen, measure, geometry)
    text = description(frame, indicator, measure, geometry, region_text(query, chosen, measure))
    month = parse_period(chosen.periode, "maand")
    return InteractiveMap(
        title=f"{measure_title(indicator, measure)}, {common_period(frame, month.label)}",
        deck=serialised(deck(frame, geometry, measure, indicator)),
        legend_title=legend_title(indicator, measure),
        legend_html=legend_html(legend_entries(frame, measure, indicator)),
        description=text,
    )
