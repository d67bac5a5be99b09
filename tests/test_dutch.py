"""Dutch throughout: no 'None', NaN or ISO timestamps in a table, decimal commas on the scenario's sliders."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import run_app

PAGES = [
    "pages/overview.py",
    "pages/municipality.py",
    "pages/trend_lines.py",
    "pages/coherence.py",
    "pages/scenario_explorer.py",
    "pages/sources.py",
    "pages/initiatives_page.py",
]
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@pytest.mark.parametrize("page", PAGES)
def test_no_table_shows_none_nan_or_an_iso_timestamp(warehouse_file, page):
    # with a municipality chosen, the region's row of the overview's table has no profile link: "" not None
    app = run_app(warehouse_file, {"gemeente": "GM0505"}, page)
    for table in app.dataframe:
        frame = table.value
        if not isinstance(frame, pd.DataFrame):
            continue
        cells = frame.astype(object)
        assert not cells.isna().any().any(), f"{page}: a missing value shows as 'None' in {list(frame.columns)}"
        words = cells.astype(str)
        assert not words.isin(["None", "nan", "NaN", "NaT"]).any().any(), page
        assert not words.apply(lambda column: column.str.contains(ISO_MOMENT)).any().any(), f"{page}: ISO time"


def test_the_scenario_sliders_write_decimals_with_a_comma(warehouse_file):
    app = run_app(warehouse_file, {"scenario": "cpb4"}, "pages/scenario_explorer.py")
    gdp = app.select_slider(key="sc_bbp2020")
    assert gdp.value == -7.3
    assert "-7,3" in gdp.options and not any("." in option for option in gdp.options)
