"""Deterministic, realistic demo data: monthly, weekly and quarterly counts for 2019-2021.

One series per count indicator (rates are computed later by the warehouse) and per area: the ten
municipalities of Zuid-Holland-Zuid and the Netherlands (NL). The region VR18 is not generated; it is
the sum of the municipalities. Each series is

    level  x  shape averaged over the days of the period  x  noise

- level: per 10,000 inhabitants (base "pop"), a multiple of the CBS benefit counts in
  `data/demo/calibration.csv` (base "ww", "bijstand"), or a share of a national curve (base "nl"),
  optionally scaled by a deprivation index (municipal bijstand rate / national bijstand rate);
- shape: a daily curve from piecewise-linear knots, lockdown/school-closure windows and monthly
  seasonality, following what happened in 2020-2021 (COVID waves, WW jump, later and smaller bijstand
  rise, Tozo, fewer bankruptcies, more domestic-violence reports in lockdowns, ...);
- noise: Poisson for flows, a smooth AR(1) walk for stocks, seeded per indicator and area with crc32.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ratc.core import paths
from ratc.core.metadata import COUNTRY_CODE, read_areas, read_domains, read_indicators
from ratc.core.periods import Period, make_period, period_range
from ratc.warehouse import lineage

DEMO_SOURCE_FILE = "demo/observations.csv"
CALIBRATION_FILE = "demo/calibration.csv"
# How strongly each municipality's economy reacts to the crisis: an assumption of the demo, not a fact.
SENSITIVITY_FILE = "demo/sensitivity.csv"
CRISIS_START = "2020-03-01"
COLUMNS = ["area_code", "indicator_id", "period", "value"]
SEED = 20200227
FIRST_DAY, LAST_DAY = dt.date(2018, 12, 31), dt.date(2022, 1, 2)  # Monday of 2019-W01 .. Sunday of 2021-W52
FIRST_CASE = "2020-02-27"
# National "persons" behind the calibrated bases: 240,000 WW benefits and 0.95 x 437,000 = 415,000 bijstand
NL_PERSONS = {"ww": 240_000, "bijstand": 437_000}
# Noise per kind: (sigma, phi) of the AR(1) log-noise; national series get a third of the sigma
NOISE = {"walk": (0.005, 0.9), "poisson": (0.05, 0.5)}


def _lockdowns(first: float, second: float) -> tuple[tuple[str, str, float], ...]:
    """Multipliers during the first (mid-March - May 2020) and second (mid-Dec 2020 - Feb 2021) lockdown."""
    return (("2020-03-16", "2020-05-31", first), ("2020-12-15", "2021-02-28", second))


SCHOOLS_CLOSED = (
    ("2020-03-16", "2020-05-10", 0.15),
    ("2020-05-11", "2020-05-31", 0.5),
    ("2020-06-01", "2020-06-30", 0.85),
    ("2020-12-16", "2021-02-07", 0.2),
    ("2021-02-08", "2021-02-28", 0.6),
)
BURGLARY_SEASON = (1.25, 1.05, 0.9, 0.85, 0.8, 0.8, 0.85, 0.9, 0.95, 1.15, 1.3, 1.35)
SCHOOL_SEASON = (1.1, 1.05, 1.15, 1.0, 1.0, 1.05, 0.45, 0.3, 1.05, 1.1, 1.25, 0.85)
VSV_SEASON = (0.7, 0.7, 0.7, 0.6, 0.6, 0.6, 1.9, 1.9, 1.9, 0.8, 0.8, 0.8)

# National weekly COVID-19 counts (knots at mid-week); wave 1 follows RIVM's 2020 reports.
COVID_CASES = """
    2020-02-27:0 2020-03-05:250 2020-03-12:1100 2020-03-19:3500 2020-03-26:5500 2020-04-02:7000
    2020-04-09:7400 2020-04-16:7000 2020-04-23:5000 2020-04-30:3000 2020-05-07:2100 2020-05-14:1500
    2020-05-21:1200 2020-06-04:1100 2020-06-18:800 2020-07-02:450 2020-07-09:400 2020-07-16:650
    2020-07-23:1200 2020-07-30:2000 2020-08-06:3300 2020-08-13:4200 2020-08-27:3800 2020-09-03:4500
    2020-09-10:7000 2020-09-17:11000 2020-09-24:17000 2020-10-01:22000 2020-10-08:36000 2020-10-15:50000
    2020-10-22:62000 2020-10-29:66000 2020-11-05:55000 2020-11-12:42000 2020-11-19:36000 2020-11-26:35000
    2020-12-03:40000 2020-12-10:52000 2020-12-17:75000 2020-12-24:80000 2020-12-31:65000 2021-01-07:50000
    2021-01-21:38000 2021-02-04:29000 2021-02-18:28000 2021-03-11:36000 2021-03-25:45000 2021-04-08:50000
    2021-04-22:52000 2021-05-06:47000 2021-05-20:33000 2021-06-03:17000 2021-06-17:6000 2021-06-24:4500
    2021-07-01:7000 2021-07-08:30000 2021-07-15:60000 2021-07-22:48000 2021-07-29:30000 2021-08-12:15000
    2021-09-09:14000 2021-09-23:12000 2021-10-07:16000 2021-10-21:32000 2021-11-04:68000 2021-11-18:130000
    2021-11-25:150000 2021-12-02:145000 2021-12-16:110000 2021-12-30:100000"""
COVID_ADMISSIONS = """
    2020-02-27:0 2020-03-05:20 2020-03-12:250 2020-03-19:1300 2020-03-26:2700 2020-04-02:3000
    2020-04-09:2000 2020-04-16:1300 2020-04-23:850 2020-04-30:600 2020-05-07:380 2020-05-14:260
    2020-05-21:160 2020-06-04:70 2020-06-18:35 2020-07-02:15 2020-07-16:12 2020-07-30:30 2020-08-13:60
    2020-08-27:70 2020-09-10:90 2020-09-24:250 2020-10-08:700 2020-10-22:1400 2020-10-29:1800
    2020-11-05:1750 2020-11-19:1300 2020-12-03:1100 2020-12-17:1600 2020-12-31:1800 2021-01-14:1500
    2021-01-28:1150 2021-02-11:1000 2021-03-04:1050 2021-03-25:1400 2021-04-15:1750 2021-05-06:1450
    2021-05-27:700 2021-06-17:180 2021-07-01:70 2021-07-22:400 2021-08-12:420 2021-09-02:330
    2021-09-23:220 2021-10-14:400 2021-10-28:800 2021-11-11:1400 2021-11-25:2100 2021-12-09:1800
    2021-12-30:1100"""
COVID_DEATHS = """
    2020-03-05:0 2020-03-12:15 2020-03-19:180 2020-03-26:550 2020-04-02:950 2020-04-09:1000
    2020-04-16:900 2020-04-23:750 2020-04-30:550 2020-05-07:400 2020-05-14:250 2020-05-21:150
    2020-06-04:60 2020-06-18:30 2020-07-02:15 2020-07-16:5 2020-07-30:8 2020-08-13:15 2020-08-27:20
    2020-09-10:20 2020-09-24:50 2020-10-08:120 2020-10-22:300 2020-11-05:480 2020-11-19:520
    2020-12-03:420 2020-12-17:450 2020-12-31:550 2021-01-14:520 2021-01-28:420 2021-02-11:300
    2021-03-04:200 2021-04-01:170 2021-04-29:180 2021-05-27:90 2021-06-17:30 2021-07-08:10
    2021-07-29:50 2021-08-19:70 2021-09-09:50 2021-09-30:30 2021-10-21:60 2021-11-11:150
    2021-11-25:280 2021-12-09:350 2021-12-30:200"""
# Tozo applications per 10,000 inhabitants per month (step function; the scheme ran March 2020 - Sept 2021)
TOZO = """
    2020-03-01:35 2020-04-01:185 2020-05-01:65 2020-06-01:12 2020-07-01:6 2020-08-01:5 2020-09-01:4.5
    2020-10-01:5 2020-11-01:6 2020-12-01:10 2021-01-01:12 2021-02-01:8 2021-03-01:6 2021-04-01:5
    2021-05-01:4 2021-06-01:3.5 2021-07-01:3 2021-08-01:2.5 2021-09-01:2.5 2021-10-01:0"""


# Multipliers of the level over time, as knots "YYYY-MM-DD:value" (mid-month unless a date matters)
WW = """
    2019-01-15:1.08 2019-06-15:1.0 2019-12-15:0.99 2020-01-15:1.01 2020-02-15:1.0 2020-03-15:1.02
    2020-04-15:1.12 2020-05-15:1.18 2020-06-15:1.22 2020-07-15:1.25 2020-09-15:1.2 2020-12-15:1.12
    2021-03-15:1.1 2021-06-15:1.0 2021-09-15:0.88 2021-12-15:0.8"""
WW_YOUTH = """
    2019-01-15:1.1 2019-12-15:0.98 2020-02-15:1.0 2020-03-15:1.05 2020-04-15:1.3 2020-05-15:1.45
    2020-07-15:1.5 2020-09-15:1.35 2020-12-15:1.25 2021-03-15:1.2 2021-06-15:0.95 2021-12-15:0.75"""
NWW = """
    2019-01-15:1.08 2019-12-15:1.0 2020-03-15:1.0 2020-05-15:1.09 2020-08-15:1.13 2020-12-15:1.08
    2021-06-15:1.0 2021-12-15:0.9"""
BIJSTAND = """
    2019-01-15:1.02 2019-12-15:1.0 2020-06-15:1.0 2020-09-15:1.01 2020-12-15:1.02 2021-03-15:1.03
    2021-06-15:1.045 2021-09-15:1.04 2021-12-15:1.025"""
UITSTROOM = """
    2020-02-15:1 2020-04-15:0.55 2020-05-15:0.6 2020-06-15:0.7 2020-09-15:0.85 2020-12-15:0.8
    2021-03-15:0.85 2021-06-15:1.0 2021-09-15:1.1"""
BANKRUPTCIES = "2020-03-15:1 2020-04-15:0.9 2020-06-15:0.7 2020-09-15:0.65 2021-03-15:0.62 2021-06-15:0.58"
DEBT_HELP = "2020-02-15:1 2020-04-15:0.7 2020-05-15:0.8 2020-07-15:0.95 2020-10-15:1.05 2021-03-15:1.15"
FOOD_BANK = "2019-01-15:0.97 2020-01-15:1 2020-06-15:1 2020-12-15:1.08 2021-06-15:1.1 2021-12-15:1.08"
WMO = "2020-05-31:1 2020-06-15:1.15 2020-08-15:1.1 2020-10-15:1 2021-12-15:1.03"
YOUTH_CARE = "2020-06-15:1 2020-08-15:1.15 2020-11-15:1.05 2021-02-15:1"
HOME_SITTERS = "2020-12-15:1 2021-03-15:1.1 2021-06-15:1.2 2021-12-15:1.25"
DROPOUTS = "2020-03-15:1 2020-06-15:0.8 2021-06-15:0.85 2021-09-15:0.95"
SPECIAL_AID = "2020-03-15:1 2020-04-15:0.92 2020-09-15:1.08 2021-03-15:1.12"
DOMESTIC_VIOLENCE = "2019-01-15:1 2021-12-15:1.05"
NEIGHBOURS = "2020-06-15:1 2020-09-15:1.1 2021-12-15:1.08"
BURGLARIES = "2019-06-15:1 2020-06-15:0.85 2021-12-15:0.72"
CRISIS = "2020-09-15:1 2020-12-15:1.15 2021-03-15:1.25 2021-12-15:1.2"
YOUTH_CARE_DIP = (("2020-03-16", "2020-06-30", 0.7),)


@dataclass(frozen=True)
class Spec:
    """How to generate one count indicator."""

    base: str  # "pop" (level per 10,000 inhabitants), "ww"/"bijstand" (x calibration persons), "nl" (x NL curve)
    level: float
    knots: str = ""  # "YYYY-MM-DD:value ...": multiplier of the level over time (base "nl": national counts)
    noise: str = "poisson"  # "poisson" for flows, "walk" for stocks
    deprivation: float = 0.0  # exponent on the municipal bijstand rate relative to the national rate
    windows: tuple[tuple[str, str, float], ...] = ()  # (first day, last day, multiplier)
    seasonal: tuple[float, ...] | None = None  # twelve monthly factors
    step: bool = False  # knots are a step function instead of piecewise linear
    spread: float = 0.08  # sd of the log of a municipality's own level factor
    shift: int = 0  # max. days a municipality's curve is shifted (COVID timing)
    months: tuple[str, str] | None = None  # monthly indicators: only these months have rows
    sensitive: bool = False  # the crisis effect scales with the municipality's economic sensitivity


SPECS = {
    "covid_meldingen": Spec("nl", 1.0, COVID_CASES, spread=0.15, shift=5),
    "covid_ziekenhuisopnames": Spec("nl", 1.0, COVID_ADMISSIONS, spread=0.15, shift=5),
    "covid_overleden": Spec("nl", 1.0, COVID_DEATHS, spread=0.2, shift=5),
    "ggz_crisis": Spec("pop", 1.5, CRISIS, deprivation=0.4),
    "ww_uitkeringen": Spec("ww", 1.0, WW, noise="walk", spread=0.0, sensitive=True),
    "ww_jongeren": Spec("ww", 0.09, WW_YOUTH, noise="walk", spread=0.0, sensitive=True),
    "nww": Spec("ww", 1.65, NWW, noise="walk", deprivation=0.2, spread=0.0, sensitive=True),
    "tozo_aanvragen": Spec("pop", 1.0, TOZO, step=True, spread=0.15, months=("2020-03", "2021-09")),
    "faillissementen": Spec("pop", 0.158, BANKRUPTCIES),
    "bijstand_uitkeringen": Spec("bijstand", 0.95, BIJSTAND, noise="walk", spread=0.0, sensitive=True),
    "uitstroom_bijstand_werk": Spec("bijstand", 0.0105, UITSTROOM, spread=0.1, sensitive=True),
    "schuldhulp_aanmeldingen": Spec("pop", 4.3, DEBT_HELP, deprivation=0.7, sensitive=True),
    "bijzondere_bijstand": Spec("pop", 20.0, SPECIAL_AID, deprivation=0.8),
    "voedselbank_huishoudens": Spec("pop", 21.0, FOOD_BANK, noise="walk", deprivation=1.0),
    "veilig_thuis_meldingen": Spec("pop", 6.0, DOMESTIC_VIOLENCE, windows=_lockdowns(1.25, 1.2), deprivation=0.5),
    "burenoverlast": Spec("pop", 4.6, NEIGHBOURS, windows=_lockdowns(1.35, 1.25), deprivation=0.3),
    "woninginbraken": Spec("pop", 1.78, BURGLARIES, windows=_lockdowns(0.7, 0.75), seasonal=BURGLARY_SEASON),
    "wmo_aanvragen": Spec("pop", 30.0, WMO, windows=_lockdowns(0.7, 0.9)),
    "jeugdhulp_trajecten": Spec("pop", 43.0, YOUTH_CARE, windows=YOUTH_CARE_DIP, deprivation=0.3),
    "verzuim_meldingen": Spec("pop", 5.0, windows=SCHOOLS_CLOSED, seasonal=SCHOOL_SEASON, deprivation=0.4),
    "thuiszitters": Spec("pop", 2.9, HOME_SITTERS, noise="walk", deprivation=0.3),
    "vsv_meldingen": Spec("pop", 3.2, DROPOUTS, seasonal=VSV_SEASON, deprivation=0.5),
}


def generate(data_dir: Path | None = None) -> pd.DataFrame:
    """All demo observations: every count indicator for the ten municipalities and NL, 2019-2021.

    Reference series (the population) are never invented: without a CBS import the monitor uses the real
    population of 1 January 2020 in `areas.csv`.
    """
    indicators = read_indicators(data_dir)
    domains = read_domains(data_dir)
    reference = set(domains.loc[domains["is_reference"], "domain_id"])
    counts = indicators[indicators["is_count"] & ~indicators["domain_id"].isin(reference)].sort_values("indicator_id")
    missing = set(counts["indicator_id"]) - set(SPECS)
    if missing:
        raise ValueError(f"demo: no generator for {sorted(missing)}")
    areas = list(_areas(data_dir).itertuples())
    columns: dict[str, list] = {column: [] for column in COLUMNS}
    for indicator_id, frequency in zip(counts["indicator_id"], counts["frequency"], strict=True):
        spec, periods = SPECS[indicator_id], _periods(frequency)
        curve = _curve(spec)
        for area in areas:
            values = _series(spec, indicator_id, area, curve, periods)
            _append(columns, indicator_id, area.area_code, periods, values, spec.months)
    return pd.DataFrame(columns).astype({"value": "int64"})


def write_demo(data_dir: Path | None = None) -> Path:
    """Write the demo observations to `<data_dir>/demo/observations.csv` and return its path."""
    path = (data_dir or paths.data_dir()) / DEMO_SOURCE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    generate(data_dir).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def write_and_register(data_dir: Path | None = None) -> lineage.ImportRecord:
    """Write the demo file and record it in the import ledger (unchanged bytes keep their record)."""
    path = write_demo(data_dir)
    rows = sum(1 for _ in path.open(encoding="utf-8")) - 1
    return lineage.register(
        DEMO_SOURCE_FILE,
        "RAT-C demodata-generator (ratc/demo/generator.py)",
        rows,
        is_demo=True,
        description="Demodata: gegenereerde reeksen 2019-2021, gekalibreerd op CBS-bevolking en -uitkeringen",
        data_dir=data_dir,
    )


def remove(data_dir: Path | None = None) -> list[lineage.ImportRecord]:
    """Take the demo observations out of the monitor: their ledger entries (the commit point), then their files.

    All or nothing like an import: until the ledger is rewritten in one rename nothing changed; after it, the build
    no longer reads the files, so a crash before they are deleted leaves only an unused file that a second run
    removes. Rebuild the warehouse afterwards (`warehouse.ensure`).
    """
    base = data_dir or paths.data_dir()
    with lineage.ledger_lock(base):
        removed = lineage.unregister_demo(base)
        for record in removed:
            (base / record.file_path).unlink(missing_ok=True)
        (base / DEMO_SOURCE_FILE).unlink(missing_ok=True)
    return removed


def _areas(data_dir: Path | None) -> pd.DataFrame:
    """Municipalities and NL with population, calibration persons and deprivation index."""
    areas = read_areas(data_dir)
    base = data_dir or paths.data_dir()
    calibration = pd.read_csv(base / CALIBRATION_FILE, dtype={"area_code": str}).merge(
        pd.read_csv(base / SENSITIVITY_FILE, dtype={"area_code": str}), on="area_code", validate="1:1"
    )
    municipalities = areas[areas["area_type"] == "gemeente"].merge(calibration, on="area_code", validate="1:1")
    if len(municipalities) != (areas["area_type"] == "gemeente").sum():
        raise ValueError("demo: calibration.csv must cover every municipality")
    country = areas[areas["area_code"] == COUNTRY_CODE].assign(
        bijstand_personen_2019=NL_PERSONS["bijstand"], ww_personen_2019=NL_PERSONS["ww"], crisis_sensitivity=1.0
    )
    frame = pd.concat([municipalities, country], ignore_index=True)
    national_rate = NL_PERSONS["bijstand"] / country["population_2020"].iloc[0]
    frame["deprivation"] = frame["bijstand_personen_2019"] / frame["population_2020"] / national_rate
    frame["share"] = frame["population_2020"] / country["population_2020"].iloc[0]
    return frame.sort_values("area_code", ignore_index=True)


def _periods(frequency: str) -> list[Period]:
    """The periods of this frequency from January 2019 through December 2021."""
    last = {"week": 52, "maand": 12, "kwartaal": 4}[frequency]
    return period_range(make_period(frequency, 2019, 1), make_period(frequency, 2021, last))


def _day(text: str) -> int:
    """Index of an ISO date on the daily grid that starts at FIRST_DAY."""
    return (dt.date.fromisoformat(text) - FIRST_DAY).days


def _curve(spec: Spec) -> np.ndarray:
    """The indicator's daily shape: knots x windows x seasonality."""
    days = np.arange((LAST_DAY - FIRST_DAY).days + 1)
    curve = np.ones(len(days))
    if spec.knots:
        knots = [item.split(":") for item in spec.knots.split()]
        x = np.array([_day(day) for day, _ in knots])
        y = np.array([float(value) for _, value in knots])
        curve = y[np.clip(np.searchsorted(x, days, side="right") - 1, 0, None)] if spec.step else np.interp(days, x, y)
    for first, last, factor in spec.windows:
        curve[_day(first) : _day(last) + 1] *= factor
    if spec.seasonal:
        months = np.array([(FIRST_DAY + dt.timedelta(days=int(d))).month for d in days])
        curve = curve * np.array(spec.seasonal)[months - 1] / np.mean(spec.seasonal)
    return curve


