"""What a trend says in words: its title, the y axis's title, the subtitle and file name, a one-sentence
description of the focus area's series, and its data as a Dutch table (the chart is in `trends`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from ratc.core import charts, export, fmt, metadata, periods
from ratc.warehouse import baseline


def range_label(start: dt.date, end: dt.date) -> str:
    """Dutch label of a date range by months: '2020', 'okt – dec 2020', 'jan 2019 – dec 2021'."""
    first, last = periods.period_containing(start, "maand"), periods.period_containing(end, "maand")
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year)
    if first.key == last.key:
        return first.label
    if start.year == end.year:
        return f"{periods.MONTHS_NL[start.month - 1]} – {last.label}"
    return f"{first.label} – {last.label}"


def y_title(indicator: Mapping, measure: str) -> str:
    """The y-axis title: the unit of the chosen measure."""
    if measure == "per_10k":
        return f"{indicator['unit']} per 10.000 inwoners"
    if measure == "index":
        short = baseline.short_label(indicator["frequency"], bool(indicator["is_seasonal"])).removeprefix("t.o.v. ")
        return f"index ({short} = 100)"
    return str(indicator["unit"])


def trend_meta(
    indicator: Mapping,
    measure: str,
    frame: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    is_demo: bool,
    made_on: dt.date | None = None,
) -> charts.ChartMeta:
    """Title (indicator and measure), subtitle (areas and range), source and a file name that says what it is."""
    names = list(dict.fromkeys(frame["gebied"]))
    kinds = dict(zip(frame["gebied"], frame["soort"], strict=True))
    municipalities = [name for name in names if kinds[name] == "gemeente"]
    label = range_label(start, end)
    if len(municipalities) == 0:
        areas_part = "Zuid-Holland-Zuid"
    elif len(municipalities) <= 3:
        areas_part = "-".join(municipalities)
    else:
        areas_part = f"{len(municipalities)} gemeenten"
    source = str(indicator["source"])
    if measure == "per_10k" and "bevolking" not in source:
        source += "; CBS (bevolking)"
    suffix = {"absoluut": "", "per_10k": "per 10000", "index": "index"}[measure]
    return charts.ChartMeta(
        title=title(indicator, measure),
        subtitle=f"{_join(names)} · {label}",
        source=source,
        file_stem=export.file_stem(f"{indicator['short_name']} {suffix}", areas_part, label),
        is_demo=is_demo,
        made_on=made_on,
        decimals=int(indicator["decimals"]) if measure == "absoluut" else 1,
    )


def title(indicator: Mapping, measure: str) -> str:
    """The chart title: the indicator's name and the measure."""
    if measure == "per_10k":
        return f"{indicator['name']} per 10.000 inwoners"
    if measure == "index":
        return f"{indicator['name']}, {y_title(indicator, measure)}"
    return f"{indicator['name']}, aantal" if indicator["is_count"] else str(indicator["name"])


def describe(frame: pd.DataFrame, indicator: Mapping, measure: str, municipalities: Sequence[str]) -> str:
    """One Dutch sentence on the focus area's series: where it peaked and where it stands now."""
    focus = municipalities[0] if municipalities else metadata.REGION_CODE
    series = frame[(frame["gebied_code"] == focus) & frame["waarde"].notna()]
    if series.empty and (frame["gebied_code"] == focus).any():
        name = frame.loc[frame["gebied_code"] == focus, "gebied"].iloc[0]
        return f"Voor {name} is geen index te berekenen: het cijfer van vóór de crisis ontbreekt of is 0."
    if series.empty:
        return "Er zijn geen cijfers in deze periode."
    decimals = int(indicator["decimals"]) if measure == "absoluut" else 1
    subject = str(indicator["subject"])
    if measure == "per_10k":
        subject += " per 10.000 inwoners"
    elif measure == "index":
        subject = f"de index van {subject} ({y_title(indicator, measure).removeprefix('index (')}"
    peak, last = series.loc[series["waarde"].idxmax()], series.iloc[-1]
    where = series["gebied"].iloc[0]
    peak_value, last_value = fmt.number(peak["waarde"], decimals), fmt.number(last["waarde"], decimals)
    if peak["periode_code"] == last["periode_code"]:
        return f"In {where} was {subject} in {last['periode']} het hoogst van deze periode: {last_value}."
    return (
        f"In {where} was {subject} het hoogst in {peak['periode']} ({peak_value}); "
        f"in {last['periode']} was het {last_value}."
    )


def table(frame: pd.DataFrame, indicator: Mapping, measure: str) -> pd.DataFrame:
    """The chart's data as a Dutch table: a row per period, a column per area, Dutch number format."""
    if frame.empty:
        return pd.DataFrame({"Periode": []})
    decimals = int(indicator["decimals"]) if measure == "absoluut" else 1
    wide = frame.pivot(index=["begindatum", "periode"], columns="gebied", values="waarde")
    wide = wide.sort_index(level="begindatum").reindex(columns=list(dict.fromkeys(frame["gebied"])))
    result = pd.DataFrame({"Periode": wide.index.get_level_values("periode")})
    for name in wide.columns:
        result[name] = [fmt.number(value, decimals) for value in wide[name]]
    return result


def _join(names: Sequence[str]) -> str:
    """'Dordrecht, Zuid-Holland-Zuid en Nederland'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]
