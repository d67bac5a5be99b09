"""The weekly report's form: its three tables (statuses, knelpunten, offers), prefilled with the previous report,
and their validation into a `Report`, every problem named by field and row (nothing is stored here)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ratc.continuity.reports import (
    LIMITS,
    MAX_AMOUNT,
    SOLUTIONS,
    STATUSES,
    Bottleneck,
    Catalogue,
    Offer,
    Report,
    StoredReport,
    catalogue,
)
from ratc.core import checks, periods, store, text

FIRST_WEEK = "2020-W01"
FIRST_DAY = dt.date(2019, 1, 1)  # the earliest 'since' of a knelpunt: anything older is a typo
STATUS_COLUMNS = ["proces", "status", "toelichting"]
BOTTLENECK_COLUMNS = ["sleutel", "proces", "omschrijving", "sinds", "oplossing", "hulp_nodig", "soort_hulp"]
OFFER_COLUMNS = ["sleutel", "proces", "soort_hulp", "omschrijving", "aantal", "eenheid", "capaciteit"]


def validate(area_code: str, week: str, staff_absence: object, statuses: pd.DataFrame, bottlenecks: pd.DataFrame,
             offers: pd.DataFrame, reporter: object = "", note: object = "", today: dt.date | None = None,
             data_dir: Path | None = None) -> Report:  # fmt: skip
    """A report from the form's tables, or Invalid listing every problem by field and row (nothing is stored).

    `statuses` has a row per process (proces, status, toelichting); `bottlenecks` and `offers` have the columns
    in BOTTLENECK_COLUMNS and OFFER_COLUMNS (sleutel empty for a new row). Rows left entirely empty are skipped.
    """
    vocabulary = catalogue(data_dir)
    problems = checks.Collector()
    area = checks.choice(problems, "Gemeente", area_code, vocabulary.municipalities)
    week_period = _week(problems, week, today or dt.date.today())
    absence = checks.number(problems, "Ziekteverzuim (%)", staff_absence, 0, 100)
    who = checks.line(problems, "Naam melder", reporter, LIMITS["reporter"], required=False)
    remark = checks.block(problems, "Toelichting", note, LIMITS["note"])
    chosen, notes = _statuses(problems, statuses, vocabulary)
    last_day = week_period.end if week_period else (today or dt.date.today())
    stuck = _bottlenecks(problems, bottlenecks, vocabulary, last_day)
    offered = _offers(problems, offers, vocabulary)
    problems.raise_if_any()
    return Report(area, week_period.key, round(absence, 1), chosen, notes, stuck, offered, who, remark)


def _week(problems: checks.Collector, week: object, today: dt.date) -> periods.Period | None:
    """The report's ISO week: a real week from 2020 up to the current week."""
    try:
        period = periods.parse_period(str(week), "week")
    except periods.PeriodError:
        problems.add("Week", f"'{text.clean_line(week, 20)}' is geen week (schrijf 2020-W14).")
        return None
    current = periods.period_containing(today, "week")
    if not FIRST_WEEK <= period.key <= current.key:
        problems.add("Week", f"kies een week van {FIRST_WEEK} tot en met deze week ({current.key}).")
        return None
    return period


def _statuses(problems: checks.Collector, table: pd.DataFrame,
              vocabulary: Catalogue) -> tuple[dict[str, str], dict[str, str]]:  # fmt: skip
    """A status for every critical process (and an optional note), each problem named by process."""
    given = {str(row.get("proces")): row for row in table.to_dict("records")} if len(table) else {}
    statuses, notes = {}, {}
    for process_id, name in vocabulary.processes.items():
        row = given.get(process_id)
        if row is None:
            problems.add(f"Status {name}", "ontbreekt; geef voor elk proces groen, oranje of rood.")
            continue
        status = checks.choice(problems, f"Status {name}", row.get("status"), STATUSES)
        if status:
            statuses[process_id] = status
        notes[process_id] = checks.line(problems, f"Toelichting {name}", row.get("toelichting"),
                                        LIMITS["status_note"], required=False)  # fmt: skip
    for process_id in set(given) - set(vocabulary.processes):
        problems.add("Status", f"onbekend proces '{text.clean_line(process_id, 40)}'.")
    return statuses, notes


