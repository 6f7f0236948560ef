"""The tender exports as an OCDS release package that validates against the standard's schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from services.tendering.service import OCID_PREFIX, ocds_release_package
from tenants.context import NOBODY, tenant_tx
from tests.services.tendering.tendering_helpers import awarded_tender, new_buyer, published_tender

pytestmark = pytest.mark.usefixtures("database")

SCHEMAS = Path(__file__).parent / "ocds_schema"
BASE = "https://samspel.example"


def validator() -> Draft4Validator:
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text())
    release = json.loads((SCHEMAS / "release-schema.json").read_text())
    registry = Registry().with_resource(release["id"], Resource(release, DRAFT4))
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())


def errors(package: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(package)]


async def test_the_release_package_of_an_awarded_tender_validates():
    buyer, tender_id, businesses, receipts, ranked, award = await awarded_tender()
    async with tenant_tx(buyer.scope()):
        package = await ocds_release_package(tender_id, base_uri=BASE)
    json.dumps(package)  # plain JSON, nothing Python-only left in it
    assert errors(package) == []
    [release] = package["releases"]
    assert release["ocid"].startswith(OCID_PREFIX + "-")
    assert release["tag"] == ["award"]
    assert release["tender"]["status"] == "complete"
    assert release["tender"]["numberOfTenderers"] == 3
    assert len(release["bids"]["details"]) == 3
    [awarded] = release["awards"]
    assert awarded["status"] == "pending"  # in the standstill
    assert awarded["value"] == {"amount": 450000.0, "currency": "NOK"}
    assert "contracts" not in release


async def test_a_published_tender_exports_without_bids_to_anyone():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    async with tenant_tx(NOBODY):
        package = await ocds_release_package(tender_id, base_uri=BASE)
    assert errors(package) == []
    [release] = package["releases"]
    assert release["tag"] == ["tender"] and release["tender"]["status"] == "active"
    assert "bids" not in release and "awards" not in release


def test_the_schema_refuses_what_ocds_does_not_allow():
    package = {
        "uri": BASE,
        "version": "1.1",
        "publishedDate": "2026-01-01T00:00:00+00:00",
        "publisher": {"name": "Samspel"},
        "releases": [
            {
                "ocid": "ocds-samspl-1",
                "id": "1",
                "date": "2026-01-01T00:00:00+00:00",
                "tag": ["tender"],
                "initiationType": "tender",
                "tender": {"id": "1", "status": "open-for-bids"},
            }
        ],
    }
    assert errors(package) != []
