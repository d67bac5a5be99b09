"""Saved scenarios in the collaborative store: a name, the settings (as a settings file's JSON) and when.

A saved scenario is kept exactly as its settings file would be (`ratc.scenario_settings.to_file`), so what the
store holds can be downloaded and loaded again, and is validated by the same code when it is read back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ratc.core import fmt, store, text
from ratc.scenario import settings as scenario_settings
from ratc.scenario.parameters import ScenarioData
from ratc.scenario.settings import Settings, SettingsFileError

SCENARIOS = sa.Table(
    "scenarios",
    store.METADATA,
    sa.Column("scenario_id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(scenario_settings.NAME_LIMIT), nullable=False),
    sa.Column("settings_json", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
LIST_LIMIT = 100


@dataclass(frozen=True)
class SavedScenario:
    """A scenario as stored: its settings, or why they can no longer be read (`problem`)."""

    scenario_id: str
    name: str
    created_at: dt.datetime
    settings: Settings | None
    problem: str | None = None

    @property
    def label(self) -> str:
        """'Lange lockdown (opgeslagen 25 nov 2026 11:40)' for a list."""
        local = self.created_at.astimezone(LOCAL_TIME)
        return f"{self.name} (opgeslagen {fmt.date_short(local.date())} {local:%H:%M})"


def save(name: str, settings: Settings, url: str | None = None) -> SavedScenario:
    """Store a scenario under a name (cleaned; required) and return it; raises ValueError with a Dutch message."""
    raw = "" if name is None else str(name)
    cleaned = text.clean_line(raw, text.MAX_RAW)
    if len(raw) > text.MAX_RAW or len(cleaned) > scenario_settings.NAME_LIMIT:  # refused, never cut
        length = len(raw) if len(raw) > text.MAX_RAW else len(cleaned)
        raise ValueError(f"De naam is {fmt.number(length)} tekens lang; hoogstens {scenario_settings.NAME_LIMIT}. "
                         "Maak hem korter; er is niets opgeslagen.")  # fmt: skip
    if not cleaned:
        raise ValueError("Geef het scenario een naam om het op te slaan.")
    created_at = store.now()
    document = scenario_settings.to_file(settings, cleaned, created_at).decode("utf-8")
    row = {"scenario_id": store.new_id(), "name": cleaned, "settings_json": document, "created_at": created_at}
    with store.begin(url) as connection:
        connection.execute(SCENARIOS.insert().values(**row))
    return SavedScenario(row["scenario_id"], cleaned, created_at, settings)


def saved(data: ScenarioData, url: str | None = None, limit: int = LIST_LIMIT) -> list[SavedScenario]:
    """The saved scenarios, newest first; one whose settings no longer validate is listed with its problem."""
    query = sa.select(SCENARIOS).order_by(SCENARIOS.c.created_at.desc(), SCENARIOS.c.name).limit(limit)
    with store.read(url) as connection:
        rows = connection.execute(query).mappings().all()
    return [_from_row(row, data) for row in rows]


def load(scenario_id: str, data: ScenarioData, url: str | None = None) -> SavedScenario:
    """One saved scenario; raises KeyError when it does not exist."""
    with store.read(url) as connection:
        row = connection.execute(sa.select(SCENARIOS).where(SCENARIOS.c.scenario_id == scenario_id)).mappings().first()
    if row is None:
        raise KeyError(scenario_id)
    return _from_row(row, data)


def _from_row(row, data: ScenarioData) -> SavedScenario:
    """A stored row read back through the settings-file validation."""
    created_at = row["created_at"]
    if created_at.tzinfo is None:  # SQLite keeps no time zone; we always store UTC
        created_at = created_at.replace(tzinfo=dt.UTC)
    try:
        _, settings = scenario_settings.from_file(row["settings_json"].encode("utf-8"), data)
    except SettingsFileError as error:
        return SavedScenario(row["scenario_id"], row["name"], created_at, None, "; ".join(error.messages))
    return SavedScenario(row["scenario_id"], row["name"], created_at, settings)
