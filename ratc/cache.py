"""All Streamlit cache wrappers in one place: the shared read-only connection and cached query results."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from ratc import db, paths, warehouse


def ensure_warehouse() -> Path:
    """The current warehouse file, building it first (with a visible progress bar) when missing or stale."""
    if not warehouse.is_current():
        placeholder = st.empty()
        with placeholder.status("De monitor wordt opgebouwd uit de bronbestanden …", expanded=True):
            bar = st.progress(0.0, text="Starten")
            warehouse.ensure(progress=lambda fraction, message: bar.progress(fraction, text=message))
        placeholder.empty()
    return warehouse.current_file()


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
