"""Server-side sessions: the person's tokens stay here; the browser holds only a random session id.

Kept in the console process's memory: a restarted console signs everyone out, which loses nothing (every draft is
saved through the API). The store is bounded (least recently used first out) and a session ends after
`session_idle_seconds` without a request.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field


@dataclass
class Person:
    """Who signed in, as the gateway's token says (for display only: the API decides what they may do)."""

    username: str
    display_name: str
    region_code: str
    roles: tuple[str, ...]


@dataclass
class Session:
    id: str
    person: Person
    access_token: str
    refresh_token: str | None
    access_expires_at: float
    # An administrator reset the password: until the person chooses their own, the token serves only that.
    must_change_password: bool = False
    # Region names under the person's county (or their own wider jurisdiction), for every page; refreshed now and
    # then (regions_loaded_at) so a newly named village shows within minutes.
    region_names: dict[str, str] = field(default_factory=dict)
    regions_loaded_at: float | None = None
    csrf_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    last_seen: float = field(default_factory=time.monotonic)

    def csrf_matches(self, presented: str | None) -> bool:
        return presented is not None and hmac.compare_digest(presented.encode(), self.csrf_token.encode())


class SessionStore:
    def __init__(self, *, idle_seconds: int, limit: int) -> None:
        self.idle_seconds = idle_seconds
        self.limit = limit
        self._sessions: OrderedDict[str, Session] = OrderedDict()

    def open(
        self,
        person: Person,
        access_token: str,
        refresh_token: str | None,
        expires_in: int,
        *,
        must_change_password: bool = False,
    ) -> Session:
        session = Session(
            id=secrets.token_urlsafe(32),
            person=person,
            access_token=access_token,
            refresh_token=refresh_token,
            access_expires_at=time.monotonic() + expires_in,
            must_change_password=must_change_password,
        )
        self._sessions[session.id] = session
        while len(self._sessions) > self.limit:
            self._sessions.popitem(last=False)
        return session

    def get(self, session_id: str | None) -> Session | None:
        if not session_id or len(session_id) > 64:
            return None
        session = self._sessions.get(session_id)
        if session is None:
            return None
        now = time.monotonic()
        if now - session.last_seen > self.idle_seconds:
            del self._sessions[session_id]
            return None
        session.last_seen = now
        self._sessions.move_to_end(session_id)
        return session

    def renew(self, session: Session, access_token: str, refresh_token: str | None, expires_in: int) -> None:
        """New tokens for the same person (after a password change every earlier token of the account ends)."""
        session.access_token = access_token
        session.refresh_token = refresh_token or session.refresh_token
        session.access_expires_at = time.monotonic() + expires_in
        session.must_change_password = False

    def close(self, session_id: str) -> Session | None:
        return self._sessions.pop(session_id, None)

    def __len__(self) -> int:
        return len(self._sessions)
