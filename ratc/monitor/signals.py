"""Signals: the largest deviations of a municipality from the region since the baseline, in plain Dutch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ratc.core import fmt
from ratc.core.periods import parse_period
from ratc.warehouse import baseline

# Below this baseline a few cases swing the percentage wildly (3 bankruptcies instead of 1 = +200%).
MIN_BASELINE = 20
MIN_DEVIATION = 0.05
# A flow (reports, applications) must also deviate more than chance: such counts scatter roughly like
# Poisson (sd = sqrt of the count). Stocks (running benefits) are a census and barely scatter.
MIN_Z = 3.0
# Registered counts scatter about twice as much as Poisson (a busy month, a backlog cleared at once).
OVERDISPERSION = 2.0
STEADY = 0.005


@dataclass(frozen=True)
class Signal:
    """One municipality whose change since the baseline differs notably from the region's."""

    area_code: str
    area_name: str
    indicator_id: str
    change: float
    region_change: float
    sentence: str
    is_worse: bool | None

    @property
    def deviation(self) -> float:
        """Municipality's change minus the region's, in fractions (0.08 = 8 percentage points)."""
        return self.change - self.region_change


def find_signals(
    latest: pd.DataFrame,
    catalog: pd.DataFrame,
    areas: pd.DataFrame,
    region_code: str,
    *,
    area_code: str | None = None,
    limit: int = 8,
    per_indicator: int = 1,
) -> list[Signal]:
    """The largest deviations from the region, at most `per_indicator` per indicator, largest first."""
    candidates = _candidates(latest, catalog, region_code, area_code)
    names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
    counts = catalog[catalog["is_count"]].set_index("indicator_id").to_dict("index")
    chosen, used = [], {}
    # only the chosen few become sentences: at national scale tens of thousands of rows are candidates
    for row in candidates.itertuples():
        if used.get(row.indicator_id, 0) >= per_indicator:
            continue
        used[row.indicator_id] = used.get(row.indicator_id, 0) + 1
        name = names.get(row.area_code, row.area_code)
        indicator = counts[row.indicator_id]
        chosen.append(
            Signal(
                area_code=row.area_code,
                area_name=name,
                indicator_id=row.indicator_id,
                change=row.change,
                region_change=row.region_change,
                sentence=sentence(name, indicator, row.period_key, row.change, row.region_change),
                is_worse=_is_worse(indicator["polarity"], row.change - row.region_change),
            )
        )
        if len(chosen) == limit:
            break
    return chosen


def _candidates(latest: pd.DataFrame, catalog: pd.DataFrame, region_code: str, area_code: str | None) -> pd.DataFrame:
    """Rows that count as a signal, with their change and the region's, largest deviation first (ties in order).

    Vectorised: a loop over every row took seconds for 355 municipalities × 100 indicators (bench/run.py).
    """
    count_ids = catalog.loc[catalog["is_count"], "indicator_id"]
    region = latest[latest["area_code"] == region_code].drop_duplicates("indicator_id").set_index("indicator_id")
    rows = latest[latest["area_code"] != region_code]
    if area_code:
        rows = rows[rows["area_code"] == area_code]
    rows = rows[rows["indicator_id"].isin(count_ids) & rows["indicator_id"].isin(region.index)]
    rows = rows[rows["baseline_value"].notna() & (rows["baseline_value"] >= MIN_BASELINE)]
    region_rows = region.reindex(rows["indicator_id"])
    rows = rows.assign(
        region_period=region_rows["period_key"].to_numpy(),
        region_value=region_rows["value"].to_numpy(dtype="float64", na_value=float("nan")),
        region_baseline=region_rows["baseline_value"].to_numpy(dtype="float64", na_value=float("nan")),
    )
    rows = rows[rows["period_key"] == rows["region_period"]]
    value = rows["value"].to_numpy(dtype="float64", na_value=float("nan"))
    base = rows["baseline_value"].to_numpy(dtype="float64", na_value=float("nan"))
    region_value, region_base = rows["region_value"].to_numpy(), rows["region_baseline"].to_numpy()
    # the same arithmetic as fmt.relative_change, which gives None (here NaN) for a missing or zero reference
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(base != 0, (value - base) / base, np.nan)
        region_change = np.where(region_base != 0, (region_value - region_base) / region_base, np.nan)
    deviation = change - region_change
    keep = ~np.isnan(deviation) & (np.abs(deviation) >= MIN_DEVIATION)
    is_stock = rows["indicator_id"].map(catalog.set_index("indicator_id")["is_stock"]).to_numpy(dtype=bool)
    keep &= is_stock | (np.abs(_z_scores(value, base, region_change)) >= MIN_Z)
    found = rows.assign(change=change, region_change=region_change, order=-np.abs(deviation))[keep]
    return found.sort_values("order", kind="stable")[["area_code", "indicator_id", "period_key", "change",
                                                      "region_change"]]  # fmt: skip


def sentence(area_name: str, indicator: Mapping, period_key: str, change: float, region_change: float) -> str:
    """'In Sliedrecht steeg het aantal WW-uitkeringen sinds februari 2020 met 23%, sterker dan in de regio (+15%).'"""
    amount = fmt.signed_percent(abs(change)).lstrip("+±")
    if indicator["is_seasonal"]:
        period = parse_period(period_key, indicator["frequency"])
        higher = "hoger" if change >= 0 else "lager"
        same = baseline.since_phrase(indicator["frequency"], True).replace("ten opzichte van ", "")
        opening = f"In {area_name} lag {indicator['subject']} in {period.long_label} {amount} {higher} dan in {same}"
    elif abs(change) < STEADY:
        since = baseline.since_phrase(indicator["frequency"], False)
        opening = f"In {area_name} bleef {indicator['subject']} {since} gelijk"
    else:
        verb = "steeg" if change >= 0 else "daalde"
        since = baseline.since_phrase(indicator["frequency"], False)
        opening = f"In {area_name} {verb} {indicator['subject']} {since} met {amount}"
    return f"{opening}, {_comparison(change, region_change)}."


def _comparison(change: float, region_change: float) -> str:
    """How the municipality's change relates to the region's."""
    region_text = fmt.signed_percent(region_change)
    if abs(region_change) < STEADY:
        return f"terwijl het in de regio gelijk bleef ({region_text})"
    if (change >= 0) != (region_change >= 0):
        verb = "steeg" if region_change > 0 else "daalde"
        return f"terwijl het in de regio {verb} ({region_text})"
    stronger = "sterker" if abs(change) > abs(region_change) else "minder sterk"
    return f"{stronger} dan in de regio ({region_text})"


def _z_scores(value: np.ndarray, baseline_value: np.ndarray, region_change: np.ndarray) -> np.ndarray:
    """Standard deviations between each value and its baseline moved like the region; both are noisy counts."""
    expected = baseline_value * (1 + region_change)
    variance = OVERDISPERSION * (expected + baseline_value * (1 + region_change) ** 2)
    return (value - expected) / np.maximum(variance, 1.0) ** 0.5


def _is_worse(polarity: str, deviation: float) -> bool | None:
    """Whether the municipality fares worse than the region, given the indicator's polarity."""
    if polarity == "neutraal":
        return None
    return bool(deviation > 0 if polarity == "hoger_slechter" else deviation < 0)
