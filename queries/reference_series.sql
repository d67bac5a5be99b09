-- Reference series that other figures are computed from (the population), with definition and coverage.
-- params: none
-- returns: indicator_id, name, domain_name, unit, source, frequency, polarity, is_count, definition, last_period_date, areas_covered
with coverage as (
    select
        indicator_id,
        max(period_end_date) as last_period_date,
        count(distinct area_code) as areas_covered,
    from observations
    group by indicator_id
)

select
    indicators.indicator_id,
    indicators.name,
    domains.domain_name,
    indicators.unit,
    indicators.source,
    indicators.frequency,
    indicators.polarity,
    indicators.is_count,
    indicators.definition,
    coverage.last_period_date,
    coalesce(coverage.areas_covered, 0) as areas_covered,
from indicators
inner join domains
    on domains.domain_id = indicators.domain_id
    and domains.is_reference
left join coverage
    on coverage.indicator_id = indicators.indicator_id
order by indicators.sort_order
