"""Papers: the factsheet and the scenario paper read back from Word and PDF, the Demodata rule, and the page parts."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from conftest import run_app
from docx.oxml.ns import qn
from pypdf import PdfReader

from ratc import __main__ as cli
from ratc.core import context, metadata
from ratc.hangout import access, actions, board, session, votes
from ratc.monitor import overview
from ratc.papers import (
    bundle,
    conclusions,
    document,
    factsheet,
    images,
    labels,
    pdf,
    request,
    scenario_choices,
    scenario_paper,
    word,
)
from ratc.scenario import model, municipal
from ratc.scenario import parameters as scenario_data
from ratc.scenario import saved as scenario_store
from ratc.scenario.parameters import INDICATORS
from ratc.warehouse import builder as warehouse
from ratc.warehouse import db

MADE_ON = dt.date(2026, 11, 25)
MONTH = "2021-12"
DATA = scenario_data.load()
# Dutch numbers: 1.234 or 1.234,5 or 12,5 (a point groups thousands, a comma separates decimals); signed or percent
DUTCH_NUMBER = re.compile(r"^[+\-±]?\d{1,3}(\.\d{3})*(,\d+)?%?$")
ENGLISH_NUMBER = re.compile(r"\d,\d{3}\.\d|\d\.\d{1,2}(?!\d)")  # 1,234.5 or 12.5


@pytest.fixture(scope="module")
def query(warehouse_file):
    """The uncached query function the pages use."""
    connection = db.open_warehouse(warehouse_file)
    yield functools.partial(db.run_query, connection)
    connection.close()


def chosen(area: str | None = None, month: str = MONTH) -> context.Context:
    """A context for a paper."""
    return context.Context(area, "ww_uitkeringen", month)


SIGNALLED = ("GM0642", "2020-10")  # Zwijndrecht has a signal in October 2020 (demo data)


@pytest.fixture(scope="module")
def signalled(query) -> document.Paper:
    """Zwijndrecht's factsheet in a month with signals."""
    return factsheet.factsheet(query, chosen(*SIGNALLED), SIGNALLED[0], MADE_ON)


@pytest.fixture(scope="module")
def signalled_docx(signalled) -> docx.document.Document:
    return docx.Document(io.BytesIO(word.to_docx(signalled)))


@pytest.fixture(scope="module")
def signalled_pdf(signalled) -> PdfReader:
    return PdfReader(io.BytesIO(pdf.to_pdf(signalled)))


@pytest.fixture(scope="module")
def three_scenarios(query) -> tuple[list, document.Paper]:
    """The scenario paper for CPB scenarios 1, 3 and 4 for the region."""
    choices = [scenario_choices.preset(key, DATA) for key in ("cpb1", "cpb3", "cpb4")]
    return choices, scenario_paper.scenario_paper(query, choices, None, MONTH, made_on=MADE_ON)


@pytest.fixture(scope="module")
def scenario_docx(three_scenarios) -> docx.document.Document:
    return docx.Document(io.BytesIO(word.to_docx(three_scenarios[1])))


def headings(document_read) -> list[tuple[str, str]]:
    """(style, text) of every title and heading, in order."""
    return [(paragraph.style.name, paragraph.text) for paragraph in document_read.paragraphs
            if paragraph.style.name.startswith(("Heading", "Title"))]  # fmt: skip


