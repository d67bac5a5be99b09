"""The benchmark: every page's widget-change time at regional and national scale, build time and peak memory.

Run from the repo root:  python bench/run.py [--repeat N] [--pages pages/map.py ...] [--no-memory]

In one run it builds two warehouses into a temporary folder — the shipped data (10 municipalities, 28
indicators) and a generated national one (bench/scaled_data.py: 355 municipalities × 100 indicators, weekly
2019–2021) — and, per scale, replays each page's cycle of widget changes under AppTest with warm caches,
interleaved step by step with the plain-pandas baseline computing the same page data (bench/plain_pandas.py).
The two scales and the baseline take turns change by change (which scale goes first alternates), so that
machine load hits them alike.
Then it starts the app (`python -m ratc serve`) on each scale, opens every page once in headless Chromium and
reads the server's peak resident memory (VmHWM in /proc/<pid>/status). Prints one table; never fails on a time.

To benchmark a new page, add one entry to PAGES: its file, the widget changes to replay (widget key, new value;
a list sets a multiselect), optionally URL parameters to open it with, and a plain-pandas function in
plain_pandas.PAGE_DATA for its ratio. A page registered in app.py without an entry is timed on the sidebar's
"Stand per" changes and marked as such.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import plain_pandas
import scaled_data
import streamlit
from common import ROOT, AppPage, PageCycle, app_pages, median, open_page, percentile, timed_change

from ratc.warehouse import builder as warehouse
from ratc.warehouse import lineage

MONTHS = [("ctx_periode", month) for month in ("2020-04", "2020-10", "2021-06", "2021-12")]
INDICATORS = [("ctx_indicator", indicator) for indicator in ("bijstand_uitkeringen", "faillissementen")]
BACK = [("ctx_indicator", "ww_uitkeringen")]  # every cycle ends where it started, so it can repeat

# page file -> the widget changes replayed on it (each value valid in the state the previous changes leave)
PAGES: dict[str, PageCycle] = {
    "pages/overview.py": PageCycle(INDICATORS + MONTHS[:2] + BACK + MONTHS[3:]),
    "pages/municipality.py": PageCycle(MONTHS, params={"gemeente": "GM0505"}),  # Dordrecht: at both scales
    "pages/map.py": PageCycle(
        INDICATORS[:1] + [("kaart_maat", "verandering"), ("kaart_maat", "waarde")] + BACK + MONTHS[1:2] + MONTHS[3:]
    ),
    "pages/trend_lines.py": PageCycle(
        INDICATORS[:1]
        + [
            ("trends_maat", "index"),
            ("trends_gemeenten_regio", ["GM0505", "GM0482"]),
            ("trends_periode", "2020"),
            ("trends_gemeenten_regio", []),
            ("trends_periode", "alles"),
        ]
        + BACK  # fmt: skip
    ),
    "pages/coherence.py": PageCycle(
        [
            ("samenhang_maat", "niveau"),
            ("samenhang_y", "faillissementen"),
            ("samenhang_maat", "verandering"),
            ("samenhang_y", "bijstand_uitkeringen"),
        ]
        + MONTHS[1:2]
        + MONTHS[3:]  # fmt: skip
    ),
    "pages/scenario_explorer.py": PageCycle(
        [
            ("sc_preset", "cpb3"),
            ("sc_toon", "bijstand_uitkeringen"),
            ("sc_bbp2020", -9.0),
            ("sc_preset", "cpb-juni"),
            ("sc_toon", "ww_uitkeringen"),
        ]
    ),  # a full rerun per change here; in the browser a slider reruns only its fragment (bench_scenario.py)
    "pages/sources.py": PageCycle(MONTHS),
    "pages/delivery.py": PageCycle(
        [("aanlevering_soort", "rivm"), ("aanlevering_soort", "cbs"), ("aanlevering_soort", "aanlevering")]
    ),  # fmt: skip
}
DEFAULT_CYCLE = PageCycle(MONTHS)
SERVER_PORT = 8608


@dataclass
class PageResult:
    """One page at one scale: AppTest script times and the plain-pandas times of the same states (ms)."""

    app: list[float] = field(default_factory=list)
    pandas: list[float] = field(default_factory=list)
    error: str | None = None  # the page raised: it is reported, and the other pages are still timed


@dataclass(frozen=True)
class Scale:
    """One of the two data sets: its data dir, its warehouse and the plain-pandas frames derived from it."""

    name: str
    data_dir: Path
    target: Path
    derived: dict

    def use(self) -> None:
        """Point the app at this scale; it reads both variables on every rerun, and caches per warehouse file."""
        os.environ["RATC_DATA_DIR"], os.environ["RATC_WAREHOUSE"] = str(self.data_dir), str(self.target)


@dataclass(frozen=True)
class WidgetValues:
    """A widget's value by key from an AppTest's session state (None when the page has no such widget)."""

    state: object

    def __call__(self, key: str) -> object:
        return self.state[key] if key in self.state else None  # noqa: SIM401 (AppTest's state has no get)


def time_page(page: str, cycle: PageCycle, scales: list[Scale], repeat: int) -> dict[str, PageResult]:
    """Replay the cycle `repeat` times after a warm-up round, at every scale in turn, change by change.

    After each change the plain-pandas baseline computes the same state's data. Interleaving the scales and the
    baseline step by step lets the load of other processes on the machine hit them alike.
    """
    apps, results = {}, {scale.name: PageResult() for scale in scales}
    for scale in scales:
        scale.use()
        try:
            apps[scale.name] = open_page(page, cycle.params)
        except RuntimeError as exc:
            results[scale.name].error = str(exc)
    baseline = plain_pandas.PAGE_DATA.get(page)
    for round_number in range(repeat + 1):
        for step, (key, value) in enumerate(cycle.changes):
            # the scales take turns going first, so that neither always follows the other's rerun
            for scale in scales if (round_number + step) % 2 == 0 else scales[::-1]:
                app, result = apps.get(scale.name), results[scale.name]
                if result.error:
                    continue
                scale.use()
                try:
                    elapsed = timed_change(app, page, key, value)
                except RuntimeError as exc:
                    result.error = str(exc)
                    continue
                if round_number == 0:
                    continue  # the warm-up round fills Streamlit's caches
                result.app.append(elapsed)
                if baseline is not None:
                    widgets = WidgetValues(app.session_state)
                    started = time.perf_counter()
                    baseline(scale.derived, widgets("_context"), widgets)
                    result.pandas.append((time.perf_counter() - started) * 1000)
    return results


def peak_memory(data_dir: Path, target: Path, pages: list[AppPage], port: int) -> tuple[float, float] | str:
    """RSS in MB of `python -m ratc serve` after start and its peak after opening every page once in Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "not measured: playwright is not installed"
    if not Path("/usr/bin/chromium").exists():
        return "not measured: no /usr/bin/chromium"
    environment = {**os.environ, "RATC_DATA_DIR": str(data_dir), "RATC_WAREHOUSE": str(target)}
    command = [sys.executable, "-m", "ratc", "serve", "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.headless", "true"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read()
                break
            except OSError:
                if server.poll() is not None:
                    return f"not measured: the server stopped: {server.stderr.read().decode()[-300:]}"
                time.sleep(0.1)
        started = rss_mb(server.pid)["VmRSS"]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])  # fmt: skip
            browser_page = browser.new_page(viewport={"width": 1280, "height": 720})
            for page in pages:
                browser_page.goto(f"{base}/{page.url_path}")
                browser_page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                                               timeout=300_000)  # fmt: skip
            browser.close()
        return started, rss_mb(server.pid)["VmHWM"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def rss_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) / 1024
    return values


