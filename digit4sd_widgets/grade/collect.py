"""``digit4sd grade collect ASSIGNMENT PATH``: submissions that arrive as files (a USB stick,
mail) into nbgrader's ``course/submitted/<learner>/<assignment>/``.

PATH holds one zip file or one folder per learner, named by the learner id (``amina.zip``,
``amina/``); a zip may hold the notebooks at its top or inside one folder. Each learner is
checked on its own and either taken whole or refused whole with the reason, and the others go
on:

- the learner id must be a plain name (letters, digits, ``.``, ``_``, ``-``, ``@``);
- nothing may point outside the learner's folder (``..``, absolute paths, links);
- every notebook must be a readable notebook of this assignment: its name is one of the
  assignment's notebooks and its graded cells are that notebook's (checked against the
  release);
- the learner's ``digit4sd_workbook.json`` travels with the notebooks (the widget exercises are
  graded on it) and must be readable;
- two entries for one learner are both refused;
- a learner already collected is refused unless ``--replace``, and then the earlier
  submission is moved to ``course/submitted/.replaced/`` first, never lost. The same files
  collected again are reported as unchanged.

The submission is written to a temporary folder and renamed into place, with ``timestamp.txt``
(the zip's, or the newest notebook's, modification time; never later than now).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import nbformat

from ..workbook import FILENAME, MAX_FILE_BYTES, parse_json
from .common import GradeError, assignment_module, project_root, visible

LEARNER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MAX_BYTES = 200 * 1024 * 1024  # one learner's files, unpacked
STAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"  # what nbgrader parses
IGNORED = {".ipynb_checkpoints", "__MACOSX", "__pycache__", ".DS_Store", "Thumbs.db",
           "desktop.ini", "timestamp.txt"}


class Refused(Exception):
    """This learner's entry is not taken; the message says why."""


@dataclass
class CollectReport:
    assignment: str
    collected: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (entry, reason)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.assignment}: collected {len(self.collected)}, unchanged "
               f"{len(self.unchanged)}, refused {len(self.refused)}"]
        out += [f"  collected  {name}" for name in self.collected]
        out += [f"  unchanged  {name} (the same files were collected before)"
                for name in self.unchanged]
        out += [f"  note       {note}" for note in self.notes]
        out += [f"  REFUSED    {entry}: {reason}" for entry, reason in self.refused]
        if self.refused:
            out.append("Refused entries were not taken: fix them (or ask the learner for a new "
                       "copy) and run collect again; the others are kept.")
        return out


# --------------------------------------------------------------------------- release facts
@dataclass
class Expected:
    """What the release of the assignment holds."""

    assignment: str
    grade_ids: dict[str, set[str]]  # notebook file name -> grade ids
    elsewhere: dict[str, str]  # grade id -> "3.2 (m3_...)" for every notebook of the course


def expected(course: Path, assignment: str) -> Expected:
    from ..course import SUBMODULES

    mod = assignment_module(assignment)
    mine: dict[str, set[str]] = {}
    elsewhere: dict[str, str] = {}
    for sub in SUBMODULES:
        path = course / "release" / sub.path
        if not path.is_file():
            if sub.module == mod.assignment:
                raise GradeError(f"the release of {mod.assignment} is missing ({path.name}): run "
                                 f"`digit4sd grade release {mod.assignment}` first")
            continue
        ids = {c.metadata["nbgrader"]["grade_id"]
               for c in nbformat.read(path, as_version=4).cells
               if c.metadata.get("nbgrader", {}).get("grade_id")}
        if sub.module == mod.assignment:
            mine[f"{sub.notebook}.ipynb"] = ids
        elsewhere.update(dict.fromkeys(ids, f"{sub.id} ({sub.module})"))
    return Expected(mod.assignment, mine, elsewhere)


# --------------------------------------------------------------------------- reading entries
def _safe_parts(name: str) -> tuple[str, ...]:
    """The parts of a member path, refusing anything that could leave the learner's folder."""
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\0" in name:
        raise Refused(f"the zip holds an unsafe path ({name!r}); nothing was unpacked")
    parts = tuple(p for p in PurePosixPath(name).parts if p not in ("", "."))
    if ".." in parts:
        raise Refused(f"the zip holds a path that leaves its folder ({name!r}); nothing was "
                      "unpacked")
    return parts


def _ignored(parts: tuple[str, ...]) -> bool:
    return any(p in IGNORED or p.startswith(".") for p in parts)


