"""Seal a bid so that a database dump before the opening reveals nothing of it.

The key of each tender is derived (HKDF-SHA256) from a secret the caller passes in — in the
product `settings.derived_key(SEALING_KEY_PURPOSE)`, which never enters the database — and
the tender's identity, so one tender's key opens no other tender's bids. Each bid is
AES-256-GCM with a random nonce, its associated data binding the ciphertext to its tender,
organisation and submission: a sealed blob copied onto another row does not open.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from decimal import Decimal

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from services.files import FileInput

SEALING_KEY_PURPOSE = "sealed-bids"
_NONCE = 12


class SealedBid(msgspec.Struct, frozen=True):
    """Everything a bidder sends; its msgpack bytes are what the receipt's SHA-256 covers.

    The idempotency key is a random token of the submission, so the digest of a short,
    guessable content (a price alone) cannot be found by trying prices.
    """

    tenant_id: int
    tender_id: int
    organisation_id: int
    idempotency_key: str
    price: Decimal
    answers: dict[str, str]
    documents: list[FileInput] = []  # a struct seals as its fields: the name is not in the bytes


class SealBroken(Exception):
    """The sealed content does not open with this key: a wrong key or a changed blob."""


def tender_key(secret: bytes, tenant_id: int, tender_id: int) -> bytes:
    if len(secret) < 32:
        raise ValueError("the sealing secret must be at least 32 bytes")
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=f"samspel sealed bids, tender {tenant_id}:{tender_id}".encode(),
    ).derive(secret)


def plaintext(bid: SealedBid) -> bytes:
    """The canonical bytes of a bid: the same bid always gives the same bytes."""
    return msgspec.msgpack.encode(bid, order="sorted")


def receipt_digest(bid: SealedBid) -> bytes:
    return hashlib.sha256(plaintext(bid)).digest()


def _associated_data(bid_tenant: int, tender: int, organisation: int, key: str) -> bytes:
    return f"bid:{bid_tenant}:{tender}:{organisation}:{key}".encode()


def seal(secret: bytes, bid: SealedBid) -> bytes:
    """nonce || ciphertext || tag."""
    nonce = os.urandom(_NONCE)
    aead = AESGCM(tender_key(secret, bid.tenant_id, bid.tender_id))
    data = _associated_data(bid.tenant_id, bid.tender_id, bid.organisation_id, bid.idempotency_key)
    return nonce + aead.encrypt(nonce, plaintext(bid), data)


def unseal(
    secret: bytes,
    sealed: bytes,
    *,
    tenant_id: int,
    tender_id: int,
    organisation_id: int,
    idempotency_key: str,
) -> SealedBid:
    aead = AESGCM(tender_key(secret, tenant_id, tender_id))
    data = _associated_data(tenant_id, tender_id, organisation_id, idempotency_key)
    try:
        raw = aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], data)
    except InvalidTag:
        raise SealBroken("the sealed bid does not open with this key") from None
    return msgspec.msgpack.decode(raw, type=SealedBid)


def unseal_row(secret: bytes, row: Mapping) -> SealedBid:
    """A bid row's content: its sealed bytes, bound to the row's tenant, tender, bidder and key."""
    return unseal(
        secret,
        row["sealed_content"],
        tenant_id=row["tenant_id"],
        tender_id=row["tender_id"],
        organisation_id=row["organisation_id"],
        idempotency_key=row["idempotency_key"],
    )
