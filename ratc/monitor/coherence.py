"""Samenhang: how the municipalities changed on every indicator at once, and two indicators side by side.

The heatmap shows, per municipality and indicator, the latest change against the pre-crisis baseline. Its colour
is a "badness" score: the change signed by the indicator's polarity (+1 when higher is worse, −1 when higher is
better, 0 when neutral), so worse is always vermillion and better always blue, on a scale symmetric around 0 and
clipped at the 90th percentile of the municipalities' scores so that one outlier does not wash out the rest.
Indicators without a baseline (COVID-19 counts, Tozo) have no change to show; computed rates (per 1.000
inwoners) are left out because, with a fixed population, their change equals their count's.

The scatter puts two indicators across the ten municipalities: the change against the baseline in % by default,
or the level (per 10,000 inhabitants for counts, the rate itself for rates). An indicator without a baseline is
always shown as its level. The region is drawn as dashed reference lines.

This module asks the questions and words the answers; `coherence_charts` draws both charts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from ratc.core import charts, export, fmt, periods
from ratc.core.context import Context
from ratc.monitor.coherence_charts import heatmap_chart, scatter_chart
from ratc.monitor.overview import Query

SCATTER_MEASURES = {"verandering": "Verandering t.o.v. vóór de crisis", "niveau": "Niveau"}
POLARITY_SIGN = {"hoger_slechter": 1, "hoger_beter": -1, "neutraal": 0}
PARTNERS = {
    "bijstand_uitkeringen": "ww_uitkeringen",
    "bijstand_per_1000": "ww_per_1000",
    "ww_per_1000": "bijstand_per_1000",
}
DEFAULT_PARTNER = "bijstand_uitkeringen"
SOURCE_ALL = "RAT-C monitor (zie Bronnen & imports per indicator)"
DEMO_SUFFIX = " · demodata"
HEATMAP_COLUMNS = [
    "domein",
    "indicator_id",
    "indicator",
    "gebied_code",
    "gebied",
    "soort",
    "periode_code",
    "periode",
    "waarde",
    "basiswaarde",
    "verandering_pct",
    "polariteit",
    "slechter_score",
    "verandering_tekst",
]  # an indicator's label in a chart that shows demo and real indicators side by side


@dataclass(frozen=True)
class Figure:
    """A chart with its export-friendly data, metadata, one-sentence description and Dutch table."""

    frame: pd.DataFrame
    chart: alt.TopLevelMixin
    meta: charts.ChartMeta
    description: str
    table: pd.DataFrame


def indicator_labels(query: Query) -> dict[str, str]:
    """Every indicator id with its label 'Domein · Naam', in catalog order (as in the indicator picker)."""
    catalog = query("indicator_catalog")
    return dict(zip(catalog["indicator_id"], catalog["domain_name"] + " · " + catalog["name"], strict=True))


def partner(indicator_id: str) -> str:
    """A sensible second indicator for the scatter: bijstand beside WW, WW beside bijstand."""
    return PARTNERS.get(indicator_id, DEFAULT_PARTNER if indicator_id != DEFAULT_PARTNER else "ww_uitkeringen")


def heatmap(query: Query, chosen: Context, made_on: dt.date | None = None) -> Figure | None:
    """Every municipality (and the region) × every indicator with a baseline: the change, coloured by badness;
    None while no indicator has a change to show."""
    catalog = query("indicator_catalog")
    latest = query("latest_value_by_area", as_of_date=chosen.as_of_date)
    frame = heatmap_frame(latest, catalog, query("area_list"))
    if frame.empty:
        return None
    month = periods.parse_period(chosen.periode, "maand")
    demo = frame["demodata"].eq("ja") if "demodata" in frame else pd.Series(False, index=frame.index)
    demo_parts = () if demo.all() else tuple(dict.fromkeys(frame.loc[demo, "indicator"].str.removesuffix(DEMO_SUFFIX)))
    meta = charts.ChartMeta(
        title="Verandering per gemeente en indicator",
        subtitle=f"Laatste periode t/m {month.label} t.o.v. vóór de crisis · rood = ongunstig, blauw = gunstig",
        source=charts.source_names(catalog.set_index("indicator_id").loc[frame["indicator_id"].unique(), "source"])
        or SOURCE_ALL,
        file_stem=export.file_stem("samenhang", month.label),
        is_demo=bool(demo.any()),
        made_on=made_on,
        demo_parts=demo_parts,
    )
    return Figure(frame, heatmap_chart(frame), meta, describe_heatmap(frame), heatmap_table(frame))


def heatmap_frame(latest: pd.DataFrame, catalog: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """One row per area and indicator with a baseline: change in %, badness score and its Dutch text; with demo
    figures a column `demodata` ('ja'), and where real ones are beside them, the demo indicators' labels say so."""
    shown = catalog[catalog["has_baseline"] & (catalog["numerator_id"] == "")].drop(columns="is_demo", errors="ignore")
    rows = latest.merge(shown, on="indicator_id").merge(areas, on="area_code")
    rows = rows[rows["area_type"].isin(["gemeente", "regio"])]
    if rows.empty:  # nothing delivered yet: an empty result's columns are text, so no arithmetic on them
        return pd.DataFrame(columns=HEATMAP_COLUMNS)
    area_order = {code: number for number, code in enumerate(areas["area_code"])}
    indicator_order = {indicator: number for number, indicator in enumerate(shown["indicator_id"])}
    rows = rows.assign(
        area_rank=rows["area_code"].map(area_order), indicator_rank=rows["indicator_id"].map(indicator_order)
    ).sort_values(["indicator_rank", "area_rank"])
    change = [_percent_change(value, base) for value, base in zip(rows["value"], rows["baseline_value"], strict=True)]
    sign = rows["polarity"].map(POLARITY_SIGN)
    frame = pd.DataFrame(
        {
            "domein": rows["domain_name"],
            "indicator_id": rows["indicator_id"],
            "indicator": rows["short_name"],
            "gebied_code": rows["area_code"],
            "gebied": rows["area_name"],
            "soort": rows["area_type"],
            "periode_code": rows["period_key"],
            "periode": [
                periods.parse_period(key, frequency).label
                for key, frequency in zip(rows["period_key"], rows["frequency"], strict=True)
            ],
            "waarde": rows["value"].astype(float),
            "basiswaarde": rows["baseline_value"].astype(float),
            "verandering_pct": pd.Series(change, index=rows.index, dtype=float),
            "polariteit": rows["polarity"],
            "slechter_score": pd.Series(change, index=rows.index, dtype=float) * sign,
        }
    )
    frame["verandering_tekst"] = [_signed(value) for value in frame["verandering_pct"]]
    demo = rows["is_demo"].astype(bool).to_numpy()
    if demo.any():
        frame["demodata"] = np.where(demo, "ja", "")
        if not demo.all():
            frame["indicator"] = frame["indicator"].where(~demo, frame["indicator"] + DEMO_SUFFIX)
    numbers = ["waarde", "basiswaarde", "verandering_pct", "slechter_score"]
    return frame.reset_index(drop=True).astype({column: "str" for column in frame.columns if column not in numbers})


