-- A fund without a programme (a municipality's own næringsfond) gets a board of its own: the
-- municipality names its members, and its cases above the officials' limit go to that board's
-- meetings, with the same agenda, attendance, habilitet and votes as a programme board's.
-- A board member and a meeting belong to a programme's board or to a fund's, never both.

alter table board_member alter column programme_id drop not null;
alter table board_member
    add column fund_id bigint,
    add constraint board_member_one_board check (num_nonnulls(programme_id, fund_id) = 1),
    add foreign key (tenant_id, fund_id) references grant_fund (tenant_id, id);
create index board_member_fund on board_member (tenant_id, fund_id) where fund_id is not null;

alter table grant_meeting alter column programme_id drop not null;
alter table grant_meeting
    add column fund_id bigint,
    add constraint grant_meeting_one_board check (num_nonnulls(programme_id, fund_id) = 1),
    add foreign key (tenant_id, fund_id) references grant_fund (tenant_id, id);

-- A fund's own board only while the fund has no programme: a programme's board decides for
-- its funds. SQLSTATE GR040; the service says it in words first.
create function board_member_fund_guard() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
begin
    if new.fund_id is not null and exists (
            select 1 from grant_fund f where f.tenant_id = new.tenant_id and f.id = new.fund_id
              and f.programme_id is not null) then
        raise exception 'a programme''s fund has the programme''s board' using errcode = 'GR040';
    end if;
    return new;
end $$;
create trigger board_member_fund_guard before insert or update on board_member
    for each row execute function board_member_fund_guard();
create trigger grant_meeting_fund_guard before insert or update on grant_meeting
    for each row execute function board_member_fund_guard();
