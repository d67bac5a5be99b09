"""The scenario model: what a CPB-style scenario means for WW, bijstand, schuldhulp and faillissementen here.

A transparent chain of monthly steps from January 2020 to December 2021; every number it uses is a row of
`data/scenario/parameters.csv` (value, band, plain-Dutch explanation, source), read by `ratc.scenario_data`.

1. **GDP** (`gdp_gap`): the gap to the no-crisis path (growth `bbp_groei_basis` a year) opens in March 2020,
   stays at its depth while the restrictions last (`duur` months) and then recovers to a lasting share
   (`bbp_blijvend_deel`) of that depth with a half-life of `bbp_herstel_halveringstijd` months. The depth makes
   the 2020 **annual average** equal the chosen 2020 growth; in 2021 a straight line from zero in December 2020
   is added that makes the 2021 average right. So 2021's growth never changes 2020's months.
2. **Unemployment** (`unemployment`): the GDP gap, `werkloosheid_vertraging` months earlier, times the Okun
   coefficient, minus the share that support (NOW/Tozo, `steun` % until `steun_tot`) absorbs; job losses show
   with a half-life of `banenverlies_halveringstijd` months and fade with that of the recovery shape (V, U, L:
   `herstel_v`/`_u`/`_l`). Calibrated on **annual averages**: with a CPB preset the model's 2020 and 2021
   averages meet the CPB's unemployment figures within 0.2 point (`calibrate_support` found the presets'
   support settings; `tests/test_scenario.py` checks them).
3. **Indicators** (`indicator_effects`), as a relative change against no crisis: WW follows unemployment's
   relative change (`elasticiteit`, `vertraging`); bijstand follows WW a further `vertraging` months later;
   schuldhulp follows unemployment with its own lag; faillissementen follow the GDP gap (lagged), less what
   support holds back (`faillissementen_uitstel`), and the held-back ones come in the `faillissementen_inhaal`
   months after support ends.
4. **Municipalities** (`project`): each municipality's level without crisis (February 2020 for benefits; the
   monthly mean of March 2019–February 2020 for applications and bankruptcies) times one plus its sensitivity
   (`gevoeligheid`) times the national effect. From the last observed month on, the gap between the
   observation and the model fades with a half-life of `aansluiting_halveringstijd` months. No count goes
   below zero; the region is the sum of its municipalities.
5. **"Geen crisis"** is the same calculation with GDP on the no-crisis path, no restrictions and no support,
   so it is the baseline on every chart. The **band** is the lowest and highest result with every elasticity at
   its `laag` and `hoog` value: how much the outcome depends on the assumptions, not a statistical interval.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ratc.core import charts, context, fmt, metadata, periods
from ratc.monitor.overview import Query
from ratc.monitor.tiles import Tile
from ratc.scenario import chart as scenario_chart
from ratc.scenario import settings as scenario_settings
from ratc.scenario.chart import rounded
from ratc.scenario.parameters import INDICATORS, Preset, ScenarioData, load
from ratc.scenario.settings import Settings

MONTHS = tuple(f"{year}-{month:02d}" for year in (2020, 2021) for month in range(1, 13))
CRISIS_START = MONTHS.index("2020-03")
PRE_CRISIS = "2020-02"
BASELINE_FROM = "2019-03"
HORIZON_END = MONTHS[-1]
VARIANTS = ("centraal", "laag", "hoog")


@dataclass(frozen=True)
class NationalPath:
    """The national side of a scenario, month by month from January 2020: GDP gap, support, unemployment."""

    gdp_gap: np.ndarray
    support: np.ndarray
    unemployment: np.ndarray

    def annual_unemployment(self, year: int) -> float:
        """The average unemployment rate (% of the labour force) over one calendar year."""
        months = [number for number, key in enumerate(MONTHS) if key.startswith(str(year))]
        return float(self.unemployment[months].mean())


@dataclass(frozen=True)
class Observed:
    """What the warehouse says, prepared once per 'stand per' month: levels, anchors, history and names."""

    as_of: str
    start: str
    notices: tuple[str, ...]
    codes: tuple[str, ...]
    names: dict[str, str]
    indicators: dict[str, dict]
    history: pd.DataFrame
    series: dict[tuple[str, str], tuple[tuple[str, ...], np.ndarray]]
    base: dict[str, np.ndarray]
    anchor: dict[str, np.ndarray]
    is_demo: bool


SERIES = ("zonder_crisis", "scenario", "laag", "hoog")


@dataclass(frozen=True)
class Projection:
    """A scenario worked out: per indicator and area, for each month after the start, the scenario, the band
    (`laag`, `hoog`) and the no-crisis path (`zonder_crisis`)."""

    settings: Settings
    label: str
    observed: Observed
    national: NationalPath
    months: tuple[str, ...]
    paths: dict[tuple[str, str], dict[str, np.ndarray]]

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """All paths as one long table: area_code, indicator_id, period_key and the four series."""
        return pd.DataFrame(
            [
                {"area_code": area, "indicator_id": indicator, "period_key": month,
                 **{name: float(values[name][number]) for name in SERIES}}
                for (indicator, area), values in self.paths.items()
                for number, month in enumerate(self.months)
            ]
        )  # fmt: skip


def gdp_gap(settings: Settings, data: ScenarioData) -> np.ndarray:
    """Monthly GDP in % against the no-crisis path (negative = loss); its 2020 and 2021 averages match the settings,
    and the 2020 months depend on the 2020 growth alone."""
    growth = data.parameters.value("bbp_groei_basis") / 100
    level_2020 = ((1 + settings.bbp_2020 / 100) / (1 + growth) - 1) * 100
    level_2021 = ((1 + settings.bbp_2020 / 100) * (1 + settings.bbp_2021 / 100) / (1 + growth) ** 2 - 1) * 100
    month = np.arange(len(MONTHS))
    end = CRISIS_START + settings.duur
    step = 0.5 ** (1 / data.parameters.value("bbp_herstel_halveringstijd"))
    lasting = data.parameters.value("bbp_blijvend_deel")
    # the shock: full depth during the restrictions, then back to a lasting share of it
    shock = np.where(
        month < CRISIS_START, 0.0, np.where(month < end, 1.0, lasting + (1 - lasting) * step ** (month - end + 1))
    )
    # 2021: a straight line from zero in December 2020 that makes the 2021 average come out right
    line = np.where(month < 12, 0.0, (month - 11) / 12)
    depth = level_2020 / shock[:12].mean()
    slope = (level_2021 - depth * shock[12:].mean()) / line[12:].mean()
    return depth * shock + slope * line


def support_share(settings: Settings) -> np.ndarray:
    """The share of job losses that NOW and Tozo absorb, per month: from March 2020 through `steun_tot`."""
    month = np.arange(len(MONTHS))
    active = (month >= CRISIS_START) & (month <= MONTHS.index(settings.steun_tot))
    return np.where(active, settings.steun / 100, 0.0)


def unemployment(settings: Settings, data: ScenarioData, variant: str = "centraal") -> np.ndarray:
    """The national unemployment rate (% of the labour force) per month."""
    parameters = data.parameters
    pressure = -_lag(gdp_gap(settings, data), parameters.value("werkloosheid_vertraging")) * (
        1 - support_share(settings)
    )
    rise = _smoothing(parameters.value("banenverlies_halveringstijd"))
    fall = _smoothing(parameters.value(f"herstel_{settings.herstel.lower()}"))
    level, path = 0.0, []
    for value in pressure:
        level += (rise if value > level else fall) * (value - level)
        path.append(level)
    okun = parameters.value("okun_coefficient", variant=variant)
    return parameters.value("werkloosheid_basis") + okun * np.array(path)


def national_path(settings: Settings, data: ScenarioData) -> NationalPath:
    """GDP gap, support and unemployment of a scenario."""
    return NationalPath(gdp_gap(settings, data), support_share(settings), unemployment(settings, data))


def indicator_effects(settings: Settings, data: ScenarioData, variant: str = "centraal") -> dict[str, np.ndarray]:
    """Per indicator the national relative change against no crisis, per month (0.1 = 10% more)."""
    parameters = data.parameters

    def value(name: str, applies_to: str) -> float:
        """A parameter of this variant."""
        return parameters.value(name, applies_to, variant)

    base = parameters.value("werkloosheid_basis")
    relative = (unemployment(settings, data, variant) - base) / base
    ww_lag = value("vertraging", "ww_uitkeringen")
    effects = {
        "ww_uitkeringen": value("elasticiteit", "ww_uitkeringen") * _lag(relative, ww_lag),
        "bijstand_uitkeringen": value("elasticiteit", "bijstand_uitkeringen")
        * _lag(relative, ww_lag + value("vertraging", "bijstand_uitkeringen")),
        "schuldhulp_aanmeldingen": value("elasticiteit", "schuldhulp_aanmeldingen")
        * _lag(relative, value("vertraging", "schuldhulp_aanmeldingen")),
    }
    support = support_share(settings)
    loss = -_lag(gdp_gap(settings, data), value("vertraging", "faillissementen"))
    held_back = value("faillissementen_uitstel", "faillissementen") * support
    catch_up = np.zeros(len(MONTHS))
    months = int(value("faillissementen_inhaal", "faillissementen"))
    end = MONTHS.index(settings.steun_tot)
    catch_up[end + 1 : end + 1 + months] = held_back.sum() / months
    effects["faillissementen"] = value("elasticiteit", "faillissementen") * loss * (1 - support) - held_back + catch_up
    return effects


def observed(query: Query, periode: str) -> Observed:
    """The warehouse's figures the projection starts from, as known at the end of the 'stand per' month."""
    notices = []
    as_of = periode
    if as_of < PRE_CRISIS:
        notices.append(
            "Het model rekent vanaf februari 2020, de laatste maand vóór de crisis; de cijfers tot en met die maand "
            "worden gebruikt."
        )
        as_of = PRE_CRISIS
    areas = query("area_list").set_index("area_code")
    codes = tuple(areas.index[areas["area_type"] == "gemeente"])
    catalog = query("indicator_catalog").set_index("indicator_id")
    as_of_date = periods.parse_period(as_of, "maand").end
    frames = [
        query(
            "observations_by_indicator",
            indicator_id=indicator,
            area_codes=[*codes, metadata.REGION_CODE],
            from_date=periods.parse_period(BASELINE_FROM, "maand").start,
            as_of_date=as_of_date,
        ).assign(indicator_id=indicator)
        for indicator in INDICATORS
    ]
    history = pd.concat(frames, ignore_index=True)[["area_code", "indicator_id", "period_key", "value", "import_id"]]
    history["value"] = history["value"].astype(float)
    # the region exists only where all ten municipalities delivered: its last month with all four indicators
    region = history[history["area_code"] == metadata.REGION_CODE].groupby("period_key")["indicator_id"].nunique()
    complete = region.index[region == len(INDICATORS)]
    start = max([key for key in complete if key >= PRE_CRISIS], default=PRE_CRISIS)
    if start >= HORIZON_END:
        notices.append(
            f"De cijfers lopen al tot en met {periods.parse_period(start, 'maand').long_label}, het eind van de "
            "scenarioperiode. Het model rekent daarom vanaf februari 2020, de laatste maand vóór de crisis; de "
            "waargenomen cijfers staan ernaast. Kies links bij 'Stand per' een eerdere maand om vanaf dat moment te "
            "rekenen."
        )
        start = PRE_CRISIS
    data = load()
    window = int(data.parameters.value("aansluiting_maanden", "regio"))
    base, anchor = {}, {}
    for indicator in INDICATORS:
        is_stock = bool(catalog.loc[indicator, "is_stock"])
        wide = history[history["indicator_id"] == indicator].pivot(
            index="period_key", columns="area_code", values="value"
        )
        wide = wide.reindex(columns=list(codes))
        if is_stock:
            base[indicator] = _row(wide, PRE_CRISIS)
            anchor[indicator] = _row(wide, start)
        else:
            base[indicator] = wide.loc[(wide.index >= BASELINE_FROM) & (wide.index <= PRE_CRISIS)].mean().to_numpy()
            recent = [key for key in wide.index if key <= start][-window:]
            anchor[indicator] = wide.loc[recent].mean().to_numpy() if recent else np.full(len(codes), np.nan)
    imports = query("import_lineage")
    used = imports[imports["import_id"].isin(set(history["import_id"]))]
    indicators = {
        indicator: {
            "name": str(catalog.loc[indicator, "name"]),
            "short_name": str(catalog.loc[indicator, "short_name"]),
            "subject": str(catalog.loc[indicator, "subject"]),
            "unit": str(catalog.loc[indicator, "unit"]),
            "source": str(catalog.loc[indicator, "source"]),
            "is_stock": bool(catalog.loc[indicator, "is_stock"]),
        }
        for indicator in INDICATORS
    }
    return Observed(
        as_of=periode,
        start=start,
        notices=tuple(notices),
        codes=codes,
        names=dict(areas["area_name"]),
        indicators=indicators,
        history=history.drop(columns="import_id"),
        series={
            (indicator, area): (tuple(group["period_key"]), group["value"].to_numpy(dtype=float))
            for (indicator, area), group in history.sort_values("period_key").groupby(["indicator_id", "area_code"])
        },
        base=base,
        anchor=anchor,
        is_demo=bool(used["is_demo"].any()),
    )


