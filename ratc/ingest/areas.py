"""Which area a delivered row names: one of the monitor's areas, a municipality merged into one, or a total row.

Municipalities are named by code (GM0505, 505, gm505) or name, forgiving case and spacing. A code or name of a
municipality that merged into one of ours (`data/mergers.csv`) is refused with the merger named: its figure is
only part of the new municipality's. A total row is refused too: the monitor sums the municipalities itself.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ratc.core import metadata
from ratc.ingest import notation

MERGERS_FILE = "mergers.csv"
# Area types a delivery may name: municipalities always, context areas only in CBS and RIVM files.
MUNICIPAL = frozenset({"gemeente"})
WITH_CONTEXT = frozenset({"gemeente", "land", "provincie"})
# 'Totaal', 'Totaal regio', 'Eindtotaal', 'Subtotaal' as a municipality; only the bare word in other columns.
TOTAL_AREA = re.compile(r"(eind|sub|generaal)?totaal.*|total|grandtotal|som|allegemeenten")
TOTAL_WORD = re.compile(r"(eind|sub|generaal)?totaal|total|som")


def read_mergers(data_dir: Path) -> pd.DataFrame:
    """Municipalities merged into one of ours: old code and name, new code and name, date, source."""
    path = data_dir / MERGERS_FILE
    if not path.exists():
        return pd.DataFrame(columns=["old_code", "old_name", "new_code", "new_name", "merger_date", "source"])
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def is_total(text: object, area: bool = True) -> bool:
    """Whether a cell says 'total': as a municipality also 'Totaal regio'; elsewhere only the bare word."""
    key = notation.normalise_name(str(text or ""))
    return (TOTAL_AREA if area else TOTAL_WORD).fullmatch(key) is not None


@dataclass(frozen=True)
class AreaAnswer:
    """What a cell names: an area code to deliver for, or a Dutch message without the row prefix."""

    code: str | None
    message: str | None = None


class AreaLookup:
    """The areas of the monitor and the merged municipalities, looked up by every way a delivery writes them."""

    def __init__(self, areas: pd.DataFrame, mergers: pd.DataFrame, deliverable: frozenset[str]):
        self.names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
        self.types = dict(zip(areas["area_code"], areas["area_type"], strict=True))
        self.region_name = next(iter(areas.loc[areas["area_type"] == "regio", "area_name"]), "de regio")
        self.lookup: dict[str, str] = {}
        self.not_deliverable: dict[str, str] = {}
        for row in areas.itertuples():
            target = self.lookup if row.area_type in deliverable else self.not_deliverable
            for key in notation.area_keys(row.area_code, row.area_name, row.slug):
                target.setdefault(key, row.area_code)
        self.mergers = {row.old_code: row for row in mergers.itertuples()}
        self.merged: dict[str, str] = {}
        for row in mergers.itertuples():
            for key in notation.area_keys(row.old_code, row.old_name, row.old_name):
                self.merged.setdefault(key, row.old_code)

    @classmethod
    def from_data(cls, data_dir: Path, deliverable: frozenset[str]) -> AreaLookup:
        """The lookup for the areas and mergers in a data folder."""
        return cls(metadata.read_areas(data_dir), read_mergers(data_dir), deliverable)

    def find(self, text: object) -> AreaAnswer:
        """The area a cell names, or why it names none the delivery may hold."""
        shown = str(text or "").strip()
        if not shown:
            return AreaAnswer(None, "gemeente ontbreekt.")
        key = notation.normalise_name(shown)
        if key in self.lookup:
            return AreaAnswer(self.lookup[key])
        if key in self.not_deliverable:
            code = self.not_deliverable[key]
            if self.types[code] == "regio":
                return AreaAnswer(None, f"'{shown}' is de regio {self.names[code]}; die wordt berekend als som van de "
                                        "gemeenten en kan niet worden aangeleverd.")  # fmt: skip
            return AreaAnswer(None, f"'{shown}' ({self.names[code]}) kan hier niet worden aangeleverd; "
                                    "lever alleen cijfers van de gemeenten in de regio.")  # fmt: skip
        if key in self.merged:
            return AreaAnswer(None, self.merger_message(shown, self.merged[key]))
        if is_total(shown):
            return AreaAnswer(None, total_message(shown))
        message = f"gemeente '{shown}' is onbekend in {self.region_name}."
        municipalities = [name for code, name in self.names.items() if self.types[code] == "gemeente"]
        guess = difflib.get_close_matches(shown.lower(), [name.lower() for name in municipalities], n=1, cutoff=0.8)
        if guess:
            message += f" Bedoelt u {next(name for name in municipalities if name.lower() == guess[0])}?"
        return AreaAnswer(None, message)

    def merger_message(self, shown: str, old_code: str) -> str:
        """Why a merged municipality's figure cannot be delivered: it is part of the new one; names the merger."""
        merger = self.mergers[old_code]
        others = sorted(row.old_name for row in self.mergers.values()
                        if row.new_code == merger.new_code and row.old_code != old_code)  # fmt: skip
        date = dt.date.fromisoformat(merger.merger_date)
        when = f"{date.day} {notation.MONTHS_NL[date.month - 1]} {date.year}"
        partners = f" met {_listed(others)}" if others else ""
        return (
            f"gemeente '{shown}' is {merger.old_name} ({merger.old_code}), dat op {when}{partners} is opgegaan in "
            f"{merger.new_name} ({merger.new_code}). Een cijfer van {merger.old_name} alleen is maar een deel van "
            f"{merger.new_name}: lever het cijfer van {merger.new_name} als geheel (voor perioden vóór {date.year}: "
            "de som van alle samengevoegde gemeenten)."
        )


def merged_note(found: set[str], data_dir: Path) -> str | None:
    """A note for a public file that holds municipalities merged into ours: their rows were not added up."""
    mergers = read_mergers(data_dir)
    keys = {notation.normalise_name(text) for text in found}
    hit = mergers[[bool(notation.area_keys(row.old_code, row.old_name, row.old_name) & keys)
                   for row in mergers.itertuples()]]  # fmt: skip
    if hit.empty:
        return None
    parts = [f"{_listed(sorted(group['old_name']))} in {new_name}" for new_name, group in hit.groupby("new_name")]
    return (
        f"Dit bestand bevat gemeenten die op 1 januari 2019 zijn samengevoegd ({'; '.join(parts)}). Hun cijfers zijn "
        "niet opgeteld: een oude gemeente is maar een deel van de nieuwe. Lever de nieuwe gemeente als geheel."
    )


def total_message(shown: str) -> str:
    """Why a total row is refused."""
    return (
        f"'{shown}' is een totaalrij. De monitor telt de gemeenten zelf op tot de regio; verwijder deze rij en lever "
        "alleen de cijfers per gemeente."
    )


def _listed(names: list[str]) -> str:
    """'A', 'A en B', 'A, B en C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
