"""Signals: which deviations count, and the plain-Dutch sentences they become."""

import pandas as pd
import pytest

from ratc.core import context, fmt, metadata
from ratc.monitor import signals
from ratc.warehouse import db

AREAS = metadata.read_areas()
CATALOG = metadata.read_indicators()


def indicator(indicator_id: str) -> pd.Series:
    """One indicator definition."""
    return CATALOG.set_index("indicator_id").loc[indicator_id]


@pytest.mark.parametrize(
    ("area", "indicator_id", "period", "change", "region_change", "expected"),
    [
        (
            "Sliedrecht",
            "ww_uitkeringen",
            "2020-06",
            0.23,
            0.15,
            "In Sliedrecht steeg het aantal WW-uitkeringen sinds februari 2020 met 23%, "
            "sterker dan in de regio (+15%).",
        ),
        (
            "Dordrecht",
            "bijstand_uitkeringen",
            "2021-06",
            0.02,
            0.05,
            "In Dordrecht steeg het aantal bijstandsuitkeringen sinds februari 2020 met 2%, "
            "minder sterk dan in de regio (+5%).",
        ),
        (
            "Gorinchem",
            "faillissementen",
            "2020-10",
            -0.40,
            0.10,
            "In Gorinchem daalde het aantal faillissementen sinds februari 2020 met 40%, "
            "terwijl het in de regio steeg (+10%).",
        ),
        (
            "Papendrecht",
            "burenoverlast",
            "2020-04",
            0.30,
            0.001,
            "In Papendrecht steeg het aantal meldingen van burenoverlast sinds februari 2020 met 30%, "
            "terwijl het in de regio gelijk bleef (±0%).",
        ),
        (
            "Zwijndrecht",
            "woninginbraken",
            "2020-11",
            -0.35,
            -0.20,
            "In Zwijndrecht lag het aantal woninginbraken in november 2020 35% lager dan in dezelfde maand in 2019, "
            "sterker dan in de regio (-20%).",
        ),
        (
            "Molenlanden",
            "jeugdhulp_trajecten",
            "2020-Q2",
            -0.25,
            -0.10,
            "In Molenlanden daalde het aantal gestarte jeugdhulptrajecten sinds het 4e kwartaal van 2019 met 25%, "
            "sterker dan in de regio (-10%).",
        ),
    ],
)
def test_sentence(area, indicator_id, period, change, region_change, expected):
    assert signals.sentence(area, indicator(indicator_id), period, change, region_change) == expected


def latest_frame(rows):
    """A latest_value_by_area-like frame from (indicator, area, value, baseline) tuples in one period."""
    return pd.DataFrame(
        [
            {
                "indicator_id": i,
                "area_code": a,
                "period_key": "2020-06",
                "value": v,
                "baseline_value": b,
                "previous_value": v,
                "import_id": 1,
            }
            for i, a, v, b in rows
        ]
    )


def test_largest_deviation_first_and_small_or_random_ones_left_out():
    latest = latest_frame(
        [
            ("ww_uitkeringen", "VR18", 1150, 1000),
            ("ww_uitkeringen", "GM0610", 246, 200),  # +23% vs +15%: a stock, kept
            ("ww_uitkeringen", "GM0505", 1240, 1000),  # +24% vs +15%: kept, the larger deviation comes first
            ("ww_uitkeringen", "GM0482", 116, 100),  # +16%: within 5 points of the region
            ("faillissementen", "VR18", 60, 100),
            ("faillissementen", "GM0523", 9, 5),  # +80% but a baseline of 5 is too small
            ("veilig_thuis_meldingen", "VR18", 1100, 1000),
            ("veilig_thuis_meldingen", "GM1963", 130, 100),  # +30% vs +10% on 100: z < 3, chance
        ]
    )
    found = signals.find_signals(latest, CATALOG, AREAS, "VR18", limit=10, per_indicator=5)
    assert [(s.area_code, s.indicator_id) for s in found] == [
        ("GM0505", "ww_uitkeringen"),
        ("GM0610", "ww_uitkeringen"),
    ]
    assert found[0].is_worse is True