def project(observations: Observed, settings: Settings, data: ScenarioData, label: str | None = None) -> Projection:
    """The scenario, the band and the no-crisis path per municipality and the region, after the last observed month."""
    start = MONTHS.index(observations.start)
    window = int(data.parameters.value("aansluiting_maanden", "regio"))
    fade = 0.5 ** ((np.arange(len(MONTHS)) - start) / data.parameters.value("aansluiting_halveringstijd", "regio"))
    sensitivity = np.array([settings.sensitivity(code) for code in observations.codes])
    effects = {variant: indicator_effects(settings, data, variant) for variant in VARIANTS}
    paths = {}
    for indicator in INDICATORS:
        anchored = functools.partial(
            _anchored,
            observations.base[indicator],
            observations.anchor[indicator],
            sensitivity,
            is_stock=observations.indicators[indicator]["is_stock"],
            start=start,
            window=window,
            fade=fade,
        )
        runs = [anchored(effects[variant][indicator]) for variant in VARIANTS]
        values = {
            "zonder_crisis": anchored(np.zeros(len(MONTHS))),
            "scenario": runs[0],
            "laag": np.minimum.reduce(runs),
            "hoog": np.maximum.reduce(runs),
        }
        for row, code in enumerate(observations.codes):
            paths[(indicator, code)] = {name: matrix[row] for name, matrix in values.items()}
        paths[(indicator, metadata.REGION_CODE)] = {name: matrix.sum(axis=0) for name, matrix in values.items()}
    label = label or scenario_settings.label(settings, data)
    return Projection(settings, label, observations, national_path(settings, data), MONTHS[start + 1 :], paths)