def _shifted(curve: np.ndarray, days: int) -> np.ndarray:
    """The curve delayed by `days` (negative: earlier), never starting before the first Dutch case."""
    index = np.clip(np.arange(len(curve)) - days, 0, len(curve) - 1)
    shifted = curve[index]
    shifted[: _day(FIRST_CASE)] = 0.0
    return shifted


def _sensitised(curve: np.ndarray, sensitivity: float) -> np.ndarray:
    """The curve with its movement since the crisis began scaled by a municipality's sensitivity."""
    start = _day(CRISIS_START)
    scaled = curve.copy()
    scaled[start:] = curve[start] + sensitivity * (curve[start:] - curve[start])
    return scaled


def _period_means(curve: np.ndarray, periods: list[Period]) -> np.ndarray:
    """Mean of the daily curve over the days of each period."""
    sums = np.concatenate([[0.0], np.cumsum(curve)])
    first = np.array([(p.start - FIRST_DAY).days for p in periods])
    last = np.array([(p.end - FIRST_DAY).days for p in periods])
    return (sums[last + 1] - sums[first]) / (last - first + 1)


def _level(spec: Spec, area) -> float:
    """Expected value at shape 1 for this area, before the municipality's own factor."""
    if spec.base == "pop":
        scale = spec.level * area.population_2020 / 10_000
    elif spec.base == "nl":
        scale = spec.level * area.share
    else:
        scale = spec.level * getattr(area, f"{spec.base}_personen_2019")
    return scale * area.deprivation**spec.deprivation


