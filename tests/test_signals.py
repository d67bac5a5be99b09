"""Signals: which deviations count (a sound test, false discoveries controlled, strongest evidence first), and the
plain-Dutch sentences they become. The null simulation and the power figures are in test_signal_simulation.py."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ratc.core import context, metadata
from ratc.monitor import signal_sentences, signal_statistics, signals
from ratc.warehouse import db

AREAS = metadata.read_areas()
CATALOG = metadata.read_indicators()
# February 2020 counts of the demo data, per municipality
LEVELS = {
    "ww_uitkeringen": (222, 1637, 457, 123, 291, 352, 222, 580, 839, 328),
    "ww_jongeren": (20, 146, 41, 11, 26, 31, 20, 52, 77, 30),
    "uitstroom_bijstand_werk": (30, 300, 120, 10, 20, 90, 20, 120, 120, 50),
    "faillissementen": (0, 4, 0, 0, 0, 0, 0, 1, 1, 1),
    "bijstand_per_1000": (18, 32, 22, 9, 12, 16, 18, 26, 10, 8),
}
MUNICIPALITIES = ("GM0482", "GM0505", "GM0512", "GM0523", "GM0531", "GM0590", "GM0610", "GM0642", "GM1963", "GM1978")
PRE_CRISIS_PERIODS = 14  # January 2019 to February 2020
PATH = (1.05, 1.1, 1.15, 1.2)  # the whole region's path over the window of four months, against February 2020


def indicator(indicator_id: str) -> pd.Series:
    """One indicator definition."""
    return CATALOG.set_index("indicator_id").loc[indicator_id]


@pytest.mark.parametrize(
    ("area", "indicator_id", "period", "change", "rest_change", "expected"),
    [
        (
            "Sliedrecht",
            "ww_uitkeringen",
            "2020-06",
            0.23,
            0.15,
            "In Sliedrecht steeg het aantal WW-uitkeringen sinds februari 2020 met 23%, "
            "sterker dan in de rest van de regio (+15%).",
        ),
        (
            "Dordrecht",
            "bijstand_uitkeringen",
            "2021-06",
            0.02,
            0.05,
            "In Dordrecht steeg het aantal bijstandsuitkeringen sinds februari 2020 met 2%, "
            "minder sterk dan in de rest van de regio (+5%).",
        ),
        (
            "Gorinchem",
            "faillissementen",
            "2020-10",
            -0.40,
            0.10,
            "In Gorinchem daalde het aantal faillissementen sinds februari 2020 met 40%, "
            "terwijl het in de rest van de regio steeg (+10%).",
        ),
        (
            "Papendrecht",
            "burenoverlast",
            "2020-04",
            0.30,
            0.001,
            "In Papendrecht steeg het aantal meldingen van burenoverlast sinds februari 2020 met 30%, "
            "terwijl het in de rest van de regio gelijk bleef (±0%).",
        ),
        (
            "Zwijndrecht",
            "woninginbraken",
            "2020-11",
            -0.35,
            -0.20,
            "In Zwijndrecht lag het aantal woninginbraken in november 2020 35% lager dan in dezelfde maand in 2019, "
            "sterker dan in de rest van de regio (-20%).",
        ),
        (
            "Molenlanden",
            "jeugdhulp_trajecten",
            "2020-Q2",
            -0.25,
            -0.10,
            "In Molenlanden daalde het aantal gestarte jeugdhulptrajecten sinds het 4e kwartaal van 2019 met 25%, "
            "sterker dan in de rest van de regio (-10%).",
        ),
        # half a percent rounds away from zero: -2,5% is 3%, not Python's half-to-even 2%
        (
            "Sliedrecht",
            "ww_uitkeringen",
            "2020-06",
            -0.025,
            -0.20,
            "In Sliedrecht daalde het aantal WW-uitkeringen sinds februari 2020 met 3%, "
            "minder sterk dan in de rest van de regio (-20%).",
        ),
        # never 'steeg met 0%': a change shown as 0% stayed level, and then the region's move is a contrast
        (
            "Sliedrecht",
            "ww_uitkeringen",
            "2020-06",
            0.0049,
            0.10,
            "In Sliedrecht bleef het aantal WW-uitkeringen sinds februari 2020 gelijk, "
            "terwijl het in de rest van de regio steeg (+10%).",
        ),
        (
            "Sliedrecht",
            "ww_uitkeringen",
            "2020-06",
            -0.004,
            -0.005,
            "In Sliedrecht bleef het aantal WW-uitkeringen sinds februari 2020 gelijk, "
            "terwijl het in de rest van de regio daalde (-1%).",
        ),
        (
            "Sliedrecht",
            "ww_uitkeringen",
            "2020-06",
            0.005,
            0.0,
            "In Sliedrecht steeg het aantal WW-uitkeringen sinds februari 2020 met 1%, "
            "terwijl het in de rest van de regio gelijk bleef (±0%).",
        ),
        # a signal says the two moved differently: where whole percentages read the same, one decimal (or two) more
        (
            "Sliedrecht",
            "ww_uitkeringen",
            "2020-06",
            0.001,
            -0.002,
            "In Sliedrecht steeg het aantal WW-uitkeringen sinds februari 2020 met 0,1%, "
            "terwijl het in de rest van de regio daalde (-0,2%).",
        ),
        (
            "Sliedrecht",
            "ww_uitkeringen",
            "2020-06",
            0.104,
            0.098,
            "In Sliedrecht steeg het aantal WW-uitkeringen sinds februari 2020 met 10,4%, "
            "sterker dan in de rest van de regio (+9,8%).",
        ),
        (
            "Sliedrecht",
            "ww_uitkeringen",
            "2020-06",
            0.1204,
            0.1196,
            "In Sliedrecht steeg het aantal WW-uitkeringen sinds februari 2020 met 12,04%, "
            "sterker dan in de rest van de regio (+11,96%).",
        ),
        # changes that are equal stay whole
        (
            "Sliedrecht",
            "ww_uitkeringen",
            "2020-06",
            0.10,
            0.10,
            "In Sliedrecht steeg het aantal WW-uitkeringen sinds februari 2020 met 10%, "
            "net zo sterk als in de rest van de regio (+10%).",
        ),
        (
            "Zwijndrecht",
            "woninginbraken",
            "2020-11",
            0.002,
            -0.20,
            "In Zwijndrecht lag het aantal woninginbraken in november 2020 even hoog als in dezelfde maand in 2019, "
            "terwijl het in de rest van de regio lager lag (-20%).",
        ),
        (
            "Zwijndrecht",
            "woninginbraken",
            "2020-11",
            0.145,
            0.0,
            "In Zwijndrecht lag het aantal woninginbraken in november 2020 15% hoger dan in dezelfde maand in 2019, "
            "terwijl het in de rest van de regio even hoog lag (±0%).",
        ),
    ],
)
def test_sentence(area, indicator_id, period, change, rest_change, expected):
    assert signal_sentences.sentence(area, indicator(indicator_id), period, change, rest_change) == expected


@pytest.mark.parametrize(
    ("fraction", "percent"),
    [(0.025, 3), (-0.025, -3), (0.145, 15), (-0.145, -15), (0.285, 29), (0.0049, 0), (0.005, 1), (-0.005, -1),
     (-0.0049, 0), (1.0, 100), (0.0, 0)],
)  # fmt: skip
def test_percentages_round_half_away_from_zero(fraction, percent):
    assert signal_sentences.rounded_percent(fraction) == percent


@given(st.integers(min_value=-100_000, max_value=100_000))
def test_rounding_matches_exact_decimal_arithmetic(hundredths):
    """A change of `hundredths`/100 percent rounds as a person rounds it on paper, whatever binary floats make of it."""
    whole, rest = divmod(abs(hundredths), 100)
    expected = int(math.copysign(whole + (rest >= 50), hundredths)) if hundredths else 0
    assert signal_sentences.rounded_percent(hundredths / 10_000) == expected


def scenario(now=None, before=None, indicators=("ww_uitkeringen",), month="2020-06"):
    """recent_window_by_area- and pre_crisis_sums_by_area-like frames in which every municipality follows the region's
    path exactly (no chance at all), except the factors in `now` (the latest month) and `before` (the months of the
    window before it, by default `now`'s), keyed by (area_code, indicator_id)."""
    now = now or {}
    before = now if before is None else before
    year, number = map(int, month.split("-"))
    first = number - len(PATH)  # the window's first month, counted from 0 in `year`
    window_start = dt.datetime(year + first // 12, first % 12 + 1, 1)
    latest, sums = [], []
    for indicator_id in indicators:
        levels = dict(zip(MUNICIPALITIES, LEVELS[indicator_id], strict=True))
        for code, level in levels.items():
            key = (code, indicator_id)
            window = [float(np.rint(level * step * before.get(key, 1.0))) for step in PATH[:-1]]
            window.append(float(np.rint(level * PATH[-1] * now.get(key, 1.0))))
            latest.append({"indicator_id": indicator_id, "area_code": code, "period_key": month,
                           "value": window[-1], "baseline_value": float(level), "window_start_date": window_start,
                           "window_periods": len(window), "window_sum": sum(window),
                           "window_sq_sum": sum(v * v for v in window), "window": window})  # fmt: skip
        municipal = [row for row in latest if row["indicator_id"] == indicator_id]
        region_window = [sum(values) for values in zip(*(row["window"] for row in municipal), strict=True)]
        latest.append({"indicator_id": indicator_id, "area_code": "VR18", "period_key": month,
                       "value": region_window[-1], "baseline_value": sum(row["baseline_value"] for row in municipal),
                       "window_start_date": window_start, "window_periods": len(region_window),
                       "window_sum": sum(region_window),
                       "window_sq_sum": sum(value * value for value in region_window)})  # fmt: skip
        region = float(sum(levels.values()))
        for code, level in levels.items():
            sums.append(pre_crisis_row(indicator_id, code, [float(level)] * PRE_CRISIS_PERIODS,
                                       [region] * PRE_CRISIS_PERIODS))  # fmt: skip
    return pd.DataFrame(latest).drop(columns="window"), pd.DataFrame(sums)


def pre_crisis_row(indicator_id, area_code, values, regions):
    """One row of pre_crisis_sums_by_area from a municipality's and the region's pre-crisis counts (consecutive)."""
    value, region = np.asarray(values, dtype=float), np.asarray(regions, dtype=float)
    return {"indicator_id": indicator_id, "area_code": area_code, "period_count": len(value),
            "value_sum": value.sum(), "region_sum": region.sum(), "value_sq_sum": (value * value).sum(),
            "value_region_sum": (value * region).sum(), "region_sq_sum": (region * region).sum(),
            "region_cube_sum": (region**3).sum(), "region_sq_value_sum": (region * region * value).sum(),
            "pair_count": len(value) - 1, "value_lag_value_sum": (value[1:] * value[:-1]).sum(),
            "value_lag_region_sum": (value[1:] * region[:-1]).sum(),
            "region_lag_value_sum": (region[1:] * value[:-1]).sum(),
            "region_lag_region_sum": (region[1:] * region[:-1]).sum()}  # fmt: skip


def found(latest, sums, **options):
    """(area_code, indicator_id) of the signals, in the order shown."""
    shown = signals.find_signals(latest, sums, CATALOG, AREAS, "VR18", **options)
    return [(signal.area_code, signal.indicator_id) for signal in shown]


def test_a_clear_deviation_is_a_signal_and_chance_is_not():
    latest, sums = scenario({("GM0610", "ww_uitkeringen"): 1.3, ("GM0482", "ww_uitkeringen"): 1.04})
    assert found(latest, sums) == [("GM0610", "ww_uitkeringen")]
    signal = signals.find_signals(latest, sums, CATALOG, AREAS, "VR18")[0]
    assert signal.is_worse is True and signal.p_value < 1e-6
    assert signal.excess == pytest.approx(0.3, abs=0.02)


def test_nothing_deviates_so_nothing_is_shown():
    latest, sums = scenario(indicators=("ww_uitkeringen", "ww_jongeren", "uitstroom_bijstand_werk"))
    assert found(latest, sums) == []
    cells = signals.tested_cells(latest, sums, CATALOG, "VR18")
    assert len(cells) == 30 and cells["p_value"].min() > 0.5


def test_ranked_by_evidence_not_by_the_size_of_the_deviation():
    # Hardinxveld-Giessendam's doubling is the larger deviation, Dordrecht's 15% rests on far more cases
    latest, sums = scenario(
        {("GM0523", "ww_jongeren"): 2.0, ("GM0505", "ww_uitkeringen"): 1.15},
        indicators=("ww_uitkeringen", "ww_jongeren"),
    )
    shown = signals.find_signals(latest, sums, CATALOG, AREAS, "VR18")
    assert [(s.area_code, s.indicator_id) for s in shown] == [("GM0505", "ww_uitkeringen"), ("GM0523", "ww_jongeren")]
    assert shown[0].deviation < shown[1].deviation and shown[0].p_value < shown[1].p_value


def test_the_municipality_is_compared_with_the_rest_of_the_region_not_with_a_region_that_contains_it():
    latest, sums = scenario({("GM0505", "ww_uitkeringen"): 1.3})
    signal = signals.find_signals(latest, sums, CATALOG, AREAS, "VR18")[0]
    assert signal.area_code == "GM0505"
    assert signal.rest_change == pytest.approx(0.2, abs=0.005)  # the others moved exactly with the path: +20%
    assert signal.sentence.endswith("sterker dan in de rest van de regio (+20%).")


def test_a_clear_deviation_in_dordrecht_makes_no_other_municipality_look_deviant():
    """Dordrecht is a quarter of the region: compared with a rest that holds it, every other municipality would look
    9% low. A municipality that itself deviates clearly is left out of the others' comparison group."""
    latest, sums = scenario({("GM0505", "ww_uitkeringen"): 1.3})
    assert found(latest, sums, per_indicator=10) == [("GM0505", "ww_uitkeringen")]
    cells = signals.tested_cells(latest, sums, CATALOG, "VR18").set_index("area_code")
    assert cells.loc["GM1963", "change"] < cells.loc["GM1963", "rest_change"] - 0.1  # what a sentence would say
    assert cells.drop(index="GM0505")["p_value"].min() > 0.5
    assert cells.loc["GM1963", "left_out_value"] == latest.set_index("area_code").loc["GM0505", "value"]


def test_a_deviation_must_show_in_the_latest_period_and_in_the_periods_before_it():
    cell = ("GM0610", "ww_uitkeringen")
    latest, sums = scenario({cell: 1.8}, before={cell: 0.97})  # a spike in the latest month only
    assert found(latest, sums) == []
    cells = signals.tested_cells(latest, sums, CATALOG, "VR18")
    assert cells.set_index("area_code").loc["GM0610", "p_value"] < 1e-4  # strong evidence, but only in one month
    latest, sums = scenario({cell: 0.98}, before={cell: 1.4})  # the months before, while the latest is back
    assert found(latest, sums) == []
    latest, sums = scenario({cell: 1.8}, before={cell: 1.05})
    assert found(latest, sums) == [cell]


def test_the_window_must_lie_after_the_crisis_began():
    # the window of June 2020 is March - June; May's reaches back into February
    for month in ("2020-03", "2020-04", "2020-05"):
        latest, sums = scenario({("GM0610", "ww_uitkeringen"): 1.5}, month=month)
        assert signals.tested_cells(latest, sums, CATALOG, "VR18").empty
    latest, sums = scenario({("GM0610", "ww_uitkeringen"): 1.5}, month="2020-06")
    assert found(latest, sums) == [("GM0610", "ww_uitkeringen")]


def test_a_municipality_without_the_whole_window_is_not_tested():
    latest, sums = scenario({("GM0610", "ww_uitkeringen"): 1.5})
    short = latest["area_code"].eq("GM0610").to_numpy()
    assert found(latest.assign(window_periods=np.where(short, 3, latest["window_periods"])), sums) == []


def test_without_a_pre_crisis_series_nothing_is_tested():
    """A series delivered from March 2020 on has no ordinary scatter to measure: no test, no signal, no error."""
    latest, sums = scenario({("GM0610", "ww_uitkeringen"): 1.5})
    assert found(latest, sums.iloc[0:0]) == []
    assert found(latest, sums.assign(period_count=1)) == []
    assert found(latest.iloc[0:0], sums) == []


def test_too_few_cases_are_not_tested_and_rates_repeat_their_counts():
    latest, sums = scenario({("GM1978", "faillissementen"): 3.0},
                            indicators=("faillissementen", "bijstand_per_1000"))  # fmt: skip
    cells = signals.tested_cells(latest, sums, CATALOG, "VR18")
    # only the four municipalities with a bankruptcy a month expect at least five in four months (Dordrecht: 22);
    # the six without one are not tested, and a rate is never tested
    assert cells["area_code"].tolist() == ["GM0505", "GM0642", "GM1963", "GM1978"]
    assert set(cells["indicator_id"]) == {"faillissementen"} and cells["expected"].min() >= 5


def test_one_signal_per_indicator_in_the_region_and_all_of_a_municipality():
    deviations = {("GM0610", "ww_uitkeringen"): 1.5, ("GM0505", "ww_uitkeringen"): 1.2,
                  ("GM0505", "uitstroom_bijstand_werk"): 2}  # fmt: skip
    latest, sums = scenario(deviations, indicators=("ww_uitkeringen", "uitstroom_bijstand_werk"))
    shown = found(latest, sums)
    assert sorted(shown) == [("GM0505", "uitstroom_bijstand_werk"), ("GM0610", "ww_uitkeringen")]
    # Dordrecht's WW deviates too, with less evidence than Sliedrecht's: the second of its indicator
    assert sorted(found(latest, sums, per_indicator=2)) == sorted([*shown, ("GM0505", "ww_uitkeringen")])
    assert found(latest, sums, area_code="GM0610") == [("GM0610", "ww_uitkeringen")]
    more = next(s for s in signals.find_signals(latest, sums, CATALOG, AREAS, "VR18")
                if s.indicator_id == "uitstroom_bijstand_werk")  # fmt: skip
    assert more.is_worse is False  # more people leaving benefits for work than elsewhere is good


def test_a_municipality_page_controls_false_discoveries_over_its_own_cells():
    """Ten municipalities × three indicators on the region's page, three on a municipality's: a moderate deviation can
    pass on Sliedrecht's own page and not on the region's, which makes ten times as many comparisons."""
    indicators = ("ww_uitkeringen", "ww_jongeren", "uitstroom_bijstand_werk")
    latest, sums = scenario({("GM0610", "ww_uitkeringen"): 1.11}, indicators=indicators)
    p_value = signals.tested_cells(latest, sums, CATALOG, "VR18").query("area_code == 'GM0610'")["p_value"].min()
    assert 0.05 / 30 < p_value < 0.05 / 3
    assert found(latest, sums) == []
    assert found(latest, sums, area_code="GM0610") == [("GM0610", "ww_uitkeringen")]


def test_benjamini_hochberg_on_the_fifteen_p_values_of_their_paper():
    p_values = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719,
                0.6528, 0.7590, 1.0]  # fmt: skip
    rejected = signal_statistics.benjamini_hochberg(np.array(p_values[::-1]), rate=0.05)[::-1]
    assert rejected.tolist() == [True] * 4 + [False] * 11  # Bonferroni would stop at three
    assert signal_statistics.benjamini_hochberg(np.array([0.01, 0.02, 0.03, 0.04, 0.05])).all()
    assert not signal_statistics.benjamini_hochberg(np.array([0.03, 0.5])).any()
    assert signal_statistics.benjamini_hochberg(np.array([])).size == 0


def simulated_sums(noise: str, indicators: int, seed: int) -> pd.DataFrame:
    """pre_crisis_sums_by_area of `indicators` replicates of a WW-sized series, every municipality on the same path."""
    rng = np.random.default_rng(seed)
    levels = np.array(LEVELS["ww_uitkeringen"], dtype=float)[:, None] * np.linspace(0.9, 1.1, PRE_CRISIS_PERIODS)
    rows = []
    for number in range(indicators):
        if noise == "poisson":
            counts = rng.poisson(levels)
        elif noise == "quasi_poisson_3":
            counts = rng.negative_binomial(levels / 2, 1 / 3)  # variance 3 × mean
        elif noise == "carried_over":  # a stock: 10% deviations that carry over with autocorrelation 0.8
            deviation = np.empty_like(levels)
            deviation[:, 0] = rng.normal(0, 0.1, len(levels))
            for period in range(1, PRE_CRISIS_PERIODS):
                deviation[:, period] = 0.8 * deviation[:, period - 1] + rng.normal(0, 0.06, len(levels))
            counts = rng.poisson(levels * np.exp(deviation))
        else:
            counts = rng.negative_binomial(20, 20 / (20 + levels))  # variance mean + mean² / 20
        region = counts.sum(axis=0)
        rows += [pre_crisis_row(f"i{number}", code, counts[index], region) for index, code in enumerate(MUNICIPALITIES)]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("noise", "phi", "tau2"), [("poisson", 1.0, 0.0), ("quasi_poisson_3", 3.0, 0.0), ("negative_binomial", 1.0, 0.05)]
)
def test_the_ordinary_scatter_is_estimated_per_indicator(noise, phi, tau2):
    scatter = signal_statistics.ordinary_scatter(simulated_sums(noise, indicators=60, seed=11))
    # the variance the test would use for a municipality of a thousand cases: φ·1000 + τ²·1000²
    variance = (scatter["phi"] * 1000 + scatter["tau2"] * 1000**2).median()
    assert variance == pytest.approx(phi * 1000 + tau2 * 1000**2, rel=0.25)
    assert (scatter["phi"] >= 1).all() and (scatter["tau2"] >= 0).all()
    assert (scatter["max_degrees_of_freedom"] == 9 * 13 - 1).all()
    # each period drawn afresh: nothing carries over (an estimate of about 0 ± 0.09, never below 0)
    assert scatter["carry_over"].median() < 0.05 and scatter["carry_over"].quantile(0.9) < 0.2


