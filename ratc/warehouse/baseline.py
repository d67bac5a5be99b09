"""The pre-crisis baseline a change is measured against: February 2020, Q4 2019, or the same period of 2019."""

from __future__ import annotations

import pandas as pd

# Quarterly figures compare with Q4 2019: Q1 2020 already holds the first lockdown weeks.
BASELINE_WINDOWS = {
    "week": ("2020-02-01", "2020-02-29", "februari 2020", "feb 2020"),
    "maand": ("2020-02-01", "2020-02-29", "februari 2020", "feb 2020"),
    "kwartaal": ("2019-10-01", "2019-12-31", "het 4e kwartaal van 2019", "K4 2019"),
}
SEASONAL_UNIT = {"week": "week", "maand": "maand", "kwartaal": "kwartaal"}


def windows_frame() -> pd.DataFrame:
    """The fixed baseline windows as a table for the warehouse."""
    return pd.DataFrame(
        [
            {"frequency": frequency, "first_date": first, "last_date": last}
            for frequency, (first, last, _, _) in BASELINE_WINDOWS.items()
        ]
    ).astype({"first_date": "datetime64[s]", "last_date": "datetime64[s]"})


def since_phrase(frequency: str, is_seasonal: bool) -> str:
    """Running-text phrase of the baseline: 'sinds februari 2020' or 'ten opzichte van dezelfde maand in 2019'."""
    if is_seasonal:
        unit = SEASONAL_UNIT[frequency]
        article = "hetzelfde" if unit == "kwartaal" else "dezelfde"
        return f"ten opzichte van {article} {unit} in 2019"
    return f"sinds {BASELINE_WINDOWS[frequency][2]}"


def short_label(frequency: str, is_seasonal: bool) -> str:
    """Short label of the baseline for a tile: 't.o.v. feb 2020' or 't.o.v. zelfde maand 2019'."""
    if is_seasonal:
        return f"t.o.v. zelfde {SEASONAL_UNIT[frequency]} 2019"
    return f"t.o.v. {BASELINE_WINDOWS[frequency][3]}"
