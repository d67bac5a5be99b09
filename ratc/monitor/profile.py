"""The municipality profile: ranks among the ten and every indicator as a small multiple against region and NL."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ratc.core import charts, export, fmt, metadata
from ratc.core.context import Context
from ratc.core.periods import parse_period
from ratc.monitor import trends
from ratc.monitor.overview import (
    ALL_DOMAINS,
    SPARKLINE_FROM,
    Query,
    area_signals,
    area_tiles,
    domain_options,
    tile_board,
)
from ratc.monitor.tiles import Tile, TileBoard

COLUMNS = [
    "indicator_id",
    "indicator",
    "gebied",
    "soort",
    "period_key",
    "periode",
    "period_start_date",
    "waarde",
    "is_demo",
]
PER_INHABITANTS = 10_000  # a count without a rate of its own is shown per 10.000 inhabitants
COMPARISON_COLOURS = {kind: charts.AREA_STYLES[kind][0] for kind in ("gemeente", "regio", "land")}


def ranks(query: Query, chosen: Context, area_code: str) -> dict[str, str]:
    """Per indicator, the municipality's rank among the ten ('rang 3 van 10'); highest (per 10,000) is 1."""
    per_10k = query("indicator_catalog").set_index("indicator_id")["per_10k"]
    latest = query("latest_value_by_area", as_of_date=chosen.as_of_date).merge(query("area_list"), on="area_code")
    latest = latest[latest["area_type"] == "gemeente"].copy()
    # vectorised: a lookup per row took seconds for 355 municipalities × 100 indicators (bench/run.py)
    is_per_10k = latest["indicator_id"].map(per_10k).fillna(False).astype(bool)
    latest["measure"] = latest["value"].where(~is_per_10k, latest["value"] / latest["population_2020"] * 10_000)
    groups = latest.groupby(["indicator_id", "period_key"])["measure"]
    latest["rank"] = groups.rank(ascending=False, method="min")
    latest["count"] = groups.transform("count")
    mine = latest[latest["area_code"] == area_code]
    return {
        indicator: f"rang {int(rank)} van {int(count)}"
        for indicator, rank, count in zip(mine["indicator_id"], mine["rank"], mine["count"], strict=True)
    }


def tiles(query: Query, chosen: Context, area_code: str, domain: str = ALL_DOMAINS) -> TileBoard:
    """The municipality's KPI tiles beside the region's change, each with its rank among the municipalities."""
    notes = ranks(query, chosen, area_code)
    by_domain = area_tiles(query, area_code, chosen, metadata.REGION_CODE, notes=notes)
    name = query("area_list").set_index("area_code")["area_name"].get(area_code, area_code)
    return tile_board(query, by_domain, chosen, name, domain)


def comparison_frame(query: Query, chosen: Context, area_code: str, domain: str = ALL_DOMAINS) -> pd.DataFrame:
    """Every indicator (of one domain) for the municipality, region and Nederland: per 10,000 or as a rate."""
    catalog = query("indicator_catalog").set_index("indicator_id")
    if domain != ALL_DOMAINS:
        catalog = catalog[catalog["domain_id"] == domain]
    areas = query("area_list").set_index("area_code")
    frames = []
    for code in (area_code, metadata.REGION_CODE, metadata.COUNTRY_CODE):
        series = query("observations_by_area", area_code=code, from_date=SPARKLINE_FROM, as_of_date=chosen.as_of_date)
        frames.append(series.assign(area_code=code))
    # a computed rate repeats its count, which is shown per inhabitants already: in the rate's own unit (COVID-19
    # per 100.000, as its tile), else per 10.000
    rates = catalog[catalog["numerator_id"] != ""]
    unit = pd.Series(PER_INHABITANTS, index=catalog.index).astype(int)
    unit.update(pd.Series(rates["scale"].astype(float).astype(int).to_numpy(), index=rates["numerator_id"]))
    shown = catalog[catalog["numerator_id"] == ""].assign(eenheid=unit)
    frame = pd.concat(frames, ignore_index=True).merge(shown[["short_name", "per_10k", "domain_order", "eenheid"]],
                                                       left_on="indicator_id", right_index=True)  # fmt: skip
    if frame.empty:  # an empty result's columns come as text: no arithmetic on them
        return pd.DataFrame(columns=[*COLUMNS])
    population = frame["area_code"].map(areas["population_2020"])
    frame["waarde"] = frame["value"].where(~frame["per_10k"], frame["value"] / population * frame["eenheid"])
    frame["gebied"] = frame["area_code"].map(areas["area_name"])
    frame["soort"] = frame["area_code"].map(areas["area_type"])
    frame["indicator"] = frame["short_name"] + [
        f" /{fmt.number(unit)}" if per else "" for per, unit in zip(frame["per_10k"], frame["eenheid"], strict=True)
    ]
    frame["is_demo"] = frame["is_demo"].astype(bool)
    if frame["is_demo"].any() and not frame["is_demo"].all():  # real and demo panels side by side: name the demo
        frame["indicator"] = frame["indicator"].where(~frame["is_demo"], frame["indicator"] + " · demodata")
    frame["periode"] = [
        parse_period(key, catalog.loc[indicator, "frequency"]).label
        for key, indicator in zip(frame["period_key"], frame["indicator_id"], strict=True)
    ]
    return frame.sort_values(["domain_order", "indicator_id", "soort", "period_start_date"])[COLUMNS].reset_index(
        drop=True
    )


