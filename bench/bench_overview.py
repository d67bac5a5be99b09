"""Benchmark of the Regio-overzicht: warehouse build, page reruns under AppTest, and a plain-pandas baseline.

Run from the repo root:  python bench/bench_overview.py [--repeat N]

Everything is measured in one process, in one run, on the same sequence of widget changes
("Stand per" month and indicator, alternating). The three per-state measurements are interleaved
step by step so that load from other processes hits them alike. Prints a plain-text table; never
fails on a time (it only exits non-zero when something crashes).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import math
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pandas as pd
import plain_pandas
import streamlit
import streamlit.logger
from common import ROOT, percentile, set_widget
from streamlit.navigation.page import Page
from streamlit.testing.v1 import AppTest

from ratc.core import context, metadata
from ratc.core.context import Context
from ratc.monitor import overview
from ratc.ui import cache
from ratc.ui import components as ui
from ratc.warehouse import builder as warehouse
from ratc.warehouse import db

# One cycle = these widget changes, alternating month and indicator; it ends where it started
# (latest month, default indicator), so cycles can be chained.
MONTHS = ("2020-03", "2020-06", "2020-12", "2021-06", "2021-12")
INDICATORS = ("faillissementen", "woninginbraken", "covid_meldingen_per_100k", "jeugdhulp_trajecten", "ww_uitkeringen")
START = ("2021-12", "ww_uitkeringen")
BUILD_RUNS = 3


def cycle() -> list[tuple[str, str]]:
    """The widget changes of one cycle as (widget key, new value)."""
    steps = []
    for month, indicator in zip(MONTHS, INDICATORS, strict=True):
        steps += [("ctx_periode", month), ("ctx_indicator", indicator)]
    return steps


def states(steps: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (month, indicator) the page shows after each step."""
    month, indicator = START
    result = []
    for key, value in steps:
        month, indicator = (value, indicator) if key == "ctx_periode" else (month, value)
        result.append((month, indicator))
    return result


# ---------------------------------------------------------------------------------------------- timing


def ms(seconds: float) -> float:
    return seconds * 1000


class Accumulator:
    """Seconds spent in named functions during one measured run (wrapped by `instrument`)."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.depth: dict[str, int] = defaultdict(int)
        self.inner_counted: dict[str, bool] = defaultdict(bool)
        self.runs: list[tuple[dict[str, float], dict[str, int]]] = []

    def wrap(self, name: str, function: Callable) -> Callable:
        # wraps: cache.computed finds a page's function by module and name, so the wrapper keeps them
        @functools.wraps(function)
        def timed(*args, **kwargs):
            # Nested calls of the same part count once, the innermost: Streamlit runs app.py itself through
            # Page.run, and app.py then calls page.run() for pages/overview.py.
            self.depth[name] += 1
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                self.depth[name] -= 1
                if self.inner_counted[name]:
                    self.inner_counted[name] = self.depth[name] > 0
                else:
                    self.current[name] += elapsed
                    self.calls[name] += 1
                    self.inner_counted[name] = self.depth[name] > 0

        return timed

    def discard(self) -> None:
        """Forget the parts measured since the last finish (a warm-up run)."""
        self.current, self.calls = defaultdict(float), defaultdict(int)

    def keep(self, elapsed: float, times: list[float], warm_up: bool) -> None:
        """Record a run's total and parts, unless it was a warm-up run."""
        if warm_up:
            self.discard()
            return
        times.append(elapsed)
        self.current["total"] = elapsed
        self.finish()

    def finish(self) -> None:
        self.runs.append((dict(self.current), dict(self.calls)))
        self.current, self.calls = defaultdict(float), defaultdict(int)

    def median_ms(self, *names: str, minus: tuple[str, ...] = ()) -> float:
        """Median over the runs of (sum of `names` − sum of `minus`), in ms: parts are combined per run."""
        return statistics.median(
            ms(sum(run.get(n, 0.0) for n in names) - sum(run.get(n, 0.0) for n in minus)) for run, _ in self.runs
        )

    def median_calls(self, name: str) -> float:
        return statistics.median(calls.get(name, 0) for _, calls in self.runs)


