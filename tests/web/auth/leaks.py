"""Finds a secret however it was written down: plain, hex, base64 or base64url, inside a JWT.

An ID token is base64url, so a pid inside a stored token never shows as digits; this decodes
every run that looks like base64 (either alphabet, with or without padding) at each of its four
alignments, and what that yields once more, so a token inside a base64 blob is found too.
"""

from __future__ import annotations

import base64
import binascii
import re

# Eight or more characters of either base64 alphabet; '.' ends a run, so a JWT's header,
# payload and signature are decoded one by one.
_BASE64_RUN = re.compile(rb"[A-Za-z0-9+/_-]{8,}")
_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_DEPTH = 2


def _decoded_runs(blob: bytes) -> list[bytes]:
    found = []
    for run in _BASE64_RUN.findall(blob):
        run = run.translate(_TO_URLSAFE)
        # The data may start anywhere in the run (glued to other text): try every alignment.
        for start in range(4):
            part = run[start:]
            if len(part) % 4 == 1:
                part = part[:-1]
            try:
                found.append(base64.urlsafe_b64decode(part + b"=" * (-len(part) % 4)))
            except (binascii.Error, ValueError):
                continue
    return found


def holds(blob: bytes | str, secret: str, depth: int = _DEPTH) -> bool:
    """True if `secret` can be read out of `blob` in plain text, hex or any base64 form."""
    data = blob.encode() if isinstance(blob, str) else blob
    needle = secret.encode()
    hexed = needle.hex().encode()
    if needle in data or hexed in data.lower():
        return True
    if depth == 0:
        return False
    return any(holds(decoded, secret, depth - 1) for decoded in _decoded_runs(data))
