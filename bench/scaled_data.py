"""A generated data dir at national scale: every Dutch municipality of 2020 (355) and 100 indicators, 2019–2021.

The demo's 28 indicators keep their own frequency: each municipality's series is the demo's national series
scaled by its population share, with its own log-normal level and Poisson noise. The rest, up to `indicators`,
are generated weekly counts (ISO weeks 2019-W01 to 2021-W52) spread over the five domains, each with its own
rate per inhabitant, seasonality and crisis effect, declared in the data dir's own `indicators.csv`. So queries
and pages see realistic sizes and value spreads. Real municipality codes, names and populations are read from
`../shared/real/cbs/` when present; otherwise synthetic ones are used. Used only by benchmarks: everything is
written into a temporary folder and nothing here is committed data.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from ratc.core import metadata
from ratc.warehouse import lineage

ROOT = Path(__file__).resolve().parent.parent
CBS_POPULATION = ROOT.parent / "shared" / "real" / "cbs" / "CBS-aantal_inwoners_per_gemeente_2020-01-01.csv"
CBS_BOUNDARIES = ROOT.parent / "shared" / "real" / "geo" / "gemeente_2020_cbs_pdok_wgs84.geojson"
REGION_BOUNDARIES = ROOT.parent / "shared" / "real" / "geo" / "zhz_gemeenten_2020.geojson"
SEED = 355
NL_POPULATION = 17_407_585
DOMAINS = ("gezondheid", "werk_economie", "inkomen_schulden", "sociaal_veiligheid", "onderwijs_jeugd")
POLARITIES = ("hoger_slechter", "hoger_beter", "neutraal")
CRISIS_WEEK = dt.date(2020, 3, 16)  # the first week of the lockdown: generated effects start here


def national_areas(count: int = 355) -> pd.DataFrame:
    """Municipality code, name and population: CBS's 355 of 2020 (the region's ten first), else synthetic."""
    if CBS_POPULATION.exists() and count <= 355:
        cbs = pd.read_csv(CBS_POPULATION, sep=";", encoding="utf-8-sig")
        frame = pd.DataFrame({
            "area_code": [f"GM{int(code):04d}" for code in cbs["Municipality_code"]],
            "area_name": cbs["Municipality_name"],
            "population_2020": cbs["Inhabitants_1-1-2020"],
        })  # fmt: skip
        # the region's own municipalities first, so that a smaller national set still holds Dordrecht & co.
        region = set(metadata.read_areas(ROOT / "data")["area_code"])
        frame = frame.sort_values("area_code", key=lambda codes: ~codes.isin(region), kind="stable").head(count)
        frame = frame.sort_values("area_code", ignore_index=True)
    else:
        rng = np.random.default_rng(SEED)
        frame = pd.DataFrame({
            "area_code": [f"GM{9000 + number:04d}" for number in range(count)],
            "area_name": [f"Gemeente {number + 1}" for number in range(count)],
            "population_2020": rng.lognormal(mean=10.4, sigma=0.8, size=count).round().astype(int),
        })  # fmt: skip
    frame["area_type"] = "gemeente"
    frame["slug"] = frame["area_name"].str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True)
    return frame[["area_code", "area_name", "area_type", "slug", "population_2020"]]


def weeks() -> list[str]:
    """ISO week keys 2019-W01 … 2021-W52 (157 weeks: 2020 has 53)."""
    first, last = dt.date.fromisocalendar(2019, 1, 1), dt.date.fromisocalendar(2021, 52, 1)
    days = (last - first).days
    return [
        f"{year}-W{week:02d}"
        for year, week, _ in ((first + dt.timedelta(days=offset)).isocalendar() for offset in range(0, days + 1, 7))
    ]


def generated_indicators(count: int) -> pd.DataFrame:
    """Definitions of `count` generated weekly counts, in the layout of `data/indicators.csv`."""
    rows = []
    for number in range(1, count + 1):
        stock = number % 4 == 0  # a quarter are stocks (running cases), the rest flows
        rows.append({
            "indicator_id": f"gegenereerd_{number:03d}",
            "name": f"Gegenereerde indicator {number} (benchmark)",
            "short_name": f"Gegenereerd {number}",
            "domain_id": DOMAINS[number % len(DOMAINS)],
            "unit": "lopende gevallen" if stock else "gevallen",
            "source": "Benchmark (gegenereerd)",
            "frequency": "week",
            "polarity": POLARITIES[number % len(POLARITIES)],
            "is_count": "true",
            "is_stock": "true" if stock else "false",
            "per_10k": "true",
            "is_seasonal": "true" if number % 5 == 0 else "false",
            "has_baseline": "true",
            "numerator_id": "",
            "denominator": "",
            "scale": "",
            "decimals": "0",
            "subject": f"het aantal gevallen van gegenereerde indicator {number}",
            "definition": f"Gegenereerde wekelijkse reeks {number} voor de benchmark op landelijke schaal.",
        })  # fmt: skip
    return pd.DataFrame(rows)


def generated_observations(municipalities: pd.DataFrame, definitions: pd.DataFrame) -> pd.DataFrame:
    """Weekly Poisson counts per municipality for each generated indicator, plus the Netherlands as their sum."""
    rng = np.random.default_rng(SEED + 1)
    keys = weeks()
    starts = np.array([dt.date.fromisocalendar(int(key[:4]), int(key[6:]), 1) for key in keys])
    after = np.array([(start - CRISIS_WEEK).days / 7 for start in starts])
    season = np.sin(2 * np.pi * np.array([int(key[6:]) for key in keys]) / 52)
    population = municipalities["population_2020"].to_numpy(dtype=float)
    levels = rng.lognormal(0.0, 0.2, size=(len(definitions), len(population)))
    blocks = []
    for index, _ in enumerate(definitions["indicator_id"]):
        per_10k = rng.lognormal(0.5, 1.0)  # cases per 10,000 inhabitants per week, before the crisis
        effect = rng.normal(0.0, 0.3)  # relative change that builds up over the first months of the crisis
        shape = 1 + rng.uniform(0, 0.3) * season + effect * np.clip(after / 12, 0, 1)
        expected = np.outer(shape, population / 10_000 * per_10k * levels[index])  # weeks × municipalities
        blocks.append(rng.poisson(np.maximum(expected, 0)))
    counts = np.stack(blocks)  # indicators × weeks × municipalities
    n_indicators, n_weeks, n_areas = counts.shape
    municipal = pd.DataFrame({
        "area_code": np.tile(municipalities["area_code"].to_numpy(), n_indicators * n_weeks),
        "indicator_id": np.repeat(definitions["indicator_id"].to_numpy(), n_weeks * n_areas),
        "period": np.tile(np.repeat(np.array(keys), n_areas), n_indicators),
        "value": counts.reshape(-1),
    })  # fmt: skip
    country = pd.DataFrame({
        "area_code": metadata.COUNTRY_CODE,
        "indicator_id": np.repeat(definitions["indicator_id"].to_numpy(), n_weeks),
        "period": np.tile(np.array(keys), n_indicators),
        "value": counts.sum(axis=2).reshape(-1),
    })  # fmt: skip
    return pd.concat([municipal, country], ignore_index=True)


def scaled_demo_observations(municipalities: pd.DataFrame, source: Path) -> pd.DataFrame:
    """The demo's indicators for every municipality: the national series by population share, level and noise."""
    demo = pd.read_csv(source / "demo" / "observations.csv", dtype={"area_code": str, "period": str})
    national = demo[demo["area_code"] == metadata.COUNTRY_CODE]
    rng = np.random.default_rng(SEED)
    shares = municipalities["population_2020"].to_numpy() / NL_POPULATION
    levels = rng.lognormal(0.0, 0.15, len(municipalities))
    blocks = []
    for (indicator_id, period), value in zip(
        zip(national["indicator_id"], national["period"], strict=True), national["value"], strict=True
    ):
        expected = value * shares * levels
        blocks.append((indicator_id, period, rng.poisson(np.maximum(expected, 0))))
    frame = pd.DataFrame({
        "area_code": np.tile(municipalities["area_code"].to_numpy(), len(blocks)),
        "indicator_id": np.repeat([block[0] for block in blocks], len(municipalities)),
        "period": np.repeat([block[1] for block in blocks], len(municipalities)),
        "value": np.concatenate([block[2] for block in blocks]),
    })  # fmt: skip
    return pd.concat([frame, national], ignore_index=True)


