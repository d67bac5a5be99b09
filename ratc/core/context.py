"""The user's context (municipality, indicator, period) as it lives in the URL: read, validate, write."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ratc.core import periods

PARAMS = ("gemeente", "indicator", "periode")
REGION_WORDS = {"", "regio", "vr18", "zhz", "zuid-holland-zuid"}


@dataclass(frozen=True)
class Context:
    """What the user is looking at: a municipality code (None = the whole region), an indicator, a month."""

    gemeente: str | None
    indicator: str
    periode: str

    @property
    def as_of_date(self) -> dt.date:
        """The last day of the chosen month: observations that ended by then are shown."""
        return periods.parse_period(self.periode, "maand").end


@dataclass(frozen=True)
class Choices:
    """The valid values of each part of the context, and the defaults."""

    municipalities: Mapping[str, str]
    indicators: Sequence[str]
    months: Sequence[str]
    default_indicator: str

    @property
    def default_month(self) -> str:
        """The latest month with data."""
        return self.months[-1]


def month_keys(first_day: dt.date, last_day: dt.date) -> list[str]:
    """Month keys of the full months from first_day through last_day."""
    first = periods.period_containing(first_day, "maand")
    if first.start < first_day:
        first = periods.period_containing(first.end + dt.timedelta(days=1), "maand")
    last = periods.period_containing(last_day, "maand")
    if last.end > last_day:
        last = periods.period_containing(last.start - dt.timedelta(days=1), "maand")
    return [period.key for period in periods.period_range(first, last)]


def months_from_bounds(first_day, last_day, today: dt.date | None = None) -> list[str]:
    """The months of the "stand per" choice from the first and last day with figures (timestamps or dates);
    without any figure (both missing), or without a full month, only the month before today's."""
    if pd.notna(first_day) and pd.notna(last_day):
        months = month_keys(pd.Timestamp(first_day).date(), pd.Timestamp(last_day).date())
        if months:
            return months
    last_month = periods.period_containing(today or dt.date.today(), "maand").start - dt.timedelta(days=1)
    return [periods.period_containing(last_month, "maand").key]


def default_indicator(catalog: pd.DataFrame, preferred: str) -> str:
    """The indicator a page opens on: the preferred one while it has figures, else the first that has."""
    delivered = catalog.loc[catalog["last_period_date"].notna(), "indicator_id"].tolist()
    if preferred in delivered or not delivered:
        return preferred
    return str(delivered[0])


def choices_from(
    areas: pd.DataFrame, indicator_ids: Sequence[str], months: Sequence[str], default_indicator: str
) -> Choices:
    """Choices from the area list, indicator ids and available months."""
    municipalities = areas[areas["area_type"] == "gemeente"]
    return Choices(
        municipalities=dict(zip(municipalities["area_code"], municipalities["area_name"], strict=True)),
        indicators=list(indicator_ids),
        months=list(months),
        default_indicator=default_indicator,
    )


def resolve(raw: Mapping[str, str | None], choices: Choices) -> tuple[Context, list[str]]:
    """Read context from URL parameters; invalid values fall back to defaults with a short Dutch notice."""
    notices = []
    gemeente, problem = _match_municipality(raw.get("gemeente"), choices)
    if problem:
        notices.append(problem)
    indicator = (raw.get("indicator") or "").strip().lower() or choices.default_indicator
    if indicator not in choices.indicators:
        notices.append(f"Indicator '{raw.get('indicator')}' bestaat niet; de standaardindicator wordt getoond.")
        indicator = choices.default_indicator
    periode = (raw.get("periode") or "").strip() or choices.default_month
    if periode not in choices.months:
        notices.append(
            f"Periode '{raw.get('periode')}' is niet beschikbaar; de laatste maand "
            f"({periods.month_label(choices.default_month)}) wordt getoond."
        )
        periode = choices.default_month
    return Context(gemeente, indicator, periode), notices


def to_params(context: Context, choices: Choices) -> dict[str, str]:
    """URL parameters for a context; defaults are left out so links stay short and follow new data."""
    params = {}
    if context.gemeente:
        params["gemeente"] = context.gemeente
    if context.indicator != choices.default_indicator:
        params["indicator"] = context.indicator
    if context.periode != choices.default_month:
        params["periode"] = context.periode
    return params


def _match_municipality(value: str | None, choices: Choices) -> tuple[str | None, str | None]:
    """A municipality code from a code or name, forgiving case and spacing; or None with a notice."""
    text = re.sub(r"\s+", " ", (value or "").strip()).lower()
    if text in REGION_WORDS:
        return None, None
    for code, name in choices.municipalities.items():
        normalised_code = code.lower()
        if text in (normalised_code, normalised_code[2:].lstrip("0"), name.lower(), name.lower().replace(" ", "-")):
            return code, None
        if re.fullmatch(r"gm\s?0*" + normalised_code[2:].lstrip("0"), text):
            return code, None
    return None, f"Gemeente '{value}' is onbekend in deze regio; de hele regio wordt getoond."
