"""A room that is ready before people arrive: ``digit4sd serve --expect N``.

A kernel that waits in Voila's pool for an app has already started and loaded the course;
a participant who takes it sees their live exercise in well under a second, where a cold start
costs 4 CPU-seconds and, with a room arriving at once, a minute of waiting. The host says how
many are coming and which app they open first; the room then

- checks that this computer can hold that many waiting kernels (:func:`capacity`, from the
  memory free now and what a waiting kernel takes) and says so in plain words when it cannot;
- starts them a few at a time (starting many at once overloads the laptop and, seen on
  60-80 at once, leaves some that never start);
- moves the ready kernels along with the room: each kernel taken for an app is replaced by
  one for the app that comes next in the course, so a participant's next app is ready when
  they get there, and the number waiting stays what the host asked for;
- holds refills back while people are arriving (they would compete for the processor with
  the pages being served) and catches up when the room is quiet.

:class:`WarmPlan` is the bookkeeping, plain and testable; :class:`Warmer` drives Voila's
kernel manager with it.

>>> plan = WarmPlan(["1.1", "1.2", "1.3"], expect=4, first="1.1", base=0)
>>> plan.targets["1.1"], plan.targets["1.2"]
(4, 0)
>>> plan.taken("1.1")
'1.2'
>>> plan.targets["1.1"], plan.targets["1.2"]
(3, 1)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..i18n import _

log = logging.getLogger("digit4sd_widgets")

#: what one waiting app kernel takes (PSS, measured with benchmarks/bench_serve.py: 96-98 MiB),
#: with room for the page it will serve
KERNEL_MIB = 110
#: memory kept free for the server, the browser of the host and the system
RESERVE_MIB = 1536
#: kernels started at the same time while warming (one per core of a workshop laptop)
PARALLEL = 2
#: seconds without a new arrival before refills start again
QUIET_SECONDS = 4.0
#: an app left with no kernel is refilled this long after a lone arrival: a kernel start
#: (about 0.7 CPU-seconds) in a page's first seconds slows its cells and its browser by
#: half (measured with benchmarks/bench_serve.py); in a wave of arrivals, at once
SETTLE_SECONDS = 2.5

__all__ = ["KERNEL_MIB", "WarmPlan", "Warmer", "capacity", "free_mib"]


def free_mib(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """Memory this computer can give now (MiB), or ``None`` where it cannot be read."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def capacity(free: int | None, *, per_kernel: int = KERNEL_MIB,
             reserve: int = RESERVE_MIB) -> int | None:
    """How many more kernels fit in ``free`` MiB (``None``: unknown, no limit applied).

    >>> capacity(24 * 1024 - 2000), capacity(8 * 1024 - 2000), capacity(1000)
    (191, 42, 0)
    """
    if free is None:
        return None
    return max(0, (free - reserve) // per_kernel)


class WarmPlan:
    """How many kernels should wait for each app (``targets``, by submodule id).

    ``base`` kernels wait for every app (``--pool``); the ``expect`` kernels the host asked for
    wait first for ``first`` and move on to the next app in ``order`` as they are taken. The
    plan never asks for more than ``limit`` waiting kernels in all.
    """

    def __init__(self, order: Sequence[str], *, expect: int = 0, first: str | None = None,
                 base: int = 1, limit: int | None = None):
        self.order = list(order)
        if first is not None and first not in self.order:
            raise ValueError(_("There is no submodule {id}: choose one of {ids}.").format(
                id=first, ids=", ".join(self.order)))
        self.base = max(0, base)
        self.limit = limit
        self.targets = dict.fromkeys(self.order, self.base)
        self.expect = 0
        self.first: str | None = None
        if expect > 0:
            self.warm_for(first or self.order[0], expect)

    def total(self) -> int:
        return sum(self.targets.values())

    def warm_for(self, first: str, expect: int) -> int:
        """Put the expected kernels on ``first`` (the host's next app); return how many fit."""
        if first not in self.targets:
            raise ValueError(_("There is no submodule {id}.").format(id=first))
        self.targets = dict.fromkeys(self.order, self.base)
        room = expect
        if self.limit is not None:
            room = max(0, min(expect, self.limit - self.total()))
        self.targets[first] += room
        self.expect, self.first = room, first
        return room

    def next_app(self, sub_id: str) -> str | None:
        i = self.order.index(sub_id)
        return self.order[i + 1] if i + 1 < len(self.order) else None

    def taken(self, sub_id: str) -> str | None:
        """A participant took a kernel of ``sub_id``: the kernel that replaces it waits for
        the next app (or again for this one at the base level). Returns the app refilled."""
        if sub_id not in self.targets:
            return None
        if self.targets[sub_id] > self.base:
            self.targets[sub_id] -= 1
            after = self.next_app(sub_id)
            if after is None:  # the end of the course: nobody opens anything after it
                return None
            self.targets[after] += 1
            return after
        return sub_id


class Warmer:
    """Keeps Voila's per-app pools at the plan's targets, a few kernel starts at a time."""

    def __init__(self, km, plan: WarmPlan, paths: dict[str, str], *,
                 parallel: int = PARALLEL, quiet: float = QUIET_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.km = km
        self.plan = plan
        self.paths = paths  # submodule id -> app path (the pool's name)
        self.ids = {p: s for s, p in paths.items()}
        self.parallel = max(1, parallel)
        self.quiet = quiet
        self.clock = clock
        self.last_arrival = self.previous_arrival = -1e9
        self.started = 0
        self.failed = 0
        #: set when a refill was held back because the computer had no memory left for it
        self.short_of_memory = False
        #: for the host: why fewer kernels are kept ready than asked for (plain words)
        self.message: str | None = None
        #: what that message says, to say it again in the host's language: (free MiB,
        #: kernels that fit, kernels asked for), or None
        self.memory: tuple[int, int, int] | None = None
        self.free: Callable[[], int | None] = free_mib
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    # -- what the server tells it
    def arrival(self, path: str) -> None:
        """A page is about to take a waiting kernel of app ``path``."""
        self.previous_arrival, self.last_arrival = self.last_arrival, self.clock()
        sub_id = self.ids.get(path)
        if sub_id is not None:
            self.plan.taken(sub_id)
        # Voila refills a pool to its configured size at once: the size is set to what will
        # be left, so that refills come from here, when the room is quiet
        pool = self.km._pools.get(path, ())
        self._hold(path, max(0, len(pool) - 1))
        self._wake.set()

    def warm_for(self, sub_id: str, expect: int | None = None) -> int:
        """The host's next app: the expected kernels wait for it from now on."""
        fitted = self.plan.warm_for(sub_id, self.plan.expect if expect is None else expect)
        self._wake.set()
        return fitted

    # -- the state, for the start page and the host page
    def waiting(self) -> dict[str, int]:
        """Ready kernels per app (a start in progress does not count)."""
        out = {}
        for sub_id, path in self.paths.items():
            out[sub_id] = sum(1 for task in self.km._pools.get(path, ())
                              if task.done() and not task.cancelled()
                              and task.exception() is None)
        return out

    def ready(self) -> tuple[int, int]:
        """(kernels ready, kernels asked for) in all."""
        return sum(self.waiting().values()), self.plan.total()

    # -- the work
    def _hold(self, path: str, size: int) -> None:
        config = self.km.kernel_pools_config
        config[path] = {**config.get(path, config.get("default", {})), "pool_size": size}

    def _missing(self) -> tuple[list[str], list[str]]:
        """Apps below their target: (those with no kernel at all, the others), each with
        the largest gap first."""
        empty, short = [], []
        for sub_id, path in self.paths.items():
            have = len(self.km._pools.get(path, ()))
            gap = self.plan.targets[sub_id] - have
            if gap > 0:
                (empty if have == 0 else short).append((gap, sub_id))
        return ([s for _, s in sorted(empty, reverse=True)],
                [s for _, s in sorted(short, reverse=True)])

    async def _start_one(self, sub_id: str) -> None:
        path = self.paths[sub_id]
        pool = self.km._pools.setdefault(path, [])
        # ask Voila for exactly one more kernel for this app
        self._hold(path, len(pool) + 1)
        self.km.fill_if_needed(delay=0, notebook_name=path)
        task = pool[-1] if pool else None
        if task is None:
            return
        try:
            await asyncio.shield(task)
            self.started += 1
        except Exception as exc:  # a kernel that did not start: it leaves the pool
            self.failed += 1
            log.warning("a waiting kernel for %s did not start: %s", sub_id, exc)
            with contextlib.suppress(ValueError):
                pool.remove(task)

    async def step(self) -> int:
        """Start the kernels due now (at most ``parallel``); return how many were started.
        An app with no kernel left is refilled once the page just opened has its start (at
        once in a wave of arrivals); the others wait for a quiet room."""
        empty, short = self._missing()
        since = self.clock() - self.last_arrival
        wave = self.last_arrival - self.previous_arrival < SETTLE_SECONDS
        due = ((empty if wave or since >= SETTLE_SECONDS else [])
               + (short if since >= self.quiet else []))
        due = due[:self.parallel]
        if due and capacity(self.free()) == 0:  # this computer is full: no more waiting
            self.short_of_memory = True
            return 0
        if due:
            await asyncio.gather(*(self._start_one(s) for s in due))
        return len(due)

    async def run(self) -> None:
        for path in self.paths.values():  # from now on refills come from here
            self._hold(path, len(self.km._pools.get(path, ())))
        while True:
            try:
                started = await self.step()
            except Exception:  # never let the warmer die: the room would stop refilling
                log.exception("warming kernels failed")
                started = 0
            if not started:
                self._wake.clear()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), 1.0)

    def start(self) -> asyncio.Task:
        if self._task is None:
            self._task = asyncio.ensure_future(self.run())
        return self._task