def read_zip(path: Path) -> dict[tuple[str, ...], bytes]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused(f"not a readable zip file ({exc})") from None
    files: dict[tuple[str, ...], bytes] = {}
    with zf:
        members = [m for m in zf.infolist() if not m.is_dir()]
        for member in members:
            parts = _safe_parts(member.filename)
            if stat.S_ISLNK(member.external_attr >> 16):
                raise Refused(f"the zip holds a link ({member.filename!r}); nothing was unpacked")
            if parts and not _ignored(parts):
                files[parts] = b""
        if sum(m.file_size for m in members) > MAX_BYTES:
            raise Refused(f"the zip unpacks to more than {MAX_BYTES // 2**20} MB")
        for member in members:
            parts = _safe_parts(member.filename)
            if parts in files:
                try:
                    files[parts] = zf.read(member)
                except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                    raise Refused(f"{member.filename} cannot be unpacked (a damaged zip: "
                                  f"{exc})") from None
    return files


def read_folder(path: Path) -> dict[tuple[str, ...], bytes]:
    files: dict[tuple[str, ...], bytes] = {}
    total = 0
    for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
        here = Path(dirpath)
        for name in list(dirnames):
            if (here / name).is_symlink():
                raise Refused(f"the folder holds a link ({name}); copy the files themselves")
        for name in filenames:
            full = here / name
            parts = full.relative_to(path).parts
            if _ignored(parts):
                continue
            if full.is_symlink() or not full.is_file():
                raise Refused(f"the folder holds a link or a special file "
                              f"({'/'.join(parts)}); copy the files themselves")
            total += full.stat().st_size
            if total > MAX_BYTES:
                raise Refused(f"the folder holds more than {MAX_BYTES // 2**20} MB")
            files[parts] = full.read_bytes()
        dirnames[:] = [d for d in dirnames if not _ignored((d,))]
    return files


def flatten(files: dict[tuple[str, ...], bytes]) -> dict[str, bytes]:
    """Files at the top, or all inside one folder, as {file name: bytes}."""
    if not files:
        raise Refused("it is empty")
    tops = {parts[0] for parts in files}
    if all(len(p) > 1 for p in files) and len(tops) == 1:
        files = {parts[1:]: data for parts, data in files.items()}
    nested = sorted("/".join(p) for p in files if len(p) > 1)
    if nested:
        raise Refused(f"put the notebooks at the top or inside one folder (found "
                      f"{', '.join(nested[:3])})")
    return {parts[0]: data for parts, data in files.items()}


# --------------------------------------------------------------------------- checking
def check(files: dict[str, bytes], want: Expected) -> tuple[dict[str, bytes], list[str]]:
    """The files to keep (notebooks and workbook) and notes; raise Refused on a bad file."""
    keep: dict[str, bytes] = {}
    notes: list[str] = []
    ignored = []
    for name in sorted(files):
        data = files[name]
        if name.endswith(".ipynb"):
            keep[name] = data
            _check_notebook(name, data, want)
        elif name == FILENAME:
            if len(data) > MAX_FILE_BYTES:
                raise Refused(f"{FILENAME} is too large to be a workbook (over "
                              f"{MAX_FILE_BYTES >> 20} MB): ask the learner for a new copy")
            try:
                doc = parse_json(data)
            except ValueError as exc:
                raise Refused(f"{FILENAME} is damaged ({exc}): ask the learner for a new "
                              "copy of the workbook file") from None
            if not isinstance(doc, dict) or doc.get("format") != "digit4sd-workbook":
                raise Refused(f"{FILENAME} is not a DIGIT4SD workbook")
            keep[name] = data
        else:
            ignored.append(name)
    if not any(n.endswith(".ipynb") for n in keep):
        raise Refused(f"no notebook of {want.assignment} in it "
                      f"(expected {', '.join(sorted(want.grade_ids))})")
    missing = sorted(set(want.grade_ids) - set(keep))
    if missing:
        notes.append(f"no {', '.join(missing)}: scored 0")
    if FILENAME not in keep:
        notes.append(f"no {FILENAME}: the widget exercises score 0")
    if ignored:
        notes.append(f"ignored {', '.join(ignored)}")
    return keep, notes


def _check_notebook(name: str, data: bytes, want: Expected) -> None:
    if name not in want.grade_ids:
        raise Refused(f"{name} is not a notebook of {want.assignment} (its notebooks: "
                      f"{', '.join(sorted(want.grade_ids))})")
    try:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # JSON, encoding or schema: all mean a damaged file
        reason = ("not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else
                  "not valid JSON" if "JSON" in str(exc)[:60] else "not in notebook format")
        raise Refused(f"{name} is not a readable notebook (damaged or cut short: {reason}); "
                      "ask the learner for a new copy") from None
    ids = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}
    others = sorted({want.elsewhere[i] for i in ids - want.grade_ids[name]
                     if i in want.elsewhere})
    if not ids & want.grade_ids[name]:
        where = f" (its cells are from {', '.join(others)})" if others else ""
        raise Refused(f"{name} is not the released notebook of {want.assignment}: none of its "
                      f"graded cells belong to it{where}")
    if others:
        raise Refused(f"{name} mixes in graded cells of another notebook ({', '.join(others)})")


