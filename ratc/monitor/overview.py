"""The questions the overview and profile pages ask, composed from named queries; `query` runs one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from ratc.core import fmt, metadata
from ratc.core.context import Context
from ratc.core.periods import parse_period
from ratc.monitor import coverage, signal_statistics, signals, tiles

Query = Callable[..., pd.DataFrame]
SPARKLINE_FROM = dt.date(2019, 1, 1)
ALL_DOMAINS = "alle"
# With more indicators than this (a national warehouse has a hundred), the tile pages open on one domain: a wall of
# tiles helps no one, and drawing them made a page's rerun grow with the number of indicators (bench/run.py).
ONE_DOMAIN_FROM = 40


def domain_options(query: Query) -> dict[str, str]:
    """'Alle domeinen' and the monitor's domains by id, in display order."""
    catalog = query("indicator_catalog").drop_duplicates("domain_id")
    return {ALL_DOMAINS: "Alle domeinen", **dict(zip(catalog["domain_id"], catalog["domain_name"], strict=True))}


def default_domain(query: Query) -> str:
    """All domains at once for a regional monitor; the first domain when there are very many indicators."""
    catalog = query("indicator_catalog")
    return ALL_DOMAINS if len(catalog) <= ONE_DOMAIN_FROM else str(catalog["domain_id"].iloc[0])


def area_tiles(
    query: Query,
    area_code: str,
    chosen: Context,
    reference_code: str | None = None,
    notes: dict[str, str] | None = None,
) -> dict[str, list[tiles.Tile]]:
    """KPI tiles per domain for one area, optionally with a reference area's change beside it.

    The region's tiles name the municipalities its figure misses: on a tile without a value when it has none, beside
    the value when only the newest period is incomplete.
    """
    placeholders = None
    if area_code == metadata.REGION_CODE:
        gaps = coverage.region_gap_texts(query, chosen)
        latest_region = query("latest_value_by_indicator", area_code=area_code, as_of_date=chosen.as_of_date)
        has_value = set(latest_region["indicator_id"])
        placeholders = {indicator: text for indicator, text in gaps.items() if indicator not in has_value}
        notes = {**(notes or {}), **{indicator: text for indicator, text in gaps.items() if indicator in has_value}}
    reference = None
    if reference_code:
        reference = query("latest_value_by_indicator", area_code=reference_code, as_of_date=chosen.as_of_date)
    return tiles.build_tiles(
        catalog=query("indicator_catalog"),
        latest=query("latest_value_by_indicator", area_code=area_code, as_of_date=chosen.as_of_date),
        series=query(
            "observations_by_area", area_code=area_code, from_date=SPARKLINE_FROM, as_of_date=chosen.as_of_date
        ),
        imports=query("import_lineage"),
        reference=reference,
        notes=notes,
        placeholders=placeholders,
    )


def domain_title(query: Query, domain: str) -> str:
    """'Alle indicatoren' or the domain's name, for a heading."""
    return "Alle indicatoren" if domain == ALL_DOMAINS else domain_options(query).get(domain, "Alle indicatoren")


def domain_params(domain: str) -> dict[str, str]:
    """The URL parameter of a domain choice: none for all domains."""
    return {} if domain == ALL_DOMAINS else {"domein": domain}


def region_tiles(query: Query, chosen: Context, domain: str = ALL_DOMAINS) -> tiles.TileBoard:
    """The region's KPI tiles, of all domains or one, with what has no figure to show yet."""
    return tile_board(query, area_tiles(query, metadata.REGION_CODE, chosen), chosen, "de regio", domain)


def tile_board(
    query: Query, by_domain: dict[str, list[tiles.Tile]], chosen: Context, area_name: str, domain: str
) -> tiles.TileBoard:
    """Tiles of all domains or one, each domain with a sentence on its indicators that have no figure to show."""
    catalog = query("indicator_catalog")
    if domain != ALL_DOMAINS:
        catalog = catalog[catalog["domain_id"] == domain]
    return tiles.board(by_domain, catalog, area_name, parse_period(chosen.periode, "maand").label)