# (module or class, attribute, label) of what the page run is broken down into.
APP_PARTS = [
    (cache, "ensure_warehouse", "frame: warehouse check"),
    (ui, "current_context", "frame: context"),
    (ui, "write_context", "frame: context"),
    (ui, "sidebar", "frame: sidebar"),
    (Page, "run", "page"),
    (overview, "area_tiles", "page: area_tiles"),
    (overview, "area_signals", "page: area_signals"),
    (overview, "municipality_table", "page: municipality_table"),
    (cache, "query", "cache.query"),
]


@contextlib.contextmanager
def instrument(accumulator: Accumulator) -> Iterator[None]:
    """Wrap the app's building blocks with timers for the duration of one AppTest run."""
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in APP_PARTS]
    try:
        for (owner, name, label), (_, _, original) in zip(APP_PARTS, originals, strict=True):
            setattr(owner, name, accumulator.wrap(label, original))
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
        accumulator.finish()


# ------------------------------------------------------------------------------ 1. warehouse build


def bench_build(runs: int) -> tuple[list[float], Path]:
    """Build the warehouse `runs` times into fresh temp dirs; return the times and the last pointer."""
    times, pointer = [], None
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(prefix="ratc-bench-"))
        pointer = folder / "warehouse.duckdb"
        started = time.perf_counter()
        warehouse.build(target=pointer)
        times.append(time.perf_counter() - started)
        if _ < runs - 1:
            shutil.rmtree(folder, ignore_errors=True)
    return times, pointer


# ------------------------------------------------------------------- 3a. ratc logic on DuckDB, uncached


def ratc_overview(query: Callable, chosen: Context) -> tuple:
    """What pages/overview.py computes: tiles, signals and the per-municipality table."""
    return (
        overview.area_tiles(query, metadata.REGION_CODE, chosen),
        overview.area_signals(query, chosen),
        overview.municipality_table(query, chosen),
    )


def duckdb_query(con: duckdb.DuckDBPyConnection, accumulator: Accumulator) -> Callable:
    """A plain, uncached query function: ratc.db.run_query on a fresh cursor each time."""

    def query(name: str, **params: object) -> pd.DataFrame:
        started = time.perf_counter()
        try:
            return db.run_query(con, name, **params)
        finally:
            accumulator.current["queries"] += time.perf_counter() - started
            accumulator.calls["queries"] += 1

    return query


# --------------------------------------------------------------------- 3b. plain pandas, CSVs every run


def plain_pandas_run(data_dir: Path, chosen: Context, accumulator: Accumulator) -> tuple:
    """One 'run' of a plain implementation: read the CSVs, derive everything, build the overview."""
    started = time.perf_counter()
    raw = plain_pandas.read(data_dir)
    read = time.perf_counter()
    derived = plain_pandas.derive(raw)
    derived_at = time.perf_counter()
    result = ratc_overview(plain_pandas.query_function(derived), chosen)
    done = time.perf_counter()
    accumulator.current["read"] += read - started
    accumulator.current["derive"] += derived_at - read
    accumulator.current["overview"] += done - derived_at
    return result


# --------------------------------------------------------------------------- equal-output check


def same(a: object, b: object) -> bool:
    """Equal, with floats compared to 1e-9 relative (DuckDB and pandas may sum in another order)."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
        return type(a) is type(b) and all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        return a.astype(str).reset_index(drop=True).equals(b.astype(str).reset_index(drop=True))
    return a == b


# ---------------------------------------------------------------------------------------- main


def context_for(month: str, indicator: str) -> Context:
    return Context(gemeente=None, indicator=indicator, periode=month)


def apptest_floor(samples: int) -> list[float]:
    """Rerun time of a trivial script under AppTest: the harness's own cost per widget change."""
    streamlit.logger.set_log_level("error")  # the first AppTest run reset it from the config
    app = AppTest.from_string(
        "import streamlit as st\nst.select_slider('Stand per', options=[str(i) for i in range(40)], key='x')\n",
        default_timeout=60,
    )
    app.run()
    times = []
    for step in range(samples):
        started = time.perf_counter()
        app.select_slider(key="x").set_value(str(step % 40)).run()
        times.append(time.perf_counter() - started)
    return times


