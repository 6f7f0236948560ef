"""Every Piccolo table says what the migrated database holds, and every table there has one."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from infra.catalog import drift
from infra.db import all_tables
from tenants.context import NOBODY, tenant_tx

pytestmark = pytest.mark.usefixtures("database")

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("infra", "tenants", "services")


def product_tables():
    """Import every tables.py of the product and return the Piccolo tables they define."""
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("tables.py")):
            importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return [t for t in all_tables() if t.__module__.split(".")[0] in LAYERS]


def test_every_tables_module_defines_a_table():
    modules = {t.__module__ for t in product_tables()}
    paths = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for layer in LAYERS
        for p in (ROOT / layer).rglob("tables.py")
    }
    assert paths <= modules


async def test_the_piccolo_tables_match_the_live_catalog():
    tables = product_tables()
    async with tenant_tx(NOBODY) as tx:
        found = await drift(tx.connection, tables)
    assert found == [], "\n".join(found)
