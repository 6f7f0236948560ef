"""A development stand-in for ID-porten, so Samspel's login can run without the real service."""

from infra.idporten.app import create_idp_app
from infra.idporten.config import ClientConfig, IdpConfig, Person

__all__ = ["ClientConfig", "IdpConfig", "Person", "create_idp_app"]
