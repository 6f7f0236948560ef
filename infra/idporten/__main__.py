"""Starts the dev ID-porten provider from SAMSPEL_IDP_* environment variables on 127.0.0.1."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from infra.idporten.config import ClientConfig, IdpConfig, Person
from infra.settings import SettingsError, public_base_url

# Synthetic numbers (month + 80, as in Tenor) so they can never be a real person's.
DEFAULT_PERSONS = [
    Person("12888540006", "Kari Nordmann", "Business developer, Eksempel municipality"),
    Person("03839140079", "Ola Nordmann", "Programme manager, Eksempel county"),
    Person("25877240013", "Ingrid Hansen", "Applicant, owner of a local firm"),
]


class ConfigError(Exception):
    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")


def _url(variable: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
        raise ConfigError(variable, f"not an absolute http(s) URL: {value!r}")
    return value


def _url_list(env: Mapping[str, str], variable: str, default: str) -> list[str]:
    raw = env.get(variable, default)
    urls = [_url(variable, item.strip()) for item in raw.split(",") if item.strip()]
    if not urls:
        raise ConfigError(variable, "needs at least one URL")
    return urls


def _persons(variable: str, path: str) -> list[Person]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(variable, f"cannot read {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(variable, f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, list):
        raise ConfigError(variable, f"{path} must hold a JSON list of {{pid, name, role}}")
    persons = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) for k in ("pid", "name")
        ):
            raise ConfigError(variable, f"entry {index} needs string fields pid and name")
        try:
            persons.append(Person(item["pid"], item["name"], str(item.get("role", ""))))
        except ValueError as exc:
            raise ConfigError(variable, f"entry {index}: {exc}") from exc
    return persons


def load_config(env: Mapping[str, str]) -> tuple[IdpConfig, int]:
    raw_port = env.get("SAMSPEL_IDP_PORT", "8001")
    try:
        port = int(raw_port)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise ConfigError("SAMSPEL_IDP_PORT", f"must be a port number, got {raw_port!r}")

    issuer = _url("SAMSPEL_IDP_ISSUER", env.get("SAMSPEL_IDP_ISSUER", f"http://127.0.0.1:{port}"))
    client_id = env.get("SAMSPEL_IDP_CLIENT_ID", "samspel-dev")
    secret = env.get("SAMSPEL_IDP_CLIENT_SECRET", "samspel-dev-secret")
    if not client_id.strip():
        raise ConfigError("SAMSPEL_IDP_CLIENT_ID", "must not be empty")
    if not secret:
        raise ConfigError("SAMSPEL_IDP_CLIENT_SECRET", "must not be empty")
    # The client is Samspel where SAMSPEL_BASE_URL (or SAMSPEL_PORT) says it is, as Samspel
    # itself computes its redirect URIs; the variables below override that for other clients.
    try:
        base = public_base_url(env)
    except SettingsError as exc:
        name, _, problem = str(exc).partition(" ")
        raise ConfigError(name, problem) from None
    frontchannel = env.get(
        "SAMSPEL_IDP_FRONTCHANNEL_LOGOUT_URI", f"{base}/auth/frontchannel-logout"
    ).strip()
    if frontchannel:
        _url("SAMSPEL_IDP_FRONTCHANNEL_LOGOUT_URI", frontchannel)

    client = ClientConfig(
        client_id=client_id,
        client_secret=secret,
        redirect_uris=_url_list(env, "SAMSPEL_IDP_REDIRECT_URIS", f"{base}/auth/callback"),
        post_logout_redirect_uris=_url_list(
            env, "SAMSPEL_IDP_POST_LOGOUT_REDIRECT_URIS", f"{base}/"
        ),
        frontchannel_logout_uri=frontchannel or None,
    )
    persons_file = env.get("SAMSPEL_IDP_PERSONS_FILE")
    persons = (
        _persons("SAMSPEL_IDP_PERSONS_FILE", persons_file) if persons_file else DEFAULT_PERSONS
    )
    return IdpConfig(issuer=issuer, clients=[client], persons=persons), port


def main() -> None:
    try:
        config, port = load_config(os.environ)
    except ConfigError as exc:
        sys.exit(f"dev ID-porten not started: {exc}")

    import uvicorn

    from infra.idporten.app import create_idp_app

    try:
        app = create_idp_app(config)
    except ValueError as exc:
        # Only the issuer is checked this late, because Authlib decides what it accepts.
        sys.exit(f"dev ID-porten not started: SAMSPEL_IDP_ISSUER: {exc}")
    print(f"dev ID-porten at {config.issuer} for client {config.clients[0].client_id}")
    # SAMSPEL_HOST is 0.0.0.0 in a container; on a laptop the provider stays on loopback.
    host = os.environ.get("SAMSPEL_HOST", "").strip() or "127.0.0.1"
    uvicorn.run(app, host=host, port=port, log_level="warning")


if __name__ == "__main__":
    main()
