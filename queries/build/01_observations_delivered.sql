-- Build step: the delivered counts and rates, the newest import winning where two imports overlap.
-- Municipalities, the country and provinces (context for figures CBS publishes per province) are delivered;
-- the region is never delivered: 02 sums it from the municipalities only.
-- Demo and real never mix: once any real import delivers an indicator, no demo value of that indicator is used,
-- for any area or period (README "Demo data"). `is_demo` says which values are demo, so every figure can say so.
create table observations_delivered as
with delivered as (
    select
        raw_observations.indicator_id,
        raw_observations.area_code,
        raw_observations.period_key,
        raw_observations.value,
        raw_observations.import_id,
        raw_observations.is_demo,
    from raw_observations
    inner join areas
        on areas.area_code = raw_observations.area_code
        and areas.area_type in ('gemeente', 'land', 'provincie')
    inner join indicators
        on indicators.indicator_id = raw_observations.indicator_id
        and (indicators.is_count or indicators.numerator_id = '')
),

real_indicators as (
    select distinct indicator_id
    from delivered
    where not is_demo
),

in_use as (
    select delivered.*
    from delivered
    left join real_indicators
        on real_indicators.indicator_id = delivered.indicator_id
    where not (delivered.is_demo and real_indicators.indicator_id is not null)
),

ranked as (
    select *
    from in_use
    qualify row_number() over (
        partition by indicator_id, area_code, period_key
        order by import_id desc
    ) = 1
)

select
    indicator_id,
    area_code,
    period_key,
    value,
    import_id,
    is_demo,
    'aangeleverd' as derivation,
from ranked
