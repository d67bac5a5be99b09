"""Text fields of the store's forms: a line and a block are cleaned, required when asked, and refused when too long
with a Dutch problem that names the field, the row and the real length."""

from __future__ import annotations

import pytest

from ratc import checks

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
