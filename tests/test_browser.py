"""Browser smoke test: the real app as the README starts it (`python -m ratc serve --local`), driven by Chromium.

Skips when Playwright or /usr/bin/chromium is missing, unless RATC_REQUIRE_BROWSER=1 (CI), which
turns the skip into a failure. Screenshots go to tests/screenshots/ (gitignored) for a human to look at.
No timed assertions: the time to the first KPI tile is only printed (see it with `pytest -s`).
"""

from __future__ import annotations

import csv
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # handled by the `browser` fixture: skip, or fail under RATC_REQUIRE_BROWSER=1
    expect = sync_playwright = None

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP = VIEWPORT = {"width": 1280, "height": 720}  # the facilitator's screen share
PHONE = {"width": 390, "height": 844}  # the alderman's phone
# Every page of the app by its path (tests/test_screens.py, tests/test_accessibility_browser.py).
PAGES = [
    "",  # Regio-overzicht, the default page (its url_path "overzicht" answers "Page not found")
    "mijn-gemeente?gemeente=GM0505",
    "kaart",
    "trends",
    "samenhang",
    "scenarios",
    "sessie",
    "meedoen",
    "praktijken",
    "bedrijfsvoering",
    "bedrijfsvoering-melden",
    "initiatieven",
    "bronnen",
    "aanleveren",
]
START_TIMEOUT_S = 60
UI_TIMEOUT_MS = 60_000
KPI_INDICATOR = "ww_uitkeringen"  # "Lopende WW-uitkeringen"
# An id from the code where Dutch words belong: an indicator or scenario id, a municipality code, "toon: …".
CODE_ID = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\bcpb\d\b|\bGM\d{4}\b|\b(?:scenario|toon|maat|bereik|gemeente)\s*[:=]")
# Presentation mode as a slide: its titles, its text, the computed font sizes of the chart's SVG text, and any
# chart text that crosses the border of its column.
SLIDE = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const texts = [...main.querySelectorAll('.vega-embed svg text')].filter(t => t.textContent.trim()
        && t.getBoundingClientRect().width > 0 && getComputedStyle(t).opacity !== '0');
    const outside = [];
    for (const t of texts) {
        const column = t.closest('[data-testid="stColumn"]');
        const box = t.getBoundingClientRect(), border = column ? column.getBoundingClientRect() : null;
        if (border && (box.right > border.right + 1 || box.left < border.left - 1)) outside.push(t.textContent);
    }
    const words = main.cloneNode(true);  // the text without the names of Material icons ('arrow_back')
    words.querySelectorAll('[data-testid="stIconMaterial"]').forEach(icon => icon.remove());
    return {titles: main.querySelectorAll('h1, h2').length, text: words.textContent, outside: outside,
            fonts: texts.map(t => parseFloat(getComputedStyle(t).fontSize))};
}"""


def _unavailable(reason: str) -> None:
    """Skip for a missing browser dependency, or fail when CI demands the browser test runs."""
    if os.environ.get("RATC_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (and RATC_REQUIRE_BROWSER=1, so this may not skip)", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"


def _labels_of(indicator_id: str) -> set[str]:
    """The names a tile of this indicator may carry: its full name and its short name, from indicators.csv."""
    with (ROOT / "data" / "indicators.csv").open(newline="", encoding="utf-8") as file:
        row = next(row for row in csv.DictReader(file) if row["indicator_id"] == indicator_id)
    return {row[column] for column in ("name", "short_name") if row.get(column)}


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium for the module (Playwright cannot download its own here)."""
    if sync_playwright is None:
        _unavailable("the playwright package is not importable")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    expect.set_options(timeout=UI_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(warehouse_file, tmp_path_factory):
    """The app as the README starts it (`python -m ratc serve --local`, the trial mode) on a free port, reading the
    test warehouse."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("streamlit")
    stdout, stderr = logs / "stdout.log", logs / "stderr.log"
    command = [
        sys.executable,
        "-m",
        "ratc",
        "serve",
        "--local",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        # Others edit the sources while tests run: no "source file changed" banner in the screenshots.
        "--server.fileWatcherType",
        "none",
    ]
    env = {**os.environ, "RATC_WAREHOUSE": str(warehouse_file)}
    started = time.monotonic()
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    try:
        deadline = started + START_TIMEOUT_S
        while not _healthy(url):
            if process.poll() is not None:
                pytest.fail(
                    f"streamlit exited with code {process.returncode} before {url}/_stcore/health answered.\n"
                    f"stderr tail:\n{_tail(stderr)}\nstdout tail:\n{_tail(stdout)}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"{url}/_stcore/health did not answer 'ok' within {START_TIMEOUT_S} s.\n"
                    f"stderr tail:\n{_tail(stderr)}\nstdout tail:\n{_tail(stdout)}",
                    pytrace=False,
                )
            time.sleep(0.2)
        yield {"url": url, "started": started, "stderr": stderr}
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture
def page(browser, server):
    """A fresh 1280×720 tab per test; console errors are kept on `page.console_errors`."""
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    context.set_default_timeout(UI_TIMEOUT_MS)
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    yield tab
    context.close()


def _wait_until_idle(page) -> None:
    """Wait for the script run to finish: no 'running' status widget, no stale elements, no spinners."""
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-stale="true"]')
                 && !document.querySelector('[data-testid="stSpinner"]')""",
        timeout=UI_TIMEOUT_MS,
    )
    page.wait_for_timeout(500)  # let charts and fonts settle before the screenshot


