-- Every indicator's observations for one area within a date range: the data of sparklines and profiles.
-- params: area_code, from_date, as_of_date
-- returns: indicator_id, period_key, period_start_date, value, baseline_value, is_demo
select
    indicator_id,
    period_key,
    period_start_date,
    value,
    baseline_value,
    is_demo,
from observations
where
    area_code = $area_code
    and period_start_date >= $from_date
    and period_end_date <= $as_of_date
order by indicator_id, period_start_date
