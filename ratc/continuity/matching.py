"""Help between municipalities: each request for help matched with what other municipalities offer, and the
couplings the region records between them.

What is proposed respects time and capacity:
- an offer comes from its municipality's current report; when that report is more than MAX_OFFER_AGE_WEEKS older
  than the newest report in the region, the offer is left out (the municipality stopped reporting it), and a
  younger one names its week in the explanation;
- an offer has a number of people or units (`capacity_amount`); every coupling uses some of them (`units`), and
  an offer with none left is not proposed again nor can be coupled;
- a municipality that is red on the process itself is never proposed as its helper.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from ratc.continuity.region import Picture, needs
from ratc.continuity.reports import (
    BOTTLENECKS,
    COUPLINGS,
    LIMITS,
    MAX_AMOUNT,
    OFFERS,
    REPORTS,
    STATUS_ROWS,
    catalogue,
    read_week_final,
)
from ratc.core import checks, fmt, keys, neighbours, periods, store

# Points for ranking an offer: a helper that is itself on green for the process can spare most.
STATUS_POINTS = {"groen": 2.0, "oranje": 1.0}  # a helper on red is not proposed at all
ABSENCE_SCALE_PCT = 20.0  # staff absence from 0% (+1 point) down to 20% or more (+0)
NEIGHBOUR_POINTS = 1.0
# An offer from a report this many weeks older than the region's newest report is no longer proposed.
MAX_OFFER_AGE_WEEKS = 4
COLUMNS = ["bottleneck_key", "offer_key", "need_area", "offer_area", "process_id", "help_kind", "score", "rang",
           "uitleg", "is_gekoppeld", "need_description", "offer_description", "capacity", "offer_week",
           "weken_oud", "capaciteit_aantal", "capaciteit_over", "eenheid"]  # fmt: skip


def matches(view: Picture, data_dir: Path | None = None) -> pd.DataFrame:
    """Each need with every other municipality's offer for the same process and kind of help, ranked per need.

    Score (higher first): the helper's own status for that process (groen +2, oranje +1; rood: not proposed), its
    staff absence (0% +1 down to 20% or more +0) and sharing a border (+1). A municipality is never matched with
    itself; offers too old or used up are left out, except pairs already coupled (shown as such).
    """
    if data_dir is None and "matches" in view.memo:
        return view.memo["matches"]
    found = _matches(view, data_dir)
    if data_dir is None:
        view.memo["matches"] = found
    return found


def capacity_text(amount: object, unit: object, note: object = "") -> str:
    """An offer's capacity in words: '2 medewerkers · 3 dagen per week', '1' or '–'."""
    parts = []
    if amount is not None and not pd.isna(amount):
        parts.append(f"{int(amount)} {unit or ''}".strip())
    if isinstance(note, str) and note.strip():
        parts.append(note.strip())
    return " · ".join(parts) or "–"


def newest_week(view: Picture) -> str | None:
    """The newest week any municipality reported: the yardstick for how old an offer is."""
    current = view.reports[view.reports["week_rank"] == 1]
    return max(current["week"], default=None)


