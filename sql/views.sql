-- DuckDB catalog views over the lake. Rebuilt by `data-platform catalog` and after each release.
-- {lake} is replaced by the lake root as a quoted SQL string literal. Folders named .tmp-* are
-- unfinished writes and are never visible.

-- name: tier_records
-- The records of one tier across all batches ({tier} is raw, cleaned or annotated).
create or replace view {tier}_records as
select * exclude (filename)
from read_parquet({lake} || '/{tier}/*/records-*.parquet', union_by_name = true, filename = true)
where filename not like '%/.tmp-%';

-- name: quarantine
-- Every record that left any tier, with its reason code, detail, file, line and field.
create or replace view quarantine as
select * exclude (filename)
from read_parquet({lake} || '/*/*/quarantine-*.parquet', union_by_name = true, filename = true)
where filename not like '%/.tmp-%';

-- name: release
-- One view per release version, and release_latest for the newest.
create or replace view release_{version} as
select * from read_parquet({lake} || '/releases/{version}/records-*.parquet');

-- name: release_all
-- Every release's records with the version they belong to.
create or replace view release_all as
select * exclude (filename), regexp_extract(filename, '/releases/(v[0-9]+)/', 1) as version
from read_parquet({lake} || '/releases/v*/records-*.parquet', union_by_name = true, filename = true)
where filename not like '%/.tmp-%';

-- name: release_left_out
-- Every record of its included batches that a release left out, with the reason code and detail.
create or replace view release_left_out as
select * exclude (filename), regexp_extract(filename, '/releases/(v[0-9]+)/', 1) as version
from read_parquet({lake} || '/releases/v*/left_out.parquet', union_by_name = true, filename = true)
where filename not like '%/.tmp-%';

-- name: models
-- The model registry (governance/models.py): which release trained which model.
create or replace view models as
select * from read_json({ledger}, format = 'newline_delimited', columns = {
    name: 'VARCHAR', version: 'VARCHAR', release: 'VARCHAR', registered_at: 'VARCHAR', notes: 'VARCHAR'
});

-- name: takedowns
-- The takedown ledger (governance/takedown.py); a text scope shows as its normalised sha256.
create or replace view takedowns as
select * from read_json({ledger}, format = 'newline_delimited', columns = {
    request_id: 'VARCHAR', received: 'VARCHAR', reason: 'VARCHAR', record_ids: 'VARCHAR[]',
    source_id: 'VARCHAR', field: 'VARCHAR', value: 'VARCHAR', text_sha256: 'VARCHAR'
});

-- name: takedown_impact
-- What each takedown request reached when it was filed (governance/impact.py): one row per
-- release that held its records (release null: none did).
create or replace view takedown_impact as
select * from read_json({ledger}, format = 'newline_delimited', columns = {
    request_id: 'VARCHAR', release: 'VARCHAR', record_ids: 'VARCHAR[]', computed_at: 'VARCHAR'
});
