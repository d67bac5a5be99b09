"""Map geometry of the ten municipalities: CBS/PDOK boundaries when downloaded, else the shipped hexagon tiles."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from ratc.core import metadata, paths

WGS84 = "EPSG:4326"
RD_NEW = "EPSG:28992"  # metric, for hexagon geometry and label placement
BOUNDARY_FILE = re.compile(r"^gemeenten_(\d{4})\.geojson$")
SHIPPED_HEXAGONS = paths.ROOT / "data" / "geo" / "hexagons.csv"
# Pointy-top hexagons 3 km from centre to corner, the layout centred on the region (RD New metres).
HEX_SIZE_M = 3_000.0
HEX_ORIGIN_RD = (97_300.0, 422_500.0)
# Generous bounding box of the Netherlands in lon/lat: catches swapped axes and other coordinate systems.
NL_LON, NL_LAT = (3.0, 7.6), (50.6, 53.8)
TILES_DESCRIPTION = "Tegelkaart: elke gemeente even groot"
DISPLAY_WIDTH_PX = 720  # the interactive maps' width: what their shapes are simplified for


class GeoError(ValueError):
    """Boundaries that cannot be used: missing municipalities, broken geometry, outside the Netherlands."""


@dataclass(frozen=True)
class MapGeometry:
    """The shapes to draw: one row per municipality (statcode, statnaam, geometry, label_lon, label_lat)."""

    frame: gpd.GeoDataFrame
    kind: str  # "grenzen" (CBS/PDOK boundaries) or "tegels" (hexagon tiles)
    description: str
    source: str | None = None
    notice: str | None = None
    shown: str | None = field(default=None, repr=False)  # display_text(frame), made once by with_display

    @property
    def is_tiles(self) -> bool:
        """Whether this is the hexagon tile map rather than real boundaries."""
        return self.kind == "tegels"

    def display_features(self) -> dict:
        """A fresh GeoJSON FeatureCollection of the display shapes (statcode only), to add properties to."""
        return json.loads(self.shown if self.shown is not None else display_text(self.frame))


def geo_dir(data_dir: Path | None = None) -> Path:
    """The folder with map geometry: `data/geo/`."""
    return (data_dir or paths.data_dir()) / "geo"


def boundary_file_name(year: int) -> str:
    """The file name downloaded boundaries of a year are stored under."""
    return f"gemeenten_{year}.geojson"


def municipalities(data_dir: Path | None = None) -> dict[str, str]:
    """The ten municipalities of the region, code -> name, from `areas.csv`."""
    areas = metadata.read_areas(data_dir)
    areas = areas[areas["area_type"] == "gemeente"]
    return dict(zip(areas["area_code"], areas["area_name"], strict=True))


def read_geojson(source: Path | str | bytes | Mapping) -> gpd.GeoDataFrame:
    """A GeoJSON file, text or parsed FeatureCollection as a GeoDataFrame (lon/lat when it says no CRS)."""
    if isinstance(source, Mapping):
        collection = dict(source)
    else:
        text = Path(source).read_bytes() if isinstance(source, Path) else source
        try:
            collection = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GeoError(f"not valid JSON: {exc}") from exc
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise GeoError("not a GeoJSON FeatureCollection")
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise GeoError("the FeatureCollection has no features")
    try:
        frame = gpd.GeoDataFrame.from_features(features, crs=_crs_of(collection))
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as exc:
        raise GeoError(f"the features cannot be read as geometry: {exc}") from exc
    return frame


def select_municipalities(frame: gpd.GeoDataFrame, wanted: Mapping[str, str]) -> gpd.GeoDataFrame:
    """Exactly the wanted municipalities by CBS statcode, valid, in lon/lat, in the order of `wanted`.

    Raises GeoError naming what is wrong: missing codes, empty or non-polygon shapes, coordinates outside
    the Netherlands. Invalid polygons are repaired with `make_valid`.
    """
    if "statcode" not in frame.columns:
        raise GeoError("the features have no 'statcode' property (expected CBS municipality boundaries)")
    codes = frame["statcode"].astype(str).str.strip().str.upper()
    chosen = frame.assign(statcode=codes)[codes.isin(list(wanted))]
    missing = [code for code in wanted if code not in set(chosen["statcode"])]
    if missing:
        names = ", ".join(f"{code} {wanted[code]}" for code in missing)
        raise GeoError(f"the boundaries lack {len(missing)} of the {len(wanted)} municipalities: {names}")
    if chosen["statcode"].duplicated().any():
        chosen = chosen.dissolve(by="statcode", as_index=False)
    chosen = chosen.set_index("statcode").loc[list(wanted)].reset_index()
    geometry = _valid_polygons(chosen)
    result = gpd.GeoDataFrame(
        {"statcode": list(wanted), "statnaam": list(wanted.values())}, geometry=geometry, crs=chosen.crs
    )
    result = result.set_crs(WGS84) if result.crs is None else result.to_crs(WGS84)
    return _in_the_netherlands(result)


def orient_for_altair(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame with clockwise outer rings, as Vega's spherical projections need.

    GeoJSON (RFC 7946) rings run counter-clockwise, which d3-geo reads as "the whole globe except this
    polygon": the chart then fills its canvas. Clockwise outer rings draw the municipality itself.
    """
    return orient_rings(frame, exterior_cw=True)


