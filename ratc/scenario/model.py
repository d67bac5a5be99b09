"""What the Scenario's page and a pinned view ask of a scenario: sentences, tiles, tables and share-link views.

The page's sentences, KPI tiles, comparison table and explanation of the model; and the figure and headline
numbers for share-link parameters (`ratc.hangout.views` finds `view_figure`, `headline_table` and
`headline_display` here by name).

The model itself is `ratc.scenario.national` (GDP, unemployment and the indicators' national effects) and
`ratc.scenario.municipal` (the projection per municipality and the region).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from ratc.core import charts, context, fmt, metadata, periods
from ratc.monitor.overview import Query
from ratc.monitor.tiles import Tile
from ratc.scenario import chart, municipal
from ratc.scenario import settings as scenario_settings
from ratc.scenario.chart import rounded
from ratc.scenario.municipal import IncompleteData
from ratc.scenario.parameters import INDICATORS, ScenarioData, load


def sentence(projection: municipal.Projection, indicator: str, area_code: str) -> str:
    """What changed, in plain Dutch, e.g. 'In scenario 3 stijgt het aantal bijstandsuitkeringen in de regio tot
    9.800 eind 2021, 1.900 meer dan zonder crisis.', followed by the band in a second sentence."""
    return " ".join(part for part in sentence_parts(projection, indicator, area_code) if part)


def sentence_parts(projection: municipal.Projection, indicator: str, area_code: str) -> tuple[str, str]:
    """The sentence of what changed, and the one on the band ('' when there is no band)."""
    row = municipal.headline_row(projection, indicator, area_code)
    meta = projection.observed.indicators[indicator]
    where = "in de regio" if area_code == metadata.REGION_CODE else f"in {projection.observed.names[area_code]}"
    value, difference = rounded(row["scenario"]), rounded(row["verschil"])
    if scenario_settings.matching_preset(projection.settings, data := load()) is data.no_crisis:
        compared = ""
    elif difference == 0:
        compared = ", evenveel als zonder crisis"
    else:
        compared = f", {fmt.number(abs(difference))} {'meer' if difference > 0 else 'minder'} dan zonder crisis"
    opening = f"In {projection.label}"
    if meta["is_stock"]:
        start_value = _start_value(projection, indicator, area_code)
        if abs(row["scenario"] - start_value) <= 0.02 * max(start_value, 1):
            verb = "blijft"
            change = f"rond {fmt.number(value)} eind 2021"
        else:
            verb = "stijgt" if row["scenario"] > start_value else "daalt"
            change = f"tot {fmt.number(value)} eind 2021"
        main = f"{opening} {verb} {meta['subject']} {where} {change}{compared}."
    else:
        first = municipal.first_projected(projection.observed).long_label
        main = (
            f"{opening} komt {meta['subject']} {where} van {first} tot en met december 2021 samen op "
            f"{fmt.number(value)}{compared}."
        )
    low, high = rounded(row["laag"]), rounded(row["hoog"])
    band = f"Binnen de onzekerheid van de aannames ligt dat tussen {fmt.number(low)} en {fmt.number(high)}."
    return main[0].upper() + main[1:], band if low != high else ""


def tiles(projection: municipal.Projection, area_code: str) -> list[Tile]:
    """A KPI tile per indicator for one area: the scenario's headline number, its difference with no crisis, the
    band and the scenario's course as a sparkline."""
    result = []
    for indicator, meta in projection.observed.indicators.items():
        row = municipal.headline_row(projection, indicator, area_code)
        result.append(
            Tile(
                indicator_id=indicator,
                label=meta["short_name"],
                value_text=fmt.number(rounded(row["scenario"])),
                delta_text=_signed(rounded(row["verschil"])),
                delta_description="t.o.v. zonder crisis",
                delta_color="inverse",
                previous_text=f"band {fmt.number(rounded(row['laag']))} – {fmt.number(rounded(row['hoog']))}",
                period_label="eind 2021" if meta["is_stock"] else municipal.measure_label(projection.observed),
                sparkline=[round(float(value), 1) for value in projection.paths[(indicator, area_code)]["scenario"]],
                help_text=f"{meta['name']} in {projection.label}, afgerond. Bron van de cijfers tot en met "
                f"{periods.parse_period(projection.observed.start, 'maand').label}: {meta['source']}.",
                is_demo=indicator in projection.observed.demo_indicators,
            )
        )
    return result


