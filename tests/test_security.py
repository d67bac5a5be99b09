"""The attacks of the security issue, run against `python -m ratc serve` as an attacker runs them: Streamlit's own
WebSocket protocol (bench/st_client.py, what a browser sends, including forged widget values and file uploads),
crafted files and floods. Three servers: a production start without keys (and one with only the steward key, on
an unreachable store) and the local trial mode. About a minute on two cores."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import hostile
import pytest
from conftest import ROOT

from ratc.core import keys, store
from ratc.hangout import board, session

sys.path.insert(0, str(ROOT / "bench"))
from st_client import Client  # noqa: E402

UNREACHABLE = "postgresql+psycopg://ratc:geheim@127.0.0.1:9/ratc?connect_timeout=2"
TRY_AGAIN = "Probeer het over een minuut opnieuw"
STEWARD_KEY = "databeheer-geheim-7"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_server(folder: Path, warehouse_file: Path, store_url: str, *options: str, **env: str):
    """`python -m ratc serve` on a free loopback port with this store and environment; yields (base URL, process).

    No RATC_*_KEY, trial flag or debug flag is inherited from the test session: the server starts as in production
    unless `options` hold --local. Its log (stderr) is kept in `folder / "server.log"`.
    """
    port = free_port()
    clean = {name: value for name, value in os.environ.items() if not name.startswith("RATC_")}
    environment = {**clean, "RATC_WAREHOUSE": str(warehouse_file), store.URL_VARIABLE: store_url, **env}
    command = [sys.executable, "-m", "ratc", "serve", *options, "--server.port", str(port)]
    if "--local" not in options:
        command += ["--server.address", "127.0.0.1"]
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((folder / "server.log").read_text()) from None
                time.sleep(0.3)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def production(tmp_path_factory, warehouse_file):
    """A production start without any key, on its own SQLite store that this test process shares."""
    folder = tmp_path_factory.mktemp("production")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    with running_server(folder, warehouse_file, url) as (base, process):
        yield base, url, process


@pytest.fixture(scope="module")
def steward_only(tmp_path_factory, warehouse_file):
    """A production start with only the steward's key set, on a store that cannot be reached."""
    folder = tmp_path_factory.mktemp("steward")
    with running_server(folder, warehouse_file, UNREACHABLE, **{keys.STEWARD: STEWARD_KEY}) as (base, process):
        yield base, process, folder / "server.log"


@pytest.fixture
def shared_store(production, monkeypatch):
    """This process on the production server's store, so the tests see what the server stored."""
    monkeypatch.setenv(store.URL_VARIABLE, production[1])
    store.dispose()
    yield
    store.dispose()


def run(coroutine):
    """Run one attack (a coroutine) to its end."""
    return asyncio.run(coroutine)


def shown(runs) -> str:
    """Every text, alert and heading the runs drew, joined."""
    return "\n".join(text for each in runs for text in each.texts())


async def visit(base: str, page: str, query: str = "", steps=None) -> list:
    """Open a page over the WebSocket and take the steps (each gets the client and returns a run)."""
    client = Client(base)
    await client.connect()
    try:
        runs = [await client.run(page=page, query=query)]
        for step in steps or ():
            runs.append(await step(client, page, query))
        return runs
    finally:
        await client.close()


def submit(form: str, **texts: str):
    """A step: type into keyed text fields (forged values welcome) and submit the form."""

    async def step(client: Client, page: str, query: str):
        for key, value in texts.items():
            client.set_text(key, value)
        client.submit(form)
        return await client.run(page=page, query=query)

    return step


def new_session(url: str) -> session.Created:
    """A hang-out created by the operator's own script (trusted, like the command line)."""
    store.dispose()
    return session.create_session("Aanval", dt.date.today(), ["Werk"], key=keys.TRUSTED)


# --- 1. secure by default -------------------------------------------------------------------------------------

CLOSED = [
    ("aanleveren", "", keys.STEWARD),
    ("sessie", "", keys.HANGOUT),
    ("bedrijfsvoering-melden", "gemeente=GM0505", keys.CONTINUITY),
    ("initiatieven", "", keys.INITIATIVES),
]


@pytest.mark.parametrize(("page", "query", "variable"), CLOSED)
def test_a_production_start_without_keys_closes_every_protected_page(production, page, query, variable):
    [opened] = run(visit(production[0], page, query))
    assert not opened.exceptions and not opened.page_not_found
    assert any(f"geen sleutel ingesteld ({variable})" in error for error in opened.errors), opened.errors
    assert "Proefmodus" not in shown([opened])
    assert not any("file_uploader" in element for element in opened.elements)