def describe(data_dir: Path) -> str:
    """'355 gemeenten × 100 indicatoren, 4,431,236 observation rows' for a data dir."""
    areas = pd.read_csv(data_dir / "areas.csv")
    indicators = pd.read_csv(data_dir / "indicators.csv")
    rows = sum(record.rows_accepted for record in lineage.read_ledger(data_dir))
    return f"{(areas['area_type'] == 'gemeente').sum()} gemeenten × {len(indicators)} indicatoren, {rows:,} rows"


def main() -> int:
    """Build both scales, time every page at both, measure memory, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed cycles per page after one warm-up (default 3)")
    parser.add_argument("--pages", nargs="*", help="page files to time (default: every page app.py registers)")
    parser.add_argument("--municipalities", type=int, default=355)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory measurement in Chromium")
    args = parser.parse_args()
    registered = app_pages()
    pages = [page for page in registered if not args.pages or page.file in args.pages]
    started_at = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="ratc-bench-"))
    os.environ["RATC_STATE_DIR"] = str(scratch / "state")  # pages with a collaborative store write here
    os.environ.pop("RATC_STEWARD_KEY", None)  # the delivery page's form shows without a key, in the trial mode
    os.environ["RATC_LOCAL_TRIAL"] = "1"
    try:
        print(f"Generating the national data ({args.municipalities} × {args.indicators}) …", file=sys.stderr)
        national = scaled_data.make_data_dir(scratch / "national", args.municipalities, args.indicators)
        regional = scaled_data.regional_data_dir(scratch / "regional")
        scales, builds, loads, sizes = [], {}, {}, {}
        for name, data_dir in {"regionaal": regional, "landelijk": national}.items():
            target = scratch / name / "warehouse.duckdb"
            started = time.perf_counter()
            warehouse.build(data_dir, target)
            builds[name] = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            derived = plain_pandas.load(data_dir)
            loads[name] = (time.perf_counter() - started) * 1000
            sizes[name] = describe(data_dir)
            scales.append(Scale(name, data_dir, target, derived))
        times: dict[tuple[str, str], PageResult] = {}
        for page in pages:
            print(f"{page.file} …", file=sys.stderr)
            cycle = PAGES.get(page.file, DEFAULT_CYCLE)
            for name, result in time_page(page.file, cycle, scales, args.repeat).items():
                times[(page.file, name)] = result
        memory = {}
        for scale in [] if args.no_memory else scales:
            print(f"{scale.name}: peak memory of the app in Chromium …", file=sys.stderr)
            memory[scale.name] = peak_memory(scale.data_dir, scale.target, pages, SERVER_PORT)
        print(table(pages, times, builds, loads, memory, sizes, args, time.perf_counter() - started_at))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def table(pages, times, builds, loads, memory, sizes, args, total_s: float) -> str:
    """The printed report."""
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    lines = [
        f"RAT-C monitor benchmark — {os.cpu_count()} CPUs{load}; Python {platform.python_version()}, streamlit "
        f"{streamlit.__version__}, duckdb {duckdb.__version__}, pandas {pd.__version__}",
        f"regionaal: {sizes['regionaal']} (data/); landelijk: {sizes['landelijk']} (generated, weekly 2019–2021);",
        "both with CBS/PDOK municipality boundaries when ../shared/real/geo/ has them, else the tile map",
        f"Per page: script time of one widget change under AppTest, caches warm; {args.repeat} cycles after a "
        "warm-up cycle.",
        "",
        f"{'':<24}{'---------- regionaal ----------':>34}  {'----------- landelijk -----------':>36}",
        f"{'page':<24}{'median':>8}{'p90':>8}{'pandas':>9}{'÷ pandas':>9}  {'median':>8}{'p90':>8}{'pandas':>9}"
        f"{'÷ pandas':>9}{'÷ regio':>9}",
    ]
    errors = []
    for page in pages:
        cells = []
        for scale in ("regionaal", "landelijk"):
            result = times[(page.file, scale)]
            if result.error:
                errors.append(f"{page.title} ({scale}): {result.error.splitlines()[0][:160]}")
                cells.append(f"{'fout':>8}{'':>8}{'':>9}{'':>9}")
                continue
            middle = median(result.app)
            base = median(result.pandas) if result.pandas else None
            cells.append(f"{middle:8.0f}{percentile(result.app, 0.9):8.0f}"
                         + (f"{base:9.0f}{middle / base:8.2f}x" if base else f"{'–':>9}{'–':>9}"))  # fmt: skip
        small, large = times[(page.file, "regionaal")], times[(page.file, "landelijk")]
        ratio = f"{median(large.app) / median(small.app):8.2f}x" if not (small.error or large.error) else f"{'–':>9}"
        name = page.title + ("" if page.file in PAGES else " *")
        lines.append(f"{name:<24}{cells[0]}  {cells[1]}{ratio}")
    lines += [f"fout: {error}" for error in errors]
    lines += [
        "",
        f"{'Warehouse build':<24}{builds['regionaal']:8.0f} ms{'':<23}{builds['landelijk']:8.0f} ms",
        f"{'Plain pandas: read+derive':<24}{loads['regionaal']:8.0f} ms{'':<23}{loads['landelijk']:8.0f} ms",
    ]
    for scale, measured in memory.items():
        if isinstance(measured, str):
            lines.append(f"Peak memory ({scale}): {measured}")
        else:
            start_mb, peak_mb = measured
            lines.append(f"Peak memory ({scale}): `python -m ratc serve` {start_mb:.0f} MB after start, peak (VmHWM) "
                         f"{peak_mb:.0f} MB after opening every page once in headless Chromium")  # fmt: skip
    lines += [
        "",
        "median/p90 in ms; AppTest includes its own harness (~10 ms per rerun), a browser pays websocket and drawing.",
        "pandas: the plain-pandas baseline computing the same page data on frames read once (bench/plain_pandas.py),",
        "measured after each change on the same state; '÷ pandas' = median ÷ its median; '÷ regio' = landelijk ÷",
        "regionaal median (target: within 2x). * = no entry in bench/run.py PAGES: timed on 'Stand per' changes.",
        f"Total benchmark time: {total_s:.0f} s",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
