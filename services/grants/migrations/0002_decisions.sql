-- The decision side of grants: the official's recommendation to the board, habilitet
-- declarations per case, board meetings with their agenda, attendance and votes, the tilsegn's
-- conditions and reporting deadline, the decision letters, the applicant's appeal (klage), the
-- ranking of a call's applications, the fields a fund asks for and an application's attachments.
--
-- The steps an application may take (rules.STEPS holds the same list):
--   draft → submitted → in_assessment → granted | rejected       (the official, up to the limit)
--                                     → recommended → granted | rejected   (the board)
--   rejected → appealed → granted (the board reverses) | rejected (the board upholds)

-- --- the application's new states and what each carries ------------------------------------------
do $$
declare
    c record;
begin
    -- Every check on the state is written again below, with the new states in it.
    for c in select distinct con.conname from pg_constraint con
             join pg_attribute att on att.attrelid = con.conrelid and att.attnum = any(con.conkey)
             where con.conrelid = 'grant_application'::regclass and con.contype = 'c'
               and att.attname in ('state', 'rejection_reason')
    loop
        execute format('alter table grant_application drop constraint %I', c.conname);
    end loop;
end $$;

alter table grant_application
    -- The official's recommendation to the board, when the amount is above the officials' limit.
    add column recommendation text check (recommendation in ('granted', 'rejected')),
    add column recommendation_reason text not null default '',
    add column recommended_by bigint references person (id),
    add column recommended_at timestamptz,
    -- The tilsegn's terms, set when it is granted; the payments and reports build on them.
    add column conditions text not null default '',
    add column reporting_deadline date,
    -- The board meeting that decided it, when the board did.
    add column decided_in_meeting bigint,
    -- Where the decision letter goes: the person who submitted it, their address and language
    -- as they were at submission (the municipality cannot read an organisation's people).
    add column contact_email text not null default '',
    add column contact_language text check (contact_language in ('nb', 'nn', 'en')),
    -- The official's ranking among the call's applications, and a comment to it.
    add column rank integer check (rank > 0),
    add column rank_comment text not null default '',
    add constraint grant_application_state_known check (state in (
        'draft', 'submitted', 'in_assessment', 'recommended', 'granted', 'rejected', 'appealed')),
    add constraint grant_application_submitted check ((state = 'draft') = (submitted_at is null)),
    add constraint grant_application_receipt check (state = 'draft' or receipt_sha256 is not null),
    add constraint grant_application_granted check ((state = 'granted') = (granted_amount is not null)),
    add constraint grant_application_tilsegn check (state <> 'granted' or reporting_deadline is not null),
    add constraint grant_application_rejected check (
        (state in ('rejected', 'appealed')) = (rejection_reason is not null)),
    add constraint grant_application_reason check (
        rejection_reason is null or length(trim(rejection_reason)) > 0),
    add constraint grant_application_decided check (
        state not in ('granted', 'rejected', 'appealed') or decided_at is not null),
    add constraint grant_application_recommended check (
        state <> 'recommended' or recommendation is not null);

-- The optional parts of an application a fund asks for: then they are mandatory in it.
alter table grant_fund add column asks_for text[] not null default '{}'
    check (asks_for <@ array['effects', 'attachments']::text[]);

-- The application's steps, now with the recommendation and the appeal.
create or replace function grant_application_guard() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
declare
    c record;
    today date := (clock_timestamp() at time zone 'Europe/Oslo')::date;
begin
    if tg_op = 'INSERT' then
        select opens_on, closes_on into c
            from grant_call where tenant_id = new.tenant_id and id = new.call_id;
        if not found or today < c.opens_on or today > c.closes_on then
            raise exception 'the call is not open' using errcode = 'GR002';
        end if;
        return new;
    end if;
    if old.state <> 'draft' and (new.title, new.summary, new.project, new.effects,
            new.call_id, new.organisation_id, new.created_by, new.receipt_sha256,
            new.submitted_at)
            is distinct from (old.title, old.summary, old.project, old.effects,
            old.call_id, old.organisation_id, old.created_by, old.receipt_sha256,
            old.submitted_at) then
        raise exception 'a submitted application cannot change' using errcode = 'GR001';
    end if;
    if new.state is distinct from old.state and (old.state, new.state) not in (
            ('draft', 'submitted'), ('submitted', 'in_assessment'),
            ('in_assessment', 'granted'), ('in_assessment', 'rejected'),
            ('in_assessment', 'recommended'),
            ('recommended', 'granted'), ('recommended', 'rejected'),
            ('rejected', 'appealed'), ('appealed', 'granted'), ('appealed', 'rejected')) then
        raise exception 'no such step' using errcode = 'GR003';
    end if;
    if old.state = 'draft' and new.state = 'submitted' then
        select opens_on, closes_on into c
            from grant_call where tenant_id = new.tenant_id and id = new.call_id;
        if today < c.opens_on or today > c.closes_on then
            raise exception 'the call is not open' using errcode = 'GR002';
        end if;
        new.submitted_at := clock_timestamp();
    end if;
    return new;
end $$;

-- The appeal's trigger (below) moves the application as the owner.
create policy grant_application_owner_step on grant_application for update to samspel_owner
    using (true) with check (true);

-- --- habilitet: per case, for the official and for every board member -----------------------------
create table grant_habilitet (
    tenant_id bigint not null,
    id bigint generated by default as identity,
    application_id bigint not null,
    -- Whose declaration: an official (a person) or a member of the board.
    person_id bigint references person (id),
    board_member_id bigint,
    conflicted boolean not null,
    note text not null default '',
    -- Who recorded it, and when, by the database's clock.
    recorded_by bigint not null references person (id),
    recorded_at timestamptz not null default now(),
    check (num_nonnulls(person_id, board_member_id) = 1),
    primary key (tenant_id, id),
    foreign key (tenant_id, application_id) references grant_application (tenant_id, id),
    foreign key (tenant_id, board_member_id) references board_member (tenant_id, id)
);
create unique index grant_habilitet_official on grant_habilitet (tenant_id, application_id, person_id)
    where person_id is not null;
create unique index grant_habilitet_member on grant_habilitet (tenant_id, application_id, board_member_id)
    where board_member_id is not null;

-- --- board meetings: the agenda, who attended, each member's vote -----------------------------------
create table grant_meeting (
    tenant_id bigint not null,
    id bigint generated by default as identity,
    programme_id bigint not null,
    held_on date not null,
    place text not null default '',
    created_by bigint references person (id),
    created_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, programme_id) references programme (tenant_id, id)
);

