"""KPI tiles: latest value, change against the baseline and the previous period, a sparkline, and where it came from.

A tile of demo figures says so (`is_demo`); an indicator that has no figure to show gets no tile but a sentence for
its domain (`TileBoard.empty`), and a region figure that misses municipalities a tile that names them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ratc.core import fmt
from ratc.core.periods import parse_period
from ratc.warehouse import baseline

DELTA_COLOR = {"hoger_slechter": "inverse", "hoger_beter": "normal", "neutraal": "off"}
PREVIOUS_WORD = {"week": "vorige week", "maand": "vorige maand", "kwartaal": "vorig kwartaal", "jaar": "vorig jaar"}


@dataclass(frozen=True)
class Tile:
    """Everything one KPI tile shows."""

    indicator_id: str
    label: str
    value_text: str
    delta_text: str | None
    delta_description: str | None
    delta_color: str
    previous_text: str
    period_label: str
    sparkline: list[float]
    help_text: str
    comparison_text: str | None = None
    is_demo: bool = False


@dataclass(frozen=True)
class TileBoard:
    """What a tile page shows: the tiles per domain name (every domain, in catalog order) and, per domain, a
    sentence on its indicators that have no figure to show."""

    tiles: dict[str, list[Tile]]
    empty: dict[str, str]


def board(tiles: dict[str, list[Tile]], catalog: pd.DataFrame, area_name: str, month_label: str) -> TileBoard:
    """The tiles with every domain of the catalog, and per domain what is missing: not delivered at all, or not
    for this area by this month."""
    shown = {tile.indicator_id for domain_tiles in tiles.values() for tile in domain_tiles}
    missing = catalog[~catalog["indicator_id"].isin(shown)]
    empty: dict[str, str] = {}
    for domain, rows in missing.groupby("domain_name", sort=False):
        never = rows.loc[rows["last_period_date"].isna(), "name"].tolist()
        not_here = rows.loc[rows["last_period_date"].notna(), "name"].tolist()
        parts = [f"Nog geen cijfers aangeleverd voor {fmt.listing(never, limit=12)}."] if never else []
        if not_here:
            parts.append(f"Geen cijfers van {area_name} tot en met {month_label} voor {fmt.listing(not_here)}.")
        empty[str(domain)] = " ".join(parts)
    domains = dict.fromkeys(catalog["domain_name"])
    return TileBoard({domain: tiles.get(domain, []) for domain in domains}, empty)


def build_tiles(
    catalog: pd.DataFrame,
    latest: pd.DataFrame,
    series: pd.DataFrame,
    imports: pd.DataFrame,
    reference: pd.DataFrame | None = None,
    reference_name: str = "de regio",
    notes: dict[str, str] | None = None,
    placeholders: dict[str, str] | None = None,
) -> dict[str, list[Tile]]:
    """Tiles per domain name, in catalog order; `reference` adds the region's change, `notes` a remark per indicator;
    `placeholders` (per indicator without a figure: why) a tile without a value that says why."""
    latest_by_id = latest.set_index("indicator_id")
    reference_by_id = reference.set_index("indicator_id") if reference is not None else None
    sparklines = series.groupby("indicator_id")["value"].agg(list).to_dict()
    import_names = dict(zip(imports["import_id"], imports["file_path"], strict=True))
    tiles: dict[str, list[Tile]] = {}
    for indicator in catalog.itertuples():
        if indicator.indicator_id not in latest_by_id.index:
            if indicator.indicator_id in (placeholders or {}):
                tiles.setdefault(indicator.domain_name, []).append(
                    _placeholder(indicator, placeholders[indicator.indicator_id])
                )
            continue
        row = latest_by_id.loc[indicator.indicator_id]
        ref_row = None
        if reference_by_id is not None and indicator.indicator_id in reference_by_id.index:
            ref_row = reference_by_id.loc[indicator.indicator_id]
        tiles.setdefault(indicator.domain_name, []).append(
            _tile(
                indicator,
                row,
                sparklines.get(indicator.indicator_id, []),
                import_names,
                ref_row,
                reference_name,
                (notes or {}).get(indicator.indicator_id),
            )
        )
    return tiles


def _placeholder(indicator, reason: str) -> Tile:
    """A tile without a value: the figure cannot be shown yet, and why."""
    return Tile(
        indicator_id=indicator.indicator_id,
        label=indicator.short_name,
        value_text="–",
        delta_text=None,
        delta_description=None,
        delta_color="off",
        previous_text=reason,
        period_label="",
        sparkline=[],
        help_text=f"**{indicator.name}.** {indicator.definition}\n\nBron: {indicator.source}",
    )


def _tile(indicator, row, sparkline, import_names, ref_row, reference_name, note) -> Tile:
    """One tile from an indicator definition and its latest observation."""
    period = parse_period(row["period_key"], indicator.frequency)
    base_change = fmt.relative_change(row["value"], row["baseline_value"])
    previous_change = fmt.relative_change(row["value"], row["previous_value"])
    if base_change is not None:
        delta, description = (
            fmt.signed_percent(base_change),
            baseline.short_label(indicator.frequency, indicator.is_seasonal),
        )
    elif previous_change is not None:
        delta, description = fmt.signed_percent(previous_change), f"t.o.v. {PREVIOUS_WORD[indicator.frequency]}"
    else:
        delta, description = None, None
    previous_text = (
        f"{PREVIOUS_WORD[indicator.frequency].capitalize()}: {fmt.number(row['previous_value'], indicator.decimals)}"
        + (f" ({fmt.signed_percent(previous_change)})" if previous_change is not None else "")
    )
    comparison = None
    if ref_row is not None:
        ref_change = fmt.relative_change(ref_row["value"], ref_row["baseline_value"])
        if ref_change is not None:
            comparison = f"{reference_name.capitalize()}: {fmt.signed_percent(ref_change)}"
    if note:
        comparison = f"{comparison} · {note}" if comparison else note[:1].upper() + note[1:]
    return Tile(
        indicator_id=indicator.indicator_id,
        label=indicator.short_name,
        value_text=fmt.number(row["value"], indicator.decimals),
        delta_text=delta,
        delta_description=description,
        delta_color=_delta_color(indicator.polarity, base_change if base_change is not None else previous_change),
        previous_text=previous_text,
        period_label=period.label,
        sparkline=[float(value) for value in sparkline],
        help_text=_provenance(indicator, row, period.label, import_names),
        comparison_text=comparison,
        is_demo=bool(row["is_demo"]),
    )


def _delta_color(polarity: str, change: float | None) -> str:
    """Colour the change by polarity; a change that rounds to zero is neither good nor bad."""
    if change is None or round(change * 100) == 0:
        return "off"
    return DELTA_COLOR[polarity]


def _provenance(indicator, row, period_label, import_names) -> str:
    """Tooltip text: definition, source, period, import and how the figure was derived."""
    import_id = int(row["import_id"])
    demo = " — **Demodata**" if row["is_demo"] else ""
    return (
        f"**{indicator.name}.** {indicator.definition}\n\n"
        f"Bron: {indicator.source}{demo}  \n"
        f"Periode: {period_label} · eenheid: {indicator.unit}  \n"
        f"Herkomst: {row['derivation']}, import {import_id} ({import_names.get(import_id, 'onbekend')})"
    )