def make_data_dir(target: Path, count: int = 355, indicators: int = 100, source: Path | None = None) -> Path:
    """Write a complete data dir with `count` municipalities and `indicators` indicators into `target`."""
    source = source or ROOT / "data"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("domains.csv", "measures.csv", "neighbours.csv", "geo/hexagons.csv"):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target / name)
    for folder in ("scenario", "continuity", "initiatives"):  # catalogues and model parameters, as shipped
        shutil.copytree(source / folder, target / folder)
    if CBS_BOUNDARIES.exists():  # a temporary copy for the map at national scale; never committed
        shutil.copyfile(CBS_BOUNDARIES, target / "geo" / "gemeenten_2020.geojson")
    municipalities = national_areas(count)
    references = pd.DataFrame([
        {"area_code": metadata.REGION_CODE, "area_name": "Regio", "area_type": "regio", "slug": "regio",
         "population_2020": int(municipalities["population_2020"].sum())},
        {"area_code": metadata.COUNTRY_CODE, "area_name": "Nederland", "area_type": "land", "slug": "nederland",
         "population_2020": NL_POPULATION},
    ])  # fmt: skip
    pd.concat([municipalities, references]).to_csv(target / "areas.csv", index=False)

    real = pd.read_csv(source / "indicators.csv", dtype=str, keep_default_na=False)
    extra = generated_indicators(max(0, indicators - len(real)))
    pd.concat([real, extra], ignore_index=True).to_csv(target / "indicators.csv", index=False, columns=real.columns)
    frames = [scaled_demo_observations(municipalities, source)]
    if len(extra):
        frames.append(generated_observations(municipalities, extra))
    frame = pd.concat(frames, ignore_index=True)
    observations = target / "scaled" / "observations.csv"
    observations.parent.mkdir(exist_ok=True)
    # Arrow writes the 4 million rows in about a second, where DataFrame.to_csv takes ten or more
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pa_csv.write_csv(table, observations, pa_csv.WriteOptions(quoting_style="none"))
    lineage.register("scaled/observations.csv", "benchmark (gegenereerd)", len(frame), is_demo=True,
                     description=f"{count} gemeenten en {indicators} indicatoren, gegenereerd",
                     data_dir=target)  # fmt: skip
    return target


def regional_data_dir(target: Path, source: Path | None = None) -> Path:
    """A copy of the shipped data dir with the region's real boundaries, as a deployment has them after a fetch."""
    shutil.copytree(source or ROOT / "data", target)
    if REGION_BOUNDARIES.exists():  # so both scales draw real boundaries, not one the tile map
        shutil.copyfile(REGION_BOUNDARIES, target / "geo" / "gemeenten_2020.geojson")
    return target
