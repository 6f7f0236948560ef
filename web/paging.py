"""Lists in pages by keyset: a page starts just past the sort key of the last row of the page
before, carried in the URL as `after=…` beside the list's filters. Every page costs the same
however far into the list, and a row added meanwhile never shifts a page by one."""

from __future__ import annotations

import base64
from typing import Any, TypeVar
from urllib.parse import urlencode

import msgspec

T = TypeVar("T")
PAGE = 50


def cursor(raw: str, shape: type[T]) -> T | None:
    """The key in `after=` as the list's sort key (a tuple type); anything else is the first
    page: the link is ours and nobody types it, so a broken one is no error of theirs."""
    if not raw or len(raw) > 1000:
        return None
    try:
        return msgspec.json.decode(
            base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)), type=shape
        )
    except (ValueError, msgspec.DecodeError, msgspec.ValidationError):
        return None


def after(key: tuple[Any, ...]) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(key)).decode().rstrip("=")


def pages(rows: list[T], filters: dict[str, str], key, *, started: bool) -> tuple[list[T], dict]:
    """A page of `rows` (fetched with one more than PAGE), and the template's links: the query of
    the next page (None on the last) and of the first (None on the first)."""
    shown = rows[:PAGE]
    next_query = (
        urlencode({**filters, "after": after(key(shown[-1]))}) if len(rows) > PAGE else None
    )
    return shown, {"next_page": next_query, "first_page": urlencode(filters) if started else None}