def orient_rings(frame: gpd.GeoDataFrame, exterior_cw: bool) -> gpd.GeoDataFrame:
    """The frame with every outer ring clockwise (exterior_cw) or counter-clockwise, holes the other way."""
    oriented = shapely.orient_polygons(np.asarray(frame.geometry.array), exterior_cw=exterior_cw)
    return frame.set_geometry(gpd.GeoSeries(oriented, index=frame.index, crs=frame.crs))


def load_boundaries(path: Path, data_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Downloaded boundaries: filtered to the ten, validated, oriented for Altair, with label points."""
    selected = select_municipalities(read_geojson(path), municipalities(data_dir))
    return with_label_points(orient_for_altair(selected))


def hexagon_layout(path: Path | None = None) -> pd.DataFrame:
    """The tile layout: statcode, statnaam and grid position (kolom, rij; rij 0 is the south)."""
    return pd.read_csv(path or SHIPPED_HEXAGONS, dtype={"statcode": str, "kolom": int, "rij": int})


def hexagon_tiles(data_dir: Path | None = None) -> gpd.GeoDataFrame:
    """A hexagon per municipality on the shipped grid, in lon/lat, oriented for Altair, with label points.

    Pointy-top hexagons in rows; odd rows are shifted half a tile east, so neighbours on the grid share
    an edge. Corners are rounded to the millimetre in RD New so that shared edges coincide exactly.
    """
    layout_file = geo_dir(data_dir) / "hexagons.csv"
    layout = hexagon_layout(layout_file if layout_file.exists() else None)
    hexagons = [hexagon(int(column), int(row)) for column, row in zip(layout["kolom"], layout["rij"], strict=True)]
    tiles = gpd.GeoDataFrame(layout[["statcode"]], geometry=hexagons, crs=RD_NEW).to_crs(WGS84)
    selected = select_municipalities(tiles, municipalities(data_dir))
    return with_label_points(orient_for_altair(selected))


def hexagon(column: int, row: int, size: float = HEX_SIZE_M) -> shapely.Polygon:
    """The pointy-top hexagon at a grid position, in RD New metres."""
    width = math.sqrt(3) * size
    centre_x = HEX_ORIGIN_RD[0] + width * (column + 0.5 * (row % 2))
    centre_y = HEX_ORIGIN_RD[1] + 1.5 * size * row
    corners = [math.radians(30 + 60 * corner) for corner in range(6)]
    return shapely.Polygon(
        [
            (round(centre_x + size * math.cos(angle), 3), round(centre_y + size * math.sin(angle), 3))
            for angle in corners
        ]
    )


def with_label_points(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add label_lon/label_lat: a point well inside each municipality's largest part (pole of inaccessibility)."""
    metric = frame.geometry.to_crs(RD_NEW)
    points = gpd.GeoSeries([polylabel(_largest_part(shape), tolerance=10.0) for shape in metric], crs=RD_NEW)
    points = points.to_crs(WGS84)
    return frame.assign(label_lon=points.x.to_numpy(), label_lat=points.y.to_numpy())


def available_boundary_years(data_dir: Path | None = None) -> list[int]:
    """Years of downloaded boundary files in `data/geo/`, newest first."""
    folder = geo_dir(data_dir)
    if not folder.is_dir():
        return []
    years = [int(match.group(1)) for path in folder.iterdir() if (match := BOUNDARY_FILE.match(path.name))]
    return sorted(years, reverse=True)


def map_geometry(data_dir: Path | None = None) -> MapGeometry:
    """The newest downloaded CBS/PDOK boundaries that validate, otherwise the shipped hexagon tiles."""
    problems = []
    for year in available_boundary_years(data_dir):
        path = geo_dir(data_dir) / boundary_file_name(year)
        try:
            frame = load_boundaries(path, data_dir)
        except (GeoError, OSError) as exc:
            problems.append(f"{path.name}: {exc}")
            continue
        return MapGeometry(frame, "grenzen", f"Gemeentegrenzen CBS/PDOK {year}", source=f"CBS, PDOK ({year})")
    notice = None
    if problems:
        notice = "De gemeentegrenzen in data/geo/ zijn onbruikbaar; de tegelkaart wordt getoond. " + "; ".join(problems)
    return MapGeometry(hexagon_tiles(data_dir), "tegels", TILES_DESCRIPTION, notice=notice)


def with_display(geometry: MapGeometry) -> MapGeometry:
    """The geometry with its display shapes made now, for a cached geometry that the maps draw again and again."""
    return replace(geometry, shown=display_text(geometry.frame))


def display_text(frame: gpd.GeoDataFrame) -> str:
    """The display shapes of the interactive maps (see display_shapes) with their statcode, as GeoJSON text."""
    return json.dumps(to_feature_collection(display_shapes(frame[["statcode", "geometry"]], DISPLAY_WIDTH_PX)))


def to_feature_collection(frame: gpd.GeoDataFrame, **members: object) -> dict:
    """The frame as a GeoJSON FeatureCollection (lon/lat), with extra top-level members such as a source."""
    collection = json.loads(frame.to_crs(WGS84).to_json(drop_id=True))
    collection.pop("crs", None)  # RFC 7946: lon/lat WGS84 is implied
    return {**collection, **members}


def display_shapes(frame: gpd.GeoDataFrame, width_px: int) -> gpd.GeoDataFrame:
    """The frame's shapes as a map `width_px` wide draws them all: simplified to a quarter pixel, and rounded.

    What the maps send to the browser and into exports (under a pixel in a PNG at three times the size too):
    355 municipalities' boundaries shrink from 1.2 MB of GeoJSON to 0.4 MB, a difference no one sees. Coordinates
    keep the decimals that resolve an eighth of the tolerance (a metre for the region). Outer rings stay
    clockwise for Altair; shared corners (the tiles') stay shared, as equal coordinates round alike.
    """
    tolerance, decimals = _display_grid(frame, width_px)
    shapes = shapely.simplify(np.asarray(frame.geometry.array), tolerance, preserve_topology=True)
    shapes = shapely.transform(shapes, lambda coordinates: coordinates.round(decimals))
    return orient_for_altair(frame.set_geometry(gpd.GeoSeries(shapes, index=frame.index, crs=frame.crs)))


def to_topology(frame: gpd.GeoDataFrame, name: str, width_px: int) -> dict:
    """The display shapes (see display_shapes) as TopoJSON: whole-number steps of an eighth of a pixel.

    Some 55% of the GeoJSON's size, and integers parse faster than decimals: Streamlit decodes and encodes a spec
    several times on every rerun, which for the national publication map was most of the page's time
    (bench/run.py). One arc per ring (shared borders are not shared), delta encoded, repeated points dropped;
    the other columns become each geometry's properties.
    """
    shown = display_shapes(frame, width_px).to_crs(WGS84)
    tolerance, _ = _display_grid(frame, width_px)
    step = float(f"{tolerance / 2:.1g}")  # a round number keeps the transform short
    origin = np.floor(shown.total_bounds[:2] / step) * step
    arcs, geometries = [], []
    properties = shown.drop(columns=shown.geometry.name).to_dict("records")
    for shape, members in zip(shown.geometry, properties, strict=True):
        polygons = []
        for polygon in getattr(shape, "geoms", [shape]):
            rings = []
            for number, ring in enumerate((polygon.exterior, *polygon.interiors)):
                grid = np.round((np.asarray(ring.coords) - origin) / step).astype(np.int64)
                # an islet smaller than the grid can collapse or turn round, and a ring turned round is read by d3
                # as "the globe except this": leave it out (it is under an eighth of a pixel)
                if _turn(grid) * (1 if number == 0 else -1) >= 0:
                    if number == 0:
                        break
                    continue
                deltas = np.diff(grid, axis=0)
                deltas = deltas[deltas.any(axis=1)]  # a point that rounds onto its predecessor adds nothing
                rings.append([len(arcs)])
                arcs.append(np.vstack([grid[:1], deltas]).tolist())
            if rings:
                polygons.append(rings)
        geometries.append({"type": "MultiPolygon", "arcs": polygons, "properties": members})
    return {
        "type": "Topology",
        "transform": {"scale": [step, step], "translate": origin.tolist()},
        "objects": {name: {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }


def _turn(points: np.ndarray) -> int:
    """Twice the signed area of a closed ring on the grid: negative when clockwise (as outer rings are here)."""
    x, y = points[:, 0], points[:, 1]
    return int((x[:-1] * y[1:] - x[1:] * y[:-1]).sum())


def _display_grid(frame: gpd.GeoDataFrame, width_px: int) -> tuple[float, int]:
    """The simplification tolerance (a quarter pixel, in degrees) and the decimals that resolve an eighth of it."""
    min_lon, min_lat, max_lon, max_lat = frame.total_bounds
    tolerance = max(max_lon - min_lon, max_lat - min_lat, 1e-9) / width_px / 4
    return tolerance, max(0, math.ceil(-math.log10(tolerance / 8)))


def _crs_of(collection: Mapping) -> str | None:
    """The CRS a FeatureCollection names in its (pre-RFC 7946) `crs` member; None means lon/lat."""
    name = ((collection.get("crs") or {}).get("properties") or {}).get("name")
    if not name or "CRS84" in name.upper():
        return None
    match = re.search(r"EPSG:{1,2}(\d+)$", name)
    if not match:
        raise GeoError(f"unknown coordinate reference system {name!r}")
    # EPSG:4326 in a GeoJSON crs member still means lon/lat order, as GDAL and PDOK's output agree.
    return None if match.group(1) == "4326" else f"EPSG:{match.group(1)}"


def _valid_polygons(frame: gpd.GeoDataFrame) -> list:
    """The frame's shapes as valid (Multi)Polygons; GeoError naming the municipalities that have none."""
    shapes, broken = [], []
    for code, shape in zip(frame["statcode"], frame.geometry, strict=True):
        if shape is not None and not shape.is_empty and not shape.is_valid:
            shape = shapely.make_valid(shape, method="structure", keep_collapsed=False)
        if shape is None or shape.is_empty or shape.geom_type not in ("Polygon", "MultiPolygon"):
            broken.append(code)
        shapes.append(shape)
    if broken:
        raise GeoError(f"no usable polygon for {', '.join(broken)}")
    return shapes


def _in_the_netherlands(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame when its lon/lat lie in the Netherlands; swapped lat/lon axes are put right."""
    min_x, min_y, max_x, max_y = frame.total_bounds

    def inside(low_x, low_y, high_x, high_y):
        return NL_LON[0] <= low_x and high_x <= NL_LON[1] and NL_LAT[0] <= low_y and high_y <= NL_LAT[1]

    if inside(min_x, min_y, max_x, max_y):
        return frame
    if inside(min_y, min_x, max_y, max_x):
        swapped = shapely.transform(np.asarray(frame.geometry.array), lambda coords: coords[:, ::-1])
        return frame.set_geometry(gpd.GeoSeries(swapped, index=frame.index, crs=frame.crs))
    raise GeoError(
        f"coordinates ({min_x:.2f}, {min_y:.2f}) – ({max_x:.2f}, {max_y:.2f}) are not in the Netherlands as "
        "lon/lat; was another coordinate system used without saying so?"
    )


def _largest_part(shape) -> shapely.Polygon:
    """The largest polygon of a (Multi)Polygon."""
    return max(getattr(shape, "geoms", [shape]), key=lambda part: part.area)
