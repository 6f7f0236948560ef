-- Who besides the lead sees a project, asked once per statement instead of once per row.
--
-- 0001 asked project_participant_is_me(lead, id) and project_visible_to_me(lead, id) of every
-- row a policy guards. Both are SECURITY DEFINER, so PostgreSQL cannot inline them: a query
-- as a municipality called one of them per row of the whole table (50 000 projects and
-- 100 000 sub-projects at national scale), whatever else the query filtered on.
--
-- The questions are the same, asked as sets: the projects the session's municipality takes
-- part in, and those it sees without leading them (a participant's, and its region's
-- council's). A policy written `(tenant_id, id) in (select ... from the_set())` has no
-- reference to the row inside the subquery, so the planner runs it once per statement and
-- probes a hash of it per row. The sets are small (a municipality's participations, a
-- region's regional projects), each read through an index. The functions stay SECURITY
-- DEFINER for 0001's reason: a policy on project_participant must not read
-- project_participant through the app's own policies. 0001's two functions stay for the
-- insert checks, which ask about one row.

-- The projects (lead, id) the session's municipality takes part in, by cost share. Empty
-- outside a municipality's session.
create function my_participations() returns table (tenant_id bigint, project_id bigint)
language sql stable security definer rows 20 set search_path = pg_catalog, public as $$
    select pp.tenant_id, pp.project_id from project_participant pp
    where pp.municipality_id = app_tenant_id()
$$;

-- The projects (lead, id) the session sees without leading them: those its municipality
-- takes part in, and the regional projects of its region (a council's session).
create function projects_shared_with_me() returns table (tenant_id bigint, project_id bigint)
language sql stable security definer rows 50 set search_path = pg_catalog, public as $$
    select pp.tenant_id, pp.project_id from project_participant pp
    where pp.municipality_id = app_tenant_id()
    union
    select p.tenant_id, p.id from project p where p.region_id = app_region_id()
$$;

revoke execute on function my_participations() from public;
revoke execute on function projects_shared_with_me() from public;
grant execute on function my_participations() to samspel_app;
grant execute on function projects_shared_with_me() to samspel_app;

-- The sets' own lookups: a municipality's participations, a region's regional projects.
create index project_participant_municipality
    on project_participant (municipality_id, tenant_id, project_id);
create index project_of_region on project (region_id, tenant_id, id) where region_id is not null;

-- The same policies as 0001's, the per-row calls replaced by the sets.
drop policy project_read on project;
create policy project_read on project for select to samspel_app using (
    tenant_id = app_tenant_id()
    or region_id = app_region_id()
    or (tenant_id, id) in (select s.tenant_id, s.project_id from my_participations() s)
);

drop policy project_participant_read on project_participant;
create policy project_participant_read on project_participant for select to samspel_app using (
    tenant_id = app_tenant_id()
    or (tenant_id, project_id) in (select s.tenant_id, s.project_id from projects_shared_with_me() s)
);

do $$
declare
    t text;
begin
    foreach t in array array['steering_group_member', 'decision_point', 'sub_project',
                             'status_report', 'status_report_comment']
    loop
        execute format('drop policy %I on %I', t || '_read', t);
        execute format('create policy %I on %I for select to samspel_app using ('
                       ' tenant_id = app_tenant_id()'
                       ' or (tenant_id, project_id) in'
                       ' (select s.tenant_id, s.project_id from projects_shared_with_me() s))',
                       t || '_read', t);
    end loop;
end $$;

drop policy document_read on document;
create policy document_read on document for select to samspel_app using (
    tenant_id = app_tenant_id()
    or (project_id is not null and (tenant_id, project_id) in
        (select s.tenant_id, s.project_id from projects_shared_with_me() s))
);
