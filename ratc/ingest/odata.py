"""CBS tables through OData: rows from `cbsodata`, raw v3 and v4 responses, and tables written out as CSV.

An OData row carries per dimension either the code (`RegioS` "GM0505    ", padded in v3; `Perioden` "2020MM04")
or, because `cbsodata.get_data` replaces codes by titles, the title ("Dordrecht", "2020 april"); both are read.
A v3 `TypedDataSet` has a column per topic (`UitgesprokenFaillissementen_1`); a v4 `Observations` set has one row
per topic with `Measure` and `Value`. A table read with cbsodata and written by pandas (an unnamed index column,
counts as `53.0`) is read as the same rows. `TABLES` says per table which columns hold the region, period and
value, which other dimensions to filter on, and which indicator it delivers.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from ratc.core import metadata, paths
from ratc.ingest import areas, cbs
from ratc.ingest.checking import FIRST_YEAR

# One entry per CBS table. `filters`: dimension column -> accepted values (the code and the title, since
# cbsodata.get_data returns titles). `indicator` None: downloadable, but not (yet) mapped onto an indicator.
# `areas`: the area type the table is published for ("gemeente"; 82522NED exists per province only); `region`
# None: a national table without a region dimension, read for Nederland. Periods before the monitor's first year
# are left out with a note: a public table reaches further back than the monitor looks.
TABLES: dict[str, dict] = {
    "82522NED": {
        "title": "Faillissementen; bedrijven en instellingen, regio",
        "indicator": "faillissementen",
        "region": "RegioS",
        "period": "Perioden",
        "value": "UitgesprokenFaillissementen_1",
        "areas": "provincie",
        # our definition counts businesses and institutions including sole proprietorships
        "filters": {"TypeGefailleerde": ("A047596", "Bedrijven, instellingen en eenmanszaken")},
    },
    "82015NED": {
        "title": "Bijstandsuitkeringen; uitkeringsgrondslag, regio's",
        "indicator": "bijstand_uitkeringen",
        "region": "RegioS",
        "period": "Perioden",
        "value": "Bijstandsuitkeringen_1",  # not verified against the table's DataProperties
        "areas": "gemeente",
        "filters": {},
    },
    "84897NED": {
        "title": "Uitkeringsontvangers per wijk en buurt, 2020",
        "indicator": None,  # one year per neighbourhood: no monthly or quarterly indicator of ours fits
        "region": "WijkenEnBuurten",
        "period": None,
        "value": None,
        "areas": "gemeente",
        "filters": {},
    },
}
# The entity set that holds a table's figures, per OData version.
FIGURES = {3: ("TypedDataSet", "UntypedDataSet"), 4: ("Observations",)}
_V3_URL = re.compile(r"/OData(?:Feed)?/(?P<table>\w+)/\$metadata(?:#(?:Cbs\.OData\.WebAPI\.)?(?P<entity>\w+))?", re.I)
_V4_URL = re.compile(r"/CBS/(?P<table>\w+)/\$metadata(?:#(?P<entity>\w+))?", re.I)


def known_tables() -> str:
    """The tables the monitor reads, for messages: '82522NED (Faillissementen; …), …'."""
    return ", ".join(f"{table} ({spec['title']})" for table, spec in TABLES.items() if spec["indicator"])


def read_document(document: object, data_dir: Path | None = None) -> cbs.CbsTable:
    """A JSON document as delivery rows: a file of `fetch cbs`, or CBS's own v3 TypedDataSet or v4 Observations."""
    if isinstance(document, dict) and "table_id" in document and "rows" in document:
        table_id = str(document["table_id"])
        rows = document["rows"]
        source = f"{document.get('source', 'CBS')}, tabel {table_id.upper()}"
    elif isinstance(document, dict) and isinstance(document.get("value"), list):
        version = 4 if "@odata.context" in document else 3
        address = str(document.get("@odata.context") or document.get("odata.metadata") or "")
        match = (_V4_URL if version == 4 else _V3_URL).search(address)
        if match is None:
            raise cbs.CbsError("het OData-antwoord noemt zijn tabel niet (odata.metadata of @odata.context ontbreekt)")
        table_id, entity = match.group("table").upper(), match.group("entity")
        if entity not in FIGURES[version]:
            listed = f"de lijst '{entity}'" if entity else "de inhoudsopgave"
            raise cbs.CbsError(
                f"dit is {listed} van tabel {table_id}, niet de cijfers; lever {' of '.join(FIGURES[version])} aan"
            )
        count = document.get("@odata.count", document.get("odata.count"))
        partial = isinstance(count, int | str) and str(count).isdigit() and int(count) > len(document["value"])
        if partial or document.get("odata.nextLink") or document.get("@odata.nextLink"):
            fetch = f"; haal de hele tabel op met `python -m ratc fetch cbs {table_id}`" if table_id in TABLES else ""
            raise cbs.CbsError(f"dit is maar een deel van tabel {table_id}: CBS levert grote tabellen in delen{fetch}")
        rows = document["value"]
        source = f"CBS OData v{version}, tabel {table_id}"
    else:
        raise cbs.CbsError(
            "dit is geen CBS-tabel: verwacht een bestand van `python -m ratc fetch cbs` of een OData-antwoord van CBS "
            "(TypedDataSet of Observations)"
        )
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise cbs.CbsError("de rijen van de tabel zijn geen lijst van records")
    spec = TABLES.get(table_id.upper(), {})
    title = f" ({spec['title']})" if spec.get("title") else ""
    delivery, notes = _delivery(table_id, rows, list(range(1, len(rows) + 1)), data_dir)
    return cbs.CbsTable(delivery, notes, source + title)