def _bottlenecks(problems: checks.Collector, table: pd.DataFrame, vocabulary: Catalogue,
                 last_day: dt.date) -> tuple[Bottleneck, ...]:  # fmt: skip
    """The knelpunten of the form; every problem names 'Knelpunt n' and the column."""
    rows, seen = [], set()
    for number, row in enumerate(_filled_rows(table, BOTTLENECK_COLUMNS), start=1):
        where = f"Knelpunt {number}"
        process = checks.choice(problems, f"{where} · Proces", row["proces"], vocabulary.processes, number)
        description = checks.block(problems, f"{where} · Omschrijving", row["omschrijving"],
                                   LIMITS["description"], required=True, row=number)  # fmt: skip
        since = checks.date(problems, f"{where} · Sinds", row["sinds"], FIRST_DAY, last_day, number)
        solution = checks.choice(problems, f"{where} · Oplossing", row["oplossing"], SOLUTIONS, number)
        help_needed = checks.flag(row["hulp_nodig"])
        kind = None
        if help_needed:
            kind = checks.choice(problems, f"{where} · Soort hulp", row["soort_hulp"], vocabulary.help_kinds, number)
        key = _key(row["sleutel"], seen)
        rows.append(Bottleneck(key, process, description, since, solution, help_needed, kind))
    return tuple(rows)


def _offers(problems: checks.Collector, table: pd.DataFrame, vocabulary: Catalogue) -> tuple[Offer, ...]:
    """What the municipality offers; every problem names 'Aanbod n' and the column."""
    rows, seen = [], set()
    for number, row in enumerate(_filled_rows(table, OFFER_COLUMNS), start=1):
        where = f"Aanbod {number}"
        process = checks.choice(problems, f"{where} · Proces", row["proces"], vocabulary.processes, number)
        kind = checks.choice(problems, f"{where} · Soort hulp", row["soort_hulp"], vocabulary.help_kinds, number)
        description = checks.block(problems, f"{where} · Omschrijving", row["omschrijving"],
                                   LIMITS["description"], required=True, row=number)  # fmt: skip
        amount = _amount(problems, f"{where} · Aantal", row["aantal"], number)
        unit = checks.line(problems, f"{where} · Eenheid", row["eenheid"], LIMITS["unit"], required=False, row=number)
        capacity = checks.line(problems, f"{where} · Toelichting capaciteit", row["capaciteit"], LIMITS["capacity"],
                               required=False, row=number)  # fmt: skip
        rows.append(Offer(_key(row["sleutel"], seen), process, kind, description, capacity, amount, unit))
    return tuple(rows)


def _amount(problems: checks.Collector, field: str, value: object, row: int) -> int | None:
    """How many people or units an offer has: a whole number from 1 (couplings use them up)."""
    amount = checks.number(problems, field, value, 1, MAX_AMOUNT, row=row)
    if amount is None:
        return None
    if not float(amount).is_integer():
        problems.add(field, "vul een heel aantal mensen of eenheden in (bijv. 2).", row)
        return None
    return int(amount)


def _filled_rows(table: pd.DataFrame | None, columns: list[str]) -> list[dict]:
    """The rows of an editor table that are not entirely empty (an added row nobody filled in is no row)."""
    if table is None or not len(table):
        return []
    frame = table.reindex(columns=columns)
    content = [column for column in columns if column not in ("sleutel", "hulp_nodig")]
    return [row for row in frame.to_dict("records") if not all(checks.is_blank(row[column]) for column in content)]


def _key(value: object, seen: set[str]) -> str:
    """The row's stable key from the form, or a new one (also for a key copied onto a second row)."""
    key = "" if checks.is_blank(value) else str(value).strip()[:32]
    if not key or key in seen:
        key = store.new_id()
    seen.add(key)
    return key


def form_tables(previous: StoredReport | None, data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """The form's three tables, prefilled with the previous report (statuses empty when there is none)."""
    vocabulary = catalogue(data_dir)
    report = previous.report if previous else None
    statuses = pd.DataFrame(
        {
            "proces": list(vocabulary.processes),
            "status": [report.statuses.get(process) if report else None for process in vocabulary.processes],
            "toelichting": [report.status_notes.get(process, "") if report else "" for process in vocabulary.processes],
        }
    )
    stuck = pd.DataFrame(
        [
            {"sleutel": item.key, "proces": item.process_id, "omschrijving": item.description,
             "sinds": item.since, "oplossing": item.solution, "hulp_nodig": item.help_needed,
             "soort_hulp": item.help_kind}
            for item in (report.bottlenecks if report else ())
        ],
        columns=BOTTLENECK_COLUMNS,
    ).astype({"sleutel": "object", "proces": "object", "omschrijving": "object", "oplossing": "object",
              "hulp_nodig": "bool", "soort_hulp": "object"})  # fmt: skip
    stuck["sinds"] = pd.to_datetime(stuck["sinds"]).dt.date if len(stuck) else pd.Series([], dtype="object")
    offered = pd.DataFrame(
        [
            {"sleutel": item.key, "proces": item.process_id, "soort_hulp": item.help_kind,
             "omschrijving": item.description, "aantal": item.amount, "eenheid": item.unit,
             "capaciteit": item.capacity}
            for item in (report.offers if report else ())
        ],
        columns=OFFER_COLUMNS,
    ).astype("object")  # fmt: skip
    return {"statuses": statuses, "bottlenecks": stuck, "offers": offered}
