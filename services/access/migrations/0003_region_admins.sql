-- A regional council has admins, who invite its members (the operator invites them too).
do $$
declare
    found text;
begin
    select conname into found from pg_constraint
    where conrelid = 'membership'::regclass and contype = 'c'
      and pg_get_constraintdef(oid) like '%council_member%';
    execute format('alter table membership drop constraint %I', found);
end
$$;

alter table membership add constraint membership_role_of_scope check (
    (scope = 'municipality'
        and role in ('admin', 'case_officer', 'evaluator', 'board_member', 'viewer'))
    or (scope = 'region' and role in ('council_member', 'admin'))
    or (scope = 'organisation' and role in ('admin', 'member'))
    or (scope = 'platform' and role = 'operator')
);
