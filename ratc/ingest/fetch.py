"""Download public source data into `data/`: CBS/PDOK boundaries, RIVM COVID-19 counts and CBS OData tables.

`python -m ratc fetch boundaries|rivm|cbs TABLE`. Every download is size- and time-limited, validated before
anything is written, and written atomically, so a failed download leaves what was there.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ratc.core import geo, metadata, paths

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
RIVM_URL = "https://data.rivm.nl/covid-19/COVID-19_aantallen_gemeente_per_dag.csv"
RIVM_MAX_BYTES = 512 * 1024 * 1024  # the per-day file grew to some 100 MB by 2023
RIVM_SOURCE = "RIVM"
CBS_MAX_ROWS = 2_000_000  # 82015NED alone holds about 1.1 million observations


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


def download_rivm(url: str = RIVM_URL, target_dir: Path | None = None) -> Path:
    """Download RIVM's COVID-19 counts per municipality, check they import, and write them atomically.

    Writes `<target_dir>/rivm/<file name of the URL>` (default `data/sources/`) unchanged, only after
    `ratc.rivm.weekly_counts` read it and found all ten municipalities; raises FetchError otherwise.
    """
    from ratc.ingest import rivm  # pandas is only needed once a download arrived

    content = fetch_bytes(url, max_bytes=RIVM_MAX_BYTES, expect="csv")
    try:
        weekly = rivm.weekly_counts(content)
    except (rivm.RivmError, ValueError) as exc:
        raise FetchError(f"{_short(url)} did not give usable RIVM COVID-19 counts: {exc}") from exc
    missing = set(geo.municipalities()) - set(weekly["area_code"])
    if missing:
        raise FetchError(f"{_short(url)} holds no counts for {', '.join(sorted(missing))}")
    name = Path(urllib.parse.urlsplit(url).path).name or "rivm.csv"
    target = (target_dir or sources_dir()) / "rivm" / name
    write_atomically(target, content)
    return target


def download_cbs_table(table_id: str, target_dir: Path | None = None, client=None) -> Path:
    """Download a CBS OData table through `cbsodata`, check it maps onto our indicators, and write its rows.

    Writes `<target_dir>/cbs/<TABLE>.json` (default `data/sources/`): the table id, the time of retrieval
    and the rows as `cbsodata.get_data` returns them. `client` is the cbsodata module (injectable for tests).
    Tables in `ratc.ingest.odata.TABLES` with an indicator must give at least one row for our areas or NL.
    """
    from ratc.ingest import cbs, odata

    table = table_id.strip().upper()
    spec = odata.TABLES.get(table)
    if spec is None:
        raise FetchError(f"table {table_id!r} is not known; known tables: {', '.join(odata.TABLES)}")
    if client is None:
        try:
            import cbsodata as client
        except ImportError as exc:
            raise FetchError("the cbsodata package is missing; pip install -r requirements.txt") from exc
    try:
        rows = client.get_data(table, filters=region_filter(spec))
    except Exception as exc:  # requests' errors and cbsodata's own: the client's exception types are its business
        raise FetchError(f"CBS OData table {table} could not be downloaded: {type(exc).__name__}: {exc}") from exc
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise FetchError(f"CBS OData table {table} did not give a list of rows")
    if len(rows) > CBS_MAX_ROWS:
        raise FetchError(f"CBS OData table {table} gave {len(rows):,} rows, more than the limit of {CBS_MAX_ROWS:,}")
    if spec["indicator"] is not None:
        try:
            delivery = odata.read_odata(table, rows)
        except cbs.CbsError as exc:
            raise FetchError(f"CBS OData table {table} did not give usable figures: {exc}") from exc
        if delivery.empty:
            raise FetchError(f"CBS OData table {table} holds no {spec['indicator']} figures for our areas or NL")
    document = {
        "table_id": table,
        "title": spec["title"],
        "source": "CBS StatLine (OData, cbsodata)",
        "retrieved_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rows": rows,
    }
    target = (target_dir or sources_dir()) / "cbs" / f"{table}.json"
    write_atomically(target, json.dumps(document, ensure_ascii=False, default=str).encode("utf-8"))
    return target


def region_filter(spec: dict) -> str | None:
    """An OData filter for our areas of the table's kind (municipalities or provinces) and NL (None: no region)."""
    column = spec.get("region")
    if column != "RegioS":
        return None
    areas = metadata.read_areas()
    published = spec.get("areas", "gemeente")
    keys = [*areas.loc[areas["area_type"] == published, "area_code"], "NL01"]
    return " or ".join(f"substringof('{key}',{column})" for key in keys)


def sources_dir() -> Path:
    """Where downloaded source files go (`data/sources/`)."""
    return paths.data_dir() / "sources"


def fetch_bytes(url: str, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES, expect: str = "json") -> bytes:
    """The body of an HTTP(S) GET, refusing anything that is not 200, larger than max_bytes, or not `expect`.

    `expect` is "json" (the body starts with { or [) or "csv" (a text header line with ; or , in it).
    """
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be fetched, not {url!r}")
    accept = "application/json" if expect == "json" else "text/csv, text/plain;q=0.9"
    request = urllib.request.Request(url, headers={"User-Agent": "ratc-monitor", "Accept": accept})
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
    start = body[:60].decode("utf-8", "replace").strip().replace("\n", " ")
    if expect == "json" and body.lstrip()[:1] not in (b"{", b"["):
        raise FetchError(f"{_short(url)} did not send JSON (it starts with {start!r}); is the URL right?")
    if expect == "csv" and not _looks_like_csv(body):
        raise FetchError(f"{_short(url)} did not send CSV (it starts with {start!r}); is the URL right?")
    return body


def _looks_like_csv(body: bytes) -> bool:
    """Whether a body starts with a UTF-8 header line of several separated columns (not HTML or JSON)."""
    header = body[:4096].split(b"\n", 1)[0].removeprefix(b"\xef\xbb\xbf").strip()
    if not header or header[:1] in (b"<", b"{", b"["):
        return False
    try:
        text = header.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return ";" in text or "," in text


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