def all_text(document_read) -> str:
    """Every paragraph, also inside tables."""
    parts = [paragraph.text for paragraph in document_read.paragraphs]
    parts += [cell.text for table in document_read.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(reader: PdfReader) -> str:
    """The PDF's text with its line breaks undone, so a sentence that wraps reads as one."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def captions(document_read) -> list[str]:
    """The text of every Caption paragraph, also inside table cells, numbers included."""
    paragraphs = list(document_read.paragraphs)
    paragraphs += [paragraph for table in document_read.tables for row in table.rows for cell in row.cells
                   for paragraph in cell.paragraphs]  # fmt: skip
    found = []
    for paragraph in paragraphs:
        if paragraph.style.name == "Caption":
            found.append("".join(node.text or "" for node in paragraph._p.iter(qn("w:t"))))
    return found


def test_factsheet_headings_come_in_order(signalled_docx):
    assert headings(signalled_docx) == [
        ("Title", "Factsheet Zwijndrecht"),
        ("Heading 1", "Kerncijfers"),
        ("Heading 1", "Wat wijkt af"),
        ("Heading 1", "Waar Zwijndrecht het meest afwijkt"),
        ("Heading 1", "Bronnen"),
    ]


def test_every_picture_has_alt_text_and_300_dpi(signalled, signalled_docx):
    pictures = [picture for block in signalled.blocks if isinstance(block, document.PictureRow)
                for picture in block.pictures]  # fmt: skip
    assert 4 <= len(pictures) <= 6
    assert all(images.density(picture) >= 299 for picture in pictures)
    described = [element.get("descr") for element in signalled_docx.element.body.iter(qn("wp:docPr"))]
    assert len(described) == len(pictures) and all(text and len(text) > 40 for text in described)
    assert all(text.startswith("Lijngrafiek: ") for text in described)


def test_word_styles_are_real_and_in_the_house_font(signalled_docx):
    styles = signalled_docx.styles
    fonts = styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:ascii")) == "Arial" and fonts.get(qn("w:asciiTheme")) is None
    assert styles["Heading 1"].element.rPr.rFonts.get(qn("w:ascii")) == "Arial"
    assert {table.style.name for table in signalled_docx.tables} == {"Table Grid", "Normal Table"}  # data, layout
    assert signalled_docx.core_properties.language == "nl-NL"
    fields = [field.get(qn("w:instr")) for field in signalled_docx.element.body.iter(qn("w:fldSimple"))]
    assert fields.count("SEQ Tabel \\* ARABIC") == 1 and fields.count("SEQ Figuur \\* ARABIC") >= 4


def test_figures_and_tables_are_numbered_in_order(signalled_docx):
    numbered = [caption.split(".")[0] for caption in captions(signalled_docx)]
    figures = [label for label in numbered if label.startswith("Figuur")]
    assert numbered[0] == "Tabel 1"
    assert figures == [f"Figuur {number}" for number in range(1, len(figures) + 1)]


def test_key_figures_are_a_word_table_in_dutch_formats(query, signalled_docx):
    key_table = next(table for table in signalled_docx.tables if table.rows[0].cells[0].text == "Indicator")
    header = [cell.text for cell in key_table.rows[0].cells]
    assert header == ["Indicator", "Periode", "Aantal", "Per 10.000", "Regio /10.000", "NL /10.000", "Sinds basis",
                      "Regio", "NL", "Rang"]  # fmt: skip
    rows = {row.cells[0].text: [cell.text for cell in row.cells] for row in key_table.rows[1:]}
    latest = query("latest_value_by_indicator", area_code=SIGNALLED[0], as_of_date=chosen(*SIGNALLED).as_of_date)
    ww = latest.set_index("indicator_id").loc["ww_uitkeringen", "value"]
    assert rows["WW-uitkeringen"][2] == f"{int(ww):,}".replace(",", ".")
    assert rows["WW-uitkeringen"][9].endswith("van 10")
    for cells in rows.values():
        for cell in cells[2:9]:
            assert cell == "–" or DUTCH_NUMBER.match(cell), cell
    assert not ENGLISH_NUMBER.search(all_text(signalled_docx).replace("SHA-256", ""))


def test_factsheet_pdf_says_name_signals_sources_and_demodata(query, signalled_pdf):
    text = pdf_text(signalled_pdf)
    assert "Factsheet Zwijndrecht" in text
    found = overview.area_signals(query, chosen(*SIGNALLED), area_code=SIGNALLED[0], limit=factsheet.SIGNALS)
    assert len(found) == 1 and all(signal.sentence in text for signal in found)
    assert overview.signals_caption("Zwijndrecht") in text
    assert "Bronnen" in text and "CBS / UWV" in text and "Import 2: demo/observations.csv" in text
    assert "Demodata" in text and "Verwijzen naar deze factsheet" in text
    assert len(signalled_pdf.pages) <= 2
    assert signalled_pdf.metadata.title == "Factsheet Zwijndrecht"


def test_a_factsheet_download_stays_small(signalled):
    """Each browser session keeps what it made in memory, the zip eleven factsheets at once (README: sizes)."""
    assert 100_000 < len(word.to_docx(signalled)) < 1_000_000
    assert 50_000 < len(pdf.to_pdf(signalled)) < 500_000


def test_the_region_has_a_factsheet_of_its_own(query):
    paper = factsheet.factsheet(query, chosen(), None, MADE_ON)
    text = pdf_text(PdfReader(io.BytesIO(pdf.to_pdf(paper))))
    assert paper.title == "Factsheet regio Zuid-Holland-Zuid" and "Rang" not in text
    assert "naast Nederland" in text
    assert overview.no_signals_text() in text  # nothing beyond chance at the end of 2021: the calm sentence


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pdf_pages_render_to_png(signalled, tmp_path):
    """What a person sees: every page renders, and the pages with charts are not blank."""
    (tmp_path / "factsheet.pdf").write_bytes(pdf.to_pdf(signalled))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(tmp_path / "factsheet.pdf"), str(tmp_path / "page")],
                   check=True, timeout=60)  # fmt: skip
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    from PIL import Image, ImageStat

    for page in pages:
        with Image.open(page) as image:
            assert ImageStat.Stat(image.convert("L")).stddev[0] > 20  # text and charts, not an empty page


@pytest.fixture
def real_only(tmp_path, monkeypatch):
    """A copy of data/ whose ledger says every import is real: a warehouse without demo values."""
    data = tmp_path / "data"
    shutil.copytree(warehouse.paths.data_dir(), data)
    ledger = data / "imports.csv"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace(",true,", ",false,"), encoding="utf-8")
    target = tmp_path / "warehouse.duckdb"
    warehouse.build(data, target)
    monkeypatch.setenv("RATC_DATA_DIR", str(data))
    connection = db.open_warehouse(target)
    yield functools.partial(db.run_query, connection)
    connection.close()


def test_no_demodata_label_where_no_demo_values_show(real_only):
    paper = factsheet.factsheet(real_only, chosen("GM0505"), "GM0505", MADE_ON)
    assert not paper.is_demo
    assert "Demodata" not in all_text(docx.Document(io.BytesIO(word.to_docx(paper))))
    assert "Demodata" not in pdf_text(PdfReader(io.BytesIO(pdf.to_pdf(paper))))
    scenario = scenario_paper.scenario_paper(real_only, [scenario_choices.preset("cpb3", DATA)], None, MONTH)
    assert "Demodata" not in pdf_text(PdfReader(io.BytesIO(pdf.to_pdf(scenario))))


@pytest.fixture
def one_real_indicator(tmp_path, monkeypatch):
    """A copy of data/ where the municipalities delivered real schuldhulp figures: that indicator is real as a
    whole, the others stay demo."""
    data = tmp_path / "data"
    shutil.copytree(warehouse.paths.data_dir(), data)
    monkeypatch.setenv("RATC_DATA_DIR", str(data))
    monkeypatch.setenv("RATC_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    codes = ["GM0482", "GM0505", "GM0512", "GM0523", "GM0531", "GM1963", "GM1978", "GM0590", "GM0610", "GM0642"]
    lines = ["gemeente;indicator;periode;waarde;opmerking"]
    months = [f"{year}-{month:02d}" for year in (2019, 2020, 2021) for month in range(1, 13)]
    lines += [f"{code};schuldhulp_aanmeldingen;{month};{20 + number + int(month[-2:])};"
              for number, code in enumerate(codes) for month in months]  # fmt: skip
    delivery = tmp_path / "schuldhulp.csv"
    delivery.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli.main(["import", str(delivery), "--source", "Gemeenten Zuid-Holland-Zuid"]) == 0
    connection = db.open_warehouse(tmp_path / "warehouse.duckdb")
    yield functools.partial(db.run_query, connection)
    connection.close()


def test_demodata_marks_only_the_indicators_that_are_demo(one_real_indicator):
    paper = factsheet.factsheet(one_real_indicator, chosen("GM0505"), "GM0505", MADE_ON)
    read = docx.Document(io.BytesIO(word.to_docx(paper)))
    key_table = next(table for table in read.tables if table.rows[0].cells[0].text == "Indicator")
    names = [row.cells[0].text for row in key_table.rows[1:]]
    assert "Schuldhulp" in names and "WW-uitkeringen · demodata" in names
    text = all_text(read)
    assert labels.DEMO_WARNING not in text and "de andere cijfers zijn echt" in text
    scenario = scenario_paper.scenario_paper(one_real_indicator, [scenario_choices.preset("cpb3", DATA)], None, MONTH)
    read = docx.Document(io.BytesIO(word.to_docx(scenario)))
    summary = next(table for table in read.tables if table.rows[0].cells[0].text == "Indicator")
    assert [row.cells[0].text for row in summary.rows[1:]] == [
        "WW-uitkeringen · demodata", "Bijstandsuitkeringen · demodata", "Schuldhulp", "Faillissementen · demodata"
    ]  # fmt: skip
    assert "De cijfers van WW-uitkeringen, Bijstandsuitkeringen en Faillissementen" in all_text(read).replace(
        "Demodata: de cijfers", "De cijfers"
    )


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ({"import_id": [1, 2]}, True),  # per import: import 2 is demo
        ({"import_id": [1]}, False),
        ({"import_id": [2, 2], "is_demo": [False, False]}, False),  # per value, where the warehouse says it
        ({"import_id": [1, 1], "is_demo": [False, True]}, True),
        ({"import_id": []}, False),
    ],
)
def test_demodata_is_decided_in_one_place(rows, expected):
    import pandas as pd

    imports = pd.DataFrame({"import_id": [1, 2], "is_demo": [False, True]})
    assert labels.is_demo(pd.DataFrame(rows), imports) is expected


def test_scenario_paper_headings_come_in_order(scenario_docx):
    found = headings(scenario_docx)
    level_one = [text for style, text in found if style == "Heading 1"]
    assert found[0] == ("Title", "Scenario's voor Zuid-Holland-Zuid")
    assert level_one == ["Samenvatting", "Per indicator", "Per gemeente", "Waar de gemeenten het meest uiteenlopen, "
                         "en waarom", "Aannames", "Conclusies van de hang-out", "Bronnen"]  # fmt: skip
    level_two = [text for style, text in found if style == "Heading 2"]
    assert level_two[:3] == [preset.naam for preset in (DATA.presets[key] for key in ("cpb1", "cpb3", "cpb4"))]
    assert level_two[-3:] == list(conclusions.EMPTY_HEADINGS)  # no session: empty headings to fill in


def test_every_number_in_the_summary_equals_the_page(query, three_scenarios, scenario_docx):
    """The summary's sentences and table are the Scenario's page's own, for the same settings."""
    choices, _ = three_scenarios
    observed = municipal.observed(query, MONTH)
    text = all_text(scenario_docx)
    summary = next(table for table in scenario_docx.tables if table.rows[0].cells[0].text == "Indicator")
    rows = [[cell.text for cell in row.cells] for row in summary.rows[1:]]
    for column, choice in enumerate(choices, start=3):
        projection = municipal.project(observed, choice.settings, DATA)  # as the page projects a preset
        for indicator in INDICATORS:
            assert model.sentence(projection, indicator, metadata.REGION_CODE) in text
        tiles = model.tiles(projection, metadata.REGION_CODE)
        assert [row[column] for row in rows] == [f"{tile.value_text} ({tile.delta_text})" for tile in tiles]
        assert model.unemployment_summary(projection, DATA) in text
    assert all(DUTCH_NUMBER.match(cell.split(" (")[0]) for row in rows for cell in row[2:])


def test_scenario_paper_has_charts_with_alt_text_and_tables_per_municipality(three_scenarios, scenario_docx):
    described = [element.get("descr") for element in scenario_docx.element.body.iter(qn("wp:docPr"))]
    assert len(described) == len(INDICATORS) and all("met de band van elk scenario" in text for text in described)
    pictures = [block for block in three_scenarios[1].blocks if isinstance(block, document.Picture)]
    assert all(images.density(picture) >= 299 for picture in pictures)
    per_municipality = [table for table in scenario_docx.tables if table.rows[0].cells[1].text == "Gemeente"]
    assert len(per_municipality) == len(INDICATORS)
    for table in per_municipality:
        ranks = [row.cells[0].text for row in table.rows[1:]]
        assert ranks == [str(number) for number in range(1, 11)] + [""]  # ten municipalities ranked, then the region
        shares = [share(row.cells[3].text) for row in table.rows[1:11]]
        assert shares == sorted(shares, reverse=True)  # a municipality without a share ('–') comes last


def share(cell: str) -> float:
    """The percentage in '+1.200 (+14%)'; minus infinity for '±0 (–)'."""
    found = re.search(r"\(([+\-±]\d+)%\)", cell)
    return float(found.group(1).replace("±", "")) if found else float("-inf")


def test_assumptions_hold_every_parameter_and_the_cpb_figures(scenario_docx):
    parameters = next(table for table in scenario_docx.tables if table.rows[0].cells[0].text == "Aanname")
    assert len(parameters.rows) - 1 == len(DATA.parameters.table)
    assert [cell.text for cell in parameters.rows[0].cells] == [
        "Aanname",
        "Waarde",
        "Eenheid",
        "Band",
        "Uitleg",
        "Bron",
    ]
    cpb = next(table for table in scenario_docx.tables if table.rows[0].cells[1].text == "Bbp 2020")
    row = next([cell.text for cell in row.cells] for row in cpb.rows if row.cells[0].text.startswith("CPB-scenario 3"))
    assert row[1:4] == ["-7,7%", "2,0%", "6,3%"]  # the CPB's own figures
    assert abs(float(row[4].rstrip("%").replace(",", ".")) - 6.3) <= 0.2  # the model's, within two tenths


def test_divergence_names_sensitivity_and_starting_level(scenario_docx):
    text = all_text(scenario_docx)
    assert "Sliedrecht heeft gevoeligheid 1,45" in text
    assert "Vóór de crisis had" in text and "per 10.000 inwoners" in text


def test_scenario_pdf_text(three_scenarios, query):
    choices, paper = three_scenarios
    text = pdf_text(PdfReader(io.BytesIO(pdf.to_pdf(paper))))
    projection = municipal.project(municipal.observed(query, MONTH), choices[1].settings, DATA)
    assert model.sentence(projection, "bijstand_uitkeringen", metadata.REGION_CODE) in text
    assert "CPB, Scenario's economische gevolgen coronacrisis (26 maart 2020), scenario 3." in text
    assert "Demodata" in text and "Figuur 4" in text


@pytest.fixture
def held_session(store_url):
    """A session with two themes, cards with dots (one hostile), and actions; its facilitator's pass."""
    created = session.create_session("Hang-out scenario's", dt.date(2020, 6, 4), ["Werk", "Schulden"])
    work, debts = (theme.theme_id for theme in session.themes(created.facilitator))
    piet = session.join(created.join_code, "Piet", "wethouder")
    retrain = board.add_card(piet, work, "idee", "Omscholen met werkgevers")
    board.add_card(piet, work, "dilemma", "<script>alert('x')</script> **vet**")
    board.add_card(piet, debts, "kans", "Vroegsignalering van schulden")
    session.set_phase(created.facilitator, "stemmen")
    votes.vote(piet, retrain)
    votes.vote(piet, retrain)
    actions.add_action(created.facilitator, "Banenpool opzetten", "Gemeente Dordrecht", work, None, dt.date(2020, 9, 1))
    return created.facilitator, piet


def test_conclusions_come_from_a_chosen_session(query, held_session):
    facilitator, participant = held_session
    with pytest.raises(access.AccessDenied):
        conclusions.from_session(participant)
    held = conclusions.from_session(facilitator)
    paper = scenario_paper.scenario_paper(query, [scenario_choices.preset("cpb3", DATA)], "GM0505", MONTH, held)
    read = docx.Document(io.BytesIO(word.to_docx(paper)))
    assert ("Heading 2", "Werk") in headings(read) and ("Heading 2", "Schulden") in headings(read)
    cells = [[cell.text for cell in row.cells] for table in read.tables for row in table.rows]
    assert ["2", "Idee", "Omscholen met werkgevers"] in cells
    assert ["Banenpool opzetten", "Gemeente Dordrecht", "1 sep 2020"] in cells
    text = pdf_text(PdfReader(io.BytesIO(pdf.to_pdf(paper))))
    assert "<script>alert('x')</script> **vet**" in text  # as text: nothing anyone typed is markup
    assert "Scenario's voor Dordrecht" in text


def test_scenarios_are_chosen_by_preset_link_or_saved_name(store_url):
    assert scenario_choices.resolve("cpb3", DATA).settings == scenario_choices.preset("cpb3", DATA).settings
    linked = scenario_choices.resolve("https://monitor.example/scenarios?scenario=cpb3&duur=9", DATA)
    assert linked.settings.duur == 9 and linked.settings.bbp_2020 == DATA.presets["cpb3"].bbp_2020
    scenario_store.save("Lange lockdown", linked.settings)
    assert scenario_choices.resolve("Lange lockdown", DATA).settings == linked.settings
    with pytest.raises(scenario_choices.ChoiceError, match="bestaat niet|geen opgeslagen"):
        scenario_choices.resolve("cpb9", DATA)
    with pytest.raises(scenario_choices.ChoiceError, match="ongeldig"):
        scenario_choices.resolve("scenario=cpb3&duur=99", DATA)
    five = [scenario_choices.preset(key, DATA) for key in list(DATA.presets)[:5]]
    with pytest.raises(scenario_choices.ChoiceError, match="hoogstens 4"):
        scenario_choices.checked(five)


def test_a_request_names_an_unknown_area_or_month(query):
    assert request.context_for(query, "sliedrecht", "2021-06") == context.Context("GM0610", "ww_uitkeringen",
                                                                                   "2021-06")  # fmt: skip
    assert request.context_for(query, "regio").gemeente is None
    with pytest.raises(request.RequestError, match="onbekend"):
        request.context_for(query, "Rotterdam")
    with pytest.raises(request.RequestError, match="niet beschikbaar"):
        request.context_for(query, None, "2031-01")


def test_all_factsheets_come_as_one_zip_with_progress(query, monkeypatch):
    """Every municipality and the region, in both formats, with progress before each (the factsheet is stubbed:
    one real factsheet is tested above, ten would take half a minute)."""
    made = []

    def quick(query_, chosen_, code, made_on=None):
        made.append(code)
        return document.Paper(f"Factsheet {code}", "", (document.Paragraph.plain(code),), f"factsheet_{code}",
                              MADE_ON, False)  # fmt: skip

    monkeypatch.setattr(factsheet, "factsheet", quick)
    steps = []
    content = bundle.factsheets_zip(query, chosen(), progress=lambda done, step: steps.append((done, step)))
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert len(made) == 11 and made[-1] == metadata.REGION_CODE
    assert len(names) == 22 and "factsheet_GM0505.docx" in names and "factsheet_VR18.pdf" in names
    assert [done for done, _ in steps] == sorted(done for done, _ in steps) and steps[-1][0] == 1.0
    assert steps[0] == (0.0, "0 van 11 factsheets klaar") and steps[1][1] == "1 van 11 factsheets klaar: Alblasserdam"


def test_command_line_writes_a_factsheet_and_a_paper(warehouse_file, tmp_path, capsys, store_url):
    assert cli.main(["factsheet", "dordrecht", "--month", "2021-06", "--out", str(tmp_path)]) == 0
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == ["factsheet_dordrecht_2021-06.docx", "factsheet_dordrecht_2021-06.pdf"]
    assert cli.main(["paper", "--scenario", "cpb1", "--scenario", "scenario=cpb3&duur=9", "--format", "pdf",
                     "--out", str(tmp_path / "paper.pdf")]) == 0  # fmt: skip
    assert "Scenario's voor Zuid-Holland-Zuid" in pdf_text(PdfReader(tmp_path / "paper.pdf"))
    assert cli.main(["factsheet", "Rotterdam"]) == 2
    assert "onbekend" in capsys.readouterr().err
    assert cli.main(["paper", "--session", "XXXXXX", "--key", "fout"]) == 2


def test_command_line_asks_the_facilitator_key_without_echo(warehouse_file, tmp_path, monkeypatch, store_url):
    """Without --key the key is asked by getpass, so it never stands in the process list or the shell's history."""
    created = session.create_session("Hang-out scenario's", dt.date(2020, 6, 4), ["Werk"])
    typed = iter([created.facilitator.key, "fout"])
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or next(typed))
    command = ["paper", "--session", created.join_code, "--format", "docx", "--out", str(tmp_path / "paper.docx")]
    assert cli.main(command) == 0
    assert asked == ["Facilitatorsleutel van de sessie: "]
    assert ("Heading 2", "Werk") in headings(docx.Document(tmp_path / "paper.docx"))
    assert cli.main(command) == 2 and len(asked) == 2  # a wrong key typed: refused, nothing written anew


