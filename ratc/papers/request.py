"""What a paper is asked for outside the app: the area and the month as a link says them ('dordrecht', 'GM0505',
'regio'; '2021-06'), checked as the app checks a deep link, but refused instead of replaced when wrong."""

from __future__ import annotations

from ratc.core import context
from ratc.monitor.overview import Query

DEFAULT_INDICATOR = "ww_uitkeringen"  # a paper shows every indicator; the context needs one


class RequestError(ValueError):
    """An area or month that does not exist; the message is Dutch."""


def context_for(query: Query, area: str | None = None, month: str | None = None) -> context.Context:
    """The context of a paper: a municipality (None or 'regio' for the region) and a 'stand per' month (the latest
    when None)."""
    bounds = query("period_bounds").iloc[0]
    months = context.month_keys(bounds["first_period_date"].date(), bounds["last_period_date"].date())
    choices = context.choices_from(query("area_list"), [DEFAULT_INDICATOR], months, DEFAULT_INDICATOR)
    chosen, _ = context.resolve({"gemeente": area, "periode": month}, choices)
    if area and area.strip().lower() not in context.REGION_WORDS and chosen.gemeente is None:
        known = ", ".join(choices.municipalities.values())
        raise RequestError(f"Gemeente '{area}' is onbekend; kies uit {known} of 'regio'.")
    if month and chosen.periode != month.strip():
        raise RequestError(
            f"Maand '{month}' is niet beschikbaar; kies een maand van {months[0]} tot en met {months[-1]} (JJJJ-MM)."
        )
    return chosen
