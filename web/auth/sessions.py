"""Server-side sessions in Redis: the cookie holds a random id, Redis holds the rest.

Redis keys carry a SHA-256 of the cookie's value, so a Redis dump cannot be replayed as cookies.
"""

from __future__ import annotations

import hashlib
import secrets
import time

import msgspec
from redis.asyncio import Redis

COOKIE = "samspel_session"
IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 3600
LOGIN_ATTEMPT_SECONDS = 10 * 60
_PREFIX = "samspel:session:"
_IDP_SID = "samspel:idp-sid:"
_ATTEMPT = "samspel:login:"


class SessionData(msgspec.Struct):
    created_at: float
    person_id: int | None = None
    # Between ID-porten's answer and the first-login form: the keyed hash, never the pid.
    pending_pid_hash: str | None = None
    pending_locale: str | None = None
    # Only what the product uses from the ID token: no pid, and not the token itself (it carries
    # the pid in its base64), so a Redis dump names nobody.
    idp_sid: str | None = None
    membership_id: int | None = None


class LoginAttempt(msgspec.Struct):
    nonce: str
    verifier: str
    next: str


def _key(token: str) -> str:
    return _PREFIX + hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def create(self, data: SessionData) -> str:
        """A brand-new id at every login: whatever id the browser had before is not reused."""
        token = secrets.token_urlsafe(32)
        await self.redis.set(_key(token), msgspec.json.encode(data), ex=IDLE_SECONDS)
        if data.idp_sid:
            index = _IDP_SID + data.idp_sid
            await self.redis.sadd(index, _key(token))
            await self.redis.expire(index, ABSOLUTE_SECONDS)
        return token

    async def load(self, token: str | None) -> SessionData | None:
        if not token:
            return None
        # One round trip on every request: read the session and start its idle time again.
        raw = await self.redis.getex(_key(token), ex=IDLE_SECONDS)
        if raw is None:
            return None
        data = msgspec.json.decode(raw, type=SessionData)
        if time.time() - data.created_at > ABSOLUTE_SECONDS:
            await self.delete(token)
            return None
        return data

    async def save(self, token: str, data: SessionData) -> None:
        await self.redis.set(_key(token), msgspec.json.encode(data), ex=IDLE_SECONDS)

    async def delete(self, token: str) -> None:
        await self.redis.delete(_key(token))

    async def delete_by_idp_sid(self, idp_sid: str) -> int:
        index = _IDP_SID + idp_sid
        keys = await self.redis.smembers(index)
        if keys:
            await self.redis.delete(*keys)
        await self.redis.delete(index)
        return len(keys)

    async def begin_login(self, state: str, attempt: LoginAttempt) -> None:
        await self.redis.set(
            _ATTEMPT + state, msgspec.json.encode(attempt), ex=LOGIN_ATTEMPT_SECONDS
        )

    async def take_login(self, state: str) -> LoginAttempt | None:
        """Each state is answered once: a replayed callback finds nothing."""
        raw = await self.redis.getdel(_ATTEMPT + state)
        return None if raw is None else msgspec.json.decode(raw, type=LoginAttempt)
