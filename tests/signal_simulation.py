"""Simulated monitors for the signals' tests and benchmark (tests/test_signal_simulation.py, bench/bench_signals.py).

Every municipality follows the region's path exactly — its expected count is its share of the region (from the demo
data) times the demo region's total of the period — and differs from it only by chance: Poisson, quasi-Poisson
(variance φ·μ, φ = 2.35, the dispersion of the real monthly bankruptcy series in ../shared/real/cbs/) or negative
binomial (variance μ + μ²/k, k = 30), each period drawn afresh; or, for the autocorrelated stocks, a deviation that
carries over from period to period as a running count's does: each stock's expected count times exp(f), f an AR(1)
series with autocorrelation 0.8 and a stationary scatter of 10% (Poisson on top; flows stay Poisson). Optionally a
few deviations are injected. The data dir (metadata, ledger,
observations) is built into a warehouse by the normal path, `ratc.warehouse.builder.build`, and each view is what
`ratc.monitor.signals` shows on the Regio-overzicht or a Mijn gemeente page.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ratc.core import context, metadata
from ratc.monitor import signal_statistics, signals
from ratc.warehouse import builder, db, lineage

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo" / "observations.csv"
NOISES = ("poisson", "quasi_poisson", "negative_binomial", "autocorrelated_stocks")
QUASI_POISSON_PHI = 2.35
NEGATIVE_BINOMIAL_K = 30
STOCK_CARRY_OVER = 0.8  # the autocorrelation of a stock's deviation from one period to the next
STOCK_SCATTER = 0.10  # its stationary scatter: about 10% either way
# the months a view is looked at: from the first whole window after the crisis began (March - June 2020) to the end
MONTHS = ("2020-06", "2020-07", "2020-09", "2020-11", "2021-01", "2021-04", "2021-08", "2021-12")
SLIEDRECHT_WW = ("GM0610", "ww_uitkeringen", "2020-05", 1.3)  # +30% in a stock of a mid-sized municipality
DORDRECHT_FLOW = ("GM0505", "veilig_thuis_meldingen", "2020-05", 2.0)  # a doubled flow in the largest


@dataclass(frozen=True)
class Effect:
    """A real deviation: the municipality's expected count times `factor` from `first_period` on."""

    area_code: str
    indicator_id: str
    first_period: str
    factor: float


@dataclass(frozen=True)
class View:
    """One page as a user sees it in one month: the region (area_code None) or one municipality."""

    month: str
    area_code: str | None
    signals: tuple[tuple[str, str], ...]  # (area_code, indicator_id), in the order shown


@functools.cache
def _expected() -> pd.DataFrame:
    """Every municipality's expected count: its share of the demo region times the region's total of the period."""
    demo = pd.read_csv(DEMO, dtype={"area_code": str, "indicator_id": str, "period": str})
    municipal = demo[demo["area_code"].str.startswith("GM")]
    region = municipal.groupby(["indicator_id", "period"])["value"].transform("sum")
    totals = municipal.groupby(["indicator_id", "area_code"])["value"].transform("sum")
    share = totals / municipal.groupby("indicator_id")["value"].transform("sum")
    return municipal.assign(expected=share * region)[["area_code", "indicator_id", "period", "expected"]]


def draw(expected: np.ndarray, noise: str, rng: np.random.Generator) -> np.ndarray:
    """Counts around their expectations: Poisson, quasi-Poisson (φ = 2.35) or negative binomial (k = 30)."""
    positive = np.maximum(expected, 1e-9)
    if noise == "poisson":
        counts = rng.poisson(positive)
    elif noise == "quasi_poisson":  # a negative binomial with size μ / (φ − 1) has variance φ·μ
        counts = rng.negative_binomial(positive / (QUASI_POISSON_PHI - 1), 1 / QUASI_POISSON_PHI)
    elif noise == "negative_binomial":
        counts = rng.negative_binomial(NEGATIVE_BINOMIAL_K, NEGATIVE_BINOMIAL_K / (NEGATIVE_BINOMIAL_K + positive))
    else:
        raise ValueError(f"unknown noise {noise!r}")
    return np.where(expected > 0, counts, 0)