alter table grant_application add foreign key (tenant_id, decided_in_meeting)
    references grant_meeting (tenant_id, id);

create table grant_agenda_item (
    tenant_id bigint not null,
    meeting_id bigint not null,
    application_id bigint not null,
    position integer not null,
    -- A recommended case above the officials' limit, or an appeal against a rejection.
    kind text not null check (kind in ('recommendation', 'appeal')),
    outcome text check (outcome in ('granted', 'rejected')),
    decided_at timestamptz,
    check ((outcome is null) = (decided_at is null)),
    primary key (tenant_id, meeting_id, application_id),
    foreign key (tenant_id, meeting_id) references grant_meeting (tenant_id, id),
    foreign key (tenant_id, application_id) references grant_application (tenant_id, id)
);
create index grant_agenda_item_application on grant_agenda_item (tenant_id, application_id);

create table grant_attendance (
    tenant_id bigint not null,
    meeting_id bigint not null,
    board_member_id bigint not null,
    primary key (tenant_id, meeting_id, board_member_id),
    foreign key (tenant_id, meeting_id) references grant_meeting (tenant_id, id),
    foreign key (tenant_id, board_member_id) references board_member (tenant_id, id)
);

create table grant_vote (
    tenant_id bigint not null,
    meeting_id bigint not null,
    application_id bigint not null,
    board_member_id bigint not null,
    vote text not null check (vote in ('granted', 'rejected')),
    primary key (tenant_id, meeting_id, application_id, board_member_id),
    foreign key (tenant_id, meeting_id, application_id)
        references grant_agenda_item (tenant_id, meeting_id, application_id),
    -- Only a member who attended votes.
    foreign key (tenant_id, meeting_id, board_member_id)
        references grant_attendance (tenant_id, meeting_id, board_member_id)
);

-- A member who declared a conflict on a case never votes on it, whoever writes the row; and a
-- member who has voted cannot be declared conflicted afterwards. SQLSTATE GR010.
create function grant_vote_habilitet_guard() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
begin
    if tg_table_name = 'grant_vote' then
        if exists (select 1 from grant_habilitet h
                   where h.tenant_id = new.tenant_id and h.application_id = new.application_id
                     and h.board_member_id = new.board_member_id and h.conflicted) then
            raise exception 'a conflicted member cannot vote on the case' using errcode = 'GR010';
        end if;
    elsif new.conflicted and new.board_member_id is not null and exists (
            select 1 from grant_vote v
            where v.tenant_id = new.tenant_id and v.application_id = new.application_id
              and v.board_member_id = new.board_member_id) then
        raise exception 'the member has voted on the case' using errcode = 'GR010';
    end if;
    return new;
end $$;
create trigger grant_vote_habilitet_guard before insert or update on grant_vote
    for each row execute function grant_vote_habilitet_guard();
create trigger grant_habilitet_vote_guard before insert or update on grant_habilitet
    for each row execute function grant_vote_habilitet_guard();

-- --- the appeal (klage): once, within three weeks of the rejection, to the board --------------------
create table grant_appeal (
    tenant_id bigint not null,
    application_id bigint not null,
    reason text not null check (length(trim(reason)) between 1 and 10000),
    lodged_by bigint not null references person (id),
    lodged_at timestamptz not null default now(),
    outcome text check (outcome in ('upheld', 'reversed')),
    decided_at timestamptz,
    meeting_id bigint,
    check ((outcome is null) = (decided_at is null)),
    primary key (tenant_id, application_id),
    foreign key (tenant_id, application_id) references grant_application (tenant_id, id),
    foreign key (tenant_id, meeting_id) references grant_meeting (tenant_id, id)
);