def _rng(*keys: str) -> np.random.Generator:
    """A generator seeded from SEED and the crc32 of the keys (stable across runs and platforms)."""
    return np.random.default_rng([SEED, *(zlib.crc32(key.encode("utf-8")) for key in keys)])


def _log_noise(rng: np.random.Generator, n: int, sigma: float, phi: float) -> np.ndarray:
    """Stationary AR(1) noise in log space."""
    eps = rng.normal(0.0, sigma, n)
    noise = np.empty(n)
    noise[0] = eps[0] / np.sqrt(1 - phi**2)
    for i in range(1, n):
        noise[i] = phi * noise[i - 1] + eps[i]
    return noise


def _series(spec: Spec, indicator_id: str, area, curve: np.ndarray, periods: list[Period]) -> np.ndarray:
    """Integer values of one indicator for one area."""
    national = area.area_code == COUNTRY_CODE
    rng = _rng(indicator_id, area.area_code)
    factor = 1.0 if national else float(np.exp(rng.normal(0.0, spec.spread)))
    if spec.shift:  # one timing offset per municipality, shared by the COVID indicators
        days = 0 if national else int(_rng("timing", area.area_code).integers(-spec.shift, spec.shift + 1))
        curve = _shifted(curve, days)
    if spec.sensitive:
        curve = _sensitised(curve, area.crisis_sensitivity)
    sigma, phi = NOISE[spec.noise]
    noise = _log_noise(rng, len(periods), sigma / 3 if national else sigma, phi)
    expected = _level(spec, area) * factor * _period_means(curve, periods) * np.exp(noise)
    values = rng.poisson(expected) if spec.noise == "poisson" else np.rint(expected)
    return values.astype(np.int64)


def _append(
    columns: dict[str, list],
    indicator_id: str,
    area_code: str,
    periods: list[Period],
    values: np.ndarray,
    months: tuple[str, str] | None,
) -> None:
    """Add one series to the output columns, limited to the indicator's months when it has any."""
    for period, value in zip(periods, values.tolist(), strict=True):
        if months is None or months[0] <= period.key <= months[1]:
            columns["area_code"].append(area_code)
            columns["indicator_id"].append(indicator_id)
            columns["period"].append(period.key)
            columns["value"].append(value)
