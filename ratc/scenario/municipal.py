"""The municipal projection: a scenario worked out per municipality and the region from the observed figures.

It starts from the warehouse's figures as known at the end of the 'stand per' month and takes the national effects
of `ratc.scenario.national` (steps 1-3 of the model) to each municipality:

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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ratc.core import fmt, metadata, periods
from ratc.monitor.overview import Query
from ratc.scenario import settings as scenario_settings
from ratc.scenario.national import MONTHS, VARIANTS, NationalPath, indicator_effects, national_path
from ratc.scenario.parameters import INDICATORS, ScenarioData, load
from ratc.scenario.settings import Settings

PRE_CRISIS = "2020-02"
BASELINE_FROM = "2019-03"
HORIZON_END = MONTHS[-1]


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
    demo_indicators: frozenset[str] = frozenset()
    # what the model still lacks, in Dutch ("" when every municipality's pre-crisis level is known)
    missing: str = ""


class IncompleteData(ValueError):  # noqa: N818 - reads as what it is: the figures are incomplete
    """The observed figures are not complete enough to start the model from; the message says what is missing."""


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
    history = pd.concat(frames, ignore_index=True)[["area_code", "indicator_id", "period_key", "value", "is_demo"]]
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
        history=history.drop(columns="is_demo"),
        series={
            (indicator, area): (tuple(group["period_key"]), group["value"].to_numpy(dtype=float))
            for (indicator, area), group in history.sort_values("period_key").groupby(["indicator_id", "area_code"])
        },
        base=base,
        anchor=anchor,
        is_demo=bool(history["is_demo"].any()),
        demo_indicators=frozenset(history.loc[history["is_demo"].astype(bool), "indicator_id"]),
        missing=_missing(base, codes, dict(areas["area_name"]), indicators),
    )


def _missing(base: dict[str, np.ndarray], codes: tuple[str, ...], names: dict[str, str], indicators: dict) -> str:
    """A Dutch sentence on the pre-crisis levels the model lacks, or "" when it has them all."""
    parts = []
    for indicator, levels in base.items():
        absent = [names[code] for code, level in zip(codes, levels, strict=True) if np.isnan(level)]
        if len(absent) == len(codes):
            parts.append(indicators[indicator]["name"])
        elif absent:
            parts.append(f"{indicators[indicator]['name']} van {fmt.listing(absent)}")
    if not parts:
        return ""
    return (
        f"Nog geen cijfers aangeleverd voor {'; '.join(parts)}. Het scenariomodel rekent vanaf de cijfers van vóór "
        f"de crisis (februari 2020, en voor aanvragen en faillissementen het jaar ervoor) van alle gemeenten."
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
    for indicator, area in projection.paths:
        is_stock = projection.observed.indicators[indicator]["is_stock"]
        rows.append({"area_code": area, "indicator_id": indicator, "maat": "eind 2021" if is_stock else total,
                     **headline_row(projection, indicator, area)})  # fmt: skip
    return pd.DataFrame(rows)[
        ["area_code", "indicator_id", "maat", "scenario", "zonder_crisis", "verschil", "laag", "hoog"]
    ]


def headline_row(projection: Projection, indicator: str, area_code: str) -> dict:
    """One area's headline numbers for one indicator."""
    values = projection.paths[(indicator, area_code)]
    is_stock = projection.observed.indicators[indicator]["is_stock"]
    numbers = {name: float(series[-1] if is_stock else series.sum()) for name, series in values.items()}
    return {**numbers, "verschil": numbers["scenario"] - numbers["zonder_crisis"]}


def measure_label(observations: Observed) -> str:
    """What a total of a flow covers: 'samen mrt 2020 – dec 2021'."""
    return f"samen {first_projected(observations).label} – dec 2021"


def measure_of(observations: Observed, indicator: str) -> str:
    """What an indicator's headline number is: 'eind 2021' for benefits, a total for applications and bankruptcies."""
    return "eind 2021" if observations.indicators[indicator]["is_stock"] else measure_label(observations)


def first_projected(observations: Observed) -> periods.Period:
    """The first month the model projects: the one after the last observed month."""
    return periods.parse_period(MONTHS[MONTHS.index(observations.start) + 1], "maand")


def _row(wide: pd.DataFrame, key: str) -> np.ndarray:
    """One month's values of a period × area table, NaN where missing."""
    return wide.loc[key].to_numpy(dtype=float) if key in wide.index else np.full(wide.shape[1], np.nan)
