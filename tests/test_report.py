"""The session report: DOCX that python-docx reads back, and one HTML file with no external references."""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
from html.parser import HTMLParser

import docx
import numpy as np
import pandas as pd
import pytest

from ratc.hangout import access, actions, board, pinning, practices, report, report_docx, report_html, session, votes
from ratc.warehouse import db

HOSTILE = "<script>alert('x')</script> [klik](https://kwaad.example) <img src=https://kwaad.example/a.png>"


@pytest.fixture
def query(con):
    """The uncached query function the pages use, without Streamlit."""
    return functools.partial(db.run_query, con)


@pytest.fixture
def finished(store_url):
    """A session that ran: two themes with views, cards, votes, a 2×2, an action and a practice; its report pass."""
    created = session.create_session("Hang-out <werk> & inkomen", dt.date(2020, 6, 4),
                                     ["Werk: banen of omscholing?", "Jeugd"], "Anna de Vries",
                                     "Wij keken naar de WW.\n\nEn naar de bijstand.")  # fmt: skip
    facilitator = created.facilitator
    work, youth = (theme.theme_id for theme in session.themes(facilitator))
    pinning.pin_view(facilitator, "trends", {"indicator": "ww_uitkeringen", "gemeenten": "GM0505", "maat": "index",
                                             "periode": "2020-12"}, "WW in Dordrecht", work)  # fmt: skip
    pinning.pin_view(facilitator, "kaart", {"indicator": "bijstand_uitkeringen", "maat": "per_10k"}, "Bijstand", youth)
    pinning.pin_view(facilitator, "mijn-gemeente", {}, "Profiel zonder gemeente", youth)  # cannot be drawn
    piet, mira, anonymous = (session.join(created.join_code, name, role)
                             for name, role in (("Piet", "wethouder"), ("Mira", "strateeg"), ("", "")))  # fmt: skip
    practice_id = practices.add(piet, "Banenpool Drechtsteden", "Werkgevers delen personeel.", "Dordrecht", "Werk",
                                "Jan, 078-0000000", "https://www.example.org/banenpool")  # fmt: skip
    pool = board.add_card(piet, work, "idee", "Banenpool voor de regio", practice_id=practice_id)
    retrain = board.add_card(mira, work, "actie", "Omscholen met werkgevers")
    hostile = board.add_card(anonymous, work, "dilemma", HOSTILE)
    board.add_card(mira, youth, "nieuwsgierig", "Hoe gaat het met schoolverzuim?")
    board.group_cards(facilitator, [pool, retrain], "Werkgelegenheid")
    session.set_phase(facilitator, "stemmen")
    for voter, card in ((piet, retrain), (mira, retrain), (anonymous, retrain), (anonymous, pool), (piet, hostile)):
        votes.vote(voter, card)
    session.set_phase(facilitator, "plaatsen")
    votes.place(piet, retrain, 5, 4)
    votes.place(mira, pool, 2, 2)
    actions.add_action(facilitator, "Omscholingsprogramma starten", "Gemeente Dordrecht", work, retrain,
                       dt.date(2020, 9, 1))  # fmt: skip
    return facilitator, piet


@pytest.fixture
def made(query, finished):
    """The collected report."""
    return report.collect(query, finished[0], made_on=dt.date(2020, 6, 5))


def test_only_the_facilitator_can_make_the_report(query, finished):
    with pytest.raises(access.AccessDenied):
        report.collect(query, finished[1])


def test_cards_are_grouped_and_ranked_by_votes(made):
    work = made.themes[0]
    assert [group.name for group in work.groups] == ["Werkgelegenheid", ""]
    assert [(card.text, card.votes) for card in work.groups[0].cards] == [
        ("Omscholen met werkgevers", 3), ("Banenpool voor de regio", 1)
    ]  # fmt: skip
    rows = report.card_rows(made, work.groups[0])
    assert rows[1] == ["1", "Idee", "Banenpool voor de regio\nGoede praktijk: Banenpool Drechtsteden (Dordrecht)"]
    assert work.placement_table[["kaart", "kwadrant"]].values.tolist() == [
        ["Omscholen met werkgevers", "Nu oppakken"], ["Banenpool voor de regio", "Loslaten"]
    ]  # fmt: skip
    assert report.participant_lines(made) == ([["Piet", "wethouder"], ["Mira", "strateeg"]], 1)