def _anchored(
    base: np.ndarray,
    anchor: np.ndarray,
    sensitivity: np.ndarray,
    effect: np.ndarray,
    *,
    is_stock: bool,
    start: int,
    window: int,
    fade: np.ndarray,
) -> np.ndarray:
    """Municipalities × months after the start: the level without crisis times one plus sensitivity × effect, plus
    the fading gap between the last observation and the model there; never below zero."""
    model = base[:, None] * (1 + sensitivity[:, None] * effect[None, :])
    if is_stock:
        level = model[:, start]
    else:  # the mean over the same months as the anchor; before 2020 the model is the level without crisis
        padded = np.concatenate([np.repeat(base[:, None], window, axis=1), model], axis=1)
        level = padded[:, start + 1 : start + window + 1].mean(axis=1)
    gap = np.nan_to_num(anchor - level)
    return np.maximum(model + gap[:, None] * fade[None, :], 0.0)[:, start + 1 :]


def headline(projection: Projection) -> pd.DataFrame:
    """Per area and indicator: the end-2021 level (benefits) or the total after the start (applications,
    bankruptcies) in the scenario, without crisis, the difference and the band."""
    total = measure_label(projection.observed)
    rows = []
    for (indicator, area), values in projection.paths.items():
        is_stock = projection.observed.indicators[indicator]["is_stock"]
        numbers = {name: float(series[-1] if is_stock else series.sum()) for name, series in values.items()}
        rows.append({"area_code": area, "indicator_id": indicator, "maat": "eind 2021" if is_stock else total,
                     **numbers, "verschil": numbers["scenario"] - numbers["zonder_crisis"]})  # fmt: skip
    return pd.DataFrame(rows)[
        ["area_code", "indicator_id", "maat", "scenario", "zonder_crisis", "verschil", "laag", "hoog"]
    ]


