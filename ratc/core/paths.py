"""Where the app finds its source data and its warehouse; both can be moved with environment variables."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The folder with source data and metadata (RATC_DATA_DIR, default `data/`)."""
    return Path(os.environ.get("RATC_DATA_DIR", ROOT / "data"))


def warehouse_path() -> Path:
    """The DuckDB warehouse file, a build artefact (RATC_WAREHOUSE, default `build/warehouse.duckdb`)."""
    return Path(os.environ.get("RATC_WAREHOUSE", ROOT / "build" / "warehouse.duckdb"))


def queries_dir() -> Path:
    """The folder of named SQL files."""
    return ROOT / "queries"
