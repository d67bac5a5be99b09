"""Widget-change script time of Kaart and Trends (and the overview) at regional and national scale.

Run from the repo root:  python bench/bench_pages.py [--repeat N] [--municipalities 355]

For the ten municipalities of the demo data and for a generated warehouse of every Dutch municipality
(bench/scaled_data.py), it replays a cycle of widget changes on each page under AppTest and reports the
median and p90 script time, the ratio of national to regional scale, and the ratio to a plain-pandas
implementation that reads the CSVs and computes the same page data on every run — all measured in this run.
Prints a table; never fails on a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import pandas as pd  # noqa: E402
import streamlit.logger  # noqa: E402

streamlit.logger.set_log_level("error")

import scaled_data  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from ratc import lineage, metadata, warehouse  # noqa: E402

INDICATORS = ("ww_uitkeringen", "bijstand_per_1000", "faillissementen", "veilig_thuis_meldingen")
INDICATOR_CHANGES = [("ctx_indicator", indicator) for indicator in INDICATORS]
CYCLES = {
    "pages/overview.py": INDICATOR_CHANGES + [("ctx_periode", "2020-06"), ("ctx_periode", "2021-12")],
    "pages/municipality.py": [("ctx_periode", month) for month in ("2020-04", "2020-10", "2021-06", "2021-12")],
    "pages/map.py": INDICATOR_CHANGES + [("kaart_maat", "verandering"), ("kaart_maat", "waarde")],
    "pages/trend_lines.py": INDICATOR_CHANGES + [("trends_maat", "index"), ("trends_maat", "absoluut")],
}


def percentile(values: list[float], fraction: float) -> float:
    """The fraction-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def set_widget(app: AppTest, key: str, value: str) -> None:
    """Change one widget by key, whatever its kind."""
    for kind in ("selectbox", "select_slider", "segmented_control", "button_group", "radio"):
        try:
            widget = getattr(app, kind)(key=key)
        except (KeyError, AttributeError):
            continue
        (widget.set_value(value) if kind != "selectbox" else widget.select(value))
        return
    raise KeyError(key)


def time_page(page: str, repeat: int) -> list[float]:
    """Script times (ms) of widget changes on one page, caches warm."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if page == "pages/municipality.py":
        app.query_params["gemeente"] = "GM0505"  # Dordrecht exists at both scales
    app.run()
    app.switch_page(page).run()
    samples = []
    for round_number in range(repeat + 1):
        for key, value in CYCLES[page]:
            if key == "ctx_indicator" and page == "pages/map.py" and value == "bijstand_per_1000":
                app.session_state["kaart_maat"] = "waarde"  # a rate has no per-10,000 view
            start = time.perf_counter()
            set_widget(app, key, value)
            app.run()
            elapsed = (time.perf_counter() - start) * 1000
            if app.exception:
                raise RuntimeError(f"{page}: {app.exception[0].value}")
            if round_number:  # the first round fills the caches
                samples.append(elapsed)
    return samples


def pandas_page(data_dir: Path, page: str, indicator: str) -> None:
    """What a plain implementation does per rerun: read the CSVs and compute the page's data with pandas."""
    areas = pd.read_csv(data_dir / "areas.csv")
    indicators = pd.read_csv(data_dir / "indicators.csv", dtype=str, keep_default_na=False).set_index("indicator_id")
    frames = [pd.read_csv(data_dir / r.file_path, dtype={"period": str}) for r in lineage.read_ledger(data_dir)]
    observations = pd.concat(frames)
    definition = indicators.loc[indicator]
    source_id = definition["numerator_id"] or indicator
    rows = observations[observations["indicator_id"] == source_id].merge(areas, on="area_code")
    municipal = rows[rows["area_type"] == "gemeente"]
    region = municipal.groupby("period", as_index=False)["value"].sum()
    if definition["numerator_id"]:
        rows = rows.assign(value=rows["value"] / rows["population_2020"] * float(definition["scale"]))
    if page == "pages/trend_lines.py":
        baseline = rows[rows["period"].str.startswith("2020-02")].groupby("area_code")["value"].mean()
        rows.assign(index=rows["value"] / rows["area_code"].map(baseline) * 100).sort_values(["area_code", "period"])
        region.sort_values("period")
    else:
        latest = rows.sort_values("period").groupby("area_code").tail(1)
        latest.assign(per_10k=latest["value"] / latest["population_2020"] * 10_000).sort_values("value").rank()


def time_pandas(data_dir: Path, page: str, repeat: int) -> list[float]:
    """Script-equivalent times (ms) of the plain-pandas page over the same indicator changes."""
    samples = []
    for _ in range(repeat):
        for indicator in INDICATORS:
            start = time.perf_counter()
            pandas_page(data_dir, page, indicator)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> int:
    """Build both warehouses, time every page at both scales, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--municipalities", type=int, default=355)
    parser.add_argument("--pages", nargs="*", default=list(CYCLES), help="page files to time (default: all)")
    args = parser.parse_args()
    results: dict[tuple[str, str], dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        national_dir = scaled_data.make_data_dir(Path(scratch) / "national", args.municipalities)
        scales = {"10 gemeenten": ROOT / "data", f"{args.municipalities} gemeenten": national_dir}
        for scale, data_dir in scales.items():
            target = Path(scratch) / scale.replace(" ", "_") / "warehouse.duckdb"
            start = time.perf_counter()
            warehouse.build(data_dir, target)
            build_ms = (time.perf_counter() - start) * 1000
            os.environ["RATC_DATA_DIR"], os.environ["RATC_WAREHOUSE"] = str(data_dir), str(target)
            rows = len(pd.read_csv(data_dir / lineage.read_ledger(data_dir)[0].file_path, usecols=["value"]))
            print(f"{scale}: {rows:,} source rows, warehouse build {build_ms:,.0f} ms", file=sys.stderr)
            for page in args.pages:
                app_times = time_page(page, args.repeat)
                pandas_times = time_pandas(data_dir, page, args.repeat)
                results[(page, scale)] = {
                    "median": statistics.median(app_times), "p90": percentile(app_times, 0.9),
                    "pandas": statistics.median(pandas_times), "build": build_ms,
                }  # fmt: skip
    small, large = list(dict.fromkeys(scale for _, scale in results))
    print(f"{'page':<22}{'scale':<16}{'median ms':>10}{'p90 ms':>9}{'pandas ms':>11}{'÷ pandas':>10}{'÷ 10':>7}")
    for (page, scale), row in results.items():
        versus_small = row["median"] / results[(page, small)]["median"]
        print(f"{page:<22}{scale:<16}{row['median']:>10.1f}{row['p90']:>9.1f}{row['pandas']:>11.1f}"
              f"{row['median'] / row['pandas']:>9.2f}x{versus_small:>6.2f}x")  # fmt: skip
    print(f"\nWarehouse build: {results[(page, small)]['build']:,.0f} ms ({small}), "
          f"{results[(page, large)]['build']:,.0f} ms ({large}).")  # fmt: skip
    print("Median/p90: AppTest script time of one widget change with warm caches (includes ~5-10 ms of AppTest")
    print("harness). 'pandas': a plain implementation reading the CSVs and computing the page data per rerun.")
    print(
        f"'÷ 10': the median at this scale divided by the median with the ten municipalities of {metadata.REGION_CODE}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
