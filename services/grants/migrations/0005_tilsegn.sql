-- A tilsegn's own lifecycle, the final report that goes only with the final payment, and the
-- official's approval of a report before its effects count.
--
-- The steps a tilsegn may take (services/grants/tilsegn.py STEPS holds the same list):
--   active → part_paid (a part is paid) → final_requested → settled (the final payment is paid)
--   final_requested → active | part_paid (the final payment is rejected)
--   active → withdrawn (the organisation gives it up before anything is paid)
--   active | part_paid → cancelled (the municipality cancels it)
--   part_paid | settled | cancelled → clawed_back (a clawback is recorded)
-- SQLSTATEs: GR026 no such step of the tilsegn, GR027 the tilsegn is closed, GR028 a final
-- report goes only with the final payment, GR029 a report is approved once.

alter table grant_application
    add column tilsegn_state text check (tilsegn_state in ('active', 'part_paid',
        'final_requested', 'settled', 'withdrawn', 'cancelled', 'clawed_back')),
    -- Why it was withdrawn or cancelled; when it last moved.
    add column tilsegn_reason text check (tilsegn_reason is null
        or length(trim(tilsegn_reason)) between 1 and 10000),
    add column tilsegn_moved_at timestamptz;

-- The tilsegn that exist already take the state their lines give them.
update grant_application a set tilsegn_moved_at = a.decided_at, tilsegn_state = case
    when exists (select 1 from grant_payment_request p where p.tenant_id = a.tenant_id
                 and p.application_id = a.id and p.kind = 'clawback') then 'clawed_back'
    when exists (select 1 from grant_payment_request p where p.tenant_id = a.tenant_id
                 and p.application_id = a.id and p.kind = 'final' and p.state = 'paid')
        then 'settled'
    when exists (select 1 from grant_payment_request p where p.tenant_id = a.tenant_id
                 and p.application_id = a.id and p.kind = 'final' and p.state <> 'rejected')
        then 'final_requested'
    when exists (select 1 from grant_payment_request p where p.tenant_id = a.tenant_id
                 and p.application_id = a.id and p.kind = 'part' and p.state = 'paid')
        then 'part_paid'
    else 'active' end
where a.state = 'granted';

alter table grant_application add constraint grant_application_tilsegn_state
    check ((state = 'granted') = (tilsegn_state is not null));

create function grant_tilsegn_may_move(from_state text, to_state text) returns boolean
language sql immutable as $$
    select (from_state, to_state) in (
        ('active', 'part_paid'), ('active', 'final_requested'), ('part_paid', 'final_requested'),
        ('final_requested', 'active'), ('final_requested', 'part_paid'),
        ('final_requested', 'settled'), ('active', 'withdrawn'), ('active', 'cancelled'),
        ('part_paid', 'cancelled'), ('part_paid', 'clawed_back'), ('settled', 'clawed_back'),
        ('cancelled', 'clawed_back'))
$$;

-- A grant starts its tilsegn active; afterwards the tilsegn takes only its own steps.
create function grant_tilsegn_guard() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
begin
    if new.state = 'granted' and old.state is distinct from 'granted' then
        new.tilsegn_state := 'active';
        new.tilsegn_reason := null;
        new.tilsegn_moved_at := clock_timestamp();
    elsif new.tilsegn_state is distinct from old.tilsegn_state then
        if not grant_tilsegn_may_move(old.tilsegn_state, new.tilsegn_state) then
            raise exception 'no such step of the tilsegn' using errcode = 'GR026';
        end if;
        new.tilsegn_moved_at := clock_timestamp();
    end if;
    return new;
end $$;
create trigger grant_tilsegn_guard before update on grant_application
    for each row execute function grant_tilsegn_guard();

-- The organisation withdraws its own tilsegn (it may not update a granted application).
create function grant_withdraw_tilsegn(tenant bigint, application bigint, why text)
returns void
language plpgsql security definer set search_path = pg_catalog, public as $$
begin
    update grant_application set tilsegn_state = 'withdrawn', tilsegn_reason = why
    where tenant_id = tenant and id = application and organisation_id = app_organisation_id()
      and state = 'granted';
    if not found then
        raise exception 'not a tilsegn of this organisation' using errcode = 'GR020';
    end if;
end $$;
grant execute on function grant_withdraw_tilsegn(bigint, bigint, text) to samspel_app;

