"""The Kaart page's classes: five classes with round edges (light to dark) for a value, five classes symmetric
around zero for a change, coloured by the indicator's polarity, and the legend that counts them."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ratc.core import charts, fmt
from ratc.core.deck import LegendEntry, rgb

CLASS_COUNT = 5
MISSING_LABEL = "geen gegevens"
MISSING_COLOUR = "#BFBFBF"  # darker than the light middle of the change scale
# Change for an indicator without a good or bad direction: green .. grey .. purple, neither warm nor "good blue".
NEUTRAL_DIVERGING = ["#1B8A6B", "#9BD3C0", "#F2F2F2", "#E3B5CF", "#A8507F"]
# Nice class widths: equal-interval classes whose edges are round numbers.
STEP_MULTIPLIERS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)
# Half-widths of the middle class of change, in whole percents: the classes are ±s/2 and ±3s/2.
# The widest keeps its lowest edge above -100%, the smallest relative change there is.
CHANGE_STEPS = (0.02, 0.04, 0.06, 0.1, 0.2, 0.4, 0.6)


def legend_entries(frame: pd.DataFrame, measure: str, indicator: Mapping) -> list[LegendEntry]:
    """The legend of a map frame: every class in order, with counts; 'geen gegevens' only when needed."""
    _, legend = classify(frame["kaartwaarde"], measure, indicator)
    counts = frame["klasse_label"].value_counts()
    entries = [LegendEntry(entry.label, entry.colour, int(counts.get(entry.label, 0))) for entry in legend]
    if frame["klasse"].isna().all():
        entries = []
    if frame["klasse"].isna().any():
        entries.append(LegendEntry(MISSING_LABEL, MISSING_COLOUR, int(frame["klasse"].isna().sum())))
    return entries


def classify(values: pd.Series, measure: str, indicator: Mapping) -> tuple[list[float], list[LegendEntry]]:
    """A class index (0-4, NaN when missing) per value, and the five classes as legend entries (count 0).

    Value and per 10,000: five equal classes with round edges from just below the lowest value, light to
    dark. Change: five classes symmetric around zero, coloured by polarity (worse = vermillion side).
    """
    present = values.dropna()
    if measure == "verandering":
        inner = change_edges(present)
        indices = [math.nan if pd.isna(value) else int(np.searchsorted(inner, value, side="right")) for value in values]
        return indices, [LegendEntry(label, colour, 0) for label, colour in
                         zip(change_labels(inner), change_colours(indicator["polarity"]), strict=True)]  # fmt: skip
    edges = sequential_edges(present)
    decimals = _edge_decimals(edges)
    labels = [f"{fmt.number(low, decimals)} tot {fmt.number(high, decimals)}" for low, high in pairwise(edges)]
    indices = [
        math.nan if pd.isna(value) else min(int(np.searchsorted(edges, value, side="right")) - 1, CLASS_COUNT - 1)
        for value in values
    ]
    return indices, [LegendEntry(label, colour, 0) for label, colour in zip(labels, charts.SEQUENTIAL, strict=True)]


def sequential_edges(values: pd.Series) -> list[float]:
    """Six round class edges: the smallest nice step whose five classes from below the minimum reach the maximum."""
    if values.empty:
        return [float(step) for step in range(CLASS_COUNT + 1)]
    low, high = float(values.min()), float(values.max())
    spread = high - low if high > low else max(abs(high), 1.0)
    for step in _nice_steps(spread / CLASS_COUNT):
        start = math.floor(low / step) * step
        if start + CLASS_COUNT * step >= high:
            return [round(start + number * step, 10) for number in range(CLASS_COUNT + 1)]
    raise AssertionError("unreachable: the steps grow without bound")  # pragma: no cover


def change_edges(values: pd.Series) -> list[float]:
    """Four inner edges of change classes, symmetric around zero: -3s/2, -s/2, s/2, 3s/2."""
    largest = float(values.abs().max()) if not values.empty else 0.0
    step = next((step for step in CHANGE_STEPS if 2.5 * step >= largest), CHANGE_STEPS[-1])
    return [-1.5 * step, -0.5 * step, 0.5 * step, 1.5 * step]


def change_labels(inner: list[float]) -> list[str]:
    """Dutch labels of the five change classes."""
    texts = [fmt.signed_percent(edge) for edge in inner]
    return [
        f"lager dan {texts[0]}",
        f"{texts[0]} tot {texts[1]}",
        f"{texts[1]} tot {texts[2]}",
        f"{texts[2]} tot {texts[3]}",
        f"{texts[3]} of hoger",
    ]


def change_colours(polarity: str) -> list[str]:
    """Colours of the change classes, from the largest fall to the largest rise: a worse change is vermillion."""
    if polarity == "hoger_slechter":
        return list(charts.DIVERGING)
    if polarity == "hoger_beter":
        return list(reversed(charts.DIVERGING))
    return list(NEUTRAL_DIVERGING)


def pairwise(edges: list[float]) -> list[tuple[float, float]]:
    """Consecutive pairs of class edges."""
    return list(zip(edges[:-1], edges[1:], strict=True))


def is_dark(colour: str) -> bool:
    """Whether white text reads better than dark text on this colour (relative luminance)."""
    red, green, blue = (channel / 255 for channel in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45


def _nice_steps(minimum: float):
    """Round step sizes from just below `minimum` upwards."""
    exponent = math.floor(math.log10(minimum)) if minimum > 0 else 0
    while True:
        for multiplier in STEP_MULTIPLIERS:
            step = multiplier * 10**exponent
            if step >= minimum * 0.999:
                yield step
        exponent += 1


def _edge_decimals(edges: list[float]) -> int:
    """The fewest decimals that show every class edge exactly."""
    return next((d for d in range(0, 5) if all(abs(edge - round(edge, d)) < 1e-9 for edge in edges)), 4)
