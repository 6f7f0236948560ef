-- Dashboard figures: what the workers computed from the municipalities' own rows, so a page
-- never aggregates on load. Each figure carries the time it was computed.
--
-- municipality_figure is the municipality's own rollup, computed inside its tenant's scope
-- (so row-level security decides what it can count: a sealed bid is never a row there).
-- region_figure is what a regional council may read: the region's sums and each member
-- municipality's aggregates, written under the region's scope from the municipalities'
-- figures, never from their internal rows. A council reads no municipality_figure row.

create table municipality_figure (
    tenant_id bigint not null references municipality (id),
    slice text not null check (slice in ('programmes', 'projects', 'tenders')),
    metric text not null check (metric ~ '^[a-z][a-z0-9_]*$'),
    -- What the figure is about within its metric: a strategy area, a phase, a KPI code, a
    -- tender's id; '' for a figure of the whole municipality.
    subject text not null default '',
    year integer not null default 0 check (year between 0 and 9999),
    label text not null default '',
    value numeric(16, 2) not null,
    computed_at timestamptz not null,
    primary key (tenant_id, slice, metric, subject, year)
);

alter table municipality_figure enable row level security;
alter table municipality_figure force row level security;
create policy municipality_figure_tenant on municipality_figure to samspel_app
    using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

create table region_figure (
    region_id bigint not null references region (id),
    -- The member municipality the figure is of; 0 for the region as a whole.
    municipality_id bigint not null check (municipality_id >= 0),
    slice text not null check (slice in ('programmes', 'projects', 'tenders')),
    metric text not null check (metric ~ '^[a-z][a-z0-9_]*$'),
    subject text not null default '',
    year integer not null default 0 check (year between 0 and 9999),
    label text not null default '',
    value numeric(16, 2) not null,
    computed_at timestamptz not null,
    primary key (region_id, municipality_id, slice, metric, subject, year)
);

alter table region_figure enable row level security;
alter table region_figure force row level security;
create policy region_figure_region on region_figure to samspel_app
    using (region_id = app_region_id()) with check (region_id = app_region_id());

grant select, insert, update, delete on municipality_figure, region_figure to samspel_app;
