"""What the monitor cannot show yet, in plain Dutch: indicators without figures, municipalities a region figure
misses, and whether a page's figures are demo data, real figures or both.

The region of a count is the sum of all its municipalities and is left out of a period that one of them has not
delivered (queries/build/02_observations_counts.sql): these sentences say which municipalities it waits for.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ratc.core import fmt, metadata
from ratc.core.context import Context
from ratc.core.periods import parse_period

Query = Callable[..., pd.DataFrame]

NOT_DELIVERED = "Nog geen cijfers aangeleverd voor"
# States of the monitor's figures as a whole (`demo_state`)
EMPTY, DEMO, REAL, MIXED = "leeg", "demo", "echt", "gemengd"


def demo_state(catalog: pd.DataFrame) -> str:
    """'leeg' without any figure, 'demo' when every indicator with figures is demo, 'echt' when none is, else
    'gemengd'. An indicator is demo or real as a whole (README "Demo data")."""
    delivered = catalog[catalog["last_period_date"].notna()]
    if delivered.empty:
        return EMPTY
    demo = delivered["is_demo"].astype(bool)
    return DEMO if demo.all() else REAL if not demo.any() else MIXED


def monitor_state(query: Query) -> str:
    """The demo state of the whole monitor (see `demo_state`)."""
    return demo_state(query("indicator_catalog"))


def not_delivered(names: list[str]) -> str:
    """'Nog geen cijfers aangeleverd voor Lopende WW-uitkeringen en Faillissementen.'"""
    return f"{NOT_DELIVERED} {fmt.listing(names, limit=12)}."


def indicator_empty_text(query: Query, indicator_id: str, area_name: str | None = None) -> str | None:
    """The empty state of a one-indicator figure: None when the indicator has figures, else a Dutch sentence."""
    catalog = query("indicator_catalog").set_index("indicator_id")
    if indicator_id in catalog.index and pd.notna(catalog.loc[indicator_id, "last_period_date"]):
        return None
    name = catalog.loc[indicator_id, "name"] if indicator_id in catalog.index else indicator_id
    return not_delivered([f"{name}{f' van {area_name}' if area_name else ''}"])


def missing_municipalities(latest: pd.DataFrame, areas: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Per indicator whose newest period some municipality has not delivered (up to the `latest` rows' date):
    that period, its label, the municipalities missing and whether the region has a figure at all.

    `latest` is `latest_value_by_area`: per indicator and area its latest observation.
    """
    municipalities = areas[areas["area_type"] == "gemeente"]
    names = dict(zip(municipalities["area_code"], municipalities["area_name"], strict=True))
    rows = latest[latest["area_code"].isin(names)]
    newest = rows.groupby("indicator_id")["period_key"].max()
    current = rows[rows["period_key"] == rows["indicator_id"].map(newest)]
    having = current.groupby("indicator_id")["area_code"].agg(set)
    region = set(latest.loc[latest["area_code"] == metadata.REGION_CODE, "indicator_id"])
    frequency = catalog.set_index("indicator_id")["frequency"]
    gaps = []
    for indicator_id, present in having.items():  # one pass per indicator, not per cell
        if len(present) == len(names) or indicator_id not in frequency.index:
            continue
        missing = [name for code, name in names.items() if code not in present]
        key = newest[indicator_id]
        gaps.append((indicator_id, key, parse_period(key, frequency[indicator_id]).label, missing,
                     indicator_id in region))  # fmt: skip
    return pd.DataFrame(gaps, columns=["indicator_id", "period_key", "period_label", "missing", "has_region"])


def region_gap_texts(query: Query, chosen: Context) -> dict[str, str]:
    """Per indicator whose region figure misses municipalities: a Dutch sentence naming them."""
    latest = query("latest_value_by_area", as_of_date=chosen.as_of_date)
    gaps = missing_municipalities(latest, query("area_list"), query("indicator_catalog"))
    total = len(query("area_list").query("area_type == 'gemeente'"))
    return {
        gap.indicator_id: region_gap_text(gap.missing, total, gap.period_label, gap.has_region)
        for gap in gaps.itertuples()
    }


def region_gap_text(missing: list[str], total: int, period_label: str, has_region: bool) -> str:
    """'Geen regiocijfer: nog geen cijfers van Alblasserdam en Gorinchem (2 van de 10 gemeenten).' or, when an
    earlier period is complete, 'Regiocijfer van een eerdere periode: week 38 2020 nog zonder Gorinchem.'"""
    who = fmt.listing(missing)
    if not has_region:
        return (
            f"Geen regiocijfer: nog geen cijfers van {who} "
            f"({fmt.number(len(missing))} van de {fmt.count_word(total)} gemeenten)."
        )
    return f"Regiocijfer van een eerdere periode: {period_label} nog zonder {who}."
