"""The monitor's own metadata: areas, domains and indicator definitions, read from CSV files in `data/`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from ratc.core import paths
from ratc.core.periods import FREQUENCIES

# A vocabulary of a form: field -> (file, key column, label column), e.g. {"processes": ("processes.csv", …)}
Vocabulary = dict[str, tuple[str, str, str]]
POLARITIES = ("hoger_slechter", "hoger_beter", "neutraal")
REGION_CODE = "VR18"
AREA_TYPES = ("gemeente", "regio", "land", "provincie")
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
    """The ten municipalities, the region, the Netherlands and context provinces, with their population on 1 Jan 2020.

    A `provincie` is context only: shown beside the region for figures CBS publishes per province, never summed
    into the region and never listed among the municipalities.
    """
    frame = pd.read_csv((data_dir or paths.data_dir()) / "areas.csv", dtype={"area_code": str})
    if set(frame["area_type"]) - set(AREA_TYPES):
        raise ValueError(f"areas.csv: area_type must be one of {', '.join(AREA_TYPES)}")
    return frame


def municipality_names(data_dir: Path | None = None) -> dict[str, str]:
    """The municipalities' names by CBS code, in the order of areas.csv."""
    areas = read_areas(data_dir)
    towns = areas[areas["area_type"] == "gemeente"]
    return dict(zip(towns["area_code"], towns["area_name"], strict=True))


def read_vocabulary(data_dir: Path | None, folder: str, fields: Vocabulary) -> dict[str, dict[str, str]]:
    """A form's vocabulary: per field its labels (code -> Dutch) from data/<folder>/, and the municipalities."""
    return dict(_vocabulary(str(data_dir or paths.data_dir()), folder, tuple(fields.items())))  # a copy to take from


@cache
def _vocabulary(root: str, folder: str, fields: tuple[tuple[str, tuple[str, str, str]], ...]) -> dict[str, dict]:
    """The vocabulary read from one data folder; every file's key column filled in and unique."""
    files = {file: key for file, key, _ in dict(fields).values()}
    frames = {file: pd.read_csv(Path(root) / folder / file, dtype=str) for file in files}
    for file, key in files.items():
        if frames[file][key].duplicated().any() or frames[file][key].isna().any():
            raise ValueError(f"data/{folder}/{file}: every {key} must be filled in and unique")
    labels = {name: dict(zip(frames[file][key], frames[file][column], strict=True))
              for name, (file, key, column) in fields}  # fmt: skip
    return {"municipalities": municipality_names(Path(root)), **labels}


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
