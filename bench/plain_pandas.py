"""The plain-pandas baseline: what a simple implementation computes for a page, measured beside the app.

`load` reads the CSVs (areas, indicators, domains, imports and every observation file in the import ledger) and
derives in pandas what the warehouse build derives in SQL: region sums, rates, period dates, baselines and
previous values. A simple Streamlit app would do that once and keep the frames in memory. Per rerun it then
computes the page's data from them with pandas, uncached — the functions in PAGE_DATA, one per page. They compute
the numbers a page shows (tables, series, ranks, signals), not its charts or text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import common  # noqa: F401 (puts the repo root on sys.path)
import numpy as np
import pandas as pd

from ratc.core.context import Context
from ratc.monitor import signal_statistics, signals
from ratc.warehouse import baseline

Widget = Callable[[str], object]


def period_dates(keys: pd.Series, frequency: str) -> pd.DataFrame:
    """Start, end, year and number of period keys (2020-W14, 2020-04, 2020-Q2), vectorised."""
    year = keys.str.slice(0, 4).astype(int)
    if frequency == "week":
        start = pd.to_datetime(keys + "-1", format="%G-W%V-%u")
        number = keys.str.slice(6, 8).astype(int)
        end = start + pd.Timedelta(days=6)
    elif frequency == "maand":
        start = pd.to_datetime(keys, format="%Y-%m")
        number = start.dt.month
        end = start + pd.offsets.MonthEnd(0)
    else:
        number = keys.str.slice(6, 7).astype(int)
        start = pd.to_datetime(pd.DataFrame({"year": year, "month": 3 * number - 2, "day": 1}))
        end = start + pd.offsets.QuarterEnd(0)
    return pd.DataFrame(
        {
            "period_key": keys,
            "period_start_date": start,
            "period_end_date": end,
            "period_year": year,
            "period_number": number,
        }
    )


def read(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Read the metadata and every observation file listed in the import ledger (today: demo/observations.csv)."""
    areas = pd.read_csv(data_dir / "areas.csv", dtype={"area_code": str})
    domains = pd.read_csv(data_dir / "domains.csv")
    indicators = pd.read_csv(data_dir / "indicators.csv", dtype=str, keep_default_na=False)
    imports = pd.read_csv(data_dir / "imports.csv", dtype={"is_demo": str})
    observations = pd.concat(
        [
            pd.read_csv(
                data_dir / file_path,
                dtype={"area_code": str, "indicator_id": str, "period": str, "value": "float64"},
            ).assign(import_id=import_id)
            for import_id, file_path in zip(imports["import_id"], imports["file_path"], strict=True)
        ],
        ignore_index=True,
    ).rename(columns={"period": "period_key"})
    return {
        "areas": areas,
        "domains": domains,
        "indicators": indicators,
        "imports": imports,
        "observations": observations,
    }


