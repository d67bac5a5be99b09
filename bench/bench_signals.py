"""The signals' false-signal rate under the null and their power, over many seeds, for the shipped test and the
alternatives it was chosen from.

Run from the repo root:  python bench/bench_signals.py [--seeds 40] [--power-seeds 30] [--candidates ...]

Each seed is a simulated region built into a warehouse through the normal build (tests/signal_simulation.py, the
same generator as tests/test_signal_simulation.py): every municipality follows the region's path exactly, with
Poisson, quasi-Poisson (φ = 2.35) or negative binomial (k = 30) chance drawn afresh each period, or with stocks whose
deviation carries over from month to month (AR(1), autocorrelation 0.8, 10% scatter; flows Poisson). Every view — the
Regio-overzicht and the ten Mijn gemeente pages, in eight months from June 2020 to December 2021 — is read as the pages
read it. Printed per candidate test and kind of noise: under the null, the share of views with at least one signal
and the mean number of signals per view; with Sliedrecht's WW 30% and Dordrecht's Veilig Thuis reports 100% above the
path from May 2020 (months June 2020 on), how often each is found and shown first, in its own view and in the
region's, and how many other signals appear. All candidates read the same warehouses. Prints; never fails.

The candidates: the shipped test (a window of four months, with the allowance for carry-over); the test before it
(two periods, as if periods were independent: `window 2, independent`); the window's length; the allowance switched
off; and a two-sided CUSUM of the monthly standardized deviations since March 2020 (Page 1954, reference value 0.5,
p-values from independent normal deviations, the textbook calibration).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import common  # noqa: F401 (puts the repo root on sys.path)
import numpy as np
import pandas as pd

from ratc.monitor import signal_statistics

sys.path.insert(0, str(common.ROOT / "tests"))
import signal_simulation as sim  # noqa: E402

POWER_MONTHS = ("2020-06", "2020-08", "2020-10", "2020-12", "2021-03", "2021-06", "2021-09", "2021-12")
SCENARIOS = {
    "Sliedrecht WW +30%": sim.Effect(*sim.SLIEDRECHT_WW),
    "Dordrecht Veilig Thuis ×2": sim.Effect(*sim.DORDRECHT_FLOW),
}
SHIPPED = "window 4, carry-over"
# name: (months in the window, whether the carry-over is allowed for); None is the CUSUM
CANDIDATES = {
    SHIPPED: (4, True),
    "window 2, independent": (2, False),
    "window 2, carry-over": (2, True),
    "window 3, carry-over": (3, True),
    "window 4, independent": (4, False),
    "CUSUM since March 2020": None,
}
CUSUM_REFERENCE = 0.5  # Page's k, in standard deviations: half the shift it is tuned to find fastest
CRISIS_MONTHS = [str(month) for month in pd.period_range("2020-03", "2021-12", freq="M")]


@contextlib.contextmanager
def settings(months: int, carry_over: bool, quarters: int | None = None) -> Iterator[None]:
    """The signals' test with another monthly (and quarterly) window, or as if nothing carried over from period to
    period."""
    window, measure = dict(signal_statistics.WINDOW_PERIODS), signal_statistics.carry_over
    signal_statistics.WINDOW_PERIODS["maand"] = months
    signal_statistics.WINDOW_PERIODS["kwartaal"] = quarters or window["kwartaal"]
    if not carry_over:
        signal_statistics.carry_over = lambda codes, groups, *rest: np.zeros(groups)
    try:
        yield
    finally:
        signal_statistics.WINDOW_PERIODS.update(window)
        signal_statistics.carry_over = measure


class Cusum:
    """Two one-sided CUSUMs per cell of the per-period z of the signals' own test (a window of one period), from March
    2020 to the month viewed; p-value: how often n independent standard normal deviations reach as far."""

    def __init__(self, reps: int = 100_000, periods: int = len(CRISIS_MONTHS), seed: int = 5) -> None:
        draws = np.random.default_rng(seed).standard_normal((reps, periods))
        upper, lower, self.tables = np.zeros(reps), np.zeros(reps), []
        for period in range(periods):
            upper = np.maximum(0, upper + draws[:, period] - CUSUM_REFERENCE)
            lower = np.maximum(0, lower - draws[:, period] - CUSUM_REFERENCE)
            self.tables.append(np.sort(np.maximum(upper, lower)))
        self.query, self.months = None, {}

    def __call__(self, query, month: str) -> pd.DataFrame:
        if query is not self.query:  # a new warehouse: every month's per-period test since March 2020, once
            with settings(1, carry_over=False, quarters=1):
                self.query, self.months = query, {m: sim.tested_cells(query, m) for m in CRISIS_MONTHS}
        months = self.months
        sums: dict = {}
        for m in CRISIS_MONTHS[: CRISIS_MONTHS.index(month) + 1]:
            for row in months[m][["area_code", "indicator_id", "period_key", "z"]].itertuples(index=False):
                upper, lower, periods, last_key, last_z = sums.get((row.area_code, row.indicator_id), (0, 0, 0, "", 0))
                if row.period_key != last_key and np.isfinite(row.z):  # a quarter counts once, not three months
                    upper = max(0.0, upper + row.z - CUSUM_REFERENCE)
                    lower = max(0.0, lower - row.z - CUSUM_REFERENCE)
                    sums[(row.area_code, row.indicator_id)] = (upper, lower, periods + 1, row.period_key, row.z)
        latest = months[month]
        keys = zip(latest["area_code"], latest["indicator_id"], strict=True)
        state = [sums.get(key, (0.0, 0.0, 0, "", 0.0)) for key in keys]
        upper, lower, periods, last_z = (np.array([row[i] for row in state], dtype=float) for i in (0, 1, 2, 4))
        reached = np.maximum(upper, lower)
        p_value = np.array([1 - np.searchsorted(self.tables[int(n) - 1], s) / len(self.tables[0]) if n else 1.0
                            for s, n in zip(reached, periods, strict=True)])  # fmt: skip
        direction = np.where(upper >= lower, 1.0, -1.0)
        return latest.assign(p_value=np.maximum(p_value, 1 / len(self.tables[0])), z=direction * reached,
                             is_consistent=np.sign(last_z) == direction)  # fmt: skip


def candidate_views(warehouse: Path, months, candidate, cusum: Cusum) -> list[sim.View]:
    """The views of one warehouse as one candidate test shows them."""
    if candidate is None:
        return sim.views(warehouse, months, cusum)
    with settings(*candidate):
        return sim.views(warehouse, months)


def null_rates(noise: str, seeds: range, folder: Path, candidates: dict, cusum: Cusum) -> dict[str, dict]:
    """Per candidate: share of views with a signal and mean signals per view, over all views of all seeds."""
    shown: dict[str, list] = {name: [] for name in candidates}
    for seed in seeds:
        warehouse = sim.build(folder / f"{noise}-{seed}", seed, noise)
        for name, candidate in candidates.items():
            shown[name] += candidate_views(warehouse, sim.MONTHS, candidate, cusum)
    return {name: sim.null_rates(views) for name, views in shown.items()}


def power(noise: str, effect: sim.Effect, seeds: range, folder: Path, candidates: dict, cusum: Cusum) -> dict:
    """Per candidate: how often one injected deviation is found and shown first, in its municipality's view and the
    region's, and how many other signals a view shows."""
    target = (effect.area_code, effect.indicator_id)
    hits: dict[str, dict[str, list]] = {name: {} for name in candidates}
    others: dict[str, list] = {name: [] for name in candidates}
    for seed in seeds:
        warehouse = sim.build(folder / f"power-{noise}-{effect.area_code}-{seed}", seed, noise, (effect,))
        for name, candidate in candidates.items():
            for view in candidate_views(warehouse, POWER_MONTHS, candidate, cusum):
                others[name].append(len(set(view.signals) - {target}))
                if view.area_code in (None, effect.area_code):
                    where = "own" if view.area_code else "region"
                    hits[name].setdefault(f"{where} found", []).append(target in view.signals)
                    hits[name].setdefault(f"{where} first", []).append(view.signals[:1] == (target,))
    return {name: {**{kind: sum(values) / len(values) for kind, values in hits[name].items()},
                   "others": sum(others[name]) / len(others[name])} for name in candidates}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=40, help="simulated regions per kind of noise under the null")
    parser.add_argument("--power-seeds", type=int, default=30, help="simulated regions per injected deviation")
    parser.add_argument("--noises", nargs="+", default=list(sim.NOISES), choices=sim.NOISES)
    parser.add_argument("--candidates", nargs="+", default=list(CANDIDATES), choices=list(CANDIDATES),
                        metavar="NAME", help=f"of: {', '.join(CANDIDATES)}")  # fmt: skip
    args = parser.parse_args()
    candidates = {name: CANDIDATES[name] for name in args.candidates}
    cusum = Cusum()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ratc-signals-") as scratch:
        folder = Path(scratch)
        print(f"Null: {args.seeds} seeds × {len(sim.MONTHS)} months × 11 views per kind of noise")
        print(f"{'noise':<22} {'test':<24} {'≥1 signal':>10} {'mean':>7} {'region ≥1':>10} {'region mean':>12} "
              f"{'municipality ≥1':>16} {'municipality mean':>18}")  # fmt: skip
        for noise in args.noises:
            for name, rates in null_rates(noise, range(args.seeds), folder, candidates, cusum).items():
                print(f"{noise:<22} {name:<24} {rates['share_with_signal']:>10.1%} {rates['mean_signals']:>7.3f} "
                      f"{rates['region_share_with_signal']:>10.1%} {rates['region_mean_signals']:>12.3f} "
                      f"{rates['municipality_share_with_signal']:>16.1%} "
                      f"{rates['municipality_mean_signals']:>18.3f}", flush=True)  # fmt: skip
        print()
        print(f"Power: {args.power_seeds} seeds × {len(POWER_MONTHS)} months (June 2020 - Dec 2021), one deviation")
        print(f"{'deviation':<27} {'noise':<22} {'test':<24} {'own found':>10} {'own first':>10} "
              f"{'region found':>13} {'region first':>13} {'other signals/view':>19}")  # fmt: skip
        for scenario, effect in SCENARIOS.items():
            for noise in args.noises:
                seeds = range(1000, 1000 + args.power_seeds)
                for name, found in power(noise, effect, seeds, folder, candidates, cusum).items():
                    print(f"{scenario:<27} {noise:<22} {name:<24} {found['own found']:>10.1%} "
                          f"{found['own first']:>10.1%} {found['region found']:>13.1%} "
                          f"{found['region first']:>13.1%} {found['others']:>19.3f}", flush=True)  # fmt: skip
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
