"""The house style of every interactive map, as `charts` is for Altair: a pydeck deck fitted to the region without
a basemap and serialised once, municipality labels that keep clear of each other, and the classed legend as HTML.

The Kaart and the Initiatieven maps are both drawn with it. No Streamlit here.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk

from ratc.core import charts, geo
from ratc.core.geo import RD_NEW, MapGeometry

# The initial view fits the region into this much canvas: the narrowest the wide layout gives the map at
# 1280 px with the sidebar open; wider screens get more margin, and the map can be dragged.
MAP_WIDTH_PX, MAP_HEIGHT_PX = geo.DISPLAY_WIDTH_PX, 420
# Labels on real boundaries, where the small municipalities of the Drechtsteden sit close together.
SHORT_NAMES = {"GM0531": "H.I. Ambacht", "GM0523": "Hardinxveld-G."}
FONT_FAMILY = "'Source Sans Pro, Helvetica, Arial, sans-serif'"  # unquoted CSS: no name may start with a digit
TOOLTIP_STYLE = {"backgroundColor": "#1F2933", "color": "#FFFFFF", "fontSize": "14px"}


@dataclass(frozen=True)
class LegendEntry:
    """One class of the map: its label, colour and how many municipalities fall in it."""

    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class DeckJson:
    """A pydeck map serialised once, for `st.pydeck_chart`, which only calls `to_json()` and reads the tooltip.

    pydeck serialises on every call, indented, in pure Python: for 355 municipalities that took over a second
    per rerun of the Kaart page (bench/run.py). Cached as a string, a rerun costs a few milliseconds.
    """

    text: str
    tooltip: Mapping
    layers: tuple = ()  # Streamlit converts DataFrames in a deck's layers before serialising; there are none

    def to_json(self) -> str:
        """The deck's JSON spec, as pydeck's `Deck.to_json()` gives it."""
        return self.text

    @property
    def _tooltip(self) -> Mapping:
        """Where Streamlit looks for a pydeck deck's tooltip (pydeck's own attribute name)."""
        return self.tooltip


def without_basemap(layers: list[pdk.Layer], bounds, tooltip: Mapping, height_px: int = MAP_HEIGHT_PX) -> pdk.Deck:
    """The layers on a map view fitted to the bounds, dragged but not scroll-zoomed or rotated, with no basemap.

    Basemap, as found in Streamlit 1.67 (elements/deck_gl_json_chart.py and the DeckGlJsonChart frontend
    bundle): the frontend injects Carto's positron/dark-matter style (a request to basemaps.cartocdn.com)
    whenever the spec has no `mapStyle` and every view is a MapView. `map_style=None` drops `mapStyle`,
    so it is exactly what triggers that. `map_provider=None` with pydeck's default map_style serialises
    `"mapStyle": "__MAP_STYLE__"`, a sentinel the frontend deletes without substituting anything, and
    with no style left it renders no base map component at all: no tiles, no style, no request.
    """
    return pdk.Deck(
        layers=layers,
        initial_view_state=view_state(bounds, height_px=height_px),
        views=[pdk.View(type="MapView", controller={"scrollZoom": False, "dragRotate": False, "touchRotate": False})],
        map_provider=None,  # no basemap and no request: see the docstring
        tooltip=tooltip,
    )


def serialised(deck_object: pdk.Deck) -> DeckJson:
    """The deck as JSON, equal to `deck_object.to_json()` but with the layers' data encoded by the fast C encoder."""
    data = [layer.data for layer in deck_object.layers]
    for layer in deck_object.layers:
        layer.data = []
    try:
        spec = json.loads(deck_object.to_json())
    finally:
        for layer, layer_data in zip(deck_object.layers, data, strict=True):
            layer.data = layer_data
    for layer_spec, layer_data in zip(spec["layers"], data, strict=True):
        layer_spec["data"] = layer_data
    return DeckJson(json.dumps(spec, sort_keys=True, separators=(",", ":")), deck_object._tooltip)


def view_state(bounds, width_px: int = MAP_WIDTH_PX, height_px: int = MAP_HEIGHT_PX) -> pdk.ViewState:
    """A view that fits lon/lat bounds (min_lon, min_lat, max_lon, max_lat) into a canvas with a margin."""
    min_lon, min_lat, max_lon, max_lat = (float(value) for value in bounds)

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    world_x = (max_lon - min_lon) / 360
    world_y = (mercator_y(max_lat) - mercator_y(min_lat)) / (2 * math.pi)
    # deck.gl's world is 512 px wide at zoom 0; 0.9 leaves a margin around the region
    zoom = math.log2(min(0.9 * width_px / (512 * world_x), 0.9 * height_px / (512 * world_y)))
    centre_lat = math.degrees(2 * math.atan(math.exp((mercator_y(min_lat) + mercator_y(max_lat)) / 2)) - math.pi / 2)
    return pdk.ViewState(longitude=(min_lon + max_lon) / 2, latitude=centre_lat, zoom=round(zoom, 2), pitch=0,
                         bearing=0)  # fmt: skip


