"""Brings a database to the schema the code expects: roles, database, migrations, grants; idempotent."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import asyncpg

from infra.settings import (
    APP_ROLE,
    OWNER_ROLE,
    Settings,
    database_name,
    with_database,
)

# Any two migrators (two containers starting at once) queue on this lock instead of racing.
_LOCK_KEY = 0x5A4D5350


@dataclass(frozen=True, slots=True)
class MigrationSource:
    """A package whose `migrations/` folder holds NNNN_name.sql files, applied in name order."""

    label: str
    package: str

    def scripts(self) -> list[tuple[str, str]]:
        folder = resources.files(self.package).joinpath("migrations")
        files = sorted(f for f in folder.iterdir() if f.name.endswith(".sql"))
        return [(f.name, f.read_text(encoding="utf-8")) for f in files]


class MigrationError(RuntimeError):
    pass


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


async def bootstrap(settings: Settings) -> None:
    """With an admin URL: create the database and both roles if missing, and fix their attributes."""
    assert settings.database_url is not None
    target = database_name(settings.database_url)
    admin = await asyncpg.connect(with_database(settings.database_url, "postgres"))
    try:
        for role, extra in ((OWNER_ROLE, ""), (APP_ROLE, " NOINHERIT")):
            password = _quote_literal(settings.role_password(role))
            exists = await admin.fetchval("select 1 from pg_roles where rolname = $1", role)
            verb = "ALTER" if exists else "CREATE"
            await admin.execute(
                f"{verb} ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
                f"{extra} PASSWORD {password}"
            )
        if not await admin.fetchval("select 1 from pg_database where datname = $1", target):
            await admin.execute(f"CREATE DATABASE {_quote_ident(target)} OWNER {OWNER_ROLE}")
        await admin.execute(f"ALTER DATABASE {_quote_ident(target)} OWNER TO {OWNER_ROLE}")
        await admin.execute(f"REVOKE ALL ON DATABASE {_quote_ident(target)} FROM PUBLIC")
        await admin.execute(f"GRANT CONNECT ON DATABASE {_quote_ident(target)} TO {APP_ROLE}")
    finally:
        await admin.close()


async def connect_as_owner(settings: Settings) -> asyncpg.Connection:
    """The schema owner's connection: the migrations run on it, and so does a history load."""
    if settings.database_url is None:
        return await asyncpg.connect(settings.owner_database_url)
    # The admin may not know the owner's password (trust, peer, a socket): act as the owner instead.
    connection = await asyncpg.connect(settings.database_url)
    await connection.execute(f"SET ROLE {OWNER_ROLE}")
    return connection


async def migrate(settings: Settings, sources: list[MigrationSource]) -> list[str]:
    """Apply what is not applied yet, in one transaction; returns the names applied now."""
    if settings.database_url is not None:
        await bootstrap(settings)
    connection = await connect_as_owner(settings)
    applied_now: list[str] = []
    try:
        async with connection.transaction():
            await connection.execute("select pg_advisory_xact_lock($1)", _LOCK_KEY)
            await connection.execute(
                """create table if not exists schema_migration (
                       source text not null,
                       name text not null,
                       sha256 text not null,
                       applied_at timestamptz not null default now(),
                       primary key (source, name))"""
            )
            done = {
                (r["source"], r["name"]): r["sha256"]
                for r in await connection.fetch("select source, name, sha256 from schema_migration")
            }
            for source in sources:
                for name, sql in source.scripts():
                    digest = hashlib.sha256(sql.encode()).hexdigest()
                    key = (source.label, name)
                    if key in done:
                        if done[key] != digest:
                            raise MigrationError(
                                f"{source.label}/{name} was changed after it was applied;"
                                " write a new migration instead"
                            )
                        continue
                    await connection.execute(sql)
                    await connection.execute(
                        "insert into schema_migration (source, name, sha256) values ($1, $2, $3)",
                        source.label,
                        name,
                        digest,
                    )
                    applied_now.append(f"{source.label}/{name}")
            await _grant(connection)
    finally:
        await connection.close()
    return applied_now


async def pending(connection: asyncpg.Connection, sources: list[MigrationSource]) -> list[str]:
    """Migrations in the code that the database has not applied: a process must not start on them."""
    applied = {
        (r["source"], r["name"])
        for r in await connection.fetch("select source, name from schema_migration")
    }
    return [
        f"{source.label}/{name}"
        for source in sources
        for name, _ in source.scripts()
        if (source.label, name) not in applied
    ]


async def _grant(connection: asyncpg.Connection) -> None:
    """The app role may read and write rows and use sequences; it owns and creates nothing."""
    await connection.execute(
        f"""
        REVOKE ALL ON schema_migration FROM {APP_ROLE};
        GRANT SELECT ON schema_migration TO {APP_ROLE};
        GRANT USAGE ON SCHEMA public TO {APP_ROLE};
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE};
        GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {APP_ROLE};
        """
    )
    # Table privileges are granted by each migration, table by table: an append-only table
    # (the audit chain) must not get UPDATE or DELETE from a blanket grant here.
