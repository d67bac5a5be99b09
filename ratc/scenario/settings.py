"""A scenario's settings: what the sliders hold, as share-link parameters and as a settings file, validated in Dutch.

Share links carry only what differs from a preset: `scenario=cpb3` alone restores CPB scenario 3, and
`scenario=cpb3&duur=9` that scenario with nine months of restrictions. Parameters: `scenario` (a preset id),
`duur` (months), `bbp2020`, `bbp2021` (%), `steun` (%), `steun_tot` (YYYY-MM), `herstel` (V, U, L), `toon`
(the indicator shown) and `gv_<municipality slug>` (a sensitivity). An invalid value falls back with a notice.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ratc.core import bounded_json, fmt, metadata, paths, periods, text
from ratc.scenario.parameters import INDICATORS, SHAPES, Preset, ScenarioData

DURATION = (0, 15)
GDP_2020 = (-12.0, 4.0)
GDP_2021 = (-6.0, 8.0)
SUPPORT = (0, 100, 5)
SENSITIVITY = (0.5, 2.0, 0.05)
SUPPORT_MONTHS = tuple(f"{year}-{month:02d}" for year in (2020, 2021) for month in range(1, 13))[2:]
SHAPE_LABELS = {"V": "V: snel", "U": "U: geleidelijk", "L": "L: traag"}
FILE_FORMAT = "ratc-scenario"
FILE_VERSION = 1
MAX_FILE_BYTES = 100_000
NAME_LIMIT = 60
OWN = "eigen"


AVERAGE_SENSITIVITY = 1.0


@dataclass(frozen=True)
class Settings:
    """Everything the sliders set: restrictions, GDP, support, recovery and each municipality's sensitivity."""

    duur: int
    bbp_2020: float
    bbp_2021: float
    steun: int
    steun_tot: str
    herstel: str
    gevoeligheid: tuple[tuple[str, float], ...]

    def sensitivity(self, area_code: str) -> float:
        """One municipality's sensitivity; average (1) for a municipality parameters.csv does not name."""
        return dict(self.gevoeligheid).get(area_code, AVERAGE_SENSITIVITY)

    def national(self) -> tuple:
        """The settings a preset fixes (everything but the sensitivities)."""
        return (self.duur, self.bbp_2020, self.bbp_2021, self.steun, self.steun_tot, self.herstel)


class SettingsFileError(ValueError):
    """A settings file that cannot be loaded; `messages` says in Dutch what is wrong, field by field."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def from_preset(preset: Preset, data: ScenarioData, sensitivities: Mapping[str, float] | None = None) -> Settings:
    """The settings a preset stands for, with the default sensitivities unless others are given."""
    values = dict(data.parameters.sensitivities)
    values.update(sensitivities or {})
    return Settings(
        duur=preset.duur_maanden,
        bbp_2020=preset.bbp_2020,
        bbp_2021=preset.bbp_2021,
        steun=preset.steun_pct,
        steun_tot=preset.steun_tot,
        herstel=preset.herstel,
        gevoeligheid=tuple(sorted(values.items())),
    )


def default(data: ScenarioData) -> Settings:
    """The page's starting point: the first preset with the default sensitivities."""
    return from_preset(data.default_preset, data)


def no_crisis(data: ScenarioData, like: Settings | None = None) -> Settings:
    """The 'geen crisis' settings, keeping the sensitivities of `like`."""
    return from_preset(data.no_crisis, data, dict(like.gevoeligheid) if like else None)


def matching_preset(settings: Settings, data: ScenarioData) -> Preset | None:
    """The preset whose sliders these settings equal, if any."""
    for preset in data.presets.values():
        if from_preset(preset, data).national() == settings.national():
            return preset
    return None


def label(settings: Settings, data: ScenarioData) -> str:
    """How a sentence names these settings: 'CPB-scenario 3' for a preset, otherwise 'dit scenario'."""
    preset = matching_preset(settings, data)
    return preset.korte_naam if preset else "dit scenario"


def preset_choices(data: ScenarioData) -> dict[str, tuple[str, str]]:
    """Per preset (and OWN) its name short enough for a narrow box ('CPB-scenario 3') and the words it leaves out
    ('6 maanden, zwaarder'): abbreviated deliberately, never cut off mid-word by the box."""
    named = {key: re.fullmatch(r"(.*?)\s*(?:\((.*)\))?", preset.naam).groups() for key, preset in data.presets.items()}
    return {**{key: (short, rest or "") for key, (short, rest) in named.items()}, OWN: ("Eigen instelling", "")}


