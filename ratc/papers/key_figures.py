"""A factsheet's numbers: every indicator's latest figure for the area beside the region and Nederland, its change
since the pre-crisis baseline, its rank among the municipalities, and which indicators deviate most."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ratc.core import fmt, metadata
from ratc.core.context import Context
from ratc.core.periods import parse_period
from ratc.monitor import profile, signals
from ratc.monitor.overview import Query
from ratc.papers import labels

# Below this a few cases swing a percentage (3 bankruptcies instead of 1: +200%): such changes are not compared.
SMALL_COUNT = 20


@dataclass(frozen=True)
class KeyFigures:
    """The latest observation per indicator for the area and its references, ready for a table and a choice."""

    area_code: str
    references: tuple[str, ...]
    rows: pd.DataFrame  # one row per indicator and area: latest value, per 10,000, change since the baseline
    catalog: pd.DataFrame
    ranks: dict[str, str]
    demo: frozenset[str]  # the indicators whose figures here are demo

    def of(self, area_code: str) -> pd.DataFrame:
        """One area's rows, by indicator id."""
        return self.rows[self.rows["area_code"] == area_code].set_index("indicator_id")


def references(area_code: str) -> tuple[str, ...]:
    """What an area is compared with: a municipality with the region and Nederland, the region with Nederland."""
    return (
        (metadata.COUNTRY_CODE,) if area_code == metadata.REGION_CODE else (metadata.REGION_CODE, metadata.COUNTRY_CODE)
    )


def key_figures(query: Query, chosen: Context, area_code: str) -> KeyFigures:
    """The latest figures of the area, the region and Nederland as known at the end of the context's month."""
    catalog = query("indicator_catalog")
    catalog = catalog[catalog["numerator_id"] == ""].set_index("indicator_id")  # a computed rate repeats its count
    population = query("area_list").set_index("area_code")["population_2020"]
    frames = []
    for code in (area_code, *references(area_code)):
        latest = query("latest_value_by_indicator", area_code=code, as_of_date=chosen.as_of_date)
        frames.append(latest[latest["indicator_id"].isin(catalog.index)].assign(area_code=code))
    rows = pd.concat(frames, ignore_index=True)
    per_10k = rows["indicator_id"].map(catalog["per_10k"]).fillna(False).astype(bool)
    rows["per_10k"] = (rows["value"] / rows["area_code"].map(population) * 10_000).where(per_10k)
    rows["change"] = [
        fmt.relative_change(value, base) for value, base in zip(rows["value"], rows["baseline_value"], strict=True)
    ]
    ranks = {} if area_code == metadata.REGION_CODE else profile.ranks(query, chosen, area_code)
    demo = frozenset(labels.demo_indicators(rows, query("import_lineage")))
    return KeyFigures(area_code, references(area_code), rows, catalog, ranks, demo)


def table_rows(figures: KeyFigures) -> tuple[tuple[str, ...], list[tuple[str, ...]], tuple[int, ...]]:
    """Header, rows and numeric columns of the key-figures table, in the catalog's order, Dutch formats; when only
    some indicators are demo, their rows say so after the name."""
    own, refs = figures.of(figures.area_code), [figures.of(code) for code in figures.references]
    is_region = figures.area_code == metadata.REGION_CODE
    header = ["Indicator", "Periode", "Aantal", "Per 10.000"]
    header += ["Regio /10.000", "NL /10.000"] if not is_region else ["NL /10.000"]
    header += ["Sinds basis"] + (["Regio", "NL"] if not is_region else ["NL"])
    header += [] if is_region else ["Rang"]
    rows = []
    for indicator_id, indicator in figures.catalog.iterrows():
        if indicator_id not in own.index:
            continue
        row = own.loc[indicator_id]
        mark = labels.DEMO_MARK if indicator_id in figures.demo and len(figures.demo) < len(own) else ""
        cells = [
            str(indicator["short_name"]) + mark,
            parse_period(row["period_key"], indicator["frequency"]).label,
            fmt.number(row["value"], int(indicator["decimals"])),
        ]
        cells += [_per_10k(frame, indicator_id) for frame in (own, *refs)]
        cells += [_change(frame, indicator_id) for frame in (own, *refs)]
        if not is_region:
            cells.append(figures.ranks.get(indicator_id, "").removeprefix("rang "))
        rows.append(tuple(cells))
    return tuple(header), rows, tuple(range(2, len(header)))


def deviating(figures: KeyFigures, found: list[signals.Signal], count: int) -> list[str]:
    """The indicators that deviate most from the first reference: the signals' indicators first (in their order),
    then by the size of the difference in change since the baseline (from a baseline of `SMALL_COUNT` or more),
    then in per 10,000 inhabitants."""
    own, reference = figures.of(figures.area_code), figures.of(figures.references[0])
    chosen = [signal.indicator_id for signal in found if signal.indicator_id in own.index]
    scores = {}
    for indicator_id in own.index:
        if indicator_id in chosen or indicator_id not in reference.index:
            continue
        mine, theirs = own.loc[indicator_id], reference.loc[indicator_id]
        if pd.notna(mine["change"]) and pd.notna(theirs["change"]) and mine["baseline_value"] >= SMALL_COUNT:
            scores[indicator_id] = (0, -abs(mine["change"] - theirs["change"]))
        elif pd.notna(mine["per_10k"]) and pd.notna(theirs["per_10k"]) and theirs["per_10k"]:
            scores[indicator_id] = (1, -abs(mine["per_10k"] / theirs["per_10k"] - 1))
    chosen += sorted(scores, key=scores.get)
    return list(dict.fromkeys(chosen))[:count]


def _per_10k(frame: pd.DataFrame, indicator_id: str) -> str:
    """A value per 10,000 inhabitants with one decimal, or '–'."""
    if indicator_id not in frame.index:
        return "–"
    return fmt.number(frame.loc[indicator_id, "per_10k"], 1)


def _change(frame: pd.DataFrame, indicator_id: str) -> str:
    """The change since the baseline as '+12%', or '–' (no baseline)."""
    if indicator_id not in frame.index:
        return "–"
    return fmt.signed_percent(frame.loc[indicator_id, "change"])
