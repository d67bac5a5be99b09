-- Per count indicator with a baseline and per municipality, plus the region: the window the signals test and its
-- latest period. The window is the region's latest period ended on or before a date and the periods right before it,
-- as many as the window holds for the indicator's frequency (ratc/monitor/signal_statistics.py WINDOW_PERIODS): per
-- area the count and baseline of that latest period (as in latest_value_by_area), and over the window the number of
-- periods the area has (window_periods), the sum of its counts and of their squares. window_start_date is the first
-- day of the window.
-- params: as_of_date, week_periods, month_periods, quarter_periods, year_periods
-- returns: indicator_id, area_code, period_key, value, baseline_value, window_start_date, window_periods, window_sum, window_sq_sum
with region_periods as (
    select
        indicator_id,
        period_key,
        period_start_date,
        period_end_date,
        row_number() over (
            partition by indicator_id
            order by period_start_date desc
        ) as periods_back,
        case frequency
            when 'week' then $week_periods
            when 'maand' then $month_periods
            when 'kwartaal' then $quarter_periods
            else $year_periods
        end as window_length,
    from signal_region_series
    where period_end_date <= $as_of_date
),

windows as (
    select
        indicator_id,
        any_value(period_key) filter (where periods_back = 1) as period_key,
        min(period_start_date) as window_start_date,
        max(period_end_date) as window_end_date,
    from region_periods
    where periods_back <= window_length
    group by indicator_id
),

final as (
    select
        observations.indicator_id,
        observations.area_code,
        windows.period_key,
        any_value(observations.value) filter (where observations.period_key = windows.period_key) as value,
        any_value(observations.baseline_value) filter (
            where observations.period_key = windows.period_key
        ) as baseline_value,
        windows.window_start_date,
        count(*) as window_periods,
        sum(observations.value) as window_sum,
        sum(observations.value * observations.value) as window_sq_sum,
    from observations
    inner join windows
        on windows.indicator_id = observations.indicator_id
        and observations.period_start_date >= windows.window_start_date
        and observations.period_end_date <= windows.window_end_date
    inner join areas
        on areas.area_code = observations.area_code
        and areas.area_type in ('gemeente', 'regio')
    group by observations.indicator_id, observations.area_code, windows.period_key, windows.window_start_date
)

select * from final
order by indicator_id, area_code
