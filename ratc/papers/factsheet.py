"""The factsheet of one municipality or of the region: one or two pages to hand out or paste into a council letter.

Key figures against the region and Nederland with the rank among the municipalities, what deviates (the monitor's
own signal sentences), small charts of the indicators that deviate most, and per source what it supplied, from
which import, and where it is used; 'Demodata' wherever demo values are in it (`labels.is_demo`).
"""

from __future__ import annotations

import datetime as dt

from ratc.core import docx_style, export, fmt, metadata, periods
from ratc.core.context import Context
from ratc.monitor import overview
from ratc.monitor.overview import Query
from ratc.papers import images, key_figures, labels, small_charts
from ratc.papers.document import (
    Block,
    Bullets,
    Heading,
    Paper,
    Paragraph,
    PictureRow,
    Table,
)

CHARTS = 6
SIGNALS = 5
CHART_WIDTH_CM = 8.2
COLUMN_CM = {"Indicator": 0.0, "Periode": 2.0, "Rang": 1.5}  # 0: the rest of the width
OTHER_COLUMN_CM = 1.4


def factsheet(query: Query, chosen: Context, area_code: str | None = None, made_on: dt.date | None = None) -> Paper:
    """The factsheet of a municipality (a CBS code) or, with None or the region's code, of the region."""
    made_on = made_on or dt.date.today()
    code = area_code or metadata.REGION_CODE
    names = query("area_list").set_index("area_code")["area_name"]
    name = str(names[code])
    is_region = code == metadata.REGION_CODE
    month = periods.parse_period(chosen.periode, "maand")
    sources = labels.Sources.of(query)
    figures = key_figures.key_figures(query, chosen, code)
    found = overview.area_signals(query, chosen, area_code=None if is_region else code, limit=SIGNALS)
    chosen_ids = key_figures.deviating(figures, found, CHARTS)
    small = [
        small_charts.small_chart(
            query, chosen, code, indicator_id, lambda rows: labels.is_demo(rows, sources.imports), made_on
        )
        for indicator_id in chosen_ids
    ]

    header, rows, numeric = key_figures.table_rows(figures)
    for indicator_id, indicator in figures.catalog.iterrows():
        used = figures.rows[figures.rows["indicator_id"] == indicator_id]
        if not used.empty:
            sources.add(str(indicator["source"]), str(indicator["short_name"]), used, "Tabel 1")
    captions = []
    for number, chart in enumerate(small, start=1):
        sources.add(str(chart.indicator["source"]), str(chart.indicator["short_name"]), chart.rows, f"Figuur {number}")
        captions.append(f"{chart.figure.meta.title}, {chart.figure.meta.subtitle}")
    pictures = images.Renderer().pictures([chart.figure for chart in small], CHART_WIDTH_CM, captions, "klein",
                                          small_charts.ESTIMATED_PX)  # fmt: skip
    demo_ids = set(figures.demo) | {str(chart.indicator.name) for chart in small if chart.figure.meta.is_demo}
    shown_ids = set(figures.of(code).index) | {str(chart.indicator.name) for chart in small}
    warning = labels.demo_warning(
        [str(figures.catalog.loc[key, "short_name"]) for key in figures.catalog.index if key in demo_ids],
        len(shown_ids),
    )

    compared = "Nederland" if is_region else "de regio Zuid-Holland-Zuid en Nederland"
    title = "Factsheet regio Zuid-Holland-Zuid" if is_region else f"Factsheet {name}"
    blocks: list[Block] = []
    if warning:
        blocks.append(Paragraph.plain(warning, "note"))
    uses = sources.use_lines()
    blocks += [
        Heading("Kerncijfers"),
        Paragraph.plain(_table_explanation(is_region)),
        Table(
            header,
            tuple(rows),
            f"Kerncijfers van {name} naast {compared}, stand per eind {month.long_label}"
            + labels.demo_caption(len(figures.demo), len(rows)),
            numeric,
            _widths(header),
            compact=True,
        ),
        Paragraph.plain(f"Bronnen van {uses[0]}", "small"),
        Heading("Wat wijkt af"),
        *_signal_blocks(found, name, is_region),
        Heading(f"Waar {'de regio' if is_region else name} het meest afwijkt", new_page=True),
        Paragraph.plain(_charts_explanation(name, is_region, len(pictures))),
        *[PictureRow(tuple(pictures[start : start + 2])) for start in range(0, len(pictures), 2)],
        Heading("Bronnen"),
        Paragraph.plain(" ".join(uses[1:]), "small"),
        *[Paragraph.plain(line, "small") for line in sources.import_lines()],
        Paragraph.plain(f"Verwijzen naar deze factsheet: {labels.citation(title, made_on)}", "small"),
    ]
    return Paper(
        title=title,
        subtitle=f"Stand per eind {month.long_label} · gemaakt op {fmt.date_short(made_on)}",
        blocks=tuple(blocks),
        file_stem=export.file_stem("factsheet", name, month.key),
        made_on=made_on,
        is_demo=bool(demo_ids),
        footer=f"RAT-C monitor Zuid-Holland-Zuid · {title} · stand per eind {month.label}",
        subject=f"Kerncijfers, signalen en grafieken van {name}",
    )


def _table_explanation(is_region: bool) -> str:
    """What the key-figures table's columns mean."""
    rank = "" if is_region else " Rang: onder de gemeenten van de regio; de hoogste per 10.000 inwoners is 1."
    return (
        "Per 10.000: per 10.000 inwoners (1 januari 2020). Sinds basis: de verandering sinds februari 2020 "
        "(kwartaalcijfers: sinds het vierde kwartaal van 2019; seizoensgebonden: sinds dezelfde periode van 2019)."
        + rank
    )


def _signal_blocks(found, name: str, is_region: bool) -> list[Block]:
    """The signal sentences as a list (strongest evidence first) with what a signal means, or the calm sentence that
    nothing deviates beyond chance; the monitor's own words (`ratc.monitor.overview`)."""
    area = None if is_region else name
    if not found:
        return [Paragraph.plain(overview.no_signals_text(area))]
    sentences = Bullets(tuple(Paragraph.plain(signal.sentence) for signal in found))
    return [sentences, Paragraph.plain(overview.signals_caption(area), "small")]


def _charts_explanation(name: str, is_region: bool, count: int) -> str:
    """Why these charts."""
    if count == 0:
        return "Er zijn geen cijfers om te tekenen."
    if is_region:
        return (
            f"De {fmt.count_word(count)} indicatoren waarvan de verandering sinds vóór de crisis het meest "
            "verschilt van die in Nederland."
        )
    return (
        f"De {fmt.count_word(count)} indicatoren waarop {name} het meest afwijkt van de regio: eerst die met een "
        "signaal, dan naar het verschil in verandering sinds vóór de crisis."
    )


def _widths(header: tuple[str, ...]) -> tuple[float, ...]:
    """Column widths in cm that fill the text width; the indicator column takes the rest."""
    widths = [COLUMN_CM.get(title, OTHER_COLUMN_CM) for title in header]
    widths[0] = docx_style.TEXT_WIDTH_CM - sum(widths[1:])
    return tuple(widths)
