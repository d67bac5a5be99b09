"""Periods of the monitor: keys like 2020-W14, 2020-04, 2020-Q2 and 2020, their dates and Dutch labels."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

FREQUENCIES = ("week", "maand", "kwartaal", "jaar")
MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTHS_NL_FULL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

_PATTERNS = {
    "week": re.compile(r"^(\d{4})-W(\d{2})$"),
    "maand": re.compile(r"^(\d{4})-(\d{2})$"),
    "kwartaal": re.compile(r"^(\d{4})-Q([1-4])$"),
    "jaar": re.compile(r"^(\d{4})()$"),
}


class PeriodError(ValueError):
    """A period key that cannot be read, or does not fit the frequency."""


@dataclass(frozen=True)
class Period:
    """One period of a given frequency, with its first and last day."""

    key: str
    frequency: str
    year: int
    number: int
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """Short Dutch label: 'week 14 2020', 'apr 2020', 'K2 2020'."""
        if self.frequency == "week":
            return f"week {self.number} {self.year}"
        if self.frequency == "maand":
            return f"{MONTHS_NL[self.number - 1]} {self.year}"
        if self.frequency == "jaar":
            return str(self.year)
        return f"K{self.number} {self.year}"

    @property
    def long_label(self) -> str:
        """Dutch label for running text: 'week 14 van 2020', 'april 2020', 'het 2e kwartaal van 2020'."""
        if self.frequency == "week":
            return f"week {self.number} van {self.year}"
        if self.frequency == "maand":
            return f"{MONTHS_NL_FULL[self.number - 1]} {self.year}"
        if self.frequency == "jaar":
            return str(self.year)
        return f"het {self.number}e kwartaal van {self.year}"


def make_period(frequency: str, year: int, number: int) -> Period:
    """The period of this frequency with this year and number (ISO week, month, quarter; 1 for a year)."""
    if frequency == "week":
        try:
            start = dt.date.fromisocalendar(year, number, 1)
        except ValueError as exc:
            raise PeriodError(f"{year} heeft geen week {number}") from exc
        return Period(f"{year}-W{number:02d}", frequency, year, number, start, start + dt.timedelta(days=6))
    if frequency == "maand":
        if not 1 <= number <= 12:
            raise PeriodError(f"maand {number} bestaat niet")
        start = dt.date(year, number, 1)
        return Period(f"{year}-{number:02d}", frequency, year, number, start, _month_end(year, number))
    if frequency == "kwartaal":
        if not 1 <= number <= 4:
            raise PeriodError(f"kwartaal {number} bestaat niet")
        start = dt.date(year, 3 * number - 2, 1)
        return Period(f"{year}-Q{number}", frequency, year, number, start, _month_end(year, 3 * number))
    if frequency == "jaar":
        return Period(str(year), frequency, year, 1, dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise PeriodError(f"onbekende frequentie {frequency!r}")


def parse_period(key: str, frequency: str) -> Period:
    """Read a canonical period key of the given frequency."""
    match = _PATTERNS.get(frequency, re.compile("$^")).match(str(key).strip())
    if not match:
        raise PeriodError(f"periode {key!r} past niet bij frequentie {frequency}")
    return make_period(frequency, int(match.group(1)), int(match.group(2) or 1))


def period_containing(day: dt.date, frequency: str) -> Period:
    """The period of this frequency that contains the given day."""
    if frequency == "week":
        year, week, _ = day.isocalendar()
        return make_period("week", year, week)
    if frequency == "maand":
        return make_period("maand", day.year, day.month)
    if frequency == "jaar":
        return make_period("jaar", day.year, 1)
    return make_period("kwartaal", day.year, (day.month - 1) // 3 + 1)


def period_range(first: Period, last: Period) -> list[Period]:
    """All periods from first to last inclusive, of first's frequency."""
    periods, current = [], first
    while current.start <= last.start:
        periods.append(current)
        current = period_containing(current.end + dt.timedelta(days=1), first.frequency)
    return periods


def month_label(month_key: str) -> str:
    """Dutch label of a month key: '2020-04' -> 'apr 2020'."""
    return parse_period(month_key, "maand").label


def _month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
