"""A secret that must travel in a mail request (an invitation's one-time link) is sealed there.

The outbox keeps a request for days; sealed with a key from the settings, a database dump
of it cannot be used to accept someone else's invitation.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_CONTEXT = b"samspel-mail-secret"


def seal(key: bytes, text: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, text.encode(), _CONTEXT)
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(key: bytes, sealed: str) -> str:
    raw = base64.urlsafe_b64decode(sealed.encode())
    return AESGCM(key).decrypt(raw[:12], raw[12:], _CONTEXT).decode()
