"""Benchmark of the RIVM import: `ratc.rivm.read_rivm` on the full cumulative file against plain pandas.

Run from the repo root:  python bench/bench_import.py [--repeat N]

Reads `../shared/real/covid/COVID-19_aantallen_gemeente_cumulatief_2020-09-15.csv` (3.9 MB, 68,629 rows) from
memory, so disk caching does not favour either side. **read_rivm** is the importer: layout detection, parsing,
daily differences, NL totals, complete ISO weeks, carried corrections and the delivery frame. **plain pandas**
is the baseline a simple script would be: `pd.read_csv`, a per-municipality `diff` and a weekly sum, with no
checks, no NL and no delivery shape. The two alternate run by run; the table shows median and minimum in ms.
Prints a message and exits 0 when ../shared is absent; never fails on a time.
"""

from __future__ import annotations

import argparse
import io
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from ratc.ingest import rivm  # noqa: E402

FULL = ROOT.parent / "shared" / "real" / "covid" / "COVID-19_aantallen_gemeente_cumulatief_2020-09-15.csv"


def plain_pandas(content: bytes) -> pd.DataFrame:
    """Weekly new counts per municipality code the simplest way: read, diff per municipality, sum per ISO week."""
    frame = pd.read_csv(io.BytesIO(content), sep=";")
    frame["day"] = pd.to_datetime(frame["Date_of_report"].str[:10])
    frame = frame.dropna(subset=["Municipality_code"]).sort_values(["Municipality_code", "day"])
    counts = list(rivm.COUNTS)
    frame[counts] = frame.groupby("Municipality_code")[counts].diff().fillna(frame[counts])
    iso = frame["day"].dt.isocalendar()
    frame["week"] = iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
    return frame.groupby(["Municipality_code", "week"])[counts].sum()


def main(argv: list[str] | None = None) -> int:
    """Time both readers and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per reader (default 7)")
    args = parser.parse_args(argv)
    if not FULL.exists():
        print(f"skipped: {FULL} is not available (the benchmark needs ../shared/real)")
        return 0
    content = FULL.read_bytes()
    readers = {"read_rivm (delivery, 10 + NL)": rivm.read_rivm, "plain pandas (no checks)": plain_pandas}
    times: dict[str, list[float]] = {name: [] for name in readers}
    rows: dict[str, int] = {}
    for name, reader in readers.items():  # warm-up: imports and first-call costs
        rows[name] = len(reader(content))
    for _ in range(args.repeat):
        for name, reader in readers.items():
            started = time.perf_counter()
            reader(content)
            times[name].append((time.perf_counter() - started) * 1000)
    baseline = statistics.median(times["plain pandas (no checks)"])
    data_rows = content.count(b"\n") - 1
    print(f"RIVM import of {FULL.name}: {len(content):,} bytes, {data_rows:,} data rows")
    print(f"python {platform.python_version()}, pandas {pd.__version__}, {args.repeat} runs each, interleaved")
    print(f"{'reader':<32} {'median ms':>10} {'min ms':>8} {'÷ pandas':>9} {'rows out':>9}")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:<32} {median:>10.1f} {min(samples):>8.1f} {median / baseline:>9.2f} {rows[name]:>9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