def weeks_between(older: str, newer: str) -> int:
    """Whole weeks from one ISO week to a later one (0 for the same week)."""
    return max(0, (periods.parse_period(newer, "week").start - periods.parse_period(older, "week").start).days // 7)


def offer_capacity(view: Picture) -> pd.DataFrame:
    """Per offer of a current report: its amount (1 when a report of before gave none) and how much is left."""
    used = view.couplings.assign(units=view.couplings["units"].fillna(1).astype("int64")).groupby("offer_key")["units"]
    frame = view.offers[["offer_key", "capacity_amount", "capacity_unit"]].copy()
    frame["capaciteit_aantal"] = frame["capacity_amount"].fillna(1).astype("int64")
    frame["capaciteit_over"] = frame["capaciteit_aantal"] - frame["offer_key"].map(used.sum()).fillna(0).astype("int64")
    frame["eenheid"] = frame["capacity_unit"].fillna("")
    return frame.drop(columns=["capacity_amount", "capacity_unit"])


def _matches(view: Picture, data_dir: Path | None) -> pd.DataFrame:
    """`matches`, computed."""
    vocabulary = catalogue(data_dir)
    wanted = needs(view, data_dir)
    if wanted.empty or view.offers.empty:
        return pd.DataFrame(columns=COLUMNS)
    offered = view.offers.merge(offer_capacity(view), on="offer_key")
    pairs = wanted.merge(offered, on=["process_id", "help_kind"], suffixes=("_need", "_offer"))
    pairs = pairs[pairs["area_code_need"] != pairs["area_code_offer"]]
    current = view.statuses.merge(view.reports[view.reports["week_rank"] == 1], on="report_id")
    status_of = current.set_index(["area_code", "process_id"])["status"].to_dict()
    absence_of = view.reports[view.reports["week_rank"] == 1].set_index("area_code")["staff_absence_pct"].to_dict()
    coupled = set(zip(view.couplings["bottleneck_key"], view.couplings["offer_key"], strict=True))
    newest = newest_week(view)
    pairs = pairs.assign(
        status=[status_of.get(key) for key in zip(pairs["area_code_offer"], pairs["process_id"], strict=True)],
        weken_oud=[weeks_between(week, newest) for week in pairs["week_offer"]],
        is_gekoppeld=[pair in coupled for pair in zip(pairs["bottleneck_key"], pairs["offer_key"], strict=True)],
    )
    proposable = (pairs["status"] != "rood") & (pairs["weken_oud"] <= MAX_OFFER_AGE_WEEKS)
    pairs = pairs[pairs["is_gekoppeld"] | (proposable & (pairs["capaciteit_over"] > 0))]
    if pairs.empty:
        return pd.DataFrame(columns=COLUMNS)
    scored = [
        _score(vocabulary, row.area_code_offer, row.area_code_need, row.process_id, row.status,
               absence_of.get(row.area_code_offer), row.week_offer, row.weken_oud,
               (row.capaciteit_aantal, row.capaciteit_over, row.eenheid))
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
        "is_gekoppeld": pairs["is_gekoppeld"].to_numpy(),
        "need_description": pairs["description_need"].to_numpy(),
        "offer_description": pairs["description_offer"].to_numpy(),
        "capacity": pairs["capacity"].to_numpy(),
        "offer_week": pairs["week_offer"].to_numpy(),
        "weken_oud": pairs["weken_oud"].to_numpy(),
        "capaciteit_aantal": pairs["capaciteit_aantal"].to_numpy(),
        "capaciteit_over": pairs["capaciteit_over"].clip(lower=0).to_numpy(),
        "eenheid": pairs["eenheid"].to_numpy(),
        "offer_name": pairs["area_code_offer"].map(vocabulary.municipalities).to_numpy(),
    })  # fmt: skip
    frame = frame.sort_values(["bottleneck_key", "score", "offer_name"], ascending=[True, False, True], kind="stable")
    frame["rang"] = frame.groupby("bottleneck_key").cumcount() + 1
    order = {key: number for number, key in enumerate(wanted["bottleneck_key"])}
    frame = frame.assign(need_order=frame["bottleneck_key"].map(order)).sort_values(["need_order", "rang"])
    return frame[COLUMNS].reset_index(drop=True)


def _score(vocabulary, helper: str, asker: str, process_id: str, status: str | None, absence: float | None,
           week: str, age: int, capacity: tuple[int, int, str]) -> tuple[float, str]:  # fmt: skip
    """An offer's points for a need and the Dutch sentence that explains them, naming the offer's week."""
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
    amount, left, unit = capacity
    parts.append(f"nog {left} van {capacity_text(amount, unit)} vrij")
    label = periods.parse_period(week, "week").label
    parts.append(f"aanbod uit de melding van {label}" + (f", {_weeks(age)} ouder dan de nieuwste melding" if age
                                                          else ""))  # fmt: skip
    total = round(status_points + absence_points + (NEIGHBOUR_POINTS if near else 0.0), 2)
    return total, " · ".join(parts)


def _weeks(count: int) -> str:
    """'1 week', '3 weken'."""
    return "1 week" if count == 1 else f"{count} weken"


