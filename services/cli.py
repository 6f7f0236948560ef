"""`samspel …`: the operations a deployment runs besides serving: migrate, demo, verify the audit chain,
and generate the national-scale dataset that `make bench` measures on."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

import services.schema  # noqa: F401 - every part's tables, loaded before a pool binds them
from infra.db import Database
from infra.migrate import migrate
from infra.settings import Settings, SettingsError, load


async def _with_app_db(settings: Settings, work):
    database = Database(settings.app_database_url, max_size=2)
    await database.start()
    try:
        return await work()
    finally:
        await database.stop()


async def _migrate(settings: Settings) -> int:
    from services.schema import MIGRATIONS

    applied = await migrate(settings, MIGRATIONS)
    print(json.dumps({"migrated": applied or "already up to date"}))
    return 0


def _write_idp_persons(path: str) -> None:
    """The dev ID-porten lists these on its login page; it knows no domain itself."""
    from services.demo.data import PERSONS

    rows = [{"pid": p.pid, "name": p.name, "role": p.description} for p in PERSONS]
    Path(path).write_text(json.dumps(rows, ensure_ascii=False, indent=1))


async def _demo(settings: Settings) -> int:
    from services.dashboards.service import refresh_everything
    from services.demo.data import PERSONS
    from services.demo.seed import load_demo
    from services.tendering.sealing import SEALING_KEY_PURPOSE

    async def work() -> dict[str, int]:
        counts = await load_demo(
            settings.derived_key("pid"), settings.derived_key(SEALING_KEY_PURPOSE)
        )
        # The dashboards show figures at once, before any worker has run.
        await refresh_everything()
        return counts

    counts = await _with_app_db(settings, work)
    print(
        f"demo loaded: {counts['regions']} regions, {counts['organisations']} businesses,"
        f" {counts['persons']} persons, {counts.get('projects', 0)} projects,"
        f" {counts.get('tenders', 0)} tenders; dashboards computed"
    )
    print("demo persons (log in as them on the dev ID-porten page):")
    for person in PERSONS:
        print(f"  {person.name:<16} {person.description}")
    if persons_file := os.environ.get("SAMSPEL_IDP_PERSONS_FILE"):
        _write_idp_persons(persons_file)
    return 0


async def _generate(settings: Settings, scale: str = "small", seed: int = 1) -> int:
    """The demo, then the generated dataset of this scale over it, then every dashboard."""
    import time

    from services.dashboards.service import refresh_everything
    from services.demo.national import SCALES, AlreadyGenerated, generate
    from services.demo.seed import load_demo
    from services.tendering.sealing import SEALING_KEY_PURPOSE

    async def work() -> int:
        started = time.monotonic()
        await load_demo(settings.derived_key("pid"), settings.derived_key(SEALING_KEY_PURPOSE))
        try:
            counts = await generate(settings, SCALES[scale], seed)
        except AlreadyGenerated as error:
            print(f"samspel: {error}", file=sys.stderr)
            return 1
        loaded = time.monotonic()
        municipalities, regions = await refresh_everything()
        done = time.monotonic()
        print(json.dumps({"scale": scale, "seed": seed, "rows": counts,
                          "load_s": round(loaded - started, 1),
                          "dashboards": [municipalities, regions],
                          "recompute_s": round(done - loaded, 1)}))  # fmt: skip
        return 0

    return await _with_app_db(settings, work)


async def _verify_audit(settings: Settings) -> int:
    from services.audit.service import verify_chain
    from services.tenancy.service import regions_with_municipalities
    from tenants.context import tenant_tx

    async def work() -> int:
        async with tenant_tx():
            regions = await regions_with_municipalities()
        ids = sorted({m.id: m for r in regions for m in r.municipalities}.items())
        broken = 0
        for municipality_id, municipality in ids:
            report = await verify_chain(municipality_id)
            if not report.intact:
                broken += 1
                print(
                    f"{municipality.kommunenummer} {municipality.name}: broken at event"
                    f" {report.first_broken_seq} ({report.reason})"
                )
        print(f"{len(ids)} chains checked, {broken} broken")
        return 1 if broken else 0

    return await _with_app_db(settings, work)


async def _check(settings: Settings) -> int:
    """The health check of a process without a port: settings load, the app role connects,
    and the schema is migrated."""
    import asyncpg

    from infra.migrate import pending
    from services.schema import MIGRATIONS

    try:
        connection = await asyncpg.connect(settings.app_database_url, timeout=5)
    except (OSError, asyncpg.PostgresError) as error:
        print(f"samspel: cannot connect as the app role: {error}", file=sys.stderr)
        return 1
    try:
        missing = await pending(connection, MIGRATIONS)
    except asyncpg.UndefinedTableError:
        missing = ["everything"]
    finally:
        await connection.close()
    if missing:
        print(f"samspel: not migrated: {', '.join(missing)}", file=sys.stderr)
        return 1
    print("ok")
    return 0


COMMANDS = {
    "migrate": _migrate,
    "demo": _demo,
    "verify-audit": _verify_audit,
    "check": _check,
    "generate": _generate,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="samspel")
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--scale", choices=("small", "national"), default="small",
                        help="generate: how much data (small is for tests)")  # fmt: skip
    parser.add_argument(
        "--seed", type=int, default=1, help="generate: the same seed, the same data"
    )
    args = parser.parse_args(argv)
    try:
        settings = load()
    except SettingsError as error:
        print(f"samspel: {error}", file=sys.stderr)
        return 2
    if args.command == "generate":
        return asyncio.run(_generate(settings, args.scale, args.seed))
    return asyncio.run(COMMANDS[args.command](settings))


if __name__ == "__main__":
    sys.exit(main())
