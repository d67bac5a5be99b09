"""The scenario model's data files: its parameters (`data/scenario/parameters.csv`) and presets (`presets.csv`).

Every elasticity, lag and sensitivity lives in `parameters.csv`, one row each, with a plain-Dutch explanation
(`uitleg`) and where it comes from (`bron`); the code holds none of them. `geldt_voor` says what a row is for:
`NL` (the national path), an indicator id, `regio`, or a municipality's CBS code (its sensitivity). `laag` and
`hoog` bound the uncertainty band. `presets.csv` holds the CPB scenarios: their published GDP and unemployment
figures (facts, columns `bbp_*` and `werkloosheid_*`) and the slider settings that stand for them.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ratc.core import metadata, paths

INDICATORS = ("ww_uitkeringen", "bijstand_uitkeringen", "schuldhulp_aanmeldingen", "faillissementen")
NATIONAL = (
    "werkloosheid_basis",
    "bbp_groei_basis",
    "bbp_herstel_halveringstijd",
    "bbp_blijvend_deel",
    "okun_coefficient",
    "werkloosheid_vertraging",
    "banenverlies_halveringstijd",
    "herstel_v",
    "herstel_u",
    "herstel_l",
)
PER_INDICATOR = ("elasticiteit", "vertraging")
BANKRUPTCY = ("faillissementen_uitstel", "faillissementen_inhaal")
ANCHORING = ("aansluiting_halveringstijd", "aansluiting_maanden")
PARAMETER_COLUMNS = ["parameter", "geldt_voor", "waarde", "laag", "hoog", "eenheid", "naam", "uitleg", "bron"]
PRESET_COLUMNS = [
    "preset_id", "naam", "korte_naam", "omschrijving", "bbp_2020", "bbp_2021", "werkloosheid_2020",
    "werkloosheid_2021", "duur_maanden", "herstel", "steun_pct", "steun_tot", "bron", "toelichting",
]  # fmt: skip
SHAPES = ("V", "U", "L")


class ScenarioDataError(ValueError):
    """A scenario data file that the model cannot use; the message names the file, row and problem."""


@dataclass(frozen=True)
class Parameters:
    """The model's parameters: central values, the low and high values of the band, and the table they came from."""

    central: dict[tuple[str, str], float]
    low: dict[tuple[str, str], float]
    high: dict[tuple[str, str], float]
    table: pd.DataFrame

    def value(self, name: str, applies_to: str = "NL", variant: str = "centraal") -> float:
        """One parameter's value: `centraal`, `laag` or `hoog`."""
        source = {"centraal": self.central, "laag": self.low, "hoog": self.high}[variant]
        return source[(name, applies_to)]

    @property
    def sensitivities(self) -> dict[str, float]:
        """Each municipality's default sensitivity by CBS code."""
        return {code: value for (name, code), value in self.central.items() if name == "gevoeligheid"}


@dataclass(frozen=True)
class Preset:
    """A named starting point: the CPB's published figures and the slider settings that stand for them."""

    preset_id: str
    naam: str
    korte_naam: str
    omschrijving: str
    bbp_2020: float
    bbp_2021: float
    werkloosheid_2020: float | None
    werkloosheid_2021: float | None
    duur_maanden: int
    herstel: str
    steun_pct: int
    steun_tot: str
    bron: str
    toelichting: str


@dataclass(frozen=True)
class ScenarioData:
    """Parameters and presets together, as the model and the page use them."""

    parameters: Parameters
    presets: dict[str, Preset]

    @property
    def default_preset(self) -> Preset:
        """The first preset in the file: where the page starts."""
        return next(iter(self.presets.values()))

    @property
    def no_crisis(self) -> Preset:
        """The 'geen crisis' preset: GDP on the no-crisis path, no restrictions, no support."""
        return self.presets["geen-crisis"]


def scenario_dir(data_dir: Path | None = None) -> Path:
    """The folder of the scenario data files."""
    return (data_dir or paths.data_dir()) / "scenario"


