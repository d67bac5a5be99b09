"""Read the warehouse: named SQL files from `queries/`, bound parameters, a fresh cursor per query."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import duckdb
import pandas as pd

from ratc.core import paths
from ratc.warehouse import builder as warehouse

_HEADER = re.compile(r"^--\s*(params|returns):\s*(.*)$", re.MULTILINE)


class WarehouseUnavailable(RuntimeError):
    """The warehouse file is missing or cannot be opened."""


def open_warehouse(target: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current warehouse file; share it, but take a cursor per query."""
    location = warehouse.current_file(target or paths.warehouse_path())
    if location is None:
        raise WarehouseUnavailable("Er is nog geen warehouse; bouw het met `python -m ratc build`.")
    try:
        return duckdb.connect(str(location), read_only=True)
    except duckdb.Error as exc:
        raise WarehouseUnavailable(f"Het warehouse kan niet worden geopend: {exc}") from exc


@functools.cache
def query_text(name: str) -> str:
    """The SQL of a named query file in `queries/`."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"invalid query name {name!r}")
    return (paths.queries_dir() / f"{name}.sql").read_text(encoding="utf-8")


def query_header(name: str) -> dict[str, list[str]]:
    """The documented params and returned columns of a query, from its header comments."""
    header = {"params": [], "returns": []}
    for kind, names in _HEADER.findall(query_text(name)):
        header[kind] = [item.strip() for item in names.split(",") if item.strip() and item.strip() != "none"]
    return header


def query_names() -> list[str]:
    """Every named query in `queries/` (build steps live in a subfolder and are not included)."""
    return sorted(path.stem for path in paths.queries_dir().glob("*.sql"))


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """Run a named query with bound parameters on its own cursor and return a DataFrame."""
    expected = set(query_header(name)["params"])
    if set(params) != expected:
        raise TypeError(f"query {name} takes params {sorted(expected)}, got {sorted(params)}")
    cursor = con.cursor()
    try:
        return cursor.execute(query_text(name), params or None).df()
    finally:
        cursor.close()
