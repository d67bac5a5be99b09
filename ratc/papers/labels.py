"""Where a paper says 'Demodata' and where its figures come from: the one demo decision and the citable sources.

`is_demo` is the only place a paper decides whether what it shows holds demo values; every table, chart and the
paper's own warning ask it, so switching the rule (per import today, per value where the warehouse marks them)
happens here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from ratc.core import fmt
from ratc.monitor.overview import Query

DEMO_WARNING = (
    "Demodata: de cijfers in dit document zijn gegenereerd voor demonstratie en training. Het zijn geen "
    "waarnemingen van gemeenten, CBS of RIVM."
)
DEMO_MARK = " · demodata"  # after a row's name when only some rows are demo, as the monitor's charts mark panels


def is_demo(rows: pd.DataFrame, imports: pd.DataFrame) -> bool:
    """Whether these observations (rows with `import_id`, and `is_demo` where the warehouse marks each value) hold
    demo values: a paper labels a table or chart 'Demodata' exactly when this says so."""
    if rows.empty:
        return False
    if "is_demo" in rows.columns:  # the warehouse says it per value
        return bool(rows["is_demo"].fillna(False).astype(bool).any())
    demo_imports = set(imports.loc[imports["is_demo"].astype(bool), "import_id"])
    return bool(rows["import_id"].isin(demo_imports).any())


def demo_indicators(rows: pd.DataFrame, imports: pd.DataFrame) -> set[str]:
    """The indicators (`indicator_id` of the rows) whose observations here hold demo values."""
    if rows.empty:
        return set()
    return {str(key) for key, group in rows.groupby("indicator_id") if is_demo(group, imports)}


def demo_warning(demo_names: list[str], shown: int) -> str | None:
    """The paper's opening warning: for every figure, for the named indicators only, or none."""
    if not demo_names:
        return None
    if len(demo_names) >= shown:
        return DEMO_WARNING
    return (f"Demodata: de cijfers van {fmt.listing(demo_names)} in dit document zijn gegenereerd voor demonstratie "
            "en training; de andere cijfers zijn echt.")  # fmt: skip


def demo_caption(demo_rows: int, rows: int) -> str:
    """What a table's caption adds: ' (Demodata)' for a table of demo figures, a word on its marked rows when only
    some are, nothing otherwise."""
    if demo_rows == 0:
        return ""
    return " (Demodata)" if demo_rows >= rows else f" (Demodata: de rijen met '{DEMO_MARK.strip(' ·')}')"


@dataclass
class Sources:
    """The sources a paper used, collected while it is written: per figure or table ('Tabel 1', 'Figuur 2') and
    source, the indicators it shows, the imports their observations came from, and whether they hold demo values."""

    imports: pd.DataFrame
    entries: dict[tuple[str, str], dict] = field(default_factory=dict)

    @classmethod
    def of(cls, query: Query) -> Sources:
        """An empty list of sources for the warehouse's imports."""
        return cls(query("import_lineage"))

    def add(self, source: str, indicator: str, rows: pd.DataFrame, used_in: str) -> None:
        """Note that `used_in` ('Figuur 2', 'Tabel 1') shows `indicator` from `source`, with these observations."""
        entry = self.entries.setdefault((used_in, source), {"indicators": [], "imports": set(), "demo": False})
        if indicator not in entry["indicators"]:
            entry["indicators"].append(indicator)
        if not rows.empty:
            entry["imports"].update(int(value) for value in rows["import_id"].dropna())
        entry["demo"] = entry["demo"] or is_demo(rows, self.imports)

    def use_lines(self) -> list[str]:
        """Per figure or table one line: 'Figuur 2: CBS / UWV (WW-uitkeringen); import 2. Demodata.'"""
        uses = list(dict.fromkeys(used_in for used_in, _ in self.entries))
        return [self._use_line(used_in) for used_in in uses]

    def _use_line(self, used_in: str) -> str:
        """One figure's or table's sources."""
        entries = {source: entry for (use, source), entry in self.entries.items() if use == used_in}
        named = "; ".join(f"{source} ({', '.join(entry['indicators'])})" for source, entry in entries.items())
        numbers = sorted({number for entry in entries.values() for number in entry["imports"]})
        imported = f"; {'import' if len(numbers) == 1 else 'imports'} {', '.join(map(str, numbers))}" if numbers else ""
        demo = " Demodata." if any(entry["demo"] for entry in entries.values()) else ""
        return f"{used_in}: {named}{imported}.{demo}"

    def table_rows(self) -> list[tuple[str, str, str, str]]:
        """Per source a row: the source, what it supplied, its imports ('2 (Demodata)') and where it is used."""
        merged: dict[str, dict] = {}
        for (used_in, source), entry in self.entries.items():
            row = merged.setdefault(source, {"indicators": [], "imports": set(), "used_in": [], "demo": False})
            row["indicators"] += [name for name in entry["indicators"] if name not in row["indicators"]]
            row["imports"] |= entry["imports"]
            row["used_in"].append(used_in)
            row["demo"] = row["demo"] or entry["demo"]
        return [
            (
                source,
                ", ".join(row["indicators"]),
                ", ".join(map(str, sorted(row["imports"]))) + (" (Demodata)" if row["demo"] else ""),
                ", ".join(row["used_in"]),
            )
            for source, row in merged.items()
        ]

    def import_lines(self) -> list[str]:
        """Per import used one citable line: 'Import 2: demo/observations.csv, ingelezen 25 nov 2026, SHA-256 …'."""
        used = sorted({number for entry in self.entries.values() for number in entry["imports"]})
        return [import_text(self.imports, number) for number in used]


def import_text(imports: pd.DataFrame, import_id: int) -> str:
    """'Import 2: demo/observations.csv (RAT-C demodata-generator), ingelezen 25 nov 2026, SHA-256 begint met
    10ec2829c1. Demodata.'"""
    by_id = imports.set_index("import_id")
    if import_id not in by_id.index:
        return f"Import {import_id}: niet meer in het importregister."
    row = by_id.loc[import_id]
    demo = " Demodata." if bool(row["is_demo"]) else ""
    return (
        f"Import {import_id}: {row['file_path']} ({row['source']}), ingelezen {_day(row['imported_at'])}, SHA-256 "
        f"begint met {str(row['checksum_sha256'])[:10]}.{demo}"
    )


def citation(title: str, made_on: dt.date) -> str:
    """How to refer to a paper: 'RAT-C Zuid-Holland-Zuid (2026). Factsheet Dordrecht. RAT-C monitor, 25 november
    2026.'"""
    return f"RAT-C Zuid-Holland-Zuid ({made_on.year}). {title}. RAT-C monitor, {fmt.date_long(made_on)}."


def _day(value: object) -> str:
    """An import's time as '25 nov 2026'."""
    moment = pd.Timestamp(value)
    if pd.isna(moment):
        return "onbekend"
    if moment.tzinfo is not None:
        moment = moment.tz_convert(fmt.LOCAL_TIME)
    return fmt.date_short(moment.date())
