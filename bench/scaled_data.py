"""A generated data dir at national scale: every Dutch municipality of 2020 (355) with the demo's indicators.

Each municipality's series is the demo's national series scaled by its population share, with its own
log-normal level and noise, so queries see realistic sizes and value spreads. Real municipality codes,
names and populations are read from `../shared/real/cbs/` when present; otherwise synthetic ones are used.
Used only by benchmarks; nothing here is committed data.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from ratc import lineage, metadata

ROOT = Path(__file__).resolve().parent.parent
CBS_POPULATION = ROOT.parent / "shared" / "real" / "cbs" / "CBS-aantal_inwoners_per_gemeente_2020-01-01.csv"
CBS_BOUNDARIES = ROOT.parent / "shared" / "real" / "geo" / "gemeente_2020_cbs_pdok_wgs84.geojson"
SEED = 355


def national_areas(count: int = 355) -> pd.DataFrame:
    """Municipality code, name and population: CBS's 355 of 2020 when available, else synthetic."""
    if CBS_POPULATION.exists() and count <= 355:
        cbs = pd.read_csv(CBS_POPULATION, sep=";", encoding="utf-8-sig")
        frame = pd.DataFrame({
            "area_code": [f"GM{int(code):04d}" for code in cbs["Municipality_code"]],
            "area_name": cbs["Municipality_name"],
            "population_2020": cbs["Inhabitants_1-1-2020"],
        }).head(count)  # fmt: skip
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


def make_data_dir(target: Path, count: int = 355, source: Path | None = None) -> Path:
    """Write a complete data dir with `count` municipalities into `target` and return it."""
    source = source or ROOT / "data"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("domains.csv", "indicators.csv", "measures.csv", "geo/hexagons.csv"):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target / name)
    if CBS_BOUNDARIES.exists():  # a temporary copy for the map at national scale; never committed
        shutil.copyfile(CBS_BOUNDARIES, target / "geo" / "gemeenten_2020.geojson")
    municipalities = national_areas(count)
    total = int(municipalities["population_2020"].sum())
    references = pd.DataFrame([
        {"area_code": metadata.REGION_CODE, "area_name": "Regio", "area_type": "regio", "slug": "regio",
         "population_2020": total},
        {"area_code": metadata.COUNTRY_CODE, "area_name": "Nederland", "area_type": "land", "slug": "nederland",
         "population_2020": 17_407_585},
    ])  # fmt: skip
    pd.concat([municipalities, references]).to_csv(target / "areas.csv", index=False)

    demo = pd.read_csv(source / "demo" / "observations.csv", dtype={"area_code": str, "period": str})
    national = demo[demo["area_code"] == metadata.COUNTRY_CODE]
    rng = np.random.default_rng(SEED)
    shares = municipalities["population_2020"].to_numpy() / 17_407_585
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
    frame = pd.concat([frame, national], ignore_index=True)
    observations = target / "scaled" / "observations.csv"
    observations.parent.mkdir(exist_ok=True)
    frame.to_csv(observations, index=False)
    lineage.register("scaled/observations.csv", "benchmark (gegenereerd)", len(frame), is_demo=True,
                     description=f"{count} gemeenten, geschaald uit de demodata", data_dir=target)  # fmt: skip
    return target
