"""The browser benchmark: what users feel, in Debian's Chromium — page load and widget change, beside a floor and a
peer. One command, one run (not part of the test suite):

    python bench/bench_browser.py [--repeat 5] [--municipalities 355] [--indicators 100]

Per page at two scales (the shipped region, and 355 municipalities × 100 indicators generated as bench/run.py does):
**page load**, from navigation until the script is done, nothing is stale and every chart and map is drawn; and
**widget change**, from the click until the page is updated and drawn again. Beside them, in the same run and the
same browser: the **floor** (bench/browser_apps/floor.py: one widget, one Altair chart) and the **peer**
(bench/browser_apps/peer.py: Trends and Mijn gemeente written plainly with pandas on the same CSVs). Median and p90
in ms of `--repeat` runs after one warm-up, and the ratios to the floor and to the peer.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import common
import scaled_data

from ratc.warehouse import builder as warehouse

CHROMIUM = "/usr/bin/chromium"
APPS = common.ROOT / "bench" / "browser_apps"
# Done: the script has finished, nothing is stale, every chart has drawn its marks and every map its canvas.
DONE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const busy = '[data-stale="true"], [data-testid="stSpinner"], [data-testid="stSkeleton"]';
    if (document.querySelector(busy)) return false;
    for (const chart of document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
        if (!chart.querySelector('svg.marks, canvas')) return false;
    for (const map of document.querySelectorAll('[data-testid="stDeckGlJsonChart"]'))
        if (!map.querySelector('canvas')) return false;
    return document.querySelectorAll('[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"], '
                                     + '[data-testid="stMetric"]').length > 0;
}"""
# What the reader sees of the page's figures: changes when a widget change has been drawn.
SIGNATURE = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    let text = main ? main.innerText : '';
    const drawn = document.querySelectorAll('[data-testid="stMain"] .vega-embed svg.marks');
    for (const svg of drawn) text += svg.innerHTML.length;
    return text;
}"""


@dataclass(frozen=True)
class Case:
    """One page to time: the app it is in, its path, and two widget changes that undo each other."""

    name: str
    app: str  # "ratc", "floor" or "peer"
    path: str
    change: tuple[Callable, Callable] | None


def click(label: str) -> Callable:
    """Click an option of a segmented control (a button group) by its label."""
    return lambda page: page.get_by_test_id("stButtonGroup").get_by_text(label, exact=True).first.click()


def select(label: str, option: str) -> Callable:
    """Choose an option of a selectbox by its label."""

    def choose(page) -> None:
        for attempt in range(3):  # a click just after drawing may land before the box listens
            page.get_by_label(label, exact=True).first.click()
            page.keyboard.type(option)  # a long list (355 municipalities) shows only the options that match
            try:
                page.get_by_role("option", name=option, exact=True).first.click(timeout=5_000)
                return
            except Exception:  # noqa: BLE001 - a Playwright timeout: close the list and try again
                page.keyboard.press("Escape")
                if attempt == 2:
                    raise

    return choose


CASES = [
    Case("Regio-overzicht", "ratc", "", (click("Werk & economie"), click("Gezondheid"))),  # national opens on one
    Case("Mijn gemeente", "ratc", "mijn-gemeente?gemeente=GM0505",
         (select("Gemeente", "Sliedrecht"), select("Gemeente", "Dordrecht"))),
    Case("Kaart", "ratc", "kaart", (click("Verandering"), click("Per 10.000 inwoners"))),
    Case("Trends", "ratc", "trends", (click("Index (basis = 100)"), click("Per 10.000 inwoners"))),
    Case("Samenhang", "ratc", "samenhang", (click("Niveau"), click("Verandering t.o.v. vóór de crisis"))),
    Case("Scenario's", "ratc", "scenarios", (select("Toon", "Bijstandsuitkeringen"), select("Toon", "WW-uitkeringen"))),
    Case("vloer", "floor", "", (select("Reeks", "B"), select("Reeks", "A"))),
    Case("peer: Trends", "peer", "?pagina=trends", (click("Per 10.000 inwoners"), click("Absoluut"))),
    Case("peer: Mijn gemeente", "peer", "?pagina=gemeente",
         (select("Gemeente", "Sliedrecht"), select("Gemeente", "Dordrecht"))),
]  # fmt: skip


def free_port() -> int:
    """A free TCP port on localhost."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(app: str, data_dir: Path, target: Path, state: Path) -> tuple[subprocess.Popen, str]:
    """Start one app (the monitor in trial mode, the floor or the peer) and wait for its health check."""
    port = free_port()
    options = ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
               "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]  # fmt: skip
    if app == "ratc":
        command = [sys.executable, "-m", "ratc", "serve", "--local", *options]
    else:
        command = [sys.executable, "-m", "streamlit", "run", str(APPS / f"{app}.py"), *options]
    environment = {**os.environ, "RATC_DATA_DIR": str(data_dir), "RATC_WAREHOUSE": str(target),
                   "RATC_STATE_DIR": str(state)}  # fmt: skip
    server = subprocess.Popen(command, cwd=common.ROOT, env=environment, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(1200):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read()
            return server, url
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"{app} stopped before it answered") from None
            time.sleep(0.1)
    raise RuntimeError(f"{app} did not start")


