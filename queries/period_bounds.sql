-- The first and last day covered by any observation: the range of the "stand per" selector.
-- params: none
-- returns: first_period_date, last_period_date
select
    min(period_start_date) as first_period_date,
    max(period_end_date) as last_period_date,
from observations
