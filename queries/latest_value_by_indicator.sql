-- Per indicator, the latest observation for one area that ended on or before a date, with its baseline.
-- params: area_code, as_of_date
-- returns: indicator_id, period_key, period_start_date, period_end_date, value, baseline_value, previous_value, import_id, derivation, is_demo
select
    indicator_id,
    period_key,
    period_start_date,
    period_end_date,
    value,
    baseline_value,
    previous_value,
    import_id,
    derivation,
    is_demo,
from observations
where
    area_code = $area_code
    and period_end_date <= $as_of_date
qualify row_number() over (partition by indicator_id order by period_start_date desc) = 1
order by indicator_id