def test_docx_reads_back_with_headings_images_and_tables(made):
    document = docx.Document(io.BytesIO(report_docx.to_docx(made)))
    headings = [(paragraph.style.name, paragraph.text) for paragraph in document.paragraphs
                if paragraph.style.name.startswith(("Heading", "Title"))]  # fmt: skip
    assert ("Title", "Verslag hang-out: Hang-out <werk> & inkomen") in headings
    for expected in ("Inleiding", "Deelnemers", "Thema: Werk", "Thema: Jeugd", "Afgesproken acties",
                     "Goede praktijken"):  # fmt: skip
        assert ("Heading 1", expected) in headings
    assert ("Heading 3", "WW in Dordrecht") in headings and ("Heading 2", "Impact × invloed") in headings
    assert len(document.inline_shapes) == 3  # trends, map and the 2×2; the profile without municipality is not drawn
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Deze weergave kon niet worden getekend: Een profiel hoort bij één gemeente" in text
    assert "Wij keken naar de WW." in text and "3 deelnemers, van wie 1 zonder naam." in text
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["3", "Actie (wat pakken we samen op)", "Omscholen met werkgevers"] in cells
    assert ["1", "Dilemma", HOSTILE] in cells
    assert ["Omscholingsprogramma starten", "Gemeente Dordrecht", "1 september 2020", "Werk"] in cells
    assert ["Maat", "Index (basis = 100)"] in cells
    assert "Demodata" in text


class _References(HTMLParser):
    """Every tag and every attribute that could load something."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.references: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.references += [value or "" for name, value in attrs if name in ("src", "href", "srcset", "action")]


def test_html_is_self_contained_and_escaped(made):
    page = report_html.to_html(made)
    parser = _References()
    parser.feed(page)
    assert parser.references and all(reference.startswith("data:image/png;base64,") for reference in parser.references)
    assert len(parser.references) == 3
    assert not {"script", "link", "iframe", "object", "embed", "base", "a"} & set(parser.tags)
    assert "url(" not in page and "@import" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=https://kwaad.example/a.png&gt;" in page
    assert "https://www.example.org/banenpool" in page  # the practice's link, as text
    assert "Verslag hang-out: Hang-out &lt;werk&gt; &amp; inkomen" in page
    assert page.count("<h2>Thema: ") == 2


def test_report_of_an_empty_session(query, store_url):
    created = session.create_session("Leeg", dt.date(2020, 6, 4), ["Werk"])
    made = report.collect(query, created.facilitator)
    document = docx.Document(io.BytesIO(report_docx.to_docx(made)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Bij dit thema zijn geen kaarten geschreven." in text and "Er zijn geen acties vastgelegd." in text
    assert "Er deden geen deelnemers mee via de sessiecode." in text
    assert html.escape(report.DEFAULT_INTRODUCTION) in report_html.to_html(made)


def test_headline_numbers_from_a_dataframe_are_in_dutch_format_whatever_their_type():
    frame = pd.DataFrame({
        "aantal": np.array([12345, 7], dtype="int64"), "aandeel": np.array([1234.5, 2.0], dtype="float32"),
        # a column of mixed values keeps numpy's own scalars (as a headline built from .iloc values does)
        "waarde": pd.Series([np.int64(12345), np.float64(2345.5)], dtype=object),
        "stijging": [True, np.bool_(False)], "gemeente": ["Dordrecht", None],
    })  # fmt: skip
    assert report._frame_rows(frame) == [
        ["12.345", "1.234,5", "12.345", "ja", "Dordrecht"],
        ["7", "2", "2.345,5", "nee", "–"],
    ]
    assert [report._cell(value) for value in (np.int32(4321), np.float32(0.5), pd.NA, None)] == ["4.321", "0,5", "", ""]