def _sent_at(entry: Path) -> float:
    """When the learner saved the work: the zip's time, or the newest notebook's."""
    if entry.is_file():
        return entry.stat().st_mtime
    times = [p.stat().st_mtime for p in entry.rglob("*.ipynb") if p.is_file()]
    return max(times) if times else entry.stat().st_mtime


def _same(folder: Path, files: dict[str, bytes]) -> bool:
    present = {p.name for p in folder.iterdir() if p.is_file() and p.name != "timestamp.txt"}
    return present == set(files) and all((folder / n).read_bytes() == d
                                         for n, d in files.items())


# --------------------------------------------------------------------------- collect
def collect(assignment: str, path: Path | str, root: Path | None = None,
            replace: bool = False) -> CollectReport:
    """Take every learner's zip or folder in ``path`` into ``course/submitted/``."""
    root = project_root(root)
    course = root / "course"
    want = expected(course, assignment)
    name = want.assignment
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".zip":
        entries = [path]
    elif path.is_dir():
        entries = sorted(p for p in path.iterdir() if visible(p))
    else:
        raise GradeError(f"{path} is not a folder of submissions (nor a zip file)", code=2)
    report = CollectReport(name)

    by_id: dict[str, list[Path]] = {}
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            learner = entry.name
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            learner = entry.stem
        else:
            report.refused.append((entry.name, "not a zip file or a folder of notebooks"))
            continue
        by_id.setdefault(learner.casefold(), []).append(entry)

    for group in by_id.values():
        if len(group) > 1:
            names = ", ".join(e.name for e in group)
            for entry in group:
                report.refused.append((entry.name, f"two submissions for one learner ({names}): "
                                                   "keep one and collect again"))
            continue
        entry = group[0]
        learner = entry.stem if entry.is_file() else entry.name
        try:
            outcome, notes = _collect_one(entry, learner, course, want, replace)
        except Refused as exc:
            report.refused.append((entry.name, str(exc)))
            continue
        except (Exception, RecursionError) as exc:  # one learner's files never stop the class
            report.refused.append((entry.name, f"could not be read ({type(exc).__name__}): "
                                               "ask the learner for a new copy"))
            continue
        (report.collected if outcome == "collected" else report.unchanged).append(learner)
        report.notes += [f"{learner}: {note}" for note in notes]
    return report


def _collect_one(entry: Path, learner: str, course: Path, want: Expected, replace: bool
                 ) -> tuple[str, list[str]]:
    if not LEARNER_ID.match(learner) or ".." in learner:
        raise Refused(f"{learner!r} is not a usable learner id: use letters, digits, '.', '_', "
                      "'-' or '@' (rename the file or folder to the learner's id)")
    files = read_zip(entry) if entry.is_file() else read_folder(entry)
    keep, notes = check(flatten(files), want)
    final = course / "submitted" / learner / want.assignment
    moved_aside = None
    if final.exists():
        if _same(final, keep):
            return "unchanged", []
        if not replace:
            raise Refused(f"{learner} already has a submission of {want.assignment} in "
                          f"course/submitted/ with other files; to replace it, run collect "
                          "again with --replace (the earlier one is then kept aside)")
    when = min(datetime.fromtimestamp(_sent_at(entry), UTC), datetime.now(UTC))

    final.parent.mkdir(parents=True, exist_ok=True)
    incoming = final.parent / f".{want.assignment}.incoming-{uuid.uuid4().hex}"
    incoming.mkdir()
    try:
        for fname, data in keep.items():
            (incoming / fname).write_bytes(data)
        (incoming / "timestamp.txt").write_text(when.strftime(STAMP_FORMAT), encoding="utf-8")
        if final.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            moved_aside = course / "submitted" / ".replaced" / learner / \
                f"{want.assignment}.{stamp}"
            moved_aside.parent.mkdir(parents=True, exist_ok=True)
            os.replace(final, moved_aside)
        os.replace(incoming, final)
    except BaseException:
        if moved_aside and moved_aside.exists() and not final.exists():
            os.replace(moved_aside, final)  # put the earlier submission back
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    if moved_aside:
        notes.insert(0, f"replaced; the earlier submission is kept in "
                        f"{moved_aside.relative_to(course.parent)}")
    return "collected", notes
