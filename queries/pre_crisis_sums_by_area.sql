-- Per count indicator with a baseline and per municipality, sums over the periods that ended before the crisis and
-- for which the region total exists (every municipality delivered): the municipality's pre-crisis share of the
-- region, the ordinary scatter around it and how much of a period's deviation carries over into the next period,
-- as the signals' test needs them (ratc/monitor/signal_statistics.py).
-- In the column names `value` is the municipality's count of a period and `region` the region's total; the `lag`
-- sums pair a period with the one right before it (value_lag_region_sum = Σ value(t) · region(t − 1)), over the
-- pair_count pairs of consecutive pre-crisis periods in which the municipality has both counts.
-- params: before_date
-- returns: indicator_id, area_code, period_count, value_sum, region_sum, value_sq_sum, value_region_sum, region_sq_sum, region_cube_sum, region_sq_value_sum, pair_count, value_lag_value_sum, value_lag_region_sum, region_lag_value_sum, region_lag_region_sum
with region_totals as (
    select
        indicator_id,
        period_key,
        value as region_value,
        -- the region's periods numbered in order, and whether the next one starts the day after this one ends
        row_number() over (
            partition by indicator_id order by period_start_date
        ) as period_number,
        period_end_date + interval 1 day
            = lead(period_start_date) over (
                partition by indicator_id order by period_start_date
            ) as is_followed,
    from signal_region_series
    where period_end_date < $before_date
),

municipality_values as (
    select
        observations.indicator_id,
        observations.area_code,
        region_totals.period_number,
        region_totals.is_followed,
        observations.value,
        region_totals.region_value,
    from observations
    inner join areas
        on areas.area_code = observations.area_code
        and areas.area_type = 'gemeente'
    inner join region_totals
        on region_totals.indicator_id = observations.indicator_id
        and region_totals.period_key = observations.period_key
),

pairs as (
    select
        later.indicator_id,
        later.area_code,
        count(*) as pair_count,
        sum(later.value * earlier.value) as value_lag_value_sum,
        sum(later.value * earlier.region_value) as value_lag_region_sum,
        sum(later.region_value * earlier.value) as region_lag_value_sum,
        sum(later.region_value * earlier.region_value) as region_lag_region_sum,
    from municipality_values as earlier
    inner join municipality_values as later
        on later.indicator_id = earlier.indicator_id
        and later.area_code = earlier.area_code
        and later.period_number = earlier.period_number + 1
    where earlier.is_followed
    group by later.indicator_id, later.area_code
),

sums as (
    select
        indicator_id,
        area_code,
        count(*) as period_count,
        sum(value) as value_sum,
        sum(region_value) as region_sum,
        sum(value * value) as value_sq_sum,
        sum(value * region_value) as value_region_sum,
        sum(region_value * region_value) as region_sq_sum,
        sum(region_value * region_value * region_value) as region_cube_sum,
        sum(region_value * region_value * value) as region_sq_value_sum,
    from municipality_values
    group by indicator_id, area_code
),

final as (
    select
        sums.*,
        coalesce(pairs.pair_count, 0) as pair_count,
        coalesce(pairs.value_lag_value_sum, 0) as value_lag_value_sum,
        coalesce(pairs.value_lag_region_sum, 0) as value_lag_region_sum,
        coalesce(pairs.region_lag_value_sum, 0) as region_lag_value_sum,
        coalesce(pairs.region_lag_region_sum, 0) as region_lag_region_sum,
    from sums
    left join pairs
        on pairs.indicator_id = sums.indicator_id
        and pairs.area_code = sums.area_code
)

select * from final
order by indicator_id, area_code
