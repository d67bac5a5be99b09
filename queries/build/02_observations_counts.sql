-- Build step: delivered observations plus the region as the sum of all its municipalities.
create table observations_counts as
with municipality_count as (
    select count(*) as n_municipalities
    from areas
    where area_type = 'gemeente'
),

region as (
    select area_code
    from areas
    where area_type = 'regio'
),

region_sums as (
    select
        observations_delivered.indicator_id,
        region.area_code,
        observations_delivered.period_key,
        sum(observations_delivered.value) as value,
        max(observations_delivered.import_id) as import_id,
        bool_or(observations_delivered.is_demo) as is_demo,
        'som van de gemeenten' as derivation,
    from observations_delivered
    inner join areas
        on areas.area_code = observations_delivered.area_code
        and areas.area_type = 'gemeente'
    inner join indicators
        on indicators.indicator_id = observations_delivered.indicator_id
        and indicators.is_count
    cross join region
    group by observations_delivered.indicator_id, region.area_code, observations_delivered.period_key
    -- a region total over part of its municipalities would understate the region, so it is left out
    having count(*) = (select n_municipalities from municipality_count)
)

select * from observations_delivered
union all
select * from region_sums