def describe_heatmap(frame: pd.DataFrame) -> str:
    """One sentence: where a municipality got most worse and most better."""
    scored = frame[(frame["soort"] == "gemeente") & frame["slechter_score"].notna()]
    if scored.empty:
        return "Er zijn geen veranderingen ten opzichte van vóór de crisis te tonen."
    worst = scored.loc[scored["slechter_score"].idxmax()]
    best = scored.loc[scored["slechter_score"].idxmin()]
    return (
        f"Het sterkst ongunstig veranderd: {worst['indicator']} in {worst['gebied']} ({worst['verandering_tekst']}, "
        f"{worst['periode']}); het sterkst gunstig: {best['indicator']} in {best['gebied']} "
        f"({best['verandering_tekst']}, {best['periode']}). Rood is ongunstig, blauw gunstig, grijs neutraal."
    )


def heatmap_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The heatmap as a Dutch table: a row per indicator, a column per area, the change as text."""
    wide = frame.pivot(index=["domein", "indicator"], columns="gebied", values="verandering_tekst")
    order = list(dict.fromkeys(zip(frame["domein"], frame["indicator"], strict=True)))
    wide = wide.reindex(order)[list(dict.fromkeys(frame["gebied"]))]
    return wide.rename_axis(columns=None).reset_index().rename(columns={"domein": "Domein", "indicator": "Indicator"})


def scatter(
    query: Query, chosen: Context, indicator_x: str, indicator_y: str, measure: str, made_on: dt.date | None = None
) -> Figure:
    """Two indicators across the ten municipalities, with the region as reference lines."""
    catalog = query("indicator_catalog").set_index("indicator_id")
    latest = query("latest_value_by_area", as_of_date=chosen.as_of_date)
    frame = scatter_frame(latest, catalog, query("area_list"), indicator_x, indicator_y, measure)
    x_row, y_row = catalog.loc[indicator_x], catalog.loc[indicator_y]
    x_kind, y_kind = axis_kind(x_row, measure), axis_kind(y_row, measure)
    month = periods.parse_period(chosen.periode, "maand")
    kinds = {x_kind, y_kind}
    what = "Verandering t.o.v. vóór de crisis" if kinds == {"verandering"} else "Niveau"
    if kinds == {"verandering", "niveau"}:
        what = "Verandering t.o.v. vóór de crisis en niveau"
    sources = [part.strip() for row in (x_row, y_row) for part in str(row["source"]).split(";")]
    if "niveau" in kinds and any(row["per_10k"] for row in (x_row, y_row)):
        sources.append("CBS (bevolking)")
    meta = charts.ChartMeta(
        title=f"{x_row['short_name']} en {_in_sentence(y_row['short_name'])} per gemeente",
        subtitle=f"{what}, laatste periode t/m {month.label} · de gestreepte lijnen zijn de regio Zuid-Holland-Zuid",
        source="; ".join(dict.fromkeys(sources)),
        file_stem=export.file_stem(f"{x_row['short_name']}-vs-{y_row['short_name']}", month.label),
        is_demo=bool(x_row["is_demo"] or y_row["is_demo"]),
        made_on=made_on,
    )
    chart = scatter_chart(frame, axis_title(x_row, x_kind), axis_title(y_row, y_kind), x_kind, y_kind, chosen.gemeente)
    description = describe_scatter(frame, x_row, y_row)
    return Figure(frame, chart, meta, description, scatter_table(frame, x_row, y_row, x_kind, y_kind))


def axis_kind(indicator: Mapping, measure: str) -> str:
    """What an axis shows: 'verandering' (in %) when asked and possible, else 'niveau'."""
    return "verandering" if measure == "verandering" and indicator["has_baseline"] else "niveau"


def axis_title(indicator: Mapping, kind: str) -> str:
    """The axis title: the indicator and its unit."""
    if kind == "verandering":
        return f"{indicator['short_name']}: verandering t.o.v. basis"
    if indicator["per_10k"]:
        return f"{indicator['short_name']} per 10.000 inwoners"
    return f"{indicator['short_name']} ({indicator['unit']})"


def scatter_frame(
    latest: pd.DataFrame,
    catalog: pd.DataFrame,
    areas: pd.DataFrame,
    indicator_x: str,
    indicator_y: str,
    measure: str,
) -> pd.DataFrame:
    """A row per municipality and the region: both indicators' latest value, baseline and the plotted x and y."""
    area = areas.set_index("area_code")
    frame = area.loc[area["area_type"].isin(["gemeente", "regio"]), ["area_name", "area_type"]]
    frame = frame.rename(columns={"area_name": "gebied", "area_type": "soort"}).rename_axis("gebied_code")
    for axis, indicator_id in (("x", indicator_x), ("y", indicator_y)):
        indicator = catalog.loc[indicator_id]
        rows = latest[latest["indicator_id"] == indicator_id].set_index("area_code")
        rows = rows.reindex(frame.index)
        value = rows["value"].astype(float)
        if axis_kind(indicator, measure) == "verandering":
            base = rows["baseline_value"].astype(float)
            shown = (value / base.where(base != 0) - 1) * 100  # no change on a baseline of zero (small counts)
        elif indicator["per_10k"]:
            shown = value / area.loc[frame.index, "population_2020"] * 10_000
        else:
            shown = value
        frame[f"{axis}_indicator"] = str(indicator["short_name"])
        frame[f"{axis}_periode"] = [
            periods.parse_period(key, indicator["frequency"]).label if isinstance(key, str) else "–"
            for key in rows["period_key"]
        ]
        frame[f"{axis}_waarde"] = value
        frame[f"{axis}_basiswaarde"] = rows["baseline_value"].astype(float)
        frame[axis] = shown.astype(float)
    text_columns = ["gebied_code", "gebied", "soort", "x_indicator", "x_periode", "y_indicator", "y_periode"]
    return frame.reset_index().astype({column: "str" for column in text_columns})