def test_mijn_gemeente_offers_the_factsheet_in_one_click(warehouse_file):
    app = run_app(warehouse_file, {"gemeente": "GM0505"}, "pages/municipality.py")
    labels_shown = [button.proto.label for button in app.get("download_button")]
    assert "Factsheet (Word)" in labels_shown and "Factsheet (PDF)" in labels_shown
    assert app.button(key="papers_zip").proto.label == "Alle factsheets (zip)"


def test_the_scenario_page_makes_the_paper(warehouse_file, store_url):
    app = run_app(warehouse_file, {"scenario": "cpb3"}, "pages/scenario_explorer.py")
    chooser = app.multiselect(key="papers_scenarios")
    assert chooser.value == ["huidig"] and "Huidige instelling (CPB-scenario 3)" in chooser.options
    chooser.set_value(["preset:cpb1", "preset:cpb4"]).run()
    app.button(key="papers_maken").click().run()
    assert not app.exception
    shown = [button.proto.label for button in app.get("download_button")]
    assert "Paper (Word)" in shown and "Paper (PDF)" in shown
    app.select_slider(key="sc_bbp2021").set_value(-4.0).run()  # the sliders move, the chosen presets do not
    assert "Paper (Word)" in [button.proto.label for button in app.get("download_button")]
    app.multiselect(key="papers_scenarios").set_value(["huidig", "preset:cpb4"]).run()  # another request
    assert "Paper (Word)" not in [button.proto.label for button in app.get("download_button")]


def test_papers_are_open_in_production_as_they_only_read(warehouse_file, store_url, production):
    """A production start without keys refuses every write, but papers only read: both are offered and made."""
    app = run_app(warehouse_file, {"gemeente": "GM0505"}, "pages/municipality.py")
    assert "Factsheet (PDF)" in [button.proto.label for button in app.get("download_button")]
    app.switch_page("pages/scenario_explorer.py").run()
    app.button(key="papers_maken").click().run()
    assert not app.exception
    assert "Paper (PDF)" in [button.proto.label for button in app.get("download_button")]


def test_from_markdown_keeps_bold_and_numbered_items():
    blocks = document.from_markdown("**Zo** rekent het.\n\n1. **Een.** a\n2. b\n\nSlot")
    assert blocks[0] == document.Paragraph((("Zo", True), (" rekent het.", False)))
    assert (
        isinstance(blocks[1], document.Bullets) and blocks[1].numbered and blocks[1].items[0].runs[0] == ("Een.", True)
    )
    assert blocks[2].text == "Slot"
