"""Where a page sits: the trail from its audience's home to it, read from its address.

Every page draws it (base.html); a page that knows better names (a programme's, a project's)
gives its own trail instead. An address word this does not know ends the trail there.
"""

from __future__ import annotations

from typing import Any

from services.errors import N_
from web.i18n import gettext

# The words of the addresses, as the person reads them.
WORDS = {
    "programmes": N_("Programmes"),
    "projects": N_("Projects"),
    "dashboard": N_("Dashboard"),
    "members": N_("Members and invitations"),
    "tenders": N_("Tenders"),
    "bids": N_("Bids"),
    "bid": N_("Bid"),
    "new": N_("New"),
    "setup": N_("Set-up"),
    "plans": N_("Action plans"),
    "assessments": N_("Status assessments"),
    "decision": N_("Decision"),
    "evaluation": N_("Evaluation"),
    "protocol": N_("Protocol"),
    "overdue": N_("Overdue decisions"),
    "me": N_("Your roles"),
    "operator": N_("Regions and municipalities"),
    "organisations": N_("Organisations"),
}
# The audiences' own roots: /k/<kommunenummer>, /r/<region>, /o/<organisasjonsnummer>.
ROOTS = {"k": "kommunenummer", "r": "region_slug", "o": "organisasjonsnummer"}

# An address word under an audience's home that is no page there: its crumb leads to the list
# that is (a business reads the tenders at /tenders; /o/<nr>/tenders answers 404).
ELSEWHERE = {("o", "tenders"): "/tenders"}

# A numbered page is named by what the page shows: (context variable, path to the thing).
NAMED = {
    "programmes": ("programme", (), "name"),
    "projects": ("detail", ("summary",), "title"),
    "tenders": ("tender", (), "title"),
}

Crumb = tuple[str | None, str]


def _named(after: str, number: str, lookup) -> str | None:
    if after not in NAMED or lookup is None:
        return None
    variable, steps, label = NAMED[after]
    thing = lookup(variable)
    for step in steps:
        thing = getattr(thing, step, None)
    if thing is not None and str(getattr(thing, "id", "")) == number:
        return getattr(thing, label, None)
    return None


def _place(kind: str, key: str, principal: Any) -> str:
    """The home's name: the place of the person's membership there, else its key."""
    for membership in getattr(principal, "memberships", None) or []:
        if getattr(membership, ROOTS[kind], None) == key:
            return membership.place
    return key


def trail(path: str, lang: str, principal: Any = None, lookup=None) -> list[Crumb]:
    """(address, label) from the home down to the page; the last one is the page itself.
    `lookup` reads the page's context, for the names of what its numbers stand for."""
    parts = [p for p in path.split("?", 1)[0].split("/") if p]
    crumbs: list[Crumb] = [("/", "Samspel")]
    at = ""
    i = 0
    if len(parts) >= 2 and parts[0] in ROOTS:
        at = f"/{parts[0]}/{parts[1]}"
        crumbs = [(at, _place(parts[0], parts[1], principal))]
        i = 2
    previous = ""
    for part in parts[i:]:
        at += f"/{part}"
        if part.isdigit():
            crumbs.append((at, _named(previous, part, lookup) or f"№ {part}"))
        elif part in WORDS:
            home = parts[0] if i == 2 and at.count("/") == 3 else ""
            crumbs.append((ELSEWHERE.get((home, part), at), gettext(lang, WORDS[part])))
        else:
            break
        previous = part
    return crumbs
