"""Which municipalities share a border (`data/neighbours.csv`), for ranking help that is close by."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from ratc.core import metadata, paths


@cache
def _pairs(folder: str) -> frozenset[frozenset[str]]:
    """Every unordered pair of neighbouring municipalities in a data folder, checked against areas.csv."""
    frame = pd.read_csv(Path(folder) / "neighbours.csv", dtype=str)
    known = set(metadata.read_areas(Path(folder)).query("area_type == 'gemeente'")["area_code"])
    unknown = (set(frame["area_code"]) | set(frame["neighbour_code"])) - known
    if unknown:
        raise ValueError(f"neighbours.csv: unknown municipalities {sorted(unknown)}")
    return frozenset(frozenset(pair) for pair in zip(frame["area_code"], frame["neighbour_code"], strict=True))


def are_neighbours(first: str, second: str, data_dir: Path | None = None) -> bool:
    """True when the two municipalities share a border."""
    return frozenset((first, second)) in _pairs(str(data_dir or paths.data_dir()))


def pair_keys(data_dir: Path | None = None) -> list[str]:
    """Every neighbouring pair as 'GM0505|GM0590', both ways round, for comparing many pairs at once."""
    pairs = [tuple(pair) for pair in _pairs(str(data_dir or paths.data_dir()))]
    return [f"{first}|{second}" for first, second in pairs] + [f"{second}|{first}" for first, second in pairs]
