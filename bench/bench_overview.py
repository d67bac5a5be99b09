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
import datetime as dt
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit  # noqa: E402
import streamlit.logger  # noqa: E402

streamlit.logger.set_log_level("error")  # AppTest outside a server warns about a missing ScriptRunContext

from streamlit.navigation.page import Page  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from ratc import baseline, cache, db, metadata, overview, ui, warehouse  # noqa: E402
from ratc.context import Context  # noqa: E402

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


def p90(values: list[float]) -> float:
    """Nearest-rank 90th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


class Accumulator:
    """Seconds spent in named functions during one measured run (wrapped by `instrument`)."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.depth: dict[str, int] = defaultdict(int)
        self.runs: list[tuple[dict[str, float], dict[str, int]]] = []

    def wrap(self, name: str, function: Callable) -> Callable:
        def timed(*args, **kwargs):
            if self.depth[name]:  # nested call of the same part (st.navigation's page delegates): count once
                return function(*args, **kwargs)
            self.depth[name] += 1
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.current[name] += time.perf_counter() - started
                self.calls[name] += 1
                self.depth[name] -= 1

        timed.__wrapped__ = function
        return timed

    def finish(self) -> None:
        self.runs.append((dict(self.current), dict(self.calls)))
        self.current, self.calls = defaultdict(float), defaultdict(int)

    def median_ms(self, name: str) -> float:
        return statistics.median(ms(run.get(name, 0.0)) for run, _ in self.runs)

    def median_calls(self, name: str) -> float:
        return statistics.median(calls.get(name, 0) for _, calls in self.runs)


