"""No silent wrong numbers: every delivered value is stored as exactly what the sender meant, or refused in Dutch.

A table of the cells stewards really send, each read or refused with its reason; and a property test that writes
deliveries the way Dutch and English Excel do (separators, spaces, quotes, text cells, float noise, CSV and XLSX)
and checks that no value is ever stored as another number. A round trip through the template changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from decimal import Decimal, localcontext

import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ratc.core import metadata
from ratc.ingest import checking, commit, notation, reading, template, values


def indicator(indicator_id: str, data_dir=None):
    """An indicator's definition as the checks see it (a row of read_indicators)."""
    return next(metadata.read_indicators(data_dir).query("indicator_id == @indicator_id").itertuples())


COUNT = indicator("ww_uitkeringen")
PERCENT_ROW = (
    "werkloosheid_pct,Werkloosheid,Werkloosheid,werk_economie,procent,CBS,maand,hoger_slechter,false,false,false,"
    'false,true,,,,1,de werkloosheid,"Werkloze beroepsbevolking als percentage van de beroepsbevolking (test)."\n'
)
AREAS = metadata.read_areas().query("area_type == 'gemeente'")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """The repo's data plus one indicator with a decimal (a percentage), so both kinds of value are tried."""
    folder = tmp_path_factory.mktemp("values") / "data"
    shutil.copytree(ROOT / "data", folder)
    with (folder / "indicators.csv").open("a", encoding="utf-8") as file:
        file.write(PERCENT_ROW)
    return folder


@pytest.fixture(scope="module")
def percent(data_dir):
    return indicator("werkloosheid_pct", data_dir)


READ_AS = [
    # (cell, count or percent, the value stored)
    ("2356", "count", "2356"),
    ("2.356", "count", "2356"),  # a count has no decimals: the dot can only group thousands
    ("2,356", "count", "2356"),  # likewise English Excel's comma
    ("1.234.567", "count", "1234567"),
    ("1,234,567", "count", "1234567"),
    ("3.000,0", "count", "3000"),
    ("3,000.0", "count", "3000"),
    ("53.0", "count", "53"),  # a pandas export of a float column
    ("1 234", "count", "1234"),
    ("1\u00a0234", "count", "1234"),  # Excel's non-breaking space
    ("1\u202f234", "count", "1234"),  # narrow non-breaking space (French and Swiss Excel)
    ("  48 ", "count", "48"),
    ("\u00a048\u00a0", "count", "48"),
    ("12,5", "percent", "12.5"),
    ("12.5", "percent", "12.5"),
    ("12,50", "percent", "12.5"),  # trailing zeros are the same number
    ("0,500", "percent", "0.5"),  # a leading zero is never a thousands group
    ("1.234,5", "percent", "1234.5"),
    ("1,234.5", "percent", "1234.5"),
    (12.0, "count", "12"),  # Excel numeric cells
    (0.1 + 0.2, "percent", "0.3"),  # binary noise beyond Excel's 15 digits: Excel shows 0,3
    (2355.9999999999995, "count", "2356"),  # likewise, as Excel shows it
]

REFUSED = [
    # (cell, count or percent, a part of the Dutch message)
    ("3,000", "count", "is dubbelzinnig: 3000 als de komma duizendtallen scheidt, zoals in Engelse Excel, of 3 als"),
    ("3.000", "count", "is dubbelzinnig: 3000 als de punt duizendtallen scheidt, of 3 als de punt het decimaalteken"),
    ("1.500", "percent", "is dubbelzinnig: 1500 als de punt duizendtallen scheidt, of 1,5 als de punt"),
    ("1,500", "percent", "is dubbelzinnig: 1500 als de komma duizendtallen scheidt"),
    ("12,345", "percent", "meer decimalen dan de 1 die de indicator toestaat"),
    ("12,34", "percent", "heeft 2 decimalen; werkloosheid_pct heeft er hoogstens 1. De monitor rondt niet af"),
    ("12,5", "count", "is geen geheel getal; ww_uitkeringen is een aantal. De monitor rondt niet af"),
    (2355.9999999997, "count", "afrondingsrest (bedoeld: 2356?)"),  # float noise Excel shows: refused, not rounded
    ("2355.9999999997", "count", "afrondingsrest (bedoeld: 2356?)"),
    ("12,5%", "percent", "is geen getal: het eindigt op een %-teken"),
    ("€ 12", "count", "valutateken"),
    ("1,23E+03", "count", "wetenschappelijke notatie"),
    ("3-10-2020", "count", "lijkt een datum"),
    (dt.datetime(2020, 10, 3), "count", "is in Excel een datum (3-10-2020)"),
    ("(12)", "count", "tussen haakjes"),
    ("-3", "count", "is negatief"),
    ("1.2.3", "count", "is geen getal"),
    ("12345678901234567", "count", "meer dan 15 cijfers"),
    ("", "count", "waarde ontbreekt"),
]


