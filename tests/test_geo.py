"""Map geometry: the real CBS/PDOK boundaries (filtered, validated, oriented), the hexagon tiles, and the downloader."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import altair as alt
import numpy as np
import pytest
import shapely
import vl_convert
from conftest import ROOT, SHARED_REAL, serve
from PIL import Image

from ratc.__main__ import main
from ratc.core import geo
from ratc.ingest import fetch

GEO = SHARED_REAL / "geo"
REAL_FILES = {
    "all-355-municipalities": GEO / "gemeente_2020_cbs_pdok_wgs84.geojson",
    "ten-municipalities": GEO / "zhz_gemeenten_2020.geojson",
}
TEN = geo.municipalities(ROOT / "data")
CODE = {name: code for code, name in TEN.items()}


def real_file(key: str) -> Path:
    """A file from ../shared/real/geo, or a skip when that folder is absent."""
    path = REAL_FILES[key]
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def exterior_rings(frame):
    """Every outer ring of every (multi)polygon in a frame."""
    return [part.exterior for shape in frame.geometry for part in getattr(shape, "geoms", [shape])]


def filled_fraction(frame) -> float:
    """How much of the box around the drawn pixels of a small Altair geoshape map is filled.

    A map fills a part of its box; a polygon that d3 reads as "the globe except this" fills all of it.
    """
    features = geo.to_feature_collection(frame[["statcode", "geometry"]])["features"]
    chart = (
        alt.Chart(alt.Data(values=features))
        .mark_geoshape(fill="#0072B2", stroke=None)
        .project(type="mercator")
        .properties(width=200, height=100)
        .configure_view(stroke=None)
    )
    png = vl_convert.vegalite_to_png(chart.to_dict(), scale=1)
    drawn = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int).sum(axis=2) < 3 * 250
    rows, columns = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
    return float(drawn[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1].mean())


@pytest.mark.parametrize("key", REAL_FILES)
def test_real_boundaries_load_as_exactly_the_ten_valid_municipalities(key):
    frame = geo.load_boundaries(real_file(key), ROOT / "data")
    assert list(frame["statcode"]) == list(TEN)
    assert list(frame["statnaam"]) == list(TEN.values())
    assert frame.crs.to_epsg() == 4326
    assert frame.is_valid.all() and not frame.is_empty.any()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    # the README's areas (km², EPSG:28992) say the right shapes were kept
    areas = frame.set_index("statnaam").to_crs(geo.RD_NEW).area / 1e6
    assert areas["Dordrecht"] == pytest.approx(98.71, abs=0.05)
    assert areas["Hoeksche Waard"] == pytest.approx(281.99, abs=0.05)


@pytest.mark.parametrize("key", REAL_FILES)
def test_real_boundaries_are_turned_clockwise_for_altair(key):
    raw = geo.read_geojson(real_file(key))
    assert all(shapely.is_ccw(ring) for ring in exterior_rings(raw.head(5))), "GeoJSON from PDOK runs anticlockwise"
    oriented = geo.load_boundaries(real_file(key), ROOT / "data")
    assert not any(shapely.is_ccw(ring) for ring in exterior_rings(oriented))


def test_oriented_boundaries_render_a_map_and_unoriented_ones_fill_the_canvas():
    selected = geo.select_municipalities(geo.read_geojson(real_file("ten-municipalities")), TEN)
    anticlockwise = geo.orient_rings(selected, exterior_cw=False)
    assert filled_fraction(anticlockwise) > 0.98
    assert 0.2 < filled_fraction(geo.orient_for_altair(selected)) < 0.8


def drawn(values: object, data_format: alt.DataFormat | None = None) -> np.ndarray:
    """The pixels (True = drawn) of a small Vega-Lite geoshape map of GeoJSON features or a TopoJSON topology."""
    data = alt.InlineData(values=values, format=data_format) if data_format else alt.Data(values=values)
    chart = alt.Chart(data).mark_geoshape(fill="#0072B2", stroke="#FFFFFF", strokeWidth=0.5).project(type="mercator")
    png = vl_convert.vegalite_to_png(chart.properties(width=360, height=220).configure_view(stroke=None).to_dict())
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int).sum(axis=2) < 3 * 250


@pytest.mark.parametrize("key", [*REAL_FILES, "tiles"])
def test_the_topology_draws_the_same_map_as_the_geojson_of_the_display_shapes(key):
    if key == "tiles":
        frame = geo.hexagon_tiles()[["statcode", "geometry"]]
    else:
        frame = geo.orient_for_altair(geo.read_geojson(real_file(key))[["statcode", "geometry"]].set_crs(geo.WGS84))
    topology = geo.to_topology(frame, "gemeenten", 720)
    assert len(topology["objects"]["gemeenten"]["geometries"]) == len(frame)
    assert all(isinstance(step, int) for arc in topology["arcs"] for point in arc for step in point)
    features = geo.to_feature_collection(geo.display_shapes(frame, 720))["features"]
    from_topology = drawn(topology, alt.DataFormat(type="topojson", feature="gemeenten"))
    from_geojson = drawn(features)
    assert from_topology.mean() > 0.2, "the municipalities are drawn, not an empty or globe-filling canvas"
    assert (from_topology != from_geojson).mean() < 0.001
    if key != "tiles":  # hexagons are too simple to gain; boundaries are where size matters
        assert len(json.dumps(topology)) < 0.6 * len(json.dumps(features))


def test_hexagon_tiles_are_ten_oriented_non_overlapping_tiles():
    tiles = geo.hexagon_tiles(ROOT / "data")
    assert list(tiles["statcode"]) == list(TEN)
    assert tiles.is_valid.all()
    assert not any(shapely.is_ccw(ring) for ring in exterior_rings(tiles))
    metric = tiles.to_crs(geo.RD_NEW).geometry.tolist()
    for first in range(len(metric)):
        for second in range(first + 1, len(metric)):
            assert metric[first].intersection(metric[second]).area < 1.0  # m², i.e. only shared edges
    assert 0.1 < filled_fraction(tiles) < 0.8


def _touch(tiles, first: str, second: str) -> bool:
    """Whether two tiles share an edge (not just a corner)."""
    shapes = tiles.to_crs(geo.RD_NEW).set_index("statnaam").geometry
    return shapes[first].intersection(shapes[second]).length > 1_000


@pytest.mark.parametrize(
    ("first", "second", "adjacent"),
    [
        ("Dordrecht", "Zwijndrecht", True),
        ("Dordrecht", "Hoeksche Waard", True),
        ("Dordrecht", "Papendrecht", True),
        ("Zwijndrecht", "Hendrik-Ido-Ambacht", True),
        ("Papendrecht", "Alblasserdam", True),
        ("Sliedrecht", "Hardinxveld-Giessendam", True),
        ("Hardinxveld-Giessendam", "Gorinchem", True),
        ("Molenlanden", "Hardinxveld-Giessendam", True),
        ("Hoeksche Waard", "Gorinchem", False),
        ("Hoeksche Waard", "Molenlanden", False),
        ("Dordrecht", "Alblasserdam", False),
    ],
)
def test_hexagon_neighbours_are_neighbours(first, second, adjacent):
    assert _touch(geo.hexagon_tiles(ROOT / "data"), first, second) is adjacent


def test_hexagon_layout_follows_the_real_geography():
    real = geo.load_boundaries(real_file("ten-municipalities"), ROOT / "data").to_crs(geo.RD_NEW).set_index("statcode")
    tiles = geo.hexagon_tiles(ROOT / "data").to_crs(geo.RD_NEW).set_index("statcode")
    real_centres, tile_centres = real.geometry.centroid, tiles.geometry.centroid
    for axis in ("x", "y"):
        real_rank = getattr(real_centres, axis).rank()
        tile_rank = getattr(tile_centres, axis).rank()
        assert real_rank.corr(tile_rank) > 0.9, f"tiles are not ordered {axis} like the municipalities"
    codes = list(TEN)
    tile_pairs = {
        (first, second)
        for index, first in enumerate(codes)
        for second in codes[index + 1 :]
        if tiles.geometry[first].intersection(tiles.geometry[second]).length > 1_000
    }
    real_pairs = {
        (first, second) for first, second in tile_pairs if real.geometry[first].distance(real.geometry[second]) < 100
    }
    assert len(tile_pairs) >= 15 and len(tile_pairs - real_pairs) <= 1, sorted(tile_pairs - real_pairs)


@pytest.mark.parametrize("dropped", [["GM0482"], ["GM0505", "GM1978"]])
def test_missing_municipalities_give_an_error_naming_them(dropped):
    tiles = geo.hexagon_tiles(ROOT / "data")
    with pytest.raises(geo.GeoError) as error:
        geo.select_municipalities(tiles[~tiles["statcode"].isin(dropped)], TEN)
    message = str(error.value)
    assert f"lack {len(dropped)} of the 10 municipalities" in message
    for code in dropped:
        assert f"{code} {TEN[code]}" in message


def test_an_invalid_polygon_is_repaired():
    tiles = geo.hexagon_tiles(ROOT / "data")
    bow_tie = shapely.Polygon([(4.60, 51.78), (4.66, 51.80), (4.66, 51.78), (4.60, 51.80)])
    assert not bow_tie.is_valid
    tiles.loc[tiles["statcode"] == "GM0505", "geometry"] = bow_tie
    repaired = geo.select_municipalities(tiles, TEN)
    assert repaired.is_valid.all()
    assert repaired.set_index("statcode").geometry["GM0505"].area > 0


def test_swapped_lat_lon_axes_are_put_right():
    tiles = geo.hexagon_tiles(ROOT / "data")
    swapped = tiles.set_geometry(shapely.transform(np.asarray(tiles.geometry.array), lambda xy: xy[:, ::-1]))
    assert geo.select_municipalities(swapped, TEN).total_bounds == pytest.approx(tiles.total_bounds)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<!DOCTYPE html><html></html>", "not valid JSON"),
        (b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "has no features"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"naam": "x"}, '
         b'"geometry": {"type": "Point", "coordinates": [4.6, 51.8]}}]}', "no 'statcode' property"),
    ],
)  # fmt: skip
def test_unusable_geojson_gives_a_clear_error(content, message):
    with pytest.raises(geo.GeoError, match=message):
        geo.select_municipalities(geo.read_geojson(content), TEN)


def test_rd_coordinates_without_a_crs_are_refused():
    tiles = geo.hexagon_tiles(ROOT / "data").to_crs(geo.RD_NEW).set_crs(None, allow_override=True)
    with pytest.raises(geo.GeoError, match="not in the Netherlands"):
        geo.select_municipalities(tiles, TEN)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A data folder with the repo's areas.csv and tile layout, nothing downloaded; RATC_DATA_DIR points to it."""
    (tmp_path / "geo").mkdir()
    shutil.copy(ROOT / "data" / "areas.csv", tmp_path / "areas.csv")
    shutil.copy(geo.SHIPPED_HEXAGONS, tmp_path / "geo" / "hexagons.csv")
    monkeypatch.setenv("RATC_DATA_DIR", str(tmp_path))
    return tmp_path


