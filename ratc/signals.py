"""Signals: the largest deviations of a municipality from the region since the baseline, in plain Dutch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ratc import baseline, fmt
from ratc.periods import parse_period

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
    names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
    # plain dicts: a .loc lookup per row on string-typed frames cost ~0.3 ms each (bench/bench_overview.py)
    counts = catalog[catalog["is_count"]].set_index("indicator_id").to_dict("index")
    region = latest[latest["area_code"] == region_code].set_index("indicator_id").to_dict("index")
    candidates = []
    for row in latest[latest["area_code"] != region_code].itertuples():
        if row.indicator_id not in counts or row.indicator_id not in region:
            continue
        if area_code and row.area_code != area_code:
            continue
        if pd.isna(row.baseline_value) or row.baseline_value < MIN_BASELINE:
            continue
        region_row = region[row.indicator_id]
        if region_row["period_key"] != row.period_key:
            continue
        change = fmt.relative_change(row.value, row.baseline_value)
        region_change = fmt.relative_change(region_row["value"], region_row["baseline_value"])
        if change is None or region_change is None or abs(change - region_change) < MIN_DEVIATION:
            continue
        indicator = counts[row.indicator_id]
        if not indicator["is_stock"] and abs(_z_score(row.value, row.baseline_value, region_change)) < MIN_Z:
            continue
        candidates.append(
            Signal(
                area_code=row.area_code,
                area_name=names.get(row.area_code, row.area_code),
                indicator_id=row.indicator_id,
                change=change,
                region_change=region_change,
                sentence=sentence(
                    names.get(row.area_code, row.area_code), indicator, row.period_key, change, region_change
                ),
                is_worse=_is_worse(indicator["polarity"], change - region_change),
            )
        )
    candidates.sort(key=lambda signal: abs(signal.deviation), reverse=True)
    chosen, used = [], {}
    for signal in candidates:
        if used.get(signal.indicator_id, 0) < per_indicator:
            chosen.append(signal)
            used[signal.indicator_id] = used.get(signal.indicator_id, 0) + 1
        if len(chosen) == limit:
            break
    return chosen


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


def _z_score(value: float, baseline_value: float, region_change: float) -> float:
    """Standard deviations between the value and the baseline moved like the region; both are noisy counts."""
    expected = baseline_value * (1 + region_change)
    variance = OVERDISPERSION * (expected + baseline_value * (1 + region_change) ** 2)
    return (value - expected) / max(variance, 1.0) ** 0.5


def _is_worse(polarity: str, deviation: float) -> bool | None:
    """Whether the municipality fares worse than the region, given the indicator's polarity."""
    if polarity == "neutraal":
        return None
    return bool(deviation > 0 if polarity == "hoger_slechter" else deviation < 0)