def measure_label(observations: Observed) -> str:
    """What a total of a flow covers: 'samen mrt 2020 – dec 2021'."""
    return f"samen {_first_projected(observations).label} – dec 2021"


def measure_of(observations: Observed, indicator: str) -> str:
    """What an indicator's headline number is: 'eind 2021' for benefits, a total for applications and bankruptcies."""
    return "eind 2021" if observations.indicators[indicator]["is_stock"] else measure_label(observations)


def _first_projected(observations: Observed) -> periods.Period:
    """The first month the model projects: the one after the last observed month."""
    return periods.parse_period(MONTHS[MONTHS.index(observations.start) + 1], "maand")


def sentence(projection: Projection, indicator: str, area_code: str) -> str:
    """What changed, in plain Dutch, e.g. 'In scenario 3 stijgt het aantal bijstandsuitkeringen in de regio tot
    9.800 eind 2021, 1.900 meer dan zonder crisis.', followed by the band in a second sentence."""
    return " ".join(part for part in sentence_parts(projection, indicator, area_code) if part)


def sentence_parts(projection: Projection, indicator: str, area_code: str) -> tuple[str, str]:
    """The sentence of what changed, and the one on the band ('' when there is no band)."""
    row = _headline_row(projection, indicator, area_code)
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
        first = _first_projected(projection.observed).long_label
        main = (
            f"{opening} komt {meta['subject']} {where} van {first} tot en met december 2021 samen op "
            f"{fmt.number(value)}{compared}."
        )
    low, high = rounded(row["laag"]), rounded(row["hoog"])
    band = f"Binnen de onzekerheid van de aannames ligt dat tussen {fmt.number(low)} en {fmt.number(high)}."
    return main[0].upper() + main[1:], band if low != high else ""


