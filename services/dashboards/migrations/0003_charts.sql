-- The dashboards' charts, drawn by the worker when the figures are recomputed and stored
-- beside them, one copy per language: a page reads its SVG and never draws.
--
-- `digest` is what the drawing depended on (the slice's figures and the drawing's version):
-- a recompute whose figures did not move draws nothing. `position` keeps the parts' order.

create table municipality_chart (
    tenant_id bigint not null references municipality (id),
    lang text not null check (lang in ('nb', 'nn', 'en')),
    chart text not null check (chart ~ '^[a-z][a-z0-9_]*$'),
    position integer not null check (position >= 0),
    title text not null,
    svg text not null,
    digest text not null,
    drawn_at timestamptz not null,
    primary key (tenant_id, lang, chart)
);

alter table municipality_chart enable row level security;
alter table municipality_chart force row level security;
create policy municipality_chart_tenant on municipality_chart to samspel_app
    using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

-- What a council sees: the region's charts (municipality_id 0) and each member's, drawn from
-- region_figure's rows, the same aggregates its tables show.
create table region_chart (
    region_id bigint not null references region (id),
    municipality_id bigint not null check (municipality_id >= 0),
    lang text not null check (lang in ('nb', 'nn', 'en')),
    chart text not null check (chart ~ '^[a-z][a-z0-9_]*$'),
    position integer not null check (position >= 0),
    title text not null,
    svg text not null,
    digest text not null,
    drawn_at timestamptz not null,
    primary key (region_id, municipality_id, lang, chart)
);

alter table region_chart enable row level security;
alter table region_chart force row level security;
create policy region_chart_region on region_chart to samspel_app
    using (region_id = app_region_id()) with check (region_id = app_region_id());

grant select, insert, update, delete on municipality_chart, region_chart to samspel_app;
