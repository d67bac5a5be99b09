"""The statistics behind the signals: does a municipality deviate from the rest of the region by more than the
ordinary scatter before the crisis explains? One test for every count, stock or flow; false discoveries
controlled across a view.

The null hypothesis of a cell (municipality × indicator) is that the municipality kept its pre-crisis share of
the region: its count and the rest of the region's moved alike. The test sets the ratio municipality / rest of the
region over a window of recent periods (the latest four months, two quarters, thirteen weeks) against the same
ratio over all periods before the crisis (a G-test of the 2×2 table) — a funnel plot for a ratio (Spiegelhalter
2005) in which every count may scatter more than Poisson: variance φ·μ + τ²·μ², φ ≥ 1 an overdispersion factor and
τ a relative scatter of its own (what the negative binomial adds). Both are estimated per indicator from how far the
municipalities strayed from their own pre-crisis share in the periods before the crisis, and so is ρ, how much of a
period's deviation carries over into the next (a stock is a running count: much; a flow: little). The periods of
the window and of the pre-crisis baseline are not independent draws when ρ > 0, so the variance allows for it, as
an upper bound (see `carried_over`). The p-values of all cells of a view then go through Benjamini & Hochberg (1995).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from scipy import stats

# Periods that ended before this day are "before the crisis": the first measures came in March 2020.
CRISIS_START = dt.date(2020, 3, 1)
# Of the signals a view shows, at most this share is expected to be chance (Benjamini-Hochberg's q).
FALSE_DISCOVERY_RATE = 0.05
# Fewer expected cases than this, in the municipality or in the rest of the region over the two tested periods,
# and the test's chi-square approximation no longer holds (a single case is +20%): such a cell is not tested at all.
MIN_EXPECTED = 5.0
# Rounds of reweighting in the fit of φ and τ² (weights depend on them); the estimates settle after two or three.
FIT_ROUNDS = 4
# The window a cell is tested over: the latest period and those before it. Noise that is independent from period to
# period averages out over it, a deviation that carries over does not (see carried_over); four months rather than
# three or two, because the allowance for carry-over costs less over a longer window (bench/bench_signals.py), and
# not longer, so that a window lies after the crisis began from June 2020 on.
WINDOW_PERIODS = {"week": 13, "maand": 4, "kwartaal": 2, "jaar": 2}
# A carry-over ρ this close to 1 is a count that hardly moves but drifts: the allowance for it is capped here (the
# variance is then twenty times or more the independent one, and nothing signals).
MAX_CARRY_OVER = 0.95
SCATTER_COLUMNS = ["indicator_id", "phi", "tau2", "phi_var", "tau2_var", "phi_tau2_cov", "max_degrees_of_freedom",
                   "squared_shares", "carry_over"]  # fmt: skip


def ordinary_scatter(sums: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: φ and τ² with their sampling (co)variances, the degrees of freedom behind them, the sum of
    the municipalities' squared pre-crisis shares and the carry-over ρ.

    `sums` holds, per indicator and municipality, the sums over the pre-crisis periods of the query
    pre_crisis_sums_by_area. For each municipality the squared deviations of its counts from its pre-crisis
    ratio to the rest of the region have expectation φ·A + τ²·B, with A and B known from the counts (the ratio
    itself being estimated from the same periods is allowed for); φ and τ² follow by weighted least squares
    across the municipalities, with φ ≥ 1 (never less than Poisson) and τ² ≥ 0. The carry-over is the mean over the
    municipalities of the lag-1 autocorrelation of those deviations (`carry_over`).
    """
    frame = sums[(sums["value_sum"] > 0) & (sums["region_sum"] > sums["value_sum"]) & (sums["period_count"] >= 2)]
    if frame.empty:
        return pd.DataFrame({column: pd.Series(dtype="float64") for column in SCATTER_COLUMNS}).astype(
            {"indicator_id": str}
        )
    codes, indicators = pd.factorize(frame["indicator_id"])
    column = {name: frame[name].to_numpy(dtype="float64") for name in frame.columns if name.endswith("_sum")}
    periods = frame["period_count"].to_numpy(dtype="float64")
    y_sum, n_sum = column["value_sum"], column["region_sum"]
    share = y_sum / n_sum
    squared_shares = _per_group(codes, share**2)
    rest = n_sum - y_sum
    ratio = y_sum / rest
    observed = (
        (1 + ratio) ** 2 * column["value_sq_sum"]
        - 2 * ratio * (1 + ratio) * column["value_region_sum"]
        + ratio**2 * column["region_sq_sum"]
    )
    # the estimated ratio leans on each period by its weight w = rest of the region that period / rest in total
    weights_squared = (column["region_sq_sum"] - 2 * column["value_region_sum"] + column["value_sq_sum"]) / rest**2
    poisson = (share + ratio**2 * (1 - share)) * (
        n_sum - 2 * (column["region_sq_sum"] - column["value_region_sum"]) / rest + weights_squared * n_sum
    )
    extra = (share**2 + ratio**2 * (squared_shares[codes] - share**2)) * (
        column["region_sq_sum"]
        - 2 * (column["region_cube_sum"] - column["region_sq_value_sum"]) / rest
        + weights_squared * column["region_sq_sum"]
    )
    fit = _fit(codes, len(indicators), observed, poisson, extra, periods)
    # the carry-over from Σ u(t)² and Σ u(t)·u(t−1) over consecutive periods; a series exactly on its share strays
    # only by rounding error, which is no deviation
    observed = np.where(observed > 1e-9 * (1 + ratio) ** 2 * column["value_sq_sum"], observed, 0.0)
    lagged = (
        (1 + ratio) ** 2 * column["value_lag_value_sum"]
        - ratio * (1 + ratio) * (column["value_lag_region_sum"] + column["region_lag_value_sum"])
        + ratio**2 * column["region_lag_region_sum"]
    )
    carry = carry_over(codes, len(indicators), observed, lagged, periods, frame["pair_count"].to_numpy("float64"))
    municipalities = np.bincount(codes, minlength=len(indicators))
    longest = pd.Series(periods).groupby(codes).max().to_numpy()
    return pd.DataFrame(
        {
            "indicator_id": indicators,
            **fit,
            "max_degrees_of_freedom": np.maximum((municipalities - 1) * (longest - 1) - 1, 1),
            "squared_shares": squared_shares,
            "carry_over": carry,
        }
    )


