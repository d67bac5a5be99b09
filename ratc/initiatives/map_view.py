"""The initiatives page's map: per municipality the initiatives, offers and open needs that pass the filters, its
tile (or outline) shaded by the number of initiatives, with the legend and a text alternative. No Streamlit here."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pydeck as pdk

from ratc.core import charts, geo, metadata
from ratc.core.deck import (
    FONT_FAMILY,
    TOOLTIP_STYLE,
    DeckJson,
    LegendEntry,
    label_name,
    rgb,
    serialised,
    without_basemap,
)
from ratc.initiatives.registry import Registry, catalogue
from ratc.initiatives.view import Filters, filtered_items

MAP_HEIGHT_PX = 420
MAP_COLOURS = ["#F3F5F7", *charts.SEQUENTIAL[1:]]  # no initiatives, then four shades of blue


@dataclass(frozen=True)
class InitiativeMap:
    """The map of initiatives per municipality, with its legend and a text alternative."""

    deck: DeckJson
    legend: list[LegendEntry]
    description: str


def map_frame(registry: Registry, filters: Filters, geometry: geo.MapGeometry,
              data_dir: Path | None = None) -> pd.DataFrame:  # fmt: skip
    """Per municipality: initiatives, offers and open needs that pass the filters (region-wide ones apart)."""
    vocabulary = catalogue(data_dir)
    items = filtered_items(registry, filters)
    local = items[items["area_code"] != metadata.REGION_CODE]
    per_area = local.assign(
        is_offer=local["direction"] == "aanbod", is_open_need=(local["direction"] == "vraag") & (local["remaining"] > 0)
    ).groupby("area_code").agg(
        initiatieven=("initiative_id", "nunique"), aanbod=("is_offer", "sum"), open_vragen=("is_open_need", "sum")
    )  # fmt: skip
    codes = geometry.frame["statcode"]
    counts = per_area.reindex(codes, fill_value=0).astype(int).reset_index(drop=True)
    return pd.DataFrame({"gemeentecode": codes.to_numpy(), "gemeente": codes.map(vocabulary.areas).to_numpy()}).join(
        counts
    )


def map_classes(frame: pd.DataFrame) -> tuple[list[int], list[LegendEntry]]:
    """A class per municipality by number of initiatives (0 light grey, then up to four shades) and the legend."""
    largest = int(frame["initiatieven"].max()) if len(frame) else 0
    step = max(1, math.ceil(largest / 4))
    edges = [(1 + number * step, (number + 1) * step) for number in range(4)]
    classes = [0 if value == 0 else min(4, (int(value) - 1) // step + 1) for value in frame["initiatieven"]]
    labels = ["geen initiatieven"] + [f"{low} initiatie{'f' if low == 1 else 'ven'}" if low == high
                                      else f"{low} tot {high} initiatieven" for low, high in edges]  # fmt: skip
    legend = [
        LegendEntry(labels[number], MAP_COLOURS[number], classes.count(number))
        for number in range(5)
        if number == 0 or edges[number - 1][0] <= max(largest, 1)
    ]
    return classes, legend


def initiative_map(registry: Registry, filters: Filters, geometry: geo.MapGeometry,
                   data_dir: Path | None = None) -> InitiativeMap:  # fmt: skip
    """Each municipality's tile (or outline) shaded by its number of initiatives, the counts written on it.

    Only our own counts and the municipalities' names go into the tooltip and labels; no text that people typed.
    No basemap is requested (see `deck.without_basemap`).
    """
    frame = map_frame(registry, filters, geometry, data_dir)
    classes, legend = map_classes(frame)
    colours = MAP_COLOURS
    by_code = frame.assign(klasse=classes).set_index("gemeentecode")
    properties = {
        code: {
            "gemeente": row.gemeente,
            "tekst": f"{_count(row.initiatieven, 'initiatief', 'initiatieven')} · {row.aanbod} aanbod · "
                     f"{_count(row.open_vragen, 'open vraag', 'open vragen')}",
            "fill": [*rgb(colours[int(row.klasse)]), 235],
        }
        for code, row in zip(by_code.index, by_code.itertuples(), strict=True)
    }  # fmt: skip
    features = geometry.display_features()
    for feature in features["features"]:
        feature["properties"].update(properties[feature["properties"]["statcode"]])
    shapes = pdk.Layer(
        "GeoJsonLayer", data=features, id="initiatieven", pickable=True, stroked=True, filled=True,
        get_fill_color="properties.fill", get_line_color=[154, 165, 177, 255], get_line_width=1,
        line_width_units="'pixels'",
    )  # fmt: skip
    points = geometry.frame.set_index("statcode")[["label_lon", "label_lat"]].reindex(by_code.index)
    labels = pdk.Layer(
        "TextLayer",
        data=[
            {"position": [float(lon), float(lat)],
             "text": f"{label_name(code, row.gemeente, geometry.is_tiles)}\n{row.initiatieven}",
             "color": [255, 255, 255, 255] if int(row.klasse) >= 3 else [31, 41, 51, 255]}
            for code, row, lon, lat in zip(by_code.index, by_code.itertuples(), points["label_lon"],
                                           points["label_lat"], strict=True)
        ],
        id="namen", get_position="position", get_text="text", get_color="color", get_size=13,
        size_units="'pixels'", font_family=FONT_FAMILY, font_weight=600, line_height=1.15,
    )  # fmt: skip
    tooltip = {"html": "<b>{gemeente}</b><br/>{tekst}", "style": TOOLTIP_STYLE}
    drawn = without_basemap([shapes, labels], geometry.frame.total_bounds, tooltip, height_px=MAP_HEIGHT_PX)
    # serialised once here: pydeck's own to_json took longer than the rest of the page with 355 boundaries
    return InitiativeMap(serialised(drawn), legend, describe_map(frame, registry, filters))


def map_key(registry: Registry, filters: Filters, geometry: geo.MapGeometry) -> tuple:
    """What the map depends on: the registry's content, the filters and the geometry (its display shapes)."""
    content = tuple(
        int(pd.util.hash_pandas_object(frame, index=False).sum()) if len(frame) else 0
        for frame in (registry.initiatives, registry.items)
    )
    return (registry.demo, content, filters, geometry.kind, geometry.description, hash(geometry.shown))


def describe_map(frame: pd.DataFrame, registry: Registry, filters: Filters) -> str:
    """The map in a sentence: where most initiatives are, where none are, and how many work region-wide."""
    items = filtered_items(registry, filters)
    regional = items.loc[items["area_code"] == metadata.REGION_CODE, "initiative_id"].nunique()
    if frame["initiatieven"].sum() == 0:
        text = "Geen initiatieven in één gemeente die bij deze keuze passen."
    else:
        most = frame.sort_values(["initiatieven", "gemeente"], ascending=[False, True]).iloc[0]
        none = frame.loc[frame["initiatieven"] == 0, "gemeente"].tolist()
        text = f"De meeste initiatieven: {most['gemeente']} ({most['initiatieven']})."
        if none:
            text += f" Geen: {', '.join(none)}."
    if regional:
        text += f" {_count(regional, 'initiatief werkt', 'initiatieven werken')} in de hele regio (niet op de kaart)."
    return text


def _count(number: int, one: str, many: str) -> str:
    """'1 initiatief', '3 initiatieven'."""
    return f"{number} {one if number == 1 else many}"
