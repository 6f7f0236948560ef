"""Server-side sessions in Redis: the cookie holds a random id, Redis holds the rest.

Redis keys carry a SHA-256 of the cookie's value, so a Redis dump cannot be replayed as cookies.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from redis.asyncio import Redis

from services.access.service import MembershipView, PersonView

COOKIE = "samspel_session"
IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 3600
LOGIN_ATTEMPT_SECONDS = 10 * 60
_PREFIX = "samspel:session:"
_IDP_SID = "samspel:idp-sid:"
_ATTEMPT = "samspel:login:"
# Beside each session: its person and memberships as last read from the database, so a request
# reads the session and who it is in one Redis round trip. The copy carries the access
# generation it was read at; any change of memberships made through the web moves the
# generation (every copy is read again once), and a copy is kept a minute at most, for changes
# made elsewhere (the command line, a rename).
_PRINCIPAL = "samspel:principal:"
_GENERATION = "samspel:access-generation"
PRINCIPAL_SECONDS = 60
# load_with_principal's one command: the session (its idle time started again), its copy of
# who, the generation, and the one more key a route may ask for (KEYS[4], when given);
# nothing else when there is no session.
_LOAD = """
local session = redis.call('GETEX', KEYS[1], 'EX', ARGV[1])
if not session then return {false, false, false, false} end
local also = false
if KEYS[4] then also = redis.call('GET', KEYS[4]) end
return {session, redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3]), also}
"""


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
    # The ID token for logout's id_token_hint, sealed under a key only the browser's cookie
    # gives (Redis keeps the cookie's hash, never the cookie): a dump of Redis opens nothing.
    sealed_hint: str | None = None
    # Read from the pid at login (never the pid itself): whether the person may sign for a
    # business is matched by name and birth date in Enhetsregisteret.
    birth_date: str | None = None


class CachedPrincipal(msgspec.Struct):
    generation: int
    person: PersonView
    memberships: list[MembershipView]


class LoginAttempt(msgspec.Struct):
    nonce: str
    verifier: str
    next: str


def _key(token: str) -> str:
    return _PREFIX + hashlib.sha256(token.encode()).hexdigest()


def _hint_key(token: str) -> bytes:
    return hashlib.sha256(b"samspel:id-token-hint:" + token.encode()).digest()


def seal_hint(id_token: str, token: str) -> str:
    nonce = secrets.token_bytes(12)
    sealed = nonce + AESGCM(_hint_key(token)).encrypt(nonce, id_token.encode(), None)
    return base64.urlsafe_b64encode(sealed).decode()


def unseal_hint(sealed: str | None, token: str | None) -> str | None:
    """The ID token again, for the one request that carries the cookie; None if it won't open."""
    if not sealed or not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(sealed)
        return AESGCM(_hint_key(token)).decrypt(raw[:12], raw[12:], None).decode()
    except (InvalidTag, ValueError):
        return None


class SessionStore:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        # redis-py's script object: sent by its SHA, and whole again to a Redis that forgot it.
        self._load = redis.register_script(_LOAD)

    async def create(self, data: SessionData, *, id_token: str | None = None) -> str:
        """A brand-new id at every login: whatever id the browser had before is not reused."""
        token = secrets.token_urlsafe(32)
        if id_token:
            data.sealed_hint = seal_hint(id_token, token)
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

    async def load_with_principal(
        self, token: str | None, also: str | None = None
    ) -> tuple[SessionData | None, CachedPrincipal | None, int, bytes | None]:
        """The session, the copy of its person and memberships, the access generation now, and
        the value of the key `also` (None without a session): one round trip, which also starts
        the session's idle time again (one command, a script: a pipeline of three costs
        redis-py half as much again as one command)."""
        if not token:
            return None, None, 0, None
        key = _key(token)
        keys = [key, _PRINCIPAL + key, _GENERATION]
        if also:
            keys.append(also)
        raw, cached, generation, value = await self._load(keys=keys, args=[IDLE_SECONDS])
        if raw is None:
            return None, None, 0, None
        data = msgspec.json.decode(raw, type=SessionData)
        if time.time() - data.created_at > ABSOLUTE_SECONDS:
            await self.delete(token)
            return None, None, 0, None
        copy = msgspec.json.decode(cached, type=CachedPrincipal) if cached else None
        return data, copy, int(generation or 0), value

    async def keep_principal(self, token: str, copy: CachedPrincipal) -> None:
        await self.redis.set(
            _PRINCIPAL + _key(token), msgspec.json.encode(copy), ex=PRINCIPAL_SECONDS
        )

    async def access_changed(self) -> None:
        """Memberships changed: every session reads its person's again on its next request."""
        await self.redis.incr(_GENERATION)

    async def save(self, token: str, data: SessionData) -> None:
        await self.redis.set(_key(token), msgspec.json.encode(data), ex=IDLE_SECONDS)

    async def delete(self, token: str) -> None:
        await self.redis.delete(_key(token), _PRINCIPAL + _key(token))

    async def delete_by_idp_sid(self, idp_sid: str) -> int:
        index = _IDP_SID + idp_sid
        keys = await self.redis.smembers(index)
        if keys:
            copies = [_PRINCIPAL + (k.decode() if isinstance(k, bytes) else k) for k in keys]
            await self.redis.delete(*keys, *copies)
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
