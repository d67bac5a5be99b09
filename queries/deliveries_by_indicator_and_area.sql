-- Per delivered indicator and area (municipalities and the Netherlands; the population included): its first and
-- last period in force, whether it is demo, and the import that supplied the last period.
-- params: none
-- returns: indicator_id, area_code, first_period_key, last_period_key, last_period_end_date, periods_delivered, is_demo, import_id, file_path, source, imported_at
with delivered as (
    select
        indicator_id,
        area_code,
        arg_min(period_key, period_start_date) as first_period_key,
        arg_max(period_key, period_start_date) as last_period_key,
        max(period_end_date) as last_period_end_date,
        count(*) as periods_delivered,
        bool_or(is_demo) as is_demo,
        arg_max(import_id, period_start_date) as import_id,
    from observations
    where derivation = 'aangeleverd'
    group by indicator_id, area_code
)

select
    delivered.indicator_id,
    delivered.area_code,
    delivered.first_period_key,
    delivered.last_period_key,
    delivered.last_period_end_date,
    delivered.periods_delivered,
    delivered.is_demo,
    delivered.import_id,
    imports.file_path,
    imports.source,
    imports.imported_at,
from delivered
inner join imports
    on imports.import_id = delivered.import_id
order by delivered.indicator_id, delivered.area_code
