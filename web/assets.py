"""Static files: versioned URLs, cached for good by browsers, compressed once at build time.

`python -m web.assets` (run by `make setup` and the Dockerfile, after the npm files are
copied in) writes a gzip and a brotli copy beside every text file under web/static/. The web
process reads the folder once at start: each file's bytes, its copies, and a digest of its
content. A page links `asset("css/samspel.css")`, which is `/static/css/samspel.css?v=<digest>`;
that URL's answer is `Cache-Control: public, max-age=31536000, immutable`, so a browser never
asks for it again, and a changed file gets a new URL. A URL without the current digest is
answered too, with `no-cache` and an ETag (a 304 when unchanged). The brotli copy goes to a
browser that accepts `br`, else the gzip one to one that accepts `gzip`.

The files are the same in every process and come from the build, not from any request: keeping
their bytes in memory is a copy of the image, not state.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import sys
from dataclasses import dataclass, field
from pathlib import Path

from litestar.types import Receive, Scope, Send

STATIC = Path(__file__).parent / "static"
PREFIX = "/static/"
COMPRESSED = (".css", ".js", ".svg", ".json", ".txt", ".html", ".map")
IMMUTABLE = b"public, max-age=31536000, immutable"
REVALIDATE = b"no-cache"


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    media_type: bytes
    digest: str
    encoded: dict[str, bytes] = field(default_factory=dict)  # "br" / "gzip" -> body

    @property
    def etag(self) -> bytes:
        return f'"{self.digest}"'.encode()


def build(folder: Path = STATIC) -> int:
    """Write file.gz and file.br beside every text file; returns how many files were compressed."""
    import brotli

    count = 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in COMPRESSED:
            continue
        raw = path.read_bytes()
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(raw, 9, mtime=0))
        path.with_name(path.name + ".br").write_bytes(brotli.compress(raw, quality=11))
        count += 1
    return count


def load(folder: Path = STATIC) -> dict[str, Asset]:
    """Every file under the folder by its URL path, with the compressed copies the build made
    (a copy older than its file is left out: it would serve stale bytes)."""
    assets: dict[str, Asset] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix in (".gz", ".br") or path.name.startswith("."):
            continue
        body = path.read_bytes()
        encoded = {}
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            copy = path.with_name(path.name + suffix)
            if copy.exists() and copy.stat().st_mtime >= path.stat().st_mtime:
                encoded[encoding] = copy.read_bytes()
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type == "application/javascript":
            media_type += "; charset=utf-8"
        assets[PREFIX + path.relative_to(folder).as_posix()] = Asset(
            body, media_type.encode(), hashlib.sha256(body).hexdigest()[:16], encoded
        )
    return assets


def url(assets: dict[str, Asset], name: str) -> str:
    """The versioned URL of static/<name>."""
    path = PREFIX + name
    found = assets.get(path)
    return f"{path}?v={found.digest}" if found else path


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key == name:
            return value
    return b""


def _accepts(accept_encoding: bytes, encoding: bytes) -> bool:
    for part in accept_encoding.split(b","):
        token, _, params = part.strip().partition(b";")
        if token.strip() == encoding and b"q=0" not in params.replace(b" ", b"").rstrip(b"."):
            return True
    return False


def static_app(assets: dict[str, Asset]):
    """A pure ASGI app for /static/: no session, no CSRF, no template; bytes from memory."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        found = assets.get(scope["path"])
        if found is None or scope["method"] not in ("GET", "HEAD"):
            status = 404 if found is None else 405
            await send({"type": "http.response.start", "status": status, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        versioned = f"v={found.digest}".encode() in scope.get("query_string", b"").split(b"&")
        headers = [
            (b"content-type", found.media_type),
            (b"cache-control", IMMUTABLE if versioned else REVALIDATE),
            (b"etag", found.etag),
            (b"vary", b"accept-encoding"),
        ]
        if found.etag in _header(scope, b"if-none-match"):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        body = found.body
        accepted = _header(scope, b"accept-encoding")
        for encoding in ("br", "gzip"):
            if encoding in found.encoded and _accepts(accepted, encoding.encode()):
                body = found.encoded[encoding]
                headers.append((b"content-encoding", encoding.encode()))
                break
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )

    return serve


if __name__ == "__main__":
    print(f"compressed {build()} static files", file=sys.stderr)