def _carried_over(frame: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Per row a factor exp(f) with mean 1: f an AR(1) series per stock and municipality in period order, 1 for a
    flow."""
    stocks = metadata.read_indicators().set_index("indicator_id")["is_stock"]
    factor = np.ones(len(frame))
    for _, rows in frame[frame["indicator_id"].map(stocks).fillna(False).astype(bool)].groupby(
        ["area_code", "indicator_id"]
    ):
        order = rows.sort_values("period").index.to_numpy()
        shocks = rng.normal(0.0, STOCK_SCATTER * np.sqrt(1 - STOCK_CARRY_OVER**2), len(order))
        series = np.empty(len(order))
        series[0] = rng.normal(0.0, STOCK_SCATTER)
        for position in range(1, len(order)):
            series[position] = STOCK_CARRY_OVER * series[position - 1] + shocks[position]
        factor[frame.index.get_indexer(order)] = np.exp(series - STOCK_SCATTER**2 / 2)
    return factor


def write_data_dir(folder: Path, seed: int, noise: str, effects: Iterable[Effect] = ()) -> Path:
    """A data dir with the repo's metadata and one simulated observation file in its ledger."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("areas.csv", "domains.csv", "indicators.csv"):
        shutil.copy(ROOT / "data" / name, folder / name)
    frame = _expected()
    expected = frame["expected"].to_numpy(copy=True)
    for effect in effects:
        hit = (
            (frame["area_code"] == effect.area_code)
            & (frame["indicator_id"] == effect.indicator_id)
            & (frame["period"] >= effect.first_period)
        ).to_numpy()
        expected[hit] *= effect.factor
    rng = np.random.default_rng(seed)
    if noise == "autocorrelated_stocks":
        expected, noise = expected * _carried_over(frame, rng), "poisson"
    values = draw(expected, noise, rng)
    (folder / "sim").mkdir(exist_ok=True)
    frame[["area_code", "indicator_id", "period"]].assign(value=values).to_csv(
        folder / "sim" / "observations.csv", index=False
    )
    lineage.register(
        "sim/observations.csv", "null simulation", len(frame), is_demo=True, description=noise, data_dir=folder
    )
    return folder


def build(folder: Path, seed: int, noise: str, effects: Iterable[Effect] = ()) -> Path:
    """A warehouse built from a simulated data dir, through the normal build."""
    data = write_data_dir(folder / "data", seed, noise, effects)
    return builder.build(data, folder / "warehouse.duckdb")


def tested_cells(query: Callable[..., pd.DataFrame], month: str) -> pd.DataFrame:
    """The cells a page tests in a month, as overview.area_signals asks for them."""
    as_of_date = context.Context(None, "ww_uitkeringen", month).as_of_date
    return signals.tested_cells(
        query("recent_window_by_area", as_of_date=as_of_date, **signals.window_params()),
        query("pre_crisis_sums_by_area", before_date=signal_statistics.CRISIS_START),
        query("indicator_catalog"),
        metadata.REGION_CODE,
    )


def views(
    warehouse: Path, months: Iterable[str] = MONTHS, cells_of: Callable[..., pd.DataFrame] = tested_cells
) -> list[View]:
    """Every view in each month: the Regio-overzicht and the ten Mijn gemeente pages, with the signals they show.
    `cells_of(query, month)` gives the month's tested cells (another test can be put in its place)."""
    connection = db.open_warehouse(warehouse)
    try:
        query = functools.cache(functools.partial(db.run_query, connection))
        areas = query("area_list")
        municipalities = areas.loc[areas["area_type"] == "gemeente", "area_code"].tolist()
        shown = []
        for month in months:
            # the test once per month; each view then applies its own false-discovery control, as find_signals does
            cells = cells_of(query, month)
            for area_code, limit in [(None, 8), *((code, 12) for code in municipalities)]:  # as the pages ask
                found = signals.shown_signals(cells, area_code, limit=limit, per_indicator=1)
                shown.append(View(month, area_code, tuple(zip(found["area_code"], found["indicator_id"], strict=True))))
        return shown
    finally:
        connection.close()


def null_rates(shown: list[View]) -> dict[str, float]:
    """Share of views with at least one signal and mean number of signals per view, overall and per kind."""
    frame = pd.DataFrame({"is_region": [view.area_code is None for view in shown],
                          "count": [len(view.signals) for view in shown]})  # fmt: skip
    rates = {"views": float(len(frame)), "share_with_signal": float((frame["count"] > 0).mean()),
             "mean_signals": float(frame["count"].mean())}  # fmt: skip
    for kind, part in (("region", frame[frame["is_region"]]), ("municipality", frame[~frame["is_region"]])):
        rates[f"{kind}_share_with_signal"] = float((part["count"] > 0).mean())
        rates[f"{kind}_mean_signals"] = float(part["count"].mean())
    return rates