def test_the_carry_over_of_a_stock_is_measured_and_makes_the_test_stricter():
    """A stock's deviation carries over from month to month (lag-1 autocorrelation about 0.5 here, with Poisson
    chance on top); fourteen months with the mean removed see somewhat less."""
    scatter = signal_statistics.ordinary_scatter(simulated_sums("carried_over", indicators=60, seed=12))
    assert 0.25 < scatter["carry_over"].median() < 0.6
    # the same counts, tested as if nothing carried over and with the measured carry-over
    latest, sums = scenario({("GM0610", "ww_uitkeringen"): 1.3})
    independent = signals.tested_cells(latest, sums, CATALOG, "VR18").set_index("area_code")
    window, baseline = signal_statistics.carried_over(np.array(0.4), np.array(4), np.array(14))
    assert window == pytest.approx((1 + 3 * 0.4) / 0.6) and baseline == pytest.approx((1 + 13 * 0.4) / 0.6)
    cells = independent.assign(carry_over=0.4)
    stricter = signal_statistics.deviation_test(cells)
    assert (stricter["p_value"] > independent["p_value"]).loc["GM0610"]
    assert (np.abs(stricter["z"]) < np.abs(independent["z"])).all()


def test_the_query_sums_what_the_test_needs(con, observations):
    """pre_crisis_sums_by_area on the fixture warehouse equals the same sums made in pandas from the demo file."""
    sums = db.run_query(con, "pre_crisis_sums_by_area", before_date=signal_statistics.CRISIS_START)
    catalog = CATALOG.set_index("indicator_id")
    monthly = observations[observations["indicator_id"].map(catalog["frequency"]).eq("maand")
                           & observations["indicator_id"].map(catalog["is_count"] & catalog["has_baseline"])
                           & (observations["period_key"] <= "2020-02")]  # fmt: skip
    municipal = monthly[monthly["area_code"].str.startswith("GM")]
    region = municipal.groupby(["indicator_id", "period_key"])["value"].sum().rename("region")
    municipal = municipal.join(region, on=["indicator_id", "period_key"])
    expected = pd.DataFrame([
        pre_crisis_row(indicator_id, code, group["value"], group["region"])
        for (indicator_id, code), group in municipal.groupby(["indicator_id", "area_code"])
    ])  # fmt: skip
    got = sums[sums["indicator_id"].isin(expected["indicator_id"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert set(sums["indicator_id"]) >= {"jeugdhulp_trajecten", "vsv_meldingen"}  # quarterly ones too
    assert "covid_meldingen" not in set(sums["indicator_id"])  # no baseline, no signal


@pytest.mark.parametrize(("month", "quarter"), [("2020-06", "2020-Q2"), ("2021-02", "2020-Q4")])
def test_the_window_query_sums_the_latest_periods(con, observations, month, quarter):
    """recent_window_by_area: the latest four months (two quarters) ended by the date, summed per area."""
    as_of = context.Context(None, "ww_uitkeringen", month).as_of_date
    window = db.run_query(con, "recent_window_by_area", as_of_date=as_of, **signals.window_params())
    window = window.set_index(["indicator_id", "area_code"])
    for indicator_id, latest, length in (("ww_uitkeringen", month, 4), ("jeugdhulp_trajecten", quarter, 2)):
        rows = observations[observations["indicator_id"].eq(indicator_id) & observations["area_code"].eq("GM0610")]
        rows = rows[rows["period_key"] <= latest].sort_values("period_start_date").tail(length)
        got = window.loc[(indicator_id, "GM0610")]
        assert got["period_key"] == latest and got["value"] == rows["value"].iloc[-1]
        assert got["window_periods"] == length and got["window_sum"] == rows["value"].sum()
        assert got["window_sq_sum"] == (rows["value"] ** 2).sum()
        assert got["window_start_date"] == rows["period_start_date"].iloc[0]
    assert "covid_meldingen" not in window.index.get_level_values("indicator_id")


def row_by_row(cells: pd.DataFrame) -> list[tuple[float, float]]:
    """z and p-value of each cell computed with scalar arithmetic, one row at a time: the oracle for the vectorised
    test (a loop per row took seconds at 355 municipalities × 100 indicators, bench/run.py)."""
    from scipy import stats

    results = []
    for row in cells.itertuples():
        mine = row.window_sum
        group = row.region_window_sum - row.window_sum - row.left_out_window_sum
        group_sum = row.region_sum - row.value_sum - row.left_out_value_sum
        expected = (mine + group) * row.value_sum / (row.value_sum + group_sum)
        expected_group = (mine + group) * group_sum / (row.value_sum + group_sum)
        share, group_share = row.value_sum / row.region_sum, group_sum / row.region_sum
        group_squares = max(row.squared_shares - share**2 - row.left_out_squared_shares, 0.0)
        spread_over_municipalities = 1 + group_squares / group_share**2
        # the window's part and the baseline's, each made larger by the carry-over between their periods
        window_poisson = 1 / expected + 1 / expected_group
        baseline_poisson = 1 / row.value_sum + 1 / group_sum
        window_extra = row.region_window_sq_sum / row.region_window_sum**2 * spread_over_municipalities
        baseline_extra = row.region_sq_sum / row.region_sum**2 * spread_over_municipalities
        rho = row.carry_over
        window_factor = (1 + (row.window_periods - 1) * rho) / (1 - rho)
        baseline_factor = (1 + (row.period_count - 1) * rho) / (1 - rho)
        poisson = window_poisson * window_factor + baseline_poisson * baseline_factor
        extra = window_extra * window_factor + baseline_extra * baseline_factor
        table = [[mine, group], [row.value_sum, group_sum]]
        grand = sum(map(sum, table))
        g = 2 * sum(
            table[i][j] * math.log(table[i][j] * grand / (sum(table[i]) * (table[0][j] + table[1][j])))
            for i in range(2) for j in range(2) if table[i][j] > 0
        )  # fmt: skip
        variance = row.phi * poisson + row.tau2 * extra
        uncertainty = poisson**2 * row.phi_var + extra**2 * row.tau2_var + 2 * poisson * extra * row.phi_tau2_cov
        degrees = min(max(2 * variance**2 / uncertainty, 1), row.max_degrees_of_freedom) if uncertainty > 0 else (
            row.max_degrees_of_freedom)  # fmt: skip
        ratio = math.log((mine + 0.5) / (group + 0.5)) - math.log((row.value_sum + 0.5) / (group_sum + 0.5))
        z = math.copysign(math.sqrt(max(g, 0) * (window_poisson + baseline_poisson) / variance), ratio)
        results.append((z, 2 * stats.t.sf(abs(z), degrees)))
    return results


@pytest.mark.parametrize("month", ["2020-06", "2020-12", "2021-12"])
def test_the_vectorised_test_equals_the_arithmetic_row_by_row(con, month):
    as_of = context.Context(None, "ww_uitkeringen", month).as_of_date
    latest = db.run_query(con, "recent_window_by_area", as_of_date=as_of, **signals.window_params())
    sums = db.run_query(con, "pre_crisis_sums_by_area", before_date=signal_statistics.CRISIS_START)
    cells = signals.tested_cells(latest, sums, db.run_query(con, "indicator_catalog"), "VR18")
    assert len(cells) > 100 and (cells["carry_over"] > 0).any()
    expected = np.array(row_by_row(cells))
    np.testing.assert_allclose(cells["z"], expected[:, 0], rtol=1e-9)
    np.testing.assert_allclose(cells["p_value"], expected[:, 1], rtol=1e-9, atol=1e-300)


@given(st.integers(min_value=-5_000, max_value=5_000), st.integers(min_value=1, max_value=3_000))
def test_a_sentence_never_reads_as_if_the_two_moved_alike_when_they_did_not(hundredths, gap):
    """Changes at least 0,01 percentage point apart never read 'net zo sterk' or 'net als'."""
    change, rest_change = hundredths / 10_000, (hundredths + gap) / 10_000
    text = signal_sentences.sentence("Sliedrecht", indicator("ww_uitkeringen"), "2020-06", change, rest_change)
    assert "net zo sterk" not in text and "net als" not in text