def indicator_of(kind: str, percent):
    return COUNT if kind == "count" else percent


@pytest.mark.parametrize(("cell", "kind", "stored"), READ_AS, ids=[repr(case[0]) for case in READ_AS])
def test_a_value_written_in_one_unambiguous_way_is_read_exactly(cell, kind, stored, percent):
    value, message = values.read_value(cell, indicator_of(kind, percent))
    assert message is None and value == Decimal(stored)


@pytest.mark.parametrize(("cell", "kind", "message"), REFUSED, ids=[repr(case[0]) for case in REFUSED])
def test_a_value_that_could_be_another_number_is_refused_with_the_reason(cell, kind, message, percent):
    value, refused = values.read_value(cell, indicator_of(kind, percent))
    assert value is None and message in refused, refused


def test_both_readings_of_an_ambiguous_value_are_named_with_what_to_do(percent):
    _, refused = values.read_value("3,000", COUNT)
    assert refused == (
        "waarde '3,000' is dubbelzinnig: 3000 als de komma duizendtallen scheidt, zoals in Engelse Excel, of 3 als "
        "de komma het decimaalteken is. Schrijf het getal zonder scheidingsteken voor duizendtallen: 3000 of 3."
    )


# --- the property: deliveries written every way Excel writes numbers ---------------------------------------------

SPACES = (" ", "\u00a0", "\u202f")


def grouped(digits: str, separator: str) -> str:
    """'1234567' -> '1.234.567' with the given separator."""
    head = len(digits) % 3 or 3
    return separator.join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


def writings(value: Decimal, decimals: int) -> list[tuple[str, str, bool]]:
    """Every way Dutch and English spreadsheets write a value: (name, text, clean), where clean means the text has
    exactly one reading the indicator allows, so it must be accepted."""
    whole, _, fraction = notation.plain_dutch(value).partition(",")
    groups = len(whole) > 3
    single_group = groups and len(whole) <= 6
    # one thousands separator and nothing after it is ambiguous for a figure with decimals, and for a count
    # exactly when the decimal reading is a whole number too (3.000 could be 3)
    one_group_ambiguous = single_group and not fraction and (decimals > 0 or whole.endswith("000"))
    dutch = grouped(whole, ".") + ("," + fraction if fraction else "")
    english = grouped(whole, ",") + ("." + fraction if fraction else "")
    out = [
        ("plain", whole + ("," + fraction if fraction else ""), True),
        ("english plain", whole + ("." + fraction if fraction else ""), True),
        ("dutch grouped", dutch, not one_group_ambiguous),
        ("english grouped", english, not one_group_ambiguous),
        ("pandas float", whole + "." + (fraction or "0"), True),
        ("trailing zero", whole + "," + (fraction or "") + "0", True),
        ("percent sign", whole + ("," + fraction if fraction else "") + "%", False),
        ("padded", f"\u00a0 {whole}{',' + fraction if fraction else ''} ", True),
    ]
    if not fraction:  # '12,000' is 12000 or 12 unless the whole part cannot be a thousands group
        out.append(("three zeros", whole + ",000", len(whole) > 3 or whole == "0"))
    for space in SPACES:
        out.append((f"grouped with {space!r}", grouped(whole, space) + ("," + fraction if fraction else ""), True))
    if groups:
        out.append(("dutch with decimal", grouped(whole, ".") + "," + (fraction or "0"), True))
        out.append(("english with decimal", grouped(whole, ",") + "." + (fraction or "0"), True))
    return out


