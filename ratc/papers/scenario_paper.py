"""The scenario paper, "Scenario's voor Zuid-Holland-Zuid": up to four scenarios described and interpreted.

A summary per scenario in the Scenario's page's own sentences and rounding; per indicator a chart of all scenarios
with their bands and a table; per municipality the difference from no crisis, ranked; where the municipalities
diverge most and why; the assumptions with the CPB's figures beside the model's; the hang-out's conclusions; and
the sources. Everything is computed by `ratc.scenario` exactly as the page computes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from ratc.core import docx_style, export, fmt, metadata, periods
from ratc.monitor.overview import Query
from ratc.papers import conclusions, images, labels, scenario_text
from ratc.papers.document import Block, Bullets, Heading, Paper, Paragraph, Table
from ratc.papers.scenario_choices import ScenarioChoice, checked, project
from ratc.scenario import chart as scenario_chart
from ratc.scenario import model, municipal
from ratc.scenario import parameters as scenario_data
from ratc.scenario.chart import rounded
from ratc.scenario.parameters import INDICATORS

CHART_WIDTH_CM = 16.5
AXES_PX = 135  # the y axis, the end labels and the padding: a picture is this much wider than its plot


def scenario_paper(
    query: Query,
    choices: Sequence[ScenarioChoice],
    area_code: str | None,
    periode: str,
    session: conclusions.Conclusions | None = None,
    made_on: dt.date | None = None,
) -> Paper:
    """The paper for these scenarios, for the region (None) or one municipality, from the figures as known at the
    end of `periode` (YYYY-MM), with the hang-out's conclusions when a session is given."""
    made_on = made_on or dt.date.today()
    data = scenario_data.load()
    observations = municipal.observed(query, periode)
    runs = project(observations, checked(choices), data)
    code = area_code or metadata.REGION_CODE
    area = observations.names[code]
    sources = labels.Sources.of(query)
    history = _history(query, observations)
    demo = labels.demo_indicators(history, sources.imports)
    warning = labels.demo_warning([observations.indicators[key]["short_name"] for key in INDICATORS if key in demo],
                                  len(INDICATORS))  # fmt: skip
    numbers = _Numbers()

    blocks: list[Block] = []
    if warning:
        blocks.append(Paragraph.plain(warning, "note"))
    blocks += _summary(runs, code, area, data, numbers, demo)
    blocks += _per_indicator(runs, code, area, history, sources, numbers)
    blocks += _per_municipality(runs, numbers, demo)
    blocks.append(Heading("Waar de gemeenten het meest uiteenlopen, en waarom", new_page=True))
    blocks += scenario_text.divergence(runs, query("area_list"), numbers.table)
    blocks.append(Heading("Aannames", new_page=True))
    blocks += scenario_text.assumptions(runs, data, numbers.table)
    blocks.append(Heading("Conclusies van de hang-out", new_page=True))
    blocks += conclusions.blocks(session, numbers.table)
    blocks += _sources(runs, sources, data, made_on, area)
    month = periods.parse_period(observations.as_of, "maand")
    title = f"Scenario's voor {area}"
    return Paper(
        title=title,
        subtitle=f"WW, bijstand, schuldhulp en faillissementen tot eind 2021, vergeleken met geen crisis · stand per "
        f"eind {month.long_label} · gemaakt op {fmt.date_short(made_on)}",
        blocks=tuple(blocks),
        file_stem=export.file_stem("scenarios", area, month.key),
        made_on=made_on,
        is_demo=bool(demo),
        footer=f"RAT-C monitor Zuid-Holland-Zuid · {title} · stand per eind {month.label}",
        subject="Scenario's omschreven en geduid: " + ", ".join(choice.name for choice, _ in runs),
    )


class _Numbers:
    """Counts figures and tables as they are added, so sources and text can name them ('Tabel 3')."""

    def __init__(self) -> None:
        self.figures = 0
        self.tables = 0

    def figure(self) -> str:
        """The name of the next figure."""
        self.figures += 1
        return f"Figuur {self.figures}"

    def table(self) -> str:
        """The name of the next table."""
        self.tables += 1
        return f"Tabel {self.tables}"


