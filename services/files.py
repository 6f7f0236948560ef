"""A file as someone sent it: the one shape every part's upload use-cases take and give back."""

from __future__ import annotations

import msgspec


class FileInput(msgspec.Struct, frozen=True):
    name: str  # as the sender's computer named it
    media_type: str
    content: bytes
