import datetime as dt

import pytest

from ratc.core.periods import PeriodError, make_period, parse_period, period_containing, period_range


@pytest.mark.parametrize(
    ("key", "frequency", "start", "end", "label"),
    [
        ("2020-W14", "week", dt.date(2020, 3, 30), dt.date(2020, 4, 5), "week 14 2020"),
        ("2020-W53", "week", dt.date(2020, 12, 28), dt.date(2021, 1, 3), "week 53 2020"),
        ("2020-03", "maand", dt.date(2020, 3, 1), dt.date(2020, 3, 31), "mrt 2020"),
        ("2020-02", "maand", dt.date(2020, 2, 1), dt.date(2020, 2, 29), "feb 2020"),
        ("2020-12", "maand", dt.date(2020, 12, 1), dt.date(2020, 12, 31), "dec 2020"),
        ("2019-Q4", "kwartaal", dt.date(2019, 10, 1), dt.date(2019, 12, 31), "K4 2019"),
        ("2020", "jaar", dt.date(2020, 1, 1), dt.date(2020, 12, 31), "2020"),
    ],
)
def test_parse_period_gives_dates_and_dutch_label(key, frequency, start, end, label):
    period = parse_period(key, frequency)
    assert (period.start, period.end, period.label, period.key) == (start, end, label, key)


@pytest.mark.parametrize(
    ("key", "frequency"),
    [
        ("2020-13", "maand"),
        ("2020-Q5", "kwartaal"),
        ("2019-W53", "week"),
        ("2020-04", "week"),
        ("april", "maand"),
        ("2020-04", "jaar"),
        ("2020", "maand"),
    ],  # fmt: skip
)
def test_invalid_or_mismatched_period_is_refused(key, frequency):
    with pytest.raises(PeriodError):
        parse_period(key, frequency)


def test_period_range_counts_iso_weeks_across_years():
    weeks = period_range(make_period("week", 2019, 1), make_period("week", 2021, 52))
    assert len(weeks) == 52 + 53 + 52
    assert weeks[0].start == dt.date(2018, 12, 31)


def test_period_containing_a_day():
    assert period_containing(dt.date(2020, 3, 15), "kwartaal").key == "2020-Q1"
    assert period_containing(dt.date(2021, 1, 2), "week").key == "2020-W53"
