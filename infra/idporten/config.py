"""What the dev ID-porten is told at start: its clients, its persons, ID-porten's constants."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from joserfc.jwk import RSAKey

ACR_SUBSTANTIAL = "idporten-loa-substantial"
ACR_HIGH = "idporten-loa-high"
ACR_VALUES = (ACR_SUBSTANTIAL, ACR_HIGH)
UI_LOCALES = ("nb", "nn", "en", "se")
DEFAULT_LOCALE = "nb"
SCOPES = ("openid", "profile")
AMR = ("TestID",)
TOKEN_AUTH_METHODS = ("client_secret_basic", "client_secret_post")

CODE_TTL = 60
ID_TOKEN_TTL = 120
ACCESS_TOKEN_TTL = 120
# A spent code is remembered a while so a replay can still revoke what it produced.
SPENT_CODE_MEMORY = 600

_PID = re.compile(r"[0-9]{11}")


def is_valid_pid(value: str) -> bool:
    return bool(_PID.fullmatch(value))


@dataclass(frozen=True)
class Person:
    pid: str
    name: str
    role: str = ""

    def __post_init__(self) -> None:
        if not is_valid_pid(self.pid):
            raise ValueError(f"pid must be 11 digits, got {self.pid!r}")


@dataclass(frozen=True)
class ClientConfig:
    client_id: str
    client_secret: str
    redirect_uris: Sequence[str]
    post_logout_redirect_uris: Sequence[str] = ()
    frontchannel_logout_uri: str | None = None


@dataclass
class IdpConfig:
    issuer: str
    clients: list[ClientConfig]
    persons: list[Person] = field(default_factory=list)
    # Private RSA JWK; a fresh one is generated at start when absent.
    private_key: dict[str, Any] | RSAKey | None = None
    # Key for pairwise sub; derived from the issuer when absent (see pairwise_sub).
    pairwise_secret: bytes | None = None


def requested_acr(acr_values: str | None) -> str:
    values = (acr_values or "").split()
    if ACR_HIGH in values:
        return ACR_HIGH
    return ACR_SUBSTANTIAL


def pick_locale(ui_locales: str | None) -> str:
    for tag in (ui_locales or "").split():
        if tag in UI_LOCALES:
            return tag
    return DEFAULT_LOCALE
