"""Tables of the sources page: indicator definitions with freshness, the import ledger, and the data steward's
aanleverstatus: per indicator and municipality real (up to which period, from which import), demo or missing,
and what is late for its frequency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from ratc.core import export, fmt, periods

Query = Callable[..., pd.DataFrame]

FREQUENCY_NL = {"week": "per week", "maand": "per maand", "kwartaal": "per kwartaal", "jaar": "per jaar"}
POLARITY_NL = {"hoger_slechter": "stijging is ongunstig", "hoger_beter": "stijging is gunstig", "neutraal": "neutraal"}


def indicator_table(catalog: pd.DataFrame, today: dt.date | None = None) -> pd.DataFrame:
    """Every indicator with its definition, source, frequency and freshness, in Dutch."""
    today = today or dt.date.today()
    last = [value.date() if pd.notna(value) else None for value in catalog["last_period_date"]]
    return pd.DataFrame(
        {
            "Domein": catalog["domain_name"],
            "Indicator": catalog["name"],
            "Definitie": catalog["definition"],
            "Bron": catalog["source"],
            "Frequentie": catalog["frequency"].map(FREQUENCY_NL),
            "Eenheid": catalog["unit"],
            "Richting": catalog["polarity"].map(POLARITY_NL),
            "Berekend of aangeleverd": ["aangeleverd" if count else "berekend" for count in catalog["is_count"]],
            "Cijfers": [
                "nog geen" if day is None else "demodata" if demo else "echt"
                for day, demo in zip(last, catalog.get("is_demo", pd.Series(False, index=catalog.index)), strict=True)
            ],
            "Laatste periode t/m": [fmt.date_short(day) if day else "–" for day in last],
            "Ouderdom": [f"{fmt.number((today - day).days)} dagen" if day else "–" for day in last],
            "Id": catalog["indicator_id"],
        }
    )


def import_table(imports: pd.DataFrame) -> pd.DataFrame:
    """The import ledger with Dutch column names; a column 'Demodata' only while a demo import is in it."""
    table = pd.DataFrame(
        {
            "Import": imports["import_id"],
            "Bestand": imports["file_path"],
            "Bron": imports["source"],
            "Geïmporteerd op": [fmt.moment(pd.Timestamp(value)) for value in imports["imported_at"]],
            "Rijen geaccepteerd": [fmt.number(value) for value in imports["rows_accepted"]],
            "Waarnemingen in gebruik": [fmt.number(value) for value in imports["observations_used"]],
            "Demodata": imports["is_demo"].map({True: "ja", False: "nee"}),
            "Omschrijving": imports["description"],
            "Controlesom (SHA-256)": imports["checksum_sha256"],
        }
    )
    return table if imports["is_demo"].any() else table.drop(columns="Demodata")


# A period's figures are due this long after it ended: a week's the week after, a month's within the next month,
# a quarter's within two months, the population of 1 January (CBS) by the middle of the year. An assumption of the
# monitor, said on the page, not an agreement with the suppliers.
DUE_AFTER_DAYS = {"week": 7, "maand": 31, "kwartaal": 62, "jaar": 183}
STATUS_WORDS = {"echt": "echt", "te_laat": "te laat", "demo": "demodata", "ontbreekt": "ontbreekt"}


def expected_period(frequency: str, today: dt.date) -> periods.Period:
    """The latest period of this frequency whose figures are due by `today` (a year's figure is the population
    on its 1 January, so a year is due half a year after it began)."""
    due_by = today - dt.timedelta(days=DUE_AFTER_DAYS[frequency])
    period = periods.period_containing(due_by, frequency)
    if frequency == "jaar" or period.end <= due_by:
        return period
    return periods.period_containing(period.start - dt.timedelta(days=1), frequency)


def delivery_cells(query: Query, today: dt.date | None = None) -> pd.DataFrame:
    """Every deliverable indicator × municipality: its status (echt, te_laat, demo, ontbreekt), the last period
    delivered and its label, the import that supplied it, and the period due by `today`. One row per cell."""
    today = today or dt.date.today()
    indicators = pd.concat(
        [query("indicator_catalog")[["indicator_id", "name", "frequency", "is_count"]],
         query("reference_series")[["indicator_id", "name", "frequency", "is_count"]]], ignore_index=True,
    )  # fmt: skip
    indicators = indicators[indicators["is_count"].astype(bool)].drop(columns="is_count")
    areas = query("area_list")
    municipalities = areas.loc[areas["area_type"] == "gemeente", ["area_code", "area_name"]]
    grid = indicators.merge(municipalities, how="cross")
    cells = grid.merge(query("deliveries_by_indicator_and_area"), on=["indicator_id", "area_code"], how="left")
    due = {frequency: expected_period(frequency, today) for frequency in indicators["frequency"].unique()}
    cells["due_period_label"] = cells["frequency"].map({key: period.label for key, period in due.items()})
    due_key = cells["frequency"].map({key: period.key for key, period in due.items()})
    delivered = cells["last_period_key"].notna()
    demo = cells["is_demo"].astype("boolean").fillna(False).astype(bool)
    # keys of one frequency sort as their periods do (2020-W09 < 2020-W10, 2020-Q2 < 2020-Q3)
    late = delivered & ~demo & (cells["last_period_key"].fillna("") < due_key)
    cells["status"] = np.select([~delivered, demo, late], ["ontbreekt", "demo", "te_laat"], "echt")
    # labels per distinct period, not per cell: a national monitor has 355 × 100 of them
    pairs = cells.loc[delivered, ["frequency", "last_period_key"]].drop_duplicates()
    pairs["last_period_label"] = [
        periods.parse_period(key, frequency).label
        for frequency, key in zip(pairs["frequency"], pairs["last_period_key"], strict=True)
    ]
    cells = cells.merge(pairs, on=["frequency", "last_period_key"], how="left")
    return cells


def delivery_matrix(query: Query, today: dt.date | None = None) -> pd.DataFrame:
    """Aanleverstatus for the data steward: a row per deliverable indicator, a column per municipality saying
    'echt t/m aug 2020 (import 7)', 'te laat: t/m jun 2020 (import 7)', 'demodata' or 'ontbreekt', after the
    indicator's frequency, the period due by `today` and a count of what is missing or late."""
    cells = delivery_cells(query, today)
    label = cells["last_period_label"].astype("string").fillna("")
    number = cells["import_id"].astype("Int64").astype("string").fillna("")
    since = "t/m " + label + " (import " + number + ")"
    cells["text"] = np.select(
        [cells["status"] == "echt", cells["status"] == "te_laat", cells["status"] == "demo"],
        ["echt " + since, "te laat: " + since, "demodata"],
        "ontbreekt",
    )
    order = list(cells["name"].unique())
    wide = cells.pivot(index="name", columns="area_name", values="text").reindex(order)
    wide = wide[list(cells["area_name"].unique())]
    per_row = cells.groupby("name", sort=False)["status"].value_counts().unstack(fill_value=0).reindex(order)
    first = cells.drop_duplicates("name").set_index("name").reindex(order)
    summary = pd.DataFrame(
        {
            "Indicator": order,
            "Frequentie": first["frequency"].map(FREQUENCY_NL).to_numpy(),
            "Verwacht t/m": first["due_period_label"].to_numpy(),
            "Ontbreekt": [_count(per_row, "ontbreekt", name) for name in order],
            "Te laat": [_count(per_row, "te_laat", name) for name in order],
        }
    )
    if (cells["status"] == "demo").any():  # the word only where demo figures are
        summary["Demodata"] = [_count(per_row, "demo", name) for name in order]
    return pd.concat([summary, wide.reset_index(drop=True).rename_axis(columns=None)], axis=1)


def delivery_legend(has_demo: bool, today: dt.date) -> str:
    """What the matrix's words mean and when a period counts as late ('demodata' only while there is demo)."""
    demo = " **demodata** (zolang er van een indicator nog geen echte cijfers zijn)," if has_demo else ""
    return (
        f"Per indicator en gemeente: **echt** tot en met welke periode en uit welke import,{demo} of **ontbreekt**. "
        f"**Te laat**: de laatste periode is ouder dan wat op {fmt.date_long(today)} verwacht mag worden: een week "
        "een week na afloop, een maand binnen de maand erna, een kwartaal binnen twee maanden, de bevolking op "
        "1 januari halverwege dat jaar."
    )


def delivery_stem(today: dt.date | None = None) -> str:
    """'aanleverstatus_2026-12-01': the CSV download's file name without extension."""
    return export.file_stem("aanleverstatus", (today or dt.date.today()).isoformat())


def _count(per_row: pd.DataFrame, status: str, name: str) -> int:
    """How many municipalities of one indicator have this status."""
    return int(per_row.at[name, status]) if status in per_row.columns else 0
