"""Hang-out speed: the live board's refresh, writing a card, stepping through the presentation, the report.

Run from the repo root:  python bench/bench_hangout.py [--repeat N] [--participants 20] [--cards 10]

Builds a session in a temporary SQLite store (WAL) with `participants × cards` cards over three themes, three
dots per participant and placements, then measures, in this run: the query the shared screen repeats every two
seconds (`board.cards` + `votes.vote_progress`) against a plain-pandas baseline that reads the same tables with
`pd.read_sql` and counts the votes in pandas (checked to give the same answer); one participant adding a card;
a presentation step under AppTest (full script rerun: chart, cards); and the report (collect, DOCX, HTML).
Prints a table; never fails on a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import sqlalchemy as sa  # noqa: E402
import streamlit.logger  # noqa: E402

streamlit.logger.set_log_level("error")

from streamlit.testing.v1 import AppTest  # noqa: E402

from ratc.core import keys, store  # noqa: E402
from ratc.hangout import access, board, pinning, report, report_docx, report_html, schema, session, votes  # noqa: E402
from ratc.ui import hangout as sui  # noqa: E402
from ratc.warehouse import builder as warehouse  # noqa: E402
from ratc.warehouse import db  # noqa: E402


def timed(function, repeat: int) -> list[float]:
    """Milliseconds of each of `repeat` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def pandas_board(url: str, session_id: str) -> pd.DataFrame:
    """The plain baseline: read cards and votes with pandas and count the votes per card in pandas."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        cards = pd.read_sql(sa.text("select * from hangout_cards where session_id = :s"), connection,
                            params={"s": session_id})  # fmt: skip
        votes = pd.read_sql(sa.text("select card_id from hangout_votes"), connection)
    engine.dispose()
    counts = votes[votes["card_id"].isin(cards["card_id"])].groupby("card_id").size().rename("votes")
    active = cards[cards["merged_into"].isna()].sort_values(["created_at", "card_id"])
    return active.join(counts, on="card_id").fillna({"votes": 0})[["card_id", "text", "votes"]]


def seed(participants: int, cards_each: int) -> access.Facilitator:
    """A revealed session with cards, dots and placements."""
    created = session.create_session("Bench", dt.date(2020, 6, 4), ["Werk", "Schulden", "Jeugd"], key=keys.TRUSTED)
    facilitator = created.facilitator
    themes = [theme.theme_id for theme in session.themes(facilitator)]
    pinning.pin_view(facilitator, "trends", {"indicator": "ww_uitkeringen", "maat": "index"}, "WW", themes[0])
    pinning.pin_view(facilitator, "kaart", {"indicator": "bijstand_uitkeringen"}, "Bijstand", themes[1])
    people = [session.join(created.join_code, f"Deelnemer {number}") for number in range(participants)]
    for number, person in enumerate(people):
        for card in range(cards_each):
            kind = list(schema.KINDS)[(number + card) % len(schema.KINDS)]
            board.add_card(person, themes[card % 3], kind, f"Kaart {number}-{card}: wat we zien en willen")
    every = board.cards(facilitator)
    session.set_phase(facilitator, "stemmen")
    for number, person in enumerate(people):
        for dot in range(3):
            votes.vote(person, every[(number * 7 + dot * 13) % len(every)].card_id)
    session.set_phase(facilitator, "plaatsen")
    placeable = [card for card in every if card.kind in votes.PLACEABLE_KINDS][:30]
    for number, person in enumerate(people):
        for card in placeable[number % 5 :: 5]:
            votes.place(person, card.card_id, 1 + (number % 5), 1 + ((number * 3) % 5))
    session.reveal_votes(facilitator)
    return facilitator


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--participants", type=int, default=20)
    parser.add_argument("--cards", type=int, default=10)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ratc-bench-hangout-"))
    url = f"sqlite:///{folder / 'store.sqlite'}"
    os.environ[store.URL_VARIABLE] = url
    os.environ["RATC_WAREHOUSE"] = str(folder / "warehouse.duckdb")
    warehouse.build(target=folder / "warehouse.duckdb")
    facilitator = seed(options.participants, options.cards)
    total = options.participants * options.cards

    ours = board.cards(facilitator)
    baseline = pandas_board(url, facilitator.session_id)
    same = [(card.card_id, card.text, card.votes) for card in ours] == [
        (row.card_id, row.text, int(row.votes)) for row in baseline.itertuples()
    ]
    refresh = timed(lambda: (board.cards(facilitator), votes.vote_progress(facilitator)), options.repeat)
    plain = timed(lambda: pandas_board(url, facilitator.session_id), options.repeat)
    writer = session.join(session.session(facilitator).join_code)
    session.set_phase(facilitator, "verzamelen")
    theme = session.themes(facilitator)[0].theme_id
    adding = timed(lambda: board.add_card(writer, theme, "idee", "Nog een kaart"), options.repeat)

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.session_state[sui.FACILITATOR] = facilitator
    app.session_state["_hangout_presenting"] = True
    app.run()
    app.switch_page("pages/hangout.py").run()
    steps = []
    for number in range(options.repeat):
        app.session_state["_hangout_step"] = number % 3  # trends, map, overview
        start = time.perf_counter()
        app.run()
        steps.append((time.perf_counter() - start) * 1000)
    assert not app.exception, [error.value for error in app.exception]

    query = functools.partial(db.run_query, db.open_warehouse(folder / "warehouse.duckdb"))
    reports = timed(lambda: report_html.to_html(made := report.collect(query, facilitator))
                    + str(len(report_docx.to_docx(made))), max(3, options.repeat // 10))  # fmt: skip

    def row(label: str, samples: list[float]) -> str:
        ratio = statistics.median(samples) / statistics.median(plain)
        return (f"{label:<58} {statistics.median(samples):>9.1f} {sorted(samples)[int(0.9 * (len(samples) - 1))]:>9.1f}"
                f" {ratio:>9.2f}")  # fmt: skip

    print(f"Hang-out with {options.participants} participants, {total} cards, {options.participants * 3} dots; "
          f"{options.repeat} repeats; store {store.describe(url)}")  # fmt: skip
    print(f"{'':<58} {'median ms':>9} {'p90 ms':>9} {'÷ pandas':>9}")
    print(row("plain pandas: read_sql cards + votes, count in pandas", plain))
    print(row("live board refresh: board.cards + vote_progress", refresh))
    print(row("participant adds a card (one write transaction)", adding))
    print(row("presentation step under AppTest (full rerun, cached chart)", steps))
    print(row("report, every view drawn anew: collect + DOCX + HTML", reports))
    print(f"board equals the pandas baseline: {same}")


if __name__ == "__main__":
    main()
