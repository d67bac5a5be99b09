"""The region's continuity picture, from each municipality's current report: statuses per process with the change
since its previous report, the escalation list (open knelpunten without a solution), and the matching of help
needed with what other municipalities offer, with the couplings the region recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from ratc.continuity.reports import (
    BOTTLENECKS,
    COUPLINGS,
    LIMITS,
    OFFERS,
    REPORTS,
    STATUS_MEANING,
    STATUS_RANK,
    STATUS_ROWS,
    catalogue,
    read_rows_of,
    read_week_final,
)
from ratc.core import checks, fmt, keys, neighbours, periods, store

# Points for ranking an offer: a helper that is itself on green for the process can spare most.
STATUS_POINTS = {"groen": 2.0, "oranje": 1.0, "rood": 0.0}
ABSENCE_SCALE_PCT = 20.0  # staff absence from 0% (+1 point) down to 20% or more (+0)
NEIGHBOUR_POINTS = 1.0
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


def matches(view: Picture, data_dir: Path | None = None) -> pd.DataFrame:
    """Each need with every other municipality's offer for the same process and kind of help, ranked per need.

    Score (higher first): the helper's own status for that process (groen +2, oranje +1, rood 0), its staff
    absence (0% +1 down to 20% or more +0) and sharing a border (+1). A municipality is never matched with itself.
    """
    if data_dir is None and "matches" in view.memo:
        return view.memo["matches"]
    found = _matches(view, data_dir)
    if data_dir is None:
        view.memo["matches"] = found
    return found


def _matches(view: Picture, data_dir: Path | None) -> pd.DataFrame:
    """`matches`, computed."""
    vocabulary = catalogue(data_dir)
    wanted = needs(view, data_dir)
    offered = view.offers
    columns = ["bottleneck_key", "offer_key", "need_area", "offer_area", "process_id", "help_kind", "score", "rang",
               "uitleg", "is_gekoppeld", "need_description", "offer_description", "capacity"]  # fmt: skip
    if wanted.empty or offered.empty:
        return pd.DataFrame(columns=columns)
    pairs = wanted.merge(offered, on=["process_id", "help_kind"], suffixes=("_need", "_offer"))
    pairs = pairs[pairs["area_code_need"] != pairs["area_code_offer"]]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    current = view.statuses.merge(view.reports[view.reports["week_rank"] == 1], on="report_id")
    status_of = current.set_index(["area_code", "process_id"])["status"].to_dict()
    absence_of = view.reports[view.reports["week_rank"] == 1].set_index("area_code")["staff_absence_pct"].to_dict()
    coupled = set(zip(view.couplings["bottleneck_key"], view.couplings["offer_key"], strict=True))
    scored = [
        _score(vocabulary, row.area_code_offer, row.area_code_need, row.process_id,
               status_of.get((row.area_code_offer, row.process_id)), absence_of.get(row.area_code_offer))
        for row in pairs.itertuples()
    ]  # fmt: skip
    frame = pd.DataFrame({
        "bottleneck_key": pairs["bottleneck_key"].to_numpy(),
        "offer_key": pairs["offer_key"].to_numpy(),
        "need_area": pairs["area_code_need"].to_numpy(),
        "offer_area": pairs["area_code_offer"].to_numpy(),
        "process_id": pairs["process_id"].to_numpy(),
        "help_kind": pairs["help_kind"].to_numpy(),
        "score": [points for points, _ in scored],
        "uitleg": [reason for _, reason in scored],
        "is_gekoppeld": [(need, offer) in coupled for need, offer in
                         zip(pairs["bottleneck_key"], pairs["offer_key"], strict=True)],
        "need_description": pairs["description_need"].to_numpy(),
        "offer_description": pairs["description_offer"].to_numpy(),
        "capacity": pairs["capacity"].to_numpy(),
        "offer_name": pairs["area_code_offer"].map(vocabulary.municipalities).to_numpy(),
    })  # fmt: skip
    frame = frame.sort_values(["bottleneck_key", "score", "offer_name"], ascending=[True, False, True], kind="stable")
    frame["rang"] = frame.groupby("bottleneck_key").cumcount() + 1
    order = {key: number for number, key in enumerate(wanted["bottleneck_key"])}
    frame = frame.assign(need_order=frame["bottleneck_key"].map(order)).sort_values(["need_order", "rang"])
    return frame[columns].reset_index(drop=True)


def _score(vocabulary, helper: str, asker: str, process_id: str, status: str | None,
           absence: float | None) -> tuple[float, str]:  # fmt: skip
    """An offer's points for a need and the Dutch sentence that explains them."""
    name, process = vocabulary.municipalities[helper], vocabulary.processes[process_id].lower()
    parts = ["zelfde proces en soort hulp"]
    status_points = STATUS_POINTS.get(status, 0.0)
    if status:
        parts.append(f"{name} staat zelf op {status} voor {process} (+{fmt.number(status_points, 0)})")
    else:
        parts.append(f"status van {name} voor {process} onbekend (+0)")
    absence_points = 0.0
    if absence is not None and not pd.isna(absence):
        absence_points = max(0.0, 1 - float(absence) / ABSENCE_SCALE_PCT)
        parts.append(f"ziekteverzuim {fmt.number(absence, 1)}% (+{fmt.number(absence_points, 1)})")
    near = neighbours.are_neighbours(helper, asker)
    parts.append(f"buurgemeente (+{fmt.number(NEIGHBOUR_POINTS, 0)})" if near else "geen buurgemeente (+0)")
    total = round(status_points + absence_points + (NEIGHBOUR_POINTS if near else 0.0), 2)
    return total, " · ".join(parts)


