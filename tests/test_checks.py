"""Text fields of the store's forms: a line and a block are cleaned, required when asked, and refused when too long
with a Dutch problem that names the field, the row and the real length."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ratc.core import checks

CHECKS = [checks.line, checks.block]


@pytest.mark.parametrize("check", CHECKS)
def test_a_text_within_its_limit_is_cleaned_and_raises_no_problem(check):
    problems = checks.Collector()
    assert check(problems, "Naam", "  Anna\x00 de Vries  ", 20) == "Anna de Vries"
    assert problems.problems == []


def test_a_line_becomes_one_line_and_a_block_keeps_its_line_breaks():
    problems = checks.Collector()
    assert checks.line(problems, "Naam", "een\r\ntwee\tdrie", 40) == "een twee drie"
    assert checks.block(problems, "Toelichting", "een\r\ntwee\rdrie", 40) == "een\ntwee\ndrie"
    assert problems.problems == []


@pytest.mark.parametrize(("check", "required_by_default"), [(checks.line, True), (checks.block, False)])
@pytest.mark.parametrize("empty", [None, float("nan"), "   ", "NaT"])
def test_an_empty_text_is_a_problem_only_when_required(check, required_by_default, empty):
    problems = checks.Collector()
    assert check(problems, "Omschrijving", empty, 10) == ""
    assert len(problems.problems) == int(required_by_default)
    check(problems, "Omschrijving", empty, 10, required=True, row=3)
    assert problems.problems[-1] == checks.Problem("Omschrijving", "vul dit in.", 3)
    optional = checks.Collector()
    check(optional, "Omschrijving", empty, 10, required=False)
    assert optional.problems == []


@pytest.mark.parametrize("check", CHECKS)
def test_a_text_over_its_limit_is_cut_and_its_full_length_is_named(check):
    problems = checks.Collector()
    assert check(problems, "Omschrijving", "x" * 1234, 500, row=2) == "x" * 500
    assert problems.problems == [checks.Problem("Omschrijving", "te lang (1.234 tekens, hoogstens 500).", 2)]


@pytest.mark.parametrize("check", CHECKS)
def test_the_limit_itself_is_allowed(check):
    problems = checks.Collector()
    assert check(problems, "Naam", "y" * 80, 80) == "y" * 80
    assert problems.problems == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4.5, 4.5), ("4,5", 4.5), ("1.250", 1250.0), ("1.250,75", 1250.75), (" 7 % ", 7.0), (0, 0.0), (2000, 2000.0)],
)
def test_a_number_in_its_range_is_read_in_dutch_notation(value, expected):
    problems = checks.Collector()
    assert checks.number(problems, "Capaciteit", value, 0, 2000) == expected
    assert problems.problems == []


@pytest.mark.parametrize(
    ("value", "required", "message"),
    [
        ("", True, "vul een getal in."),
        ("veel", True, "'veel' is geen getal."),
        ("veel", False, "'veel' is geen getal."),
        ("12,5", True, "moet tussen 0 en 10 liggen (nu 12,5)."),
        (-1, False, "moet tussen 0 en 10 liggen (nu -1)."),
    ],
)
def test_a_number_that_is_missing_unreadable_or_out_of_range_is_a_problem(value, required, message):
    problems = checks.Collector()
    assert checks.number(problems, "Ziekteverzuim (%)", value, 0, 10, required=required, row=4) is None
    assert problems.problems == [checks.Problem("Ziekteverzuim (%)", message, 4)]


def test_an_empty_number_that_is_not_required_is_no_problem():
    problems = checks.Collector()
    assert checks.number(problems, "Hoeveelheid", None, 0, 10, required=False) is None
    assert problems.problems == []


@pytest.mark.parametrize("value", [dt.date(2020, 3, 31), dt.datetime(2020, 3, 31, 9), "31-03-2020", "2020-03-31",
                                   "31/03/2020", pd.Timestamp("2020-03-31")])  # fmt: skip
def test_a_date_in_its_range_is_read_from_the_usual_forms(value):
    problems = checks.Collector()
    assert checks.date(problems, "Sinds", value, dt.date(2019, 1, 1), dt.date(2020, 12, 31)) == dt.date(2020, 3, 31)
    assert problems.problems == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "vul een datum in."),
        ("gisteren", "'gisteren' is geen datum (schrijf 31-03-2020)."),
        ("01-01-2021", "moet tussen 01-01-2019 en 31-12-2020 liggen."),
    ],
)
def test_a_date_that_is_missing_unreadable_or_out_of_range_is_a_problem(value, message):
    problems = checks.Collector()
    assert checks.date(problems, "Sinds", value, dt.date(2019, 1, 1), dt.date(2020, 12, 31), row=2) is None
    assert problems.problems == [checks.Problem("Sinds", message, 2)]
