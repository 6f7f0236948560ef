"""The suite's shared set-up: settings for this machine, one migrated database, the app role's pool."""

from __future__ import annotations

import os
import secrets

import pytest

# Defaults for this machine's servers, so a bare `pytest` works too; `make test` sets the same.
os.environ.setdefault("SAMSPEL_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/samspel_test")
os.environ.setdefault("SAMSPEL_REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("SAMSPEL_SECRET_KEY", "test-secret-test-secret-test-secret-0000")

from infra.db import Database  # noqa: E402
from infra.migrate import migrate  # noqa: E402
from infra.settings import Settings, load  # noqa: E402


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load()


@pytest.fixture(scope="session")
async def migrated(settings: Settings) -> Settings:
    from services.schema import MIGRATIONS

    await migrate(settings, MIGRATIONS)
    return settings


@pytest.fixture(scope="session")
async def database(migrated: Settings):
    """The app role's pool, two connections wide, so interleaving is real."""
    db = Database(migrated.app_database_url, min_size=1, max_size=2)
    await db.start()
    yield db
    await db.stop()


@pytest.fixture
def unique() -> str:
    """A short random token for names that must not collide across runs."""
    return secrets.token_hex(4)
