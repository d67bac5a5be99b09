-- Per indicator and municipality, plus the region, the latest observation ended on or before a date.
-- params: as_of_date
-- returns: indicator_id, area_code, period_key, value, baseline_value, previous_value, import_id, is_demo
select
    observations.indicator_id,
    observations.area_code,
    observations.period_key,
    observations.value,
    observations.baseline_value,
    observations.previous_value,
    observations.import_id,
    observations.is_demo,
from observations
inner join areas
    on areas.area_code = observations.area_code
    and areas.area_type in ('gemeente', 'regio')
where observations.period_end_date <= $as_of_date
qualify row_number() over (
    partition by observations.indicator_id, observations.area_code
    order by observations.period_start_date desc
) = 1
order by observations.indicator_id, observations.area_code
