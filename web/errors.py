"""Domain errors become 4xx answers with a reason, in one place."""

from __future__ import annotations

from litestar import Request, Response

from services.errors import DomainError
from web.i18n import gettext


def domain_error_handler(request: Request, error: DomainError) -> Response:
    lang = request.state.get("lang", "nb")
    body = {"error": error.code, "detail": gettext(lang, error.message)}
    if error.field:
        body["field"] = error.field
    return Response(body, status_code=error.status)
