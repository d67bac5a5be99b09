"""Continuity of operations: each municipality's weekly report (status per critical process, staff absence,
knelpunten, what it can offer), validated (`form`), kept with its full history in the shared store.

A report is never changed or deleted: a correction is a new report for the same week, and the newest
version of a week counts. A municipality's *current* report is the newest version of its latest week;
its *previous* report is the newest version of the week before that it reported. The regional picture
(`ratc.continuity.region`) is built from these two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from ratc.core import keys, metadata, store

STATUSES = {"groen": "Groen", "oranje": "Oranje", "rood": "Rood"}
STATUS_MEANING = {"groen": "normaal", "oranje": "verminderd", "rood": "kritiek"}
STATUS_RANK = {"groen": 0, "oranje": 1, "rood": 2}
SOLUTIONS = {"ja": "Ja", "deels": "Deels", "nee": "Nee"}
LIMITS = {"reporter": 80, "note": 1000, "status_note": 200, "description": 500, "capacity": 120, "unit": 40}
MAX_AMOUNT = 10_000  # people or units in one offer
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
    # the sender's token: a report sent again after a lost confirmation is stored once (store.client_token)
    sa.Column("client_token", sa.String(64), nullable=True),
    sa.Index("ix_continuity_reports_demo_area_week", "is_demo", "area_code", "week"),
    sa.Index("ux_continuity_reports_client_token", "area_code", "client_token", unique=True),
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
    sa.Column("capacity", sa.String(LIMITS["capacity"]), nullable=False),  # what the number means, in words
    # how many people or units the offer has; couplings use them up (NULL in reports of before: counts as 1)
    sa.Column("capacity_amount", sa.Integer, nullable=True),
    sa.Column("capacity_unit", sa.String(LIMITS["unit"]), nullable=True),
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
    sa.Column("units", sa.Integer, nullable=True),  # of the offer's capacity_amount it uses (NULL before: 1)
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
    """What a municipality can offer others for one process: a kind of help, what exactly, and how much: a number
    of people or units (`amount`, e.g. 2) with their word (`unit`, 'medewerkers') and a note ('3 dagen per week').

    `amount` is None only in reports stored before it was asked; such an offer counts as one unit.
    """

    key: str
    process_id: str
    help_kind: str
    description: str
    capacity: str
    amount: int | None = 1
    unit: str = ""


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


def save_report(report: Report, demo: bool = False, reported_at: dt.datetime | None = None,
                url: str | None = None, *, key: keys.Key = None, token: str | None = None) -> int:  # fmt: skip
    """Store a validated report with its statuses, knelpunten and offers in one transaction; its number.

    `key` is the municipality's own key or the region's (keys.AccessDenied, nothing stored, when it is wrong).
    With the sender's `token` (store.client_token) the report is stored once: sent again after a lost
    confirmation, the number of the report stored the first time is returned.
    """
    name = catalogue().municipalities.get(report.area_code, report.area_code)
    keys.require(keys.may_report(key, report.area_code),
                 f"De sleutel is niet juist voor {name}; de melding is niet opgeslagen.",
                 *keys.report_variables(report.area_code))  # fmt: skip
    token = store.client_token(token)
    try:
        return _insert_report(report, demo, reported_at, url, token)
    except sa.exc.IntegrityError:
        earlier = _report_sent_before(report.area_code, token, url)
        if earlier is None:
            raise
        return earlier  # the same token sent twice at once: the other one stored it


def _report_sent_before(area_code: str, token: str | None, url: str | None,
                        connection: sa.Connection | None = None) -> int | None:  # fmt: skip
    """The number of the report stored earlier with this token for the municipality, if any."""
    if token is None:
        return None
    query = sa.select(REPORTS.c.report_id).where(REPORTS.c.area_code == area_code, REPORTS.c.client_token == token)
    if connection is not None:
        return connection.execute(query).scalar_one_or_none()
    with store.read(url) as reading:
        return reading.execute(query).scalar_one_or_none()


def _insert_report(report: Report, demo: bool, reported_at: dt.datetime | None, url: str | None,
                   token: str | None) -> int:  # fmt: skip
    """Write the report and its rows in one transaction (or answer the one stored with the same token)."""
    with store.begin(url) as connection:
        earlier = _report_sent_before(report.area_code, token, url, connection)
        if earlier is not None:
            return earlier
        report_id = connection.execute(
            REPORTS.insert().values(
                area_code=report.area_code, week=report.week, staff_absence_pct=report.staff_absence_pct,
                reporter=report.reporter, note=report.note, reported_at=reported_at or store.now(), is_demo=demo,
                client_token=token,
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
                     "help_kind": item.help_kind, "description": item.description, "capacity": item.capacity,
                     "capacity_amount": item.amount, "capacity_unit": item.unit}
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
            Offer(item["offer_key"], item["process_id"], item["help_kind"], item["description"], item["capacity"],
                  item["capacity_amount"], item["capacity_unit"] or "")
            for item in offered
        ),
        reporter=row["reporter"],
        note=row["note"],
    )  # fmt: skip
    return StoredReport(number, as_utc(row["reported_at"]), row["is_demo"], report)


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
