"""The database enforces the same identifier rules as the code, so no path around them exists."""

import asyncpg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenants.context import NOBODY, connection, tenant_tx
from tenants.rules import is_valid_organisasjonsnummer

pytestmark = pytest.mark.usefixtures("database")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
async def test_the_database_check_agrees_with_the_python_rule(number):
    async with tenant_tx(NOBODY):
        in_db = await connection().fetchval("select valid_organisasjonsnummer($1)", number)
    assert in_db == is_valid_organisasjonsnummer(number)


@pytest.mark.parametrize("kommunenummer", ["123", "12345", "12a4", ""])
async def test_a_malformed_kommunenummer_is_refused_by_the_database(kommunenummer):
    with pytest.raises(asyncpg.CheckViolationError):
        async with tenant_tx(NOBODY):
            await connection().execute(
                "insert into municipality (kommunenummer, name, maalform) values ($1, 'X', 'nb')",
                kommunenummer,
            )
