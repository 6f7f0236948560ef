"""Form handling shared by the pages: read the fields, and turn a refusal into errors beside them."""

from __future__ import annotations

from litestar import Request

from services.errors import DomainError


async def fields(request: Request) -> dict[str, str]:
    data = await request.form()
    return {key: str(value).strip() for key, value in data.items() if key != "_csrf_token"}


def errors_of(request: Request, error: DomainError) -> dict[str, str]:
    """{field: message in the user's language}; "_form" for an error of the whole form."""
    return {error.field or "_form": error.translated(request.state.get("lang", "nb"))}


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None