def test_a_forged_new_session_is_refused_without_the_key(production, shared_store):
    runs = run(visit(production[0], "sessie", "", [submit("sessie_nieuw", sessie_nieuw_titel="Open?",
                                                          sessie_nieuw_themas="Werk")]))  # fmt: skip
    assert any("RATC\\_HANGOUT\\_KEY" in error and "uitgeschakeld" in error for error in runs[-1].errors)
    with store.read() as connection:
        assert connection.exec_driver_sql("select count(*) from hangout_sessions").scalar_one() == 0


def test_the_trial_mode_is_local_and_says_so(tmp_path, warehouse_file):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with running_server(tmp_path, warehouse_file, url, "--local") as (base, _):
        [opened] = run(visit(base, "sessie"))
        assert "Proefmodus op deze computer" in shown([opened])
        assert not any("geen sleutel ingesteld" in error for error in opened.errors)  # the form is open
        outward = _outward_address()
        if outward:
            with pytest.raises(OSError), socket.create_connection((outward, int(base.rsplit(":", 1)[1])), timeout=2):
                pass  # not reachable from the network, only on loopback


def _outward_address() -> str | None:
    """This machine's address towards the network (no packet is sent), or None when it has only loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


# --- 2. bombs and crafted files -------------------------------------------------------------------------------


def memory_mb(pid: int, field: str) -> float:
    """A memory figure of a process from /proc (VmRSS, VmHWM) in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith(field)) / 1024


def test_a_zip_bomb_uploaded_to_the_server_is_refused_fast_with_a_bounded_peak(steward_only):
    base, process, _ = steward_only
    bomb = hostile.zip_bomb_xlsx(424)

    async def attack():
        client = Client(base)
        await client.connect()
        try:
            await client.run(page="aanleveren")
            client.set_text("aanlevering_sleutel", STEWARD_KEY)
            await client.run(page="aanleveren")  # the uploader appears with the key
            await client.upload("aanlevering_bestand", "aanlevering.xlsx", b"gemeente;indicator;periode;waarde\n")
            await client.run(page="aanleveren")  # a first small file: imports and caches warm
            Path(f"/proc/{process.pid}/clear_refs").write_text("5")  # the peak starts here
            before = memory_mb(process.pid, "VmRSS:")
            await client.upload("aanlevering_bestand", "aanlevering.xlsx", bomb)
            started = time.perf_counter()
            refused = await client.run(page="aanleveren")
            return refused, time.perf_counter() - started, memory_mb(process.pid, "VmHWM:") - before
        finally:
            await client.close()

    refused, seconds, growth = run(attack())
    print(f"zip bomb through the server: answered in {seconds:.2f} s, server peak growth {growth:.1f} MB")
    assert any("pakt uit tot 424 MB" in error for error in refused.errors), refused.errors
    assert seconds < 3 and growth < 50  # was 27.6 s and +858 MB


def test_hostile_settings_files_get_a_dutch_message(production):
    async def attack(content: bytes):
        client = Client(production[0])
        await client.connect()
        try:
            await client.run(page="scenarios")
            await client.upload("sc_upload", "scenario.json", content)
            return await client.run(page="scenarios")
        finally:
            await client.close()

    for content in (b'{"formaat": "ratc-scenario", "versie": ' + b"9" * 5000 + b"}", b"[" * 40_000):
        answered = run(attack(content))
        assert not answered.exceptions
        assert any("Dit bestand kan niet worden ingelezen" in error for error in answered.errors), answered.errors
        assert "Exceeds the limit" not in shown([answered]) and "RecursionError" not in shown([answered])


# --- 3. errors without internals ------------------------------------------------------------------------------


def test_an_unreachable_store_shows_an_incident_code_and_logs_the_detail(steward_only):
    _, _, log = steward_only
    [opened] = run(visit(steward_only[0], "meedoen"))
    errors = "\n".join(opened.errors)
    code = re.search(r"storingscode (\w{6})", errors).group(1)
    for internal in ("127.0.0.1", "postgresql", "psycopg", "ratc:", "@", "geheim", "/"):
        assert internal not in errors.replace("http://", ""), internal
    deadline = time.monotonic() + 10
    while f"incident {code}" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    logged = log.read_text()
    assert f"incident {code}" in logged and "127.0.0.1:9" in logged and "geheim" not in logged


# --- 4 and 5. texts, floods and payloads over the WebSocket ---------------------------------------------------


async def joined(base: str, code: str) -> Client:
    """A participant's connection that joined the session."""
    client = Client(base)
    await client.connect()
    await client.run(page="meedoen", query=f"code={code}")
    client.submit("meedoen")
    await client.run(page="meedoen", query=f"code={code}")
    return client


