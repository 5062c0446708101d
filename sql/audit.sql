-- Audit queries: `data-platform audit` lists them, `data-platform audit NAME --param key=value`
-- runs one. Each query starts with `-- name:`, then `-- description:` and one `-- param:` line
-- per parameter (`name type [optional]: meaning`). Parameters are bound by DuckDB ($name),
-- never formatted into the SQL text. The views come from sql/views.sql.

-- name: record_lineage
-- description: Every place a record has been: raw (file and line delivered), cleaned, annotated,
-- description: quarantine (tier, reason, detail) and each release that contains it.
-- param: record_id string: the record's id (32 hex characters)
select 'raw' as step, batch_id, origin_file, origin_line, null as reason, null as detail
from raw_records where record_id = $record_id
union all
select 'cleaned', batch_id, origin_file, origin_line, null, null
from cleaned_records where record_id = $record_id
union all
select 'annotated', batch_id, origin_file, origin_line, null, null
from annotated_records where record_id = $record_id
union all
select 'quarantine:' || tier, batch_id, origin_file, origin_line, reason, detail
from quarantine where record_id = $record_id
union all
select 'release:' || version, batch_id, origin_file, origin_line, null, null
from release_all where record_id = $record_id
order by step;

-- name: release_composition
-- description: Records of one release by source, licence, consent and language.
-- param: version string: release version, e.g. v1
select source_id, licence, consent, lang, count(*) as records
from release_all where version = $version
group by all order by records desc, source_id, licence, consent, lang;

-- name: quarantine_reasons
-- description: Why records left each tier, per batch; all batches unless one is given.
-- param: batch_id string optional: limit to this batch
select tier, batch_id, reason, count(*) as records
from quarantine where $batch_id is null or batch_id = $batch_id
group by all order by tier, batch_id, records desc, reason;

-- name: source_in_releases
-- description: How many records of one source each release holds.
-- param: source_id string: registry id of the source
select version, count(*) as records
from release_all where source_id = $source_id
group by version order by version;

-- name: models_per_source
-- description: Models trained on releases that hold records of one source, with how many.
-- param: source_id string: registry id of the source
select m.name, m.version, m.release, count(*) as records_of_source
from models m join release_all r on r.version = m.release
where r.source_id = $source_id
group by all order by m.name, m.version;

-- name: release_models
-- description: Models registered as trained on one release.
-- param: version string: release version, e.g. v1
select name, version, registered_at, notes from models where release = $version order by name, version;

-- name: takedown_requests
-- description: Every takedown request in the ledger with its scope (texts by their sha256).
select request_id, received, reason, len(record_ids) as record_ids, source_id, field, value, text_sha256
from takedowns order by received, request_id;

-- name: takedown_impact
-- description: What one takedown request reached when it was filed: each release that held its
-- description: records, how many, and the models registered on that release (as registered now).
-- param: request_id string: the request's id, e.g. td-0123456789ab
select i.release, len(i.record_ids) as records, m.name as model, m.version as model_version, i.computed_at
from takedown_impact i left join (select * from models) m on m.release = i.release
where i.request_id = $request_id
order by i.release, m.name, m.version;

-- name: pii_per_release
-- description: PII found and redacted in released text, by release, source and entity type.
-- param: version string optional: limit to this release
select version, source_id, finding.entity_type as entity_type, count(*) as findings, count(distinct record_id) as records
from (select version, source_id, record_id, unnest(pii) as finding from release_all)
where $version is null or version = $version
group by all order by version, source_id, findings desc, entity_type;

-- name: release_diff
-- description: Records one release holds and the other does not, per source and reason: why the
-- description: later release left a record out, or where an added record came from.
-- param: earlier string: the earlier release, e.g. v1
-- param: later string: the later release, e.g. v2
with a as (select record_id, source_id, batch_id from release_all where version = $earlier),
b as (select record_id, source_id, batch_id from release_all where version = $later),
why_not as (
    select version, record_id, arg_min(reason, reason = 'superseded') as reason
    from release_left_out where version in ($earlier, $later) group by all
)
select 'removed' as change, a.source_id,
    coalesce(w.reason, 'not left out by ' || $later || ': its batch is not included') as reason,
    count(*) as records
from a anti join b using (record_id)
left join why_not w on w.record_id = a.record_id and w.version = $later
group by all
union all
select 'added', b.source_id,
    case
        when b.batch_id not in (
            select batch_id from a union select batch_id from release_left_out where version = $earlier
        ) then 'new batch'
        when w.reason is not null then 'admitted (left out of ' || $earlier || ': ' || w.reason || ')'
        else 'entered the annotated tier'
    end,
    count(*)
from b anti join a using (record_id)
left join why_not w on w.record_id = b.record_id and w.version = $earlier
group by all
order by change, source_id, records desc, reason;

-- name: synthetic_records
-- description: Generated records each release holds, by generator, task and slice, with how many
-- description: real records they were made from (parents named in synthetic_origin).
-- param: version string optional: limit to this release
select
    version,
    json_extract_string(synthetic_origin, '$.generator') as generator,
    json_extract_string(synthetic_origin, '$.task') as task,
    json_extract(synthetic_origin, '$.slice')::varchar as slice,
    count(distinct record_id) as records,
    count(distinct parent) as parents
from (
    select version, record_id, synthetic_origin, unnest(json_extract_string(synthetic_origin, '$.parents[*]')) as parent
    from release_all
    where synthetic and ($version is null or version = $version)
)
group by all order by version, records desc, generator;
