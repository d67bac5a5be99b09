"""Continuity of operations: each municipality's weekly report (status per critical process, staff absence,
knelpunten, what it can offer), validated, kept with its full history in the shared store.

A report is never changed or deleted: a correction is a new report for the same week, and the newest
version of a week counts. A municipality's *current* report is the newest version of its latest week;
its *previous* report is the newest version of the week before that it reported. The regional picture
(`ratc.continuity_region`) is built from these two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from ratc.core import checks, keys, metadata, periods, store, text

STATUSES = {"groen": "Groen", "oranje": "Oranje", "rood": "Rood"}
STATUS_MEANING = {"groen": "normaal", "oranje": "verminderd", "rood": "kritiek"}
STATUS_RANK = {"groen": 0, "oranje": 1, "rood": 2}
SOLUTIONS = {"ja": "Ja", "deels": "Deels", "nee": "Nee"}
FIRST_WEEK = "2020-W01"
FIRST_DAY = dt.date(2019, 1, 1)  # the earliest 'since' of a knelpunt: anything older is a typo
LIMITS = {"reporter": 80, "note": 1000, "status_note": 200, "description": 500, "capacity": 120}
VOCABULARY: metadata.Vocabulary = {  # read from data/continuity/
    "processes": ("processes.csv", "process_id", "name"),
    "process_short": ("processes.csv", "process_id", "short_name"),
    "help_kinds": ("help_kinds.csv", "help_kind", "name"),
}

REPORTS = sa.Table(
    "continuity_reports",
    store.METADATA,
    sa.Column("report_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("area_code", sa.String(12), nullable=False),
    sa.Column("week", sa.String(8), nullable=False),  # ISO week key, e.g. 2020-W14: sorts as text
    sa.Column("staff_absence_pct", sa.Float, nullable=False),
    sa.Column("reporter", sa.String(LIMITS["reporter"]), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False),
    sa.Index("ix_continuity_reports_demo_area_week", "is_demo", "area_code", "week"),
)
STATUS_ROWS = sa.Table(
    "continuity_statuses",
    store.METADATA,
    sa.Column("report_id", sa.Integer, sa.ForeignKey(REPORTS.c.report_id, ondelete="CASCADE"), primary_key=True),
    sa.Column("process_id", sa.String(40), primary_key=True),
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("note", sa.String(LIMITS["status_note"]), nullable=False),
)
BOTTLENECKS = sa.Table(
    "continuity_bottlenecks",
    store.METADATA,
    sa.Column("bottleneck_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("report_id", sa.Integer, sa.ForeignKey(REPORTS.c.report_id, ondelete="CASCADE"), nullable=False,
              index=True),
    # the same knelpunt keeps its key from report to report (the form carries it), so couplings stay attached
    sa.Column("bottleneck_key", sa.String(32), nullable=False, index=True),
    sa.Column("process_id", sa.String(40), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("since", sa.Date, nullable=False),
    sa.Column("solution", sa.String(5), nullable=False),
    sa.Column("help_needed", sa.Boolean, nullable=False),
    sa.Column("help_kind", sa.String(40), nullable=True),
)  # fmt: skip
OFFERS = sa.Table(
    "continuity_offers",
    store.METADATA,
    sa.Column("offer_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("report_id", sa.Integer, sa.ForeignKey(REPORTS.c.report_id, ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("offer_key", sa.String(32), nullable=False, index=True),
    sa.Column("process_id", sa.String(40), nullable=False),
    sa.Column("help_kind", sa.String(40), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("capacity", sa.String(LIMITS["capacity"]), nullable=False),
)  # fmt: skip
COUPLINGS = sa.Table(
    "continuity_couplings",
    store.METADATA,
    sa.Column("coupling_id", sa.String(32), primary_key=True),
    sa.Column("bottleneck_key", sa.String(32), nullable=False),
    sa.Column("offer_key", sa.String(32), nullable=False),
    sa.Column("need_area", sa.String(12), nullable=False),
    sa.Column("offer_area", sa.String(12), nullable=False),
    sa.Column("process_id", sa.String(40), nullable=False),
    sa.Column("help_kind", sa.String(40), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("recorded_by", sa.String(LIMITS["reporter"]), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False),
    # a pair is recorded once, however many people click at the same moment
    sa.UniqueConstraint("bottleneck_key", "offer_key", name="uq_continuity_couplings_pair"),
)


@dataclass(frozen=True)
class Catalogue:
    """The fixed vocabulary of a report: municipalities, critical processes and kinds of help (code -> Dutch)."""

    municipalities: dict[str, str]
    processes: dict[str, str]
    process_short: dict[str, str]
    help_kinds: dict[str, str]


def catalogue(data_dir: Path | None = None) -> Catalogue:
    """Municipalities (areas.csv), critical processes and kinds of help (data/continuity/)."""
    return Catalogue(**metadata.read_vocabulary(data_dir, "continuity", VOCABULARY))


@dataclass(frozen=True)
class Bottleneck:
    """A knelpunt: a process that is stuck, since when, whether there is a solution, and what help would help."""

    key: str
    process_id: str
    description: str
    since: dt.date
    solution: str
    help_needed: bool
    help_kind: str | None


@dataclass(frozen=True)
class Offer:
    """What a municipality can offer others for one process: a kind of help, what exactly and how much."""

    key: str
    process_id: str
    help_kind: str
    description: str
    capacity: str


@dataclass(frozen=True)
class Report:
    """One municipality's report of one week, validated."""

    area_code: str
    week: str
    staff_absence_pct: float
    statuses: dict[str, str]
    status_notes: dict[str, str] = field(default_factory=dict)
    bottlenecks: tuple[Bottleneck, ...] = ()
    offers: tuple[Offer, ...] = ()
    reporter: str = ""
    note: str = ""


