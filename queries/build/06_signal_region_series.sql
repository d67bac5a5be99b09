-- Build step: the region's periods of the counts the signals test (count indicators with a baseline), with the
-- indicator's frequency; the one definition that the signals' queries (pre_crisis_sums_by_area,
-- recent_window_by_area) read their region's series from.
create view signal_region_series as
select
    observations.indicator_id,
    observations.period_key,
    observations.period_start_date,
    observations.period_end_date,
    observations.value,
    indicators.frequency,
from observations
inner join areas
    on areas.area_code = observations.area_code
    and areas.area_type = 'regio'
inner join indicators
    on indicators.indicator_id = observations.indicator_id
    and indicators.is_count
    and indicators.has_baseline;
