"""The public tender API kept honest by schemathesis: cases generated from the OpenAPI document
the product serves at /schema, sent to the running product (with the demo's tenders), each answer
checked by every one of schemathesis' checks: no 5xx, the status, the content type and the body
as the document declares them. Also: every URL an answer hands out answers too."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def test_the_public_api_answers_as_its_openapi_document_says(product):
    """schemathesis' command line (its pytest plugin does not run under pytest 9): every phase
    (the document's examples, its coverage of edges and of invalid input, then fuzzing), in both
    modes (valid and invalid data), with all its checks."""
    run = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            product.base + "/schema/openapi.json",
            "--checks",
            "all",
            "--mode",
            "all",
            "--max-examples",
            "40",
            "--seed",
            "13",
            "--workers",
            "1",
            "--generation-database",
            "none",
            "--no-color",
            "--request-timeout",
            "10",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-2000:]


def _json(url: str):
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.status == 200, url
        return json.loads(answer.read())


def test_the_schema_documents_only_the_public_api(product):
    document = _json(product.base + "/schema")
    assert sorted(document["paths"]) == [
        "/api/v1/tenders",
        "/api/v1/tenders/{tender_id}/ocds",
        "/tenders/{tender_id}/ocds.json",
    ]


def test_every_url_an_ocds_package_hands_out_answers(product):
    listing = _json(product.base + "/api/v1/tenders")
    assert listing["count"] >= 1
    for tender in listing["tenders"]:
        package = _json(f"{product.base}/api/v1/tenders/{tender['id']}/ocds")
        again = _json(package["uri"])  # /tenders/{id}/ocds.json, the package's own address
        assert again["releases"][0]["ocid"] == package["releases"][0]["ocid"]
        _json(package["publisher"]["uri"].rstrip("/") + f"/tenders/{tender['id']}/ocds.json")
