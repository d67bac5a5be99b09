"""Matching help between municipalities respects time and capacity: stale offers are left out and name their week,
couplings use up an offer's people or units, and a helper on red for the process is never proposed."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from conftest import at_once
from test_continuity import bottleneck, offer, report, statuses, submit

from ratc.continuity import matching, region
from ratc.continuity import reports as continuity
from ratc.continuity import view as continuity_view
from ratc.core import checks, keys


@pytest.fixture
def store_url(any_store_url, monkeypatch):
    """Every test here runs on SQLite and PostgreSQL, with writing open."""
    monkeypatch.delenv(keys.CONTINUITY, raising=False)
    return any_store_url


def found(url: str | None = None) -> pd.DataFrame:
    """The matches of the real reports in the store."""
    return matching.matches(region.picture(demo=False, url=url))


def refused(need: str, offer_key: str, **arguments) -> str:
    """The Dutch problems of a coupling that is refused."""
    with pytest.raises(checks.Invalid) as raised:
        matching.record_coupling(need, offer_key, **arguments)
    return " ".join(problem.message for problem in raised.value.problems)


def test_an_offer_from_a_report_weeks_older_than_the_others_is_left_out_and_cannot_be_coupled(store_url):
    submit(store_url, area="GM0505", week="2020-W20", stuck=[bottleneck(key="need-d")])
    submit(store_url, area="GM0642", week="2020-W20")  # Zwijndrecht reports on time
    # Papendrecht's last report is ten weeks old; Sliedrecht's two weeks
    submit(store_url, area="GM0590", week="2020-W10", offered=[offer(key="offer-old")])
    submit(store_url, area="GM0610", week="2020-W18", offered=[offer(key="offer-recent")])
    pairs = found()
    assert pairs["offer_key"].tolist() == ["offer-recent"]
    assert pairs.iloc[0]["weken_oud"] == 2 and pairs.iloc[0]["offer_week"] == "2020-W18"
    assert "aanbod uit de melding van week 18 2020, 2 weken ouder dan de nieuwste melding" in pairs.iloc[0]["uitleg"]
    message = refused("need-d", "offer-old")
    assert "week 10 2020" in message and "10 weken ouder dan de nieuwste melding" in message
    table = continuity_view.offers_table(region.picture(demo=False), "need-d")
    assert table.iloc[0]["Melding"] == "week 18 2020"


def test_an_offer_of_the_newest_week_names_its_week_without_an_age(store_url):
    submit(store_url, area="GM0505", stuck=[bottleneck(key="need-d")])
    submit(store_url, area="GM0590", offered=[offer(key="offer-p")])
    explanation = found().iloc[0]["uitleg"]
    assert "aanbod uit de melding van week 20 2020" in explanation and "ouder" not in explanation


def test_couplings_use_up_an_offer_and_a_used_up_offer_is_not_proposed_again(store_url):
    submit(store_url, area="GM0505", stuck=[bottleneck(key="need-d")])
    submit(store_url, area="GM0642", stuck=[bottleneck(key="need-z")])
    submit(store_url, area="GM0590", offered=[offer(key="one-driver", amount=1, unit="chauffeur")])
    assert sorted(found()["bottleneck_key"]) == ["need-d", "need-z"]
    assert found().iloc[0]["capaciteit_over"] == 1
    matching.record_coupling("need-d", "one-driver")
    pairs = found()
    assert pairs[["bottleneck_key", "is_gekoppeld"]].values.tolist() == [["need-d", True]]  # shown as coupled only
    assert "need-z" not in continuity_view.need_options(region.picture(demo=False))
    assert "al helemaal gekoppeld (1 chauffeur)" in refused("need-z", "one-driver")
    assert len(region.picture(demo=False).couplings) == 1


def test_a_coupling_takes_as_many_units_as_asked_and_no_more_than_are_left(store_url):
    submit(store_url, area="GM0505", stuck=[bottleneck(key="need-d")])
    submit(store_url, area="GM0642", stuck=[bottleneck(key="need-z")])
    submit(store_url, area="GM0590", offered=[offer(key="three", amount=3, unit="medewerkers")])
    assert "hoogstens 3 (nog over van 3 medewerkers)" in refused("need-d", "three", units=4)
    assert "heel aantal" in refused("need-d", "three", units="1,5")
    matching.record_coupling("need-d", "three", units=2)
    assert found().set_index("bottleneck_key").loc["need-z", "capaciteit_over"] == 1
    assert "hoogstens 1" in refused("need-z", "three", units=2)
    matching.record_coupling("need-z", "three", units=1)
    view = region.picture(demo=False)
    assert continuity_view.couplings_table(view)["Aantal"].sum() == 3
    assert set(found()["is_gekoppeld"]) == {True}


def test_two_people_coupling_the_last_unit_to_two_needs_at_once_store_one(store_url):
    submit(store_url, area="GM0505", stuck=[bottleneck(key="need-d")])
    submit(store_url, area="GM0642", stuck=[bottleneck(key="need-z")])
    submit(store_url, area="GM0590", offered=[offer(key="one-driver", amount=1, unit="chauffeur")])
    outcomes: list[str] = []

    def couple(need: str) -> None:
        try:
            matching.record_coupling(need, "one-driver")
            outcomes.append("vastgelegd")
        except checks.Invalid as invalid:
            outcomes.append(invalid.problems[0].message)

    assert at_once(couple, ["need-d", "need-z"] * 4) == []
    assert outcomes.count("vastgelegd") == 1
    assert len(region.picture(demo=False).couplings) == 1


def test_a_helper_that_is_red_on_the_process_is_not_proposed(store_url):
    submit(store_url, area="GM0505", stuck=[bottleneck(key="need-d")])
    submit(store_url, area="GM0590", status_table=statuses({"schuldhulp": "rood"}), offered=[offer(key="red")])
    submit(store_url, area="GM0610", status_table=statuses({"schuldhulp": "oranje"}), offered=[offer(key="orange")])
    assert found()["offer_key"].tolist() == ["orange"]
    assert "staat zelf op rood voor dit proces" in refused("need-d", "red")


def test_an_offer_stored_before_amounts_were_asked_counts_as_one_unit(store_url):
    submit(store_url, area="GM0505", stuck=[bottleneck(key="need-d")])
    submit(store_url, area="GM0642", stuck=[bottleneck(key="need-z")])
    earlier = report(area="GM0590", offered=[offer(key="legacy")])
    legacy = dataclasses.replace(earlier.offers[0], capacity="2 fte", amount=None, unit="")
    continuity.save_report(dataclasses.replace(earlier, offers=(legacy,)), url=store_url)
    assert found().iloc[0]["capaciteit_aantal"] == 1
    matching.record_coupling("need-d", "legacy")
    assert "al helemaal gekoppeld" in refused("need-z", "legacy")
    # the next report asks for the amount: the prefilled row has none, and the form says so
    with pytest.raises(checks.Invalid) as raised:
        report(area="GM0590", week="2020-W21", offered=[offer(key="legacy", amount=None)])
    assert [problem.field for problem in raised.value.problems] == ["Aanbod 1 · Aantal"]


@pytest.mark.parametrize(("amount", "words"), [(None, "Aantal"), (0, "tussen 1 en"), (2.5, "heel aantal")])
def test_an_offer_needs_a_whole_number_of_people_or_units(amount, words):
    with pytest.raises(checks.Invalid) as raised:
        report(offered=[offer(amount=amount)])
    assert any(words in problem.field + problem.message for problem in raised.value.problems)


def test_the_offers_table_shows_capacity_in_words_and_what_is_left(store_url):
    submit(store_url, area="GM0505", stuck=[bottleneck(key="need-d")])
    submit(store_url, area="GM0590", offered=[offer(key="p", amount=2, unit="medewerkers", capacity="tot 1 juli")])
    table = continuity_view.offers_table(region.picture(demo=False), "need-d")
    assert table.iloc[0][["Capaciteit", "Nog vrij"]].tolist() == ["2 medewerkers · tot 1 juli", 2]
    options = continuity_view.offer_options(region.picture(demo=False), "need-d")
    assert "nog 2 van 2 medewerkers vrij; week 20 2020" in options["p"]


def test_the_coupling_form_refuses_more_people_than_the_offer_has_left(warehouse_file, store_url):
    from conftest import run_app

    from ratc.demo import store_content as demo_store

    demo_store.load_continuity()
    before = len(region.picture(demo=True).couplings)
    app = run_app(warehouse_file, {}, "pages/continuity_overview.py")
    assert "Niet voorgesteld: een helper die zelf op rood staat" in " ".join(item.value for item in app.caption)
    app.number_input(key="koppeling_aantal").set_value(9999)
    app.button(key="koppeling_opslaan").click()
    app = app.run()
    assert not app.exception
    assert any("hoogstens" in error.value for error in app.error), [error.value for error in app.error]
    assert len(region.picture(demo=True).couplings) == before
