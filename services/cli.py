"""`samspel …`: the operations a deployment runs besides serving: migrate, demo, verify the audit chain."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

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


async def _demo(settings: Settings) -> int:
    from services.demo.seed import load_demo

    counts = await _with_app_db(settings, lambda: load_demo(settings.derived_key("pid")))
    print(json.dumps({"demo": counts}))
    return 0


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


COMMANDS = {"migrate": _migrate, "demo": _demo, "verify-audit": _verify_audit}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="samspel")
    parser.add_argument("command", choices=sorted(COMMANDS))
    args = parser.parse_args(argv)
    try:
        settings = load()
    except SettingsError as error:
        print(f"samspel: {error}", file=sys.stderr)
        return 2
    return asyncio.run(COMMANDS[args.command](settings))


if __name__ == "__main__":
    sys.exit(main())