@st.composite
def delivery(draw):
    """A delivery: rows with a true value each and how it is written, and how the file itself is written."""
    kinds = draw(st.lists(st.sampled_from(["ww_uitkeringen", "faillissementen", "werkloosheid_pct"]),
                          min_size=1, max_size=3))  # fmt: skip
    rows, used = [], set()
    for indicator in kinds:
        area = draw(st.sampled_from(list(AREAS.itertuples())))
        month = draw(st.integers(0, 35))
        period = f"{2019 + month // 12}-{month % 12 + 1:02d}"
        assume((area.area_code, indicator, period) not in used)
        used.add((area.area_code, indicator, period))
        decimals = 1 if indicator == "werkloosheid_pct" else 0
        ceiling = min(10 * int(area.population_2020), 999_999)
        whole = draw(st.one_of(st.integers(0, ceiling), st.integers(0, ceiling // 1000).map(lambda n: n * 1000)))
        value = Decimal(whole) / 10 if decimals else Decimal(whole)
        name = draw(st.sampled_from([area.area_code, area.area_name, area.area_name.upper(), area.area_code[2:]]))
        remark = draw(st.sampled_from(["", "", "voorlopig"]))
        rows.append({"area": area.area_code, "name": name, "indicator": indicator, "period": period,
                     "value": value, "decimals": decimals, "remark": remark})  # fmt: skip
    return rows, draw(file_format())


@st.composite
def file_format(draw):
    if draw(st.booleans()):
        return {"kind": "xlsx", "title": draw(st.booleans())}
    return {
        "kind": "csv",
        # weighted toward the comma and hand-written files, where a separator inside a value shifts columns
        "separator": draw(st.sampled_from([";", ",", ",", "\t"])),
        "quoting": draw(st.sampled_from(["minimal", "all", "none", "none"])),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])),
        "newline": draw(st.sampled_from(["\r\n", "\n"])),
        "title": draw(st.booleans()),
        "trailing_columns": draw(st.integers(0, 2)),
        "remark_column": draw(st.booleans()),
    }


def as_excel_shows(number: float) -> Decimal:
    """What a numeric Excel cell means to the person who sees it: its value to 15 significant digits."""
    with localcontext() as context:
        context.prec = 15
        return +Decimal(number)


def cell_for(draw, row: dict, xlsx: bool) -> tuple[object, bool, Decimal]:
    """The waarde cell of a row, whether it is clean (must be accepted), and the value it means."""
    value = row["value"]
    if xlsx:
        kind = draw(st.sampled_from(["number", "noise", "visible noise", "text"]))
        if kind == "number":
            return (int(value) if value == value.to_integral_value() else float(value)), True, value
        if kind == "noise":  # a formula's result: binary noise below Excel's 15 digits, invisible in Excel
            cell = float(value) + float(value) * 1e-16
            return cell, True, as_excel_shows(cell)
        if kind == "visible noise":  # noise Excel shows (2355,9999999997): that is the number the cell holds
            cell = float(value) - 3e-10
            return cell, False, as_excel_shows(cell)
    _, text, clean = draw(st.sampled_from(writings(value, row["decimals"])))
    return text, clean, value


