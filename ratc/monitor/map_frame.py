"""The Kaart page's figures: the measures an indicator offers, and the map frame with per municipality its value,
per 10,000, change, the shown measure in Dutch, its rank, class, colour and label."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ratc.core import fmt, metadata
from ratc.core.context import Context
from ratc.core.deck import label_name, place_labels
from ratc.core.geo import MapGeometry
from ratc.core.periods import parse_period
from ratc.monitor.map_legend import MISSING_COLOUR, MISSING_LABEL, classify, is_dark
from ratc.monitor.overview import Query

MEASURES = {"waarde": "Waarde", "per_10k": "Per 10.000 inwoners", "verandering": "Verandering t.o.v. basis"}
MEASURE_BUTTONS = {"waarde": "Waarde", "per_10k": "Per 10.000 inwoners", "verandering": "Verandering"}
MEASURE_SLUGS = {"waarde": "waarde", "per_10k": "per 10000", "verandering": "verandering"}


def measures_for(indicator: Mapping) -> list[str]:
    """The measures that make sense for an indicator: per 10,000 only for counts, change only with a baseline."""
    measures = ["waarde"]
    if _flag(indicator["per_10k"]):
        measures.append("per_10k")
    if _flag(indicator["has_baseline"]):
        measures.append("verandering")
    return measures


def default_measure(indicator: Mapping) -> str:
    """Per 10,000 inhabitants where that exists (counts of big and small municipalities compare badly)."""
    return "per_10k" if _flag(indicator["per_10k"]) else "waarde"


def map_frame(query: Query, chosen: Context, measure: str, geometry: MapGeometry) -> pd.DataFrame:
    """Per municipality: value, per 10,000, change, the shown measure with Dutch text, rank, class, colour, label."""
    indicator = indicator_row(query, chosen.indicator)
    if measure not in measures_for(indicator):
        raise ValueError(f"measure {measure!r} is not available for {chosen.indicator}")
    latest = query("latest_value_by_area", as_of_date=chosen.as_of_date)
    latest = latest[latest["indicator_id"] == chosen.indicator]
    areas = query("area_list")
    municipalities = areas[areas["area_type"] == "gemeente"][["area_code", "area_name", "population_2020"]]
    frame = municipalities.merge(latest, on="area_code", how="left")
    per_10k = frame["value"] / frame["population_2020"] * 10_000
    change = pd.Series(
        [fmt.relative_change(value, base) for value, base in zip(frame["value"], frame["baseline_value"], strict=True)],
        index=frame.index,
        dtype="float64",
    )
    shown = {"waarde": frame["value"], "per_10k": per_10k, "verandering": change}[measure].astype("float64")
    classes, legend = classify(shown, measure, indicator)
    label_of = [entry.label for entry in legend]
    colour_of = [entry.colour for entry in legend]
    result = pd.DataFrame(
        {
            "gemeentecode": frame["area_code"],
            "gemeente": frame["area_name"],
            "period_key": frame["period_key"],
            "periode": [_period_label(key, indicator["frequency"]) for key in frame["period_key"]],
            "waarde": frame["value"].astype("float64"),
            "per_10000": (per_10k if _flag(indicator["per_10k"]) else per_10k * math.nan).astype("float64"),
            "basiswaarde": frame["baseline_value"].astype("float64"),
            "verandering": change,
            "kaartwaarde": shown,
            "tekst": [value_text(value, measure, indicator) for value in shown],
            "rang": shown.rank(ascending=False, method="min").astype("Int64"),
            "klasse": pd.array([None if pd.isna(c) else int(c) + 1 for c in classes], dtype="Int64"),
            "klasse_label": [MISSING_LABEL if pd.isna(c) else label_of[int(c)] for c in classes],
            "kleur": [MISSING_COLOUR if pd.isna(c) else colour_of[int(c)] for c in classes],
            "is_gekozen": frame["area_code"] == chosen.gemeente,
            "is_demo": frame["is_demo"].astype("boolean").fillna(False).astype(bool),
            "label": [
                f"{label_name(code, name, geometry.is_tiles)}\n{short_text(value, measure, indicator)}"
                for code, name, value in zip(frame["area_code"], frame["area_name"], shown, strict=True)
            ],
        }
    )
    placed = place_labels(geometry, result.set_index("gemeentecode")["label"])
    result = result.merge(placed, left_on="gemeentecode", right_index=True, how="left")
    # on tiles a label stays on its own tile; on boundaries it may move, so it is dark with a white halo
    result["tekstkleur"] = [
        "#FFFFFF" if geometry.is_tiles and is_dark(colour) else "#1F2933" for colour in result["kleur"]
    ]
    return result


def value_text(value: float, measure: str, indicator: Mapping) -> str:
    """The shown figure in Dutch with its unit: '1.234 uitkeringen', '56,7 per 10.000 inwoners', '+12%'."""
    if pd.isna(value):
        return "geen gegevens"
    if measure == "verandering":
        return f"{fmt.signed_percent(value)} t.o.v. basis"
    if measure == "per_10k":
        return f"{fmt.number(value, 1)} per 10.000 inwoners"
    return f"{fmt.number(value, int(indicator['decimals']))} {indicator['unit']}"


def short_text(value: float, measure: str, indicator: Mapping) -> str:
    """The shown figure without unit, for labels on the map."""
    if pd.isna(value):
        return "–"
    if measure == "verandering":
        return fmt.signed_percent(value)
    return fmt.number(value, 1 if measure == "per_10k" else int(indicator["decimals"]))


def region_text(query: Query, chosen: Context, measure: str) -> str | None:
    """The region's figure for the shown measure, in Dutch, or None when missing."""
    indicator = indicator_row(query, chosen.indicator)
    latest = query("latest_value_by_area", as_of_date=chosen.as_of_date)
    rows = latest[(latest["indicator_id"] == chosen.indicator) & (latest["area_code"] == metadata.REGION_CODE)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    population = query("area_list").set_index("area_code").loc[metadata.REGION_CODE, "population_2020"]
    value = {
        "waarde": row["value"],
        "per_10k": row["value"] / population * 10_000,
        "verandering": fmt.relative_change(row["value"], row["baseline_value"]),
    }[measure]
    return None if value is None or pd.isna(value) else value_text(value, measure, indicator)


def indicator_row(query: Query, indicator_id: str) -> pd.Series:
    """One indicator's row of the catalog."""
    catalog = query("indicator_catalog")
    return catalog[catalog["indicator_id"] == indicator_id].iloc[0]


def _period_label(key, frequency: str) -> str | None:
    """'dec 2021' for a period key; None when missing."""
    return None if key is None or pd.isna(key) else parse_period(str(key), frequency).label


def _flag(value) -> bool:
    """A boolean from the catalog (DuckDB boolean or 'true'/'false')."""
    return value if isinstance(value, bool | np.bool_) else str(value).lower() == "true"