def read_parameters(data_dir: Path | None = None) -> Parameters:
    """The parameters file, checked: every parameter the model needs, numbers, low <= value <= high."""
    path = scenario_dir(data_dir) / "parameters.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(PARAMETER_COLUMNS) - set(frame.columns)
    if missing:
        raise ScenarioDataError(f"{path.name}: kolommen ontbreken: {', '.join(sorted(missing))}")
    central, low, high, problems = {}, {}, {}, []
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        key = (row.parameter, row.geldt_voor)
        values = []
        for column in ("waarde", "laag", "hoog"):
            try:
                values.append(float(getattr(row, column)))
            except ValueError:
                problems.append(f"rij {number} ({row.parameter}): '{getattr(row, column)}' in {column} is geen getal")
        if len(values) < 3:
            continue
        if not values[1] <= values[0] <= values[2] or not all(math.isfinite(value) for value in values):
            problems.append(f"rij {number} ({row.parameter}): laag <= waarde <= hoog klopt niet")
        if key in central:
            problems.append(f"rij {number}: {row.parameter} voor {row.geldt_voor} staat er twee keer in")
        if not row.uitleg.strip() or not row.bron.strip():
            problems.append(f"rij {number} ({row.parameter}): uitleg en bron zijn verplicht")
        central[key], low[key], high[key] = values
    municipalities = set(metadata.read_areas(data_dir).query("area_type == 'gemeente'")["area_code"])
    problems += [
        f"gevoeligheid voor {code}: geen gemeente in areas.csv"
        for name, code in central
        if name == "gevoeligheid" and code not in municipalities
    ]
    required = [(name, "NL") for name in NATIONAL]
    required += [(name, indicator) for indicator in INDICATORS for name in PER_INDICATOR]
    required += [(name, "faillissementen") for name in BANKRUPTCY] + [(name, "regio") for name in ANCHORING]
    problems += [
        f"{name} voor {applies_to} ontbreekt" for name, applies_to in required if (name, applies_to) not in central
    ]
    if problems:
        raise ScenarioDataError(f"{path.name}: " + "; ".join(problems))
    return Parameters(central, low, high, frame)


def read_presets(data_dir: Path | None = None) -> dict[str, Preset]:
    """The presets file, checked: numbers, a known recovery shape, a support end month; in file order."""
    path = scenario_dir(data_dir) / "presets.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(PRESET_COLUMNS) - set(frame.columns)
    if missing:
        raise ScenarioDataError(f"{path.name}: kolommen ontbreken: {', '.join(sorted(missing))}")
    presets, problems = {}, []
    for number, row in enumerate(frame.to_dict("records"), start=2):
        try:
            preset = Preset(
                preset_id=row["preset_id"],
                naam=row["naam"],
                korte_naam=row["korte_naam"],
                omschrijving=row["omschrijving"],
                bbp_2020=float(row["bbp_2020"]),
                bbp_2021=float(row["bbp_2021"]),
                werkloosheid_2020=float(row["werkloosheid_2020"]) if row["werkloosheid_2020"] else None,
                werkloosheid_2021=float(row["werkloosheid_2021"]) if row["werkloosheid_2021"] else None,
                duur_maanden=int(row["duur_maanden"]),
                herstel=row["herstel"],
                steun_pct=int(row["steun_pct"]),
                steun_tot=row["steun_tot"],
                bron=row["bron"],
                toelichting=row["toelichting"],
            )
        except ValueError as error:
            problems.append(f"rij {number} ({row['preset_id']}): {error}")
            continue
        if preset.herstel not in SHAPES:
            problems.append(f"rij {number} ({preset.preset_id}): herstel moet V, U of L zijn")
        presets[preset.preset_id] = preset
    if "geen-crisis" not in presets:
        problems.append("de preset 'geen-crisis' ontbreekt")
    if problems:
        raise ScenarioDataError(f"{path.name}: " + "; ".join(problems))
    return presets


@functools.cache
def _load(folder: str, signature: tuple) -> ScenarioData:
    """The data files of one folder in one state (signature: names and modification times)."""
    data_dir = Path(folder)
    return ScenarioData(read_parameters(data_dir), read_presets(data_dir))


def load(data_dir: Path | None = None) -> ScenarioData:
    """Parameters and presets, read again only when a file in `data/scenario/` changed."""
    data_dir = data_dir or paths.data_dir()
    folder = scenario_dir(data_dir)
    signature = tuple((path.name, path.stat().st_mtime_ns) for path in sorted(folder.glob("*.csv")))
    return _load(str(data_dir), signature)
