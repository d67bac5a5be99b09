"""A signal in plain Dutch: the municipality's change since the baseline beside the rest of the region's.

Percentages are rounded half away from zero (−2,5% is 3%, not Python's half-to-even 2%), and every word follows
the rounded figure a reader sees: a change shown as 0% is 'gelijk', never 'steeg met 0%'. A signal says the
municipality moved differently from the rest of the region, so where whole percentages would read the same
('+12%' beside '+12%') both are shown with one decimal, or two, until they differ; equal changes stay whole.
"""

from __future__ import annotations

from collections.abc import Mapping

from ratc.core import fmt
from ratc.core.periods import parse_period
from ratc.warehouse import baseline

REST = "de rest van de regio"


MAX_DECIMALS = 2


def rounded_percent(fraction: float, decimals: int = 0) -> float:
    """A fraction as a percentage, half away from zero: 0.025 -> 3, -0.025 -> -3, 0.145 -> 15; 0.1234 -> 12.3 at 1."""
    rounded = fmt.half_away(fraction * 100, decimals)
    return int(rounded) if decimals == 0 else rounded


def decimals_to_tell_apart(change: float, rest_change: float) -> int:
    """The fewest decimals (up to two) at which the two changes, rounded as shown, differ; 0 when they never do."""
    for decimals in range(MAX_DECIMALS + 1):
        if rounded_percent(change, decimals) != rounded_percent(rest_change, decimals):
            return decimals
    return 0


def sentence(area_name: str, indicator: Mapping, period_key: str, change: float, rest_change: float) -> str:
    """'In Sliedrecht steeg het aantal WW-uitkeringen sinds februari 2020 met 23%, sterker dan in de rest van de
    regio (+15%).'"""
    decimals = decimals_to_tell_apart(change, rest_change)
    percent = rounded_percent(change, decimals)
    shown = fmt.number(abs(percent), decimals)
    subject = indicator["subject"]
    if indicator["is_seasonal"]:
        period = parse_period(period_key, indicator["frequency"])
        same = baseline.since_phrase(indicator["frequency"], True).removeprefix("ten opzichte van ")
        if percent == 0:
            opening = f"In {area_name} lag {subject} in {period.long_label} even hoog als in {same}"
        else:
            higher = "hoger" if percent > 0 else "lager"
            opening = f"In {area_name} lag {subject} in {period.long_label} {shown}% {higher} dan in {same}"
    else:
        since = baseline.since_phrase(indicator["frequency"], False)
        if percent == 0:
            opening = f"In {area_name} bleef {subject} {since} gelijk"
        else:
            verb = "steeg" if percent > 0 else "daalde"
            opening = f"In {area_name} {verb} {subject} {since} met {shown}%"
    rest_percent = rounded_percent(rest_change, decimals)
    return f"{opening}, {comparison(percent, rest_percent, indicator['is_seasonal'], decimals)}."


def comparison(percent: float, rest_percent: float, is_seasonal: bool = False, decimals: int = 0) -> str:
    """How the municipality's rounded change relates to the rest of the region's, in words."""
    shown = fmt.signed_percent(rest_percent / 100, decimals)
    if rest_percent == 0:
        level = "even hoog lag" if is_seasonal else "gelijk bleef"
        if percent == 0:
            return f"net als in {REST} ({shown})"
        return f"terwijl het in {REST} {level} ({shown})"
    if percent == 0 or (percent > 0) != (rest_percent > 0):
        if is_seasonal:
            moved = "hoger lag" if rest_percent > 0 else "lager lag"
        else:
            moved = "steeg" if rest_percent > 0 else "daalde"
        return f"terwijl het in {REST} {moved} ({shown})"
    if abs(percent) == abs(rest_percent):
        return f"net zo sterk als in {REST} ({shown})"
    stronger = "sterker" if abs(percent) > abs(rest_percent) else "minder sterk"
    return f"{stronger} dan in {REST} ({shown})"
