"""Papers: a factsheet, the scenario paper and all factsheets, against exporting the same charts one by one.

Run from the repo root:  python bench/bench_papers.py [--repeat N]

Works on a warehouse built from `data/` in a temporary folder. Measured in one process, in one run:

- **one factsheet** (Word and PDF) of a municipality: the first in the process (vl-convert's one-off warm-up
  included, as after a server start) and then the median and slowest of `--repeat` more, each of another
  municipality so no chart is drawn from a cache;
- **the scenario paper** (Word and PDF) for four scenarios for the region: median and slowest of `--repeat`;
- **all factsheets as one zip** (the ten municipalities and the region, Word and PDF), once;
- **the baseline, the same charts one by one through the existing export path**: for each chart of the paper,
  what a strategist does today on the Trends and Scenario's pages: the page's figure (`trends.trend_figure`,
  `scenario.chart.compare_figure`) exported as PNG at the download's print scale (`ratc.core.export.png`). It
  leaves out the tables, sentences and sources the paper writes and the strategist copies by hand.

Per row: the median and slowest wall-clock time, and the median CPU time of the process (vl-convert draws in threads
of this process, so they count): on the shared 2-core machine the wall-clock time follows the other work running,
the CPU time is what the work itself costs. Prints a plain-text table; never fails on a time (it only exits
non-zero when something crashes).
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ratc.core import context, export, metadata  # noqa: E402
from ratc.monitor import overview, trends  # noqa: E402
from ratc.papers import bundle, factsheet, key_figures, pdf, scenario_choices, scenario_paper, word  # noqa: E402
from ratc.scenario import chart as scenario_chart  # noqa: E402
from ratc.scenario import municipal  # noqa: E402
from ratc.scenario import parameters as scenario_data  # noqa: E402
from ratc.scenario.parameters import INDICATORS  # noqa: E402
from ratc.warehouse import builder as warehouse  # noqa: E402
from ratc.warehouse import db  # noqa: E402

MONTH = "2021-12"
SCENARIOS = ("cpb1", "cpb3", "cpb4", "cpb-juni")
TARGETS = {"factsheet": 5.0, "scenario": 10.0, "all": 60.0}


def chosen(area: str | None) -> context.Context:
    """The context of a paper at the benchmark's month."""
    return context.Context(area, "ww_uitkeringen", MONTH)


def measure(label: str, calls: list, target: float | None = None) -> tuple:
    """Run each call once; the row: label, median and slowest seconds, median CPU seconds of the process (vl-convert's
    threads included: what the work costs whatever else runs on the machine) and the target."""
    wall, cpu = [], []
    for call in calls:
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    slowest = max(wall) if len(wall) > 1 else None
    return label, statistics.median(wall), slowest, statistics.median(cpu), target


def one_factsheet(query, area: str) -> tuple[bytes, bytes]:
    """A factsheet as Word and PDF."""
    paper = factsheet.factsheet(query, chosen(area), area)
    return word.to_docx(paper), pdf.to_pdf(paper)


def one_scenario_paper(query, choices) -> tuple[bytes, bytes]:
    """The scenario paper as Word and PDF."""
    paper = scenario_paper.scenario_paper(query, choices, None, MONTH)
    return word.to_docx(paper), pdf.to_pdf(paper)


def factsheet_charts_one_by_one(query, area: str) -> None:
    """The factsheet's charts as a strategist exports them today: the Trends figure of each, as PNG."""
    figures = key_figures.key_figures(query, chosen(area), area)
    found = overview.area_signals(query, chosen(area), area_code=area, limit=factsheet.SIGNALS)
    for indicator in key_figures.deviating(figures, found, factsheet.CHARTS):
        context_of = context.Context(area, indicator, MONTH)
        figure, _ = trends.trend_figure(query, context_of, (area,), "per_10k", "alles")
        export.png(figure.spec)


def scenario_charts_one_by_one(query, choices) -> None:
    """The paper's scenario charts as exported today: the comparison chart per indicator, as PNG."""
    data = scenario_data.load()
    observed = municipal.observed(query, MONTH)
    runs = [(choice.short_name, municipal.project(observed, choice.settings, data)) for choice in choices]
    for indicator in INDICATORS:
        export.png(scenario_chart.compare_figure(runs, indicator, metadata.REGION_CODE).spec)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ratc-bench-papers-") as folder:
        target = Path(folder) / "warehouse.duckdb"
        warehouse.build(target=target)
        os.environ["RATC_WAREHOUSE"] = str(target)
        connection = db.open_warehouse(target)
        query = functools.partial(db.run_query, connection)
        data = scenario_data.load()
        choices = [scenario_choices.preset(key, data) for key in SCENARIOS]
        municipalities = list(query("area_list").query("area_type == 'gemeente'")["area_code"])
        others = [municipalities[1 + number % (len(municipalities) - 1)] for number in range(args.repeat)]
        rows = [
            measure("Eén factsheet, eerste na start", [lambda: one_factsheet(query, municipalities[0])],
                    TARGETS["factsheet"]),
            measure("Eén factsheet (Word + PDF)", [functools.partial(one_factsheet, query, area) for area in others],
                    TARGETS["factsheet"]),
            measure("  dezelfde grafieken los exporteren",
                    [functools.partial(factsheet_charts_one_by_one, query, area) for area in others]),
            measure("Scenariopaper, 4 scenario's (Word + PDF)",
                    [functools.partial(one_scenario_paper, query, choices)] * args.repeat, TARGETS["scenario"]),
            measure("  dezelfde grafieken los exporteren",
                    [functools.partial(scenario_charts_one_by_one, query, choices)] * args.repeat),
            measure("Alle factsheets als zip (10 + regio, Word + PDF)",
                    [lambda: bundle.factsheets_zip(query, chosen(None))], TARGETS["all"]),
            measure("  de grafieken van de tien los exporteren",
                    [lambda: [factsheet_charts_one_by_one(query, area) for area in municipalities]]),
        ]  # fmt: skip
        connection.close()

    print(f"Papers — {platform.node()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
          f"{args.repeat} runs per row")  # fmt: skip
    print(f"{'':52} {'mediaan':>9} {'traagst':>9} {'cpu':>9} {'doel':>7}")
    for label, median_s, slowest, cpu, target in rows:
        slowest_text = f"{slowest:8.2f}s" if slowest is not None else f"{'–':>9}"
        target_text = f"< {target:.0f} s" if target else ""
        print(f"{label:52} {median_s:8.2f}s {slowest_text} {cpu:8.2f}s {target_text:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