def derive(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Region sums, rates, period dates, baselines and previous values: the warehouse's work, in pandas."""
    areas, indicators, imports = raw["areas"], raw["indicators"].copy(), raw["imports"].copy()
    for column in indicators.columns:  # is_count, is_stock, per_10k, is_seasonal, has_baseline, ...
        if indicators[column].isin(["true", "false"]).all():
            indicators[column] = indicators[column].eq("true")
    indicators["scale"] = pd.to_numeric(indicators["scale"])
    indicators["decimals"] = indicators["decimals"].astype(int)
    imports["is_demo"] = imports["is_demo"].str.lower().eq("true")
    area_type = areas.set_index("area_code")["area_type"]
    population = areas.set_index("area_code")["population_2020"]
    municipalities = areas.loc[areas["area_type"] == "gemeente", "area_code"]
    region_code = areas.loc[areas["area_type"] == "regio", "area_code"].iloc[0]
    count_ids = set(indicators.loc[indicators["is_count"], "indicator_id"])
    delivered_ids = set(indicators.loc[indicators["is_count"] | indicators["numerator_id"].eq(""), "indicator_id"])

    # delivered counts and rates; the newest import wins
    obs = raw["observations"]
    obs = obs[obs["area_code"].map(area_type).isin(["gemeente", "land"]) & obs["indicator_id"].isin(delivered_ids)]
    obs = obs.sort_values("import_id").drop_duplicates(["indicator_id", "area_code", "period_key"], keep="last")
    obs = obs.assign(derivation="aangeleverd")

    # the region as the sum of all its municipalities (only where every municipality delivered)
    sums = (
        obs[obs["area_code"].isin(municipalities) & obs["indicator_id"].isin(count_ids)]
        .groupby(["indicator_id", "period_key"], as_index=False)
        .agg(value=("value", "sum"), import_id=("import_id", "max"), n=("value", "size"))
    )
    sums = (
        sums[sums["n"] == len(municipalities)]
        .drop(columns="n")
        .assign(area_code=region_code, derivation="som van de gemeenten")
    )
    counts = pd.concat([obs, sums], ignore_index=True)

    # rates from a numerator and the population (or another indicator)
    rate_defs = indicators.loc[
        ~indicators["is_count"] & indicators["numerator_id"].ne(""),
        ["indicator_id", "numerator_id", "denominator", "scale"],
    ]
    numerators = counts.drop(columns="derivation").merge(
        rate_defs.rename(columns={"indicator_id": "rate_id"}), left_on="indicator_id", right_on="numerator_id"
    )
    denominators = counts[["indicator_id", "area_code", "period_key", "value", "import_id"]].rename(
        columns={"indicator_id": "denominator", "value": "den_value", "import_id": "den_import_id"}
    )
    numerators = numerators.merge(denominators, on=["denominator", "area_code", "period_key"], how="left")
    numerators = numerators[numerators["denominator"].eq("population") | (numerators["den_value"] > 0)]
    rates = pd.DataFrame(
        {
            "indicator_id": numerators["rate_id"],
            "area_code": numerators["area_code"],
            "period_key": numerators["period_key"],
            "value": numerators["value"]
            / numerators["den_value"].fillna(numerators["area_code"].map(population))
            * numerators["scale"],
            "import_id": numerators[["import_id", "den_import_id"]].max(axis=1).astype("int64"),
            "derivation": "berekend",
        }
    )
    every = pd.concat([counts, rates], ignore_index=True)

    # period dates
    ind = indicators.set_index("indicator_id")
    every["frequency"] = every["indicator_id"].map(ind["frequency"])
    keys = every[["frequency", "period_key"]].drop_duplicates()
    periods = pd.concat(
        [
            period_dates(group["period_key"].reset_index(drop=True), frequency).assign(frequency=frequency)
            for frequency, group in keys.groupby("frequency")
        ],
        ignore_index=True,
    )
    every = every.merge(periods, on=["frequency", "period_key"])
    every = every.sort_values(["indicator_id", "area_code", "period_start_date"], ignore_index=True)
    every["is_seasonal"] = every["indicator_id"].map(ind["is_seasonal"])
    every["has_baseline"] = every["indicator_id"].map(ind["has_baseline"])

    # baselines: the mean over the fixed window, or the same period of 2019 for seasonal indicators
    window_first = every["frequency"].map({f: pd.Timestamp(w[0]) for f, w in baseline.BASELINE_WINDOWS.items()})
    window_last = every["frequency"].map({f: pd.Timestamp(w[1]) for f, w in baseline.BASELINE_WINDOWS.items()})
    in_window = ~every["is_seasonal"] & every["period_start_date"].between(window_first, window_last)
    fixed = every[in_window].groupby(["indicator_id", "area_code"], as_index=False)["value"].mean()
    fixed = fixed.rename(columns={"value": "fixed_baseline"})
    same_2019 = every.loc[
        every["is_seasonal"] & every["period_year"].eq(2019), ["indicator_id", "area_code", "period_number", "value"]
    ].rename(columns={"value": "seasonal_baseline"})
    every = every.merge(fixed, on=["indicator_id", "area_code"], how="left")
    every = every.merge(same_2019, on=["indicator_id", "area_code", "period_number"], how="left")
    every["baseline_value"] = (
        every["seasonal_baseline"].where(every["is_seasonal"], every["fixed_baseline"]).where(every["has_baseline"])
    )
    every["previous_value"] = every.groupby(["indicator_id", "area_code"])["value"].shift(1)
    every = every.sort_values(["indicator_id", "area_code", "period_start_date"], ignore_index=True)

    domains = raw["domains"].rename(columns={"sort_order": "domain_order"})
    # the monitor's domains (not the reference series), by domain and then in the file's order
    catalog = indicators.assign(file_order=range(len(indicators))).merge(domains, on="domain_id")
    catalog = catalog[~catalog["is_reference"].astype(str).str.lower().eq("true")]
    catalog = catalog.sort_values(["domain_order", "file_order"], ignore_index=True).drop(columns="file_order")
    type_order = areas["area_type"].map({"gemeente": 1, "regio": 2}).fillna(3)
    area_list = (
        areas.assign(_order=type_order)
        .sort_values(["_order", "area_name"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    used = every[every["derivation"].eq("aangeleverd")].groupby("import_id").size()
    lineage = imports.assign(observations_used=imports["import_id"].map(used).fillna(0).astype(int))
    tested_ids = indicators.loc[indicators["is_count"] & indicators["has_baseline"], "indicator_id"]
    return {
        "pre_crisis": pre_crisis_sums(every[every["indicator_id"].isin(tested_ids)], area_type, region_code),
        "tested_ids": set(tested_ids),
        "observations": every,
        "catalog": catalog,
        "areas": area_list,
        "imports": lineage,
        "region_code": region_code,
        "area_type": area_type,
    }


def pre_crisis_sums(every: pd.DataFrame, area_type: pd.Series, region_code: str) -> pd.DataFrame:
    """Per indicator and municipality, the sums over the pre-crisis periods with a region total that the signals'
    test needs (the query pre_crisis_sums_by_area)."""
    rows = every[every["period_end_date"] < pd.Timestamp(signal_statistics.CRISIS_START)]
    region = rows.loc[rows["area_code"] == region_code, ["indicator_id", "period_key", "value"]]
    municipal = rows.loc[rows["area_code"].map(area_type).eq("gemeente"), ["indicator_id", "area_code", "period_key",
                                                                            "value"]]  # fmt: skip
    municipal = municipal.merge(region.rename(columns={"value": "region"}), on=["indicator_id", "period_key"])
    municipal = municipal.merge(rows[["indicator_id", "area_code", "period_key", "period_start_date",
                                      "period_end_date"]], on=["indicator_id", "area_code", "period_key"])  # fmt: skip
    municipal = municipal.sort_values(["indicator_id", "area_code", "period_start_date"], ignore_index=True)
    value, total = municipal["value"], municipal["region"]
    # pairs of consecutive periods: the period before must end the day before this one starts
    earlier = municipal.groupby(["indicator_id", "area_code"])[["value", "region", "period_end_date"]].shift(1)
    pair = (earlier["period_end_date"] + pd.Timedelta(days=1)).eq(municipal["period_start_date"])
    lag_value, lag_region = earlier["value"].where(pair, 0.0), earlier["region"].where(pair, 0.0)
    municipal = municipal.assign(value_sq=value * value, value_region=value * total, region_sq=total * total,
                                 region_cube=total**3, region_sq_value=total * total * value, pair=pair.astype(int),
                                 value_lag_value=value * lag_value, value_lag_region=value * lag_region,
                                 region_lag_value=total * lag_value, region_lag_region=total * lag_region)  # fmt: skip
    return municipal.groupby(["indicator_id", "area_code"], as_index=False).agg(
        period_count=("value", "size"),
        value_sum=("value", "sum"),
        region_sum=("region", "sum"),
        value_sq_sum=("value_sq", "sum"),
        value_region_sum=("value_region", "sum"),
        region_sq_sum=("region_sq", "sum"),
        region_cube_sum=("region_cube", "sum"),
        region_sq_value_sum=("region_sq_value", "sum"),
        pair_count=("pair", "sum"),
        value_lag_value_sum=("value_lag_value", "sum"),
        value_lag_region_sum=("value_lag_region", "sum"),
        region_lag_value_sum=("region_lag_value", "sum"),
        region_lag_region_sum=("region_lag_region", "sum"),
    )


def query_function(derived: dict) -> Callable:
    """Answer the named queries the overview asks from the derived frames (no caching)."""
    every, area_type = derived["observations"], derived["area_type"]

    def latest(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        # `every` is sorted by indicator, area and start date, so the last row per key is the latest
        return frame.drop_duplicates(keys, keep="last").reset_index(drop=True)

    def query(name: str, **params: object) -> pd.DataFrame:
        if name == "indicator_catalog":
            return derived["catalog"]
        if name == "area_list":
            return derived["areas"]
        if name == "import_lineage":
            return derived["imports"]
        if name == "pre_crisis_sums_by_area":
            return derived["pre_crisis"]
        as_of = pd.Timestamp(params["as_of_date"])
        ended = every[every["period_end_date"] <= as_of]
        if name == "latest_value_by_indicator":
            return latest(ended[ended["area_code"] == params["area_code"]], ["indicator_id"])
        if name == "observations_by_area":
            return ended[
                (ended["area_code"] == params["area_code"])
                & (ended["period_start_date"] >= pd.Timestamp(params["from_date"]))
            ].reset_index(drop=True)
        if name == "latest_value_by_area":
            return latest(
                ended[ended["area_code"].map(area_type).isin(["gemeente", "regio"])], ["indicator_id", "area_code"]
            )
        if name == "recent_window_by_area":
            return recent_window(derived, as_of)
        raise KeyError(name)

    return query


def load(data_dir: Path) -> dict:
    """Read the CSVs and derive every observation, as a plain implementation keeps them in memory."""
    return derive(read(data_dir))


def ended(derived: dict, chosen: Context) -> pd.DataFrame:
    """Every observation that ended by the end of the chosen month."""
    every = derived["observations"]
    return every[every["period_end_date"] <= pd.Timestamp(chosen.as_of_date)]


def latest_by_area(derived: dict, chosen: Context) -> pd.DataFrame:
    """The latest observation per indicator and municipality or region, with population, per 10,000 and change."""
    rows = ended(derived, chosen)
    area_type = derived["area_type"]
    rows = rows[rows["area_code"].isin(area_type.index[area_type.isin(["gemeente", "regio"])])]
    rows = rows.drop_duplicates(["indicator_id", "area_code"], keep="last")
    population = rows["area_code"].map(derived["areas"].set_index("area_code")["population_2020"])
    return rows.assign(
        per_10k=rows["value"] / population * 10_000,
        change=(rows["value"] - rows["baseline_value"]) / rows["baseline_value"].replace(0, np.nan),
    )


def ranked(latest: pd.DataFrame, derived: dict) -> pd.DataFrame:
    """The municipalities' rows with their rank per indicator (per 10,000 where the indicator says so)."""
    catalog = derived["catalog"].set_index("indicator_id")
    area_type = derived["area_type"]
    rows = latest[latest["area_code"].isin(area_type.index[area_type.eq("gemeente")])]
    measure = rows["value"].where(~rows["indicator_id"].map(catalog["per_10k"]).fillna(False).astype(bool),
                                  rows["per_10k"])  # fmt: skip
    return rows.assign(rank=measure.groupby(rows["indicator_id"]).rank(ascending=False, method="min"))


def recent_window(derived: dict, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per tested count and municipality or region, the latest observation and the sums over the signals' window (the
    query recent_window_by_area)."""
    every, area_type = derived["observations"], derived["area_type"]
    rows = every[(every["period_end_date"] <= as_of) & every["indicator_id"].isin(derived["tested_ids"])
                 & every["area_code"].map(area_type).isin(["gemeente", "regio"])]  # fmt: skip
    back = rows.groupby(["indicator_id", "area_code"]).cumcount(ascending=False)  # rows are sorted by start date
    rows = rows[back.to_numpy() < rows["frequency"].map(signal_statistics.WINDOW_PERIODS).to_numpy()]
    sums = (
        rows.assign(value_sq=rows["value"] ** 2)
        .groupby(["indicator_id", "area_code"], as_index=False)
        .agg(
            window_start_date=("period_start_date", "min"),
            window_periods=("value", "size"),
            window_sum=("value", "sum"),
            window_sq_sum=("value_sq", "sum"),
        )
    )
    last = rows.drop_duplicates(["indicator_id", "area_code"], keep="last")
    return last[["indicator_id", "area_code", "period_key", "value", "baseline_value"]].merge(
        sums, on=["indicator_id", "area_code"]
    )


def signal_rows(chosen: Context, derived: dict, area_code: str | None = None, limit: int = 8) -> pd.DataFrame:
    """The signals of the region's page (one per indicator) or of one municipality's: ratc's test on these frames."""
    latest = recent_window(derived, pd.Timestamp(chosen.as_of_date))
    cells = signals.tested_cells(latest, derived["pre_crisis"], derived["catalog"], derived["region_code"], area_code)
    return signals.shown_signals(cells, area_code, limit=limit, per_indicator=1)


def series(derived: dict, chosen: Context, area_codes: list[str], indicator_id: str | None = None) -> pd.DataFrame:
    """Observations from January 2019 of these areas (one indicator, or all), as sparklines and trends need."""
    rows = ended(derived, chosen)
    rows = rows[rows["area_code"].isin(area_codes) & (rows["period_start_date"] >= pd.Timestamp(2019, 1, 1))]
    return rows if indicator_id is None else rows[rows["indicator_id"] == indicator_id]


def overview(derived: dict, chosen: Context, widget: Widget) -> tuple:
    """Regio-overzicht: the region's tiles with sparklines, the signals and the table of one indicator."""
    latest = latest_by_area(derived, chosen)
    region = latest[latest["area_code"] == derived["region_code"]]
    sparklines = series(derived, chosen, [derived["region_code"]]).groupby("indicator_id")["value"].agg(list)
    table = ranked(latest, derived)
    table = table[table["indicator_id"] == chosen.indicator].sort_values("rank")
    return region, sparklines, signal_rows(chosen, derived), table


def municipality(derived: dict, chosen: Context, widget: Widget) -> tuple:
    """Mijn gemeente: its tiles beside the region's, its ranks and signals, every series beside region and NL."""
    latest = latest_by_area(derived, chosen)
    mine = latest[latest["area_code"] == chosen.gemeente]
    ranks = ranked(latest, derived)
    ranks = ranks[ranks["area_code"] == chosen.gemeente]
    comparison = series(derived, chosen, [chosen.gemeente, derived["region_code"], "NL"])
    return mine, ranks, signal_rows(chosen, derived, chosen.gemeente, limit=12), comparison


def kaart(derived: dict, chosen: Context, widget: Widget) -> pd.DataFrame:
    """Kaart: per municipality the chosen measure of one indicator, its rank and one of five classes."""
    latest = latest_by_area(derived, chosen)
    rows = latest[(latest["indicator_id"] == chosen.indicator) & latest["area_code"].str.startswith("GM")]
    shown = rows[{"waarde": "value", "per_10k": "per_10k", "verandering": "change"}[widget("kaart_maat")]]
    return rows.assign(shown=shown, rank=shown.rank(ascending=False, method="min"), klasse=pd.cut(shown, 5))


def trends(derived: dict, chosen: Context, widget: Widget) -> pd.DataFrame:
    """Trends: one indicator for the chosen municipalities, the region and the Netherlands, in the chosen measure."""
    chosen_codes = widget(f"trends_gemeenten_{chosen.gemeente or 'regio'}") or []
    rows = series(derived, chosen, [*chosen_codes, derived["region_code"], "NL"], chosen.indicator)
    population = rows["area_code"].map(derived["areas"].set_index("area_code")["population_2020"])
    measure = widget("trends_maat")
    values = {"index": rows["value"] / rows["baseline_value"] * 100, "per_10k": rows["value"] / population * 10_000}
    return rows.assign(waarde=values.get(measure, rows["value"])).sort_values(["area_code", "period_start_date"])


def coherence(derived: dict, chosen: Context, widget: Widget) -> tuple:
    """Samenhang: every area's change on every indicator with a baseline, and two indicators side by side."""
    latest = latest_by_area(derived, chosen)
    catalog = derived["catalog"]
    shown = catalog.loc[catalog["has_baseline"] & catalog["numerator_id"].eq(""), "indicator_id"]
    heatmap = latest[latest["indicator_id"].isin(shown)].pivot(index="indicator_id", columns="area_code",
                                                                values="change")  # fmt: skip
    column = "change" if widget("samenhang_maat") == "verandering" else "per_10k"
    pair = [chosen.indicator, widget("samenhang_y")]
    scatter = latest[latest["indicator_id"].isin(pair)].pivot(index="area_code", columns="indicator_id", values=column)
    return heatmap, scatter


def sources(derived: dict, chosen: Context, widget: Widget) -> tuple:
    """Bronnen & imports: each indicator's coverage and each import's observations used."""
    every = derived["observations"]
    coverage = every.groupby("indicator_id").agg(
        first_period_date=("period_start_date", "min"),
        last_period_date=("period_end_date", "max"),
        areas_covered=("area_code", "nunique"),
    )
    used = every[every["derivation"] == "aangeleverd"].groupby("import_id").size()
    return derived["catalog"].merge(coverage, left_on="indicator_id", right_index=True, how="left"), used


# The page data of each page file; a page without an entry has no baseline (its ratio column shows '–').
PAGE_DATA: dict[str, Callable[[dict, Context, Widget], object]] = {
    "pages/overview.py": overview,
    "pages/municipality.py": municipality,
    "pages/map.py": kaart,
    "pages/trend_lines.py": trends,
    "pages/coherence.py": coherence,
    "pages/sources.py": sources,
}