def unemployment_summary(projection: municipal.Projection, data: ScenarioData) -> str:
    """The national unemployment of the scenario, and the CPB's figures when the settings are a CPB preset."""
    path = projection.national
    text = (
        f"Werkloosheid in Nederland in dit scenario: gemiddeld {fmt.number(path.annual_unemployment(2020), 1)}% in "
        f"2020 en {fmt.number(path.annual_unemployment(2021), 1)}% in 2021"
    )
    preset = scenario_settings.matching_preset(projection.settings, data)
    if preset and preset.werkloosheid_2020 is not None and preset.preset_id != data.no_crisis.preset_id:
        text += f" (CPB: {fmt.number(preset.werkloosheid_2020, 1)}% en {fmt.number(preset.werkloosheid_2021, 1)}%)"
    return text + "."


def compare_table(pinned: list[tuple[str, municipal.Projection]], indicator: str) -> pd.DataFrame:
    """Pinned scenarios side by side for one indicator: a row per municipality and the region, per scenario its
    headline number and the difference with no crisis, rounded as in the sentences."""
    first = pinned[0][1]
    areas = [*first.observed.codes, metadata.REGION_CODE]
    table = {"Gebied": [first.observed.names[code] for code in areas],
             "Zonder crisis": [fmt.number(rounded(municipal.headline_row(first, indicator, code)["zonder_crisis"]))
                               for code in areas]}  # fmt: skip
    for name, run in pinned:
        rows = [municipal.headline_row(run, indicator, code) for code in areas]
        table[name] = [fmt.number(rounded(row["scenario"])) for row in rows]
        table[f"{name}: verschil"] = [_signed(rounded(row["verschil"])) for row in rows]
    return pd.DataFrame(table)


def explanation(data: ScenarioData) -> str:
    """How the model works, in plain Dutch, with the numbers from the parameters file."""

    def number(name: str, applies_to: str = "NL", decimals: int = 0) -> str:
        """A parameter as Dutch text."""
        return fmt.number(data.parameters.value(name, applies_to), decimals)

    return (
        "**Zo rekent het model** (alle aannames staan in de tabel hieronder, met hun bron):\n\n"
        f"1. **Economie.** Het bbp-verlies begint in maart 2020 en houdt aan zolang de maatregelen duren. Daarna "
        f"trekt de economie aan (na {number('bbp_herstel_halveringstijd')} maanden is de helft ingelopen), maar "
        f"{fmt.number(data.parameters.value('bbp_blijvend_deel') * 100)}% van de klap blijft hangen. In 2021 loopt "
        "het bbp in een rechte lijn naar het niveau dat bij de gekozen groei hoort. Het verlies is het verschil met "
        f"een groei van {number('bbp_groei_basis', decimals=1)}% per jaar zonder crisis.\n"
        "2. **Werkloosheid.** Elk procent bbp-verlies verhoogt de werkloosheid met "
        f"{number('okun_coefficient', decimals=1)} procentpunt (de wet van Okun), "
        f"{number('werkloosheid_vertraging')} maand later en geleidelijk. Steunmaatregelen (NOW, Tozo) vangen het "
        "gekozen deel op tot de gekozen einddatum; daarna komt dat banenverlies alsnog. Bij herstel V, U of L "
        f"verdwijnt de extra werkloosheid in {number('herstel_v')}, {number('herstel_u')} of {number('herstel_l')} "
        "maanden voor de helft.\n"
        f"3. **Uitkeringen en schulden.** De WW volgt de werkloosheid direct, de bijstand volgt de WW "
        f"{number('vertraging', 'bijstand_uitkeringen')} maanden later en zwakker, aanmeldingen voor schuldhulp volgen "
        f"de werkloosheid na {number('vertraging', 'schuldhulp_aanmeldingen')} maanden. Faillissementen volgen het "
        "bbp; steun stelt een deel uit tot na de steun.\n"
        "4. **Per gemeente.** Elke gemeente reageert met haar eigen gevoeligheid (1 = gemiddeld), vanaf haar eigen "
        "niveau van vóór de crisis. Vanaf de laatste cijfers sluit het model aan op wat is gemeten.\n"
        "5. **Onzekerheid.** De band laat zien hoe de uitkomst verschuift als de aannames lager of hoger uitvallen. "
        "Het is geen voorspelling en geen betrouwbaarheidsinterval.\n\n"
        "Met een CPB-scenario komt de werkloosheid van het model binnen 0,2 procentpunt uit op de cijfers van het CPB "
        "(jaargemiddelden 2020 en 2021). Het deel dat de steun opvangt is daarvoor per scenario afgeregeld."
    )


