-- One indicator's observations for a list of areas within a date range: the data of a trend chart.
-- params: indicator_id, area_codes, from_date, as_of_date
-- returns: area_code, period_key, period_start_date, period_end_date, value, baseline_value, import_id, is_demo
select
    area_code,
    period_key,
    period_start_date,
    period_end_date,
    value,
    baseline_value,
    import_id,
    is_demo,
from observations
where
    indicator_id = $indicator_id
    and list_contains($area_codes, area_code)
    and period_start_date >= $from_date
    and period_end_date <= $as_of_date
order by area_code, period_start_date
