"""The national path of a scenario: GDP gap, support, unemployment and each indicator's national effect per month.

A transparent chain of monthly steps from January 2020 to December 2021; every number it uses is a row of
`data/scenario/parameters.csv` (value, band, plain-Dutch explanation, source), read by `ratc.scenario.parameters`.
`ratc.scenario.municipal` takes the national effects to each municipality (steps 4 and 5).

1. **GDP** (`gdp_gap`): the gap to the no-crisis path (growth `bbp_groei_basis` a year) opens in March 2020,
   stays at its depth while the restrictions last (`duur` months) and then recovers to a lasting share
   (`bbp_blijvend_deel`) of that depth with a half-life of `bbp_herstel_halveringstijd` months. The depth makes
   the 2020 **annual average** equal the chosen 2020 growth; in 2021 a straight line from zero in December 2020
   is added that makes the 2021 average right. So 2021's growth never changes 2020's months.
2. **Unemployment** (`unemployment`): the GDP gap, `werkloosheid_vertraging` months earlier, times the Okun
   coefficient, minus the share that support (NOW/Tozo, `steun` % until `steun_tot`) absorbs; job losses show
   with a half-life of `banenverlies_halveringstijd` months and fade with that of the recovery shape (V, U, L:
   `herstel_v`/`_u`/`_l`). Calibrated on **annual averages**: with a CPB preset the model's 2020 and 2021
   averages meet the CPB's unemployment figures within 0.2 point (`calibrate_support` found the presets'
   support settings; `tests/test_scenario.py` checks them).
3. **Indicators** (`indicator_effects`), as a relative change against no crisis: WW follows unemployment's
   relative change (`elasticiteit`, `vertraging`); bijstand follows WW a further `vertraging` months later;
   schuldhulp follows unemployment with its own lag; faillissementen follow the GDP gap (lagged), less what
   support holds back (`faillissementen_uitstel`), and the held-back ones come in the `faillissementen_inhaal`
   months after support ends.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ratc.scenario import settings as scenario_settings
from ratc.scenario.parameters import Preset, ScenarioData
from ratc.scenario.settings import Settings

MONTHS = tuple(f"{year}-{month:02d}" for year in (2020, 2021) for month in range(1, 13))
CRISIS_START = MONTHS.index("2020-03")
VARIANTS = ("centraal", "laag", "hoog")


@dataclass(frozen=True)
class NationalPath:
    """The national side of a scenario, month by month from January 2020: GDP gap, support, unemployment."""

    gdp_gap: np.ndarray
    support: np.ndarray
    unemployment: np.ndarray

    def annual_unemployment(self, year: int) -> float:
        """The average unemployment rate (% of the labour force) over one calendar year."""
        months = [number for number, key in enumerate(MONTHS) if key.startswith(str(year))]
        return float(self.unemployment[months].mean())


def gdp_gap(settings: Settings, data: ScenarioData) -> np.ndarray:
    """Monthly GDP in % against the no-crisis path (negative = loss); its 2020 and 2021 averages match the settings,
    and the 2020 months depend on the 2020 growth alone."""
    growth = data.parameters.value("bbp_groei_basis") / 100
    level_2020 = ((1 + settings.bbp_2020 / 100) / (1 + growth) - 1) * 100
    level_2021 = ((1 + settings.bbp_2020 / 100) * (1 + settings.bbp_2021 / 100) / (1 + growth) ** 2 - 1) * 100
    month = np.arange(len(MONTHS))
    end = CRISIS_START + settings.duur
    step = 0.5 ** (1 / data.parameters.value("bbp_herstel_halveringstijd"))
    lasting = data.parameters.value("bbp_blijvend_deel")
    # the shock: full depth during the restrictions, then back to a lasting share of it
    shock = np.where(
        month < CRISIS_START, 0.0, np.where(month < end, 1.0, lasting + (1 - lasting) * step ** (month - end + 1))
    )
    # 2021: a straight line from zero in December 2020 that makes the 2021 average come out right
    line = np.where(month < 12, 0.0, (month - 11) / 12)
    depth = level_2020 / shock[:12].mean()
    slope = (level_2021 - depth * shock[12:].mean()) / line[12:].mean()
    return depth * shock + slope * line


def support_share(settings: Settings) -> np.ndarray:
    """The share of job losses that NOW and Tozo absorb, per month: from March 2020 through `steun_tot`."""
    month = np.arange(len(MONTHS))
    active = (month >= CRISIS_START) & (month <= MONTHS.index(settings.steun_tot))
    return np.where(active, settings.steun / 100, 0.0)


def unemployment(settings: Settings, data: ScenarioData, variant: str = "centraal") -> np.ndarray:
    """The national unemployment rate (% of the labour force) per month."""
    parameters = data.parameters
    pressure = -_lag(gdp_gap(settings, data), parameters.value("werkloosheid_vertraging")) * (
        1 - support_share(settings)
    )
    rise = _smoothing(parameters.value("banenverlies_halveringstijd"))
    fall = _smoothing(parameters.value(f"herstel_{settings.herstel.lower()}"))
    level, path = 0.0, []
    for value in pressure:
        level += (rise if value > level else fall) * (value - level)
        path.append(level)
    okun = parameters.value("okun_coefficient", variant=variant)
    return parameters.value("werkloosheid_basis") + okun * np.array(path)


def national_path(settings: Settings, data: ScenarioData) -> NationalPath:
    """GDP gap, support and unemployment of a scenario."""
    return NationalPath(gdp_gap(settings, data), support_share(settings), unemployment(settings, data))


def indicator_effects(settings: Settings, data: ScenarioData, variant: str = "centraal") -> dict[str, np.ndarray]:
    """Per indicator the national relative change against no crisis, per month (0.1 = 10% more)."""
    parameters = data.parameters

    def value(name: str, applies_to: str) -> float:
        """A parameter of this variant."""
        return parameters.value(name, applies_to, variant)

    base = parameters.value("werkloosheid_basis")
    relative = (unemployment(settings, data, variant) - base) / base
    ww_lag = value("vertraging", "ww_uitkeringen")
    effects = {
        "ww_uitkeringen": value("elasticiteit", "ww_uitkeringen") * _lag(relative, ww_lag),
        "bijstand_uitkeringen": value("elasticiteit", "bijstand_uitkeringen")
        * _lag(relative, ww_lag + value("vertraging", "bijstand_uitkeringen")),
        "schuldhulp_aanmeldingen": value("elasticiteit", "schuldhulp_aanmeldingen")
        * _lag(relative, value("vertraging", "schuldhulp_aanmeldingen")),
    }
    support = support_share(settings)
    loss = -_lag(gdp_gap(settings, data), value("vertraging", "faillissementen"))
    held_back = value("faillissementen_uitstel", "faillissementen") * support
    catch_up = np.zeros(len(MONTHS))
    months = int(value("faillissementen_inhaal", "faillissementen"))
    end = MONTHS.index(settings.steun_tot)
    catch_up[end + 1 : end + 1 + months] = held_back.sum() / months
    effects["faillissementen"] = value("elasticiteit", "faillissementen") * loss * (1 - support) - held_back + catch_up
    return effects


def calibrate_support(preset: Preset, data: ScenarioData) -> tuple[int, str, float]:
    """The support level and end month that bring a preset's modelled unemployment closest to its CPB figures
    (annual averages of 2020 and 2021): (steun %, steun_tot, largest miss in points). How presets.csv was filled."""
    best = None
    base = scenario_settings.from_preset(preset, data)
    for level in range(0, 101, scenario_settings.SUPPORT[2]):
        for end in scenario_settings.SUPPORT_MONTHS:
            path = national_path(replace(base, steun=level, steun_tot=end), data)
            miss = max(
                abs(path.annual_unemployment(2020) - preset.werkloosheid_2020),
                abs(path.annual_unemployment(2021) - preset.werkloosheid_2021),
            )
            if best is None or miss < best[2] - 1e-9:
                best = (level, end, miss)
    return best


def _lag(values: np.ndarray, months: float) -> np.ndarray:
    """The series `months` later: value at t is the input at t - months, zero before the start."""
    months = int(months)
    if months <= 0:
        return values.astype(float)
    return np.concatenate([np.zeros(months), values[:-months]])


def _smoothing(half_life: float) -> float:
    """The share of a gap closed each month for a half-life in months."""
    return 1.0 if half_life <= 0 else 1 - 0.5 ** (1 / half_life)