def parameter_table(data: ScenarioData) -> pd.DataFrame:
    """The parameters file as the page shows it: name, value and band, explanation and source, in Dutch."""
    frame = data.parameters.table
    band = [
        "" if row.laag == row.hoog else f"{fmt.number(float(row.laag), 2)} – {fmt.number(float(row.hoog), 2)}"
        for row in frame.itertuples()
    ]
    return pd.DataFrame(
        {
            "Aanname": frame["naam"],
            "Waarde": [fmt.number(float(value), 2).rstrip("0").rstrip(",") for value in frame["waarde"]],
            "Eenheid": frame["eenheid"],
            "Band": band,
            "Uitleg": frame["uitleg"],
            "Bron": frame["bron"],
        }
    )


def preset_table(data: ScenarioData) -> pd.DataFrame:
    """The presets with the CPB's figures and the settings that stand for them."""
    rows = []
    for preset in data.presets.values():
        rows.append(
            {
                "Scenario": preset.naam,
                "Bbp 2020": f"{fmt.number(preset.bbp_2020, 1)}%",
                "Bbp 2021": f"{fmt.number(preset.bbp_2021, 1)}%",
                "Werkloosheid 2020": f"{fmt.number(preset.werkloosheid_2020, 1)}%",
                "Werkloosheid 2021": f"{fmt.number(preset.werkloosheid_2021, 1)}%",
                "Duur": f"{preset.duur_maanden} mnd",
                "Herstel": preset.herstel,
                "Steun": f"{preset.steun_pct}% tot en met {scenario_settings.support_end_label(preset.steun_tot)}",
                "Bron": preset.bron,
                "Toelichting": preset.toelichting,
            }
        )
    return pd.DataFrame(rows)


def _signed(value: float) -> str:
    """'+1.900', '-20', '±0'."""
    sign = "+" if value > 0 else "-" if value < 0 else "±"
    return f"{sign}{fmt.number(abs(value))}"


def view_figure(params: Mapping[str, str], query: Query) -> charts.Figure:
    """The main scenario chart for share-link query parameters, as the Scenario's page shows it.

    `params` are the URL's query parameters (`gemeente`, `periode` and the scenario parameters of
    `ratc.scenario.settings`, e.g. {"scenario": "cpb3", "toon": "bijstand_uitkeringen"}); invalid values fall back
    to defaults as on the page. `query` runs a named query (on the page: `ratc.ui.cache.query`, cached per warehouse).
    Returns a `charts.Figure` to show with `ui.figure_block` (observed, scenario with its band, no crisis).
    """
    projection, indicator, area_code = _from_params(params, query)
    return chart.main_figure(projection, indicator, area_code)


def headline_table(params: Mapping[str, str], query: Query) -> pd.DataFrame:
    """The headline numbers for share-link query parameters: one row per area (the ten and the region) and indicator.

    Columns: `gebied_code`, `gebied`, `indicator_id`, `indicator`, `maat` ("eind 2021" for benefits, "samen
    <first month> – dec 2021" for applications and bankruptcies), `scenario`, `zonder_crisis`, `verschil`
    (scenario minus no crisis), `laag`, `hoog` (the band), all unrounded counts. Parameters as in `view_figure`.
    """
    projection, _, _ = _from_params(params, query)
    table = municipal.headline(projection)
    table.insert(1, "gebied", table["area_code"].map(projection.observed.names))
    table.insert(3, "indicator", table["indicator_id"].map(lambda key: projection.observed.indicators[key]["name"]))
    return table.rename(columns={"area_code": "gebied_code"}).reset_index(drop=True)


