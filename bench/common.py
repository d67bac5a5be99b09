"""Shared benchmark helpers: percentiles, the app's page list, and timing widget changes under AppTest."""

from __future__ import annotations

import ast
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import streamlit.logger  # noqa: E402
from streamlit import config  # noqa: E402

streamlit.logger.set_log_level("error")  # AppTest outside a server warns about a missing ScriptRunContext
config.set_option("client.showErrorDetails", "full")  # production hides errors; the benchmark says what broke

from streamlit.testing.v1 import AppTest  # noqa: E402

# The widget kinds a change can go to, tried in this order; a list value goes to a multiselect.
WIDGET_KINDS = (
    "selectbox", "select_slider", "slider", "segmented_control", "radio", "button_group", "text_input", "toggle"
)  # fmt: skip


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `fraction` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def median(values: list[float]) -> float:
    """The median (the mean of the middle two for an even count)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class AppPage:
    """A page as app.py registers it: its file, URL path and title."""

    file: str
    url_path: str
    title: str


def app_pages(app_file: Path = ROOT / "app.py") -> list[AppPage]:
    """Every `st.Page(...)` in app.py, read from its source (importing app.py would run Streamlit)."""
    pages = []
    for node in ast.walk(ast.parse(app_file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page" and node.args:
            options = {keyword.arg: keyword.value for keyword in node.keywords}
            file = ast.literal_eval(node.args[0])
            url_path = ast.literal_eval(options["url_path"]) if "url_path" in options else Path(file).stem
            title = ast.literal_eval(options["title"]) if "title" in options else Path(file).stem
            pages.append(AppPage(file, url_path, title))
    return pages


@dataclass(frozen=True)
class PageCycle:
    """The widget changes replayed on one page, as (widget key, new value); URL parameters to open it with."""

    changes: list[tuple[str, object]]
    params: dict[str, str] = field(default_factory=dict)


def set_widget(app: AppTest, key: str, value: object) -> None:
    """Change one widget by key, whatever its kind (a list goes to a multiselect)."""
    if isinstance(value, list):
        app.multiselect(key=key).set_value(value)
        return
    for kind in WIDGET_KINDS:
        try:
            widget = getattr(app, kind)(key=key)
        except KeyError:
            continue
        widget.select(value) if kind == "selectbox" else widget.set_value(value)
        return
    raise RuntimeError(f"no widget with key {key!r} on this page")


def open_page(page: str, params: dict[str, str], timeout: float = 300) -> AppTest:
    """app.py run under AppTest with these URL parameters, switched to the page; raises on an exception."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    app.switch_page(page).run()
    raise_on_exception(app, page, "opening")
    return app


def timed_change(app: AppTest, page: str, key: str, value: object) -> float:
    """Apply one widget change and rerun; the script time in ms."""
    started = time.perf_counter()
    set_widget(app, key, value)
    app.run()
    elapsed = (time.perf_counter() - started) * 1000
    raise_on_exception(app, page, f"{key} = {value!r}")
    return elapsed


def raise_on_exception(app: AppTest, page: str, step: str) -> None:
    """Stop the benchmark with the page's own error: a crashed rerun has no meaningful time."""
    if app.exception:
        raise RuntimeError(f"{page}, {step}: {app.exception[0].value}")
    if len(app.error):
        raise RuntimeError(f"{page}, {step}: the page shows an error: {app.error[0].value}")
