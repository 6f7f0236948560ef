"""Use-cases of access: find and register persons, memberships, invitations, organisations, the log."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
from datetime import timedelta

import msgspec
from piccolo.querystring import QueryString

from infra.columns import database_now
from services.access.registration import Registration
from services.access.rules import INVITATION_DAYS, is_plausible_email, is_valid_role
from services.access.tables import Invitation
from services.errors import N_, Conflict, InvalidInput, NotFound
from services.notifications.service import request_mail
from tenants.context import connection, current_scope, fetch_structs, rescope
from tenants.tables import Membership, Municipality, Organisation, Person


class PersonView(msgspec.Struct, frozen=True):
    id: int
    name: str
    email: str
    language: str | None


class MembershipView(msgspec.Struct, frozen=True):
    id: int
    person_id: int
    scope: str
    role: str
    municipality_id: int | None = None
    kommunenummer: str | None = None
    municipality_name: str | None = None
    maalform: str | None = None
    region_id: int | None = None
    region_slug: str | None = None
    region_name: str | None = None
    organisation_id: int | None = None
    organisasjonsnummer: str | None = None
    organisation_name: str | None = None
    person_name: str | None = None

    @property
    def place(self) -> str:
        return self.municipality_name or self.region_name or self.organisation_name or "Samspel"


class InvitationMail(msgspec.Struct, frozen=True):
    """How to mail an invitation: the link's start, the key that seals it, and who invites."""

    link_prefix: str
    key: bytes
    inviter: str
    language: str


class InvitationView(msgspec.Struct, frozen=True):
    id: int
    scope: str
    role: str
    email: str
    place: str
    expired: bool
    accepted: bool
    municipality_id: int | None
    region_id: int | None
    organisation_id: int | None


_MEMBERSHIP_SELECT = """
    select ms.id, ms.person_id, ms.scope, ms.role,
           m.id as municipality_id, m.kommunenummer, m.name as municipality_name, m.maalform,
           r.id as region_id, r.slug as region_slug, r.name as region_name,
           o.id as organisation_id, o.organisasjonsnummer, o.name as organisation_name,
           p.name as person_name
    from membership ms
    join person p on p.id = ms.person_id
    left join municipality m on m.id = ms.municipality_id
    left join region r on r.id = ms.region_id
    left join organisation o on o.id = ms.organisation_id
"""


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def person_by_pid_hash() -> PersonView | None:
    """The person whose pid hash the scope carries, if they have been here before."""
    row = (
        await Person.select(Person.id, Person.name, Person.email, Person.language)
        .where(Person.pid_hash == current_scope.get().pid_hash)
        .first()
    )
    return PersonView(**row) if row else None


async def person(person_id: int) -> PersonView | None:
    row = (
        await Person.select(Person.id, Person.name, Person.email, Person.language)
        .where(Person.id == person_id)
        .first()
    )
    return PersonView(**row) if row else None


def _check_name_and_email(name: str, email: str) -> tuple[str, str]:
    name, email = name.strip(), email.strip()
    if not name or len(name) > 200:
        raise InvalidInput("name_required", N_("Write your full name."), field="name")
    if not is_plausible_email(email):
        raise InvalidInput("email_invalid", N_("Write a valid e-mail address."), field="email")
    return name, email


async def register_person(name: str, email: str, language: str | None) -> int:
    """The first login: ID-porten gives neither name nor e-mail, so the person tells us."""
    name, email = _check_name_and_email(name, email)
    return await connection().fetchval(
        "insert into person (pid_hash, name, email, language) values (app_pid_hash(), $1, $2, $3)"
        " on conflict (pid_hash) do nothing returning id",
        name,
        email,
        language,
    ) or await connection().fetchval("select id from person where pid_hash = app_pid_hash()")


async def memberships_of(person_id: int) -> list[MembershipView]:
    return await fetch_structs(
        MembershipView,
        _MEMBERSHIP_SELECT + " where ms.person_id = $1 order by ms.scope, ms.id",
        person_id,
    )


async def members_of(
    *,
    municipality_id: int | None = None,
    organisation_id: int | None = None,
    region_id: int | None = None,
) -> list[MembershipView]:
    """The members of one municipality, one organisation or one region's council, by name."""
    column, value = next(
        (
            (column, value)
            for column, value in (
                ("municipality_id", municipality_id),
                ("organisation_id", organisation_id),
                ("region_id", region_id),
            )
            if value is not None
        ),
        ("", None),
    )
    if value is None:
        raise ValueError("name a municipality, an organisation or a region")
    return await fetch_structs(
        MembershipView,
        _MEMBERSHIP_SELECT + f" where ms.{column} = $1 order by p.name, ms.role",
        value,
    )


