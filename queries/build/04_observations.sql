-- Build step: every observation with its period dates, previous value and pre-crisis baseline.
create table observations as
with dated as (
    select
        observations_all.indicator_id,
        observations_all.area_code,
        observations_all.period_key,
        periods.period_start_date,
        periods.period_end_date,
        periods.period_year,
        periods.period_number,
        observations_all.value,
        observations_all.import_id,
        observations_all.is_demo,
        observations_all.derivation,
        indicators.frequency,
        indicators.is_seasonal,
        indicators.has_baseline,
    from observations_all
    inner join indicators
        on indicators.indicator_id = observations_all.indicator_id
    inner join periods
        on periods.frequency = indicators.frequency
        and periods.period_key = observations_all.period_key
),

fixed_baselines as (
    select
        dated.indicator_id,
        dated.area_code,
        avg(dated.value) as baseline_value,
    from dated
    inner join baseline_windows
        on baseline_windows.frequency = dated.frequency
        and dated.period_start_date between baseline_windows.first_date and baseline_windows.last_date
    where not dated.is_seasonal
    group by dated.indicator_id, dated.area_code
),

final as (
    select
        dated.indicator_id,
        dated.area_code,
        dated.period_key,
        dated.period_start_date,
        dated.period_end_date,
        dated.value,
        case
            when not dated.has_baseline then null
            when dated.is_seasonal then same_period_2019.value
            else fixed_baselines.baseline_value
        end as baseline_value,
        lag(dated.value) over (
            partition by dated.indicator_id, dated.area_code
            order by dated.period_start_date
        ) as previous_value,
        dated.import_id,
        dated.is_demo,
        dated.derivation,
    from dated
    left join fixed_baselines
        on fixed_baselines.indicator_id = dated.indicator_id
        and fixed_baselines.area_code = dated.area_code
    left join dated as same_period_2019
        on dated.is_seasonal
        and same_period_2019.indicator_id = dated.indicator_id
        and same_period_2019.area_code = dated.area_code
        and same_period_2019.period_year = 2019
        and same_period_2019.period_number = dated.period_number
)

select * from final
order by indicator_id, area_code, period_start_date