# (module or class, attribute, label) of what the page run is broken down into.
APP_PARTS = [
    (cache, "ensure_warehouse", "frame: warehouse check"),
    (ui, "current_context", "frame: context"),
    (ui, "write_context", "frame: context"),
    (ui, "sidebar", "frame: sidebar"),
    (Page, "run", "page"),
    (overview, "area_tiles", "page: ratc logic"),
    (overview, "area_signals", "page: ratc logic"),
    (overview, "municipality_table", "page: ratc logic"),
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


def _periods(keys: pd.Series, frequency: str) -> pd.DataFrame:
    """Start, end, year and number of period keys (2020-W14, 2020-04, 2020-Q2), vectorised."""
    year = keys.str.slice(0, 4).astype(int)
    if frequency == "week":
        start = pd.to_datetime(keys + "-1", format="%G-W%V-%u")
        number = keys.str.slice(6, 8).astype(int)
        end = start + pd.Timedelta(days=6)
    elif frequency == "maand":
        start = pd.to_datetime(keys, format="%Y-%m")
        number = start.dt.month
        end = start + pd.offsets.MonthEnd(0)
    else:
        number = keys.str.slice(6, 7).astype(int)
        start = pd.to_datetime(pd.DataFrame({"year": year, "month": 3 * number - 2, "day": 1}))
        end = start + pd.offsets.QuarterEnd(0)
    return pd.DataFrame({
        "period_key": keys, "period_start_date": start, "period_end_date": end,
        "period_year": year, "period_number": number,
    })


def pandas_read(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Read the metadata and every observation file listed in the import ledger (today: demo/observations.csv)."""
    areas = pd.read_csv(data_dir / "areas.csv", dtype={"area_code": str})
    domains = pd.read_csv(data_dir / "domains.csv")
    indicators = pd.read_csv(data_dir / "indicators.csv", dtype=str, keep_default_na=False)
    imports = pd.read_csv(data_dir / "imports.csv", dtype={"is_demo": str})
    observations = pd.concat(
        [
            pd.read_csv(
                data_dir / file_path,
                dtype={"area_code": str, "indicator_id": str, "period": str, "value": "float64"},
            ).assign(import_id=import_id)
            for import_id, file_path in zip(imports["import_id"], imports["file_path"], strict=True)
        ],
        ignore_index=True,
    ).rename(columns={"period": "period_key"})
    return {"areas": areas, "domains": domains, "indicators": indicators, "imports": imports, "observations": observations}


def pandas_derive(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Region sums, rates, period dates, baselines and previous values: the warehouse's work, in pandas."""
    areas, indicators, imports = raw["areas"], raw["indicators"].copy(), raw["imports"].copy()
    for column in indicators.columns:  # is_count, is_stock, per_10k, is_seasonal, has_baseline, ...
        if indicators[column].isin(["true", "false"]).all():
            indicators[column] = indicators[column].eq("true")
    indicators["scale"] = pd.to_numeric(indicators["scale"])
    indicators["decimals"] = indicators["decimals"].astype(int)
    imports["is_demo"] = imports["is_demo"].str.lower().eq("true")
    area_type = areas.set_index("area_code")["area_type"]
    population = areas.set_index("area_code")["population_2020"]
    municipalities = areas.loc[areas["area_type"] == "gemeente", "area_code"]
    region_code = areas.loc[areas["area_type"] == "regio", "area_code"].iloc[0]
    count_ids = set(indicators.loc[indicators["is_count"], "indicator_id"])
    delivered_ids = set(indicators.loc[indicators["is_count"] | indicators["numerator_id"].eq(""), "indicator_id"])

    # delivered counts and rates; the newest import wins
    obs = raw["observations"]
    obs = obs[obs["area_code"].map(area_type).isin(["gemeente", "land"]) & obs["indicator_id"].isin(delivered_ids)]
    obs = obs.sort_values("import_id").drop_duplicates(["indicator_id", "area_code", "period_key"], keep="last")
    obs = obs.assign(derivation="aangeleverd")

    # the region as the sum of all its municipalities (only where every municipality delivered)
    sums = (
        obs[obs["area_code"].isin(municipalities) & obs["indicator_id"].isin(count_ids)]
        .groupby(["indicator_id", "period_key"], as_index=False)
        .agg(value=("value", "sum"), import_id=("import_id", "max"), n=("value", "size"))
    )
    sums = sums[sums["n"] == len(municipalities)].drop(columns="n").assign(area_code=region_code, derivation="som van de gemeenten")
    counts = pd.concat([obs, sums], ignore_index=True)

    # rates from a numerator and the population (or another indicator)
    rate_defs = indicators.loc[~indicators["is_count"] & indicators["numerator_id"].ne(""),
                               ["indicator_id", "numerator_id", "denominator", "scale"]]
    numerators = counts.drop(columns="derivation").merge(
        rate_defs.rename(columns={"indicator_id": "rate_id"}), left_on="indicator_id", right_on="numerator_id")
    denominators = counts[["indicator_id", "area_code", "period_key", "value", "import_id"]].rename(
        columns={"indicator_id": "denominator", "value": "den_value", "import_id": "den_import_id"})
    numerators = numerators.merge(denominators, on=["denominator", "area_code", "period_key"], how="left")
    numerators = numerators[numerators["denominator"].eq("population") | (numerators["den_value"] > 0)]
    rates = pd.DataFrame({
        "indicator_id": numerators["rate_id"],
        "area_code": numerators["area_code"],
        "period_key": numerators["period_key"],
        "value": numerators["value"] / numerators["den_value"].fillna(numerators["area_code"].map(population)) * numerators["scale"],
        "import_id": numerators[["import_id", "den_import_id"]].max(axis=1).astype("int64"),
        "derivation": "berekend",
    })
    every = pd.concat([counts, rates], ignore_index=True)

    # period dates
    ind = indicators.set_index("indicator_id")
    every["frequency"] = every["indicator_id"].map(ind["frequency"])
    keys = every[["frequency", "period_key"]].drop_duplicates()
    periods = pd.concat(
        [_periods(group["period_key"].reset_index(drop=True), frequency).assign(frequency=frequency)
         for frequency, group in keys.groupby("frequency")],
        ignore_index=True,
    )
    every = every.merge(periods, on=["frequency", "period_key"])
    every = every.sort_values(["indicator_id", "area_code", "period_start_date"], ignore_index=True)
    every["is_seasonal"] = every["indicator_id"].map(ind["is_seasonal"])
    every["has_baseline"] = every["indicator_id"].map(ind["has_baseline"])

    # baselines: the mean over the fixed window, or the same period of 2019 for seasonal indicators
    window_first = every["frequency"].map({f: pd.Timestamp(w[0]) for f, w in baseline.BASELINE_WINDOWS.items()})
    window_last = every["frequency"].map({f: pd.Timestamp(w[1]) for f, w in baseline.BASELINE_WINDOWS.items()})
    in_window = ~every["is_seasonal"] & every["period_start_date"].between(window_first, window_last)
    fixed = every[in_window].groupby(["indicator_id", "area_code"], as_index=False)["value"].mean()
    fixed = fixed.rename(columns={"value": "fixed_baseline"})
    same_2019 = every.loc[every["is_seasonal"] & every["period_year"].eq(2019),
                          ["indicator_id", "area_code", "period_number", "value"]].rename(columns={"value": "seasonal_baseline"})
    every = every.merge(fixed, on=["indicator_id", "area_code"], how="left")
    every = every.merge(same_2019, on=["indicator_id", "area_code", "period_number"], how="left")
    every["baseline_value"] = every["seasonal_baseline"].where(every["is_seasonal"], every["fixed_baseline"]).where(every["has_baseline"])
    every["previous_value"] = every.groupby(["indicator_id", "area_code"])["value"].shift(1)
    every = every.sort_values(["indicator_id", "area_code", "period_start_date"], ignore_index=True)

    domains = raw["domains"].rename(columns={"sort_order": "domain_order"})
    catalog = indicators.merge(domains, on="domain_id").sort_values(["domain_order", "indicator_id"], ignore_index=True)
    type_order = areas["area_type"].map({"gemeente": 1, "regio": 2}).fillna(3)
    area_list = areas.assign(_order=type_order).sort_values(["_order", "area_name"]).drop(columns="_order").reset_index(drop=True)
    used = every[every["derivation"].eq("aangeleverd")].groupby("import_id").size()
    lineage = imports.assign(observations_used=imports["import_id"].map(used).fillna(0).astype(int))
    return {"observations": every, "catalog": catalog, "areas": area_list, "imports": lineage,
            "region_code": region_code, "area_type": area_type}


def pandas_query(derived: dict) -> Callable:
    """Answer the named queries the overview asks from the derived frames (no caching)."""
    every, area_type = derived["observations"], derived["area_type"]

    def latest(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        # `every` is sorted by indicator, area and start date, so the last row per key is the latest
        return frame.drop_duplicates(keys, keep="last").reset_index(drop=True)

    def query(name: str, **params: object) -> pd.DataFrame:
        if name == "indicator_catalog":
            return derived["catalog"]
        if name == "area_list":
            return derived["areas"]
        if name == "import_lineage":
            return derived["imports"]
        as_of = pd.Timestamp(params["as_of_date"])
        ended = every[every["period_end_date"] <= as_of]
        if name == "latest_value_by_indicator":
            return latest(ended[ended["area_code"] == params["area_code"]], ["indicator_id"])
        if name == "observations_by_area":
            return ended[(ended["area_code"] == params["area_code"])
                         & (ended["period_start_date"] >= pd.Timestamp(params["from_date"]))].reset_index(drop=True)
        if name == "latest_value_by_area":
            return latest(ended[ended["area_code"].map(area_type).isin(["gemeente", "regio"])], ["indicator_id", "area_code"])
        raise KeyError(name)

    return query


def plain_pandas_run(data_dir: Path, chosen: Context, accumulator: Accumulator) -> tuple:
    """One 'run' of a plain implementation: read the CSVs, derive everything, build the overview."""
    started = time.perf_counter()
    raw = pandas_read(data_dir)
    read = time.perf_counter()
    derived = pandas_derive(raw)
    derived_at = time.perf_counter()
    result = ratc_overview(pandas_query(derived), chosen)
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


def set_widget(app: AppTest, key: str, value: str) -> AppTest:
    if key == "ctx_periode":
        return app.select_slider(key=key).set_value(value)
    return app.selectbox(key=key).select(value)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed cycles of %d widget changes each, after one warm-up cycle (default 5)" % len(cycle()))
    parser.add_argument("--build-runs", type=int, default=BUILD_RUNS, help="warehouse builds to time (default 3)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    total_started = time.perf_counter()

    build_times, pointer = bench_build(max(1, args.build_runs))
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
    for timer in (uncached_timer, pandas_timer):
        timer.current.clear(), timer.calls.clear()

    steps = cycle()
    expected = states(steps)
    first_visit, app_times, uncached_times, pandas_times = [], [], [], []
    outputs: dict[tuple[str, str], list] = {}
    for round_number in range(args.repeat + 1):
        warm_up = round_number == 0
        for (key, value), (month, indicator) in zip(steps, expected, strict=True):
            chosen = context_for(month, indicator)

            with instrument(app_timer) if not warm_up else contextlib.nullcontext():
                started = time.perf_counter()
                set_widget(app, key, value).run()
                elapsed = time.perf_counter() - started
            if app.exception:
                raise SystemExit(f"the app raised at {month}/{indicator}: {[e.value for e in app.exception]}")
            if warm_up:
                if key == "ctx_periode":
                    first_visit.append(elapsed)
            else:
                app_times.append(elapsed)

            started = time.perf_counter()
            ratc_result = ratc_overview(uncached_query, chosen)
            elapsed = time.perf_counter() - started
            if not warm_up:
                uncached_times.append(elapsed)
                uncached_timer.finish()
            else:
                uncached_timer.current.clear(), uncached_timer.calls.clear()

            started = time.perf_counter()
            pandas_result = plain_pandas_run(data_dir, chosen, pandas_timer)
            elapsed = time.perf_counter() - started
            if not warm_up:
                pandas_times.append(elapsed)
                pandas_timer.finish()
            else:
                pandas_timer.current.clear(), pandas_timer.calls.clear()
            outputs.setdefault((month, indicator), [ratc_result, pandas_result])
    con.close()
    floor = apptest_floor(len(app_times))

    differing = [state for state, (a, b) in outputs.items() if not same(a, b)]
    base = statistics.median(pandas_times)

    def row(label: str, times: list[float] | None, median_ms: float | None = None, ratio: bool = True, note: str = "") -> str:
        median = statistics.median(ms(t) for t in times) if times else median_ms
        tail = f"{ms(p90(times)):9.1f}" if times and len(times) > 1 else f"{'':9}"
        share = f"{median / ms(base):8.2f}x" if ratio else f"{'':9}"
        return f"{label:<66}{median:9.1f}{tail}{share}  {note}".rstrip()

    versions = f"streamlit {streamlit.__version__}, duckdb {duckdb.__version__}, pandas {pd.__version__}"
    print(f"RAT-C Regio-overzicht benchmark — {os.cpu_count()} CPUs, Python {platform.python_version()}, {versions}")
    print(f"Sequence: {len(steps)} widget changes per cycle (Stand per ↔ indicator, months {', '.join(MONTHS)}),")
    print(f"{args.repeat} timed cycles after 1 warm-up cycle = {len(app_times)} samples per row; "
          "the three per-state rows ran interleaved, step by step.")
    print()
    print(f"{'':<66}{'median':>9}{'p90':>9}{'÷ pandas':>9}")
    print(f"{'':<66}{'ms':>9}{'ms':>9}{'':>9}")
    print(row(f"Warehouse build (ratc.warehouse.build, {len(build_times)} runs)", build_times, ratio=False,
              note=f"min {ms(min(build_times)):.0f} ms"))
    print(row("AppTest first run of app.py (cold start, 1 sample)", [cold_start], ratio=False))
    print(row("AppTest rerun, first visit of a month (cache misses)", first_visit, ratio=False,
              note=f"{len(first_visit)} samples, warm-up cycle"))
    print(row("AppTest full page rerun, cached  [incl. AppTest overhead]", app_times, note="<- the page as users get it"))
    print(row("  of which app.py frame (warehouse check, context, sidebar)", None,
              sum(app_timer.median_ms(label) for label in ("frame: warehouse check", "frame: context", "frame: sidebar")), ratio=False))
    print(row("    of which warehouse.is_current check (cache.ensure_warehouse)", None,
              app_timer.median_ms("frame: warehouse check"), ratio=False))
    print(row("  of which pages/overview.py", None, app_timer.median_ms("page"), ratio=False))
    print(row("    of which ratc.overview logic on cache hits", None, app_timer.median_ms("page: ratc logic"), ratio=False))
    print(row("    of which Streamlit element calls (the rest)", None,
              app_timer.median_ms("page") - app_timer.median_ms("page: ratc logic"), ratio=False))
    print(row("  of which AppTest harness & script runner (the rest)", None,
              statistics.median(ms(t) for t in app_times) - app_timer.median_ms("page")
              - sum(app_timer.median_ms(label) for label in ("frame: warehouse check", "frame: context", "frame: sidebar")),
              ratio=False))
    print(row(f"  (all cache.query calls, {app_timer.median_calls('cache.query'):.0f} per run, cache hits)", None,
              app_timer.median_ms("cache.query"), ratio=False))
    print(row("AppTest floor: trivial one-widget script rerun", floor, ratio=False))
    print(row("ratc overview logic on DuckDB, uncached", uncached_times, note="area_tiles + area_signals + municipality_table"))
    print(row(f"  of which DuckDB queries ({uncached_timer.median_calls('queries'):.0f} per run, run_query + .df())", None,
              uncached_timer.median_ms("queries"), ratio=False))
    print(row("Plain pandas reading CSVs on every run", pandas_times, note="baseline"))
    print(row("  of which pd.read_csv (5 files)", None, pandas_timer.median_ms("read"), ratio=False))
    print(row("  of which deriving sums, rates, baselines (pandas)", None, pandas_timer.median_ms("derive"), ratio=False))
    print(row("  of which as-of queries + tiles/signals/table (same ratc code)", None, pandas_timer.median_ms("overview"), ratio=False))
    print()
    print("AppTest times include the test harness (widget protos, script thread, element tree); a browser session")
    print("adds websocket and rendering time instead. '÷ pandas' = median ÷ median of the plain-pandas row.")
    check = "yes" if not differing else f"NO, differs for {differing}"
    print(f"Check: plain-pandas tiles, signals and table equal ratc's on DuckDB for all {len(outputs)} states: {check}")
    print(f"Total benchmark time: {time.perf_counter() - total_started:.1f} s")
    shutil.rmtree(pointer.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
