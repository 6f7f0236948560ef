"""The suite's shared set-up: settings for this machine, one migrated database, the app role's pool."""

from __future__ import annotations

import os
import secrets
from contextlib import asynccontextmanager

import pytest

# Defaults for this machine's servers, so a bare `pytest` works too; `make test` sets the same.
os.environ.setdefault("SAMSPEL_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/samspel_test")
os.environ.setdefault("SAMSPEL_REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("SAMSPEL_SECRET_KEY", "test-secret-test-secret-test-secret-0000")
# The suite logs in hundreds of times a minute from one address; the limits' own tests lower it.
os.environ.setdefault("SAMSPEL_RATE_LIMIT_PER_MINUTE", "100000")
# No test reaches the real Enhetsregisteret: a closed local port answers at once that it is
# down; the tests that need its answers hand the app a transport with recorded ones.
os.environ.setdefault("SAMSPEL_ENHETSREGISTERET_URL", "http://127.0.0.1:9/enhetsregisteret/api")

import asyncpg  # noqa: E402

from infra.db import Database, bind  # noqa: E402
from infra.migrate import migrate  # noqa: E402
from infra.settings import Settings, database_name, load, with_database  # noqa: E402

# Each run gets a database of its own, made from scratch and dropped at the end: no run sees
# what an earlier or a parallel one left, and a changed migration never meets an old schema.
_BASE_URL = os.environ["SAMSPEL_DATABASE_URL"]
_RUN_DATABASE = f"{database_name(_BASE_URL)}_run{os.getpid()}"
os.environ["SAMSPEL_DATABASE_URL"] = with_database(_BASE_URL, _RUN_DATABASE)


async def _drop_databases(names: list[str]) -> None:
    admin = await asyncpg.connect(with_database(_BASE_URL, "postgres"))
    try:
        for name in names:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def _stale_run_databases() -> list[str]:
    """Databases of earlier runs whose process is gone (a run killed before it could clean up)."""
    admin = await asyncpg.connect(with_database(_BASE_URL, "postgres"))
    try:
        rows = await admin.fetch(
            "select datname from pg_database where datname like $1",
            f"{database_name(_BASE_URL)}_run%",
        )
    finally:
        await admin.close()
    return [row["datname"] for row in rows if _gone(row["datname"].rsplit("_run", 1)[1])]


def _gone(suffix: str) -> bool:
    pid = suffix.split("_")[0]  # a run's own database, or one of its own_database() ones
    return pid.isdigit() and not os.path.exists(f"/proc/{pid}")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load()


@pytest.fixture(scope="session")
async def migrated(settings: Settings):
    from services.schema import MIGRATIONS

    await _drop_databases(await _stale_run_databases())
    await migrate(settings, MIGRATIONS)
    yield settings
    await _drop_databases([_RUN_DATABASE])


@pytest.fixture(scope="session")
async def database(migrated: Settings):
    """The app role's pool, two connections wide, so interleaving is real."""
    db = Database(migrated.app_database_url, min_size=1, max_size=2)
    await db.start()
    yield db
    await db.stop()


@pytest.fixture(scope="session")
def own_database(database: Database):
    """For a test whose result must not depend on what other tests typed: `async with
    own_database("label") as (settings, db)` makes a fresh migrated database beside the run's,
    points the tables at its pool while open, and then points them back and drops it."""

    @asynccontextmanager
    async def make(label: str):
        from services.schema import MIGRATIONS

        name = f"{_RUN_DATABASE}_{label}"
        await _drop_databases([name])
        settings = load({**os.environ, "SAMSPEL_DATABASE_URL": with_database(_BASE_URL, name)})
        await migrate(settings, MIGRATIONS)
        own = Database(settings.app_database_url, min_size=1, max_size=2)
        try:
            await own.start()  # binds the tables to it
            yield settings, own
        finally:
            await own.stop()
            bind(database.engine)
            await _drop_databases([name])

    return make


@pytest.fixture
def unique() -> str:
    """A short random token for names that must not collide across runs."""
    return secrets.token_hex(4)


@pytest.fixture(autouse=True)
def fresh_public_pages(request):
    """Each test reads the public pages as its data says: the kept copies of earlier tests are
    made stale, as the outbox relay would have (tests call the use-cases without a relay)."""
    if "settings" not in request.fixturenames:
        yield
        return
    import redis

    from infra.public_cache import version_key

    settings = request.getfixturevalue("settings")
    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=1)
    try:
        client.incr(version_key(settings))
    except redis.exceptions.ConnectionError:
        pass  # a test of Redis being down
    finally:
        client.close()
    yield
