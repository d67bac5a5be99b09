"""The delivery template: the columns the importer expects, examples that pass validation, reference sheets."""

import io

import pytest
from openpyxl import load_workbook

from ratc.core import metadata
from ratc.ingest import checking, reading, template


def no_existing():
    return checking.existing_observations().iloc[:0]


def test_csv_is_semicolon_separated_utf8_with_bom():
    content = template.template_csv()
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(template.COLUMNS)
    assert len(lines) > 3


TEMPLATES = [(template.template_csv, "t.csv"), (template.template_xlsx, "t.xlsx")]


def edited(make, name: str, row: list | None = None) -> bytes:
    """The template with its example marks removed, or with a row added below the examples."""
    if name.endswith(".csv"):
        if row is None:
            return make().replace(template.EXAMPLE_MARK.encode(), b"Zoals")
        return make() + ";".join(map(str, row)).encode() + b"\r\n"
    workbook = load_workbook(io.BytesIO(make()))
    sheet = workbook["Aanlevering"]
    if row is None:
        for cells in sheet.iter_rows(min_row=2):
            cells[4].value = cells[4].value.replace(template.EXAMPLE_MARK, "Zoals")
    else:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("make", "name"), TEMPLATES)
def test_examples_are_valid_rows_once_their_mark_is_removed(make, name):
    raw = reading.read_delivery(edited(make, name), name)
    validation = checking.validate(raw, existing=no_existing())
    assert validation.ok, validation.errors
    frequencies = metadata.read_indicators().set_index("indicator_id")["frequency"]
    assert set(frequencies[validation.rows["indicator_id"]]) == {"week", "maand", "kwartaal"}
    assert set(validation.rows["area_code"]) == {"GM0505"}


@pytest.mark.parametrize(("make", "name"), TEMPLATES)
def test_an_untouched_template_is_refused_as_the_example(make, name):
    with pytest.raises(reading.DeliveryError) as refused:
        reading.read_delivery(make(), name)
    assert refused.value.messages == [template.EXAMPLE_ONLY_MESSAGE]
    assert refused.value.messages[0].startswith("Dit is het voorbeeld")


@pytest.mark.parametrize(("make", "name"), TEMPLATES)
def test_example_rows_never_import_when_rows_are_added_below_them(make, name):
    added = ["Papendrecht", "ww_uitkeringen", "2022-01", 412, "eigen cijfer"]  # as a steward fills it in
    raw = reading.read_delivery(edited(make, name, added), name)
    validation = checking.validate(raw, existing=no_existing())
    assert not validation.ok
    refused = {error.row for error in validation.errors}
    assert refused == {2, 3, 4, 5}  # the four example rows, each named
    assert all("voorbeeldrij van het sjabloon" in error.message for error in validation.errors)


def test_xlsx_lists_deliverable_indicators_and_municipalities():
    workbook = load_workbook(io.BytesIO(template.template_xlsx()))
    assert workbook.sheetnames == ["Aanlevering", "Indicatoren", "Gemeenten"]
    assert [cell.value for cell in workbook["Aanlevering"][1]] == template.COLUMNS
    indicators = list(workbook["Indicatoren"].iter_rows(values_only=True))
    assert indicators[0] == ("id", "naam", "frequentie", "periodeformaat", "eenheid")
    listed = {row[0]: row for row in indicators[1:]}
    assert "ww_uitkeringen" in listed and "ww_per_1000" not in listed and "covid_meldingen_per_100k" not in listed
    assert listed["covid_meldingen"][3] == "2020-W14"
    assert listed["ww_uitkeringen"][3] == "2020-04"
    assert listed["jeugdhulp_trajecten"][3] == "2020-Q2"
    municipalities = list(workbook["Gemeenten"].iter_rows(values_only=True))
    assert municipalities[0] == ("code", "naam") and len(municipalities) == 11
    assert ("GM0505", "Dordrecht") in municipalities


def test_cli_writes_both_templates(tmp_path):
    from ratc.__main__ import main

    assert main(["template", str(tmp_path / "sjabloon.csv")]) == 0
    assert main(["template", "--xlsx", str(tmp_path / "sjabloon")]) == 0
    assert (tmp_path / "sjabloon.csv").read_bytes() == template.template_csv()
    assert (tmp_path / "sjabloon").read_bytes().startswith(b"PK")
