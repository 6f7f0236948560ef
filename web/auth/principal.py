"""Who is asking: the person of the session, their memberships, and the one they act in now."""

from __future__ import annotations

import msgspec

from services.access.service import MembershipView, PersonView
from tenants.context import Scope


class Principal(msgspec.Struct, frozen=True):
    person: PersonView
    memberships: list[MembershipView]
    active: MembershipView | None

    def scope(self) -> Scope:
        """The database's view for this person acting in the active membership."""
        active = self.active
        if active is None:
            return Scope(person_id=self.person.id)
        return Scope(
            person_id=self.person.id,
            tenant_id=active.municipality_id,
            region_id=active.region_id,
            organisation_id=active.organisation_id,
            operator=active.scope == "platform",
        )

    def acting_as(self, membership: MembershipView) -> Principal:
        return msgspec.structs.replace(self, active=membership)

    def home(self) -> str:
        """Where this person lands: the page of the membership they act in."""
        active = self.active
        if active is None:
            return "/me"
        return {
            "municipality": f"/k/{active.kommunenummer}",
            "region": f"/r/{active.region_slug}",
            "organisation": f"/o/{active.organisasjonsnummer}",
            "platform": "/operator",
        }[active.scope]


def choose_active(memberships: list[MembershipView], wanted: int | None) -> MembershipView | None:
    for membership in memberships:
        if membership.id == wanted:
            return membership
    return memberships[0] if memberships else None
