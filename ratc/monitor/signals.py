"""Signals: the municipalities whose counts deviate from the rest of the region by more than chance, strongest
evidence first, in plain Dutch. The statistics are in signal_statistics.py, the sentences in signal_sentences.py."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ratc.monitor import signal_sentences, signal_statistics

# Rounds in which clearly deviating municipalities leave the others' comparison group (one per indicator a round).
LEFT_OUT_ROUNDS = 3


@dataclass(frozen=True)
class Signal:
    """One municipality whose count deviates from the rest of the region by more than chance explains."""

    area_code: str
    area_name: str
    indicator_id: str
    change: float  # the municipality's latest period against its baseline (0.23 = +23%)
    rest_change: float  # the same for the rest of the region: the region without this municipality
    sentence: str
    is_worse: bool | None
    p_value: float  # how often chance alone gives a deviation this large; the strength of the evidence
    excess: float  # the tested window against what the pre-crisis share predicts (0.3 = 30% more)

    @property
    def deviation(self) -> float:
        """Municipality's change minus the rest of the region's, in fractions (0.08 = 8 percentage points)."""
        return self.change - self.rest_change


def find_signals(
    latest: pd.DataFrame,
    pre_crisis: pd.DataFrame,
    catalog: pd.DataFrame,
    areas: pd.DataFrame,
    region_code: str,
    *,
    area_code: str | None = None,
    limit: int = 8,
    per_indicator: int = 1,
) -> list[Signal]:
    """The signals of a view (the region, or one municipality), strongest evidence first, at most `per_indicator`
    per indicator. `latest` is recent_window_by_area (window_params), `pre_crisis` pre_crisis_sums_by_area."""
    cells = tested_cells(latest, pre_crisis, catalog, region_code, area_code)
    found = shown_signals(cells, area_code, limit=limit, per_indicator=per_indicator)
    names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
    indicators = catalog.set_index("indicator_id")
    # only the chosen few become sentences: at national scale tens of thousands of cells are tested
    return [
        Signal(
            area_code=row.area_code,
            area_name=names.get(row.area_code, row.area_code),
            indicator_id=row.indicator_id,
            change=row.change,
            rest_change=row.rest_change,
            sentence=signal_sentences.sentence(
                names.get(row.area_code, row.area_code),
                indicators.loc[row.indicator_id],
                row.period_key,
                row.change,
                row.rest_change,
            ),
            is_worse=_is_worse(indicators.loc[row.indicator_id, "polarity"], row.change - row.rest_change),
            p_value=float(row.p_value),
            excess=float(np.expm1(row.log_ratio)),
        )
        for row in found.itertuples()
    ]


def tested_cells(
    latest: pd.DataFrame,
    pre_crisis: pd.DataFrame,
    catalog: pd.DataFrame,
    region_code: str,
    area_code: str | None = None,
) -> pd.DataFrame:
    """Every cell (municipality × count indicator) that can be tested, of all municipalities or one: its change,
    the rest of the region's, the test's z and p-value, and whether the deviation is consistent (the same way over
    the window, in its latest period, in the periods before that and in the sentence).

    Vectorised: a loop over every row took seconds for 355 municipalities × 100 indicators (bench/run.py).
    """
    cells = _cells(latest, pre_crisis, catalog, region_code)
    # A municipality that itself deviates clearly is no yardstick for the others: with it, one real deviation in
    # Dordrecht (a quarter of the region) would make every other municipality look deviant the other way. So the
    # strongest clear deviation of each indicator leaves the comparison group, and the test runs again, a few rounds.
    clear = np.zeros(len(cells), dtype=bool)
    for round_number in range(LEFT_OUT_ROUNDS + 1):
        cells = cells.assign(**_left_out(cells, clear))
        tested = signal_statistics.deviation_test(cells)
        strongest = _strongest_clear_deviations(tested, clear)
        if round_number == LEFT_OUT_ROUNDS or not strongest.any():
            break
        clear |= strongest
    cells = tested[_testable(tested)]
    if area_code:
        cells = cells[cells["area_code"].to_numpy() == area_code]
    direction = np.sign(cells["log_ratio"].to_numpy())
    consistent = (
        (np.sign(cells["log_ratio_now"].to_numpy()) == direction)
        & (np.sign(cells["log_ratio_earlier"].to_numpy()) == direction)
        & (np.sign((cells["change"] - cells["rest_change"]).to_numpy()) == direction)
    )
    return cells.assign(is_consistent=consistent).reset_index(drop=True)


def _testable(cells: pd.DataFrame) -> np.ndarray:
    """Cells with a p-value and a sentence, and enough expected cases for the test to hold."""
    return (
        np.isfinite(cells["p_value"].to_numpy())
        & np.isfinite(cells["change"].to_numpy())
        & np.isfinite(cells["rest_change"].to_numpy())
        & (cells["expected"].to_numpy() >= signal_statistics.MIN_EXPECTED)
        & (cells["expected_group"].to_numpy() >= signal_statistics.MIN_EXPECTED)
    )


def _strongest_clear_deviations(cells: pd.DataFrame, clear: np.ndarray) -> np.ndarray:
    """Per indicator the cell with the smallest p-value among those that pass Benjamini-Hochberg over all tested
    cells and are not yet left out."""
    testable = _testable(cells)
    passes = np.zeros(len(cells), dtype=bool)
    passes[testable] = signal_statistics.benjamini_hochberg(cells["p_value"].to_numpy()[testable])
    candidates = pd.Series(cells["p_value"].to_numpy(), index=np.arange(len(cells)))[passes & ~clear]
    strongest = np.zeros(len(cells), dtype=bool)
    strongest[candidates.groupby(cells["indicator_id"].to_numpy()[candidates.index]).idxmin().to_numpy()] = True
    return strongest


def _left_out(cells: pd.DataFrame, clear: np.ndarray) -> dict[str, np.ndarray]:
    """Per cell, the counts of the other municipalities of its indicator that deviate clearly (left out of its
    comparison group)."""
    parts = pd.DataFrame(
        {
            "left_out_value": _floats(cells["value"]),
            "left_out_window_sum": _floats(cells["window_sum"]),
            "left_out_value_sum": _floats(cells["value_sum"]),
            "left_out_squared_shares": (_floats(cells["value_sum"]) / _floats(cells["region_sum"])) ** 2,
        }
    ).mul(clear, axis=0)
    others = parts.groupby(cells["indicator_id"].to_numpy()).transform("sum") - parts
    return {name: others[name].to_numpy() for name in others.columns}


def signal_cells(cells: pd.DataFrame, area_code: str | None = None) -> pd.DataFrame:
    """The cells of one view (the region: all of them; a municipality: its own) with `is_signal`, strongest
    evidence first: Benjamini-Hochberg over every tested cell of the view, then only consistent deviations."""
    in_view = _in_view(cells, area_code)
    return _strongest_first(cells[in_view].assign(is_signal=_passes(cells, in_view)[in_view]))


def shown_signals(cells: pd.DataFrame, area_code: str | None = None, *, limit: int, per_indicator: int) -> pd.DataFrame:
    """The signal cells a view shows: strongest evidence first, at most `per_indicator` per indicator."""
    passes = _passes(cells, _in_view(cells, area_code))
    if not passes.any():  # the usual case; selecting nothing from the wide frame still costs a copy
        return cells.iloc[:0]
    found = _strongest_first(cells[passes].assign(is_signal=True))
    return found[found.groupby("indicator_id", sort=False).cumcount().to_numpy() < per_indicator].head(limit)


def _in_view(cells: pd.DataFrame, area_code: str | None) -> np.ndarray:
    """The tested cells a view controls false discoveries over: all of them, or one municipality's."""
    return cells["area_code"].to_numpy() == area_code if area_code else np.ones(len(cells), dtype=bool)