def test_map_geometry_uses_tiles_until_boundaries_are_downloaded(data_dir):
    tiles = geo.map_geometry(data_dir)
    assert (tiles.kind, tiles.description, tiles.notice) == ("tegels", "Tegelkaart: elke gemeente even groot", None)
    shutil.copy(real_file("ten-municipalities"), data_dir / "geo" / "gemeenten_2020.geojson")
    boundaries = geo.map_geometry(data_dir)
    assert (boundaries.kind, boundaries.description) == ("grenzen", "Gemeentegrenzen CBS/PDOK 2020")
    assert boundaries.source == "CBS, PDOK (2020)"


def test_a_broken_boundary_file_falls_back_to_tiles_with_a_notice(data_dir):
    (data_dir / "geo" / "gemeenten_2021.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    geometry = geo.map_geometry(data_dir)
    assert geometry.kind == "tegels"
    assert "gemeenten_2021.geojson" in geometry.notice and "tegelkaart" in geometry.notice


@pytest.fixture(scope="module")
def server():
    """A local HTTP server on 127.0.0.1 in a thread; yields its base URL."""
    pdok = REAL_FILES["all-355-municipalities"]
    if not pdok.exists():
        pytest.skip(f"{pdok} is not available")
    extract = REAL_FILES["ten-municipalities"]
    ten = json.loads(extract.read_text()) if extract.exists() else None
    routes = {
        "/wfs": (200, "application/json", pdok.read_bytes()),
        "/html": (200, "text/html", b"<!DOCTYPE html>\n<html><body>Service Unavailable</body></html>"),
        "/garbage": (200, "application/json", b'{"type": "FeatureCollection", "features": [tru'),
        "/empty": (200, "application/json", b'{"type": "FeatureCollection", "features": []}'),
        "/error": (500, "text/plain", b"internal error"),
    }
    if ten:
        kept = [feature for feature in ten["features"] if feature["properties"]["statcode"] not in ("GM0482", "GM0610")]
        eight = {**ten, "features": kept}
        routes["/eight"] = (200, "application/json", json.dumps(eight).encode())
    with serve(routes) as url:
        yield url


def test_download_writes_exactly_the_ten_municipalities(server, data_dir):
    target = fetch.download_boundaries(url=f"{server}/wfs?request=GetFeature", target_dir=data_dir / "geo")
    assert target == data_dir / "geo" / "gemeenten_2020.geojson"
    written = json.loads(target.read_text())
    assert [feature["properties"]["statcode"] for feature in written["features"]] == list(TEN)
    assert written["source"].startswith("CBS, PDOK") and written["source_url"].endswith("/wfs?request=GetFeature")
    frame = geo.read_geojson(target)
    assert all(shapely.is_ccw(ring) for ring in exterior_rings(frame)), "written as RFC 7946: anticlockwise"
    assert sorted(path.name for path in (data_dir / "geo").iterdir()) == ["gemeenten_2020.geojson", "hexagons.csv"]
    assert geo.map_geometry(data_dir).kind == "grenzen"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "answered HTTP 404"),
        ("/error", "answered HTTP 500"),
        ("/html", "did not send JSON (it starts with '<!DOCTYPE html>"),
        ("/garbage", "did not give usable municipality boundaries: not valid JSON"),
        ("/empty", "has no features"),
        ("/eight", "lack 2 of the 10 municipalities: GM0482 Alblasserdam, GM0610 Sliedrecht"),
    ],
)
def test_a_bad_download_raises_a_clear_error_and_writes_nothing(server, data_dir, path, message):
    if path == "/eight" and not REAL_FILES["ten-municipalities"].exists():
        pytest.skip("the ten-municipality extract is not available")
    existing = data_dir / "geo" / "gemeenten_2020.geojson"
    existing.write_text("the previous download")
    with pytest.raises(fetch.FetchError) as error:
        fetch.download_boundaries(url=server + path, target_dir=data_dir / "geo")
    assert message in str(error.value)
    assert existing.read_text() == "the previous download"
    assert sorted(path.name for path in (data_dir / "geo").iterdir()) == ["gemeenten_2020.geojson", "hexagons.csv"]


