import pandas as pd
import pytest

from ratc.core import context, metadata

AREAS = metadata.read_areas()
CHOICES = context.choices_from(AREAS, ["ww_uitkeringen", "faillissementen"], ["2021-11", "2021-12"], "ww_uitkeringen")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("GM0505", "GM0505"),
        ("gm0505", "GM0505"),
        (" GM 0505 ", "GM0505"),
        ("505", "GM0505"),
        ("Dordrecht", "GM0505"),
        ("hoeksche   waard", "GM1963"),
        ("hendrik-ido-ambacht", "GM0531"),
        ("", None),
        ("regio", None),
    ],
)
def test_municipality_by_code_or_name_forgiving_case_and_spacing(value, code):
    chosen, notices = context.resolve({"gemeente": value}, CHOICES)
    assert (chosen.gemeente, notices) == (code, [])


@pytest.mark.parametrize(
    ("params", "expected_notice"),
    [
        ({"gemeente": "GM0363"}, "Gemeente 'GM0363' is onbekend"),
        ({"indicator": "<script>"}, "Indicator '<script>' bestaat niet"),
        ({"periode": "2031-01"}, "Periode '2031-01' is niet beschikbaar"),
        ({"periode": "april"}, "Periode 'april' is niet beschikbaar"),
    ],
)
def test_invalid_values_fall_back_to_defaults_with_a_notice(params, expected_notice):
    chosen, notices = context.resolve(params, CHOICES)
    assert chosen == context.Context(None, "ww_uitkeringen", "2021-12")
    assert len(notices) == 1 and notices[0].startswith(expected_notice)


def test_params_leave_defaults_out_and_round_trip():
    chosen = context.Context("GM0610", "faillissementen", "2021-11")
    params = context.to_params(chosen, CHOICES)
    assert params == {"gemeente": "GM0610", "indicator": "faillissementen", "periode": "2021-11"}
    assert context.resolve(params, CHOICES) == (chosen, [])
    assert context.to_params(context.Context(None, "ww_uitkeringen", "2021-12"), CHOICES) == {}


def test_month_keys_start_at_the_first_full_month():
    # week 2019-W01 starts on Monday 31 December 2018: December 2018 is not a month with data
    assert context.month_keys(pd.Timestamp("2018-12-31").date(), pd.Timestamp("2021-12-31").date())[0] == "2019-01"


def test_month_keys_stop_at_last_full_month():
    assert context.month_keys(pd.Timestamp("2019-01-01").date(), pd.Timestamp("2021-12-31").date())[-1] == "2021-12"
    assert context.month_keys(pd.Timestamp("2019-01-01").date(), pd.Timestamp("2022-01-02").date())[-1] == "2021-12"
    assert len(context.month_keys(pd.Timestamp("2019-01-01").date(), pd.Timestamp("2021-12-31").date())) == 36


def test_as_of_date_is_end_of_month():
    assert str(context.Context(None, "x", "2020-02").as_of_date) == "2020-02-29"


def test_without_any_figure_the_month_choice_is_last_month():
    import datetime as dt

    assert context.months_from_bounds(pd.NaT, pd.NaT, today=dt.date(2026, 12, 2)) == ["2026-11"]
    assert context.months_from_bounds(pd.Timestamp("2020-03-16"), pd.Timestamp("2020-05-31")) == ["2020-04", "2020-05"]


def test_the_default_indicator_is_one_with_figures():
    catalog = pd.DataFrame({"indicator_id": ["covid_meldingen", "ww_uitkeringen"],
                            "last_period_date": [pd.Timestamp("2020-09-13"), pd.NaT]})  # fmt: skip
    assert context.default_indicator(catalog, "ww_uitkeringen") == "covid_meldingen"
    assert context.default_indicator(catalog.assign(last_period_date=pd.NaT), "ww_uitkeringen") == "ww_uitkeringen"
    assert context.default_indicator(catalog, "covid_meldingen") == "covid_meldingen"
