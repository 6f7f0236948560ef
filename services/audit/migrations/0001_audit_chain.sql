-- Each municipality's changes form one SHA-256 hash chain: an event's hash covers the hash
-- before it, so editing or deleting any row breaks every link after it.

create table audit_head (
    tenant_id bigint not null references municipality (id),
    seq bigint not null,
    hash bytea not null,
    primary key (tenant_id)
);

create table audit_event (
    tenant_id bigint not null references municipality (id),
    seq bigint not null check (seq > 0),
    occurred_at timestamptz not null,
    actor_person_id bigint,
    action text not null,
    entity text not null,
    entity_id text not null default '',
    old_values jsonb,
    new_values jsonb,
    prev_hash bytea not null,
    hash bytea not null,
    primary key (tenant_id, seq)
);
create index audit_event_entity on audit_event (tenant_id, entity, entity_id);

alter table audit_head enable row level security;
alter table audit_head force row level security;
create policy audit_head_tenant on audit_head
    using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

alter table audit_event enable row level security;
alter table audit_event force row level security;
create policy audit_event_tenant on audit_event
    using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

-- Append-only for the application: no UPDATE, no DELETE on events.
grant select, insert on audit_event to samspel_app;
grant select, insert, update on audit_head to samspel_app;
