"""What the scenario paper says beyond the page's own sentences: a scenario's settings in words, the ranking of the
municipalities, where they diverge most and why (their sensitivity and their level before the crisis), and the
assumptions with the CPB's figures beside the model's."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ratc.core import fmt
from ratc.papers.document import Block, Heading, Paragraph, Table, from_markdown
from ratc.papers.key_figures import SMALL_COUNT
from ratc.scenario import model, municipal
from ratc.scenario import settings as scenario_settings
from ratc.scenario.chart import rounded
from ratc.scenario.national import national_path
from ratc.scenario.parameters import INDICATORS, ScenarioData
from ratc.scenario.settings import Settings


def signed(value: float) -> str:
    """'+1.900', '-20', '±0': a rounded difference as the page writes it."""
    sign = "+" if value > 0 else "-" if value < 0 else "±"
    return f"{sign}{fmt.number(abs(value))}"


def describe_settings(settings: Settings, data: ScenarioData) -> str:
    """The scenario's settings in words, and the preset's description when it is one."""
    preset = scenario_settings.matching_preset(settings, data)
    text = (
        f"Maatregelen {settings.duur} maanden vanaf maart 2020; bbp {fmt.number(settings.bbp_2020, 1)}% in 2020 en "
        f"{fmt.number(settings.bbp_2021, 1)}% in 2021; steun vangt {settings.steun}% van het banenverlies op tot en "
        f"met {scenario_settings.support_end_label(settings.steun_tot)}; herstel "
        f"{scenario_settings.SHAPE_LABELS[settings.herstel].split(': ')[1]} ({settings.herstel})."
    )
    changed = {
        code: value
        for code, value in settings.gevoeligheid
        if not np.isclose(value, data.parameters.sensitivities.get(code, 1.0))
    }
    if changed:
        text += f" Eigen gevoeligheid voor {len(changed)} {'gemeente' if len(changed) == 1 else 'gemeenten'}."
    return f"{preset.omschrijving} {text}" if preset else text


def relative(projection: municipal.Projection, indicator: str, area_code: str) -> float:
    """The difference from no crisis as a fraction of the no-crisis outcome (NaN when that is zero)."""
    row = municipal.headline_row(projection, indicator, area_code)
    return row["verschil"] / row["zonder_crisis"] if row["zonder_crisis"] else float("nan")


def ranked_codes(projection: municipal.Projection, indicator: str) -> list[str]:
    """The municipalities, hardest hit first: by the difference from no crisis in per cent."""
    codes = list(projection.observed.codes)
    return sorted(
        codes,
        key=lambda code: (
            -np.nan_to_num(relative(projection, indicator, code), nan=-np.inf),
            projection.observed.names[code],
        ),
    )


def difference(projection: municipal.Projection, indicator: str, area_code: str) -> str:
    """'+1.200 (+14%)': the rounded difference from no crisis and its share of the no-crisis outcome."""
    row = municipal.headline_row(projection, indicator, area_code)
    return f"{signed(rounded(row['verschil']))} ({fmt.signed_percent(relative(projection, indicator, area_code))})"


def divergence(runs, areas: pd.DataFrame, next_table: Callable[[], str]) -> list[Block]:
    """Per indicator (most divergent first) where the municipalities lie furthest apart in the first scenario, and
    why: their sensitivity (the percentage) and their level before the crisis (the number per inhabitant)."""
    choice, projection = runs[0]
    observed = projection.observed
    population = areas.set_index("area_code")["population_2020"]
    sensitivities = {code: projection.settings.sensitivity(code) for code in observed.codes}
    spreads = {}
    for indicator in INDICATORS:
        # below SMALL_COUNT a few cases swing the percentage (3 bankruptcies instead of 2: +50%)
        shares = {
            code: relative(projection, indicator, code)
            for code in observed.codes
            if municipal.headline_row(projection, indicator, code)["zonder_crisis"] >= SMALL_COUNT
        }
        known = {code: share for code, share in shares.items() if np.isfinite(share)}
        if len(known) >= 2:
            spreads[indicator] = (max(known.values()) - min(known.values()), known)
    blocks: list[Block] = [
        Paragraph.plain(
            f"In {projection.label} raakt de crisis niet elke gemeente even hard. Het verschil met zonder crisis in "
            "procenten komt in het model van de gevoeligheid van een gemeente (1 = gemiddeld; een aanname, zie "
            "Aannames); het verschil per inwoner ook van het niveau waarmee de gemeente de crisis in ging. Een "
            f"gemeente met minder dan {SMALL_COUNT} zonder crisis telt bij de procenten niet mee: daar zegt "
            "één geval te veel."
        )
    ]
    for indicator, (spread, known) in sorted(spreads.items(), key=lambda item: -item[1][0]):
        meta = observed.indicators[indicator]
        high, low = max(known, key=known.get), min(known, key=known.get)
        level = {
            code: observed.base[indicator][observed.codes.index(code)] / population[code] * 10_000
            for code in observed.codes
        }
        extra = {
            code: municipal.headline_row(projection, indicator, code)["verschil"] / population[code] * 10_000
            for code in observed.codes
        }
        most, least = max(extra, key=extra.get), min(extra, key=extra.get)
        region_level = float(np.nansum(observed.base[indicator])) / float(sum(population[c] for c in observed.codes))
        per = "per maand " if not meta["is_stock"] else ""
        blocks += [
            Heading(meta["name"], level=2),
            Paragraph.plain(
                f"{municipal.measure_of(observed, indicator).capitalize()} ligt {meta['subject']} in "
                f"{observed.names[high]} {fmt.signed_percent(known[high])} boven het pad zonder crisis, in "
                f"{observed.names[low]} {fmt.signed_percent(known[low])}: {fmt.number(spread * 100)} procentpunt "
                f"verschil. {observed.names[high]} heeft gevoeligheid {fmt.number(sensitivities[high], 2)}, "
                f"{observed.names[low]} {fmt.number(sensitivities[low], 2)}."
            ),
            Paragraph.plain(
                f"Per 10.000 inwoners komen er in {observed.names[most]} de meeste bij ({signed(round(extra[most], 1))}"
                f"), in {observed.names[least]} de minste ({signed(round(extra[least], 1))}). Vóór de crisis had "
                f"{observed.names[most]} {fmt.number(level[most], 1)} {per}per 10.000 inwoners en "
                f"{observed.names[least]} {fmt.number(level[least], 1)} (de regio "
                f"{fmt.number(region_level * 10_000, 1)})."
            ),
        ]
    header = ("Gemeente", "Gevoeligheid", *(observed.indicators[key]["short_name"] for key in INDICATORS))
    rows = [
        (
            observed.names[code],
            fmt.number(sensitivities[code], 2),
            *(fmt.signed_percent(relative(projection, key, code)) for key in INDICATORS),
        )
        for code in sorted(observed.codes, key=lambda code: -sensitivities[code])
    ]
    blocks.append(
        Table(
            header,
            tuple(rows),
            f"Gevoeligheid en verschil met zonder crisis in procenten, "
            f"{choice.short_name}; gemeenten van gevoelig naar minder gevoelig",
            tuple(range(1, len(header))),
            (3.8, 2.2, 2.75, 2.75, 2.75, 2.75),
        )
    )
    next_table()
    return blocks


def assumptions(runs, data: ScenarioData, next_table: Callable[[], str]) -> list[Block]:
    """How the model calculates, every parameter with value, band, explanation and source, and the CPB's figures
    beside the model's."""
    blocks: list[Block] = [*from_markdown(model.explanation(data))]
    table = model.parameter_table(data)
    blocks.append(
        Table(
            tuple(table.columns),
            tuple(tuple(str(value) for value in row) for row in table.itertuples(index=False)),
            "Alle aannames van het model (data/scenario/parameters.csv) met hun waarde, band, uitleg en bron",
            (1,),
            (3.0, 1.2, 2.3, 1.6, 4.9, 4.0),
            compact=True,
        )
    )
    next_table()
    blocks.append(Heading("De cijfers van het CPB naast die van het model", level=2))
    blocks.append(
        Paragraph.plain(
            "Voor de CPB-scenario's zijn bbp en werkloosheid de cijfers die het CPB publiceerde; het model rekent de "
            "werkloosheid zelf uit. Met een CPB-scenario komt het model binnen 0,2 procentpunt uit op het CPB "
            "(jaargemiddelden)."
        )
    )
    header = ("Scenario", "Bbp 2020", "Bbp 2021", "Werkloosheid 2020: CPB", "model", "Werkloosheid 2021: CPB", "model")
    rows, shown = [], set()
    for preset in data.presets.values():
        if preset.preset_id == data.no_crisis.preset_id:
            continue
        path = national_path(scenario_settings.from_preset(preset, data), data)
        rows.append(
            _cpb_row(
                preset.naam, preset.bbp_2020, preset.bbp_2021, preset.werkloosheid_2020, preset.werkloosheid_2021, path
            )
        )
        shown.add(preset.preset_id)
    for choice, projection in runs:
        preset = scenario_settings.matching_preset(choice.settings, data)
        if preset is None or preset.preset_id not in shown:
            settings = choice.settings
            rows.append(
                _cpb_row(choice.short_name, settings.bbp_2020, settings.bbp_2021, None, None, projection.national)
            )
    blocks.append(
        Table(
            header,
            tuple(rows),
            "Bbp-groei en werkloosheid (% van de beroepsbevolking): het CPB en het model",
            tuple(range(1, len(header))),
            (4.6, 1.8, 1.8, 2.6, 1.6, 2.6, 1.6),
        )
    )
    next_table()
    return blocks


def _cpb_row(name, gdp_2020, gdp_2021, cpb_2020, cpb_2021, path) -> tuple[str, ...]:
    """One scenario's GDP and unemployment, the CPB's ('–' when it published none) and the model's."""

    def percent(value):
        return "–" if value is None else f"{fmt.number(value, 1)}%"

    return (
        name,
        percent(gdp_2020),
        percent(gdp_2021),
        percent(cpb_2020),
        percent(path.annual_unemployment(2020)),
        percent(cpb_2021),
        percent(path.annual_unemployment(2021)),
    )