@dataclass(frozen=True)
class StoredReport:
    """A report as stored: the report with its number, time and whether it is demo content."""

    report_id: int
    reported_at: dt.datetime
    is_demo: bool
    report: Report


STATUS_COLUMNS = ["proces", "status", "toelichting"]
BOTTLENECK_COLUMNS = ["sleutel", "proces", "omschrijving", "sinds", "oplossing", "hulp_nodig", "soort_hulp"]
OFFER_COLUMNS = ["sleutel", "proces", "soort_hulp", "omschrijving", "capaciteit"]


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
        capacity = checks.line(problems, f"{where} · Capaciteit", row["capaciteit"], LIMITS["capacity"],
                               required=False, row=number)  # fmt: skip
        rows.append(Offer(_key(row["sleutel"], seen), process, kind, description, capacity))
    return tuple(rows)


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


def save_report(report: Report, demo: bool = False, reported_at: dt.datetime | None = None,
                url: str | None = None, *, key: keys.Key = None) -> int:  # fmt: skip
    """Store a validated report with its statuses, knelpunten and offers in one transaction; its number.

    `key` is the municipality's own key or the region's (keys.AccessDenied, nothing stored, when it is wrong).
    """
    name = catalogue().municipalities.get(report.area_code, report.area_code)
    keys.require(keys.may_report(key, report.area_code),
                 f"De sleutel is niet juist voor {name}; de melding is niet opgeslagen.")  # fmt: skip
    with store.begin(url) as connection:
        report_id = connection.execute(
            REPORTS.insert().values(
                area_code=report.area_code, week=report.week, staff_absence_pct=report.staff_absence_pct,
                reporter=report.reporter, note=report.note, reported_at=reported_at or store.now(), is_demo=demo,
            )
        ).inserted_primary_key[0]  # fmt: skip
        connection.execute(
            STATUS_ROWS.insert(),
            [
                {"report_id": report_id, "process_id": process, "status": status,
                 "note": report.status_notes.get(process, "")}
                for process, status in report.statuses.items()
            ],
        )  # fmt: skip
        if report.bottlenecks:
            connection.execute(
                BOTTLENECKS.insert(),
                [
                    {"report_id": report_id, "bottleneck_key": item.key, "process_id": item.process_id,
                     "description": item.description, "since": item.since, "solution": item.solution,
                     "help_needed": item.help_needed, "help_kind": item.help_kind}
                    for item in report.bottlenecks
                ],
            )  # fmt: skip
        if report.offers:
            connection.execute(
                OFFERS.insert(),
                [
                    {"report_id": report_id, "offer_key": item.key, "process_id": item.process_id,
                     "help_kind": item.help_kind, "description": item.description, "capacity": item.capacity}
                    for item in report.offers
                ],
            )  # fmt: skip
    return int(report_id)