def _summary(runs, code: str, area: str, data, numbers: _Numbers, demo: set[str]) -> list[Block]:
    """Per scenario what happens to the four indicators against no crisis, in the page's sentences, and a table."""
    blocks: list[Block] = [Heading("Samenvatting")]
    first = runs[0][1].observed
    blocks.append(
        Paragraph.plain(
            f"Wat gebeurt er tot eind 2021 met WW, bijstand, schuldhulp en faillissementen in {area} als de crisis "
            f"loopt zoals in {_join([choice.name for choice, _ in runs])}? Elk scenario is vergeleken met hetzelfde "
            "pad zonder crisis. De uitkomsten zijn afgerond (honderdtallen vanaf 1.000, tientallen vanaf 100): het "
            "zijn scenario's, geen voorspellingen."
        )
    )
    for notice in first.notices:
        blocks.append(Paragraph.plain(notice, "small"))
    for choice, projection in runs:
        blocks.append(Heading(choice.name, level=2))
        description = scenario_text.describe_settings(choice.settings, data)
        blocks.append(Paragraph.plain(description))
        blocks.append(
            Bullets(tuple(Paragraph.plain(model.sentence(projection, indicator, code)) for indicator in INDICATORS))
        )
        blocks.append(Paragraph.plain(model.unemployment_summary(projection, data)))
    header = ("Indicator", "Maat", "Zonder crisis", *(choice.short_name for choice, _ in runs))
    rows = []
    for indicator in INDICATORS:
        tiles = [
            next(tile for tile in model.tiles(projection, code) if tile.indicator_id == indicator)
            for _, projection in runs
        ]
        base = municipal.headline_row(runs[0][1], indicator, code)["zonder_crisis"]
        mark = labels.DEMO_MARK if indicator in demo and len(demo) < len(INDICATORS) else ""
        rows.append(
            (
                first.indicators[indicator]["short_name"] + mark,
                municipal.measure_of(first, indicator),
                fmt.number(rounded(base)),
                *(f"{tile.value_text} ({tile.delta_text})" for tile in tiles),
            )
        )
    blocks.append(
        Table(
            header,
            tuple(rows),
            f"{area}: uitkomst per scenario en, tussen haakjes, het verschil met zonder crisis; afgerond"
            + labels.demo_caption(len(demo), len(INDICATORS)),
            tuple(range(2, len(header))),
            _widths((3.6, 3.0, 2.2), len(runs)),
        )
    )
    numbers.table()
    return blocks


def _per_indicator(
    runs, code: str, area: str, history: pd.DataFrame, sources: labels.Sources, numbers: _Numbers
) -> list[Block]:
    """Per indicator a chart of every scenario with its band, and the numbers under it."""
    named = [(choice.short_name, projection) for choice, projection in runs]
    observed = runs[0][1].observed
    if len(runs) == 1:  # one scenario: the page's own chart, with its band
        figures = [scenario_chart.main_figure(runs[0][1], indicator, code) for indicator in INDICATORS]
        shown, plot_px = "het scenario met zijn band", scenario_chart.PLOT_WIDTH
    else:
        figures = [scenario_chart.compare_figure(named, indicator, code, band=True) for indicator in INDICATORS]
        shown, plot_px = f"{fmt.count_word(len(runs))} scenario's met hun band", scenario_chart.COMPARE_WIDTH
    captions = [f"{observed.indicators[indicator]['name']} in {area}: waargenomen, zonder crisis en {shown}"
                for indicator in INDICATORS]  # fmt: skip
    pictures = images.Renderer().pictures(figures, CHART_WIDTH_CM, captions, "scenario", plot_px + AXES_PX)
    blocks: list[Block] = [Heading("Per indicator", new_page=True)]
    for indicator, figure, picture in zip(INDICATORS, figures, pictures, strict=True):
        meta = observed.indicators[indicator]
        blocks.append(Heading(meta["name"], level=2))
        sources.add(meta["source"], meta["short_name"], history[history["indicator_id"] == indicator], numbers.figure())
        blocks += [picture, Paragraph.plain(figure.description, "small")]
        rows = []
        for choice, projection in runs:
            row = municipal.headline_row(projection, indicator, code)
            band = f"{fmt.number(rounded(row['laag']))} – {fmt.number(rounded(row['hoog']))}"
            rows.append((choice.short_name, fmt.number(rounded(row["scenario"])),
                         fmt.number(rounded(row["zonder_crisis"])), scenario_text.signed(rounded(row["verschil"])),
                         band))  # fmt: skip
        caption = f"{meta['name']} in {area}, {municipal.measure_of(observed, indicator)}; afgerond"
        header = ("Scenario", "Uitkomst", "Zonder crisis", "Verschil", "Band")
        blocks.append(Table(header, tuple(rows), caption, (1, 2, 3, 4), (6.0, 2.5, 2.7, 2.3, 3.5)))
        numbers.table()
    return blocks