async def record_security_event(
    kind: str,
    *,
    person_id: int | None = None,
    municipality_id: int | None = None,
    detail: dict | None = None,
    client_address: str | None = None,
) -> None:
    # SQL, not Piccolo: Piccolo's insert always returns the key, and a refused login may
    # append to the log (the insert policy) without being allowed to read it back.
    await connection().execute(
        "insert into security_event (kind, person_id, municipality_id, detail, client_address)"
        " values ($1, $2, $3, $4::jsonb, $5::inet)",
        kind,
        person_id,
        municipality_id,
        json.dumps(detail or {}),
        client_address,
    )


async def invite(
    *,
    scope: str,
    role: str,
    email: str,
    invited_by: int,
    municipality_id: int | None = None,
    region_id: int | None = None,
    organisation_id: int | None = None,
    client_address: str | None = None,
    mail: InvitationMail | None = None,
) -> str:
    """Create a one-time invitation; returns the token for the link (only its hash is kept).

    With `mail`, the link is also mailed to the invitee once this transaction commits.
    """
    if not is_valid_role(scope, role):
        raise InvalidInput("role_invalid", N_("Choose one of the roles offered."), field="role")
    if not is_plausible_email(email):
        raise InvalidInput("email_invalid", N_("Write a valid e-mail address."), field="email")
    token = secrets.token_urlsafe(32)
    await Invitation.insert(
        Invitation(
            scope=scope,
            role=role,
            email=email.strip(),
            token_hash=token_hash(token),
            invited_by=invited_by,
            expires_at=QueryString("now() + {}::interval", timedelta(days=INVITATION_DAYS)),
            municipality_id=municipality_id,
            region_id=region_id,
            organisation_id=organisation_id,
        )
    )
    await record_security_event(
        "invitation_sent",
        person_id=invited_by,
        municipality_id=municipality_id,
        detail={"scope": scope, "role": role},
        client_address=client_address,
    )
    if mail is not None:
        await _mail_invitation(mail, token, email.strip(), scope, role, municipality_id)
    return token


async def _mail_invitation(
    mail: InvitationMail,
    token: str,
    email: str,
    scope: str,
    role: str,
    municipality_id: int | None,
) -> None:
    # An invitation into a municipality is written in its målform; others in the inviter's.
    place = (
        await Municipality.select(Municipality.name, Municipality.maalform)
        .where(Municipality.id == municipality_id)
        .first()
    )
    await request_mail(
        to=email,
        template="invitation",
        language=place["maalform"] if place else mail.language,
        values={
            "place": place["name"] if place else "Samspel",
            "scope": scope,
            "role": role,
            "inviter": mail.inviter,
        },
        secrets={"link": mail.link_prefix + token},
        key=mail.key,
    )


async def invitation_for_token() -> InvitationView:
    """The invitation whose token the scope carries; it must be unused and unexpired."""
    row = await connection().fetchrow(
        "select i.id, i.scope, i.role, i.email, i.municipality_id, i.region_id,"
        " i.organisation_id, coalesce(m.name, r.name, o.name, 'Samspel') as place,"
        " i.expires_at <= now() as expired,"
        " (i.accepted_at is not null or i.revoked_at is not null) as accepted"
        " from invitation i left join municipality m on m.id = i.municipality_id"
        " left join region r on r.id = i.region_id"
        " left join organisation o on o.id = i.organisation_id"
        " where i.token_hash = app_invitation_token() for update of i"
    )
    if row is None:
        raise NotFound("invitation_unknown", N_("This invitation link is not valid."))
    return InvitationView(**dict(row))


async def accept_invitation(person_id: int, *, client_address: str | None = None) -> int:
    """Bind the invitation in the scope to whoever logged in with it; returns the membership."""
    invitation = await invitation_for_token()
    if invitation.accepted:
        raise Conflict("invitation_used", N_("This invitation has already been used."))
    if invitation.expired:
        raise Conflict("invitation_expired", N_("This invitation has expired. Ask for a new one."))
    membership_id = await _grant(
        person_id,
        invitation.scope,
        invitation.role,
        municipality_id=invitation.municipality_id,
        region_id=invitation.region_id,
        organisation_id=invitation.organisation_id,
        client_address=client_address,
    )
    await Invitation.update(
        {Invitation.accepted_by: person_id, Invitation.accepted_at: database_now()}
    ).where(Invitation.id == invitation.id)
    await record_security_event(
        "invitation_accepted",
        person_id=person_id,
        municipality_id=invitation.municipality_id,
        detail={"scope": invitation.scope, "role": invitation.role},
        client_address=client_address,
    )
    return membership_id