def area_signals(query: Query, chosen: Context, area_code: str | None = None, limit: int = 8) -> list[signals.Signal]:
    """Signals for the whole region (one per indicator), or all of one municipality's; strongest evidence first."""
    return signals.find_signals(
        query("recent_window_by_area", as_of_date=chosen.as_of_date, **signals.window_params()),
        query("pre_crisis_sums_by_area", before_date=signal_statistics.CRISIS_START),
        query("indicator_catalog"),
        query("area_list"),
        metadata.REGION_CODE,
        area_code=area_code,
        limit=limit,
    )


def signals_caption(area_name: str | None = None) -> str:
    """What a signal means and what it does not: under the signals of the region's page, or of one municipality's."""
    one_in = round(1 / signal_statistics.FALSE_DISCOVERY_RATE)
    chance = f"Van de signalen is naar verwachting hooguit 1 op de {one_in} toch toeval"
    rule = (
        "anders verloopt dan in de rest van de regio, over de laatste vier maanden (of twee kwartalen) en ook in de "
        "laatste periode zelf, en sterker dan de gewone schommelingen van vóór de crisis kunnen verklaren"
    )
    if area_name is None:
        return (
            f"Een signaal: een gemeente waar een aantal sinds vóór de crisis {rule}. Het sterkste bewijs staat "
            f"bovenaan. {chance}. Een signaal zegt niet waaróm; geen signaal betekent niet dat er niets verandert, "
            "alleen dat geen gemeente duidelijk anders verloopt dan de rest."
        )
    return (
        f"Een signaal: een aantal dat in {area_name} sinds vóór de crisis {rule}. Hier telt alleen {area_name} mee, "
        "dus hier kan een afwijking staan die op het Regio-overzicht, met veel meer vergelijkingen, net niet "
        f"doorkomt. {chance}; een signaal zegt niet waaróm."
    )


def no_signals_text(area_name: str | None = None) -> str:
    """The calm sentence when nothing deviates beyond chance: the state to expect."""
    who = "elke gemeente verloopt" if area_name is None else f"{area_name} verloopt"
    return f"Geen duidelijke afwijkingen: {who} binnen de gewone schommelingen zoals de rest van de regio."


def municipality_table(query: Query, chosen: Context) -> pd.DataFrame:
    """The chosen indicator for every municipality and the region: value, per 10,000, change and rank.

    An area without a figure says so in its row; rows of demo figures say 'Demodata' (a column only then).
    """
    catalog = query("indicator_catalog").set_index("indicator_id")
    indicator = catalog.loc[chosen.indicator]
    latest = query("latest_value_by_area", as_of_date=chosen.as_of_date)
    latest = latest[latest["indicator_id"] == chosen.indicator]
    areas = query("area_list")
    table = areas[areas["area_type"].isin(["gemeente", "regio"])].merge(latest, on="area_code", how="left")
    table["change"] = [fmt.relative_change(v, b) for v, b in zip(table["value"], table["baseline_value"], strict=True)]
    table["per_10k"] = table["value"] / table["population_2020"] * 10_000
    municipalities = table["area_type"] == "gemeente"
    table["rank"] = table["value"].where(municipalities).rank(ascending=False, method="min")
    if indicator["per_10k"]:
        table["rank"] = table["per_10k"].where(municipalities).rank(ascending=False, method="min")
    table = table.sort_values(["area_type", "rank"], ascending=[True, True])
    result = pd.DataFrame(
        {
            "Gebied": table["area_name"],
            "Periode": [
                parse_period(key, indicator["frequency"]).label if pd.notna(key) else "nog geen cijfers"
                for key in table["period_key"]
            ],
            "Waarde": [fmt.number(value, int(indicator["decimals"])) for value in table["value"]],
            "Per 10.000 inwoners": [
                fmt.number(value, 1) if indicator["per_10k"] else "–" for value in table["per_10k"]
            ],
            "Verandering t.o.v. basis": [fmt.signed_percent(change) for change in table["change"]],
            "Rang (hoogste = 1)": [fmt.number(rank) if pd.notna(rank) else "" for rank in table["rank"]],
            "area_code": table["area_code"],
        }
    ).reset_index(drop=True)
    demo = table["is_demo"].fillna(False).astype(bool).to_numpy()
    if demo.any():
        result.insert(len(result.columns) - 1, "Demodata", ["ja" if flag else "" for flag in demo])
    return result