def _per_municipality(runs, numbers: _Numbers, demo: set[str]) -> list[Block]:
    """Per indicator a table of the municipalities: the difference from no crisis in each scenario, ranked."""
    observed = runs[0][1].observed
    first_label = runs[0][0].short_name
    blocks: list[Block] = [
        Heading("Per gemeente", new_page=True),
        Paragraph.plain(
            f"Per indicator het verschil met zonder crisis per gemeente, in aantallen en in procenten van "
            f"het pad zonder crisis. De gemeenten staan in volgorde van het verschil in procenten in "
            f"{first_label}: bovenaan de gemeente die het hardst wordt geraakt."
        ),
    ]
    for indicator in INDICATORS:
        meta = observed.indicators[indicator]
        ranked = scenario_text.ranked_codes(runs[0][1], indicator)
        header = ("Rang", "Gemeente", "Zonder crisis", *(choice.short_name for choice, _ in runs))
        rows = []
        for rank, area_code in enumerate([*ranked, metadata.REGION_CODE], start=1):
            base = municipal.headline_row(runs[0][1], indicator, area_code)["zonder_crisis"]
            rows.append(
                (
                    "" if area_code == metadata.REGION_CODE else str(rank),
                    observed.names[area_code],
                    fmt.number(rounded(base)),
                    *(scenario_text.difference(projection, indicator, area_code) for _, projection in runs),
                )
            )
        blocks.append(
            Table(
                header,
                tuple(rows),
                f"{meta['name']} per gemeente, "
                f"{municipal.measure_of(observed, indicator)}: verschil met zonder crisis (afgerond)"
                + labels.demo_caption(int(indicator in demo), 1),
                tuple([0, *range(2, len(header))]),
                _widths((1.1, 3.6, 2.2), len(runs)),
                compact=len(runs) > 2,
            )
        )
        numbers.table()
    return blocks


def _sources(runs, sources: labels.Sources, data, made_on: dt.date, area: str) -> list[Block]:
    """The indicators' sources and imports, the CPB's publications, the model's parameters, and how to cite."""
    blocks: list[Block] = [Heading("Bronnen", new_page=True)]
    blocks += [Paragraph.plain(line) for line in sources.use_lines()]
    blocks += [Paragraph.plain(line, "small") for line in sources.import_lines()]
    cpb = list(
        dict.fromkeys(preset.bron for preset in data.presets.values() if preset.preset_id != data.no_crisis.preset_id)
    )
    blocks.append(Paragraph.plain("Het CPB, over de scenario's en hun cijfers:"))
    blocks.append(Bullets(tuple(Paragraph.plain(text) for text in cpb)))
    blocks.append(
        Paragraph.plain(
            "Het model en zijn aannames: RAT-C scenariomodel (ratc/scenario/national.py en "
            "municipal.py), met de aannames in data/scenario/parameters.csv (zie Aannames)."
        )
    )
    title = f"Scenario's voor {area}"
    blocks.append(Paragraph.plain(f"Verwijzen naar dit paper: {labels.citation(title, made_on)}", "small"))
    return blocks


def _history(query: Query, observations: municipal.Observed) -> pd.DataFrame:
    """The observations the projections start from, with their imports (for sources and the Demodata label)."""
    frames = [
        query(
            "observations_by_indicator",
            indicator_id=indicator,
            area_codes=[*observations.codes, metadata.REGION_CODE],
            from_date=periods.parse_period(municipal.BASELINE_FROM, "maand").start,
            as_of_date=periods.parse_period(max(observations.as_of, municipal.PRE_CRISIS), "maand").end,
        ).assign(indicator_id=indicator)
        for indicator in INDICATORS
    ]
    return pd.concat(frames, ignore_index=True)


def _widths(first: tuple[float, ...], scenarios: int) -> tuple[float, ...]:
    """Column widths in cm: the given first columns, then the text width shared by the scenarios' columns."""
    return (*first, *[(docx_style.TEXT_WIDTH_CM - sum(first)) / scenarios] * scenarios)


def _join(names: list[str]) -> str:
    """'A, B en C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