async def _grant(
    person_id: int,
    scope: str,
    role: str,
    *,
    client_address: str | None = None,
    **target: int | None,
) -> int:
    db = connection()
    values = (
        person_id,
        scope,
        role,
        target.get("municipality_id"),
        target.get("region_id"),
        target.get("organisation_id"),
    )
    membership_id = await db.fetchval(
        "insert into membership (person_id, scope, role, municipality_id, region_id,"
        " organisation_id) values ($1, $2, $3, $4, $5, $6)"
        " on conflict (person_id, scope, municipality_id, region_id, organisation_id, role)"
        " do nothing returning id",
        *values,
    ) or await db.fetchval(
        "select id from membership where person_id = $1 and scope = $2 and role = $3"
        " and municipality_id is not distinct from $4 and region_id is not distinct from $5"
        " and organisation_id is not distinct from $6",
        *values,
    )
    await record_security_event(
        "membership_granted",
        person_id=person_id,
        municipality_id=target.get("municipality_id"),
        detail={"scope": scope, "role": role, "by": current_scope.get().person_id},
        client_address=client_address,
    )
    return membership_id


async def remove_member(
    membership_id: int, *, actor_person_id: int, client_address: str | None = None
) -> None:
    """Remove a membership the scope can see; one's own last admin seat cannot be removed."""
    removed = (
        await Membership.delete()
        .where((Membership.id == membership_id) & (Membership.person_id != actor_person_id))
        .returning(
            Membership.person_id, Membership.scope, Membership.role, Membership.municipality_id
        )
    )
    if not removed:
        raise NotFound("membership_unknown", N_("No such member."))
    [row] = removed
    await record_security_event(
        "membership_removed",
        person_id=row["person_id"],
        municipality_id=row["municipality_id"],
        detail={"scope": row["scope"], "role": row["role"], "by": actor_person_id},
        client_address=client_address,
    )


async def register_organisation(
    registration: Registration, person_id: int, *, client_address: str | None = None
) -> int:
    """A business person registers their organisation and becomes its admin.

    It is verified (and may bid) when the person may sign for it in Enhetsregisteret. An
    organisation that already has members is joined by invitation, never by registering, but
    for one case: someone who may sign for it takes over an unverified registration.
    """
    if not registration.name.strip():
        raise InvalidInput("name_required", N_("Write the organisation's name."), field="name")
    db = connection()
    row = await db.fetchrow(
        "insert into organisation (organisasjonsnummer, name, form_code, address, verified_at)"
        " values ($1, $2, $3, $4, case when $5 then now() end)"
        " on conflict (organisasjonsnummer) do update set"
        " name = case when $6 then excluded.name else organisation.name end,"
        " form_code = case when $6 then excluded.form_code else organisation.form_code end,"
        " address = case when $6 then excluded.address else organisation.address end"
        " returning id, verified_at",
        registration.organisasjonsnummer,
        registration.name.strip(),
        registration.form_code,
        registration.address,
        registration.verified,
        registration.from_register,
    )
    organisation_id = row["id"]
    # Two people registering the same number at once queue here; the second finds the first.
    await Organisation.select(Organisation.id).where(Organisation.id == organisation_id).lock_rows()
    await rescope(dataclasses.replace(current_scope.get(), organisation_id=organisation_id))
    taken = await Membership.exists().where(Membership.organisation_id == organisation_id)
    takes_over = taken and registration.verified and row["verified_at"] is None
    if taken and not takes_over:
        raise Conflict(
            "organisation_taken",
            N_("This organisation is already registered. Ask its admin for an invitation."),
            field="organisasjonsnummer",
        )
    if registration.verified and row["verified_at"] is None:
        await Organisation.update({Organisation.verified_at: database_now()}).where(
            Organisation.id == organisation_id
        )
    membership_id = await _grant(
        person_id,
        "organisation",
        "admin",
        organisation_id=organisation_id,
        client_address=client_address,
    )
    await record_security_event(
        "organisation_registered",
        person_id=person_id,
        detail={"organisation": organisation_id, "verified": registration.verified},
        client_address=client_address,
    )
    return membership_id


async def municipalities_without_admin() -> list[str]:
    """The kommunenummer of municipalities with no admin and no open invitation for one: the
    operator's to-do (it sees every membership and invitation)."""
    rows = await connection().fetch(
        "select m.kommunenummer from municipality m"
        " where not exists (select 1 from membership ms where ms.municipality_id = m.id"
        " and ms.scope = 'municipality' and ms.role = 'admin')"
        " and not exists (select 1 from invitation i where i.municipality_id = m.id"
        " and i.role = 'admin' and i.accepted_at is null and i.revoked_at is null"
        " and i.expires_at > now())"
        " order by m.kommunenummer"
    )
    return [r["kommunenummer"] for r in rows]