def tiles(projection: Projection, area_code: str) -> list[Tile]:
    """A KPI tile per indicator for one area: the scenario's headline number, its difference with no crisis, the
    band and the scenario's course as a sparkline."""
    result = []
    for indicator, meta in projection.observed.indicators.items():
        row = _headline_row(projection, indicator, area_code)
        result.append(
            Tile(
                indicator_id=indicator,
                label=meta["short_name"],
                value_text=fmt.number(rounded(row["scenario"])),
                delta_text=_signed(rounded(row["verschil"])),
                delta_description="t.o.v. zonder crisis",
                delta_color="inverse",
                previous_text=f"band {fmt.number(rounded(row['laag']))} – {fmt.number(rounded(row['hoog']))}",
                period_label="eind 2021" if meta["is_stock"] else measure_label(projection.observed),
                sparkline=[round(float(value), 1) for value in projection.paths[(indicator, area_code)]["scenario"]],
                help_text=f"{meta['name']} in {projection.label}, afgerond. Bron van de cijfers tot en met "
                f"{periods.parse_period(projection.observed.start, 'maand').label}: {meta['source']}.",
            )
        )
    return result


def unemployment_summary(projection: Projection, data: ScenarioData) -> str:
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


def compare_table(pinned: list[tuple[str, Projection]], indicator: str) -> pd.DataFrame:
    """Pinned scenarios side by side for one indicator: a row per municipality and the region, per scenario its
    headline number and the difference with no crisis, rounded as in the sentences."""
    first = pinned[0][1]
    areas = [*first.observed.codes, metadata.REGION_CODE]
    table = {"Gebied": [first.observed.names[code] for code in areas],
             "Zonder crisis": [fmt.number(rounded(_headline_row(first, indicator, code)["zonder_crisis"]))
                               for code in areas]}  # fmt: skip
    for name, run in pinned:
        rows = [_headline_row(run, indicator, code) for code in areas]
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


def calibrate_support(preset: Preset, data: ScenarioData) -> tuple[int, str, float]:
    """The support level and end month that bring a preset's modelled unemployment closest to its CPB figures
    (annual averages of 2020 and 2021): (steun %, steun_tot, largest miss in points). How presets.csv was filled."""
    best = None
    base = scenario_settings.from_preset(preset, data)
    for level in range(0, 101, scenario_settings.SUPPORT[2]):
        for end in scenario_settings.SUPPORT_MONTHS:
            path = national_path(replace(base, steun=level, steun_tot=end), data)
            miss = max(
                abs(path.annual_unemployment(2020) - preset.werkloosheid_2020),
                abs(path.annual_unemployment(2021) - preset.werkloosheid_2021),
            )
            if best is None or miss < best[2] - 1e-9:
                best = (level, end, miss)
    return best


