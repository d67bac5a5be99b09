"""The shipped Streamlit configuration is the production one: protections on, limits set, no details leak."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
DEPLOY = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")


def test_xsrf_and_cors_protection_are_on_and_same_origin():
    server = CONFIG["server"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True
    assert server["corsAllowedOrigins"] == []


def test_uploads_are_limited_to_what_a_delivery_needs():
    assert 0 < CONFIG["server"]["maxUploadSize"] <= 20
    assert f"client_max_body_size {CONFIG['server']['maxUploadSize']}m" in DEPLOY  # the proxy says the same


def test_users_see_no_error_details_and_only_the_viewer_toolbar():
    client = CONFIG["client"]
    assert client["showErrorDetails"] == "none"
    assert client["showErrorLinks"] is False
    assert client["toolbarMode"] == "viewer"
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_no_reloading_no_static_folder_and_no_secret_in_the_repo():
    server = CONFIG["server"]
    assert server["fileWatcherType"] == "none" and server["runOnSave"] is False
    assert server["enableStaticServing"] is False
    assert "cookieSecret" not in server  # set per deployment (STREAMLIT_SERVER_COOKIE_SECRET), never committed
    assert not (ROOT / ".streamlit" / "secrets.toml").exists()


def test_deployment_notes_block_metrics_and_pin_sessions():
    assert re.search(r"location\s+(=\s+)?/_stcore/metrics\s*\{\s*return 404;", DEPLOY)
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in DEPLOY and "RATC_STORE_URL" in DEPLOY
    assert "sticky" in DEPLOY.lower()


def test_the_server_does_not_collect_all_garbage_after_every_run():
    # Streamlit's default full collection after each script run cut the throughput under load to a third
    assert CONFIG["runner"]["postScriptGC"] is False
    assert "postScriptGC = false" in DEPLOY