def record_coupling(bottleneck_key: str, offer_key: str, note: object = "", recorded_by: object = "",
                    url: str | None = None, recorded_at: dt.datetime | None = None, *,
                    key: keys.Key = None, units: object = 1) -> str:  # fmt: skip
    """Record that a need and an offer were paired, using `units` of the offer's people or units (default 1);
    Invalid (Dutch) when the pair is not a valid match, exists, or the offer has not that much left.

    The offer is locked while its capacity is checked (FOR UPDATE on PostgreSQL; SQLite writers queue), so two
    people coupling the last unit to two needs at once store one coupling. `key` is the region's key
    (keys.AccessDenied, nothing stored, when it is wrong).
    """
    keys.require(keys.may_couple(key), "Deze sleutel is niet juist; de koppeling is niet vastgelegd.", keys.CONTINUITY)
    problems = checks.Collector()
    remark = checks.block(problems, "Notitie", note, 500)
    who = checks.line(problems, "Vastgelegd door", recorded_by, LIMITS["reporter"], required=False)
    wanted = checks.number(problems, "Aantal", 1 if checks.is_blank(units) else units, 1, MAX_AMOUNT)
    if wanted is not None and not float(wanted).is_integer():
        problems.add("Aantal", "vul een heel aantal mensen of eenheden in.")
    problems.raise_if_any()
    try:
        with store.begin(url) as connection:
            need = _current_row(connection, BOTTLENECKS, "bottleneck_key", bottleneck_key)
            offer = _current_row(connection, OFFERS, "offer_key", offer_key, lock=True)
            _check_pair(problems, need, offer, connection)
            problems.raise_if_any()
            _check_capacity(problems, offer, int(wanted), connection)
            problems.raise_if_any()
            coupling_id = store.new_id()
            connection.execute(
                COUPLINGS.insert().values(
                    coupling_id=coupling_id, bottleneck_key=bottleneck_key, offer_key=offer_key,
                    need_area=need["area_code"], offer_area=offer["area_code"], process_id=need["process_id"],
                    help_kind=need["help_kind"], units=int(wanted), note=remark, recorded_by=who,
                    recorded_at=recorded_at or store.now(), is_demo=need["is_demo"],
                )
            )  # fmt: skip
    except sa.exc.IntegrityError as error:  # a second writer recorded the same pair a moment earlier
        raise checks.Invalid([checks.Problem("Koppeling", "deze koppeling is al vastgelegd.")]) from error
    return coupling_id


def _current_row(connection: sa.Connection, table: sa.Table, key_column: str, key: str,
                 lock: bool = False) -> sa.RowMapping | None:  # fmt: skip
    """The knelpunt or offer with this key in its municipality's current report, with area, week and demo flag."""
    for demo in (False, True):
        current = read_week_final(connection, demo, depth=1)
        if current.empty:
            continue
        query = (
            sa.select(table, REPORTS.c.area_code, REPORTS.c.week, REPORTS.c.is_demo)
            .join(REPORTS, REPORTS.c.report_id == table.c.report_id)
            .where(table.c[key_column] == str(key), table.c.report_id.in_([int(n) for n in current["report_id"]]))
        )
        if lock:
            query = query.with_for_update(of=table)
        row = connection.execute(query).mappings().first()
        if row is not None:
            return row
    return None


def _check_pair(problems: checks.Collector, need: sa.RowMapping | None, offer: sa.RowMapping | None,
                connection: sa.Connection) -> None:  # fmt: skip
    """Every reason why this need and offer cannot be coupled: which, what, who, when."""
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
    status = connection.execute(
        sa.select(STATUS_ROWS.c.status).where(
            STATUS_ROWS.c.report_id == offer["report_id"], STATUS_ROWS.c.process_id == offer["process_id"]
        )
    ).scalar_one_or_none()
    if status == "rood":
        problems.add("Aanbod", "de aanbieder staat zelf op rood voor dit proces en wordt niet als helper gekoppeld.")
    current = read_week_final(connection, offer["is_demo"], depth=1)
    age = weeks_between(offer["week"], max(current["week"]))
    if age > MAX_OFFER_AGE_WEEKS:
        problems.add("Aanbod", f"komt uit de melding van {periods.parse_period(offer['week'], 'week').label}, "
                               f"{_weeks(age)} ouder dan de nieuwste melding in de regio (meer dan "
                               f"{MAX_OFFER_AGE_WEEKS}); vraag de gemeente of het nog geldt.")  # fmt: skip
    exists = connection.execute(
        sa.select(COUPLINGS.c.coupling_id).where(
            COUPLINGS.c.bottleneck_key == need["bottleneck_key"], COUPLINGS.c.offer_key == offer["offer_key"]
        )
    ).first()
    if exists:
        problems.add("Koppeling", "deze koppeling is al vastgelegd.")


def _check_capacity(problems: checks.Collector, offer: sa.RowMapping, wanted: int, connection: sa.Connection) -> None:
    """Whether the offer still has `wanted` people or units: its amount minus what couplings already use."""
    used = connection.execute(
        sa.select(sa.func.coalesce(sa.func.sum(sa.func.coalesce(COUPLINGS.c.units, 1)), 0)).where(
            COUPLINGS.c.offer_key == offer["offer_key"]
        )
    ).scalar_one()
    amount = 1 if offer["capacity_amount"] is None else int(offer["capacity_amount"])
    left = amount - int(used)
    whole = capacity_text(amount, offer["capacity_unit"])
    if left <= 0:
        problems.add("Aanbod", f"is al helemaal gekoppeld ({whole}); er is niets meer over.")
    elif wanted > left:
        problems.add("Aantal", f"hoogstens {left} (nog over van {whole}).")