def small_multiples(
    frame: pd.DataFrame,
    meta_area: str,
    chosen: Context,
    is_demo: bool,
    domain_name: str | None = None,
    source: str = "CBS, UWV, RIVM en gemeenten",
) -> tuple:
    """The small-multiples chart, its metadata and a text description (of one domain when its name is given).

    `is_demo`: the chart shows demo figures; when `frame` has real ones too, its metadata names the demo panels.
    """
    demo_parts: tuple[str, ...] = ()
    if is_demo and "is_demo" in frame and not frame["is_demo"].all():
        demo_parts = tuple(dict.fromkeys(frame.loc[frame["is_demo"], "indicator"].str.removesuffix(" · demodata")))
    order = list(dict.fromkeys(frame["indicator"]))
    kinds = frame.drop_duplicates("gebied").set_index("soort")["gebied"]
    present = [kind for kind in COMPARISON_COLOURS if kind in kinds.index]
    names = [kinds[kind] for kind in present]
    dashes = [charts.AREA_STYLES[kind][1] for kind in present]
    # only the columns the chart draws: with 100 indicators its data is sent (and hashed) on every rerun
    drawn = frame[["indicator", "gebied", "periode", "period_start_date", "waarde"]]
    chart = (
        alt.Chart(drawn)
        .mark_line(strokeWidth=1.8)
        .encode(
            x=alt.X("period_start_date:T", title=None, axis=alt.Axis(format="%Y", tickCount=3, labelFontSize=10)),
            y=alt.Y("waarde:Q", title=None, axis=alt.Axis(format=",.3~r", tickCount=3, labelFontSize=10)),
            color=alt.Color("gebied:N", title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=names, range=[COMPARISON_COLOURS[kind] for kind in present])),
            strokeDash=alt.StrokeDash("gebied:N", legend=None,
                                      scale=alt.Scale(domain=names, range=dashes)),
            tooltip=[alt.Tooltip("indicator:N", title="Indicator"), alt.Tooltip("gebied:N", title="Gebied"),
                     alt.Tooltip("periode:N", title="Periode"), alt.Tooltip("waarde:Q", title="Waarde", format=",.1f")],
        )
        .properties(width=120, height=70)
        .facet(facet=alt.Facet("indicator:N", title=None, sort=order, header=alt.Header(labelFontSize=11)), columns=5)
        .resolve_scale(y="independent")
    )  # fmt: skip
    month = parse_period(chosen.periode, "maand")
    meta = charts.ChartMeta(
        title=f"{meta_area} naast de regio en Nederland",
        subtitle=f"{f'{domain_name}: alle' if domain_name else 'Alle'} indicatoren, jan 2019 – {month.label}; "
        "aantallen per 10.000 inwoners, of per 1.000 of 100.000 zoals de tegels",
        source=source,
        decimals=1,
        file_stem=export.file_stem("profiel", meta_area, domain_name or "", month.label),
        is_demo=is_demo,
        demo_parts=demo_parts,
    )
    description = (
        f"Kleine grafieken van {len(order)} indicatoren{f' ({domain_name})' if domain_name else ''} voor "
        f"{meta_area} (blauw), de regio Zuid-Holland-Zuid "
        "(donkergrijs gestreept) en Nederland (grijs gestippeld), elk met een eigen schaal."
    )
    return chart, meta, description


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """The small multiples' data as a Dutch table; a column 'Demodata' only when it holds demo figures."""
    result = pd.DataFrame({
        "Indicator": frame["indicator"],
        "Gebied": frame["gebied"],
        "Periode": frame["periode"],
        "Waarde": [fmt.number(value, 1) for value in frame["waarde"]],
    })  # fmt: skip
    if frame["is_demo"].any():
        result["Demodata"] = frame["is_demo"].map({True: "ja", False: ""}).to_numpy()
    return result


def figure(
    query: Query, chosen: Context, area_code: str, area_name: str, domain: str = ALL_DOMAINS
) -> charts.Figure | None:
    """The published small multiples of one municipality (all indicators or one domain's), with data and table;
    None when there is no figure to draw at all."""
    frame = comparison_frame(query, chosen, area_code, domain)
    if frame.empty:
        return None
    domain_name = None if domain == ALL_DOMAINS else domain_options(query).get(domain)
    catalog = query("indicator_catalog").set_index("indicator_id")
    source = charts.source_names(catalog.loc[list(dict.fromkeys(frame["indicator_id"])), "source"])
    is_demo = bool(frame["is_demo"].any())
    chart, meta, description = small_multiples(frame, area_name, chosen, is_demo, domain_name, source)
    exported = frame.drop(columns="is_demo")
    if frame["is_demo"].any():
        exported["demodata"] = frame["is_demo"].map({True: "ja", False: ""}).to_numpy()
    return charts.make_figure(chart, exported, meta, description, table(frame))


def key_tiles(query: Query, chosen: Context, area_code: str, count: int = 4) -> list[Tile]:
    """The handful of tiles a profile leads with: where the municipality deviates first, then the chosen
    indicator, then each domain's first tile, up to `count`."""
    board = tiles(query, chosen, area_code)
    by_id = {tile.indicator_id: tile for shown in board.tiles.values() for tile in shown}
    deviating = [signal.indicator_id for signal in area_signals(query, chosen, area_code=area_code, limit=count)]
    firsts = [shown[0].indicator_id for shown in board.tiles.values() if shown]
    wanted = [*deviating, chosen.indicator, *firsts]
    return [by_id[key] for key in dict.fromkeys(wanted) if key in by_id][:count]


def indicator_figure(query: Query, chosen: Context, area_code: str) -> tuple[charts.Figure | None, str]:
    """The chosen indicator over time for the municipality beside the region and Nederland (the alderman's one
    chart), in the indicator's default measure; or None with the reason."""
    measure = trends.default_measure(trends.measure_options(query, chosen.indicator))
    return trends.trend_figure(query, chosen, (area_code,), measure, "alles")
