import datetime as dt

import pytest
from babel import Locale
from babel.dates import format_date
from babel.numbers import parse_pattern
from hypothesis import assume, given
from hypothesis import strategies as st

from ratc.core import fmt


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (0.25, 2, "0,25"),
        (-1500, 0, "-1.500"),
        (None, 0, "–"),
        (float("nan"), 1, "–"),
    ],
)
def test_dutch_numbers(value, decimals, text):
    assert fmt.number(value, decimals) == text


@pytest.mark.parametrize(
    ("fraction", "text"),
    [
        (0.234, "+23%"),
        (-0.05, "-5%"),
        (0.0001, "±0%"),
        (None, "–"),
        # half away from zero, as a reader rounds (a tile beside a signal sentence shows the same figure)
        (0.025, "+3%"),
        (-0.025, "-3%"),
        (0.125, "+13%"),
        (0.145, "+15%"),
        (-0.004, "±0%"),
    ],  # fmt: skip
)
def test_signed_percent(fraction, text):
    assert fmt.signed_percent(fraction) == text


def test_relative_change_refuses_zero_or_missing_reference():
    assert fmt.relative_change(120, 100) == pytest.approx(0.2)
    assert fmt.relative_change(5, 0) is None
    assert fmt.relative_change(5, float("nan")) is None


def test_dutch_dates():
    assert fmt.date_short(dt.date(2020, 3, 15)) == "15 mrt 2020"
    assert fmt.date_long(dt.date(2020, 3, 23)) == "23 maart 2020"


@pytest.mark.parametrize(
    ("count", "expected"), [(10, "tien"), (1, "een"), (12, "twaalf"), (355, "355"), (1234, "1.234")]
)
def test_counts_read_as_a_sentence_writes_them(count, expected):
    assert fmt.count_word(count) == expected


# Babel's nl_NL (CLDR) is the oracle for the hand-written formats; bench/bench_fmt.py shows why the app does not
# call it on every rerun (5-7× slower; ~0.4 s for a national table). Exact ties of the written decimal (2.675 to
# two decimals) are left out: fmt rounds the float's binary value, Babel the decimal as written.
DUTCH = Locale.parse("nl_NL")


def _is_written_tie(value: float, decimals: int) -> bool:
    """Whether the decimal as Python writes it ends in a 5 just past the kept decimals."""
    digits = repr(value).split("e")[0].partition(".")[2]
    return len(digits) == decimals + 1 and digits.endswith("5")


@given(
    value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    decimals=st.integers(min_value=0, max_value=3),
)
def test_numbers_are_written_as_cldr_writes_dutch(value, decimals):
    assume(not _is_written_tie(value, decimals) and "e" not in repr(value))
    pattern = parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))
    assert fmt.number(value, decimals) == pattern.apply(value, DUTCH)


@given(day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_dates_are_written_as_cldr_writes_dutch(day):
    assert fmt.date_short(day) == format_date(day, "d MMM y", locale=DUTCH)
    assert fmt.date_long(day) == format_date(day, "d MMMM y", locale=DUTCH)


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, "0 bytes"), (999, "999 bytes"), (12_345, "12 kB"), (5_000_011, "5,0 MB"), (12_600_000, "12,6 MB")],
)
def test_file_sizes_are_written_in_dutch_units(size, expected):
    assert fmt.byte_size(size) == expected
