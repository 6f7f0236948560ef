"""The ceiling beside each measured page: a bare Litestar app under the same uvicorn settings as
`python -m web`, answering each path with the very bytes Samspel answered it with, from memory.

What Samspel reaches of this app's throughput is the share of the framework's ceiling it keeps;
the issue's targets are such shares. `python -m tests.load.ceiling PAGES PORT` serves the pages
pickled in PAGES (a list of Page) until it is stopped.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass, field

import uvicorn
from litestar import Litestar, Request, Response, get

# Headers that belong to one response or connection, not to the page; uvicorn sets its own.
_PER_RESPONSE = {"date", "server", "content-length", "set-cookie", "transfer-encoding",
                 "connection", "keep-alive", "content-type"}  # fmt: skip


@dataclass(frozen=True)
class Page:
    """One answer of Samspel's, as a client asked for it."""

    path: str
    query: str = ""
    htmx: bool = False
    status: int = 200
    media_type: str = "text/html; charset=utf-8"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, path: str, query: str, htmx: bool, response) -> Page:
        """The page from an httpx response to that request."""
        kept = {k: v for k, v in response.headers.items() if k.lower() not in _PER_RESPONSE}
        return cls(path, query, htmx, response.status_code,
                   response.headers.get("content-type", "text/plain"), response.content, kept)  # fmt: skip


def ceiling_app(pages: list[Page]) -> Litestar:
    """One route per path; the query string and HX-Request pick among that path's answers."""
    by_path: dict[str, dict[tuple[str, bool], Page]] = {}
    for page in pages:
        by_path.setdefault(page.path, {})[(page.query, page.htmx)] = page
    handlers = []
    for index, (path, variants) in enumerate(by_path.items()):

        def serve(variants=variants):
            async def handler(request: Request) -> Response:
                key = (request.scope["query_string"].decode(), "hx-request" in request.headers)
                page = variants[key]
                return Response(page.body, status_code=page.status, media_type=page.media_type,
                                headers=page.headers)  # fmt: skip

            return handler

        handlers.append(get(path, name=f"page{index}")(serve()))
    return Litestar(route_handlers=handlers, openapi_config=None)


def ratio(samspel: float, ceiling: float) -> float:
    """Samspel's share of the ceiling, in per cent."""
    return 100 * samspel / ceiling if ceiling > 0 else 0.0


def verdict(value: float, target: float | None, *, at_most: bool = False) -> str:
    """'met' or 'not met' against a target (a floor, or a ceiling with at_most); '' without one."""
    if target is None:
        return ""
    return "met" if (value <= target if at_most else value >= target) else "not met"


def main(argv: list[str]) -> int:
    pages_file, port = argv[1], int(argv[2])
    with open(pages_file, "rb") as f:
        pages = pickle.load(f)  # noqa: S301 - the bench's own file, written a moment ago
    # The same settings as `python -m web` (web/__main__.py).
    uvicorn.run(ceiling_app(pages), host="127.0.0.1", port=port, access_log=False,
                log_level="warning", proxy_headers=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