def slugs() -> dict[str, str]:
    """Each municipality's URL slug by CBS code (for the `gv_<slug>` parameters)."""
    return _slugs(str(paths.data_dir() / "areas.csv"))


@functools.cache
def _slugs(areas_file: str) -> dict[str, str]:
    """The slugs of one areas file, read once: every slider change asks for them."""
    areas = metadata.read_areas(Path(areas_file).parent).query("area_type == 'gemeente'")
    return dict(zip(areas["area_code"], areas["slug"], strict=True))


def to_params(settings: Settings, data: ScenarioData, indicator: str | None = None) -> dict[str, str]:
    """Share-link parameters: the nearest preset's id (left out for the default) and whatever differs from it."""
    fields = {"duur": "duur", "bbp2020": "bbp_2020", "bbp2021": "bbp_2021", "steun": "steun", "steun_tot": "steun_tot",
              "herstel": "herstel"}  # fmt: skip

    def differences(preset: Preset) -> dict[str, str]:
        """The parameters that differ from a preset."""
        base = from_preset(preset, data)
        return {name: _plain(getattr(settings, field)) for name, field in fields.items()
                if getattr(settings, field) != getattr(base, field)}  # fmt: skip

    # the preset that needs the fewest extra parameters; on a tie the earlier one (the default comes first)
    nearest = min(data.presets.values(), key=lambda preset: len(differences(preset)))
    params = {} if nearest is data.default_preset else {"scenario": nearest.preset_id}
    params.update(differences(nearest))
    defaults = data.parameters.sensitivities
    for code, slug in slugs().items():
        if not math.isclose(settings.sensitivity(code), defaults.get(code, AVERAGE_SENSITIVITY)):
            params[f"gv_{slug}"] = _plain(settings.sensitivity(code))
    if indicator and indicator != default_indicator():
        params["toon"] = indicator
    return params


def from_params(raw: Mapping[str, str | None], data: ScenarioData) -> tuple[Settings, str, list[str]]:
    """Settings and the indicator to show from share-link parameters; invalid values fall back with a notice."""
    notices = []
    preset_id = (raw.get("scenario") or "").strip().lower()
    preset = data.presets.get(preset_id) if preset_id else data.default_preset
    if preset is None:
        notices.append(f"Scenario '{raw.get('scenario')}' bestaat niet; het standaardscenario wordt getoond.")
        preset = data.default_preset
    settings = from_preset(preset, data)
    readers = {
        "duur": ("duur", lambda value: _integer(value, *DURATION), f"een geheel aantal maanden van {DURATION[0]} "
                 f"tot en met {DURATION[1]}"),
        "bbp2020": ("bbp_2020", lambda value: _decimal(value, *GDP_2020), _range_text(GDP_2020, "%")),
        "bbp2021": ("bbp_2021", lambda value: _decimal(value, *GDP_2021), _range_text(GDP_2021, "%")),
        "steun": ("steun", lambda value: _step(value, *SUPPORT), "0 tot en met 100 in stappen van 5"),
        "steun_tot": ("steun_tot", lambda value: value if value in SUPPORT_MONTHS else None,
                      "een maand van 2020-03 tot en met 2021-12"),
        "herstel": ("herstel", lambda value: value.upper() if value.upper() in SHAPES else None, "V, U of L"),
    }  # fmt: skip
    changes = {}
    for name, (field, read, expected) in readers.items():
        value = raw.get(name)
        if value is None:
            continue
        parsed = read(value.strip())
        if parsed is None:
            shown = fmt.number(getattr(settings, field), 1) if isinstance(getattr(settings, field), float) else (
                getattr(settings, field))  # fmt: skip
            notices.append(f"'{name}={value}' is ongeldig (verwacht: {expected}); {shown} wordt gebruikt.")
        else:
            changes[field] = parsed
    sensitivities = dict(settings.gevoeligheid)
    # only municipalities with a sensitivity of their own have a slider; the others count as average (1)
    by_slug = {slug: code for code, slug in slugs().items() if code in data.parameters.sensitivities}
    for name, value in raw.items():
        if not name.startswith("gv_") or value is None:
            continue
        code = by_slug.get(name.removeprefix("gv_"))
        parsed = _step(value.strip(), *SENSITIVITY)
        if code is None:
            notices.append(f"'{name}' is geen gemeente met een eigen gevoeligheid; de parameter wordt genegeerd.")
        elif parsed is None:
            notices.append(f"'{name}={value}' is ongeldig (verwacht: een factor van 0,5 tot en met 2 in stappen van "
                           f"0,05); {fmt.number(settings.sensitivity(code), 2)} wordt gebruikt.")  # fmt: skip
        else:
            sensitivities[code] = parsed
    settings = replace(settings, **changes, gevoeligheid=tuple(sorted(sensitivities.items())))
    indicator = (raw.get("toon") or "").strip() or default_indicator()
    if indicator not in INDICATORS:
        notices.append(f"'toon={raw.get('toon')}' is geen indicator van dit model; de WW wordt getoond.")
        indicator = default_indicator()
    return settings, indicator, notices


