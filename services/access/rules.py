"""Which roles exist in which scope, and what a role may do there."""

from __future__ import annotations

import re

from services.errors import N_

ROLES = {
    "municipality": ("admin", "case_officer", "evaluator", "board_member", "viewer"),
    "region": ("council_member", "admin"),
    "organisation": ("admin", "member"),
    "platform": ("operator",),
}

ROLE_NAMES = {
    ("municipality", "admin"): N_("Municipality admin"),
    ("municipality", "case_officer"): N_("Case officer"),
    ("municipality", "evaluator"): N_("Evaluator"),
    ("municipality", "board_member"): N_("Board member"),
    ("municipality", "viewer"): N_("Viewer"),
    ("region", "council_member"): N_("Regional council member"),
    ("region", "admin"): N_("Regional council admin"),
    ("organisation", "admin"): N_("Organisation admin"),
    ("organisation", "member"): N_("Organisation member"),
    ("platform", "operator"): N_("Platform operator"),
}

# Who invites and removes the members of a municipality or an organisation.
MEMBER_ADMINS = ("admin",)
# Who, besides the operator, invites the members of a regional council.
COUNCIL_ADMINS = ("admin",)
INVITATION_DAYS = 7
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def is_valid_role(scope: str, role: str) -> bool:
    return role in ROLES.get(scope, ())


def may_manage_members(scope: str, role: str) -> bool:
    """Admins invite and remove members of their own municipality or organisation."""
    return role in MEMBER_ADMINS and scope in ("municipality", "organisation")


def is_plausible_email(email: str) -> bool:
    return _EMAIL.fullmatch(email.strip()) is not None and len(email) <= 254
