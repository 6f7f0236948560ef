"""The tender as an Open Contracting Data Standard (OCDS 1.1) release package.

Bids appear only once opened (the policies show them to the municipality no sooner), in the
shape of OCDS's bid extension. The ocid prefix `ocds-samspl` is a stand-in until a prefix is
registered with the Open Contracting Partnership.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from services.tendering.rules import TenderState
from services.tendering.service._common import criteria_of, json_value, load_public_tender
from tenants.context import connection

OCID_PREFIX = "ocds-samspl"
BID_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/"
    "v1.1.5/extension.json"
)
_S = TenderState
_TENDER_STATUS = {
    _S.PUBLISHED: "active",
    _S.BIDS_CLOSED: "active",
    _S.OPENED: "active",
    _S.EVALUATED: "active",
    _S.AWARD_NOTIFIED: "complete",
    _S.STANDSTILL: "complete",
    _S.CONTRACT_SIGNED: "complete",
    _S.COMPLETED: "complete",
    _S.CANCELLED: "cancelled",
    _S.UNSUCCESSFUL: "unsuccessful",
}
_TAG = {
    _S.PUBLISHED: "tender",
    _S.BIDS_CLOSED: "tenderUpdate",
    _S.OPENED: "tenderUpdate",
    _S.EVALUATED: "tenderUpdate",
    _S.UNSUCCESSFUL: "tenderUpdate",
    _S.CANCELLED: "tenderCancellation",
    _S.AWARD_NOTIFIED: "award",
    _S.STANDSTILL: "award",
    _S.CONTRACT_SIGNED: "contract",
    _S.COMPLETED: "contractUpdate",
}


def _value(amount: Decimal | None) -> dict[str, Any] | None:
    return None if amount is None else {"amount": float(amount), "currency": "NOK"}


def _date(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _party(bid) -> dict[str, Any]:
    return {
        "id": f"NO-BRC-{bid['organisasjonsnummer']}",
        "name": bid["organisation_name"],
        "identifier": {
            "scheme": "NO-BRC",
            "id": bid["organisasjonsnummer"],
            "legalName": bid["organisation_name"],
        },
        "roles": ["tenderer"],
    }


def _compact(value: Any) -> Any:
    """Leave out what is not known rather than publishing nulls."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


