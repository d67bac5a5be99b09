"""Secure by default: without its key a protected action is refused, naming the variable to set; only the local
trial mode (`python -m ratc serve --local`, bound to loopback) opens the forms, and every page says so."""

from __future__ import annotations

import datetime as dt
import types

import pytest
from conftest import run_app

from ratc.continuity import matching as continuity_matching
from ratc.continuity import reports as continuity
from ratc.core import keys, text
from ratc.demo import store_content as demo_store
from ratc.hangout import session
from ratc.ingest import steward
from ratc.initiatives import registry as initiatives
from ratc.ui import serve

DUTCH_REFUSAL = "Dit is op deze server uitgeschakeld: er is geen sleutel ingesteld"
# Every protected write in ratc, called as a page would call it (no key typed), and the variable it must name.
PROTECTED = {
    "sessie aanmaken": (lambda: session.create_session("Open?", dt.date(2020, 6, 4), ["Werk"]), keys.HANGOUT),
    "melden": (lambda: continuity.save_report(types.SimpleNamespace(area_code="GM0505")), keys.CONTINUITY),
    "koppeling": (lambda: continuity_matching.record_coupling("a", "b"), keys.CONTINUITY),
    "initiatief aanmelden": (lambda: initiatives.register(None), keys.INITIATIVES),
    "coalitie": (lambda: initiatives.record_coalition("a", "b"), keys.INITIATIVES),
    "demodata": (lambda: demo_store.load(), keys.CONTINUITY),
    "demodata bedrijfsvoering": (lambda: demo_store.load_continuity(), keys.CONTINUITY),
    "demodata initiatieven": (lambda: demo_store.load_initiatives(), keys.INITIATIVES),
}


@pytest.mark.parametrize("action", PROTECTED)
def test_a_production_start_without_keys_refuses_every_protected_write(production, store_url, action):
    call, variable = PROTECTED[action]
    with pytest.raises(keys.AccessDenied) as refused:
        call()
    assert DUTCH_REFUSAL in str(refused.value) and variable in str(refused.value)
    assert continuity.holdings() == (False, False) and initiatives.holdings() == (False, False)


def test_without_keys_no_typed_value_opens_anything(production):
    for given in (None, "", " ", "None", "null"):
        assert not keys.may_create_hangout(given)
        assert not keys.may_report(given, "GM0505")
        assert not keys.may_couple(given)
        assert not keys.may_register(given)
        assert not steward.may_deliver(given)
    assert keys.may_register(keys.TRUSTED)  # the command line stays trusted


def test_the_steward_refusal_names_its_variable(production):
    with pytest.raises(keys.AccessDenied, match=keys.STEWARD):
        steward.require(None)


def test_in_the_trial_mode_forms_without_a_key_are_open_and_a_set_key_still_counts(monkeypatch):
    monkeypatch.setenv(keys.TRIAL, "1")
    monkeypatch.delenv(keys.HANGOUT, raising=False)
    assert keys.may_create_hangout(None) and steward.may_deliver(None) is not None
    monkeypatch.setenv(keys.HANGOUT, "samen-duiden")
    assert not keys.may_create_hangout(None) and keys.may_create_hangout("samen-duiden")


@pytest.mark.parametrize("value", ["", "0", "true", "yes", " 1"])
def test_only_the_exact_trial_flag_opens_the_forms(production, monkeypatch, value):
    monkeypatch.setenv(keys.TRIAL, value)
    assert not keys.may_register(None)


def test_serve_local_binds_to_loopback_and_turns_the_trial_mode_on(monkeypatch):
    monkeypatch.delenv(keys.TRIAL, raising=False)
    options, refusal = serve.trial_options(["--local", "--server.port", "8502"])
    assert refusal is None and keys.trial_mode()
    assert options == ["--server.port", "8502", "--server.address", "127.0.0.1"]


@pytest.mark.parametrize("address", [["--server.address", "0.0.0.0"], ["--server.address=10.0.0.11"]])
def test_serve_local_refuses_to_listen_beyond_this_computer(monkeypatch, address):
    monkeypatch.delenv(keys.TRIAL, raising=False)
    options, refusal = serve.trial_options(["--local", *address])
    assert refusal and "127.0.0.1" in refusal and not keys.trial_mode()


def test_a_production_start_clears_an_inherited_trial_flag(monkeypatch):
    monkeypatch.setenv(keys.TRIAL, "1")
    options, refusal = serve.trial_options(["--server.port", "8502"])
    assert options == ["--server.port", "8502"] and refusal is None and not keys.trial_mode()


def page_texts(app) -> str:
    """Every text, caption, warning and error on the page, joined."""
    kinds = ("markdown", "caption", "info", "error", "warning", "success")
    return "\n".join(str(element.value) for kind in kinds for element in app.get(kind))


# page, URL parameters, the variable the page must name, the widget that must not be offered
CLOSED_PAGES = [
    ("pages/delivery.py", {}, keys.STEWARD, "file_uploader"),
    ("pages/hangout.py", {}, keys.HANGOUT, None),
    ("pages/continuity_report.py", {"gemeente": "GM0505"}, keys.CONTINUITY, "data_editor"),
    ("pages/initiatives_page.py", {}, keys.INITIATIVES, None),
]


@pytest.mark.parametrize(("page", "params", "variable", "absent"), CLOSED_PAGES)
def test_in_production_a_page_without_its_key_says_which_variable_to_set(
    warehouse_file, store_url, production, page, params, variable, absent
):
    app = run_app(warehouse_file, params=params, page=page)
    errors = "\n".join(element.value for element in app.error)
    assert f"geen sleutel ingesteld ({variable})" in errors and "Beheerder: stel" in errors
    assert "Proefmodus" not in page_texts(app)
    if absent:
        assert not app.get(absent)


def test_in_production_submitting_the_new_session_form_is_refused(warehouse_file, store_url, production):
    app = run_app(warehouse_file, page="pages/hangout.py")
    app.text_input(key="sessie_nieuw_titel").input("Open?")
    app.text_area(key="sessie_nieuw_themas").input("Werk")
    [submit] = [each for each in app.button if each.label == "Sessie aanmaken"]
    submit.click()
    app.run()
    refusal = text.escape_markdown(keys.unconfigured_message(keys.HANGOUT))  # hang-out messages are shown escaped
    assert any(refusal in error.value for error in app.error)
    assert session.find("AAAAAA") is None and "_hangout_facilitator" not in app.session_state


def test_the_trial_mode_says_so_on_every_page(warehouse_file, store_url):
    for page in ("pages/overview.py", "pages/hangout.py", "pages/delivery.py"):
        app = run_app(warehouse_file, page=page)
        assert any("Proefmodus op deze computer" in warning.value for warning in app.warning), page


def test_production_shows_no_trial_notice(warehouse_file, production):
    app = run_app(warehouse_file)
    assert not any("Proefmodus" in warning.value for warning in app.warning)
