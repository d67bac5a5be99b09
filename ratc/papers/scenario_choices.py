"""Which scenarios a paper describes: up to four presets, saved scenarios, share links or pinned scenarios, each
with a name and its settings; the projection of each, labelled as the Scenario's page labels it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from ratc.scenario import municipal
from ratc.scenario import saved as scenario_store
from ratc.scenario import settings as scenario_settings
from ratc.scenario.parameters import ScenarioData
from ratc.scenario.settings import Settings

MAX_SCENARIOS = 4


class ChoiceError(ValueError):
    """A scenario that cannot be found or read; the message is Dutch."""


@dataclass(frozen=True)
class ScenarioChoice:
    """A scenario to describe: the name it goes by in the paper, its settings, and a short name for legends and
    table headings ('CPB-scenario 3'; the name itself when empty)."""

    name: str
    settings: Settings
    short: str = ""

    @property
    def short_name(self) -> str:
        """The name for a legend or a column."""
        return self.short or self.name


def preset(preset_id: str, data: ScenarioData) -> ScenarioChoice:
    """A preset by id ('cpb3'), named as the page names it ('CPB-scenario 3 (6 maanden, zwaarder)')."""
    found = data.presets.get(preset_id.strip().lower())
    if found is None:
        raise ChoiceError(f"Scenario '{preset_id}' bestaat niet; kies uit {', '.join(data.presets)}.")
    short = found.korte_naam[0].upper() + found.korte_naam[1:]
    return ScenarioChoice(found.naam, scenario_settings.from_preset(found, data), short)


def from_link(link: str, data: ScenarioData, name: str = "") -> ScenarioChoice:
    """A scenario from a share link or its query string ('scenario=cpb3&duur=9'); invalid values are refused."""
    query_string = urlsplit(link.strip()).query or link.strip().lstrip("?")
    settings, _, notices = scenario_settings.from_params(dict(parse_qsl(query_string)), data)
    if notices:
        raise ChoiceError(" ".join(notices))
    label = scenario_settings.label(settings, data)
    return ScenarioChoice(name or label[0].upper() + label[1:], settings)


def from_store(name_or_id: str, data: ScenarioData) -> ScenarioChoice:
    """A saved scenario by its id or its name (the newest with that name)."""
    for entry in scenario_store.saved(data):
        if name_or_id in (entry.scenario_id, entry.name):
            if entry.settings is None:
                raise ChoiceError(f"Het opgeslagen scenario '{entry.name}' kan niet worden gelezen: {entry.problem}")
            return ScenarioChoice(entry.name, entry.settings)
    raise ChoiceError(f"Er is geen opgeslagen scenario '{name_or_id}'.")


def resolve(text: str, data: ScenarioData) -> ScenarioChoice:
    """What the command line names: a preset id, a share link (with '='), or a saved scenario's id or name."""
    if text.strip().lower() in data.presets:
        return preset(text, data)
    if "=" in text:
        return from_link(text, data)
    return from_store(text, data)


def checked(choices: Sequence[ScenarioChoice]) -> list[ScenarioChoice]:
    """One to four scenarios with different names."""
    if not choices:
        raise ChoiceError("Kies ten minste één scenario.")
    if len(choices) > MAX_SCENARIOS:
        raise ChoiceError(f"Een paper beschrijft hoogstens {MAX_SCENARIOS} scenario's.")
    if len({choice.name for choice in choices}) < len(choices) or len({choice.short_name for choice in choices}) < len(
        choices
    ):
        raise ChoiceError("Twee scenario's hebben dezelfde naam; geef ze verschillende namen.")
    return list(choices)


def label(choice: ScenarioChoice, data: ScenarioData) -> str:
    """How the sentences name a scenario: a preset as the page names it ('CPB-scenario 3'), another by its name."""
    preset_found = scenario_settings.matching_preset(choice.settings, data)
    return preset_found.korte_naam if preset_found else f"scenario '{choice.name}'"


def project(
    observations: municipal.Observed, choices: Sequence[ScenarioChoice], data: ScenarioData
) -> list[tuple[ScenarioChoice, municipal.Projection]]:
    """Each scenario worked out from the same observations, labelled for its sentences."""
    return [(choice, municipal.project(observations, choice.settings, data, label(choice, data))) for choice in choices]
