-- The first and last day covered by any monitor figure: the range of the "stand per" selector. Reference series
-- (the population on 1 January, a year long) are left out: they would stretch the range past the last figure.
-- Both are null while no figure has been delivered.
-- params: none
-- returns: first_period_date, last_period_date
select
    min(observations.period_start_date) as first_period_date,
    max(observations.period_end_date) as last_period_date,
from observations
inner join indicators
    on indicators.indicator_id = observations.indicator_id
inner join domains
    on domains.domain_id = indicators.domain_id
    and not domains.is_reference
