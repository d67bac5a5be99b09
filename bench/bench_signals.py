"""The signals' false-signal rate under the null and their power, over many seeds.

Run from the repo root:  python bench/bench_signals.py [--seeds 40] [--power-seeds 40]

Each seed is a simulated region built into a warehouse through the normal build (tests/signal_simulation.py, the
same generator as tests/test_signal_simulation.py): every municipality follows the region's path exactly, with
Poisson, quasi-Poisson (φ = 2.35) or negative binomial (k = 30) chance only. Every view — the Regio-overzicht and
the ten Mijn gemeente pages, in eight months from May 2020 to December 2021 — is read as the pages read it. Printed:
under the null, the share of views with at least one signal and the mean number of signals per view; with Sliedrecht's
WW 30% and Dordrecht's Veilig Thuis reports 100% above the path from May 2020 (months June 2020 on), how often each is
found and shown first, in its own view and in the region's, and how many other signals appear. Prints; never fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import common  # noqa: F401 (puts the repo root on sys.path)

sys.path.insert(0, str(common.ROOT / "tests"))
import signal_simulation as sim  # noqa: E402

POWER_MONTHS = ("2020-06", "2020-08", "2020-10", "2020-12", "2021-03", "2021-06", "2021-09", "2021-12")
SCENARIOS = {
    "Sliedrecht WW +30%": (sim.Effect(*sim.SLIEDRECHT_WW),),
    "Dordrecht Veilig Thuis ×2": (sim.Effect(*sim.DORDRECHT_FLOW),),
}


def null_rates(noise: str, seeds: range, folder: Path) -> dict[str, float]:
    """Share of views with a signal and mean signals per view, over all views of all seeds."""
    shown = []
    for seed in seeds:
        shown += sim.views(sim.build(folder / f"{noise}-{seed}", seed, noise))
    return sim.null_rates(shown)


def power(noise: str, effect: sim.Effect, seeds: range, folder: Path) -> dict[str, float]:
    """How often one injected deviation is found and shown first, in its municipality's view and the region's, and
    how many other signals a view shows."""
    target, hits, others = (effect.area_code, effect.indicator_id), {}, []
    for seed in seeds:
        warehouse = sim.build(folder / f"power-{noise}-{effect.area_code}-{seed}", seed, noise, (effect,))
        for view in sim.views(warehouse, POWER_MONTHS):
            others.append(len(set(view.signals) - {target}))
            if view.area_code in (None, effect.area_code):
                where = "own" if view.area_code else "region"
                hits.setdefault(f"{where} found", []).append(target in view.signals)
                hits.setdefault(f"{where} first", []).append(view.signals[:1] == (target,))
    return {**{name: sum(values) / len(values) for name, values in hits.items()}, "others": sum(others) / len(others)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=40, help="simulated regions per kind of noise under the null")
    parser.add_argument("--power-seeds", type=int, default=30, help="simulated regions per injected deviation")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ratc-signals-") as scratch:
        folder = Path(scratch)
        print(f"Null: {args.seeds} seeds × {len(sim.MONTHS)} months × 11 views per kind of noise")
        print(f"{'noise':<20} {'views':>6} {'≥1 signal':>10} {'mean':>7} {'region ≥1':>10} {'region mean':>12} "
              f"{'municipality ≥1':>16} {'municipality mean':>18}")  # fmt: skip
        for noise in sim.NOISES:
            rates = null_rates(noise, range(args.seeds), folder)
            print(f"{noise:<20} {rates['views']:>6.0f} {rates['share_with_signal']:>10.1%} "
                  f"{rates['mean_signals']:>7.3f} {rates['region_share_with_signal']:>10.1%} "
                  f"{rates['region_mean_signals']:>12.3f} {rates['municipality_share_with_signal']:>16.1%} "
                  f"{rates['municipality_mean_signals']:>18.3f}")  # fmt: skip
        print()
        print(f"Power: {args.power_seeds} seeds × {len(POWER_MONTHS)} months (June 2020 - Dec 2021), one deviation")
        print(f"{'deviation':<28} {'noise':<20} {'own found':>10} {'own first':>10} {'region found':>13} "
              f"{'region first':>13} {'other signals/view':>19}")  # fmt: skip
        for name, (effect,) in SCENARIOS.items():
            for noise in sim.NOISES:
                found = power(noise, effect, range(1000, 1000 + args.power_seeds), folder)
                print(f"{name:<28} {noise:<20} {found['own found']:>10.1%} {found['own first']:>10.1%} "
                      f"{found['region found']:>13.1%} {found['region first']:>13.1%} "
                      f"{found['others']:>19.3f}")  # fmt: skip
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
