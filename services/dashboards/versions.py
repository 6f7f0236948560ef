"""Each dashboard's version, also kept in Redis, so an open dashboard's poll (every two seconds)
learns that nothing moved in the round trip that reads its session, and opens no transaction.

A key per dashboard, by the place in its address (a municipality's kommunenummer, a region's
slug), apart per database. The database stays the truth; Redis only ever answers "the version
you show is still the stored one", and a reader that finds another version or none asks the
database, as before.

So Redis must never hold a version the database has moved past. The recompute writes the new
version after it upserted the version row (holding that row's lock) and before it commits:

- two recomputes of one dashboard write in the order they commit (the second waits on the
  first's row lock before it writes);
- between the write and the commit a poll showing the old version finds another version here,
  asks the database, and still reads the old one: 204, as it should be;
- a write that fails fails the recompute, which rolls back and is retried; a commit that fails
  after the write leaves a version no page ever showed, which only sends polls to the database.

A reader that found no key puts the database's version there only if there still is none (SET
NX): a recompute's write, which comes before its commit, always wins over a reader's.
"""

from __future__ import annotations

from functools import cache

import redis

from infra.settings import database_name, load

# Kept a day: a recompute every hour writes it again; a dashboard gone (a renamed region's old
# slug) leaves nothing behind for long.
SECONDS = 24 * 3600


def namespace(database_url: str) -> str:
    return f"samspel:{database_name(database_url)}:dashboard-version"


def municipality_key(database_url: str, kommunenummer: str) -> str:
    return f"{namespace(database_url)}:k:{kommunenummer}"


def region_key(database_url: str, region_slug: str) -> str:
    return f"{namespace(database_url)}:r:{region_slug}"


@cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def keep(key: str, version: str) -> None:
    """The recompute's write, inside its transaction (see above). One SET on the product's own
    Redis, beside the charts the same job draws: not worth a thread of its own."""
    _redis(load().redis_url).set(key, version, ex=SECONDS)
