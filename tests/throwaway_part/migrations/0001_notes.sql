-- The throw-away part's one table: a municipality's notes, kept apart by row-level security.
create table throwaway_note (
    tenant_id bigint not null references municipality (id),
    id bigint generated always as identity,
    body text not null check (length(body) between 1 and 200),
    author_email text not null,
    written_at timestamptz not null default now(),
    primary key (tenant_id, id)
);

alter table throwaway_note enable row level security;
alter table throwaway_note force row level security;
create policy throwaway_note_tenant on throwaway_note to samspel_app
    using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

grant select, insert on throwaway_note to samspel_app;