def _assert_no_error_boxes(page) -> None:
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, exceptions.all_inner_texts()
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.all_inner_texts()


def _screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path))
    return path


def test_a_deep_link_as_the_first_request_after_start_opens_its_page(page, server):
    # the first test of the module: nothing has been requested from this server yet
    page.goto(f"{server['url']}/kaart?indicator=ww_uitkeringen")
    expect(page.get_by_role("heading", level=1).first).to_contain_text("Kaart", timeout=UI_TIMEOUT_MS)
    _wait_until_idle(page)
    assert page.get_by_text("Page not found").count() == 0
    _assert_no_error_boxes(page)


def test_overview_shows_heading_kpis_and_demo_notice(page, server):
    opened = time.monotonic()
    page.goto(f"{server['url']}/")

    tiles = page.get_by_test_id("stMetric")
    expect(tiles.first).to_be_visible(timeout=UI_TIMEOUT_MS)
    first_kpi = time.monotonic()
    print(
        f"\ntime to first KPI tile: {first_kpi - opened:.2f} s after page.goto, "
        f"{first_kpi - server['started']:.2f} s after server start (information only, not asserted)"
    )

    expect(page.get_by_role("heading", level=1, name="Regio-overzicht Zuid-Holland-Zuid")).to_be_visible()
    labels = _labels_of(KPI_INDICATOR)
    label = re.compile("^(" + "|".join(re.escape(name) for name in sorted(labels)) + ")$")
    ww = tiles.filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label))
    expect(ww, f"one KPI tile labelled {' or '.join(sorted(labels))}").to_have_count(1)
    expect(ww.get_by_test_id("stMetricValue")).to_have_text(re.compile(r"\d"))
    expect(page.get_by_text("Demodata").first).to_be_visible()

    _wait_until_idle(page)
    _assert_no_error_boxes(page)
    _screenshot(page, "overview.png")


def test_deep_link_opens_the_profile_of_dordrecht(page, server):
    page.goto(f"{server['url']}/mijn-gemeente?gemeente=GM0505")

    expect(page.get_by_role("heading", level=1, name="Dordrecht")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page).to_have_url(re.compile(r"gemeente=GM0505"))

    _wait_until_idle(page)
    _assert_no_error_boxes(page)
    _screenshot(page, "mijn-gemeente.png")


