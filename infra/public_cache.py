"""Where public pages are kept in Redis, per data version; knows no page and no domain.

One version counter per database: a worker moves it after a committed change that the public
sees (web/public_cache.py names none either; the parts say which events). Each kept page
carries the version it was made at, and is used only while that is still the version: a
change makes every copy stale at once, without finding them.
"""

from __future__ import annotations

from redis.asyncio import Redis

from infra.settings import Settings, database_name


def namespace(settings: Settings) -> str:
    """Apart per database, so a test run and `make run` on one Redis never share a page."""
    return f"samspel:{database_name(settings.app_database_url)}:public"


def version_key(settings: Settings) -> str:
    return namespace(settings) + ":version"


async def public_data_changed(redis: Redis, settings: Settings) -> int:
    """Every kept public page is stale from now on; returns the new version."""
    return await redis.incr(version_key(settings))
