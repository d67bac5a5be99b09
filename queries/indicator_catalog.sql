-- Every indicator of the monitor's five domains with its definition, in display order (no reference series).
-- is_demo: its figures are demo data (an indicator is demo or real as a whole); false while it has no figures.
-- params: none
-- returns: indicator_id, name, short_name, domain_id, domain_name, domain_order, unit, source, frequency, polarity, is_count, is_stock, numerator_id, scale, per_10k, is_seasonal, has_baseline, decimals, subject, definition, first_period_date, last_period_date, is_demo
with coverage as (
    select
        indicator_id,
        min(period_start_date) as first_period_date,
        max(period_end_date) as last_period_date,
        bool_or(is_demo) as is_demo,
    from observations
    group by indicator_id
)

select
    indicators.indicator_id,
    indicators.name,
    indicators.short_name,
    indicators.domain_id,
    domains.domain_name,
    domains.sort_order as domain_order,
    indicators.unit,
    indicators.source,
    indicators.frequency,
    indicators.polarity,
    indicators.is_count,
    indicators.is_stock,
    indicators.numerator_id,
    indicators.scale,
    indicators.per_10k,
    indicators.is_seasonal,
    indicators.has_baseline,
    indicators.decimals,
    indicators.subject,
    indicators.definition,
    coverage.first_period_date,
    coverage.last_period_date,
    coalesce(coverage.is_demo, false) as is_demo,
from indicators
inner join domains
    on domains.domain_id = indicators.domain_id
    and not domains.is_reference
left join coverage
    on coverage.indicator_id = indicators.indicator_id
order by domains.sort_order, indicators.sort_order
