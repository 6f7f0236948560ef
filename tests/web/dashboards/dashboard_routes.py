"""The dashboards' cases for the route table: A's council and admin ask for A's and B's figures.

Specs are Ask's fields in order: label, who, values, status.
"""

from __future__ import annotations


def _region(tenant: str, kommune: str | None = None, **more):
    def values(w) -> dict:
        chosen = {"region_slug": getattr(w, tenant).region_slug, **more}
        if kommune:
            chosen["kommunenummer"] = getattr(w, kommune).kommunenummer
        return chosen

    return values


def _k(tenant: str, **more):
    return lambda w: {"kommunenummer": getattr(w, tenant).kommunenummer, **more}


REGION = "/r/{region_slug:str}/dashboard"
MUNICIPALITY = "/k/{kommunenummer:str}/dashboard"

CROSS = {
    ("GET", REGION): [
        ("A's own", "council_a", _region("a"), 200),
        ("B's region", "council_a", _region("b"), 404),
        ("B's region, by A's admin", "admin_a", _region("b"), 404),
    ],
    ("GET", REGION + "/k/{kommunenummer:str}"): [
        ("A's own member", "council_a", _region("a", "a"), 200),
        ("B's municipality under A's region", "council_a", _region("a", "b"), 404),
        ("B's region and municipality", "council_a", _region("b", "b"), 404),
    ],
    ("GET", REGION + "/export/{table:str}"): [
        ("A's own", "council_a", _region("a", table="municipalities"), 200),
        ("B's region", "council_a", _region("b", table="municipalities"), 404),
    ],
    ("GET", MUNICIPALITY): [
        ("A's own", "admin_a", _k("a"), 200),
        ("B's kommunenummer", "admin_a", _k("b"), 404),
        ("B's, by A's council", "council_a", _k("b"), 404),
    ],
    ("GET", MUNICIPALITY + "/overdue"): [
        ("A's own", "admin_a", _k("a"), 200),
        ("B's kommunenummer", "admin_a", _k("b"), 404),
    ],
    ("GET", MUNICIPALITY + "/projects/{phase:str}"): [
        ("A's own", "admin_a", _k("a", phase="forstudie"), 200),
        ("B's kommunenummer", "admin_a", _k("b", phase="forstudie"), 404),
    ],
    ("GET", MUNICIPALITY + "/export/{table:str}"): [
        ("A's own", "admin_a", _k("a", table="money"), 200),
        ("B's kommunenummer", "admin_a", _k("b", table="money"), 404),
        ("B's list", "admin_a", _k("b", table="overdue"), 404),
    ],
}