async def ocds_release_package(
    tender_id: int, *, base_uri: str, ocid_prefix: str = OCID_PREFIX
) -> dict[str, Any]:
    """The published tender as a release package (a dict ready for JSON)."""
    tender = await load_public_tender(tender_id)
    db = connection()
    municipality = await db.fetchrow(
        "select kommunenummer, name from municipality where id = $1", tender["tenant_id"]
    )
    state = TenderState(tender["state"])
    ocid = f"{ocid_prefix}-{municipality['kommunenummer']}-{tender_id}"
    buyer = {"id": f"NO-KOMMUNE-{municipality['kommunenummer']}", "name": municipality["name"]}
    parties: list[dict[str, Any]] = [{**buyer, "roles": ["buyer", "procuringEntity"]}]
    documents = await db.fetch(
        "select id, name, media_type, added_at from public_tender_documents($1) order by id",
        tender_id,
    )
    bids = await db.fetch(
        "select b.id, b.received_at, b.price, b.valid, b.qualified, b.withdrawn_at,"
        " o.organisasjonsnummer, o.name as organisation_name from bid b"
        " join organisation o on o.id = b.organisation_id"
        " where b.tender_id = $1 and b.price is not null order by b.received_at, b.id",
        tender_id,
    )
    for bid in bids:
        parties.append(_party(bid))
    tender_section = {
        "id": str(tender_id),
        "title": tender["title"],
        "description": tender["description"] or None,
        "status": _TENDER_STATUS[state],
        "value": _value(tender["estimated_value"]),
        "procurementMethod": "open",
        "procurementMethodDetails": tender["notice"],
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": ", ".join(f"{c.name} {c.weight} %" for c in criteria_of(tender)),
        "eligibilityCriteria": "; ".join(json_value(tender["qualification_requirements"]) or []) or None,
        "tenderPeriod": {
            "startDate": _date(tender["published_at"]),
            "endDate": _date(tender["bid_deadline"]),
        },
        "enquiryPeriod": {
            "startDate": _date(tender["published_at"]),
            "endDate": _date(tender["questions_deadline"]),
        },
        "documents": [
            {
                "id": str(d["id"]),
                "documentType": "tenderNotice" if i == 0 else "biddingDocuments",
                "title": d["name"],
                "format": d["media_type"],
                "datePublished": _date(d["added_at"]),
            }
            for i, d in enumerate(documents)
        ],
        "numberOfTenderers": len(bids) if tender["opened_at"] else None,
        "tenderers": [{"id": p["id"], "name": p["name"]} for p in parties[1:]],
    }
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{state.value}",
        "date": _date(_latest(tender)),
        "tag": [_TAG[state]],
        "initiationType": "tender",
        "language": "nb",
        "parties": parties,
        "buyer": buyer,
        "tender": tender_section,
    }
    # No bid rows in view (the public before the award notice): say nothing, not "0 bids".
    if tender["opened_at"] and bids:
        release["bids"] = {
            "statistics": [{"id": "1", "measure": "bids", "value": len(bids)}],
            "details": [
                {
                    "id": str(b["id"]),
                    "date": _date(b["received_at"]),
                    "status": "valid"
                    if b["valid"] and b["qualified"] is not False
                    else "disqualified",
                    "tenderers": [
                        {"id": f"NO-BRC-{b['organisasjonsnummer']}", "name": b["organisation_name"]}
                    ],
                    "value": _value(b["price"]),
                }
                for b in bids
            ],
        }
    # The award needs the winning bid's row, which only a scope that may read bids sees.
    if tender["winning_bid_id"] is not None and any(
        b["id"] == tender["winning_bid_id"] for b in bids
    ):
        _add_award(release, tender, bids, state)
    return _compact(
        {
            "uri": f"{base_uri.rstrip('/')}/tenders/{tender_id}/ocds.json",
            "version": "1.1",
            "extensions": [BID_EXTENSION] if "bids" in release else None,
            "publishedDate": release["date"],
            "publisher": {"name": "Samspel", "uri": base_uri.rstrip("/") + "/"},
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "releases": [release],
        }
    )


def _add_award(release: dict, tender, bids, state: TenderState) -> None:
    winner = next(b for b in bids if b["id"] == tender["winning_bid_id"])
    signed = state in (_S.CONTRACT_SIGNED, _S.COMPLETED)
    award_id = f"{tender['id']}-award"
    for party in release["parties"]:
        if party["id"] == f"NO-BRC-{winner['organisasjonsnummer']}":
            party["roles"] = ["tenderer", "supplier"]
    release["awards"] = [
        {
            "id": award_id,
            "title": tender["title"],
            "status": "cancelled" if state == _S.CANCELLED else ("active" if signed else "pending"),
            "date": _date(tender["award_notified_at"]),
            "value": _value(winner["price"]),
            "suppliers": [
                {
                    "id": f"NO-BRC-{winner['organisasjonsnummer']}",
                    "name": winner["organisation_name"],
                }
            ],
            "description": f"Standstill until {_date(tender['standstill_ends_at'])}",
        }
    ]
    if signed:
        release["contracts"] = [
            {
                "id": f"{tender['id']}-contract",
                "awardID": award_id,
                "title": tender["title"],
                "status": "terminated" if state == _S.COMPLETED else "active",
                "dateSigned": _date(tender["contract_signed_at"]),
                "value": _value(winner["price"]),
            }
        ]


def _latest(tender) -> datetime:
    stamps = [
        tender[c]
        for c in (
            "created_at",
            "published_at",
            "bids_closed_at",
            "opened_at",
            "evaluated_at",
            "award_notified_at",
            "contract_signed_at",
            "completed_at",
            "cancelled_at",
        )
        if tender[c] is not None
    ]
    return max(stamps)
