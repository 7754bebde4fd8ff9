"""Which app pages are really connected, and which kernels lost their page.

A page talks to its kernel over one websocket. A tab that dies without its unload step (a
crash, a closed laptop lid, dropped Wi-Fi) never asks for its kernel to stop, and the kernel
would wait for the idle cull. The room counts the websockets of every kernel; a kernel that
has had no websocket and no activity for ``grace`` seconds is stopped. Nothing of the
participant's work is in the kernel (every answer is in the workbook at once), so a reload
after that only starts a fresh kernel on the same work.

>>> pages = PageTracker(grace=30)
>>> pages.opened("k1"); pages.connected()
1
>>> pages.closed("k1", now=100.0); pages.connected()
0
>>> pages.to_stop({"k1": 90.0}, now=125.0), pages.to_stop({"k1": 90.0}, now=131.0)
([], ['k1'])
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["PageTracker"]


class PageTracker:
    """Open websockets per kernel, and since when each kernel has had none."""

    def __init__(self, grace: float = 60.0):
        self.grace = float(grace)
        self._sockets: dict[str, int] = {}
        self._quiet_since: dict[str, float] = {}

    def opened(self, kernel_id: str) -> None:
        self._sockets[kernel_id] = self._sockets.get(kernel_id, 0) + 1
        self._quiet_since.pop(kernel_id, None)

    def closed(self, kernel_id: str, now: float) -> None:
        left = self._sockets.get(kernel_id, 0) - 1
        if left > 0:
            self._sockets[kernel_id] = left
            return
        self._sockets.pop(kernel_id, None)
        self._quiet_since[kernel_id] = now

    def waiting(self, kernel_id: str, now: float) -> None:
        """A kernel waits in the pool: its grace starts when a page takes it."""
        if not self.is_connected(kernel_id):
            self._quiet_since[kernel_id] = now

    def is_connected(self, kernel_id: str) -> bool:
        return self._sockets.get(kernel_id, 0) > 0

    def connected(self) -> int:
        """How many kernels have a page connected right now."""
        return sum(1 for n in self._sockets.values() if n > 0)

    def to_stop(self, kernels: Mapping[str, float | None], now: float) -> list[str]:
        """The kernels (id -> time of their last activity) to stop: no page connected, and
        nothing happened for ``grace`` seconds since the later of the last websocket, the
        last activity and the first time the room saw the kernel."""
        stop = []
        for kernel_id, activity in kernels.items():
            if self.is_connected(kernel_id):
                continue
            quiet = self._quiet_since.setdefault(kernel_id, now)
            if activity is not None:
                quiet = max(quiet, activity)
            if now - quiet >= self.grace:
                stop.append(kernel_id)
        return stop

    def forget(self, kernel_ids: set[str]) -> None:
        """Drop what is known of kernels that no longer exist."""
        for kernel_id in list(self._quiet_since):
            if kernel_id not in kernel_ids:
                del self._quiet_since[kernel_id]
        for kernel_id in list(self._sockets):
            if kernel_id not in kernel_ids:
                del self._sockets[kernel_id]
