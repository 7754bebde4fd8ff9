"""Atomic file writes, for every file the project writes for a learner, an instructor or a host.

A reader (a server, a second notebook, a crash and a restart) sees the old file or the new one,
never half of one: the data goes to a temporary file in the same folder, is flushed to disk,
then renamed over the target.

A temporary file is private (mode 600). That is right for a learner's workbook or a grades
file; files that other accounts or people read (the dataset, packs, a shared server's
configuration) ask for :func:`shared_mode` or an explicit mode.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "sub" / "note.txt"
>>> write_atomic(target, "first")
>>> write_atomic(target, b"second", mode=0o644)
>>> target.read_text(), oct(target.stat().st_mode & 0o777)
('second', '0o644')
"""

from __future__ import annotations

import contextlib
import os
import pwd
import tempfile
from pathlib import Path


def shared_mode() -> int:
    """The mode a plain new file gets here (0o666 less the umask): for files others read."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: str | os.PathLike, data: str | bytes, *, mode: int | None = None,
                 owner: str | None = None) -> None:
    """Write ``data`` (text is UTF-8) to ``path`` atomically, making its folder if needed.

    ``mode``: the file's permissions (default: private, 600); ``owner``: an account to hand
    the file to (root only)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if owner:
            entry = pwd.getpwnam(owner)
            os.chown(tmp, entry.pw_uid, entry.pw_gid)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def swap_folder(staged: str | os.PathLike, final: str | os.PathLike, remove=None) -> None:
    """Put the finished folder ``staged`` in place of ``final`` with two renames: the old
    folder is moved aside as ``.<name>.old-<pid>-<n>`` first and removed after, so a reader
    finds the old folder or the new one, never a mix. ``remove`` deletes the old copy
    (default: :func:`shutil.rmtree`, errors ignored).

    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> (base / "new").mkdir(); (base / "site").mkdir(); _ = (base / "new" / "a").write_text("1")
    >>> swap_folder(base / "new", base / "site")
    >>> sorted(p.name for p in base.iterdir()), (base / "site" / "a").read_text()
    (['site'], '1')
    """
    import shutil
    import time

    staged, final = Path(staged), Path(final)
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        os.replace(final, old)
    os.replace(staged, final)
    if old is not None:
        (remove or (lambda p: shutil.rmtree(p, ignore_errors=True)))(old)


#: first characters that make a spreadsheet read a cell as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|")


def spreadsheet_safe(value: object) -> str:
    """A cell for a CSV file that people open in a spreadsheet: text that a spreadsheet
    would run as a formula (``=HYPERLINK(...)``, ``+cmd|...``, ``@SUM(...)``) gets a
    leading apostrophe, so it shows as the text that was typed."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
