-- A dashboard page's one stored row, read in one statement outside any transaction of the
-- caller's: the reader's scope is set first, as tenant_tx sets it (set_config(..., true): local
-- to the statement's own transaction, so a pooled connection carries nothing on), and the read
-- that follows is filtered by the same row-level security as in any transaction. Security
-- invoker (the app's role, under its policies); a separate statement inside the function, so
-- the policies' app_tenant_id() and app_region_id() read the settings already made.
-- `settings` are the scope's values in tenants/context.py's order (_SETTINGS).

create function app_set_scope(settings text[]) returns void language plpgsql as $$
begin
    perform set_config('app.tenant_id', settings[1], true),
            set_config('app.person_id', settings[2], true),
            set_config('app.region_id', settings[3], true),
            set_config('app.organisation_id', settings[4], true),
            set_config('app.operator', settings[5], true),
            set_config('app.pid_hash', settings[6], true),
            set_config('app.invitation_token', settings[7], true);
end $$;

create function stored_municipality_page(settings text[], wanted_lang text, wanted_layout text)
returns table (page_version text, page_body text) language plpgsql as $$
begin
    perform app_set_scope(settings);
    return query
        select d.version, p.body from municipality_dashboard d
        left join municipality_page p on p.tenant_id = d.tenant_id and p.version = d.version
            and p.lang = wanted_lang and p.layout = wanted_layout
        where d.tenant_id = app_tenant_id();
end $$;

create function stored_region_page(
    settings text[], wanted_kommunenummer text, wanted_lang text, wanted_layout text
) returns table (page_version text, page_body text, page_name text) language plpgsql as $$
begin
    perform app_set_scope(settings);
    return query
        select d.version, p.body, p.name from region_dashboard d
        join region_page p on p.region_id = d.region_id and p.version = d.version
            and p.kommunenummer = wanted_kommunenummer and p.lang = wanted_lang
            and p.layout = wanted_layout
        where d.region_id = app_region_id();
end $$;
