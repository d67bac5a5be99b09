"""Load test: concurrent sessions browsing the monitor and adding cards to one hang-out, over real WebSockets.

Run from the repo root:  python bench/load.py [--sessions 25] [--rounds 3] [--cards 4] [--think 0]

Starts the app as the README does (`python -m ratc serve`) on a free loopback port, with a fresh SQLite store
and the warehouse built from `data/`, creates one hang-out session, then runs `--sessions` virtual users at
once. Each one speaks Streamlit's own WebSocket protocol (bench/st_client.py, as a browser does): it opens the
monitor pages with deep links, `--rounds` times, joins the session with its code and adds `--cards` cards.
With `--think S` each user pauses S seconds on average (0.5–1.5 × S, random) between two runs, as people
reading a page do; the default 0 is the worst case, everyone clicking without pause.
It prints one table: script runs, throughput, failed runs (exceptions, error alerts, "page not found"), median
and p95 of the round trip per run, and the cards expected against the cards the store holds. Exit status 1 when a run
failed or a card was lost; it never fails on a time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from st_client import Client  # noqa: E402

# The monitor pages a visitor browses, as deep links (url path, query string).
BROWSE = [
    ("", ""),
    ("mijn-gemeente", "gemeente=GM0505"),
    ("kaart", "indicator=ww_uitkeringen"),
    ("trends", "indicator=bijstand_uitkeringen&gemeente=GM0590"),
    ("samenhang", ""),
    ("bronnen", ""),
]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(state_dir: Path, port: int) -> subprocess.Popen:
    """The app under `python -m ratc serve`, answering its health check."""
    env = {**os.environ, "RATC_STATE_DIR": str(state_dir)}
    env.pop("RATC_STORE_URL", None)
    command = [sys.executable, "-m", "ratc", "serve", "--server.port", str(port), "--server.address", "127.0.0.1"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("the app did not start within 120 s")


async def visitor(base: str, number: int, rounds: int, journey, think: float = 0.0) -> list:
    """One virtual user: browse the monitor pages `rounds` times, then the extra journey (e.g. add cards)."""
    client = Client(base, think=think, seed=number)
    await client.connect()
    runs = []
    try:
        for round_number in range(rounds):
            for page, query in BROWSE[number % 2 :] + BROWSE[: number % 2]:
                runs.append(await client.run(page=page, query=query))
            if journey is not None and round_number == 0:
                runs.extend(await journey(client, number))
    finally:
        await client.close()
    return runs


async def run_all(base: str, sessions: int, rounds: int, journey, think: float = 0.0) -> list:
    """Every visitor at once."""
    results = await asyncio.gather(*(visitor(base, number, rounds, journey, think) for number in range(sessions)))
    return [run for runs in results for run in runs]


def percentile(values: list[float], fraction: float) -> float:
    """The fraction-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def report(runs: list, seconds: float, cards: tuple[int, int] | None) -> bool:
    """Print the table; True when nothing failed and nothing was lost."""
    times = [run.seconds * 1000 for run in runs]
    failed = [run for run in runs if not run.ok]
    rows = [
        ("script runs", f"{len(runs)}"),
        ("throughput", f"{len(runs) / seconds:.1f} runs/s"),
        ("failed runs", f"{len(failed)}"),
        ("round trip median", f"{statistics.median(times):.0f} ms"),
        ("round trip p95", f"{percentile(times, 0.95):.0f} ms"),
        ("round trip max", f"{max(times):.0f} ms"),
        ("wall time", f"{seconds:.1f} s"),
    ]
    if cards is not None:
        rows.append(("cards added / stored", f"{cards[0]} / {cards[1]}"))
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>10}")
    for run in failed[:5]:
        print(
            "failure:", run.status, run.exceptions[:1], run.errors[:1], "page not found" if run.page_not_found else ""
        )
    return not failed and (cards is None or cards[0] == cards[1])


def main() -> int:
    """Start the app, load it, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cards", type=int, default=4)
    parser.add_argument("--think", type=float, default=0.0, help="mean pause in seconds between two runs of a user")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as state:
        # the session is created before the server starts, so both see the same store from the start
        journey, count_cards = card_journey(Path(state), args.cards)
        port = free_port()
        server = start_server(Path(state), port)
        try:
            base = f"http://127.0.0.1:{port}"
            started = time.perf_counter()
            runs = asyncio.run(run_all(base, args.sessions, args.rounds, journey, args.think))
            seconds = time.perf_counter() - started
            cards = (args.sessions * args.cards, count_cards()) if count_cards else None
            pause = f", a pause of {args.think:g} s on average between runs" if args.think else ", no pause"
            print(f"load: {args.sessions} sessions at once, {args.rounds} rounds of {len(BROWSE)} pages each{pause}")
            ok = report(runs, seconds, cards)
            print(f"server peak memory (VmHWM)  {peak_memory_mb(server.pid)}")
            return 0 if ok else 1
        finally:
            server.terminate()
            server.wait(timeout=20)


def peak_memory_mb(pid: int) -> str:
    """The peak resident memory of a process, from /proc (Linux)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "not measured"
    kilobytes = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), None)
    return "not measured" if kilobytes is None else f"{kilobytes / 1024:.0f} MB"


def card_journey(state_dir: Path, cards: int):
    """The hang-out part of a visit: join the session with its code, add cards, let the live board refresh.

    Returns the journey coroutine and a function that counts the cards the store holds.
    """
    import datetime as dt

    from ratc.core import keys, store
    from ratc.hangout import board, session

    os.environ["RATC_STATE_DIR"] = str(state_dir)  # the same SQLite store the server writes
    os.environ.pop(store.URL_VARIABLE, None)
    # an operator's script, like the command line: trusted, so no RATC_HANGOUT_KEY is asked
    created = session.create_session("Belastingtest", dt.date.today(), ["Werk en inkomen", "Jeugd"], key=keys.TRUSTED)
    query = f"code={created.join_code}"

    async def journey(client: Client, number: int) -> list:
        """Join as participant `number` and write `cards` cards, as a person on a phone would."""
        runs = [await client.run(page="meedoen", query=query)]
        client.set_text("meedoen_naam", f"Deelnemer {number + 1}")
        client.submit("meedoen")
        runs.append(await client.run(page="meedoen", query=query))
        for card in range(cards):
            client.set_text("kaart_deelnemer_tekst", f"Kaart {card + 1} van deelnemer {number + 1}")
            client.submit("kaart_deelnemer")
            runs.append(await client.run(page="meedoen", query=query))
            # the live board: a rerun of the page stands in for the two-second fragment refresh (a fragment-only
            # run needs the browser's fragment bookkeeping, which this client does not mimic)
            runs.append(await client.run(page="meedoen", query=query))
        return runs

    return journey, lambda: len(board.cards(created.facilitator))


if __name__ == "__main__":
    raise SystemExit(main())
