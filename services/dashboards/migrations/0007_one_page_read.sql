-- A dashboard page's stored row is read by one definition: municipality_page_of and
-- region_page_of read under the scope already set (a request's transaction, tenant_tx), and the
-- one-statement reads of 0006 set the scope and then call them. Before, the same select stood
-- here and again in services/dashboards/service.py.
-- Security invoker (the app's role, under its policies); language sql, so the planner sees the
-- query whole.

create function municipality_page_of(wanted_lang text, wanted_layout text)
returns table (page_version text, page_body text) language sql stable as $$
    select d.version, p.body from municipality_dashboard d
    left join municipality_page p on p.tenant_id = d.tenant_id and p.version = d.version
        and p.lang = wanted_lang and p.layout = wanted_layout
    where d.tenant_id = app_tenant_id()
$$;

create function region_page_of(wanted_kommunenummer text, wanted_lang text, wanted_layout text)
returns table (page_version text, page_body text, page_name text) language sql stable as $$
    select d.version, p.body, p.name from region_dashboard d
    join region_page p on p.region_id = d.region_id and p.version = d.version
        and p.kommunenummer = wanted_kommunenummer and p.lang = wanted_lang
        and p.layout = wanted_layout
    where d.region_id = app_region_id()
$$;

create or replace function stored_municipality_page(
    settings text[], wanted_lang text, wanted_layout text
) returns table (page_version text, page_body text) language plpgsql as $$
begin
    perform app_set_scope(settings);
    return query select * from municipality_page_of(wanted_lang, wanted_layout);
end $$;

create or replace function stored_region_page(
    settings text[], wanted_kommunenummer text, wanted_lang text, wanted_layout text
) returns table (page_version text, page_body text, page_name text) language plpgsql as $$
begin
    perform app_set_scope(settings);
    return query select * from region_page_of(wanted_kommunenummer, wanted_lang, wanted_layout);
end $$;