def describe_scatter(frame: pd.DataFrame, x_row: Mapping, y_row: Mapping) -> str:
    """One sentence on how strongly the two indicators go together across the municipalities (Pearson's r)."""
    points = frame[(frame["soort"] == "gemeente")].dropna(subset=["x", "y"])
    x_name, y_name = _in_sentence(x_row["short_name"]), _in_sentence(y_row["short_name"])
    if len(points) < 3 or points["x"].std() == 0 or points["y"].std() == 0:
        return f"Te weinig verschil tussen de gemeenten om iets te zeggen over de samenhang van {x_name} en {y_name}."
    r = float(np.corrcoef(points["x"], points["y"])[0, 1])
    strength = "nauwelijks" if abs(r) < 0.3 else "enigszins" if abs(r) < 0.6 else "duidelijk"
    direction = "" if abs(r) < 0.3 else (" in dezelfde richting" if r > 0 else " in tegengestelde richting")
    return (
        f"Over de {len(points)} gemeenten hangen {x_name} en {y_name} {strength}{direction} samen "
        f"(correlatie r = {fmt.number(r, 2)}); de gestreepte lijnen geven de regio aan."
    )


def scatter_table(frame: pd.DataFrame, x_row: Mapping, y_row: Mapping, x_kind: str, y_kind: str) -> pd.DataFrame:
    """The scatter's data as a Dutch table."""

    def text(value: float, kind: str) -> str:
        return _signed(value) if kind == "verandering" else fmt.number(value, 1)

    return pd.DataFrame(
        {
            "Gebied": frame["gebied"],
            f"{x_row['short_name']} ({x_kind})": [text(value, x_kind) for value in frame["x"]],
            "Periode x": frame["x_periode"],
            f"{y_row['short_name']} ({y_kind})": [text(value, y_kind) for value in frame["y"]],
            "Periode y": frame["y_periode"],
        }
    )


