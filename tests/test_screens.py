"""Every page on a phone (390×844) and on a laptop (1280×720): no chart, map or table box wider than the screen,
and on a laptop each monitor page shows a chart, map, tile or table of its main content within the first 720 px.

Marked and skipped like tests/test_browser.py (whose Chromium and server fixtures it shares): skips without
Playwright or /usr/bin/chromium unless RATC_REQUIRE_BROWSER=1. Screenshots go to tests/screenshots/screens/.
"""

from __future__ import annotations

import pytest
from test_browser import (  # noqa: F401  (fixtures shared with the browser smoke test)
    LAPTOP,
    PAGES,
    PHONE,
    SCREENSHOTS,
    UI_TIMEOUT_MS,
    _assert_no_error_boxes,
    _tail,
    _wait_until_idle,
    browser,
    server,
)

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the `browser` fixture skips (or fails under RATC_REQUIRE_BROWSER=1)
    PlaywrightError = AssertionError

pytestmark = pytest.mark.browser

# The monitor pages, whose main figure must show without scrolling on a 1280×720 screen.
MONITOR_PAGES = {"", "mijn-gemeente?gemeente=GM0505", "kaart", "trends", "samenhang", "scenarios", "bronnen"}
# The first chart, map, KPI tile or table of the main area that starts above the fold (its top within the first
# 720 px of the page, with at least 100 px of it showing), or null.
ABOVE_THE_FOLD = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const selectors = '.vega-embed, [data-testid="stDeckGlJsonChart"], [data-testid="stMetric"], '
                    + '[data-testid="stDataFrame"]';
    for (const element of main.querySelectorAll(selectors)) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && box.height > 0 && box.top >= 0 && box.top + Math.min(box.height, 100) <= 720) {
            return `${element.getAttribute('data-testid') || 'vega-embed'} at ${Math.round(box.top)} px`;
        }
    }
    return null;
}"""
# A chart's drawing, a map and a table's box: each must fit the screen (a wide table scrolls inside its box).
BOXES = """() => {
    const selectors = ['.vega-embed', '.vega-embed canvas', '.vega-embed svg.marks',
                       '[data-testid="stDeckGlJsonChart"]', '[data-testid="stDataFrame"]',
                       '[data-testid="stTable"]'];
    const wide = [];
    for (const selector of selectors) {
        for (const element of document.querySelectorAll(selector)) {
            const box = element.getBoundingClientRect();
            if (box.width === 0) continue;  // in a closed expander or another tab
            // a matrix of cells scrolls inside its own box (ui.show_chart): the box must fit, not its drawing
            if (selector !== '.vega-embed' && element.closest('[class*="st-key-scroll-"]')) continue;
            if (box.right > window.innerWidth + 1 || box.left < -1) {
                const label = element.closest('[data-testid]')?.getAttribute('data-testid') || selector;
                wide.push(`${selector} in ${label}: ${Math.round(box.left)}..${Math.round(box.right)} px`);
            }
        }
    }
    return wide;
}"""


@pytest.fixture(scope="module", params=[PHONE, LAPTOP], ids=["phone", "laptop"])
def screen(request, browser):  # noqa: F811
    """One browser context per screen size, shared by the pages (a fresh one per page costs a second each)."""
    context = browser.new_context(viewport=request.param, locale="nl-NL")
    context.set_default_timeout(UI_TIMEOUT_MS)
    tab = context.new_page()
    yield request.param, tab
    context.close()


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.split("?")[0] or "overzicht")
def test_every_chart_map_and_table_fits_the_screen(screen, server, path):  # noqa: F811
    viewport, page = screen
    page.goto(f"{server['url']}/{path}")
    try:
        page.get_by_role("heading", level=1).first.wait_for(timeout=UI_TIMEOUT_MS)
        _wait_until_idle(page)
        _assert_no_error_boxes(page)
    except (AssertionError, PlaywrightError) as error:
        raise AssertionError(f"{path}: {error}\nserver log:\n{_tail(server['stderr'])}") from error
    name = path.split("?")[0] or "overzicht"
    SCREENSHOTS.joinpath("screens").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "screens" / f"{name}-{viewport['width']}.png"), full_page=True)
    too_wide = page.evaluate(BOXES)
    assert not too_wide, f"{path} at {viewport['width']}×{viewport['height']}: wider than the screen: {too_wide}"
    if viewport == LAPTOP and path in MONITOR_PAGES:
        try:  # a busy machine may still be drawing the page's widgets and charts after the script has finished
            page.wait_for_function(ABOVE_THE_FOLD, timeout=30_000)
        except PlaywrightError:
            raise AssertionError(f"{path}: no chart, map, tile or table within the first 720 px") from None
