"""The sets the project policies ask (projects/0003) keep their plan for the connection's life:
a SQL function that cannot be inlined is planned again in every statement that names it, and
nearly every statement of a project page does, through its own filter and the policies."""

from __future__ import annotations

import pytest

from tenants.context import NOBODY, connection, tenant_tx

pytestmark = pytest.mark.usefixtures("database")


async def test_the_policies_sets_are_plpgsql_stable_and_security_definer():
    async with tenant_tx(NOBODY):
        rows = await connection().fetch(
            "select p.proname, l.lanname, p.provolatile::text, p.prosecdef from pg_proc p"
            " join pg_language l on l.oid = p.prolang"
            " where p.proname in ('my_participations', 'projects_shared_with_me')"
            " order by p.proname"
        )
    assert [tuple(r) for r in rows] == [
        ("my_participations", "plpgsql", "s", True),
        ("projects_shared_with_me", "plpgsql", "s", True),
    ]