def holdings(url: str | None = None) -> tuple[bool, bool]:
    """Whether the store holds real reports, and whether it holds demo reports."""
    with store.read(url) as connection:
        kinds = connection.execute(sa.select(REPORTS.c.is_demo).distinct()).scalars().all()
    return (False in kinds, True in kinds)


def last_report(area_code: str, demo: bool = False, url: str | None = None) -> StoredReport | None:
    """The municipality's current report (newest version of its latest week), to prefill the next one."""
    query = (
        sa.select(REPORTS)
        .where(REPORTS.c.area_code == area_code, REPORTS.c.is_demo == demo)
        .order_by(REPORTS.c.week.desc(), REPORTS.c.report_id.desc())
        .limit(1)
    )
    with store.read(url) as connection:
        row = connection.execute(query).mappings().first()
        if row is None:
            return None
        return _load(connection, row)


def _load(connection: sa.Connection, row: sa.RowMapping) -> StoredReport:
    """A stored report with its statuses, knelpunten and offers."""
    number = row["report_id"]
    statuses = connection.execute(sa.select(STATUS_ROWS).where(STATUS_ROWS.c.report_id == number)).mappings().all()
    stuck = connection.execute(
        sa.select(BOTTLENECKS).where(BOTTLENECKS.c.report_id == number).order_by(BOTTLENECKS.c.bottleneck_id)
    ).mappings()
    offered = connection.execute(
        sa.select(OFFERS).where(OFFERS.c.report_id == number).order_by(OFFERS.c.offer_id)
    ).mappings()
    report = Report(
        area_code=row["area_code"],
        week=row["week"],
        staff_absence_pct=row["staff_absence_pct"],
        statuses={item["process_id"]: item["status"] for item in statuses},
        status_notes={item["process_id"]: item["note"] for item in statuses},
        bottlenecks=tuple(
            Bottleneck(item["bottleneck_key"], item["process_id"], item["description"], item["since"],
                       item["solution"], item["help_needed"], item["help_kind"])
            for item in stuck
        ),
        offers=tuple(
            Offer(item["offer_key"], item["process_id"], item["help_kind"], item["description"], item["capacity"])
            for item in offered
        ),
        reporter=row["reporter"],
        note=row["note"],
    )  # fmt: skip
    return StoredReport(number, as_utc(row["reported_at"]), row["is_demo"], report)


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
             "omschrijving": item.description, "capaciteit": item.capacity}
            for item in (report.offers if report else ())
        ],
        columns=OFFER_COLUMNS,
    ).astype("object")  # fmt: skip
    return {"statuses": statuses, "bottlenecks": stuck, "offers": offered}


