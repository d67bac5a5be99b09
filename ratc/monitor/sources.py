"""Tables of the sources page: indicator definitions with freshness, and the import ledger."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ratc.core import fmt

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
            "Laatste periode t/m": [fmt.date_short(day) if day else "–" for day in last],
            "Ouderdom": [f"{fmt.number((today - day).days)} dagen" if day else "–" for day in last],
            "Id": catalog["indicator_id"],
        }
    )


def import_table(imports: pd.DataFrame) -> pd.DataFrame:
    """The import ledger with Dutch column names."""
    return pd.DataFrame(
        {
            "Import": imports["import_id"],
            "Bestand": imports["file_path"],
            "Bron": imports["source"],
            "Geïmporteerd op": imports["imported_at"],
            "Rijen geaccepteerd": [fmt.number(value) for value in imports["rows_accepted"]],
            "Waarnemingen in gebruik": [fmt.number(value) for value in imports["observations_used"]],
            "Demodata": imports["is_demo"].map({True: "ja", False: "nee"}),
            "Omschrijving": imports["description"],
            "Controlesom (SHA-256)": imports["checksum_sha256"],
        }
    )
