"""Every named query runs on the fixture warehouse, returns its documented columns, and is used."""

import datetime as dt
import re
from pathlib import Path

import pytest

from ratc.warehouse import db

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PARAMS = {
    "area_code": "GM0505",
    "area_codes": ["GM0505", "VR18", "NL"],
    "indicator_id": "ww_uitkeringen",
    "indicator_x": "ww_uitkeringen",
    "indicator_y": "bijstand_uitkeringen",
    "period_key": "2020-04",
    "as_of_date": dt.date(2020, 12, 31),
    "from_date": dt.date(2019, 1, 1),
    "before_date": dt.date(2020, 3, 1),
    "week_periods": 13,
    "month_periods": 4,
    "quarter_periods": 2,
    "year_periods": 2,
}


@pytest.mark.parametrize("name", db.query_names())
def test_query_returns_its_documented_columns(con, name):
    header = db.query_header(name)
    assert header["returns"], f"{name}.sql documents no returned columns"
    result = db.run_query(con, name, **{param: SAMPLE_PARAMS[param] for param in header["params"]})
    assert list(result.columns) == header["returns"]
    assert len(result) > 0


@pytest.mark.parametrize("name", db.query_names())
def test_documented_params_are_the_bound_ones(name):
    bound = set(re.findall(r"\$([a-z_]+)", db.query_text(name)))
    assert bound == set(db.query_header(name)["params"])


@pytest.mark.parametrize("name", db.query_names())
def test_every_query_file_is_used(name):
    files = [*ROOT.glob("ratc/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    code = "\n".join(path.read_text() for path in files)
    assert f'"{name}"' in code, f"queries/{name}.sql is not used by the app"


def test_wrong_params_are_refused(con):
    with pytest.raises(TypeError):
        db.run_query(con, "latest_value_by_indicator", area_code="GM0505")


def test_query_names_cannot_escape_the_folder():
    with pytest.raises(ValueError):
        db.query_text("../app")


def test_no_sql_is_built_with_string_formatting():
    """DuckDB queries and the store's SQL: values are bound, never pasted into the SQL text."""
    offenders = []
    for path in [*ROOT.glob("ratc/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"""f["'].*\b(select|insert|update|delete|create|drop)\b""", line, re.IGNORECASE):
                offenders.append(f"{path.name}:{number}")
            if re.search(r"\.execute\(\s*f[\"']|\.execute\([^)]*\.format\(|\.execute\([^)]*%\s", line):
                offenders.append(f"{path.name}:{number}")
            # the collaborative store: SQLAlchemy text and driver SQL take bound parameters, never formatted values
            if re.search(r"(exec_driver_sql|\btext)\(\s*(f[\"']|[^)]*\.format\(|[^)]*%\s)", line):
                offenders.append(f"{path.name}:{number}")
    assert offenders == []


def test_region_query_sees_the_same_numbers_as_the_table(con, observations):
    latest = db.run_query(con, "latest_value_by_indicator", area_code="GM0505", as_of_date=dt.date(2020, 4, 30))
    ww = latest.set_index("indicator_id").loc["ww_uitkeringen"]
    expected = observations.query(
        "indicator_id == 'ww_uitkeringen' and area_code == 'GM0505' and period_key == '2020-04'"
    )
    assert ww["period_key"] == "2020-04"
    assert ww["value"] == expected["value"].item()
