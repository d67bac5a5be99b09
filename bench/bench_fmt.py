"""Dutch number and date formatting: the monitor's own `ratc.core.fmt` against Babel's nl_NL, in one run.

Prints the time per call and the time to format what one rerun of the widest page formats at national scale (the
Per gemeente table: 355 municipalities × 100 indicators, a value and a change each), with the ratio between the two.
Babel is the oracle the tests hold `fmt` to (tests/test_fmt.py); this says whether it could also do the formatting.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel import Locale  # noqa: E402
from babel.dates import format_date  # noqa: E402
from babel.numbers import parse_pattern  # noqa: E402

from ratc.core import fmt  # noqa: E402

MUNICIPALITIES, INDICATORS = 355, 100
DUTCH = Locale.parse("nl_NL")
ONE_DECIMAL = parse_pattern("#,##0.0")
PERCENT = parse_pattern("+#,##0%;-#,##0%")


def per_call_us(function, repeat: int = 20000) -> float:
    """Microseconds per call, best of three rounds."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeat):
            function()
        best = min(best, (time.perf_counter() - start) / repeat * 1e6)
    return best


def table_ms(number, percent, values: list[float], changes: list[float]) -> float:
    """Milliseconds to format a national Per gemeente table: every value and every change."""
    start = time.perf_counter()
    for value, change in zip(values, changes, strict=True):
        number(value)
        percent(change)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    """Print the comparison table."""
    generator = random.Random(2020)
    cells = MUNICIPALITIES * INDICATORS
    values = [generator.uniform(0, 50000) for _ in range(cells)]
    changes = [generator.uniform(-0.5, 0.5) for _ in range(cells)]
    day = dt.date(2020, 3, 15)
    rows = [
        ("number 1.234,6", per_call_us(lambda: fmt.number(1234.567, 1)),
         per_call_us(lambda: ONE_DECIMAL.apply(1234.567, DUTCH))),
        ("date 15 mrt 2020", per_call_us(lambda: fmt.date_short(day)),
         per_call_us(lambda: format_date(day, "d MMM y", locale=DUTCH))),
    ]  # fmt: skip
    ours = table_ms(lambda value: fmt.number(value, 1), fmt.signed_percent, values, changes)
    theirs = table_ms(lambda value: ONE_DECIMAL.apply(value, DUTCH), lambda change: PERCENT.apply(change, DUTCH),
                      values, changes)  # fmt: skip
    print("| what | ratc.core.fmt | Babel nl_NL | ratio |")
    print("|---|---|---|---|")
    for name, mine, babel in rows:
        print(f"| {name}, per call | {mine:.2f} µs | {babel:.2f} µs | {babel / mine:.1f}× |")
    print(
        f"| Per gemeente table, {MUNICIPALITIES} × {INDICATORS} (value and change) | {ours:.0f} ms | {theirs:.0f} ms "
        f"| {theirs / ours:.1f}× |"
    )


if __name__ == "__main__":
    main()
