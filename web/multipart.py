"""Reads a multipart form before Litestar does, keeping a text part that is not UTF-8 (its bad bytes
as lone surrogates) for the form to refuse beside its field: Litestar's own reader lets the
UnicodeDecodeError escape, and the whole request fails before any form can say what was wrong.

The app's request class reads forms this way (Litestar's CSRF middleware asks it for the token),
and its before_request hook does so for a multipart body first; Litestar's extractor then takes
the fields from the request's scope state instead of reading the body again.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from litestar import Request
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException
from litestar.plugins.htmx import HTMXRequest
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState
from multipart import MultipartSegment, ParserError, ParserLimitReached, PushMultipartParser


class FormRequest(HTMXRequest):
    """The app's request: htmx's, whose form() reads a multipart body leniently (see above)."""

    async def form(self) -> FormMultiDict:
        content_type, options = self.content_type
        boundary = options.get("boundary")
        state = ScopeState.from_scope(self.scope)
        if content_type == RequestEncodingType.MULTI_PART and boundary and state.form is Empty:
            state.form = await _parse(self, boundary.encode(), self.app.multipart_form_part_limit)
        return await super().form()


_BODYLESS = frozenset({"GET", "HEAD", "OPTIONS"})


async def read_form_first(request: Request) -> None:
    """before_request: a multipart body is read here, so Litestar's extractor finds it read.
    A GET sends no form: its headers are not even parsed for a content type."""
    if request.scope["method"] in _BODYLESS:
        return
    if request.content_type[0] == RequestEncodingType.MULTI_PART:
        await request.form()  # the app's request class is FormRequest


async def _parse(request: Request, boundary: bytes, part_limit: int) -> dict[str, Any]:
    fields: defaultdict[str, list[Any]] = defaultdict(list)
    segment: MultipartSegment | None = None
    data: UploadFile | bytearray = bytearray()
    chunks = request.stream()
    chunk = await anext(chunks, b"")
    if not chunk:
        return {}
    try:
        with PushMultipartParser(boundary, max_segment_count=part_limit) as parser:
            while not parser.closed:
                for part in parser.parse(chunk):
                    if isinstance(part, MultipartSegment):
                        segment = part
                        if segment.filename:
                            data = UploadFile(
                                content_type=segment.content_type or "text/plain",
                                filename=segment.filename,
                                headers=dict(segment.headerlist),
                            )
                    elif part:
                        if isinstance(data, UploadFile):
                            await data.write(part)
                        else:
                            data.extend(part)
                    elif segment is None:
                        raise ClientException("Unexpected end of multipart/form-data")
                    else:  # the end of one part
                        fields[segment.name].append(await _finished(data))
                        segment, data = None, bytearray()
                chunk = await anext(chunks, b"")  # b"" tells the parser the body has ended
    except (ParserError, ParserLimitReached) as refused:
        for upload in [data, *(v for values in fields.values() for v in values)]:
            if isinstance(upload, UploadFile):
                await upload.close()
        raise ClientException("Invalid multipart/form-data") from refused
    return {name: values if len(values) > 1 else values[0] for name, values in fields.items()}


async def _finished(data: UploadFile | bytearray) -> UploadFile | str:
    """A part as the form takes it: a file read from its start, or text with bad bytes kept."""
    if isinstance(data, UploadFile):
        await data.seek(0)
        return data
    return bytes(data).decode("utf-8", "surrogateescape")
