"""RIVM COVID-19 counts per municipality, in both of RIVM's layouts, as weekly deliveries for the ten and NL.

Layouts (`;`-separated UTF-8, with or without BOM; our extracts use `,`, so the separator is sniffed):

- *cumulative* (`COVID-19_aantallen_gemeente_cumulatief.csv`, until autumn 2020): one row per day and
  municipality with running totals since 27 February 2020. The daily new count is the difference with the
  previous day; the first day's running total is the count up to and including that day, so it is not a
  daily count and the week holding it is never complete (see below).
- *per day* (`COVID-19_aantallen_gemeente_per_dag.csv`, recognised by `Date_of_publication`): new counts
  per publication day, municipality and GGD, so a municipality can have several rows per day; they are summed.

Rows without a municipality code (cases whose municipality is unknown) count for Nederland only: NL is the
sum over all rows of the file. Only the ten municipalities of the region and NL are delivered, and NL only
when the file is national, i.e. holds rows outside the ten (an extract of the ten says nothing about NL).

Every delivered row names its source: `row` is the line of the original file that closes the week (the last
daily row of that area in it), so a message "Rij 6543" points at a line the steward can open.

Weeks are ISO weeks (`2020-W12`). Only complete weeks are delivered: every day from Monday to Sunday must be
a daily count in the file, so the partial weeks at both ends are left out (for the cumulative layout the
first day is not a daily count, so the first complete week starts after it).

RIVM corrects earlier reports, so a daily count can be negative. Daily corrections are kept, so a week's sum
is exactly the difference of the running totals. A week whose total is still negative is delivered as 0 and
its negative rest is carried into the following week; a rest left after the last week is taken back from the
weeks before it. The delivered weeks therefore always add up to the difference of the running totals over
the delivered period (when that difference is not negative).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd

from ratc.core import metadata
from ratc.core.periods import period_containing

INDICATORS = {
    "Total_reported": "covid_meldingen",
    "Hospital_admission": "covid_ziekenhuisopnames",
    "Deceased": "covid_overleden",
}
COUNTS = tuple(INDICATORS)
DELIVERY_COLUMNS = ["gemeente", "indicator", "periode", "waarde", "opmerking", "row"]
CUMULATIVE = "cumulatief"
PER_DAY = "per dag"


class RivmError(ValueError):
    """A file that is not one of RIVM's two COVID-19 municipality layouts."""


def read_raw(content: bytes | Path) -> tuple[pd.DataFrame, str]:
    """The file as a frame of strings and numbers, each row with its `line` in the file, and its layout."""
    data = content.read_bytes() if isinstance(content, Path) else bytes(content)
    text = data.decode("utf-8-sig")
    header = text.split("\n", 1)[0]
    separator = ";" if header.count(";") >= header.count(",") else ","
    columns = [name.strip().strip('"') for name in header.strip().split(separator)]
    missing = {"Date_of_report", "Municipality_code", *COUNTS} - set(columns)
    if missing:
        raise RivmError(
            f"geen RIVM-bestand met COVID-19-cijfers per gemeente: de kolommen {', '.join(sorted(missing))} ontbreken"
        )
    layout = PER_DAY if "Date_of_publication" in columns else CUMULATIVE
    frame = pd.read_csv(
        io.StringIO(text),
        sep=separator,
        dtype={"Municipality_code": str},
        usecols=[c for c in columns if c in {"Date_of_report", "Date_of_publication", "Municipality_code", *COUNTS}],
        skip_blank_lines=False,
    )
    frame["line"] = frame.index + 2  # the header is line 1; blank lines are kept until here to count them
    frame = frame.dropna(how="all", subset=[column for column in frame.columns if column != "line"])
    for column in COUNTS:
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any():
            line = int(frame.loc[values.isna(), "line"].iloc[0])
            raise RivmError(f"regel {line}: {column} is geen getal")
        frame[column] = values.astype("int64")
    frame["Municipality_code"] = frame["Municipality_code"].fillna("").str.strip()
    return frame, layout


