"""The migration runner: idempotent, refuses an edited migration, and works with production's two URLs."""

import dataclasses
import os

import asyncpg
import pytest

from infra.migrate import MigrationError, MigrationSource, migrate
from infra.settings import database_name, with_database


async def test_migrating_again_applies_nothing(migrated):
    from services.schema import MIGRATIONS

    assert await migrate(migrated, MIGRATIONS) == []


async def test_a_migration_edited_after_it_was_applied_is_refused(migrated, monkeypatch):
    from services.schema import MIGRATIONS

    tenants = MIGRATIONS[0]
    first, sql = tenants.scripts()[0]
    monkeypatch.setattr(MigrationSource, "scripts", lambda self: [(first, sql + "\n-- edited")])
    with pytest.raises(MigrationError, match=f"{tenants.label}/{first} was changed"):
        await migrate(migrated, [tenants])


async def test_production_owner_and_app_urls_are_used_without_creating_roles(migrated):
    """Production gives two URLs and no admin: the runner must not need to create anything."""
    from services.schema import MIGRATIONS

    name = f"{database_name(migrated.database_url)}_prod{os.getpid()}"
    admin = await asyncpg.connect(with_database(migrated.database_url, "postgres"))
    try:
        # What a DBA would have done once: the database, owned by the owner role.
        await admin.execute(f'CREATE DATABASE "{name}" OWNER samspel_owner')
        await admin.execute(f'GRANT CONNECT ON DATABASE "{name}" TO samspel_app')
        production = dataclasses.replace(
            migrated,
            database_url=None,
            owner_database_url=with_database(migrated.owner_database_url, name),
            app_database_url=with_database(migrated.app_database_url, name),
        )
        applied = await migrate(production, MIGRATIONS)
        assert applied[0] == "tenants/0001_tenancy.sql" and len(applied) == len(
            [s for source in MIGRATIONS for s in source.scripts()]
        )
        app = await asyncpg.connect(production.app_database_url)
        try:
            assert await app.fetchval("select current_user") == "samspel_app"
            assert await app.fetchval("select count(*) from membership") == 0
        finally:
            await app.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
