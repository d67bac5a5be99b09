"""Accessibility: readable contrast, colour-blind-safe colours, and a text and table alternative for every chart."""

from __future__ import annotations

import tomllib

import pytest
from conftest import ROOT, run_app

from ratc.core import charts

THEME = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
TEXT_MINIMUM, GRAPHICS_MINIMUM = 4.5, 3.0  # WCAG 2.1 AA: 1.4.3 text, 1.4.11 graphical objects
# Pages with charts, and a deep link that shows them.
CHART_PAGES = [
    ("pages/municipality.py", {"gemeente": "GM0505"}),
    ("pages/map.py", {"indicator": "ww_uitkeringen"}),
    ("pages/trend_lines.py", {"indicator": "bijstand_uitkeringen", "gemeente": "GM0505"}),
    ("pages/coherence.py", {}),
    ("pages/scenario_explorer.py", {"scenario": "cpb3"}),
]


def luminance(colour: str) -> float:
    """Relative luminance of a #RRGGBB colour (WCAG 2.1)."""
    channels = [int(colour.lstrip("#")[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("background", ["backgroundColor", "secondaryBackgroundColor"])
@pytest.mark.parametrize("foreground", ["textColor", "primaryColor", "redColor", "greenColor", "blueColor"])
def test_theme_text_colours_are_readable_on_both_backgrounds(foreground, background):
    assert contrast(THEME[foreground], THEME[background]) >= TEXT_MINIMUM


def test_chart_text_is_readable_and_marks_stand_out():
    config = charts.house_config()
    texts = [config["title"]["color"], config["title"]["subtitleColor"], config["axis"]["labelColor"],
             config["axis"]["titleColor"], config["text"]["color"]]  # fmt: skip
    assert all(contrast(colour, "#FFFFFF") >= TEXT_MINIMUM for colour in texts)
    for mark in (charts.WORSE, charts.BETTER, charts.NEUTRAL, charts.REFERENCE):
        assert contrast(mark, "#FFFFFF") >= GRAPHICS_MINIMUM


def test_charts_say_their_description_not_every_mark_axis_and_legend():
    # Vega's ARIA off on marks and guides: a screen reader gets the Dutch description and the table under the chart
    config = charts.house_config()
    assert config["aria"] is False and config["mark"]["aria"] is False


def test_colours_are_colour_blind_safe():
    assert set(charts.PALETTE) <= OKABE_ITO
    assert set(THEME["chartCategoricalColors"]) <= OKABE_ITO
    # good and bad are blue and vermillion, never green against red
    assert (charts.BETTER, charts.WORSE) == ("#0072B2", "#D55E00")
    assert charts.DIVERGING[0] == charts.BETTER and charts.DIVERGING[-1] == charts.WORSE


@pytest.mark.parametrize(("page", "params"), CHART_PAGES)
def test_every_chart_has_a_description_and_a_table(warehouse_file, page, params):
    app = run_app(warehouse_file, params=params, page=page)
    specs = [element.proto.spec for element in app.get("vega_lite_chart")]
    assert specs, f"{page} shows no chart"
    assert all('"description"' in spec for spec in specs)
    tables = [expander for expander in app.expander if expander.label == "Tabel bij deze grafiek"]
    assert len(tables) == len(specs)


def test_the_sources_page_carries_the_accessibility_statement(warehouse_file):
    app = run_app(warehouse_file, page="pages/sources.py")
    assert "Toegankelijkheid" in [header.value for header in app.header]
    statement = next(expander for expander in app.expander if expander.label.startswith("Toegankelijkheidsverklaring"))
    text = statement.markdown[0].value
    assert "voldoet gedeeltelijk" in text and "### Wat nog niet voldoet" in text  # sections under the page's h2
    assert "streamlit/streamlit#15726" in text
