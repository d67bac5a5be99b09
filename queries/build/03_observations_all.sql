-- Build step: counts plus rates computed from a numerator and the population or another indicator.
-- A rate per inhabitant divides by the imported population (indicator `bevolking`, 1 January) of the period's
-- year, or of the latest earlier year imported; without any, by the 2020 population in data/areas.csv.
create table observations_all as
with numerators as (
    select
        rate.indicator_id,
        rate.denominator,
        rate.scale,
        numerator.area_code,
        numerator.period_key,
        numerator.value,
        numerator.import_id,
        numerator.is_demo,
        periods.period_year,
    from indicators as rate
    inner join observations_counts as numerator
        on numerator.indicator_id = rate.numerator_id
    inner join periods
        on periods.frequency = rate.frequency
        and periods.period_key = numerator.period_key
    where
        not rate.is_count
        and rate.numerator_id <> ''
),

population_by_year as (
    select
        observations_counts.area_code,
        periods.period_year as population_year,
        observations_counts.value as population,
        observations_counts.import_id,
        observations_counts.is_demo,
    from observations_counts
    inner join periods
        on periods.frequency = 'jaar'
        and periods.period_key = observations_counts.period_key
    where observations_counts.indicator_id = 'bevolking'
),

per_inhabitant as (
    select
        numerators.indicator_id,
        numerators.area_code,
        numerators.period_key,
        numerators.value / coalesce(population_by_year.population, areas.population_2020) * numerators.scale
            as value,
        greatest(numerators.import_id, coalesce(population_by_year.import_id, numerators.import_id)) as import_id,
        numerators.is_demo or coalesce(population_by_year.is_demo, false) as is_demo,
        'berekend' as derivation,
    from numerators
    inner join areas
        on areas.area_code = numerators.area_code
    asof left join population_by_year
        on population_by_year.area_code = numerators.area_code
        and numerators.period_year >= population_by_year.population_year
    where numerators.denominator = 'population'
),

per_indicator as (
    select
        numerators.indicator_id,
        numerators.area_code,
        numerators.period_key,
        numerators.value / denominator.value * numerators.scale as value,
        greatest(numerators.import_id, denominator.import_id) as import_id,
        numerators.is_demo as is_demo,
        'berekend' as derivation,
    from numerators
    inner join observations_counts as denominator
        on denominator.indicator_id = numerators.denominator
        and denominator.area_code = numerators.area_code
        and denominator.period_key = numerators.period_key
    where
        numerators.denominator <> 'population'
        and denominator.value > 0
        -- a real count over a demo one (or the other way round) would mix the two: no rate then
        and numerators.is_demo = denominator.is_demo
)

select * from observations_counts
union all
select * from per_inhabitant
union all
select * from per_indicator
