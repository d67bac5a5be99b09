"""Dutch number and date formats: 1.234,5 and mrt 2020."""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ratc.core.periods import MONTHS_NL, MONTHS_NL_FULL

try:
    LOCAL_TIME = zoneinfo.ZoneInfo("Europe/Amsterdam")
except zoneinfo.ZoneInfoNotFoundError:  # pragma: no cover - a system without time zone data shows UTC
    LOCAL_TIME = dt.UTC


def number(value: float | None, decimals: int = 0, trim: bool = False) -> str:
    """A number with a dot for thousands and a comma for decimals; '–' when missing.

    With `trim`, decimals that are zero are left out: 4,5 and 100 rather than 4,50 and 100,00.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
        text = "0" if text == "-0" else text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def signed_percent(fraction: float | None, decimals: int = 0) -> str:
    """A relative change as a signed Dutch percentage, rounded half away from zero: 0.234 -> '+23%', -0.025 -> '-3%'."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return "–"
    rounded = half_away(fraction * 100, decimals)
    sign = "+" if rounded > 0 else ("-" if rounded < 0 else "±")
    return f"{sign}{number(abs(rounded), decimals)}%"


def half_away(value: float, decimals: int = 0) -> float:
    """`value` rounded half away from zero, as a reader rounds: 2.5 -> 3, -2.5 -> -3 (Python's round gives 2)."""
    # read to nine decimals first: 0.145 * 100 is 14.499999999999998 in binary floating point, and means 14.5
    exact = Decimal(f"{value:.9f}")
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def relative_change(value: float | None, reference: float | None) -> float | None:
    """(value − reference) ÷ reference, or None when the reference is missing or zero."""
    if value is None or reference is None or _isnan(value) or _isnan(reference) or reference == 0:
        return None
    return (value - reference) / reference


def date_short(day: dt.date) -> str:
    """'15 mrt 2020'."""
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def date_long(day: dt.date) -> str:
    """'15 maart 2020'."""
    return f"{day.day} {MONTHS_NL_FULL[day.month - 1]} {day.year}"


def moment(value: dt.datetime | None) -> str:
    """A stored time in Dutch local time: '15 mrt 2020 14:05'."""
    if value is None or pd.isna(value):
        return "–"
    local = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(LOCAL_TIME)
    return f"{date_short(local.date())} {local:%H:%M}"


def byte_size(size: int) -> str:
    """A file size as Dutch readers know it: '512 bytes', '12 kB', '5,0 MB' (units of 1.000)."""
    if size < 1000:
        return f"{number(size)} bytes"
    if size < 1_000_000:
        return f"{number(size / 1000)} kB"
    return f"{number(size / 1_000_000, 1)} MB"


def _isnan(value: float) -> bool:
    """True for a float NaN (pandas' missing value)."""
    return isinstance(value, float) and math.isnan(value)


WORDS = ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf")


def count_word(count: int) -> str:
    """A count as Dutch writes it in a sentence: words up to twelve ('tien'), digits above ('355')."""
    return WORDS[count] if 0 <= count < len(WORDS) else number(count)


def listing(names: Sequence[str], limit: int = 10) -> str:
    """Names as a Dutch list: 'Dordrecht, Gorinchem en Sliedrecht'; past `limit` names '… en 12 andere'."""
    names = list(names)
    if len(names) > limit:
        return ", ".join(names[: limit - 1]) + f" en {number(len(names) - limit + 1)} andere"
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]
