"""The data steward's page: template downloads, per-row errors for a bad file, and an import that shows up."""

import pytest
from conftest import run_app

from ratc.ingest import template
from ratc.warehouse import builder as warehouse
from ratc.warehouse import lineage

PAGE = "pages/delivery.py"
GOOD = "gemeente;indicator;periode;waarde;opmerking\nDordrecht;schuldhulp_aanmeldingen;2022-01;61;\n"
BAD = (
    "gemeente;indicator;periode;waarde;opmerking\n"
    "Dordrect;schuldhulp_aanmeldingen;2022-01;61;\n"
    "GM0505;bestaat_niet;2022-01;twaalf;\n"
)


def upload(app, name: str, text: str):
    """Upload a file on the page and rerun."""
    app.file_uploader(key="aanlevering_bestand").set_value((name, text.encode("utf-8"), "text/csv"))
    return app.run()


def test_bad_file_lists_every_row_problem_and_writes_nothing(private_data):
    ledger_before = (private_data / "imports.csv").read_bytes()
    app = upload(run_app(None, page=PAGE), "aanlevering.csv", BAD)
    assert not app.exception
    problems = app.dataframe[0].value
    assert set(problems["Rij"]) == {2, 3}
    assert any("Dordrect" in message for message in problems["Probleem"])
    with pytest.raises(KeyError):
        app.button(key="aanlevering_importeren")  # no import button while the file has errors
    assert (private_data / "imports.csv").read_bytes() == ledger_before


def test_good_file_is_imported_and_the_monitor_shows_it(private_data):
    app = upload(run_app(None, page=PAGE), "dordrecht-januari.csv", GOOD)
    assert any("in orde" in success.value for success in app.success)
    app.button(key="aanlevering_importeren").click().run()
    assert not app.exception
    record = lineage.read_ledger(private_data)[-1]
    assert record.rows_accepted == 1 and not record.is_demo
    assert any(f"import {record.import_id}" in success.value for success in app.success)
    assert warehouse.is_current(private_data)


def test_steward_key_protects_the_upload(private_data, monkeypatch):
    monkeypatch.setenv("RATC_STEWARD_KEY", "geheim-123")
    app = run_app(None, page=PAGE)
    assert not app.get("file_uploader")
    app.text_input(key="aanlevering_sleutel").input("fout").run()
    assert not app.get("file_uploader")
    app.text_input(key="aanlevering_sleutel").input("geheim-123").run()
    assert app.get("file_uploader")


def test_templates_open_with_the_documented_columns():
    assert template.template_csv().decode("utf-8-sig").splitlines()[0] == ";".join(template.COLUMNS)
    assert template.template_xlsx()[:2] == b"PK"
