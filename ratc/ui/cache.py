"""All Streamlit cache wrappers in one place: the shared read-only connection and cached query results."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from ratc.core import geo, incidents, paths
from ratc.warehouse import builder as warehouse
from ratc.warehouse import db, lineage

BUILDING_ELSEWHERE = (
    "De monitor wordt bijgewerkt met nieuwe bronbestanden. U ziet nog de vorige versie; over een minuut toont de "
    "pagina de nieuwe."
)
NOT_BUILT_HERE = (
    "Er zijn nieuwere bronbestanden dan deze versie van de monitor. U ziet de huidige versie tot de beheerder de "
    "nieuwe heeft opgebouwd."
)


def ensure_warehouse() -> Path:
    """The warehouse file to read, (re)built first when missing, stale or broken.

    One build at a time (the build lock in ratc.warehouse.builder): the session that takes the lock builds with a
    progress bar; every other session keeps the current warehouse with a calm notice, and waits only when there is
    none yet. Where page views may not build (RATC_BUILD_IN_APP=0, a read-only folder) the current one stays.
    """
    current = warehouse.current_file()
    usable = _usable(current)
    if usable and warehouse.is_current():
        return current
    if not warehouse.may_build_in_app():
        if usable:
            st.info(NOT_BUILT_HERE, icon=":material/update:")
            return current
        st.error("De monitor is nog niet opgebouwd. De beheerder bouwt hem met `python -m ratc build`.")
        st.stop()
    placeholder = st.empty()
    try:
        if usable:  # the bar appears only in the session that builds
            outcome = warehouse.refresh(progress=_lazy_progress(placeholder, broken=False), wait=False)
        else:
            with placeholder.status("De monitor wordt opgebouwd uit de bronbestanden …", expanded=True):
                if current is not None:
                    st.write("Het bestaande warehouse is beschadigd en wordt opnieuw opgebouwd.")
                bar = st.progress(0.0, text="Starten (of wachten op een opbouw die al loopt)")
                outcome = warehouse.refresh(progress=lambda fraction, message: bar.progress(fraction, text=message))
    except (lineage.LedgerError, ValueError, OSError, duckdb.Error) as exc:
        placeholder.empty()
        reason = _failure(exc)
        if usable:
            st.warning(f"De bronbestanden konden niet worden verwerkt: {reason} De monitor toont de vorige versie.")
            return current
        st.error(f"De monitor kan niet worden opgebouwd: {reason}")
        st.stop()
    placeholder.empty()
    if outcome is warehouse.Outcome.BUSY:
        st.info(BUILDING_ELSEWHERE, icon=":material/update:")
        return current
    return warehouse.current_file()


def _lazy_progress(placeholder, broken: bool) -> warehouse.Progress:
    """A progress callback that draws its status box and bar on its first call: only when this session builds."""
    drawn: list = []

    def report(fraction: float, message: str) -> None:
        if not drawn:
            with placeholder.status("De monitor wordt bijgewerkt met nieuwe bronbestanden …", expanded=True):
                drawn.append(st.progress(0.0, text="Starten"))
        drawn[0].progress(fraction, text=message)

    return report


def _failure(exc: BaseException) -> str:
    """What to tell a user about a failed build: the ledger's own Dutch sentence, never a database's message."""
    if isinstance(exc, lineage.LedgerError | ValueError) and not isinstance(exc, duckdb.Error):
        return str(exc)
    code = incidents.record("the warehouse build failed", exc)
    return f"een technische fout bij het opbouwen. {incidents.visitor_message(code)}"


def _usable(file: Path | None) -> bool:
    """Whether a warehouse file exists and opens."""
    if file is None:
        return False
    try:
        _connection(str(file))
    except db.WarehouseUnavailable:
        return False
    return True


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(file: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per warehouse file; callers take a cursor per query."""
    return db.open_warehouse(Path(file))


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _query(file: str, name: str, params: tuple[tuple[str, object], ...]) -> pd.DataFrame:
    """A query result, cached per warehouse file so a rebuild is seen without a restart."""
    return db.run_query(_connection(file), name, **dict(params))


def query(name: str, **params: object) -> pd.DataFrame:
    """Run a named query on the current warehouse, cached."""
    file = warehouse.current_file(paths.warehouse_path())
    if file is None:
        file = ensure_warehouse()
    return _query(str(file), name, tuple(sorted(params.items())))


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def _computed(file: str, module: str, name: str, args: tuple, kwargs: tuple) -> object:
    """A page question's result (a figure, a frame), cached per warehouse file and arguments."""
    function = getattr(importlib.import_module(module), name)
    return function(query, *args, **dict(kwargs))


def computed(function: Callable[..., object], *args: object, **kwargs: object) -> object:
    """Call `function(query, *args, **kwargs)` from a ratc module once per warehouse and arguments.

    Charts are expensive to build (Altair copies and converts), so a page asks for its figures through this.
    """
    file = warehouse.current_file(paths.warehouse_path()) or ensure_warehouse()
    return _computed(str(file), function.__module__, function.__name__, args, tuple(sorted(kwargs.items())))


def shown(draw: Callable[[object], None], function: Callable[..., object], *args: object, **kwargs: object) -> None:
    """Draw `draw(computed(function, *args, **kwargs))`; the same question again replays the drawn elements.

    Streamlit records the elements a cached function draws and replays them on a hit, which costs half of
    drawing them anew: for a hundred KPI tiles that was 40 ms per rerun (bench/run.py). Only for drawing static
    elements from the result alone: no widgets, nothing from session state (it would not be part of the key).
    """
    file = warehouse.current_file(paths.warehouse_path()) or ensure_warehouse()
    _shown(str(file), draw.__module__, draw.__name__, function.__module__, function.__name__, args,
           tuple(sorted(kwargs.items())))  # fmt: skip


@st.cache_data(ttl=3600, max_entries=128, show_spinner=False)
def _shown(file: str, draw_module: str, draw_name: str, module: str, name: str, args: tuple, kwargs: tuple) -> None:
    """Draw a page question's result; cached so that Streamlit replays the elements."""
    draw = getattr(importlib.import_module(draw_module), draw_name)
    draw(_computed(file, module, name, args, kwargs))


def map_geometry() -> geo.MapGeometry:
    """The map's geometry (downloaded boundaries or the shipped tiles), read again only when data/geo/ changes."""
    folder = geo.geo_dir()
    signature = (
        tuple((path.name, path.stat().st_mtime_ns) for path in sorted(folder.glob("*"))) if folder.exists() else ()
    )
    return _map_geometry(str(folder), signature)


@st.cache_data(max_entries=4, show_spinner=False)
def _map_geometry(folder: str, signature: tuple) -> geo.MapGeometry:
    """The geometry for one state of the geo folder, with its display shapes made once."""
    return geo.with_display(geo.map_geometry())


@st.cache_data(ttl=3600, max_entries=32, show_spinner=False)
def _stored(module: str, name: str, key: tuple, _args: tuple) -> object:
    """A result computed from the shared store, cached for as long as its key is the same (`_args` unhashed)."""
    function = getattr(importlib.import_module(module), name)
    return function(*_args)


def stored(function: Callable[..., object], key: tuple, *args: object) -> object:
    """Call `function(*args)` from a ratc module once per `key`: what it reads from the shared store (e.g. the
    numbers of the reports it shows, which never change once stored), so new content is seen at once."""
    # the key stands for the arguments, which are not hashed: a registry's frames or a map's geometry would cost
    # more to hash than the key to make
    return _stored(function.__module__, function.__name__, key, args)
