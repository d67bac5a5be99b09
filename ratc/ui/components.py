"""Shared Streamlit components: the context sidebar, the page head, charts with their downloads and tables."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlencode

import streamlit as st

from ratc.core import charts, context, export, fmt, metadata, periods, text
from ratc.monitor import coverage, overview
from ratc.ui import cache

T = TypeVar("T")
DEFAULT_INDICATOR = "ww_uitkeringen"
FAVICON = Path(__file__).parent / "static" / "favicon.png"
LINK_LIST_LIMIT = 40
DEMO_BADGE = ":orange-badge[:material/science: Demodata]"
DEMO_EXPLANATION = (
    "Demodata: alle cijfers op deze pagina zijn gegenereerd voor demonstratie en training; het zijn geen "
    "waarnemingen van gemeenten, CBS of RIVM."
)
EMPTY_ICON = ":material/hourglass_empty:"


def choices() -> context.Choices:
    """The valid context values, from the warehouse."""
    areas = cache.query("area_list")
    catalog = cache.query("indicator_catalog")
    bounds = cache.query("period_bounds").iloc[0]
    months = context.months_from_bounds(bounds["first_period_date"], bounds["last_period_date"])
    default = context.default_indicator(catalog, DEFAULT_INDICATOR)
    return context.choices_from(areas, catalog["indicator_id"], months, default)


def current_context() -> context.Context:
    """The context of this run: the URL when it changed since we last wrote it, otherwise the widgets."""
    options = choices()
    st.session_state["_choices"] = options
    url = {name: st.query_params.get(name) for name in context.PARAMS}
    from_url, notices = context.resolve(url, options)
    if {k: v for k, v in url.items() if v is not None} != st.session_state.get("_context_url"):
        st.session_state["ctx_gemeente"] = from_url.gemeente or metadata.REGION_CODE
        st.session_state["ctx_periode"] = from_url.periode
        st.session_state["ctx_indicator"] = from_url.indicator
        for notice in notices:
            # a notice quotes what the link said, and a link can say anything
            st.toast(text.escape_markdown(notice), icon=":material/info:")
            st.caption(f":material/info: {text.escape_markdown(notice)}")
    gemeente = st.session_state.get("ctx_gemeente", from_url.gemeente)
    chosen = context.Context(
        gemeente=None if gemeente == metadata.REGION_CODE else gemeente,
        indicator=st.session_state.get("ctx_indicator", from_url.indicator),
        periode=st.session_state.get("ctx_periode", from_url.periode),
    )
    st.session_state["_context"] = chosen
    return chosen


def write_context(chosen: context.Context) -> dict[str, str]:
    """Put the context into the URL, so it is a deep link and survives page switches."""
    params = context.to_params(chosen, choices_in_use())
    # a page's own parameters (a session's join code, the scenario settings) stay; the context's are rewritten
    wanted = {**{k: v for k, v in st.query_params.items() if k not in context.PARAMS}, **params}
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)
    st.session_state["_context_url"] = params
    return params


def municipality_count_word() -> str:
    """How many municipalities the monitor holds, as a sentence says it ('tien')."""
    return fmt.count_word(len(choices_in_use().municipalities))


def domain_choice(key: str) -> str:
    """'Alle domeinen' or one domain for a page of KPI tiles; in the URL as `domein`."""
    options = cache.computed(overview.domain_options)
    return linked_choice("Domein", options, cache.computed(overview.default_domain), key=key, param="domein")


def linked_choice(label: str, options: Mapping[str, str], default: str, key: str, param: str) -> str:
    """A row of buttons whose choice is also in the URL (`param`), so that a link opens the page on it."""
    wanted, written = st.query_params.get(param), f"_url_{key}"
    if key not in st.session_state or wanted != st.session_state.get(written):
        # a link, an edited address or the browser's back button changed the URL since this page wrote it
        if wanted is not None and wanted not in options:
            st.caption(f":material/info: {text.escape_markdown(f'{param}={wanted} bestaat niet; {options[default]}.')}")
        st.session_state[key] = wanted if wanted in options else default
    if st.session_state.get(key) not in options:  # e.g. a domain that a rebuilt warehouse no longer has
        st.session_state[key] = default
    choice = st.segmented_control(label, list(options), format_func=options.get, key=key, required=True)
    choice = choice if choice in options else default
    if choice == default:
        st.query_params.pop(param, None)
    elif st.query_params.get(param) != choice:
        st.query_params[param] = choice
    st.session_state[written] = None if choice == default else choice
    return choice


# The sidebar groups the pages by the mission's tracks; a page not listed here goes under "Overig".
SECTIONS = {
    "": "Monitor",  # the default page (Regio-overzicht) has the empty path
    "mijn-gemeente": "Monitor",
    "kaart": "Monitor",
    "trends": "Monitor",
    "samenhang": "Monitor",
    "scenarios": "Samen duiden",
    "sessie": "Samen duiden",
    "meedoen": "Samen duiden",
    "praktijken": "Samen duiden",
    "bedrijfsvoering": "Bedrijfsvoering & initiatieven",
    "bedrijfsvoering-melden": "Bedrijfsvoering & initiatieven",
    "initiatieven": "Bedrijfsvoering & initiatieven",
    "bronnen": "Gegevens",
    "aanleveren": "Gegevens",
}


def sidebar(pages: list[st.Page], params: dict[str, str], chosen: context.Context) -> None:
    """The sidebar: title, links to every page by section that keep the context, and the context controls."""
    with st.sidebar:
        st.markdown("**RAT-C monitor**  \nZuid-Holland-Zuid")  # not a heading: the page's h1 comes first
        sections: dict[str, list[st.Page]] = {}
        for page in pages:
            sections.setdefault(SECTIONS.get(page.url_path, "Overig"), []).append(page)
        for section, members in sections.items():
            if len(sections) > 1:
                st.caption(section)
            for page in members:
                st.page_link(page, query_params=params)
        st.divider()
    sidebar_controls(chosen)


def choices_in_use() -> context.Choices:
    """The context choices the frame computed for this run."""
    return st.session_state["_choices"]


def context_in_use() -> context.Context:
    """The context the frame resolved for this run."""
    return st.session_state["_context"]


def sidebar_controls(chosen: context.Context) -> None:
    """Municipality and 'stand per' month in the sidebar."""
    options = choices_in_use()
    names = {metadata.REGION_CODE: "Hele regio (Zuid-Holland-Zuid)", **options.municipalities}
    st.session_state.setdefault("ctx_gemeente", chosen.gemeente or metadata.REGION_CODE)
    st.session_state.setdefault("ctx_periode", chosen.periode)
    st.sidebar.selectbox(
        "Gemeente",
        list(names),
        format_func=names.get,
        key="ctx_gemeente",
        help="Uw keuze blijft bewaard in de link; deel de link om precies dit beeld te delen.",
    )
    st.sidebar.select_slider(
        "Stand per",
        options.months,
        format_func=periods.month_label,
        key="ctx_periode",
        help="Cijfers over perioden die uiterlijk aan het eind van deze maand afliepen.",
    )


def indicator_picker(chosen: context.Context, label: str = "Indicator") -> str:
    """A select box of all indicators, grouped by domain in its labels; its choice goes into the URL."""
    catalog = cache.query("indicator_catalog")
    labels = dict(zip(catalog["indicator_id"], catalog["domain_name"] + " · " + catalog["name"], strict=True))
    # keyed widget state is tied to the page it was created on: carry the context's choice across pages
    st.session_state["ctx_indicator"] = chosen.indicator
    return st.selectbox(label, list(labels), format_func=labels.get, key="ctx_indicator")


def page_header(title: str, caption: str = "") -> bool:
    """A slim page head: the title, and one line with the page's caption after a small 'Demodata' badge when
    every figure of the monitor is demo (its explanation in the line's tooltip); True when it said Demodata.

    With real figures too, no page-wide badge: each tile, chart, table row and export of demo figures says so.
    """
    st.title(title)
    demo = cache.computed(coverage.monitor_state) == coverage.DEMO
    line = f"{DEMO_BADGE} {caption}" if demo else caption
    if line:
        st.caption(line, help=DEMO_EXPLANATION if demo else None)
    return demo


def demo_label(what: str) -> None:
    """'Demodata' above something that shows demo figures and has no source line of its own (the live map)."""
    st.caption(f"{DEMO_BADGE} {what}")


def empty_state(message: str) -> None:
    """What a page shows instead of an empty chart: a plain sentence ('Nog geen cijfers aangeleverd voor …')."""
    st.info(message, icon=EMPTY_ICON)


def show_municipality_table(table, profile_url_path: str = "mijn-gemeente") -> None:
    """The per-municipality table, each municipality with a link to its profile that keeps the context."""
    context_params = st.session_state.get("_context_url", {})
    links = [
        f"{profile_url_path}?{urlencode({**context_params, 'gemeente': code})}" if code.startswith("GM") else ""
        for code in table["area_code"]  # no link for the region, and no "None" in its row
    ]
    st.dataframe(
        table.drop(columns="area_code").assign(Profiel=links),
        hide_index=True,
        width="stretch",
        height=35 * (len(table) + 1) + 3,  # every row visible: ten municipalities and the region
        column_config={"Profiel": st.column_config.LinkColumn("Profiel", display_text="Open profiel")},
    )


def municipality_links(profile_page: str) -> None:
    """A link to the profile of each of the ten municipalities, keeping the rest of the context.

    With more than LINK_LIST_LIMIT municipalities (a national monitor) a list of links is a wall that costs
    a third of a millisecond per link on every rerun: a searchable choice then leads to one link.
    """
    municipalities = choices_in_use().municipalities
    context_url = st.session_state.get("_context_url", {})
    if len(municipalities) > LINK_LIST_LIMIT:
        code = st.selectbox("Gemeente", list(municipalities), index=None, format_func=municipalities.get,
                            placeholder="Typ om te zoeken", key="profiel_zoeken")  # fmt: skip
        if code:
            st.page_link(profile_page, label=f"Profiel van {municipalities[code]}", icon=":material/location_city:",
                         query_params={**context_url, "gemeente": code})  # fmt: skip
        return
    columns = st.columns(4)
    for number, (code, name) in enumerate(municipalities.items()):
        columns[number % 4].page_link(
            profile_page,
            label=name,
            icon=":material/location_city:",
            query_params={**context_url, "gemeente": code},
        )


def figure_or_note(figure: charts.Figure | None, note: str, key: str) -> bool:
    """The figure with its note above it (a gap in the region's line), or the note alone when there is no figure
    to draw; True when it drew the figure."""
    if figure is None:
        empty_state(note)
        return False
    if note:
        st.caption(f":material/info: {note}")
    figure_block(figure, key=key)
    return True


def figure_block(figure: charts.Figure, key: str) -> None:
    """A published figure with its text description, its data as a table, and downloads for papers."""
    if figure.meta.is_demo:
        st.caption(f"{DEMO_BADGE} {figure.meta.demo_note}")
    show_chart(figure.screen_spec, figure.meta, key=key)
    st.caption(figure.description)
    meta = figure.meta
    downloads = [  # figure.spec and figure.data (from Arrow) only when someone downloads
        ("PNG", "png", "image/png", lambda: export.png(figure.spec)),
        ("SVG", "svg", "image/svg+xml", lambda: export.svg(figure.spec)),
        ("PDF", "pdf", "application/pdf", lambda: export.pdf(figure.spec)),
        ("CSV", "csv", "text/csv", lambda: export.csv(figure.data, meta.decimals)),
        ("Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         lambda: export.xlsx(figure.data, meta)),
    ]  # fmt: skip
    for column, (label, extension, mime, make) in zip(st.columns(len(downloads)), downloads, strict=True):
        column.download_button(
            label, make, file_name=f"{meta.file_stem}.{extension}", mime=mime, key=f"{key}_{extension}",
            on_click="ignore", icon=":material/download:", width="stretch",
        )  # fmt: skip
    with st.expander("Tabel bij deze grafiek"):
        st.dataframe(figure.screen_table, hide_index=True, width="stretch")


SCREEN_CSS = """<style>
/* a chart of cells (a matrix) keeps its width and scrolls inside its box instead of running off a phone */
[class*="st-key-scroll-"] .vega-embed { display: block; max-width: 100%; overflow-x: auto; }
[class*="st-key-scroll-"] .vega-embed details { position: sticky; left: 0; }
/* a slim head: the page's figures start high on a 1280×720 screen */
[data-testid="stMainBlockContainer"] { padding-top: 2.75rem; }
[data-testid="stHeader"] { height: 2.5rem; background: transparent; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2rem; padding: 0 0 0.25rem 0; }
[data-testid="stMainBlockContainer"] h2 { font-size: 1.5rem; padding: 0.75rem 0 0.25rem 0; }
/* a row of choices wraps to a second line instead of hiding its last choice ("Laatste 3 maanden") */
[data-testid="stButtonGroup"] > div { flex-wrap: wrap; row-gap: 0.25rem; }
/* a tile's name wraps instead of ending in "…" ("Bijstand /1.000 inwo…") */
[data-testid="stMetricLabel"] .stMarkdownEllipsis, [data-testid="stMetricLabel"] p {
  white-space: normal; overflow: visible; text-overflow: clip;
}
/* on a phone a profile leads with where it deviates and its key tiles, then its chart, then the rest */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3rem; }
  :has(> .st-key-profiel-afwijkingen), .st-key-profiel-afwijkingen { order: 1; }
  :has(> .st-key-profiel-grafiek), .st-key-profiel-grafiek { order: 2; }
  :has(> .st-key-profiel-rest), .st-key-profiel-rest { order: 3; }
}
</style>"""


def screen_style() -> None:
    """The few CSS rules that fit the app to a phone; once per run, from the frame (app.py)."""
    st.html(SCREEN_CSS)


def show_chart(spec: dict, meta: charts.ChartMeta, key: str | None = None, slide: bool = False) -> None:
    """A published chart as wide as its column, with its title above and its source line under it as text.

    A chart that cannot stretch (a matrix of cells) scrolls sideways inside its own box on a narrow screen. On a
    slide (presentation mode) its text is large and the slide's own heading is its only title.
    """
    shown = charts.on_slide(spec) if slide else charts.on_screen(spec)
    if not slide:
        st.markdown(f"**{text.escape_markdown(meta.title)}**")
        if meta.subtitle:
            st.caption(text.escape_markdown(meta.subtitle))
    if charts.is_stretched(shown):
        st.vega_lite_chart(shown, theme=None, width="stretch")
    else:
        box = st.container(key=f"scroll-{key}") if key else st.container()
        box.vega_lite_chart(shown, theme=None, width="content")
    st.caption(text.escape_markdown(meta.source_line))


def table_downloads(files: dict[str, object], stem: str, key: str) -> None:
    """CSV and Excel downloads of a table: files keyed 'csv' and 'xlsx', as bytes or as a function that makes
    them (made only when someone clicks)."""
    mimes = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    labels = {"csv": "CSV", "xlsx": "Excel"}
    for column, (extension, content) in zip(st.columns(4), files.items(), strict=False):
        column.download_button(
            labels[extension], content, file_name=f"{stem}.{extension}", mime=mimes[extension],
            key=f"{key}_{extension}", on_click="ignore", icon=":material/download:", width="stretch",
        )  # fmt: skip
