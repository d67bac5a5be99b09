-- Per count indicator with a baseline and per municipality, sums over the periods that ended before the crisis and
-- for which the region total exists (every municipality delivered): the municipality's pre-crisis share of the
-- region and the ordinary scatter around it, as the signals' test needs them (ratc/monitor/signal_statistics.py).
-- In the column names `value` is the municipality's count of a period and `region` the region's total.
-- params: before_date
-- returns: indicator_id, area_code, period_count, value_sum, region_sum, value_sq_sum, value_region_sum, region_sq_sum, region_cube_sum, region_sq_value_sum
with region_totals as (
    select
        observations.indicator_id,
        observations.period_key,
        observations.value as region_value,
    from observations
    inner join areas
        on areas.area_code = observations.area_code
        and areas.area_type = 'regio'
    inner join indicators
        on indicators.indicator_id = observations.indicator_id
        and indicators.is_count
        and indicators.has_baseline
    where observations.period_end_date < $before_date
),

municipality_values as (
    select
        observations.indicator_id,
        observations.area_code,
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

final as (
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
)

select * from final
order by indicator_id, area_code
