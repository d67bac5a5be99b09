"""The monitor's own metadata: areas, domains and indicator definitions, read from CSV files in `data/`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ratc import paths
from ratc.periods import FREQUENCIES

POLARITIES = ("hoger_slechter", "hoger_beter", "neutraal")
REGION_CODE = "VR18"
COUNTRY_CODE = "NL"
# The yearly population series: denominator of every rate whose denominator is "population".
POPULATION_INDICATOR = "bevolking"
INDICATOR_COLUMNS = {
    "indicator_id",
    "name",
    "short_name",
    "domain_id",
    "unit",
    "source",
    "frequency",
    "polarity",
    "is_count",
    "is_stock",
    "per_10k",
    "is_seasonal",
    "has_baseline",
    "numerator_id",
    "denominator",
    "scale",
    "decimals",
    "subject",
    "definition",
}


def read_areas(data_dir: Path | None = None) -> pd.DataFrame:
    """The ten municipalities plus the region and the Netherlands, with their population on 1 Jan 2020."""
    frame = pd.read_csv((data_dir or paths.data_dir()) / "areas.csv", dtype={"area_code": str})
    if set(frame["area_type"]) - {"gemeente", "regio", "land"}:
        raise ValueError("areas.csv: area_type must be gemeente, regio or land")
    return frame


def read_domains(data_dir: Path | None = None) -> pd.DataFrame:
    """The five domains of the monitor in display order, plus the reference series (population)."""
    frame = pd.read_csv((data_dir or paths.data_dir()) / "domains.csv", dtype={"is_reference": str})
    if not frame["is_reference"].isin(["true", "false"]).all():
        raise ValueError("domains.csv: is_reference must be true or false")
    frame["is_reference"] = frame["is_reference"].eq("true")
    return frame.sort_values("sort_order")


def read_indicators(data_dir: Path | None = None) -> pd.DataFrame:
    """Indicator definitions, checked for the values the rest of the app relies on."""
    frame = pd.read_csv(
        (data_dir or paths.data_dir()) / "indicators.csv",
        dtype=str,
        keep_default_na=False,
    )
    missing = INDICATOR_COLUMNS - set(frame.columns)
    if missing:
        raise ValueError(f"indicators.csv: missing columns {sorted(missing)}")
    for column in ("is_count", "is_stock", "per_10k", "is_seasonal", "has_baseline"):
        if not frame[column].isin(["true", "false"]).all():
            raise ValueError(f"indicators.csv: {column} must be true or false")
        frame[column] = frame[column].eq("true")
    frame["scale"] = pd.to_numeric(frame["scale"]).astype("Float64")
    frame["decimals"] = frame["decimals"].astype(int)
    frame["sort_order"] = range(1, len(frame) + 1)  # the file's order is the display order within a domain
    _check_indicators(frame, read_domains(data_dir))
    return frame


def _check_indicators(frame: pd.DataFrame, domains: pd.DataFrame) -> None:
    """Raise on an indicator definition that the warehouse cannot use."""
    problems = []
    ids = set(frame["indicator_id"])
    if frame["indicator_id"].duplicated().any():
        problems.append("duplicate indicator_id")
    for row in frame.itertuples():
        if row.domain_id not in set(domains["domain_id"]):
            problems.append(f"{row.indicator_id}: unknown domain {row.domain_id}")
        if row.frequency not in FREQUENCIES:
            problems.append(f"{row.indicator_id}: unknown frequency {row.frequency}")
        if row.polarity not in POLARITIES:
            problems.append(f"{row.indicator_id}: unknown polarity {row.polarity}")
        is_computed_rate = not row.is_count and row.numerator_id
        if is_computed_rate and (row.numerator_id not in ids or row.denominator not in ids | {"population"}):
            problems.append(f"{row.indicator_id}: a computed rate needs a known numerator and denominator")
    if problems:
        raise ValueError("indicators.csv: " + "; ".join(problems))
