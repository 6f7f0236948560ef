-- Each dashboard's refreshed part, written by the worker in every language when it recomputes
-- the figures (services/dashboards/pages.py): the stamp, the charts and the tables as the page
-- shows them. A page request reads one row of its language with the version and prints it: it
-- reads no figure, builds no table and draws nothing. `version` is the dashboard's version it
-- was written as (the page reads it only while that is still the stored one), `layout` how the
-- piece was written (a piece of another layout is not shown).

create table municipality_page (
    tenant_id bigint not null references municipality (id),
    lang text not null check (lang in ('nb', 'nn', 'en')),
    body text not null,
    version text not null,
    layout text not null,
    written_at timestamptz not null,
    primary key (tenant_id, lang)
);

alter table municipality_page enable row level security;
alter table municipality_page force row level security;
create policy municipality_page_tenant on municipality_page to samspel_app
    using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

-- A council's pages: the region's sums (municipality_id 0, kommunenummer '') and each member's
-- breakdown, found by the kommunenummer in its address; `name` is the member's, for its title.
create table region_page (
    region_id bigint not null references region (id),
    municipality_id bigint not null check (municipality_id >= 0),
    kommunenummer text not null,
    name text not null,
    lang text not null check (lang in ('nb', 'nn', 'en')),
    body text not null,
    version text not null,
    layout text not null,
    written_at timestamptz not null,
    primary key (region_id, municipality_id, lang)
);

create index region_page_by_kommunenummer on region_page (region_id, kommunenummer, lang);

alter table region_page enable row level security;
alter table region_page force row level security;
create policy region_page_region on region_page to samspel_app
    using (region_id = app_region_id()) with check (region_id = app_region_id());

grant select, insert, update, delete on municipality_page, region_page to samspel_app;
