"""Download public source data into `data/`: CBS/PDOK municipality boundaries (`python -m ratc fetch boundaries`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ratc import geo

# PDOK's WFS of CBS's area divisions, one service per year. The address in ../shared/real/README.md
# (geodata.nationaalgeoregister.nl/cbsgebiedsindelingen/wfs, typeName cbs_gemeente_<year>_gegeneraliseerd)
# is the one the 2020 file was downloaded from; PDOK has since retired that host (CBS's own example code
# moved to this one in statistiekcbs/CBS-Open-Data-v3#6). Override with `url=` / `--url`.
PDOK_WFS_URL = "https://service.pdok.nl/cbs/gebiedsindelingen/{year}/wfs/v1_0"
TYPE_NAME = "gebiedsindelingen:gemeente_gegeneraliseerd"
TIMEOUT_SECONDS = 60
MAX_BYTES = 64 * 1024 * 1024  # all 355 generalised municipalities of 2020 are about 1 MB
FIRST_YEAR = 2019  # Hoeksche Waard and Molenlanden exist since 1 January 2019
SOURCE = "CBS, PDOK"


class FetchError(RuntimeError):
    """A download that failed or gave unusable data; nothing was written."""


def boundaries_url(year: int) -> str:
    """PDOK's WFS GetFeature request for CBS's generalised municipalities of a year, as GeoJSON in lon/lat."""
    query = {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeName": TYPE_NAME,
        "outputFormat": "application/json",
        "srsName": "EPSG:4326",
    }
    return f"{PDOK_WFS_URL.format(year=year)}?{urllib.parse.urlencode(query)}"


def download_boundaries(year: int = 2020, url: str | None = None, target_dir: Path | None = None) -> Path:
    """Download a year's municipality boundaries, keep the ten of the region, validate, and write them atomically.

    Writes `<target_dir>/gemeenten_<year>.geojson` (default `data/geo/`) only after the download parsed and
    held all ten municipalities with usable polygons; raises FetchError otherwise.
    """
    source = url or boundaries_url(year)
    content = fetch_bytes(source)
    try:
        frame = geo.read_geojson(content)
        selected = geo.select_municipalities(frame, geo.municipalities())
    except geo.GeoError as exc:
        hint = ""
        if year < FIRST_YEAR:
            hint = f" (Hoeksche Waard and Molenlanden exist since {FIRST_YEAR}; choose --year {FIRST_YEAR} or later)"
        raise FetchError(f"{_short(source)} did not give usable municipality boundaries: {exc}{hint}") from exc
    collection = geo.to_feature_collection(
        geo.orient_rings(selected[["statcode", "statnaam", "geometry"]], exterior_cw=False),  # as RFC 7946 says
        name=f"gemeenten_{year}",
        source=f"{SOURCE}: CBS-gebiedsindelingen {year}, gemeenten (gegeneraliseerd)",
        source_url=source,
        retrieved_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    target = (target_dir or geo.geo_dir()) / geo.boundary_file_name(year)
    write_atomically(target, json.dumps(collection, ensure_ascii=False).encode("utf-8"))
    return target


def fetch_bytes(url: str, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES) -> bytes:
    """The body of an HTTP(S) GET, refusing anything that is not 200 or larger than max_bytes."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be fetched, not {url!r}")
    request = urllib.request.Request(url, headers={"User-Agent": "ratc-monitor", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"{_short(url)} offers {int(length):,} bytes, more than the limit of {max_bytes:,}")
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{_short(url)} answered HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise FetchError(f"could not reach {_short(url)}: {exc.reason}; check the network or pass --url") from exc
    except TimeoutError as exc:
        raise FetchError(f"{_short(url)} did not answer within {timeout:.0f} seconds") from exc
    if len(body) > max_bytes:
        raise FetchError(f"{_short(url)} sent more than the limit of {max_bytes:,} bytes")
    if body.lstrip()[:1] not in (b"{", b"["):
        start = body[:60].decode("utf-8", "replace").strip().replace("\n", " ")
        raise FetchError(f"{_short(url)} did not send JSON (it starts with {start!r}); is the URL right?")
    return body


def write_atomically(target: Path, content: bytes) -> None:
    """Write a file so that readers see the old one or the complete new one, never half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _short(url: str) -> str:
    """The URL without its query, for messages."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
