"""Data questions of module 4 (see ``__init__.py`` for the fields)."""

from __future__ import annotations

from . import Table, Task  # noqa: F401

TASKS: dict[str, tuple[Task, ...]] = {}
