-- A tender is public once it has been published, and stays so (cancelled, awarded, …); a draft
-- cancelled before it was ever published was public too, internal reason and all, because the
-- public functions of 0001 only left out state 'draft'. published_at is set by the one
-- transition to 'published' and never cleared, so it says "was ever published".

create or replace function public_tenders() returns setof tender
language sql stable security definer set search_path = pg_catalog, public as $$
    select * from tender where state <> 'draft' and published_at is not null
$$;

create or replace function public_tender(tender bigint) returns setof tender
language sql stable security definer set search_path = pg_catalog, public as $$
    select * from tender t
    where t.id = public_tender.tender and t.state <> 'draft' and t.published_at is not null
$$;

create or replace function public_tender_documents(tender bigint)
returns table (id bigint, name text, media_type text, size integer, sha256 bytea,
               documents_version integer, added_at timestamptz, content bytea)
language sql stable security definer set search_path = pg_catalog, public as $$
    select d.id, d.name, d.media_type, d.size, d.sha256, d.documents_version, d.added_at,
           d.content
    from tender_document d join tender t on t.tenant_id = d.tenant_id and t.id = d.tender_id
    where d.tender_id = public_tender_documents.tender and t.state <> 'draft'
      and t.published_at is not null
$$;

create or replace function public_clarifications(tender bigint) returns setof tender_clarification
language sql stable security definer set search_path = pg_catalog, public as $$
    select c.* from tender_clarification c
    join tender t on t.tenant_id = c.tenant_id and t.id = c.tender_id
    where c.tender_id = public_clarifications.tender and t.state <> 'draft'
      and t.published_at is not null
$$;
