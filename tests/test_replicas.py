"""Two replicas on one PostgreSQL, as a region runs them: two `python -m ratc serve` processes, spoken to over
Streamlit's own WebSocket protocol (bench/st_client.py). A card and a vote sent to replica B show on replica A's
shared screen; replica B is killed, and the participant who comes back on A with their personal code finds their
card and the dots they have left, never more. About half a minute on two cores."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import sys

import pytest
from conftest import ROOT, fresh_postgres_database
from test_security import running_server

from ratc.core import store
from ratc.hangout import board, pinning, session, votes

sys.path.insert(0, str(ROOT / "bench"))
from st_client import Client  # noqa: E402

PERSONAL_CODE = re.compile(r"persoonlijke code: `([A-Z0-9]{6})`")


@pytest.fixture
def postgres_url(postgres_server, monkeypatch):
    """A fresh PostgreSQL database that this test process and both replicas share."""
    with fresh_postgres_database(postgres_server, "ratc_replicas") as url:
        monkeypatch.setenv(store.URL_VARIABLE, url)
        store.engine(url)  # the tables, before two replicas race to create them
        yield url
        store.dispose()


def texts(run) -> str:
    """Every text a run drew, with Streamlit's markdown escapes taken out, and its metrics as 'label: value'."""
    metrics = [f"{element['metric'].get('label')}: {element['metric'].get('body')}" for element in run.elements
               if "metric" in element]  # fmt: skip
    return re.sub(r"\\(.)", r"\1", "\n".join([*run.texts(), *metrics]))


async def opened_as_facilitator(base: str, code: str, key: str) -> Client:
    """The facilitator's browser on a replica, with the session opened and the presentation on screen."""
    client = Client(base)
    await client.connect()
    await client.run(page="sessie", query=f"code={code}")
    client.set_text("sessie_openen_sleutel", key)
    client.submit("sessie_openen")
    await client.run(page="sessie", query=f"code={code}")
    client.click("sessie_presenteren")
    return client


async def joined(base: str, code: str, name: str = "", personal: str = "") -> tuple[Client, str]:
    """A participant's browser on a replica after joining (with their personal code when given); and what it drew."""
    client = Client(base)
    await client.connect()
    await client.run(page="meedoen", query=f"code={code}")
    if name:
        client.set_text("meedoen_naam", name)
    if personal:
        client.set_text("meedoen_eigen_code", personal)
    client.submit("meedoen")
    run = await client.run(page="meedoen", query=f"code={code}")
    assert run.ok, run.errors + run.exceptions
    return client, texts(run)


def test_two_replicas_share_cards_and_votes_and_survive_losing_one(tmp_path, warehouse_file, postgres_url):
    created = session.create_session("Twee replica's", dt.date(2020, 6, 1), ["Werk"], dots_per_participant=3)
    facilitator, code = created.facilitator, created.join_code
    (theme,) = session.themes(facilitator)
    pinning.pin_view(facilitator, "trends", {"indicator": "ww_uitkeringen"}, "WW-uitkeringen", theme.theme_id)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    with (
        running_server(tmp_path / "a", warehouse_file, postgres_url) as (replica_a, _),
        running_server(tmp_path / "b", warehouse_file, postgres_url) as (replica_b, process_b),
    ):

        async def scenario() -> None:
            screen = await opened_as_facilitator(replica_a, code, facilitator.key)
            shown = texts(await screen.run(page="sessie", query=f"code={code}"))
            assert "Kaarten bij dit thema: 0" in shown

            # on replica B: Anna joins, writes two cards and spends two dots on the first
            anna, page = await joined(replica_b, code, "Anna")
            personal = PERSONAL_CODE.search(page).group(1)
            for card in ("Banenpool voor de regio", "Samen omscholen"):
                anna.set_text("kaart_deelnemer_tekst", card)
                anna.submit("kaart_deelnemer")
                assert (await anna.run(page="meedoen", query=f"code={code}")).ok
            shown = texts(await screen.run(page="sessie", query=f"code={code}"))
            assert "Kaarten bij dit thema: 2" in shown and "Banenpool voor de regio" in shown
            session.set_phase(facilitator, "stemmen")
            cards = {card.text: card.card_id for card in board.cards(facilitator)}
            first, second = cards["Banenpool voor de regio"], cards["Samen omscholen"]
            await anna.run(page="meedoen", query=f"code={code}")
            anna.set_int(f"stippen_{first}", 2)
            assert "Stippen over: 1 van 3" in texts(await anna.run(page="meedoen", query=f"code={code}"))
            session.reveal_votes(facilitator)
            assert "2 stippen" in texts(await screen.run(page="sessie", query=f"code={code}"))  # B's vote on A

            # replica B dies; Anna reloads and lands on replica A with her personal code
            process_b.kill()
            process_b.wait(timeout=30)
            await anna.close()
            again, page = await joined(replica_a, code, personal=personal)
            assert "Welkom terug" in page and "Stippen over: 1 van 3" in page
            again.set_int(f"stippen_{second}", 3)  # three clicks, one dot left
            page = texts(await again.run(page="meedoen", query=f"code={code}"))
            assert "Stippen over: 0 van 3" in page and "2 stippen zijn niet gezet" in page
            shown = texts(await screen.run(page="sessie", query=f"code={code}"))
            assert "Banenpool voor de regio" in shown and "Samen omscholen" in shown
            for client in (screen, again):
                await client.close()

        asyncio.run(scenario())
    assert sorted(card.text for card in board.cards(facilitator)) == ["Banenpool voor de regio", "Samen omscholen"]
    assert votes.vote_progress(facilitator) == (3, 3, 1)  # one person: three dots in all, not six
    assert [name for name, _ in session.participants(facilitator)] == ["Anna"]
