"""Deterministic demo content for the shared store: weekly continuity reports of the ten municipalities
(weeks 12-25 of 2020) and a registry of initiatives with coalitions, stored with is_demo set.

Everything passes the same validation as a form and the same key check (the region's continuity key, the
initiatives key; the command line passes keys.TRUSTED). Loading replaces earlier demo content and never touches
real reports or initiatives; the pages label it "Demodata" and never show it mixed with real content.
The shape is an assumption of the demo, not an observation: pressure on each process follows the first
wave (highest in weeks 13-16), a municipality-specific load, and a fixed pseudo-random jitter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ratc.continuity import form
from ratc.continuity import matching as continuity_matching
from ratc.continuity import region as continuity_region
from ratc.continuity import reports as continuity
from ratc.core import keys, paths, periods
from ratc.initiatives import matching as initiative_matching
from ratc.initiatives import registry as initiatives

FIRST_WEEK, LAST_WEEK = 12, 25
YEAR = 2020
# How hard the crisis pressed on each process per week (0-1), between these knots: the lockdown hit counters,
# ICT and funerals first; Tozo kept werk & inkomen busy; debt help and postponed care rose later; parks and
# beaches asked for enforcement again in early summer.
PRESSURE = {
    "burgerzaken": {12: 0.9, 14: 0.9, 16: 0.5, 19: 0.7, 25: 0.65},
    "werk_inkomen": {12: 0.5, 14: 1.0, 17: 1.0, 20: 0.7, 25: 0.8},
    "schuldhulp": {12: 0.2, 16: 0.4, 20: 0.75, 25: 0.9},
    "jeugd_wmo": {12: 0.6, 14: 0.8, 17: 0.7, 21: 0.55, 25: 0.65},
    "afval": {12: 0.4, 14: 0.7, 16: 0.6, 18: 0.25, 25: 0.2},
    "handhaving": {12: 0.7, 14: 0.95, 16: 0.9, 19: 0.45, 22: 0.7, 25: 0.8},
    "ict_thuiswerken": {12: 1.0, 14: 0.9, 16: 0.4, 18: 0.15, 25: 0.1},
    "communicatie": {12: 0.8, 15: 0.6, 18: 0.35, 25: 0.3},
    "begraven": {12: 0.3, 14: 0.9, 17: 0.8, 19: 0.3, 25: 0.15},
    "klantcontact": {12: 0.8, 15: 0.7, 18: 0.4, 23: 0.45, 25: 0.6},
}
HARD = {"werk_inkomen", "handhaving", "schuldhulp"}  # no solution while they are red
ABSENCE_PCT = {12: 8.0, 13: 11.0, 14: 12.5, 16: 9.5, 19: 6.5, 22: 5.0, 25: 5.5}  # staff absence, before the load
# Reporting gaps: Molenlanden stopped after week 23 (its row shows an older week), Hardinxveld skipped week 15.
SKIPPED = {"GM1978": set(range(24, 26)), "GM0523": {15}}
CORRECTED = ("GM0505", 20)  # Dordrecht corrected its report of week 20 the next day
NAMESPACE = uuid.UUID("5f0c7d1e-2c1a-4c55-9d4e-1a2b3c4d5e6f")


@dataclass(frozen=True)
class Loaded:
    """What was loaded: counts to report on the command line."""

    reports: int
    couplings: int
    initiatives: int
    coalitions: int


def load(url: str | None = None, data_dir: Path | None = None, *, key: keys.Key = None) -> Loaded:
    """Replace the demo content of both features in the store (the key must open both; keys.TRUSTED does)."""
    _require_both(key, "Demodata laden")
    reports, couplings = load_continuity(url, data_dir, key=key)
    registered, coalitions = load_initiatives(url, data_dir, key=key)
    return Loaded(reports, couplings, registered, coalitions)


def remove(url: str | None = None, *, key: keys.Key = None) -> None:
    """Remove all demo content; real content stays (the key must open both features; keys.TRUSTED does)."""
    _require_both(key, "Demodata verwijderen")
    continuity.remove_demo(url)
    initiatives.remove_demo(url)


def _require_both(key: keys.Key, what: str) -> None:
    """AccessDenied unless the key opens both the continuity reports (region) and the initiatives."""
    unset = [variable for variable in (keys.CONTINUITY, keys.INITIATIVES) if not keys.configured(variable)]
    keys.require(keys.may_couple(key) and keys.may_register(key),
                 f"{what} kan alleen met de sleutels van bedrijfsvoering en initiatieven.", *unset)  # fmt: skip


def _jitter(*parts: object) -> float:
    """A fixed number in [-1, 1) for these parts (crc32, so the same on every machine and run)."""
    return zlib.crc32("|".join(map(str, parts)).encode("utf-8")) / 2**31 - 1


def _key(*parts: object) -> str:
    """A stable key for a demo knelpunt or offer."""
    return uuid.uuid5(NAMESPACE, "|".join(map(str, parts))).hex


def load_continuity(url: str | None = None, data_dir: Path | None = None, *,
                    key: keys.Key = None) -> tuple[int, int]:  # fmt: skip
    """Replace the demo continuity reports and couplings; (reports, couplings) stored.

    `key` is the region's continuity key (it reports for every municipality): AccessDenied, nothing changed,
    when it is wrong.
    """
    keys.require(
        keys.may_couple(key),
        "Demodata laden kan alleen met de sleutel van de regio; er is niets veranderd.",
        keys.CONTINUITY,
    )
    folder = data_dir or paths.data_dir()
    vocabulary = continuity.catalogue(folder)
    problems = _by_process(pd.read_csv(folder / "demo" / "continuity_knelpunten.csv", dtype=str))
    offers = _by_process(pd.read_csv(folder / "demo" / "continuity_aanbod.csv", dtype=str))
    continuity.remove_demo(url)
    stored = 0
    for area_code in vocabulary.municipalities:
        load_factor = 0.9 + 0.25 * _jitter("load", area_code)
        episodes: dict[str, tuple[int, str]] = {}  # process -> (first week, key) of the open knelpunt
        for week in range(FIRST_WEEK, LAST_WEEK + 1):
            if week in SKIPPED.get(area_code, set()):
                continue
            statuses = {process: _status(area_code, process, week, load_factor) for process in vocabulary.processes}
            for process, status in statuses.items():
                if status == "groen":
                    episodes.pop(process, None)
                elif process not in episodes:
                    episodes[process] = (week, _key("knelpunt", area_code, process, week))
            report = _report(area_code, week, statuses, episodes, load_factor, problems, offers, vocabulary, folder)
            reported_at = _reported_at(week)
            continuity.save_report(report, demo=True, reported_at=reported_at, url=url, key=key)
            stored += 1
            if (area_code, week) == CORRECTED:
                corrected = dataclasses.replace(report, staff_absence_pct=round(report.staff_absence_pct + 1.2, 1),
                                                note="Correctie: ziekteverzuim was te laag opgegeven.")  # fmt: skip
                continuity.save_report(corrected, demo=True, reported_at=reported_at + dt.timedelta(days=1), url=url,
                                       key=key)  # fmt: skip
                stored += 1
    return stored, _demo_couplings(url, folder, key)


def _by_process(templates: pd.DataFrame) -> dict[str, list[dict]]:
    """Demo templates grouped by process, in file order."""
    return {process: group.to_dict("records") for process, group in templates.groupby("process_id", sort=False)}


def _status(area_code: str, process: str, week: int, load_factor: float) -> str:
    """A process's status in a week: wave × exposure × the municipality's load, plus a fixed jitter."""
    pressure = _between(PRESSURE[process], week)
    score = pressure * load_factor + 0.18 * _jitter("status", area_code, process) + 0.06 * _jitter(area_code, week)
    return "rood" if score > 0.8 else "oranje" if score > 0.5 else "groen"


def _between(knots_by_week: dict[int, float], week: int) -> float:
    """A value in a week, linear between knots."""
    knots = sorted(knots_by_week.items())
    for (low, low_value), (high, high_value) in zip(knots[:-1], knots[1:], strict=True):
        if low <= week <= high:
            return low_value + (high_value - low_value) * (week - low) / (high - low)
    return knots[-1][1]


def _report(
    area_code, week, statuses, episodes, load_factor, problems, offers, vocabulary, folder
) -> continuity.Report:
    """One demo report, built as the form would send it and validated like one."""
    period = periods.make_period("week", YEAR, week)
    stuck = []
    for process, (first_week, key) in episodes.items():
        options = problems.get(process) or [{"description": "Capaciteit onder druk", "help_kind": "capaciteit"}]
        template = options[int(abs(_jitter("template", area_code, process)) * len(options))]
        age = week - first_week
        solution = _solution(process, statuses[process], age)
        since = periods.make_period("week", YEAR, first_week).start - dt.timedelta(days=int(3 * abs(_jitter(key))))
        stuck.append({"sleutel": key, "proces": process, "omschrijving": template["description"], "sinds": since,
                      "oplossing": solution, "hulp_nodig": solution != "ja" and _jitter("help", key) > -0.7,
                      "soort_hulp": template["help_kind"]})  # fmt: skip
    offered = []
    for process, status in statuses.items():
        for template in offers.get(process, []):
            # people can be spared only on green; knowledge can be shared on orange too
            spare = status == "groen" or (status == "oranje" and template["help_kind"] == "expertise")
            if not spare or _jitter("offers", area_code, process, template["help_kind"]) < -0.1:
                continue
            offered.append({"sleutel": _key("aanbod", area_code, process, template["help_kind"]), "proces": process,
                            "soort_hulp": template["help_kind"], "omschrijving": template["description"],
                            "aantal": template["amount"], "eenheid": template["unit"],
                            "capaciteit": template["capacity"]})  # fmt: skip
    absence = _between(ABSENCE_PCT, week) * load_factor + 1.2 * _jitter("absence", area_code, week)
    return form.validate(
        area_code, period.key, round(absence, 1),
        pd.DataFrame({"proces": list(statuses), "status": list(statuses.values()), "toelichting": ""}),
        pd.DataFrame(stuck, columns=form.BOTTLENECK_COLUMNS),
        pd.DataFrame(offered, columns=form.OFFER_COLUMNS),
        reporter="Demodata", note="", today=period.end, data_dir=folder,
    )  # fmt: skip


def _solution(process: str, status: str, age: int) -> str:
    """Whether a knelpunt has a solution: none at first, partly after a few weeks, and the hardest stay without."""
    if status == "rood":
        return "nee" if age < 3 or (process in HARD and age < 10) else "deels"
    return "nee" if age < 1 else "deels" if age < 6 else "ja"


def _reported_at(week: int) -> dt.datetime:
    """Demo reports come in on the Friday of their week at 10:00 UTC."""
    return dt.datetime.combine(periods.make_period("week", YEAR, week).start + dt.timedelta(days=4), dt.time(10),
                               tzinfo=dt.UTC)  # fmt: skip


def _demo_couplings(url: str | None, folder: Path, key: keys.Key) -> int:
    """Record the best offer for the first three needs, as a regional meeting might have."""
    view = continuity_region.picture(demo=True, url=url)
    found = continuity_matching.matches(view, folder)
    best = found[found["rang"] == 1].head(3)
    for row in best.itertuples():
        continuity_matching.record_coupling(row.bottleneck_key, row.offer_key, "Afgesproken in het RAT-C-overleg.",
                                          "Demodata", url=url, recorded_at=_reported_at(LAST_WEEK),
                                          key=key)  # fmt: skip
    return len(best)


def load_initiatives(url: str | None = None, data_dir: Path | None = None, *,
                     key: keys.Key = None) -> tuple[int, int]:  # fmt: skip
    """Replace the demo initiatives and coalitions; (initiatives, coalitions) stored.

    `key` is the initiatives key: AccessDenied, nothing changed, when it is wrong.
    """
    keys.require(keys.may_register(key), "Demodata laden kan alleen met de sleutel voor initiatieven; er is niets "
                                         "veranderd.", keys.INITIATIVES)  # fmt: skip
    folder = data_dir or paths.data_dir()
    registry = pd.read_csv(folder / "demo" / "initiatives.csv", dtype=str, keep_default_na=False)
    items = pd.read_csv(folder / "demo" / "initiative_items.csv", dtype=str, keep_default_na=False)
    initiatives.remove_demo(url)
    first_day = dt.datetime(YEAR, 3, 16, 9, tzinfo=dt.UTC)
    for number, row in enumerate(registry.itertuples()):
        own = items[items["demo_id"] == row.demo_id].drop(columns="demo_id").rename(
            columns={"direction": "richting", "category_id": "categorie", "description": "omschrijving",
                     "capacity": "capaciteit"})  # fmt: skip
        registration = initiatives.validate(
            row.name, row.party_type, row.area_code, own, row.neighbourhood, row.description, row.contact_name,
            row.email, row.phone, row.website, data_dir=folder,
        )  # fmt: skip
        initiatives.register(registration, demo=True, registered_at=first_day + dt.timedelta(hours=7 * number),
                             url=url, initiative_id=_key("initiatief", row.demo_id), key=key)  # fmt: skip
    coalitions = 0
    for _ in range(6):  # the best suggestion for a few needs, one at a time, as people would record them
        found = initiative_matching.suggestions(initiatives.registry(demo=True, url=url), top=1, data_dir=folder)
        if found.empty:
            break
        pick = found.iloc[(coalitions * 7) % len(found)]
        initiatives.record_coalition(pick["need_item_id"], pick["offer_item_id"], note="Afgesproken via het wijkteam.",
                                     recorded_by="Demodata", url=url,
                                     recorded_at=first_day + dt.timedelta(days=14 + coalitions), key=key)  # fmt: skip
        coalitions += 1
    return len(registry), coalitions