-- The appeal is lodged by the database's clock, within 21 days of the decision, against a
-- rejection; it moves the application to 'appealed'. SQLSTATE GR011: too late or no rejection.
create function grant_appeal_guard() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
declare
    a record;
begin
    select state, decided_at into a from grant_application
        where tenant_id = new.tenant_id and id = new.application_id for update;
    if not found or a.state <> 'rejected' or a.decided_at is null
            or clock_timestamp() > a.decided_at + interval '21 days' then
        raise exception 'no rejection to appeal within three weeks' using errcode = 'GR011';
    end if;
    new.lodged_at := clock_timestamp();
    update grant_application set state = 'appealed'
        where tenant_id = new.tenant_id and id = new.application_id;
    return new;
end $$;
create trigger grant_appeal_guard before insert on grant_appeal
    for each row execute function grant_appeal_guard();

-- --- the decision letters, as sent ------------------------------------------------------------------
create table grant_letter (
    tenant_id bigint not null,
    id bigint generated by default as identity,
    application_id bigint not null,
    kind text not null check (kind in ('tilsegn', 'avslag')),
    language text not null check (language in ('nb', 'nn')),
    pdf bytea not null check (substr(pdf, 1, 5) = '\x255044462d'::bytea),
    created_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, application_id) references grant_application (tenant_id, id)
);
create index grant_letter_application on grant_letter (tenant_id, application_id);

-- --- attachments: several files on a draft; locked with it --------------------------------------------
create table grant_attachment (
    tenant_id bigint not null,
    id bigint generated by default as identity,
    application_id bigint not null,
    name text not null check (length(name) between 1 and 255),
    media_type text not null,
    size integer not null check (size > 0),
    content bytea not null,
    created_at timestamptz not null default now(),
    check (size = length(content)),
    primary key (tenant_id, id),
    foreign key (tenant_id, application_id) references grant_application (tenant_id, id)
);
create index grant_attachment_application on grant_attachment (tenant_id, application_id);
create trigger grant_attachment_guard before insert or update or delete on grant_attachment
    for each row execute function grant_plan_line_guard();

-- --- who sees what ------------------------------------------------------------------------------------
-- The municipality's own working rows: habilitet, meetings, agenda, attendance, votes.
do $$
declare
    t text;
begin
    foreach t in array array['grant_habilitet', 'grant_meeting', 'grant_agenda_item',
                             'grant_attendance', 'grant_vote']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I to samspel_app using (tenant_id = app_tenant_id())'
                       ' with check (tenant_id = app_tenant_id())', t || '_tenant', t);
        execute format('create policy %I on %I to samspel_owner using (true) with check (true)',
                       t || '_owner', t);
        execute format('grant select, insert, update, delete on %I to samspel_app', t);
    end loop;
end $$;

-- Appeals, letters and attachments are read by whoever sees their application: its
-- organisation and, once submitted, its municipality.
do $$
declare
    t text;
begin
    foreach t in array array['grant_appeal', 'grant_letter', 'grant_attachment']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy %I on %I for select to samspel_app'
                       ' using (grant_application_visible(tenant_id, application_id))',
                       t || '_read', t);
        execute format('create policy %I on %I to samspel_owner using (true) with check (true)',
                       t || '_owner', t);
    end loop;
end $$;
grant select, insert, update on grant_appeal, grant_letter to samspel_app;
grant select, insert, delete on grant_attachment to samspel_app;
-- The applicant lodges the appeal; the municipality records the board's outcome on it.
create policy grant_appeal_lodge on grant_appeal for insert to samspel_app
    with check (lodged_by = app_person_id() and exists (
        select 1 from grant_application a where a.tenant_id = grant_appeal.tenant_id
          and a.id = grant_appeal.application_id and a.organisation_id = app_organisation_id()));
create policy grant_appeal_decide on grant_appeal for update to samspel_app
    using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
-- The municipality writes the letters of its decisions.
create policy grant_letter_write on grant_letter for insert to samspel_app
    with check (tenant_id = app_tenant_id());
-- The applicant adds and removes the draft's files (the guard keeps them while a draft).
create policy grant_attachment_write on grant_attachment for insert to samspel_app
    with check (grant_application_visible(tenant_id, application_id));
create policy grant_attachment_remove on grant_attachment for delete to samspel_app
    using (grant_application_visible(tenant_id, application_id));


-- The public calls now say which optional parts their fund asks for.
drop function public_grant_calls();
create function public_grant_calls()
returns table (tenant_id bigint, id bigint, fund_id bigint, title text, description text,
               opens_on date, closes_on date, fund_name text, max_share numeric,
               max_amount numeric, programme_id bigint, strategy_area_id bigint,
               asks_for text[])
language sql stable security definer set search_path = pg_catalog, public as $$
    select c.tenant_id, c.id, c.fund_id, c.title, c.description, c.opens_on, c.closes_on,
           f.name, f.max_share, f.max_amount, f.programme_id, f.strategy_area_id, f.asks_for
    from grant_call c join grant_fund f on f.tenant_id = c.tenant_id and f.id = c.fund_id
$$;
