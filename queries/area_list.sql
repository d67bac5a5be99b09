-- The municipalities by name, then the region and the Netherlands, with population on 1 January 2020.
-- params: none
-- returns: area_code, area_name, area_type, slug, population_2020
select
    area_code,
    area_name,
    area_type,
    slug,
    population_2020,
from areas
order by
    case area_type when 'gemeente' then 1 when 'regio' then 2 else 3 end,
    area_name
