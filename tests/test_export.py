"""Exports of the Trends and Samenhang charts: valid PNG, SVG and PDF in the house style; data that round-trips."""

import datetime as dt
import functools
import io
import re
import struct
import xml.etree.ElementTree as ElementTree

import pandas as pd
import pytest

from ratc.core import charts, context, export
from ratc.monitor import coherence, trends
from ratc.warehouse import db

MADE_ON = dt.date(2026, 11, 25)
DORDRECHT_2020 = context.Context("GM0505", "ww_uitkeringen", "2020-12")
FIGURES = ["trend", "trend_index", "trend_weekly", "heatmap", "scatter"]


@pytest.fixture(scope="module")
def figures(con):
    """One figure of each kind, built on the fixture warehouse as the pages build them."""
    query = functools.partial(db.run_query, con)
    return {
        "trend": trends.trend(query, DORDRECHT_2020, ["GM0505"], "absoluut", "2020", made_on=MADE_ON),
        "trend_index": trends.trend(query, DORDRECHT_2020, ["GM0505", "GM1963"], "index", "alles", made_on=MADE_ON),
        "trend_weekly": trends.trend(
            query, context.Context(None, "covid_meldingen", "2021-12"), [], "per_10k", "6m", made_on=MADE_ON
        ),
        "heatmap": coherence.heatmap(query, DORDRECHT_2020, made_on=MADE_ON),
        "scatter": coherence.scatter(
            query, DORDRECHT_2020, "ww_uitkeringen", "bijstand_uitkeringen", "verandering", made_on=MADE_ON
        ),
    }


@pytest.fixture(scope="module")
def specs(figures):
    """The published Vega-Lite spec of each figure: title, subtitle, source line and house config."""
    return {name: charts.publication(figure.chart, figure.meta).to_dict() for name, figure in figures.items()}


def svg_texts(content: bytes) -> list[str]:
    """Every text element of an SVG document."""
    root = ElementTree.fromstring(content)
    return ["".join(element.itertext()) for element in root.iter() if element.tag.endswith("}text")]


def test_trend_file_name_says_what_is_in_it(figures):
    assert figures["trend"].meta.file_stem == "ww-uitkeringen_dordrecht_2020"
    assert export.file_stem("WW-uitkeringen", "Dordrecht", "2020") == "ww-uitkeringen_dordrecht_2020"


@pytest.mark.parametrize("name", ["trend", "heatmap", "scatter"])
def test_png_is_print_quality(specs, name):
    content = export.png(specs[name])
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(content) > 20_000
    width, height = struct.unpack(">II", content[16:24])  # IHDR: the image size in pixels
    assert 1_800 <= width <= 2_500 and height > 900  # about 720 px wide at scale 3


@pytest.mark.parametrize("name", FIGURES)
def test_svg_holds_title_subtitle_and_source_line(figures, specs, name):
    meta = figures[name].meta
    texts = svg_texts(export.svg(specs[name]))
    assert meta.title in texts and meta.subtitle in texts
    written = "".join("".join(texts).split())  # a long source line wraps: its lines are one text's parts
    assert "".join(meta.source_line.split()) in written and meta.source_line.startswith("Bron: ")
    assert "25 november 2026" in meta.source_line and "(Demodata)" in meta.source_line
    width = float(ElementTree.fromstring(export.svg(specs[name])).get("width"))
    assert width <= 800, "wider than the main column"


def test_svg_uses_dutch_number_and_date_formats(specs):
    texts = svg_texts(export.svg(specs["trend"]))
    assert any(re.fullmatch(r"\d\.\d{3}", text) for text in texts)  # 5.000 on the y axis
    assert "mrt 2020" in texts and "Intelligente lockdown" in texts
    assert not any(re.fullmatch(r"\d,\d{3}", text) or text.startswith(("Mar", "May", "Oct")) for text in texts)


@pytest.mark.parametrize("name", ["trend", "heatmap"])
def test_pdf_is_a_pdf(specs, name):
    content = export.pdf(specs[name])
    assert content.startswith(b"%PDF") and len(content) > 5_000


@pytest.mark.parametrize("name", FIGURES)
def test_csv_round_trips_to_the_chart_data(figures, name):
    frame = figures[name].frame
    pd.testing.assert_frame_equal(export.read_csv(export.csv(frame)), frame)


@pytest.mark.parametrize("name", FIGURES)
def test_xlsx_round_trips_and_says_what_it_is(figures, name):
    figure = figures[name]
    content = export.xlsx(figure.frame, figure.meta)
    data = pd.read_excel(io.BytesIO(content), sheet_name="Gegevens")
    pd.testing.assert_frame_equal(data, export.rounded(figure.frame, figure.meta.decimals), check_dtype=False)
    about = pd.read_excel(io.BytesIO(content), sheet_name="Verantwoording").set_index("Onderdeel")["Waarde"]
    assert about["Titel"] == figure.meta.title and about["Bron"] == figure.meta.source_line


def test_the_trend_chart_is_drawn_from_exactly_the_exported_frame(figures):
    figure = figures["trend"]
    spec = figure.chart.to_dict()
    line_data = pd.DataFrame(spec["datasets"][spec["data"]["name"]])  # the lines and points use the layer's data
    pd.testing.assert_frame_equal(line_data, figure.frame, check_dtype=False)
    csv = export.read_csv(export.csv(figure.frame)).set_index(["gebied_code", "periode_code"])
    assert (
        csv.loc[("GM0505", "2020-04"), "waarde"]
        == figure.frame.set_index(["gebied_code", "periode_code"]).loc[("GM0505", "2020-04"), "waarde"]
    )


def test_csv_rounds_figures_to_the_indicators_decimals_and_leaves_text_and_counts():
    frame = pd.DataFrame({"gebied": ["Dordrecht"], "aantal": [3], "waarde": [332.31615304651086]})
    text = export.csv(frame, decimals=1).decode("utf-8-sig")
    assert text.splitlines()[1] == "Dordrecht;3;332,3"
    assert "332,31615304651086" in export.csv(frame).decode("utf-8-sig")  # without decimals: as it is