def read_table_csv(content: bytes, file_name: str, data_dir: Path | None = None) -> cbs.CbsTable | None:
    """A table of TABLES written as CSV (cbsodata rows through pandas) as delivery rows; None for another CSV."""
    prepared = cbs.prepare(cbs.decode(content), _is_table_header)
    if prepared is None:
        return None
    table_id = _table_of(next(csv.reader([prepared.header], delimiter=prepared.separator)))
    reader = csv.DictReader(io.StringIO(prepared.text, newline=""), delimiter=prepared.separator)
    try:
        rows = [{str(key).strip(): value for key, value in row.items()} for row in reader]
    except csv.Error as exc:
        raise cbs.CbsError(
            "het bestand is geen leesbare CSV-tabel (bijvoorbeeld een aanhalingsteken dat niet sluit)"
        ) from exc
    delivery, notes = _delivery(table_id, rows, prepared.lines, data_dir)
    source = f"CBS, tabel {table_id} ({TABLES[table_id]['title']}); {file_name}"
    return cbs.CbsTable(delivery, prepared.notes + notes, source)


def read_odata(table_id: str, rows: list[dict], data_dir: Path | None = None) -> pd.DataFrame:
    """OData rows of a table in TABLES as a delivery (gemeente, indicator, periode, waarde, opmerking, row)."""
    return _delivery(table_id, rows, list(range(1, len(rows) + 1)), data_dir)[0]


def _delivery(table_id: str, rows: list[dict], lines: list[int], data_dir: Path | None):
    spec = TABLES.get(table_id.upper())
    if spec is None:
        raise cbs.CbsError(f"tabel {table_id.upper()} is niet bekend; de monitor leest {known_tables()}")
    if spec["indicator"] is None:
        raise cbs.CbsError(f"tabel {table_id} ({spec['title']}) is niet aan een indicator van de monitor gekoppeld")
    rows = _v3_rows(table_id, spec, rows)
    frequency = metadata.read_indicators(data_dir).set_index("indicator_id").loc[spec["indicator"], "frequency"]
    codes = cbs.name_codes(data_dir)
    known = set(codes.values())
    records, seen, outside, other_periods, before = [], {}, set(), 0, 0
    for number, row in zip(lines, rows, strict=True):
        missing = [spec[key] for key in ("region", "period", "value") if spec[key] and spec[key] not in row]
        missing += [column for column in spec["filters"] if column not in row]
        if missing:
            raise cbs.CbsError(
                f"{table_id} rij {number}: de kolommen {', '.join(missing)} ontbreken; is de tabel veranderd?"
            )
        if any(str(row[column]).strip() not in accepted for column, accepted in spec["filters"].items()):
            continue
        area = cbs.area_code(row[spec["region"]], codes, known) if spec["region"] else metadata.COUNTRY_CODE
        period = cbs.cbs_period(row[spec["period"]], frequency)
        value = cbs.number(row[spec["value"]])
        if area is None:
            outside.add(str(row[spec["region"]]).strip())
            continue
        if period is None:
            other_periods += 1
        elif int(period[:4]) < FIRST_YEAR:
            before += 1
            continue
        if period is None or value is None:
            continue
        key = (area, period)
        if key in seen:
            raise cbs.CbsError(
                f"{table_id}: de rijen {seen[key]} en {number} geven allebei {area} {period}; "
                "filter de andere dimensies van de tabel in ratc.ingest.odata.TABLES"
            )
        seen[key] = number
        records.append((area, spec["indicator"], period, cbs.as_text(value), f"CBS {table_id.upper()}", number))
    notes = []
    if outside:
        listed = ", ".join(sorted(outside)[:5]) + (" …" if len(outside) > 5 else "")
        notes.append(f"{len(outside)} regio's waarvoor de monitor geen gebied heeft, zijn overgeslagen ({listed}).")
    merged = areas.merged_note(outside, data_dir or paths.data_dir())
    if merged:
        notes.append(merged)
    if other_periods:
        notes.append(f"{other_periods} rijen met een andere periode dan een {frequency} zijn overgeslagen: "
                     f"{spec['indicator']} is een {frequency}cijfer.")  # fmt: skip
    if before:
        notes.append(f"{before} rijen van vóór {FIRST_YEAR} zijn overgeslagen; de monitor neemt geen oudere "
                     "cijfers op.")  # fmt: skip
    return cbs.delivery_frame(records), tuple(notes)


def _v3_rows(table_id: str, spec: dict, rows: list[dict]) -> list[dict]:
    """v4 Observations (one row per topic: Measure, Value) as v3 rows with the topic's value under its column."""
    if not rows or not {"Measure", "Value"} <= rows[0].keys() or spec["value"] in rows[0]:
        return rows
    measures = sorted({str(row.get("Measure")) for row in rows})
    measure = spec.get("measure") or (measures[0] if len(measures) == 1 else None)
    if measure is None:
        raise cbs.CbsError(
            f"{table_id} heeft in OData v4 meerdere onderwerpen ({', '.join(measures)}); noem de maatcode van "
            f"{spec['value']} als 'measure' in ratc.ingest.odata.TABLES"
        )
    return [{**row, spec["value"]: row["Value"]} for row in rows if row.get("Measure") == measure]


def _is_table_header(names: list[str]) -> bool:
    return _table_of(names) is not None


def _table_of(names: list[str]) -> str | None:
    """The table in TABLES whose region, period and value columns a header names."""
    present = {str(name).strip().strip('"') for name in names}
    for table_id, spec in TABLES.items():
        if spec["indicator"] and {spec["region"], spec["period"], spec["value"]} <= present:
            return table_id
    return None
