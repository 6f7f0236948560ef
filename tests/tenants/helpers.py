"""Make throwaway tenants for integration tests, through the operator's use-cases."""

from __future__ import annotations

import random

from services.tenancy import service as tenancy
from tenants.context import Scope, tenant_tx

OPERATOR = Scope(operator=True)


async def new_municipality(name: str = "Testkommune") -> int:
    """A municipality with an unused kommunenummer from the 9xxx range (no real county uses it)."""
    async with tenant_tx(OPERATOR) as tx:
        taken = {
            r["kommunenummer"]
            for r in await tx.connection.fetch("select kommunenummer from municipality")
        }
        free = [f"{n:04d}" for n in range(9000, 10000) if f"{n:04d}" not in taken]
        return await tenancy.ensure_municipality(random.choice(free), name, "nb")
