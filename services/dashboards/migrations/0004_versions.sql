-- Each dashboard's version: a digest of everything its page shows (the figures, when they were
-- computed, the region's members), written by the worker in the transaction that stores the
-- figures and draws the charts. An open page's two-second poll reads this one row and answers
-- 204 while it is the version the page shows: it never reads the figures to learn that nothing
-- moved.

create table municipality_dashboard (
    tenant_id bigint primary key references municipality (id),
    version text not null,
    computed_at timestamptz not null
);

alter table municipality_dashboard enable row level security;
alter table municipality_dashboard force row level security;
create policy municipality_dashboard_tenant on municipality_dashboard to samspel_app
    using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

-- A council's page of the region's sums and its page of one member share the region's version.
create table region_dashboard (
    region_id bigint primary key references region (id),
    version text not null,
    computed_at timestamptz not null
);

alter table region_dashboard enable row level security;
alter table region_dashboard force row level security;
create policy region_dashboard_region on region_dashboard to samspel_app
    using (region_id = app_region_id()) with check (region_id = app_region_id());

grant select, insert, update, delete on municipality_dashboard, region_dashboard to samspel_app;