def measure(browser, url: str, case: Case, repeat: int) -> tuple[list[float], list[float]]:
    """Page loads and widget changes of one page, in ms, after one warm-up of each."""
    loads, changes = [], []
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="nl-NL")
    page = context.new_page()
    for run in range(repeat + 1):
        started = time.perf_counter()
        page.goto(f"{url}/{case.path}")
        page.wait_for_function(DONE, timeout=300_000, polling=20)
        if run:
            loads.append((time.perf_counter() - started) * 1000)
    for run in range(2 * repeat + 2):
        page.wait_for_timeout(300)  # settle before the next change (not timed)
        before = page.evaluate(SIGNATURE)
        started = time.perf_counter()
        case.change[run % 2](page)
        page.wait_for_function(f"() => ({SIGNATURE})() !== {before!r} && ({DONE})()", timeout=300_000, polling=20)
        if run >= 2:
            changes.append((time.perf_counter() - started) * 1000)
    context.close()
    return loads, changes


def main() -> int:
    """Build both scales, time every case at both in one Chromium, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--municipalities", type=int, default=355)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--cases", nargs="*", help="names of the pages to time (default: all; the floor always)")
    args = parser.parse_args()
    cases = [case for case in CASES if not args.cases or case.name in args.cases or case.app == "floor"]
    from playwright.sync_api import sync_playwright

    scratch = Path(tempfile.mkdtemp(prefix="ratc-bench-browser-"))
    results: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    failed: list[str] = []
    started_at = time.perf_counter()
    try:
        print("Generating and building both scales …", file=sys.stderr)
        scales = {
            "regionaal": scaled_data.regional_data_dir(scratch / "regional"),
            "landelijk": scaled_data.make_data_dir(scratch / "national", args.municipalities, args.indicators),
        }
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for scale, data_dir in scales.items():
                target = scratch / scale / "warehouse.duckdb"
                warehouse.build(data_dir, target)
                for app in ("ratc", "floor", "peer"):
                    server, url = start(app, data_dir, target, scratch / scale / "state")
                    try:
                        for case in (case for case in cases if case.app == app):
                            print(f"{scale}: {case.name} …", file=sys.stderr)
                            try:
                                results[(case.name, scale)] = measure(browser, url, case, args.repeat)
                            except Exception as error:  # noqa: BLE001 - one page that fails is reported, not fatal
                                print(f"{scale}: {case.name} failed: {error}", file=sys.stderr)
                                failed.append(f"{case.name} ({scale})")
                    finally:
                        server.terminate()
                        server.wait(timeout=30)
            browser.close()
        print(table(results, args, time.perf_counter() - started_at))
        if failed:
            print(f"\nNot measured (the page did not finish or the change did not show): {', '.join(failed)}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def table(results: dict, args: argparse.Namespace, total_s: float) -> str:
    """The Markdown table: per page and scale, load and change (median, p90) and their ratios."""

    def stats(values: list[float]) -> str:
        return f"{common.median(values):,.0f} / {common.percentile(values, 0.9):,.0f}"

    lines = [f"Browser benchmark: {args.repeat} runs per measure after a warm-up, 1280×720, Chromium; "
             f"total {total_s / 60:.1f} min.", "",
             "| page | scale | load ms (median / p90) | change ms (median / p90) | load ÷ floor | change ÷ floor "
             "| load ÷ peer | change ÷ peer |", "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    peers = {"Trends": "peer: Trends", "Mijn gemeente": "peer: Mijn gemeente"}
    for (name, scale), (loads, changes) in results.items():
        if ("vloer", scale) not in results:
            continue
        floor_load, floor_change = (common.median(values) for values in results[("vloer", scale)])
        row = [name, scale, stats(loads), stats(changes), f"{common.median(loads) / floor_load:.1f}×",
               f"{common.median(changes) / floor_change:.1f}×"]  # fmt: skip
        peer = results.get((peers.get(name, ""), scale))
        if peer:
            row += [f"{common.median(loads) / common.median(peer[0]):.1f}×",
                    f"{common.median(changes) / common.median(peer[1]):.1f}×"]  # fmt: skip
        else:
            row += ["", ""]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