def headline_display(params: Mapping[str, str], query: Query) -> pd.DataFrame:
    """The headline numbers of a share link for its own area, rounded and in Dutch, as a pinned view shows them."""
    projection, _, area_code = _from_params(params, query)
    rows = municipal.headline(projection)
    rows = rows[rows["area_code"] == area_code]
    return pd.DataFrame(
        {
            "Indicator": [projection.observed.indicators[key]["name"] for key in rows["indicator_id"]],
            "Maat": list(rows["maat"]),
            "Scenario": [fmt.number(rounded(value)) for value in rows["scenario"]],
            "Zonder crisis": [fmt.number(rounded(value)) for value in rows["zonder_crisis"]],
            "Verschil": [_signed(rounded(value)) for value in rows["verschil"]],
            "Band": [f"{fmt.number(rounded(low))} – {fmt.number(rounded(high))}"
                     for low, high in zip(rows["laag"], rows["hoog"], strict=True)],
        }
    )  # fmt: skip


def _from_params(params: Mapping[str, str], query: Query) -> tuple[municipal.Projection, str, str]:
    """Projection, indicator and area for share-link parameters."""
    data = load()
    areas = query("area_list")
    bounds = query("period_bounds").iloc[0]
    months = context.months_from_bounds(bounds["first_period_date"], bounds["last_period_date"])
    choices = context.choices_from(areas, INDICATORS, months, INDICATORS[0])
    chosen, _ = context.resolve({name: params.get(name) for name in ("gemeente", "periode")}, choices)
    settings, indicator, _ = scenario_settings.from_params(params, data)
    observations = municipal.observed(query, chosen.periode)
    if observations.missing:
        raise IncompleteData(observations.missing)
    projection = municipal.project(observations, settings, data)
    return projection, indicator, chosen.gemeente or metadata.REGION_CODE


def _start_value(projection: municipal.Projection, indicator: str, area_code: str) -> float:
    """The observed value in the start month."""
    months, values = projection.observed.series[(indicator, area_code)]
    return float(values[months.index(projection.observed.start)]) if projection.observed.start in months else math.nan


def view_settings(params: Mapping[str, str], query: Query) -> list[tuple[str, str]]:
    """A pinned scenario's settings in Dutch words, as a presentation and a report show them (never an id)."""
    data = load()
    settings, indicator, _ = scenario_settings.from_params(params, data)
    preset = scenario_settings.matching_preset(settings, data)
    names = query("area_list").set_index("area_code")["area_name"]
    indicators = query("indicator_catalog").set_index("indicator_id")["name"]
    area = names.get(params.get("gemeente") or "", names.get(metadata.REGION_CODE, "de regio"))
    described = [
        ("Scenario", preset.naam if preset else "Eigen instellingen"),
        ("Getoond", str(indicators.get(indicator, indicator))),
        ("Gebied", str(area)),
        ("Duur van de maatregelen", f"{settings.duur} maanden vanaf maart 2020"),
        ("Bbp 2020", f"{fmt.number(settings.bbp_2020, 1)}% groei"),
        ("Bbp 2021", f"{fmt.number(settings.bbp_2021, 1)}% groei"),
        ("Steun (NOW, Tozo)", f"{settings.steun}% van het banenverlies opgevangen, tot "
                              f"{scenario_settings.support_end_label(settings.steun_tot)}"),
        ("Herstel", scenario_settings.SHAPE_LABELS.get(settings.herstel, settings.herstel)),
    ]  # fmt: skip
    base = dict(scenario_settings.from_preset(preset, data).gevoeligheid) if preset else {}
    described += [
        (f"Gevoeligheid {names.get(code, code)}", fmt.number(value, 2))
        for code, value in settings.gevoeligheid
        if base.get(code) != value
    ]
    return described