def carry_over(
    codes: np.ndarray, groups: int, squares: np.ndarray, products: np.ndarray, periods: np.ndarray, pairs: np.ndarray
) -> np.ndarray:
    """ρ per group: the mean over its municipalities of the lag-1 autocorrelation of their deviations u(t) from the
    pre-crisis ratio, (Σ u(t)·u(t−1) / pairs) / (Σ u(t)² / periods). Deviations from a ratio estimated from the same
    periods correlate −1/(periods − 1) with each other when nothing carries over; that is added back. Clipped to
    [0, MAX_CARRY_OVER]: a carry-over below 0 (a high month followed by a low one) is not relied on. A municipality
    that never strayed from its share has nothing to carry over (0); a group without a municipality of three
    consecutive periods gets MAX_CARRY_OVER: what cannot be measured is not assumed away."""
    measurable = (pairs >= 2) & (periods >= 3)
    strayed = squares > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        correlation = np.where(strayed, (products / pairs) / (squares / periods) + 1 / (periods - 1), 0.0)
    counted = np.bincount(codes[measurable], minlength=groups)
    total = np.bincount(codes[measurable], weights=correlation[measurable], minlength=groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.clip(np.where(counted > 0, total / counted, MAX_CARRY_OVER), 0.0, MAX_CARRY_OVER)


def _fit(
    codes: np.ndarray, groups: int, observed: np.ndarray, poisson: np.ndarray, extra: np.ndarray, periods: np.ndarray
) -> dict[str, np.ndarray]:
    """φ ≥ 1 and τ² ≥ 0 per group, minimising Σ w (observed − φ·poisson − τ²·extra)², reweighted a few rounds;
    with their sampling variances and covariance (zero for one held at its bound)."""
    phi, tau2 = np.ones(groups), np.zeros(groups)
    for _ in range(FIT_ROUNDS):
        expected = phi[codes] * poisson + tau2[codes] * extra
        # a sum of T squared deviations has variance about 2·(its expectation)² / T: weight T / expectation²
        weight = periods / np.maximum(expected, 1e-300) ** 2
        sums = _Sums(*(_per_group(codes, weight * a * b) for a, b in _products(poisson, extra, observed)))
        phi, tau2, inside, on_phi_edge = sums.solve()
    with np.errstate(divide="ignore", invalid="ignore"):
        determinant = sums.pp * sums.ee - sums.pe**2
        phi_var = np.where(inside, 2 * sums.ee / determinant, np.where(on_phi_edge, 2 / sums.pp, 0.0))
        tau2_var = np.where(inside, 2 * sums.pp / determinant, np.where(on_phi_edge, 0.0, 2 / sums.ee))
        covariance = np.where(inside, -2 * sums.pe / determinant, 0.0)
    phi_var, tau2_var = np.where(phi > 1, phi_var, 0.0), np.where(tau2 > 0, tau2_var, 0.0)
    return {"phi": phi, "tau2": tau2, "phi_var": phi_var, "tau2_var": tau2_var, "phi_tau2_cov": covariance}


def _products(poisson: np.ndarray, extra: np.ndarray, observed: np.ndarray) -> tuple[tuple[np.ndarray, ...], ...]:
    """The products whose weighted sums make the normal equations."""
    return ((poisson, poisson), (poisson, extra), (extra, extra), (poisson, observed), (extra, observed))


class _Sums:
    """The weighted sums of one round of the fit, per group, and the constrained solution they give."""

    def __init__(self, pp, pe, ee, po, eo):
        self.pp, self.pe, self.ee, self.po, self.eo = pp, pe, ee, po, eo

    def loss(self, phi, tau2):
        """The weighted sum of squares, up to a constant."""
        return (
            phi * phi * self.pp
            + 2 * phi * tau2 * self.pe
            + tau2 * tau2 * self.ee
            - 2 * (phi * self.po + tau2 * self.eo)
        )

    def solve(self):
        """φ, τ² and where they lie: inside the allowed region, or on the edge τ² = 0 (else on φ = 1)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            determinant = self.pp * self.ee - self.pe**2
            free_phi = np.where(determinant > 0, (self.ee * self.po - self.pe * self.eo) / determinant, np.nan)
            free_tau2 = np.where(determinant > 0, (self.pp * self.eo - self.pe * self.po) / determinant, np.nan)
            # the best fits on the two edges of the allowed region: τ² = 0, or φ = 1
            edge_phi = np.maximum(np.where(self.pp > 0, self.po / self.pp, 1.0), 1.0)
            edge_tau2 = np.maximum(np.where(self.ee > 0, (self.eo - self.pe) / self.ee, 0.0), 0.0)
        on_phi_edge = self.loss(edge_phi, 0.0) <= self.loss(1.0, edge_tau2)
        inside = (free_phi >= 1) & (free_tau2 >= 0)
        phi = np.where(inside, free_phi, np.where(on_phi_edge, edge_phi, 1.0))
        tau2 = np.where(inside, free_tau2, np.where(on_phi_edge, 0.0, edge_tau2))
        return phi, tau2, inside, on_phi_edge & ~inside


def deviation_test(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells with the test's figures: expected counts, log ratios (the window, its latest period and the periods
    before that), z and p-value.

    The counts make a 2×2 table: the municipality and its comparison group (the rest of the region, less the
    municipalities in the `left_out_…` columns), in the window and before the crisis. Its likelihood-ratio statistic
    G (the G-test of Poisson counts, far closer to its chi-square law for small counts than a z on the log scale) is
    divided by the overdispersion of this cell — the variance of the log ratio with φ, τ² and the carry-over ρ over
    that of Poisson counts — and its signed root compared with Student's t, with Satterthwaite's degrees of freedom
    for a variance estimated from the pre-crisis periods.

    Columns needed: value, window_sum, window_periods, region_value, region_window_sum, region_window_sq_sum (the
    latest period and the window), value_sum, region_sum, region_sq_sum, period_count (pre-crisis sums), the
    indicator's scatter (SCATTER_COLUMNS) and optionally left_out_value, left_out_window_sum, left_out_value_sum,
    left_out_squared_shares.
    """
    number = {name: _column(cells, name) for name in (*_TEST_COLUMNS, *_LEFT_OUT_COLUMNS)}
    value, window = number["value"], number["window_sum"]
    region_window, value_sum, region_sum = number["region_window_sum"], number["value_sum"], number["region_sum"]
    with np.errstate(divide="ignore", invalid="ignore"):
        group_now = number["region_value"] - value - number["left_out_value"]
        group = region_window - window - number["left_out_window_sum"]
        group_sum = region_sum - value_sum - number["left_out_value_sum"]
        # expected counts in the window had the municipality kept its pre-crisis ratio to the group
        expected = (window + group) * value_sum / (value_sum + group_sum)
        expected_group = (window + group) * group_sum / (value_sum + group_sum)
        share, group_share = value_sum / region_sum, group_sum / region_sum
        group_squares = np.maximum(number["squared_shares"] - share**2 - number["left_out_squared_shares"], 0.0)
        # the variance of the log ratio: a Poisson part (times φ) and a part of its own (times τ²), which depends on
        # how the counts spread over the periods and over the group's municipalities; the window's and the baseline's
        # part each made larger by the carry-over between their periods
        municipalities = 1 + group_squares / group_share**2
        window_poisson, baseline_poisson = 1 / expected + 1 / expected_group, 1 / value_sum + 1 / group_sum
        window_extra = number["region_window_sq_sum"] / region_window**2 * municipalities
        baseline_extra = number["region_sq_sum"] / region_sum**2 * municipalities
        window_factor, baseline_factor = carried_over(
            number["carry_over"], number["window_periods"], number["period_count"]
        )
        poisson_part = window_poisson * window_factor + baseline_poisson * baseline_factor
        extra_part = window_extra * window_factor + baseline_extra * baseline_factor
        variance = number["phi"] * poisson_part + number["tau2"] * extra_part
        variance_var = (poisson_part**2 * number["phi_var"] + extra_part**2 * number["tau2_var"]
                        + 2 * poisson_part * extra_part * number["phi_tau2_cov"])  # fmt: skip
        degrees = np.where(variance_var > 0, 2 * variance**2 / variance_var, np.inf)
        degrees = np.clip(degrees, 1, number["max_degrees_of_freedom"])
        before = np.log((value_sum + 0.5) / (group_sum + 0.5))
        log_ratio = np.log((window + 0.5) / (group + 0.5)) - before
        statistic = _g_statistic(window, group, value_sum, group_sum)
        z = np.sign(log_ratio) * np.sqrt(np.maximum(statistic, 0) * (window_poisson + baseline_poisson) / variance)
        log_ratio_now = np.log((value + 0.5) / (group_now + 0.5)) - before
        log_ratio_earlier = np.log((window - value + 0.5) / (group - group_now + 0.5)) - before
    return cells.assign(
        expected=expected,
        expected_group=expected_group,
        log_ratio=log_ratio,
        log_ratio_now=log_ratio_now,
        log_ratio_earlier=log_ratio_earlier,
        z=z,
        degrees_of_freedom=degrees,
        p_value=2 * stats.t.sf(np.abs(z), degrees),
    )


def carried_over(carry: np.ndarray, window_periods: np.ndarray, baseline_periods: np.ndarray) -> tuple:
    """How much larger the window's and the baseline's variance are than if their periods were independent, when
    a deviation carries over from one period to the next with autocorrelation ρ.

    An upper bound: the autocorrelation at every distance is taken as large as the next period's (a carry-over
    that fades gives less), so a sum of n periods has n·(1 + (n − 1)·ρ) times one period's variance; the scatter
    itself, measured around each municipality's own pre-crisis mean, understates a period's variance by 1 − ρ; and
    the baseline's carry-over into the window, which would make their difference steadier, is not counted on.
    With ρ = 0 both factors are 1 and the test is the one for independent periods.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = 1 / (1 - carry)
    return scale * (1 + (window_periods - 1) * carry), scale * (1 + (baseline_periods - 1) * carry)


def _column(cells: pd.DataFrame, name: str) -> np.ndarray:
    """A column as float64 (missing values NaN); a left-out column that is absent means nobody is left out."""
    if name not in cells and name in _LEFT_OUT_COLUMNS:
        return np.zeros(len(cells))
    return cells[name].to_numpy(dtype="float64", na_value=np.nan)


def _g_statistic(*counts: np.ndarray) -> np.ndarray:
    """The likelihood-ratio statistic G = 2 Σ O·ln(O/E) of 2×2 tables [[a, b], [c, d]] given as four arrays."""
    a, b, c, d = counts
    total = a + b + c + d
    expected = ((a + c) * (a + b), (b + d) * (a + b), (a + c) * (c + d), (b + d) * (c + d))
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = [np.where(observed > 0, observed * np.log(observed * total / product), 0.0)
                 for observed, product in zip(counts, expected, strict=True)]  # fmt: skip
    return 2 * sum(terms)


_TEST_COLUMNS = (
    "value",
    "window_sum",
    "window_periods",
    "region_value",
    "region_window_sum",
    "region_window_sq_sum",
    "value_sum",
    "region_sum",
    "region_sq_sum",
    "period_count",
    *SCATTER_COLUMNS[1:],
)
_LEFT_OUT_COLUMNS = ("left_out_value", "left_out_window_sum", "left_out_value_sum", "left_out_squared_shares")


def benjamini_hochberg(p_values: np.ndarray, rate: float = FALSE_DISCOVERY_RATE) -> np.ndarray:
    """Which p-values to reject so that on average at most `rate` of the rejections are false (BH 1995)."""
    p_values = np.asarray(p_values, dtype="float64")
    if p_values.size == 0:
        return np.zeros(0, dtype=bool)
    ranked = np.sort(p_values)
    passes = np.nonzero(ranked <= rate * np.arange(1, ranked.size + 1) / ranked.size)[0]
    if passes.size == 0:
        return np.zeros(p_values.size, dtype=bool)
    return p_values <= ranked[passes[-1]]


def _per_group(codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The sum of `values` per group code."""
    return np.bincount(codes, weights=values, minlength=int(codes.max()) + 1 if codes.size else 0)
