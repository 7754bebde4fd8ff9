"""Which app pages are really connected, and which kernels lost their page.

A page talks to its kernel over one websocket. A tab that dies without its unload step (a
crash, a closed laptop lid, dropped Wi-Fi) never asks for its kernel to stop, and the kernel
would wait for the idle cull. The room counts the websockets of every kernel; a kernel that
has had no websocket and no activity for ``grace`` seconds is stopped. Nothing of the
participant's work is in the kernel (every answer is in the workbook at once), so a reload
after that only starts a fresh kernel on the same work.

A kernel whose page is still being sent is never lost: its grace starts when the last byte
of the page has gone, since a slow machine may take longer than the grace to run the page's
cells, and the browser needs a moment more to load the page's scripts and connect.

>>> pages = PageTracker(grace=30)
>>> pages.opened("k1"); pages.connected()
1
>>> pages.closed("k1", now=100.0); pages.connected()
0
>>> pages.to_stop({"k1": 90.0}, now=125.0), pages.to_stop({"k1": 90.0}, now=131.0)
([], ['k1'])
>>> pages.serving("k2"); pages.to_stop({"k2": 0.0}, now=500.0)
[]
>>> pages.served("k2", now=500.0); pages.to_stop({"k2": 0.0}, now=529.0)
[]
>>> pages.to_stop({"k2": 0.0}, now=530.0)
['k2']
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
        self._serving: dict[str, int] = {}

    def opened(self, kernel_id: str) -> None:
        self._sockets[kernel_id] = self._sockets.get(kernel_id, 0) + 1
        self._quiet_since.pop(kernel_id, None)

    def closed(self, kernel_id: str, now: float) -> None:
        if _one_less(self._sockets, kernel_id):
            self._quiet_since[kernel_id] = now

    def serving(self, kernel_id: str) -> None:
        """A page with this kernel is being sent: the kernel is not lost meanwhile."""
        self._serving[kernel_id] = self._serving.get(kernel_id, 0) + 1

    def served(self, kernel_id: str, now: float) -> None:
        """The page has gone out (or its request ended): the grace starts now."""
        if _one_less(self._serving, kernel_id) and not self.is_connected(kernel_id):
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
            if self.is_connected(kernel_id) or kernel_id in self._serving:
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
        for known in (self._sockets, self._serving):
            for kernel_id in list(known):
                if kernel_id not in kernel_ids:
                    del known[kernel_id]


def _one_less(counts: dict[str, int], kernel_id: str) -> bool:
    """Count one socket or page of ``kernel_id`` gone; whether it was the last one."""
    left = counts.get(kernel_id, 0) - 1
    if left > 0:
        counts[kernel_id] = left
        return False
    counts.pop(kernel_id, None)
    return True
