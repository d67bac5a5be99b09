-- Build step: the delivered counts and rates, the newest import winning where two imports overlap.
-- Municipalities, the country and provinces (context for figures CBS publishes per province) are delivered;
-- the region is never delivered: 02 sums it from the municipalities only.
create table observations_delivered as
with ranked as (
    select
        raw_observations.indicator_id,
        raw_observations.area_code,
        raw_observations.period_key,
        raw_observations.value,
        raw_observations.import_id,
    from raw_observations
    inner join areas
        on areas.area_code = raw_observations.area_code
        and areas.area_type in ('gemeente', 'land', 'provincie')
    inner join indicators
        on indicators.indicator_id = raw_observations.indicator_id
        and (indicators.is_count or indicators.numerator_id = '')
    qualify row_number() over (
        partition by raw_observations.indicator_id, raw_observations.area_code, raw_observations.period_key
        order by raw_observations.import_id desc
    ) = 1
)

select
    *,
    'aangeleverd' as derivation,
from ranked
