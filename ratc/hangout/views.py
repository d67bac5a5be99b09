"""Pinned views: a page of the monitor (its url_path) with every setting (its params), rendered again as a figure.

A session's agenda holds views, not pictures: a view is rendered from the warehouse when it is shown or put in the
report, so the figure, its source line and its numbers are those of the monitor itself. Each page with charts
registers how to turn its params into a `charts.Figure`, a list of Dutch settings and, where the page has them,
headline numbers. The scenario page (url_path "scenarios") is registered when `ratc.scenario` offers
`view_figure(params)` and `headline_table(params)`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import pandas as pd

from ratc.core import charts, context, periods
from ratc.monitor.overview import Query

DEFAULT_INDICATOR = "ww_uitkeringen"  # the app's default (ui.DEFAULT_INDICATOR; a test keeps them equal)
SCENARIO_MODULE = "ratc.scenario.model"
COHERENCE_CHARTS = {"heatmap": "Alle gemeenten en indicatoren", "spreiding": "Twee indicatoren naast elkaar"}

Params = Mapping[str, str]


class ViewError(ValueError):
    """A view that cannot be shown (unknown page, or its page cannot draw these settings); the message is Dutch."""


@dataclass(frozen=True)
class Rendered:
    """A pinned view drawn now: its figure (or the reason there is none), its settings and headline numbers."""

    url_path: str
    page_label: str
    title: str
    figure: charts.Figure | None
    settings: list[tuple[str, str]]
    headline: pd.DataFrame | None = None
    reason: str = ""
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ViewKind:
    """How one page turns its params into a rendered view."""

    url_path: str
    page_label: str
    render: Callable[[Query, dict[str, str]], Rendered]


def kinds() -> dict[str, ViewKind]:
    """Every page whose views can be pinned, by url_path; the scenario page only when its module offers views."""
    registered = {
        "trends": ViewKind("trends", "Trends", _trends),
        "kaart": ViewKind("kaart", "Kaart", _map),
        "mijn-gemeente": ViewKind("mijn-gemeente", "Mijn gemeente", _profile),
        "samenhang": ViewKind("samenhang", "Samenhang", _coherence),
    }
    if _scenario_module() is not None:
        registered["scenarios"] = ViewKind("scenarios", "Scenario's", _scenario)
    return registered


def render(query: Query, url_path: str, params: tuple[tuple[str, str], ...] | Params) -> Rendered:
    """Draw a view from its page and params (a tuple of pairs, so the result can be cached)."""
    kind = kinds().get(url_path)
    if kind is None:
        raise ViewError(f"De pagina '{url_path}' heeft geen grafiek die in een sessie kan worden getoond.")
    return kind.render(query, dict(params))


def parse_link(link: str) -> tuple[str, dict[str, str]]:
    """A link copied from the monitor ('https://…/trends?indicator=…' or 'trends?…') as (url_path, params)."""
    parts = urlsplit((link or "").strip())
    url_path = parts.path.rstrip("/").rsplit("/", 1)[-1].lower()
    if url_path not in kinds():
        pages = ", ".join(sorted(kinds()))
        raise ViewError(f"Deze link wijst niet naar een pagina met een grafiek ({pages}).")
    return url_path, dict(parse_qsl(parts.query, keep_blank_values=False))


def relative_link(url_path: str, params: Params) -> str:
    """The view as a link within the app ('trends?indicator=…'), to open it live in the monitor."""
    query_string = urlencode(sorted(params.items()))
    return f"{url_path}?{query_string}" if query_string else url_path


def context_choices(query: Query) -> context.Choices:
    """The valid context values from the warehouse (as the app's sidebar offers them)."""
    bounds = query("period_bounds").iloc[0]
    months = context.months_from_bounds(bounds["first_period_date"], bounds["last_period_date"])
    catalog = query("indicator_catalog")
    default = context.default_indicator(catalog, DEFAULT_INDICATOR)
    return context.choices_from(query("area_list"), catalog["indicator_id"], months, default)


def context_params(chosen: context.Context) -> dict[str, str]:
    """A context as explicit params: a pinned view keeps its month even when newer data arrives."""
    params = {"indicator": chosen.indicator, "periode": chosen.periode}
    if chosen.gemeente:
        params["gemeente"] = chosen.gemeente
    return params


def _context(query: Query, params: Params) -> tuple[context.Context, context.Choices, list[str]]:
    """The view's context, falling back to defaults with notices like a deep link."""
    choices = context_choices(query)
    chosen, notices = context.resolve({name: params.get(name) for name in context.PARAMS}, choices)
    return chosen, choices, notices


def _context_settings(query: Query, chosen: context.Context, choices: context.Choices) -> list[tuple[str, str]]:
    """The context in Dutch: area, indicator, month."""
    names = query("indicator_catalog").set_index("indicator_id")["name"]
    area = choices.municipalities.get(chosen.gemeente, "Hele regio (Zuid-Holland-Zuid)")
    return [
        ("Gemeente", area),
        ("Indicator", str(names.get(chosen.indicator, chosen.indicator))),
        ("Stand per", f"eind {periods.parse_period(chosen.periode, 'maand').long_label}"),
    ]


def is_demo(query: Query) -> bool:
    """Whether any figure the monitor shows is demo data (a presentation and a report then say so).

    Once an indicator has real figures none of its demo values is used, so after `python -m ratc demo --remove`,
    or when every indicator has been delivered, this is False.
    """
    return bool(query("indicator_catalog")["is_demo"].any())


def _trends(query: Query, params: dict[str, str]) -> Rendered:
    """Trends: params gemeenten (codes, comma-separated), maat and bereik, besides the context."""
    from ratc.monitor import trends

    chosen, choices, notices = _context(query, params)
    wanted = [code for code in params.get("gemeenten", "").split(",") if code]
    municipalities = tuple(code for code in wanted if code in choices.municipalities)[: trends.MAX_MUNICIPALITIES]
    if len(municipalities) < len(wanted):
        notices.append("Niet elke gekozen gemeente bestaat; de bekende worden getoond.")
    measure = params.get("maat") or trends.default_measure(trends.measure_options(query, chosen.indicator))
    if measure not in trends.measure_options(query, chosen.indicator):
        notices.append(f"Maat '{measure}' past niet bij deze indicator; absolute aantallen worden getoond.")
        measure = "absoluut"
    preset = params.get("bereik", "alles")
    if preset not in trends.PRESETS:
        notices.append(f"Periode '{preset}' bestaat niet; de hele periode wordt getoond.")
        preset = "alles"
    figure, reason = trends.trend_figure(query, chosen, municipalities, measure, preset)
    if figure is not None and reason:  # a note on the region's line, not a reason for no figure
        notices.append(reason)
        reason = ""
    settings = _context_settings(query, chosen, choices)
    shown = ", ".join(choices.municipalities[code] for code in municipalities) or "alleen de regio"
    settings += [
        ("Gemeenten in de grafiek", shown),
        ("Maat", trends.MEASURES[measure]),
        ("Periode", trends.PRESETS[preset]),
    ]  # fmt: skip
    title = _figure_title(figure, "Trends")
    return Rendered("trends", "Trends", title, figure, settings, reason=reason, notices=notices)


def _map(query: Query, params: dict[str, str]) -> Rendered:
    """Kaart: the publication map; param maat (waarde, per_10k, verandering), besides the context."""
    from ratc.core import geo
    from ratc.monitor import coverage, map_frame, map_view

    chosen, choices, notices = _context(query, params)
    indicator = map_frame.indicator_row(query, chosen.indicator)
    measure = params.get("maat") or map_frame.default_measure(indicator)
    if measure not in map_frame.measures_for(indicator):
        notices.append(f"Weergave '{measure}' past niet bij deze indicator; de standaardweergave wordt getoond.")
        measure = map_frame.default_measure(indicator)
    geometry = geo.map_geometry()
    empty = coverage.indicator_empty_text(query, chosen.indicator)
    figure = None if empty else map_view.static_figure(query, chosen, measure, geometry.description)
    settings = _context_settings(query, chosen, choices)[1:]
    settings += [("Weergave", map_frame.MEASURE_BUTTONS.get(measure, measure)), ("Kaart", geometry.description)]
    return Rendered("kaart", "Kaart", _figure_title(figure, "Kaart"), figure, settings, reason=empty or "",
                    notices=notices)  # fmt: skip


def _profile(query: Query, params: dict[str, str]) -> Rendered:
    """Mijn gemeente against region and Nederland; needs param gemeente, optional domein (a domain id)."""
    from ratc.monitor import overview, profile

    chosen, choices, notices = _context(query, params)
    if not chosen.gemeente:
        raise ViewError("Een profiel hoort bij één gemeente: kies eerst een gemeente.")
    name = choices.municipalities[chosen.gemeente]
    domains = overview.domain_options(query)
    domain = params.get("domein") or overview.ALL_DOMAINS
    if domain not in domains:
        notices.append(f"Domein '{domain}' bestaat niet; alle domeinen worden getoond.")
        domain = overview.ALL_DOMAINS
    figure = profile.figure(query, chosen, chosen.gemeente, name, domain)
    settings = [item for item in _context_settings(query, chosen, choices) if item[0] != "Indicator"]
    settings.append(("Domein", domains[domain]))
    reason = "" if figure is not None else f"Nog geen cijfers aangeleverd voor {name}."
    return Rendered("mijn-gemeente", "Mijn gemeente", _figure_title(figure, name), figure, settings, reason=reason,
                    notices=notices)  # fmt: skip


def _coherence(query: Query, params: dict[str, str]) -> Rendered:
    """Samenhang: param grafiek (heatmap or spreiding); for the scatter also y (indicator) and maat."""
    from ratc.monitor import coherence

    chosen, choices, notices = _context(query, params)
    chart = params.get("grafiek", "heatmap")
    if chart not in COHERENCE_CHARTS:
        notices.append(f"Grafiek '{chart}' bestaat niet; de heatmap wordt getoond.")
        chart = "heatmap"
    settings = _context_settings(query, chosen, choices)[1:]
    if chart == "heatmap":
        figure = coherence.heatmap_figure(query, chosen)
        settings = [item for item in settings if item[0] != "Indicator"]
        reason = "Nog geen cijfers aangeleverd die met de periode vóór de crisis te vergelijken zijn."
    else:
        labels = coherence.indicator_labels(query)
        indicator_y = params.get("y") or coherence.partner(chosen.indicator)
        if indicator_y not in labels:
            notices.append(f"Indicator '{indicator_y}' bestaat niet; een passende tweede indicator wordt getoond.")
            indicator_y = coherence.partner(chosen.indicator)
        measure = params.get("maat", "verandering")
        if measure not in coherence.SCATTER_MEASURES:
            measure = "verandering"
        figure = coherence.scatter_figure(query, chosen, chosen.indicator, indicator_y, measure)
        reason = coherence.scatter_empty_text(query, chosen.indicator, indicator_y) or ""
        settings = [("Indicator horizontaal", labels[chosen.indicator]), ("Indicator verticaal", labels[indicator_y]),
                    ("Maat", coherence.SCATTER_MEASURES[measure]), *settings[1:]]  # fmt: skip
    settings.append(("Grafiek", COHERENCE_CHARTS[chart]))
    reason = "" if figure is not None else reason
    return Rendered("samenhang", "Samenhang", _figure_title(figure, "Samenhang"), figure, settings, reason=reason,
                    notices=notices)  # fmt: skip


def _scenario(query: Query, params: dict[str, str]) -> Rendered:
    """Scenario's: drawn by the scenario module from its own params and the warehouse's observed figures."""
    module = _scenario_module()
    if module is None:
        raise ViewError("De scenariopagina is in deze versie van de monitor niet beschikbaar.")
    try:
        figure = module.view_figure(params, query)
    except getattr(module, "IncompleteData", ()) as problem:  # not enough figures yet: the view says which
        return Rendered("scenarios", "Scenario's", "Scenario", None, [], reason=str(problem))
    # the rounded Dutch table for the view's own area when the module offers it, else the full numbers
    display = getattr(module, "headline_display", None)
    headline = display(params, query) if callable(display) else module.headline_table(params, query)
    describe = getattr(module, "view_settings", None)
    settings = list(describe(params, query)) if describe else []  # never the raw ids of a link
    return Rendered("scenarios", "Scenario's", _figure_title(figure, "Scenario"), figure, settings, headline)


def _scenario_module():
    """`ratc.scenario.model` when it exists and offers views; None otherwise."""
    try:
        module = importlib.import_module(SCENARIO_MODULE)
    except ModuleNotFoundError as missing:
        if missing.name != SCENARIO_MODULE:
            raise
        return None
    if callable(getattr(module, "view_figure", None)) and callable(getattr(module, "headline_table", None)):
        return module
    return None


def _figure_title(figure: charts.Figure | None, fallback: str) -> str:
    """The figure's own title and subtitle: 'WW-uitkeringen per 10.000 inwoners — Dordrecht … · 2020'."""
    if figure is None:
        return fallback
    return f"{figure.meta.title} — {figure.meta.subtitle}" if figure.meta.subtitle else figure.meta.title
