"""What every grading step shares: the project and its course, nbgrader's configuration, the
gradebook (the one ``nbgrader_config.py`` names, SQLite by default), ``dist/``, safe zips."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..course import Module, module

SKIP_NAMES = {".ipynb_checkpoints", "__pycache__", "__MACOSX", ".DS_Store", "Thumbs.db"}


class GradeError(Exception):
    """An expected problem, explained for the instructor; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- the project
def project_root(root: Path | str | None = None) -> Path:
    """The project folder (default: the current folder); it must hold the nbgrader course."""
    path = Path(root) if root is not None else Path.cwd()
    if not (path / "nbgrader_config.py").is_file() or not (path / "course").is_dir():
        raise GradeError(
            f"{path} is not the project root: run this from the folder that holds "
            "nbgrader_config.py and course/.", code=2)
    scripts_on_path()
    return path.resolve()


def scripts_on_path() -> None:
    """nbgrader runs ``alembic`` by name when it makes a new gradebook: the environment's
    scripts must be on PATH, also when ``digit4sd`` is started as ``.venv/bin/digit4sd``."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *[p for p in parts if p]])


def assignment_module(name: str) -> Module:
    try:
        return module(name)
    except KeyError as exc:
        raise GradeError(exc.args[0], code=2) from None


_CONFIGS: dict[str, tuple[tuple[int, int], Any]] = {}


def project_config(root: Path) -> Any:
    """The project's ``nbgrader_config.py`` as traitlets loads it (an empty configuration if
    there is none). Read again only when the file changes; callers must not modify it."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(root) / "nbgrader_config.py"
    try:
        stat = path.stat()
    except OSError:
        return Config()
    key, stamp = str(path.resolve()), (stat.st_mtime_ns, stat.st_size)
    cached = _CONFIGS.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    _CONFIGS[key] = (stamp, config)
    return config


def course_id(root: Path) -> str:
    """The course id set in ``nbgrader_config.py`` (nbgrader's default if none)."""
    return project_config(root).CourseDirectory.get("course_id", "default_course")


def db_url(root: Path) -> str:
    """The gradebook's address: ``CourseDirectory.db_url`` of ``nbgrader_config.py`` when it
    is set (a relative SQLite path counts from the project root, where nbgrader runs), else
    SQLite in ``course/gradebook.db``."""
    root = Path(root)
    configured = project_config(root).CourseDirectory.get("db_url")
    if not configured:
        return f"sqlite:///{root / 'course' / 'gradebook.db'}"
    url = str(configured)
    path = sqlite_path(url)
    if path is not None and not path.is_absolute():
        from sqlalchemy.engine import make_url

        url = make_url(url).set(database=str(root / path)).render_as_string(
            hide_password=False)
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite gradebook address; ``None`` for any other database (or an SQLite
    database in memory)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    return Path(database) if database and database != ":memory:" else None


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def gradebook_label(root: Path, url: str | None = None) -> str:
    """Where the gradebook is, for messages: a path (relative to the project when inside it)
    or ``host:port/database``; never a password."""
    from sqlalchemy.engine import make_url

    url = url or db_url(root)
    path = sqlite_path(url)
    if path is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return str(path)
    if is_sqlite(url):
        return url
    parsed = make_url(url)
    host = parsed.host or "localhost"
    return f"{host}:{parsed.port}/{parsed.database}" if parsed.port else \
        f"{host}/{parsed.database}"


def gradebook_exists(root: Path) -> bool:
    """Whether the gradebook has been made (nbgrader's tables are there); looks without
    creating anything."""
    url = db_url(root)
    if is_sqlite(url):
        path = sqlite_path(url)
        return path is None or path.is_file()
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        with db_errors(root, url), engine.connect() as connection:
            return inspect(connection).has_table("assignment")
    finally:
        engine.dispose()


@contextlib.contextmanager
def db_errors(root: Path, url: str | None = None) -> Iterator[None]:
    """A gradebook that cannot be reached (server down, wrong password, no such database)
    becomes a :class:`GradeError` that says where it was looked for."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        where = gradebook_label(root, url)
        if project_config(root).CourseDirectory.get("db_url"):
            where += " (CourseDirectory.db_url in nbgrader_config.py)"
        raise GradeError(f"cannot use the gradebook at {where}: "
                         f"{reason[0] if reason else type(exc).__name__}") from None


@contextlib.contextmanager
def open_gradebook(root: Path) -> Iterator[Any]:
    """nbgrader's :class:`~nbgrader.api.Gradebook` on the project's gradebook; one that cannot
    be opened is a :class:`GradeError`."""
    from nbgrader.api import Gradebook

    url = db_url(root)
    with db_errors(root, url):
        gb = Gradebook(url, course_id(root))
    with gb:
        yield gb


def dist_dir(root: Path) -> Path:
    return root / "dist"


def visible(path: Path) -> bool:
    """Not a hidden file, not a checkpoint or cache folder."""
    return not path.name.startswith(".") and path.name not in SKIP_NAMES


def learner_folders(course: Path, stage: str, assignment: str) -> list[str]:
    """Learner ids with a ``course/<stage>/<id>/<assignment>/`` folder, sorted."""
    base = course / stage
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir()
                  if visible(p) and (p / assignment).is_dir())


# --------------------------------------------------------------------------- safe writes
def zip_bytes(files: Iterable[tuple[str, Path]]) -> bytes:
    """A zip of (name inside the zip, file) pairs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, path in files:
            zf.write(path, arcname)
    return buffer.getvalue()