def record_coupling(bottleneck_key: str, offer_key: str, note: object = "", recorded_by: object = "",
                    url: str | None = None, recorded_at: dt.datetime | None = None, *,
                    key: keys.Key = None) -> str:  # fmt: skip
    """Record that a need and an offer were paired; Invalid (Dutch) when the pair is not a valid match or exists.

    `key` is the region's key (keys.AccessDenied, nothing stored, when it is wrong).
    """
    keys.require(keys.may_couple(key), "Deze sleutel is niet juist; de koppeling is niet vastgelegd.", keys.CONTINUITY)
    problems = checks.Collector()
    remark = checks.block(problems, "Notitie", note, 500)
    who = checks.line(problems, "Vastgelegd door", recorded_by, LIMITS["reporter"], required=False)
    problems.raise_if_any()
    try:
        with store.begin(url) as connection:
            need, offer = (
                _current_row(connection, BOTTLENECKS, "bottleneck_key", bottleneck_key),
                _current_row(connection, OFFERS, "offer_key", offer_key),
            )
            _check_pair(problems, need, offer, connection)
            problems.raise_if_any()
            coupling_id = store.new_id()
            connection.execute(
                COUPLINGS.insert().values(
                    coupling_id=coupling_id, bottleneck_key=bottleneck_key, offer_key=offer_key,
                    need_area=need["area_code"], offer_area=offer["area_code"], process_id=need["process_id"],
                    help_kind=need["help_kind"], note=remark, recorded_by=who, recorded_at=recorded_at or store.now(),
                    is_demo=need["is_demo"],
                )
            )  # fmt: skip
    except sa.exc.IntegrityError as error:  # a second writer recorded the same pair a moment earlier
        raise checks.Invalid([checks.Problem("Koppeling", "deze koppeling is al vastgelegd.")]) from error
    return coupling_id


def _current_row(connection: sa.Connection, table: sa.Table, key_column: str, key: str) -> sa.RowMapping | None:
    """The knelpunt or offer with this key in its municipality's current report, with area and demo flag."""
    for demo in (False, True):
        current = read_week_final(connection, demo, depth=1)
        if current.empty:
            continue
        query = (
            sa.select(table, REPORTS.c.area_code, REPORTS.c.is_demo)
            .join(REPORTS, REPORTS.c.report_id == table.c.report_id)
            .where(table.c[key_column] == str(key), table.c.report_id.in_([int(n) for n in current["report_id"]]))
        )
        row = connection.execute(query).mappings().first()
        if row is not None:
            return row
    return None


def _check_pair(problems: checks.Collector, need: sa.RowMapping | None, offer: sa.RowMapping | None,
                connection: sa.Connection) -> None:  # fmt: skip
    """Every reason why this need and offer cannot be coupled."""
    if need is None:
        problems.add("Knelpunt", "staat niet (meer) in de laatste melding van de gemeente.")
    if offer is None:
        problems.add("Aanbod", "staat niet (meer) in de laatste melding van de gemeente.")
    if need is None or offer is None:
        return
    if not need["help_needed"] or need["solution"] == "ja":
        problems.add("Knelpunt", "vraagt geen hulp (meer).")
    if need["area_code"] == offer["area_code"]:
        problems.add("Koppeling", "een gemeente kan niet aan zichzelf worden gekoppeld.")
    if (need["process_id"], need["help_kind"]) != (offer["process_id"], offer["help_kind"]):
        problems.add("Koppeling", "knelpunt en aanbod gaan niet over hetzelfde proces en dezelfde soort hulp.")
    if need["is_demo"] != offer["is_demo"]:
        problems.add("Koppeling", "demodata en echte meldingen worden niet aan elkaar gekoppeld.")
    exists = connection.execute(
        sa.select(COUPLINGS.c.coupling_id).where(
            COUPLINGS.c.bottleneck_key == need["bottleneck_key"], COUPLINGS.c.offer_key == offer["offer_key"]
        )
    ).first()
    if exists:
        problems.add("Koppeling", "deze koppeling is al vastgelegd.")


def _as_date(value: object) -> dt.date:
    """A stored date (a date, or ISO text from some drivers)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def status_sentence(status: str | None) -> str:
    """'rood (kritiek)' or 'geen melding'."""
    return f"{status} ({STATUS_MEANING[status]})" if status else "geen melding"