def test_one_signal_per_indicator_by_default_and_filter_by_area():
    latest = latest_frame(
        [
            ("ww_uitkeringen", "VR18", 1150, 1000),
            ("ww_uitkeringen", "GM0610", 300, 200),
            ("ww_uitkeringen", "GM0505", 1300, 1000),
            ("uitstroom_bijstand_werk", "VR18", 500, 1000),
            ("uitstroom_bijstand_werk", "GM0505", 200, 200),
        ]
    )
    found = signals.find_signals(latest, CATALOG, AREAS, "VR18")
    assert [(s.area_code, s.indicator_id) for s in found] == [
        ("GM0505", "uitstroom_bijstand_werk"),  # 0% against -50%
        ("GM0610", "ww_uitkeringen"),  # +50% against +15%; Dordrecht's +30% is the second of this indicator
    ]
    only = signals.find_signals(latest, CATALOG, AREAS, "VR18", area_code="GM0505", per_indicator=5)
    assert {s.area_code for s in only} == {"GM0505"}
    uitstroom = next(s for s in only if s.indicator_id == "uitstroom_bijstand_werk")
    assert uitstroom.is_worse is False  # more people leaving benefits for work than in the region is good
    assert uitstroom.sentence.startswith(
        "In Dordrecht bleef de uitstroom uit de bijstand naar werk sinds februari 2020 gelijk, "
    )


def test_rates_do_not_repeat_their_counts():
    latest = latest_frame([("bijstand_per_1000", "VR18", 20, 19), ("bijstand_per_1000", "GM0505", 40, 30)])
    assert signals.find_signals(latest, CATALOG, AREAS, "VR18") == []


def row_by_row_signals(latest, catalog, areas, region_code, area_code=None, limit=8, per_indicator=1):
    """The rules of find_signals applied one row at a time, as first written: the oracle for the vectorised one."""
    names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
    counts = catalog[catalog["is_count"]].set_index("indicator_id").to_dict("index")
    region = latest[latest["area_code"] == region_code].set_index("indicator_id").to_dict("index")
    candidates = []
    for row in latest[latest["area_code"] != region_code].itertuples():
        if row.indicator_id not in counts or row.indicator_id not in region:
            continue
        if area_code and row.area_code != area_code:
            continue
        if pd.isna(row.baseline_value) or row.baseline_value < signals.MIN_BASELINE:
            continue
        region_row = region[row.indicator_id]
        if region_row["period_key"] != row.period_key:
            continue
        change = fmt.relative_change(row.value, row.baseline_value)
        region_change = fmt.relative_change(region_row["value"], region_row["baseline_value"])
        if change is None or region_change is None or abs(change - region_change) < signals.MIN_DEVIATION:
            continue
        expected = row.baseline_value * (1 + region_change)
        variance = signals.OVERDISPERSION * (expected + row.baseline_value * (1 + region_change) ** 2)
        z = (row.value - expected) / max(variance, 1.0) ** 0.5
        if not counts[row.indicator_id]["is_stock"] and abs(z) < signals.MIN_Z:
            continue
        candidates.append((row.area_code, row.indicator_id, change, region_change))
    candidates.sort(key=lambda found: abs(found[2] - found[3]), reverse=True)
    chosen, used = [], {}
    for found in candidates:
        if used.get(found[1], 0) < per_indicator:
            chosen.append(found)
            used[found[1]] = used.get(found[1], 0) + 1
        if len(chosen) == limit:
            break
    return [(code, indicator, change, region_change, names[code]) for code, indicator, change, region_change in chosen]


@pytest.mark.parametrize("month", ["2020-04", "2020-12", "2021-12"])
@pytest.mark.parametrize(("area_code", "limit", "per_indicator"), [(None, 8, 1), (None, 40, 3), ("GM0610", 12, 1)])
def test_signals_equal_the_rules_applied_row_by_row(con, month, area_code, limit, per_indicator):
    as_of = context.Context(None, "ww_uitkeringen", month).as_of_date
    latest = db.run_query(con, "latest_value_by_area", as_of_date=as_of)
    catalog, areas = db.run_query(con, "indicator_catalog"), db.run_query(con, "area_list")
    found = signals.find_signals(latest, catalog, areas, "VR18", area_code=area_code, limit=limit,
                                 per_indicator=per_indicator)  # fmt: skip
    expected = row_by_row_signals(latest, catalog, areas, "VR18", area_code, limit, per_indicator)
    assert [(s.area_code, s.indicator_id, s.change, s.region_change, s.area_name) for s in found] == expected
    assert found, "the demo data has signals in every tested month"