def daily_counts(frame: pd.DataFrame, layout: str, codes: list[str]) -> pd.DataFrame:
    """New counts per area (the given codes, and NL for a national file) and day.

    Columns: area_code, day, the three counts, `line` (the last line of the file counted in that day) and
    `first_is_total`: True on the first day of the cumulative layout, whose count holds everything up to and
    including that day.
    """
    day_column = "Date_of_publication" if layout == PER_DAY else "Date_of_report"
    days = pd.to_datetime(frame[day_column].astype(str).str[:10], format="%Y-%m-%d")
    work = frame.assign(day=days.dt.date)
    parts = []
    if not work["Municipality_code"].isin(codes).all():
        national = work.groupby("day", as_index=False).agg(**_sums(), line=("line", "max"))
        parts.append(national.assign(area_code=metadata.COUNTRY_CODE))
    local = (
        work[work["Municipality_code"].isin(codes)]
        .groupby(["Municipality_code", "day"], as_index=False)
        .agg(**_sums(), line=("line", "max"))
        .rename(columns={"Municipality_code": "area_code"})
    )
    combined = pd.concat([local, *parts], ignore_index=True).sort_values(["area_code", "day"], ignore_index=True)
    if layout == CUMULATIVE:
        running = combined.groupby("area_code")[list(COUNTS)]
        new = running.diff()
        first = new[COUNTS[0]].isna()
        combined[list(COUNTS)] = new.fillna(combined[list(COUNTS)]).astype("int64")
        combined["first_is_total"] = first
    else:
        combined["first_is_total"] = False
    return combined[["area_code", "day", *COUNTS, "line", "first_is_total"]]


def _sums() -> dict[str, tuple[str, str]]:
    """Named aggregations summing each count."""
    return {column: (column, "sum") for column in COUNTS}


def weekly_counts(content: bytes | Path, data_dir: Path | None = None) -> pd.DataFrame:
    """Weekly new counts for the ten and NL over the complete weeks of the file.

    Columns: area_code, periode (ISO week key), the three counts as delivered (never negative), and per count a
    `<count>_raw` column with the plain weekly sum of daily counts (negative where RIVM corrected more than
    was reported that week). Attribute `layout` and `last_day` are set in `frame.attrs`.
    """
    frame, layout = read_raw(content)
    codes = list(metadata.read_areas(data_dir).query("area_type == 'gemeente'")["area_code"])
    daily = daily_counts(frame, layout, codes)
    first_day, last_day = daily["day"].min(), daily["day"].max()
    first_daily = first_day + dt.timedelta(days=1) if layout == CUMULATIVE else first_day
    start = first_daily + dt.timedelta(days=(7 - first_daily.weekday()) % 7)  # first Monday
    end = last_day - dt.timedelta(days=(last_day.weekday() + 1) % 7)  # last Sunday
    if end < start:
        raise RivmError(f"het bestand loopt van {first_day} tot {last_day}: geen enkele volledige week")
    daily = daily[(daily["day"] >= start) & (daily["day"] <= end)]
    daily = daily.assign(periode=[period_containing(day, "week").key for day in daily["day"]])
    weekly = daily.groupby(["area_code", "periode"], as_index=False).agg(**_sums(), line=("line", "max"))
    weekly = weekly.sort_values(["area_code", "periode"], ignore_index=True)
    for column in COUNTS:
        weekly[f"{column}_raw"] = weekly[column]
        weekly[column] = weekly.groupby("area_code")[column].transform(lambda s: pd.Series(_carry(list(s)), s.index))
    weekly.attrs.update(layout=layout, first_day=first_day, last_day=last_day, start=start, end=end)
    return weekly


def read_rivm(content: bytes | Path, data_dir: Path | None = None) -> pd.DataFrame:
    """A RIVM file (either layout) as a delivery: gemeente, indicator, periode, waarde, opmerking (text) and row."""
    weekly = weekly_counts(content, data_dir)
    note = f"RIVM {weekly.attrs['layout']} {weekly.attrs['last_day'].isoformat()}"
    long = weekly.melt(
        id_vars=["area_code", "periode", "line"], value_vars=list(COUNTS), var_name="count", value_name="n"
    )
    delivery = pd.DataFrame(
        {
            "gemeente": long["area_code"].astype(str),
            "indicator": long["count"].map(INDICATORS).astype(str),
            "periode": long["periode"].astype(str),
            "waarde": long["n"].astype("int64").astype(str),
            "opmerking": note,
        }
    )
    delivery["row"] = long["line"].astype("int64")  # the line of the original file that closes the week
    delivery = delivery.sort_values(["row", "indicator"], ignore_index=True)
    return delivery[DELIVERY_COLUMNS]


def _carry(values: list[int]) -> list[int]:
    """Weekly totals made non-negative with the same sum: a negative rest moves forward, a final rest backward."""
    result, rest = [], 0
    for value in values:
        total = value + rest
        rest = min(total, 0)
        result.append(max(total, 0))
    for index in range(len(result) - 1, -1, -1):
        if rest == 0:
            break
        taken = min(result[index], -rest)
        result[index] -= taken
        rest += taken
    return result
