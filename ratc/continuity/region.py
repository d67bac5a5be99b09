"""The region's continuity picture, from each municipality's current report: statuses per process with the change
since its previous report, the escalation list (open knelpunten without a solution), the requests for help, and
the couplings the region recorded. Matching needs with offers is `ratc.continuity.matching`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from ratc.continuity.reports import (
    BOTTLENECKS,
    COUPLINGS,
    OFFERS,
    STATUS_MEANING,
    STATUS_RANK,
    STATUS_ROWS,
    catalogue,
    read_rows_of,
    read_week_final,
)
from ratc.core import periods, store

CHANGES = {"beter": "↑", "slechter": "↓", "gelijk": "", "nieuw": "•"}


@dataclass(frozen=True)
class Picture:
    """What the region's overview is built from, read in one go: current and previous reports and their rows."""

    demo: bool
    reports: pd.DataFrame  # report_id, area_code, week, staff_absence_pct, week_rank (1 current, 2 previous)
    statuses: pd.DataFrame  # report_id, process_id, status, note
    bottlenecks: pd.DataFrame  # of the current reports
    offers: pd.DataFrame  # of the current reports
    couplings: pd.DataFrame
    # results computed from this picture once per run, however many tables ask for them
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_empty(self) -> bool:
        """Whether no municipality has reported yet."""
        return self.reports.empty


def picture(demo: bool, url: str | None = None) -> Picture:
    """Read the current and previous report of every municipality, their rows, and the recorded couplings."""
    with store.read(url) as connection:
        reports = read_week_final(connection, demo, depth=2)
        current = reports.loc[reports["week_rank"] == 1, ["report_id", "area_code", "week"]]
        statuses = read_rows_of(connection, STATUS_ROWS, reports["report_id"].tolist())
        stuck = read_rows_of(connection, BOTTLENECKS, current["report_id"].tolist()).merge(current, on="report_id")
        offered = read_rows_of(connection, OFFERS, current["report_id"].tolist()).merge(current, on="report_id")
        coupled = pd.DataFrame(
            connection.execute(
                sa.select(COUPLINGS).where(COUPLINGS.c.is_demo == demo).order_by(COUPLINGS.c.recorded_at.desc())
            ).mappings().all(),
            columns=COUPLINGS.c.keys(),
        )  # fmt: skip
    return Picture(demo, reports, statuses, stuck, offered, coupled)


def matrix(view: Picture, data_dir: Path | None = None) -> pd.DataFrame:
    """Every municipality × every process: current status, previous status and the change (None: no report)."""
    vocabulary = catalogue(data_dir)
    with_area = view.statuses.merge(view.reports, on="report_id")[["area_code", "process_id", "status", "week_rank"]]
    grid = pd.DataFrame(
        [(code, process) for code in vocabulary.municipalities for process in vocabulary.processes],
        columns=["area_code", "process_id"],
    )
    current = with_area[with_area["week_rank"] == 1].drop(columns="week_rank")
    previous = (
        with_area[with_area["week_rank"] == 2].drop(columns="week_rank").rename(columns={"status": "vorige_status"})
    )
    frame = grid.merge(current, how="left").merge(previous, how="left")
    reports = view.reports.set_index(["area_code", "week_rank"])
    weeks = {key: value for key, value in reports["week"].items()}
    absence = {code: value for (code, rank), value in reports["staff_absence_pct"].items() if rank == 1}
    frame["gemeente"] = frame["area_code"].map(vocabulary.municipalities)
    frame["proces"] = frame["process_id"].map(vocabulary.processes)
    frame["proces_kort"] = frame["process_id"].map(vocabulary.process_short)
    # None, not NaN, for what is missing: 'no report' is tested with `is None`
    frame["status"] = _text_or_none(frame["status"])
    frame["vorige_status"] = _text_or_none(frame["vorige_status"])
    frame["week"] = pd.Series([weeks.get((code, 1)) for code in frame["area_code"]], dtype=object)
    frame["vorige_week"] = pd.Series([weeks.get((code, 2)) for code in frame["area_code"]], dtype=object)
    frame["verandering"] = pd.Series(
        [change(status, before, previous_week is not None) for status, before, previous_week in
         zip(frame["status"], frame["vorige_status"], frame["vorige_week"], strict=True)],
        dtype=object,
    )  # fmt: skip
    frame["ziekteverzuim_pct"] = frame["area_code"].map(absence).astype("float64")
    return frame[["area_code", "gemeente", "process_id", "proces", "proces_kort", "status", "vorige_status",
                  "verandering", "week", "vorige_week", "ziekteverzuim_pct"]]  # fmt: skip


def _text_or_none(values: pd.Series) -> pd.Series:
    """A column of text with None (not NaN) where a value is missing."""
    return pd.Series([value if isinstance(value, str) else None for value in values], index=values.index, dtype=object)


def change(status: str | None, before: str | None, has_previous: bool) -> str | None:
    """'beter', 'slechter', 'gelijk' against the previous report; 'nieuw' without one; None without a status."""
    if status is None:
        return None
    if not has_previous or before is None:
        return "nieuw"
    difference = STATUS_RANK[status] - STATUS_RANK[before]
    return "slechter" if difference > 0 else "beter" if difference < 0 else "gelijk"


def open_bottlenecks(view: Picture, data_dir: Path | None = None) -> pd.DataFrame:
    """The knelpunten of every municipality's current report, with names and how many weeks they have been open."""
    vocabulary = catalogue(data_dir)
    frame = view.bottlenecks.copy()
    if frame.empty:
        return frame.assign(gemeente=[], proces=[], soort_hulp_naam=[], weken_open=[])
    frame["gemeente"] = frame["area_code"].map(vocabulary.municipalities)
    frame["proces"] = frame["process_id"].map(vocabulary.processes)
    frame["soort_hulp_naam"] = frame["help_kind"].map(vocabulary.help_kinds)
    week_end = [periods.parse_period(week, "week").end for week in frame["week"]]
    frame["weken_open"] = [max(0, (end - _as_date(since)).days // 7) for end, since in
                           zip(week_end, frame["since"], strict=True)]  # fmt: skip
    return frame


def escalations(view: Picture, data_dir: Path | None = None) -> pd.DataFrame:
    """What the region escalates: exactly the open knelpunten whose municipality reports no solution ('nee')."""
    frame = open_bottlenecks(view, data_dir)
    frame = frame[frame["solution"] == "nee"]
    return frame.sort_values(["since", "gemeente", "proces"], kind="stable").reset_index(drop=True)


def needs(view: Picture, data_dir: Path | None = None) -> pd.DataFrame:
    """Open knelpunten that ask for help and are not solved ('nee' or 'deels'): the demand side of matching."""
    frame = open_bottlenecks(view, data_dir)
    return frame[frame["help_needed"].astype(bool) & (frame["solution"] != "ja")].reset_index(drop=True)


def _as_date(value: object) -> dt.date:
    """A stored date (a date, or ISO text from some drivers)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def status_sentence(status: str | None) -> str:
    """'rood (kritiek)' or 'geen melding'."""
    return f"{status} ({STATUS_MEANING[status]})" if status else "geen melding"
