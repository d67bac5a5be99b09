"""The Kaart page's maps: the interactive pydeck map and the publication map (Altair) of the map frame, with
their titles, legend, text alternative, metadata and export table.

No Streamlit here: the page lays out what these functions return.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import pandas as pd
import pydeck as pdk

from ratc.core import charts, export, fmt, geo
from ratc.core.context import Context
from ratc.core.deck import (
    FONT_FAMILY,
    TOOLTIP_STYLE,
    DeckJson,
    label_font_px,
    legend_html,
    rgb,
    serialised,
    without_basemap,
)
from ratc.core.geo import MapGeometry
from ratc.core.periods import parse_period
from ratc.monitor.map_frame import MEASURE_SLUGS, MEASURES, indicator_row, map_frame, region_text
from ratc.monitor.map_legend import legend_entries
from ratc.monitor.overview import Query

FILL_ALPHA = 235
# Light grey borders: white ones vanish around the lightest classes on a white page.
BORDER, CHOSEN_OUTLINE = "#CBD2D9", "#1F2933"
TOPOLOGY_OBJECT = "gemeenten"
TOOLTIP = {"html": "<b>{gemeente}</b><br/>{tekst}<br/>{periode} · {rang_tekst}", "style": TOOLTIP_STYLE}


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
    """The interactive map: a pickable GeoJsonLayer coloured by class, names and figures on top, no basemap.

    `deck.without_basemap` says how no basemap is requested.
    """
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
    """The map's data as a Dutch table, by rank: for the downloads and the table under the chart; a column
    'Demodata' only when it shows demo figures."""
    ordered = frame.sort_values(["rang", "gemeente"], na_position="last")
    table = pd.DataFrame({
        "Gemeente": ordered["gemeente"],
        "CBS-code": ordered["gemeentecode"],
        "Periode": ordered["periode"],
        "Waarde": ordered["waarde"],
        "Per 10.000 inwoners": ordered["per_10000"],
        "Verandering t.o.v. basis (%)": (ordered["verandering"] * 100).round(1),
        f"Rang ({MEASURES[measure].lower()}, hoogste = 1)": ordered["rang"],
        "Klasse": ordered["klasse_label"],
    }).reset_index(drop=True)  # fmt: skip
    if ordered["is_demo"].any():
        table["Demodata"] = ordered["is_demo"].map({True: "ja", False: ""}).to_numpy()
    return table


def _change_word(change: float, rise: str, fall: str, level: str) -> str:
    """How to name an extreme change in a sentence: as a rise, a fall, or (at zero) just the level."""
    return rise if change > 0 else fall if change < 0 else level


def static_figure(query: Query, chosen: Context, measure: str, geometry_version: str) -> charts.Figure:
    """The publication map (Altair) with its data, published once; `geometry_version` keys a change of geometry."""
    geometry = geo.map_geometry()
    indicator = indicator_row(query, chosen.indicator)
    frame = map_frame(query, chosen, measure, geometry)
    text = description(frame, indicator, measure, geometry, region_text(query, chosen, measure))
    month = parse_period(chosen.periode, "maand")
    return charts.make_figure(
        static_chart(frame, geometry, measure, indicator),
        export_table(frame, measure),
        chart_meta(frame, indicator, measure, geometry, bool(frame["is_demo"].any()), month.label),
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
    is_demo: bool = False


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
        is_demo=bool(frame["is_demo"].any()),
    )
