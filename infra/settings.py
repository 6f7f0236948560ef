"""All configuration comes from SAMSPEL_* environment variables, read once into one typed object."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

PREFIX = "SAMSPEL_"
LANGUAGES = ("nb", "nn", "en")
OWNER_ROLE = "samspel_owner"
APP_ROLE = "samspel_app"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    # One URL of a role that may create databases and roles (a developer's machine), or None
    # when production gives the owner and app URLs separately.
    database_url: str | None
    owner_database_url: str
    app_database_url: str
    redis_url: str
    host: str
    port: int
    idp_port: int
    base_url: str
    secret_key: str
    default_language: str
    idp_issuer: str
    oidc_client_id: str
    oidc_client_secret: str
    acr_values: str
    smtp_url: str | None
    environment: str
    # Login attempts per client address, and form posts per person, in one minute.
    rate_limit_per_minute: int = 60
    # Bearer token for GET /metrics; without one the metrics are not served at all.
    metrics_token: str | None = None
    # Brønnøysund's open API for Enhetsregisteret: names businesses and who may sign for them.
    enhetsregisteret_url: str = "https://data.brreg.no/enhetsregisteret/api"
    # `python -m web` runs this many processes on one socket; they share nothing but Redis
    # and PostgreSQL (sessions, kept pages and rate counts live in Redis).
    web_processes: int = 1

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    def derived_key(self, purpose: str) -> bytes:
        """A key of its own for each purpose, so one leaked derived key exposes nothing else."""
        return hmac.new(self.secret_key.encode(), purpose.encode(), hashlib.sha256).digest()

    def role_password(self, role: str) -> str:
        return _password(self.secret_key, role)


def _url(env: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    value = env.get(PREFIX + name, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        raise SettingsError(
            f"{PREFIX}{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)};"
            f" got {value!r}"
        )
    host_in_query = any(k == "host" for k, _ in parse_qsl(parts.query))
    if parts.scheme.startswith("postgres") and not (parts.hostname or host_in_query):
        raise SettingsError(f"{PREFIX}{name} names no host: {value!r}")
    if parts.scheme.startswith("postgres") and not parts.path.strip("/"):
        raise SettingsError(f"{PREFIX}{name} names no database: {value!r}")
    return value


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(PREFIX + name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{PREFIX}{name} must be a whole number; got {raw!r}") from None
    if not 1 <= value <= 65535:
        raise SettingsError(f"{PREFIX}{name} must be a port between 1 and 65535; got {value}")
    return value


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(PREFIX + name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{PREFIX}{name} must be a whole number above 0; got {raw!r}")
    return int(raw)


def with_role(url: str, role: str, password: str | None) -> str:
    """The same server and database, connecting as another role."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = role + (f":{password}" if password else "") + "@" + host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def database_name(url: str) -> str:
    return urlsplit(url).path.strip("/")


def without_query_param(url: str, name: str) -> str:
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != name])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def public_base_url(env: Mapping[str, str]) -> str:
    """Where browsers reach Samspel: SAMSPEL_BASE_URL, else the web process's own port on loopback.

    The dev ID-porten registers its client's redirect URIs from the same value, so the two
    never disagree when `make run` moves to other ports.
    """
    port = _int(env, "PORT", 8000)
    return (_url(env, "BASE_URL", ("http", "https")) or f"http://127.0.0.1:{port}").rstrip("/")


def load(env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings; a missing or malformed value raises SettingsError naming it."""
    env = os.environ if env is None else env
    pg = ("postgresql", "postgres")
    secret = env.get(PREFIX + "SECRET_KEY", "")
    if not secret:
        raise SettingsError(f"{PREFIX}SECRET_KEY is not set (at least 32 characters, random)")
    if len(secret) < 32:
        raise SettingsError(f"{PREFIX}SECRET_KEY is too short: at least 32 characters")
    database_url = _url(env, "DATABASE_URL", pg)
    owner_url = _url(env, "OWNER_DATABASE_URL", pg)
    app_url = _url(env, "APP_DATABASE_URL", pg)
    if database_url is None and not (owner_url and app_url):
        raise SettingsError(
            f"{PREFIX}DATABASE_URL is not set (or set both {PREFIX}OWNER_DATABASE_URL"
            f" and {PREFIX}APP_DATABASE_URL)"
        )
    if database_url is not None:
        owner_url = owner_url or with_role(database_url, OWNER_ROLE, _password(secret, OWNER_ROLE))
        app_url = app_url or with_role(database_url, APP_ROLE, _password(secret, APP_ROLE))
    redis_url = _url(env, "REDIS_URL", ("redis", "rediss", "unix"))
    if redis_url is None:
        raise SettingsError(f"{PREFIX}REDIS_URL is not set (e.g. redis://127.0.0.1:6379/0)")
    port = _int(env, "PORT", 8000)
    idp_port = _int(env, "IDP_PORT", 8001)
    base_url = public_base_url(env)
    language = env.get(PREFIX + "DEFAULT_LANGUAGE", "nb").strip() or "nb"
    if language not in LANGUAGES:
        raise SettingsError(
            f"{PREFIX}DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}; got {language!r}"
        )
    acr = env.get(PREFIX + "ACR_VALUES", "idporten-loa-substantial").strip()
    if acr not in ("idporten-loa-substantial", "idporten-loa-high"):
        raise SettingsError(
            f"{PREFIX}ACR_VALUES must be idporten-loa-substantial or idporten-loa-high; got {acr!r}"
        )
    issuer = _url(env, "IDP_ISSUER", ("http", "https")) or f"http://127.0.0.1:{idp_port}"
    metrics_token = env.get(PREFIX + "METRICS_TOKEN", "").strip() or None
    if metrics_token is not None and len(metrics_token) < 32:
        raise SettingsError(f"{PREFIX}METRICS_TOKEN is too short: at least 32 characters")
    return Settings(
        database_url=database_url,
        owner_database_url=owner_url,  # type: ignore[arg-type]
        app_database_url=app_url,  # type: ignore[arg-type]
        redis_url=redis_url,
        host=env.get(PREFIX + "HOST", "127.0.0.1").strip() or "127.0.0.1",
        port=port,
        idp_port=idp_port,
        base_url=base_url,
        secret_key=secret,
        default_language=language,
        idp_issuer=issuer.rstrip("/"),
        oidc_client_id=env.get(PREFIX + "OIDC_CLIENT_ID", "samspel-dev"),
        oidc_client_secret=env.get(PREFIX + "OIDC_CLIENT_SECRET", "samspel-dev-secret"),
        acr_values=acr,
        smtp_url=_url(env, "SMTP_URL", ("smtp", "smtps")),
        environment=env.get(PREFIX + "ENVIRONMENT", "development"),
        rate_limit_per_minute=_count(env, "RATE_LIMIT_PER_MINUTE", 60),
        metrics_token=metrics_token,
        enhetsregisteret_url=(
            _url(env, "ENHETSREGISTERET_URL", ("http", "https"))
            or "https://data.brreg.no/enhetsregisteret/api"
        ),
        web_processes=_count(env, "WEB_PROCESSES", 1),
    )


def _password(secret: str, role: str) -> str:
    return hmac.new(secret.encode(), f"database-role:{role}".encode(), hashlib.sha256).hexdigest()
