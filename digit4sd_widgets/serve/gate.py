"""The room's gate: its access code, how many wrong tries a client may make, and whose page
each kernel serves.

A room's network is shared with everyone in it, so the server treats each request as
possibly hostile:

- **The access code** has at least :data:`MIN_CODE` letters or digits. ``--access-code auto``
  has the server make one (from letters and digits that cannot be confused when read aloud or
  from a projector: no 0/O, 1/l/I).
- **Wrong codes** lock the client out: after :data:`TRIES` wrong codes within
  :data:`WINDOW` seconds, a client (one network address) must wait :data:`LOCK` seconds, then
  twice as long after each further lock, up to :data:`MAX_LOCK`. With six characters
  (30^6, about 730 million codes) and five tries a minute, a guess takes centuries.
- **Each kernel belongs to the participant whose page started it** (:class:`Owners`): only
  that participant's cookie may open its widget channel, read its state or stop it.
- **The host's changes come at a human pace** (:class:`RateLimit`): forming groups or starting
  a countdown many times a second is a script, refused; so are many wrong host keys.

>>> check_access_code(" ab3-k9x7 ")
'AB3K9X7'
>>> len(new_access_code())
6
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, field

from ..i18n import _

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
MIN_CODE = 6
MAX_CODE = 32
TRIES = 5
WINDOW = 600.0
LOCK = 60.0
MAX_LOCK = 900.0

__all__ = ["JoinLimiter", "Owners", "RateLimit", "check_access_code", "new_access_code"]


def new_access_code(length: int = MIN_CODE) -> str:
    """A fresh access code the host reads out or projects."""
    return "".join(secrets.choice(ALPHABET) for _ in range(max(length, MIN_CODE)))


def check_access_code(text: str) -> str:
    """The host's access code in its compared form (upper case, without spaces or dashes), or
    ValueError with a message for the host."""
    code = re.sub(r"[\s-]", "", text or "").upper()
    if not MIN_CODE <= len(code) <= MAX_CODE:
        raise ValueError(_("the access code needs {least} to {most} letters or digits (shorter "
                           "codes are guessed in seconds); use --access-code auto for one made "
                           "for you").format(least=MIN_CODE, most=MAX_CODE))
    if not code.isascii() or not code.isalnum():
        raise ValueError(_("the access code may only use letters and digits (A-Z, 0-9)"))
    return code


def same_access_code(typed: str, expected: str) -> bool:
    """Whether a participant typed the room's code (any case, spaces and dashes ignored);
    never an error, whatever was typed."""
    given = re.sub(r"[\s-]", "", typed or "").upper().encode("utf-8", "replace")
    return secrets.compare_digest(given, expected.encode("utf-8"))


@dataclass
class _Client:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0
    locks: int = 0


class JoinLimiter:
    """Wrong access codes per client, and the lockouts they earn."""

    def __init__(self, tries: int = TRIES, window: float = WINDOW, lock: float = LOCK,
                 max_lock: float = MAX_LOCK) -> None:
        self.tries, self.window, self.lock, self.max_lock = tries, window, lock, max_lock
        self._clients: dict[str, _Client] = {}

    def wait(self, client: str, now: float | None = None) -> float:
        """Seconds this client must still wait before trying again (0: may try)."""
        now = time.monotonic() if now is None else now
        entry = self._clients.get(client)
        return max(0.0, entry.locked_until - now) if entry else 0.0

    def failed(self, client: str, now: float | None = None) -> float:
        """Count a wrong code; return the seconds of the lockout it started (0: none)."""
        now = time.monotonic() if now is None else now
        entry = self._clients.setdefault(client, _Client())
        entry.failures = [t for t in entry.failures if now - t < self.window] + [now]
        if len(entry.failures) < self.tries:
            return 0.0
        seconds = min(self.lock * 2 ** entry.locks, self.max_lock)
        entry.locks += 1
        entry.failures = []
        entry.locked_until = now + seconds
        self._forget_old(now)
        return seconds

    def succeeded(self, client: str) -> None:
        entry = self._clients.get(client)
        if entry is not None:
            entry.failures = []

    def _forget_old(self, now: float) -> None:
        if len(self._clients) > 10_000:  # a flood of addresses: keep what still matters
            self._clients = {k: v for k, v in self._clients.items()
                             if v.locked_until > now or v.failures}


class Owners:
    """Which participant's page each kernel serves (kept after the kernel stops, so that its
    page can still learn that it stopped; the oldest are forgotten past :data:`KEEP`)."""

    KEEP = 20_000

    def __init__(self) -> None:
        self._owner: dict[str, str] = {}

    def give(self, kernel_id: str, code: str | None) -> None:
        if kernel_id and code:
            self._owner.pop(kernel_id, None)
            self._owner[kernel_id] = code
            while len(self._owner) > self.KEEP:
                del self._owner[next(iter(self._owner))]

    def owner(self, kernel_id: str) -> str | None:
        return self._owner.get(kernel_id)

    def owns(self, kernel_id: str, code: str | None) -> bool:
        return bool(code) and self._owner.get(kernel_id) == code


class RateLimit:
    """At most ``count`` requests per client in any ``seconds``.

    >>> limit = RateLimit(count=2, seconds=10)
    >>> [limit.allow("10.0.0.7", now=t) for t in (0, 1, 2, 11)]
    [True, True, False, True]
    """

    def __init__(self, count: int = 30, seconds: float = 60.0) -> None:
        self.count, self.seconds = count, seconds
        self._seen: dict[str, list[float]] = {}

    def allow(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        recent = [t for t in self._seen.get(client, ()) if now - t < self.seconds]
        if len(recent) >= self.count:
            self._seen[client] = recent
            return False
        self._seen[client] = [*recent, now]
        if len(self._seen) > 10_000:  # a flood of addresses: keep the busy ones
            self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] < self.seconds}
        return True