def test_alderman_opens_a_deep_link_to_dordrecht_and_exports_a_chart_for_the_council(page, server):
    # the journey of an alderman: a link from an e-mail, the profile in plain Dutch, one chart as an image
    page.goto(f"{server['url']}/mijn-gemeente?gemeente=GM0505&indicator=bijstand_uitkeringen")
    expect(page.get_by_role("heading", level=1, name="Dordrecht")).to_be_visible(timeout=UI_TIMEOUT_MS)
    _wait_until_idle(page)
    _assert_no_error_boxes(page)
    button = page.get_by_test_id("stDownloadButton").filter(has_text="PNG").first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=UI_TIMEOUT_MS) as download_info:
        button.click()
    download = download_info.value
    assert "dordrecht" in download.suggested_filename and download.suggested_filename.endswith(".png")
    target = SCREENSHOTS / "export" / download.suggested_filename
    target.parent.mkdir(parents=True, exist_ok=True)
    download.save_as(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    _screenshot(page, "journey-alderman.png")


def test_a_strategist_takes_the_factsheet_of_zwijndrecht_in_one_click(page, server):
    # Mijn gemeente: the factsheet is made when the button is clicked, as a PDF with the municipality in it
    page.goto(f"{server['url']}/mijn-gemeente?gemeente=GM0642&periode=2020-08")
    expect(page.get_by_role("heading", level=1, name="Zwijndrecht")).to_be_visible(timeout=UI_TIMEOUT_MS)
    _wait_until_idle(page)
    button = page.get_by_test_id("stDownloadButton").filter(has_text="Factsheet (PDF)").first
    with page.expect_download(timeout=UI_TIMEOUT_MS) as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename == "factsheet_zwijndrecht_2020-08.pdf"
    target = SCREENSHOTS / "export" / download.suggested_filename
    target.parent.mkdir(parents=True, exist_ok=True)
    download.save_as(target)
    content = target.read_bytes()
    assert content[:5] == b"%PDF-" and b"Factsheet Zwijndrecht" in content  # the title in the PDF's properties
    _assert_no_error_boxes(page)


def test_facilitator_runs_a_session_with_a_scenario_and_the_strategist_takes_the_report(browser, server):
    # the facilitator screen-shares; a participant writes a card from a phone; the strategist takes the report
    url = server["url"]
    facilitator_context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    facilitator_context.set_default_timeout(UI_TIMEOUT_MS)
    screen = facilitator_context.new_page()
    screen.goto(f"{url}/sessie")
    screen.get_by_label("Titel").fill("Hang-out werk en inkomen")
    screen.get_by_label("Thema's (één per regel; na een dubbele punt de dilemma's en kansen)").fill(
        "Werk en inkomen: banen behouden of omscholen?\nJeugd"
    )
    screen.get_by_role("button", name="Sessie aanmaken").click()
    expect(screen.get_by_text("Bewaar uw facilitatorsleutel.")).to_be_visible()
    code = screen.get_by_test_id("stMetricValue").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    screen.get_by_role("button", name="Ik heb de sleutel bewaard").click()
    expect(screen.get_by_text("Bewaar uw facilitatorsleutel.")).to_have_count(0)
    _wait_until_idle(screen)

    # a reload keeps the facilitator signed in, and no secret is on the screen or in the link others see
    screen.reload()
    expect(screen.get_by_role("heading", level=1, name="Hang-out werk en inkomen")).to_be_visible()
    _wait_until_idle(screen)
    assert screen.get_by_label("Facilitatorsleutel").count() == 0
    token = next(cookie["value"] for cookie in facilitator_context.cookies() if cookie["name"] == "ratc_facilitator")
    shown = screen.locator("body").inner_text()
    assert token not in screen.url and token not in shown and "code=" + code in screen.url

    # a scenario goes on the agenda by its share link
    screen.get_by_text("Weergave toevoegen met een link uit de monitor").click()
    link = screen.get_by_role("textbox", name="Link", exact=True)
    link.fill(f"{url}/scenarios?scenario=cpb3&toon=bijstand_uitkeringen")
    link.press("Tab")
    _wait_until_idle(screen)
    screen.get_by_role("button", name="Vastzetten").click()
    expect(screen.get_by_text(re.compile("CPB-scenario 3")).first).to_be_visible()
    screen.get_by_test_id("stButtonGroup").get_by_text("Kaarten", exact=True).click()  # refreshes by itself
    _wait_until_idle(screen)

    participant_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    participant_context.set_default_timeout(UI_TIMEOUT_MS)
    phone = participant_context.new_page()
    phone.goto(f"{url}/meedoen?code={code}")
    phone.get_by_label("Uw naam (optioneel)").fill("Wethouder Jansen")
    phone.get_by_role("button", name="Meedoen").click()
    expect(phone.get_by_label("Uw kaart")).to_be_visible()
    _wait_until_idle(phone)
    phone.get_by_label("Uw kaart").fill("Hoeveel jongeren komen in de bijstand als de steun stopt?")
    phone.get_by_role("button", name="Kaart plaatsen").click()
    expect(phone.get_by_text("Kaarten tot nu toe: 1")).to_be_visible()
    expect(phone.get_by_label("Uw kaart")).to_have_value("")  # the form is empty for the next card
    _wait_until_idle(phone)
    _assert_no_error_boxes(phone)
    _screenshot(phone, "journey-participant.png")
    # the card appears on the facilitator's Kaarten tab by itself, without pressing anything
    expect(screen.get_by_text("Hoeveel jongeren komen in de bijstand").first).to_be_visible(timeout=15_000)

    screen.get_by_role("button", name="Presenteren").click()
    expect(screen.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    phone.get_by_label("Uw kaart").fill("Wat doen werkgevers met de NOW?")
    phone.get_by_role("button", name="Kaart plaatsen").click()
    # the card written on the phone appears on the shared screen by itself (live refresh)
    expect(screen.get_by_text("Wat doen werkgevers met de NOW?").first).to_be_visible(timeout=15_000)
    _wait_until_idle(screen)
    _assert_no_error_boxes(screen)
    _screenshot(screen, "journey-facilitator-presentation.png")
    slide = screen.evaluate(SLIDE)
    assert slide["titles"] == 1, f"one title on the slide, not {slide['titles']}"
    assert not CODE_ID.search(slide["text"]), f"an id from the code on the slide: {CODE_ID.search(slide['text'])}"
    assert slide["fonts"] and min(slide["fonts"]) >= 14, f"chart text below 14 px: {sorted(set(slide['fonts']))}"
    assert not slide["outside"], f"chart text crossing its column: {slide['outside']}"
    screen.get_by_role("button", name="Sluiten").click()
    expect(screen.get_by_role("button", name="Presenteren")).to_be_visible()
    _wait_until_idle(screen)

    screen.get_by_text("Verslag", exact=True).click()
    _wait_until_idle(screen)
    screen.get_by_role("button", name="Verslag maken").click()
    button = screen.get_by_test_id("stDownloadButton").filter(has_text="Verslag (Word)")
    with screen.expect_download(timeout=UI_TIMEOUT_MS) as download_info:
        button.click()
    download = download_info.value
    target = SCREENSHOTS / "export" / download.suggested_filename
    target.parent.mkdir(parents=True, exist_ok=True)
    download.save_as(target)
    import docx  # python-docx: the strategist's report opens and holds the scenario chart and the card

    document = docx.Document(str(target))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    body = "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)
    assert "Hang-out werk en inkomen" in body and "Hoeveel jongeren komen in de bijstand" in body
    assert document.inline_shapes, "the report holds the pinned scenario chart as an image"
    assert not CODE_ID.search(body), f"an id from the code in the report: {CODE_ID.search(body)}"
    participant_context.close()
    facilitator_context.close()


def test_quick_clicks_on_a_dot_all_count_as_far_as_the_dots_reach_and_a_refused_one_says_why(page, server):
    import datetime as dt

    from ratc.hangout import board, session, votes

    created = session.create_session("Snel klikken", dt.date(2020, 6, 1), ["Werk"], dots_per_participant=3)
    writer = session.join(created.join_code, "Schrijver")
    (theme,) = session.themes(created.facilitator)
    for card in ("Banenpool", "Omscholen"):
        board.add_card(writer, theme.theme_id, "idee", card)
    session.set_phase(created.facilitator, "stemmen")

    page.goto(f"{server['url']}/meedoen?code={created.join_code}")
    page.get_by_label("Uw naam (optioneel)").fill("Snelle klikker")
    page.get_by_role("button", name="Meedoen").click()
    expect(page.get_by_text("Uw persoonlijke code")).to_be_visible()
    _wait_until_idle(page)
    first, second = page.get_by_test_id("stNumberInput").all()[:2]
    for _ in range(8):  # eight clicks, faster than the page redraws
        first.get_by_test_id("stNumberInputStepUp").click(force=True, no_wait_after=True)
    _wait_until_idle(page)
    expect(page.get_by_test_id("stMetricValue")).to_have_text("0 van 3")
    second.get_by_test_id("stNumberInputStepUp").click()
    expect(page.get_by_text("1 stip is niet gezet")).to_be_visible()
    _wait_until_idle(page)
    _screenshot(page, "dots-refused.png")
    assert ("Snelle klikker", "") in session.participants(created.facilitator)
    assert votes.vote_progress(created.facilitator)[0] == 3  # the eight clicks set three dots, as many as there are