def _passes(cells: pd.DataFrame, in_view: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg over the view's cells, and a consistent deviation."""
    passes = np.zeros(len(cells), dtype=bool)
    passes[in_view] = signal_statistics.benjamini_hochberg(cells["p_value"].to_numpy()[in_view])
    return passes & cells["is_consistent"].to_numpy()


def _strongest_first(cells: pd.DataFrame) -> pd.DataFrame:
    """The smallest p-value first; ties (p-values too small to tell apart) by the larger |z|."""
    return cells.iloc[np.lexsort((-np.abs(cells["z"].to_numpy()), cells["p_value"].to_numpy()))]


def window_params() -> dict[str, int]:
    """The parameters of the query recent_window_by_area: the window's length per frequency."""
    periods = signal_statistics.WINDOW_PERIODS
    return {"week_periods": periods["week"], "month_periods": periods["maand"],
            "quarter_periods": periods["kwartaal"], "year_periods": periods["jaar"]}  # fmt: skip


def _cells(latest: pd.DataFrame, pre_crisis: pd.DataFrame, catalog: pd.DataFrame, region_code: str) -> pd.DataFrame:
    """The municipalities' latest counts and windows beside the region's, the pre-crisis sums and the indicator's
    scatter."""
    scatter = signal_statistics.ordinary_scatter(pre_crisis)
    frequency = catalog.loc[catalog["is_count"], ["indicator_id", "frequency"]].set_index("indicator_id")["frequency"]
    region = latest[latest["area_code"] == region_code].drop_duplicates("indicator_id").set_index("indicator_id")
    region = region[region.index.isin(frequency.index) & region.index.isin(scatter["indicator_id"])]
    # the whole window must lie after the crisis began, and hold as many periods as the frequency's window
    length = frequency.reindex(region.index).map(signal_statistics.WINDOW_PERIODS).to_numpy(dtype="float64")
    start = pd.to_datetime(region["window_start_date"]).dt.date.to_numpy()
    region = region[(start >= signal_statistics.CRISIS_START) & (_floats(region["window_periods"]) == length)]
    rows = latest[(latest["area_code"] != region_code) & latest["indicator_id"].isin(region.index)]
    region_rows = region.reindex(rows["indicator_id"])
    same = ["period_key", "window_start_date", "window_periods"]
    aligned = np.logical_and.reduce([rows[name].to_numpy() == region_rows[name].to_numpy() for name in same])
    rows = rows[aligned]
    region_rows = region.reindex(rows["indicator_id"])
    rows = rows.assign(
        region_value=_floats(region_rows["value"]),
        region_baseline=_floats(region_rows["baseline_value"]),
        region_window_sum=_floats(region_rows["window_sum"]),
        region_window_sq_sum=_floats(region_rows["window_sq_sum"]),
    )
    rows = rows.merge(
        pre_crisis[["indicator_id", "area_code", "period_count", "value_sum", "region_sum", "region_sq_sum"]],
        on=["indicator_id", "area_code"],
    ).merge(scatter, on="indicator_id")
    value, base = _floats(rows["value"]), _floats(rows["baseline_value"])
    region_value, region_base = rows["region_value"].to_numpy(), rows["region_baseline"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(base > 0, value / base - 1, np.nan)
        rest_base = region_base - base
        rest_change = np.where(rest_base > 0, (region_value - value) / rest_base - 1, np.nan)
    return rows.assign(change=change, rest_change=rest_change)


def _floats(values: pd.Series) -> np.ndarray:
    """A column as float64, missing values as NaN."""
    return values.to_numpy(dtype="float64", na_value=np.nan)


def _is_worse(polarity: str, deviation: float) -> bool | None:
    """Whether the municipality fares worse than the rest of the region, given the indicator's polarity."""
    if polarity == "neutraal":
        return None
    return bool(deviation > 0 if polarity == "hoger_slechter" else deviation < 0)