def history(area_code: str, demo: bool = False, url: str | None = None) -> pd.DataFrame:
    """Every report of a municipality, newest first, with counts per status and of knelpunten."""
    counts = (
        sa.select(
            STATUS_ROWS.c.report_id,
            *[sa.func.sum(sa.case((STATUS_ROWS.c.status == code, 1), else_=0)).label(code) for code in STATUSES],
        )
        .group_by(STATUS_ROWS.c.report_id)
        .subquery()
    )
    stuck = (
        sa.select(
            BOTTLENECKS.c.report_id,
            sa.func.count().label("knelpunten"),
            sa.func.sum(sa.case((BOTTLENECKS.c.solution == "nee", 1), else_=0)).label("zonder_oplossing"),
        )
        .group_by(BOTTLENECKS.c.report_id)
        .subquery()
    )
    query = (
        sa.select(REPORTS.c.report_id, REPORTS.c.week, REPORTS.c.reported_at, REPORTS.c.reporter,
                  REPORTS.c.staff_absence_pct, *[counts.c[code] for code in STATUSES],
                  sa.func.coalesce(stuck.c.knelpunten, 0).label("knelpunten"),
                  sa.func.coalesce(stuck.c.zonder_oplossing, 0).label("zonder_oplossing"))
        .outerjoin(counts, counts.c.report_id == REPORTS.c.report_id)
        .outerjoin(stuck, stuck.c.report_id == REPORTS.c.report_id)
        .where(REPORTS.c.area_code == area_code, REPORTS.c.is_demo == demo)
        .order_by(REPORTS.c.week.desc(), REPORTS.c.report_id.desc())
    )  # fmt: skip
    with store.read(url) as connection:
        frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=list(query.selected_columns.keys()))
    frame["is_vervangen"] = frame["week"].duplicated()  # an older version of a week that was corrected later
    frame["reported_at"] = [as_utc(value) for value in frame["reported_at"]]
    return frame


def week_final_reports(demo: bool, url: str | None = None, depth: int = 2) -> pd.DataFrame:
    """Per municipality its `depth` latest reported weeks (week_rank 1 = current, 2 = previous), newest versions."""
    with store.read(url) as connection:
        return read_week_final(connection, demo, depth)


def read_week_final(connection: sa.Connection, demo: bool, depth: int = 2) -> pd.DataFrame:
    """`week_final_reports` on an open connection, so several reads see the same store."""
    versions = sa.select(
        REPORTS.c.report_id, REPORTS.c.area_code, REPORTS.c.week, REPORTS.c.staff_absence_pct,
        sa.func.row_number().over(partition_by=[REPORTS.c.area_code, REPORTS.c.week],
                                  order_by=REPORTS.c.report_id.desc()).label("version_rank"),
    ).where(REPORTS.c.is_demo == demo).subquery()  # fmt: skip
    weeks = (
        sa.select(
            versions.c.report_id, versions.c.area_code, versions.c.week, versions.c.staff_absence_pct,
            sa.func.row_number().over(partition_by=versions.c.area_code,
                                      order_by=versions.c.week.desc()).label("week_rank"),
        )
        .where(versions.c.version_rank == 1)
        .subquery()
    )  # fmt: skip
    query = sa.select(weeks).where(weeks.c.week_rank <= depth).order_by(weeks.c.area_code, weeks.c.week_rank)
    rows = connection.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=["report_id", "area_code", "week", "staff_absence_pct", "week_rank"])


def read_rows_of(connection: sa.Connection, table: sa.Table, report_ids: list[int]) -> pd.DataFrame:
    """Rows of a child table (statuses, knelpunten, offers) of some reports, in the order they were stored."""
    order = [table.c.report_id, *[column for column in table.primary_key.columns if column.name != "report_id"]]
    frames = []
    for start in range(0, len(report_ids), 500):  # bound in chunks: both SQLite and PostgreSQL take 500 values
        chunk = [int(number) for number in report_ids[start : start + 500]]
        query = sa.select(table).where(table.c.report_id.in_(chunk)).order_by(*order)
        frames.append(pd.DataFrame(connection.execute(query).mappings().all(), columns=table.c.keys()))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=table.c.keys())


def remove_demo(url: str | None = None) -> None:
    """Delete every demo report (with its rows) and demo coupling; real reports and couplings are untouched."""
    demo_reports = sa.select(REPORTS.c.report_id).where(REPORTS.c.is_demo.is_(True))
    with store.begin(url) as connection:
        connection.execute(COUPLINGS.delete().where(COUPLINGS.c.is_demo.is_(True)))
        for table in (STATUS_ROWS, BOTTLENECKS, OFFERS):
            connection.execute(table.delete().where(table.c.report_id.in_(demo_reports)))
        connection.execute(REPORTS.delete().where(REPORTS.c.is_demo.is_(True)))


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as an aware UTC time (SQLite hands back naive times; they were written in UTC)."""
    if value is None or pd.isna(value):
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