def view_figure(params: Mapping[str, str], query: Query) -> charts.Figure:
    """The main scenario chart for share-link query parameters, as the Scenario's page shows it.

    `params` are the URL's query parameters (`gemeente`, `periode` and the scenario parameters of
    `ratc.scenario_settings`, e.g. {"scenario": "cpb3", "toon": "bijstand_uitkeringen"}); invalid values fall back
    to defaults as on the page. `query` runs a named query (on the page: `ratc.ui.cache.query`, cached per warehouse).
    Returns a `charts.Figure` to show with `ui.figure_block` (observed, scenario with its band, no crisis).
    """
    projection, indicator, area_code = _from_params(params, query)
    return scenario_chart.main_figure(projection, indicator, area_code)


def headline_table(params: Mapping[str, str], query: Query) -> pd.DataFrame:
    """The headline numbers for share-link query parameters: one row per area (the ten and the region) and indicator.

    Columns: `gebied_code`, `gebied`, `indicator_id`, `indicator`, `maat` ("eind 2021" for benefits, "samen
    <first month> – dec 2021" for applications and bankruptcies), `scenario`, `zonder_crisis`, `verschil`
    (scenario minus no crisis), `laag`, `hoog` (the band), all unrounded counts. Parameters as in `view_figure`.
    """
    projection, _, _ = _from_params(params, query)
    table = headline(projection)
    table.insert(1, "gebied", table["area_code"].map(projection.observed.names))
    table.insert(3, "indicator", table["indicator_id"].map(lambda key: projection.observed.indicators[key]["name"]))
    return table.rename(columns={"area_code": "gebied_code"}).reset_index(drop=True)


def headline_display(params: Mapping[str, str], query: Query) -> pd.DataFrame:
    """The headline numbers of a share link for its own area, rounded and in Dutch, as a pinned view shows them."""
    projection, _, area_code = _from_params(params, query)
    rows = headline(projection)
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


def _from_params(params: Mapping[str, str], query: Query) -> tuple[Projection, str, str]:
    """Projection, indicator and area for share-link parameters."""
    data = load()
    areas = query("area_list")
    bounds = query("period_bounds").iloc[0]
    months = context.month_keys(bounds["first_period_date"].date(), bounds["last_period_date"].date())
    choices = context.choices_from(areas, INDICATORS, months, INDICATORS[0])
    chosen, _ = context.resolve({name: params.get(name) for name in ("gemeente", "periode")}, choices)
    settings, indicator, _ = scenario_settings.from_params(params, data)
    projection = project(observed(query, chosen.periode), settings, data)
    return projection, indicator, chosen.gemeente or metadata.REGION_CODE


def _headline_row(projection: Projection, indicator: str, area_code: str) -> dict:
    """One area's headline numbers for one indicator."""
    values = projection.paths[(indicator, area_code)]
    is_stock = projection.observed.indicators[indicator]["is_stock"]
    numbers = {name: float(series[-1] if is_stock else series.sum()) for name, series in values.items()}
    return {**numbers, "verschil": numbers["scenario"] - numbers["zonder_crisis"]}


def _start_value(projection: Projection, indicator: str, area_code: str) -> float:
    """The observed value in the start month."""
    months, values = projection.observed.series[(indicator, area_code)]
    return float(values[months.index(projection.observed.start)]) if projection.observed.start in months else math.nan


def _row(wide: pd.DataFrame, key: str) -> np.ndarray:
    """One month's values of a period × area table, NaN where missing."""
    return wide.loc[key].to_numpy(dtype=float) if key in wide.index else np.full(wide.shape[1], np.nan)


def _lag(values: np.ndarray, months: float) -> np.ndarray:
    """The series `months` later: value at t is the input at t - months, zero before the start."""
    months = int(months)
    if months <= 0:
        return values.astype(float)
    return np.concatenate([np.zeros(months), values[:-months]])


def _smoothing(half_life: float) -> float:
    """The share of a gap closed each month for a half-life in months."""
    return 1.0 if half_life <= 0 else 1 - 0.5 ** (1 / half_life)
