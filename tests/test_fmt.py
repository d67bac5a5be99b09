import datetime as dt

import pytest

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
    [(0.234, "+23%"), (-0.05, "-5%"), (0.0001, "±0%"), (None, "–")],
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