def cache_miss_pairs(app: AppTest, con: duckdb.DuckDBPyConnection, pairs: int) -> tuple[list[float], list[float]]:
    """Rerun times to a month never shown before (its as-of queries miss), each followed by a cached rerun."""
    bounds = db.run_query(con, "period_bounds").iloc[0]
    months = context.month_keys(bounds["first_period_date"].date(), bounds["last_period_date"].date())
    fresh = [month for month in months if month not in MONTHS and month != START[0]][-pairs:]
    unseen, revisit = [], []
    for month in fresh:
        started = time.perf_counter()
        app.select_slider(key="ctx_periode").set_value(month).run()
        unseen.append(time.perf_counter() - started)
        started = time.perf_counter()
        app.select_slider(key="ctx_periode").set_value(START[0]).run()
        revisit.append(time.perf_counter() - started)
    return unseen, revisit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help=f"timed cycles of {len(cycle())} widget changes each, after one warm-up cycle (default 5)",
    )
    parser.add_argument(
        "--build-runs", type=int, default=BUILD_RUNS, help=f"warehouse builds to time (default {BUILD_RUNS})"
    )
    args = parser.parse_args()
    if args.repeat < 1 or args.build_runs < 1:
        parser.error("--repeat and --build-runs must be at least 1")
    total_started = time.perf_counter()

    # 1. warehouse build; the app and the uncached path then read the last build
    build_times, pointer = bench_build(args.build_runs)
    os.environ["RATC_WAREHOUSE"] = str(pointer)
    data_dir = ROOT / "data"

    app_timer, uncached_timer, pandas_timer = Accumulator(), Accumulator(), Accumulator()
    con = db.open_warehouse(pointer)
    uncached_query = duckdb_query(con, uncached_timer)

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    started = time.perf_counter()
    app.run()
    cold_start = time.perf_counter() - started
    if app.exception:
        raise SystemExit(f"the app raised: {[e.value for e in app.exception]}")

    # warm the non-Streamlit paths once (imports, compiled regexes, DuckDB's first query)
    ratc_overview(uncached_query, context_for(*START))
    plain_pandas_run(data_dir, context_for(*START), pandas_timer)
    uncached_timer.discard(), pandas_timer.discard()

    # 2. and 3.: the same widget changes for the page, ratc on uncached DuckDB and plain pandas, interleaved
    steps, expected = cycle(), states(cycle())
    app_times, uncached_times, pandas_times = [], [], []
    outputs: dict[tuple[str, str], list] = {}
    for round_number in range(args.repeat + 1):
        warm_up = round_number == 0  # the first cycle fills Streamlit's caches; its month changes are misses
        for (key, value), (month, indicator) in zip(steps, expected, strict=True):
            chosen = context_for(month, indicator)

            with contextlib.nullcontext() if warm_up else instrument(app_timer):
                started = time.perf_counter()
                set_widget(app, key, value)
                app.run()
                elapsed = time.perf_counter() - started
                app_timer.current["total"] = elapsed
            if app.exception:
                raise SystemExit(f"the app raised at {month}/{indicator}: {[e.value for e in app.exception]}")
            if warm_up:
                app_timer.discard()
            else:
                app_times.append(elapsed)

            started = time.perf_counter()
            ratc_result = ratc_overview(uncached_query, chosen)
            uncached_timer.keep(time.perf_counter() - started, uncached_times, warm_up)

            started = time.perf_counter()
            pandas_result = plain_pandas_run(data_dir, chosen, pandas_timer)
            pandas_timer.keep(time.perf_counter() - started, pandas_times, warm_up)
            outputs.setdefault((month, indicator), [ratc_result, pandas_result])
    unseen, revisit = cache_miss_pairs(app, con, args.repeat * 2)
    con.close()
    floor = apptest_floor(len(app_times))
    differing = [state for state, (a, b) in outputs.items() if not same(a, b)]

    # the table
    base = ms(statistics.median(pandas_times))
    frame = ("frame: warehouse check", "frame: context", "frame: sidebar")
    logic = ("page: area_tiles", "page: area_signals", "page: municipality_table")

    def row(
        label: str, times: list[float] | None = None, median: float | None = None, ratio: bool = False, note: str = ""
    ) -> str:
        if times:
            median = statistics.median(ms(t) for t in times)
        tail = f"{ms(percentile(times, 0.9)):9.1f}" if times and len(times) > 1 else " " * 9
        share = f"{median / base:8.2f}x" if ratio else " " * 9
        return f"{label:<66}{median:9.1f}{tail}{share}  {note}".rstrip()

    versions = f"Python {platform.python_version()}, streamlit {streamlit.__version__}, duckdb {duckdb.__version__}, "
    versions += f"pandas {pd.__version__}"
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    lines = [
        f"RAT-C Regio-overzicht benchmark — {os.cpu_count()} CPUs{load}, {versions}",
        f"One cycle = {len(steps)} widget changes, alternating 'Stand per' ({', '.join(MONTHS)})",
        f"and indicator; {args.repeat} timed cycles after 1 warm-up cycle = {len(app_times)} samples per row.",
        "The page, ratc-uncached and pandas rows ran interleaved, step by step, on the same states.",
        "",
        f"{'':<66}{'median':>9}{'p90':>9}{'÷ pandas':>9}",
        f"{'':<66}{'ms':>9}{'ms':>9}",
        row(
            f"Warehouse build (ratc.warehouse.build, median of {len(build_times)})",
            build_times,
            note=f"min {ms(min(build_times)):.0f} ms",
        ),
        row("AppTest first run of app.py (cold start, 1 sample)", [cold_start]),
        row(
            "AppTest rerun to a month not shown before (3 cache misses)",
            unseen,
            note=f"{len(unseen)} pairs; the cached rerun right after each: {ms(statistics.median(revisit)):.1f} ms",
        ),
        row("AppTest full page rerun, cached  [incl. AppTest overhead]", app_times, ratio=True),
        row("  of which app.py frame (warehouse check, context, sidebar)", median=app_timer.median_ms(*frame)),
        row("    of which cache.ensure_warehouse (fingerprint check)", median=app_timer.median_ms(frame[0])),
        row("  of which pages/overview.py", median=app_timer.median_ms("page")),
        row("    of which ratc.overview logic (cache.computed: only on a miss)", median=app_timer.median_ms(*logic)),
        *(row(f"      {label.removeprefix('page: ')}", median=app_timer.median_ms(label)) for label in logic),
        row(
            "    of which Streamlit element calls and other page code",
            median=app_timer.median_ms("page", minus=logic),
        ),
        row(
            "  of which AppTest harness and script runner (the rest)",
            median=app_timer.median_ms("total", minus=("page", *frame)),
        ),
        row(
            f"  (all cache.query calls, {app_timer.median_calls('cache.query'):.0f} per run, cache hits)",
            median=app_timer.median_ms("cache.query"),
        ),
        row("AppTest floor: rerun of a trivial one-widget script", floor),
        row(
            "ratc overview logic on DuckDB, uncached",
            uncached_times,
            ratio=True,
            note="area_tiles + area_signals + municipality_table",
        ),
        row(
            f"  of which DuckDB queries ({uncached_timer.median_calls('queries'):.0f} per run, run_query incl. .df())",
            median=uncached_timer.median_ms("queries"),
        ),
        row(
            "  of which ratc Python code (tiles, signals, table)",
            median=uncached_timer.median_ms("total", minus=("queries",)),
        ),
        row("Plain pandas reading CSVs on every run", pandas_times, ratio=True, note="baseline"),
        row(
            "  of which pd.read_csv of 5 files (observations: 11.7k rows)",
            median=pandas_timer.median_ms("read"),
        ),
        row("  of which deriving sums, rates, periods, baselines, previous", median=pandas_timer.median_ms("derive")),
        row(
            "  of which as-of selection + the same ratc tiles/signals/table", median=pandas_timer.median_ms("overview")
        ),
        "",
        "AppTest rows include the test harness (script thread, widget and element protos); a browser session pays",
        "websocket and rendering instead. '÷ pandas' = the row's median ÷ the plain-pandas median (lower is faster).",
        "Sub-rows ('of which') are medians of per-run parts, so they need not add up exactly.",
        "Output check: plain-pandas tiles, signals and table equal ratc's on DuckDB for all "
        f"{len(outputs)} states: " + ("yes" if not differing else f"NO, they differ for {differing}"),
        f"Total benchmark time: {time.perf_counter() - total_started:.1f} s",
    ]
    print("\n".join(lines))
    shutil.rmtree(pointer.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
