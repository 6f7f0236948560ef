"""A person is found by a keyed hash of their national identity number, never by the number."""

import hashlib
import hmac
import re

_PID = re.compile(r"[0-9]{11}")


def is_valid_pid(pid: str) -> bool:
    return isinstance(pid, str) and _PID.fullmatch(pid) is not None


def pid_hash(key: bytes, pid: str) -> bytes:
    if not is_valid_pid(pid):
        raise ValueError("a pid is eleven digits")
    return hmac.new(key, pid.encode("ascii"), hashlib.sha256).digest()