def _percent_change(value: float, base: float) -> float:
    """The change against the baseline in %, NaN when there is none."""
    change = fmt.relative_change(value, base)
    return math.nan if change is None else change * 100


def _signed(percent: float) -> str:
    """A change in % as Dutch text: '+23%', '-4%', '±0%', '–' when missing."""
    return fmt.signed_percent(None if pd.isna(percent) else percent / 100)


def _in_sentence(name: str) -> str:
    """A short name inside a sentence: 'Bijstandsuitkeringen' -> 'bijstandsuitkeringen', 'WW-uitkeringen' stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def heatmap_figure(query: Query, chosen: Context) -> charts.Figure | None:
    """The heatmap published once, for showing and exporting; None while no indicator has a change to show."""
    figure = heatmap(query, chosen)
    if figure is None:
        return None
    return charts.make_figure(figure.chart, figure.frame, figure.meta, figure.description, figure.table)


def scatter_empty_text(query: Query, indicator_x: str, indicator_y: str) -> str | None:
    """Why there is no scatter of these two indicators, or None: one has no figures yet, or one is demo data and the
    other real (a point would pair a made-up value with an observed one)."""
    catalog = query("indicator_catalog").set_index("indicator_id")
    rows = [catalog.loc[indicator] for indicator in (indicator_x, indicator_y)]
    never = [str(row["name"]) for row in rows if pd.isna(row["last_period_date"])]
    if never:
        return f"Nog geen cijfers aangeleverd voor {fmt.listing(list(dict.fromkeys(never)))}."
    if bool(rows[0]["is_demo"]) != bool(rows[1]["is_demo"]):
        demo, real = (rows[0], rows[1]) if rows[0]["is_demo"] else (rows[1], rows[0])
        return (
            f"De cijfers van {_in_sentence(str(demo['short_name']))} zijn demodata, die van "
            f"{_in_sentence(str(real['short_name']))} echt: die worden niet tegen elkaar uitgezet. Kies twee "
            "indicatoren met echte cijfers."
        )
    return None


def scatter_figure(
    query: Query, chosen: Context, indicator_x: str, indicator_y: str, measure: str
) -> charts.Figure | None:
    """The scatter published once, for showing and exporting; None when `scatter_empty_text` says why not."""
    if scatter_empty_text(query, indicator_x, indicator_y):
        return None
    figure = scatter(query, chosen, indicator_x, indicator_y, measure)
    return charts.make_figure(figure.chart, figure.frame, figure.meta, figure.description, figure.table)
