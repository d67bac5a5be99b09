"""Continuity reports: validation with Dutch problems per field and row, history, prefill, the regional matrix,
the escalation list, matching of needs with other municipalities' offers, and couplings that persist."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import at_once

from ratc.continuity import form
from ratc.continuity import matching as continuity_matching
from ratc.continuity import region as continuity_region
from ratc.continuity import reports as continuity
from ratc.continuity import view as continuity_view
from ratc.core import checks, keys, store
from ratc.demo import store_content as demo_store

TODAY = dt.date(2020, 6, 30)
PROCESSES = list(continuity.catalogue().processes)


@pytest.fixture
def store_url(any_store_url):
    """Every test here runs on both stores the product supports: SQLite (WAL) and PostgreSQL."""
    return any_store_url


@pytest.fixture(autouse=True)
def no_keys(monkeypatch):
    """Writing is open unless a test sets a key."""
    for variable in (keys.CONTINUITY, keys.municipality_variable("GM0505"), keys.municipality_variable("GM0482")):
        monkeypatch.delenv(variable, raising=False)


def statuses(overrides: dict[str, str] | None = None, default: str = "groen") -> pd.DataFrame:
    """A status table with every process (default green), some overridden."""
    chosen = {process: default for process in PROCESSES} | (overrides or {})
    return pd.DataFrame({"proces": list(chosen), "status": list(chosen.values()), "toelichting": ""})


def bottleneck(process="schuldhulp", description="Wachtlijst intake", since="2020-04-01", solution="nee",
               help_needed=True, kind="capaciteit", key=None) -> dict:  # fmt: skip
    """One row of the knelpunten table."""
    return {"sleutel": key, "proces": process, "omschrijving": description, "sinds": since, "oplossing": solution,
            "hulp_nodig": help_needed, "soort_hulp": kind}  # fmt: skip


def offer(process="schuldhulp", kind="capaciteit", description="Twee schuldhulpverleners", capacity="2 dagen per week",
          key=None, amount=2, unit="medewerkers") -> dict:  # fmt: skip
    """One row of the offers table."""
    return {
        "sleutel": key,
        "proces": process,
        "soort_hulp": kind,
        "omschrijving": description,
        "aantal": amount,
        "eenheid": unit,
        "capaciteit": capacity,
    }


def report(area="GM0505", week="2020-W20", absence=5.0, status_table=None, stuck=(), offered=(), **extra):
    """A validated report."""
    return form.validate(
        area, week, absence, statuses() if status_table is None else status_table,
        pd.DataFrame(list(stuck), columns=form.BOTTLENECK_COLUMNS),
        pd.DataFrame(list(offered), columns=form.OFFER_COLUMNS), today=TODAY, **extra,
    )  # fmt: skip


def submit(url, demo=False, **arguments) -> int:
    """Validate and store a report; its number."""
    return continuity.save_report(report(**arguments), demo=demo, url=url)


def problems_of(**arguments) -> list[checks.Problem]:
    """The problems a report raises."""
    with pytest.raises(checks.Invalid) as raised:
        report(**arguments)
    return raised.value.problems


def test_a_valid_report_is_stored_and_read_back_whole(store_url):
    stored = report(
        status_table=statuses({"afval": "oranje", "handhaving": "rood"}), absence="6,5", stuck=[bottleneck()],
        offered=[offer(process="afval", kind="middelen")], reporter="  Anna  ",
    )  # fmt: skip
    number = continuity.save_report(stored)
    last = continuity.last_report("GM0505")
    assert last.report_id == number and not last.is_demo
    assert last.report == stored
    assert last.report.staff_absence_pct == 6.5 and last.report.reporter == "Anna"
    assert last.report.statuses["handhaving"] == "rood"
    assert last.report.bottlenecks[0].since == dt.date(2020, 4, 1)
    assert last.reported_at.tzinfo is not None


@pytest.mark.parametrize(
    ("arguments", "field", "words"),
    [
        ({"area": "GM9999"}, "Gemeente", "geen geldige keuze"),
        ({"week": "2020-W54"}, "Week", "geen week"),
        ({"week": "2020-W30"}, "Week", "tot en met deze week"),
        ({"absence": "veel"}, "Ziekteverzuim (%)", "geen getal"),
        ({"absence": 120}, "Ziekteverzuim (%)", "tussen 0 en 100"),
        ({"absence": None}, "Ziekteverzuim (%)", "vul een getal in"),
        ({"status_table": statuses({"afval": None})}, "Status Afvalinzameling", "kies een waarde"),
        ({"status_table": statuses({"afval": "paars"})}, "Status Afvalinzameling", "'paars' is geen geldige keuze"),
        ({"status_table": statuses().iloc[1:]}, "Status Burgerzaken", "ontbreekt"),
        ({"stuck": [bottleneck(), bottleneck(description="  ")]}, "Knelpunt 2 · Omschrijving", "vul dit in"),
        ({"stuck": [bottleneck(since="2020-07-01")]}, "Knelpunt 1 · Sinds", "moet tussen"),
        ({"stuck": [bottleneck(since="gisteren")]}, "Knelpunt 1 · Sinds", "geen datum"),
        ({"stuck": [bottleneck(solution="misschien")]}, "Knelpunt 1 · Oplossing", "geen geldige keuze"),
        ({"stuck": [bottleneck(kind=None)]}, "Knelpunt 1 · Soort hulp", "kies een waarde"),
        ({"stuck": [bottleneck(process="zwembad")]}, "Knelpunt 1 · Proces", "geen geldige keuze"),
        ({"stuck": [bottleneck(description="x" * 501)]}, "Knelpunt 1 · Omschrijving", "te lang (501 tekens"),
        ({"note": "x" * 1001}, "Toelichting", "te lang (1.001 tekens, hoogstens 1.000)"),
        ({"absence": "100,5"}, "Ziekteverzuim (%)", "moet tussen 0 en 100 liggen (nu 100,5)"),
        ({"offered": [offer(description="")]}, "Aanbod 1 · Omschrijving", "vul dit in"),
        ({"offered": [offer(kind="geld")]}, "Aanbod 1 · Soort hulp", "geen geldige keuze"),
    ],
)
def test_problems_name_the_field_and_row_in_dutch(arguments, field, words):
    problems = problems_of(**arguments)
    assert [problem.field for problem in problems] == [field]
    assert words in problems[0].message


def test_every_problem_is_reported_at_once():
    problems = problems_of(absence=-1, status_table=statuses({"afval": None}),
                           stuck=[bottleneck(description=""), bottleneck(solution="")])  # fmt: skip
    assert {problem.field for problem in problems} == {
        "Ziekteverzuim (%)",
        "Status Afvalinzameling",
        "Knelpunt 1 · Omschrijving",
        "Knelpunt 2 · Oplossing",
    }


def test_empty_rows_are_skipped_and_help_kind_only_counts_when_help_is_needed():
    empty = {column: None for column in form.BOTTLENECK_COLUMNS} | {"hulp_nodig": False}
    validated = report(stuck=[empty, bottleneck(help_needed=False, kind="expertise")], offered=[{}])
    assert len(validated.bottlenecks) == 1 and validated.offers == ()
    assert validated.bottlenecks[0].help_kind is None
    assert validated.bottlenecks[0].key  # a new knelpunt gets a key


def test_history_is_kept_and_the_newest_version_of_the_latest_week_counts(store_url):
    first = submit(store_url, week="2020-W19", absence=4)
    submit(store_url, week="2020-W20", absence=5)
    correction = submit(store_url, week="2020-W20", absence=6)
    submit(store_url, week="2020-W18", absence=9)  # a late report of an older week does not become current
    history = continuity.history("GM0505")
    assert list(history["week"]) == ["2020-W20", "2020-W20", "2020-W19", "2020-W18"]
    assert list(history["is_vervangen"]) == [False, True, False, False]
    assert list(history["groen"]) == [10, 10, 10, 10]
    assert continuity.last_report("GM0505").report_id == correction
    current = continuity.week_final_reports(demo=False)
    assert list(current["report_id"]) == [correction, first]
    assert list(continuity_view.history_table(history)["Versie"])[:2] == ["geldend", "vervangen door een correctie"]


def test_prefill_carries_every_value_and_the_keys_of_knelpunten_and_offers(store_url):
    submit(store_url, status_table=statuses({"jeugd_wmo": "oranje"}), stuck=[bottleneck(key="k1")],
           offered=[offer(key="o1")], note="Alles onder controle")  # fmt: skip
    tables = form.form_tables(continuity.last_report("GM0505"))
    again = form.validate("GM0505", "2020-W21", 5.0, tables["statuses"], tables["bottlenecks"], tables["offers"],
                                today=TODAY)  # fmt: skip
    assert again.statuses["jeugd_wmo"] == "oranje"
    assert [item.key for item in again.bottlenecks] == ["k1"] and [item.key for item in again.offers] == ["o1"]
    assert again.bottlenecks[0].since == dt.date(2020, 4, 1)


def test_first_form_is_empty_so_no_status_is_assumed():
    tables = form.form_tables(None)
    assert tables["statuses"]["status"].isna().all() and len(tables["statuses"]) == len(PROCESSES)
    assert tables["bottlenecks"].empty and tables["offers"].empty


def test_matrix_shows_status_and_change_since_the_previous_report(store_url):
    submit(store_url, area="GM0505", week="2020-W19", status_table=statuses({"afval": "oranje", "handhaving": "rood"}))
    submit(store_url, area="GM0505", week="2020-W20", status_table=statuses({"afval": "rood", "schuldhulp": "oranje"}))
    submit(store_url, area="GM0482", week="2020-W20", status_table=statuses({"afval": "rood"}))
    frame = continuity_region.matrix(continuity_region.picture(demo=False)).set_index(["area_code", "process_id"])
    assert len(frame) == 10 * len(PROCESSES)
    assert frame.loc[("GM0505", "afval"), ["status", "vorige_status", "verandering"]].tolist() == [
        "rood",
        "oranje",
        "slechter",
    ]
    assert frame.loc[("GM0505", "handhaving"), "verandering"] == "beter"
    assert frame.loc[("GM0505", "burgerzaken"), "verandering"] == "gelijk"
    assert frame.loc[("GM0482", "afval"), "verandering"] == "nieuw"
    assert frame.loc[("GM0512", "afval"), "status"] is None  # Gorinchem did not report
    figure = continuity_view.matrix_figure(continuity_region.picture(demo=False), made_on=TODAY)
    cells = figure.table.set_index("Gemeente")
    assert cells.loc["Dordrecht", "Afvalinzameling"] == "rood (slechter; was oranje)"
    assert cells.loc["Gorinchem", "Melding"] == "–"
    assert "Nog geen melding van Gorinchem" in figure.description


def test_escalation_list_is_exactly_the_open_knelpunten_without_a_solution(store_url):
    # Dordrecht: an older report had a knelpunt without solution that is gone from its current report
    submit(store_url, area="GM0505", week="2020-W19", stuck=[bottleneck(description="oud, inmiddels weg")])
    submit(
        store_url,
        area="GM0505",
        week="2020-W20",
        stuck=[
            bottleneck(description="D nee"),
            bottleneck(description="D deels", solution="deels"),
            bottleneck(description="D ja", solution="ja"),
            bottleneck(description="D nee zonder hulp", help_needed=False),
        ],
    )
    submit(store_url, area="GM0482", week="2020-W20", stuck=[bottleneck(description="A nee", process="afval")])
    # a correction of Alblasserdam's week removes its knelpunt; Gorinchem's demo report must never count as real
    submit(store_url, area="GM0482", week="2020-W20", stuck=[bottleneck(description="A deels", solution="deels")])
    submit(store_url, area="GM0512", week="2020-W20", demo=True, stuck=[bottleneck(description="demo nee")])
    listed = continuity_region.escalations(continuity_region.picture(demo=False))
    assert sorted(zip(listed["area_code"], listed["description"], strict=True)) == [
        ("GM0505", "D nee"),
        ("GM0505", "D nee zonder hulp"),
    ]
    demo = continuity_region.escalations(continuity_region.picture(demo=True))
    assert list(demo["description"]) == ["demo nee"]
    table = continuity_view.escalation_table(continuity_region.picture(demo=False))
    assert list(table.columns) == ["Gemeente", "Proces", "Sinds", "Weken open", "Hulp nodig", "Soort hulp", "Melding",
                                   "Knelpunt"]  # fmt: skip
    assert list(table["Weken open"]) == [6, 6]  # 1 April to Sunday 17 May (end of week 20): 46 days


def test_matching_pairs_same_process_and_kind_never_a_municipality_with_itself(store_url):
    submit(store_url, area="GM0505", stuck=[bottleneck(key="need-d")], offered=[offer(key="offer-d-self")])
    submit(store_url, area="GM0590", status_table=statuses({"schuldhulp": "groen"}), absence=2.0,
           offered=[offer(key="offer-papendrecht"), offer(kind="expertise", key="offer-wrong-kind"),
                    offer(process="afval", key="offer-wrong-process")])  # fmt: skip
    submit(store_url, area="GM1978", status_table=statuses({"schuldhulp": "oranje"}), absence=2.0,
           offered=[offer(key="offer-molenlanden")])  # fmt: skip
    submit(store_url, area="GM0482", status_table=statuses({"schuldhulp": "groen"}), absence=12.0,
           offered=[offer(key="offer-alblasserdam")])  # fmt: skip
    found = continuity_matching.matches(continuity_region.picture(demo=False))
    assert (found["need_area"] != found["offer_area"]).all()
    # Papendrecht green, little absence, a neighbour; Alblasserdam green but 12% absent; Molenlanden only orange
    assert list(found["offer_key"]) == ["offer-papendrecht", "offer-alblasserdam", "offer-molenlanden"]
    assert list(found["rang"]) == [1, 2, 3]
    assert found["score"].is_monotonic_decreasing
    # Papendrecht: green (+2), 2% absence (+0.9), a neighbour of Dordrecht (+1)
    assert found.iloc[0]["score"] == pytest.approx(3.9)
    assert "Papendrecht staat zelf op groen voor schuldhulpverlening (+2)" in found.iloc[0]["uitleg"]
    assert "buurgemeente (+1)" in found.iloc[0]["uitleg"]
    assert found["score"].tolist() == pytest.approx([3.9, 2.4, 1.9])
    assert "geen buurgemeente (+0)" in found.iloc[2]["uitleg"]  # Molenlanden does not border Dordrecht


def test_needs_table_says_where_nobody_offers_help(store_url):
    submit(store_url, area="GM0505", stuck=[bottleneck(process="begraven", kind="middelen", description="mortuarium")])
    table = continuity_view.needs_table(continuity_region.picture(demo=False))
    assert table.iloc[0]["Beste aanbod van"] == "geen aanbod" and table.iloc[0]["Aanbieders"] == 0


def seeded_pair(url) -> None:
    """Dordrecht needs debt-help capacity; Papendrecht offers it."""
    submit(url, area="GM0505", stuck=[bottleneck(key="need-d")], offered=[offer(key="offer-d-self")])
    submit(url, area="GM0590", offered=[offer(key="offer-p")])


def test_a_recorded_coupling_persists_and_is_marked_in_the_matching(store_url):
    seeded_pair(store_url)
    continuity_matching.record_coupling("need-d", "offer-p", "Twee collega's vanaf maandag", "Regiocoördinator")
    store.dispose()  # a new process would see it too
    view = continuity_region.picture(demo=False)
    assert list(zip(view.couplings["bottleneck_key"], view.couplings["offer_key"], strict=True)) == [
        ("need-d", "offer-p")
    ]
    assert view.couplings.iloc[0]["need_area"] == "GM0505" and view.couplings.iloc[0]["offer_area"] == "GM0590"
    assert continuity_matching.matches(view)["is_gekoppeld"].tolist() == [True]
    assert continuity_view.need_options(view) == {}  # nothing left to couple
    table = continuity_view.couplings_table(view)
    assert table.iloc[0][["Gemeente met knelpunt", "Helpende gemeente", "Notitie"]].tolist() == [
        "Dordrecht",
        "Papendrecht",
        "Twee collega's vanaf maandag",
    ]
    # the coupling stays attached when Dordrecht reports again with the same (prefilled) knelpunt
    tables = form.form_tables(continuity.last_report("GM0505"))
    continuity.save_report(form.validate("GM0505", "2020-W21", 5, tables["statuses"], tables["bottlenecks"],
                                               tables["offers"], today=TODAY))  # fmt: skip
    assert continuity_matching.matches(continuity_region.picture(demo=False))["is_gekoppeld"].tolist() == [True]


@pytest.mark.parametrize(
    ("need", "offer_key", "message"),
    [
        ("need-d", "offer-d-self", "niet aan zichzelf"),
        ("bestaat-niet", "offer-p", "staat niet (meer) in de laatste melding"),
        ("need-d", "bestaat-niet", "staat niet (meer) in de laatste melding"),
        ("need-d", "offer-p-expertise", "niet over hetzelfde proces en dezelfde soort hulp"),
    ],
)
def test_invalid_couplings_are_refused_in_dutch(store_url, need, offer_key, message):
    submit(store_url, area="GM0505", stuck=[bottleneck(key="need-d")], offered=[offer(key="offer-d-self")])
    submit(store_url, area="GM0590", offered=[offer(key="offer-p"), offer(kind="expertise", key="offer-p-expertise")])
    with pytest.raises(checks.Invalid) as raised:
        continuity_matching.record_coupling(need, offer_key)
    assert any(message in problem.message for problem in raised.value.problems)
    assert continuity_region.picture(demo=False).couplings.empty


def test_demo_and_real_are_never_coupled(store_url):
    submit(store_url, area="GM0505", stuck=[bottleneck(key="need-d")])
    submit(store_url, area="GM0590", demo=True, offered=[offer(key="offer-demo")])
    with pytest.raises(checks.Invalid, match="demodata en echte meldingen"):
        continuity_matching.record_coupling("need-d", "offer-demo")


def test_the_same_pair_recorded_by_twenty_people_at_once_is_stored_once(store_url):
    seeded_pair(store_url)
    outcomes: list[str] = []

    def couple() -> None:
        try:
            continuity_matching.record_coupling("need-d", "offer-p")
            outcomes.append("vastgelegd")
        except checks.Invalid as invalid:
            outcomes.append(invalid.problems[0].message)

    assert at_once(couple, [()] * 20) == []
    assert outcomes.count("vastgelegd") == 1
    assert outcomes.count("deze koppeling is al vastgelegd.") == 19
    assert len(continuity_region.picture(demo=False).couplings) == 1


def test_twenty_municipality_writers_at_once_lose_no_report(store_url):
    store.engine()
    municipalities = list(continuity.catalogue().municipalities)

    def write(number: int) -> None:
        for week in (19, 20):
            submit(store_url, area=municipalities[number % 10], week=f"2020-W{week}", absence=number,
                   stuck=[bottleneck(description=f"knelpunt {number}-{week}")])  # fmt: skip

    assert at_once(write, range(20)) == []
    histories = pd.concat([continuity.history(code) for code in municipalities])
    assert len(histories) == 40 and histories["knelpunten"].sum() == 40


def test_keys_protect_reporting_per_municipality_and_are_open_when_unset(monkeypatch):
    assert keys.may_report(None, "GM0505") and keys.may_couple("") and not keys.configured(keys.CONTINUITY)
    monkeypatch.setenv(keys.municipality_variable("GM0505"), "dordt-geheim")
    assert keys.may_report("dordt-geheim", "GM0505") and not keys.may_report("fout", "GM0505")
    assert keys.may_report(None, "GM0482")  # no key for Alblasserdam and none for the region: open
    monkeypatch.setenv(keys.CONTINUITY, "regio-geheim")
    assert keys.may_report("regio-geheim", "GM0505") and keys.may_report("regio-geheim", "GM0482")
    assert not keys.may_report("dordt-geheim", "GM0482") and not keys.may_report(None, "GM0482")
    assert keys.may_couple("regio-geheim") and not keys.may_couple("dordt-geheim")


def test_the_matrix_exports_as_png_with_its_source(store_url):
    from ratc.core import export

    submit(store_url, demo=True)
    figure = continuity_view.matrix_figure(continuity_region.picture(demo=True), made_on=TODAY)
    assert figure.meta.source_line.startswith("Bron: wekelijkse meldingen bedrijfsvoering van de gemeenten (Demodata)")
    assert export.png(figure.spec)[:8] == b"\x89PNG\r\n\x1a\n"
    assert set(figure.data.columns) >= {"gemeente", "proces", "status", "verandering", "ziekteverzuim_pct"}


@pytest.mark.parametrize("given", [None, "", "fout", "molenlanden-geheim"])
def test_with_a_key_set_a_report_without_the_right_key_is_refused_and_nothing_is_written(store_url, monkeypatch,
                                                                                          given):  # fmt: skip
    monkeypatch.setenv(keys.municipality_variable("GM0505"), "dordt-geheim")
    monkeypatch.setenv(keys.municipality_variable("GM1978"), "molenlanden-geheim")
    with pytest.raises(keys.AccessDenied, match="niet juist voor Dordrecht; de melding is niet opgeslagen"):
        continuity.save_report(report(), url=store_url, key=given)
    assert continuity.holdings(store_url) == (False, False)
    continuity.save_report(report(), url=store_url, key="dordt-geheim")
    monkeypatch.setenv(keys.CONTINUITY, "regio-geheim")
    continuity.save_report(report(week="2020-W21"), url=store_url, key="regio-geheim")
    assert continuity.history("GM0505", url=store_url)["week"].tolist() == ["2020-W21", "2020-W20"]


def test_with_the_region_key_set_a_coupling_needs_it_and_a_wrong_one_writes_nothing(store_url, monkeypatch):
    seeded_pair(store_url)
    monkeypatch.setenv(keys.CONTINUITY, "regio-geheim")
    monkeypatch.setenv(keys.municipality_variable("GM0505"), "dordt-geheim")
    for given in (None, "", "fout", "dordt-geheim"):  # a municipality's own key does not couple
        with pytest.raises(keys.AccessDenied, match="de koppeling is niet vastgelegd"):
            continuity_matching.record_coupling("need-d", "offer-p", url=store_url, key=given)
    assert continuity_region.picture(demo=False, url=store_url).couplings.empty
    continuity_matching.record_coupling("need-d", "offer-p", url=store_url, key="regio-geheim")
    assert len(continuity_region.picture(demo=False, url=store_url).couplings) == 1


def test_demo_reports_load_only_with_the_region_key(store_url, monkeypatch):
    monkeypatch.setenv(keys.CONTINUITY, "regio-geheim")
    for given in (None, "fout"):
        with pytest.raises(keys.AccessDenied, match="sleutel van de regio"):
            demo_store.load_continuity(store_url, key=given)
    assert continuity.holdings(store_url) == (False, False)
    reports, couplings = demo_store.load_continuity(store_url, key="regio-geheim")
    assert continuity.holdings(store_url) == (False, True) and reports > 100 and couplings == 3


def test_a_report_sent_again_with_its_token_is_stored_once(store_url):
    first = continuity.save_report(report(), url=store_url, token="melding-token-1")
    again = continuity.save_report(report(absence=9.0), url=store_url, token="melding-token-1")
    other = continuity.save_report(report(absence=9.0), url=store_url, token="melding-token-2")
    assert first == again != other
    assert len(continuity.history("GM0505", url=store_url)) == 2
    assert continuity.save_report(report(area="GM0482"), url=store_url, token="melding-token-1") not in (first, other)
