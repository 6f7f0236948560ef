"""Form handling shared by the pages: read the fields, and turn a refusal into errors beside them."""

from __future__ import annotations

from typing import NamedTuple

from litestar import Request
from litestar.datastructures import UploadFile

from services.errors import N_, DomainError, InvalidInput


async def fields(request: Request) -> dict[str, str]:
    data = await request.form()
    return {key: str(value).strip() for key, value in data.items() if key != "_csrf_token"}


def errors_of(request: Request, error: DomainError) -> dict[str, str]:
    """{field: message in the user's language}; "_form" for an error of the whole form."""
    return {error.field or "_form": error.translated(request.state.get("lang", "nb"))}


class Upload(NamedTuple):
    name: str
    media_type: str
    content: bytes


async def uploaded_file(request: Request, name: str, *, field: str) -> Upload:
    """The one file a form sent under `name`; what it is, the use-case judges by its bytes."""
    upload = (await request.form()).get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput("document_missing", N_("Choose a file."), field=field)
    return Upload(upload.filename, upload.content_type or "", await upload.read())


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None