def default_indicator() -> str:
    """The indicator the page shows first."""
    return INDICATORS[0]


def to_file(settings: Settings, name: str, made_at: dt.datetime | None = None) -> bytes:
    """A settings file (JSON, UTF-8) that `from_file` reads back into the same settings."""
    document = {
        "formaat": FILE_FORMAT,
        "versie": FILE_VERSION,
        "naam": text.clean_line(name, NAME_LIMIT),
        "gemaakt_op": (made_at or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat(),
        "instellingen": to_document(settings),
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_document(settings: Settings) -> dict:
    """The settings as a JSON-ready dict (the `instellingen` of a settings file, also what the store keeps)."""
    return {
        "duur_maanden": settings.duur,
        "bbp_2020_pct": settings.bbp_2020,
        "bbp_2021_pct": settings.bbp_2021,
        "steun_pct": settings.steun,
        "steun_tot": settings.steun_tot,
        "herstel": settings.herstel,
        "gevoeligheid": dict(settings.gevoeligheid),
    }


def from_file(content: bytes, data: ScenarioData) -> tuple[str, Settings]:
    """The name and settings in a settings file; raises SettingsFileError with every problem in Dutch."""
    try:
        # a settings file is three levels deep and holds small numbers: anything beyond is refused before use
        document = bounded_json.loads(content, MAX_FILE_BYTES, max_depth=5, max_digits=20)
    except bounded_json.BoundedJsonError as error:
        raise SettingsFileError([str(error)]) from None
    if not isinstance(document, dict) or document.get("formaat") != FILE_FORMAT:
        raise SettingsFileError(["Dit is geen scenariobestand van de RAT-C monitor: het veld 'formaat' ontbreekt "
                                 f"of is niet '{FILE_FORMAT}'."])  # fmt: skip
    if document.get("versie") != FILE_VERSION:
        raise SettingsFileError([f"Versie {document.get('versie')!r} van het scenariobestand wordt niet ondersteund "
                                 f"(verwacht: {FILE_VERSION})."])  # fmt: skip
    name = text.clean_line(document.get("naam") if isinstance(document.get("naam"), str) else "", NAME_LIMIT)
    return name, from_document(document.get("instellingen"), data)


def from_document(values: object, data: ScenarioData) -> Settings:
    """Settings from their JSON form, every field checked; raises SettingsFileError listing each bad field."""
    if not isinstance(values, dict):
        raise SettingsFileError(["Het veld 'instellingen' ontbreekt of is geen object."])
    problems = []

    def field(name: str, check, expected: str):
        """One checked field, or None with a problem noted."""
        if name not in values:
            problems.append(f"Veld '{name}' ontbreekt (verwacht: {expected}).")
            return None
        value = values[name]
        parsed = check(value) if not isinstance(value, bool) else None
        if parsed is None:
            problems.append(
                f"Veld '{name}': {json.dumps(value, ensure_ascii=False)} is ongeldig (verwacht: {expected})."
            )
        return parsed

    duur = field("duur_maanden", lambda v: _integer(v, *DURATION), f"een geheel getal van {DURATION[0]} tot en met "
                 f"{DURATION[1]}")  # fmt: skip
    bbp_2020 = field("bbp_2020_pct", lambda v: _decimal(v, *GDP_2020), _range_text(GDP_2020, "%"))
    bbp_2021 = field("bbp_2021_pct", lambda v: _decimal(v, *GDP_2021), _range_text(GDP_2021, "%"))
    steun = field("steun_pct", lambda v: _step(v, *SUPPORT), "0 tot en met 100 in stappen van 5")
    steun_tot = field("steun_tot", lambda v: v if v in SUPPORT_MONTHS else None, "een maand van 2020-03 tot en met "
                      "2021-12, zoals \"2020-12\"")  # fmt: skip
    herstel = field("herstel", lambda v: v if isinstance(v, str) and v in SHAPES else None, '"V", "U" of "L"')
    sensitivities = dict(data.parameters.sensitivities)
    given = values.get("gevoeligheid", {})
    if not isinstance(given, dict):
        problems.append("Veld 'gevoeligheid' is geen object van gemeentecode naar factor.")
        given = {}
    for code, value in given.items():
        parsed = _step(value, *SENSITIVITY) if not isinstance(value, bool) else None
        if code not in sensitivities:
            problems.append(f"Veld 'gevoeligheid': '{code}' is geen gemeente met een eigen gevoeligheid.")
        elif parsed is None:
            problems.append(f"Veld 'gevoeligheid' voor {code}: {json.dumps(value)} is ongeldig (verwacht: 0,5 tot en "
                            "met 2 in stappen van 0,05).")  # fmt: skip
        else:
            sensitivities[code] = parsed
    if problems:
        raise SettingsFileError(problems)
    return Settings(duur, bbp_2020, bbp_2021, steun, steun_tot, herstel, tuple(sorted(sensitivities.items())))


def support_end_label(month: str) -> str:
    """'dec 2020' for '2020-12'."""
    return periods.parse_period(month, "maand").label


def _integer(value: object, low: int, high: int) -> int | None:
    """An integer within bounds (from text or a JSON number), or None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and low <= number <= high else None


def _decimal(value: object, low: float, high: float) -> float | None:
    """A number with at most one decimal within bounds (a comma is read as the decimal sign), or None."""
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or not low <= number <= high or not math.isclose(number, round(number, 1)):
        return None
    return round(number, 1)


def _step(value: object, low: float, high: float, step: float) -> float | int | None:
    """A number on a slider's grid (low, low + step, ... high), or None; a comma is read as the decimal sign."""
    try:
        number = float(value.replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    steps = (number - low) / step
    if not math.isfinite(number) or not low <= number <= high or not math.isclose(steps, round(steps), abs_tol=1e-6):
        return None
    on_grid = low + round(steps) * step
    return int(round(on_grid)) if isinstance(step, int) else round(on_grid, 2)


def _range_text(bounds: tuple[float, float], unit: str) -> str:
    """'een getal van -12,0 tot en met 4,0%, met hoogstens één decimaal'."""
    low, high = fmt.number(bounds[0], 1), fmt.number(bounds[1], 1)
    return f"een getal van {low} tot en met {high}{unit}, met hoogstens één decimaal"


def _plain(value: object) -> str:
    """A value as it goes into a URL: '-7.7', '6', '1.15'."""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


WIDGET_KEYS = {"duur": "sc_duur", "bbp_2020": "sc_bbp2020", "bbp_2021": "sc_bbp2021", "steun": "sc_steun",
               "steun_tot": "sc_steun_tot", "herstel": "sc_herstel"}  # fmt: skip
PRESET_KEY = "sc_preset"


def sensitivity_key(area_code: str) -> str:
    """The widget key of a municipality's sensitivity slider."""
    return f"sc_gv_{area_code}"


def widget_state(settings: Settings, data: ScenarioData) -> dict[str, object]:
    """The page's widget values for these settings (session-state keys to values), including the preset choice."""
    state = {key: getattr(settings, field) for field, key in WIDGET_KEYS.items()}
    state.update({sensitivity_key(code): value for code, value in settings.gevoeligheid})
    preset = matching_preset(settings, data)
    state[PRESET_KEY] = preset.preset_id if preset else OWN
    return state


def from_widget_state(state: Mapping[str, object], data: ScenarioData) -> Settings:
    """The settings the page's widgets hold."""
    sensitivities = {code: float(state[sensitivity_key(code)]) for code in data.parameters.sensitivities}
    return Settings(
        duur=int(state[WIDGET_KEYS["duur"]]),
        bbp_2020=round(float(state[WIDGET_KEYS["bbp_2020"]]), 1),
        bbp_2021=round(float(state[WIDGET_KEYS["bbp_2021"]]), 1),
        steun=int(state[WIDGET_KEYS["steun"]]),
        steun_tot=str(state[WIDGET_KEYS["steun_tot"]]),
        herstel=str(state[WIDGET_KEYS["herstel"]]),
        gevoeligheid=tuple(sorted((code, round(value, 2)) for code, value in sensitivities.items())),
    )