def write_file(rows: list[dict], cells: list[object], form: dict) -> tuple[bytes, str, bool]:
    """The delivery as bytes, its file name, and whether the way it is written is clean."""
    header = ["gemeente", "indicator", "periode", "waarde"] + (["opmerking"] if form.get("remark_column", True) else [])
    table = [[row["name"], row["indicator"], row["period"], cell] + ([row["remark"]] if len(header) == 5 else [])
             for row, cell in zip(rows, cells, strict=True)]  # fmt: skip
    if form["kind"] == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        if form["title"]:
            sheet.append(["Aanlevering WW en faillissementen"])
        sheet.append(header)
        for line in table:
            sheet.append(line)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue(), "levering.xlsx", True
    separator, extra = form["separator"], [""] * form["trailing_columns"]
    lines = [header + extra] + [[str(cell) for cell in line] + extra for line in table]
    clean = True
    if form["quoting"] == "none":  # hand-written: a separator inside a value splits it
        clean = not any(separator in cell or '"' in cell for line in lines for cell in line)
        text = form["newline"].join(separator.join(line) for line in lines) + form["newline"]
    else:
        buffer = io.StringIO()
        quoting = csv.QUOTE_ALL if form["quoting"] == "all" else csv.QUOTE_MINIMAL
        csv.writer(buffer, delimiter=separator, quoting=quoting, lineterminator=form["newline"]).writerows(lines)
        text = buffer.getvalue()
    if form["title"]:
        text = "Aanlevering WW en faillissementen" + form["newline"] + text
    try:
        content = text.encode(form["encoding"])
    except UnicodeEncodeError:
        content = text.encode("utf-8")
    return content, "levering.csv", clean


def stored_values(validation) -> dict[tuple[str, str, str], Decimal]:
    """What the import would write: the canonical file of the accepted rows, read back as exact decimals."""
    stored = pd.read_csv(io.BytesIO(commit.canonical_bytes(validation.rows)), dtype=str)
    return {(row.area_code, row.indicator_id, row.period): Decimal(row.value) for row in stored.itertuples()}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=delivery(), data=st.data())
def test_every_value_is_stored_exactly_or_the_file_is_refused(data_dir, case, data):
    rows, form = case
    chosen = [cell_for(data.draw, row, form["kind"] == "xlsx") for row in rows]
    cells = [cell for cell, _, _ in chosen]
    content, name, clean_file = write_file(rows, cells, form)
    must_accept = clean_file and all(clean for _, clean, _ in chosen)
    existing = checking.existing_observations(data_dir).iloc[:0]
    try:
        raw = reading.read_delivery(content, name)
    except reading.DeliveryError as refused:
        assert not must_accept, (refused.messages, cells, form)
        return
    validation = checking.validate(raw, data_dir, existing=existing)
    if not validation.ok:
        assert not must_accept, ([error.message for error in validation.errors], cells, form)
        assert all(error.message.startswith(f"Rij {error.row}: ") for error in validation.errors)
        return
    keys = [(row["area"], row["indicator"], row["period"]) for row in rows]
    meant = {key: value for key, (_, _, value) in zip(keys, chosen, strict=True)}
    assert stored_values(validation) == meant, (cells, form)


def test_a_round_trip_through_the_template_changes_nothing(private_data):
    from ratc.__main__ import main

    # real figures in force (demo values are never in force for a delivery): the demo series delivered as real
    demo = pd.read_csv(private_data / "demo" / "observations.csv", dtype={"period": str})
    delivered = private_data.parent / "echt.csv"
    delivered.write_bytes(template.template_csv(template.rows_in_force(demo)))
    assert main(["import", str(delivered)]) == 0
    in_force = checking.existing_observations()
    rows = template.rows_in_force(in_force)
    assert len(rows) > 5000
    files = [(template.template_csv(rows), "terug.csv"), (template.template_xlsx(rows=rows), "terug.xlsx")]
    for content, name in files:
        validation = checking.validate(reading.read_delivery(content, name), existing=in_force)
        assert validation.ok, validation.errors[:3]
        assert validation.changes.empty
        stored = stored_values(validation)
        expected = in_force.set_index(["area_code", "indicator_id", "period"])["value"]
        assert {key: float(value) for key, value in stored.items()} == {key: expected[key] for key in stored}


@pytest.mark.parametrize(
    ("value", "text"), [(1.125, "1,1250"), (12.125, "12,1250"), (1234.125, "1234,125"), (0.125, "0,125"), (3.0, "3")]
)
def test_values_in_force_are_written_so_no_reader_can_misread_them(value, text):
    assert template.value_text(value) == text
    assert len(notation.read_number(text).readings) == 1
