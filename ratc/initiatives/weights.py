"""The weights of initiative matching, read from data files with a plain-Dutch explanation per row (like the
scenario's parameters): `data/initiatives/matching_weights.csv` (how much coverage and place count) and
`related_categories.csv` (which categories can serve a need of another, e.g. delivery for food, and how much
such an offer counts). The code holds none of the numbers; a file that the matching cannot use raises
WeightsError naming the file, row and problem.

A related category serves the need one to one: one unit of the offer (a ride per week) for one unit of the need
(a household per week), so what a coalition commits is counted the same on both sides.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ratc.core import paths

PLACES = ("wijk", "gemeente", "regio_aanbod", "regio_vraag", "buren", "regio")
PARAMETERS = ("dekking", *(f"plaats_{place}" for place in PLACES))
WEIGHT_COLUMNS = ["parameter", "waarde", "naam", "uitleg"]
RELATED_COLUMNS = ["vraag_categorie", "aanbod_categorie", "gewicht", "uitleg"]


class WeightsError(ValueError):
    """A weights file the matching cannot use; the message names the file, row and problem."""


@dataclass(frozen=True)
class Weights:
    """Points for coverage and for each kind of place, the related categories, and the tables they came from."""

    coverage: float
    place: dict[str, float]
    related: dict[tuple[str, str], float]  # (need category, offer category) -> how much such an offer counts
    related_reasons: dict[tuple[str, str], str]
    table: pd.DataFrame
    related_table: pd.DataFrame

    def relation(self, need_category: str, offer_category: str) -> float | None:
        """How much an offer of this category counts for a need of that one: 1 for the same, None if unrelated."""
        if need_category == offer_category:
            return 1.0
        return self.related.get((need_category, offer_category))


def load(data_dir: Path | None = None) -> Weights:
    """The weights from `data/initiatives/`, read again only when the files change."""
    folder = (data_dir or paths.data_dir()) / "initiatives"
    signature = tuple(
        (name, (folder / name).stat().st_mtime_ns if (folder / name).exists() else 0)
        for name in ("matching_weights.csv", "related_categories.csv", "categories.csv")
    )
    return _load(str(folder), signature)


@functools.lru_cache(maxsize=4)
def _load(folder: str, signature: tuple) -> Weights:
    """The weights of one state of the folder."""
    weights, related = (
        _read(Path(folder) / "matching_weights.csv", WEIGHT_COLUMNS),
        _read(Path(folder) / "related_categories.csv", RELATED_COLUMNS),
    )
    categories = set(pd.read_csv(Path(folder) / "categories.csv", dtype=str)["category_id"])
    problems = []
    values = {}
    for number, row in enumerate(weights.to_dict("records"), start=2):
        value = _number(row["waarde"])
        if value is None or value < 0:
            problems.append(f"regel {number}: waarde '{row['waarde']}' is geen getal van 0 of meer")
        if not row["uitleg"].strip() or not row["naam"].strip():
            problems.append(f"regel {number}: naam en uitleg zijn nodig")
        values[row["parameter"]] = value
    unknown, missing = set(values) - set(PARAMETERS), set(PARAMETERS) - set(values)
    problems += [f"onbekende parameter '{name}'" for name in sorted(unknown)]
    problems += [f"parameter '{name}' ontbreekt" for name in sorted(missing)]
    if problems:
        raise WeightsError("matching_weights.csv: " + "; ".join(problems))
    pairs, reasons = {}, {}
    for number, row in enumerate(related.to_dict("records"), start=2):
        pair = (row["vraag_categorie"], row["aanbod_categorie"])
        weight = _number(row["gewicht"])
        if not set(pair) <= categories or pair[0] == pair[1]:
            problems.append(f"regel {number}: {pair[0]} en {pair[1]} moeten twee categorieën van categories.csv zijn")
        if weight is None or not 0 < weight <= 1:
            problems.append(f"regel {number}: gewicht '{row['gewicht']}' ligt niet tussen 0 en 1")
        if not row["uitleg"].strip():
            problems.append(f"regel {number}: uitleg is nodig")
        if pair in pairs:
            problems.append(f"regel {number}: {pair[0]} en {pair[1]} staan er twee keer in")
        pairs[pair], reasons[pair] = weight, row["uitleg"].strip()
    if problems:
        raise WeightsError("related_categories.csv: " + "; ".join(problems))
    return Weights(
        coverage=values["dekking"],
        place={place: values[f"plaats_{place}"] for place in PLACES},
        related=pairs,
        related_reasons=reasons,
        table=weights,
        related_table=related,
    )


def _number(text: str) -> float | None:
    """A number as the data files write it (a dot for decimals, as in the scenario's parameters), or None."""
    try:
        return float(text)
    except ValueError:
        return None


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    """A weights file as text, with its columns checked."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(columns) - set(frame.columns)
    if missing:
        raise WeightsError(f"{path.name}: kolommen ontbreken: {', '.join(sorted(missing))}")
    return frame[columns]
