-- Build step: counts plus rates computed from a numerator and the population or another indicator.
create table observations_all as
with rates as (
    select
        rate.indicator_id,
        numerator.area_code,
        numerator.period_key,
        numerator.value / coalesce(denominator.value, areas.population_2020) * rate.scale as value,
        greatest(numerator.import_id, coalesce(denominator.import_id, numerator.import_id)) as import_id,
        'berekend' as derivation,
    from indicators as rate
    inner join observations_counts as numerator
        on numerator.indicator_id = rate.numerator_id
    inner join areas
        on areas.area_code = numerator.area_code
    left join observations_counts as denominator
        on denominator.indicator_id = rate.denominator
        and denominator.area_code = numerator.area_code
        and denominator.period_key = numerator.period_key
    where
        not rate.is_count
        and rate.numerator_id <> ''
        and (rate.denominator = 'population' or denominator.value > 0)
)

select * from observations_counts
union all
select * from rates