def test_download_refuses_more_than_the_size_limit(server):
    with pytest.raises(fetch.FetchError, match="more than the limit of 1,000"):
        fetch.fetch_bytes(f"{server}/wfs", max_bytes=1_000)


def test_only_http_urls_are_fetched():
    with pytest.raises(fetch.FetchError, match="only http and https"):
        fetch.fetch_bytes("file:///etc/passwd")


def test_the_pdok_request_asks_for_the_generalised_municipalities_of_the_year_in_lon_lat():
    url = fetch.boundaries_url(2021)
    assert url.startswith(fetch.PDOK_WFS_URL.format(year=2021) + "?")
    for part in ("request=GetFeature", "typeName=gebiedsindelingen%3Agemeente_gegeneraliseerd", "srsName=EPSG%3A4326",
                 "outputFormat=application%2Fjson"):  # fmt: skip
        assert part in url


def test_cli_fetch_boundaries(server, data_dir, capsys):
    assert main(["fetch", "boundaries", "--year", "2020", "--url", f"{server}/wfs"]) == 0
    assert (data_dir / "geo" / "gemeenten_2020.geojson").exists()
    assert "Bron: CBS, PDOK" in capsys.readouterr().out
    assert main(["fetch", "boundaries", "--year", "2018", "--url", f"{server}/html"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "nothing was written" in err
    assert not (data_dir / "geo" / "gemeenten_2018.geojson").exists()


def test_cli_keeps_build_and_demo_and_refuses_unknown_fetches(capsys):
    with pytest.raises(SystemExit):
        main(["fetch", "osm"])
    assert "invalid choice: 'osm'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as help_exit:
        main(["--help"])
    assert help_exit.value.code == 0
    commands = re.search(r"\{([^}]*)\}", capsys.readouterr().out).group(1).split(",")
    assert {"build", "demo", "fetch", "import", "serve", "template"} <= set(commands)