-- --- reports: a final one only with the final payment, approved before its effects count ------
alter table grant_report
    add column approved_by bigint references person (id),
    add column approved_at timestamptz;

-- Reports sent before approvals existed were counted on arrival: they stand approved.
update grant_report set approved_at = effects_counted_at, approved_by = submitted_by
where effects_counted_at is not null;

alter table grant_report
    -- approved_by is null when Samspel itself approved (the demo).
    add constraint grant_report_approved check (approved_by is null or approved_at is not null),
    add constraint grant_report_counted_approved check (
        effects_counted_at is null or approved_at is not null);

-- Only an open tilsegn takes a report; the approval is written once, by the municipality.
create function grant_report_steps() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
begin
    if tg_op = 'INSERT' then
        if not exists (select 1 from grant_application a
                       where a.tenant_id = new.tenant_id and a.id = new.application_id
                         and a.tilsegn_state in ('active', 'part_paid')) then
            raise exception 'the tilsegn is closed' using errcode = 'GR027';
        end if;
        new.approved_by := null;
        new.approved_at := null;
        return new;
    end if;
    if old.approved_at is not null and (new.approved_by, new.approved_at)
            is distinct from (old.approved_by, old.approved_at) then
        raise exception 'a report is approved once' using errcode = 'GR029';
    end if;
    if new.approved_at is not null and old.approved_at is null then
        new.approved_at := clock_timestamp();
    end if;
    return new;
end $$;
create trigger grant_report_steps before insert or update on grant_report
    for each row execute function grant_report_steps();

-- A final report is sent with its final payment, in one statement (a data-modifying WITH):
-- checked at the statement's end, when both rows are there.
create function grant_final_report_has_payment() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
begin
    if new.kind = 'final' and not exists (
            select 1 from grant_payment_request p
            where p.tenant_id = new.tenant_id and p.report_id = new.id and p.kind = 'final') then
        raise exception 'a final report goes only with the final payment' using errcode = 'GR028';
    end if;
    return null;
end $$;
create trigger grant_final_report_has_payment after insert on grant_report
    for each row execute function grant_final_report_has_payment();

-- --- payments move the tilsegn ---------------------------------------------------------------------
-- A request goes only to an open tilsegn and carries the report of its kind (the final payment
-- the final report, a part a status report); a clawback only where money was paid. A paid part,
-- a requested, paid or rejected final payment and a clawback move the tilsegn as tilsegn.py says.
create function grant_payment_moves_tilsegn() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
declare
    held text;
    wanted text;
    carried text;
begin
    select a.tilsegn_state into held from grant_application a
    where a.tenant_id = new.tenant_id and a.id = new.application_id for no key update;
    wanted := held;
    if tg_op = 'INSERT' then
        if new.kind = 'clawback' then
            if held not in ('part_paid', 'settled', 'cancelled', 'clawed_back') then
                raise exception 'the tilsegn takes no clawback now' using errcode = 'GR027';
            end if;
            wanted := 'clawed_back';
        else
            if held not in ('active', 'part_paid') then
                raise exception 'the tilsegn is closed' using errcode = 'GR027';
            end if;
            carried := case when new.kind = 'final' then 'final' else 'status' end;
            if (select r.kind from grant_report r where r.tenant_id = new.tenant_id
                    and r.id = new.report_id) is distinct from carried then
                raise exception 'a final report goes only with the final payment'
                    using errcode = 'GR028';
            end if;
            if new.kind = 'final' then
                wanted := 'final_requested';
            end if;
        end if;
    elsif new.state is distinct from old.state then
        if new.state = 'paid' and new.kind = 'part' and held = 'active' then
            wanted := 'part_paid';
        elsif new.state = 'paid' and new.kind = 'final' and held = 'final_requested' then
            wanted := 'settled';
        elsif new.state = 'rejected' and new.kind = 'final' and held = 'final_requested' then
            wanted := case when exists (
                select 1 from grant_payment_request p where p.tenant_id = new.tenant_id
                and p.application_id = new.application_id and p.kind = 'part'
                and p.state = 'paid') then 'part_paid' else 'active' end;
        end if;
    end if;
    if wanted is distinct from held then
        update grant_application set tilsegn_state = wanted
        where tenant_id = new.tenant_id and id = new.application_id;
    end if;
    return null;
end $$;
create trigger grant_payment_moves_tilsegn after insert or update on grant_payment_request
    for each row execute function grant_payment_moves_tilsegn();
