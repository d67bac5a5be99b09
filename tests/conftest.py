"""Shared fixtures: one warehouse built from the repo's own data into a temporary folder."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from ratc.core import keys, store
from ratc.ui import guard
from ratc.warehouse import builder as warehouse
from ratc.warehouse import db

ROOT = Path(__file__).resolve().parent.parent
SHARED_REAL = ROOT.parent / "shared" / "real"


@pytest.fixture(scope="session")
def warehouse_file(tmp_path_factory) -> Path:
    """A warehouse built from `data/`; the app under test reads it through RATC_WAREHOUSE."""
    target = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    warehouse.build(target=target)
    os.environ["RATC_WAREHOUSE"] = str(target)
    return target


@pytest.fixture(scope="session", autouse=True)
def isolated_store(tmp_path_factory) -> None:
    """No test writes the repo's own store: the default store (RATC_STATE_DIR) lives in a temporary folder."""
    os.environ["RATC_STATE_DIR"] = str(tmp_path_factory.mktemp("state"))
    os.environ.pop(store.URL_VARIABLE, None)


@pytest.fixture(scope="session", autouse=True)
def local_trial_mode() -> None:
    """Tests run as `python -m ratc serve --local` does: forms without a configured key are open.

    The production default (closed without a key) is tested with the `production` fixture. RATC_DEBUG makes an
    unexpected error in a page raise, so AppTest reports it, instead of becoming an incident code on screen.
    """
    os.environ[keys.TRIAL] = "1"
    os.environ[guard.DEBUG] = "1"


PROTECTED_KEYS = (keys.STEWARD, keys.HANGOUT, keys.CONTINUITY, keys.INITIATIVES)


@pytest.fixture
def production(monkeypatch) -> None:
    """A production start: no trial mode and none of the keys configured (every protected action is refused)."""
    monkeypatch.delenv(keys.TRIAL, raising=False)
    for variable in [*PROTECTED_KEYS, *(name for name in os.environ if name.startswith(keys.CONTINUITY))]:
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture(scope="session")
def con(warehouse_file):
    """A read-only connection to the session warehouse."""
    connection = db.open_warehouse(warehouse_file)
    yield connection
    connection.close()


@pytest.fixture
def private_data(tmp_path, monkeypatch) -> Path:
    """A private copy of data/ with its own warehouse (via RATC_DATA_DIR, RATC_WAREHOUSE) for tests that write."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    target = tmp_path / "warehouse.duckdb"
    warehouse.build(data, target)
    monkeypatch.setenv("RATC_DATA_DIR", str(data))
    monkeypatch.setenv("RATC_WAREHOUSE", str(target))
    monkeypatch.delenv("RATC_STEWARD_KEY", raising=False)
    return data


@pytest.fixture(scope="session", autouse=True)
def session_store(tmp_path_factory) -> str:
    """A collaborative store for the whole test run, so no test writes to the repo's state/ folder."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.sqlite'}"
    os.environ[store.URL_VARIABLE] = url
    return url


@pytest.fixture
def store_url(tmp_path, monkeypatch) -> Iterator[str]:
    """A fresh collaborative store (SQLite in WAL mode) for one test, also used by the app under test."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv(store.URL_VARIABLE, url)
    yield url
    store.dispose()


POSTGRES_URL_VARIABLE = "RATC_TEST_POSTGRES_URL"  # a server to use instead of starting one
POSTGRES_REQUIRED_VARIABLE = "RATC_REQUIRE_POSTGRES"  # set in CI: no PostgreSQL is a failure, not a skip


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str | None]:
    """A PostgreSQL server for the store's tests: the configured one, or one started on loopback by .ci/postgres."""
    if os.environ.get(POSTGRES_URL_VARIABLE):
        yield os.environ[POSTGRES_URL_VARIABLE]
        return
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        yield None
        return
    # not under pytest's private tmp folder: the server runs as the postgres user, who must reach it
    folder = tempfile.mkdtemp(prefix="ratc-postgres-")
    os.chmod(folder, 0o755)
    script = ROOT / ".ci" / "postgres"
    port = str(54330 + os.getpid() % 500)
    started = subprocess.run([script, "start", folder, port], capture_output=True, text=True, check=False)
    if started.returncode != 0:
        yield None
        return
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([script, "stop", folder], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store_url(request, tmp_path, monkeypatch) -> Iterator[str]:
    """A fresh, empty store on each backend the product supports: SQLite (WAL) and PostgreSQL."""
    if request.param == "sqlite":
        monkeypatch.setenv(store.URL_VARIABLE, f"sqlite:///{tmp_path / 'store.sqlite'}")
        yield os.environ[store.URL_VARIABLE]
        store.dispose()
        return
    with fresh_postgres_database(request.getfixturevalue("postgres_server"), "ratc_test") as url:
        monkeypatch.setenv(store.URL_VARIABLE, url)
        yield url
        store.dispose()


@contextlib.contextmanager
def fresh_postgres_database(server: str | None, prefix: str) -> Iterator[str]:
    """A new, empty database on the test server (its URL), dropped afterwards; skips or fails without a server."""
    if server is None:
        if os.environ.get(POSTGRES_REQUIRED_VARIABLE):
            pytest.fail("PostgreSQL is required here (RATC_REQUIRE_POSTGRES) but none could be started")
        pytest.skip("no PostgreSQL server available")
    database = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{database}"')  # a generated identifier, not user input
    try:
        yield sa.engine.make_url(server).set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def observations(con):
    """The whole observations table as a DataFrame."""
    return con.cursor().execute("select * from observations").df()


def at_once(function: Callable[..., object], arguments: Iterable[object]) -> list[BaseException]:
    """Call `function(argument)` for every argument, each in its own thread, all at once; what they raised.

    A tuple argument is spread over the parameters. The threads wait at a barrier, so they really start together.
    """
    calls = [argument if isinstance(argument, tuple) else (argument,) for argument in arguments]
    start = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: tuple) -> None:
        try:
            start.wait()
            function(*call)
        except BaseException as error:  # noqa: BLE001 - handed back to the test, which asserts on them
            errors.append(error)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def run_app(warehouse_file, params=None, page=None) -> AppTest:
    """The app after one run (and a switch to `page`, e.g. "pages/trend_lines.py"), with these URL parameters.

    Pass the `warehouse_file` fixture (or None when RATC_WAREHOUSE is set otherwise); fails on any exception.
    """
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (params or {}).items():
        app.query_params[key] = value
    app.run()
    if page:
        app.switch_page(page)
        app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def chart_data(app: AppTest, index: int = 0):
    """The data of the index-th Vega-Lite chart on the page, as a DataFrame (Streamlit sends it as Arrow)."""
    from streamlit import dataframe_util

    element = app.get("vega_lite_chart")[index]
    return dataframe_util.convert_arrow_bytes_to_pandas_df(element.proto.datasets[0].data.data)


@contextlib.contextmanager
def serve(routes: dict[str, tuple[int, str, bytes]]) -> Iterator[str]:
    """A local HTTP server on 127.0.0.1 in a thread answering path -> (status, content type, body); yields its URL.

    Unknown paths answer 404 with an HTML page, as real servers do.
    """

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            status, content_type, body = routes.get(self.path.split("?")[0], (404, "text/html", b"<h1>404</h1>"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # size-limit tests hang up early
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def shows_demodata(app: AppTest) -> bool:
    """Whether the page says 'Demodata' anywhere: its one-line notice, a tile, a chart's label, a notice box."""
    texts = [*app.info, *app.caption, *app.markdown, *app.warning]
    return any("Demodata" in element.value for element in texts)
