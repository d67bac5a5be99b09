-- Every import the warehouse was built from, newest first, with the observations it supplied.
-- params: none
-- returns: import_id, file_path, source, checksum_sha256, imported_at, rows_accepted, is_demo, description, observations_used
with used as (
    select
        import_id,
        count(*) as observations_used,
    from observations
    where derivation = 'aangeleverd'
    group by import_id
)

select
    imports.import_id,
    imports.file_path,
    imports.source,
    imports.checksum_sha256,
    imports.imported_at,
    imports.rows_accepted,
    imports.is_demo,
    imports.description,
    coalesce(used.observations_used, 0) as observations_used,
from imports
left join used
    on used.import_id = imports.import_id
order by imports.import_id desc
