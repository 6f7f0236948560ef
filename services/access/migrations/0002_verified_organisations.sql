-- What Enhetsregisteret says of an organisation, and whether someone who may sign for it
-- vouched for its registration. An unverified organisation is registered but cannot bid.
alter table organisation add column form_code text not null default '';
alter table organisation add column address text not null default '';
-- When a person holding a signing role in Enhetsregisteret registered it (or the operator
-- made it); null while nobody who may sign for it has.
alter table organisation add column verified_at timestamptz;
update organisation set verified_at = created_at;
