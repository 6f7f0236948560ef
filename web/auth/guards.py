"""Guards every route declares: who may call it. A place in the URL the active membership
does not cover answers 404, so a guess learns nothing about another tenant.

Each guard is a coroutine function although it awaits nothing: Litestar runs a plain function
given as a guard in a worker thread, a thread hop on every request of every guarded route."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from web.auth.principal import Principal
from web.unavailable import SessionsUnavailable

PUBLIC = {"public": True}  # opt= of a route anyone may call; every other route has guards
# A public page whose copy for the public is kept per data version (web/public_cache.py); it
# skips Litestar's CSRF middleware (a GET, and the public's copy must carry no one's token).
PUBLIC_CACHED = {"public": True, "public_cache": True, "exclude_from_csrf": True}


def principal_of(connection: ASGIConnection) -> Principal | None:
    return connection.scope.get("state", {}).get("principal")


def person_of(connection: ASGIConnection) -> int:
    """The id of the person acting, on a route whose guard has made sure someone is logged in."""
    return principal_of(connection).person.id


def _require(connection: ASGIConnection) -> Principal:
    principal = principal_of(connection)
    if principal is None and connection.scope.get("state", {}).get("sessions_unavailable"):
        # Whether this person is logged in cannot be known now: not "log in", but "wait".
        raise SessionsUnavailable()
    if principal is None:
        raise NotAuthorizedException("log in first")
    return principal


async def logged_in(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    _require(connection)


def _member(scope: str, param: str, attribute: str, roles: tuple[str, ...]):
    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        active = _require(connection).active
        wanted = connection.path_params.get(param)
        if active is None or active.scope != scope or getattr(active, attribute) != wanted:
            raise NotFoundException()
        if roles and active.role not in roles:
            raise PermissionDeniedException("your role may not do this")

    guard.__name__ = f"{scope}_member_{'_'.join(roles) or 'any'}"
    # Read by the route table's tests, which ask every role this guard leaves out.
    guard.scope, guard.param, guard.roles = scope, param, roles  # type: ignore[attr-defined]
    return guard


def municipality_member(*roles: str):
    return _member("municipality", "kommunenummer", "kommunenummer", roles)


def region_member(*roles: str):
    return _member("region", "region_slug", "region_slug", roles)


def organisation_member(*roles: str):
    return _member("organisation", "organisasjonsnummer", "organisasjonsnummer", roles)


async def operator(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    active = _require(connection).active
    if active is None or active.scope != "platform":
        raise NotFoundException()