def test_a_card_far_too_long_is_refused_not_cut(production, shared_store):
    created = new_session(production[1])

    async def attack():
        client = await joined(production[0], created.join_code)
        try:
            client.set_text("kaart_deelnemer_tekst", "x" * 100_000)
            client.submit("kaart_deelnemer")
            return await client.run(page="meedoen", query=f"code={created.join_code}")
        finally:
            await client.close()

    answered = run(attack())
    assert any("Kaarttekst\\: is 100\\.000 tekens lang" in error for error in answered.errors), answered.errors
    assert board.cards(created.facilitator) == []


def test_wrong_join_codes_meet_a_brake_and_the_right_one_waits_too(production, shared_store):
    created = new_session(production[1])

    async def attack():
        client = Client(production[0])
        await client.connect()
        answers = [await client.run(page="meedoen")]
        try:
            for number in range(30):
                client.set_text("meedoen_code", f"ZZZ{number:03d}".replace("0", "A").replace("1", "B"))
                client.submit("meedoen")
                answers.append(await client.run(page="meedoen"))
            client.set_text("meedoen_code", created.join_code)
            client.submit("meedoen")
            answers.append(await client.run(page="meedoen"))
        finally:
            await client.close()
        other = await joined(production[0], created.join_code)  # another connection is not braked
        await other.close()
        return answers

    answers = run(attack())[1:]
    refusals = [TRY_AGAIN in shown([answer]) for answer in answers]
    assert refusals[:10] == [False] * 10 and all(refusals[10:])  # the 11th attempt and every one after it
    assert all("Er is geen sessie met deze code" in shown([answer]) for answer in answers[:10])
    assert len(session.participants(created.facilitator)) == 1


def test_a_participant_flooding_cards_meets_a_brake(production, shared_store):
    created = new_session(production[1])

    async def attack():
        client = await joined(production[0], created.join_code)
        answers = []
        try:
            for number in range(25):
                client.set_text("kaart_deelnemer_tekst", f"Kaart {number}")
                client.submit("kaart_deelnemer")
                answers.append(await client.run(page="meedoen", query=f"code={created.join_code}"))
        finally:
            await client.close()
        return answers

    answers = run(attack())
    assert sum(TRY_AGAIN in shown([answer]) for answer in answers) == 5
    assert len(board.cards(created.facilitator)) == 20


PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)> [klik](javascript:alert(3)) https://evil.example"


def test_a_hostile_card_is_shown_as_text(production, shared_store):
    created = new_session(production[1])

    async def attack():
        client = await joined(production[0], created.join_code)
        try:
            client.set_text("kaart_deelnemer_tekst", PAYLOAD)
            client.submit("kaart_deelnemer")
            await client.run(page="meedoen", query=f"code={created.join_code}")
            return await client.run(page="meedoen", query=f"code={created.join_code}")
        finally:
            await client.close()

    board_run = run(attack())
    texts = shown([board_run])
    assert "\\<script\\>alert\\(1\\)" in texts  # shown as the characters typed
    for active in (r"(?<!\\)<script", r"(?<!\\)<img", r"\]\(javascript", "https://evil"):  # unescaped, active
        assert not re.search(active, texts), active
    [card] = board.cards(created.facilitator)
    assert card.text == PAYLOAD  # stored as typed, escaped when shown


# --- forged parameters ----------------------------------------------------------------------------------------

FORGED = [
    ("mijn-gemeente", "gemeente=%3Cscript%3Ealert(1)%3C/script%3E"),
    ("trends", "indicator=%27%20OR%201%3D1%20--&gemeente=GM0505&gemeente=%00"),
    ("kaart", "indicator=../../etc/passwd&periode=9999-99"),
    ("meedoen", "code=" + "A" * 10_000),
    ("scenarios", "duur=99999999999999999999999&bbp2020=nan&bbp2021=1e999&gv_dordrecht=-inf&toon=%3Cb%3E"),
    ("sessie", "code=%3Cb%3Ex%3C/b%3E"),
    ("", "domein=" + "%5B" * 5000),
]


@pytest.mark.parametrize(("page", "query"), FORGED)
def test_forged_parameters_fall_back_without_an_error(production, page, query):
    [opened] = run(visit(production[0], page, query))
    assert not opened.exceptions and not opened.page_not_found, opened.exceptions
    texts = shown([opened])
    assert "<script>" not in texts and "Traceback" not in texts and "storingscode" not in texts
    assert not [error for error in opened.errors if "geen sleutel ingesteld" not in error], opened.errors