def label_name(code: str, name: str, tiles: bool) -> str:
    """A municipality's name as a map label: long names broken on a tile, abbreviated on real boundaries."""
    if tiles:
        return name.replace("-Ido-", "-Ido-\n").replace("Hardinxveld-", "Hardinxveld-\n")
    return SHORT_NAMES.get(code, name)


def place_labels(geometry: MapGeometry, labels: pd.Series, font_px: float | None = None) -> pd.DataFrame:
    """Label positions (label_lon, label_lat) per statcode that do not overlap on the publication map.

    Greedy: the largest municipality first at its label point; a smaller one there too when that is free,
    else in the first free spot around it (above, below, beside, diagonal), else where it overlaps least.
    Sizes are estimated from the font size and the scale at which the map fills `charts.WIDTH`.
    """
    font_px = font_px or label_font_px(geometry)
    frame = geometry.frame.set_index("statcode")
    min_lon, min_lat, max_lon, max_lat = frame.total_bounds
    km_per_lon = 111.32 * math.cos(math.radians((min_lat + max_lat) / 2))
    km_per_lat = 110.57
    px_per_km = min(charts.WIDTH / ((max_lon - min_lon) * km_per_lon),
                    (charts.WIDTH // 2) / ((max_lat - min_lat) * km_per_lat))  # fmt: skip
    areas = frame.geometry.to_crs(RD_NEW).area.sort_values(ascending=False)
    placed: list[tuple[float, float, float, float]] = []
    positions = {}
    for code in areas.index:
        lines = str(labels.get(code, "")).split("\n")
        width = (max(len(line) for line in lines) * 0.58 * font_px + 4) / px_per_km
        height = (len(lines) * 1.2 * font_px + 2) / px_per_km
        x = (frame.loc[code, "label_lon"] - min_lon) * km_per_lon
        y = (frame.loc[code, "label_lat"] - min_lat) * km_per_lat
        shifts = [(0, 0), (0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)]
        candidates = [(x + dx * 0.6 * width, y + dy * 0.9 * height) for dx, dy in shifts]
        overlaps = [sum(_overlap((cx, cy, width, height), box) for box in placed) for cx, cy in candidates]
        best = next((index for index, overlap in enumerate(overlaps) if overlap == 0), int(np.argmin(overlaps)))
        cx, cy = candidates[best]
        placed.append((cx, cy, width, height))
        positions[code] = (min_lon + cx / km_per_lon, min_lat + cy / km_per_lat, best != 0)
    return pd.DataFrame.from_dict(positions, orient="index", columns=["label_lon", "label_lat", "label_verplaatst"])


def label_font_px(geometry: MapGeometry) -> float:
    """Label font size: roomy tiles take larger type than the small municipalities on real boundaries."""
    return 11.0 if geometry.is_tiles else 9.0


def legend_html(entries: list[LegendEntry]) -> str:
    """The classed legend as inline HTML: a colour swatch, the class and its number of municipalities."""
    items = []
    for entry in entries:
        count = "1 gemeente" if entry.count == 1 else f"{entry.count} gemeenten"
        items.append(
            '<span style="display:inline-flex;align-items:center;margin:0 1.2em 0.3em 0;white-space:nowrap">'
            f'<span aria-hidden="true" style="display:inline-block;width:1.1em;height:1.1em;margin-right:0.4em;'
            f'background:{entry.colour};border:1px solid #9AA5B1;border-radius:2px"></span>'
            f"{html.escape(entry.label)} <span style='color:#52606D;margin-left:0.3em'>({count})</span></span>"
        )
    return '<div role="list" aria-label="Legenda">' + "".join(
        f'<span role="listitem">{item}</span>' for item in items
    ) + "</div>"  # fmt: skip


def rgb(colour: str) -> list[int]:
    """'#D55E00' -> [213, 94, 0]."""
    return [int(colour[index : index + 2], 16) for index in (1, 3, 5)]


def _overlap(first: tuple[float, float, float, float], second: tuple[float, float, float, float]) -> float:
    """The overlapping area of two boxes given as (centre x, centre y, width, height)."""
    across = min(first[0] + first[2] / 2, second[0] + second[2] / 2) - max(
        first[0] - first[2] / 2, second[0] - second[2] / 2
    )
    up = min(first[1] + first[3] / 2, second[1] + second[3] / 2) - max(
        first[1] - first[3] / 2, second[1] - second[3] / 2
    )
    return max(across, 0.0) * max(up, 0.0)
